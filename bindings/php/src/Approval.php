<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/**
 * A record's approval (Record::approval()): $status is "none" (no rule
 * applies), "not_started", "pending", "approved" or "rejected"; $rule the
 * rule that applies; $current the 1-based first required level not
 * approved (0: none); the round's start and its decision.
 */
final class Approval
{
    public function __construct(
        public readonly string $status,
        public readonly ?string $rule,
        public readonly int $levels,
        public readonly int $current,
        public readonly ?DateTimeImmutable $requestedAt,
        public readonly ?DateTimeImmutable $decidedAt,
    ) {
    }

    public function approved(): bool
    {
        return $this->status === 'approved';
    }
}
