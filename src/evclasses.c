/* The registry of extension event classes (see itsm__evclass in
 * engine_int.h). A capability that adds event types declares its classes
 * in its own file and lists them here. */
#include "engine_int.h"

const itsm__evclass *const itsm__ev_classes[] = {
    NULL
};
