<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use DateTimeImmutable;
use Itsm\Engine;
use Itsm\Event;
use Itsm\Exception\AlreadyExists;
use Itsm\Exception\GuardFailed;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\NotFound;
use Itsm\Exception\StateError;
use Itsm\Exception\TransitionRefused;
use Itsm\Link;
use Itsm\Record;
use Itsm\TimelineEntry;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/** Records: open, fields, update, fire, notes, links, the timeline (record.h, engine.h). */
final class EngineTest extends TestCase
{
    private Clock $clock;
    /** @var list<Event> */
    private array $events = [];
    private Engine $eng;

    protected function setUp(): void
    {
        $this->clock = new Clock();
        $this->eng = new Engine(clock: $this->clock, sink: function (array $evs): void {
            array_push($this->events, ...$evs);
        }, actor: 'sd.maria');
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    public function testOpenGivesAnIdInitialStateAndStampsOpenedAt(): void
    {
        $inc = $this->eng->open('incident', ['summary' => 'Payroll is down', 'caller' => 'j.smith',
                                             'impact' => 2, 'urgency' => 2]);
        $this->assertSame('INC-000001', $inc->id());
        $this->assertSame('incident', $inc->kind());
        $this->assertSame('new', $inc->state());
        $this->assertTrue($inc->isOpen());
        $this->assertSame(1, $inc->revision());
        $this->assertSame('Payroll is down', $inc->summary);
        $this->assertSame(3, $inc->priority, 'priority derived from impact x urgency');
        $this->assertEquals(Clock::t0(), $inc->opened_at);
        $this->assertSame('UTC', $inc->opened_at->getTimezone()->getName());
        $this->assertNull($inc->description);
        $this->assertFalse($inc->major);
        $this->assertSame(0, $inc->reassignments);
        $this->assertSame(['open'], array_map(fn (Event $e) => $e->type, $this->events));
        $this->assertSame('sd.maria', $this->events[0]->actor);
    }

    public function testOpenWithAnIdAndEveryKind(): void
    {
        $prb = $this->eng->open('problem', ['summary' => 'Relay hangs'], 'PRB-mail-1');
        $this->assertSame('PRB-mail-1', $prb->id());
        foreach (Engine::kinds() as $kind) {
            $this->assertSame($kind, $this->eng->open($kind, ['summary' => $kind])->kind());
        }
        $this->expectException(AlreadyExists::class);
        $this->eng->open('problem', [], 'PRB-mail-1');
    }

    public function testUnknownKindAndFieldAreInvalidArguments(): void
    {
        try {
            $this->eng->open('ticket');
            $this->fail('no exception');
        } catch (InvalidArgument $e) {
            $this->assertStringContainsString("unknown record kind 'ticket'", $e->getMessage());
        }
        try {
            $this->eng->open('incident', ['sumary' => 'x']);
            $this->fail('no exception');
        } catch (InvalidArgument $e) {
            $this->assertStringContainsString("did you mean 'summary'", $e->getMessage());
        }
        $this->assertCount(0, $this->eng);
    }

    public function testFieldValuesAreTypedAndWrongTypesAreTypeErrors(): void
    {
        $inc = $this->eng->open('incident');
        foreach ([['impact', true], ['impact', '1'], ['summary', 5], ['contact_verified', 1],
                  ['opened_at', '2024-01-01']] as [$field, $value]) {
            try {
                $inc->update([$field => $value]);
                $this->fail("$field accepted " . var_export($value, true));
            } catch (\TypeError $e) {
                $this->assertStringContainsString("field '$field'", $e->getMessage());
            }
        }
        $this->assertSame(1, $inc->revision());
    }

    public function testFindGetHasAndIterationInOpeningOrder(): void
    {
        $a = $this->eng->open('incident', ['summary' => 'a']);
        $b = $this->eng->open('service_request', ['summary' => 'b']);
        $this->assertSame($a, $this->eng->find('INC-000001'), 'one object per record');
        $this->assertNull($this->eng->get('INC-999999'));
        $this->assertTrue($this->eng->has($b->id()));
        $this->assertCount(2, $this->eng);
        $this->assertSame([$a, $b], iterator_to_array($this->eng));
        $this->assertSame([$b], $this->eng->records(kind: 'service_request'));
        $this->expectException(NotFound::class);
        $this->eng->find('INC-999999');
    }

    public function testRecordsRefusesAnUnknownKindAsReportKindsDoes(): void
    {
        $this->eng->open('incident', ['summary' => 'a']);
        // A misspelt kind matched nothing and gave an empty list.
        foreach (['incidents', 'Incident', 'service-request'] as $bad) {
            foreach ([fn () => $this->eng->records(kind: $bad), fn () => $this->eng->report(kinds: [$bad])] as $call) {
                try {
                    $call();
                    $this->fail("kind '$bad' was taken");
                } catch (InvalidArgument $e) {
                    $this->assertStringStartsWith("unknown record kind '$bad' (one of: incident", $e->getMessage());
                }
            }
        }
        $this->assertSame([], $this->eng->records(kind: 'change'), 'a known kind with no record: empty');
    }

    public function testLinkedRefusesAnUnknownLinkKindAsLinkDoes(): void
    {
        $major = $this->eng->open('incident', ['summary' => 'x']);
        $major->link($this->eng->open('incident', ['summary' => 'y']), 'child');
        foreach (['childs', 'Child', ''] as $bad) {
            try {
                $major->linked($bad);
                $this->fail("link kind '$bad' was taken");
            } catch (InvalidArgument $e) {
                $this->assertSame("link kind must be one of related, parent, child, not '$bad'", $e->getMessage());
            }
        }
        $this->assertSame([], $major->linked('parent'), 'a known kind with no link: empty');
    }

    public function testReplayOfANonStringIsTheBindingsOwnTypeError(): void
    {
        foreach ([[1], 1.5, [null], [['type' => 'open']]] as $docs) {
            try {
                $this->eng->replay(is_float($docs) ? [$docs] : $docs);
                $this->fail('replayed a non-string');
            } catch (\TypeError $e) {
                // Not the one strlen() throws under strict types.
                $this->assertStringStartsWith('replay() takes JSON strings (one, or an iterable of them), not ',
                    $e->getMessage());
                $this->assertStringNotContainsString('strlen', $e->getMessage());
            }
        }
        $this->assertCount(0, $this->eng);
    }

    public function testUpdateIsOneAtomicEventAndRefusalChangesNothing(): void
    {
        $inc = $this->eng->open('incident', ['summary' => 'VPN drops']);
        $inc->update(['category' => 'network', 'impact' => 2, 'urgency' => 2]);
        $this->assertSame(2, $inc->revision());
        $this->assertSame(3, $inc->priority);
        $before = $inc->fields(true);
        try {
            $inc->update(['summary' => 'new text', 'impact' => 9]);
            $this->fail('impact 9 accepted');
        } catch (InvalidArgument $e) {
            $this->assertNotSame('', $e->getMessage());
        }
        $this->assertEquals($before, $inc->fields(true));
        $this->assertSame(2, $inc->revision());
        $inc->update(['summary' => null]);
        $this->assertNull($inc->summary);
        $this->expectException(InvalidArgument::class);
        $inc->update(['opened_at' => 0]);          // engine-owned
    }

    public function testFireMovesTheLifecycleAndGuardFailureNamesTheField(): void
    {
        $inc = $this->eng->open('incident', ['summary' => 'Mail down', 'impact' => 3, 'urgency' => 3]);
        $inc->fire('assign', ['assignment_group' => 'messaging']);
        $this->clock->advance('+10 minutes');
        $inc->fire('start', ['assignee' => 'nina']);
        $this->assertSame('in_progress', $inc->state());
        $this->assertEquals($this->clock->now, $inc->responded_at);
        try {
            $inc->fire('resolve');
            $this->fail('resolved without a resolution');
        } catch (GuardFailed $e) {
            $this->assertInstanceOf(TransitionRefused::class, $e);
            $this->assertSame(-6, $e->getCode());
            $this->assertSame('ITSM_EGUARD', $e->errorName());
            $this->assertStringContainsString('resolution_code', $e->getMessage());
        }
        $this->assertSame('in_progress', $inc->state());
        $inc->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'restarted the relay']);
        $this->assertSame('resolved', $inc->state());
        $transition = end($this->events);
        $this->assertSame('transition', $transition->type);
        $this->assertSame(['resolve', 'in_progress', 'resolved'],
            [$transition->name, $transition->fromState, $transition->toState]);
        try {
            $inc->fire('assign');
            $this->fail('no transition accepted');
        } catch (TransitionRefused $e) {
            $this->assertNotInstanceOf(GuardFailed::class, $e);
            $this->assertStringContainsString("'assign'", $e->getMessage());
        }
    }

    public function testNotesAndCustomerUpdatesOnTheTimeline(): void
    {
        $inc = $this->eng->open('incident', ['summary' => 'x']);
        $inc->addNote('looked at the logs');
        $now = $this->clock->now;
        $inc->addNote('relay restarted', 'customer', $now->modify('+1 hour'), $now->modify('+30 minutes'));
        $tl = $inc->timeline();
        $this->assertCount(2, $tl);
        $this->assertEquals(new TimelineEntry('work', $now, 'sd.maria', 'looked at the logs'), $tl[0]);
        $this->assertSame('customer', $tl[1]->kind);
        $this->assertEquals($now->modify('+30 minutes'), $tl[1]->nextUpdate);
        try {
            $inc->addNote('no times', 'customer');
            $this->fail('customer update without times');
        } catch (InvalidArgument $e) {
            $this->assertStringContainsString('expected', $e->getMessage());
        }
        $this->expectException(InvalidArgument::class);
        $inc->addNote('x', 'system');
    }

    public function testLinksBothWaysAndLinkedRecords(): void
    {
        $inc = $this->eng->open('incident', ['summary' => 'x']);
        $prb = $this->eng->open('problem', ['summary' => 'y']);
        $inc->link($prb);
        $this->assertEquals([new Link('related', 'problem', $prb->id())], $inc->links());
        $this->assertEquals([new Link('related', 'incident', $inc->id())], $prb->links());
        $this->assertSame([$prb], $inc->linked());
        try {
            $inc->link($prb->id());
            $this->fail('linked twice');
        } catch (AlreadyExists) {
        }
        $other = new Engine();
        try {
            $this->expectException(InvalidArgument::class);
            $inc->link($other->open('problem'));
        } finally {
            $other->close();
        }
    }

    public function testStringsWithNulAreRefusedAndBadUtf8ByTheLibrary(): void
    {
        $inc = $this->eng->open('incident');
        foreach (["a\0b", "\xff\xfe"] as $bad) {
            try {
                $inc->update(['summary' => $bad]);
                $this->fail('accepted ' . bin2hex($bad));
            } catch (InvalidArgument) {
            }
        }
        $this->assertSame(1, $inc->revision());
    }

    public function testActorIsRecordedOnEveryEventAndCanBeCleared(): void
    {
        $this->assertSame('sd.maria', $this->eng->actor());
        $this->eng->setActor(null);
        $this->eng->open('incident');
        $this->assertNull(end($this->events)->actor);
        $this->assertNull($this->eng->actor());
    }

    public function testEventJsonIsStableAndItsDataDecodes(): void
    {
        $this->eng->open('incident', ['summary' => 'x']);
        $ev = $this->events[0];
        $this->assertSame('INC-000001', $ev->data()['record']);
        $this->assertSame(1, $ev->revision);
        $this->assertEquals(Clock::t0(), $ev->time);
        $this->assertStringNotContainsString("\n", $ev->json);
    }

    public function testClosedEngineRefusesEveryCallWithStateError(): void
    {
        $inc = $this->eng->open('incident', ['summary' => 'x']);
        $this->eng->close();
        $this->eng->close();                     // twice is harmless
        $this->assertTrue($this->eng->isClosed());
        foreach ([fn () => $inc->state(), fn () => $inc->summary, fn () => $inc->update(['summary' => 'y']),
                  fn () => $this->eng->open('incident'), fn () => count($this->eng), fn () => $inc->timeline()]
                 as $call) {
            try {
                $call();
                $this->fail('a call on a closed engine went through');
            } catch (StateError $e) {
                $this->assertSame('engine is closed', $e->getMessage());
            }
        }
        $this->assertSame('INC-000001 (engine closed)', (string) $inc);
    }

    public function testPolicyOfTheEngineIsACopy(): void
    {
        $pol = $this->eng->policy();
        $pol->setPriority(3, 3, 1);
        $this->assertSame(5, $this->eng->policy()->priority(3, 3));
        $this->assertInstanceOf(DateTimeImmutable::class, $this->eng->now());
        $this->assertInstanceOf(Record::class, $this->eng->open('incident'));
    }
}
