<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use DateTimeImmutable;
use DateTimeInterface;
use FFI;
use Itsm\Approval;
use Itsm\ApprovalDecision;
use Itsm\ApprovalLevel;
use Itsm\Collision;
use Itsm\Risk;
use Itsm\RiskAnswer;

/**
 * The Record calls of approvals, the risk assessment and the change
 * schedule (approval.h, change.h): what the default lifecycles need before
 * a service request is approved or a change authorized and scheduled. The
 * rules themselves come with the policy (its document's "approvals",
 * "risk_assessment" and "change_schedule" members, docs/change.md).
 *
 * @internal part of Record
 */
trait RecordChange
{
    /**
     * Approve at $level (null: the first required level not yet approved)
     * as $by, with an optional comment. InvalidArgument when $by may not
     * decide there (the message says why: not an approver, separation of
     * duties), NotFound when no rule applies, StateError when the round is
     * not open or the level decided.
     */
    public function approve(string $by, ?string $level = null, ?string $comment = null): static
    {
        return $this->mutate('itsm_record_approve', Convert::strOrNull($level, 'level'), Convert::str($by, 'by'),
            Convert::strOrNull($comment, 'comment'));
    }

    /** Reject at $level as $by (as approve()); a rejection decides the round. */
    public function rejectApproval(string $by, ?string $level = null, ?string $comment = null): static
    {
        return $this->mutate('itsm_record_reject_approval', Convert::strOrNull($level, 'level'),
            Convert::str($by, 'by'), Convert::strOrNull($comment, 'comment'));
    }

    /** Hand $by's vote at $level to $to, who then casts it with their own decision. */
    public function delegateApproval(string $by, string $to, ?string $level = null, ?string $comment = null): static
    {
        return $this->mutate('itsm_record_delegate_approval', Convert::strOrNull($level, 'level'),
            Convert::str($by, 'by'), Convert::str($to, 'to'), Convert::strOrNull($comment, 'comment'));
    }

    /** The record's approval as of its current fields. */
    public function approval(): Approval
    {
        $ffi = Native::ffi();
        $a = Native::result('itsm_approval_info');
        $this->engine->check($ffi->itsm_record_approval(FFI::addr($a), $this->ptr()));
        return new Approval((string) $ffi->itsm_approval_status_name($a->status), $a->rule, (int) $a->levels,
            (int) $a->current, Convert::fromC((int) $a->requested_at), Convert::fromC((int) $a->decided_at));
    }

    /**
     * The levels of the approval rule that applies, in order; [] when no
     * rule applies.
     *
     * @return list<ApprovalLevel>
     */
    public function approvalLevels(): array
    {
        $ffi = Native::ffi();
        $p = $this->ptr();
        $out = [];
        $n = $this->approval()->levels;
        for ($i = 0; $i < $n; $i++) {
            $l = Native::result('itsm_approval_level');
            $this->engine->check($ffi->itsm_record_approval_level(FFI::addr($l), $p, $i));
            $out[] = new ApprovalLevel((string) $l->name, (string) $ffi->itsm_approval_mode_name($l->mode),
                Native::LEVEL_STATUS[(int) $l->status] ?? (string) $l->status, (int) $l->approvals,
                (int) $l->rejections, (int) $l->needed, (int) $l->voters, $l->exception !== 0);
        }
        return $out;
    }

    /**
     * The decisions of the current round, in order.
     *
     * @return list<ApprovalDecision>
     */
    public function approvalDecisions(): array
    {
        $ffi = Native::ffi();
        $p = $this->ptr();
        $out = [];
        $n = (int) $ffi->itsm_record_approval_count($p);
        for ($i = 0; $i < $n; $i++) {
            $d = Native::result('itsm_approval_decision');
            $this->engine->check($ffi->itsm_record_approval_at(FFI::addr($d), $p, $i));
            $out[] = new ApprovalDecision((string) $ffi->itsm_approval_verdict_name($d->verdict), (string) $d->rule,
                (string) $d->level, (string) $d->by, $d->to, $d->comment,
                Convert::fromC((int) $d->at) ?? new DateTimeImmutable('@0'));
        }
        return $out;
    }

