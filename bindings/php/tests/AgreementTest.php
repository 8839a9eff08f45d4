<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Agreement;
use Itsm\AgreementReport;
use Itsm\AgreementStep;
use Itsm\Engine;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\NotFound;
use Itsm\Exception\ParseError;
use Itsm\Policy;
use Itsm\Store\MemoryStore;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * Agreements (agreement.h): contract clocks defined by conditions, their
 * instances on records, history, the tick's warnings and breaches, the
 * report and replay; SLA rules and routes by condition.
 */
final class AgreementTest extends TestCase
{
    private const H = 3600;

    private Clock $clock;
    private MemoryStore $store;
    private Engine $eng;
    /** @var list<string> */
    private array $heard = [];

    public static function contract(): Policy
    {
        return Policy::default()
            ->setAgreement('gold', "state == 'resolved'", [1 => 4 * self::H, 2 => 8 * self::H],
                applies: "kind == 'incident' and priority <= 2 and service == 'payroll'",
                start: 'assignment_group != null', pause: "hold_reason == 'awaiting_customer'",
                reset: "event == 'reopen'", warnings: [0.5], breaches: [1, 2])
            ->setAgreement('network_ola', "assignment_group != 'network' or state == 'resolved'",
                [1 => self::H, 0 => [2 * self::H, '24x7']], type: 'ola', start: "assignment_group == 'network'");
    }

    protected function setUp(): void
    {
        $this->clock = new Clock();
        $this->store = new MemoryStore();
        $this->eng = new Engine(policy: self::contract(), store: $this->store, clock: $this->clock, actor: 'desk',
            sink: function (array $events): void {
                foreach ($events as $e) {
                    $this->heard[] = $e->type;
                }
            });
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    private function payRun(): \Itsm\Record
    {
        return $this->eng->open('incident', ['summary' => 'Pay run stuck', 'service' => 'payroll', 'impact' => 1,
                                             'urgency' => 1]);
    }

    public function testAnInstanceFollowsItsConditions(): void
    {
        $this->assertSame(['gold', 'network_ola'], self::contract()->agreements());
        $inc = $this->payRun();
        $gold = $inc->agreement('gold');
        $this->assertInstanceOf(Agreement::class, $gold);
        $this->assertSame(['gold', 'sla', 'pending', 'pending', 4 * self::H, null],
            [$gold->name, $gold->type, $gold->status, $gold->verdict, $gold->target, $gold->due]);
        $this->clock->advance('+30 minutes');
        $inc->fire('start', ['assignment_group' => 'desk', 'assignee' => 'ann']);
        $this->clock->advance('+1 hour');
        $inc->fire('hold', ['hold_reason' => 'awaiting_customer']);
        $this->clock->advance('+1 hour');
        $gold = $inc->agreement('gold');
        $this->assertSame(['paused', self::H, self::H], [$gold->status, $gold->elapsed, $gold->paused]);
        $inc->fire('resume');
        $inc->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'restarted']);
        $gold = $inc->agreement('gold');
        $this->assertSame(['stopped', 'met'], [$gold->status, $gold->verdict]);
        $this->assertEquals(Clock::t0()->modify('+150 minutes'), $gold->stoppedAt);
        $history = $inc->agreementHistory();
        $this->assertContainsOnlyInstancesOf(AgreementStep::class, $history);
        $this->assertSame([['gold', 'applied'], ['network_ola', 'applied'], ['gold', 'started'], ['gold', 'paused'],
                           ['gold', 'resumed'], ['gold', 'stopped']],
            array_map(fn (AgreementStep $s) => [$s->agreement, $s->step], $history));
        $this->assertSame('met', end($history)->verdict);
        $this->assertSame(['gold', 'network_ola'], array_keys($inc->agreements()));
        $this->assertSame(['pending', 'ola', '24x7'], [$inc->agreement('network_ola')->status,
            $inc->agreement('network_ola')->type, $inc->agreement('network_ola')->calendar]);
        $this->expectException(NotFound::class);
        $inc->agreement('platinum');
    }

    public function testTheTickFiresWarningsAndTheBreachLadderAndTheReportCountsThem(): void
    {
        $inc = $this->payRun();
        $inc->update(['assignment_group' => 'network']);
        $this->assertEquals(Clock::t0()->modify('+1 hour'), $inc->agreement('network_ola')->due);
        $this->eng->tick(Clock::t0()->modify('+10 hours'));
        $this->assertSame(1, count(array_keys($this->heard, 'agreement_warning')));
        $this->assertSame(3, count(array_keys($this->heard, 'agreement_breach')), 'the OLA once, gold twice');
        $gold = $inc->agreement('gold', Clock::t0()->modify('+10 hours'));
        $this->assertSame([1, 2, 'breached'], [$gold->warnings, $gold->breaches, $gold->verdict]);
        $rep = $this->eng->agreementReport('gold');
        $this->assertInstanceOf(AgreementReport::class, $rep);
        $this->assertSame([1, 1, 0, 0, 0], [$rep->applied, $rep->breached, $rep->met, $rep->open, $rep->cancelled]);

        // Replaying the store rebuilds the same history.
        $again = new Engine(policy: self::contract(), store: new MemoryStore($this->store->events), load: true);
        $this->assertEquals($inc->agreementHistory(), $again->find($inc->id())->agreementHistory());
        $again->close();
        $this->expectException(NotFound::class);
        $this->eng->agreementReport('platinum');
    }

    public function testARefusedDefinitionNamesItsConditionAndChangesNothing(): void
    {
        $pol = self::contract();
        $before = $pol->toJson();
        try {
            $pol->setAgreement('bad', 'stat == 1', [0 => self::H]);
            $this->fail('an unknown name in a condition');
        } catch (ParseError $e) {
            $this->assertStringContainsString("stop: unknown name 'stat'", $e->getMessage());
            $this->assertSame([1, 1], [$e->documentLine(), $e->documentColumn()]);
        }
        foreach ([fn () => $pol->setAgreement('bad', "state == 'resolved'", []),
                  fn () => $pol->setAgreement('bad', "state == 'resolved'", [0 => self::H], type: 'contract'),
                  fn () => $pol->setAgreement('bad', "state == 'resolved'", [0 => self::H], warnings: [-0.5]),
                  fn () => $pol->setAgreement('Bad Name', "state == 'resolved'", [0 => self::H])] as $i => $call) {
            try {
                $call();
                $this->fail("refusal $i");
            } catch (InvalidArgument $e) {
                $this->assertNotSame('', $e->getMessage());
            }
        }
        $this->assertSame($before, $pol->toJson());
        $pol->removeAgreement('network_ola');
        $this->assertSame(['gold'], $pol->agreements());
        $this->expectException(NotFound::class);
        $pol->removeAgreement('network_ola');
    }

    public function testSlaRulesAndRoutesByCondition(): void
    {
        $pol = Policy::default()->setSla('vip', resolution: [3600, 3600, 3600, 3600, 3600])
            ->addSlaRule("caller == 'ceo'", 'vip')
            ->addRouteWhen("service == 'payroll' and priority <= 2", 'payroll_experts');
        $eng = new Engine(policy: $pol);
        $inc = $eng->open('incident', ['summary' => 'x', 'caller' => 'ceo', 'service' => 'payroll', 'impact' => 1,
                                       'urgency' => 1]);
        $this->assertSame('vip', $inc->sla());
        $this->assertSame('payroll_experts', $inc->assignment_group);
        $eng->close();
        $this->expectException(ParseError::class);
        $pol->addSlaRule('caller ==', 'vip');
    }
}
