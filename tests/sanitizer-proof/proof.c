/*
 * proof.c: bugs planted on purpose, each in a Check test that runs in a
 * forked child, to prove that a sanitizer's report there fails the test
 * and the run. Built only by ci/test, with the flags of the sanitizer
 * configurations; never part of the library or its suites.
 *
 *   proof clean | heap-overflow | signed-overflow | data-race
 *
 * "clean" runs the same code without the bug and must pass, so that a
 * failure of the others is known to come from the sanitizer. The exit
 * status is 0 when every test passed, 1 otherwise, 2 for a bad argument.
 */
#include <check.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static volatile int sink;
static volatile int heap_index = 7;
static volatile int addend = 0;
static int shared;
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static int use_lock = 1;

/* Writes p[heap_index] into an 8-byte block: index 8 is one past its end. */
static void write_heap(void) {
  char *p = malloc(8);
  ck_assert_ptr_nonnull(p);
  p[heap_index] = 1;
  sink = p[0];
  free(p);
}

/* (INT_MAX - 1) + addend: an addend of 2 overflows. */
static void add_to_max(void) {
  volatile int big = INT_MAX - 1;
  sink = big + addend;
}

static void *racer(void *arg) {
  (void)arg;
  if (use_lock) pthread_mutex_lock(&shared_lock);
  shared++;
  if (use_lock) pthread_mutex_unlock(&shared_lock);
  return NULL;
}

/* Two threads increment one int, with or without the lock. */
static void two_racers(void) {
  pthread_t a, b;
  ck_assert_int_eq(pthread_create(&a, NULL, racer, NULL), 0);
  ck_assert_int_eq(pthread_create(&b, NULL, racer, NULL), 0);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  sink = shared;
}

START_TEST(clean) {
  write_heap();
  add_to_max();
  two_racers();
}
END_TEST

START_TEST(heap_overflow) {
  heap_index = 8;
  write_heap();
}
END_TEST

START_TEST(signed_overflow) {
  addend = 2;
  add_to_max();
}
END_TEST

START_TEST(data_race) {
  use_lock = 0;
  two_racers();
}
END_TEST

int main(int argc, char **argv) {
  Suite *s;
  TCase *tc;
  SRunner *sr;
  int failed;
  if (argc != 2) return 2;
  s = suite_create("proof");
  tc = tcase_create("proof");
  if (strcmp(argv[1], "clean") == 0)
    tcase_add_test(tc, clean);
  else if (strcmp(argv[1], "heap-overflow") == 0)
    tcase_add_test(tc, heap_overflow);
  else if (strcmp(argv[1], "signed-overflow") == 0)
    tcase_add_test(tc, signed_overflow);
  else if (strcmp(argv[1], "data-race") == 0)
    tcase_add_test(tc, data_race);
  else
    return 2;
  suite_add_tcase(s, tc);
  sr = srunner_create(s);
  /* Explicit, whatever CK_FORK says: the report must come from a child. */
  srunner_set_fork_status(sr, CK_FORK);
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
