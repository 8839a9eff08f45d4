/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the binary writer's steps, called by the JSON writer's own
 * calls when a writer is in binary mode (kit/json_write.c). */
#ifndef ITSM_SRC_KIT_JSON_BIN_H
#define ITSM_SRC_KIT_JSON_BIN_H

#include "kit/json.h"

void itsm__jwb_byte(itsm__jw *w, unsigned char b);
void itsm__jwb_open(itsm__jw *w, int is_obj);
void itsm__jwb_close(itsm__jw *w);
void itsm__jwb_key(itsm__jw *w, const char *key, size_t n);
void itsm__jwb_key_untabled(itsm__jw *w, const char *key, size_t n);   /* key known to be outside the table */
const char *itsm__jwb_keyname(int entry);   /* the table's entry, or NULL */
void itsm__jwb_str(itsm__jw *w, const char *s, size_t n);
void itsm__jwb_ascii(itsm__jw *w, const char *s, size_t n);   /* s known to be ASCII */
void itsm__jwb_int(itsm__jw *w, int64_t v);
void itsm__jwb_double(itsm__jw *w, double v);
int  itsm__jwb_finish(itsm__jw *w, size_t *len);

#endif
