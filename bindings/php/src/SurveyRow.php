<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/**
 * One row of a report's satisfaction figures (Report::satisfaction()): $by
 * is "all", "group", "service" or "week"; $name the group or service (null
 * for none and for the other rows); $week its Monday for "week" rows.
 * $scores maps every point of the scale to its answers.
 */
final class SurveyRow
{
    /**
     * @param array{int, int} $scale [min, max]
     * @param array<int, int> $scores score => answers
     */
    public function __construct(
        public readonly string $by,
        public readonly ?string $name,
        public readonly ?DateTimeImmutable $week,
        public readonly int $sent,
        public readonly int $answered,
        public readonly float $responseRate,
        public readonly float $meanScore,
        public readonly array $scale,
        public readonly array $scores,
    ) {
    }
}
