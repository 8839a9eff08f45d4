<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;
use DateTimeInterface;
use FFI;
use FFI\CData;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\ItsmException;
use Itsm\Exception\StateError;
use Itsm\Internal\Convert;
use Itsm\Internal\Native;

/**
 * A handover packet (handover.h): a versioned snapshot one party hands
 * another, so the receiver never has to ask the customer again.
 *
 * Text slots: object, defect, what_is[_not], where_is[_not], when_is[_not],
 * extent_is[_not], status, sender, sender_group, receiver, receiver_group.
 * Lists: actions, communications, hypotheses, other_places,
 * identical_things, engaged_groups, open_actions. Content changes only while
 * the packet is a draft (StateError afterwards).
 *
 * Lifetime: a packet from Record::packet(), fromJson() or copy() belongs
 * to PHP (close(), or __destruct) and stays usable after its engine changes
 * or closes. The packets of Engine::handovers() are the engine's own: they
 * keep the engine alive, close() only lets go of them, and once the engine
 * is closed every call on them throws StateError.
 */
final class Packet
{
    private ?CData $ptr;
    /** The engine of a borrowed packet (strong), or of an owned one built from a record (weak). */
    private ?Engine $engine = null;
    private ?\WeakReference $origin = null;
    /** A borrowed packet's handover number and the engine's reloads when it was found (use()). */
    private int $seq = 0;
    private int $reloads = 0;

    private function __construct(CData $ptr, private readonly bool $owned)
    {
        $this->ptr = $ptr;
    }

    /** @internal a packet of $kind for a record (Record::packet()) */
    public static function forRecord(Record $rec, string $kind): self
    {
        $ffi = Native::ffi();
        $out = $ffi->new('itsm_packet*');
        $k = self::kindCode($kind);
        $p = $rec->ptr();
        $rc = $ffi->itsm_packet_new(FFI::addr($out), $p, $k);
        try {
            $rec->engine()->check($rc);
        } catch (\Throwable $e) {
            if (!FFI::isNull($out)) {       // made, but a callback threw meanwhile
                $ffi->itsm_packet_free($out);
            }
            throw $e;
        }
        $pkt = new self($out, true);
        $pkt->origin = \WeakReference::create($rec->engine());
        return $pkt;
    }

    /** @internal one of the engine's own packets */
    public static function borrowed(Engine $engine, CData $ptr): self
    {
        $pkt = new self($ptr, false);
        $pkt->engine = $engine;
        $pkt->seq = (int) Native::ffi()->itsm_packet_seq($ptr);
        $pkt->reloads = $engine->reloads();
        return $pkt;
    }

    /**
     * Read a packet document (docs/handover.md) as a new draft. ParseError
     * or LimitExceeded with the position.
     */
    public static function fromJson(string $json, ?JsonLimits $limits = null): self
    {
        $ffi = Native::ffi();
        $out = $ffi->new('itsm_packet*');
        $perr = $ffi->new('itsm_parse_error');
        $lim = null;
        if ($limits !== null) {
            $lim = $ffi->new('itsm_json_limits');
            $limits->fill($lim);
        }
        $rc = $ffi->itsm_packet_from_json(FFI::addr($out), $json, strlen($json), null,
            $lim === null ? null : FFI::addr($lim), FFI::addr($perr));
        if ($rc !== Native::ITSM_OK) {
            $text = Native::chars($perr->text);
            $where = $perr->line > 0 ? "packet line {$perr->line}, column {$perr->column}: " : 'packet: ';
            throw Engine::error($rc, $text !== '' ? $where . $text : '', $perr);
        }
        return new self($out, true);
    }

    /** A deep copy PHP owns (state included). */
    public function copy(): self
    {
        $ffi = Native::ffi();
        $out = $ffi->new('itsm_packet*');
        $p = $this->use();
        $this->checkRc($p, $ffi->itsm_packet_clone(FFI::addr($out), $p));
        $copy = new self($out, true);
        $copy->origin = $this->engine !== null ? \WeakReference::create($this->engine) : $this->origin;
        return $copy;
    }

