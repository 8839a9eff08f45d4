<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\AlreadyExists;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\NotFound;
use Itsm\Exception\StateError;
use Itsm\Oncall;
use Itsm\Policy;
use Itsm\Store\MemoryStore;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * On-call escalation and alert intake (oncall.h): escalation policies,
 * pages climbing at the tick, the acknowledgement, alerts deduplicated and
 * grouped, replay.
 */
final class OncallTest extends TestCase
{
    private Clock $clock;
    private MemoryStore $store;
    private Engine $eng;

    private static function policy(): Policy
    {
        return Policy::default()
            ->addOncall('db_primary', [[['alice'], 15], [['bob', 'dba_leads'], 30]], repeat: 1,
                services: ['database'], maxPriority: 3)
            ->setAlertWindow(10);
    }

    protected function setUp(): void
    {
        $this->clock = new Clock();
        $this->store = new MemoryStore();
        $this->eng = new Engine(policy: self::policy(), store: $this->store, clock: $this->clock, actor: 'monitor');
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    /** @return array{\Itsm\Record, string} */
    private function alert(string $key): array
    {
        return $this->eng->ingestAlert($key, ['summary' => 'Disk full', 'service' => 'database', 'impact' => 2,
                                              'urgency' => 2]);
    }

    public function testThePolicyRoundTripsAndRefusesBadDefinitions(): void
    {
        $pol = self::policy();
        $doc = json_decode($pol->toJson(), true, 512, JSON_THROW_ON_ERROR);
        $this->assertSame(10, $doc['oncall']['group_window']);
        $this->assertSame(['targets' => ['bob', 'dba_leads'], 'ack_timeout' => 30],
            $doc['oncall']['policies'][0]['steps'][1]);
        $before = $pol->toJson();
        try {
            $pol->addOncall('db_primary', [[['x'], 5]]);
            $this->fail('a name taken');
        } catch (AlreadyExists $e) {
            $this->assertStringContainsString('already', $e->getMessage());
        }
        foreach ([fn () => $pol->setAlertWindow(1441), fn () => $pol->addOncall('none', []),
                  fn () => $pol->addOncall('slow', [[['x'], 1441]]), fn () => $pol->addOncall('neg', [[['x'], -1]]),
                  fn () => $pol->addOncall('hi', [[['x'], 5]], maxPriority: 6)] as $i => $call) {
            try {
                $call();
                $this->fail("refusal $i");
            } catch (InvalidArgument $e) {
                $this->assertNotSame('', $e->getMessage());
            }
        }
        $this->assertSame($before, $pol->toJson());
    }

    public function testAnAlertOpensAnIncidentThatPagesAndClimbs(): void
    {
        [$inc, $how] = $this->alert('db1/disk');
        $this->assertSame(['opened', 1], [$how, $inc->alertCount()]);
        $o = $inc->oncall();
        $this->assertInstanceOf(Oncall::class, $o);
        $this->assertSame(['paging', 'db_primary', 1, 1, 1], [$o->status, $o->policy, $o->step, $o->round, $o->pages]);
        $this->assertEquals(Clock::t0()->modify('+15 minutes'), $o->due);
        $this->clock->advance('+2 minutes');
        [$same, $how] = $this->alert('db1/disk');
        $this->assertSame([$inc, 'duplicate'], [$same, $how]);
        [$other, $how] = $this->alert('db1/cpu');
        $this->assertSame([$inc, 'grouped'], [$other, $how]);
        $this->assertSame(3, $inc->alertCount());
        $this->clock->advance('+13 minutes');
        $this->eng->tick();
        $this->assertSame(2, $inc->oncall()->step);
        try {
            $inc->acknowledgePage('mallory');
            $this->fail('mallory is not on call');
        } catch (InvalidArgument $e) {
            $this->assertStringContainsString("mallory is not a target of escalation policy 'db_primary'",
                $e->getMessage());
        }
        $inc->acknowledgePage('dba_leads');
        $o = $inc->oncall();
        $this->assertSame(['acknowledged', 'dba_leads'], [$o->status, $o->ackedBy]);
        $this->assertEquals(Clock::t0()->modify('+15 minutes'), $o->ackedAt);
        $this->expectCode(AlreadyExists::class, fn () => $inc->acknowledgePage('alice'));
        $types = array_map(fn (string $e) => json_decode($e, true)['type'], $this->store->events);
        $this->assertSame(2, count(array_keys($types, 'page')));
        $this->assertSame(3, count(array_keys($types, 'alert_received')));
        $this->assertContains('page_acknowledged', $types);

        $again = new Engine(policy: self::policy(), store: new MemoryStore($this->store->events), load: true);
        $this->assertEquals($inc->oncall(), $again->find($inc->id())->oncall());
        $this->assertSame(3, $again->find($inc->id())->alertCount());
        $again->close();
    }

    public function testPagingByHandAndItsRefusals(): void
    {
        $inc = $this->eng->open('incident', ['summary' => 'Mail slow', 'service' => 'mail', 'impact' => 3,
                                             'urgency' => 3]);
        $this->assertNull($inc->oncall());
        $this->assertSame(0, $inc->alertCount());
        $n = count($this->store);
        $this->expectCode(StateError::class, fn () => $inc->acknowledgePage('alice'));
        $this->expectCode(NotFound::class, fn () => $inc->page('nobody'));
        $this->expectCode(InvalidArgument::class, fn () => $this->eng->open('problem', ['summary' => 'p'])->page('db_primary'));
        $this->assertSame($n + 1, count($this->store), 'only the problem opened above was stored');
        $inc->page('db_primary');
        $this->assertSame('paging', $inc->oncall()->status);
        $this->expectCode(AlreadyExists::class, fn () => $inc->page('db_primary'));
        $this->eng->tick(Clock::t0()->modify('+3 hours'));
        $this->assertSame(['exhausted', 4], [$inc->oncall()->status, $inc->oncall()->pages]);
        $this->expectCode(InvalidArgument::class, fn () => $this->eng->ingestAlert(''));
    }

    /** @param class-string<\Throwable> $class */
    private function expectCode(string $class, callable $call): void
    {
        try {
            $call();
        } catch (\Throwable $e) {
            $this->assertInstanceOf($class, $e, $e->getMessage());
            $this->assertSame(constant("$class::CODE"), $e->getCode());
            return;
        }
        $this->fail("expected $class");
    }
}
