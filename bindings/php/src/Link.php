<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * A link from a record: $kind is "related", "parent" (this record is a
 * child of the target) or "child" (the target is a child of this record).
 */
final class Link
{
    public function __construct(
        public readonly string $kind,
        public readonly string $targetKind,
        public readonly string $targetId,
    ) {
    }
}
