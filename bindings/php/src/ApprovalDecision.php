<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/**
 * One decision of a record's current approval round
 * (Record::approvalDecisions()): "approve", "reject" or "delegate" (then
 * $to got the vote), at which level of which rule, by whom, when.
 */
final class ApprovalDecision
{
    public function __construct(
        public readonly string $verdict,
        public readonly string $rule,
        public readonly string $level,
        public readonly string $by,
        public readonly ?string $to,
        public readonly ?string $comment,
        public readonly DateTimeImmutable $at,
    ) {
    }
}
