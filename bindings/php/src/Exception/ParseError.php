<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\Internal\Native;

/** ITSM_EPARSE: a document is not valid JSON or breaks its schema. documentLine(), documentColumn() (from 1; the column counts bytes) and documentOffset() point at the spot; reason() is the short text. */
class ParseError extends ItsmException
{
    use DocumentPosition;

    public const CODE = Native::ITSM_EPARSE;
}
