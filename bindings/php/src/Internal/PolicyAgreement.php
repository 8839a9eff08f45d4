<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use DateInterval;
use FFI;
use Itsm\Engine;
use Itsm\Exception\InvalidArgument;

/**
 * The policy calls that take conditions (docs/conditions.md): agreements
 * (agreement.h), SLA rules (sla.h) and routes (escalation.h). A refused
 * condition throws ParseError with the line and column within it.
 *
 * @internal part of Policy
 */
trait PolicyAgreement
{
    /**
     * Add or replace an agreement: a contract clock defined by conditions.
     * $type "sla", "ola" or "uc"; $targets maps a priority (1..5; 0: any
     * priority without its own) to its target in working time, or to
     * [target, calendar]; $warnings (below 1) and $breaches (1 and above)
     * are fractions of the target; $climb: each breach climbs the
     * escalation ladder. $applies and $start null: always; $pause and
     * $reset null: never.
     *
     * @param array<int, DateInterval|int|array{DateInterval|int, ?string}> $targets
     * @param list<float> $warnings
     * @param list<float> $breaches
     */
    public function setAgreement(string $name, string $stop, array $targets, string $type = 'sla',
                                 ?string $applies = null, ?string $start = null, ?string $pause = null,
                                 ?string $reset = null, array $warnings = [], array $breaches = [],
                                 bool $climb = false): static
    {
        $ffi = Native::ffi();
        $d = $ffi->new('itsm_agreement_def');
        $this->checkRc($ffi->itsm_agreement_def_init(FFI::addr($d), Native::ITSM_AGREEMENT_DEF_VERSION));
        $keep = [];
        $keep[] = $b = Native::buffer(Convert::str($name, 'agreement name'));
        $d->name = Native::ptr($b);
        $d->type = array_flip(Native::AGREEMENT_TYPES)[$type]
            ?? throw new InvalidArgument("agreement type '$type' is not sla, ola or uc", Native::ITSM_EINVAL);
        foreach (['applies' => $applies, 'start' => $start, 'pause' => $pause, 'stop' => $stop,
                  'reset' => $reset] as $member => $cond) {
            if ($cond !== null) {
                $keep[] = $b = Native::buffer(Convert::str($cond, $member));
                $d->$member = Native::ptr($b);
            }
        }
        $n = count($targets);
        $tg = $ffi->new('itsm_agreement_target[' . max($n, 1) . ']');
        $i = 0;
        foreach ($targets as $priority => $target) {
            [$len, $cal] = is_array($target) ? [$target[0], $target[1] ?? null] : [$target, null];
            $tg[$i]->priority = Convert::int($priority, 'target priority');
            $tg[$i]->seconds = Convert::u32($len, 'agreement target');
            if ($cal !== null) {
                $keep[] = $b = Native::buffer(Convert::str($cal, 'calendar'));
                $tg[$i]->calendar = Native::ptr($b);
            }
            $i++;
        }
        $d->targets = $n > 0 ? FFI::addr($tg[0]) : null;
        $d->ntargets = $n;
        [$d->warnings, $d->nwarnings, $keep[]] = self::permille($warnings);
        [$d->breaches, $d->nbreaches, $keep[]] = self::permille($breaches);
        $d->climb = $climb ? 1 : 0;
        $perr = $ffi->new('itsm_parse_error');
        $rc = $ffi->itsm_policy_set_agreement($this->cdata(), FFI::addr($d), FFI::addr($perr));
        unset($keep);
        if (($rc === Native::ITSM_EPARSE || $rc === Native::ITSM_ELIMIT) && $perr->line > 0) {
            throw Engine::error($rc, Native::chars($perr->text), $perr);
        }
        $this->checkRc($rc);
        return $this;
    }

    /** Remove an agreement (NotFound when there is none of that name). */
    public function removeAgreement(string $name): static
    {
        $this->checkRc(Native::ffi()->itsm_policy_remove_agreement($this->cdata(), Convert::str($name, 'agreement name')));
        return $this;
    }

    /** @return list<string> the agreements' names, in the order added */
    public function agreements(): array
    {
        $ffi = Native::ffi();
        $p = $this->cdata();
        $out = [];
        $n = (int) $ffi->itsm_policy_agreement_count($p);
        for ($i = 0; $i < $n; $i++) {
            $out[] = (string) $ffi->itsm_policy_agreement_name($p, $i);
        }
        return $out;
    }

    /**
     * Records for which $when holds get SLA $sla (tried in the order added,
     * after an SLA set by hand, before the service mapping and the default).
     */
    public function addSlaRule(string $when, string $sla): static
    {
        $this->checkRc(Native::ffi()->itsm_policy_add_sla_rule($this->cdata(), Convert::str($when, 'condition'),
            Convert::str($sla, 'SLA name')));
        return $this;
    }

    /** An incident for which $when holds as opened goes to $group (tried before the category/service table). */
    public function addRouteWhen(string $when, string $group): static
    {
        $this->checkRc(Native::ffi()->itsm_policy_add_route_when($this->cdata(), Convert::str($when, 'condition'),
            Convert::str($group, 'group')));
        return $this;
    }

    /**
     * Fractions as permille, for the warnings and breaches of an agreement.
     *
     * @param list<float|int> $fractions
     * @return array{?FFI\CData, int, FFI\CData}
     */
    private static function permille(array $fractions): array
    {
        $n = count($fractions);
        $arr = Native::ffi()->new('unsigned[' . max($n, 1) . ']');
        foreach (array_values($fractions) as $i => $f) {
            if (!is_int($f) && !is_float($f)) {
                throw new InvalidArgument('a fraction of the target must be a number, not ' . var_export($f, true),
                    Native::ITSM_EINVAL);
            }
            $v = round($f * 1000);
            // checked as a float: (int) of NaN is 0 and of 1e30 is anything
            if (!is_finite($v) || $v < 0 || $v > 4294967295) {
                throw new InvalidArgument("a fraction of the target ($f) is outside 0..4294967.295",
                    Native::ITSM_EINVAL);
            }
            $arr[$i] = (int) $v;
        }
        return [$n > 0 ? FFI::addr($arr[0]) : null, $n, $arr];
    }
}
