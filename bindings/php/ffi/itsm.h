/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The declarations PHP's FFI reads (FFI::cdef): the part of <itsm.h> the
 * PHP binding calls, as plain C without the preprocessor (FFI has none).
 * Macros the binding needs (versions, limits, ITSM_TIME_NONE) are
 * constants of Itsm\Internal\Native. tests/HeaderTest.php compiles every
 * declaration here, and every one of those constants, against the real
 * headers, so a change there that this file misses fails the suite.
 * Keep one declaration per statement, and only C comments (FFI reads no
 * preprocessor lines).
 */

/* ---- common.h, version.h, errors.h, json.h ---- */
typedef int64_t itsm_time;
typedef struct itsm_allocator {
    void *(*malloc_fn)(void *user, size_t size);
    void *(*realloc_fn)(void *user, void *ptr, size_t size);
    void  (*free_fn)(void *user, void *ptr);
    void  *user;
} itsm_allocator;
int itsm_version_number(void);
const char *itsm_version_string(void);
const char *itsm_errstr(int code);
const char *itsm_errname(int code);
typedef struct itsm_json_limits {
    size_t max_document;
    size_t max_string;
    size_t max_depth;
} itsm_json_limits;
typedef struct itsm_parse_error {
    int    code;
    size_t line;
    size_t column;
    size_t offset;
    char   text[160];
} itsm_parse_error;

/* ---- record.h ---- */
typedef struct itsm_engine itsm_engine;
typedef struct itsm_record itsm_record;
typedef int itsm_kind;
typedef int itsm_field;
typedef int itsm_field_type;
typedef int itsm_note_kind;
typedef int itsm_link_kind;
const char *itsm_kind_name(itsm_kind kind);
int itsm_kind_from_name(itsm_kind *out, const char *name);
const char *itsm_field_name(itsm_field field);
int itsm_field_from_name(itsm_field *out, const char *name);
itsm_field_type itsm_field_type_of(itsm_field field);
int itsm_field_is_engine_owned(itsm_field field);
typedef struct itsm_change {
    itsm_field  field;
    const char *str;
    int64_t     num;
} itsm_change;
typedef struct itsm_record_opts {
    unsigned           version;
    itsm_kind          kind;
    const char        *id;
    const itsm_change *fields;
    size_t             nfields;
} itsm_record_opts;
int itsm_record_opts_init(itsm_record_opts *opts, unsigned version);
int itsm_record_open(itsm_record **out, itsm_engine *eng, const itsm_record_opts *opts);
int itsm_record_find(itsm_record **out, itsm_engine *eng, const char *id);
const char *itsm_record_id(const itsm_record *rec);
itsm_kind itsm_record_kind(const itsm_record *rec);
const char *itsm_record_state(const itsm_record *rec);
int itsm_record_is_open(const itsm_record *rec);
uint64_t itsm_record_revision(const itsm_record *rec);
const char *itsm_record_str(const itsm_record *rec, itsm_field field);
int64_t itsm_record_int(const itsm_record *rec, itsm_field field);
int itsm_record_has(const itsm_record *rec, itsm_field field);
int itsm_record_update(itsm_record *rec, const itsm_change *changes, size_t n);
int itsm_record_fire(itsm_record *rec, const char *event, const itsm_change *changes, size_t n);
typedef int itsm_need_kind;
typedef struct itsm_guard_need {
    size_t         size;
    itsm_need_kind kind;
    const char    *field;
    const char    *value;
    itsm_kind      link_kind;
    const char    *term;
} itsm_guard_need;
typedef struct itsm_allowed_event {
    size_t      size;
    const char *event;
    const char *to_state;
    size_t      nmissing;
} itsm_allowed_event;
size_t itsm_record_allowed_count(const itsm_record *rec);
int itsm_record_allowed_at(const itsm_record *rec, size_t index, itsm_allowed_event *out);
int itsm_record_allowed_need_at(const itsm_record *rec, size_t index, size_t need, itsm_guard_need *out);
size_t itsm_guard_missing_count(const itsm_engine *eng);
int itsm_guard_missing_at(const itsm_engine *eng, size_t index, itsm_guard_need *out);
typedef struct itsm_note_opts {
    unsigned       version;
    itsm_note_kind kind;
    const char    *text;
    itsm_time      expected_restoration;
    itsm_time      next_update;
} itsm_note_opts;
int itsm_note_opts_init(itsm_note_opts *opts, unsigned version);
int itsm_record_add_note(itsm_record *rec, const itsm_note_opts *opts);
typedef struct itsm_timeline_entry {
    size_t size;
    itsm_note_kind kind;
    itsm_time      at;
    const char    *author;
    const char    *text;
    itsm_time      expected_restoration;
    itsm_time      next_update;
    const char    *type;
    uint64_t       revision;
    const char    *event;
    const char    *from_state;
    const char    *to_state;
    size_t         nchanges;
    const char    *json;
} itsm_timeline_entry;
size_t itsm_record_timeline_count(const itsm_record *rec);
int itsm_record_timeline_at(const itsm_record *rec, size_t index, itsm_timeline_entry *out);
typedef struct itsm_timeline itsm_timeline;
int itsm_record_timeline(itsm_timeline **out, itsm_record *rec);
void itsm_timeline_free(itsm_timeline *tl);
size_t itsm_timeline_count(const itsm_timeline *tl);
int itsm_timeline_complete(const itsm_timeline *tl);
int itsm_timeline_at(const itsm_timeline *tl, size_t index, itsm_timeline_entry *out);
typedef struct itsm_field_change {
    size_t      size;
    const char *field;
    const char *old_value;
    const char *new_value;
} itsm_field_change;
int itsm_timeline_change_at(const itsm_timeline *tl, size_t index, size_t change, itsm_field_change *out);
int itsm_record_link(itsm_record *from, itsm_link_kind kind, itsm_record *to);
typedef struct itsm_link {
    size_t size;
    itsm_link_kind kind;
    itsm_kind      target_kind;
    const char    *target_id;
} itsm_link;
size_t itsm_record_link_count(const itsm_record *rec);
int itsm_record_link_at(const itsm_record *rec, size_t index, itsm_link *out);

