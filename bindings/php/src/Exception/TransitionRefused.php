<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\Internal\Native;

/** ITSM_ETRANSITION: the lifecycle has no such transition from the record's current state. */
class TransitionRefused extends ItsmException
{
    public const CODE = Native::ITSM_ETRANSITION;
}
