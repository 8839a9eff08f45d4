<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\Internal\Native;

/** ITSM_EEXISTS: an id or name is already taken (also: linking twice, proposing a major incident twice). */
class AlreadyExists extends ItsmException
{
    public const CODE = Native::ITSM_EEXISTS;
}
