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
 * A report over a period (report.h): volume, durations, process figures,
 * SLA compliance, handover completeness, aging and trends, computed once by
 * Engine::report(). It keeps nothing of the engine: it stays valid, and
 * the same, after the engine changes or closes. close() frees it now,
 * __destruct otherwise. Durations are seconds.
 */
final class Report
{
    public const MEASURES = ['respond_wall', 'respond_work', 'resolve_wall', 'resolve_work', 'approval_wall',
                              'approval_work'];

    private ?CData $ptr;

    private function __construct(CData $ptr)
    {
        $this->ptr = $ptr;
    }

    /**
     * A kind of report(kinds:): its name, or its C value as the Python
     * binding takes it. A value of no kind is InvalidArgument: its bit would
     * select nothing, or fall off the 32 bits and select every kind.
     *
     * @throws \TypeError for anything but a string or an int
     */
    private static function kindOf(mixed $kind): int
    {
        if (is_string($kind)) {
            return Engine::kindCode($kind);
        }
        if (is_int($kind)) {
            $known = Engine::kinds();
            if ($kind < 1 || $kind > count($known)) {
                throw new InvalidArgument("kinds: $kind is no record kind (one of: " . implode(', ', $known)
                    . ', or 1..' . count($known) . ')', Native::ITSM_EINVAL);
            }
            return $kind;
        }
        // Another type is a TypeError, as in the Python binding and as PHP gives for a wrong argument type.
        throw new \TypeError("report(): kinds holds a name such as 'incident' or its value 1.."
            . count(Engine::kinds()) . ', not ' . get_debug_type($kind));
    }

    /**
     * @internal see Engine::report()
     * @param list<string|int>|string|null $kinds
     */
    public static function compute(Engine $engine, DateTimeInterface|int|null $from, DateTimeInterface|int|null $to,
                                   DateTimeInterface|int|null $now, array|string|null $kinds,
                                   ?string $calendar, ?string $filter = null, ?string $groupBy = null): self
    {
        $ffi = Native::ffi();
        $o = $ffi->new('itsm_report_opts');
        $ffi->itsm_report_opts_init(FFI::addr($o), Native::ITSM_REPORT_OPTS_VERSION);
        if ($from !== null) {
            $o->from = Convert::time($from, 'from');
        }
        if ($to !== null) {
            $o->to = Convert::time($to, 'to');
        }
        if ($now !== null) {
            $o->now = Convert::time($now, 'now');
        }
        if ($kinds !== null) {
            if ($kinds === []) {    // the C 0 means every kind: not what an empty selection says
                throw new InvalidArgument('kinds is empty: give null for every kind', Native::ITSM_EINVAL);
            }
            $bits = 0;
            foreach (is_string($kinds) ? [$kinds] : $kinds as $k) {
                $bits |= 1 << self::kindOf($k);
            }
            $o->kinds = $bits;
        }
        $cal = null;
        if ($calendar !== null) {
            $cal = Native::buffer(Convert::str($calendar, 'calendar'));
            $o->calendar = FFI::addr($cal[0]);
        }
        $keep = [];
        if ($filter !== null) {
            $keep[] = $b = Native::buffer(Convert::str($filter, 'filter'));
            $o->filter = Native::ptr($b);
        }
        if ($groupBy !== null) {
            $keep[] = $b = Native::buffer(Convert::str($groupBy, 'group_by'));
            $o->group_by = Native::ptr($b);
        }
        $out = $ffi->new('itsm_report*');
        $p = $engine->ptr();
        $rc = $ffi->itsm_report_new(FFI::addr($out), $p, FFI::addr($o));
        try {
            $engine->check($rc);
        } catch (\Throwable $e) {
            if (!FFI::isNull($out)) {       // made, but a callback threw meanwhile
                $ffi->itsm_report_free($out);
            }
            throw $e;
        }
        return new self($out);
    }

    public function close(): void
    {
        if ($this->ptr !== null) {
            Native::ffi()->itsm_report_free($this->ptr);
            $this->ptr = null;
        }
    }

    public function __destruct()
    {
        $this->close();
    }

    private function p(): CData
    {
        return $this->ptr ?? throw new StateError('report is closed');
    }

    private static function ok(int $rc): void
    {
        if ($rc !== Native::ITSM_OK) {
            throw ItsmException::fromCode($rc);
        }
    }

    // ---- the period -----------------------------------------------------------------

    public function from(): DateTimeImmutable
    {
        return Convert::fromC((int) Native::ffi()->itsm_report_from($this->p())) ?? new DateTimeImmutable('@0');
    }

    public function to(): DateTimeImmutable
    {
        return Convert::fromC((int) Native::ffi()->itsm_report_to($this->p())) ?? new DateTimeImmutable('@0');
    }

    /** The aging reference. */
    public function now(): DateTimeImmutable
    {
        return Convert::fromC((int) Native::ffi()->itsm_report_now($this->p())) ?? new DateTimeImmutable('@0');
    }

