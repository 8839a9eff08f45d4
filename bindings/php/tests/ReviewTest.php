<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\AlreadyExists;
use Itsm\Exception\GuardFailed;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\NotFound;
use Itsm\Exception\StateError;
use Itsm\Record;
use Itsm\ReviewActionCounts;
use Itsm\Store\MemoryStore;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * The post-incident review (review.h): causes, actions with owners and due
 * dates, overdue actions fired by the tick, completion, the timeline
 * excerpt, the guard on the major's problem and the engine's counts;
 * every call of the binding.
 */
final class ReviewTest extends TestCase
{
    private const DAY = 86400;

    private Clock $clock;
    private MemoryStore $store;
    private Engine $eng;

    protected function setUp(): void
    {
        $this->clock = new Clock();
        $this->store = new MemoryStore();
        $this->eng = new Engine(store: $this->store, clock: $this->clock, actor: 'mim_max');
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    private function major(): Record
    {
        return $this->eng->open('incident', ['summary' => 'payments down', 'impact' => 1, 'urgency' => 1,
                                             'service' => 'payments'])->acceptMajor('mim_max');
    }

    private static function t(int $days): int
    {
        return Clock::t0()->getTimestamp() + $days * self::DAY;
    }

    /** @return list<string> */
    private function reviewEvents(): array
    {
        $types = [];
        foreach ($this->store->events as $e) {
            $type = json_decode($e, true, 512, JSON_THROW_ON_ERROR)['type'];
            if (str_starts_with($type, 'review')) {
                $types[] = $type;
            }
        }
        return $types;
    }

    public function testAReviewIsEventsOnTheMajorThatReplay(): void
    {
        $inc = $this->major();
        $this->assertNull($inc->review());
        $inc->openReview()
            ->addReviewCause('A full disk stopped the database')
            ->addReviewAction('alarm', 'Alert on disk space', self::t(7))
            ->addReviewAction('runbook', 'Write the restart runbook', self::t(14), owner: 'ops_olga')
            ->assignReviewAction('alarm', 'ops_bob');
        $this->clock->advance('+1 day');
        $inc->completeReviewAction('alarm', 'alert at 80%')->completeReview();
        $r = $inc->review();
        $this->assertNotNull($r);
        $this->assertTrue($r->complete);
        $this->assertSame('mim_max', $r->openedBy);
        $this->assertSame(self::t(1), $r->completedAt?->getTimestamp());
        $this->assertSame(['A full disk stopped the database'], array_map(fn ($c) => $c->text, $r->causes));
        $this->assertSame('mim_max', $r->causes[0]->by);
        [$alarm, $runbook] = $r->actions;
        $this->assertSame(['alarm', 'ops_bob', true, 'alert at 80%', self::t(1)],
            [$alarm->id, $alarm->owner, $alarm->done, $alarm->note, $alarm->doneAt?->getTimestamp()]);
        $this->assertSame(['ops_olga', self::t(14), false, null],
            [$runbook->owner, $runbook->due?->getTimestamp(), $runbook->done, $runbook->doneAt]);
        $this->assertSame([1, 0, 0], [$r->openActions, $r->unownedActions, $r->overdueActions]);
        $this->assertSame(['review_opened', 'review_cause_added', 'review_action_added', 'review_action_added',
                           'review_action_assigned', 'review_action_done', 'review_completed'],
            $this->reviewEvents());
        $again = new Engine(store: new MemoryStore($this->store->events), clock: $this->clock, load: true);
        try {
            $this->assertEquals($r, $again->find($inc->id())->review());
        } finally {
            $again->close();
        }
    }

    public function testAnActionOpenPastItsDueTimeFiresOnce(): void
    {
        $inc = $this->major()->openReview()->addReviewAction('alarm', 'Alert on disk space', self::t(2),
            owner: 'ops_bob');
        $this->eng->tick(self::t(2));
        $this->assertFalse($inc->review()->actions[0]->overdue);
        $this->eng->tick(self::t(3));
        $this->eng->tick(self::t(4));
        $this->assertTrue($inc->review()->actions[0]->overdue);
        $this->assertSame(1, $inc->review()->overdueActions);
        $this->assertSame(1, count(array_filter($this->reviewEvents(), fn ($t) => $t === 'review_action_overdue')));
        $this->assertEquals(new ReviewActionCounts(1, 1, 0), $this->eng->reviewActions());
    }

    public function testRefusalsThrowAndChangeNothing(): void
    {
        $inc = $this->major();
        $plain = $this->eng->open('incident', ['summary' => 'one printer']);
        $refused = function (string $class, callable $call, string $needle = ''): void {
            $n = count($this->store);
            try {
                $call();
                $this->fail("expected $class");
            } catch (\Itsm\Exception\ItsmException $e) {
                $this->assertInstanceOf($class, $e, $e->getMessage());
                $this->assertStringContainsString($needle, $e->getMessage());
            }
            $this->assertSame($n, count($this->store));
        };
        $refused(InvalidArgument::class, fn () => $plain->openReview(), 'not an accepted major incident');
        $refused(NotFound::class, fn () => $inc->addReviewCause('no review yet'), 'no post-incident review');
        $inc->openReview();
        $refused(AlreadyExists::class, fn () => $inc->openReview());
        $inc->addReviewAction('alarm', 'Alert on disk space', self::t(1));
        $refused(InvalidArgument::class, fn () => $inc->addReviewAction('late', 'Too late', self::t(0)),
            'not after now');
        $refused(AlreadyExists::class, fn () => $inc->addReviewAction('alarm', 'again', self::t(2)));
        $refused(NotFound::class, fn () => $inc->assignReviewAction('nope', 'ops_bob'), 'nope');
        $refused(StateError::class, fn () => $inc->completeReviewAction('alarm'), 'has no owner');
        $refused(StateError::class, fn () => $inc->completeReview(), 'no contributing cause');
        $inc->addReviewCause('A full disk');
        $refused(StateError::class, fn () => $inc->completeReview(),
            "action 'alarm' (Alert on disk space) has no owner");
        $this->assertEquals(new ReviewActionCounts(1, 0, 1), $this->eng->reviewActions());
        $this->assertNull($plain->review());
    }

    public function testTheMajorsProblemWaitsForOwners(): void
    {
        $inc = $this->major()->openReview()->addReviewAction('alarm', 'Alert on disk space', self::t(7));
        $prb = $inc->openProblem();
        $close = ['resolution_code' => 'risk_accepted', 'close_justification' => 'not worth it'];
        try {
            $prb->fire('close_without_fix', $close);
            $this->fail('an action without an owner');
        } catch (GuardFailed $e) {
            $this->assertStringContainsString("action 'alarm' (Alert on disk space) of the review of",
                $e->getMessage());
        }
        $inc->assignReviewAction('alarm', 'ops_bob');
        $prb->fire('close_without_fix', $close);
        $this->assertSame('closed', $prb->state());
    }

    public function testTheTimelineExcerptKeepsTheKeyMoments(): void
    {
        $inc = $this->major();
        $inc->update(['description' => 'more detail']);
        $inc->addNote('looking at the database');
        $inc->openReview();
        $full = array_map(fn ($e) => $e->type, $inc->history()->entries);
        $excerpt = array_map(fn ($e) => $e->type, $inc->reviewTimeline()->entries);
        $this->assertContains('update', $full);
        $this->assertNotContains('update', $excerpt);
        $this->assertNotContains('note', $excerpt);
        $this->assertSame('open', $excerpt[0]);
        $this->assertContains('major_decided', $excerpt);
        $this->assertSame('review_opened', $excerpt[count($excerpt) - 1]);
        $this->assertTrue($inc->reviewTimeline()->complete);
    }
}
