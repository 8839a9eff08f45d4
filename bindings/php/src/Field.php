<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use FFI;
use FFI\CData;
use Itsm\Exception\InvalidArgument;
use Itsm\Internal\Native;

/**
 * A record field as the loaded library describes it. Read from the C field
 * table, so a field the library adds appears without a binding change; a
 * policy's custom fields (Policy::addField()) are read from the policy.
 */
final class Field
{
    /** @var array<string, self>|null */
    private static ?array $all = null;

    /**
     * @param string $type "text", "symbol", "int", "bool", "time" or (custom fields) "enum"
     * @param bool $engineOwned maintained by the engine (stamped or counted), not settable
     */
    private function __construct(
        public readonly int $id,
        public readonly string $name,
        public readonly string $type,
        public readonly bool $engineOwned,
        /** A custom int's lowest value (its range starts there). */
        public readonly ?int $min = null,
    ) {
    }

    /** A custom field of a C policy, by its C value. */
    private static function declared(CData $policy, int $id): self
    {
        $ffi = Native::ffi();
        $t = (int) $ffi->itsm_policy_field_type($policy, $id);
        $min = null;
        if ($t === Native::ITSM_TYPE_INT) {
            $d = $ffi->new('itsm_field_def');
            $ffi->itsm_field_def_init(FFI::addr($d), Native::ITSM_FIELD_DEF_VERSION);
            if ($ffi->itsm_policy_field_def(FFI::addr($d), $policy, $id) === Native::ITSM_OK) {
                $min = (int) $d->min;
            }
        }
        return new self($id, (string) $ffi->itsm_policy_field_name($policy, $id), self::TYPES[$t] ?? (string) $t,
            false, $min);
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

    private const TYPES = [Native::ITSM_TYPE_TEXT => 'text', Native::ITSM_TYPE_SYMBOL => 'symbol',
                           Native::ITSM_TYPE_INT => 'int', Native::ITSM_TYPE_BOOL => 'bool',
                           Native::ITSM_TYPE_TIME => 'time', Native::ITSM_TYPE_ENUM => 'enum'];

    /** @internal a field type's name as its C value */
    public static function typeCode(string $type): int
    {
        return array_flip(self::TYPES)[$type] ?? throw new InvalidArgument(
            "a field's type is one of " . implode(', ', self::TYPES) . ", not '$type'", Native::ITSM_EINVAL);
    }

    /**
     * The custom fields a C policy declares, by name, in declaration order.
     *
     * @internal
     * @return array<string, self>
     */
    public static function custom(CData $policy): array
    {
        $ffi = Native::ffi();
        $out = [];
        $n = (int) $ffi->itsm_policy_field_count($policy);
        for ($i = 0; $i < $n; $i++) {
            $f = self::declared($policy, Native::ITSM_F_CUSTOM_FIRST + $i);
            $out[$f->name] = $f;
        }
        return $out;
    }

    /**
     * The field of that name: built in, or declared by $policy (a C
     * policy, the engine's); InvalidArgument for an unknown one (with a hint).
     */
    public static function named(string $name, ?CData $policy = null): self
    {
        $all = self::all();
        if (isset($all[$name])) {
            return $all[$name];
        }
        if ($policy !== null) {
            $ffi = Native::ffi();
            $id = $ffi->new('itsm_field');
            if ($ffi->itsm_policy_field(FFI::addr($id), $policy, $name) === Native::ITSM_OK) {
                return self::declared($policy, (int) $id->cdata);
            }
            $all += self::custom($policy);
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
