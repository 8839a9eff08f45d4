<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * When incidents call for a problem record (problem.h): $recurrenceCount
 * incidents (0: rule off) on one service and category within
 * $recurrenceWindow seconds (and one configuration item with
 * $recurrenceCi), whether the engine proposes a problem itself when an
 * incident completes such a cluster ($recurrencePush: Record::problemProposal()),
 * and whether a major incident always gets a problem review.
 */
final class ProblemRules
{
    public function __construct(
        public readonly int $recurrenceCount = 3,
        public readonly int $recurrenceWindow = 30 * 86400,
        public readonly bool $majorReview = true,
        public readonly bool $recurrenceCi = false,
        public readonly bool $recurrencePush = true,
    ) {
    }
}
