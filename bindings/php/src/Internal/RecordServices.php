<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use DateTimeImmutable;
use DateTimeInterface;
use FFI;
use Itsm\Decision;
use Itsm\Exception\InvalidArgument;
use Itsm\KnowledgeMatches;
use Itsm\MajorDeadline;
use Itsm\Packet;
use Itsm\Reason;
use Itsm\Record;
use Itsm\Timer;

/**
 * The Record calls of service levels, escalation, major incidents,
 * communication, problems, knowledge and handovers (sla.h, escalation.h,
 * communication.h, problem.h, knowledge.h, handover.h).
 *
 * @internal part of Record
 */
trait RecordServices
{
    /** One mutating call on this record: fn(itsm_record *, ...$args). */
    private function mutate(string $fn, mixed ...$args): static
    {
        $p = $this->ptr();
        $this->engine->check(Native::ffi()->$fn($p, ...$args));
        return $this;
    }

    // ---- service-level timers (sla.h) --------------------------------------------

    /**
     * One timer ("response", "resolution", "ola", "next_update") as of $now
     * (null: the engine's clock).
     */
    public function timer(string $name = 'resolution', DateTimeInterface|int|null $now = null): Timer
    {
        if (!isset(Native::TIMERS[$name])) {
            throw new InvalidArgument("unknown timer '$name' (one of: " . implode(', ', array_keys(Native::TIMERS))
                . ')', Native::ITSM_EINVAL);
        }
        $ffi = Native::ffi();
        $t = $now === null ? Convert::time($this->engine->now()) : Convert::time($now, 'now');
        $info = Native::result('itsm_timer_info');
        $p = $this->ptr();
        $this->engine->check($ffi->itsm_record_timer(FFI::addr($info), $p, Native::TIMERS[$name], $t));
        return new Timer($name, Native::TIMER_STATUS[$info->status] ?? (string) $info->status,
            (bool) $info->breached, $info->target !== 0 ? (int) $info->target : null, (int) $info->elapsed,
            (int) $info->paused, Convert::fromC((int) $info->due), (int) $info->remaining, (int) $info->warnings,
            $info->calendar, Convert::fromC($t) ?? new DateTimeImmutable('@0'));
    }

    /** @return array<string, Timer> every timer by name, as of the engine's clock */
    public function timers(): array
    {
        $now = $this->engine->now();
        $out = [];
        foreach (array_keys(Native::TIMERS) as $name) {
            $out[$name] = $this->timer($name, $now);
        }
        return $out;
    }

    /** The SLA that applies (by override, service or default); null when untracked. */
    public function sla(): ?string
    {
        return Native::ffi()->itsm_record_sla($this->ptr());
    }

    /** Put the record on another SLA by hand (null: back to its service's). */
    public function setSla(?string $sla): static
    {
        return $this->mutate('itsm_record_set_sla', Convert::strOrNull($sla, 'SLA name'));
    }

    // ---- escalation (escalation.h) ------------------------------------------------

    /**
     * Functional escalation to the next level (or $level), handing the record
     * to $group (null: the routing table's, else the current group). $tried
     * says what was tried. LimitExceeded at level 3.
     */
    public function escalate(string $tried, int $level = 0, ?string $group = null): static
    {
        return $this->mutate('itsm_record_escalate', Convert::int($level, 'level'), Convert::strOrNull($group, 'group'),
            Convert::str($tried, 'tried'));
    }

    /**
     * Resolved at functional level 1 (or none) with no reassignment and never
     * reopened: a reopen says the first fix did not hold, and a record
     * resolved again stays without it.
     */
    public function firstContactResolution(): bool
    {
        return (bool) Native::ffi()->itsm_record_first_contact_resolution($this->ptr());
    }

    /**
     * Climb one rung of the management ladder, with a reason. LimitExceeded at
     * the top; StateError on a closed or resolved record (no work is owed to
     * escalate: reopen it first), the record unchanged.
     */
    public function escalateHierarchical(string $reason): static
    {
        return $this->mutate('itsm_record_escalate_hierarchical', Convert::str($reason, 'reason'));
    }

    /** The role of the current rung; null at level 0. */
    public function escalationAudience(): ?string
    {
        return Native::ffi()->itsm_record_escalation_audience($this->ptr());
    }

    // ---- major incidents ---------------------------------------------------------

    /** Propose this record as a major incident (AlreadyExists when proposed or accepted). */
    public function proposeMajor(string $reason): static
    {
        return $this->mutate('itsm_major_propose', Convert::str($reason, 'reason'));
    }

