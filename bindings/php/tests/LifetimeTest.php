<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\OutOfMemory;
use Itsm\Exception\StateError;
use Itsm\Store\MemoryStore;
use Itsm\Testing\CountingAllocator;
use Itsm\Tests\Support\Clock;
use Itsm\Tests\Support\Snapshot;
use PHPUnit\Framework\TestCase;

/**
 * Deterministic freeing: close() or the last reference frees the C objects
 * at once; a record keeps its engine alive; packets and reports outlive
 * their engine; a failed allocation is OutOfMemory and changes nothing.
 */
final class LifetimeTest extends TestCase
{
    public function testCloseFreesEveryBlockTheEngineHeld(): void
    {
        $alloc = new CountingAllocator();
        $clock = new Clock();
        $eng = new Engine(clock: $clock, allocator: $alloc);
        Snapshot::busy($eng, $clock);
        $this->assertGreaterThan(0, $alloc->live);
        $eng->close();
        $this->assertSame(0, $alloc->live);
    }

    public function testTheLastReferenceFreesTheEngine(): void
    {
        $alloc = new CountingAllocator();
        $store = new MemoryStore();
        $eng = new Engine(store: $store, allocator: $alloc);
        $rec = $eng->open('incident', ['summary' => 'x']);
        $weakEngine = \WeakReference::create($eng);
        $weakStore = \WeakReference::create($store);
        unset($eng, $store);
        $this->assertNotNull($weakEngine->get(), 'a record keeps its engine alive');
        $this->assertSame('new', $rec->state());
        unset($rec);
        $this->assertNull($weakEngine->get());
        $this->assertSame(0, $alloc->live, 'freed at once, not at the end of the request');
        $this->assertNull($weakStore->get(), 'the store is released with the engine');
    }

    public function testAnEngineThatCannotBeMadeIsOutOfMemoryWithAMessage(): void
    {
        $alloc = new CountingAllocator();
        $eng = null;
        for ($n = 1; $eng === null && $n < 10000; $n++) {
            $alloc->failAfter($n);
            try {
                $eng = new Engine(allocator: $alloc);
            } catch (OutOfMemory $e) {
                $this->assertNotSame('', $e->getMessage());
                $this->assertSame(0, $alloc->live, "allocation $n failed and left blocks behind");
            }
        }
        $this->assertNotNull($eng);
        $this->assertGreaterThan(2, $n, 'making an engine allocates');
        $eng->close();
        $this->assertSame(0, $alloc->live);
    }

    public function testAConstructorThatFailsToLoadFreesWhatItMade(): void
    {
        $alloc = new CountingAllocator();
        $store = new MemoryStore(['{"v":1,"type":"open","record":"INC-1","rev":1}']);
        try {
            new Engine(store: $store, allocator: $alloc, actor: 'desk', load: true);
            $this->fail('loaded a broken store');
        } catch (\Itsm\Exception\ItsmException) {
        }
        $this->assertSame(0, $alloc->live);
    }

    public function testPacketsAndReportsOutliveTheEngineAndAreFreedByClose(): void
    {
        $alloc = new CountingAllocator();
        $eng = new Engine(clock: new Clock(), allocator: $alloc, actor: 'desk');
        $inc = $eng->open('incident', ['summary' => 'Mail down', 'impact' => 2, 'urgency' => 2]);
        $pkt = $inc->packet('shift');
        $rep = $eng->report();
        $copy = $eng->policy();
        $eng->close();
        $this->assertGreaterThan(0, $alloc->live);
        $this->assertSame('Mail down', $pkt->text('object'));
        $this->assertSame(1, $rep->total());
        $this->assertSame(3, $copy->priority(2, 2));
        $pkt->close();
        $rep->close();
        unset($copy);
        $this->assertSame(0, $alloc->live);
        $this->expectException(StateError::class);
        $pkt->kind();
    }

    public function testTheEnginesOwnPacketsDieWithIt(): void
    {
        $eng = new Engine(clock: new Clock(), actor: 'desk');
        $inc = $eng->open('incident', ['summary' => 'x']);
        $inc->packet('shift')->propose();
        [$own] = $eng->handovers();
        $this->assertFalse($own->isOwned());
        $eng->close();
        $this->expectException(StateError::class);
        $own->state();
    }

    public function testEveryFailedAllocationIsOutOfMemoryAndChangesNothing(): void
    {
        $alloc = new CountingAllocator();
        $eng = new Engine(clock: new Clock(), allocator: $alloc, actor: 'desk');
        $inc = $eng->open('incident', ['summary' => 'Mail down', 'impact' => 2, 'urgency' => 2]);
        $steps = [
            fn () => $eng->open('incident', ['summary' => str_repeat('long text ', 50), 'service' => 'mail',
                                             'category' => 'email', 'impact' => 2, 'urgency' => 2]),
            fn () => $inc->link('INC-000002'),
            fn () => $inc->addNote(str_repeat('a long note ', 100)),
        ];
        foreach ($steps as $i => $step) {
            $before = Snapshot::engine($eng);
            $failures = 0;
            for ($n = 1; ; $n++) {
                $alloc->failAfter($n);
                try {
                    $step();
                    break;
                } catch (OutOfMemory $e) {
                    $failures++;
                    $this->assertSame(-1, $e->getCode());
                    $this->assertEquals($before, Snapshot::engine($eng), "step $i: allocation $n failed half-way");
                }
            }
            $alloc->failAfter(null);
            $this->assertGreaterThan(0, $failures, "step $i allocates");
            $this->assertNotEquals($before, Snapshot::engine($eng));
        }
        $eng->close();
        $this->assertSame(0, $alloc->live);
    }

    public function testAnAllocatorThatThrowsIsRethrownAfterTheCall(): void
    {
        $alloc = new class extends \Itsm\Testing\CountingAllocator {
            public bool $explode = false;

            public function malloc(int $size): ?\FFI\CData
            {
                if ($this->explode) {
                    throw new \OverflowException('quota');
                }
                return parent::malloc($size);
            }
        };
        $eng = new Engine(allocator: $alloc);
        $alloc->explode = true;
        try {
            $eng->open('incident', ['summary' => 'x']);
            $this->fail('no exception');
        } catch (\OverflowException $e) {
            $this->assertSame('quota', $e->getMessage());
        }
        $alloc->explode = false;
        $this->assertCount(0, $eng);
        $eng->close();
        $this->assertSame(0, $alloc->live);
    }
}