/* ---- policy.h ---- */
typedef struct itsm_policy itsm_policy;
typedef int itsm_reassign_rule;
int itsm_policy_new_default(itsm_policy **out, const itsm_allocator *alloc);
int itsm_policy_new_empty(itsm_policy **out, const itsm_allocator *alloc);
int itsm_policy_clone(itsm_policy **out, const itsm_policy *policy);
void itsm_policy_free(itsm_policy *policy);
const char *itsm_policy_errmsg(const itsm_policy *policy);
int itsm_policy_set_name(itsm_policy *policy, const char *name);
const char *itsm_policy_name(const itsm_policy *policy);
int itsm_policy_hash(const itsm_policy *policy, char out[65]);
int itsm_policy_lifecycle_clear(itsm_policy *policy, itsm_kind kind);
int itsm_policy_add_state(itsm_policy *policy, itsm_kind kind, const char *state, unsigned flags);
int itsm_policy_add_event(itsm_policy *policy, itsm_kind kind, const char *event);
typedef struct itsm_transition_def {
    unsigned    version;
    const char *from;
    const char *event;
    const char *to;
    const char *guard;
    const char *stamp;
    const char *clear;
    int         counts_reopen;
} itsm_transition_def;
int itsm_transition_def_init(itsm_transition_def *def, unsigned version);
int itsm_policy_add_transition(itsm_policy *policy, itsm_kind kind, const itsm_transition_def *def);
int itsm_policy_set_priority(itsm_policy *policy, int impact, int urgency, int priority);
int itsm_policy_priority(const itsm_policy *policy, int impact, int urgency);
int itsm_policy_set_reassignment_rule(itsm_policy *policy, itsm_reassign_rule rule);
itsm_reassign_rule itsm_policy_reassignment_rule(const itsm_policy *policy);
size_t itsm_policy_check(itsm_policy *policy);
const char *itsm_policy_finding(const itsm_policy *policy, size_t index);
int itsm_policy_from_json(itsm_policy **out, const char *json, size_t len, const itsm_allocator *alloc, const itsm_json_limits *limits, itsm_parse_error *err);
int itsm_policy_parse_json(itsm_policy **out, const char *json, size_t len, const itsm_allocator *alloc, const itsm_json_limits *limits, itsm_parse_error *err);
int itsm_policy_to_json(const itsm_policy *policy, char *buf, size_t cap, size_t *len);

/* ---- event.h ---- */
typedef struct itsm_event itsm_event;
const char *itsm_event_type(const itsm_event *ev);
const char *itsm_event_record_id(const itsm_event *ev);
itsm_kind itsm_event_record_kind(const itsm_event *ev);
uint64_t itsm_event_revision(const itsm_event *ev);
itsm_time itsm_event_time(const itsm_event *ev);
const char *itsm_event_actor(const itsm_event *ev);
const char *itsm_event_name(const itsm_event *ev);
const char *itsm_event_from_state(const itsm_event *ev);
const char *itsm_event_to_state(const itsm_event *ev);
int itsm_event_to_json(const itsm_event *ev, char *buf, size_t cap, size_t *len);
uint64_t itsm_event_fields(const itsm_event *ev);
const char *itsm_event_policy_version(const itsm_event *ev);
int itsm_event_json_to_binary(const char *json, size_t len, void *buf, size_t cap, size_t *out_len,
                              itsm_parse_error *err);
int itsm_event_binary_to_json(const void *bin, size_t len, char *buf, size_t cap, size_t *out_len,
                              itsm_parse_error *err);

/* ---- sys/store.h ---- */
typedef int (*itsm_store_emit_fn)(void *ctx, const char *json, size_t len);
typedef struct itsm_store {
    int version;
    int  (*append)(void *user, const itsm_event *const *events, size_t n);
    int  (*scan)(void *user, itsm_store_emit_fn emit, void *ctx);
    void (*destroy)(void *user);
    int  (*read_record)(void *user, const char *record_id, itsm_store_emit_fn emit, void *ctx);
    int  (*group)(void *user, int op);
} itsm_store;

/* ---- engine.h ---- */
typedef itsm_time (*itsm_clock_fn)(void *user);
typedef void (*itsm_event_sink_fn)(void *user, const itsm_event *const *events, size_t n);
typedef struct itsm_engine_opts {
    unsigned            version;
    const itsm_policy  *policy;
    const itsm_store   *store;
    void               *store_user;
    itsm_clock_fn       clock;
    void               *clock_user;
    itsm_event_sink_fn  sink;
    void               *sink_user;
    itsm_allocator      alloc;
    itsm_json_limits    limits;
    char               *errmsg;
    size_t              errmsg_cap;
} itsm_engine_opts;
int itsm_engine_opts_init(itsm_engine_opts *opts, unsigned version);
int itsm_engine_new(itsm_engine **out, const itsm_engine_opts *opts);
void itsm_engine_free(itsm_engine *eng);
const char *itsm_errmsg(const itsm_engine *eng);
int itsm_errcode(const itsm_engine *eng);
const itsm_policy *itsm_engine_policy(const itsm_engine *eng);
int itsm_engine_adopt_policy(itsm_engine *eng, const itsm_policy *policy);
const char *itsm_engine_policy_version(const itsm_engine *eng);
const char *itsm_record_policy_version(const itsm_record *record);
const itsm_policy *itsm_record_policy(const itsm_record *record);
int itsm_engine_reserve(itsm_engine *eng, size_t records, size_t symbols);
int itsm_engine_set_actor(itsm_engine *eng, const char *actor);
itsm_time itsm_engine_now(const itsm_engine *eng);
size_t itsm_engine_record_count(const itsm_engine *eng);
int itsm_engine_record_at(itsm_record **out, const itsm_engine *eng, size_t index);
int itsm_engine_replay_json(itsm_engine *eng, const char *json, size_t len, itsm_parse_error *err);
int itsm_engine_replay(itsm_engine *eng, const void *event, size_t len, itsm_parse_error *err);
int itsm_engine_load(itsm_engine *eng);
int itsm_engine_begin(itsm_engine *eng);
int itsm_engine_commit(itsm_engine *eng);
int itsm_engine_rollback(itsm_engine *eng);
size_t itsm_engine_group_events(const itsm_engine *eng);

