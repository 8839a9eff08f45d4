<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/**
 * An action item of a post-incident review (Review::$actions): $owner null
 * while nobody owns it; $overdue once its overdue event fired (it was open
 * past $due); $doneAt, $doneBy and $note once it is done.
 */
final class ReviewAction
{
    public function __construct(
        public readonly string $id,
        public readonly string $text,
        public readonly ?string $owner,
        public readonly ?DateTimeImmutable $due,
        public readonly ?DateTimeImmutable $addedAt,
        public readonly ?string $addedBy,
        public readonly bool $done,
        public readonly ?DateTimeImmutable $doneAt,
        public readonly ?string $doneBy,
        public readonly ?string $note,
        public readonly bool $overdue,
    ) {
    }
}
