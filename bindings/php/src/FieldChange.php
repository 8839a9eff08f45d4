<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * One field an event set, before and after, as text: strings as they are,
 * numbers in decimal, "true"/"false", times as YYYY-MM-DDTHH:MM:SSZ; null
 * when unset (before) or cleared (after).
 */
final class FieldChange
{
    public function __construct(
        public readonly string $field,
        public readonly ?string $old,
        public readonly ?string $new,
    ) {
    }
}