/* ---- problem.h ---- */
typedef int itsm_verdict;
typedef int itsm_reason;
typedef struct itsm_problem_rules {
    unsigned version;
    int      recurrence_count;
    int64_t  recurrence_window;
    int      major_review;
    int      recurrence_ci;
    int      recurrence_push;
} itsm_problem_rules;
int itsm_problem_rules_init(itsm_problem_rules *rules, unsigned version);
int itsm_policy_problem_rules(itsm_problem_rules *out, const itsm_policy *policy);
int itsm_policy_set_problem_rules(itsm_policy *policy, const itsm_problem_rules *rules);
const char *itsm_verdict_name(itsm_verdict verdict);
const char *itsm_reason_name(itsm_reason reason);
typedef struct itsm_decision_opts {
    unsigned version;
    int cause_known;
    int root_cause_needed;
    int fix_needs_change;
} itsm_decision_opts;
int itsm_decision_opts_init(itsm_decision_opts *opts, unsigned version);
typedef struct itsm_decision_reason {
    itsm_reason code;
    char        text[160];
} itsm_decision_reason;
typedef struct itsm_decision {
    size_t size;
    itsm_verdict verdict;
    int          problem_proposed;
    size_t       recurrence;
    size_t       nreasons;
    itsm_decision_reason reasons[8];
} itsm_decision;
int itsm_problem_decide(itsm_decision *out, itsm_record *incident, const itsm_decision_opts *opts);
int itsm_problem_recurrence(size_t *count, itsm_engine *eng, const char *service, const char *category, itsm_time at);
typedef struct itsm_problem_open_opts {
    unsigned           version;
    const char        *id;
    const itsm_change *fields;
    size_t             nfields;
} itsm_problem_open_opts;
int itsm_problem_open_opts_init(itsm_problem_open_opts *opts, unsigned version);
int itsm_problem_open_from_incident(itsm_record **out, itsm_record *incident, const itsm_problem_open_opts *opts);
int itsm_change_open_from_problem(itsm_record **out, itsm_record *problem, const itsm_problem_open_opts *opts);
int itsm_problem_close(itsm_record *problem, const char *resolution_code, const char *notes);

/* ---- sla.h ---- */
typedef struct itsm_work_span {
    int      day;
    int32_t  start;
    int32_t  end;
} itsm_work_span;
typedef struct itsm_calendar_def {
    unsigned     version;
    const char  *name;
    int32_t      utc_offset;
    int32_t      start[7];
    int32_t      end[7];
    const char *const *holidays;
    size_t       nholidays;
    const char  *zone;
    const itsm_work_span *spans;
    size_t       nspans;
} itsm_calendar_def;
int itsm_calendar_def_init(itsm_calendar_def *def, unsigned version);
int itsm_policy_set_calendar(itsm_policy *policy, const itsm_calendar_def *def);
int itsm_calendar_work(int64_t *out, const itsm_policy *policy, const char *calendar, itsm_time from, itsm_time to);
int itsm_calendar_add(itsm_time *out, const itsm_policy *policy, const char *calendar, itsm_time from, int64_t seconds);
int itsm_calendar_utc_offset(int32_t *out, const itsm_policy *policy, const char *calendar, itsm_time at);
int itsm_zone_from_tzif(char *out, size_t cap, const void *tzif, size_t len);
typedef struct itsm_sla_def {
    unsigned     version;
    const char  *name;
    uint32_t     response[5];
    uint32_t     resolution[5];
    const char  *calendar[5];
} itsm_sla_def;
int itsm_sla_def_init(itsm_sla_def *def, unsigned version);
int itsm_policy_set_sla(itsm_policy *policy, const itsm_sla_def *def);
int itsm_policy_set_default_sla(itsm_policy *policy, const char *sla);
int itsm_policy_set_service_sla(itsm_policy *policy, const char *service, const char *sla);
int itsm_policy_set_ola(itsm_policy *policy, const char *group, uint32_t seconds, const char *calendar);
typedef int itsm_timer;
typedef int itsm_timer_status;
int itsm_policy_set_pause(itsm_policy *policy, const char *reason, unsigned mask);
int itsm_policy_set_warnings(itsm_policy *policy, const unsigned *permille, size_t n);
int itsm_policy_set_sla_stop_states(itsm_policy *policy, const char *const *states, size_t n);
typedef struct itsm_timer_info {
    size_t size;
    itsm_timer_status status;
    int       breached;
    uint32_t  target;
    int64_t   elapsed;
    int64_t   paused;
    itsm_time due;
    int64_t   remaining;
    unsigned  warnings;
    const char *calendar;
    int       priority;
} itsm_timer_info;
int itsm_record_timer(itsm_timer_info *out, const itsm_record *rec, itsm_timer timer, itsm_time now);
const char *itsm_record_sla(const itsm_record *rec);
int itsm_record_set_sla(itsm_record *rec, const char *sla);
int itsm_engine_tick(itsm_engine *eng, itsm_time now, size_t *fired);
itsm_time itsm_engine_next_deadline(itsm_engine *eng);
typedef int itsm_aging_order;
typedef struct itsm_aging_entry {
    size_t size;
    itsm_record *rec;
    int64_t      age;
    int64_t      time_left;
} itsm_aging_entry;
int itsm_engine_aging(itsm_aging_entry *out, size_t max, size_t *n, itsm_engine *eng, itsm_aging_order order, itsm_time now);

/* ---- escalation.h ---- */
int itsm_policy_add_route(itsm_policy *policy, const char *category, const char *service, const char *group);
const char *itsm_policy_route(const itsm_policy *policy, const char *category, const char *service);
int itsm_policy_set_ladder(itsm_policy *policy, const char *const *roles, size_t n, int climb_on_breach, int climb_on_warning);
int itsm_policy_set_ola_climb(itsm_policy *policy, int climb_on_ola_breach);
typedef struct itsm_major_policy {
    unsigned version;
    int      propose_at_priority;
    uint32_t breadth_threshold;
    uint32_t communication_due;
    uint32_t groups_due;
} itsm_major_policy;
int itsm_policy_set_major(itsm_policy *policy, const itsm_major_policy *major);
int itsm_record_escalate(itsm_record *rec, int level, const char *group, const char *tried);
int itsm_record_first_contact_resolution(const itsm_record *rec);
int itsm_record_escalate_hierarchical(itsm_record *rec, const char *reason);
const char *itsm_record_escalation_audience(const itsm_record *rec);
typedef int itsm_major_state;
typedef int itsm_major_phase;
int itsm_major_propose(itsm_record *rec, const char *reason);
int itsm_major_decide(itsm_record *rec, int accept, const char *manager);
int itsm_major_communication_issued(itsm_record *rec);
int itsm_major_engage_groups(itsm_record *rec, const char *const *groups, size_t n);
int itsm_major_attach(itsm_record *parent, itsm_record *child);
itsm_major_state itsm_record_major_state(const itsm_record *rec);
itsm_major_phase itsm_record_major_phase(const itsm_record *rec);
int itsm_record_major_deadline(itsm_time *due, int *done, int *missed, const itsm_record *rec, int which);

/* ---- communication.h ---- */
int itsm_policy_set_cadence(itsm_policy *policy, const uint32_t cadence[5], int broadcast_max_priority);
int itsm_policy_set_closure(itsm_policy *policy, uint32_t auto_close_after, unsigned survey_permille, int knowledge_candidate);
typedef int itsm_audience;
itsm_audience itsm_record_audience(const itsm_record *rec);
int itsm_outage_declare(itsm_record *rec, itsm_time expected_restoration, itsm_time next_update);
int itsm_outage_end(itsm_record *rec);
itsm_record *itsm_engine_outage(itsm_engine *eng, const char *service);
int itsm_record_survey_sampled(const itsm_record *rec);
int itsm_record_knowledge_candidate(const itsm_record *rec);
itsm_time itsm_record_auto_close_due(const itsm_record *rec);

