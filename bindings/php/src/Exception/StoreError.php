<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\Internal\Native;

/** ITSM_ESTORE: the store failed; nothing changed. A store may throw it itself. */
class StoreError extends ItsmException
{
    public const CODE = Native::ITSM_ESTORE;
}
