<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use DateInterval;
use FFI;
use Itsm\Exception\InvalidArgument;
use Itsm\Packet;
use Itsm\ProblemRules;

/**
 * The policy calls of service levels, escalation, major incidents,
 * communication, problem rules and handover checklists.
 *
 * Durations are int seconds or a DateInterval of fixed length (see
 * Convert::seconds). Per-priority values are a list of five (priority 1
 * first) or a map priority => value.
 *
 * @internal part of Policy
 */
trait PolicyServices
{
    private const WEEKDAYS = ['mon' => 0, 'tue' => 1, 'wed' => 2, 'thu' => 3, 'fri' => 4, 'sat' => 5, 'sun' => 6];

    // ---- service levels (sla.h) ------------------------------------------------------

    /**
     * Add (or replace) a working-time calendar.
     *
     * @param array<int|string, mixed> $hours per weekday the working time, a span [start, end] ("09:00" or
     *   seconds from local midnight) or a list of spans (at most 8), or null for none: a list of seven
     *   (Monday first) or a map keyed 0..6 or "mon".."sun" (days left out have no working time)
     * @param int $utcOffset seconds east of UTC, when no $zone is given
     * @param list<string|\DateTimeInterface> $holidays local dates ("YYYY-MM-DD") or yearly rules
     *   ("Dec 25", "4th Thu Nov", "last Mon May")
     * @param \DateTimeZone|string|null $zone the zone, with daylight saving: a POSIX TZ rule
     *   ("CET-1CEST,M3.5.0,M10.5.0/3") or a DateTimeZone of an IANA zone (its current rule, see zoneRule())
     */
    public function setCalendar(string $name, array $hours, int $utcOffset = 0, array $holidays = [],
                                \DateTimeZone|string|null $zone = null): static
    {
        $ffi = Native::ffi();
        $d = $ffi->new('itsm_calendar_def');
        $ffi->itsm_calendar_def_init(FFI::addr($d), Native::ITSM_CALENDAR_DEF_VERSION);
        $keep = [$nameBuf = Native::buffer(Convert::str($name, 'calendar name'))];
        $d->name = FFI::addr($nameBuf[0]);
        $d->utc_offset = Convert::int32($utcOffset, 'UTC offset');
        if ($zone !== null) {
            $keep[] = $zoneBuf = Native::buffer(Convert::str($zone instanceof \DateTimeZone ? self::zoneRule($zone)
                : $zone, 'zone'));
            $d->zone = FFI::addr($zoneBuf[0]);
        }
        if (array_is_list($hours) && count($hours) !== 7) {
            throw new InvalidArgument('hours needs 7 entries, Monday first', Native::ITSM_EINVAL);
        }
        $spans = [];
        foreach ($hours as $day => $daySpans) {
            $i = is_int($day) ? $day : (self::WEEKDAYS[strtolower(substr($day, 0, 3))]
                ?? throw new InvalidArgument("unknown weekday '$day'", Native::ITSM_EINVAL));
            if ($i < 0 || $i > 6) {
                throw new InvalidArgument("weekday $i is not 0..6 (Monday = 0)", Native::ITSM_EINVAL);
            }
            if ($daySpans === null) {
                continue;
            }
            if (!is_array($daySpans)) {
                throw new \TypeError("the hours of weekday $i must be [start, end], a list of them, or null");
            }
            foreach (is_array($daySpans[0] ?? null) ? $daySpans : [$daySpans] as $span) {
                if (!is_array($span) || count($span) !== 2) {
                    throw new InvalidArgument("a span of weekday $i must be [start, end]", Native::ITSM_EINVAL);
                }
                $spans[] = [$i, self::daySeconds($span[0]), self::daySeconds($span[1])];
            }
        }
        if ($spans !== []) {
            $arr = $ffi->new('itsm_work_span[' . count($spans) . ']');
            foreach ($spans as $k => [$day, $start, $end]) {
                $arr[$k]->day = $day;
                $arr[$k]->start = $start;
                $arr[$k]->end = $end;
            }
            $keep[] = $arr;
            $d->spans = FFI::addr($arr[0]);
            $d->nspans = count($spans);
        }
        [$holidayArr, $n, $holidayKeep] = self::strings(array_map(
            fn ($h) => $h instanceof \DateTimeInterface ? $h->format('Y-m-d') : $h, $holidays), 'holiday');
        $d->holidays = $holidayArr;
        $d->nholidays = $n;
        $this->checkRc($ffi->itsm_policy_set_calendar($this->cdata(), FFI::addr($d)));
        return $this;
    }

