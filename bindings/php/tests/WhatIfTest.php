<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\PolicyError;
use Itsm\Exception\StateError;
use Itsm\Internal\Native;
use Itsm\Policy;
use Itsm\Store\MemoryStore;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * A candidate policy before adopting it (whatif.h, migration.h): the
 * engine's stored events judged again, and the open records it would move.
 * The same scenarios and figures as the Python binding's tests/test_whatif.py.
 */
final class WhatIfTest extends TestCase
{
    private const H = 3600;
    private const M = 60;

    private Clock $clock;
    private MemoryStore $store;
    private Engine $eng;

    private static function p2Target(int $hours): Policy
    {
        $pol = Policy::default();
        $pol->setSla('standard', response: [900, 1800, 14400, 28800, 57600],
            resolution: [1 => 4 * self::H, 2 => $hours * self::H, 3 => 86400, 4 => 144000, 5 => 288000],
            calendar: ['24x7', '24x7', 'business', 'business', 'business']);
        return $pol;
    }

    protected function setUp(): void
    {
        $this->clock = new Clock();
        $this->store = new MemoryStore();
        $this->eng = new Engine(store: $this->store, clock: $this->clock);
        $a = $this->eng->open('incident', ['summary' => 'mail', 'impact' => 1, 'urgency' => 2]);
        $b = $this->eng->open('incident', ['summary' => 'vpn', 'impact' => 1, 'urgency' => 2]);
        $this->clock->advance('+10 minutes');
        foreach ([$a, $b] as $r) {
            $r->fire('start', ['assignment_group' => 'Desk', 'assignee' => 'ann']);
        }
        $this->clock->advance('+6 hours');
        $a->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'restarted']);
        $this->eng->tick(Clock::t0()->modify('+9 hours'));
        $this->clock->advance('+4 hours');
        $b->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'restarted']);
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    public function testAShorterTargetFlipsAMetResolution(): void
    {
        $events = $this->store->events;
        $w = $this->eng->whatif(self::p2Target(4));
        $this->assertSame($events, $this->store->events, 'the what-if stores nothing');
        $this->assertSame([2, 1, 1, 0], [$w['records'], $w['flips'], $w['to_breached'], $w['to_met']]);
        $this->assertSame([1, 2], [$w['actual_breached'], $w['candidate_breached']]);
        $f = $w['flip_list'][0];
        $this->assertSame(['INC-000001', 'Desk', 2, 'resolution'], [$f['record'], $f['group'], $f['priority'], $f['clock']]);
        $this->assertSame(['met', 'breached'], [$f['actual']['verdict'], $f['candidate']['verdict']]);
        $this->assertSame([8 * self::H, 4 * self::H, 6 * self::H + 10 * self::M],
            [$f['actual']['target'], $f['candidate']['target'], $f['actual']['elapsed']]);
        $this->assertSame([['standard', 'response'], ['standard', 'resolution']],
            array_map(fn (array $s) => [$s['name'], $s['clock']], $w['slas']));
        $this->assertSame(['Desk', 1], [$w['groups'][0]['group'], $w['groups'][0]['to_breached']]);
        $this->assertSame(0, $w['durations']['resolve_wall']['changed']);
        $this->assertSame($w['flips'], $w['flips_listed'], 'every flip is listed');
    }

    public function testAsOfJudgesOpenClocksThen(): void
    {
        $this->eng->open('incident', ['summary' => 'disk', 'impact' => 1, 'urgency' => 2]);
        $asOf = ($this->clock)()->modify('+9 hours');
        $w = $this->eng->whatif(self::p2Target(8), $asOf);
        $this->assertSame(0, $w['flips']);
        $this->assertSame(3, $w['actual_breached']);   // INC-2; the new one's response and resolution
        $this->assertSame($asOf->getTimestamp(), (new \DateTimeImmutable($w['as_of']))->getTimestamp());
    }

    public function testRefusalsCarryTheCodeAndTheMessage(): void
    {
        $bad = self::p2Target(4);
        $bad->addState('incident', 'limbo');   // unreachable: a finding
        try {
            $this->eng->whatif($bad);
            $this->fail('a candidate with findings was judged');
        } catch (PolicyError $e) {
            $this->assertSame(Native::ITSM_EPOLICY, $e->getCode());
            $this->assertNotSame('', $e->getMessage());
        }
        $bare = new Engine();
        foreach ([fn () => $bare->whatif(self::p2Target(4)), fn () => $bare->migrationCheck(self::p2Target(4))] as $call) {
            try {
                $call();
                $this->fail('an engine without a scan answered');
            } catch (InvalidArgument $e) {
                $this->assertSame(Native::ITSM_EINVAL, $e->getCode());
                $this->assertStringContainsString('no scan callback', $e->getMessage());
            }
        }
        $bare->close();
        $closed = self::p2Target(4);
        $closed->close();
        $this->expectException(StateError::class);
        $this->eng->whatif($closed);
    }

    public function testAMigrationCheckMovesTheOpenClock(): void
    {
        $clock = new Clock();
        $store = new MemoryStore();
        $eng = new Engine(store: $store, clock: $clock);
        $inc = $eng->open('incident', ['summary' => 'mail', 'impact' => 1, 'urgency' => 2]);
        $inc->fire('start', ['assignment_group' => 'Desk', 'assignee' => 'ann']);
        $clock->advance('+1 hour');
        $events = $store->events;
        $m = $eng->migrationCheck(self::p2Target(4));
        $this->assertSame($events, $store->events);
        $this->assertSame(1, $m['records']);
        $this->assertCount(1, $m['list']);
        $f = $m['list'][0];
        $this->assertSame(['timer_moves', 'INC-000001', 'incident', 'in_progress', 'resolution', 'standard'],
            [$f['kind'], $f['record'], $f['record_kind'], $f['state'], $f['clock'], $f['name']]);
        $this->assertSame(-4 * self::H, $f['delta']);
        $this->assertSame(1, $m['counts']['timer_moves']);
        $this->assertSame(0, $m['counts']['guard_fails']);
        $eng->close();
        $this->expectException(StateError::class);
        $eng->migrationCheck(self::p2Target(4));
    }
}
