/*
 * fuzz.h: what the fuzz targets share: libFuzzer's entry point and CHECK(),
 * which reports a broken invariant with its place and aborts, so that
 * libFuzzer (or fuzz/standalone.c) records the input as a crash.
 */
#ifndef SIGPORT_FUZZ_H
#define SIGPORT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (!(cond)) fuzz_failed(__FILE__, __LINE__, #cond);                     \
  } while (0)

static inline void fuzz_failed(const char *file, int line, const char *what) {
  fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
  abort();
}

#endif /* SIGPORT_FUZZ_H */