    /** @internal a packet kind name ("desk_to_major") as its C value */
    public static function kindCode(string $kind): int
    {
        $ffi = Native::ffi();
        $out = $ffi->new('itsm_packet_kind');
        if ($ffi->itsm_packet_kind_from_name(FFI::addr($out), Convert::str($kind, 'packet kind')) !== Native::ITSM_OK) {
            $names = [];
            for ($k = 1; ($n = $ffi->itsm_packet_kind_name($k)) !== null; $k++) {
                $names[] = $n;
            }
            throw new InvalidArgument("unknown packet kind '$kind' (one of: " . implode(', ', $names) . ')',
                Native::ITSM_EINVAL);
        }
        return (int) $out->cdata;
    }

    // ---- lifetime ------------------------------------------------------------------

    /** Free a packet PHP owns now; on one of the engine's, only let go of it. */
    public function close(): void
    {
        if ($this->ptr !== null && $this->owned) {
            Native::ffi()->itsm_packet_free($this->ptr);
        }
        $this->ptr = null;
        $this->engine = null;
    }

    public function __destruct()
    {
        $this->close();
    }

    public function isClosed(): bool
    {
        return $this->ptr === null;
    }

    /** True for a packet PHP frees; false for one of the engine's own. */
    public function isOwned(): bool
    {
        return $this->owned;
    }

    /** @internal the C packet; StateError when closed or its engine is */
    public function use(): CData
    {
        if ($this->ptr === null) {
            throw new StateError('packet is closed');
        }
        $eng = $this->engine;
        if ($eng !== null) {
            $ep = $eng->ptr();
            if ($this->reloads !== $eng->reloads()) {
                // A rollback or failed commit reloaded the engine and freed
                // its packets: find this one again by its number, as
                // records are found again by id.
                $ffi = Native::ffi();
                $out = $ffi->new('itsm_packet*');
                if ($ffi->itsm_engine_handover_find(FFI::addr($out), $ep, $this->seq) !== Native::ITSM_OK) {
                    throw new StateError("handover {$this->seq} is gone: the engine went back to its last commit");
                }
                $this->ptr = $out;
                $this->reloads = $eng->reloads();
            }
        }
        return $this->ptr;
    }

    private function checkRc(CData $p, int $rc): void
    {
        if ($rc !== Native::ITSM_OK) {
            throw ItsmException::fromCode($rc, (string) Native::ffi()->itsm_packet_errmsg($p));
        }
    }

    // ---- identity and state ---------------------------------------------------------

    public function kind(): string
    {
        $ffi = Native::ffi();
        return (string) $ffi->itsm_packet_kind_name($ffi->itsm_packet_kind_of($this->use()));
    }

    /** "draft", "proposed", "acknowledged" or "rejected". */
    public function state(): string
    {
        return Native::PACKET_STATES[Native::ffi()->itsm_packet_state_of($this->use())] ?? 'unknown';
    }

    public function recordId(): string
    {
        return (string) Native::ffi()->itsm_packet_record_id($this->use());
    }

    public function recordKind(): string
    {
        $ffi = Native::ffi();
        return (string) $ffi->itsm_kind_name($ffi->itsm_packet_record_kind($this->use()));
    }

    public function createdAt(): ?DateTimeImmutable
    {
        return Convert::fromC((int) Native::ffi()->itsm_packet_created_at($this->use()));
    }

    /** The handover number the engine gave on proposing; 0 for a draft. */
    public function seq(): int
    {
        return (int) Native::ffi()->itsm_packet_seq($this->use());
    }

    public function proposedAt(): ?DateTimeImmutable
    {
        return Convert::fromC((int) Native::ffi()->itsm_packet_proposed_at($this->use()));
    }

    /** Who acknowledged or rejected it (null before). */
    public function decidedBy(): ?string
    {
        return Native::ffi()->itsm_packet_decided_by($this->use());
    }

    public function decidedAt(): ?DateTimeImmutable
    {
        return Convert::fromC((int) Native::ffi()->itsm_packet_decided_at($this->use()));
    }

    /** Why the receiver rejected it; null unless rejected. */
    public function rejectReason(): ?string
    {
        return Native::ffi()->itsm_packet_reason($this->use());
    }

    // ---- content ------------------------------------------------------------------------

    /** A text slot ("object", "receiver", ...); null when unset. */
    public function text(string $slot): ?string
    {
        return Native::ffi()->itsm_packet_text_of($this->use(), self::slot($slot));
    }

