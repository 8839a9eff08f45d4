<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/**
 * One timeline entry: a work note, a customer update (with the expected
 * restoration and next update it promised) or a system note; or, in a
 * record's Record::history(), any event - who ($author), when ($at), what
 * happened ($text: a note's text, else one line such as
 * "assign: new -> assigned") and the fields it changed.
 */
final class TimelineEntry
{
    /**
     * @param string $kind "work", "customer" or "system" for a note; "" for any other event
     * @param string $type the event type (docs/events.md): "note", "open", "transition", "sla_breach", ...
     * @param int $revision the record's revision after the event; 0 for a note the engine keeps
     * @param list<FieldChange> $changes the fields the event set, old and new
     * @param ?string $json the event as stored; null for a note the engine keeps
     */
    public function __construct(
        public readonly string $kind,
        public readonly DateTimeImmutable $at,
        public readonly ?string $author,
        public readonly string $text,
        public readonly ?DateTimeImmutable $expectedRestoration = null,
        public readonly ?DateTimeImmutable $nextUpdate = null,
        public readonly string $type = 'note',
        public readonly int $revision = 0,
        public readonly ?string $event = null,
        public readonly ?string $fromState = null,
        public readonly ?string $toState = null,
        public readonly array $changes = [],
        public readonly ?string $json = null,
    ) {
    }

    /**
     * The stored event decoded; null for a note the engine keeps.
     *
     * @return ?array<string, mixed>
     */
    public function data(): ?array
    {
        return $this->json === null ? null : json_decode($this->json, true, 512, JSON_THROW_ON_ERROR);
    }
}
