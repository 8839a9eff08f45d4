<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/** One entry of a packet list: the text, who (by / owner) and when (when / due). */
final class PacketEntry
{
    public function __construct(
        public readonly string $text,
        public readonly ?string $who = null,
        public readonly ?DateTimeImmutable $at = null,
    ) {
    }
}
