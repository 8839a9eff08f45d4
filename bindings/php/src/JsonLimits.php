<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use FFI\CData;
use Itsm\Internal\Convert;

/** Bounds of the library's JSON reader; 0 means the library's default (16 MiB, 1 MiB, depth 64). */
final class JsonLimits
{
    public function __construct(
        public readonly int $maxDocument = 0,
        public readonly int $maxString = 0,
        public readonly int $maxDepth = 0,
    ) {
    }

    /** @internal */
    public function fill(CData $limits): void
    {
        // size_t members: -1 would wrap to "no bound at all"
        $limits->max_document = Convert::size($this->maxDocument, 'max document');
        $limits->max_string = Convert::size($this->maxString, 'max string');
        $limits->max_depth = Convert::size($this->maxDepth, 'max depth');
    }
}
