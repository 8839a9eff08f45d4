<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/** A desk_to_major handover accepted with checklist items missing (the quality log). */
final class QualityEntry
{
    /** @param list<string> $missing */
    public function __construct(
        public readonly string $recordId,
        public readonly ?string $senderGroup,
        public readonly DateTimeImmutable $at,
        public readonly int $seq,
        public readonly int $score,
        public readonly array $missing,
    ) {
    }
}
