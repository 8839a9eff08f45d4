/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Preloaded into php for the sanitizer build of the PHP binding's tests.
 * PHP opens its extensions (and FFI its libraries) with RTLD_DEEPBIND, which
 * the AddressSanitizer runtime refuses; a PHP built with ASan leaves the flag
 * out, and so does this shim: it passes every dlopen on without it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

void *dlopen(const char *file, int mode);

void *dlopen(const char *file, int mode)
{
    static void *(*next)(const char *, int);
    if (next == NULL) {
        void *sym = dlsym(RTLD_NEXT, "dlopen");
        memcpy(&next, &sym, sizeof next);   /* object to function pointer, without a cast */
        if (next == NULL)
            return NULL;
    }
    return next(file, mode & ~RTLD_DEEPBIND);
}
