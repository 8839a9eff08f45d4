<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use FFI;
use FFI\CData;
use Itsm\Exception\LibraryVersionError;

/**
 * The FFI handle on libitsm, and the C header's macros and enum constants.
 *
 * Every constant here has the exact name of a macro or enum constant of
 * <itsm.h>: tests/HeaderTest.php compiles each one against the installed
 * headers and compares the values, as it does for the declarations in
 * ffi/itsm.h. Not part of the public API.
 *
 * @internal
 */
final class Native
{
    // ---- version.h: the version these declarations were written for ---------
    public const ITSM_VERSION_MAJOR = 0;
    public const ITSM_VERSION_MINOR = 2;

    // ---- common.h -------------------------------------------------------------
    public const ITSM_TIME_MIN = 0;
    public const ITSM_TIME_MAX = 253402300799;
    public const ITSM_TIME_NONE = -1;

    // ---- errors.h -------------------------------------------------------------
    public const ITSM_OK = 0;
    public const ITSM_ENOMEM = -1;
    public const ITSM_EINVAL = -2;
    public const ITSM_ENOTFOUND = -3;
    public const ITSM_EEXISTS = -4;
    public const ITSM_ETRANSITION = -5;
    public const ITSM_EGUARD = -6;
    public const ITSM_ECONFLICT = -7;
    public const ITSM_ESTORE = -8;
    public const ITSM_EPARSE = -9;
    public const ITSM_ELIMIT = -10;
    public const ITSM_EPOLICY = -11;
    public const ITSM_ESTATE = -12;
    public const ITSM_EUSER = -13;
    public const ITSM_ECLOCK = -14;
    public const ITSM_ETAMPER = -15;

    // ---- record.h -------------------------------------------------------------
    public const ITSM_MAX_TEXT = 65536;
    public const ITSM_MAX_SYMBOL = 255;
    public const ITSM_RECORD_OPTS_VERSION = 1;
    public const ITSM_NOTE_OPTS_VERSION = 1;
    public const ITSM_WHATIF_OPTS_VERSION = 1;
    public const ITSM_TYPE_TEXT = 1;
    public const ITSM_TYPE_SYMBOL = 2;
    public const ITSM_TYPE_INT = 3;
    public const ITSM_TYPE_BOOL = 4;
    public const ITSM_TYPE_TIME = 5;
    public const ITSM_TYPE_ENUM = 6;
    public const ITSM_F_CUSTOM_FIRST = 1024;
    public const ITSM_MAX_CUSTOM_FIELDS = 32;
    public const ITSM_FIELD_DEF_VERSION = 1;
    public const ITSM_NOTE_WORK = 1;
    public const ITSM_NOTE_CUSTOMER = 2;
    public const ITSM_NOTE_SYSTEM = 3;
    public const ITSM_LINK_RELATED = 1;
    public const ITSM_LINK_PARENT = 2;
    public const ITSM_LINK_CHILD = 3;

    // ---- policy.h -------------------------------------------------------------
    public const ITSM_STATE_INITIAL = 0x1;
    public const ITSM_STATE_CLOSED = 0x2;
    public const ITSM_TRANSITION_DEF_VERSION = 1;
    public const ITSM_REASSIGN_GROUP = 0;
    public const ITSM_REASSIGN_GROUP_OR_ASSIGNEE = 1;
    public const ITSM_REASSIGN_GROUP_CHANGE = 2;

    // ---- engine.h, sys/store.h ------------------------------------------------
    public const ITSM_ENGINE_OPTS_VERSION = 2;
    public const ITSM_STORE_VERSION = 3;
    public const ITSM_SCHEDULE_QUERY_VERSION = 1;
    public const ITSM_STORE_GROUP_BEGIN = 1;
    public const ITSM_STORE_GROUP_COMMIT = 2;
    public const ITSM_STORE_GROUP_ABORT = 3;

    // ---- problem.h ------------------------------------------------------------
    public const ITSM_PROBLEM_RULES_VERSION = 2;
    public const ITSM_DECISION_OPTS_VERSION = 1;
    public const ITSM_PROBLEM_OPEN_OPTS_VERSION = 1;
    public const ITSM_ANSWER_NO = 0;
    public const ITSM_ANSWER_YES = 1;
    public const ITSM_ANSWER_FROM_RECORD = -1;

