<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests\Support;

use DateTimeImmutable;

/** An injectable clock that moves only when told to. */
final class Clock
{
    public const T0 = '2024-03-04T09:00:00Z';   // a Monday

    public DateTimeImmutable $now;
    public int $calls = 0;

    public function __construct(?DateTimeImmutable $start = null)
    {
        $this->now = $start ?? new DateTimeImmutable(self::T0);
    }

    public function __invoke(): DateTimeImmutable
    {
        $this->calls++;
        return $this->now;
    }

    /** Move on by a relative amount ("+5 minutes"); returns the new time. */
    public function advance(string $by): DateTimeImmutable
    {
        return $this->now = $this->now->modify($by);
    }

    public static function t0(): DateTimeImmutable
    {
        return new DateTimeImmutable(self::T0);
    }
}
