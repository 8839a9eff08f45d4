<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Event;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\StateError;
use Itsm\Exception\StoreError;
use Itsm\GroupStore;
use Itsm\Store;
use Itsm\Store\MemoryStore;
use Itsm\Store\PdoStore;
use Itsm\Tests\Support\Clock;
use PDO;
use PHPUnit\Framework\TestCase;

/** Group commit: many changes, one durable write (Engine::begin/commit/rollback/transaction, engine.h). */
final class GroupCommitTest extends TestCase
{
    /** @var list<string> event types the sink heard */
    private array $heard = [];

    private function engine(Store $store): Engine
    {
        return new Engine(store: $store, clock: new Clock(), actor: 'ann',
            sink: function (array $events): void {
                foreach ($events as $e) {
                    $this->heard[] = $e->type;
                }
            });
    }

    public function testAGroupIsKeptAtItsCommitAndTheSinkHearsItThen(): void
    {
        $store = new MemoryStore();
        $eng = $this->engine($store);
        $inc = $eng->open('incident', ['summary' => 'before']);
        $this->heard = [];
        $eng->begin();
        $a = $eng->open('incident', ['summary' => 'in the group']);
        $inc->update(['summary' => 'changed in the group']);
        $this->assertSame('changed in the group', $inc->summary, 'reads see a change at once');
        $this->assertSame(2, $eng->groupEvents());
        $this->assertSame([], $this->heard, 'the sink waits for the commit');
        $eng->commit();
        $this->assertSame(['open', 'update'], $this->heard);
        $this->assertSame(0, $eng->groupEvents());
        $this->assertCount(4, $store, 'the version\'s document, the open before, the two of the group');
        $this->assertSame('in the group', $a->summary);
        $eng->close();
    }

    public function testARollbackKeepsNothingAndRecordsFollow(): void
    {
        $store = new MemoryStore();
        $eng = $this->engine($store);
        $inc = $eng->open('incident', ['summary' => 'before']);
        $eng->begin();
        $gone = $eng->open('incident', ['summary' => 'dropped']);
        $inc->update(['summary' => 'dropped too']);
        $eng->rollback();
        $this->assertCount(2, $store, 'the open before the group and its version\'s document');
        $this->assertSame('before', $inc->summary, 'the record is back at the last commit');
        $this->assertSame(1, $inc->revision());
        $this->assertSame(1, count($eng));
        $this->expectException(StateError::class);
        $gone->state();
    }

    public function testTransactionCommitsOrRollsBackAndRethrows(): void
    {
        $store = new MemoryStore();
        $eng = $this->engine($store);
        $id = $eng->transaction(fn (Engine $e) => $e->open('incident', ['summary' => 'kept'])->id());
        $this->assertSame('INC-000001', $id);
        $this->assertCount(2, $store, 'the open and its version\'s document');
        try {
            $eng->transaction(function (Engine $e): void {
                $e->open('incident', ['summary' => 'not kept']);
                throw new \DomainException('the import failed half way');
            });
            $this->fail('transaction() must re-throw');
        } catch (\DomainException $e) {
            $this->assertSame('the import failed half way', $e->getMessage());
        }
        $this->assertCount(2, $store);
        $this->assertSame(1, count($eng));
        $eng->close();
    }

    public function testAStoreWithoutGroupsCannotBegin(): void
    {
        $plain = new class implements Store {
            public function append(array $events): void
            {
            }

            public function scan(): iterable
            {
                return [];
            }
        };
        $eng = new Engine(store: $plain);
        $this->expectException(InvalidArgument::class);
        try {
            $eng->begin();
        } finally {
            $eng->close();
        }
    }

    public function testAGroupCannotBeOpenedTwiceNorCommittedWhenNoneIsOpen(): void
    {
        $eng = $this->engine(new MemoryStore());
        $eng->begin();
        try {
            $eng->begin();
            $this->fail('a second begin() must be refused');
        } catch (StateError) {
        }
        $eng->commit();
        $this->expectException(StateError::class);
        try {
            $eng->commit();
        } finally {
            $eng->close();
        }
    }

    public function testAFailedCommitReloadsTheLastCommitAndThrowsTheStoresError(): void
    {
        $store = new class implements GroupStore {
            public MemoryStore $inner;
            public bool $failCommit = true;

            public function __construct()
            {
                $this->inner = new MemoryStore();
            }

            public function append(array $events): void
            {
                $this->inner->append($events);
            }

            public function scan(): iterable
            {
                return $this->inner->scan();
            }

            public function group(int $op): void
            {
                if ($op === GroupStore::GROUP_COMMIT && $this->failCommit) {
                    $this->inner->group(GroupStore::GROUP_ABORT);
                    throw new StoreError('the disk is full');
                }
                $this->inner->group($op);
            }
        };
        $eng = $this->engine($store);
        $inc = $eng->open('incident', ['summary' => 'before']);
        $this->heard = [];
        $eng->begin();
        $inc->update(['summary' => 'lost']);
        try {
            $eng->commit();
            $this->fail('commit() must throw');
        } catch (StoreError $e) {
            $this->assertInstanceOf(StoreError::class, $e->getPrevious());
        }
        $this->assertSame([], $this->heard, 'the sink heard nothing of the lost group');
        $this->assertSame('before', $inc->summary);
        $inc->update(['summary' => 'after']);
        $this->assertSame(2, $inc->revision());
        $eng->close();
    }

    public function testPdoStoreKeepsAGroupInOneTransactionOthersSeeOnlyAtCommit(): void
    {
        $file = tempnam(sys_get_temp_dir(), 'itsm-group-');
        try {
            $eng = $this->engine(new PdoStore(new PDO("sqlite:$file")));
            $other = new PDO("sqlite:$file");
            $count = fn (): int => (int) $other->query('SELECT COUNT(*) FROM itsm_events')->fetchColumn();
            $eng->open('incident', ['summary' => 'first']);
            $eng->begin();
            for ($i = 0; $i < 5; $i++) {
                $eng->open('incident', ['summary' => "batch $i"]);
            }
            // the first open and its version's document before it
            $this->assertSame(2, $count(), 'another connection sees nothing of an open group');
            $eng->commit();
            $this->assertSame(7, $count());
            $eng->begin();
            $eng->open('incident', ['summary' => 'dropped']);
            $eng->rollback();
            $this->assertSame(7, $count());
            $eng->close();

            $again = new Engine(store: new PdoStore(new PDO("sqlite:$file")), load: true);
            $this->assertSame(6, count($again));
            $again->close();
        } finally {
            if (is_file($file)) {
                unlink($file);
            }
        }
    }
}
