<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * A record's risk assessment (Record::risk()): the level once every
 * question is answered (null before), the total score so far, and how many
 * of the questionnaire's questions are answered.
 */
final class Risk
{
    public function __construct(
        public readonly ?string $level,
        public readonly int $score,
        public readonly int $answered,
        public readonly int $questions,
    ) {
    }

    public function assessed(): bool
    {
        return $this->level !== null;
    }
}
