<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

/** The loaded libitsm is not a version this binding was written for. Not an engine error, so not an ItsmException. */
class LibraryVersionError extends \RuntimeException
{
}
