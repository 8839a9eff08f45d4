<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\Conflict;
use Itsm\Exception\NotFound;
use Itsm\Store\MemoryStore;
use Itsm\Store\PdoStore;
use Itsm\Tests\Support\Clock;
use Itsm\Tests\Support\Snapshot;
use Itsm\Tests\Support\Stored;
use PDO;
use PHPUnit\Framework\TestCase;

/** Replay and load rebuild an engine exactly; stores check revisions. */
final class StoreTest extends TestCase
{
    private string $dir;

    protected function setUp(): void
    {
        $this->dir = sys_get_temp_dir() . '/itsm-php-' . bin2hex(random_bytes(6));
        mkdir($this->dir);
    }

    protected function tearDown(): void
    {
        foreach (glob($this->dir . '/*') ?: [] as $f) {
            unlink($f);
        }
        rmdir($this->dir);
    }

    public function testLoadFromAMemoryStoreRebuildsEveryRecordExactly(): void
    {
        $store = new MemoryStore();
        $clock = new Clock();
        $eng = new Engine(store: $store, clock: $clock);
        Snapshot::busy($eng, $clock);
        $expected = Snapshot::engine($eng);
        $eng->close();

        $again = new Engine(store: $store, load: true);
        $this->assertEquals($expected, Snapshot::engine($again));
        $again->load();                                   // twice is harmless
        $again->replay($store->events);
        $this->assertEquals($expected, Snapshot::engine($again));
    }

    public function testReplayWithoutAStoreAndAGapIsAConflict(): void
    {
        $store = new MemoryStore();
        $eng = new Engine(store: $store, clock: new Clock());
        $inc = $eng->open('incident', ['summary' => 'x']);
        $inc->addNote('one');
        $inc->addNote('two');
        $events = Stored::records($store->events);
        $fresh = new Engine();
        $fresh->replay([$events[0], $events[1]]);
        $this->assertSame(2, $fresh->find('INC-000001')->revision());
        try {
            $other = new Engine();
            $other->replay([$events[0], $events[2]]);
            $this->fail('a gap was replayed');
        } catch (Conflict) {
        }
        $this->expectException(NotFound::class);
        (new Engine())->replay($events[1]);
    }

    public function testPdoSqliteStorePersistsAcrossProcessesOfTheHost(): void
    {
        $path = $this->dir . '/desk.db';
        $clock = new Clock();
        $eng = new Engine(store: new PdoStore(new PDO("sqlite:$path")), clock: $clock);
        Snapshot::busy($eng, $clock);
        $expected = Snapshot::engine($eng);
        $eng->close();

        $store = new PdoStore(new PDO("sqlite:$path"));
        $this->assertGreaterThan(10, count($store));
        $reloaded = new Engine(store: $store, load: true);
        $this->assertEquals($expected, Snapshot::engine($reloaded));
        // One row per accepted change of the record: its revision.
        $this->assertCount($reloaded->find('INC-000001')->revision(), $store->events('INC-000001'));
    }

    public function testTwoEnginesOnOneStoreTheLoserCatchesUpAndRetries(): void
    {
        foreach ([new MemoryStore(), new PdoStore(new PDO('sqlite:' . $this->dir . '/shared.db'))] as $store) {
            $a = new Engine(store: $store, clock: new Clock(), actor: 'a');
            $b = new Engine(store: $store, clock: new Clock(), actor: 'b');
            $a->open('incident', ['summary' => 'shared']);
            $b->load();
            $a->find('INC-000001')->addNote('a was first');
            $rec = $b->find('INC-000001');
            try {
                $rec->addNote('b is late');
                $this->fail('the loser was not told');
            } catch (Conflict $e) {
                $this->assertNotNull($e->getPrevious(), "the store's own Conflict is the cause");
            }
            $b->load();
            $rec->addNote('b is late');
            $this->assertSame(3, $rec->revision());
            $a->load();
            $this->assertCount(2, $a->find('INC-000001')->timeline());
        }
    }
}
