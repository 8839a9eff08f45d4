/* SPDX-License-Identifier: Apache-2.0 */
/* The growable ABI: caller-sized results and versioned options (abi.h). */
#include "core/abi.h"
#include "core/core.h"
#include "itsm/version.h"
#include "kit/opts.h"

#include <stdio.h>
#include <string.h>

int itsm__sized_check(size_t size, size_t min, size_t cur, const char *type, char *msg, size_t cap)
{
    if (size >= min && size <= cur)
        return ITSM_OK;
    if (size > cur)
        snprintf(msg, cap, "%s.size is %zu, larger than this library's %zu bytes: the program was "
                 "built against a newer itsm than the %s it runs with", type, size, cur,
                 ITSM_VERSION_STRING);
    else
        snprintf(msg, cap, "%s.size is %zu; set it to sizeof(%s) (this library fills %zu..%zu bytes)",
                 type, size, type, min, cur);
    return ITSM_EINVAL;
}

void itsm__sized_put(void *dst, size_t size, const void *full)
{
    /* The caller's size member stays; everything after it, up to the
     * caller's size, is the library's. */
    memcpy((char *)dst + sizeof(size_t), (const char *)full + sizeof(size_t), size - sizeof(size_t));
}

void *itsm__sized_array_begin(const itsm_allocator *a, void *out, size_t stride, size_t full_size, size_t n)
{
    return stride == full_size ? out : itsm__calloc(a, n ? n : 1, full_size);
}

void itsm__sized_array_end(const itsm_allocator *a, void *out, size_t stride, void *full, size_t full_size,
                           size_t k)
{
    for (size_t i = 0; i < k; i++) {
        char *dst = (char *)out + i * stride;
        if (full != out)
            itsm__sized_put(dst, stride, (const char *)full + i * full_size);
        memcpy(dst, &stride, sizeof stride);
    }
    if (full != out)
        itsm__free(a, full);
}

int itsm__sized_out(const itsm_engine *eng, size_t size, size_t min, size_t cur, const char *type)
{
    char msg[256];
    if (itsm__sized_check(size, min, cur, type, msg, sizeof msg) == ITSM_OK)
        return ITSM_OK;
    return eng ? itsm__err_const(eng, ITSM_EINVAL, "%s", msg) : ITSM_EINVAL;
}

int itsm__rec_out(const itsm_record *r, const void *out, size_t size, size_t min, size_t cur, const char *type,
                  const char *fn)
{
    if (!r)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err_const(r->eng, ITSM_EINVAL, "%s: out is NULL", fn);
    return itsm__sized_out(r->eng, size, min, cur, type);
}

int itsm__version_check(long long version, unsigned current, const char *what, char *msg, size_t cap)
{
    /* long long: a version field may be unsigned and as wide as long on
     * LP64, so a 32-bit long would turn a huge version into "not a version" */
    if (itsm__version_ok(version, current))
        return ITSM_OK;
    if (version > (long long)current)
        snprintf(msg, cap, "%s version %lld is newer than this library's %u (itsm %s)", what, version,
                 current, ITSM_VERSION_STRING);
    else
        snprintf(msg, cap, "%s version %lld is not a version (1..%u; use the INIT macro or *_init)",
                 what, version, current);
    return ITSM_EINVAL;
}

int itsm__version_refused(itsm_engine *eng, long long version, unsigned current, const char *what)
{
    char msg[192];
    if (itsm__version_check(version, current, what, msg, sizeof msg) == ITSM_OK)
        return ITSM_OK;
    return itsm__err(eng, ITSM_EINVAL, "%s", msg);
}

/* The size of each version of the engine options and the store table:
 * what a caller of that version has, and so all the library may read. */
static size_t engine_opts_size(unsigned version)
{
    return version == 1 ? ITSM__END(itsm_engine_opts, limits) : sizeof(itsm_engine_opts);
}

static size_t store_size(int version)
{
    return version == 1 ? ITSM__END(itsm_store, destroy)
         : version == 2 ? ITSM__END(itsm_store, read_record)
                        : sizeof(itsm_store);
}

int itsm__engine_opts_read(itsm_engine_opts *out, const itsm_engine_opts *opts, char *msg, size_t cap)
{
    itsm_engine_opts defaults = ITSM_ENGINE_OPTS_INIT;
    *out = defaults;
    if (!opts)
        return ITSM_OK;
    int rc = itsm__version_check(opts->version, ITSM_ENGINE_OPTS_VERSION, "engine options", msg, cap);
    if (rc)
        return rc;
    memcpy(out, opts, engine_opts_size(opts->version));
    out->version = ITSM_ENGINE_OPTS_VERSION;
    return ITSM_OK;
}

int itsm__store_read(itsm_store *out, const itsm_store *store, char *msg, size_t cap)
{
    memset(out, 0, sizeof *out);
    int rc = itsm__version_check(store->version, ITSM_STORE_VERSION, "store table", msg, cap);
    if (rc)
        return rc;
    memcpy(out, store, store_size(store->version));
    out->version = ITSM_STORE_VERSION;
    return ITSM_OK;
}

ITSM__DEFINE_INIT_SIZED(itsm_engine_opts_init, itsm_engine_opts, ITSM_ENGINE_OPTS_VERSION, ITSM_ENGINE_OPTS_INIT,
                        engine_opts_size(version))
