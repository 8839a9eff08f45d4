<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use DateTimeImmutable;
use Itsm\Engine;
use Itsm\Event;
use Itsm\Exception\Conflict;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\StateError;
use Itsm\Exception\StoreError;
use Itsm\Internal\Native;
use Itsm\Record;
use Itsm\Store;
use Itsm\Store\MemoryStore;
use Itsm\Tests\Support\Clock;
use Itsm\Tests\Support\Snapshot;
use PHPUnit\Framework\TestCase;

/** A store whose append throws while $down is set. */
final class FlakyStore implements Store
{
    public bool $down = false;
    public ?\Throwable $toThrow = null;
    public int $appends = 0;
    public MemoryStore $inner;

    public function __construct()
    {
        $this->inner = new MemoryStore();
    }

    public function append(array $events): void
    {
        $this->appends++;
        if ($this->down) {
            throw $this->toThrow ?? new \RuntimeException('the database went away');
        }
        $this->inner->append($events);
    }

    public function scan(): iterable
    {
        return $this->inner->scan();
    }
}

/**
 * Host callbacks written in PHP: an exception thrown in one never crosses
 * the C frames. The library gets ITSM_EUSER, and the very same exception
 * is re-thrown once the C call has returned.
 */
final class CallbacksTest extends TestCase
{
    private FlakyStore $store;
    private Clock $clock;
    private Engine $eng;
    private Record $rec;

