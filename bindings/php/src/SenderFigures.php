<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/** Handover completeness of one sending group (null: packets naming none). */
final class SenderFigures
{
    public function __construct(
        public readonly ?string $senderGroup,
        public readonly int $packets,
        public readonly float $meanScore,
        public readonly int $complete,
    ) {
    }
}
