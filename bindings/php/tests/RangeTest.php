<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\InvalidArgument;
use Itsm\JsonLimits;
use Itsm\Policy;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * Integers and kind selections on their way into C: a value its C type
 * cannot hold is refused (InvalidArgument naming it), never wrapped modulo
 * 2**32 by FFI into one the library accepts; an empty selection of kinds
 * is refused rather than read as every kind.
 */
final class RangeTest extends TestCase
{
    private const BIG = 4294967296;     // wraps to 0 in an int / unsigned

    /** @return list<?array{string, string}> */
    private static function week(): array
    {
        return array_merge(array_fill(0, 5, ['09:00', '17:00']), [null, null]);
    }

    private function refused(callable $call, string $what): InvalidArgument
    {
        try {
            $call();
        } catch (InvalidArgument $e) {
            return $e;
        } catch (\Throwable $e) {
            $this->fail("$what: " . get_class($e) . ': ' . $e->getMessage());
        }
        $this->fail("$what: accepted");
    }

    public function testPolicyIntegersBeyondTheirCTypeAreRefusedAndChangeNothing(): void
    {
        $p = Policy::default();
        $p->setCalendar('office', self::week());
        $before = $p->toJson();
        $big = self::BIG;
        $stop = "state == 'resolved'";
        $cases = [
            'setPriority impact' => fn () => $p->setPriority($big + 1, 1, 4),
            'setPriority priority' => fn () => $p->setPriority(1, 1, $big + 2),
            'recurrence count' => fn () => $p->setProblemRules(recurrenceCount: 1 << 40),
            'recurrence count + 5' => fn () => $p->setProblemRules(recurrenceCount: $big + 5),
            'UTC offset' => fn () => $p->setCalendar('x', self::week(), $big + 3600),
            'span start' => fn () => $p->setCalendar('y', array_merge(array_fill(0, 5, [$big + 9 * 3600, 17 * 3600]),
                [null, null])),
            'warnings' => fn () => $p->setWarnings([$big + 500]),
            'negative warning' => fn () => $p->setWarnings([-1]),
            'propose-at priority' => fn () => $p->setMajor(proposeAtPriority: $big + 1),
            'broadcast max priority' => fn () => $p->setCadence([], $big + 2),
            'survey permille' => fn () => $p->setClosure(surveyPermille: $big + 100),
            'survey scale' => fn () => $p->setSurveyScale($big + 1, $big + 5),
            'agreement priority' => fn () => $p->setAgreement('a', $stop, [$big + 1 => 3600]),
            'agreement target' => fn () => $p->setAgreement('a', $stop, [0 => $big + 60]),
            'agreement warning' => fn () => $p->setAgreement('a', $stop, [0 => 3600], warnings: [$big / 1000 + 0.5]),
            'agreement NaN warning' => fn () => $p->setAgreement('a', $stop, [0 => 3600], warnings: [NAN]),
            'risk score' => fn () => $p->setRiskQuestion('q', ['yes' => $big + 5, 'no' => 0]),
            'risk bound' => fn () => $p->setRiskLevels(['low' => $big + 1, 'high' => null]),
            'quorum' => fn () => $p->addApprovalRule('r', 'change', [['name' => 'cab', 'approvers' => ['a', 'b'],
                'mode' => 'quorum', 'quorum' => $big + 1]]),
            'field range' => fn () => $p->addField('n', 'int', range: [0, 1.0e30]),
            'on-call timeout' => fn () => $p->addOncall('o', [[['ann'], $big + 15]]),
            'on-call max priority' => fn () => $p->addOncall('o', [[['ann'], 15]], maxPriority: $big + 1),
            'alert window' => fn () => $p->setAlertWindow($big + 10),
        ];
        foreach ($cases as $what => $call) {
            $e = $this->refused($call, $what);
            if (in_array($what, ['setPriority impact', 'recurrence count', 'UTC offset', 'warnings'], true)) {
                $this->assertMatchesRegularExpression('/\d{10,} is outside/', $e->getMessage(), $what);
            }
        }
        $this->assertSame($before, $p->toJson());
        $this->assertSame(3, $p->problemRules()->recurrenceCount);
        $this->assertSame(1, $p->priority(1, 1));
        $p->close();
    }

    public function testAPriorityLookupBeyondAnIntIsOutOfRange(): void
    {
        $p = Policy::default();
        $this->assertNull($p->priority(self::BIG + 1, 1));
        $p->close();
    }

    public function testEngineIntegersBeyondTheirCTypeAreRefused(): void
    {
        $eng = new Engine(clock: new Clock(), actor: 'desk');
        $inc = $eng->open('incident', ['summary' => 'vpn down', 'category' => 'network', 'impact' => 2, 'urgency' => 2]);
        $inc->packet('shift', ['sender_group' => 'desk'])->propose();
        $this->refused(fn () => $eng->handover(self::BIG + 1), 'handover number');     // would find packet 1
        $rev = $inc->revision();
        $this->refused(fn () => $inc->escalate('tried', self::BIG + 1), 'escalation level');
        $this->assertSame($rev, $inc->revision());
        $eng->close();
        // a size_t: -1 would wrap to "no bound at all"
        $this->refused(fn () => Policy::fromJson(Policy::default()->toJson(), limits: new JsonLimits(maxDepth: -1)),
            'JSON limit');
    }

    public function testAnEmptyKindSelectionIsRefused(): void
    {
        $eng = new Engine(clock: new Clock(), actor: 'desk');
        $eng->open('incident', ['summary' => 'a']);
        $eng->open('change', ['summary' => 'c']);
        $e = $this->refused(fn () => $eng->report(kinds: []), 'report kinds');
        $this->assertStringContainsString('kinds is empty', $e->getMessage());
        $this->assertSame(2, $eng->report()->total());
        $this->assertSame(1, $eng->report(kinds: ['change'])->total());
        $eng->close();
        $p = Policy::default();
        $this->refused(fn () => $p->addField('tier', 'text', kinds: []), 'field kinds');
        $this->assertSame([], $p->customFields());
        $p->addField('tier', 'text');
        $this->assertSame(Engine::kinds(), $p->customFields()['tier']['kinds'], 'null: every kind');
        $p->close();
    }

    public function testAnAnswerIsABool(): void
    {
        $eng = new Engine(clock: new Clock(), actor: 'desk');
        $inc = $eng->open('incident', ['summary' => 'batch fails', 'service' => 'payroll', 'category' => 'batch',
            'impact' => 3, 'urgency' => 3]);
        $inc->fire('assign', ['assignment_group' => 'apps']);
        $inc->fire('start', ['assignee' => 'ann']);
        $inc->fire('resolve', ['resolution_code' => 'workaround', 'resolution_notes' => 'reran it']);
        // the parameters are ?bool: a strict caller gets a TypeError, never a truthy yes
        $this->expectException(\TypeError::class);
        $inc->decideProblem(rootCauseNeeded: 'no');     // @phpstan-ignore-line
    }
}
