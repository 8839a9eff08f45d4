<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Store;

use Itsm\Exception\StoreError;
use Itsm\GroupStore;
use Itsm\RecordStore;

/**
 * Events in a PHP array: share one between engines to see the revision
 * check at work, or inspect $events in tests.
 */
final class MemoryStore implements RecordStore, GroupStore, \Countable
{
    /** @var list<string> the kept events' JSON, in order */
    public array $events = [];
    /** @var array<string, int> */
    private array $revisions = [];
    /** @var ?array{int, array<string, int>} where the open group began: the event count and the revisions */
    private ?array $mark = null;

    /** @param iterable<string> $events events to start with */
    public function __construct(iterable $events = [])
    {
        foreach ($events as $json) {
            $d = json_decode($json, true, 512, JSON_THROW_ON_ERROR);
            $this->events[] = $json;
            $this->revisions[(string) $d['record']] = (int) $d['rev'];
        }
    }

    public function append(array $events): void
    {
        Revisions::check($events, fn (string $id): int => $this->revisions[$id] ?? 0);
        foreach ($events as $ev) {
            $this->events[] = $ev->json;
            $this->revisions[$ev->recordId] = $ev->revision;
        }
    }

    public function scan(): iterable
    {
        return $this->events;
    }

    public function readRecord(string $recordId): iterable
    {
        foreach ($this->events as $json) {
            $d = json_decode($json, true, 512, JSON_THROW_ON_ERROR);
            if ((string) $d['record'] === $recordId) {
                yield $json;
            }
        }
    }

    public function group(int $op): void
    {
        if ($op === GroupStore::GROUP_BEGIN) {
            if ($this->mark !== null) {
                throw new StoreError('a group is open already');
            }
            $this->mark = [count($this->events), $this->revisions];
            return;
        }
        if ($this->mark === null || ($op !== GroupStore::GROUP_COMMIT && $op !== GroupStore::GROUP_ABORT)) {
            throw new StoreError($this->mark === null ? 'no group is open' : "unknown group op $op");
        }
        if ($op === GroupStore::GROUP_ABORT) {
            [$n, $this->revisions] = $this->mark;
            $this->events = array_slice($this->events, 0, $n);
        }
        $this->mark = null;
    }

    public function count(): int
    {
        return count($this->events);
    }
}
