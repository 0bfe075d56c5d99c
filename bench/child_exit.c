/*
 * child_exit.c: the child of the child-reaping workload, in place of
 * /bin/true, for every arm.
 *
 *   child_exit STAMPS_FD INDEX GATE_FD
 *
 * STAMPS_FD is a file of one int64_t per child; GATE_FD the read end of
 * the reaper's gate pipe. The child maps the file, then blocks in read()
 * on the gate: the reaper lets it go with one byte (serial) or by closing
 * the write end (burst). It then stores CLOCK_MONOTONIC in its slot and
 * calls _exit() with the code the reaper expects of it (child.h), so that
 * the reaper can tell how long its callback came after the exit, and that
 * each status reached the right callback. Linked statically: no dynamic
 * loader, so that its start costs the children as little as /bin/true.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "child.h"

int main(int argc, char **argv) {
  int64_t *stamps;
  struct timespec ts;
  long index;
  ssize_t r;
  char c;
  int gate;
  if (argc != 4) _exit(CHILD_USAGE_CODE);
  index = atol(argv[2]);
  gate = atoi(argv[3]);
  if (index < 0) _exit(CHILD_USAGE_CODE);
  stamps = mmap(NULL, (size_t)(index + 1) * sizeof *stamps,
                PROT_READ | PROT_WRITE, MAP_SHARED, atoi(argv[1]), 0);
  if (stamps == MAP_FAILED) _exit(CHILD_USAGE_CODE);
  do r = read(gate, &c, 1);
  while (r < 0 && errno == EINTR);
  if (r < 0) _exit(CHILD_USAGE_CODE);
  clock_gettime(CLOCK_MONOTONIC, &ts);
  stamps[index] = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
  _exit(child_code(index));
}