    /**
     * The current POSIX TZ rule of an IANA zone ("Europe/Paris" gives
     * "CET-1CEST,M3.5.0,M10.5.0/3"), read from the system's zoneinfo
     * file (tzdata) by the library's TZif reader. Only the current rule
     * applies to every year; historical rules are not. NotFound when there
     * is no such file or it has no rule; ParseError when it is not TZif v2+.
     */
    public static function zoneRule(\DateTimeZone|string $zone, string $zoneinfo = '/usr/share/zoneinfo'): string
    {
        $name = $zone instanceof \DateTimeZone ? $zone->getName() : $zone;
        if (!preg_match('#^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$#', $name)) {
            throw new InvalidArgument("'$name' is not an IANA zone name (a fixed offset has no zoneinfo file; "
                . 'give utcOffset instead)', Native::ITSM_EINVAL);
        }
        $file = "$zoneinfo/$name";
        $bytes = is_file($file) && is_readable($file) ? file_get_contents($file) : false;
        if ($bytes === false) {
            throw new \Itsm\Exception\NotFound("no zoneinfo file for '$name' in $zoneinfo (Debian: tzdata)",
                Native::ITSM_ENOTFOUND);
        }
        $ffi = Native::ffi();
        $out = $ffi->new('char[128]');
        $rc = $ffi->itsm_zone_from_tzif($out, 128, $bytes, strlen($bytes));
        if ($rc !== Native::ITSM_OK) {
            throw \Itsm\Exception\ItsmException::fromCode($rc, $rc === Native::ITSM_ENOTFOUND
                ? "the zoneinfo file of '$name' has no rule" : "the zoneinfo file of '$name' cannot be used");
        }
        return FFI::string($out);
    }

    private static function daySeconds(string|int $v): int
    {
        if (is_int($v)) {
            return Convert::int32($v, 'time of day');
        }
        if (!preg_match('/^(\d{1,2}):(\d{2})(?::(\d{2}))?$/', $v, $m)) {
            throw new InvalidArgument("bad time of day '$v' (want HH:MM)", Native::ITSM_EINVAL);
        }
        return (int) $m[1] * 3600 + (int) $m[2] * 60 + (int) ($m[3] ?? 0);
    }

    /**
     * Add or replace an SLA: per priority a response and a resolution target
     * (working seconds; null or 0: none) and a calendar (one name for all,
     * per priority, or null: "24x7").
     *
     * @param array<int, DateInterval|int|null> $response
     * @param array<int, DateInterval|int|null> $resolution
     * @param string|array<int, string|null>|null $calendar
     */
    public function setSla(string $name, array $response = [], array $resolution = [],
                           string|array|null $calendar = null): static
    {
        $ffi = Native::ffi();
        $d = $ffi->new('itsm_sla_def');
        $ffi->itsm_sla_def_init(FFI::addr($d), Native::ITSM_SLA_DEF_VERSION);
        $keep = [$nameBuf = Native::buffer(Convert::str($name, 'SLA name'))];
        $d->name = FFI::addr($nameBuf[0]);
        foreach (self::byPriority($response, 'response') as $i => $v) {
            $d->response[$i] = Convert::u32($v, 'response');
        }
        foreach (self::byPriority($resolution, 'resolution') as $i => $v) {
            $d->resolution[$i] = Convert::u32($v, 'resolution');
        }
        $cals = is_array($calendar) ? self::byPriority($calendar, 'calendar') : array_fill(0, 5, $calendar);
        foreach ($cals as $i => $c) {
            if ($c !== null) {
                $keep[] = $buf = Native::buffer(Convert::str($c, 'calendar'));
                $d->calendar[$i] = FFI::addr($buf[0]);
            }
        }
        $this->checkRc($ffi->itsm_policy_set_sla($this->cdata(), FFI::addr($d)));
        return $this;
    }

    /**
     * @param array<int, mixed> $values a list of five or a map priority (1..5) => value
     * @return array<int, mixed> index 0..4
     */
    private static function byPriority(array $values, string $what): array
    {
        if ($values === []) {
            return array_fill(0, 5, null);
        }
        if (array_is_list($values)) {
            if (count($values) !== 5) {
                throw new InvalidArgument("$what needs 5 values (priorities 1..5) or a map priority => value",
                    Native::ITSM_EINVAL);
            }
            return $values;
        }
        $out = array_fill(0, 5, null);
        foreach ($values as $prio => $v) {
            if (!is_int($prio) || $prio < 1 || $prio > 5) {
                throw new InvalidArgument("$what: priority $prio is not 1..5", Native::ITSM_EINVAL);
            }
            $out[$prio - 1] = $v;
        }
        return $out;
    }

