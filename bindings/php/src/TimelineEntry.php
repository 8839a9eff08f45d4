<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/**
 * One timeline entry: a work note, a customer update (with the expected
 * restoration and next update it promised) or a system note.
 */
final class TimelineEntry
{
    /** @param string $kind "work", "customer" or "system" */
    public function __construct(
        public readonly string $kind,
        public readonly DateTimeImmutable $at,
        public readonly ?string $author,
        public readonly string $text,
        public readonly ?DateTimeImmutable $expectedRestoration = null,
        public readonly ?DateTimeImmutable $nextUpdate = null,
    ) {
    }
}
