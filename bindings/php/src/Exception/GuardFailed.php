<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\Internal\Native;

/** ITSM_EGUARD: the transition exists but a guard failed; the message names the state, the event and what is missing. */
class GuardFailed extends TransitionRefused
{
    public const CODE = Native::ITSM_EGUARD;
}
