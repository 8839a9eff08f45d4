<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use DateInterval;
use DateTime;
use DateTimeImmutable;
use DateTimeZone;
use Itsm\Engine;
use Itsm\Exception\InvalidArgument;
use Itsm\Policy;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * Times go in as any DateTimeInterface (its instant, whatever its zone;
 * the fraction of a second dropped) or int seconds; strings and floats are
 * refused. They come out as DateTimeImmutable in UTC. Durations are int
 * seconds or a DateInterval of fixed length.
 */
final class TimeTest extends TestCase
{
    private Engine $eng;

    protected function setUp(): void
    {
        $this->eng = new Engine(clock: new Clock());
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    private function roundTrip(mixed $when): ?DateTimeImmutable
    {
        $inc = $this->eng->open('incident');
        $inc->addNote('x', 'customer', $when, 1709546400);
        return $inc->timeline()[0]->expectedRestoration;
    }

    public function testAnyZoneIsConvertedToTheSameInstantAndComesOutInUtc(): void
    {
        $berlin = new DateTimeImmutable('2024-03-04 11:00:00', new DateTimeZone('Europe/Berlin'));
        $newYork = new DateTime('2024-03-04 05:00:00', new DateTimeZone('America/New_York'));
        $expected = new DateTimeImmutable('2024-03-04T10:00:00Z');
        foreach ([$berlin, $newYork, 1709546400, $expected] as $in) {
            $out = $this->roundTrip($in);
            $this->assertEquals($expected, $out);
            $this->assertSame('UTC', $out->getTimezone()->getName());
        }
    }

    public function testFractionsOfASecondAreDropped(): void
    {
        $out = $this->roundTrip(new DateTimeImmutable('2024-03-04T10:00:00.999999Z'));
        $this->assertSame('2024-03-04T10:00:00.000000+00:00', $out->format('Y-m-d\TH:i:s.uP'));
    }

    public function testStringsAndFloatsAreRefusedAsAmbiguous(): void
    {
        $inc = $this->eng->open('incident');
        foreach (['2024-03-04 10:00', 1709546400.5] as $bad) {
            try {
                $inc->addNote('x', 'customer', $bad, 1709546400);
                $this->fail('accepted ' . var_export($bad, true));
            } catch (\TypeError) {
            }
        }
        $this->assertSame([], $inc->timeline());
    }

    public function testTimesOutsideTheLibraryRangeAreInvalid(): void
    {
        foreach ([new DateTimeImmutable('1969-12-31T23:59:59Z'), (new DateTimeImmutable('@253402300800')), -1]
                 as $bad) {
            try {
                $this->eng->tick($bad);
                $this->fail('accepted an out-of-range time');
            } catch (InvalidArgument $e) {
                $this->assertStringContainsString('1970', $e->getMessage());
            }
        }
    }

    public function testTimeFieldsTakeNullToClearAndReturnNullWhenUnset(): void
    {
        $inc = $this->eng->open('incident');
        $this->assertNull($inc->resolved_at);
        $this->assertNull($inc->autoCloseDue());
    }

    public function testDurationsAreSecondsOrFixedLengthIntervals(): void
    {
        $pol = Policy::default();
        $pol->setSla('s', resolution: [new DateInterval('PT4H'), new DateInterval('P1DT2H'), 3600, 7200, null]);
        $pol->setOla('desk', (new DateTimeImmutable('2024-01-01'))->diff(new DateTimeImmutable('2024-02-01')));
        $this->assertStringContainsString('14400', $pol->toJson());
        $this->assertStringContainsString('93600', $pol->toJson());
        $this->assertStringContainsString((string) (31 * 86400), $pol->toJson());
        try {
            $pol->setOla('desk', new DateInterval('P1M'));
            $this->fail('a month was taken as a fixed length');
        } catch (InvalidArgument $e) {
            $this->assertStringContainsString('months', $e->getMessage());
        }
        $this->assertEquals(new DateTimeImmutable('2024-03-04T13:00:00Z'),
            $pol->calendarAdd('24x7', Clock::t0(), new DateInterval('PT4H')));
        $this->assertSame(3600, $pol->calendarWork('24x7', Clock::t0(), Clock::t0()->modify('+1 hour')));
    }
}
