<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\GuardFailed;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\NotFound;
use Itsm\Exception\ParseError;
use Itsm\Exception\StateError;
use Itsm\Policy;
use Itsm\Store\MemoryStore;
use Itsm\Task;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * Request fulfilment (request.h): a service request's catalogue item, the
 * tasks it generates step by step, and the "tasks:done" guard of the
 * default lifecycle.
 */
final class FulfilmentTest extends TestCase
{
    private const CATALOGUE = [
        ['name' => 'new_laptop', 'tasks' => [
            ['name' => 'order_laptop', 'group' => 'procurement', 'step' => 1, 'priority' => 3, 'ola_minutes' => 2880],
            ['name' => 'create_account', 'group' => 'identity', 'step' => 1, 'priority' => 2, 'ola_minutes' => 240],
            ['name' => 'image_laptop', 'group' => 'desktop', 'step' => 2]]],
        ['name' => 'software_install', 'tasks' => [['name' => 'install', 'group' => 'desktop', 'ola_minutes' => 60]]],
    ];

    private Clock $clock;
    private MemoryStore $store;
    private Engine $eng;

    public static function catalogue(): Policy
    {
        // objects stay objects ({} is not []): only the catalogue is replaced
        $doc = json_decode(Policy::default()->toJson(), false, 512, JSON_THROW_ON_ERROR);
        $doc->fulfilment->catalogue = self::CATALOGUE;
        return Policy::fromJson(json_encode($doc, JSON_THROW_ON_ERROR));
    }

    protected function setUp(): void
    {
        $this->clock = new Clock();
        $this->store = new MemoryStore();
        $this->eng = new Engine(policy: self::catalogue(), store: $this->store, clock: $this->clock, actor: 'pia');
    }

    protected function tearDown(): void
    {
        $this->eng->close();
    }

    private function inFulfilment(string $id, ?string $item = null): \Itsm\Record
    {
        $req = $this->eng->open('service_request', ['summary' => 'A laptop', 'caller' => 'pia',
                                                    'service' => 'workplace'], $id);
        if ($item !== null) {
            $req->chooseItem($item);
        }
        $req->fire('submit');
        $req->approve('mia');
        $req->fire('approve');
        $req->fire('fulfil', ['assignment_group' => 'service_desk', 'assignee' => 'fay']);
        return $req;
    }

    public function testTasksOpenStepByStepAndTheLastCompletesTheRequest(): void
    {
        $req = $this->inFulfilment('REQ1', 'new_laptop');
        $this->assertSame('new_laptop', $req->item());
        $tasks = $req->tasks();
        $this->assertSame(['order_laptop', 'create_account', 'image_laptop'], array_map(fn (Task $t) => $t->name, $tasks));
        $this->assertSame(['open', 'open', 'waiting'], array_map(fn (Task $t) => $t->state, $tasks));
        $order = $tasks[0];
        $this->assertSame(['procurement', null, 1, 3, 2880], [$order->group, $order->assignee, $order->step,
                                                            $order->priority, $order->olaMinutes]);
        $this->assertEquals(Clock::t0(), $order->openedAt);
        $this->assertEquals(Clock::t0()->modify('+2880 minutes'), $order->due);
        $this->assertNull($tasks[2]->openedAt);
        $this->assertNull($tasks[2]->due);
        $this->assertFalse($order->closed());

        // The default lifecycle's guard: not complete while a task is open.
        try {
            $req->fire('complete', ['resolution_notes' => 'Handed over']);
            $this->fail('complete must wait for the tasks');
        } catch (GuardFailed $e) {
            $this->assertStringContainsString('every task closed: 3 of 3 tasks of REQ1 open', $e->getMessage());
            $this->assertSame(['tasks:done'], array_map(fn ($n) => $n->term, $e->missing));
        }
        $this->assertSame('fulfilling', $req->state());

        $this->assertSame($req, $req->assignTask('create_account', 'ida'));
        $this->assertSame('ida', $req->task('create_account')->assignee);
        $this->clock->advance('+5 hours');
        $req->closeTask('create_account', note: 'Mailbox ready');
        $this->assertTrue($req->task('create_account')->breached);
        $this->assertEquals(Clock::t0()->modify('+5 hours'), $req->task('create_account')->closedAt);
        $req->closeTask('order_laptop', 'canceled');
        $this->assertSame(['canceled', 'done', 'open'], array_map(fn (Task $t) => $t->state, $req->tasks()));
        $this->assertEquals(Clock::t0()->modify('+5 hours'), $req->task('image_laptop')->openedAt);
        $req->closeTask('image_laptop');
        $this->assertSame('fulfilled', $req->state());
        $this->assertTrue(array_reduce($req->tasks(), fn (bool $c, Task $t) => $c && $t->closed(), true));

        // Every change to a task was an event on the request: a replay rebuilds them.
        $again = new Engine(policy: self::catalogue(), store: new MemoryStore($this->store->events), load: true);
        $this->assertEquals($req->tasks(), $again->find('REQ1')->tasks());
        $again->close();
    }

