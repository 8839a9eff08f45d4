<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\ParseError;
use Itsm\Policy;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/** Conditions over a record's names (condition.h, docs/conditions.md). */
final class ConditionTest extends TestCase
{
    public function testARecordAnswersAConditionAsItStandsNow(): void
    {
        $eng = new Engine(clock: new Clock());
        $inc = $eng->open('incident', ['summary' => 'Payroll is down', 'service' => 'Payroll',
                                       'impact' => 1, 'urgency' => 1]);
        $cond = "kind == 'incident' and priority <= 2 and service in ('Payroll', 'Mail')";
        $this->assertTrue($inc->condition($cond));
        $this->assertTrue($inc->condition("state != 'resolved' and hold_reason == null"));
        $inc->update(['impact' => 3, 'urgency' => 3]);
        $this->assertFalse($inc->condition($cond));
        $eng->close();
    }

    public function testABadConditionIsAParseErrorWithItsPosition(): void
    {
        $policy = Policy::default();
        $policy->checkCondition("priority <= 2 and not major");
        try {
            $policy->checkCondition("priority <= 2 and\n  colour == 'red'");
            $this->fail('an unknown name must be refused');
        } catch (ParseError $e) {
            $this->assertSame(2, $e->documentLine());
            $this->assertSame(3, $e->documentColumn());
            $this->assertStringContainsString('colour', $e->getMessage());
        }
        $eng = new Engine(policy: $policy);
        $this->expectException(ParseError::class);
        try {
            $eng->open('incident')->condition("priority == 'high'");
        } finally {
            $eng->close();
            $policy->close();
        }
    }
}
