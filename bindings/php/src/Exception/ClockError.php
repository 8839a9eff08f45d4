<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\Internal\Native;

/** ITSM_ECLOCK: the clock reads a time before the record's last event; nothing changed. */
class ClockError extends ItsmException
{
    public const CODE = Native::ITSM_ECLOCK;
}