    /** The SLA of records whose service has no mapping. */
    public function setDefaultSla(string $sla): static
    {
        $this->checkRc(Native::ffi()->itsm_policy_set_default_sla($this->cdata(), Convert::str($sla, 'SLA name')));
        return $this;
    }

    /** Records on $service get $sla (null removes the mapping). */
    public function setServiceSla(string $service, ?string $sla): static
    {
        $this->checkRc(Native::ffi()->itsm_policy_set_service_sla($this->cdata(), Convert::str($service, 'service'),
            Convert::strOrNull($sla, 'SLA name')));
        return $this;
    }

    /** The OLA target for the time $group holds a record (0 or null removes it). */
    public function setOla(string $group, DateInterval|int|null $target, ?string $calendar = null): static
    {
        $this->checkRc(Native::ffi()->itsm_policy_set_ola($this->cdata(), Convert::str($group, 'group'),
            Convert::u32($target, 'OLA target'), Convert::strOrNull($calendar, 'calendar')));
        return $this;
    }

    /**
     * While hold_reason is $reason the named timers ("response",
     * "resolution", "ola") stop; [] removes the rule.
     *
     * @param list<string> $timers
     */
    public function setPause(string $reason, array $timers = ['resolution']): static
    {
        $mask = 0;
        foreach ($timers as $t) {
            if (!isset(Native::TIMERS[$t])) {
                throw new InvalidArgument("unknown timer '$t'", Native::ITSM_EINVAL);
            }
            $mask |= 1 << Native::TIMERS[$t];
        }
        $this->checkRc(Native::ffi()->itsm_policy_set_pause($this->cdata(), Convert::str($reason, 'reason'), $mask));
        return $this;
    }

    /**
     * Warnings at these fractions of each target, in permille (ascending,
     * 1..999, at most 8); [] for none.
     *
     * @param list<int> $permille
     */
    public function setWarnings(array $permille): static
    {
        $ffi = Native::ffi();
        $n = count($permille);
        $arr = $ffi->new('unsigned[' . max($n, 1) . ']');
        foreach (array_values($permille) as $i => $v) {
            $arr[$i] = Convert::unsigned($v, 'warning');
        }
        $this->checkRc($ffi->itsm_policy_set_warnings($this->cdata(), $n > 0 ? FFI::addr($arr[0]) : null, $n));
        return $this;
    }

    /**
     * The states that stop the resolution clock and start auto-close (at most 8).
     *
     * @param list<string> $states
     */
    public function setSlaStopStates(array $states): static
    {
        [$arr, $n, $keep] = self::strings($states, 'state');
        $this->checkRc(Native::ffi()->itsm_policy_set_sla_stop_states($this->cdata(), $arr, $n));
        return $this;
    }

    /**
     * @param list<string> $values
     * @return array{?\FFI\CData, int, list<\FFI\CData>} a const char *const * (null when empty), its length, keep-alive
     */
    private static function strings(array $values, string $what): array
    {
        $n = count($values);
        $arr = Native::ffi()->new('const char *[' . max($n, 1) . ']');
        $keep = [$arr];
        foreach (array_values($values) as $i => $v) {
            $keep[] = $buf = Native::buffer(Convert::str($v, $what));
            $arr[$i] = FFI::addr($buf[0]);
        }
        return [$n > 0 ? FFI::addr($arr[0]) : null, $n, $keep];
    }

    // ---- escalation and major incidents (escalation.h) ------------------------------------

    /** Records of $category on $service (null: any) go to $group. */
    public function addRoute(string $group, ?string $category = null, ?string $service = null): static
    {
        $this->checkRc(Native::ffi()->itsm_policy_add_route($this->cdata(), Convert::strOrNull($category, 'category'),
            Convert::strOrNull($service, 'service'), Convert::str($group, 'group')));
        return $this;
    }

    /** The group the routing table gives; null when no rule matches. */
    public function route(?string $category = null, ?string $service = null): ?string
    {
        return Native::ffi()->itsm_policy_route($this->cdata(), Convert::strOrNull($category, 'category'),
            Convert::strOrNull($service, 'service'));
    }

    /**
     * The hierarchical escalation ladder: 1..9 role names, lowest first.
     *
     * @param list<string> $roles
     */
    public function setLadder(array $roles, bool $climbOnBreach = true, bool $climbOnWarning = false): static
    {
        [$arr, $n, $keep] = self::strings($roles, 'role');
        $this->checkRc(Native::ffi()->itsm_policy_set_ladder($this->cdata(), $arr, $n, $climbOnBreach ? 1 : 0,
            $climbOnWarning ? 1 : 0));
        return $this;
    }

