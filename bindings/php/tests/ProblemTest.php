<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Decision;
use Itsm\Engine;
use Itsm\Exception\AlreadyExists;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\StateError;
use Itsm\KnowledgeMatches;
use Itsm\Policy;
use Itsm\ProblemRules;
use Itsm\Record;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/** Problem decisions and acting on them (problem.h), knowledge (knowledge.h). */
final class ProblemTest extends TestCase
{
    private Clock $clock;
    private Engine $eng;

    protected function setUp(): void
    {
        $this->clock = new Clock();
        $this->eng = new Engine(clock: $this->clock, actor: 'desk');
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    /** @param array<string, mixed> $fields */
    private function finished(array $fields = []): Record
    {
        $inc = $this->eng->open('incident', $fields + ['summary' => 'Payroll batch fails', 'service' => 'payroll',
            'category' => 'batch', 'impact' => 3, 'urgency' => 3]);
        $inc->fire('assign', ['assignment_group' => 'apps']);
        $inc->fire('start', ['assignee' => 'ann']);
        $this->clock->advance('+5 minutes');
        $inc->fire('resolve', ['resolution_code' => 'workaround', 'resolution_notes' => 'reran the batch job']);
        return $inc;
    }

    public function testRulesRoundTripAndValidation(): void
    {
        $pol = Policy::default();
        $this->assertEquals(new ProblemRules(), $pol->problemRules());
        $pol->setProblemRules(2, new \DateInterval('P7D'), false);
        $this->assertEquals(new ProblemRules(2, 7 * 86400, false), $pol->problemRules());
        $this->assertStringContainsString('"problem_rules"', $pol->toJson());
        $this->expectException(InvalidArgument::class);
        $pol->setProblemRules(recurrenceCount: 1);
    }

    public function testKepnerTregoeBothYesGoesToProblemWithReasons(): void
    {
        $d = $this->finished()->decideProblem(rootCauseNeeded: true);
        $this->assertInstanceOf(Decision::class, $d);
        $this->assertSame('to_problem', $d->verdict);
        $this->assertTrue($d->problemProposed);
        $this->assertSame(['cause_unknown', 'root_cause_needed'], array_slice($d->reasonCodes(), 0, 2));
        foreach ($d->reasons as $r) {
            $this->assertNotSame('', $r->text);
        }
        $this->assertTrue($d->needsFollowUp());
    }

    public function testCloseAndToChange(): void
    {
        $inc = $this->finished(['service' => 'mail', 'category' => 'mailbox']);
        $d = $inc->decideProblem(rootCauseNeeded: false);
        $this->assertSame('close', $d->verdict);
        $this->assertContains('no_follow_up', $d->reasonCodes());
        $this->assertFalse($d->needsFollowUp());
        $d = $inc->decideProblem(causeKnown: true, fixNeedsChange: true);
        $this->assertSame('to_change', $d->verdict);
        $this->assertContains('fix_needs_change', $d->reasonCodes());
    }

    public function testRecurrence(): void
    {
        for ($i = 0; $i < 3; $i++) {
            $last = $this->finished();
        }
        $this->assertSame(3, $this->eng->recurrence('payroll', 'batch'));
        $this->assertSame(0, $this->eng->recurrence('payroll', 'batch', Clock::t0()->modify('-1 day')));
        $d = $last->decideProblem(rootCauseNeeded: false);
        $this->assertSame('to_problem', $d->verdict);
        $this->assertSame(3, $d->recurrence);
        $this->assertContains('recurrence', $d->reasonCodes());
    }

    public function testFailingDecisions(): void
    {
        try {
            $this->eng->open('incident', ['summary' => 'x'])->decideProblem(rootCauseNeeded: true);
            $this->fail('an open incident was decided');
        } catch (StateError) {
        }
        try {
            $this->finished()->decideProblem();
            $this->fail('only a person can answer question 2');
        } catch (InvalidArgument) {
        }
        $this->expectException(InvalidArgument::class);
        $this->eng->open('change', ['summary' => 'c'])->decideProblem(rootCauseNeeded: true);
    }

    public function testProblemToChangeToFixApplied(): void
    {
        $inc = $this->finished();
        $prb = $inc->openProblem(['assignee' => 'pm.ana'], 'PRB-payroll-1');
        $this->assertSame('PRB-payroll-1', $prb->id());
        $this->assertSame(['problem', $inc->summary, 'payroll'], [$prb->kind(), $prb->summary, $prb->service]);
        $this->assertSame([$prb], $inc->linked('related'));
        try {
            $inc->openProblem([], 'PRB-payroll-1');
            $this->fail('opened twice');
        } catch (AlreadyExists) {
        }
        try {
            $prb->openChange();
            $this->fail('not a known error yet');
        } catch (StateError) {
        }
        $prb->fire('assess', ['assignee' => 'pm.ana']);
        $prb->fire('analyse');
        $prb->fire('identify', ['cause' => 'stale sessions', 'workaround' => 'rerun the job']);
        $this->assertSame('known_error', $prb->state());
        $chg = $prb->openChange(['summary' => 'Fix the session cleanup']);
        $this->assertSame('change', $chg->kind());
        $this->assertSame('normal', $chg->change_type);
        foreach ([fn () => $prb->closeProblem('sideways', 'x'), fn () => $inc->closeProblem('fix_applied', 'x')]
                 as $bad) {
            try {
                $bad();
                $this->fail('accepted');
            } catch (InvalidArgument) {
            }
        }
        $prb->fire('request_change');
        $inc->fire('reopen');
        $inc->fire('hold', ['hold_reason' => 'awaiting_change']);
        $prb->closeProblem('fix_applied', 'session cleanup deployed');
        $this->assertSame('resolved', $prb->state());
        $this->assertSame('in_progress', $inc->state(), 'resumed in the same step');
        $tl = $inc->timeline();
        $this->assertStringContainsString($prb->id(), end($tl)->text);
    }

    public function testKnowledgeSearchDiagnoseAndDecide(): void
    {
        $kb = $this->eng->open('knowledge', ['summary' => 'Payroll batch fails after midnight', 'service' => 'payroll',
            'category' => 'batch', 'resolution_notes' => 'rerun the batch job from the console']);
        $kb->fire('submit')->fire('publish');
        $this->assertSame('published', $kb->state());
        $m = $this->eng->searchKnowledge('payroll batch', service: 'payroll');
        $this->assertInstanceOf(KnowledgeMatches::class, $m);
        $this->assertSame(1, $m->total);
        $this->assertSame($kb, $m->first()->record);
        $this->assertSame('article', $m->first()->source);
        $this->assertGreaterThan(0, $m->first()->score);
        $this->assertSame(0, $this->eng->searchKnowledge('payroll', service: 'mail')->total);
        $inc = $this->finished(['summary' => 'batch fails again']);
        $found = array_map(fn ($x) => $x->record, $inc->diagnose()->matches);
        $this->assertContains($kb, $found);
        $this->assertNotContains($inc, $found);
        $counted = $this->eng->searchKnowledge('payroll batch', limit: 0);
        $this->assertCount(0, $counted);
        $this->assertSame(1, $counted->total);
        $this->assertSame('matched', $inc->decideKnowledge());
        $inc->fire('confirm');
        $this->assertSame('closed', $inc->state());
        $this->expectException(StateError::class);
        $inc->escalate('too late');
    }
}
