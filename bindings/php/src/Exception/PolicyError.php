<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\Internal\Native;

/** ITSM_EPOLICY: a policy is inconsistent; findings() lists why. */
class PolicyError extends ItsmException
{
    public const CODE = Native::ITSM_EPOLICY;

    /** @var list<string> */
    private array $findings = [];

    /** @param list<string> $findings */
    public static function withFindings(string $message, array $findings): self
    {
        $e = new self($message);
        $e->findings = $findings;
        return $e;
    }

    /** @return list<string> the policy check's findings, e.g. "incident: state 'limbo' is unreachable" */
    public function findings(): array
    {
        return $this->findings;
    }
}
