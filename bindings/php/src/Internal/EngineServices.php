<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use DateTimeImmutable;
use DateTimeInterface;
use FFI;
use Itsm\AgingEntry;
use Itsm\AgreementReport;
use Itsm\Exception\InvalidArgument;
use Itsm\KnowledgeMatches;
use Itsm\Packet;
use Itsm\Policy;
use Itsm\ProblemProposal;
use Itsm\QualityEntry;
use Itsm\Record;
use Itsm\Report;
use Itsm\ReviewActionCounts;
use Itsm\ScheduleEntry;

/**
 * The Engine calls of service levels, problems, knowledge, outages,
 * handovers and reports.
 *
 * @internal part of Engine
 */
trait EngineServices
{
    // ---- the forward schedule of change (change.h) -------------------------------------

    /**
     * The changes on the schedule ($planned: every open planned change)
     * whose windows overlap [$from, $to) (null: all time), optionally on one
     * service or configuration item, by start, then end, then id (at most
     * $limit).
     *
     * @return list<ScheduleEntry>
     */
    public function changeSchedule(DateTimeInterface|int|null $from = null, DateTimeInterface|int|null $to = null,
                                   ?string $service = null, ?string $ci = null, bool $planned = false,
                                   int $limit = 100): array
    {
        $ffi = Native::ffi();
        $q = $ffi->new('itsm_schedule_query');
        $ffi->itsm_schedule_query_init(FFI::addr($q), Native::ITSM_SCHEDULE_QUERY_VERSION);
        if ($from !== null) {
            $q->from = Convert::time($from, 'from');
        }
        if ($to !== null) {
            $q->to = Convert::time($to, 'to');
        }
        $keep = [];
        if ($service !== null) {
            $keep[] = $b = Native::buffer(Convert::str($service, 'service'));
            $q->service = Native::ptr($b);
        }
        if ($ci !== null) {
            $keep[] = $b = Native::buffer(Convert::str($ci, 'ci'));
            $q->ci = Native::ptr($b);
        }
        $q->planned = $planned ? 1 : 0;
        $limit = max($limit, 1);
        $buf = Native::result('itsm_schedule_entry', $limit);
        $n = $ffi->new('size_t');
        $this->check($ffi->itsm_change_schedule($buf, $limit, FFI::addr($n), $this->ptr(), FFI::addr($q)));
        $out = [];
        for ($i = 0; $i < min((int) $n->cdata, $limit); $i++) {
            $e = $buf[$i];
            $out[] = new ScheduleEntry($this->wrap($e->rec), Convert::fromC((int) $e->start) ?? new DateTimeImmutable('@0'),
                Convert::fromC((int) $e->end) ?? new DateTimeImmutable('@0'), (int) $e->collisions);
        }
        unset($keep);
        return $out;
    }

    // ---- service levels (sla.h) ------------------------------------------------------

    /**
     * Fire every timer due at or before $now (null: the engine's clock), each
     * as its own atomic batch through the store; returns how many fired. On
     * a store failure that timer stays queued and the same tick can be
     * repeated.
     */
    public function tick(DateTimeInterface|int|null $now = null): int
    {
        $ffi = Native::ffi();
        $t = $now === null ? Convert::time($this->now()) : Convert::time($now, 'now');
        $fired = $ffi->new('size_t');
        $p = $this->ptr();
        $this->check($ffi->itsm_engine_tick($p, $t, FFI::addr($fired)));
        return (int) $fired->cdata;
    }

    /** The instances of agreement $name over every record (NotFound for an agreement the policy lacks). */
    public function agreementReport(string $name): AgreementReport
    {
        $r = Native::result('itsm_agreement_report');
        $p = $this->ptr();
        $this->check(Native::ffi()->itsm_engine_agreement_report(FFI::addr($r), $p, Convert::str($name, 'agreement')));
        return new AgreementReport($name, (int) $r->applied, (int) $r->met, (int) $r->breached, (int) $r->open,
            (int) $r->cancelled);
    }