    /** Whether an OLA breach also climbs a hierarchical step (default on). */
    public function setOlaClimb(bool $climbOnOlaBreach): static
    {
        $this->checkRc(Native::ffi()->itsm_policy_set_ola_climb($this->cdata(), $climbOnOlaBreach ? 1 : 0));
        return $this;
    }

    /**
     * Major-incident rules: propose at priority <= $proposeAtPriority (0:
     * never) or with $breadthThreshold open incidents on one service (0:
     * off); the initial-phase deadlines after acceptance.
     */
    public function setMajor(int $proposeAtPriority = 1, int $breadthThreshold = 10,
                             DateInterval|int $communicationDue = 900, DateInterval|int $groupsDue = 900): static
    {
        $ffi = Native::ffi();
        $m = $ffi->new('itsm_major_policy');
        $m->version = Native::ITSM_MAJOR_POLICY_VERSION;
        $m->propose_at_priority = Convert::int($proposeAtPriority, 'propose-at priority');
        $m->breadth_threshold = Convert::u32($breadthThreshold, 'breadth threshold');
        $m->communication_due = Convert::u32($communicationDue, 'communication due');
        $m->groups_due = Convert::u32($groupsDue, 'groups due');
        $this->checkRc($ffi->itsm_policy_set_major($this->cdata(), FFI::addr($m)));
        return $this;
    }

    // ---- communication and closure (communication.h) ------------------------------------

    /**
     * Customer-update cadence per priority (working seconds); priorities up to
     * $broadcastMaxPriority broadcast to the service.
     *
     * @param array<int, DateInterval|int> $cadence
     */
    public function setCadence(array $cadence, int $broadcastMaxPriority = 2): static
    {
        $ffi = Native::ffi();
        $arr = $ffi->new('uint32_t[5]');
        foreach (self::byPriority($cadence, 'cadence') as $i => $v) {
            $arr[$i] = Convert::u32($v, 'cadence');
        }
        $this->checkRc($ffi->itsm_policy_set_cadence($this->cdata(), FFI::addr($arr[0]),
            Convert::int($broadcastMaxPriority, 'broadcast max priority')));
        return $this;
    }

    /** Auto-close period (wall seconds; 0: off), survey rate in permille, knowledge candidates on/off. */
    public function setClosure(DateInterval|int $autoCloseAfter = 259200, int $surveyPermille = 100,
                               bool $knowledgeCandidate = true): static
    {
        $this->checkRc(Native::ffi()->itsm_policy_set_closure($this->cdata(),
            Convert::u32($autoCloseAfter, 'auto-close period'), Convert::unsigned($surveyPermille, 'survey permille'),
            $knowledgeCandidate ? 1 : 0));
        return $this;
    }

    // ---- satisfaction (satisfaction.h) -------------------------------------------------------

    /** @return array{int, int} [min, max]: the whole scores a survey answer may give */
    public function surveyScale(): array
    {
        $ffi = Native::ffi();
        $s = $ffi->new('itsm_survey_scale');
        $this->checkRc($ffi->itsm_survey_scale_init(FFI::addr($s), Native::ITSM_SURVEY_SCALE_VERSION));
        $this->checkRc($ffi->itsm_policy_survey_scale(FFI::addr($s), $this->cdata()));
        return [(int) $s->min, (int) $s->max];
    }

    /** The survey scale: whole scores 0 <= $min < $max <= 10 (PolicyError otherwise). */
    public function setSurveyScale(int $min, int $max): static
    {
        $ffi = Native::ffi();
        $s = $ffi->new('itsm_survey_scale');
        $this->checkRc($ffi->itsm_survey_scale_init(FFI::addr($s), Native::ITSM_SURVEY_SCALE_VERSION));
        $s->min = Convert::int($min, 'survey scale min');
        $s->max = Convert::int($max, 'survey scale max');
        $this->checkRc($ffi->itsm_policy_set_survey_scale($this->cdata(), FFI::addr($s)));
        return $this;
    }

    // ---- problem rules (problem.h) ---------------------------------------------------------

    public function problemRules(): ProblemRules
    {
        $ffi = Native::ffi();
        $r = $ffi->new('itsm_problem_rules');
        $ffi->itsm_problem_rules_init(FFI::addr($r), Native::ITSM_PROBLEM_RULES_VERSION);
        $this->checkRc($ffi->itsm_policy_problem_rules(FFI::addr($r), $this->cdata()));
        return new ProblemRules((int) $r->recurrence_count, (int) $r->recurrence_window, (bool) $r->major_review,
            (bool) $r->recurrence_ci, (bool) $r->recurrence_push);
    }

