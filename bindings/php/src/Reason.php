<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/** Why a verdict was given: $code ("cause_unknown", "recurrence", ...) and the engine's text. */
final class Reason
{
    public function __construct(public readonly string $code, public readonly string $text)
    {
    }

    public function __toString(): string
    {
        return $this->text !== '' ? $this->text : $this->code;
    }
}
