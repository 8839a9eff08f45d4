<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\Internal\Native;

/** ITSM_ENOTFOUND: no such record, state, event, field, calendar... */
class NotFound extends ItsmException
{
    public const CODE = Native::ITSM_ENOTFOUND;
}
