<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;
use DateTimeInterface;
use FFI;
use FFI\CData;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\StateError;
use Itsm\Internal\Changes;
use Itsm\Internal\Convert;
use Itsm\Internal\Native;
use Itsm\Internal\RecordAgreement;
use Itsm\Internal\RecordChange;
use Itsm\Internal\RecordOncall;
use Itsm\Internal\RecordProposal;
use Itsm\Internal\RecordRequest;
use Itsm\Internal\RecordReview;
use Itsm\Internal\RecordSatisfaction;
use Itsm\Internal\RecordServices;

/**
 * A record (incident, service request, problem, change, knowledge article).
 *
 * Owned by its engine; this object refers to it and keeps the engine alive.
 * Fields are read as properties ($rec->summary, $rec->opened_at) or with
 * get(): string for text and symbol fields, int, bool, DateTimeImmutable
 * (UTC) for times, null when unset. Every change is explicit and atomic:
 * update(), fire(), addNote(), link() and the calls of the other concerns.
 *
 * @property-read string|null $summary
 * @property-read string|null $description
 * @property-read string|null $caller
 * @property-read bool $contact_verified
 * @property-read string|null $service
 * @property-read string|null $ci
 * @property-read string|null $category
 * @property-read string|null $subcategory
 * @property-read int|null $impact
 * @property-read int|null $urgency
 * @property-read int|null $priority
 * @property-read string|null $assignment_group
 * @property-read string|null $assignee
 * @property-read int|null $functional_level
 * @property-read int $hierarchical_level
 * @property-read bool $major
 * @property-read string|null $hold_reason
 * @property-read string|null $workaround
 * @property-read bool $no_workaround
 * @property-read string|null $cause
 * @property-read string|null $resolution_code
 * @property-read string|null $resolution_notes
 * @property-read string|null $close_justification
 * @property-read string|null $knowledge_decision
 * @property-read string|null $change_type
 * @property-read DateTimeImmutable|null $opened_at
 * @property-read DateTimeImmutable|null $responded_at
 * @property-read DateTimeImmutable|null $resolved_at
 * @property-read DateTimeImmutable|null $closed_at
 * @property-read DateTimeImmutable|null $updated_at
 * @property-read int $reassignments
 * @property-read int $reopens
 */
final class Record
{
    use RecordServices;
    use RecordChange;
    use RecordRequest;
    use RecordProposal;
    use RecordSatisfaction;
    use RecordAgreement;
    use RecordOncall;
    use RecordReview;

    /** Int fields whose 0 is a value, not "unset". */
    private const ZERO_IS_A_VALUE = ['hierarchical_level' => true];

    /** The C record; null once a rollback took it away (it was opened in the group). */
    private ?CData $ptr;

    /** @internal records come from Engine::open(), find() and iteration */
    public function __construct(
        private readonly Engine $engine,
        CData $ptr,
        private readonly string $id,
    ) {
        $this->ptr = $ptr;
    }

    /** @internal the C record; StateError once the engine is closed or the record was rolled back */
    public function ptr(): CData
    {
        $this->engine->ptr();
        if ($this->ptr === null) {
            throw new StateError("record {$this->id} is gone: it was opened in a group that was not kept");
        }
        return $this->ptr;
    }

    /** @internal the engine reloaded from its store (a failed commit, a rollback): the record's new C object */
    public function repoint(?CData $ptr): void
    {
        $this->ptr = $ptr;
    }

    public function engine(): Engine
    {
        return $this->engine;
    }

    // ---- identity and state ----------------------------------------------------

    public function id(): string
    {
        $this->ptr();
        return $this->id;
    }

    /** "incident", "service_request", "problem", "change" or "knowledge". */
    public function kind(): string
    {
        $ffi = Native::ffi();
        return (string) $ffi->itsm_kind_name($ffi->itsm_record_kind($this->ptr()));
    }

    /** The current state's name ("new", "in_progress", ...). */
    public function state(): string
    {
        return (string) Native::ffi()->itsm_record_state($this->ptr());
    }

    /** Whether the current state is one its lifecycle marks open. */
    public function isOpen(): bool
    {
        return (bool) Native::ffi()->itsm_record_is_open($this->ptr());
    }

    /** Number of accepted changes; 1 right after opening. */
    public function revision(): int
    {
        return (int) Native::ffi()->itsm_record_revision($this->ptr());
    }

