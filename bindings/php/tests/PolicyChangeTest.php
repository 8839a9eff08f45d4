<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use DateTimeImmutable;
use Itsm\Engine;
use Itsm\Exception\AlreadyExists;
use Itsm\Exception\GuardFailed;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\NotFound;
use Itsm\Policy;
use Itsm\Record;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * The policy builders of approvals, the risk questionnaire and the change
 * schedule (approval.h, change.h), and an engine run under what they built.
 */
final class PolicyChangeTest extends TestCase
{
    /** A policy whose changes need two of the CAB, assessed by one question, with a freeze. */
    private static function policy(): Policy
    {
        return Policy::default()
            ->clearApprovalRules()
            ->setApproverGroup('cab', ['ann', 'bob', 'dan'])
            ->addApprovalRule('change', 'change', [['name' => 'cab', 'group' => 'cab', 'mode' => 'quorum',
                                                    'quorum' => 2]], state: 'assessed')
            ->clearRiskQuestions()
            ->setRiskQuestion('blast', ['small' => 0, 'large' => 10], 'How much breaks if it fails?')
            ->setRiskLevels(['low' => 5, 'high' => null])
            ->setBlackout('freeze', new DateTimeImmutable('2024-03-09T00:00:00Z'),
                new DateTimeImmutable('2024-03-11T00:00:00Z'), services: ['mail']);
    }

    private function assessed(Engine $eng): Record
    {
        $chg = $eng->open('change', ['summary' => 'Patch the relay', 'change_type' => 'normal', 'service' => 'mail']);
        $chg->fire('assess');
        return $chg;
    }

    public function testAChangeRunsUnderTheRulesTheBuildersMade(): void
    {
        $pol = self::policy();
        $this->assertSame(1, $pol->approvalRuleCount());
        $this->assertSame(1, $pol->riskQuestionCount());
        $doc = json_decode($pol->toJson(), true, 512, JSON_THROW_ON_ERROR);
        $this->assertSame(['cab' => ['ann', 'bob', 'dan']], $doc['approvals']['groups']);
        $this->assertSame('freeze', $doc['change_schedule']['blackouts'][0]['name']);

        $eng = new Engine(policy: $pol, clock: new Clock(), actor: 'pia');
        $chg = $this->assessed($eng);
        $chg->answerRisk('blast', 'large');
        $this->assertSame(['high', 10], [$chg->risk()->level, $chg->risk()->score]);
        try {
            $chg->approve('carl');
            $this->fail('carl is not in the CAB');
        } catch (InvalidArgument $e) {
            $this->assertStringContainsString('carl', $e->getMessage());
        }
        $chg->approve('ann');
        $this->assertSame('pending', $chg->approval()->status, 'a quorum of two');
        $chg->approve('bob');
        $this->assertTrue($chg->approval()->approved());
        $chg->fire('authorize', ['assignee' => 'ivan']);

        $chg->plan(new DateTimeImmutable('2024-03-09T22:00:00Z'), new DateTimeImmutable('2024-03-09T23:00:00Z'));
        try {
            $chg->fire('schedule');
            $this->fail('the window falls in the freeze');
        } catch (GuardFailed $e) {
            $this->assertStringContainsString("blackout 'freeze'", $e->getMessage());
        }
        $chg->plan(new DateTimeImmutable('2024-03-12T22:00:00Z'), new DateTimeImmutable('2024-03-12T23:00:00Z'));
        $chg->fire('schedule');
        $this->assertSame('scheduled', $chg->state());
        $eng->close();
    }

    public function testRefusedDefinitionsThrowAndLeaveThePolicyAsItWas(): void
    {
        $pol = self::policy();
        $before = $pol->toJson();
        $refusals = [
            [AlreadyExists::class, fn () => $pol->addApprovalRule('change', 'change', [['name' => 'x']])],
            [InvalidArgument::class, fn () => $pol->addApprovalRule('other', 'change', [['name' => 'x', 'mode' => 'most']])],
            [InvalidArgument::class, fn () => $pol->addApprovalRule('other', 'change', [['name' => 'x', 'quorum' => 2]])],
            [InvalidArgument::class, fn () => $pol->addApprovalRule('other', 'change', separation: ['boss'])],
            [InvalidArgument::class, fn () => $pol->addApprovalRule('Bad Name')],
            [InvalidArgument::class, fn () => $pol->setApproverGroup('cab', ['ann', 'ann'])],
            [InvalidArgument::class, fn () => $pol->setRiskQuestion('lonely', ['only' => 1])],
            [InvalidArgument::class, fn () => $pol->setRiskQuestion('big', ['a' => 0, 'b' => 5000])],
            [InvalidArgument::class, fn () => $pol->setRiskQuestion('big', ['a' => 0, 'b' => '5'])],
            [InvalidArgument::class, fn () => $pol->setRiskLevels(['none' => null])],
            [InvalidArgument::class, fn () => $pol->setRiskKinds([])],
            [InvalidArgument::class, fn () => $pol->setBlackout('both', 0, 10, calendar: '24x7')],
            [InvalidArgument::class, fn () => $pol->setBlackout('backwards', 10, 5)],
            [NotFound::class, fn () => $pol->removeBlackout('summer')],
            [InvalidArgument::class, fn () => $pol->setScheduleRules([])],
        ];
        foreach ($refusals as $i => [$class, $call]) {
            try {
                $call();
                $this->fail("refusal $i: expected $class");
            } catch (\Itsm\Exception\ItsmException $e) {
                $this->assertInstanceOf($class, $e, "refusal $i: " . $e->getMessage());
                $this->assertNotSame('', $e->getMessage(), "refusal $i carries the policy's message");
            }
            $this->assertSame($before, $pol->toJson(), "refusal $i left the policy as it was");
        }
    }

    public function testGroupsBlackoutsWindowsAndScheduleRulesCanBeChanged(): void
    {
        $pol = self::policy();
        $pol->setApproverGroup('cab', [])->removeBlackout('freeze')
            ->setBlackout('nights', calendar: '24x7')
            ->setMaintenanceWindow('mail', '24x7')
            ->setScheduleRules(['scheduled', 'implementing'], ['emergency'])
            ->setRiskKinds(['change', 'service_request']);
        $doc = json_decode($pol->toJson(), true, 512, JSON_THROW_ON_ERROR);
        $this->assertSame([], $doc['approvals']['groups']);
        $this->assertSame(['nights'], array_column($doc['change_schedule']['blackouts'], 'name'));
        $this->assertSame(['scheduled', 'implementing'], $doc['change_schedule']['states']);
        $this->assertEqualsCanonicalizing(['change', 'service_request'], $doc['risk_assessment']['kinds']);
        $this->assertSame(0, $pol->clearApprovalRules()->approvalRuleCount());
        $this->assertSame(0, $pol->clearRiskQuestions()->riskQuestionCount());
    }
}
