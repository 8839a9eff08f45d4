<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\AllowedEvent;
use Itsm\Engine;
use Itsm\Exception\GuardFailed;
use Itsm\Record;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * Record::allowed(): the events that can fire from a record's state, each
 * with what its guard still misses; GuardFailed names every missing term
 * and carries them as data (record.h).
 */
final class AllowedTest extends TestCase
{
    /** The default incident lifecycle (docs/lifecycles.md): what each state offers. */
    private const INCIDENT = [
        'new' => ['assign' => 'assigned', 'start' => 'in_progress', 'cancel' => 'canceled',
                  'parent_resolved' => 'resolved'],
        'assigned' => ['start' => 'in_progress', 'cancel' => 'canceled', 'parent_resolved' => 'resolved'],
        'in_progress' => ['hold' => 'on_hold', 'resolve' => 'resolved', 'cancel' => 'canceled',
                          'parent_resolved' => 'resolved'],
        'resolved' => ['reopen' => 'in_progress', 'confirm' => 'closed', 'auto_close' => 'closed',
                       'cancel' => 'canceled'],
        'closed' => [],
    ];

    private Engine $eng;

    protected function setUp(): void
    {
        $this->eng = new Engine(clock: new Clock(), actor: 'ann');
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    /** @return array<string, string> */
    private function offered(Record $rec): array
    {
        $out = [];
        foreach ($rec->allowed() as $a) {
            $out[$a->event] = $a->toState;
        }
        return $out;
    }

    private function find(Record $rec, string $event): AllowedEvent
    {
        foreach ($rec->allowed() as $a) {
            if ($a->event === $event) {
                return $a;
            }
        }
        $this->fail("$event is not offered");
    }

    public function testEachStateOffersItsTransitionsWithWhatIsMissing(): void
    {
        $inc = $this->eng->open('incident', ['summary' => 'Mail is down']);
        $this->assertSame(self::INCIDENT['new'], $this->offered($inc));
        $start = $this->find($inc, 'start');
        $this->assertFalse($start->ready());
        $this->assertSame(['assignment_group', 'assignee'], array_map(fn ($n) => $n->field, $start->missing));
        $this->assertTrue($this->find($inc, 'cancel')->ready());

        $inc->fire('assign', ['assignment_group' => 'desk']);
        $this->assertSame(self::INCIDENT['assigned'], $this->offered($inc));
        $inc->fire('start', ['assignee' => 'ann']);
        $this->assertSame(self::INCIDENT['in_progress'], $this->offered($inc));
        $this->assertSame(['resolution_code', 'resolution_notes'],
            array_map(fn ($n) => $n->term, $this->find($inc, 'resolve')->missing));
        $inc->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'restarted']);
        $this->assertSame(self::INCIDENT['resolved'], $this->offered($inc));
        $inc->fire('confirm', ['category' => 'email', 'knowledge_decision' => 'not_needed']);
        $this->assertSame(self::INCIDENT['closed'], $this->offered($inc));
    }

    public function testAFailedGuardNamesEveryMissingFieldAndCarriesThem(): void
    {
        $inc = $this->eng->open('incident');
        $inc->fire('start', ['assignment_group' => 'desk', 'assignee' => 'ann']);
        try {
            $inc->fire('resolve');
            $this->fail('resolve must be refused');
        } catch (GuardFailed $e) {
            $this->assertSame("transition 'resolve' from 'in_progress' needs fields 'resolution_code', "
                . "'resolution_notes'", $e->getMessage());
            $this->assertSame([['field', 'resolution_code'], ['field', 'resolution_notes']],
                array_map(fn ($n) => [$n->kind, $n->field], $e->missing));
        }
        try {
            $inc->fire('resolve', ['resolution_code' => 'fixed']);
            $this->fail('resolve must be refused');
        } catch (GuardFailed $e) {
            $this->assertSame(['resolution_notes'], array_map(fn ($n) => $n->field, $e->missing));
        }
    }

    public function testAnyOfValueAndLinkNeeds(): void
    {
        $prb = $this->eng->open('problem');
        $prb->fire('assess', ['assignee' => 'ann', 'category' => 'mail']);
        $prb->fire('analyse');
        $anyof = array_values(array_filter($this->find($prb, 'identify')->missing,
            fn ($n) => $n->kind === 'any_of'))[0];
        $this->assertSame('workaround|no_workaround', $anyof->term);
        $this->assertSame(['workaround', 'no_workaround'], $anyof->fields());
        $prb->fire('identify', ['cause' => 'a leak', 'no_workaround' => true]);
        try {
            $prb->fire('request_change');
            $this->fail('request_change must be refused');
        } catch (GuardFailed $e) {
            $this->assertCount(1, $e->missing);
            $link = $e->missing[0];
            $this->assertSame(['link', 'change', null, []], [$link->kind, $link->linkKind, $link->field, $link->fields()]);
        }
        $chg = $this->eng->open('change');
        [$value, $window] = $this->find($chg, 'schedule')->missing;
        $this->assertSame(['value', 'change_type', 'standard'], [$value->kind, $value->field, $value->value]);
        $this->assertSame(['term', 'window', 'allowed', 'window:allowed', []],
            [$window->kind, $window->field, $window->value, $window->term, $window->fields()]);
    }
}