    public function calendar(): string
    {
        return (string) Native::ffi()->itsm_report_calendar($this->p());
    }

    // ---- volume ---------------------------------------------------------------------

    /** Cohort records: those of the selected kinds opened in the period. */
    public function total(): int
    {
        return (int) Native::ffi()->itsm_report_total($this->p());
    }

    /** @return array<string, int> kind => cohort records */
    public function byKind(): array
    {
        $p = $this->p();
        $out = [];
        foreach (Engine::kinds() as $kind) {
            $out[$kind] = (int) Native::ffi()->itsm_report_by_kind($p, Engine::kindCode($kind));
        }
        return $out;
    }

    /** @return array<int, int> priority (0: none, 1..5) => cohort records */
    public function byPriority(): array
    {
        $p = $this->p();
        $out = [];
        for ($prio = 0; $prio <= 5; $prio++) {
            $out[$prio] = (int) Native::ffi()->itsm_report_by_priority($p, $prio);
        }
        return $out;
    }

    /** @return array<string, array<string, int>> kind => state => cohort records */
    public function byState(): array
    {
        $ffi = Native::ffi();
        $p = $this->p();
        $out = [];
        $n = (int) $ffi->itsm_report_state_count($p);
        for ($i = 0; $i < $n; $i++) {
            $r = Native::result('itsm_report_row');
            self::ok($ffi->itsm_report_state_at($p, $i, FFI::addr($r)));
            $out[(string) $ffi->itsm_kind_name($r->kind)][(string) $r->name] = (int) $r->count;
        }
        return $out;
    }

    /** @return array<string, int> category ("" for records with none) => cohort records */
    public function byCategory(): array
    {
        $ffi = Native::ffi();
        $p = $this->p();
        $out = [];
        $n = (int) $ffi->itsm_report_category_count($p);
        for ($i = 0; $i < $n; $i++) {
            $r = Native::result('itsm_report_row');
            self::ok($ffi->itsm_report_category_at($p, $i, FFI::addr($r)));
            $out[(string) $r->name] = (int) $r->count;
        }
        return $out;
    }

    // ---- durations and figures -------------------------------------------------------------

    /** "respond_wall", "respond_work", "resolve_wall", "resolve_work", "approval_wall" or "approval_work". */
    public function duration(string $measure): DurationStat
    {
        $m = array_search($measure, self::MEASURES, true);
        if ($m === false) {
            throw new InvalidArgument("unknown measure '$measure' (one of: " . implode(', ', self::MEASURES) . ')',
                Native::ITSM_EINVAL);
        }
        $ffi = Native::ffi();
        $s = Native::result('itsm_report_stat');
        self::ok($ffi->itsm_report_duration(FFI::addr($s), $this->p(), $m));
        return new DurationStat((int) $s->count, (float) $s->mean, (int) $s->min, (int) $s->max, (int) $s->p50,
            (int) $s->p90, (int) $s->p95, (int) $s->p99);
    }

    /** @return array<string, DurationStat> every measure */
    public function durations(): array
    {
        $out = [];
        foreach (self::MEASURES as $m) {
            $out[$m] = $this->duration($m);
        }
        return $out;
    }

    public function figures(): ReportFigures
    {
        $ffi = Native::ffi();
        $f = Native::result('itsm_report_figures');
        self::ok($ffi->itsm_report_figures_of(FFI::addr($f), $this->p()));
        return new ReportFigures((int) $f->resolved, (int) $f->first_contact, (float) $f->first_contact_rate,
            (int) $f->reassignments, (int) $f->reassigned_records, (int) $f->ever_resolved,
            (int) $f->reopened_records, (int) $f->reopens, (float) $f->reopen_rate);
    }

    /**
     * Process figures read from the records' history in the engine's store
     * (its scan): null when the store gave none (no store, or one without
     * scan).
     */
    public function process(): ?ProcessFigures
    {
        $ffi = Native::ffi();
        $p = $this->p();
        if ($ffi->itsm_report_process_available($p) === 0) {
            return null;
        }
        $f = Native::result('itsm_report_process');
        self::ok($ffi->itsm_report_process_of(FFI::addr($f), $p));
        return new ProcessFigures((int) $f->completed, (int) $f->stayed_first_line,
            (int) $f->functional_escalations, (int) $f->escalated_records, (int) $f->group_changes,
            (int) $f->ping_pong_records, (int) $f->ping_pong_returns);
    }

    /** SLA compliance of the cohort's resolution timers. */
    public function sla(): SlaFigures
    {
        $ffi = Native::ffi();
        $p = $this->p();
        $s = Native::result('itsm_report_sla_figures');
        self::ok($ffi->itsm_report_sla(FFI::addr($s), $p));
        return new SlaFigures((int) $s->tracked, (int) $s->met, (int) $s->breached, (float) $s->compliance);
    }

