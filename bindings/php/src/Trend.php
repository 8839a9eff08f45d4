<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/** Records opened and resolved in one week (Monday 00:00 UTC) and category. */
final class Trend
{
    public function __construct(
        public readonly DateTimeImmutable $week,
        public readonly ?string $category,
        public readonly int $opened,
        public readonly int $resolved,
    ) {
    }
}