    /** The earliest instant a timer is scheduled for; null if none. */
    public function nextDeadline(): ?DateTimeImmutable
    {
        return Convert::fromC((int) Native::ffi()->itsm_engine_next_deadline($this->ptr()));
    }

    /**
     * At most $limit open records: "age" oldest first, or "breach" least
     * working time left to the resolution breach first.
     *
     * @return list<AgingEntry>
     */
    public function aging(string $order = 'age', int $limit = 100, DateTimeInterface|int|null $now = null): array
    {
        $code = ['age' => Native::ITSM_AGING_BY_AGE, 'breach' => Native::ITSM_AGING_BY_BREACH][$order]
            ?? throw new InvalidArgument("aging order must be 'age' or 'breach', not '$order'", Native::ITSM_EINVAL);
        if ($limit < 1) {
            throw new \ValueError('limit must be at least 1');
        }
        $ffi = Native::ffi();
        $t = $now === null ? Convert::time($this->now()) : Convert::time($now, 'now');
        $buf = Native::result('itsm_aging_entry', $limit);
        $n = $ffi->new('size_t');
        $p = $this->ptr();
        $this->check($ffi->itsm_engine_aging(FFI::addr($buf[0]), $limit, FFI::addr($n), $p, $code, $t));
        $out = [];
        for ($i = 0; $i < $n->cdata; $i++) {
            $e = $buf[$i];
            $left = (int) $e->time_left;
            $out[] = new AgingEntry($this->wrap($e->rec), (int) $e->age, $left === PHP_INT_MAX ? null : $left);
        }
        return $out;
    }

    /** Working seconds between two instants on a calendar of the engine's policy. */
    public function calendarWork(string $calendar, DateTimeInterface|int $from, DateTimeInterface|int $to): int
    {
        return Policy::work(Native::ffi()->itsm_engine_policy($this->ptr()), $calendar, $from, $to);
    }

    /** The instant $seconds of working time after $from on a calendar of the engine's policy. */
    public function calendarAdd(string $calendar, DateTimeInterface|int $from, \DateInterval|int $seconds): DateTimeImmutable
    {
        return Policy::add(Native::ffi()->itsm_engine_policy($this->ptr()), $calendar, $from, $seconds);
    }

    /** The offset from UTC (seconds east) of a calendar of the engine's policy at $at. */
    public function calendarUtcOffset(string $calendar, DateTimeInterface|int $at): int
    {
        return Policy::utcOffset(Native::ffi()->itsm_engine_policy($this->ptr()), $calendar, $at);
    }

    /** The group the routing table of the engine's policy gives; null when no rule matches. */
    public function route(?string $category = null, ?string $service = null): ?string
    {
        return Native::ffi()->itsm_policy_route(Native::ffi()->itsm_engine_policy($this->ptr()),
            Convert::strOrNull($category, 'category'), Convert::strOrNull($service, 'service'));
    }

    // ---- problems and knowledge --------------------------------------------------------

    /** Incidents on (service, category) opened within the recurrence window before $at (null: now). */
    public function recurrence(string $service, string $category, DateTimeInterface|int|null $at = null): int
    {
        $ffi = Native::ffi();
        $t = $at === null ? Convert::time($this->now()) : Convert::time($at, 'at');
        $n = $ffi->new('size_t');
        $p = $this->ptr();
        $this->check($ffi->itsm_problem_recurrence(FFI::addr($n), $p, Convert::str($service, 'service'),
            Convert::str($category, 'category'), $t));
        return (int) $n->cdata;
    }

    /**
     * Search known errors and articles (and past incidents with $incidents,
     * which needs service and category), best first.
     */
    public function searchKnowledge(?string $words = null, ?string $service = null, ?string $category = null,
                                    bool $incidents = false, int $limit = 10): KnowledgeMatches
    {
        $ffi = Native::ffi();
        $q = $ffi->new('itsm_knowledge_query');
        $ffi->itsm_knowledge_query_init(FFI::addr($q), Native::ITSM_KNOWLEDGE_QUERY_VERSION);
        $keep = [];
        foreach (['words' => $words, 'service' => $service, 'category' => $category] as $member => $value) {
            if ($value !== null) {
                $keep[] = $buf = Native::buffer(Convert::str($value, $member));
                $q->$member = FFI::addr($buf[0]);
            }
        }
        $q->incidents = $incidents ? 1 : 0;
        $p = $this->ptr();
        return Knowledge::matches($this, $limit,
            fn ($out, $cap, $n) => $ffi->itsm_knowledge_search($out, $cap, $n, $p, FFI::addr($q)));
    }

