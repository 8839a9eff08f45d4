<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Conformance;
use Itsm\ConformanceMove;
use Itsm\ConformanceRule;
use Itsm\Engine;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\ParseError;
use Itsm\Exception\StateError;
use Itsm\Store\MemoryStore;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/** Conformance reports (conformance.h): stored and observed moves checked against a reference policy. */
final class ConformanceTest extends TestCase
{
    private function storeOfOneIncident(): MemoryStore
    {
        $store = new MemoryStore();
        $eng = new Engine(store: $store, clock: new Clock(), actor: 'ann');
        $inc = $eng->open('incident', ['summary' => 'Mail down']);
        $inc->fire('assign', ['assignment_group' => 'desk']);
        $inc->fire('start', ['assignee' => 'ann']);
        $inc->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'restarted']);
        $eng->close();
        return $store;
    }

    /** @param list<ConformanceMove> $moves */
    private static function move(array $moves, ?string $from, string $to): ConformanceMove
    {
        foreach ($moves as $m) {
            if ($m->from === $from && $m->to === $to) {
                return $m;
            }
        }
        throw new \LogicException("no move $from -> $to");
    }

    public function testStoredMovesThatFollowThePolicyAreAllowed(): void
    {
        $c = (new Conformance())->addStore($this->storeOfOneIncident());
        $s = $c->summary();
        $this->assertSame([1, 4, 4, 0, 0, 0, 0], [$s->records, $s->moves, $s->allowed, $s->guardFailed, $s->refused,
                                                 $s->deviatingRecords, $s->bypassRecords]);
        $this->assertSame(1.0, $s->fitness);
        $this->assertSame([[null, 'new'], ['new', 'assigned'], ['assigned', 'in_progress'], ['in_progress', 'resolved']],
            array_map(fn (ConformanceMove $m) => [$m->from, $m->to], $c->moves()));
        $this->assertSame(['none', 1.0, []], [$c->moves()[3]->deviation, $c->moves()[3]->fitness,
                                              $c->moves()[3]->skipped]);
        $resolve = array_values(array_filter($c->rules(), fn (ConformanceRule $r) => $r->kind === 'incident'
            && $r->from === 'in_progress' && $r->event === 'resolve'))[0];
        $this->assertSame(['resolved', 'resolution_code resolution_notes', 1, 0, 1.0],
            [$resolve->to, $resolve->guard, $resolve->used, $resolve->guardFailed, $resolve->agreement]);
        $states = $c->states('incident');
        $this->assertSame(['new', 'assigned', 'in_progress', 'on_hold', 'resolved', 'closed', 'canceled'],
            array_keys($states));
        $this->assertSame(['initial' => true, 'closed' => false], $states['new']);
        $this->assertSame(['initial' => false, 'closed' => true], $states['closed']);
        $c->close();
    }

    public function testObservedMovesAreClassed(): void
    {
        $c = new Conformance(\Itsm\Policy::default());
        $c->observe('INC-9', 'new')
          ->observe('INC-9', 'on_hold', from: 'new', refused: true)
          ->observe('INC-9', 'triage', from: 'on_hold')
          ->observe('PRB-1', 'new', kind: 'problem');
        $moves = $c->moves();
        $skip = self::move($moves, 'new', 'on_hold');
        $this->assertSame(['skip', ['in_progress'], 1, 0, 1], [$skip->deviation, $skip->skipped, $skip->count,
                                                              $skip->allowed, $skip->refused]);
        $this->assertSame('unknown_state', self::move($moves, 'on_hold', 'triage')->deviation);
        $this->assertSame('problem', $moves[3]->kind);
        $s = $c->summary();
        $this->assertSame([2, 4, 2, 1, 1, 1], [$s->records, $s->moves, $s->allowed, $s->refused,
                                              $s->deviatingRecords, $s->bypassRecords]);
        $this->assertEqualsWithDelta(0.5, $s->fitness, 1e-9);
        $this->assertSame(4, $c->data()['moves']);
        $this->assertStringContainsString("\r\nmove,incident,new,,on_hold,skipped,in_progress\r\n", $c->toCsv());
        $this->assertStringStartsWith('{"version":1,', $c->toJson());
    }

    public function testBadInputThrowsAndChangesNothing(): void
    {
        $c = new Conformance();
        try {
            $c->add("{\"type\":\"open\",\n\"record\":");
            $this->fail('invalid JSON');
        } catch (ParseError $e) {
            $this->assertSame(2, $e->documentLine());
        }
        try {
            $c->observe('INC-1', 'Not A State');
            $this->fail('a bad state name');
        } catch (InvalidArgument $e) {
            $this->assertNotSame('', $e->getMessage());
        }
        $this->assertSame(0, $c->summary()->moves);
        $this->expectException(InvalidArgument::class);
        $c->observe('INC-1', 'new', kind: 'rocket');
    }

    public function testAddOfANonStringIsTheBindingsOwnTypeError(): void
    {
        $c = new Conformance();
        try {
            $c->add([5]);
            $this->fail('added a non-string');
        } catch (\TypeError $e) {
            // Not the one strlen() throws under strict types.
            $this->assertSame('Conformance::add() takes JSON strings (one, or an iterable of them), not int',
                $e->getMessage());
        }
        $this->assertSame(0, $c->summary()->moves);
    }

    public function testAClosedReportRefusesEveryCall(): void
    {
        $c = new Conformance();
        $c->close();
        $c->close();
        $this->expectException(StateError::class);
        $c->summary();
    }
}
