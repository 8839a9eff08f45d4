<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/**
 * A record's instance of an agreement (Record::agreement()), as of $at:
 * $type "sla", "ola" or "uc"; $status "none" (never applied), "pending"
 * (applies, not started), "running", "paused", "stopped" or "cancelled";
 * $verdict "pending", "met" or "breached". $target (null without one),
 * $elapsed, $paused and $remaining are working seconds; $due is when the
 * target is reached if the clock keeps running (null otherwise).
 */
final class Agreement
{
    public function __construct(
        public readonly string $name,
        public readonly string $type,
        public readonly string $status,
        public readonly string $verdict,
        public readonly ?int $target,
        public readonly ?string $calendar,
        public readonly int $elapsed,
        public readonly int $paused,
        public readonly ?DateTimeImmutable $due,
        public readonly int $remaining,
        public readonly int $warnings,
        public readonly int $breaches,
        public readonly ?DateTimeImmutable $startedAt,
        public readonly ?DateTimeImmutable $stoppedAt,
        public readonly DateTimeImmutable $at,
    ) {
    }
}