/* ---- knowledge.h ---- */
typedef int itsm_match_source;
typedef struct itsm_match {
    size_t size;
    itsm_record      *record;
    itsm_match_source source;
    int               score;
    size_t            words;
    const char       *workaround;
    int               level1_fix;
} itsm_match;
typedef struct itsm_knowledge_query {
    unsigned    version;
    const char *service;
    const char *category;
    const char *words;
    int         incidents;
} itsm_knowledge_query;
int itsm_knowledge_query_init(itsm_knowledge_query *q, unsigned version);
int itsm_knowledge_search(itsm_match *out, size_t cap, size_t *n, itsm_engine *eng, const itsm_knowledge_query *query);
int itsm_diagnose(itsm_match *out, size_t cap, size_t *n, itsm_record *rec);
int itsm_knowledge_decide(const char **decision, itsm_record *rec);

/* ---- handover.h ---- */
typedef struct itsm_packet itsm_packet;
typedef int itsm_packet_kind;
typedef int itsm_packet_text;
typedef int itsm_packet_list;
typedef int itsm_packet_state;
typedef int itsm_deliverable_status;
const char *itsm_packet_kind_name(itsm_packet_kind kind);
int itsm_packet_kind_from_name(itsm_packet_kind *out, const char *name);
typedef struct itsm_packet_entry {
    size_t size;
    const char *text;
    const char *who;
    itsm_time   at;
} itsm_packet_entry;
int itsm_packet_new(itsm_packet **out, const itsm_record *rec, itsm_packet_kind kind);
void itsm_packet_free(itsm_packet *pkt);
int itsm_packet_clone(itsm_packet **out, const itsm_packet *pkt);
itsm_packet_kind itsm_packet_kind_of(const itsm_packet *pkt);
itsm_packet_state itsm_packet_state_of(const itsm_packet *pkt);
const char *itsm_packet_record_id(const itsm_packet *pkt);
itsm_kind itsm_packet_record_kind(const itsm_packet *pkt);
itsm_time itsm_packet_created_at(const itsm_packet *pkt);
uint32_t itsm_packet_seq(const itsm_packet *pkt);
const char *itsm_packet_errmsg(const itsm_packet *pkt);
int itsm_packet_set_text(itsm_packet *pkt, itsm_packet_text slot, const char *value);
const char *itsm_packet_text_of(const itsm_packet *pkt, itsm_packet_text slot);
int itsm_packet_set_next_update(itsm_packet *pkt, itsm_time due);
itsm_time itsm_packet_next_update(const itsm_packet *pkt);
int itsm_packet_set_contact_verified(itsm_packet *pkt, int verified);
int itsm_packet_contact_verified(const itsm_packet *pkt);
int itsm_packet_add(itsm_packet *pkt, itsm_packet_list list, const itsm_packet_entry *entry);
int itsm_packet_clear(itsm_packet *pkt, itsm_packet_list list);
size_t itsm_packet_count(const itsm_packet *pkt, itsm_packet_list list);
int itsm_packet_at(const itsm_packet *pkt, itsm_packet_list list, size_t index, itsm_packet_entry *out);
const char *itsm_deliverable_status_name(itsm_deliverable_status status);
typedef struct itsm_deliverable {
    size_t size;
    const char *name;
    const char *owner;
    const char *approver;
    itsm_deliverable_status status;
    const char *approved_by;
    int         required;
} itsm_deliverable;
int itsm_packet_add_deliverable(itsm_packet *pkt, const char *name, const char *owner, const char *approver, int required);
int itsm_packet_set_deliverable_status(itsm_packet *pkt, const char *name, itsm_deliverable_status status, const char *by);
size_t itsm_packet_deliverable_count(const itsm_packet *pkt);
int itsm_packet_deliverable_at(const itsm_packet *pkt, size_t index, itsm_deliverable *out);
int itsm_packet_gate_open(const itsm_packet *pkt);
int itsm_policy_set_handover_checklist(itsm_policy *policy, itsm_packet_kind kind, const char *items);
int itsm_policy_handover_checklist(const itsm_policy *policy, itsm_packet_kind kind, char *buf, size_t cap, size_t *len);
int itsm_packet_completeness(int *score, const itsm_packet *pkt, const itsm_policy *policy, char *missing, size_t cap);
int itsm_packet_propose(itsm_packet *pkt, itsm_engine *eng);
int itsm_packet_acknowledge(itsm_packet *pkt, itsm_engine *eng, const char *by);
int itsm_packet_reject(itsm_packet *pkt, itsm_engine *eng, const char *by, const char *reason);
size_t itsm_engine_handover_count(const itsm_engine *eng);
int itsm_engine_handover_at(itsm_packet **out, itsm_engine *eng, size_t index);
int itsm_engine_handover_find(itsm_packet **out, itsm_engine *eng, uint32_t seq);
const char *itsm_packet_decided_by(const itsm_packet *pkt);
itsm_time itsm_packet_decided_at(const itsm_packet *pkt);
itsm_time itsm_packet_proposed_at(const itsm_packet *pkt);
const char *itsm_packet_reason(const itsm_packet *pkt);
typedef struct itsm_quality_entry {
    size_t size;
    const char *record_id;
    const char *sender_group;
    itsm_time   at;
    uint32_t    seq;
    int         score;
    const char *missing;
} itsm_quality_entry;
size_t itsm_quality_log_count(const itsm_engine *eng);
int itsm_quality_log_at(const itsm_engine *eng, size_t index, itsm_quality_entry *out);
int itsm_handover_report_to_json(const itsm_engine *eng, itsm_time from, itsm_time to, char *buf, size_t cap, size_t *len);
int itsm_packet_to_json(const itsm_packet *pkt, char *buf, size_t cap, size_t *len);
int itsm_packet_from_json(itsm_packet **out, const char *json, size_t len, const itsm_allocator *alloc, const itsm_json_limits *limits, itsm_parse_error *err);
int itsm_packet_equal(const itsm_packet *a, const itsm_packet *b);