    /**
     * The head of the record's hash chain (integrity.h): the link of its
     * newest stored event, 64 lowercase hex digits, for an external audit
     * (Engine::auditJson() gives every record's). null when the engine keeps
     * no chain: its store does not give events back.
     */
    public function chainHead(): ?string
    {
        $ffi = Native::ffi();
        $hex = $ffi->new('char[65]');
        $rc = $ffi->itsm_record_chain_head($this->ptr(), $hex);
        if ($rc === Native::ITSM_ENOTFOUND) {
            return null;
        }
        $this->engine->check($rc);
        return FFI::string($hex);
    }

    /** The id of the policy version the record is judged under (docs/policy.md, "Versions"). */
    public function policyVersion(): string
    {
        return (string) Native::ffi()->itsm_record_policy_version($this->ptr());
    }

    /**
     * A copy of the policy of the version the record is judged under (the
     * engine's may be newer).
     */
    public function policy(): Policy
    {
        return Policy::cloneOf(Native::ffi()->itsm_record_policy($this->ptr()));
    }

    // ---- fields ------------------------------------------------------------------

    /** @internal the engine's C policy (custom fields are its) */
    public function policyPtr(): CData
    {
        return Native::ffi()->itsm_engine_policy($this->engine->ptr());
    }

    /**
     * A field by name, built in or declared by the policy: string, int,
     * bool, DateTimeImmutable or null when unset.
     */
    public function get(string $field): string|int|bool|DateTimeImmutable|null
    {
        return $this->read(Field::named($field, $this->policyPtr()));
    }

    public function __get(string $name): string|int|bool|DateTimeImmutable|null
    {
        return $this->get($name);
    }

    public function __isset(string $name): bool
    {
        $all = Field::all() + Field::custom($this->policyPtr());
        return isset($all[$name]) && $this->read($all[$name]) !== null;
    }

    /**
     * Every field that is set (or every field), by name: the built-in ones,
     * then the policy's custom fields.
     *
     * @return array<string, string|int|bool|DateTimeImmutable|null>
     */
    public function fields(bool $includeUnset = false): array
    {
        $ffi = Native::ffi();
        $p = $this->ptr();
        $out = [];
        foreach (Field::all() + Field::custom($this->policyPtr()) as $name => $f) {
            if ($includeUnset || $ffi->itsm_record_has($p, $f->id)) {
                $out[$name] = $this->read($f);
            }
        }
        return $out;
    }

    private function read(Field $f): string|int|bool|DateTimeImmutable|null
    {
        $ffi = Native::ffi();
        $p = $this->ptr();
        return match ($f->type) {
            'text', 'symbol', 'enum' => $ffi->itsm_record_str($p, $f->id),
            'time' => Convert::fromC((int) $ffi->itsm_record_int($p, $f->id)),
            'bool' => (bool) $ffi->itsm_record_has($p, $f->id),
            default => (function () use ($ffi, $p, $f): ?int {
                if ($f->id >= Native::ITSM_F_CUSTOM_FIRST) {   // set once given a value, 0 included
                    return $ffi->itsm_record_has($p, $f->id) ? (int) $ffi->itsm_record_int($p, $f->id) : null;
                }
                $v = (int) $ffi->itsm_record_int($p, $f->id);
                $zeroIsAValue = $f->engineOwned || isset(self::ZERO_IS_A_VALUE[$f->name]);
                return $v === 0 && !$zeroIsAValue ? null : $v;
            })(),
        };
    }

    // ---- changes -------------------------------------------------------------------

    /**
     * Change fields atomically, as one event: update(['category' => 'network', 'impact' => 1]).
     * null clears a text, symbol or time field.
     *
     * @param array<string, mixed> $fields
     */
    public function update(array $fields): self
    {
        $changes = new Changes($fields, $this->policyPtr());
        $p = $this->ptr();
        $this->engine->check(Native::ffi()->itsm_record_update($p, $changes->pointer(), $changes->count));
        return $this;
    }

    /**
     * Fire a lifecycle event ("assign", "resolve", ...), setting the given
     * fields in the same atomic step (they count for the guards). Throws
     * TransitionRefused, or GuardFailed naming what is missing.
     *
     * @param array<string, mixed> $fields
     */
    public function fire(string $event, array $fields = []): self
    {
        $changes = new Changes($fields, $this->policyPtr());
        $p = $this->ptr();
        $this->engine->check(Native::ffi()->itsm_record_fire($p, Convert::str($event, 'event'),
            $changes->pointer(), $changes->count));
        return $this;
    }

