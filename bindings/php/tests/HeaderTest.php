<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Internal\Native;
use PHPUnit\Framework\TestCase;

/**
 * ffi/itsm.h and the constants of Itsm\Internal\Native are a hand-kept copy
 * of the C headers (FFI reads no preprocessor). This compiles them against
 * the real headers with the C compiler, so any drift fails here:
 *
 *  - every function and callback type, redeclared after <itsm.h>: C refuses
 *    a redeclaration whose type differs in any way (const, width, count);
 *  - every struct's size and each member's offset and size, and the size of
 *    each scalar typedef, printed by one program built on the real headers
 *    and one built on ffi/itsm.h, must be the same;
 *  - every constant of Native must equal the macro or enum constant of the
 *    same name.
 *
 * The headers come from ITSM_INCLUDE_DIR (ctest sets it), else the source
 * tree around the package, else `pkg-config --cflags itsm`; the compiler
 * from CC, else cc.
 */
final class HeaderTest extends TestCase
{
    private static string $dir = '';
    private static string $include = '';
    private static string $cc = 'cc';

    /** @var list<array{kind: string, name: string, text: string, members?: list<string>}> */
    private static array $decls = [];

    public static function setUpBeforeClass(): void
    {
        self::$decls = self::parse(file_get_contents(dirname(__DIR__) . '/ffi/itsm.h'));
        self::$cc = getenv('CC') ?: 'cc';
        self::$dir = sys_get_temp_dir() . '/itsm-php-header-' . bin2hex(random_bytes(6));
        mkdir(self::$dir);
        $env = getenv('ITSM_INCLUDE_DIR');
        if ($env !== false && $env !== '') {
            self::$include = $env;
            return;
        }
        $tree = dirname(__DIR__, 3) . '/include';
        if (is_file("$tree/itsm.h")) {
            self::$include = $tree;
            return;
        }
        $pc = trim((string) @shell_exec('pkg-config --variable=includedir itsm 2>/dev/null'));
        if ($pc !== '' && is_file("$pc/itsm.h")) {
            self::$include = $pc;
        }
    }

    public static function tearDownAfterClass(): void
    {
        foreach (glob(self::$dir . '/*') ?: [] as $f) {
            unlink($f);
        }
        @rmdir(self::$dir);
    }

    protected function setUp(): void
    {
        if (self::$include === '') {
            $this->markTestSkipped('no itsm headers found: set ITSM_INCLUDE_DIR to check the FFI declarations');
        }
        $this->assertFileExists(self::$include . '/itsm.h', 'ITSM_INCLUDE_DIR has no itsm.h');
        exec('command -v ' . escapeshellarg(self::$cc), $out, $rc);
        if ($rc !== 0) {
            $this->markTestSkipped('no C compiler (' . self::$cc . ') to check the FFI declarations with');
        }
    }

    /**
     * ffi/itsm.h split into declarations.
     *
     * @return list<array{kind: string, name: string, text: string, members?: list<string>}>
     */
    private static function parse(string $text): array
    {
        $text = (string) preg_replace('#/\*.*?\*/#s', '', $text);
        $out = [];
        $depth = 0;
        $cur = '';
        foreach (str_split($text) as $ch) {
            $depth += $ch === '{' ? 1 : ($ch === '}' ? -1 : 0);
            if ($ch === ';' && $depth === 0) {
                $out[] = self::classify(trim((string) preg_replace('/\s+/', ' ', $cur)));
                $cur = '';
            } else {
                $cur .= $ch;
            }
        }
        return $out;
    }

    /** @return array{kind: string, name: string, text: string, members?: list<string>} */
    private static function classify(string $s): array
    {
        if (preg_match('/^typedef struct (\w+) \{(.*)\} (\w+)$/', $s, $m)) {
            $members = [];
            foreach (explode(';', $m[2]) as $member) {
                $member = trim($member);
                if ($member === '') {
                    continue;
                }
                if (preg_match('/\(\s*\*\s*(\w+)\s*\)/', $member, $fp)) {
                    $members[] = $fp[1];
                } elseif (preg_match('/(\w+)\s*(\[[^\]]*\])?$/', $member, $mm)) {
                    $members[] = $mm[1];
                }
            }
            return ['kind' => 'struct', 'name' => $m[3], 'text' => $s, 'members' => $members];
        }
        if (preg_match('/^typedef struct (\w+) (\w+)$/', $s, $m)) {
            return ['kind' => 'opaque', 'name' => $m[2], 'text' => $s];
        }
        if (preg_match('/^typedef .*\(\s*\*\s*(\w+)\s*\)\s*\(.*\)$/', $s, $m)) {
            return ['kind' => 'fnptr', 'name' => $m[1], 'text' => $s];
        }
        if (preg_match('/^typedef [\w ]+ (\w+)$/', $s, $m)) {
            return ['kind' => 'scalar', 'name' => $m[1], 'text' => $s];
        }
        if (preg_match('/(\w+)\s*\(.*\)$/', $s, $m)) {
            return ['kind' => 'function', 'name' => $m[1], 'text' => $s];
        }
        throw new \LogicException("ffi/itsm.h: cannot classify '$s'");
    }

