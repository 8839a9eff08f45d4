<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * A record's whole history (Record::history()), oldest first. $complete is
 * false when the store cannot read a record back (it is no RecordStore):
 * the history then holds the notes only.
 *
 * @implements \IteratorAggregate<int, TimelineEntry>
 */
final class History implements \IteratorAggregate, \Countable
{
    /** @param list<TimelineEntry> $entries */
    public function __construct(public readonly array $entries, public readonly bool $complete)
    {
    }

    public function getIterator(): \ArrayIterator
    {
        return new \ArrayIterator($this->entries);
    }

    public function count(): int
    {
        return count($this->entries);
    }
}