    /**
     * Handover completeness by sending group.
     *
     * @return list<SenderFigures>
     */
    public function senders(): array
    {
        $ffi = Native::ffi();
        $p = $this->p();
        $out = [];
        $n = (int) $ffi->itsm_report_sender_count($p);
        for ($i = 0; $i < $n; $i++) {
            $s = Native::result('itsm_report_sender');
            self::ok($ffi->itsm_report_sender_at($p, $i, FFI::addr($s)));
            $out[] = new SenderFigures($s->sender_group, (int) $s->packets, (float) $s->mean_score, (int) $s->complete);
        }
        return $out;
    }

    /** @return array<int, int> bucket lower bound in seconds (0, 1 day, 3, 7, 30 days) => open records */
    public function aging(): array
    {
        $ffi = Native::ffi();
        $p = $this->p();
        $out = [];
        for ($b = 0; $b < Native::ITSM_REPORT_AGING_BUCKETS; $b++) {
            $out[(int) $ffi->itsm_report_aging_bound($b)] = (int) $ffi->itsm_report_aging($p, $b);
        }
        return $out;
    }

    /** @return list<Trend> */
    public function trends(): array
    {
        $ffi = Native::ffi();
        $p = $this->p();
        $out = [];
        $n = (int) $ffi->itsm_report_trend_count($p);
        for ($i = 0; $i < $n; $i++) {
            $t = Native::result('itsm_report_trend');
            self::ok($ffi->itsm_report_trend_at($p, $i, FFI::addr($t)));
            $out[] = new Trend(Convert::fromC((int) $t->week) ?? new DateTimeImmutable('@0'), $t->category,
                (int) $t->opened, (int) $t->resolved);
        }
        return $out;
    }

    // ---- filter and group-by ------------------------------------------------------------------

    /** The filter (a condition) the report was computed with; null: none. */
    public function filter(): ?string
    {
        return Native::ffi()->itsm_report_filter($this->p());
    }

    /** The field the cohort is broken down by (groups()); null: none. */
    public function groupBy(): ?string
    {
        return Native::ffi()->itsm_report_group_by($this->p());
    }

    /**
     * The cohort by the value of the group-by field: unset first, then
     * numbers by value, text by bytes ([] without group-by).
     *
     * @return list<ReportGroup>
     */
    public function groups(): array
    {
        $ffi = Native::ffi();
        $p = $this->p();
        $out = [];
        $n = (int) $ffi->itsm_report_group_count($p);
        for ($i = 0; $i < $n; $i++) {
            $g = Native::result('itsm_report_group');
            self::ok($ffi->itsm_report_group_at($p, $i, FFI::addr($g)));
            $out[] = new ReportGroup($g->value, (int) $g->count, (int) $g->resolved, (int) $g->met, (int) $g->breached);
        }
        return $out;
    }

    // ---- satisfaction and problem proposals -----------------------------------------------------

    /**
     * Survey answers over the period: one row for all, then by assignment
     * group, by service and by the week of closure.
     *
     * @return list<SurveyRow>
     */
    public function satisfaction(): array
    {
        $ffi = Native::ffi();
        $p = $this->p();
        $out = [];
        $n = (int) $ffi->itsm_report_survey_count($p);
        for ($i = 0; $i < $n; $i++) {
            $s = Native::result('itsm_report_survey');
            self::ok($ffi->itsm_report_survey_at($p, $i, FFI::addr($s)));
            $min = (int) $s->scale_min;
            $max = (int) $s->scale_max;
            $scores = [];
            for ($v = $min; $v <= $max && $v - $min < Native::ITSM_SURVEY_MAX_POINTS; $v++) {
                $scores[$v] = (int) $s->scores[$v - $min];
            }
            $by = (int) $s->by;
            $out[] = new SurveyRow($ffi->itsm_survey_dimension_name($by) ?? (string) $by, $s->name,
                Convert::fromC((int) $s->week), (int) $s->sent, (int) $s->answered, (float) $s->response_rate,
                (float) $s->mean_score, [$min, $max], $scores);
        }
        return $out;
    }

    /** The problems proposed by the recurrence rule in the period, and what became of them. */
    public function proposals(): ProposalFigures
    {
        $f = Native::result('itsm_report_proposals');
        self::ok(Native::ffi()->itsm_report_proposals_of(FFI::addr($f), $this->p()));
        return new ProposalFigures((int) $f->proposed, (int) $f->pending, (int) $f->accepted, (int) $f->dismissed,
            (int) $f->incidents);
    }

    // ---- writing -------------------------------------------------------------------------------

    /** The library's JSON form of the whole report. */
    public function toJson(): string
    {
        [$rc, $json] = Native::writer('itsm_report_to_json', $this->p());
        self::ok($rc);
        return $json;
    }

    /** RFC 4180 CSV (CRLF line ends): section,key,subkey,value. */
    public function toCsv(): string
    {
        [$rc, $csv] = Native::writer('itsm_report_to_csv', $this->p());
        self::ok($rc);
        return $csv;
    }

    /** toJson(), decoded. */
    public function data(): array
    {
        return json_decode($this->toJson(), true, 512, JSON_THROW_ON_ERROR);
    }
}
