<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\AlreadyExists;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\PolicyError;
use Itsm\Exception\StateError;
use Itsm\Policy;
use Itsm\Record;
use Itsm\Store\MemoryStore;
use Itsm\SurveyAnswer;
use Itsm\SurveyRow;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * Customer satisfaction (satisfaction.h): the answer to a closed, sampled
 * record's survey is one event; the policy holds the scale; reports give
 * the response rate and the distribution of scores.
 */
final class SatisfactionTest extends TestCase
{
    private Clock $clock;
    private MemoryStore $store;
    private Engine $eng;

    private static function surveyed(int $permille = 1000): Policy
    {
        return Policy::default()->setClosure(3 * 86400, $permille);
    }

    protected function setUp(): void
    {
        $this->clock = new Clock();
        $this->store = new MemoryStore();
        $this->eng = new Engine(policy: self::surveyed(), store: $this->store, clock: $this->clock, actor: 'desk_ann');
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    private function closed(string $service = 'mail', string $group = 'desk', ?Engine $eng = null): Record
    {
        $inc = ($eng ?? $this->eng)->open('incident', ['summary' => 'mail down', 'service' => $service,
                                                       'impact' => 3, 'urgency' => 3]);
        $inc->fire('start', ['assignment_group' => $group, 'assignee' => 'ann']);
        $inc->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'restarted',
                               'category' => 'email', 'knowledge_decision' => 'not_needed']);
        $inc->fire('confirm');
        return $inc;
    }

    public function testAnAnswerIsAnEventOnTheClosedRecordAndReplays(): void
    {
        $inc = $this->closed();
        $this->assertNull($inc->surveyAnswer());
        $this->clock->advance('+1 day');
        $this->assertSame($inc, $inc->answerSurvey(4, 'quick and friendly'));
        $a = $inc->surveyAnswer();
        $this->assertInstanceOf(SurveyAnswer::class, $a);
        $this->assertSame([4, 'quick and friendly', 'desk_ann'], [$a->score, $a->comment, $a->by]);
        $this->assertEquals(Clock::t0()->modify('+1 day'), $a->at);
        $doc = json_decode(end($this->store->events), true, 512, JSON_THROW_ON_ERROR);
        $this->assertSame('survey_answered', $doc['type']);
        $this->assertSame(['score' => 4, 'comment' => 'quick and friendly'], $doc['survey']);
        $again = new Engine(policy: self::surveyed(), store: new MemoryStore($this->store->events), load: true);
        $this->assertEquals($a, $again->find($inc->id())->surveyAnswer());
        $again->close();
    }

    public function testEveryRefusalThrowsAndChangesNothing(): void
    {
        $inc = $this->closed();
        $open = $this->eng->open('incident', ['summary' => 'open']);
        $prb = $this->eng->open('problem', ['summary' => 'p']);
        $n = count($this->store);
        $this->expectCode(InvalidArgument::class, fn () => $prb->answerSurvey(3));
        $e = $this->expectCode(InvalidArgument::class, fn () => $inc->answerSurvey(6));
        $this->assertStringContainsString('outside the survey scale 1..5', $e->getMessage());
        $this->expectCode(InvalidArgument::class, fn () => $inc->answerSurvey(PHP_INT_MAX));
        $e = $this->expectCode(StateError::class, fn () => $open->answerSurvey(3));
        $this->assertStringContainsString('a survey is answered once the record is closed', $e->getMessage());
        $this->assertSame($n, count($this->store));
        $inc->answerSurvey(5);
        $this->expectCode(AlreadyExists::class, fn () => $inc->answerSurvey(1));
        $this->assertSame(5, $inc->surveyAnswer()->score);
        $this->assertNull($inc->surveyAnswer()->comment);

        $eng = new Engine(policy: self::surveyed(0), clock: $this->clock);
        $outside = $this->closed(eng: $eng);
        $e = $this->expectCode(StateError::class, fn () => $outside->answerSurvey(3));
        $this->assertStringContainsString('not in the survey sample', $e->getMessage());
        $eng->close();
    }

    public function testTheScaleIsPolicy(): void
    {
        $pol = Policy::default();
        $this->assertSame([1, 5], $pol->surveyScale());
        $this->assertSame($pol, $pol->setSurveyScale(0, 10));
        $this->assertSame([0, 10], $pol->surveyScale());
        $this->assertSame(['min' => 0, 'max' => 10], json_decode($pol->toJson(), true)['satisfaction']);
        foreach ([[3, 3], [-1, 5], [0, 11], [5, 1], [0, PHP_INT_MAX]] as [$lo, $hi]) {
            try {
                $pol->setSurveyScale($lo, $hi);
                $this->fail("scale $lo..$hi must be refused");
            } catch (InvalidArgument | PolicyError $e) {
                $this->assertSame(-2, $e->getCode(), $e->getMessage());
            }
        }
        $this->assertSame([0, 10], $pol->surveyScale());
    }

    public function testTheReportGivesResponseRateAndScores(): void
    {
        $a = $this->closed('mail', 'desk');
        $b = $this->closed('mail', 'network');
        $this->closed('payroll', 'desk');
        $a->answerSurvey(5);
        $b->answerSurvey(2, 'slow');
        $rep = $this->eng->report();
        $rows = $rep->satisfaction();
        $all = $rows[0];
        $this->assertSame(['all', null, null, 3, 2, [1, 5]],
            [$all->by, $all->name, $all->week, $all->sent, $all->answered, $all->scale]);
        $this->assertEqualsWithDelta(2 / 3, $all->responseRate, 1e-9);
        $this->assertEqualsWithDelta(3.5, $all->meanScore, 1e-9);
        $this->assertSame([1 => 0, 2 => 1, 3 => 0, 4 => 0, 5 => 1], $all->scores);
        $groups = [];
        $services = [];
        $weeks = [];
        foreach ($rows as $r) {
            $this->assertInstanceOf(SurveyRow::class, $r);
            match ($r->by) {
                'group' => $groups[$r->name] = $r,
                'service' => $services[$r->name] = $r,
                'week' => $weeks[] = $r,
                default => null,
            };
        }
        $this->assertSame([2, 1], [$groups['desk']->sent, $groups['desk']->answered]);
        $this->assertSame(0, $services['payroll']->answered);
        $this->assertCount(1, $weeks);
        $this->assertSame('Mon', $weeks[0]->week->format('D'));
        $this->assertSame(3, $rep->data()['satisfaction']['rows'][0]['sent']);
        $this->assertStringContainsString('satisfaction,all,response_rate', $rep->toCsv());
    }

    /**
     * @param class-string<\Throwable> $class
     */
    private function expectCode(string $class, callable $call): \Throwable
    {
        try {
            $call();
        } catch (\Throwable $e) {
            $this->assertInstanceOf($class, $e, $e->getMessage());
            $this->assertSame(constant("$class::CODE"), $e->getCode());
            return $e;
        }
        $this->fail("expected $class");
    }
}
