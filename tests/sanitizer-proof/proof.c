/*
 * proof.c: bugs planted on purpose, each in a Check test run in a forked
 * child, to prove that a sanitizer report there fails the test. Built only
 * by ci/test, never part of the library or its suites.
 *
 *   proof heap-overflow | signed-overflow | data-race
 */
#include <check.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static volatile int sink;

START_TEST(heap_overflow) {
  char *p = malloc(8);
  volatile int i = 8;
  p[i] = 1;
  sink = p[0];
  free(p);
}
END_TEST

START_TEST(signed_overflow) {
  volatile int big = INT_MAX;
  sink = big + 1;
}
END_TEST

static int shared;
static void *racer(void *arg) {
  (void)arg;
  shared++;
  return NULL;
}

START_TEST(data_race) {
  pthread_t a, b;
  pthread_create(&a, NULL, racer, NULL);
  pthread_create(&b, NULL, racer, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  sink = shared;
}
END_TEST

int main(int argc, char **argv) {
  Suite *s = suite_create("proof");
  TCase *tc = tcase_create("proof");
  SRunner *sr;
  int failed;
  if (argc != 2) return 2;
  if (strcmp(argv[1], "heap-overflow") == 0)
    tcase_add_test(tc, heap_overflow);
  else if (strcmp(argv[1], "signed-overflow") == 0)
    tcase_add_test(tc, signed_overflow);
  else if (strcmp(argv[1], "data-race") == 0)
    tcase_add_test(tc, data_race);
  else
    return 2;
  suite_add_tcase(s, tc);
  sr = srunner_create(s);
  srunner_set_fork_status(sr, CK_FORK);
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