    /**
     * Add a timeline entry. "work" is an internal note; "customer" is a
     * customer update, which must give the actions taken ($text), the
     * expected restoration and the next update time.
     */
    public function addNote(
        string $text,
        string $kind = 'work',
        DateTimeInterface|int|null $expectedRestoration = null,
        DateTimeInterface|int|null $nextUpdate = null,
    ): self {
        $codes = array_flip(Native::NOTE_KINDS);
        if (!isset($codes[$kind])) {
            throw new InvalidArgument("note kind must be 'work' or 'customer', not '$kind'", Native::ITSM_EINVAL);
        }
        $ffi = Native::ffi();
        $o = $ffi->new('itsm_note_opts');
        $ffi->itsm_note_opts_init(FFI::addr($o), Native::ITSM_NOTE_OPTS_VERSION);
        $o->kind = $codes[$kind];
        $buf = Native::buffer(Convert::str($text, 'note text'));
        $o->text = FFI::addr($buf[0]);
        $o->expected_restoration = Convert::timeOrNone($expectedRestoration, 'expected restoration');
        $o->next_update = Convert::timeOrNone($nextUpdate, 'next update');
        $p = $this->ptr();
        $this->engine->check($ffi->itsm_record_add_note($p, FFI::addr($o)));
        return $this;
    }

    /**
     * Link this record and another (a Record or an id) both ways: "related",
     * "child" (the other is a child of this one) or "parent".
     */
    public function link(Record|string $other, string $kind = 'related'): self
    {
        $codes = array_flip(Native::LINK_KINDS);
        if (!isset($codes[$kind])) {
            throw new InvalidArgument("link kind must be one of related, parent, child, not '$kind'",
                Native::ITSM_EINVAL);
        }
        $other = $this->sameEngine($other);
        $p = $this->ptr();
        $this->engine->check(Native::ffi()->itsm_record_link($p, $codes[$kind], $other->ptr()));
        return $this;
    }

    /** @internal a record of this engine, from a Record or an id */
    public function sameEngine(Record|string $other): Record
    {
        if (is_string($other)) {
            return $this->engine->find($other);
        }
        if ($other->engine !== $this->engine) {
            throw new InvalidArgument('the records belong to different engines', Native::ITSM_EINVAL);
        }
        return $other;
    }

    /**
     * Whether a condition (docs/conditions.md) holds for the record now,
     * e.g. "priority <= 2 and state != 'closed'". A bad condition is
     * ParseError (or LimitExceeded) with the line and column within the text.
     */
    public function condition(string $text): bool
    {
        $ffi = Native::ffi();
        $out = $ffi->new('int');
        $perr = $ffi->new('itsm_parse_error');
        $rc = $ffi->itsm_record_condition(FFI::addr($out), $this->ptr(), Convert::str($text, 'condition'),
            strlen($text), FFI::addr($perr));
        if ($rc !== Native::ITSM_OK) {
            throw Engine::error($rc, Native::chars($perr->text), $perr);
        }
        return $out->cdata !== 0;
    }

    // ---- timeline and links -------------------------------------------------------

    /** @return list<TimelineEntry> */
    public function timeline(): array
    {
        $ffi = Native::ffi();
        $p = $this->ptr();
        $out = [];
        $n = (int) $ffi->itsm_record_timeline_count($p);
        for ($i = 0; $i < $n; $i++) {
            $e = Native::result('itsm_timeline_entry');
            $this->engine->check($ffi->itsm_record_timeline_at($p, $i, FFI::addr($e)));
            $out[] = new TimelineEntry(Native::NOTE_KINDS[$e->kind] ?? (string) $e->kind,
                Convert::fromC((int) $e->at) ?? new DateTimeImmutable('@0'), $e->author, (string) $e->text,
                Convert::fromC((int) $e->expected_restoration), Convert::fromC((int) $e->next_update));
        }
        return $out;
    }

    /**
     * The record's whole history, oldest first: every event the store holds
     * for it (opening, field changes with old and new values, transitions,
     * notes, links, service-level events, escalations, handovers ...) with
     * who and when, read from the store at this call (RecordStore). A store
     * that is no RecordStore gives the notes, and $complete false.
     */
    public function history(): History
    {
        return $this->historyOf('itsm_record_timeline');
    }

