<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use DateTimeImmutable;
use Itsm\Engine;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\NotFound;
use Itsm\Exception\StateError;
use Itsm\Report;
use Itsm\SenderFigures;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/** Reports over a period (report.h). */
final class ReportTest extends TestCase
{
    private const WEEK = 7 * 86400;

    private Clock $clock;
    private Engine $eng;

    protected function setUp(): void
    {
        $this->clock = new Clock();
        $this->eng = new Engine(clock: $this->clock, actor: 'desk');
        foreach ([['network', 1], ['network', 3], ['email', 2], [null, 3]] as $i => [$cat, $impact]) {
            $fields = ['summary' => "case $i", 'impact' => $impact, 'urgency' => 2];
            if ($cat !== null) {
                $fields['category'] = $cat;
            }
            $inc = $this->eng->open('incident', $fields);
            if ($i < 2) {
                $this->clock->advance('+10 minutes');
                $inc->fire('start', ['assignment_group' => 'desk', 'assignee' => 'ann']);
                $this->clock->advance('+1 hour');
                $inc->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'done']);
            }
        }
        $this->eng->open('change', ['summary' => 'c']);
        $this->eng->find('INC-000001')->packet('shift', ['sender_group' => 'desk'])->propose();
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    public function testFigures(): void
    {
        $t0 = Clock::t0();
        $rep = $this->eng->report($t0, $t0->getTimestamp() + self::WEEK, kinds: ['incident']);
        $this->assertInstanceOf(Report::class, $rep);
        $this->assertEquals([$t0, $t0->modify('+7 days')], [$rep->from(), $rep->to()]);
        $this->assertSame('24x7', $rep->calendar());
        $this->assertSame(4, $rep->total());
        $this->assertSame(4, $rep->byKind()['incident']);
        $this->assertSame(0, $rep->byKind()['change']);
        $this->assertSame(2, $rep->byState()['incident']['resolved']);
        $this->assertSame(['' => 1, 'email' => 1, 'network' => 2], $rep->byCategory());
        $this->assertSame(4, array_sum($rep->byPriority()));
        $res = $rep->duration('resolve_wall');
        $this->assertSame(2, $res->count);
        $this->assertSame(70 * 60, $res->p50);
        $this->assertSame($res->max, $res->p99);   // of two, the 99th is the larger
        $this->assertSame(Report::MEASURES, array_keys($rep->durations()));
        $f = $rep->figures();
        $this->assertSame([2, 2, 1.0], [$f->resolved, $f->firstContact, $f->firstContactRate]);
        $this->assertSame(4, $rep->sla()->tracked);
        $senders = $rep->senders();
        $this->assertEquals([new SenderFigures('desk', 1, $senders[0]->meanScore, $senders[0]->complete)], $senders);
        $this->assertSame(4, array_sum($rep->aging()), 'resolved is still open');
        $this->assertSame([0, 86400, 3 * 86400, 7 * 86400, 30 * 86400], array_keys($rep->aging()));
        $this->assertEquals(new DateTimeImmutable('2024-03-04T00:00:00Z'), $rep->trends()[0]->week);
        $this->assertSame(4, array_sum(array_map(fn ($t) => $t->opened, $rep->trends())));
    }

    public function testProcessFiguresComeFromTheStoresHistory(): void
    {
        $this->assertNull($this->eng->report()->process(), 'no store: no history to read');
        $clock = new Clock();
        $eng = new \Itsm\Engine(store: new \Itsm\Store\MemoryStore(), clock: $clock, actor: 'desk');
        // desk (line 1) -> network (2) -> desk (3): two pushes up, and desk had it back
        $a = $eng->open('incident', ['summary' => 'ping', 'assignment_group' => 'desk', 'functional_level' => 1]);
        $a->update(['assignment_group' => 'network', 'functional_level' => 2]);
        $a->update(['assignment_group' => 'desk', 'functional_level' => 3]);
        $a->fire('start', ['assignee' => 'ann']);
        $a->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'done']);
        $b = $eng->open('incident', ['summary' => 'pong', 'assignment_group' => 'desk']);
        $b->fire('start', ['assignee' => 'ann']);
        $b->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'done']);
        $p = $eng->report()->process();
        $this->assertNotNull($p);
        $this->assertSame([2, 1, 2, 1], [$p->completed, $p->stayedFirstLine, $p->functionalEscalations,
                                         $p->escalatedRecords]);
        $this->assertSame([2, 1, 1], [$p->groupChanges, $p->pingPongRecords, $p->pingPongReturns]);
        $eng->close();
    }

    public function testJsonAndCsv(): void
    {
        $rep = $this->eng->report(now: Clock::t0()->modify('+2 days'));
        $data = json_decode($rep->toJson(), true);
        $this->assertSame($data, $rep->data());
        $this->assertSame(5, $data['total']);
        $this->assertEquals(Clock::t0()->modify('+2 days'), $rep->now());
        $this->assertSame($rep->toJson(), $rep->toJson());
        $csv = $rep->toCsv();
        $this->assertStringStartsWith("section,key,subkey,value\r\n", $csv);
        $rows = array_map('str_getcsv', explode("\r\n", trim($csv)));
        $this->assertContains(['total', '', '', '5'], $rows);
        $rep->close();
        $this->expectException(StateError::class);
        $rep->total();
    }

    public function testAReportOutlivesTheEngine(): void
    {
        $rep = $this->eng->report();
        $before = $rep->toJson();
        $this->eng->open('incident', ['summary' => 'later']);
        $this->eng->close();
        $this->assertSame($before, $rep->toJson());
    }

    public function testReportKindsTakeANameOrItsValueAsInPython(): void
    {
        // report(kinds: [1]) was PHP's own TypeError; the Python binding takes
        // a kind's C value beside its name, and so does this one now.
        $byName = $this->eng->report(kinds: ['incident', 'change']);
        $byValue = $this->eng->report(kinds: [1, 'change']);
        $this->assertSame(5, $byValue->total());
        $this->assertSame($byName->byKind(), $byValue->byKind());
        $this->assertSame(1, $this->eng->report(kinds: [4])->total());      // the change
        // A value of no kind is the documented InvalidArgument, never a bit
        // that selects nothing (or, shifted off 32 bits, every kind).
        foreach ([0, 6, -1, 99] as $bad) {
            try {
                $this->eng->report(kinds: [$bad]);
                $this->fail("kinds: [$bad] must be refused");
            } catch (InvalidArgument $e) {
                $this->assertStringContainsString("$bad is no record kind", $e->getMessage());
            }
        }
        $this->expectException(\TypeError::class);
        $this->eng->report(kinds: [1.5]);
    }

    public function testFailingReports(): void
    {
        $t0 = Clock::t0();
        foreach ([[InvalidArgument::class, fn () => $this->eng->report($t0->modify('+7 days'), $t0)],
                  [NotFound::class, fn () => $this->eng->report(calendar: 'nope')],
                  [InvalidArgument::class, fn () => $this->eng->report(kinds: ['gadget'])],
                  [InvalidArgument::class, fn () => $this->eng->report()->duration('lunch')]] as [$class, $bad]) {
            try {
                $bad();
                $this->fail("no $class");
            } catch (\Throwable $e) {
                $this->assertInstanceOf($class, $e);
            }
        }
        $this->eng->close();
        $this->expectException(StateError::class);
        $this->eng->report();
    }
}
