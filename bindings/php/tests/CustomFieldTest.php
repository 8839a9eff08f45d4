<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\AlreadyExists;
use Itsm\Exception\GuardFailed;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\ItsmException;
use Itsm\Exception\NotFound;
use Itsm\Field;
use Itsm\Policy;
use Itsm\ReportGroup;
use Itsm\Store\MemoryStore;
use PHPUnit\Framework\TestCase;

/** Custom fields a policy declares (policy.h), taken by name like the built-in ones. */
final class CustomFieldTest extends TestCase
{
    private static function policy(): Policy
    {
        $p = Policy::default();
        $tier = $p->addField('tier', 'enum', values: ['gold', 'silver'], kinds: ['incident'], required: ['incident']);
        $p->addField('seats', 'int', range: [0, 500]);
        $p->addField('due', 'time');
        $p->addField('vip', 'bool');
        $p->addField('note_to_cab', 'text');
        \assert($tier >= 1024);
        return $p;
    }

    public function testTheDeclarationsRoundTrip(): void
    {
        $p = self::policy();
        $fields = $p->customFields();
        $this->assertSame(['tier', 'seats', 'due', 'vip', 'note_to_cab'], array_keys($fields));
        $this->assertSame(['type' => 'enum', 'range' => null, 'values' => ['gold', 'silver'], 'kinds' => ['incident'],
                           'required' => ['incident']], $fields['tier']);
        $this->assertSame([0, 500], $fields['seats']['range']);
        $this->assertSame(Engine::kinds(), $fields['due']['kinds'], 'none named: every kind');
        $doc = json_decode($p->toJson(), true, 512, JSON_THROW_ON_ERROR);
        $this->assertSame(['name' => 'seats', 'type' => 'int', 'min' => 0, 'max' => 500], $doc['fields'][1]);
        $this->assertEquals($fields, Policy::fromJson($p->toJson())->customFields());
        foreach ([[AlreadyExists::class, fn () => $p->addField('tier', 'text')],
                  [AlreadyExists::class, fn () => $p->addField('summary', 'text')],
                  [InvalidArgument::class, fn () => $p->addField('colour', 'colour')],
                  [InvalidArgument::class, fn () => $p->addField('Bad Name', 'text')],
                  [InvalidArgument::class, fn () => $p->addField('size', 'int', range: [5, 1])],
                  [InvalidArgument::class, fn () => $p->addField('shade', 'enum')]] as $i => [$class, $call]) {
            try {
                $call();
                $this->fail("refusal $i");
            } catch (ItsmException $e) {
                $this->assertInstanceOf($class, $e, "refusal $i: " . $e->getMessage());
            }
        }
        $this->assertCount(5, $p->customFields());
    }

    public function testCustomFieldsWorkLikeBuiltInOnes(): void
    {
        $store = new MemoryStore();
        $eng = new Engine(policy: self::policy(), store: $store);
        try {
            $eng->open('incident', ['summary' => 'no tier']);
            $this->fail('tier is required for incidents');
        } catch (ItsmException $e) {
            $this->assertStringContainsString('tier', $e->getMessage());
        }
        $r = $eng->open('incident', ['summary' => 'Mail down', 'tier' => 'gold', 'seats' => 0]);
        $this->assertSame('gold', $r->get('tier'));
        $this->assertSame('gold', $r->tier);
        $this->assertSame(0, $r->seats, 'given 0: a value, as conditions read it');
        $this->assertTrue($r->condition('seats == 0'));
        $this->assertSame(0, $r->fields()['seats']);
        $unset = $eng->open('incident', ['summary' => 'Printer', 'tier' => 'silver']);
        $this->assertNull($unset->seats, 'never given a value: unset, though its range holds 0');
        $this->assertArrayNotHasKey('seats', $unset->fields());
        $this->assertTrue($unset->condition('seats == null'));
        $this->assertNull($r->due);
        $this->assertFalse($r->vip);
        $this->assertTrue(isset($r->tier));
        $this->assertFalse(isset($r->due));
        $r->update(['due' => 1893553445, 'seats' => 41, 'vip' => true, 'note_to_cab' => 'weekend only']);
        $this->assertSame(41, $r->fields()['seats']);
        $this->assertSame('2030', $r->due->format('Y'));
        $this->assertEquals(['tier' => 'gold', 'seats' => 41, 'due' => $r->due, 'vip' => true, 'note_to_cab' => 'weekend only'],
            array_intersect_key($r->fields(), array_flip(['tier', 'seats', 'due', 'vip', 'note_to_cab'])));
        $before = count($store);
        foreach ([fn () => $r->update(['seats' => 501]), fn () => $r->update(['tier' => 'bronze'])] as $call) {
            try {
                $call();
                $this->fail('a value the declaration refuses');
            } catch (InvalidArgument $e) {
                $this->assertNotSame('', $e->getMessage());
            }
        }
        $this->assertSame($before, count($store));
        $this->assertSame(41, $r->seats);
        try {
            $r->update(['tiers' => 'gold']);
            $this->fail('an unknown field');
        } catch (InvalidArgument $e) {
            $this->assertStringContainsString("did you mean 'tier'", $e->getMessage());
        }
        $this->expectException(\TypeError::class);
        $r->update(['seats' => '41']);
    }

    public function testCustomFieldsDriveGuardsRoutesSlaRulesAndReports(): void
    {
        $p = self::policy()->setSla('gold', resolution: [3600, 3600, 3600, 3600, 3600])
            ->addSlaRule("tier == 'gold'", 'gold')
            ->addRouteWhen("tier == 'gold'", 'gold_desk');
        $eng = new Engine(policy: $p);
        $g = $eng->open('incident', ['summary' => 'Mail down', 'tier' => 'gold']);
        $s = $eng->open('incident', ['summary' => 'Printer', 'tier' => 'silver']);
        $this->assertSame(['gold_desk', 'gold'], [$g->assignment_group, $g->sla()]);
        $this->assertNull($s->assignment_group);
        $this->assertTrue($g->condition("tier == 'gold' and due == null"));
        $this->assertSame([['gold', 1], ['silver', 1]],
            array_map(fn (ReportGroup $x) => [$x->value, $x->count], $eng->report(groupBy: 'tier')->groups()));
        $this->assertSame(1, $eng->report(filter: "tier == 'silver'")->total());
        $f = $eng->field('seats');
        $this->assertInstanceOf(Field::class, $f);
        $this->assertSame(['seats', 'int', false], [$f->name, $f->type, $f->engineOwned]);
        $this->assertSame('summary', $eng->field('summary')->name);
        $this->expectException(NotFound::class);
        $eng->field('colour');
    }
}