    /** The major incident manager's decision on the proposal. */
    public function decideMajor(bool $accept, string $manager): static
    {
        return $this->mutate('itsm_major_decide', $accept ? 1 : 0, Convert::str($manager, 'manager'));
    }

    /** Accept the proposal: the initial 15 minutes start. */
    public function acceptMajor(string $manager): static
    {
        return $this->decideMajor(true, $manager);
    }

    public function rejectMajor(string $manager): static
    {
        return $this->decideMajor(false, $manager);
    }

    /** Record that the initial communication went out. */
    public function communicationIssued(): static
    {
        return $this->mutate('itsm_major_communication_issued');
    }

    /** Record the technical resolving groups engaged (1..4 names). */
    public function engageGroups(string ...$groups): static
    {
        $ffi = Native::ffi();
        $n = count($groups);
        $keep = [];
        $arr = $ffi->new('const char *[' . max($n, 1) . ']');
        foreach (array_values($groups) as $i => $g) {
            $keep[] = $buf = Native::buffer(Convert::str($g, 'group'));
            $arr[$i] = FFI::addr($buf[0]);
        }
        return $this->mutate('itsm_major_engage_groups', FFI::addr($arr[0]), $n);
    }

    /** Attach a child (a Record or an id) to this accepted major incident. */
    public function attach(Record|string $child): static
    {
        $child = $this->sameEngine($child);
        return $this->mutate('itsm_major_attach', $child->ptr());
    }

    /** "none", "proposed", "accepted" or "rejected". */
    public function majorState(): string
    {
        return Native::MAJOR_STATES[Native::ffi()->itsm_record_major_state($this->ptr())] ?? 'none';
    }

    /** "none", "initial", "post" or "resolution". */
    public function majorPhase(): string
    {
        return Native::MAJOR_PHASES[Native::ffi()->itsm_record_major_phase($this->ptr())] ?? 'none';
    }

    /** A deadline of the initial phase ("communication" or "groups"); StateError unless accepted. */
    public function majorDeadline(string $which = 'communication'): MajorDeadline
    {
        $idx = ['communication' => 0, 'groups' => 1][$which]
            ?? throw new InvalidArgument("deadline must be 'communication' or 'groups', not '$which'",
                Native::ITSM_EINVAL);
        $ffi = Native::ffi();
        $due = $ffi->new('itsm_time');
        $done = $ffi->new('int');
        $missed = $ffi->new('int');
        $p = $this->ptr();
        $this->engine->check($ffi->itsm_record_major_deadline(FFI::addr($due), FFI::addr($done),
            FFI::addr($missed), $p, $idx));
        return new MajorDeadline($which, Convert::fromC((int) $due->cdata), (bool) $done->cdata,
            (bool) $missed->cdata);
    }

    // ---- communication and closure (communication.h) ---------------------------------

    /** Who customer updates reach: "broadcast", "callers", or null (no priority). */
    public function audience(): ?string
    {
        return Native::AUDIENCES[Native::ffi()->itsm_record_audience($this->ptr())] ?? null;
    }

    /**
     * Declare this record the known outage of its service. StateError unless
     * it is an open, unresolved incident (a service request reports no
     * outage), the record unchanged; AlreadyExists when the service has one.
     */
    public function declareOutage(DateTimeInterface|int $expectedRestoration, DateTimeInterface|int $nextUpdate): static
    {
        return $this->mutate('itsm_outage_declare', Convert::time($expectedRestoration, 'expected restoration'),
            Convert::time($nextUpdate, 'next update'));
    }

    public function endOutage(): static
    {
        return $this->mutate('itsm_outage_end');
    }

    /** In the satisfaction-survey sample (deterministic per record id). */
    public function surveySampled(): bool
    {
        return (bool) Native::ffi()->itsm_record_survey_sampled($this->ptr());
    }

    /** Resolved with no knowledge decision and no linked article. */
    public function knowledgeCandidate(): bool
    {
        return (bool) Native::ffi()->itsm_record_knowledge_candidate($this->ptr());
    }

    /** When the auto-close timer fires; null when it is not running. */
    public function autoCloseDue(): ?DateTimeImmutable
    {
        return Convert::fromC((int) Native::ffi()->itsm_record_auto_close_due($this->ptr()));
    }

    // ---- problems (problem.h) ------------------------------------------------------

