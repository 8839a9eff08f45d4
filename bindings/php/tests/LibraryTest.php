<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Internal\Native;
use Itsm\Library;
use PHPUnit\Framework\TestCase;

/**
 * Finding the library: ITSM_LIBRARY (a file or a directory, and then only
 * there), the build tree, the system. A process loads the library once, so
 * each case runs in a PHP subprocess.
 */
final class LibraryTest extends TestCase
{
    /**
     * Run PHP code with the binding loaded and the environment changed
     * ($env value null: unset); [exit code, stdout + stderr].
     *
     * @param array<string, string|null> $env
     */
    private function php(string $code, array $env): array
    {
        $vars = getenv();
        foreach ($env as $k => $v) {
            if ($v === null) {
                unset($vars[$k]);
            } else {
                $vars[$k] = $v;
            }
        }
        $script = '<?php require ' . var_export(dirname(__DIR__) . '/autoload.php', true) . ";\n$code";
        $file = tempnam(sys_get_temp_dir(), 'itsm-php-');
        file_put_contents($file, $script);
        try {
            $proc = proc_open([PHP_BINARY, '-d', 'ffi.enable=1', $file], [1 => ['pipe', 'w'], 2 => ['redirect', 1]],
                $pipes, null, $vars);
            $out = stream_get_contents($pipes[1]);
            fclose($pipes[1]);
            return [proc_close($proc), (string) $out];
        } finally {
            unlink($file);
        }
    }

    public function testItsmLibraryNamesTheFileOrItsDirectory(): void
    {
        $lib = Library::path();
        foreach ([$lib, dirname($lib)] as $given) {
            [$rc, $out] = $this->php('echo Itsm\Library::source(), "|", Itsm\Library::version();',
                ['ITSM_LIBRARY' => $given]);
            $this->assertSame(0, $rc, $out);
            $this->assertSame('ITSM_LIBRARY|' . Library::version(), $out);
        }
    }

    public function testAnExplicitChoiceThatDoesNotLoadIsAnErrorNotAFallback(): void
    {
        [$rc, $out] = $this->php('try { Itsm\Library::path(); } catch (Itsm\Exception\LibraryNotFound $e) '
            . '{ echo $e->getMessage(); exit(3); }', ['ITSM_LIBRARY' => '/nonexistent/libitsm.so']);
        $this->assertSame(3, $rc, $out);
        $this->assertStringContainsString('/nonexistent/libitsm.so: no such file', $out);
        $this->assertStringContainsString('the only place tried', $out);
        $this->assertStringNotContainsString('build', $out);
    }

    public function testWithoutTheVariableTheBuildTreeIsFound(): void
    {
        $top = dirname(__DIR__, 3);
        if (glob("$top/*/CMakeCache.txt") === [] || glob("$top/*/libitsm.so") === []) {
            $this->markTestSkipped('no CMake build directory with the library in this source tree');
        }
        [$rc, $out] = $this->php('echo Itsm\Library::source(), "|", Itsm\Library::path();',
            ['ITSM_LIBRARY' => null]);
        $this->assertSame(0, $rc, $out);
        [$source, $path] = explode('|', $out);
        $this->assertSame('build tree', $source);
        $this->assertStringStartsWith($top . '/', $path);
    }

    /** @return list<string> */
    private static function tree(string $dir): array
    {
        $out = [];
        foreach (new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator($dir,
            \FilesystemIterator::SKIP_DOTS), \RecursiveIteratorIterator::CHILD_FIRST) as $f) {
            $out[] = (string) $f;
        }
        return $out;
    }

    private static function remove(string $dir): void
    {
        foreach (self::tree($dir) as $f) {
            is_dir($f) && !is_link($f) ? rmdir($f) : unlink($f);
        }
        rmdir($dir);
    }

    /**
     * A user's setup: the package copied out of the source tree (as Composer
     * would), the library installed by `cmake --install` into a prefix the
     * loader does not search; pkg-config's libdir leads to it.
     */
    public function testAnInstalledLibraryIsFoundThroughPkgConfig(): void
    {
        $build = getenv('ITSM_BUILD_DIR');
        if ($build === false || $build === '') {
            $this->markTestSkipped('ITSM_BUILD_DIR (a CMake build directory to install from) is not set');
        }
        $tmp = sys_get_temp_dir() . '/itsm-php-install-' . bin2hex(random_bytes(6));
        mkdir($tmp);
        try {
            // cmake is no part of the test: not under the sanitizer runtime the
            // sanitizer build preloads into php (cmake hangs at exit under it)
            exec(sprintf('env -u LD_PRELOAD cmake --install %s --prefix %s 2>&1', escapeshellarg($build),
                escapeshellarg("$tmp/prefix")),
                $out, $rc);
            $this->assertSame(0, $rc, implode("\n", $out));
            $pc = glob("$tmp/prefix/lib*/pkgconfig/itsm.pc") ?: glob("$tmp/prefix/lib/*/pkgconfig/itsm.pc");
            $this->assertNotEmpty($pc, 'cmake --install wrote no itsm.pc');
            $pkg = "$tmp/vendor/itsm";
            mkdir($pkg, 0777, true);
            $root = dirname(__DIR__);
            foreach (['autoload.php', 'ffi', 'src'] as $part) {
                exec(sprintf('cp -R %s %s', escapeshellarg("$root/$part"), escapeshellarg($pkg)), $o, $rc);
                $this->assertSame(0, $rc);
            }
            $code = 'echo Itsm\Library::source(), "|", Itsm\Library::path();';
            $file = "$tmp/host.php";
            file_put_contents($file, "<?php require '$pkg/autoload.php';\n$code");
            $env = getenv();
            unset($env['ITSM_LIBRARY'], $env['LD_LIBRARY_PATH']);
            $env['PKG_CONFIG_PATH'] = dirname($pc[0]);
            $proc = proc_open([PHP_BINARY, '-d', 'ffi.enable=1', $file], [1 => ['pipe', 'w'], 2 => ['redirect', 1]],
                $pipes, $tmp, $env);
            $result = (string) stream_get_contents($pipes[1]);
            fclose($pipes[1]);
            $this->assertSame(0, proc_close($proc), $result);
            [$source, $path] = explode('|', $result);
            $this->assertSame('system', $source);
            exec('ldconfig -p 2>/dev/null | grep -c libitsm.so', $cached);
            if ((int) ($cached[0] ?? 0) === 0) {     // no system-wide libitsm could have come first
                $this->assertStringStartsWith("$tmp/prefix/", $path);
            }
        } finally {
            self::remove($tmp);
        }
    }

    public function testLaterMinorVersionsOfTheSameMajorAreCompatible(): void
    {
        // README "Versioning": from 0.2 on a minor release only adds.
        $mine = Native::ITSM_VERSION_MAJOR * 10000 + Native::ITSM_VERSION_MINOR * 100;
        $this->assertTrue(Native::compatible($mine));
        $this->assertTrue(Native::compatible($mine + 7), 'any patch release');
        $this->assertTrue(Native::compatible($mine + 100), 'a later minor release');
        $this->assertFalse(Native::compatible($mine - 100), 'an earlier minor release');
        $this->assertFalse(Native::compatible($mine + 10000));
        $this->assertSame(Library::versionNumber(), (int) Native::ffi()->itsm_version_number());
    }
}
