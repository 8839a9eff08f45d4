<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * One observed move (Conformance::moves()): records of $kind going from
 * $from (null: an opening) to $to, how often, how often allowed, with a
 * failed guard, refused by the host; $deviation the worst class among its
 * occurrences ("none", "guard", "skip", "unforeseen", "unknown_state");
 * $skipped the states on the shortest way round for "skip".
 */
final class ConformanceMove
{
    /** @param list<string> $skipped */
    public function __construct(
        public readonly string $kind,
        public readonly ?string $from,
        public readonly string $to,
        public readonly int $count,
        public readonly int $allowed,
        public readonly int $guardFailed,
        public readonly int $refused,
        public readonly float $fitness,
        public readonly string $deviation,
        public readonly array $skipped,
    ) {
    }
}
