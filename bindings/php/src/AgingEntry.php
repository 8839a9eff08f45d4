<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * An open record in the aging list: its age in seconds, and the working
 * seconds left to its resolution breach (negative once breached; null when
 * it has no resolution deadline).
 */
final class AgingEntry
{
    public function __construct(
        public readonly Record $record,
        public readonly int $age,
        public readonly ?int $timeLeft,
    ) {
    }
}