    /** Change some of the problem rules; the others stay. */
    public function setProblemRules(?int $recurrenceCount = null, DateInterval|int|null $recurrenceWindow = null,
                                    ?bool $majorReview = null, ?bool $recurrenceCi = null,
                                    ?bool $recurrencePush = null): static
    {
        $ffi = Native::ffi();
        $r = $ffi->new('itsm_problem_rules');
        $ffi->itsm_problem_rules_init(FFI::addr($r), Native::ITSM_PROBLEM_RULES_VERSION);
        $this->checkRc($ffi->itsm_policy_problem_rules(FFI::addr($r), $this->cdata()));
        if ($recurrenceCount !== null) {
            $r->recurrence_count = Convert::int($recurrenceCount, 'recurrence count');
        }
        if ($recurrenceWindow !== null) {
            $r->recurrence_window = Convert::seconds($recurrenceWindow, 'recurrence window');
        }
        foreach (['major_review' => $majorReview, 'recurrence_ci' => $recurrenceCi,
                  'recurrence_push' => $recurrencePush] as $member => $flag) {
            if ($flag !== null) {
                $r->$member = $flag ? 1 : 0;
            }
        }
        $this->checkRc($ffi->itsm_policy_set_problem_rules($this->cdata(), FFI::addr($r)));
        return $this;
    }

    // ---- on-call escalation (oncall.h) ---------------------------------------------------------

    /**
     * Add an escalation policy: $steps are [targets, acknowledge timeout in
     * minutes] pairs, paged in order and climbed again $repeat more times;
     * it takes incidents of $services ([]: any) at $maxPriority or higher.
     * InvalidArgument for a bad definition, AlreadyExists for a name taken.
     *
     * @param list<array{list<string>, int}> $steps
     * @param list<string> $services
     */
    public function addOncall(string $name, array $steps, int $repeat = 0, array $services = [],
                              int $maxPriority = 5): static
    {
        $ffi = Native::ffi();
        $n = count($steps);
        $st = $ffi->new('itsm_oncall_step[' . max($n, 1) . ']');
        $keep = [];
        foreach (array_values($steps) as $i => [$targets, $minutes]) {
            [$st[$i]->targets, $st[$i]->ntargets, $keep[]] = self::strings($targets, 'target');
            $st[$i]->ack_timeout = self::minutes($minutes, 'acknowledge timeout');
        }
        $d = $ffi->new('itsm_oncall_def');
        $this->checkRc($ffi->itsm_oncall_def_init(FFI::addr($d), Native::ITSM_ONCALL_DEF_VERSION));
        $keep[] = $b = Native::buffer(Convert::str($name, 'name'));
        $d->name = Native::ptr($b);
        $d->steps = $n > 0 ? FFI::addr($st[0]) : null;
        $d->nsteps = $n;
        $d->repeat = self::minutes($repeat, 'repeat');
        [$d->services, $d->nservices, $keep[]] = self::strings($services, 'service');
        $d->max_priority = Convert::int($maxPriority, 'max priority');
        $this->checkRc($ffi->itsm_policy_add_oncall($this->cdata(), FFI::addr($d)));
        unset($keep);
        return $this;
    }

    /** Group a new alert key under its group's incident opened within $minutes (0..1440; 0: no grouping). */
    public function setAlertWindow(int $minutes): static
    {
        $this->checkRc(Native::ffi()->itsm_policy_set_alert_window($this->cdata(), self::minutes($minutes, 'alert window')));
        return $this;
    }

    private static function minutes(mixed $v, string $what): int
    {
        return Convert::unsigned($v, "$what (minutes)");
    }

    // ---- handover checklists (handover.h) -----------------------------------------------------

    /**
     * The checklist of a packet kind: item names, as a list or space-separated.
     *
     * @param list<string>|string $items
     */
    public function setHandoverChecklist(string $kind, array|string $items): static
    {
        $text = is_string($items) ? $items : implode(' ', $items);
        $this->checkRc(Native::ffi()->itsm_policy_set_handover_checklist($this->cdata(), Packet::kindCode($kind),
            Convert::str($text, 'items')));
        return $this;
    }

    /** @return list<string> the checklist item names of a packet kind */
    public function handoverChecklist(string $kind): array
    {
        [$rc, $text] = Native::writer('itsm_policy_handover_checklist', $this->cdata(),
            Packet::kindCode($kind));
        $this->checkRc($rc);
        return $text === '' ? [] : explode(' ', $text);
    }
}
