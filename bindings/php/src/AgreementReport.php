<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/** The instances of one agreement over every record of an engine (Engine::agreementReport()). */
final class AgreementReport
{
    public function __construct(
        public readonly string $name,
        public readonly int $applied,
        public readonly int $met,
        public readonly int $breached,
        public readonly int $open,
        public readonly int $cancelled,
    ) {
    }
}
