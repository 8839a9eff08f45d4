<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * One level of the approval rule that applies to a record
 * (Record::approvalLevels()): its mode ("any", "all", "quorum"), where it
 * is ("pending", "approved", "rejected"), the votes this round, the
 * approvals it needs, the named approvers separation of duties leaves (0:
 * open to anyone) and whether it is an exception level.
 */
final class ApprovalLevel
{
    public function __construct(
        public readonly string $name,
        public readonly string $mode,
        public readonly string $status,
        public readonly int $approvals,
        public readonly int $rejections,
        public readonly int $needed,
        public readonly int $voters,
        public readonly bool $exception,
    ) {
    }
}