    /**
     * The risk answers in force, in the order their questions were first answered.
     *
     * @return list<RiskAnswer>
     */
    public function riskAnswers(): array
    {
        $ffi = Native::ffi();
        $p = $this->ptr();
        $out = [];
        $n = (int) $ffi->itsm_record_risk_answer_count($p);
        for ($i = 0; $i < $n; $i++) {
            $a = Native::result('itsm_risk_answer');
            $this->engine->check($ffi->itsm_record_risk_answer_at(FFI::addr($a), $p, $i));
            $out[] = new RiskAnswer((string) $a->question, (string) $a->answer, (int) $a->score, $a->by,
                Convert::fromC((int) $a->at) ?? new DateTimeImmutable('@0'));
        }
        return $out;
    }

    /** Answer one question of the risk questionnaire (NotFound for an unknown question or answer). */
    public function answerRisk(string $question, string $answer): static
    {
        return $this->mutate('itsm_record_answer_risk', Convert::str($question, 'question'),
            Convert::str($answer, 'answer'));
    }

    /** The record's risk assessment so far. */
    public function risk(): Risk
    {
        $r = Native::result('itsm_risk_info');
        $this->engine->check(Native::ffi()->itsm_record_risk(FFI::addr($r), $this->ptr()));
        return new Risk($r->level, (int) $r->score, (int) $r->answered, (int) $r->questions);
    }

    /**
     * Plan the change's window [$start, $end); both null removes the plan
     * of a change that is not on the schedule. A change on the schedule is
     * re-planned only into a window the schedule allows (GuardFailed naming
     * the blackout or maintenance window otherwise).
     */
    public function plan(DateTimeInterface|int|null $start, DateTimeInterface|int|null $end): static
    {
        return $this->mutate('itsm_change_plan', Convert::timeOrNone($start, 'start'), Convert::timeOrNone($end, 'end'));
    }

    /**
     * The planned window, or null when the change has none.
     *
     * @return ?array{DateTimeImmutable, DateTimeImmutable}
     */
    public function planned(): ?array
    {
        $ffi = Native::ffi();
        $start = $ffi->new('itsm_time');
        $end = $ffi->new('itsm_time');
        $rc = $ffi->itsm_change_planned(FFI::addr($start), FFI::addr($end), $this->ptr());
        if ($rc === Native::ITSM_ENOTFOUND) {
            return null;
        }
        $this->engine->check($rc);
        $s = Convert::fromC((int) $start->cdata);
        $e = Convert::fromC((int) $end->cdata);
        return $s === null || $e === null ? null : [$s, $e];
    }

    /** The schedule_collision findings raised on the change so far. */
    public function scheduleFindings(): int
    {
        return (int) Native::ffi()->itsm_change_findings($this->ptr());
    }

    /**
     * The changes on the schedule whose windows overlap this one's on its
     * configuration item or service, by their start (at most $limit).
     *
     * @return list<Collision>
     */
    public function collisions(int $limit = 100): array
    {
        $ffi = Native::ffi();
        $limit = max($limit, 1);
        $buf = Native::result('itsm_collision', $limit);
        $n = $ffi->new('size_t');
        $this->engine->check($ffi->itsm_change_collisions($buf, $limit, FFI::addr($n), $this->ptr()));
        $out = [];
        for ($i = 0; $i < min((int) $n->cdata, $limit); $i++) {
            $c = $buf[$i];
            $out[] = new Collision($this->engine->wrap($c->with), Native::COLLISION_ON[(int) $c->on] ?? (string) $c->on,
                (string) $c->value, Convert::fromC((int) $c->from) ?? new DateTimeImmutable('@0'),
                Convert::fromC((int) $c->to) ?? new DateTimeImmutable('@0'));
        }
        return $out;
    }

    /** Whether the change is on the schedule (open, planned, in a schedule state). */
    public function onSchedule(): bool
    {
        return (bool) Native::ffi()->itsm_change_on_schedule($this->ptr());
    }
}
