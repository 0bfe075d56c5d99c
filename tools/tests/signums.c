/* signums: prints, one a line, the number the C library gives each signal
   named on the command line, as `kill -l NAME` does in a shell built for
   the same system: HUP, SIGHUP, RTMIN, RTMAX; and for a number, the name
   of the first signal below with that number (without SIG). The shell
   tests use it for the numbers sigport itself prints or parses, since the
   shell that runs them may be another architecture's (qemu-user). It
   knows only the C library, never sigport. Exit status 2 for a name or
   number it does not know. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
  const char *name;
  int signum;
};

#define E(x) {#x, SIG##x}
static const struct entry table[] = {
    E(HUP),  E(INT),    E(QUIT),   E(ILL),  E(TRAP), E(ABRT), E(BUS),
    E(FPE),  E(KILL),   E(USR1),   E(SEGV), E(USR2), E(PIPE), E(ALRM),
    E(TERM), E(CHLD),   E(CONT),   E(STOP), E(TSTP), E(TTIN), E(TTOU),
    E(URG),  E(XCPU),   E(XFSZ),   E(VTALRM), E(PROF), E(WINCH), E(SYS),
#ifdef SIGIO
    E(IO),
#endif
#ifdef SIGPWR
    E(PWR),
#endif
#ifdef SIGEMT
    E(EMT),
#endif
#ifdef SIGSTKFLT
    E(STKFLT),
#endif
#ifdef SIGINFO
    E(INFO),
#endif
};
#undef E

int main(int argc, char **argv) {
  int i, status = 0;
  for (i = 1; i < argc; i++) {
    const char *name = argv[i];
    size_t k;
    int found = 0;
    char *end;
    long number = strtol(name, &end, 10);
    if (name[0] >= '0' && name[0] <= '9' && *end == '\0') {
      for (k = 0; k < sizeof table / sizeof table[0]; k++) {
        if (table[k].signum == number) {
          printf("%s\n", table[k].name);
          found = 1;
          break;
        }
      }
      if (!found) {
        fprintf(stderr, "signums: no signal numbered %s\n", name);
        status = 2;
      }
      continue;
    }
    if (strncmp(name, "SIG", 3) == 0) name += 3;
    if (strcmp(name, "RTMIN") == 0) {
      printf("%d\n", SIGRTMIN);
      continue;
    }
    if (strcmp(name, "RTMAX") == 0) {
      printf("%d\n", SIGRTMAX);
      continue;
    }
    for (k = 0; k < sizeof table / sizeof table[0]; k++) {
      if (strcmp(table[k].name, name) == 0) {
        printf("%d\n", table[k].signum);
        found = 1;
        break;
      }
    }
    if (!found) {
      fprintf(stderr, "signums: unknown signal name '%s'\n", argv[i]);
      status = 2;
    }
  }
  return status;
}
