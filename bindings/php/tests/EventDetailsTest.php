<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Event;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\LimitExceeded;
use Itsm\Exception\ParseError;
use Itsm\Policy;
use Itsm\Store\MemoryStore;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * What a sink reads of an event beyond its head (the fields it changes, its
 * policy version, its chain link), an event's binary form, a record's own
 * policy version's policy, and the engine's size hint - as the Python binding's
 * tests/test_event_details.py.
 */
final class EventDetailsTest extends TestCase
{
    /** @var list<Event> */
    private array $seen = [];

    private function sink(): \Closure
    {
        return function (array $events): void {
            foreach ($events as $e) {
                $this->seen[] = $e;
            }
        };
    }

    public function testAnEventNamesTheFieldsItChanges(): void
    {
        $eng = new Engine(clock: new Clock(), sink: $this->sink());
        $inc = $eng->open('incident', ['summary' => 'Mail down', 'impact' => 2, 'urgency' => 1]);
        $inc->update(['assignment_group' => 'desk']);
        $inc->addNote('checked the relay');
        [$opening, $update, $note] = array_slice($this->seen, -3);
        // The derived priority and the stamp count as changes of the opening.
        foreach (['summary', 'impact', 'urgency', 'priority', 'opened_at'] as $f) {
            $this->assertContains($f, $opening->fields);
        }
        $this->assertSame(['assignment_group'], $update->fields);
        $this->assertSame([], $note->fields);
        foreach ($this->seen as $e) {
            $this->assertFalse($e->customFields);
        }
    }

    public function testACustomFieldChangeIsFlagged(): void
    {
        $pol = Policy::default();
        $pol->addField('vendor_ticket', 'symbol');
        $eng = new Engine(policy: $pol, clock: new Clock(), sink: $this->sink());
        $inc = $eng->open('incident', ['summary' => 'x']);
        $inc->update(['vendor_ticket' => 'V-1']);
        $last = end($this->seen);
        $this->assertTrue($last->customFields);
        $this->assertSame([], $last->fields);
    }

    public function testAnEventCarriesItsPolicyVersionAndChainLink(): void
    {
        $store = new MemoryStore();
        $eng = new Engine(store: $store, clock: new Clock(), sink: $this->sink());
        $inc = $eng->open('incident', ['summary' => 'x']);
        $inc->addNote('n');
        $stored = json_decode(end($store->events), true);
        $last = end($this->seen);
        $this->assertSame($stored['hash'], $last->chain);
        $this->assertSame($inc->chainHead(), $last->chain);
        $this->assertSame($eng->policyVersion(), $last->policyVersion);

        $this->seen = [];
        $bare = new Engine(clock: new Clock(), sink: $this->sink());
        $bare->open('incident', ['summary' => 'x']);
        $this->assertNull(end($this->seen)->chain, 'memory only: no chain');
    }

    public function testTheBinaryFormConvertsBothWaysAndReplays(): void
    {
        $store = new MemoryStore();
        $eng = new Engine(store: $store, clock: new Clock());
        $eng->open('incident', ['summary' => 'Mail down', 'impact' => 1, 'urgency' => 2])->addNote('n');
        $blobs = array_map(fn (string $j): string => Event::jsonToBinary($j), $store->events);
        foreach ($blobs as $b) {
            $this->assertSame("\xE5", $b[0]);
        }
        $this->assertSame($store->events, array_map(fn (string $b): string => Event::binaryToJson($b), $blobs));
        $again = new Engine(clock: new Clock());
        $again->replay($blobs);
        $inc = $again->find('INC-000001');
        $this->assertSame([2, 2], [$inc->get('priority'), $inc->revision()]);
        foreach (['{"type":' => 'jsonToBinary', "\xE5\x00" => 'binaryToJson',
                  substr($blobs[0], 0, -3) => 'binaryToJson'] as $bad => $fn) {
            try {
                Event::$fn((string) $bad);
                $this->fail("$fn took bad input");
            } catch (ParseError) {
            }
        }
    }

    public function testARecordReadsThePolicyOfItsOwnVersion(): void
    {
        $eng = new Engine(clock: new Clock());
        $old = $eng->open('incident', ['summary' => 'x']);
        $b = Policy::default()->setName('four');
        $eng->adoptPolicy($b);
        $new = $eng->open('incident', ['summary' => 'y']);
        $this->assertSame($b->hash(), $new->policy()->hash());
        $this->assertNotSame($old->policy()->hash(), $new->policy()->hash());
        $this->assertSame($old->policyVersion(), substr($old->policy()->hash(), 0, 16));
    }

    public function testReserveIsAHintAndRefusesBadCounts(): void
    {
        $eng = new Engine(clock: new Clock());
        $eng->reserve(records: 10000, symbols: 20000);
        $eng->reserve();
        $this->assertSame('INC-000001', $eng->open('incident', ['summary' => 'x'])->id());
        try {
            $eng->reserve(records: -1);
            $this->fail('a negative count was taken');
        } catch (InvalidArgument) {
        }
        try {
            $eng->reserve(symbols: 2 ** 31 + 1);
            $this->fail('over 2^31 symbols was taken');
        } catch (LimitExceeded) {
        }
        $this->assertCount(1, $eng);
    }
}
