<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

/** libitsm could not be loaded; the message lists every place tried (see Itsm\Library). Not an engine error, so not an ItsmException. */
class LibraryNotFound extends \RuntimeException
{
}
