<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/** A service-transition deliverable of a to_operations packet. */
final class Deliverable
{
    /** @param string $status "pending", "delivered", "approved" or "rejected" */
    public function __construct(
        public readonly string $name,
        public readonly string $owner,
        public readonly string $approver,
        public readonly string $status,
        public readonly ?string $approvedBy,
        public readonly bool $required,
    ) {
    }
}
