<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use FFI;
use FFI\CData;
use Itsm\Exception\ItsmException;
use Itsm\Exception\StateError;
use Itsm\Internal\Convert;
use Itsm\Internal\Native;

/**
 * How well what happened follows a policy (conformance.h): the moves
 * records made - from stored events, or moves the host observed some
 * other way (log rows its engine refused) - checked against a reference
 * policy, which need not be the one that wrote them. Each move is allowed,
 * took a transition whose guard failed, skipped steps (the report names
 * the way round), was unforeseen, or named an unknown state.
 *
 * The report owns a copy of the policy and keeps nothing of an engine;
 * feed it, read it (feeding after reading is fine), close() it or let
 * __destruct free it.
 */
final class Conformance
{
    private ?CData $ptr;

    /** @param Policy|string|null $policy the reference: a Policy, a policy document, or null for the default */
    public function __construct(Policy|string|null $policy = null)
    {
        $ffi = Native::ffi();
        $own = null;
        if ($policy === null) {
            $policy = $own = Policy::default();
        } elseif (is_string($policy)) {
            $policy = $own = Policy::fromJson($policy);
        }
        $out = $ffi->new('itsm_conformance*');
        $rc = $ffi->itsm_conformance_new(FFI::addr($out), $policy->cdata(), null);
        $own?->close();
        if ($rc !== Native::ITSM_OK) {
            throw ItsmException::fromCode($rc);
        }
        $this->ptr = $out;
    }

    public function close(): void
    {
        if ($this->ptr !== null) {
            Native::ffi()->itsm_conformance_free($this->ptr);
            $this->ptr = null;
        }
    }

    public function __destruct()
    {
        $this->close();
    }

    private function p(): CData
    {
        return $this->ptr ?? throw new StateError('conformance report is closed');
    }

    private function check(int $rc, ?CData $perr = null): void
    {
        if ($rc !== Native::ITSM_OK) {
            throw Engine::error($rc, (string) Native::ffi()->itsm_conformance_errmsg($this->p()), $perr);
        }
    }

    // ---- feeding ----------------------------------------------------------------------------

    /**
     * Stored events (their JSON form, docs/events.md), in store order: one
     * document or an iterable of them. A malformed one throws ParseError
     * with its position and changes nothing.
     *
     * @param string|iterable<string> $events
     */
    public function add(string|iterable $events): self
    {
        $ffi = Native::ffi();
        foreach (is_string($events) ? [$events] : $events as $json) {
            $json = Convert::document($json, 'Conformance::add()');
            $perr = $ffi->new('itsm_parse_error');
            $this->check($ffi->itsm_conformance_add_json($this->p(), $json, strlen($json), FFI::addr($perr)), $perr);
        }
        return $this;
    }

    /** Every event a store's scan() gives. */
    public function addStore(Store $store): self
    {
        return $this->add($store->scan());
    }

    /**
     * A move the host saw that no stored event shows: record $record of
     * $kind went from $from (null: it was opened by this move) to $to,
     * naming $event; $refused when the host's engine refused it. The guards
     * read $fields' fields when given (otherwise a fitting transition
     * allows the move). InvalidArgument for names that are not 1..63 bytes
     * of [a-z0-9_].
     */
    public function observe(string $record, string $to, ?string $from = null, string $kind = 'incident',
                            ?string $event = null, bool $refused = false, ?Record $fields = null): self
    {
        $ffi = Native::ffi();
        $m = $ffi->new('itsm_observed_move');
        $ffi->itsm_observed_move_init(FFI::addr($m), Native::ITSM_OBSERVED_MOVE_VERSION);
        $m->kind = Engine::kindCode($kind);
        $keep = [];
        foreach (['record' => $record, 'from' => $from, 'to' => $to, 'event' => $event] as $member => $value) {
            if ($value !== null) {
                $keep[] = $b = Native::buffer(Convert::str($value, $member));
                $m->$member = Native::ptr($b);
            }
        }
        $m->refused = $refused ? 1 : 0;
        if ($fields !== null) {
            $m->fields = $fields->ptr();
        }
        $this->check($ffi->itsm_conformance_observe($this->p(), FFI::addr($m)));
        unset($keep);
        return $this;
    }

