<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * The verdict for a finished incident (Record::decideProblem()): "close",
 * "to_problem" or "to_change", with every rule's reason in the order the
 * rules ran.
 */
final class Decision
{
    /** @param list<Reason> $reasons */
    public function __construct(
        public readonly string $verdict,
        public readonly bool $problemProposed,
        public readonly int $recurrence,
        public readonly array $reasons,
    ) {
    }

    /** @return list<string> */
    public function reasonCodes(): array
    {
        return array_map(fn (Reason $r): string => $r->code, $this->reasons);
    }

    /** Whether there is follow-up work (the verdict is not "close"). */
    public function needsFollowUp(): bool
    {
        return $this->verdict !== 'close';
    }
}
