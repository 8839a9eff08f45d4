<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/**
 * One service-level timer of a record as of $at. Durations are working
 * seconds on the timer's calendar ($remaining is negative when overdue);
 * $target is null for next_update or when no target applies; $due is when
 * it breaches if it keeps running (null when paused or stopped).
 */
final class Timer
{
    /**
     * @param string $name "response", "resolution", "ola" or "next_update"
     * @param string $status "none", "running", "paused" or "stopped"
     */
    public function __construct(
        public readonly string $name,
        public readonly string $status,
        public readonly bool $breached,
        public readonly ?int $target,
        public readonly int $elapsed,
        public readonly int $paused,
        public readonly ?DateTimeImmutable $due,
        public readonly int $remaining,
        public readonly int $warnings,
        public readonly ?string $calendar,
        public readonly DateTimeImmutable $at,
    ) {
    }

    public function isRunning(): bool
    {
        return $this->status === 'running';
    }
}
