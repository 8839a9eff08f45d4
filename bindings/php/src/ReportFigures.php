<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * Process figures of a report's cohort (report.h). $resolved counts records
 * resolved as of the report's now: one reopened and back in work is not,
 * though $everResolved keeps it; $firstContact counts resolved records never
 * reassigned, escalated past level 1 or reopened.
 */
final class ReportFigures
{
    public function __construct(
        public readonly int $resolved,
        public readonly int $firstContact,
        public readonly float $firstContactRate,
        public readonly int $reassignments,
        public readonly int $reassignedRecords,
        public readonly int $everResolved,
        public readonly int $reopenedRecords,
        public readonly int $reopens,
        public readonly float $reopenRate,
    ) {
    }
}
