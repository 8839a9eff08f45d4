<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\FieldChange;
use Itsm\Store;
use Itsm\Store\MemoryStore;
use Itsm\Store\PdoStore;
use Itsm\Exception\StoreError;
use Itsm\Tests\Support\Clock;
use Itsm\Tests\Support\Stored;
use PDO;
use PHPUnit\Framework\TestCase;

/** Record::history(): every stored event of a record, read back through the store's readRecord (record.h). */
final class HistoryTest extends TestCase
{
    /** @return array<string, array{Store}> */
    public static function stores(): array
    {
        return ['memory' => [new MemoryStore()], 'pdo-sqlite' => [new PdoStore(new PDO('sqlite::memory:'))]];
    }

    /** @dataProvider stores */
    public function testSixChangesAreSixEntriesWithWhoWhenAndOldValues(Store $store): void
    {
        $clock = new Clock();
        $eng = new Engine(store: $store, clock: $clock, actor: 'alice');
        $inc = $eng->open('incident', ['summary' => 'Mail is down', 'impact' => 2, 'urgency' => 2]);
        $clock->advance('+1 minute');
        $inc->update(['impact' => 1, 'category' => 'email']);
        $clock->advance('+1 minute');
        $eng->setActor('bob');
        $inc->fire('assign', ['assignment_group' => 'messaging']);
        $clock->advance('+1 minute');
        $inc->fire('start', ['assignee' => 'carol']);
        $clock->advance('+1 minute');
        $inc->addNote('restarted the relay');
        $clock->advance('+1 minute');
        $inc->update(['assignment_group' => 'network']);

        $this->assertCount(1, $inc->timeline(), 'the engine keeps the note only');
        $h = $inc->history();
        $this->assertTrue($h->complete);
        $this->assertCount(6, $h);
        $e = $h->entries;
        $this->assertSame(['open', 'update', 'transition', 'transition', 'note', 'update'],
            array_map(fn ($x) => $x->type, $e));
        $this->assertSame(['alice', 'alice', 'bob', 'bob', 'bob', 'bob'], array_map(fn ($x) => $x->author, $e));
        $this->assertSame([1, 2, 3, 4, 5, 6], array_map(fn ($x) => $x->revision, $e));
        foreach ($e as $i => $x) {
            $this->assertEquals(Clock::t0()->modify("+$i minutes"), $x->at);
        }
        $changes = [];
        foreach ($e[1]->changes as $c) {
            $changes[$c->field] = [$c->old, $c->new];
        }
        $this->assertSame(['impact' => ['2', '1'], 'category' => [null, 'email'], 'priority' => ['3', '2']],
            array_intersect_key($changes, ['impact' => 1, 'category' => 1, 'priority' => 1]));
        $this->assertSame('assign: new -> assigned', $e[2]->text);
        $this->assertSame(['assign', 'new', 'assigned'], [$e[2]->event, $e[2]->fromState, $e[2]->toState]);
        $this->assertSame('', $e[2]->kind);
        $this->assertSame(['work', 'restarted the relay'], [$e[4]->kind, $e[4]->text]);
        $this->assertContainsEquals(new FieldChange('assignment_group', 'messaging', 'network'), $e[5]->changes);
        $this->assertSame('network', $e[5]->data()['set']['assignment_group']);
        $eng->close();
    }

    public function testEveryStoredEventOfTheRecordIsInItsHistoryInOrder(): void
    {
        $clock = new Clock();
        $store = new MemoryStore();
        $eng = new Engine(store: $store, clock: $clock, actor: 'desk');
        $a = $eng->open('incident', ['summary' => 'Card payments fail', 'impact' => 2, 'urgency' => 1,
                                     'service' => 'payments']);
        $b = $eng->open('incident', ['summary' => 'Slow receipts', 'impact' => 3, 'urgency' => 3]);
        $a->link($b);
        $a->fire('start', ['assignment_group' => 'Desk', 'assignee' => 'ann']);
        $a->escalate('restarted the gateway', 2, 'payments-l2');
        $a->proposeMajor('all stores');
        $a->acceptMajor('mim');
        $clock->advance('+16 minutes');
        $eng->tick();
        $a->packet('shift')->propose()->acknowledge('night-mim');

        $types = [];
        $total = 0;
        foreach ([$a, $b] as $rec) {
            $h = $rec->history();
            $this->assertCount($rec->revision(), $h);
            $own = array_values(array_filter($store->events,
                fn (string $j) => json_decode($j, true)['record'] === $rec->id()));
            $this->assertSame($own, array_map(fn ($x) => $x->json, $h->entries));
            foreach ($h as $x) {
                $this->assertNotSame('', $x->text);
                $types[$x->type] = true;
            }
            $total += count($h);
        }
        $this->assertSame(count(Stored::records($store->events)), $total);
        foreach (['open', 'link', 'transition', 'functional_escalation', 'major_proposed', 'major_decided',
                  'major_deadline_missed', 'handover_propose', 'handover_acknowledge'] as $type) {
            $this->assertArrayHasKey($type, $types, "a $type event in the history");
        }
        $eng->close();
    }

    public function testWithoutReadRecordTheHistoryIsTheNotes(): void
    {
        $plain = new class implements Store {
            /** @var list<string> */
            public array $events = [];

            public function append(array $events): void
            {
                foreach ($events as $ev) {
                    $this->events[] = $ev->json;
                }
            }

            public function scan(): iterable
            {
                return $this->events;
            }
        };
        $eng = new Engine(store: $plain);
        $inc = $eng->open('incident', ['summary' => 'x']);
        $inc->addNote('first');
        $inc->update(['summary' => 'y']);
        $h = $inc->history();
        $this->assertFalse($h->complete);
        $this->assertSame([['note', 'first', 0, null]],
            array_map(fn ($x) => [$x->type, $x->text, $x->revision, $x->json], $h->entries));
        $eng->close();
        $this->assertFalse((new Engine())->open('incident')->history()->complete, 'no store at all');
    }

    public function testAnExceptionInReadRecordIsThrownAfterTheCall(): void
    {
        $store = new class implements \Itsm\RecordStore {
            private MemoryStore $inner;

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

            public function readRecord(string $recordId): iterable
            {
                throw new \RuntimeException("disk gone while reading $recordId");
            }
        };
        $eng = new Engine(store: $store);
        $inc = $eng->open('incident');
        try {
            $inc->history();
            $this->fail('history() must throw');
        } catch (\RuntimeException $e) {
            $this->assertStringContainsString($inc->id(), $e->getMessage());
        }
        $inc->update(['summary' => 'still works']);
        $this->assertSame(2, $inc->revision());
        $eng->close();
    }

    public function testAStoreThatGivesAnotherRecordsEventsIsAStoreError(): void
    {
        $store = new class implements \Itsm\RecordStore {
            public MemoryStore $inner;

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

            public function readRecord(string $recordId): iterable
            {
                return array_slice(Stored::records($this->inner->events), 0, 1);
            }
        };
        $eng = new Engine(store: $store);
        $eng->open('incident');
        $inc = $eng->open('incident');
        $this->expectException(StoreError::class);
        $this->expectExceptionMessage('gave an event of INC-000001');
        try {
            $inc->history();
        } finally {
            $eng->close();
        }
    }
}
