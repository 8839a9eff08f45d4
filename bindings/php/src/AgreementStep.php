<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/**
 * One step of a record's agreement history (Record::agreementHistory()):
 * $step is "applied", "started", "paused", "resumed", "stopped", "reset",
 * "warning", "breached" or "cancelled"; $level numbers warnings and
 * breaches; $verdict is set on "stopped".
 */
final class AgreementStep
{
    public function __construct(
        public readonly DateTimeImmutable $at,
        public readonly string $agreement,
        public readonly string $step,
        public readonly int $level,
        public readonly string $verdict,
    ) {
    }
}
