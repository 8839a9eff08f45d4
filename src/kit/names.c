/* SPDX-License-Identifier: Apache-2.0 */
#include "kit/names.h"
#include "kit/alloc.h"

#include <string.h>

int itsm__pname_okn(const char *s, size_t n)
{
    if (!s || n == 0 || n > 63)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

int itsm__strv_dup(char ***out, const itsm_allocator *a, const char *const *v, size_t n)
{
    *out = NULL;
    if (n == 0)
        return ITSM_OK;
    char **c = itsm__calloc(a, n, sizeof *c);
    if (!c)
        return ITSM_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (!(c[i] = itsm__strdup(a, v[i]))) {
            itsm__strv_free(a, c, i);
            return ITSM_ENOMEM;
        }
    *out = c;
    return ITSM_OK;
}

void itsm__strv_free(const itsm_allocator *a, char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        itsm__free(a, v[i]);
    itsm__free(a, v);
}

long itsm__strv_find(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return (long)i;
    return -1;
}
