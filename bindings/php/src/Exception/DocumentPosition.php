<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

/**
 * Where in a document (event, policy, packet) a parser stopped. getLine()
 * stays PHP's own source line; these are the document's.
 */
trait DocumentPosition
{
    private ?int $documentLine = null;
    private ?int $documentColumn = null;
    private ?int $documentOffset = null;
    private string $reason = '';

    /** @internal */
    public function setPosition(int $line, int $column, int $offset, string $reason): static
    {
        $this->documentLine = $line;
        $this->documentColumn = $column;
        $this->documentOffset = $offset;
        $this->reason = $reason;
        return $this;
    }

    /** Line in the document, from 1; null when no parser set it. */
    public function documentLine(): ?int
    {
        return $this->documentLine;
    }

    /** Column in the document, from 1, counting bytes. */
    public function documentColumn(): ?int
    {
        return $this->documentColumn;
    }

    /** Byte offset from the start of the document. */
    public function documentOffset(): ?int
    {
        return $this->documentOffset;
    }

    /** The parser's short reason, e.g. "duplicate key 'state'". */
    public function reason(): string
    {
        return $this->reason;
    }
}
