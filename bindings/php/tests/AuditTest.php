<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\LimitExceeded;
use Itsm\Exception\TamperedStore;
use Itsm\Store\MemoryStore;
use Itsm\Tests\Support\Clock;
use Itsm\Tests\Support\Stored;
use PHPUnit\Framework\TestCase;

/**
 * Tamper evidence (integrity.h): every stored event carries its record's
 * chain link; a record's head and every record's heads (the audit
 * document) can be kept elsewhere; loading a store edited by hand throws
 * TamperedStore naming the first broken link. Also the engine's symbols.
 */
final class AuditTest extends TestCase
{
    private function engineWithRecords(MemoryStore $store): Engine
    {
        $eng = new Engine(store: $store, clock: new Clock(), actor: 'ann');
        $inc = $eng->open('incident', ['summary' => 'Mail down', 'service' => 'email']);
        $inc->fire('assign', ['assignment_group' => 'desk']);
        $eng->open('problem', ['summary' => 'Relay flaps']);
        return $eng;
    }

    public function testEveryRecordHasAChainHeadAndTheAuditListsThem(): void
    {
        $store = new MemoryStore();
        $eng = $this->engineWithRecords($store);
        $inc = $eng->find('INC-000001');
        $head = $inc->chainHead();
        $this->assertMatchesRegularExpression('/^[0-9a-f]{64}$/', $head);
        $last = json_decode(Stored::records($store->events)[1], true, 512, JSON_THROW_ON_ERROR);
        $this->assertSame([$inc->id(), 2], [$last['record'], $last['rev']]);
        $this->assertSame($last['hash'], $head, 'the head is the link of the newest event');

        $audit = $eng->audit();
        $this->assertSame(1, $audit['itsm_audit']);
        $this->assertSame(2, $audit['records']);
        $this->assertMatchesRegularExpression('/^[0-9a-f]{64}$/', $audit['digest']);
        $this->assertSame([['record' => 'INC-000001', 'rev' => 2, 'hash' => $head],
                           ['record' => 'PRB-000001', 'rev' => 1, 'hash' => $eng->find('PRB-000001')->chainHead()]],
            $audit['heads']);

        // A change moves the head; an engine that loads the same store agrees.
        $inc->addNote('Relay restarted');
        $this->assertNotSame($head, $inc->chainHead());
        $again = new Engine(store: new MemoryStore($store->events), load: true);
        $this->assertSame($eng->auditJson(), $again->auditJson());
        $again->close();
        $eng->close();
    }

    public function testAnEngineWithoutAReadableStoreKeepsNoChain(): void
    {
        $eng = new Engine();
        $inc = $eng->open('incident', ['summary' => 'Mail down']);
        $this->assertNull($inc->chainHead());
        $this->assertNull($eng->audit()['heads'][0]['hash']);
        $eng->close();
    }

    public function testAStoreEditedByHandIsRefusedNamingTheFirstBrokenLink(): void
    {
        $store = new MemoryStore();
        $this->engineWithRecords($store)->close();
        $events = $store->events;
        $this->assertTrue(Stored::isPolicy($events[0]), 'the version\'s document, then the records\' events');
        $events[2] = str_replace('"desk"', '"hackers"', $events[2]);
        $this->assertNotSame($store->events[2], $events[2]);
        $eng = new Engine(store: new MemoryStore($events));
        try {
            $eng->load();
            $this->fail('a tampered store must not load');
        } catch (TamperedStore $e) {
            $this->assertSame(-15, $e->getCode());
            $this->assertStringContainsString('record INC-000001 revision 2', $e->getMessage());
        }
        $this->assertCount(0, $eng, 'nothing of a tampered store is trusted');
        $eng->close();

        // The untouched store loads, and verifies.
        $eng = new Engine(store: new MemoryStore($store->events), load: true);
        $this->assertSame('desk', $eng->find('INC-000001')->assignment_group);
        $eng->close();
    }

    public function testSymbolsAreCheckedAndInterned(): void
    {
        $eng = new Engine();
        $this->assertSame('payroll', $eng->symbol('payroll'));
        $this->assertSame('été', $eng->symbol('été'));
        foreach (['', "a\x01b", "bad\xff"] as $bad) {
            try {
                $eng->symbol($bad);
                $this->fail('symbol ' . bin2hex($bad) . ' must be refused');
            } catch (InvalidArgument $e) {
                $this->assertSame(-2, $e->getCode());
            }
        }
        $this->assertSame(str_repeat('s', 255), $eng->symbol(str_repeat('s', 255)));   // the longest
        try {
            $eng->symbol(str_repeat('é', 128));   // 256 bytes in 128 characters
            $this->fail('a 256-byte symbol was taken');
        } catch (LimitExceeded $e) {
            $this->assertSame(-10, $e->getCode());
        }
        $this->expectException(LimitExceeded::class);
        $eng->symbol(str_repeat('s', 256));
    }
}
