/*
 * runner.c: one executable for every suite.
 *
 *   sigport_tests SUITE           runs one suite (CTest runs each as a test)
 *   sigport_tests --list          lists the suites
 *   sigport_tests --child NAME .. runs a child program of a suite
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "suites.h"

const char *sp_test_argv0;

int sp_test_relaxed_counts(void) {
  const char *v = getenv("SIGPORT_TEST_RELAXED");
  return v != NULL && *v != '\0' && strcmp(v, "0") != 0;
}

struct suite_entry {
  const char *name;
  Suite *(*make)(void);
};
struct child_entry {
  const char *name;
  int (*run)(int argc, char **argv);
};

#define SP_SUITE_ENTRY(name) {#name, sp_suite_##name},
#define SP_CHILD_ENTRY(name) {#name, sp_child_##name},
static const struct suite_entry suites[] = {SP_SUITES(SP_SUITE_ENTRY)};
static const struct child_entry children[] = {SP_CHILDREN(SP_CHILD_ENTRY)};

/* valgrind (3.19) never grows the main thread's stack for the frame of a
   handler installed with SA_ONSTACK, as sigport's are: it takes such a
   frame to be on an alternate stack. Without one, a signal that arrives
   deeper than the stack has reached kills the process with SIGSEGV.
   Reaching 256 KiB down once grows the stack, for this process and the
   tests it forks. */
static void grow_stack(void) {
  volatile char stack[256 * 1024];
  size_t i;
  for (i = 0; i < sizeof stack; i += 512) stack[i] = 0;
}

int main(int argc, char **argv) {
  size_t i;
  sp_test_argv0 = argv[0];
  if (sp_test_under_valgrind()) grow_stack();
  if (argc >= 2 && strcmp(argv[1], "--list") == 0) {
    for (i = 0; i < sizeof suites / sizeof suites[0]; i++)
      printf("%s\n", suites[i].name);
    return 0;
  }
  if (argc >= 3 && strcmp(argv[1], "--child") == 0) {
    for (i = 0; i < sizeof children / sizeof children[0]; i++)
      if (strcmp(children[i].name, argv[2]) == 0)
        return children[i].run(argc - 2, argv + 2);
    fprintf(stderr, "sigport_tests: unknown child '%s'\n", argv[2]);
    return 2;
  }
  if (argc != 2) {
    fprintf(stderr, "usage: sigport_tests SUITE | --list | --child NAME ...\n");
    return 2;
  }
  for (i = 0; i < sizeof suites / sizeof suites[0]; i++) {
    if (strcmp(suites[i].name, argv[1]) == 0) {
      SRunner *sr = srunner_create(suites[i].make());
      int failed;
      srunner_run_all(sr, CK_NORMAL);
      failed = srunner_ntests_failed(sr);
      srunner_free(sr);
      return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
    }
  }
  fprintf(stderr, "sigport_tests: unknown suite '%s'\n", argv[1]);
  return 2;
}
