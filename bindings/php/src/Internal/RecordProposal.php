<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use FFI;
use Itsm\Record;
use Itsm\ProblemProposal;

/**
 * The Record calls of problem proposals (problem.h, the recurrence push):
 * when an incident opened or resolved completes a cluster of the policy's
 * recurrence rule, the engine proposes a problem once per cluster; the
 * host accepts the proposal into a problem record or dismisses it.
 *
 * @internal part of Record
 */
trait RecordProposal
{
    /** The proposal this incident is in; null when none. */
    public function problemProposal(): ?ProblemProposal
    {
        $ffi = Native::ffi();
        $ix = $ffi->new('size_t');
        $rc = $ffi->itsm_record_problem_proposal(FFI::addr($ix), $this->ptr());
        if ($rc === Native::ITSM_ENOTFOUND) {
            return null;
        }
        $this->engine->check($rc);
        return self::proposalAt($this->engine, (int) $ix->cdata);
    }

    /**
     * Accept the pending proposal this incident is in: one atomic step opens
     * a problem record (with $id and $fields when given) carrying the facts
     * of the incident that completed the cluster, related to every incident
     * of it. NotFound when the incident is in no proposal; StateError when
     * the proposal was decided; AlreadyExists when the id is taken.
     *
     * @param array<string, mixed> $fields
     */
    public function acceptProblemProposal(array $fields = [], ?string $id = null): Record
    {
        return $this->openFrom('itsm_problem_proposal_accept', $fields, $id);
    }

    /**
     * Dismiss the pending proposal this incident is in, with the reason; its
     * incidents are not proposed again. NotFound, StateError as accepting.
     */
    public function dismissProblemProposal(string $reason): static
    {
        return $this->mutate('itsm_problem_proposal_dismiss', Convert::str($reason, 'reason'));
    }

    /** @internal proposal $index of an engine, as a ProblemProposal */
    public static function proposalAt(\Itsm\Engine $engine, int $index): ProblemProposal
    {
        $ffi = Native::ffi();
        $eng = $engine->ptr();
        $p = Native::result('itsm_problem_proposal');
        $engine->check($ffi->itsm_engine_problem_proposal_at(FFI::addr($p), $eng, $index));
        $ids = [];
        for ($i = 0; $i < (int) $p->incidents; $i++) {
            $ids[] = (string) $ffi->itsm_engine_problem_proposal_incident($eng, $index, $i);
        }
        $status = (int) $p->status;
        return new ProblemProposal((string) $p->record, Convert::fromC((int) $p->at) ?? new \DateTimeImmutable('@0'),
            $ffi->itsm_proposal_status_name($status) ?? (string) $status, (string) $p->service,
            (string) $p->category, $p->ci, (int) $p->window, $ids, $p->problem, $p->reason,
            Convert::fromC((int) $p->decided_at));
    }
}
