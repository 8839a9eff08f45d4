<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\Internal\Native;

/** ITSM_ELIMIT: a size, depth or count limit was exceeded; when a parser raised it, the document position is set as for ParseError. */
class LimitExceeded extends ItsmException
{
    use DocumentPosition;

    public const CODE = Native::ITSM_ELIMIT;
}