    public function testEveryRefusalThrowsItsErrorAndChangesNothing(): void
    {
        $req = $this->eng->open('service_request', ['summary' => 'A laptop', 'caller' => 'pia'], 'REQ1');
        try {
            $req->chooseItem('espresso_machine');
            $this->fail('an item the catalogue lacks');
        } catch (NotFound $e) {
            $this->assertStringContainsString('(items: new_laptop, software_install)', $e->getMessage());
        }
        $this->assertNull($req->item());
        $inc = $this->eng->open('incident', ['summary' => 'Mail down'], 'INC1');
        $this->expectCode(InvalidArgument::class, fn () => $inc->chooseItem('new_laptop'));
        $this->assertNull($inc->item());
        $this->assertSame([], $inc->tasks());

        $req = $this->inFulfilment('REQ2', 'new_laptop');
        $n = count($this->store);
        $this->expectCode(StateError::class, fn () => $req->chooseItem('software_install'));
        $e = $this->expectCode(StateError::class, fn () => $req->closeTask('image_laptop'));
        $this->assertStringContainsString('waits for step 1', $e->getMessage());
        $this->expectCode(NotFound::class, fn () => $req->closeTask('reboot'));
        $this->expectCode(NotFound::class, fn () => $req->assignTask('reboot', 'ida'));
        $this->expectCode(InvalidArgument::class, fn () => $req->closeTask('order_laptop', 'open'));
        $this->expectCode(InvalidArgument::class, fn () => $req->closeTask('order_laptop', note: '  '));
        $this->assertSame($n, count($this->store), 'a refused call stores nothing');
        $req->closeTask('order_laptop');
        $this->expectCode(StateError::class, fn () => $req->closeTask('order_laptop'));
        $req->fire('cancel');
        $this->assertSame(['done', 'canceled', 'canceled'], array_map(fn (Task $t) => $t->state, $req->tasks()));
        $this->expectCode(StateError::class, fn () => $req->assignTask('image_laptop', 'ida'));
        $this->expectCode(NotFound::class, fn () => $req->task('reboot'));
    }

    public function testARequestWithoutAnItemHasNoTasksAndTheGuardLetsItPass(): void
    {
        $req = $this->inFulfilment('REQ3');
        $this->assertSame([], $req->tasks());
        $req->fire('complete', ['resolution_notes' => 'Done by hand']);
        $this->assertSame('fulfilled', $req->state());
    }

    public function testTheCatalogueIsCheckedWhenThePolicyIsRead(): void
    {
        $doc = json_decode(self::catalogue()->toJson(), false, 512, JSON_THROW_ON_ERROR);
        $this->assertSame('fulfilling', $doc->fulfilment->state);
        $doc->fulfilment->catalogue[0]->tasks[2]->step = 4;
        $this->expectException(ParseError::class);
        Policy::fromJson(json_encode($doc, JSON_THROW_ON_ERROR));
    }

    /**
     * @template T of \Throwable
     * @param class-string<T> $class
     * @return T
     */
    private function expectCode(string $class, callable $call): \Throwable
    {
        try {
            $call();
        } catch (\Throwable $e) {
            $this->assertInstanceOf($class, $e, $e->getMessage());
            if ($e instanceof \Itsm\Exception\ItsmException) {
                $this->assertSame(constant("$class::CODE"), $e->getCode());
            }
            return $e;
        }
        $this->fail("expected $class");
    }
}
