<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\StateError;
use Itsm\Internal\Native;
use Itsm\Policy;
use Itsm\Record;
use Itsm\Store\MemoryStore;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * What a settled record (resolved, closed) or the wrong kind refuses, through
 * the binding: hierarchical escalation only while work is owed, a known
 * outage only on an open incident, first-contact resolution lost at a reopen
 * (escalation.h, communication.h). A refusal is StateError with the
 * library's code and message, and leaves the record, its events and the
 * engine's outage as they were. The same cases as the Python binding's
 * tests/test_settled_records.py.
 */
final class SettledRecordTest extends TestCase
{
    private Clock $clock;
    private MemoryStore $store;
    private Engine $eng;

    protected function setUp(): void
    {
        $this->clock = new Clock();
        $this->store = new MemoryStore();
        $pol = Policy::default()->setLadder(['team_lead', 'desk_manager']);
        $this->eng = new Engine(policy: $pol, store: $this->store, clock: $this->clock, actor: 'desk');
        $pol->close();
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    private function resolved(): Record
    {
        $inc = $this->eng->open('incident', ['summary' => 'mail down', 'service' => 'mail', 'impact' => 3,
            'urgency' => 3]);
        $inc->fire('assign', ['assignment_group' => 'desk']);
        $inc->fire('start', ['assignee' => 'ann']);
        $this->clock->advance('+20 minutes');
        $inc->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'restarted']);
        return $inc;
    }

    private function assertRefused(callable $call, Record $rec): string
    {
        $before = [$rec->revision(), $rec->state(), $rec->escalationAudience(), count($this->store->events)];
        try {
            $call();
            $this->fail('the step was taken');
        } catch (StateError $e) {
            $this->assertSame(Native::ITSM_ESTATE, $e->getCode());
            $this->assertSame('ITSM_ESTATE', $e->errorName());
            $this->assertNotSame('', $e->getMessage());
        }
        $this->assertSame($before,
            [$rec->revision(), $rec->state(), $rec->escalationAudience(), count($this->store->events)]);
        return $e->getMessage();
    }

    public function testHierarchicalEscalationWaitsForAReopen(): void
    {
        $inc = $this->resolved();
        $this->assertRefused(fn () => $inc->escalateHierarchical('customer complains'), $inc);
        $inc->fire('reopen', ['assignee' => 'ann']);
        $inc->escalateHierarchical('customer complains');
        $this->assertSame('team_lead', $inc->escalationAudience());
    }

    public function testAClosedIncidentRefusesHierarchicalEscalation(): void
    {
        $inc = $this->eng->open('incident', ['summary' => 'x']);
        $inc->fire('cancel');
        $this->assertRefused(fn () => $inc->escalateHierarchical('late complaint'), $inc);
    }

    public function testAResolvedIncidentDeclaresNoOutage(): void
    {
        $inc = $this->resolved();
        $this->assertRefused(fn () => $inc->declareOutage($this->clock->now->modify('+1 hour'),
            $this->clock->now->modify('+30 minutes')), $inc);
        $this->assertNull($this->eng->outage('mail'));
    }

    public function testAServiceRequestDeclaresNoOutage(): void
    {
        $t0 = Clock::t0();
        $req = $this->eng->open('service_request', ['summary' => 'new laptop', 'service' => 'mail']);
        $msg = $this->assertRefused(fn () => $req->declareOutage($t0->modify('+1 hour'), $t0->modify('+30 minutes')), $req);
        $this->assertStringContainsString('only an incident', $msg);
        $this->assertNull($this->eng->outage('mail'));
        $inc = $this->eng->open('incident', ['summary' => 'mail down', 'service' => 'mail', 'impact' => 1,
            'urgency' => 1]);
        $inc->declareOutage($t0->modify('+1 hour'), $t0->modify('+30 minutes'));
        $this->assertSame($inc, $this->eng->outage('mail'));
    }

    public function testAReopenLosesFirstContactResolution(): void
    {
        $inc = $this->resolved();
        $this->assertTrue($inc->firstContactResolution());
        $inc->fire('reopen', ['assignee' => 'ann']);
        $this->assertFalse($inc->firstContactResolution());
        $inc->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'for good']);
        $this->assertFalse($inc->firstContactResolution(), 'resolved again, the first fix still did not hold');
        $f = $this->eng->report(now: $this->clock->now)->figures();
        $this->assertSame([1, 0, 1], [$f->resolved, $f->firstContact, $f->reopens]);
    }

    public function testAReopenedIncidentBackInWorkIsNotResolvedInTheReport(): void
    {
        $inc = $this->resolved();
        $this->clock->advance('+1 hour');
        $this->assertSame(1, $this->eng->report(now: $this->clock->now)->figures()->resolved);
        $inc->fire('reopen', ['assignee' => 'ann']);
        $rep = $this->eng->report(now: $this->clock->now);
        $f = $rep->figures();
        $this->assertSame([0, 0, 1], [$f->resolved, $f->firstContact, $f->everResolved]);
        $this->assertSame(0, $rep->duration('resolve_wall')->count);
    }
}
