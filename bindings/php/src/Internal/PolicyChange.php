<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use DateTimeInterface;
use FFI;
use Itsm\Engine;
use Itsm\Exception\InvalidArgument;

/**
 * The policy calls of approvals, the risk questionnaire and the change
 * schedule (approval.h, change.h): the rules Record::approve(),
 * answerRisk() and plan() work under. Each call copies what it is given;
 * a refused call leaves the policy as it was and throws with the policy's
 * message (InvalidArgument, AlreadyExists, LimitExceeded, NotFound).
 *
 * @internal part of Policy
 */
trait PolicyChange
{
    private const APPROVAL_MODES = ['any' => Native::ITSM_APPROVAL_ANY, 'all' => Native::ITSM_APPROVAL_ALL,
                                    'quorum' => Native::ITSM_APPROVAL_QUORUM];
    private const SEPARATION = ['requester' => Native::ITSM_APPROVAL_SOD_REQUESTER,
                                'implementer' => Native::ITSM_APPROVAL_SOD_IMPLEMENTER];

    // ---- approvals (approval.h) ----------------------------------------------------------

    /**
     * Add an approval rule after the others (the first that matches a
     * record applies): for records of $kind (and only these change types
     * and risk levels, when given; "none" is an unassessed record), a round
     * opens when the record enters $state (null: when it is opened), and
     * its levels are approved in order. No levels: the records need no
     * approval (a pre-authorized change).
     *
     * @param list<array{name: string, approvers?: list<string>, group?: ?string, mode?: string,
     *   quorum?: int, exception?: bool}> $levels mode "any" (the default), "all" or "quorum" (with
     *   quorum approvals); an exception level is not needed for "approved" and opens schedule exceptions
     * @param list<string> $changeTypes
     * @param list<string> $risks
     * @param list<string> $separation who may not approve: "requester", "implementer"
     */
    public function addApprovalRule(string $name, string $kind = 'change', array $levels = [],
                                    array $changeTypes = [], array $risks = [], ?string $state = null,
                                    array $separation = ['requester', 'implementer']): static
    {
        $ffi = Native::ffi();
        $def = $ffi->new('itsm_approval_rule_def');
        $this->checkRc($ffi->itsm_approval_rule_def_init(FFI::addr($def), Native::ITSM_APPROVAL_RULE_DEF_VERSION));
        $keep = [];
        $keep[] = $b = Native::buffer(Convert::str($name, 'name'));
        $def->name = Native::ptr($b);
        $def->kind = Engine::kindCode($kind);
        [$def->change_types, $def->nchange_types, $keep[]] = self::strings($changeTypes, 'change type');
        [$def->risks, $def->nrisks, $keep[]] = self::strings($risks, 'risk');
        if ($state !== null) {
            $keep[] = $b = Native::buffer(Convert::str($state, 'state'));
            $def->state = Native::ptr($b);
        }
        $bits = 0;
        foreach ($separation as $who) {
            $bits |= self::SEPARATION[$who] ?? throw new InvalidArgument(
                "separation of duties names 'requester' or 'implementer', not '$who'", Native::ITSM_EINVAL);
        }
        $def->separation = $bits;
        $n = count($levels);
        $arr = $ffi->new('itsm_approval_level_def[' . max($n, 1) . ']');
        foreach (array_values($levels) as $i => $level) {
            $l = $arr[$i];
            $this->checkRc($ffi->itsm_approval_level_def_init(FFI::addr($l), Native::ITSM_APPROVAL_LEVEL_DEF_VERSION));
            $keep[] = $b = Native::buffer(Convert::str((string) ($level['name'] ?? ''), 'level name'));
            $l->name = Native::ptr($b);
            [$l->people, $l->npeople, $keep[]] = self::strings($level['approvers'] ?? [], 'approver');
            if (($level['group'] ?? null) !== null) {
                $keep[] = $b = Native::buffer(Convert::str((string) $level['group'], 'group'));
                $l->group = Native::ptr($b);
            }
            $mode = $level['mode'] ?? 'any';
            $l->mode = self::APPROVAL_MODES[$mode] ?? throw new InvalidArgument(
                "an approval level's mode is 'any', 'all' or 'quorum', not '$mode'", Native::ITSM_EINVAL);
            $l->quorum = Convert::unsigned($level['quorum'] ?? 0, 'quorum');
            $l->exception = ($level['exception'] ?? false) ? 1 : 0;
        }
        $def->levels = $n > 0 ? FFI::addr($arr[0]) : null;
        $def->nlevels = $n;
        $this->checkRc($ffi->itsm_policy_add_approval_rule($this->cdata(), FFI::addr($def)));
        unset($keep);
        return $this;
    }

    /** Remove every approval rule (the approver groups stay). */
    public function clearApprovalRules(): static
    {
        $this->checkRc(Native::ffi()->itsm_policy_clear_approval_rules($this->cdata()));
        return $this;
    }

    /**
     * Define an approver group, or replace its members; [] removes it.
     *
     * @param list<string> $members
     */
    public function setApproverGroup(string $group, array $members): static
    {
        [$p, $n, $keep] = self::strings($members, 'member');
        $this->checkRc(Native::ffi()->itsm_policy_set_approver_group($this->cdata(), Convert::str($group, 'group'),
            $p, $n));
        unset($keep);
        return $this;
    }

    public function approvalRuleCount(): int
    {
        return (int) Native::ffi()->itsm_policy_approval_rule_count($this->cdata());
    }

    // ---- the risk questionnaire (change.h) -------------------------------------------------

