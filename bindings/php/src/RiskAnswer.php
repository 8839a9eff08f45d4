<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/** One answer in force of a record's risk questionnaire (Record::riskAnswers()): its score, who answered and when. */
final class RiskAnswer
{
    public function __construct(
        public readonly string $question,
        public readonly string $answer,
        public readonly int $score,
        public readonly ?string $by,
        public readonly DateTimeImmutable $at,
    ) {
    }
}