    /** The record holding the known outage of $service; null if none. */
    public function outage(string $service): ?Record
    {
        $r = Native::ffi()->itsm_engine_outage($this->ptr(), Convert::str($service, 'service'));
        return $r === null ? null : $this->wrap($r);
    }

    /**
     * Every problem the engine proposed by the recurrence rule, in the order
     * made (Record::acceptProblemProposal() and dismissProblemProposal()
     * decide one).
     *
     * @return list<ProblemProposal>
     */
    public function problemProposals(): array
    {
        $out = [];
        $n = (int) Native::ffi()->itsm_engine_problem_proposal_count($this->ptr());
        for ($i = 0; $i < $n; $i++) {
            $out[] = Record::proposalAt($this, $i);
        }
        return $out;
    }

    // ---- alert intake (oncall.h) ----------------------------------------------------------

    /**
     * Take in one monitoring alert: [the incident, "opened" | "duplicate" |
     * "grouped"]. A repeat of $dedupKey whose incident is open attaches to
     * it; a new key whose $group (null: the incident's service) has an
     * incident an alert opened within the policy's window groups under it;
     * else $fields open a new incident (its escalation policy pages).
     *
     * @param array<string, mixed> $fields
     * @return array{Record, string}
     */
    public function ingestAlert(string $dedupKey, array $fields = [], ?string $group = null): array
    {
        $ffi = Native::ffi();
        $p = $this->ptr();
        $changes = new Changes($fields, $ffi->itsm_engine_policy($p));
        $a = $ffi->new('itsm_alert');
        $ffi->itsm_alert_init(FFI::addr($a), Native::ITSM_ALERT_VERSION);
        $key = Native::buffer(Convert::str($dedupKey, 'dedup key'));
        $a->dedup_key = Native::ptr($key);
        $grp = null;
        if ($group !== null) {
            $grp = Native::buffer(Convert::str($group, 'group'));
            $a->group = Native::ptr($grp);
        }
        $a->fields = $changes->pointer();
        $a->nfields = $changes->count;
        $out = $ffi->new('itsm_record*');
        $how = $ffi->new('itsm_alert_outcome');
        $this->check($ffi->itsm_alert_ingest(FFI::addr($out), FFI::addr($how), $p, FFI::addr($a)));
        $outcome = (int) $how->cdata;
        return [$this->wrap($out), Native::ALERT_OUTCOMES[$outcome] ?? (string) $outcome];
    }

    // ---- symbols and tamper evidence (engine.h, integrity.h) ----------------------------

    /**
     * Check $symbol as the engine would take it (a service, a group, an
     * actor...) and intern it once; returns it. InvalidArgument for an empty
     * or invalid symbol (control bytes, bad UTF-8), LimitExceeded over 255
     * bytes.
     */
    /**
     * A size hint (itsm_engine_reserve): room for $records more records and
     * $symbols more symbols made now, so that a bulk import or a log replay
     * does not grow the engine's tables step by step. Changes nothing else.
     * InvalidArgument for a negative count, LimitExceeded over 2^31,
     * OutOfMemory (part of the room may be made; the engine works on).
     */
    public function reserve(int $records = 0, int $symbols = 0): void
    {
        $this->check(Native::ffi()->itsm_engine_reserve($this->ptr(), Convert::size($records, 'records'),
            Convert::size($symbols, 'symbols')));
    }

    public function symbol(string $symbol): string
    {
        $ffi = Native::ffi();
        $out = $ffi->new('const char *[1]');
        $p = $this->ptr();
        $this->check($ffi->itsm_engine_symbol($p, Convert::str($symbol, 'symbol'), FFI::addr($out[0])));
        return (string) $out[0];
    }

