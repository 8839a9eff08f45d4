<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use DateTimeImmutable;
use Itsm\Engine;
use Itsm\Exception\GuardFailed;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\NotFound;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * What the default lifecycles need before a request is approved and a
 * change authorized and scheduled: approvals, the risk assessment and the
 * planned window (approval.h, change.h), under the default policy.
 */
final class ChangeTest extends TestCase
{
    private const LOW = ['users' => 'few', 'backout' => 'tested', 'experience' => 'often', 'outage' => 'none',
                         'reach' => 'one'];

    private Clock $clock;
    private Engine $eng;

    protected function setUp(): void
    {
        $this->clock = new Clock();
        $this->eng = new Engine(clock: $this->clock, actor: 'pia');
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    public function testANormalChangeIsAssessedApprovedPlannedAndScheduled(): void
    {
        $chg = $this->eng->open('change', ['summary' => 'Upgrade the relay', 'change_type' => 'normal',
                                           'service' => 'mail']);
        $chg->fire('assess');
        $risk = $chg->risk();
        $this->assertSame([null, 0, 0, 5], [$risk->level, $risk->score, $risk->answered, $risk->questions]);
        $this->assertFalse($risk->assessed());
        try {
            $chg->fire('authorize', ['assignee' => 'ivan']);
            $this->fail('authorize must wait for the assessment and the approval');
        } catch (GuardFailed $e) {
            $this->assertSame(['risk', 'approved'],
                array_values(array_unique(array_map(fn ($n) => $n->field ?? $n->kind, $e->missing))),
                $e->getMessage());
        }
        foreach (self::LOW as $question => $answer) {
            $chg->answerRisk($question, $answer);
        }
        $this->assertTrue($chg->risk()->assessed());
        $this->assertSame('low', $chg->risk()->level);

        $a = $chg->approval();
        $this->assertSame(['pending', 'change', 1, 1], [$a->status, $a->rule, $a->levels, $a->current]);
        $this->assertEquals(Clock::t0(), $a->requestedAt);
        $this->assertNull($a->decidedAt);
        $this->clock->advance('+1 hour');
        $chg->approve('carl', comment: 'fine by me');
        $this->assertTrue($chg->approval()->approved());
        $this->assertEquals(Clock::t0()->modify('+1 hour'), $chg->approval()->decidedAt);
        [$level] = $chg->approvalLevels();
        $this->assertSame(['change_manager', 'any', 'approved', 1, 0, 1, false],
            [$level->name, $level->mode, $level->status, $level->approvals, $level->rejections, $level->needed,
             $level->exception]);
        [$decision] = $chg->approvalDecisions();
        $this->assertSame(['approve', 'change', 'change_manager', 'carl', null, 'fine by me'],
            [$decision->verdict, $decision->rule, $decision->level, $decision->by, $decision->to,
             $decision->comment]);
        $this->assertEquals(Clock::t0()->modify('+1 hour'), $decision->at);
        $answers = $chg->riskAnswers();
        $this->assertSame(array_keys(self::LOW), array_map(fn ($a) => $a->question, $answers));
        $this->assertSame(['few', 0, 'pia'], [$answers[0]->answer, $answers[0]->score, $answers[0]->by]);
        $chg->fire('authorize', ['assignee' => 'ivan']);

        $this->assertNull($chg->planned());
        $start = new DateTimeImmutable('2024-03-09T22:00:00Z');
        $end = new DateTimeImmutable('2024-03-09T23:00:00Z');
        $chg->plan($start, $end);
        $this->assertEquals([$start, $end], $chg->planned());
        $this->assertFalse($chg->onSchedule());
        $chg->fire('schedule');
        $this->assertTrue($chg->onSchedule());
        $this->assertSame('scheduled', $chg->state());
    }

    private function scheduled(string $id, string $start, string $end): \Itsm\Record
    {
        $chg = $this->eng->open('change', ['summary' => "Patch $id", 'change_type' => 'normal',
                                           'service' => 'mail', 'ci' => 'relay01'], $id);
        $chg->fire('assess');
        foreach (self::LOW as $question => $answer) {
            $chg->answerRisk($question, $answer);
        }
        $chg->approve('carl');
        $chg->fire('authorize', ['assignee' => 'ivan']);
        $chg->plan(new DateTimeImmutable($start), new DateTimeImmutable($end));
        $chg->fire('schedule');
        return $chg;
    }

    public function testCollisionsAndTheForwardSchedule(): void
    {
        $a = $this->scheduled('CHG-A', '2024-03-09T22:00:00Z', '2024-03-09T23:00:00Z');
        $b = $this->scheduled('CHG-B', '2024-03-09T22:30:00Z', '2024-03-10T00:00:00Z');
        $this->scheduled('CHG-C', '2024-03-16T22:00:00Z', '2024-03-16T23:00:00Z');
        [$c] = $b->collisions();
        $this->assertSame([$a, 'ci', 'relay01'], [$c->record, $c->on, $c->value]);
        $this->assertEquals([new DateTimeImmutable('2024-03-09T22:30:00Z'), new DateTimeImmutable('2024-03-09T23:00:00Z')],
            [$c->start, $c->end]);
        $this->assertSame(1, $b->scheduleFindings(), 'the later change carries the finding');
        $week = $this->eng->changeSchedule(new DateTimeImmutable('2024-03-09T00:00:00Z'),
            new DateTimeImmutable('2024-03-11T00:00:00Z'), ci: 'relay01');
        $this->assertSame([['CHG-A', 1], ['CHG-B', 1]], array_map(fn ($e) => [$e->record->id(), $e->collisions], $week));
        $this->assertCount(3, $this->eng->changeSchedule(service: 'mail'));
        $this->assertSame([], $this->eng->changeSchedule(service: 'payroll'));
    }

    public function testTheRequesterCannotApproveAndAnUnknownAnswerIsNamed(): void
    {
        $req = $this->eng->open('service_request', ['summary' => 'A laptop', 'caller' => 'sam']);
        $a = $req->approval();
        $this->assertSame(['service_request', 'not_started'], [$a->rule, $a->status], 'its round opens later');
        $this->assertNull($a->requestedAt);
        $chg = $this->eng->open('change', ['summary' => 'x', 'change_type' => 'normal']);
        $chg->fire('assess');
        try {
            $chg->answerRisk('users', 'everyone');
            $this->fail('an unknown answer must be refused');
        } catch (NotFound $e) {
            $this->assertStringContainsString('few', $e->getMessage(), 'the message lists the answers');
        }
        $this->expectException(InvalidArgument::class);
        $chg->approve('pia');    // the requester: separation of duties
    }
}
