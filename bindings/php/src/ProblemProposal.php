<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/**
 * A problem the engine proposed by the recurrence rule (Engine::problemProposals(),
 * Record::problemProposal()): $record is the incident whose step completed
 * the cluster, $incidents the cluster's ids (oldest first), $status
 * "pending", "accepted" or "dismissed"; $problem the accepted problem's id,
 * $reason the dismissal's; $window in seconds.
 */
final class ProblemProposal
{
    /** @param list<string> $incidents */
    public function __construct(
        public readonly string $record,
        public readonly DateTimeImmutable $at,
        public readonly string $status,
        public readonly string $service,
        public readonly string $category,
        public readonly ?string $ci,
        public readonly int $window,
        public readonly array $incidents,
        public readonly ?string $problem,
        public readonly ?string $reason,
        public readonly ?DateTimeImmutable $decidedAt,
    ) {
    }

    public function pending(): bool
    {
        return $this->status === 'pending';
    }
}
