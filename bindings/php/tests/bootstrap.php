<?php
// SPDX-License-Identifier: Apache-2.0
// The suite runs without Composer: Debian's phpunit plus this autoloader.
declare(strict_types=1);

require dirname(__DIR__) . '/autoload.php';

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'Itsm\\Tests\\')) {
        $file = __DIR__ . '/' . str_replace('\\', '/', substr($class, 11)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

// Every failure must surface: a notice or a deprecation is a test failure.
set_error_handler(static function (int $no, string $msg, string $file, int $line): bool {
    if ((error_reporting() & $no) === 0) {
        return false;      // silenced with @ on purpose
    }
    throw new \ErrorException($msg, 0, $no, $file, $line);
});
