<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * Where an engine keeps its events (sys/store.h). The engine calls
 * append() with every batch of events one change produces, before it
 * changes anything, and scan() when Engine::load() rebuilds it.
 *
 * append() keeps all the events durably and in order, or keeps none and
 * throws. Throwing Exception\Conflict reports ITSM_ECONFLICT (another
 * engine changed the record first) and Exception\StoreError reports
 * ITSM_ESTORE: the engine then throws its own exception of that class with
 * the store's as getPrevious(). Any other exception reaches the caller as
 * it was thrown. In every case nothing changed.
 *
 * A store shared by several engines must check revisions: keep an event
 * only if the newest stored revision of its record is $event->revision - 1
 * (0 for a record it has not seen). Store\MemoryStore and Store\PdoStore do.
 *
 * The engine never calls the store from inside one of its own callbacks,
 * nor after Engine::close().
 */
interface Store
{
    /** @param list<Event> $events */
    public function append(array $events): void;

    /**
     * Every kept event's JSON, in the order appended.
     *
     * @return iterable<string>
     */
    public function scan(): iterable;
}
