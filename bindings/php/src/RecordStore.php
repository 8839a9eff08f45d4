<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * A store that can also give back the events of one record (the store
 * table's read_record slot, sys/store.h): what Record::history() reads, so
 * the engine keeps no history in memory. Store\MemoryStore and
 * Store\PdoStore are RecordStores; a plain Store gives a history of the
 * notes only.
 */
interface RecordStore extends Store
{
    /**
     * The record's kept events' JSON, exactly as appended, in revision
     * order (its "open" event first); nothing for a record it does not hold.
     *
     * @return iterable<string>
     */
    public function readRecord(string $recordId): iterable;
}
