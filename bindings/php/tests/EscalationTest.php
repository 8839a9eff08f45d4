<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Event;
use Itsm\Exception\AlreadyExists;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\LimitExceeded;
use Itsm\Exception\StateError;
use Itsm\Policy;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/** Functional and hierarchical escalation, major incidents (escalation.h). */
final class EscalationTest extends TestCase
{
    private Clock $clock;
    /** @var list<Event> */
    private array $events = [];

    private function engine(Policy $pol): Engine
    {
        return new Engine(policy: $pol, clock: $this->clock, actor: 'desk', sink: function (array $evs): void {
            array_push($this->events, ...$evs);
        });
    }

    protected function setUp(): void
    {
        $this->clock = new Clock();
    }

    private function routed(): Engine
    {
        $pol = Policy::default()->addRoute('network-l2', category: 'network')
            ->addRoute('payroll-apps', category: 'application', service: 'payroll')
            ->setLadder(['team_lead', 'desk_manager', 'head_of_it'], climbOnBreach: true);
        $this->assertSame('network-l2', $pol->route('network', 'mail'));
        $this->assertSame('payroll-apps', $pol->route('application', 'payroll'));
        $this->assertNull($pol->route('hardware'));
        return $this->engine($pol);
    }

    public function testRoutingAssignsTheRightGroupFirstTime(): void
    {
        $eng = $this->routed();
        $this->assertSame('network-l2', $eng->route('network'));
        $inc = $eng->open('incident', ['summary' => 'VPN down', 'category' => 'network', 'impact' => 3,
                                       'urgency' => 3]);
        $this->assertSame('network-l2', $inc->assignment_group);
    }

    public function testFunctionalEscalationUpToLevelThree(): void
    {
        $eng = $this->routed();
        $inc = $eng->open('incident', ['summary' => 'VPN down', 'category' => 'network', 'impact' => 3,
                                       'urgency' => 3]);
        $inc->escalate('restarted the client', group: 'network-l2');
        $this->assertSame(2, $inc->functional_level);
        // Routed to network-l2 already: escalating counts a reassignment
        // even when the group stays (DESIGN 5).
        $this->assertSame(1, $inc->reassignments);
        $this->assertFalse($inc->firstContactResolution());
        $inc->escalate('checked the concentrator', 3, 'vendor');
        $this->assertSame('vendor', $inc->assignment_group);
        $this->assertSame(2, $inc->reassignments);
        try {
            $inc->escalate('nothing left');
            $this->fail('escalated past level 3');
        } catch (LimitExceeded) {
        }
        $this->expectException(InvalidArgument::class);
        $eng->open('incident', ['summary' => 'y'])->escalate('');
    }

    public function testHierarchicalLadder(): void
    {
        $inc = $this->routed()->open('incident', ['summary' => 'x', 'impact' => 3, 'urgency' => 3]);
        $this->assertNull($inc->escalationAudience());
        foreach (['team_lead', 'desk_manager', 'head_of_it'] as $role) {
            $inc->escalateHierarchical('customer complains');
            $this->assertSame($role, $inc->escalationAudience());
        }
        $this->expectException(LimitExceeded::class);
        $inc->escalateHierarchical('again');
    }

    public function testEscalatingAClosedRecordIsAStateError(): void
    {
        $inc = $this->routed()->open('incident', ['summary' => 'x']);
        $inc->fire('cancel');
        $this->expectException(StateError::class);
        $inc->escalate('tried');
    }

    private function majors(): Engine
    {
        return $this->engine(Policy::default()->setMajor(proposeAtPriority: 0, breadthThreshold: 0,
            communicationDue: new \DateInterval('PT15M'), groupsDue: 900));
    }

    public function testProposeAcceptAndTheInitialFifteenMinutes(): void
    {
        $eng = $this->majors();
        $inc = $eng->open('incident', ['summary' => 'Payroll down', 'service' => 'payroll', 'impact' => 1,
                                       'urgency' => 1]);
        $this->assertSame('none', $inc->majorState(), 'the rule is off');
        $inc->proposeMajor('all of Finance is down');
        $this->assertSame('proposed', $inc->majorState());
        try {
            $inc->proposeMajor('again');
            $this->fail('proposed twice');
        } catch (AlreadyExists) {
        }
        $this->clock->advance('+2 minutes');
        $inc->acceptMajor('mim.lead');
        $this->assertSame('accepted', $inc->majorState());
        $this->assertTrue($inc->major);
        $this->assertSame('initial', $inc->majorPhase());
        $comm = $inc->majorDeadline('communication');
        $this->assertEquals(Clock::t0()->modify('+17 minutes'), $comm->due);
        $this->assertFalse($comm->done || $comm->missed);
        $inc->communicationIssued();
        $this->assertTrue($inc->majorDeadline('communication')->done);
        $this->clock->advance('+16 minutes');
        $this->assertGreaterThanOrEqual(1, $eng->tick());
        $this->assertTrue($inc->majorDeadline('groups')->missed);
        $this->assertContains('major_deadline_missed', array_map(fn (Event $e) => $e->type, $this->events));
        $inc->engageGroups('web-platform', 'database');
        $this->assertSame('post', $inc->majorPhase());
    }

    public function testRejectAttachAndChildrenResolveWithTheirParent(): void
    {
        $eng = $this->majors();
        $a = $eng->open('incident', ['summary' => 'Slow mail', 'impact' => 2, 'urgency' => 2]);
        $a->proposeMajor('maybe')->rejectMajor('mim.lead');
        $this->assertSame('rejected', $a->majorState());
        $parent = $eng->open('incident', ['summary' => 'Mail down', 'service' => 'mail', 'impact' => 1,
                                          'urgency' => 1]);
        $parent->proposeMajor('everyone')->decideMajor(true, 'mim.lead');
        $child = $eng->open('incident', ['summary' => 'No mail', 'service' => 'mail']);
        $parent->attach($child);
        $this->assertSame([$parent], $child->linked('parent'));
        try {
            $parent->attach($child->id());
            $this->fail('attached twice');
        } catch (AlreadyExists) {
        }
        $parent->fire('assign', ['assignment_group' => 'messaging']);
        $parent->fire('start', ['assignee' => 'mim.lead']);
        $parent->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'relay replaced']);
        $this->assertSame('resolved', $child->state());
        $this->assertSame('fixed', $child->resolution_code);
    }

    public function testMajorCallsOutOfOrderAreStateErrors(): void
    {
        $inc = $this->majors()->open('incident', ['summary' => 'x', 'impact' => 1, 'urgency' => 1]);
        foreach ([fn () => $inc->acceptMajor('mim.lead'), fn () => $inc->communicationIssued(),
                  fn () => $inc->majorDeadline('groups')] as $call) {
            try {
                $call();
                $this->fail('went through');
            } catch (StateError) {
            }
        }
        $this->expectException(InvalidArgument::class);
        $inc->majorDeadline('lunch');
    }

    public function testBadMajorPolicyIsInvalid(): void
    {
        $pol = Policy::default();
        try {
            $pol->setMajor(proposeAtPriority: 9);
            $this->fail('accepted');
        } catch (InvalidArgument) {
        }
        $this->expectException(InvalidArgument::class);
        $pol->setLadder([]);
    }
}
