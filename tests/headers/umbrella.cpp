// umbrella.cpp - the public headers, compiled as a C++ host would
// (ctest: header_cxx, -std=c++11 -Wall -Wextra -pedantic -Werror).
//
// Nothing here runs; the test is that this compiles cleanly: extern "C"
// blocks in place, no C-only constructs in the headers, and the *_INIT
// macros usable as C++ aggregate initializers.
#include <itsm.h>
#include <itsm/common.h>
#include <itsm/version.h>
#include <itsm/errors.h>
#include <itsm/json.h>
#include <itsm/record.h>
#include <itsm/policy.h>
#include <itsm/event.h>
#include <itsm/engine.h>
#include <itsm/sys/store.h>
#include <itsm.h>

#include <cstddef>

static_assert(sizeof(itsm_time) == 8, "itsm_time is 64 bits");
static_assert(ITSM_OK == 0, "ITSM_OK is 0");

// C linkage: the declared functions must convert to plain C function
// pointers of the documented types.
extern "C" {
typedef int (*itsm_umbrella_version_fn)(void);
}

int itsm_umbrella_cxx();

int itsm_umbrella_cxx()
{
    itsm_engine_opts    eo = ITSM_ENGINE_OPTS_INIT;
    itsm_record_opts    ro = ITSM_RECORD_OPTS_INIT;
    itsm_note_opts      no = ITSM_NOTE_OPTS_INIT;
    itsm_transition_def td = ITSM_TRANSITION_DEF_INIT;
    itsm_store          st = { ITSM_STORE_VERSION, NULL, NULL, NULL, NULL, NULL };
    itsm_change         ch = { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 };
    itsm_umbrella_version_fn version_fn = &itsm_version_number;

    static_cast<void>(ch);
    return static_cast<int>(eo.version + ro.version + no.version + td.version) + st.version
           + (version_fn == NULL ? 1 : 0) + ITSM_VERSION_NUMBER;
}