    /** Set a text slot (null clears it). */
    public function setText(string $slot, ?string $value): self
    {
        $p = $this->use();
        $this->checkRc($p, Native::ffi()->itsm_packet_set_text($p, self::slot($slot),
            Convert::strOrNull($value, $slot)));
        return $this;
    }

    /** @return array<string, string> every text slot that is set */
    public function texts(): array
    {
        $out = [];
        foreach (array_keys(Native::PACKET_TEXTS) as $slot) {
            $v = $this->text($slot);
            if ($v !== null) {
                $out[$slot] = $v;
            }
        }
        return $out;
    }

    private static function slot(string $slot): int
    {
        return Native::PACKET_TEXTS[$slot] ?? throw new InvalidArgument("unknown packet text slot '$slot' (one of: "
            . implode(', ', array_keys(Native::PACKET_TEXTS)) . ')', Native::ITSM_EINVAL);
    }

    private static function list(string $list): int
    {
        return Native::PACKET_LISTS[$list] ?? throw new InvalidArgument("unknown packet list '$list' (one of: "
            . implode(', ', array_keys(Native::PACKET_LISTS)) . ')', Native::ITSM_EINVAL);
    }

    public function nextUpdate(): ?DateTimeImmutable
    {
        return Convert::fromC((int) Native::ffi()->itsm_packet_next_update($this->use()));
    }

    public function setNextUpdate(DateTimeInterface|int|null $due): self
    {
        $p = $this->use();
        $this->checkRc($p, Native::ffi()->itsm_packet_set_next_update($p, Convert::timeOrNone($due, 'next update')));
        return $this;
    }

    public function contactVerified(): bool
    {
        return (bool) Native::ffi()->itsm_packet_contact_verified($this->use());
    }

    public function setContactVerified(bool $verified): self
    {
        $p = $this->use();
        $this->checkRc($p, Native::ffi()->itsm_packet_set_contact_verified($p, $verified ? 1 : 0));
        return $this;
    }

    /** @return list<PacketEntry> the entries of a list ("actions", "open_actions", ...) */
    public function entries(string $list): array
    {
        $ffi = Native::ffi();
        $l = self::list($list);
        $p = $this->use();
        $out = [];
        $n = (int) $ffi->itsm_packet_count($p, $l);
        for ($i = 0; $i < $n; $i++) {
            $e = Native::result('itsm_packet_entry');
            $this->checkRc($p, $ffi->itsm_packet_at($p, $l, $i, FFI::addr($e)));
            $out[] = new PacketEntry((string) $e->text, $e->who, Convert::fromC((int) $e->at));
        }
        return $out;
    }

    /**
     * Append an entry to a list: the text, who (by / owner: required for
     * open_actions, none for the plain-text lists) and when (when / due).
     */
    public function add(string $list, string $text, ?string $who = null, DateTimeInterface|int|null $at = null): self
    {
        $ffi = Native::ffi();
        $e = Native::result('itsm_packet_entry');
        $t = Native::buffer(Convert::str($text, 'text'));
        $e->text = FFI::addr($t[0]);
        $w = null;
        if ($who !== null) {
            $w = Native::buffer(Convert::str($who, 'who'));
            $e->who = FFI::addr($w[0]);
        }
        $e->at = Convert::timeOrNone($at, 'at');
        $l = self::list($list);
        $p = $this->use();
        $this->checkRc($p, $ffi->itsm_packet_add($p, $l, FFI::addr($e)));
        return $this;
    }

    public function clear(string $list): self
    {
        $l = self::list($list);
        $p = $this->use();
        $this->checkRc($p, Native::ffi()->itsm_packet_clear($p, $l));
        return $this;
    }

    // ---- deliverables (to_operations) ---------------------------------------------------

    public function addDeliverable(string $name, string $owner, string $approver, bool $required = true): self
    {
        $p = $this->use();
        $this->checkRc($p, Native::ffi()->itsm_packet_add_deliverable($p, Convert::str($name, 'name'),
            Convert::str($owner, 'owner'), Convert::str($approver, 'approver'), $required ? 1 : 0));
        return $this;
    }

