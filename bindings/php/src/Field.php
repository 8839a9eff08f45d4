<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use Itsm\Exception\InvalidArgument;
use Itsm\Internal\Native;

/**
 * A record field as the loaded library describes it. Read from the C field
 * table, so a field the library adds appears without a binding change.
 */
final class Field
{
    /** @var array<string, self>|null */
    private static ?array $all = null;

    /**
     * @param string $type "text", "symbol", "int", "bool" or "time"
     * @param bool $engineOwned maintained by the engine (stamped or counted), not settable
     */
    private function __construct(
        public readonly int $id,
        public readonly string $name,
        public readonly string $type,
        public readonly bool $engineOwned,
    ) {
    }

    /** @return array<string, self> every field, by name, in C order */
    public static function all(): array
    {
        if (self::$all === null) {
            $ffi = Native::ffi();
            $types = [Native::ITSM_TYPE_TEXT => 'text', Native::ITSM_TYPE_SYMBOL => 'symbol',
                      Native::ITSM_TYPE_INT => 'int', Native::ITSM_TYPE_BOOL => 'bool',
                      Native::ITSM_TYPE_TIME => 'time'];
            $all = [];
            for ($i = 0; ($name = $ffi->itsm_field_name($i)) !== null; $i++) {
                $t = (int) $ffi->itsm_field_type_of($i);
                $all[$name] = new self($i, $name, $types[$t] ?? (string) $t,
                    (bool) $ffi->itsm_field_is_engine_owned($i));
            }
            self::$all = $all;
        }
        return self::$all;
    }

    /** The field of that name; InvalidArgument for an unknown one (with a hint). */
    public static function named(string $name): self
    {
        $all = self::all();
        if (isset($all[$name])) {
            return $all[$name];
        }
        $best = null;
        $bestDistance = 4;
        foreach (array_keys($all) as $candidate) {
            $d = levenshtein($name, $candidate);
            if ($d < $bestDistance) {
                [$best, $bestDistance] = [$candidate, $d];
            }
        }
        throw new InvalidArgument("unknown field '$name'" . ($best !== null ? " (did you mean '$best'?)" : ''),
            Native::ITSM_EINVAL);
    }
}
