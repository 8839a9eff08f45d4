<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/** Count, mean, minimum, maximum and percentiles of a duration, in seconds. */
final class DurationStat
{
    public function __construct(
        public readonly int $count,
        public readonly float $mean,
        public readonly int $min,
        public readonly int $max,
        public readonly int $p50,
        public readonly int $p90,
        public readonly int $p95,
        public readonly int $p99,
    ) {
    }
}
