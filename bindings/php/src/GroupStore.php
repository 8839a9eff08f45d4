<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * A store that can group many appends into one durable write (the store
 * table's group slot, sys/store.h): what Engine::begin(), commit(),
 * rollback() and transaction() need. Store\MemoryStore and Store\PdoStore
 * are GroupStores.
 *
 * group(GROUP_BEGIN) opens a group: the appends that follow are each still
 * checked and kept whole or not at all, later reads (scan, readRecord) see
 * them, but none needs to be durable yet and other engines must not see
 * them. group(GROUP_COMMIT) makes them all durable at once (or keeps none
 * and throws); group(GROUP_ABORT) keeps none. The engine never nests
 * groups. Throwing Exception\Conflict or Exception\StoreError reports that
 * code, as for append().
 */
interface GroupStore extends Store
{
    public const GROUP_BEGIN = 1;
    public const GROUP_COMMIT = 2;
    public const GROUP_ABORT = 3;

    public function group(int $op): void;
}
