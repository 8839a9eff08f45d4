<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use DateTimeInterface;
use FFI;
use FFI\CData;
use Itsm\Field;

/**
 * Field values (name => value) as an itsm_change array.
 *
 * text, symbol: string, or null to clear; int: int (bool refused);
 * bool: bool; time: DateTimeInterface, int seconds, or null to clear.
 *
 * @internal
 */
final class Changes
{
    /** @var list<CData> C copies of the strings, alive as long as this object */
    private array $keep = [];
    public readonly ?CData $array;
    public readonly int $count;

    /**
     * @param array<string, mixed> $fields
     * @param CData|null $policy the C policy whose custom fields the names may be (the engine's)
     */
    public function __construct(array $fields, ?CData $policy = null)
    {
        $this->count = count($fields);
        if ($this->count === 0) {
            $this->array = null;
            return;
        }
        $arr = Native::new("itsm_change[{$this->count}]");
        $i = 0;
        foreach ($fields as $name => $value) {
            $f = Field::named((string) $name, $policy);
            $c = $arr[$i++];
            $c->field = $f->id;
            switch ($f->type) {
                case 'text':
                case 'symbol':
                case 'enum':
                    if ($value !== null && !is_string($value)) {
                        throw new \TypeError("field '$name' takes a string or null, not " . get_debug_type($value));
                    }
                    if ($value !== null) {
                        $buf = Native::buffer(Convert::str($value, "field '$name'"));
                        $this->keep[] = $buf;
                        $c->str = FFI::addr($buf[0]);
                    }
                    break;
                case 'time':
                    if ($value !== null && !is_int($value) && !$value instanceof DateTimeInterface) {
                        throw new \TypeError("field '$name' takes a DateTimeInterface, int seconds or null, not "
                            . get_debug_type($value));
                    }
                    $c->num = Convert::timeOrNone($value, "field '$name'");
                    break;
                case 'bool':
                    if (!is_bool($value)) {
                        throw new \TypeError("field '$name' takes a bool, not " . get_debug_type($value));
                    }
                    $c->num = $value ? 1 : 0;
                    break;
                default:
                    if ($value !== null && !is_int($value)) {
                        throw new \TypeError("field '$name' takes an int, not " . get_debug_type($value));
                    }
                    $c->num = $value ?? 0;
            }
        }
        $this->array = $arr;
    }

    /** A pointer to the first change (for struct members), or null when there are none. */
    public function pointer(): ?CData
    {
        return $this->array === null ? null : FFI::addr($this->array[0]);
    }
}