    // ---- sla.h ----------------------------------------------------------------
    public const ITSM_CALENDAR_DEF_VERSION = 2;
    public const ITSM_SLA_DEF_VERSION = 1;
    public const ITSM_TIMER_RESPONSE = 0;
    public const ITSM_TIMER_RESOLUTION = 1;
    public const ITSM_TIMER_OLA = 2;
    public const ITSM_TIMER_NEXT_UPDATE = 3;
    public const ITSM_TIMER_NONE = 0;
    public const ITSM_TIMER_RUNNING = 1;
    public const ITSM_TIMER_PAUSED = 2;
    public const ITSM_TIMER_STOPPED = 3;
    public const ITSM_AGING_BY_AGE = 1;
    public const ITSM_AGING_BY_BREACH = 2;

    // ---- escalation.h ---------------------------------------------------------
    public const ITSM_MAJOR_POLICY_VERSION = 1;
    public const ITSM_MAJOR_NONE = 0;
    public const ITSM_MAJOR_PROPOSED = 1;
    public const ITSM_MAJOR_ACCEPTED = 2;
    public const ITSM_MAJOR_REJECTED = 3;
    public const ITSM_PHASE_NONE = 0;
    public const ITSM_PHASE_INITIAL = 1;
    public const ITSM_PHASE_POST = 2;
    public const ITSM_PHASE_RESOLUTION = 3;

    // ---- communication.h, knowledge.h -----------------------------------------
    public const ITSM_AUDIENCE_NONE = 0;
    public const ITSM_AUDIENCE_BROADCAST = 1;
    public const ITSM_AUDIENCE_CALLERS = 2;
    public const ITSM_KNOWLEDGE_QUERY_VERSION = 1;
    public const ITSM_MATCH_KNOWN_ERROR = 1;
    public const ITSM_MATCH_ARTICLE = 2;
    public const ITSM_MATCH_INCIDENT = 3;

    // ---- handover.h -----------------------------------------------------------
    public const ITSM_PT_OBJECT = 0;
    public const ITSM_PT_DEFECT = 1;
    public const ITSM_PT_WHAT_IS = 2;
    public const ITSM_PT_WHAT_IS_NOT = 3;
    public const ITSM_PT_WHERE_IS = 4;
    public const ITSM_PT_WHERE_IS_NOT = 5;
    public const ITSM_PT_WHEN_IS = 6;
    public const ITSM_PT_WHEN_IS_NOT = 7;
    public const ITSM_PT_EXTENT_IS = 8;
    public const ITSM_PT_EXTENT_IS_NOT = 9;
    public const ITSM_PT_STATUS = 10;
    public const ITSM_PT_SENDER = 11;
    public const ITSM_PT_SENDER_GROUP = 12;
    public const ITSM_PT_RECEIVER = 13;
    public const ITSM_PT_RECEIVER_GROUP = 14;
    public const ITSM_PT__COUNT = 15;
    public const ITSM_PL_ACTIONS = 0;
    public const ITSM_PL_COMMUNICATIONS = 1;
    public const ITSM_PL_HYPOTHESES = 2;
    public const ITSM_PL_OTHER_PLACES = 3;
    public const ITSM_PL_IDENTICAL_THINGS = 4;
    public const ITSM_PL_ENGAGED_GROUPS = 5;
    public const ITSM_PL_OPEN_ACTIONS = 6;
    public const ITSM_PL__COUNT = 7;
    public const ITSM_PACKET_DRAFT = 1;
    public const ITSM_PACKET_PROPOSED = 2;
    public const ITSM_PACKET_ACKNOWLEDGED = 3;
    public const ITSM_PACKET_REJECTED = 4;
    public const ITSM_DELIVERABLE_PENDING = 1;
    public const ITSM_DELIVERABLE_DELIVERED = 2;
    public const ITSM_DELIVERABLE_APPROVED = 3;
    public const ITSM_DELIVERABLE_REJECTED = 4;