    /** A history read by $fn (itsm_record_timeline or a call of its form, such as itsm_review_timeline). */
    private function historyOf(string $fn): History
    {
        $ffi = Native::ffi();
        $p = $this->ptr();
        $tlp = $ffi->new('itsm_timeline *');
        $this->engine->check($ffi->$fn(FFI::addr($tlp), $p));
        $tl = $tlp;
        try {
            $out = [];
            $n = (int) $ffi->itsm_timeline_count($tl);
            for ($i = 0; $i < $n; $i++) {
                $e = Native::result('itsm_timeline_entry');
                $this->engine->check($ffi->itsm_timeline_at($tl, $i, FFI::addr($e)));
                $changes = [];
                for ($c = 0; $c < (int) $e->nchanges; $c++) {
                    $fc = Native::result('itsm_field_change');
                    $this->engine->check($ffi->itsm_timeline_change_at($tl, $i, $c, FFI::addr($fc)));
                    $changes[] = new FieldChange((string) $fc->field, $fc->old_value, $fc->new_value);
                }
                $out[] = new TimelineEntry(Native::NOTE_KINDS[$e->kind] ?? '',
                    Convert::fromC((int) $e->at) ?? new DateTimeImmutable('@0'), $e->author, (string) $e->text,
                    Convert::fromC((int) $e->expected_restoration), Convert::fromC((int) $e->next_update),
                    (string) $e->type, (int) $e->revision, $e->event, $e->from_state, $e->to_state,
                    $changes, $e->json);
            }
            return new History($out, $ffi->itsm_timeline_complete($tl) !== 0);
        } finally {
            $ffi->itsm_timeline_free($tl);
        }
    }

    /**
     * The events that can fire from the record's current state, in the
     * lifecycle's order, each with what its guard still misses (ready() when
     * nothing): what a screen offers. Steps the engine fires itself
     * (auto_close, parent_resolved) are listed too.
     *
     * @return list<AllowedEvent>
     */
    public function allowed(): array
    {
        $ffi = Native::ffi();
        $p = $this->ptr();
        $out = [];
        $n = (int) $ffi->itsm_record_allowed_count($p);
        for ($i = 0; $i < $n; $i++) {
            $a = Native::result('itsm_allowed_event');
            $this->engine->check($ffi->itsm_record_allowed_at($p, $i, FFI::addr($a)));
            $needs = [];
            for ($k = 0; $k < (int) $a->nmissing; $k++) {
                $g = Native::result('itsm_guard_need');
                $this->engine->check($ffi->itsm_record_allowed_need_at($p, $i, $k, FFI::addr($g)));
                $needs[] = Native::guardNeed($g);
            }
            $out[] = new AllowedEvent((string) $a->event, (string) $a->to_state, $needs);
        }
        return $out;
    }

    /** @return list<Link> */
    public function links(): array
    {
        $ffi = Native::ffi();
        $p = $this->ptr();
        $out = [];
        $n = (int) $ffi->itsm_record_link_count($p);
        for ($i = 0; $i < $n; $i++) {
            $l = Native::result('itsm_link');
            $this->engine->check($ffi->itsm_record_link_at($p, $i, FFI::addr($l)));
            $out[] = new Link(Native::LINK_KINDS[$l->kind] ?? (string) $l->kind,
                (string) $ffi->itsm_kind_name($l->target_kind), (string) $l->target_id);
        }
        return $out;
    }

    /**
     * The linked records themselves, optionally of one link kind (an
     * unknown one throws InvalidArgument, as link() does).
     *
     * @return list<Record>
     */
    public function linked(?string $kind = null): array
    {
        // An unknown kind is refused as link() refuses it: a misspelt one
        // would otherwise match nothing.
        if ($kind !== null && !in_array($kind, Native::LINK_KINDS, true)) {
            throw new InvalidArgument("link kind must be one of related, parent, child, not '$kind'",
                Native::ITSM_EINVAL);
        }
        $out = [];
        foreach ($this->links() as $l) {
            if ($kind === null || $l->kind === $kind) {
                $out[] = $this->engine->find($l->targetId);
            }
        }
        return $out;
    }

    public function __toString(): string
    {
        if ($this->engine->isClosed()) {
            return "{$this->id} (engine closed)";
        }
        return "{$this->id} {$this->kind()} {$this->state()} rev {$this->revision()}";
    }
}
