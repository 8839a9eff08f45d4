<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use Itsm\Internal\Native;

/**
 * The loaded libitsm: where it came from and its version. The library is
 * loaded on first use; see README.md ("Finding the library") for the order.
 */
final class Library
{
    /** The path it was loaded from. */
    public static function path(): string
    {
        return Native::path();
    }

    /** How it was found: "ITSM_LIBRARY", "build tree" or "system". */
    public static function source(): string
    {
        return Native::source();
    }

    /** The library's version string, e.g. "0.1.0". */
    public static function version(): string
    {
        return (string) Native::ffi()->itsm_version_string();
    }

    /** major * 10000 + minor * 100 + patch. */
    public static function versionNumber(): int
    {
        return (int) Native::ffi()->itsm_version_number();
    }

    /** The library's short description of an error code ("guard failed"). */
    public static function errstr(int $code): string
    {
        return (string) Native::ffi()->itsm_errstr($code);
    }

    /** The symbolic name of an error code ("ITSM_EGUARD"). */
    public static function errname(int $code): string
    {
        return (string) Native::ffi()->itsm_errname($code);
    }
}
