<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use FFI\CData;

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
        $limits->max_document = $this->maxDocument;
        $limits->max_string = $this->maxString;
        $limits->max_depth = $this->maxDepth;
    }
}
