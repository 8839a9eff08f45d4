<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Event;
use Itsm\Exception\AlreadyExists;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\NotFound;
use Itsm\Exception\StateError;
use Itsm\Policy;
use Itsm\ProblemProposal;
use Itsm\ProblemRules;
use Itsm\Record;
use Itsm\Store\MemoryStore;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * Problem proposals (problem.h, the recurrence push): the engine proposes
 * a problem once per cluster of recurring incidents; the host accepts it
 * into a problem record or dismisses it; reports count them.
 */
final class ProposalTest extends TestCase
{
    private Clock $clock;
    private MemoryStore $store;
    private Engine $eng;
    /** @var list<string> */
    private array $heard = [];

    protected function setUp(): void
    {
        $this->clock = new Clock();
        $this->store = new MemoryStore();
        $this->eng = new Engine(store: $this->store, clock: $this->clock, actor: 'desk_ann',
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

    private function bounce(array $more = []): Record
    {
        return $this->eng->open('incident', ['summary' => 'Mail bounces', 'service' => 'email',
                                             'category' => 'bounce'] + $more);
    }

    public function testTheThirdIncidentProposesOnce(): void
    {
        $a = $this->bounce();
        $this->bounce();
        $this->assertNull($a->problemProposal());
        $this->assertSame([], $this->eng->problemProposals());
        $this->clock->advance('+1 hour');
        $c = $this->bounce(['ci' => 'relay01']);
        $this->assertSame(['open', 'problem_proposed'], array_slice($this->heard, -2));
        $doc = json_decode(end($this->store->events), true, 512, JSON_THROW_ON_ERROR);
        $this->assertSame(['INC-000001', 'INC-000002', 'INC-000003'], $doc['proposal']['incidents']);

        $p = $c->problemProposal();
        $this->assertInstanceOf(ProblemProposal::class, $p);
        $this->assertSame(['INC-000003', 'pending', 'email', 'bounce', null, 30 * 86400],
            [$p->record, $p->status, $p->service, $p->category, $p->ci, $p->window]);
        $this->assertTrue($p->pending());
        $this->assertEquals(Clock::t0()->modify('+1 hour'), $p->at);
        $this->assertSame(['INC-000001', 'INC-000002', 'INC-000003'], $p->incidents);
        $this->assertNull($p->problem);
        $this->assertNull($p->decidedAt);
        $this->assertEquals($p, $a->problemProposal());
        $this->bounce();
        $this->assertCount(1, $this->eng->problemProposals());
    }

    public function testAcceptAndDismiss(): void
    {
        for ($i = 0; $i < 3; $i++) {
            $this->bounce();
        }
        for ($i = 0; $i < 3; $i++) {
            $last = $this->bounce();
        }
        $first = $this->eng->find('INC-000001');
        $prb = $first->acceptProblemProposal(['summary' => 'Partner bounces'], 'PRB-RELAY');
        $this->assertSame(['PRB-RELAY', 'problem', 'Partner bounces'], [$prb->id(), $prb->kind(), $prb->summary]);
        $p = $first->problemProposal();
        $this->assertSame(['accepted', 'PRB-RELAY'], [$p->status, $p->problem]);
        $this->assertEquals(Clock::t0(), $p->decidedAt);
        $this->assertContains($prb, $first->linked('related'));
        $this->assertContains($prb, $this->eng->find('INC-000003')->linked('related'));
        $n = count($this->store);
        $this->expectCode(StateError::class, fn () => $first->acceptProblemProposal());
        $this->expectCode(AlreadyExists::class, fn () => $last->acceptProblemProposal(id: 'PRB-RELAY'));
        $this->expectCode(InvalidArgument::class, fn () => $last->dismissProblemProposal(''));
        $this->expectCode(NotFound::class,
            fn () => $this->eng->open('incident', ['summary' => 'x'])->acceptProblemProposal());
        $this->expectCode(InvalidArgument::class, fn () => $prb->dismissProblemProposal('not an incident'));
        $this->assertSame($n + 1, count($this->store), 'only the incident opened above was stored');

        $last->dismissProblemProposal("the partner's certificate");
        $p = $last->problemProposal();
        $this->assertSame(['dismissed', "the partner's certificate", null],
            [$p->status, $p->reason, $p->problem]);
        $this->expectCode(StateError::class, fn () => $last->dismissProblemProposal('again'));
        $this->assertSame(['accepted', 'dismissed'],
            array_map(fn (ProblemProposal $p) => $p->status, $this->eng->problemProposals()));

        $rep = $this->eng->report();
        $f = $rep->proposals();
        $this->assertSame([2, 0, 1, 1, 6], [$f->proposed, $f->pending, $f->accepted, $f->dismissed, $f->incidents]);
        $this->assertSame(2, $rep->data()['problem_proposals']['proposed']);

        // The decisions replay.
        $again = new Engine(store: new MemoryStore($this->store->events), load: true);
        $this->assertEquals($this->eng->problemProposals(), $again->problemProposals());
        $again->close();
    }

    public function testTheRulesTurnThePushOffOrKeyItByConfigurationItem(): void
    {
        $pol = Policy::default();
        $this->assertEquals(new ProblemRules(), $pol->problemRules());
        $pol->setProblemRules(recurrencePush: false);
        $this->assertFalse($pol->problemRules()->recurrencePush);
        $this->assertSame(3, $pol->problemRules()->recurrenceCount);
        $eng = new Engine(policy: $pol);
        for ($i = 0; $i < 4; $i++) {
            $eng->open('incident', ['summary' => 'x', 'service' => 'email', 'category' => 'bounce']);
        }
        $this->assertSame([], $eng->problemProposals());
        $eng->close();

        $pol->setProblemRules(recurrencePush: true, recurrenceCi: true);
        $this->assertEquals(new ProblemRules(recurrenceCi: true), $pol->problemRules());
        $eng = new Engine(policy: $pol);
        foreach (['a', 'b', 'a', 'b', 'a'] as $ci) {
            $eng->open('incident', ['summary' => 'x', 'service' => 'email', 'category' => 'bounce', 'ci' => $ci]);
        }
        [$p] = $eng->problemProposals();
        $this->assertSame(['a', ['INC-000001', 'INC-000003', 'INC-000005']], [$p->ci, $p->incidents]);
        $eng->close();
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
