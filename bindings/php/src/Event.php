<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;
use FFI;
use FFI\CData;
use Itsm\Internal\Convert;
use Itsm\Internal\Native;

/**
 * One accepted change, as the store and the sink receive it: a plain copy
 * (the C event is only valid during the callback). $json is the event's
 * stable one-line JSON form, what a store keeps and Engine::replay() reads.
 * $fields names the built-in fields the event changes (cleared and derived
 * values included) and $customFields is true when it may change a custom
 * field (itsm_event_fields): a sink that keeps a copy of some fields skips
 * the events that leave them alone. $policyVersion is the id of the policy
 * version it is judged under (null for a "policy" event), $chain its link
 * in the record's hash chain (null when the engine keeps no chain).
 */
final class Event
{
    /**
     * @param string $type "open", "update", "transition", "note", "link", ...
     * @param string|null $name a transition's lifecycle event ("resolve"); null otherwise
     * @param list<string> $fields the built-in fields it changes, in field order
     */
    public function __construct(
        public readonly string $type,
        public readonly string $recordId,
        public readonly string $recordKind,
        public readonly int $revision,
        public readonly DateTimeImmutable $time,
        public readonly ?string $actor,
        public readonly ?string $name,
        public readonly ?string $fromState,
        public readonly ?string $toState,
        public readonly string $json,
        public readonly array $fields = [],
        public readonly bool $customFields = false,
        public readonly ?string $policyVersion = null,
        public readonly ?string $chain = null,
    ) {
    }

    /** The JSON form decoded into arrays. */
    public function data(): array
    {
        return json_decode($this->json, true, 512, JSON_THROW_ON_ERROR);
    }

    /** @internal a copy of a borrowed C event */
    public static function fromC(CData $ev): self
    {
        $ffi = Native::ffi();
        [$rc, $json] = Native::writer('itsm_event_to_json', $ev);
        if ($rc !== Native::ITSM_OK) {
            throw new \LogicException("itsm_event_to_json failed ($rc)");
        }
        $bits = $ffi->itsm_event_fields($ev);
        $fields = [];
        for ($f = 0; $f < 63; $f++) {
            if ((($bits >> $f) & 1) !== 0) {
                $fields[] = (string) $ffi->itsm_field_name($f);
            }
        }
        $link = $ffi->new('char[65]');
        $chained = $ffi->itsm_event_chain($ev, $link) === Native::ITSM_OK;
        return new self(
            (string) $ffi->itsm_event_type($ev),
            (string) $ffi->itsm_event_record_id($ev),
            (string) $ffi->itsm_kind_name($ffi->itsm_event_record_kind($ev)),
            (int) $ffi->itsm_event_revision($ev),
            Convert::fromC((int) $ffi->itsm_event_time($ev)) ?? new DateTimeImmutable('@0'),
            $ffi->itsm_event_actor($ev),
            $ffi->itsm_event_name($ev),
            $ffi->itsm_event_from_state($ev),
            $ffi->itsm_event_to_state($ev),
            $json,
            $fields,
            $bits < 0,   /* bit 63: PHP's int is signed */
            $ffi->itsm_event_policy_version($ev),
            $chained ? FFI::string($link, 64) : null,
        );
    }

    /**
     * A stored event's JSON line in the binary form (docs/events.md; it
     * starts with the byte 0xE5), byte for byte the same event: for a store
     * that keeps events as BLOBs. Engine::replay() takes either form.
     * ParseError / LimitExceeded for input that is not JSON.
     */
    public static function jsonToBinary(string $json): string
    {
        return self::convert('itsm_event_json_to_binary', $json);
    }

    /**
     * The reverse of jsonToBinary(): the JSON line the event was written as.
     * ParseError / LimitExceeded for bytes that are not an event's binary form.
     */
    public static function binaryToJson(string $binary): string
    {
        return self::convert('itsm_event_binary_to_json', $binary);
    }

    /** An event converted by $fn (either way), sized first. */
    private static function convert(string $fn, string $in): string
    {
        $ffi = Native::ffi();
        $n = $ffi->new('size_t');
        $perr = $ffi->new('itsm_parse_error');
        $rc = $ffi->$fn($in, strlen($in), null, 0, FFI::addr($n), FFI::addr($perr));
        if ($rc === Native::ITSM_ELIMIT && $n->cdata > 0) {
            $buf = $ffi->new('char[' . ($n->cdata + 1) . ']');
            $rc = $ffi->$fn($in, strlen($in), $buf, $n->cdata + 1, FFI::addr($n), FFI::addr($perr));
            if ($rc === Native::ITSM_OK) {
                return FFI::string($buf, $n->cdata);
            }
        }
        $text = Native::chars($perr->text);
        throw Engine::error($rc, $text !== '' ? $text : 'not an event', $perr);
    }

    /**
     * @internal the events of one callback batch
     * @return list<self>
     */
    public static function batch(CData $events, int $n): array
    {
        $out = [];
        for ($i = 0; $i < $n; $i++) {
            $out[] = self::fromC($events[$i]);
        }
        return $out;
    }
}
