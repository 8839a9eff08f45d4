<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use DateInterval;
use Itsm\Engine;
use Itsm\Event;
use Itsm\Exception\AlreadyExists;
use Itsm\Exception\InvalidArgument;
use Itsm\Policy;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/** Customer communication, known outages and closure (communication.h). */
final class CommunicationTest extends TestCase
{
    private Clock $clock;
    /** @var list<Event> */
    private array $events = [];
    private Engine $eng;

    protected function setUp(): void
    {
        $this->clock = new Clock();
        $pol = Policy::default()
            ->setCadence([new DateInterval('PT30M'), 3600, 4 * 3600, 8 * 3600, 8 * 3600], broadcastMaxPriority: 1)
            ->setClosure(autoCloseAfter: new DateInterval('P2D'), surveyPermille: 1000, knowledgeCandidate: true);
        $this->eng = new Engine(policy: $pol, clock: $this->clock, actor: 'desk', sink: function (array $evs): void {
            array_push($this->events, ...$evs);
        });
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    /** @return list<string> */
    private function types(): array
    {
        return array_map(fn (Event $e) => $e->type, $this->events);
    }

    public function testAudienceFollowsPriority(): void
    {
        $this->assertSame('broadcast', $this->eng->open('incident', ['impact' => 1, 'urgency' => 1])->audience());
        $this->assertSame('callers', $this->eng->open('incident', ['impact' => 1, 'urgency' => 2])->audience());
        $this->assertNull($this->eng->open('incident')->audience());
    }

    public function testAnOverdueUpdateFiresOnTheTick(): void
    {
        $t0 = Clock::t0();
        $inc = $this->eng->open('incident', ['summary' => 'a', 'impact' => 1, 'urgency' => 1]);
        $inc->fire('assign', ['assignment_group' => 'desk'])->fire('start', ['assignee' => 'ann']);
        $next = $inc->timer('next_update');
        $this->assertSame('running', $next->status);
        $this->assertEquals($t0->modify('+30 minutes'), $next->due);
        $inc->addNote('restarting', 'customer', $t0->modify('+1 hour'), $t0->modify('+10 minutes'));
        $this->assertEquals($t0->modify('+10 minutes'), $inc->timer('next_update')->due);
        $this->eng->tick($t0->modify('+20 minutes'));
        $this->assertContains('update_overdue', $this->types());
    }

    public function testAKnownOutageLinksNewIncidents(): void
    {
        $t0 = Clock::t0();
        $outage = $this->eng->open('incident', ['summary' => 'Mail down', 'service' => 'mail', 'impact' => 1,
                                                'urgency' => 1]);
        $outage->declareOutage($t0->modify('+2 hours'), $t0->modify('+30 minutes'));
        $this->assertSame($outage, $this->eng->outage('mail'));
        $this->assertNull($this->eng->outage('payroll'));
        $caller = $this->eng->open('incident', ['summary' => 'no mail', 'service' => 'mail']);
        $this->assertContains($outage, $caller->linked('related'));
        $other = $this->eng->open('incident', ['summary' => 'also mail', 'service' => 'mail']);
        try {
            $other->declareOutage($t0->modify('+2 hours'), $t0->modify('+30 minutes'));
            $this->fail('two outages on one service');
        } catch (AlreadyExists) {
        }
        $outage->endOutage();
        $this->assertNull($this->eng->outage('mail'));
        $this->expectException(InvalidArgument::class);       // no service
        $this->eng->open('incident', ['summary' => 'x'])->declareOutage($t0, $t0);
    }

    public function testClosureAutoCloseSurveyAndKnowledgeCandidate(): void
    {
        $t0 = Clock::t0();
        $inc = $this->eng->open('incident', ['summary' => 'a', 'impact' => 3, 'urgency' => 3, 'category' => 'email']);
        $this->assertNull($inc->autoCloseDue());
        $inc->fire('assign', ['assignment_group' => 'desk'])->fire('start', ['assignee' => 'ann'])
            ->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'rebooted']);
        $this->assertEquals($t0->modify('+2 days'), $inc->autoCloseDue());
        $this->assertTrue($inc->surveySampled(), 'rate 1000 permille');
        $this->assertTrue($inc->knowledgeCandidate());
        $this->assertSame('candidate', $inc->decideKnowledge());
        $this->assertSame('candidate', $inc->knowledge_decision);
        $this->eng->tick($t0->modify('+3 days'));
        $this->assertSame('closed', $inc->state());
        $this->assertNull($inc->autoCloseDue());
    }

    public function testAutoCloseIsBlockedByTheChecklist(): void
    {
        $inc = $this->eng->open('incident', ['summary' => 'a', 'impact' => 3, 'urgency' => 3]);   // no category
        $inc->fire('start', ['assignment_group' => 'desk', 'assignee' => 'ann'])
            ->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'rebooted']);
        $this->eng->tick(Clock::t0()->modify('+3 days'));
        $this->assertSame('resolved', $inc->state());
        $this->assertContains('auto_close_blocked', $this->types());
    }

    public function testBadClosureAndCadenceAreInvalid(): void
    {
        $pol = Policy::default();
        foreach ([fn () => $pol->setClosure(surveyPermille: 2000), fn () => $pol->setCadence([0, 1, 1, 1, 1]),
                  fn () => $pol->setCadence([1, 1, 1])] as $bad) {
            try {
                $bad();
                $this->fail('accepted');
            } catch (InvalidArgument) {
            }
        }
        $this->assertSame([], $pol->check());
    }
}
