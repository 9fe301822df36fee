#ifndef SITING_CSQLITE_SHIM_H
#define SITING_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
