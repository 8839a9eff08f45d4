<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\AlreadyExists;
use Itsm\Exception\GuardFailed;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\NotFound;
use Itsm\Exception\ParseError;
use Itsm\Exception\PolicyError;
use Itsm\Exception\StateError;
use Itsm\Policy;
use PHPUnit\Framework\TestCase;

/** Policy: default, documents, checks, the priority matrix, custom lifecycles. */
final class PolicyTest extends TestCase
{
    public function testDefaultRoundTrip(): void
    {
        $p = Policy::default();
        $this->assertSame([], $p->check());
        $doc = $p->toJson();
        $this->assertSame(1, json_decode($doc, true)['itsm_policy']);
        $this->assertSame($doc, Policy::fromJson($doc)->toJson());
    }

    public function testPriorityMatrix(): void
    {
        $p = Policy::default();
        $this->assertSame([1 => [1 => 1, 2 => 2, 3 => 3], 2 => [1 => 2, 2 => 3, 3 => 4], 3 => [1 => 3, 2 => 4, 3 => 5]],
            $p->priorityMatrix());
        $this->assertNull($p->priority(0, 9));
        $p->setPriority(2, 1, 1);
        $eng = new Engine(policy: $p);
        $this->assertSame(1, $eng->open('incident', ['impact' => 2, 'urgency' => 1])->priority);
        $this->assertSame($p->priorityMatrix(), $eng->policy()->priorityMatrix());
        $this->expectException(InvalidArgument::class);
        $p->setPriority(1, 1, 9);
    }

    public function testReassignmentRule(): void
    {
        $p = Policy::default();
        $this->assertSame('group', $p->reassignmentRule());
        foreach (['group' => [0, 0, 1], 'group_or_assignee' => [0, 1, 2], 'group_change' => [0, 0, 1]]
                 as $rule => $counts) {
            $p->setReassignmentRule($rule);
            $this->assertSame(['reassignment' => $rule], json_decode($p->toJson(), true)['counters']);
            $this->assertSame($rule, Policy::fromJson($p->toJson())->reassignmentRule());
            $eng = new Engine(policy: $p);
            $inc = $eng->open('incident', ['assignment_group' => 'desk', 'assignee' => 'bob']);
            $seen = [$inc->reassignments];
            $inc->update(['assignee' => 'carol']);
            $seen[] = $inc->reassignments;
            $inc->update(['assignment_group' => 'network', 'assignee' => 'dave']);
            $seen[] = $inc->reassignments;
            $this->assertSame($counts, $seen, $rule);
        }
        $this->expectException(InvalidArgument::class);
        $p->setReassignmentRule('assignee');
    }

    public function testCustomLifecycle(): void
    {
        $p = Policy::default()->clearLifecycle('knowledge')
            ->addState('knowledge', 'draft', initial: true)->addState('knowledge', 'live')
            ->addState('knowledge', 'gone', closed: true)
            ->addEvent('knowledge', 'publish')->addEvent('knowledge', 'retire')
            ->addTransition('knowledge', 'draft', 'publish', 'live', guard: 'summary')
            ->addTransition('knowledge', '*', 'retire', 'gone', stamp: 'closed_at');
        $this->assertSame([], $p->check());
        $eng = new Engine(policy: $p->toJson());
        $kb = $eng->open('knowledge');
        try {
            $kb->fire('publish');
            $this->fail('guard ignored');
        } catch (GuardFailed) {
        }
        $kb->fire('publish', ['summary' => 'How to reset a password'])->fire('retire');
        $this->assertSame(['gone', false], [$kb->state(), $kb->isOpen()]);
        $this->assertNotNull($kb->closed_at);
    }

    public function testBuilderErrorsCarryThePolicysMessage(): void
    {
        $p = Policy::default();
        try {
            $p->addState('incident', 'new');
            $this->fail('added twice');
        } catch (AlreadyExists) {
        }
        try {
            $p->addTransition('incident', 'new', 'teleport', 'closed');
            $this->fail('unknown event');
        } catch (NotFound $e) {
            $this->assertStringContainsString('teleport', $e->getMessage());
        }
        $this->expectException(InvalidArgument::class);
        $p->addState('incident', 'Bad Name');
    }

    public function testFindingsAndAnEngineRefusesAPolicyWithThem(): void
    {
        $p = Policy::empty()->addState('incident', 'a', initial: true)->addState('incident', 'b')
            ->addEvent('incident', 'unused');
        $findings = $p->check();
        $this->assertGreaterThanOrEqual(2, count($findings));
        foreach ($findings as $f) {
            $this->assertStringStartsWith('incident', $f);
        }
        try {
            new Engine(policy: $p);
            $this->fail('an engine took a broken policy');
        } catch (PolicyError $e) {
            $this->assertSame($findings, $e->findings());
        }
        $doc = Policy::default()->toJson();
        $broken = str_replace('{"name":"assigned"}', '{"name":"assigned"},{"name":"limbo"}', $doc);
        $this->assertCount(1, Policy::fromJson($broken, check: false)->check());
        try {
            Policy::fromJson($broken);
            $this->fail('checked document with findings');
        } catch (PolicyError $e) {
            $this->assertCount(1, $e->findings());
            $this->assertStringContainsString('limbo', $e->getMessage());
        }
        $this->expectException(ParseError::class);
        Policy::fromJson('{"itsm_policy": 1,');
    }

    public function testCopyAndClose(): void
    {
        $p = Policy::default();
        $q = $p->copy()->setPriority(1, 1, 5);
        $this->assertSame([1, 5], [$p->priority(1, 1), $q->priority(1, 1)]);
        $p->close();
        $p->close();
        $this->expectException(StateError::class);
        $p->toJson();
    }

    public function testRolesMapWhatTheEngineNeedsToTheLifecyclesNames(): void
    {
        $p = Policy::default();
        $this->assertSame('known_error', $p->role('problem', 'known_error'));
        $this->assertNull($p->role('service_request', 'auto_close'));
        $p->setRole('problem', 'fix_applied', 'fixed');
        $this->assertSame('fixed', $p->role('problem', 'fix_applied'));
        $p->setRole('problem', 'resolve', 'mend');
        $this->assertNotEmpty(array_filter($p->check(), fn ($f) => str_contains($f, "role 'resolve' names event 'mend'")));
        $p->setRole('problem', 'resolve', null);
        $this->assertSame([], $p->check());
        $this->assertStringContainsString('"roles":{"fix_applied":"fixed"}', $p->toJson());
        try {
            $p->role('problem', 'no_such_role');
            $this->fail('an unknown role must be refused');
        } catch (InvalidArgument $e) {
            $this->assertStringContainsString('no_such_role', $e->getMessage());
        }
        $this->expectException(InvalidArgument::class);
        try {
            $p->setRole('change', 'resolve', 'x');
        } finally {
            $p->close();
        }
    }
}