    /** Compile (and with $run, run) a C program; [exit code, output]. */
    private function build(string $name, string $source, bool $run): array
    {
        $c = self::$dir . "/$name.c";
        $exe = self::$dir . "/$name";
        file_put_contents($c, $source);
        $cmd = sprintf('%s -std=c11 -Wall -Werror -I%s %s %s 2>&1', escapeshellcmd(self::$cc),
            escapeshellarg(self::$include), $run ? '-o ' . escapeshellarg($exe) : '-c -o ' . escapeshellarg("$exe.o"),
            escapeshellarg($c));
        exec($cmd, $out, $rc);
        if ($rc !== 0 || !$run) {
            return [$rc, implode("\n", $out)];
        }
        exec(escapeshellarg($exe) . ' 2>&1', $out2, $rc2);
        return [$rc2, implode("\n", $out2)];
    }

    /** @return list<array{kind: string, name: string, text: string, members?: list<string>}> */
    private function of(string ...$kinds): array
    {
        return array_values(array_filter(self::$decls, fn ($d) => in_array($d['kind'], $kinds, true)));
    }

    public function testEveryFunctionAndCallbackTypeMatchesTheHeaders(): void
    {
        $functions = $this->of('function');
        $this->assertGreaterThan(150, count($functions), 'the declarations were read');
        $src = "#include <itsm.h>\n";
        foreach ($this->of('fnptr', 'function') as $d) {
            $src .= $d['text'] . ";\n";
        }
        [$rc, $out] = $this->build('functions', $src, false);
        $this->assertSame(0, $rc, "ffi/itsm.h disagrees with the headers:\n$out");

        $headers = '';
        foreach (new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator(self::$include)) as $f) {
            if (str_ends_with((string) $f, '.h')) {
                $headers .= file_get_contents((string) $f);
            }
        }
        foreach ($functions as $d) {
            $this->assertMatchesRegularExpression('/ITSM_API[^;]*\b' . $d['name'] . '\s*\(/', $headers,
                "{$d['name']} is not a public function of the headers");
        }
    }

    public function testEveryStructLayoutAndScalarTypeMatchesTheHeaders(): void
    {
        $probe = "int main(void) {\n";
        foreach ($this->of('struct') as $d) {
            $t = $d['name'];
            $probe .= "    printf(\"%s %zu\\n\", \"$t\", sizeof($t));\n";
            foreach ($d['members'] as $m) {
                $probe .= "    printf(\"%s.%s %zu %zu\\n\", \"$t\", \"$m\", offsetof($t, $m), sizeof((($t *)0)->$m));\n";
            }
        }
        foreach ($this->of('scalar') as $d) {
            $probe .= "    printf(\"%s %zu\\n\", \"{$d['name']}\", sizeof({$d['name']}));\n";
        }
        $probe .= "    return 0;\n}\n";
        $head = "#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n";
        [$rc, $real] = $this->build('layout_real', $head . "#include <itsm.h>\n" . $probe, true);
        $this->assertSame(0, $rc, "a struct member of ffi/itsm.h is not in the headers:\n$real");
        [$rc, $ffi] = $this->build('layout_ffi', $head . file_get_contents(dirname(__DIR__) . '/ffi/itsm.h') . $probe,
            true);
        $this->assertSame(0, $rc, "ffi/itsm.h does not compile on its own:\n$ffi");
        $this->assertSame($real, $ffi, 'sizes and offsets: the headers (expected) and ffi/itsm.h (actual)');
    }

    public function testEveryConstantOfTheBindingEqualsTheHeaders(): void
    {
        $consts = array_filter((new \ReflectionClass(Native::class))->getConstants(),
            fn ($v, $k) => str_starts_with($k, 'ITSM_') && is_int($v), ARRAY_FILTER_USE_BOTH);
        $this->assertGreaterThan(100, count($consts));
        $src = "#include <stdio.h>\n#include <itsm.h>\nint main(void) {\n";
        $expected = '';
        foreach ($consts as $name => $value) {
            $src .= "    printf(\"%s %lld\\n\", \"$name\", (long long)($name));\n";
            $expected .= "$name $value\n";
        }
        $src .= "    return 0;\n}\n";
        [$rc, $out] = $this->build('constants', $src, true);
        $this->assertSame(0, $rc, "a constant of Native is not in the headers:\n$out");
        $this->assertSame(trim($out), trim($expected), 'the headers (expected) and Itsm\Internal\Native (actual)');
    }
}