    // ---- report.h -------------------------------------------------------------
    public const ITSM_REPORT_OPTS_VERSION = 2;
    public const ITSM_MEASURE_COUNT = 6;
    public const ITSM_REPORT_AGING_BUCKETS = 5;

    // ---- request.h, problem.h (proposals), satisfaction.h, report.h (satisfaction) ----
    public const ITSM_TASK_WAITING = 0;
    public const ITSM_TASK_OPEN = 1;
    public const ITSM_TASK_DONE = 2;
    public const ITSM_TASK_CANCELED = 3;
    public const ITSM_PROPOSAL_PENDING = 1;
    public const ITSM_PROPOSAL_ACCEPTED = 2;
    public const ITSM_PROPOSAL_DISMISSED = 3;
    public const ITSM_SURVEY_SCALE_VERSION = 1;
    public const ITSM_SURVEY_MAX_POINTS = 11;
    public const ITSM_SURVEY_ALL = 0;
    public const ITSM_SURVEY_BY_GROUP = 1;
    public const ITSM_SURVEY_BY_SERVICE = 2;
    public const ITSM_SURVEY_BY_WEEK = 3;
    // ---- approval.h, change.h: policy builders ------------------------------------
    public const ITSM_APPROVAL_ANY = 1;
    public const ITSM_APPROVAL_ALL = 2;
    public const ITSM_APPROVAL_QUORUM = 3;
    public const ITSM_APPROVAL_SOD_REQUESTER = 0x1;
    public const ITSM_APPROVAL_SOD_IMPLEMENTER = 0x2;
    public const ITSM_APPROVAL_LEVEL_DEF_VERSION = 1;
    public const ITSM_APPROVAL_RULE_DEF_VERSION = 1;
    public const ITSM_RISK_QUESTION_DEF_VERSION = 1;
    public const ITSM_BLACKOUT_DEF_VERSION = 1;
    public const ITSM_SCHEDULE_RULES_VERSION = 1;
    // ---- agreement.h ------------------------------------------------------------
    public const ITSM_AGREEMENT_DEF_VERSION = 1;
    public const ITSM_AGREEMENT_SLA = 1;
    public const ITSM_AGREEMENT_OLA = 2;
    public const ITSM_AGREEMENT_UC = 3;
    public const ITSM_AGREEMENT_NONE = 0;
    public const ITSM_AGREEMENT_PENDING = 1;
    public const ITSM_AGREEMENT_RUNNING = 2;
    public const ITSM_AGREEMENT_PAUSED = 3;
    public const ITSM_AGREEMENT_STOPPED = 4;
    public const ITSM_AGREEMENT_CANCELLED = 5;
    public const ITSM_VERDICT_PENDING = 0;
    public const ITSM_VERDICT_MET = 1;
    public const ITSM_VERDICT_BREACHED = 2;
    /** Names the binding shows for an agreement's type, status and verdict. */
    public const AGREEMENT_TYPES = [self::ITSM_AGREEMENT_SLA => 'sla', self::ITSM_AGREEMENT_OLA => 'ola',
                                    self::ITSM_AGREEMENT_UC => 'uc'];
    public const AGREEMENT_STATUS = [self::ITSM_AGREEMENT_NONE => 'none', self::ITSM_AGREEMENT_PENDING => 'pending',
        self::ITSM_AGREEMENT_RUNNING => 'running', self::ITSM_AGREEMENT_PAUSED => 'paused',
        self::ITSM_AGREEMENT_STOPPED => 'stopped', self::ITSM_AGREEMENT_CANCELLED => 'cancelled'];
    public const AGREEMENT_VERDICTS = [self::ITSM_VERDICT_PENDING => 'pending', self::ITSM_VERDICT_MET => 'met',
                                       self::ITSM_VERDICT_BREACHED => 'breached'];
    // ---- oncall.h ---------------------------------------------------------------
    public const ITSM_ONCALL_DEF_VERSION = 1;
    public const ITSM_ALERT_VERSION = 1;
    public const ITSM_ONCALL_NONE = 0;
    public const ITSM_ONCALL_PAGING = 1;
    public const ITSM_ONCALL_ACKNOWLEDGED = 2;
    public const ITSM_ONCALL_EXHAUSTED = 3;
    public const ITSM_ONCALL_STOPPED = 4;
    public const ITSM_ALERT_OPENED = 1;
    public const ITSM_ALERT_DUPLICATE = 2;
    public const ITSM_ALERT_GROUPED = 3;
    /** Names the binding shows for a climb's status and an alert's outcome. */
    public const ONCALL_STATUS = [self::ITSM_ONCALL_NONE => 'none', self::ITSM_ONCALL_PAGING => 'paging',
        self::ITSM_ONCALL_ACKNOWLEDGED => 'acknowledged', self::ITSM_ONCALL_EXHAUSTED => 'exhausted',
        self::ITSM_ONCALL_STOPPED => 'stopped'];
    public const ALERT_OUTCOMES = [self::ITSM_ALERT_OPENED => 'opened', self::ITSM_ALERT_DUPLICATE => 'duplicate',
                                   self::ITSM_ALERT_GROUPED => 'grouped'];
    // ---- conformance.h ----------------------------------------------------------
    public const ITSM_OBSERVED_MOVE_VERSION = 1;

