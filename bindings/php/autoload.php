<?php
// SPDX-License-Identifier: Apache-2.0
// A PSR-4 autoloader for Itsm\ -> src/, for hosts that do not use Composer
// (require this file); Composer users get the same from composer.json.
declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'Itsm\\')) {
        $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, 5)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
