<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use FFI;
use Itsm\Engine;
use Itsm\Exception\InvalidArgument;
use Itsm\Field;

/**
 * The policy's custom fields (policy.h): declared beside the built-in
 * ones, taken by name everywhere a field is (open(), update(), fire(),
 * get(), guards, conditions, report filters and group-by).
 *
 * @internal part of Policy
 */
trait PolicyFields
{
    /**
     * Declare a custom field: $type "text", "symbol", "int" (with $range
     * [min, max]), "bool", "time" or "enum" (with $values); the $kinds it
     * applies to (null: every kind; [] is InvalidArgument) and the kinds that must give it when
     * opened. Engines made from this policy take it by name like a built-in
     * field. Returns the field's C value. InvalidArgument (a bad name, type,
     * range or values), AlreadyExists (a field of that name), LimitExceeded.
     *
     * @param array{int, int}|null $range
     * @param list<string> $values
     * @param list<string>|null $kinds
     * @param list<string> $required
     */
    public function addField(string $name, string $type, ?array $range = null, array $values = [],
                             ?array $kinds = null, array $required = []): int
    {
        $ffi = Native::ffi();
        $d = $ffi->new('itsm_field_def');
        $this->checkRc($ffi->itsm_field_def_init(FFI::addr($d), Native::ITSM_FIELD_DEF_VERSION));
        $nameBuf = Native::buffer(Convert::str($name, 'field name'));
        $d->name = Native::ptr($nameBuf);
        $d->type = Field::typeCode($type);
        if ($range !== null) {
            [$d->min, $d->max] = [Convert::int64($range[0] ?? null, 'range minimum'),
                                   Convert::int64($range[1] ?? null, 'range maximum')];
        }
        [$d->values, $d->nvalues, $keep] = self::strings($values, 'enum value');
        if ($kinds === []) {    // no bits would mean every kind
            throw new InvalidArgument('kinds is empty: give null for every kind', Native::ITSM_EINVAL);
        }
        $d->kinds = self::kindBits($kinds ?? []);
        $d->required = self::kindBits($required);
        $out = $ffi->new('itsm_field');
        $this->checkRc($ffi->itsm_policy_add_field($this->cdata(), FFI::addr($d), FFI::addr($out)));
        unset($keep, $nameBuf);
        return (int) $out->cdata;
    }

    /**
     * The custom fields, by name in declaration order: type, range (int),
     * values (enum), the kinds they apply to ([]: every kind) and the kinds
     * that must give them.
     *
     * @return array<string, array{type: string, range: ?array{int, int}, values: list<string>,
     *   kinds: list<string>, required: list<string>}>
     */
    public function customFields(): array
    {
        $ffi = Native::ffi();
        $p = $this->cdata();
        $out = [];
        foreach (Field::custom($p) as $name => $f) {
            $d = $ffi->new('itsm_field_def');
            $this->checkRc($ffi->itsm_field_def_init(FFI::addr($d), Native::ITSM_FIELD_DEF_VERSION));
            $this->checkRc($ffi->itsm_policy_field_def(FFI::addr($d), $p, $f->id));
            $values = [];
            for ($i = 0; $i < (int) $d->nvalues; $i++) {
                $values[] = FFI::string($d->values[$i]);
            }
            $out[$name] = ['type' => $f->type, 'range' => $f->type === 'int' ? [(int) $d->min, (int) $d->max] : null,
                           'values' => $values, 'kinds' => self::kindNames((int) $d->kinds),
                           'required' => self::kindNames((int) $d->required)];
        }
        return $out;
    }

    /** @param list<string> $kinds */
    private static function kindBits(array $kinds): int
    {
        $bits = 0;
        foreach ($kinds as $k) {
            $bits |= 1 << Engine::kindCode($k);
        }
        return $bits;
    }

    /** @return list<string> */
    private static function kindNames(int $bits): array
    {
        $out = [];
        foreach (Engine::kinds() as $k) {
            if ($bits & (1 << Engine::kindCode($k))) {
                $out[] = $k;
            }
        }
        return $out;
    }
}
