<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * One rule (transition) of a conformance report's reference policy
 * (Conformance::rules()): $from a state or "*", $guard "" when none; the
 * moves it allowed ($used), those it fitted whose guard failed, and
 * agreement = used / (used + guardFailed), 1 when both are 0.
 */
final class ConformanceRule
{
    public function __construct(
        public readonly string $kind,
        public readonly string $from,
        public readonly string $event,
        public readonly string $to,
        public readonly string $guard,
        public readonly int $used,
        public readonly int $guardFailed,
        public readonly float $agreement,
    ) {
    }
}
