<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateInterval;
use DateTimeImmutable;
use DateTimeInterface;
use FFI;
use FFI\CData;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\ItsmException;
use Itsm\Exception\PolicyError;
use Itsm\Exception\StateError;
use Itsm\Internal\Convert;
use Itsm\Internal\Native;
use Itsm\Internal\PolicyAgreement;
use Itsm\Internal\PolicyChange;
use Itsm\Internal\PolicyFields;
use Itsm\Internal\PolicyServices;

/**
 * A policy: lifecycles as data, the priority matrix, service levels,
 * escalation, problem rules and handover checklists (policy.h and the
 * policy parts of the other headers). Built in code or read from a policy
 * document (docs/policy.md).
 *
 * An engine copies the policy it is given: a Policy can be changed or
 * closed afterwards. close() frees it now, __destruct otherwise.
 */
final class Policy
{
    use PolicyServices;
    use PolicyChange;
    use PolicyAgreement;
    use PolicyFields;

    private ?CData $ptr;

    private function __construct(CData $ptr)
    {
        $this->ptr = $ptr;
    }

    /** The default policy: five lifecycles and the default priority matrix. */
    public static function default(): self
    {
        return self::make('itsm_policy_new_default');
    }

    /** An empty policy: no lifecycles, the default priority matrix. */
    public static function empty(): self
    {
        return self::make('itsm_policy_new_empty');
    }

    private static function make(string $fn): self
    {
        $ffi = Native::ffi();
        $out = $ffi->new('itsm_policy*');
        $rc = $ffi->$fn(FFI::addr($out), null);
        if ($rc !== Native::ITSM_OK) {
            throw ItsmException::fromCode($rc);
        }
        return new self($out);
    }

    /**
     * Read a policy document. With $check (the default) a policy with
     * findings is refused (PolicyError with its findings); syntax and schema
     * errors are ParseError / LimitExceeded with the position.
     */
    public static function fromJson(string $json, bool $check = true, ?JsonLimits $limits = null): self
    {
        $ffi = Native::ffi();
        $out = $ffi->new('itsm_policy*');
        $perr = $ffi->new('itsm_parse_error');
        $lim = null;
        if ($limits !== null) {
            $lim = $ffi->new('itsm_json_limits');
            $limits->fill($lim);
        }
        $fn = $check ? 'itsm_policy_from_json' : 'itsm_policy_parse_json';
        $rc = $ffi->$fn(FFI::addr($out), $json, strlen($json), null, $lim === null ? null : FFI::addr($lim),
            FFI::addr($perr));
        if ($rc !== Native::ITSM_OK) {
            $text = Native::chars($perr->text);
            if ($rc === Native::ITSM_EPOLICY) {
                $draft = self::fromJson($json, false, $limits);
                $findings = $draft->check();
                $draft->close();
                throw PolicyError::withFindings($text !== '' ? $text : 'the policy has findings', $findings);
            }
            $where = $perr->line > 0 ? "policy line {$perr->line}, column {$perr->column}: " : 'policy: ';
            throw Engine::error($rc, $text !== '' ? $where . $text : '', $perr);
        }
        return new self($out);
    }

    /** @internal a copy of a C policy (the engine's own) */
    public static function cloneOf(CData $policy): self
    {
        $ffi = Native::ffi();
        $out = $ffi->new('itsm_policy*');
        $rc = $ffi->itsm_policy_clone(FFI::addr($out), $policy);
        if ($rc !== Native::ITSM_OK) {
            throw ItsmException::fromCode($rc);
        }
        return new self($out);
    }

    /** A deep copy. */
    public function copy(): self
    {
        return self::cloneOf($this->cdata());
    }

    /** @internal the C policy; StateError once closed */
    public function cdata(): CData
    {
        return $this->ptr ?? throw new StateError('policy is closed');
    }

    public function close(): void
    {
        if ($this->ptr !== null) {
            Native::ffi()->itsm_policy_free($this->ptr);
            $this->ptr = null;
        }
    }

    public function __destruct()
    {
        $this->close();
    }

    /** After a changing call: throw with the policy's own message. */
    private function checkRc(int $rc): void
    {
        if ($rc !== Native::ITSM_OK) {
            throw ItsmException::fromCode($rc, (string) Native::ffi()->itsm_policy_errmsg($this->cdata()));
        }
    }

    /** The policy document (JSON). */
    public function toJson(): string
    {
        [$rc, $json] = Native::writer('itsm_policy_to_json', $this->cdata());
        if ($rc !== Native::ITSM_OK) {
            throw ItsmException::fromCode($rc);
        }
        return $json;
    }

    /**
     * Map $role ("resolve", "known_error", "auto_close", ...: what the
     * engine needs to find in a lifecycle, itsm/policy.h "roles") of $kind to
     * a state, event or value of this policy; null goes back to the default.
     * The name is checked by check(), not here. InvalidArgument for an
     * unknown role, or a role the kind does not have.
     */
    public function setRole(string $kind, string $role, ?string $name): self
    {
        $this->checkRc(Native::ffi()->itsm_policy_set_role($this->cdata(), Engine::kindCode($kind),
            self::roleCode($role), Convert::strOrNull($name, 'name')));
        return $this;
    }

