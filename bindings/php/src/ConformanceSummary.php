<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * A conformance report overall (Conformance::summary()): records and moves
 * seen, moves allowed, moves whose guard failed, observations the host
 * marked refused, fitness = allowed / moves (1 without moves), records
 * that deviated at least once and records that bypassed the process
 * (skipped steps or a guard) at least once.
 */
final class ConformanceSummary
{
    public function __construct(
        public readonly int $records,
        public readonly int $moves,
        public readonly int $allowed,
        public readonly int $guardFailed,
        public readonly int $refused,
        public readonly float $fitness,
        public readonly int $deviatingRecords,
        public readonly int $bypassRecords,
    ) {
    }
}
