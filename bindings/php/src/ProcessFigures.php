<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * Figures of a report's cohort read from the records' history
 * (Report::process(), report.h): records resolved or closed, those that
 * never went above functional level 1, functional escalations and the
 * records escalated, assignment-group changes, and ping-pong (a group that
 * got a record back after another group had it).
 */
final class ProcessFigures
{
    public function __construct(
        public readonly int $completed,
        public readonly int $stayedFirstLine,
        public readonly int $functionalEscalations,
        public readonly int $escalatedRecords,
        public readonly int $groupChanges,
        public readonly int $pingPongRecords,
        public readonly int $pingPongReturns,
    ) {
    }
}
