/*
 * fuzz_planted.c: a fuzz target with a planted bug, for ci/fuzz.sh to
 * prove that fuzzing finds a bug and that the script then fails.
 *
 * A name of a real-time signal 10 to 19 below SIGRTMAX ("RTMAX-12",
 * "SIGRTMIN+20" on glibc; not a number) makes it read one byte past a heap
 * block, which AddressSanitizer reports. No seed of fuzz/corpus/signum/
 * names one, so the fuzzer must make one, as from "RTMAX-1".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sigport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *name = malloc(size + 1);
  volatile char past = 0;
  if (name == NULL) return 0;
  if (size > 0) memcpy(name, data, size);
  name[size] = '\0';
  {
    int v = sigport_signum(name), hi = sigport_sigrtmax();
    if (v > 0 && v >= sigport_sigrtmin() && hi - v >= 10 && hi - v <= 19 &&
        (name[0] < '0' || name[0] > '9'))
      past = name[size + 1];
  }
  (void)past;
  free(name);
  return 0;
}
