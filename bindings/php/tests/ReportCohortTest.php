<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\NotFound;
use Itsm\Exception\ParseError;
use Itsm\ReportGroup;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/** A report's cohort narrowed by a filter (a condition) and broken down by a field (report.h). */
final class ReportCohortTest extends TestCase
{
    private Engine $eng;

    protected function setUp(): void
    {
        $this->eng = new Engine(clock: new Clock(), actor: 'ann');
        foreach ([['mail', 1], ['mail', 3], ['payroll', 2], [null, 3]] as [$service, $impact]) {
            $f = ['summary' => 'x', 'impact' => $impact, 'urgency' => 3];
            if ($service !== null) {
                $f['service'] = $service;
            }
            $this->eng->open('incident', $f);
        }
        $this->eng->open('problem', ['summary' => 'p', 'service' => 'mail']);
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    public function testGroupByBreaksTheCohortDownByValue(): void
    {
        $rep = $this->eng->report(groupBy: 'service');
        $this->assertSame('service', $rep->groupBy());
        $this->assertNull($rep->filter());
        $rows = $rep->groups();
        $this->assertContainsOnlyInstancesOf(ReportGroup::class, $rows);
        $this->assertSame([[null, 1], ['mail', 3], ['payroll', 1]],
            array_map(fn (ReportGroup $g) => [$g->value, $g->count], $rows));
        $this->assertSame([0, 0, 0], [$rows[1]->resolved, $rows[1]->met, $rows[1]->breached]);
        $this->assertSame('service', $rep->data()['groups']['field']);

        $byImpact = $this->eng->report(kinds: 'incident', groupBy: 'impact');
        $this->assertSame([['1', 1], ['2', 1], ['3', 2]],
            array_map(fn (ReportGroup $g) => [$g->value, $g->count], $byImpact->groups()));
        $this->assertSame([], $this->eng->report()->groups());
    }

    public function testAFilterKeepsOnlyTheRecordsItHoldsFor(): void
    {
        $rep = $this->eng->report(filter: "kind == 'incident' and service == 'mail'", groupBy: 'impact');
        $this->assertSame("kind == 'incident' and service == 'mail'", $rep->filter());
        $this->assertSame(2, $rep->total());
        $this->assertSame([['1', 1], ['3', 1]], array_map(fn (ReportGroup $g) => [$g->value, $g->count], $rep->groups()));
        $this->assertSame("kind == 'incident' and service == 'mail'", $rep->data()['filter']);
        $this->assertStringContainsString("period,filter,,kind == 'incident' and service == 'mail'", $rep->toCsv());
    }

    public function testABadFilterOrFieldIsRefused(): void
    {
        try {
            $this->eng->report(filter: 'priority <=');
            $this->fail('an unfinished condition');
        } catch (ParseError $e) {
            $this->assertSame(-9, $e->getCode());
        }
        $this->expectException(NotFound::class);
        $this->eng->report(groupBy: 'colour');
    }
}