/* ---- report.h ---- */
typedef struct itsm_report itsm_report;
typedef struct itsm_report_opts {
    unsigned    version;
    itsm_time   from;
    itsm_time   to;
    itsm_time   now;
    unsigned    kinds;
    const char *calendar;
    const char *filter;
    const char *group_by;
} itsm_report_opts;
int itsm_report_opts_init(itsm_report_opts *opts, unsigned version);
int itsm_report_new(itsm_report **out, itsm_engine *eng, const itsm_report_opts *opts);
void itsm_report_free(itsm_report *rep);
itsm_time itsm_report_from(const itsm_report *rep);
itsm_time itsm_report_to(const itsm_report *rep);
itsm_time itsm_report_now(const itsm_report *rep);
const char *itsm_report_calendar(const itsm_report *rep);
size_t itsm_report_total(const itsm_report *rep);
size_t itsm_report_by_kind(const itsm_report *rep, itsm_kind kind);
size_t itsm_report_by_priority(const itsm_report *rep, int priority);
typedef struct itsm_report_row {
    size_t size;
    itsm_kind   kind;
    const char *name;
    size_t      count;
} itsm_report_row;
size_t itsm_report_state_count(const itsm_report *rep);
int itsm_report_state_at(const itsm_report *rep, size_t index, itsm_report_row *out);
size_t itsm_report_category_count(const itsm_report *rep);
int itsm_report_category_at(const itsm_report *rep, size_t index, itsm_report_row *out);
typedef int itsm_report_measure;
const char *itsm_report_measure_name(itsm_report_measure m);
typedef struct itsm_report_stat {
    size_t size;
    size_t  count;
    double  mean;
    int64_t min;
    int64_t max;
    int64_t p50;
    int64_t p90;
    int64_t p95;
    int64_t p99;
} itsm_report_stat;
int itsm_report_duration(itsm_report_stat *out, const itsm_report *rep, itsm_report_measure m);
typedef struct itsm_report_figures {
    size_t size;
    size_t resolved;
    size_t first_contact;
    double first_contact_rate;
    size_t reassignments;
    size_t reassigned_records;
    size_t ever_resolved;
    size_t reopened_records;
    size_t reopens;
    double reopen_rate;
} itsm_report_figures;
int itsm_report_figures_of(itsm_report_figures *out, const itsm_report *rep);
typedef struct itsm_report_sla_figures {
    size_t size;
    size_t tracked;
    size_t met;
    size_t breached;
    double compliance;
} itsm_report_sla_figures;
int itsm_report_sla(itsm_report_sla_figures *out, const itsm_report *rep);
typedef struct itsm_report_sender {
    size_t size;
    const char *sender_group;
    size_t      packets;
    double      mean_score;
    size_t      complete;
} itsm_report_sender;
size_t itsm_report_sender_count(const itsm_report *rep);
int itsm_report_sender_at(const itsm_report *rep, size_t index, itsm_report_sender *out);
int64_t itsm_report_aging_bound(size_t bucket);
size_t itsm_report_aging(const itsm_report *rep, size_t bucket);
typedef struct itsm_report_trend {
    size_t size;
    itsm_time   week;
    const char *category;
    size_t      opened;
    size_t      resolved;
} itsm_report_trend;
size_t itsm_report_trend_count(const itsm_report *rep);
int itsm_report_trend_at(const itsm_report *rep, size_t index, itsm_report_trend *out);
int itsm_report_to_json(const itsm_report *rep, char *buf, size_t cap, size_t *len);
int itsm_report_to_csv(const itsm_report *rep, char *buf, size_t cap, size_t *len);
int itsm_record_approve(itsm_record *rec, const char *level, const char *by, const char *comment);
int itsm_record_reject_approval(itsm_record *rec, const char *level, const char *by,
                                const char *comment);
int itsm_record_delegate_approval(itsm_record *rec, const char *level, const char *by,
                                  const char *to, const char *comment);
typedef int itsm_approval_status;
const char *itsm_approval_status_name(itsm_approval_status status);
typedef struct itsm_approval_info {
    size_t               size;
    itsm_approval_status status;
    const char          *rule;
    size_t               levels;
    size_t               current;
    itsm_time            requested_at;
    itsm_time            decided_at;
} itsm_approval_info;
int itsm_record_approval(itsm_approval_info *out, const itsm_record *rec);
int itsm_record_answer_risk(itsm_record *rec, const char *question, const char *answer);
typedef struct itsm_risk_info {
    size_t      size;
    const char *level;
    int64_t     score;
    size_t      answered;
    size_t      questions;
} itsm_risk_info;
int itsm_record_risk(itsm_risk_info *out, const itsm_record *rec);
int itsm_change_plan(itsm_record *rec, itsm_time start, itsm_time end);
int itsm_change_planned(itsm_time *start, itsm_time *end, const itsm_record *rec);
int itsm_change_on_schedule(const itsm_record *rec);
int itsm_policy_check_condition(const itsm_policy *policy, const char *text, size_t len,
                                itsm_parse_error *err);
int itsm_record_condition(int *out, const itsm_record *rec, const char *text, size_t len,
                          itsm_parse_error *err);
typedef struct itsm_report_process {
    size_t size;
    size_t completed;
    size_t stayed_first_line;
    size_t functional_escalations;
    size_t escalated_records;
    size_t group_changes;
    size_t ping_pong_records;
    size_t ping_pong_returns;
} itsm_report_process;
int itsm_report_process_available(const itsm_report *rep);
int itsm_report_process_of(itsm_report_process *out, const itsm_report *rep);
typedef int itsm_approval_mode;
const char *itsm_approval_mode_name(itsm_approval_mode mode);
typedef int itsm_level_status;
typedef struct itsm_approval_level {
    size_t             size;
    const char        *name;
    itsm_approval_mode mode;
    itsm_level_status  status;
    size_t             approvals;
    size_t             rejections;
    size_t             needed;
    size_t             voters;
    int                exception;
} itsm_approval_level;
int itsm_record_approval_level(itsm_approval_level *out, const itsm_record *rec, size_t index);
typedef int itsm_approval_verdict;
const char *itsm_approval_verdict_name(itsm_approval_verdict verdict);
typedef struct itsm_approval_decision {
    size_t                size;
    itsm_approval_verdict verdict;
    const char           *rule;
    const char           *level;
    const char           *by;
    const char           *to;
    const char           *comment;
    itsm_time             at;
} itsm_approval_decision;
size_t itsm_record_approval_count(const itsm_record *rec);
int itsm_record_approval_at(itsm_approval_decision *out, const itsm_record *rec, size_t index);
typedef struct itsm_risk_answer {
    size_t      size;
    const char *question;
    const char *answer;
    int         score;
    const char *by;
    itsm_time   at;
} itsm_risk_answer;
size_t itsm_record_risk_answer_count(const itsm_record *rec);
int itsm_record_risk_answer_at(itsm_risk_answer *out, const itsm_record *rec, size_t index);
size_t itsm_change_findings(const itsm_record *rec);
typedef struct itsm_schedule_query {
    unsigned    version;
    itsm_time   from, to;
    const char *service;
    const char *ci;
    int         planned;
} itsm_schedule_query;
int itsm_schedule_query_init(itsm_schedule_query *q, unsigned version);
typedef struct itsm_schedule_entry {
    size_t       size;
    itsm_record *rec;
    itsm_time    start, end;
    size_t       collisions;
} itsm_schedule_entry;
int itsm_change_schedule(itsm_schedule_entry *out, size_t max, size_t *n, itsm_engine *eng,
                         const itsm_schedule_query *query);
