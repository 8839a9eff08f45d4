<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use FFI;
use Itsm\Exception\LibraryNotFound;

/**
 * Finds and opens libitsm, in this order:
 *
 *  1. ITSM_LIBRARY: a path to the library or to a directory holding it. When
 *     it is set it is the only place tried: an explicit choice that does not
 *     load is an error, never silently replaced by another copy.
 *  2. The build tree: when this package sits in an itsm source tree
 *     (bindings/php), every CMake build directory at the top of that tree
 *     (a directory with a CMakeCache.txt, such as build/); the newest
 *     library wins.
 *  3. The installed library: its soname (libitsm.so.0, from 0.2 on
 *     libitsm.so.0.2) through the dynamic loader
 *     (LD_LIBRARY_PATH and the ldconfig cache), then the libdir that
 *     `pkg-config --variable=libdir itsm` names, then the usual library
 *     directories (/usr/local/lib, /usr/lib and their multiarch forms), for
 *     an install that ldconfig has not seen yet.
 *
 * @internal
 */
final class Library
{
    public const ENV = 'ITSM_LIBRARY';

    /**
     * The file names to look for, most specific first: the soname of the
     * ABI these declarations were written for (libitsm.so.0.2 from 0.2 on,
     * libitsm.so.0 before), then the unversioned development link.
     *
     * @return list<string>
     */
    public static function names(): array
    {
        $major = Native::ITSM_VERSION_MAJOR;
        $minor = Native::ITSM_VERSION_MINOR;
        return array_values(array_unique(["libitsm.so.$major.$minor", "libitsm.so.$major", 'libitsm.so']));
    }

    /**
     * @return array{FFI, string, string} the FFI handle, the path it was
     *   loaded from and how it was found ("ITSM_LIBRARY", "build tree", "system")
     */
    public static function load(string $declarations): array
    {
        if (!extension_loaded('ffi')) {
            throw new LibraryNotFound('the PHP FFI extension is not loaded (Debian: php8.2-cli '
                . 'has it; enable it with ffi.enable=1 outside the CLI)');
        }
        $tried = [];
        $env = getenv(self::ENV);
        if ($env !== false && $env !== '') {
            foreach (self::inDirectory($env) as $path) {
                $ffi = self::open($declarations, $path, $tried);
                if ($ffi !== null) {
                    return [$ffi, $path, self::ENV];
                }
            }
            throw self::notFound($tried, self::ENV . " is set to '$env', and it is the only place tried");
        }
        foreach (self::buildTree() as $path) {
            $ffi = self::open($declarations, $path, $tried);
            if ($ffi !== null) {
                return [$ffi, $path, 'build tree'];
            }
        }
        foreach (self::system() as $path) {
            $ffi = self::open($declarations, $path, $tried);
            if ($ffi !== null) {
                return [$ffi, self::resolve($path), 'system'];
            }
        }
        throw self::notFound($tried, 'set ' . self::ENV . ' to the library, build it in this '
            . 'source tree, or install it (then run ldconfig)');
    }

    /** @return list<string> */
    private static function inDirectory(string $path): array
    {
        if (!is_dir($path)) {
            return [$path];
        }
        $out = [];
        foreach (self::names() as $name) {
            $out[] = rtrim($path, '/') . '/' . $name;
        }
        return $out;
    }

    /** @return list<string> libraries in CMake build directories of the enclosing source tree, newest first */
    private static function buildTree(): array
    {
        $top = dirname(__DIR__, 4);     // src/Internal -> bindings/php -> top
        $cml = is_file($top . '/CMakeLists.txt') ? file_get_contents($top . '/CMakeLists.txt') : false;
        if ($cml === false || !preg_match('/project\s*\(\s*itsm\b/', $cml)) {
            return [];
        }
        $found = [];
        foreach (glob($top . '/*/CMakeCache.txt') ?: [] as $cache) {
            $lib = dirname($cache) . '/libitsm.so';
            if (is_file($lib)) {
                $found[$lib] = (int) filemtime($lib);
            }
        }
        arsort($found);
        return array_keys($found);
    }

    /** @return list<string> */
    private static function system(): array
    {
        $sonames = array_values(array_filter(self::names(), fn (string $n): bool => $n !== 'libitsm.so'));
        $out = $sonames;                     // the loader's own search
        $dirs = [];
        $pc = function_exists('shell_exec') ? shell_exec('pkg-config --variable=libdir itsm 2>/dev/null') : null;
        if (is_string($pc) && trim($pc) !== '') {
            $dirs[] = trim($pc);
        }
        $arch = php_uname('m') . '-linux-gnu';
        array_push($dirs, '/usr/local/lib', "/usr/local/lib/$arch", '/usr/local/lib64',
            '/usr/lib', "/usr/lib/$arch", '/usr/lib64');
        foreach (array_unique($dirs) as $dir) {
            foreach ($sonames as $name) {
                $out[] = "$dir/$name";
            }
        }
        return $out;
    }

    /** @param list<string> $tried */
    private static function open(string $declarations, string $path, array &$tried): ?FFI
    {
        if (str_contains($path, '/') && !file_exists($path)) {
            $tried[] = "$path: no such file";
            return null;
        }
        try {
            return FFI::cdef($declarations, $path);
        } catch (\FFI\Exception $e) {
            if (str_contains($e->getMessage(), 'ffi.enable')) {
                throw new LibraryNotFound($e->getMessage() . ' (set ffi.enable=1, or preload)', 0, $e);
            }
            $tried[] = "$path: " . $e->getMessage();
            return null;
        }
    }

    /** The file the loader picked for a bare name, for messages. */
    private static function resolve(string $path): string
    {
        if (str_contains($path, '/')) {
            return $path;
        }
        $maps = is_readable('/proc/self/maps') ? (file('/proc/self/maps') ?: []) : [];
        foreach ($maps as $line) {
            if (preg_match('#(/\S*/' . preg_quote($path, '#') . '(\.\d+)*)$#', trim($line), $m)) {
                return $m[1];
            }
        }
        return $path;
    }

    /** @param list<string> $tried */
    private static function notFound(array $tried, string $hint): LibraryNotFound
    {
        return new LibraryNotFound("libitsm not found ($hint). Tried:\n  " . implode("\n  ", $tried));
    }
}
