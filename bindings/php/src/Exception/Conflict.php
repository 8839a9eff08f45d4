<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\Internal\Native;

/** ITSM_ECONFLICT: the store holds a newer revision of the record. Catch up with Engine::load() or Engine::replay() and retry. A store may throw it itself. */
class Conflict extends ItsmException
{
    public const CODE = Native::ITSM_ECONFLICT;
}
