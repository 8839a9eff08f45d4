<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/** A contributing cause of a post-incident review (Review::$causes), with who recorded it and when. */
final class ReviewCause
{
    public function __construct(
        public readonly string $text,
        public readonly ?string $by,
        public readonly ?DateTimeImmutable $at,
    ) {
    }
}
