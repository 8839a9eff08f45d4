<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/** The customer's answer to a record's satisfaction survey (Record::surveyAnswer()). */
final class SurveyAnswer
{
    public function __construct(
        public readonly int $score,
        public readonly ?string $comment,
        public readonly ?string $by,
        public readonly DateTimeImmutable $at,
    ) {
    }
}