    protected function setUp(): void
    {
        $this->store = new FlakyStore();
        $this->clock = new Clock();
        $this->eng = new Engine(store: $this->store, clock: $this->clock);
        $this->rec = $this->eng->open('incident', ['summary' => 'VPN drops', 'impact' => 2, 'urgency' => 2]);
        $this->rec->fire('assign', ['assignment_group' => 'network']);
        $this->rec->addNote('first look');
        $this->eng->open('incident', ['summary' => 'link target']);
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    private function cCode(): int
    {
        return Native::ffi()->itsm_errcode($this->eng->ptr());
    }

    public function testThrowingStoreLeavesRecordsUnchangedAndTheOriginalExceptionSurfaces(): void
    {
        $steps = [
            fn () => $this->rec->update(['summary' => 'VPN drops every hour', 'impact' => 1]),
            fn () => $this->rec->fire('start', ['assignee' => 'nina']),
            fn () => $this->rec->addNote('still looking'),
            fn () => $this->rec->link('INC-000002'),
            fn () => $this->eng->open('incident', ['summary' => 'another']),
        ];
        $stored = $this->store->inner->events;
        $before = Snapshot::engine($this->eng);
        $this->store->down = true;
        foreach ($steps as $i => $step) {
            $thrown = new \RuntimeException("down at step $i");
            $this->store->toThrow = $thrown;
            try {
                $step();
                $this->fail("step $i went through a failing store");
            } catch (\RuntimeException $e) {
                $this->assertSame($thrown, $e, 'the very exception the store threw');
            }
            $this->assertSame(Native::ITSM_EUSER, $this->cCode(), 'C saw ITSM_EUSER');
            $this->assertEquals($before, Snapshot::engine($this->eng));
            $this->assertSame($stored, $this->store->inner->events);
        }
        $this->store->down = false;
        $this->rec->fire('start', ['assignee' => 'nina']);
        $this->assertSame('in_progress', $this->rec->state());
    }

    public function testStoreMayReportConflictOrStoreErrorAndTheEngineReportsThatCode(): void
    {
        foreach ([Conflict::class => Native::ITSM_ECONFLICT, StoreError::class => Native::ITSM_ESTORE]
                 as $class => $code) {
            $this->store->down = true;
            $this->store->toThrow = $cause = new $class('disk full');
            try {
                $this->rec->addNote('x');
                $this->fail('no exception');
            } catch (\Throwable $e) {
                $this->assertInstanceOf($class, $e);
                $this->assertNotSame($cause, $e, "the engine's own exception");
                $this->assertSame($cause, $e->getPrevious());
                $this->assertSame($code, $e->getCode());
                $this->assertSame($code, $this->cCode());
            }
        }
    }

    public function testErrorsAndFatalLikeThrowablesAreCaughtToo(): void
    {
        $this->store->down = true;
        $this->store->toThrow = new \TypeError('a bug in the host');
        try {
            $this->rec->addNote('x');
            $this->fail('no exception');
        } catch (\TypeError $e) {
            $this->assertSame('a bug in the host', $e->getMessage());
        }
        $this->assertSame(1, count($this->rec->timeline()));
    }

    public function testThrowingClockRefusesTheStepAndSurfacesTheOriginal(): void
    {
        $thrown = new \DomainException('no NTP');
        $eng = new Engine(clock: function () use ($thrown): int {
            throw $thrown;
        });
        try {
            $eng->open('incident');
            $this->fail('opened without a time');
        } catch (\DomainException $e) {
            $this->assertSame($thrown, $e);
        }
        $this->assertCount(0, $eng);
        $this->expectExceptionObject($thrown);
        $eng->now();
    }

    public function testClockMayReturnIntSecondsOrAnyDateTimeButNotAString(): void
    {
        $t = 1709542800;
        $eng = new Engine(clock: fn () => $t);
        $this->assertEquals(new DateTimeImmutable('@1709542800'), $eng->open('incident')->opened_at);
        $eng = new Engine(clock: fn () => new \DateTime('2024-03-04 10:00', new \DateTimeZone('Europe/Berlin')));
        $this->assertSame('2024-03-04T09:00:00+00:00', $eng->now()->format(DATE_ATOM));
        $eng = new Engine(clock: 'time');
        $this->assertEqualsWithDelta(time(), $eng->now()->getTimestamp(), 5);
        $eng = new Engine(clock: fn () => '2024-03-04');
        try {
            $eng->open('incident');
            $this->fail('a string clock was accepted');
        } catch (\TypeError $e) {
            $this->assertStringContainsString('clock', $e->getMessage());
        }
        $eng = new Engine(clock: fn () => -5);
        $this->expectException(InvalidArgument::class);
        $eng->open('incident');
    }

    public function testSinkSeesAppliedBatchesAndItsExceptionStillReachesTheCaller(): void
    {
        $seen = [];
        $eng = new Engine(clock: $this->clock, sink: function (array $events) use (&$seen): void {
            $seen[] = array_map(fn (Event $e) => $e->type, $events);
            if (count($seen) === 3) {
                throw new \LogicException('chat is down');
            }
        });
        $a = $eng->open('incident', ['summary' => 'a']);
        $b = $eng->open('problem', ['summary' => 'b']);
        try {
            $a->link($b);
            $this->fail('the sink exception was lost');
        } catch (\LogicException $e) {
            $this->assertSame('chat is down', $e->getMessage());
        }
        $this->assertCount(1, $a->links(), 'the change stands');
        $this->assertSame([['open'], ['open'], ['link', 'link']], $seen);
    }

    public function testCallbackCallingBackIntoItsEngineGetsStateError(): void
    {
        $eng = null;
        $inner = null;
        $eng = new Engine(sink: function () use (&$eng, &$inner): void {
            try {
                $eng->open('incident', ['summary' => 'from inside']);
            } catch (StateError $e) {
                $inner = $e;
                throw $e;
            }
        });
        try {
            $eng->open('incident');
            $this->fail('re-entry went through');
        } catch (StateError $e) {
            $this->assertSame($inner, $e);
        }
        $this->assertCount(1, $eng);
    }

    public function testClosingFromInsideACallbackIsRefused(): void
    {
        $eng = null;
        $eng = new Engine(sink: function () use (&$eng): void {
            $eng->close();
        });
        try {
            $eng->open('incident');
            $this->fail('closed inside its own sink');
        } catch (StateError $e) {
            $this->assertStringContainsString('inside its own callback', $e->getMessage());
        }
        $this->assertFalse($eng->isClosed());
        $this->assertCount(1, $eng);
        $eng->close();
    }

    public function testScanThatThrowsSurfacesFromLoad(): void
    {
        $store = new class implements Store {
            public function append(array $events): void
            {
            }

            public function scan(): iterable
            {
                yield '{"v":1}';
                throw new \UnexpectedValueException('corrupt page');
            }
        };
        $eng = new Engine(store: $store);
        try {
            $eng->load();
            $this->fail('no exception');
        } catch (\Throwable $e) {
            // The first event is refused by the library (ParseError) before the generator throws.
            $this->assertInstanceOf(\Itsm\Exception\ParseError::class, $e);
        }
        $store2 = new class implements Store {
            public function append(array $events): void
            {
            }

            public function scan(): iterable
            {
                throw new \UnexpectedValueException('corrupt page');
            }
        };
        $this->expectException(\UnexpectedValueException::class);
        (new Engine(store: $store2))->load();
    }

    public function testAClosedEngineNeverCallsItsCallbacksAgain(): void
    {
        $appends = $this->store->appends;
        $this->eng->close();
        $this->assertSame($appends, $this->store->appends);
        $this->expectException(StateError::class);
        $this->rec->addNote('after close');
    }
}
