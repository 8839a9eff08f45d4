<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use DateInterval;
use DateTimeImmutable;
use DateTimeInterface;
use DateTimeZone;
use Itsm\Exception\InvalidArgument;

/**
 * PHP values <-> C values: times, durations, strings.
 *
 * Times in: a DateTimeInterface (its instant, whatever its time zone; the
 * fraction of a second is dropped) or an int of seconds since the epoch.
 * Strings and floats are refused (TypeError): a string has no time zone of
 * its own and a float invites fractions the library does not keep.
 * Times out: DateTimeImmutable in UTC, or null for "no time".
 *
 * @internal
 */
final class Convert
{
    private static ?DateTimeZone $utc = null;

    public static function utc(): DateTimeZone
    {
        return self::$utc ??= new DateTimeZone('UTC');
    }

    /** A time as itsm_time, checked against 1970..9999. */
    public static function time(DateTimeInterface|int $t, string $what = 'time'): int
    {
        $s = $t instanceof DateTimeInterface ? $t->getTimestamp() : $t;
        if ($s < Native::ITSM_TIME_MIN || $s > Native::ITSM_TIME_MAX) {
            $shown = $t instanceof DateTimeInterface ? $t->format(DATE_ATOM) : (string) $t;
            throw new InvalidArgument("$what $shown is outside 1970-01-01..9999-12-31 UTC", Native::ITSM_EINVAL);
        }
        return $s;
    }

    public static function timeOrNone(DateTimeInterface|int|null $t, string $what = 'time'): int
    {
        return $t === null ? Native::ITSM_TIME_NONE : self::time($t, $what);
    }

    /** An itsm_time as a UTC DateTimeImmutable; null for ITSM_TIME_NONE. */
    public static function fromC(int $t): ?DateTimeImmutable
    {
        if ($t === Native::ITSM_TIME_NONE) {
            return null;
        }
        return (new DateTimeImmutable('@' . $t))->setTimezone(self::utc());
    }

    /**
     * A duration as whole seconds: an int, or a DateInterval whose length is
     * fixed (days, hours, minutes, seconds; or one made by diff()). Months
     * and years have no fixed length and are refused.
     */
    public static function seconds(DateInterval|int $d, string $what = 'duration'): int
    {
        if (is_int($d)) {
            return $d;
        }
        if ($d->days !== false) {
            $s = $d->days * 86400 + $d->h * 3600 + $d->i * 60 + $d->s;
        } elseif ($d->y !== 0 || $d->m !== 0) {
            throw new InvalidArgument("$what: a DateInterval with months or years has no fixed length; "
                . 'give days or seconds', Native::ITSM_EINVAL);
        } else {
            $s = $d->d * 86400 + $d->h * 3600 + $d->i * 60 + $d->s;
        }
        return $d->invert ? -$s : $s;
    }

    /** A duration for a uint32_t slot (0..4294967295 seconds). */
    public static function u32(DateInterval|int|null $d, string $what): int
    {
        return self::uint32($d === null ? 0 : self::seconds($d, $what), "$what (seconds)");
    }

    // ---- integers for C ---------------------------------------------------------
    // FFI stores a PHP int into an int / unsigned / int32_t member or argument
    // modulo 2**32 without a word, so 2**32 + 1 would reach the library as 1
    // and pass its own checks. Every integer a caller gives goes through the
    // one of these named by the C type it lands in (PHP's own ints are 64
    // bits: int64_t needs none). A value that is no int at all (an array
    // element) is refused too.

    /** An int for a C int (32 bits on every platform the library builds for). */
    public static function int(mixed $v, string $what): int
    {
        return self::ranged($v, $what, -2147483648, 2147483647);
    }

    /** An int for a C unsigned (32 bits). */
    public static function unsigned(mixed $v, string $what): int
    {
        return self::ranged($v, $what, 0, 4294967295);
    }

    /** An int for an int32_t. */
    public static function int32(mixed $v, string $what): int
    {
        return self::ranged($v, $what, -2147483648, 2147483647);
    }

    /** An int for a uint32_t. */
    public static function uint32(mixed $v, string $what): int
    {
        return self::ranged($v, $what, 0, 4294967295);
    }

    /** An int for an int64_t: any PHP int, but an int (an array element may be anything). */
    public static function int64(mixed $v, string $what): int
    {
        return self::ranged($v, $what, PHP_INT_MIN, PHP_INT_MAX);
    }

    /** An int for a size_t (a count or a bound: never negative). */
    public static function size(mixed $v, string $what): int
    {
        return self::ranged($v, $what, 0, PHP_INT_MAX);
    }

    private static function ranged(mixed $v, string $what, int $lo, int $hi): int
    {
        if (!is_int($v)) {
            throw new InvalidArgument("$what must be an int, not " . var_export($v, true), Native::ITSM_EINVAL);
        }
        if ($v < $lo || $v > $hi) {
            throw new InvalidArgument("$what $v is outside $lo..$hi", Native::ITSM_EINVAL);
        }
        return $v;
    }

    /**
     * A string for a const char * argument. A NUL inside would silently cut
     * the C string short, so it is refused; UTF-8 is checked by the library.
     */
    public static function str(string $s, string $what): string
    {
        if (str_contains($s, "\0")) {
            throw new InvalidArgument("$what contains a NUL byte", Native::ITSM_EINVAL);
        }
        return $s;
    }

    /**
     * One JSON document of an iterable a caller gave (replay(), add()): a
     * string, or the binding's own TypeError naming the call, rather than
     * the one strlen() would throw under strict types.
     */
    public static function document(mixed $doc, string $call): string
    {
        if (!is_string($doc)) {
            throw new \TypeError("$call takes JSON strings (one, or an iterable of them), not "
                . get_debug_type($doc));
        }
        return $doc;
    }

    public static function strOrNull(?string $s, string $what): ?string
    {
        return $s === null ? null : self::str($s, $what);
    }
}