    /**
     * The chain head of every record, for an external audit, as the
     * library's JSON ({"itsm_audit":1,"records":N,"digest":...,"heads":[...]},
     * integrity.h): keep it, or its digest, where the store's writers cannot
     * reach, and compare later. A "hash" is null when the engine keeps no
     * chain (its store does not give events back). Loading a store whose
     * events were edited by hand throws TamperedStore naming the first
     * broken link's record and revision.
     */
    public function auditJson(): string
    {
        [$rc, $json] = Native::writer('itsm_engine_audit_to_json', $this->ptr());
        $this->check($rc);
        return $json;
    }

    /** auditJson(), decoded. */
    public function audit(): array
    {
        return json_decode($this->auditJson(), true, 512, JSON_THROW_ON_ERROR);
    }

    // ---- policy candidates (whatif.h, migration.h; docs/whatif.md) ------------------------

    /**
     * The engine's stored events judged again under $candidate and compared
     * with its own run, open clocks judged as of $asOf (null: the latest
     * stored event), as the library's JSON (docs/whatif.md: "flips",
     * "to_breached", "slas", "groups", "durations", every flip in
     * "flip_list"). The engine is not changed. InvalidArgument for an engine
     * whose store cannot be scanned, PolicyError for findings in the
     * candidate, or the replay's error naming the side, record and revision.
     */
    public function whatifJson(Policy $candidate, DateTimeInterface|int|null $asOf = null): string
    {
        $ffi = Native::ffi();
        $opts = $ffi->new('itsm_whatif_opts');
        $ffi->itsm_whatif_opts_init(FFI::addr($opts), Native::ITSM_WHATIF_OPTS_VERSION);
        if ($asOf !== null) {
            $opts->as_of = Convert::time($asOf, 'asOf');
        }
        $out = $ffi->new('itsm_whatif*');
        $cand = $candidate->cdata();
        $this->check($ffi->itsm_whatif_new(FFI::addr($out), $this->ptr(), $cand, FFI::addr($opts)));
        try {
            // PHP_INT_MAX: every flip (the library lists at most as many as there are)
            [$rc, $json] = Native::writer('itsm_whatif_to_json', $out, PHP_INT_MAX);
            $this->check($rc);
            return $json;
        } finally {
            $ffi->itsm_whatif_free($out);
        }
    }

    /** whatifJson(), decoded. */
    public function whatif(Policy $candidate, DateTimeInterface|int|null $asOf = null): array
    {
        return json_decode($this->whatifJson($candidate, $asOf), true, 512, JSON_THROW_ON_ERROR);
    }

    /**
     * What adopting $candidate would do to the open records, as of the
     * engine's clock (migration.h), as the library's JSON: "records",
     * "findings", "counts" by kind and the "list" (state_removed,
     * guard_fails, timer_moves, ...). The engine is not changed; errors as
     * for whatifJson().
     */
    public function migrationCheckJson(Policy $candidate): string
    {
        $ffi = Native::ffi();
        $out = $ffi->new('itsm_migration*');
        $cand = $candidate->cdata();
        $this->check($ffi->itsm_engine_migration_check(FFI::addr($out), $this->ptr(), $cand));
        try {
            [$rc, $json] = Native::writer('itsm_migration_to_json', $out);
            $this->check($rc);
            return $json;
        } finally {
            $ffi->itsm_migration_free($out);
        }
    }

    /** migrationCheckJson(), decoded. */
    public function migrationCheck(Policy $candidate): array
    {
        return json_decode($this->migrationCheckJson($candidate), true, 512, JSON_THROW_ON_ERROR);
    }

    // ---- handovers (handover.h) ----------------------------------------------------------

    /**
     * Every proposed packet, in proposing order: the engine's own copies
     * (they keep the engine alive; read them, acknowledge or reject them).
     *
     * @return list<Packet>
     */
    public function handovers(): array
    {
        $ffi = Native::ffi();
        $p = $this->ptr();
        $out = [];
        $n = (int) $ffi->itsm_engine_handover_count($p);
        for ($i = 0; $i < $n; $i++) {
            $pkt = $ffi->new('itsm_packet*');
            $this->check($ffi->itsm_engine_handover_at(FFI::addr($pkt), $p, $i));
            $out[] = Packet::borrowed($this, $pkt);
        }
        return $out;
    }

