/*
 * pinger.c: the pinger as a program of its own, for the CPython peer.
 *   bench_pinger latency|burst|rtburst SHM_FD TARGET_PID N ACK_FD GAP_US
 * SHM_FD is a file (a memfd) holding a struct bench_shared at offset 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bench.h"

int main(int argc, char **argv) {
  int mode;
  void *shm;
  if (argc != 7) {
    fprintf(stderr,
            "usage: %s latency|burst|rtburst SHM_FD PID N ACK_FD GAP_US\n",
            argv[0]);
    return 2;
  }
  if (strcmp(argv[1], "latency") == 0)
    mode = PING_LATENCY;
  else if (strcmp(argv[1], "burst") == 0)
    mode = PING_BURST;
  else if (strcmp(argv[1], "rtburst") == 0)
    mode = PING_RTBURST;
  else
    return 2;
  shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, atoi(argv[2]), 0);
  if (shm == MAP_FAILED) bench_die("mmap");
  return bench_pinger(mode, shm, (pid_t)atoi(argv[3]), atol(argv[4]),
                      atoi(argv[5]), atol(argv[6]));
}
