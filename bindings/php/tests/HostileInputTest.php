<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\ItsmException;
use Itsm\Exception\ParseError;
use Itsm\Packet;
use Itsm\Policy;
use Itsm\Record;
use Itsm\Store;
use Itsm\Store\MemoryStore;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * Strings a careless or hostile caller passes (README "Errors": "A string
 * with a NUL byte is InvalidArgument (C would cut it short)"), bytes that
 * are not UTF-8, and stores that yield garbage: each is the documented
 * exception and leaves the engine as it was.
 */
final class HostileInputTest extends TestCase
{
    private Engine $eng;
    private Record $inc;

    protected function setUp(): void
    {
        $this->eng = new Engine(store: new MemoryStore(), clock: new Clock(), actor: 'sd.maria');
        $this->inc = $this->eng->open('incident', ['summary' => 's', 'caller' => 'c',
            'service' => 'mail', 'impact' => 3, 'urgency' => 3]);
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    /** @return array<string, callable(string): mixed> calls whose string C takes NUL-terminated */
    private function calls(): array
    {
        $eng = $this->eng;
        $inc = $this->inc;
        return [
            'open summary' => fn ($v) => $eng->open('incident', ['summary' => $v]),
            'open id' => fn ($v) => $eng->open('incident', ['summary' => 'x'], $v),
            'update' => fn ($v) => $inc->update(['caller' => $v]),
            'find' => fn ($v) => $eng->find($v),
            'fire' => fn ($v) => $inc->fire($v),
            'addNote' => fn ($v) => $inc->addNote($v),
            'setActor' => fn ($v) => $eng->setActor($v),
            'symbol' => fn ($v) => $eng->symbol($v),
            'searchKnowledge' => fn ($v) => $eng->searchKnowledge($v),
            'proposeMajor' => fn ($v) => $inc->proposeMajor($v),
            'ingestAlert' => fn ($v) => $eng->ingestAlert($v, ['summary' => 'x']),
            'packet setText' => fn ($v) => $inc->packet('shift')->setText('status', $v),
            'packet add' => fn ($v) => $inc->packet('shift')->add('actions', $v),
            'setCalendar' => fn ($v) => Policy::default()->setCalendar($v, array_fill(0, 7, ['09:00', '17:00'])),
        ];
    }

    public function testAStringWithANulByteIsInvalidArgumentEverywhere(): void
    {
        $before = $this->inc->fields(true);
        foreach ($this->calls() as $name => $call) {
            // "INC-000001" before the NUL would name a real record, symbol or id.
            try {
                $call("INC-000001\0junk");
                $this->fail("$name took a string with a NUL byte");
            } catch (InvalidArgument $e) {
                $this->assertSame(-2, $e->getCode(), $name);
                $this->assertStringContainsString('NUL', $e->getMessage(), $name);
            }
        }
        $this->assertEquals($before, $this->inc->fields(true));
        $this->assertCount(1, $this->eng);
        $this->assertNull($this->eng->get("INC-000001\0junk"), 'no record is that id');
    }

    public function testANulInADocumentOrConditionIsSeenNotCutShort(): void
    {
        $this->assertTrue($this->inc->condition('priority == 5'));
        foreach ([fn () => $this->inc->condition("priority == 5\0 and junk"),
                  fn () => Policy::fromJson(Policy::default()->toJson() . "\0"),
                  fn () => Packet::fromJson($this->inc->packet('shift')->toJson() . "\0x")] as $i => $call) {
            try {
                $call();
                $this->fail("call $i took the text after a NUL");
            } catch (ItsmException $e) {
                $this->assertContains(get_class($e), [ParseError::class, InvalidArgument::class]);
            }
        }
    }

    public function testTextThatIsNotUtf8IsRefusedAndChangesNothing(): void
    {
        $before = $this->inc->fields(true);
        foreach (["\xff\xfe", "\xc0\xaf", "\xed\xa0\x80", "ok\x80"] as $bad) {
            try {
                $this->inc->update(['summary' => $bad]);
                $this->fail(bin2hex($bad) . ' was taken');
            } catch (InvalidArgument) {
            }
        }
        $this->assertEquals($before, $this->inc->fields(true));
        $this->expectException(ParseError::class);
        $this->eng->replay("\xff\xfe");
    }

    public function testAStoreWhoseScanYieldsNoStringsIsATypeErrorAndLoadsNothing(): void
    {
        foreach ([[1], [null], [['v' => 1]]] as $docs) {
            $store = new class ($docs) implements Store {
                /** @param list<mixed> $docs */
                public function __construct(private array $docs)
                {
                }

                public function append(array $events): void
                {
                }

                public function scan(): iterable
                {
                    return $this->docs;
                }
            };
            $eng = new Engine(store: $store, clock: new Clock());
            try {
                $eng->load();
                $this->fail('load() took ' . json_encode($docs));
            } catch (\TypeError $e) {
                $this->assertStringContainsString('scan() must yield JSON strings', $e->getMessage());
            }
            $this->assertCount(0, $eng);
            $eng->close();
        }
    }
}