    /** Names the binding shows for C values, in the order of the constants above. */
    public const NOTE_KINDS = [self::ITSM_NOTE_WORK => 'work', self::ITSM_NOTE_CUSTOMER => 'customer',
                               self::ITSM_NOTE_SYSTEM => 'system'];
    /** itsm_need_kind: what a missing guard term asks for (GuardNeed::$kind). */
    public const NEED_KINDS = [1 => 'field', 2 => 'any_of', 3 => 'value', 4 => 'link', 5 => 'term'];
    /** itsm_collision_on: what two colliding changes share. */
    public const COLLISION_ON = [1 => 'ci', 2 => 'service'];
    /** itsm_level_status: where one level of an approval is. */
    public const LEVEL_STATUS = [1 => 'pending', 2 => 'approved', 3 => 'rejected'];
    public const LINK_KINDS = [self::ITSM_LINK_RELATED => 'related', self::ITSM_LINK_PARENT => 'parent',
                               self::ITSM_LINK_CHILD => 'child'];
    public const TIMERS = ['response' => self::ITSM_TIMER_RESPONSE, 'resolution' => self::ITSM_TIMER_RESOLUTION,
                           'ola' => self::ITSM_TIMER_OLA, 'next_update' => self::ITSM_TIMER_NEXT_UPDATE];
    public const TIMER_STATUS = [self::ITSM_TIMER_NONE => 'none', self::ITSM_TIMER_RUNNING => 'running',
                                 self::ITSM_TIMER_PAUSED => 'paused', self::ITSM_TIMER_STOPPED => 'stopped'];
    public const MAJOR_STATES = [self::ITSM_MAJOR_NONE => 'none', self::ITSM_MAJOR_PROPOSED => 'proposed',
                                 self::ITSM_MAJOR_ACCEPTED => 'accepted', self::ITSM_MAJOR_REJECTED => 'rejected'];
    public const MAJOR_PHASES = [self::ITSM_PHASE_NONE => 'none', self::ITSM_PHASE_INITIAL => 'initial',
                                 self::ITSM_PHASE_POST => 'post', self::ITSM_PHASE_RESOLUTION => 'resolution'];
    public const AUDIENCES = [self::ITSM_AUDIENCE_BROADCAST => 'broadcast', self::ITSM_AUDIENCE_CALLERS => 'callers'];
    public const MATCH_SOURCES = [self::ITSM_MATCH_KNOWN_ERROR => 'known_error', self::ITSM_MATCH_ARTICLE => 'article',
                                  self::ITSM_MATCH_INCIDENT => 'incident'];
    public const PACKET_STATES = [self::ITSM_PACKET_DRAFT => 'draft', self::ITSM_PACKET_PROPOSED => 'proposed',
                                  self::ITSM_PACKET_ACKNOWLEDGED => 'acknowledged',
                                  self::ITSM_PACKET_REJECTED => 'rejected'];
    public const PACKET_TEXTS = ['object' => self::ITSM_PT_OBJECT, 'defect' => self::ITSM_PT_DEFECT,
        'what_is' => self::ITSM_PT_WHAT_IS, 'what_is_not' => self::ITSM_PT_WHAT_IS_NOT,
        'where_is' => self::ITSM_PT_WHERE_IS, 'where_is_not' => self::ITSM_PT_WHERE_IS_NOT,
        'when_is' => self::ITSM_PT_WHEN_IS, 'when_is_not' => self::ITSM_PT_WHEN_IS_NOT,
        'extent_is' => self::ITSM_PT_EXTENT_IS, 'extent_is_not' => self::ITSM_PT_EXTENT_IS_NOT,
        'status' => self::ITSM_PT_STATUS, 'sender' => self::ITSM_PT_SENDER,
        'sender_group' => self::ITSM_PT_SENDER_GROUP, 'receiver' => self::ITSM_PT_RECEIVER,
        'receiver_group' => self::ITSM_PT_RECEIVER_GROUP];
    public const PACKET_LISTS = ['actions' => self::ITSM_PL_ACTIONS, 'communications' => self::ITSM_PL_COMMUNICATIONS,
        'hypotheses' => self::ITSM_PL_HYPOTHESES, 'other_places' => self::ITSM_PL_OTHER_PLACES,
        'identical_things' => self::ITSM_PL_IDENTICAL_THINGS, 'engaged_groups' => self::ITSM_PL_ENGAGED_GROUPS,
        'open_actions' => self::ITSM_PL_OPEN_ACTIONS];
    public const DELIVERABLE_STATUS = ['pending' => self::ITSM_DELIVERABLE_PENDING,
        'delivered' => self::ITSM_DELIVERABLE_DELIVERED, 'approved' => self::ITSM_DELIVERABLE_APPROVED,
        'rejected' => self::ITSM_DELIVERABLE_REJECTED];
    public const REASSIGN_RULES = ['group' => self::ITSM_REASSIGN_GROUP,
        'group_or_assignee' => self::ITSM_REASSIGN_GROUP_OR_ASSIGNEE,
        'group_change' => self::ITSM_REASSIGN_GROUP_CHANGE];

