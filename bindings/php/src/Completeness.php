<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/** A packet scored against a policy checklist: 0..100, and the missing items' names. */
final class Completeness
{
    /** @param list<string> $missing */
    public function __construct(public readonly int $score, public readonly array $missing)
    {
    }

    public function isComplete(): bool
    {
        return $this->missing === [];
    }
}
