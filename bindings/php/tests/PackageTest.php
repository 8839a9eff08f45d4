<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use PHPUnit\Framework\TestCase;

/** The package as Composer and a reader see it: metadata, PSR-4 layout, licence lines. */
final class PackageTest extends TestCase
{
    private static function root(): string
    {
        return dirname(__DIR__);
    }

    public function testComposerJsonDeclaresTheLicenceFfiAndPsr4(): void
    {
        $c = json_decode((string) file_get_contents(self::root() . '/composer.json'), true, 512, JSON_THROW_ON_ERROR);
        $this->assertSame('Apache-2.0', $c['license']);
        $this->assertSame('>=8.2', $c['require']['php']);
        $this->assertArrayHasKey('ext-ffi', $c['require']);
        $this->assertSame(['Itsm\\' => 'src/'], $c['autoload']['psr-4']);
    }

    /** @return list<string> */
    private static function files(string $dir): array
    {
        $out = [];
        foreach (new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator($dir)) as $f) {
            if (str_ends_with((string) $f, '.php')) {
                $out[] = (string) $f;
            }
        }
        sort($out);
        return $out;
    }

    public function testEveryClassSitsWherePsr4LooksForItAndLoads(): void
    {
        $src = self::root() . '/src';
        $files = self::files($src);
        $this->assertGreaterThan(40, count($files));
        foreach ($files as $file) {
            $class = 'Itsm\\' . str_replace('/', '\\', substr($file, strlen($src) + 1, -4));
            $this->assertTrue(class_exists($class) || interface_exists($class) || trait_exists($class),
                "$file does not define $class");
        }
    }

    public function testEveryFileCarriesTheSpdxLine(): void
    {
        $files = [...self::files(self::root() . '/src'), ...self::files(self::root() . '/tests'),
                  ...self::files(self::root() . '/examples'), self::root() . '/autoload.php'];
        foreach ($files as $file) {
            $head = implode("\n", array_slice(file($file, FILE_IGNORE_NEW_LINES), 0, 3));
            $this->assertStringContainsString('SPDX-License-Identifier: Apache-2.0', $head, $file);
        }
        $this->assertStringStartsWith('/* SPDX-License-Identifier: Apache-2.0 */',
            (string) file_get_contents(self::root() . '/ffi/itsm.h'));
    }
}
