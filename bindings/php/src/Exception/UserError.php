<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\Internal\Native;

/** ITSM_EUSER: a host callback failed without a PHP exception to re-throw. */
class UserError extends ItsmException
{
    public const CODE = Native::ITSM_EUSER;
}
