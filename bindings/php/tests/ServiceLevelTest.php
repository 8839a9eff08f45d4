<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use DateTimeImmutable;
use Itsm\AgingEntry;
use Itsm\Engine;
use Itsm\Event;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\NotFound;
use Itsm\Exception\StoreError;
use Itsm\Policy;
use Itsm\Tests\Support\Clock;
use Itsm\Timer;
use PHPUnit\Framework\TestCase;

/** Service levels (sla.h): calendars, SLAs and OLAs, timers, the tick, aging. */
final class ServiceLevelTest extends TestCase
{
    private const H = 3600;

    private Clock $clock;
    private Engine $eng;

    private static function officePolicy(): Policy
    {
        $pol = Policy::default();
        $pol->setCalendar('office', ['mon' => ['09:00', '17:00'], 'tue' => ['09:00', '17:00'],
            'wed' => ['09:00', '17:00'], 'thu' => ['09:00', '17:00'], 'fri' => ['09:00', '17:00']],
            holidays: ['2024-03-05']);
        $pol->setSla('gold', response: array_fill(0, 5, 15 * 60),
            resolution: [1 => 2 * self::H, 2 => 4 * self::H, 3 => 8 * self::H, 4 => 16 * self::H, 5 => 40 * self::H],
            calendar: 'office');
        $pol->setServiceSla('payroll', 'gold');
        return $pol;
    }

