<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Completeness;
use Itsm\Engine;
use Itsm\Exception\AlreadyExists;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\NotFound;
use Itsm\Exception\ParseError;
use Itsm\Exception\StateError;
use Itsm\Packet;
use Itsm\PacketEntry;
use Itsm\Policy;
use Itsm\Record;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/** Handover packets (handover.h): content, completeness, the two-party handover, quality log, JSON. */
final class HandoverTest extends TestCase
{
    private Clock $clock;
    private Engine $eng;
    private Record $inc;

    protected function setUp(): void
    {
        $this->clock = new Clock();
        $this->eng = new Engine(clock: $this->clock, actor: 'sd.maria');
        $this->inc = $this->eng->open('incident', ['summary' => 'Payroll down', 'description' => 'HTTP 503',
            'caller' => 'j.smith', 'service' => 'payroll', 'category' => 'application', 'impact' => 2,
            'urgency' => 2]);
        $this->inc->fire('assign', ['assignment_group' => 'service-desk']);
        $this->inc->addNote('restarted the web tier');
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    public function testPrefilledContentAndSetters(): void
    {
        $t0 = Clock::t0();
        $pkt = $this->inc->packet('desk_to_major');
        $this->assertTrue($pkt->isOwned());
        $this->assertSame(['desk_to_major', 'draft', 0], [$pkt->kind(), $pkt->state(), $pkt->seq()]);
        $this->assertSame([$this->inc->id(), 'incident'], [$pkt->recordId(), $pkt->recordKind()]);
        $this->assertSame($this->inc, $pkt->record());
        $this->assertEquals($t0, $pkt->createdAt());
        $this->assertSame('Payroll down', $pkt->text('object'));
        $this->assertSame('sd.maria', $pkt->text('sender'));
        $this->assertSame('service-desk', $pkt->text('sender_group'));
        $this->assertEquals([new PacketEntry('restarted the web tier', 'sd.maria', $t0)], $pkt->entries('actions'));
        $pkt->setText('extent_is', 'all Finance users')->setText('receiver', 'mim.lead')
            ->setContactVerified(true)->setNextUpdate($t0->modify('+30 minutes'))
            ->add('hypotheses', 'connection pool exhausted')
            ->add('open_actions', 'check the DB', 'dba.lee', $t0->modify('+1 hour'))
            ->clear('engaged_groups')->add('engaged_groups', 'web-platform')->add('engaged_groups', 'database');
        $this->assertCount(2, $pkt->entries('engaged_groups'));
        $this->assertEquals(new PacketEntry('check the DB', 'dba.lee', $t0->modify('+1 hour')),
            $pkt->entries('open_actions')[0]);
        $this->assertSame('mim.lead', $pkt->texts()['receiver']);
        $this->assertTrue($pkt->contactVerified());
        $this->assertEquals($t0->modify('+30 minutes'), $pkt->nextUpdate());
        $pkt->setText('what_is_not', null);
        $this->assertNull($pkt->text('what_is_not'));
        $c = $pkt->completeness();
        $this->assertEquals(new Completeness(100, []), $c);
        $this->assertTrue($c->isComplete());
        $pkt->clear('engaged_groups');
        $this->assertSame([], $pkt->entries('engaged_groups'));
    }

    public function testFailingPacketCalls(): void
    {
        try {
            $this->inc->packet('sideways');
            $this->fail('accepted');
        } catch (InvalidArgument) {
        }
        $pkt = $this->inc->packet('shift');
        foreach ([fn () => $pkt->add('open_actions', 'no owner'), fn () => $pkt->add('hypotheses', 'x', 'someone'),
                  fn () => $pkt->text('nonsense'), fn () => $pkt->entries('nonsense')] as $bad) {
            try {
                $bad();
                $this->fail('accepted');
            } catch (InvalidArgument) {
            }
        }
        $pkt->propose();
        foreach ([fn () => $pkt->setText('status', 'changed'), fn () => $pkt->propose()] as $late) {
            try {
                $late();
                $this->fail('changed after proposing');
            } catch (StateError) {
            }
        }
        $pkt->close();
        $this->expectException(StateError::class);
        $pkt->text('object');
    }

    public function testDeskToMajorIsNeverKickedBackAndGapsGoToTheQualityLog(): void
    {
        $pkt = $this->inc->packet('desk_to_major', ['receiver' => 'mim.lead']);
        $before = $pkt->completeness();
        $this->assertLessThan(100, $before->score);
        $this->assertContains('contact_verified', $before->missing);
        $this->clock->advance('+1 minute');
        $pkt->propose();
        $this->assertEquals(['proposed', 1, $this->clock->now], [$pkt->state(), $pkt->seq(), $pkt->proposedAt()]);
        $this->assertNull($this->inc->assignee, 'nothing moves silently');
        try {
            $pkt->reject('mim.lead', 'incomplete');
            $this->fail('kicked back');
        } catch (StateError) {
        }
        try {
            $pkt->acknowledge('someone.else');
            $this->fail('not the named receiver');
        } catch (InvalidArgument) {
        }
        $this->clock->advance('+1 minute');
        $pkt->acknowledge('mim.lead');
        $this->assertEquals(['acknowledged', 'mim.lead', $this->clock->now],
            [$pkt->state(), $pkt->decidedBy(), $pkt->decidedAt()]);
        $this->assertSame('mim.lead', $this->inc->assignee);
        $log = $this->eng->qualityLog();
        $this->assertCount(1, $log);
        $this->assertSame([$this->inc->id(), 'service-desk', 1], [$log[0]->recordId, $log[0]->senderGroup, $log[0]->seq]);
        $this->assertEqualsCanonicalizing($before->missing, $log[0]->missing);
        $rep = $this->eng->handoverReport(Clock::t0(), Clock::t0()->modify('+1 day'));
        $this->assertSame('service-desk', $rep['groups'][0]['group']);
        $this->assertSame(1, $rep['groups'][0]['poor']);
        $this->expectException(InvalidArgument::class);
        $this->eng->handoverReportJson(Clock::t0()->modify('+1 day'), Clock::t0());
    }

    public function testEngineCopiesAndAShiftReject(): void
    {
        $pkt = $this->inc->packet('shift', ['receiver' => 'bob']);
        $pkt->propose();
        $this->assertCount(1, $this->eng->handovers());
        $mine = $this->eng->handovers()[0];
        $this->assertFalse($mine->isOwned());
        $this->assertTrue($mine->equals($pkt));
        $this->assertSame(1, $this->eng->handover(1)->seq());
        try {
            $this->eng->handover(7);
            $this->fail('found');
        } catch (NotFound) {
        }
        $this->assertNull($mine->rejectReason());
        $mine->reject('bob', 'no next update time');
        $this->assertSame('rejected', $mine->state());
        $this->assertSame('no next update time', $mine->rejectReason());
        $this->assertSame('bob', $mine->decidedBy());
        $better = $this->inc->packet('shift', ['receiver' => 'bob', 'next_update' => Clock::t0()->modify('+1 hour')]);
        $better->propose()->acknowledge('bob');
        $this->assertSame('bob', $this->inc->assignee);
        $this->assertSame(['rejected', 'acknowledged'], array_map(fn (Packet $p) => $p->state(), $this->eng->handovers()));
    }

    public function testToOperationsGate(): void
    {
        // service transition hands a change going live to operations (seed 004)
        $chg = $this->eng->open('change', ['summary' => 'Payroll v2 go-live', 'change_type' => 'normal']);
        $wrong = $this->inc->packet('to_operations', ['receiver' => 'svc.manager']);
        $wrong->addDeliverable('runbook', 'proj.dev', 'ops.lead');
        try {
            $wrong->propose();
            $this->fail('an incident goes live nowhere');
        } catch (InvalidArgument) {
        }
        $pkt = $chg->packet('to_operations', ['receiver' => 'svc.manager']);
        $pkt->addDeliverable('runbook', 'proj.dev', 'ops.lead');
        $pkt->addDeliverable('training', 'proj.pm', 'desk.lead', required: false);
        foreach ([[AlreadyExists::class, fn () => $pkt->addDeliverable('runbook', 'x', 'y')],
                  [InvalidArgument::class, fn () => $pkt->approve('runbook', 'proj.dev')],
                  [NotFound::class, fn () => $pkt->setDeliverableStatus('nothing', 'delivered')]] as [$class, $bad]) {
            try {
                $bad();
                $this->fail("no $class");
            } catch (\Throwable $e) {
                $this->assertInstanceOf($class, $e);
            }
        }
        $pkt->propose();
        try {
            $pkt->acknowledge('svc.manager');
            $this->fail('the gate is shut');
        } catch (StateError) {
        }
        $this->assertFalse($pkt->gateOpen());
        $good = $chg->packet('to_operations', ['receiver' => 'svc.manager']);
        $good->addDeliverable('runbook', 'proj.dev', 'ops.lead')->setDeliverableStatus('runbook', 'delivered', 'proj.dev')
            ->approve('runbook', 'ops.lead');
        $this->assertSame(['approved', 'ops.lead'], [$good->deliverables()[0]->status, $good->deliverables()[0]->approvedBy]);
        $good->propose()->acknowledge('svc.manager');
        $this->assertTrue($good->gateOpen());
    }

    public function testJsonRoundTripCopyAndEquality(): void
    {
        $pkt = $this->inc->packet('to_problem')->add('hypotheses', 'pool')->add('hypotheses', 'dns');
        $doc = $pkt->toJson();
        $this->assertSame($doc, $pkt->toJson());
        $this->assertSame('to_problem', json_decode($doc, true)['kind']);
        $again = Packet::fromJson($doc);
        $dup = $pkt->copy();
        $this->assertTrue($again->equals($pkt));
        $this->assertTrue($dup->equals($pkt));
        $again->setText('status', 'different');
        $this->assertFalse($again->equals($pkt));
        $this->assertSame('draft', $again->state());
        try {
            $again->propose();
            $this->fail('proposed without an engine');
        } catch (InvalidArgument $e) {
            $this->assertStringContainsString('no engine', $e->getMessage());
        }
        $again->propose($this->eng);
        $this->assertSame(1, $again->seq());
        try {
            Packet::fromJson('{"kind": ');
            $this->fail('parsed');
        } catch (ParseError $e) {
            $this->assertSame(1, $e->documentLine());
        }
    }

    public function testChecklistSection(): void
    {
        $pol = Policy::default()->setHandoverChecklist('shift', ['status', 'next_update']);
        $this->assertSame(['status', 'next_update'], $pol->handoverChecklist('shift'));
        $this->assertEquals(new Completeness(50, ['next_update']), $this->inc->packet('shift')->completeness($pol));
        $this->expectException(NotFound::class);
        $pol->setHandoverChecklist('shift', 'status telepathy');
    }

    public function testAnOwnedPacketOutlivesItsEngine(): void
    {
        $eng = new Engine(actor: 'a');
        $pkt = $eng->open('incident', ['summary' => 'x'])->packet('shift');
        $eng->close();
        $this->assertSame('x', $pkt->text('object'));
        $this->assertStringContainsString('"x"', $pkt->toJson());
        $this->expectException(StateError::class);
        $pkt->propose();
    }
}
