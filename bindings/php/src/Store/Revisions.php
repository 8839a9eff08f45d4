<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Store;

use Itsm\Event;
use Itsm\Exception\Conflict;

/** The revision check of a shared store (sys/store.h). */
final class Revisions
{
    /**
     * Throw Conflict unless each event follows its record's newest stored
     * revision; $newest(recordId) gives that revision (0: none).
     *
     * @param list<Event> $events
     * @param callable(string): int $newest
     */
    public static function check(array $events, callable $newest): void
    {
        $have = [];
        foreach ($events as $ev) {
            $have[$ev->recordId] ??= $newest($ev->recordId);
            if ($ev->revision !== $have[$ev->recordId] + 1) {
                throw new Conflict(sprintf('the store holds revision %d of %s; the %s event is revision %d',
                    $have[$ev->recordId], $ev->recordId, $ev->type, $ev->revision));
            }
            $have[$ev->recordId] = $ev->revision;
        }
    }
}
