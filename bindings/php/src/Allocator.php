<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use FFI\CData;

/**
 * A per-engine allocator (common.h), for tests: count what the library
 * holds, or fail the Nth allocation to see OutOfMemory. Every allocation of
 * the engine goes through PHP, so this is slow; hosts leave it out.
 *
 * The methods take and return C pointers (void *, null for NULL). An
 * exception thrown in one is caught like any callback's: the library sees
 * a failed allocation (NULL) and the exception is re-thrown after the
 * engine's call. Packets, reports and policy copies made by the engine
 * allocate and free through the same allocator, also after the engine is
 * closed; their own calls report a failed allocation as OutOfMemory, and an
 * exception the allocator threw during one of them is re-thrown by the
 * engine's next call.
 */
interface Allocator
{
    public function malloc(int $size): ?CData;

    public function realloc(?CData $ptr, int $size): ?CData;

    public function free(CData $ptr): void;
}
