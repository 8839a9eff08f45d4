<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests\Support;

use Itsm\Exception\StoreError;
use Itsm\Store;
use Itsm\Store\MemoryStore;

/** A memory store that refuses appends (StoreError) while $fail is set. */
class ToggleStore implements Store
{
    public bool $fail = false;
    public MemoryStore $inner;

    public function __construct()
    {
        $this->inner = new MemoryStore();
    }

    public function append(array $events): void
    {
        if ($this->fail) {
            throw new StoreError('disk full');
        }
        $this->inner->append($events);
    }

    public function scan(): iterable
    {
        return $this->inner->scan();
    }
}
