<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/** A report's problem proposals made in the period, and what became of them (Report::proposals()). */
final class ProposalFigures
{
    public function __construct(
        public readonly int $proposed,
        public readonly int $pending,
        public readonly int $accepted,
        public readonly int $dismissed,
        public readonly int $incidents,
    ) {
    }
}