    /** The name $role of $kind maps to (the explicit one, else the default), or null. */
    public function role(string $kind, string $role): ?string
    {
        return Native::ffi()->itsm_policy_role($this->cdata(), Engine::kindCode($kind), self::roleCode($role));
    }

    private static function roleCode(string $role): int
    {
        $ffi = Native::ffi();
        $out = $ffi->new('itsm_role');
        if ($ffi->itsm_role_from_name(FFI::addr($out), Convert::str($role, 'role')) !== Native::ITSM_OK) {
            throw new InvalidArgument("unknown role '$role'", Native::ITSM_EINVAL);
        }
        return (int) $out->cdata;
    }

    /**
     * Check a condition (docs/conditions.md) against this policy's names:
     * ParseError (or LimitExceeded) with the line and column within the
     * text and the reason when it is not a valid condition.
     */
    public function checkCondition(string $text): void
    {
        $ffi = Native::ffi();
        $perr = $ffi->new('itsm_parse_error');
        $rc = $ffi->itsm_policy_check_condition($this->cdata(), Convert::str($text, 'condition'), strlen($text),
            FFI::addr($perr));
        if ($rc !== Native::ITSM_OK) {
            throw Engine::error($rc, Native::chars($perr->text), $perr);
        }
    }

    /** @return list<string> the findings of a check of every lifecycle ([] = sound) */
    public function check(): array
    {
        $ffi = Native::ffi();
        $p = $this->cdata();
        $n = (int) $ffi->itsm_policy_check($p);
        $out = [];
        for ($i = 0; $i < $n; $i++) {
            $out[] = (string) $ffi->itsm_policy_finding($p, $i);
        }
        return $out;
    }

    // ---- priority matrix and counters ------------------------------------------------

    /** The priority (1..5) for impact and urgency (1..3); null out of range. */
    public function priority(int $impact, int $urgency): ?int
    {
        if ($impact < -2147483648 || $impact > 2147483647 || $urgency < -2147483648 || $urgency > 2147483647) {
            return null;    // beyond a C int: out of range as well (FFI would wrap it into range)
        }
        $p = (int) Native::ffi()->itsm_policy_priority($this->cdata(), $impact, $urgency);
        return $p === 0 ? null : $p;
    }

    public function setPriority(int $impact, int $urgency, int $priority): self
    {
        $this->checkRc(Native::ffi()->itsm_policy_set_priority($this->cdata(), Convert::int($impact, 'impact'),
            Convert::int($urgency, 'urgency'), Convert::int($priority, 'priority')));
        return $this;
    }

    /** @return array<int, array<int, int>> [impact][urgency] => priority */
    public function priorityMatrix(): array
    {
        $out = [];
        for ($i = 1; $i <= 3; $i++) {
            for ($u = 1; $u <= 3; $u++) {
                $out[$i][$u] = (int) $this->priority($i, $u);
            }
        }
        return $out;
    }

    /** What counts a reassignment: "group", "group_or_assignee" or "group_change". */
    public function reassignmentRule(): string
    {
        $rule = (int) Native::ffi()->itsm_policy_reassignment_rule($this->cdata());
        return (string) array_search($rule, Native::REASSIGN_RULES, true);
    }

    public function setReassignmentRule(string $rule): self
    {
        $code = Native::REASSIGN_RULES[$rule] ?? throw new InvalidArgument("unknown reassignment rule '$rule' "
            . '(one of: ' . implode(', ', array_keys(Native::REASSIGN_RULES)) . ')', Native::ITSM_EINVAL);
        $this->checkRc(Native::ffi()->itsm_policy_set_reassignment_rule($this->cdata(), $code));
        return $this;
    }

    // ---- lifecycles -----------------------------------------------------------------------

    /** Remove every state, event and transition of one kind's lifecycle. */
    public function clearLifecycle(string $kind): self
    {
        $this->checkRc(Native::ffi()->itsm_policy_lifecycle_clear($this->cdata(), Engine::kindCode($kind)));
        return $this;
    }

    /** Add a state; $initial (exactly one per lifecycle) and/or $closed (terminal). */
    public function addState(string $kind, string $state, bool $initial = false, bool $closed = false): self
    {
        $flags = ($initial ? Native::ITSM_STATE_INITIAL : 0) | ($closed ? Native::ITSM_STATE_CLOSED : 0);
        $this->checkRc(Native::ffi()->itsm_policy_add_state($this->cdata(), Engine::kindCode($kind),
            Convert::str($state, 'state'), $flags));
        return $this;
    }

    public function addEvent(string $kind, string $event): self
    {
        $this->checkRc(Native::ffi()->itsm_policy_add_event($this->cdata(), Engine::kindCode($kind),
            Convert::str($event, 'event')));
        return $this;
    }

