<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\Internal\Native;

/** ITSM_EINVAL: a bad argument (out of range, malformed, an unknown or engine-owned field, a NUL byte, a time outside 1970..9999). */
class InvalidArgument extends ItsmException
{
    public const CODE = Native::ITSM_EINVAL;
}