    /**
     * "pending", "delivered", "approved" or "rejected", set by $by, the party whose act it is: the owner
     * delivers, the appointed approver approves or rejects, either resets to pending (InvalidArgument
     * for anyone else; without $by the host records it, allowed for all but "approved").
     */
    public function setDeliverableStatus(string $name, string $status, ?string $by = null): self
    {
        $code = Native::DELIVERABLE_STATUS[$status] ?? throw new InvalidArgument("unknown deliverable status "
            . "'$status' (one of: " . implode(', ', array_keys(Native::DELIVERABLE_STATUS)) . ')', Native::ITSM_EINVAL);
        $p = $this->use();
        $this->checkRc($p, Native::ffi()->itsm_packet_set_deliverable_status($p, Convert::str($name, 'name'), $code,
            Convert::strOrNull($by, 'by')));
        return $this;
    }

    public function approve(string $name, string $by): self
    {
        return $this->setDeliverableStatus($name, 'approved', $by);
    }

    /** @return list<Deliverable> */
    public function deliverables(): array
    {
        $ffi = Native::ffi();
        $p = $this->use();
        $out = [];
        $n = (int) $ffi->itsm_packet_deliverable_count($p);
        for ($i = 0; $i < $n; $i++) {
            $d = Native::result('itsm_deliverable');
            $this->checkRc($p, $ffi->itsm_packet_deliverable_at($p, $i, FFI::addr($d)));
            $out[] = new Deliverable((string) $d->name, (string) $d->owner, (string) $d->approver,
                (string) $ffi->itsm_deliverable_status_name($d->status), $d->approved_by, (bool) $d->required);
        }
        return $out;
    }

    /** Every required deliverable approved and the packet acknowledged (to_operations only). */
    public function gateOpen(): bool
    {
        return (bool) Native::ffi()->itsm_packet_gate_open($this->use());
    }

    // ---- completeness and the two-party handover -----------------------------------------

    /** The score against a policy's checklist (default: the engine's policy). */
    public function completeness(?Policy $policy = null): Completeness
    {
        $ffi = Native::ffi();
        $pol = $policy?->cdata() ?? $ffi->itsm_engine_policy($this->engineFor(null)->ptr());
        $score = $ffi->new('int');
        // The names of every checklist item together fit easily; the call has no length out-parameter.
        $missing = $ffi->new('char[4096]');
        $p = $this->use();
        $this->checkRc($p, $ffi->itsm_packet_completeness(FFI::addr($score), $p, $pol, $missing, 4096));
        $text = FFI::string($missing);
        return new Completeness((int) $score->cdata, $text === '' ? [] : explode(' ', $text));
    }

    /** The sender proposes: a handover_propose event on the record; the packet gets its number. */
    public function propose(?Engine $engine = null): self
    {
        return $this->engineCall($engine, 'itsm_packet_propose');
    }

    /** The receiver takes it over: ownership moves. */
    public function acknowledge(string $by, ?Engine $engine = null): self
    {
        return $this->engineCall($engine, 'itsm_packet_acknowledge', Convert::str($by, 'by'));
    }

    /** The receiver kicks it back (never a desk_to_major packet: StateError). */
    public function reject(string $by, string $reason, ?Engine $engine = null): self
    {
        return $this->engineCall($engine, 'itsm_packet_reject', Convert::str($by, 'by'), Convert::str($reason, 'reason'));
    }

    private function engineCall(?Engine $engine, string $fn, mixed ...$args): self
    {
        $eng = $this->engineFor($engine);
        $p = $this->use();
        $e = $eng->ptr();
        $eng->check(Native::ffi()->$fn($p, $e, ...$args));
        return $this;
    }

    private function engineFor(?Engine $engine): Engine
    {
        $eng = $engine ?? $this->engine ?? $this->origin?->get();
        if ($eng === null) {
            throw new InvalidArgument('this packet has no engine: pass one', Native::ITSM_EINVAL);
        }
        return $eng;
    }

    /** The record the packet is about, in its engine. */
    public function record(?Engine $engine = null): Record
    {
        return $this->engineFor($engine)->find($this->recordId());
    }

    // ---- JSON and comparison -----------------------------------------------------------------

    /** The packet document (version 1, docs/handover.md). */
    public function toJson(): string
    {
        $p = $this->use();
        [$rc, $json] = Native::writer('itsm_packet_to_json', $p);
        $this->checkRc($p, $rc);
        return $json;
    }

    /** The same kind, record and content (state and number are not content). */
    public function equals(Packet $other): bool
    {
        return (bool) Native::ffi()->itsm_packet_equal($this->use(), $other->use());
    }
}
