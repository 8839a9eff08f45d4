<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * A knowledge match: the matching record, where it came from
 * ("known_error", "article", "incident"), its score, the symptom words
 * shared, its workaround and whether the desk can apply it at level 1.
 */
final class KnowledgeMatch
{
    public function __construct(
        public readonly Record $record,
        public readonly string $source,
        public readonly int $score,
        public readonly int $words,
        public readonly ?string $workaround,
        public readonly bool $level1Fix,
    ) {
    }
}
