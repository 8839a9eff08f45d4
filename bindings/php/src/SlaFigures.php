<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/** SLA compliance of a report's cohort: met / (met + breached). */
final class SlaFigures
{
    public function __construct(
        public readonly int $tracked,
        public readonly int $met,
        public readonly int $breached,
        public readonly float $compliance,
    ) {
    }
}