typedef int itsm_collision_on;
typedef struct itsm_collision {
    size_t            size;
    itsm_record      *with;
    itsm_collision_on on;
    const char       *value;
    itsm_time         from, to;
} itsm_collision;
int itsm_change_collisions(itsm_collision *out, size_t max, size_t *n, const itsm_record *rec);
typedef int itsm_role;
const char *itsm_role_name(itsm_role role);
int itsm_role_from_name(itsm_role *out, const char *name);
int itsm_policy_set_role(itsm_policy *policy, itsm_kind kind, itsm_role role, const char *name);
const char *itsm_policy_role(const itsm_policy *policy, itsm_kind kind, itsm_role role);

/* ---- engine.h: symbols ---- */
int itsm_engine_symbol(itsm_engine *eng, const char *symbol, const char **out);

/* ---- request.h ---- */
int itsm_request_choose_item(itsm_record *rec, const char *item);
const char *itsm_request_item(const itsm_record *rec);
typedef int itsm_task_state;
const char *itsm_task_state_name(itsm_task_state state);
int itsm_request_task_assign(itsm_record *rec, const char *task, const char *assignee);
int itsm_request_task_close(itsm_record *rec, const char *task, itsm_task_state state, const char *note);
typedef struct itsm_task_info {
    size_t          size;
    const char     *name;
    const char     *group;
    const char     *assignee;
    int             step;
    int             priority;
    int64_t         ola_minutes;
    itsm_task_state state;
    itsm_time       opened_at;
    itsm_time       due;
    itsm_time       closed_at;
    int             breached;
} itsm_task_info;
size_t itsm_request_task_count(const itsm_record *rec);
int itsm_request_task_at(itsm_task_info *out, const itsm_record *rec, size_t index);

/* ---- problem.h: proposals ---- */
typedef int itsm_proposal_status;
const char *itsm_proposal_status_name(itsm_proposal_status status);
typedef struct itsm_problem_proposal {
    size_t               size;
    const char          *record;
    itsm_time            at;
    itsm_proposal_status status;
    const char          *service;
    const char          *category;
    const char          *ci;
    int64_t              window;
    size_t               incidents;
    const char          *problem;
    const char          *reason;
    itsm_time            decided_at;
} itsm_problem_proposal;
size_t itsm_engine_problem_proposal_count(const itsm_engine *eng);
int itsm_engine_problem_proposal_at(itsm_problem_proposal *out, const itsm_engine *eng, size_t index);
const char *itsm_engine_problem_proposal_incident(const itsm_engine *eng, size_t index, size_t i);
int itsm_record_problem_proposal(size_t *index, const itsm_record *incident);
int itsm_problem_proposal_accept(itsm_record **out, itsm_record *incident, const itsm_problem_open_opts *opts);
int itsm_problem_proposal_dismiss(itsm_record *incident, const char *reason);

/* ---- satisfaction.h ---- */
typedef struct itsm_survey_scale {
    unsigned version;
    int      min;
    int      max;
} itsm_survey_scale;
int itsm_survey_scale_init(itsm_survey_scale *scale, unsigned version);
int itsm_policy_survey_scale(itsm_survey_scale *out, const itsm_policy *policy);
int itsm_policy_set_survey_scale(itsm_policy *policy, const itsm_survey_scale *scale);
int itsm_record_survey_answer(itsm_record *rec, int score, const char *comment);
typedef struct itsm_survey_answer {
    size_t      size;
    int         score;
    const char *comment;
    const char *by;
    itsm_time   at;
} itsm_survey_answer;
int itsm_record_survey(itsm_survey_answer *out, const itsm_record *rec);

/* ---- report.h: groups, filter, satisfaction, proposals ---- */
typedef struct itsm_report_group {
    size_t      size;
    const char *value;
    size_t      count;
    size_t      resolved;
    size_t      met;
    size_t      breached;
} itsm_report_group;
const char *itsm_report_group_by(const itsm_report *rep);
size_t itsm_report_group_count(const itsm_report *rep);
int itsm_report_group_at(const itsm_report *rep, size_t index, itsm_report_group *out);
const char *itsm_report_filter(const itsm_report *rep);
typedef int itsm_survey_dimension;
const char *itsm_survey_dimension_name(itsm_survey_dimension by);
typedef struct itsm_report_survey {
    size_t                size;
    itsm_survey_dimension by;
    const char           *name;
    itsm_time             week;
    size_t                sent;
    size_t                answered;
    double                response_rate;
    double                mean_score;
    int                   scale_min;
    int                   scale_max;
    size_t                scores[11];
} itsm_report_survey;
size_t itsm_report_survey_count(const itsm_report *rep);
int itsm_report_survey_at(const itsm_report *rep, size_t index, itsm_report_survey *out);
typedef struct itsm_report_proposals {
    size_t size;
    size_t proposed;
    size_t pending;
    size_t accepted;
    size_t dismissed;
    size_t incidents;
} itsm_report_proposals;
int itsm_report_proposals_of(itsm_report_proposals *out, const itsm_report *rep);

/* ---- integrity.h ---- */
int itsm_event_chain(const itsm_event *ev, char hex[65]);
int itsm_record_chain_head(const itsm_record *rec, char hex[65]);
int itsm_engine_audit_to_json(const itsm_engine *eng, char *buf, size_t cap, size_t *len);