    /**
     * Add a question after the others, or replace the one of that name:
     * its answers (2..16) with their scores (0..1000), and the question as
     * asked.
     *
     * @param array<string, int> $answers answer name => score
     */
    public function setRiskQuestion(string $name, array $answers, ?string $text = null): static
    {
        $ffi = Native::ffi();
        $def = $ffi->new('itsm_risk_question_def');
        $this->checkRc($ffi->itsm_risk_question_def_init(FFI::addr($def), Native::ITSM_RISK_QUESTION_DEF_VERSION));
        $keep = [];
        $keep[] = $b = Native::buffer(Convert::str($name, 'name'));
        $def->name = Native::ptr($b);
        if ($text !== null) {
            $keep[] = $b = Native::buffer(Convert::str($text, 'text'));
            $def->text = Native::ptr($b);
        }
        [$def->answers, $n, $keep[]] = self::strings(array_map('strval', array_keys($answers)), 'answer');
        $scores = $ffi->new('int[' . max($n, 1) . ']');
        foreach (array_values($answers) as $i => $score) {
            $scores[$i] = Convert::int($score, 'score');
        }
        $def->scores = $n > 0 ? FFI::addr($scores[0]) : null;
        $def->nanswers = $n;
        $this->checkRc($ffi->itsm_policy_set_risk_question($this->cdata(), FFI::addr($def)));
        unset($keep);
        return $this;
    }

    /** Remove every question (no record can then be assessed). */
    public function clearRiskQuestions(): static
    {
        $this->checkRc(Native::ffi()->itsm_policy_clear_risk_questions($this->cdata()));
        return $this;
    }

    /**
     * The risk levels, lowest first: name => the highest total it holds;
     * the last level holds every higher total (give it null).
     *
     * @param array<string, ?int> $levels
     */
    public function setRiskLevels(array $levels): static
    {
        $ffi = Native::ffi();
        [$names, $n, $keep] = self::strings(array_map('strval', array_keys($levels)), 'risk level');
        $upTo = $ffi->new('int[' . max($n, 1) . ']');
        foreach (array_values($levels) as $i => $v) {
            $upTo[$i] = $v === null ? 0 : Convert::int($v, 'risk level bound');
        }
        $this->checkRc($ffi->itsm_policy_set_risk_levels($this->cdata(), $names, $n > 0 ? FFI::addr($upTo[0]) : null,
            $n));
        unset($keep);
        return $this;
    }

    /**
     * Which kinds of record are assessed (the default: changes only).
     *
     * @param list<string> $kinds
     */
    public function setRiskKinds(array $kinds): static
    {
        $bits = 0;
        foreach ($kinds as $k) {
            $bits |= 1 << Engine::kindCode($k);
        }
        $this->checkRc(Native::ffi()->itsm_policy_set_risk_kinds($this->cdata(), $bits));
        return $this;
    }

    public function riskQuestionCount(): int
    {
        return (int) Native::ffi()->itsm_policy_risk_question_count($this->cdata());
    }

    // ---- the change schedule (change.h) ------------------------------------------------------

    /**
     * The service's maintenance window: the working time of $calendar (a
     * calendar of the policy, checked with the policy); null removes it.
     * A change of the service planned outside it is refused at scheduling.
     */
    public function setMaintenanceWindow(string $service, ?string $calendar): static
    {
        $this->checkRc(Native::ffi()->itsm_policy_set_maintenance_window($this->cdata(),
            Convert::str($service, 'service'), Convert::strOrNull($calendar, 'calendar')));
        return $this;
    }

    /**
     * Add a blackout, or replace the one of that name: a fixed period
     * [$from, $to), or the working time of $calendar; for the changes of
     * $services ([]: every change).
     *
     * @param list<string> $services
     */
    public function setBlackout(string $name, DateTimeInterface|int|null $from = null,
                                DateTimeInterface|int|null $to = null, ?string $calendar = null,
                                array $services = []): static
    {
        $ffi = Native::ffi();
        $def = $ffi->new('itsm_blackout_def');
        $this->checkRc($ffi->itsm_blackout_def_init(FFI::addr($def), Native::ITSM_BLACKOUT_DEF_VERSION));
        $keep = [];
        $keep[] = $b = Native::buffer(Convert::str($name, 'name'));
        $def->name = Native::ptr($b);
        $def->from = Convert::timeOrNone($from, 'from');
        $def->to = Convert::timeOrNone($to, 'to');
        if ($calendar !== null) {
            $keep[] = $b = Native::buffer(Convert::str($calendar, 'calendar'));
            $def->calendar = Native::ptr($b);
        }
        [$def->services, $def->nservices, $keep[]] = self::strings($services, 'service');
        $this->checkRc($ffi->itsm_policy_set_blackout($this->cdata(), FFI::addr($def)));
        unset($keep);
        return $this;
    }

    /** Remove a blackout (NotFound when there is none of that name). */
    public function removeBlackout(string $name): static
    {
        $this->checkRc(Native::ffi()->itsm_policy_remove_blackout($this->cdata(), Convert::str($name, 'name')));
        return $this;
    }

    /**
     * The change states that put a change on the schedule (1..16), and the
     * change types that may use an exception level (0..16).
     *
     * @param list<string> $states
     * @param list<string> $exceptionTypes
     */
    public function setScheduleRules(array $states, array $exceptionTypes = []): static
    {
        $ffi = Native::ffi();
        $r = $ffi->new('itsm_schedule_rules');
        $this->checkRc($ffi->itsm_schedule_rules_init(FFI::addr($r), Native::ITSM_SCHEDULE_RULES_VERSION));
        [$r->states, $r->nstates, $k1] = self::strings($states, 'state');
        [$r->exception_types, $r->nexception_types, $k2] = self::strings($exceptionTypes, 'change type');
        $this->checkRc($ffi->itsm_policy_set_schedule_rules($this->cdata(), FFI::addr($r)));
        unset($k1, $k2);
        return $this;
    }
}