    // ---- reading ----------------------------------------------------------------------------

    public function summary(): ConformanceSummary
    {
        $s = Native::result('itsm_conformance_summary');
        $this->check(Native::ffi()->itsm_conformance_summary_of(FFI::addr($s), $this->p()));
        return new ConformanceSummary((int) $s->records, (int) $s->moves, (int) $s->allowed, (int) $s->guard_failed,
            (int) $s->refused, (float) $s->fitness, (int) $s->deviating_records, (int) $s->bypass_records);
    }

    /**
     * Every distinct observed move (kind, from, to), in the order first seen.
     *
     * @return list<ConformanceMove>
     */
    public function moves(): array
    {
        $ffi = Native::ffi();
        $p = $this->p();
        $out = [];
        $n = (int) $ffi->itsm_conformance_move_count($p);
        for ($i = 0; $i < $n; $i++) {
            $m = Native::result('itsm_conformance_move');
            $this->check($ffi->itsm_conformance_move_at($p, $i, FFI::addr($m)));
            $dev = (int) $m->deviation;
            $out[] = new ConformanceMove((string) $ffi->itsm_kind_name($m->kind), $m->from, (string) $m->to,
                (int) $m->count, (int) $m->allowed, (int) $m->guard_failed, (int) $m->refused, (float) $m->fitness,
                $ffi->itsm_deviation_name($dev) ?? (string) $dev,
                $m->skipped === null ? [] : explode(' ', $m->skipped));
        }
        return $out;
    }

    /**
     * Every rule (transition) of the reference policy, in policy order per
     * kind, with the moves it allowed and those whose guard failed.
     *
     * @return list<ConformanceRule>
     */
    public function rules(): array
    {
        $ffi = Native::ffi();
        $p = $this->p();
        $out = [];
        $n = (int) $ffi->itsm_conformance_rule_count($p);
        for ($i = 0; $i < $n; $i++) {
            $r = Native::result('itsm_conformance_rule');
            $this->check($ffi->itsm_conformance_rule_at($p, $i, FFI::addr($r)));
            $out[] = new ConformanceRule((string) $ffi->itsm_kind_name($r->kind), (string) $r->from,
                (string) $r->event, (string) $r->to, (string) $r->guard, (int) $r->used, (int) $r->guard_failed,
                (float) $r->agreement);
        }
        return $out;
    }

    /**
     * The states of the reference lifecycle of $kind, in policy order:
     * name => ['initial' => bool, 'closed' => bool] (what a process map draws).
     *
     * @return array<string, array{initial: bool, closed: bool}>
     */
    public function states(string $kind = 'incident'): array
    {
        $ffi = Native::ffi();
        $p = $this->p();
        $k = Engine::kindCode($kind);
        $out = [];
        $n = (int) $ffi->itsm_conformance_state_count($p, $k);
        for ($i = 0; $i < $n; $i++) {
            $name = $ffi->new('const char *[1]');
            $flags = $ffi->new('unsigned');
            $this->check($ffi->itsm_conformance_state_at($p, $k, $i, FFI::addr($name[0]), FFI::addr($flags)));
            $f = (int) $flags->cdata;
            $out[(string) $name[0]] = ['initial' => ($f & Native::ITSM_STATE_INITIAL) !== 0,
                                       'closed' => ($f & Native::ITSM_STATE_CLOSED) !== 0];
        }
        return $out;
    }

    // ---- writing ----------------------------------------------------------------------------

    /** The library's JSON form of the report. */
    public function toJson(): string
    {
        [$rc, $json] = Native::writer('itsm_conformance_to_json', $this->p());
        $this->check($rc);
        return $json;
    }

    /** RFC 4180 CSV (CRLF line ends): section,kind,from,event,to,measure,value. */
    public function toCsv(): string
    {
        [$rc, $csv] = Native::writer('itsm_conformance_to_csv', $this->p());
        $this->check($rc);
        return $csv;
    }

    /** toJson(), decoded. */
    public function data(): array
    {
        return json_decode($this->toJson(), true, 512, JSON_THROW_ON_ERROR);
    }
}