    /**
     * The verdict for this finished incident. null takes an answer from the
     * record; $rootCauseNeeded is required when the cause is unknown.
     */
    public function decideProblem(?bool $causeKnown = null, ?bool $rootCauseNeeded = null,
                                  ?bool $fixNeedsChange = null): Decision
    {
        $answer = fn (?bool $v): int => $v === null ? Native::ITSM_ANSWER_FROM_RECORD
            : ($v ? Native::ITSM_ANSWER_YES : Native::ITSM_ANSWER_NO);
        $ffi = Native::ffi();
        $o = $ffi->new('itsm_decision_opts');
        $ffi->itsm_decision_opts_init(FFI::addr($o), Native::ITSM_DECISION_OPTS_VERSION);
        $o->cause_known = $answer($causeKnown);
        $o->root_cause_needed = $answer($rootCauseNeeded);
        $o->fix_needs_change = $answer($fixNeedsChange);
        $d = Native::result('itsm_decision');
        $p = $this->ptr();
        $this->engine->check($ffi->itsm_problem_decide(FFI::addr($d), $p, FFI::addr($o)));
        $reasons = [];
        for ($i = 0; $i < $d->nreasons; $i++) {
            $r = $d->reasons[$i];
            $reasons[] = new Reason($ffi->itsm_reason_name($r->code) ?? (string) $r->code, Native::chars($r->text));
        }
        return new Decision($ffi->itsm_verdict_name($d->verdict) ?? (string) $d->verdict,
            (bool) $d->problem_proposed, (int) $d->recurrence, $reasons);
    }

    /**
     * Open a problem record from this incident (linked both ways).
     *
     * @param array<string, mixed> $fields extra or overriding fields
     */
    public function openProblem(array $fields = [], ?string $id = null): Record
    {
        return $this->openFrom('itsm_problem_open_from_incident', $fields, $id);
    }

    /**
     * Open a change from this problem's known error (linked both ways).
     *
     * @param array<string, mixed> $fields
     */
    public function openChange(array $fields = [], ?string $id = null): Record
    {
        return $this->openFrom('itsm_change_open_from_problem', $fields, $id);
    }

    /** @param array<string, mixed> $fields */
    private function openFrom(string $fn, array $fields, ?string $id): Record
    {
        $ffi = Native::ffi();
        $changes = new Changes($fields, $this->policyPtr());
        $o = $ffi->new('itsm_problem_open_opts');
        $ffi->itsm_problem_open_opts_init(FFI::addr($o), Native::ITSM_PROBLEM_OPEN_OPTS_VERSION);
        $idBuf = null;
        if ($id !== null) {
            $idBuf = Native::buffer(Convert::str($id, 'id'));
            $o->id = FFI::addr($idBuf[0]);
        }
        $o->fields = $changes->pointer();
        $o->nfields = $changes->count;
        $out = $ffi->new('itsm_record*');
        $p = $this->ptr();
        $this->engine->check($ffi->$fn(FFI::addr($out), $p, FFI::addr($o)));
        return $this->engine->wrap($out);
    }

    /**
     * Close this problem: "fix_applied" (resolves it and resumes the incidents
     * waiting for it), or "risk_accepted", "duplicate", "canceled" (closes it
     * without a fix, $notes as the justification).
     */
    public function closeProblem(string $resolutionCode, string $notes): static
    {
        return $this->mutate('itsm_problem_close', Convert::str($resolutionCode, 'resolution code'),
            Convert::str($notes, 'notes'));
    }

    // ---- knowledge (knowledge.h) ------------------------------------------------------

    /** Known errors, articles and past incidents that match this record, best first. */
    public function diagnose(int $limit = 10): KnowledgeMatches
    {
        $p = $this->ptr();
        return Knowledge::matches($this->engine, $limit,
            fn ($out, $cap, $n) => Native::ffi()->itsm_diagnose($out, $cap, $n, $p));
    }

    /** Decide and set knowledge_decision ("linked", "matched" or "candidate"); returns it. */
    public function decideKnowledge(): string
    {
        $ffi = Native::ffi();
        $out = $ffi->new('const char *[1]');
        $p = $this->ptr();
        $this->engine->check($ffi->itsm_knowledge_decide(FFI::addr($out[0]), $p));
        return (string) $out[0];
    }

    // ---- handovers (handover.h) ---------------------------------------------------------

    /**
     * A handover packet of $kind ("shift", "desk_to_major", "to_problem",
     * "to_change", "to_operations") for this record, prefilled from its
     * fields and timeline. $content sets text slots on top ('receiver' =>
     * 'mim.lead'), and 'next_update' and 'contact_verified' too.
     *
     * @param array<string, mixed> $content
     */
    public function packet(string $kind, array $content = []): Packet
    {
        $pkt = Packet::forRecord($this, $kind);
        foreach ($content as $slot => $value) {
            match ($slot) {
                'next_update' => $pkt->setNextUpdate($value),
                'contact_verified' => $pkt->setContactVerified($value),
                default => $pkt->setText((string) $slot, $value),
            };
        }
        return $pkt;
    }
}
