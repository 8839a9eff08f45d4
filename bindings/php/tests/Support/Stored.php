<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests\Support;

/**
 * Stored events: a store holds a policy event (a version's document,
 * docs/events.md) before the first event under each version; the sink is
 * never told of it, and it is no record's event.
 */
final class Stored
{
    public static function isPolicy(string $json): bool
    {
        return str_starts_with($json, '{"v":1,"type":"policy","record":"~policy.');
    }

    /**
     * The records' events among stored events, in order (policy events left out).
     *
     * @param iterable<string> $events
     * @return list<string>
     */
    public static function records(iterable $events): array
    {
        $out = [];
        foreach ($events as $json) {
            if (!self::isPolicy($json)) {
                $out[] = $json;
            }
        }
        return $out;
    }
}
