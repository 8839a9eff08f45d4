<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Testing;

use FFI;
use FFI\CData;
use Itsm\Allocator;

/**
 * libc's allocator, counted: $live is the number of blocks the library
 * holds now, so a test can see that close() freed everything. With
 * $failAt = N the Nth allocation from then on (malloc or realloc) fails.
 */
class CountingAllocator implements Allocator
{
    public int $live = 0;
    public int $allocations = 0;
    public ?int $failAt = null;

    private static ?FFI $libc = null;

    private static function libc(): FFI
    {
        return self::$libc ??= FFI::cdef('void *malloc(size_t size); void *realloc(void *ptr, size_t size);'
            . ' void free(void *ptr);');
    }

    /** Fail the $n-th allocation from now on (1 = the next one); null: never. */
    public function failAfter(?int $n): void
    {
        $this->allocations = 0;
        $this->failAt = $n;
    }

    private function fails(): bool
    {
        return ++$this->allocations === $this->failAt;
    }

    public function malloc(int $size): ?CData
    {
        if ($this->fails()) {
            return null;
        }
        $p = self::libc()->malloc($size);
        if ($p !== null) {
            $this->live++;
        }
        return $p;
    }

    public function realloc(?CData $ptr, int $size): ?CData
    {
        if ($this->fails()) {
            return null;
        }
        $p = self::libc()->realloc($ptr, $size);
        if ($ptr === null && $p !== null) {
            $this->live++;
        }
        return $p;
    }

    public function free(CData $ptr): void
    {
        self::libc()->free($ptr);
        $this->live--;
    }
}
