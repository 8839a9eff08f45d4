<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Store;

use Itsm\RecordStore;

/**
 * Events in a PHP array: share one between engines to see the revision
 * check at work, or inspect $events in tests.
 */
final class MemoryStore implements RecordStore, \Countable
{
    /** @var list<string> the kept events' JSON, in order */
    public array $events = [];
    /** @var array<string, int> */
    private array $revisions = [];

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

    public function count(): int
    {
        return count($this->events);
    }
}
