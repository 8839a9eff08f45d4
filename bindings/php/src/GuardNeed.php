<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * A term of a transition's guard a record does not meet yet. $kind is
 * "field" ($field must be set), "any_of" (one of the fields of $term, a|b,
 * must be set; $field is the first), "value" ($field must equal $value),
 * "link" (a related link to a record of $linkKind) or "term" (a capability's
 * term such as "approved:all": $field is its kind, $value its argument);
 * $term is the term as the policy writes it.
 */
final class GuardNeed
{
    public function __construct(
        public readonly string $kind,
        public readonly ?string $field,
        public readonly ?string $value,
        public readonly ?string $linkKind,
        public readonly string $term,
    ) {
    }

    /**
     * The fields that would meet it (none for a link or a capability's term).
     *
     * @return list<string>
     */
    public function fields(): array
    {
        if ($this->kind === 'link' || $this->kind === 'term') {
            return [];
        }
        return explode('|', explode('=', $this->term)[0]);
    }
}
