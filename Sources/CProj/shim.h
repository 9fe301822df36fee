#ifndef SITING_CPROJ_SHIM_H
#define SITING_CPROJ_SHIM_H
// PROJ's public C API: coordinate operations (proj.h) and Karney's geodesics (geod.h).
#include <proj.h>
#include <geodesic.h>
#endif