    /** The engine's packet with handover number $seq; NotFound otherwise. */
    public function handover(int $seq): Packet
    {
        $ffi = Native::ffi();
        $pkt = $ffi->new('itsm_packet*');
        $p = $this->ptr();
        $this->check($ffi->itsm_engine_handover_find(FFI::addr($pkt), $p, Convert::uint32($seq, 'handover number')));
        return Packet::borrowed($this, $pkt);
    }

    /**
     * desk_to_major handovers accepted with checklist items missing.
     *
     * @return list<QualityEntry>
     */
    public function qualityLog(): array
    {
        $ffi = Native::ffi();
        $p = $this->ptr();
        $out = [];
        $n = (int) $ffi->itsm_quality_log_count($p);
        for ($i = 0; $i < $n; $i++) {
            $q = Native::result('itsm_quality_entry');
            $this->check($ffi->itsm_quality_log_at($p, $i, FFI::addr($q)));
            $missing = (string) $q->missing;
            $out[] = new QualityEntry((string) $q->record_id, $q->sender_group,
                Convert::fromC((int) $q->at) ?? new DateTimeImmutable('@0'), (int) $q->seq, (int) $q->score,
                $missing === '' ? [] : explode(' ', $missing));
        }
        return $out;
    }

    /**
     * The exception report of poor desk_to_major handovers acknowledged within
     * [$from, $to] (null: all time), as the library's JSON.
     */
    public function handoverReportJson(DateTimeInterface|int|null $from = null, DateTimeInterface|int|null $to = null): string
    {
        $ffi = Native::ffi();
        $f = $from === null ? Native::ITSM_TIME_MIN : Convert::time($from, 'from');
        $t = $to === null ? Native::ITSM_TIME_MAX : Convert::time($to, 'to');
        [$rc, $json] = Native::writer('itsm_handover_report_to_json', $this->ptr(), $f, $t);
        $this->check($rc);
        return $json;
    }

    /** handoverReportJson(), decoded. */
    public function handoverReport(DateTimeInterface|int|null $from = null, DateTimeInterface|int|null $to = null): array
    {
        return json_decode($this->handoverReportJson($from, $to), true, 512, JSON_THROW_ON_ERROR);
    }

    // ---- reports (report.h) -----------------------------------------------------------------

    /**
     * A report over [$from, $to) (null: all time) of the records of $kinds
     * (names, or their C values 1..5 as in the Python binding; null: every
     * kind; [] or a value of no kind is InvalidArgument), durations in working time
     * on $calendar (null: "24x7"), aging as of $now (null: the engine's
     * clock). $filter, a
     * condition (docs/conditions.md), keeps only the records it holds for
     * (ParseError naming the column otherwise); $groupBy, a field's name,
     * breaks the cohort down by its value (Report::groups(); NotFound for no
     * such field).
     *
     * @param list<string|int>|string|null $kinds
     */
    public function report(DateTimeInterface|int|null $from = null, DateTimeInterface|int|null $to = null,
                           DateTimeInterface|int|null $now = null, array|string|null $kinds = null,
                           ?string $calendar = null, ?string $filter = null, ?string $groupBy = null): Report
    {
        return Report::compute($this, $from, $to, $now, $kinds, $calendar, $filter, $groupBy);
    }

    // ---- post-incident reviews (review.h) -------------------------------------------

    /** How many review actions of the engine's reviews are open (not done), of those overdue and without an owner. */
    public function reviewActions(): ReviewActionCounts
    {
        $ffi = Native::ffi();
        $open = $ffi->new('size_t');
        $overdue = $ffi->new('size_t');
        $unowned = $ffi->new('size_t');
        $this->check($ffi->itsm_engine_review_actions($this->ptr(), FFI::addr($open), FFI::addr($overdue),
            FFI::addr($unowned)));
        return new ReviewActionCounts((int) $open->cdata, (int) $overdue->cdata, (int) $unowned->cdata);
    }
}
