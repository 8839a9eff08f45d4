<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\Internal\Native;

/** ITSM_ENOMEM: an allocation failed; nothing changed. */
class OutOfMemory extends ItsmException
{
    public const CODE = Native::ITSM_ENOMEM;
}