    private static ?FFI $ffi = null;
    private static string $path = '';
    private static string $source = '';

    /** The loaded library (loaded and version-checked on first use). */
    public static function ffi(): FFI
    {
        if (self::$ffi === null) {
            [$ffi, self::$path, self::$source] = Library::load(self::declarations());
            if (!self::compatible((int) $ffi->itsm_version_number())) {
                throw new LibraryVersionError(sprintf(
                    'the itsm library at %s is version %s; this binding needs %d.%d%s',
                    self::$path, (string) $ffi->itsm_version_string(), self::ITSM_VERSION_MAJOR,
                    self::ITSM_VERSION_MINOR, ' or a later minor version'));
            }
            self::$ffi = $ffi;
        }
        return self::$ffi;
    }

    /**
     * Whether a library version (itsm_version_number) suits these
     * declarations: the same major version and at least the same minor one
     * (from 0.2 on a minor release only adds: README "Versioning").
     */
    public static function compatible(int $version): bool
    {
        $major = intdiv($version, 10000);
        $minor = intdiv($version, 100) % 100;
        return $major === self::ITSM_VERSION_MAJOR && $minor >= self::ITSM_VERSION_MINOR;
    }

    /** Where the library was loaded from, and how it was found. */
    public static function path(): string
    {
        self::ffi();
        return self::$path;
    }

    public static function source(): string
    {
        self::ffi();
        return self::$source;
    }

    /** The declarations handed to FFI::cdef (ffi/itsm.h without comments). */
    public static function declarations(): string
    {
        $text = file_get_contents(dirname(__DIR__, 2) . '/ffi/itsm.h');
        if ($text === false) {
            throw new \RuntimeException('cannot read ' . dirname(__DIR__, 2) . '/ffi/itsm.h');
        }
        return (string) preg_replace('#/\*.*?\*/#s', '', $text);
    }

    // ---- helpers every class uses -----------------------------------------------

