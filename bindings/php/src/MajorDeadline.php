<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/** A deadline of a major incident's initial phase: "communication" or "groups". */
final class MajorDeadline
{
    public function __construct(
        public readonly string $name,
        public readonly ?DateTimeImmutable $due,
        public readonly bool $done,
        public readonly bool $missed,
    ) {
    }
}
