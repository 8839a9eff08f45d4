<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/**
 * The post-incident review of a major incident (Record::review()) as its
 * events left it: who opened it and when, whether it is complete, its
 * causes and actions in the order recorded, and how many actions are open
 * (not done), of those without an owner and overdue.
 */
final class Review
{
    /**
     * @param list<ReviewCause>  $causes
     * @param list<ReviewAction> $actions
     */
    public function __construct(
        public readonly ?DateTimeImmutable $openedAt,
        public readonly ?string $openedBy,
        public readonly bool $complete,
        public readonly ?DateTimeImmutable $completedAt,
        public readonly ?string $completedBy,
        public readonly array $causes,
        public readonly array $actions,
        public readonly int $openActions,
        public readonly int $unownedActions,
        public readonly int $overdueActions,
    ) {
    }
}
