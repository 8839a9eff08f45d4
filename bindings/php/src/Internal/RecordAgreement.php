<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use DateTimeImmutable;
use DateTimeInterface;
use FFI;
use Itsm\Agreement;
use Itsm\AgreementStep;

/**
 * The Record calls of agreements (agreement.h): a record's instance of
 * each contract clock its policy defines by conditions
 * (Policy::setAgreement()), and their history.
 *
 * @internal part of Record
 */
trait RecordAgreement
{
    /**
     * The record's instance of agreement $name as of $now (null: the
     * engine's clock). NotFound for an agreement the policy lacks.
     */
    public function agreement(string $name, DateTimeInterface|int|null $now = null): Agreement
    {
        $ffi = Native::ffi();
        $t = $now === null ? Convert::time($this->engine->now()) : Convert::time($now, 'now');
        $a = Native::result('itsm_agreement_info');
        $this->engine->check($ffi->itsm_record_agreement(FFI::addr($a), $this->ptr(), Convert::str($name, 'agreement'),
            $t));
        $type = (int) $a->type;
        $status = (int) $a->status;
        $verdict = (int) $a->verdict;
        $nm = $a->name;
        return new Agreement(is_string($nm) ? $nm : $name, Native::AGREEMENT_TYPES[$type] ?? (string) $type,
            Native::AGREEMENT_STATUS[$status] ?? (string) $status, Native::AGREEMENT_VERDICTS[$verdict] ?? (string) $verdict,
            $a->target !== 0 ? (int) $a->target : null, $a->calendar, (int) $a->elapsed, (int) $a->paused,
            Convert::fromC((int) $a->due), (int) $a->remaining, (int) $a->warnings, (int) $a->breaches,
            Convert::fromC((int) $a->started_at), Convert::fromC((int) $a->stopped_at),
            Convert::fromC($t) ?? new DateTimeImmutable('@0'));
    }

    /**
     * Every agreement of the policy that ever applied to the record, by
     * name, as of the engine's clock.
     *
     * @return array<string, Agreement>
     */
    public function agreements(): array
    {
        $ffi = Native::ffi();
        $pol = $ffi->itsm_engine_policy($this->engine->ptr());
        $now = $this->engine->now();
        $out = [];
        $n = (int) $ffi->itsm_policy_agreement_count($pol);
        for ($i = 0; $i < $n; $i++) {
            $name = (string) $ffi->itsm_policy_agreement_name($pol, $i);
            $a = $this->agreement($name, $now);
            if ($a->status !== 'none') {
                $out[$name] = $a;
            }
        }
        return $out;
    }

    /**
     * Every step of the record's agreements, in the order they happened.
     *
     * @return list<AgreementStep>
     */
    public function agreementHistory(): array
    {
        $ffi = Native::ffi();
        $p = $this->ptr();
        $out = [];
        $n = (int) $ffi->itsm_record_agreement_steps($p);
        for ($i = 0; $i < $n; $i++) {
            $e = Native::result('itsm_agreement_entry');
            $this->engine->check($ffi->itsm_record_agreement_step(FFI::addr($e), $p, $i));
            $step = (int) $e->step;
            $verdict = (int) $e->verdict;
            $out[] = new AgreementStep(Convert::fromC((int) $e->at) ?? new DateTimeImmutable('@0'), (string) $e->agreement,
                $ffi->itsm_agreement_step_name($step) ?? (string) $step, (int) $e->level,
                Native::AGREEMENT_VERDICTS[$verdict] ?? (string) $verdict);
        }
        return $out;
    }
}
