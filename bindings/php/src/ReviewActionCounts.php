<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/** Every review's actions in an engine (Engine::reviewActions()): $open (not done), of those $overdue and $unowned. */
final class ReviewActionCounts
{
    public function __construct(
        public readonly int $open,
        public readonly int $overdue,
        public readonly int $unowned,
    ) {
    }
}
