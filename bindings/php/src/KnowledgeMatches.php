<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * Knowledge matches, best first. $total is how many matched in all: more
 * than count() when the limit left some out.
 *
 * @implements \IteratorAggregate<int, KnowledgeMatch>
 */
final class KnowledgeMatches implements \IteratorAggregate, \Countable
{
    /** @param list<KnowledgeMatch> $matches */
    public function __construct(public readonly array $matches, public readonly int $total)
    {
    }

    public function getIterator(): \ArrayIterator
    {
        return new \ArrayIterator($this->matches);
    }

    public function count(): int
    {
        return count($this->matches);
    }

    public function first(): ?KnowledgeMatch
    {
        return $this->matches[0] ?? null;
    }
}
