<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use PHPUnit\Framework\TestCase;

/** The README's quick example runs as printed and says what its comments say. */
final class ReadmeTest extends TestCase
{
    public function testTheQuickExampleRunsAsPrinted(): void
    {
        $readme = (string) file_get_contents(dirname(__DIR__) . '/README.md');
        $this->assertSame(1, preg_match('/## Quick example\s+```php\n(.*?)```/s', $readme, $m));
        $dir = sys_get_temp_dir() . '/itsm-php-readme-' . bin2hex(random_bytes(6));
        mkdir($dir);
        $script = "$dir/example.php";
        file_put_contents($script, "<?php\ndeclare(strict_types=1);\nrequire "
            . var_export(dirname(__DIR__) . '/autoload.php', true) . ";\n" . $m[1]);
        try {
            $proc = proc_open([PHP_BINARY, '-d', 'ffi.enable=1', $script], [1 => ['pipe', 'w'], 2 => ['redirect', 1]],
                $pipes, $dir);
            $out = (string) stream_get_contents($pipes[1]);
            fclose($pipes[1]);
            $this->assertSame(0, proc_close($proc), $out);
        } finally {
            foreach (glob("$dir/*") ?: [] as $f) {
                unlink($f);
            }
            rmdir($dir);
        }
        $this->assertStringContainsString('INC-000001 new 3', $out);
        $this->assertStringContainsString("transition 'resolve' from 'in_progress' needs fields 'resolution_code', 'resolution_notes'", $out);
        $this->assertMatchesRegularExpression('/customer sd\.maria: Web tier restarted/', $out);
    }
}