/* ---- conformance.h ---- */
typedef struct itsm_conformance itsm_conformance;
int itsm_conformance_new(itsm_conformance **out, const itsm_policy *policy, const itsm_allocator *alloc);
void itsm_conformance_free(itsm_conformance *c);
const char *itsm_conformance_errmsg(const itsm_conformance *c);
int itsm_conformance_add_json(itsm_conformance *c, const char *json, size_t len, itsm_parse_error *err);
typedef struct itsm_observed_move {
    unsigned           version;
    itsm_kind          kind;
    const char        *record;
    const char        *from;
    const char        *to;
    const char        *event;
    int                refused;
    const itsm_record *fields;
} itsm_observed_move;
int itsm_observed_move_init(itsm_observed_move *m, unsigned version);
int itsm_conformance_observe(itsm_conformance *c, const itsm_observed_move *move);
typedef int itsm_deviation;
const char *itsm_deviation_name(itsm_deviation d);
typedef struct itsm_conformance_summary {
    size_t size;
    size_t records;
    size_t moves;
    size_t allowed;
    size_t guard_failed;
    size_t refused;
    double fitness;
    size_t deviating_records;
    size_t bypass_records;
} itsm_conformance_summary;
int itsm_conformance_summary_of(itsm_conformance_summary *out, const itsm_conformance *c);
typedef struct itsm_conformance_move {
    size_t         size;
    itsm_kind      kind;
    const char    *from;
    const char    *to;
    size_t         count, allowed, guard_failed, refused;
    double         fitness;
    itsm_deviation deviation;
    const char    *skipped;
} itsm_conformance_move;
size_t itsm_conformance_move_count(const itsm_conformance *c);
int itsm_conformance_move_at(const itsm_conformance *c, size_t index, itsm_conformance_move *out);
typedef struct itsm_conformance_rule {
    size_t      size;
    itsm_kind   kind;
    const char *from;
    const char *event;
    const char *to;
    const char *guard;
    size_t      used;
    size_t      guard_failed;
    double      agreement;
} itsm_conformance_rule;
size_t itsm_conformance_rule_count(const itsm_conformance *c);
int itsm_conformance_rule_at(const itsm_conformance *c, size_t index, itsm_conformance_rule *out);
size_t itsm_conformance_state_count(const itsm_conformance *c, itsm_kind kind);
int itsm_conformance_state_at(const itsm_conformance *c, itsm_kind kind, size_t index, const char **name, unsigned *flags);
int itsm_conformance_to_json(const itsm_conformance *c, char *buf, size_t cap, size_t *len);
int itsm_conformance_to_csv(const itsm_conformance *c, char *buf, size_t cap, size_t *len);

/* ---- approval.h, change.h: the policy's approval rules, questionnaire and schedule ---- */
typedef struct itsm_approval_level_def {
    unsigned           version;
    const char        *name;
    const char *const *people;
    size_t             npeople;
    const char        *group;
    itsm_approval_mode mode;
    unsigned           quorum;
    int                exception;
} itsm_approval_level_def;
int itsm_approval_level_def_init(itsm_approval_level_def *def, unsigned version);
typedef struct itsm_approval_rule_def {
    unsigned           version;
    const char        *name;
    itsm_kind          kind;
    const char *const *change_types;
    size_t             nchange_types;
    const char *const *risks;
    size_t             nrisks;
    const char        *state;
    const itsm_approval_level_def *levels;
    size_t             nlevels;
    unsigned           separation;
} itsm_approval_rule_def;
int itsm_approval_rule_def_init(itsm_approval_rule_def *def, unsigned version);
int itsm_policy_add_approval_rule(itsm_policy *policy, const itsm_approval_rule_def *def);
int itsm_policy_clear_approval_rules(itsm_policy *policy);
int itsm_policy_set_approver_group(itsm_policy *policy, const char *group, const char *const *members, size_t n);
size_t itsm_policy_approval_rule_count(const itsm_policy *policy);
typedef struct itsm_risk_question_def {
    unsigned           version;
    const char        *name;
    const char        *text;
    const char *const *answers;
    const int         *scores;
    size_t             nanswers;
} itsm_risk_question_def;
int itsm_risk_question_def_init(itsm_risk_question_def *def, unsigned version);
int itsm_policy_set_risk_question(itsm_policy *policy, const itsm_risk_question_def *def);
int itsm_policy_clear_risk_questions(itsm_policy *policy);
int itsm_policy_set_risk_levels(itsm_policy *policy, const char *const *names, const int *up_to, size_t n);
int itsm_policy_set_risk_kinds(itsm_policy *policy, unsigned kinds);
size_t itsm_policy_risk_question_count(const itsm_policy *policy);
int itsm_policy_set_maintenance_window(itsm_policy *policy, const char *service, const char *calendar);
typedef struct itsm_blackout_def {
    unsigned           version;
    const char        *name;
    itsm_time          from, to;
    const char        *calendar;
    const char *const *services;
    size_t             nservices;
} itsm_blackout_def;
int itsm_blackout_def_init(itsm_blackout_def *def, unsigned version);
int itsm_policy_set_blackout(itsm_policy *policy, const itsm_blackout_def *def);
int itsm_policy_remove_blackout(itsm_policy *policy, const char *name);
typedef struct itsm_schedule_rules {
    unsigned           version;
    const char *const *states;
    size_t             nstates;
    const char *const *exception_types;
    size_t             nexception_types;
} itsm_schedule_rules;
int itsm_schedule_rules_init(itsm_schedule_rules *rules, unsigned version);
int itsm_policy_set_schedule_rules(itsm_policy *policy, const itsm_schedule_rules *rules);

/* ---- agreement.h; sla.h and escalation.h: SLA rules and routes by condition ---- */
typedef int itsm_agreement_type;
typedef struct itsm_agreement_target {
    int          priority;
    uint32_t     seconds;
    const char  *calendar;
} itsm_agreement_target;
typedef struct itsm_agreement_def {
    unsigned     version;
    const char  *name;
    itsm_agreement_type type;
    const char  *applies;
    const char  *start;
    const char  *pause;
    const char  *stop;
    const char  *reset;
    const itsm_agreement_target *targets;
    size_t       ntargets;
    const unsigned *warnings;
    size_t       nwarnings;
    const unsigned *breaches;
    size_t       nbreaches;
    int          climb;
} itsm_agreement_def;
int itsm_agreement_def_init(itsm_agreement_def *def, unsigned version);
int itsm_policy_set_agreement(itsm_policy *policy, const itsm_agreement_def *def, itsm_parse_error *err);
int itsm_policy_remove_agreement(itsm_policy *policy, const char *name);
size_t itsm_policy_agreement_count(const itsm_policy *policy);
const char *itsm_policy_agreement_name(const itsm_policy *policy, size_t index);
typedef int itsm_agreement_status;
typedef int itsm_agreement_verdict;
typedef struct itsm_agreement_info {
    size_t       size;
    const char  *name;
    itsm_agreement_type type;
    itsm_agreement_status status;
    itsm_agreement_verdict verdict;
    uint32_t     target;
    const char  *calendar;
    int64_t      elapsed;
    int64_t      paused;
    itsm_time    due;
    int64_t      remaining;
    unsigned     warnings;
    unsigned     breaches;
    itsm_time    started_at;
    itsm_time    stopped_at;
} itsm_agreement_info;
int itsm_record_agreement(itsm_agreement_info *out, const itsm_record *rec, const char *name, itsm_time now);
typedef int itsm_agreement_step;
typedef struct itsm_agreement_entry {
    size_t       size;
    itsm_time    at;
    const char  *agreement;
    itsm_agreement_step step;
    unsigned     level;
    itsm_agreement_verdict verdict;
} itsm_agreement_entry;
size_t itsm_record_agreement_steps(const itsm_record *rec);
int itsm_record_agreement_step(itsm_agreement_entry *out, const itsm_record *rec, size_t index);
const char *itsm_agreement_step_name(itsm_agreement_step step);
typedef struct itsm_agreement_report {
    size_t       size;
    size_t       applied;
    size_t       met;
    size_t       breached;
    size_t       open;
    size_t       cancelled;
} itsm_agreement_report;
int itsm_engine_agreement_report(itsm_agreement_report *out, itsm_engine *eng, const char *name);
int itsm_policy_add_sla_rule(itsm_policy *policy, const char *when, const char *sla);
int itsm_policy_add_route_when(itsm_policy *policy, const char *when, const char *group);

