<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\Internal\Native;

/** ITSM_ETAMPER: a stored event does not match its record's hash chain (the store was
 *  changed outside the library); the message names the record and revision. */
class TamperedStore extends ItsmException
{
    public const CODE = Native::ITSM_ETAMPER;
}