    /**
     * Add a transition $from --$event--> $to ($from may be "*": any open
     * state), with an optional guard ("resolution_code workaround|no_workaround"),
     * stamp ("responded_at? resolved_at") and clear ("hold_reason").
     */
    public function addTransition(string $kind, string $from, string $event, string $to, ?string $guard = null,
                                  ?string $stamp = null, ?string $clear = null, bool $countsReopen = false): self
    {
        $ffi = Native::ffi();
        $d = $ffi->new('itsm_transition_def');
        $ffi->itsm_transition_def_init(FFI::addr($d), Native::ITSM_TRANSITION_DEF_VERSION);
        $keep = [];
        foreach (['from' => $from, 'event' => $event, 'to' => $to, 'guard' => $guard, 'stamp' => $stamp,
                  'clear' => $clear] as $member => $value) {
            if ($value !== null) {
                $keep[] = $buf = Native::buffer(Convert::str($value, $member));
                $d->$member = FFI::addr($buf[0]);
            }
        }
        $d->counts_reopen = $countsReopen ? 1 : 0;
        $this->checkRc($ffi->itsm_policy_add_transition($this->cdata(), Engine::kindCode($kind), FFI::addr($d)));
        return $this;
    }

    // ---- the version identity (docs/policy.md, "Versions") ---------------------------

    /** The version's name (null: unnamed); part of the document and so of its hash. */
    public function name(): ?string
    {
        $name = Native::ffi()->itsm_policy_name($this->cdata());
        return $name === null ? null : (string) $name;
    }

    /** Set the name (1..64 bytes, no control characters; InvalidArgument otherwise) or, with null, clear it. */
    public function setName(?string $name): self
    {
        $this->checkRc(Native::ffi()->itsm_policy_set_name($this->cdata(),
            $name === null ? null : Convert::str($name, 'policy name')));
        return $this;
    }

    /**
     * The content hash: SHA-256 of toJson(), 64 lowercase hex digits. Its
     * first 16 are the version id every event records ("pv").
     */
    public function hash(): string
    {
        $ffi = Native::ffi();
        $hex = $ffi->new('char[65]');
        $rc = $ffi->itsm_policy_hash($this->cdata(), $hex);
        if ($rc !== Native::ITSM_OK) {
            throw ItsmException::fromCode($rc);
        }
        return FFI::string($hex);
    }

    // ---- calendars (sla.h), for the engine as well -------------------------------------

    /** Working seconds between two instants on a calendar of this policy. */
    public function calendarWork(string $calendar, DateTimeInterface|int $from, DateTimeInterface|int $to): int
    {
        return self::work($this->cdata(), $calendar, $from, $to);
    }

    /** The instant $seconds of working time after $from. */
    public function calendarAdd(string $calendar, DateTimeInterface|int $from, DateInterval|int $seconds): DateTimeImmutable
    {
        return self::add($this->cdata(), $calendar, $from, $seconds);
    }

    /** The calendar's offset from UTC (seconds east) in effect at $at, e.g. 7200 for Paris in summer. */
    public function calendarUtcOffset(string $calendar, DateTimeInterface|int $at): int
    {
        return self::utcOffset($this->cdata(), $calendar, $at);
    }

    /** @internal */
    public static function utcOffset(CData $policy, string $calendar, DateTimeInterface|int $at): int
    {
        $ffi = Native::ffi();
        $out = $ffi->new('int32_t');
        $rc = $ffi->itsm_calendar_utc_offset(FFI::addr($out), $policy, Convert::str($calendar, 'calendar'),
            Convert::time($at, 'at'));
        if ($rc !== Native::ITSM_OK) {
            throw ItsmException::fromCode($rc, $rc === Native::ITSM_ENOTFOUND ? "no calendar '$calendar'" : '');
        }
        return (int) $out->cdata;
    }

    /** @internal */
    public static function work(CData $policy, string $calendar, DateTimeInterface|int $from,
                                DateTimeInterface|int $to): int
    {
        $ffi = Native::ffi();
        $out = $ffi->new('int64_t');
        $rc = $ffi->itsm_calendar_work(FFI::addr($out), $policy, Convert::str($calendar, 'calendar'),
            Convert::time($from, 'from'), Convert::time($to, 'to'));
        if ($rc !== Native::ITSM_OK) {
            throw ItsmException::fromCode($rc, $rc === Native::ITSM_ENOTFOUND ? "no calendar '$calendar'" : '');
        }
        return (int) $out->cdata;
    }

    /** @internal */
    public static function add(CData $policy, string $calendar, DateTimeInterface|int $from,
                               DateInterval|int $seconds): DateTimeImmutable
    {
        $ffi = Native::ffi();
        $out = $ffi->new('itsm_time');
        $s = Convert::seconds($seconds, 'working time');
        $rc = $ffi->itsm_calendar_add(FFI::addr($out), $policy, Convert::str($calendar, 'calendar'),
            Convert::time($from, 'from'), $s);
        if ($rc !== Native::ITSM_OK) {
            throw ItsmException::fromCode($rc, match ($rc) {
                Native::ITSM_ENOTFOUND => "no calendar '$calendar'",
                Native::ITSM_EINVAL => $s < 0 ? 'working time must not be negative' : '',
                default => '',
            });
        }
        return Convert::fromC((int) $out->cdata) ?? new DateTimeImmutable('@0');
    }
}