/* ---- policy.h, engine.h: custom fields ---- */
typedef struct itsm_field_def {
    unsigned           version;
    const char        *name;
    itsm_field_type    type;
    int64_t            min;
    int64_t            max;
    const char *const *values;
    size_t             nvalues;
    unsigned           kinds;
    unsigned           required;
} itsm_field_def;
int itsm_field_def_init(itsm_field_def *def, unsigned version);
int itsm_policy_add_field(itsm_policy *policy, const itsm_field_def *def, itsm_field *out);
size_t itsm_policy_field_count(const itsm_policy *policy);
int itsm_policy_field(itsm_field *out, const itsm_policy *policy, const char *name);
const char *itsm_policy_field_name(const itsm_policy *policy, itsm_field field);
itsm_field_type itsm_policy_field_type(const itsm_policy *policy, itsm_field field);
int itsm_policy_field_def(itsm_field_def *out, const itsm_policy *policy, itsm_field field);
int itsm_engine_field(itsm_field *out, const itsm_engine *eng, const char *name);

/* ---- oncall.h ---- */
typedef struct itsm_oncall_step {
    const char *const *targets;
    size_t             ntargets;
    unsigned           ack_timeout;
} itsm_oncall_step;
typedef struct itsm_oncall_def {
    unsigned                version;
    const char             *name;
    const itsm_oncall_step *steps;
    size_t                  nsteps;
    unsigned                repeat;
    const char *const      *services;
    size_t                  nservices;
    int                     max_priority;
} itsm_oncall_def;
int itsm_oncall_def_init(itsm_oncall_def *def, unsigned version);
int itsm_policy_add_oncall(itsm_policy *policy, const itsm_oncall_def *def);
int itsm_policy_set_alert_window(itsm_policy *policy, unsigned minutes);
typedef int itsm_oncall_status;
int itsm_oncall_page(itsm_record *rec, const char *name);
int itsm_oncall_acknowledge(itsm_record *rec, const char *by);
typedef struct itsm_oncall_info {
    size_t             size;
    itsm_oncall_status status;
    const char        *policy;
    unsigned           step;
    unsigned           round;
    unsigned           pages;
    itsm_time          due;
    const char        *acked_by;
    itsm_time          acked_at;
} itsm_oncall_info;
int itsm_record_oncall(itsm_oncall_info *out, const itsm_record *rec);
typedef struct itsm_alert {
    unsigned           version;
    const char        *dedup_key;
    const char        *group;
    const itsm_change *fields;
    size_t             nfields;
} itsm_alert;
int itsm_alert_init(itsm_alert *alert, unsigned version);
typedef int itsm_alert_outcome;
int itsm_alert_ingest(itsm_record **out, itsm_alert_outcome *outcome, itsm_engine *eng, const itsm_alert *alert);
uint32_t itsm_record_alert_count(const itsm_record *rec);

/* ---- review.h ---- */
int itsm_review_open(itsm_record *major);
int itsm_review_add_cause(itsm_record *major, const char *text);
int itsm_review_add_action(itsm_record *major, const char *id, const char *text, const char *owner, itsm_time due);
int itsm_review_assign_action(itsm_record *major, const char *id, const char *owner);
int itsm_review_action_done(itsm_record *major, const char *id, const char *note);
int itsm_review_complete(itsm_record *major);
typedef struct itsm_review_info {
    size_t      size;
    itsm_time   opened_at;
    const char *opened_by;
    int         complete;
    itsm_time   completed_at;
    const char *completed_by;
    size_t      causes;
    size_t      actions;
    size_t      open_actions;
    size_t      unowned_actions;
    size_t      overdue_actions;
} itsm_review_info;
int itsm_record_review(itsm_review_info *out, const itsm_record *major);
typedef struct itsm_review_cause {
    size_t      size;
    const char *text;
    const char *by;
    itsm_time   at;
} itsm_review_cause;
int itsm_review_cause_at(itsm_review_cause *out, const itsm_record *major, size_t index);
typedef struct itsm_review_action {
    size_t      size;
    const char *id;
    const char *text;
    const char *owner;
    itsm_time   due;
    itsm_time   added_at;
    const char *added_by;
    int         done;
    itsm_time   done_at;
    const char *done_by;
    const char *note;
    int         overdue;
} itsm_review_action;
int itsm_review_action_at(itsm_review_action *out, const itsm_record *major, size_t index);
int itsm_review_timeline(itsm_timeline **out, itsm_record *major);
int itsm_engine_review_actions(itsm_engine *eng, size_t *open, size_t *overdue, size_t *unowned);

/* ---- whatif.h (the what-if as its JSON) ---- */
typedef struct itsm_whatif itsm_whatif;
typedef struct itsm_whatif_opts {
    unsigned        version;
    itsm_time       as_of;
    itsm_allocator  alloc;
    char           *errmsg;
    size_t          errmsg_cap;
} itsm_whatif_opts;
int itsm_whatif_opts_init(itsm_whatif_opts *opts, unsigned version);
int itsm_whatif_new(itsm_whatif **out, itsm_engine *eng, const itsm_policy *candidate,
                    const itsm_whatif_opts *opts);
void itsm_whatif_free(itsm_whatif *w);
int itsm_whatif_to_json(const itsm_whatif *w, size_t max_flips, char *buf, size_t cap, size_t *len);

/* ---- migration.h (the check as its JSON) ---- */
typedef struct itsm_migration itsm_migration;
int itsm_engine_migration_check(itsm_migration **out, itsm_engine *eng, const itsm_policy *candidate);
void itsm_migration_free(itsm_migration *m);
int itsm_migration_to_json(const itsm_migration *m, char *buf, size_t cap, size_t *len);
