// A hint to the processor to start loading a cache line the index will read soon. Swift has no
// prefetch of its own; this header-only module gives GridIndex the compiler's builtin.
#ifndef SITING_PREFETCH_H
#define SITING_PREFETCH_H

static inline void siting_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
