<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * A lifecycle event that can fire from a record's state (Record::allowed()):
 * where it leads, and the guard terms it still misses (ready() when none).
 */
final class AllowedEvent
{
    /** @param list<GuardNeed> $missing */
    public function __construct(
        public readonly string $event,
        public readonly string $toState,
        public readonly array $missing,
    ) {
    }

    public function ready(): bool
    {
        return $this->missing === [];
    }
}
