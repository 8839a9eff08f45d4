<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\PolicyError;
use Itsm\Exception\StateError;
use Itsm\Internal\Native;
use Itsm\Policy;
use Itsm\Store\MemoryStore;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * Policy versions (docs/policy.md, "Versions"): identity, adoption, and a
 * store reloaded under the version in force for each event - the same
 * scenario as the Python binding's tests/test_versions.py.
 */
final class PolicyVersionTest extends TestCase
{
    private const H = 3600;

    private static function p2Within(int $hours, string $name): Policy
    {
        $pol = Policy::default();
        $pol->setSla('standard', response: array_fill(0, 5, 4 * self::H),
            resolution: [1 => 48 * self::H, 2 => $hours * self::H, 3 => 48 * self::H, 4 => 48 * self::H,
                5 => 48 * self::H]);
        return $pol->setName($name);
    }

    public function testIdentityIsTheNameAndTheHashOfTheDocument(): void
    {
        $a = self::p2Within(8, 'eight');
        $b = self::p2Within(8, 'eight');
        $this->assertSame('eight', $a->name());
        $this->assertMatchesRegularExpression('/^[0-9a-f]{64}$/', $a->hash());
        $this->assertSame($a->hash(), $b->hash());
        $b->setName('other');
        $this->assertNotSame($a->hash(), $b->hash());
        $b->setName(null);
        $this->assertNull($b->name());
        $before = $b->hash();
        foreach (['', "a\0b", str_repeat('n', 65), "tab\there"] as $bad) {
            try {
                $b->setName($bad);
                $this->fail('a bad name was taken: ' . json_encode($bad));
            } catch (InvalidArgument $e) {
                $this->assertSame(Native::ITSM_EINVAL, $e->getCode());
            }
            $this->assertNull($b->name(), 'a refused name leaves the policy unchanged');
            $this->assertSame($before, $b->hash());
        }
        $b->setName(str_repeat('n', 64))->setName('nämé');   // 64 bytes and UTF-8 are names
        $this->assertSame('nämé', $b->name());
        $b->close();
        $this->expectException(StateError::class);
        $b->hash();
    }

    public function testAShorterTargetDoesNotRejudgeThePast(): void
    {
        $clock = new Clock();
        $store = new MemoryStore();
        $a = self::p2Within(8, 'eight');
        $b = self::p2Within(4, 'four');
        $eng = new Engine(policy: $a, clock: $clock, store: $store);
        $this->assertSame(substr($a->hash(), 0, 16), $eng->policyVersion());
        $old = $eng->open('incident', ['summary' => 'x', 'impact' => 1, 'urgency' => 2]);
        $old->fire('start', ['assignment_group' => 'desk', 'assignee' => 'ann']);
        $clock->advance('+6 hours');
        $old->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'done']);
        $eng->adoptPolicy($b);
        $this->assertSame(substr($b->hash(), 0, 16), $eng->policyVersion());
        $this->assertSame(substr($a->hash(), 0, 16), $old->policyVersion(), 'a resolved record keeps its version');
        $new = $eng->open('incident', ['summary' => 'y', 'impact' => 1, 'urgency' => 2]);
        $this->assertSame(substr($b->hash(), 0, 16), $new->policyVersion());
        $clock->advance('+6 hours');
        $new->fire('start', ['assignment_group' => 'desk', 'assignee' => 'ann']);
        $new->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'done']);
        $verdicts = [$old->timer('resolution')->breached, $new->timer('resolution')->breached];
        $this->assertSame([false, true], $verdicts);
        $eng->close();

        $again = (new Engine(policy: $b, clock: $clock, store: $store))->load();
        $this->assertSame($verdicts, [$again->find('INC-000001')->timer('resolution')->breached,
            $again->find('INC-000002')->timer('resolution')->breached]);
        $this->assertSame(substr($a->hash(), 0, 16), $again->find('INC-000001')->policyVersion());
        $again->close();
    }

    public function testARollbackUndoesAnAdoptionInsideTheGroup(): void
    {
        $store = new MemoryStore();
        $eng = new Engine(clock: new Clock(), store: $store);
        $eng->open('incident', ['summary' => 'x']);
        [$version, $stored] = [$eng->policyVersion(), $store->events];
        $b = self::p2Within(4, 'four');
        $eng->begin();
        $eng->adoptPolicy($b);
        $this->assertSame(substr($b->hash(), 0, 16), $eng->policyVersion());
        $eng->rollback();
        $this->assertSame([$version, $stored], [$eng->policyVersion(), $store->events]);
        $this->assertSame($version, $eng->open('incident', ['summary' => 'y'])->policyVersion());
        $eng->transaction(fn (Engine $e) => $e->adoptPolicy($b));
        $this->assertSame(substr($b->hash(), 0, 16), $eng->policyVersion());
        $eng->close();
    }

    public function testAnIncompatibleVersionIsRefusedAndChangesNothing(): void
    {
        $eng = new Engine(clock: new Clock());
        $rec = $eng->open('incident', ['summary' => 'x']);
        $version = $eng->policyVersion();
        $pol = Policy::default();
        $pol->clearLifecycle('incident');    // removes every state of the engine's incidents
        try {
            $eng->adoptPolicy($pol);
            $this->fail('a version that removes states was adopted');
        } catch (PolicyError $e) {
            $this->assertSame(Native::ITSM_EPOLICY, $e->getCode());
            $this->assertNotSame('', $e->getMessage());
        }
        $this->assertSame($version, $eng->policyVersion());
        $this->assertSame($version, $rec->policyVersion());
        $this->assertSame(1, $rec->revision());
        $pol->close();
        $this->expectException(StateError::class);
        $eng->adoptPolicy($pol);    // a closed policy
    }

    public function testAClosedEngineRefusesTheVersionCalls(): void
    {
        $eng = new Engine(clock: new Clock());
        $rec = $eng->open('incident', ['summary' => 'x']);
        $eng->close();
        foreach ([fn () => $eng->policyVersion(), fn () => $rec->policyVersion(),
                     fn () => $eng->adoptPolicy(Policy::default())] as $call) {
            try {
                $call();
                $this->fail('a closed engine answered');
            } catch (StateError) {
                $this->addToAssertionCount(1);
            }
        }
    }
}
