<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\Internal\Native;

/** ITSM_ESTATE: not allowed in the object's current state (a closed record or engine, a packet that is no longer a draft, a call from inside the engine's own callback). */
class StateError extends ItsmException
{
    public const CODE = Native::ITSM_ESTATE;
}