    /** A zeroed C value of the given type, owned by PHP. */
    public static function new(string $type): CData
    {
        return self::ffi()->new($type);
    }

    /**
     * Result structs the caller allocates and the library fills: they begin
     * with `size_t size`, set to the struct's size before the call
     * (common.h), so a later library with larger structs writes only the
     * members these declarations know; result() does that.
     */
    private const SIZED_RESULTS = [
        'itsm_timeline_entry', 'itsm_link', 'itsm_timer_info', 'itsm_aging_entry', 'itsm_decision',
        'itsm_packet_entry', 'itsm_deliverable', 'itsm_quality_entry', 'itsm_match', 'itsm_report_row',
        'itsm_report_stat', 'itsm_report_figures', 'itsm_report_sla_figures', 'itsm_report_sender',
        'itsm_report_trend', 'itsm_field_change', 'itsm_guard_need', 'itsm_allowed_event',
        'itsm_approval_info', 'itsm_risk_info', 'itsm_report_process', 'itsm_approval_level',
        'itsm_approval_decision', 'itsm_risk_answer', 'itsm_schedule_entry', 'itsm_collision',
        'itsm_task_info', 'itsm_problem_proposal', 'itsm_survey_answer', 'itsm_report_group',
        'itsm_report_survey', 'itsm_report_proposals', 'itsm_conformance_summary', 'itsm_conformance_move',
        'itsm_conformance_rule', 'itsm_agreement_info', 'itsm_agreement_entry', 'itsm_agreement_report',
        'itsm_oncall_info', 'itsm_review_info', 'itsm_review_cause', 'itsm_review_action',
    ];

    /**
     * A zeroed result struct (or array of $n of them) ready for the library
     * to fill: its size member set when it has one.
     */
    /** A GuardNeed from an itsm_guard_need the library filled. */
    public static function guardNeed(CData $g): \Itsm\GuardNeed
    {
        $kind = (int) $g->kind;
        $link = (int) $g->link_kind;
        return new \Itsm\GuardNeed(self::NEED_KINDS[$kind] ?? (string) $kind, $g->field, $g->value,
            $link !== 0 ? (string) self::ffi()->itsm_kind_name($link) : null, (string) $g->term);
    }

    public static function result(string $type, ?int $n = null): CData
    {
        $r = self::ffi()->new($n === null ? $type : $type . '[' . max($n, 1) . ']');
        if (in_array($type, self::SIZED_RESULTS, true)) {
            $first = $n === null ? $r : $r[0];
            $first->size = FFI::sizeof($first);
        }
        return $r;
    }

    /**
     * A C copy of a PHP string, for struct members of type const char *;
     * the returned array must stay referenced until the C call returns.
     */
    public static function buffer(string $s): CData
    {
        $buf = self::ffi()->new('char[' . (strlen($s) + 1) . ']');
        FFI::memcpy($buf, $s, strlen($s));
        return $buf;
    }

    /** A pointer to the first element of an owned C array (to store in a struct). */
    public static function ptr(CData $array): CData
    {
        return FFI::addr($array[0]);
    }

    /**
     * Call an snprintf-style writer fn(…, char *buf, size_t cap, size_t *len)
     * by name and return [code, text]. (By name: a first-class callable
     * of an FFI function crashes PHP 8.2.)
     *
     * @return array{int, string}
     */
    public static function writer(string $fn, mixed ...$args): array
    {
        $ffi = self::ffi();
        $len = $ffi->new('size_t');
        $rc = $ffi->$fn(...[...$args, null, 0, FFI::addr($len)]);
        if ($rc !== self::ITSM_OK && $rc !== self::ITSM_ELIMIT) {
            return [$rc, ''];
        }
        $n = (int) $len->cdata;
        $buf = $ffi->new('char[' . ($n + 1) . ']');
        $rc = $ffi->$fn(...[...$args, $buf, $n + 1, FFI::addr($len)]);
        return [$rc, $rc === self::ITSM_OK ? FFI::string($buf, $n) : ''];
    }

    /** A NUL-terminated char array member as a PHP string. */
    public static function chars(CData $array): string
    {
        return FFI::string($array);
    }
}