    protected function setUp(): void
    {
        $this->clock = new Clock();
        $this->eng = new Engine(policy: self::officePolicy(), clock: $this->clock, actor: 'desk');
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    public function testWorkingTimeSkipsNightsWeekendsAndHolidays(): void
    {
        $pol = self::officePolicy();
        // Monday 08:00 .. Wednesday 12:00, Tuesday a holiday: 8 h + 3 h.
        $this->assertSame(11 * self::H, $pol->calendarWork('office', new DateTimeImmutable('2024-03-04T08:00:00Z'),
            new DateTimeImmutable('2024-03-06T12:00:00Z')));
        // Friday 16:00 + 2 working hours: Monday 10:00.
        $this->assertEquals(new DateTimeImmutable('2024-03-11T10:00:00Z'),
            $pol->calendarAdd('office', new DateTimeImmutable('2024-03-08T16:00:00Z'), 2 * self::H));
        $this->assertEquals(new DateTimeImmutable('2024-03-08T17:00:00Z'),
            $this->eng->calendarAdd('office', new DateTimeImmutable('2024-03-08T16:00:00Z'), self::H));
        $this->assertStringContainsString('"office"', $pol->toJson());
        $again = Policy::fromJson($pol->toJson());
        $this->assertSame(8 * self::H, $again->calendarWork('office', Clock::t0(), Clock::t0()->modify('+8 hours')));
        $this->expectException(NotFound::class);
        $pol->calendarWork('nope', Clock::t0(), Clock::t0());
    }

    public function testZonesWithDaylightSavingSeveralSpansADayAndYearlyHolidays(): void
    {
        $this->assertSame('CET-1CEST,M3.5.0,M10.5.0/3', Policy::zoneRule(new \DateTimeZone('Europe/Paris')));
        $morningsAndAfternoons = [['09:00', '12:00'], ['13:00', '17:00']];
        $pol = Policy::default()->setCalendar('paris', array_fill_keys(['mon', 'tue', 'wed', 'thu', 'fri'],
            $morningsAndAfternoons), holidays: ['Dec 25', '2024-03-05'], zone: new \DateTimeZone('Europe/Paris'));
        $this->assertSame(3600, $pol->calendarUtcOffset('paris', new DateTimeImmutable('2024-01-15T12:00:00Z')));
        $this->assertSame(7200, $pol->calendarUtcOffset('paris', new DateTimeImmutable('2024-07-15T12:00:00Z')));
        // Monday 2024-03-04 in Paris (UTC+1): 09:00-12:00 and 13:00-17:00 local, 7 working hours.
        $this->assertSame(7 * self::H, $pol->calendarWork('paris', new DateTimeImmutable('2024-03-04T00:00:00Z'),
            new DateTimeImmutable('2024-03-05T00:00:00Z')));
        // Wednesday 25 December is a yearly holiday; Tuesday 5 March a dated one.
        $this->assertSame(0, $pol->calendarWork('paris', new DateTimeImmutable('2024-12-25T00:00:00Z'),
            new DateTimeImmutable('2024-12-26T00:00:00Z')));
        $this->assertSame(0, $pol->calendarWork('paris', new DateTimeImmutable('2024-03-05T00:00:00Z'),
            new DateTimeImmutable('2024-03-06T00:00:00Z')));
        // Summer: the first working hour of Monday 2024-07-01 starts at 07:00 UTC.
        $this->assertEquals(new DateTimeImmutable('2024-07-01T08:00:00Z'),
            $pol->calendarAdd('paris', new DateTimeImmutable('2024-07-01T00:00:00Z'), self::H));
        $eng = new Engine(policy: $pol);
        $this->assertSame(7200, $eng->calendarUtcOffset('paris', new DateTimeImmutable('2024-07-15T12:00:00Z')));
        $same = Policy::default()->setCalendar('p2', array_fill(0, 7, ['09:00', '17:00']),
            zone: 'CET-1CEST,M3.5.0,M10.5.0/3');
        $this->assertSame(7200, $same->calendarUtcOffset('p2', new DateTimeImmutable('2024-07-15T12:00:00Z')));
        foreach ([fn () => Policy::zoneRule('+02:00'), fn () => Policy::default()->setCalendar('bad',
                      array_fill(0, 7, ['09:00', '17:00']), zone: 'not a rule')] as $bad) {
            try {
                $bad();
                $this->fail('accepted');
            } catch (InvalidArgument) {
            }
        }
        $this->expectException(NotFound::class);
        Policy::zoneRule('Nowhere/Atlantis');
    }

    public function testBadCalendarsAndWarningsAreInvalidWithTheLibrarysMessage(): void
    {
        $pol = Policy::default();
        try {
            $pol->setCalendar('Bad Name!', array_fill(0, 7, ['09:00', '17:00']));
            $this->fail('accepted');
        } catch (InvalidArgument $e) {
            $this->assertNotSame('', $e->getMessage());
        }
        foreach ([fn () => $pol->setCalendar('empty', array_fill(0, 7, null)),
                  fn () => $pol->setWarnings([900, 500]),
                  fn () => $pol->setPause('x', ['sideways']),
                  fn () => $pol->setSlaStopStates(array_fill(0, 9, 'x'))] as $bad) {
            try {
                $bad();
                $this->fail('accepted');
            } catch (InvalidArgument) {
            }
        }
    }

    public function testTimersFollowTheServiceSlaAndItsCalendar(): void
    {
        $inc = $this->eng->open('incident', ['summary' => 'Payroll down', 'service' => 'payroll',
                                             'impact' => 2, 'urgency' => 2]);
        $this->assertSame('gold', $inc->sla());
        $res = $inc->timer('resolution');
        $this->assertInstanceOf(Timer::class, $res);
        $this->assertSame('running', $res->status);
        $this->assertTrue($res->isRunning());
        $this->assertSame('office', $res->calendar);
        $this->assertSame(8 * self::H, $res->target, 'P3 in the default matrix');
        $this->assertSame('UTC', $res->due->getTimezone()->getName());
        $this->clock->advance('+1 hour');
        $later = $inc->timer('resolution');
        $this->assertSame(self::H, $later->elapsed);
        $this->assertSame($res->remaining - self::H, $later->remaining);
        $this->assertSame(['response', 'resolution', 'ola', 'next_update'], array_keys($inc->timers()));
        $this->assertSame(0, $inc->timer('resolution', Clock::t0())->elapsed);
        $this->expectException(InvalidArgument::class);
        $inc->timer('sideways');
    }

    public function testSlaByHand(): void
    {
        $inc = $this->eng->open('incident', ['summary' => 'Mail down', 'service' => 'mail', 'impact' => 1,
                                             'urgency' => 1]);
        $this->assertSame('standard', $inc->sla());
        $inc->setSla('gold');
        $this->assertSame('gold', $inc->sla());
        $inc->setSla(null);
        $this->assertSame('standard', $inc->sla());
        $this->expectException(NotFound::class);
        $inc->setSla('platinum');
    }

    public function testTickFiresBreachesAndALateTickRecordsTheDeadline(): void
    {
        /** @var list<Event> $events */
        $events = [];
        $eng = new Engine(clock: $this->clock, sink: function (array $evs) use (&$events): void {
            array_push($events, ...$evs);
        });
        $inc = $eng->open('incident', ['summary' => 'x', 'service' => 'mail', 'impact' => 3, 'urgency' => 3]);
        $due = $inc->timer('resolution')->due;
        $this->assertGreaterThan(Clock::t0(), $eng->nextDeadline());
        $this->assertLessThanOrEqual($due, $eng->nextDeadline(), 'the 75% warning comes first');
        $this->assertSame(0, $eng->tick(Clock::t0()));
        $this->assertGreaterThan(0, $eng->tick($due->modify('+3 days')));
        $this->assertTrue($inc->timer('resolution', $due->modify('+1 hour'))->breached);
        $breaches = array_values(array_filter($events, fn (Event $e) => $e->type === 'sla_breach'));
        $this->assertNotEmpty($breaches);
        $this->assertContainsEquals($due, array_map(fn (Event $e) => $e->time, $breaches));
    }

    public function testATickTheStoreRefusesKeepsTheTimerQueued(): void
    {
        $store = new class extends \Itsm\Tests\Support\ToggleStore {
        };
        $eng = new Engine(store: $store, clock: $this->clock);
        $inc = $eng->open('incident', ['summary' => 'x', 'impact' => 3, 'urgency' => 3]);
        $rev = $inc->revision();
        $store->fail = true;
        try {
            $eng->tick(Clock::t0()->modify('+30 days'));
            $this->fail('the tick ignored the store');
        } catch (StoreError) {
        }
        $this->assertSame($rev, $inc->revision());
        $store->fail = false;
        $this->assertGreaterThan(0, $eng->tick(Clock::t0()->modify('+30 days')));
    }

    public function testAgingByAgeAndByBreach(): void
    {
        $a = $this->eng->open('incident', ['summary' => 'old', 'impact' => 3, 'urgency' => 3]);
        $this->clock->advance('+2 hours');
        $b = $this->eng->open('incident', ['summary' => 'new', 'impact' => 1, 'urgency' => 1]);
        $this->eng->open('change', ['summary' => 'untracked']);
        $byAge = $this->eng->aging('age');
        $this->assertInstanceOf(AgingEntry::class, $byAge[0]);
        $this->assertSame($a, $byAge[0]->record);
        $this->assertSame(2 * self::H, $byAge[0]->age);
        $byBreach = $this->eng->aging('breach', 1);
        $this->assertCount(1, $byBreach);
        $this->assertSame($b, $byBreach[0]->record);
        $this->assertIsInt($byBreach[0]->timeLeft);
        $this->expectException(InvalidArgument::class);
        $this->eng->aging('alphabetical');
    }

    public function testOlaPauseAndWarningSections(): void
    {
        $pol = Policy::default();
        $pol->setOla('network', 30 * 60)->setPause('awaiting_vendor', ['resolution', 'ola'])
            ->setWarnings([500, 900])->setDefaultSla('standard')->setSlaStopStates(['resolved', 'on_hold'])
            ->setOlaClimb(false);
        $this->assertStringContainsString('"stop_states"', $pol->toJson());
        $eng = new Engine(policy: $pol, clock: $this->clock);
        $inc = $eng->open('incident', ['summary' => 'x', 'impact' => 2, 'urgency' => 2]);
        $inc->fire('assign', ['assignment_group' => 'network']);
        $this->assertSame(30 * 60, $inc->timer('ola')->target);
        $this->expectException(NotFound::class);
        $pol->setDefaultSla('nope');
    }
}
