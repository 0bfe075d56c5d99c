/*
 * test_sigset.c: sigport_sigset_t: empty, fill, add, delete, membership,
 * iteration, the valid signals against the system's own full set, the
 * layout (bit n of bits[n / 64] is signal n), and bad input that leaves a
 * set unchanged.
 *
 * This suite runs on every platform.
 */
#include "helpers.h"

#include <limits.h>
#include <stdio.h>
#if !defined(_WIN32)
#include <signal.h>
#endif

/* The bit of signal n, computed here rather than by the library. */
static uint64_t bit_of(int n) { return (uint64_t)1 << (n % 64); }

static int raw_member(const sigport_sigset_t *set, int n) {
  return (set->bits[n / 64] & bit_of(n)) != 0;
}

/* A set with every bit set, members or not. */
static void all_ones(sigport_sigset_t *set) {
  set->bits[0] = set->bits[1] = ~(uint64_t)0;
}

/* The valid signals of this platform, from the system. */
static int system_valid(int n) {
#if !defined(_WIN32)
  sigset_t all;
  sigfillset(&all);
  return sigismember(&all, n) == 1;
#else
  switch (n) {
    case SIGPORT_SIGINT:
    case SIGPORT_SIGILL:
    case SIGPORT_SIGFPE:
    case SIGPORT_SIGSEGV:
    case SIGPORT_SIGALRM: /* not the C runtime's: sigport delivers it */
    case SIGPORT_SIGTERM:
    case SIGPORT_SIGBREAK:
    case SIGPORT_SIGABRT:
      return 1;
    default:
      return 0;
  }
#endif
}

START_TEST(test_layout) {
  sigport_sigset_t set;
  ck_assert_uint_eq(sizeof set, 16);
  ck_assert_uint_eq(sizeof set.bits[0], 8);
  ck_assert_int_le(SIGPORT_NSIG, 128);
  SP_ASSERT_OK(sigport_sigemptyset(&set));
  SP_ASSERT_OK(sigport_sigaddset(&set, 1));
  ck_assert(set.bits[0] == 2 && set.bits[1] == 0);
  if (SIGPORT_NSIG > 63) {
    SP_ASSERT_OK(sigport_sigaddset(&set, 63));
    ck_assert(set.bits[0] == (2 | ((uint64_t)1 << 63)) && set.bits[1] == 0);
  }
  if (SIGPORT_NSIG > 64) {
    SP_ASSERT_OK(sigport_sigemptyset(&set));
    SP_ASSERT_OK(sigport_sigaddset(&set, 64));
    ck_assert(set.bits[0] == 0 && set.bits[1] == 1);
  }
}
END_TEST

/* Each signal number alone: add sets exactly its bit, ismember sees only
   it, delete clears it. Any number in range may be added, valid or not. */
START_TEST(test_each_number_alone) {
  int n, m;
  for (n = 1; n < SIGPORT_NSIG; n++) {
    sigport_sigset_t set;
    SP_ASSERT_OK(sigport_sigemptyset(&set));
    SP_ASSERT_OK(sigport_sigaddset(&set, n));
    ck_assert_msg(set.bits[n / 64] == bit_of(n) && set.bits[1 - n / 64] == 0,
                  "sigaddset(%d) gave %016llx %016llx", n,
                  (unsigned long long)set.bits[0],
                  (unsigned long long)set.bits[1]);
    for (m = 1; m < SIGPORT_NSIG; m++)
      ck_assert_int_eq(sigport_sigismember(&set, m), m == n);
    /* Adding again changes nothing. */
    SP_ASSERT_OK(sigport_sigaddset(&set, n));
    ck_assert(set.bits[n / 64] == bit_of(n) && set.bits[1 - n / 64] == 0);
    ck_assert_int_eq(sigport_sigset_next(&set, 0), n);
    ck_assert_int_eq(sigport_sigset_next(&set, n), 0);
    SP_ASSERT_OK(sigport_sigdelset(&set, n));
    ck_assert(set.bits[0] == 0 && set.bits[1] == 0);
    /* Deleting an absent member changes nothing. */
    SP_ASSERT_OK(sigport_sigdelset(&set, n));
    ck_assert(set.bits[0] == 0 && set.bits[1] == 0);
  }
}
END_TEST

START_TEST(test_empty) {
  sigport_sigset_t set;
  int n;
  all_ones(&set);
  SP_ASSERT_OK(sigport_sigemptyset(&set));
  ck_assert(set.bits[0] == 0 && set.bits[1] == 0);
  for (n = 1; n < SIGPORT_NSIG; n++)
    ck_assert_int_eq(sigport_sigismember(&set, n), 0);
  ck_assert_int_eq(sigport_sigset_next(&set, 0), 0);
}
END_TEST

START_TEST(test_fill_equals_valid) {
  sigport_sigset_t fill, valid;
  int n;
  all_ones(&fill);
  all_ones(&valid);
  SP_ASSERT_OK(sigport_sigfillset(&fill));
  SP_ASSERT_OK(sigport_valid_signals(&valid));
  ck_assert_int_eq(memcmp(&fill, &valid, sizeof fill), 0);
  /* No bit outside the range: not 0, none at or above SIGPORT_NSIG. */
  ck_assert(!raw_member(&fill, 0));
  for (n = SIGPORT_NSIG; n < 128; n++)
    ck_assert_msg(!raw_member(&fill, n), "bit %d is set", n);
}
END_TEST

/* The valid signals are the system's: on POSIX the members of the C
   library's sigfillset() (so glibc's reserved 32 and 33 are out, SIGKILL
   and SIGSTOP in); on Windows the C runtime's seven and SIGALRM. */
START_TEST(test_valid_matches_system) {
  sigport_sigset_t valid;
  int n, count = 0;
  SP_ASSERT_OK(sigport_valid_signals(&valid));
  for (n = 1; n < SIGPORT_NSIG; n++) {
    ck_assert_msg(raw_member(&valid, n) == system_valid(n),
                  "signal %d: sigport %d, system %d", n, raw_member(&valid, n),
                  system_valid(n));
    ck_assert_int_eq(sigport_sigismember(&valid, n), system_valid(n));
    count += system_valid(n);
  }
#if defined(_WIN32)
  ck_assert_int_eq(count, 8);
#else
  ck_assert_int_eq(sigport_sigismember(&valid, SIGKILL), 1);
  ck_assert_int_eq(sigport_sigismember(&valid, SIGSTOP), 1);
  ck_assert_int_eq(sigport_sigismember(&valid, SIGINT), 1);
#if defined(__linux__) && defined(__GLIBC__)
  ck_assert_int_eq(sigport_sigismember(&valid, 32), 0);
  ck_assert_int_eq(sigport_sigismember(&valid, 33), 0);
  ck_assert_int_eq(sigport_sigismember(&valid, 34), 1);
  ck_assert_int_eq(sigport_sigismember(&valid, 64), 1);
  /* 1 to SIGPORT_NSIG - 1 (64, or 127 on MIPS), but 32 and 33. */
  ck_assert_int_eq(count, SIGPORT_NSIG - 3);
#endif
#endif
}
END_TEST

START_TEST(test_fill_then_delete_all) {
  sigport_sigset_t set;
  int n;
  SP_ASSERT_OK(sigport_sigfillset(&set));
  for (n = 1; n < SIGPORT_NSIG; n++) SP_ASSERT_OK(sigport_sigdelset(&set, n));
  ck_assert(set.bits[0] == 0 && set.bits[1] == 0);
}
END_TEST

/* Iterating with sigset_next() visits exactly the members, in increasing
   order; next(after) is the lowest member above `after` for every
   `after`. */
static void assert_iteration(const sigport_sigset_t *set) {
  int s, prev = 0, visits = 0, members = 0, after;
  for (s = 1; s < SIGPORT_NSIG; s++) members += raw_member(set, s);
  for (s = 0; (s = sigport_sigset_next(set, s)) > 0;) {
    ck_assert_int_gt(s, prev);
    ck_assert_int_lt(s, SIGPORT_NSIG);
    ck_assert_msg(raw_member(set, s), "next() gave non-member %d", s);
    prev = s;
    visits++;
    ck_assert_int_le(visits, members);
  }
  ck_assert_int_eq(s, 0);
  ck_assert_int_eq(visits, members);
  for (after = 0; after < SIGPORT_NSIG; after++) {
    int expect = 0;
    for (s = after + 1; s < SIGPORT_NSIG; s++)
      if (raw_member(set, s)) {
        expect = s;
        break;
      }
    ck_assert_msg(sigport_sigset_next(set, after) == expect,
                  "next(%d) is %d, expected %d", after,
                  sigport_sigset_next(set, after), expect);
  }
}

START_TEST(test_next_iteration) {
  sigport_sigset_t set;
  unsigned long long x = 0x9e3779b97f4a7c15ull;
  int round, n;
  SP_ASSERT_OK(sigport_sigemptyset(&set));
  assert_iteration(&set);
  SP_ASSERT_OK(sigport_sigfillset(&set));
  assert_iteration(&set);
  /* The highest and the lowest number. */
  SP_ASSERT_OK(sigport_sigemptyset(&set));
  SP_ASSERT_OK(sigport_sigaddset(&set, SIGPORT_NSIG - 1));
  SP_ASSERT_OK(sigport_sigaddset(&set, 1));
  assert_iteration(&set);
  ck_assert_int_eq(sigport_sigset_next(&set, SIGPORT_NSIG - 2),
                   SIGPORT_NSIG - 1);
  ck_assert_int_eq(sigport_sigset_next(&set, SIGPORT_NSIG - 1), 0);
  /* Pseudo-random sets, the same every run. */
  for (round = 0; round < 200; round++) {
    SP_ASSERT_OK(sigport_sigemptyset(&set));
    for (n = 1; n < SIGPORT_NSIG; n++) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      if ((x >> 33) % (unsigned)(round % 7 + 2) == 0)
        SP_ASSERT_OK(sigport_sigaddset(&set, n));
    }
    assert_iteration(&set);
  }
}
END_TEST

/* Bits outside [1; SIGPORT_NSIG - 1], set by hand, are never visited. */
START_TEST(test_next_ignores_bits_out_of_range) {
  sigport_sigset_t set;
  int n;
  set.bits[0] = 1; /* signal 0 */
  set.bits[1] = 0;
  for (n = SIGPORT_NSIG; n < 128; n++) set.bits[n / 64] |= bit_of(n);
  ck_assert_int_eq(sigport_sigset_next(&set, 0), 0);
  ck_assert_int_eq(sigport_sigset_next(&set, SIGPORT_NSIG - 1), 0);
  /* With one member in range, only that one. */
  set.bits[SIGPORT_SIGINT / 64] |= bit_of(SIGPORT_SIGINT);
  ck_assert_int_eq(sigport_sigset_next(&set, 0), SIGPORT_SIGINT);
  ck_assert_int_eq(sigport_sigset_next(&set, SIGPORT_SIGINT), 0);
}
END_TEST

/* A bad number fails, names itself in the message, and leaves the set as
   it was. */
static const int bad_numbers[] = {0,           -1,   SIGPORT_NSIG,
                                  SIGPORT_NSIG + 1, 128, 1000,
                                  INT_MIN,     INT_MAX};

START_TEST(test_bad_number) {
  int n = bad_numbers[_i];
  sigport_sigset_t set, before;
  char expect[96];
  SP_ASSERT_OK(sigport_sigemptyset(&set));
  SP_ASSERT_OK(sigport_sigaddset(&set, SIGPORT_SIGINT));
  SP_ASSERT_OK(sigport_sigaddset(&set, SIGPORT_NSIG - 1));
  before = set;
  snprintf(expect, sizeof expect, "signal number %d out of range [1; %d]", n,
           SIGPORT_NSIG - 1);
  SP_ASSERT_FAILS(sigport_sigaddset(&set, n), SIGPORT_EVALUE, expect);
  ck_assert_ptr_nonnull(strstr(sigport_last_error(), "sigport_sigaddset"));
  ck_assert_int_eq(memcmp(&set, &before, sizeof set), 0);
  SP_ASSERT_FAILS(sigport_sigdelset(&set, n), SIGPORT_EVALUE, expect);
  ck_assert_ptr_nonnull(strstr(sigport_last_error(), "sigport_sigdelset"));
  ck_assert_int_eq(memcmp(&set, &before, sizeof set), 0);
  SP_ASSERT_FAILS(sigport_sigismember(&set, n), SIGPORT_EVALUE, expect);
  ck_assert_ptr_nonnull(strstr(sigport_last_error(), "sigport_sigismember"));
  ck_assert_int_eq(memcmp(&set, &before, sizeof set), 0);
  /* sigset_next takes 0 (start from the beginning) but nothing negative or
     at SIGPORT_NSIG and beyond. */
  if (n != 0) {
    snprintf(expect, sizeof expect, "after %d out of range [0; %d]", n,
             SIGPORT_NSIG - 1);
    SP_ASSERT_FAILS(sigport_sigset_next(&set, n), SIGPORT_EVALUE, expect);
    ck_assert_ptr_nonnull(strstr(sigport_last_error(), "sigport_sigset_next"));
    ck_assert_int_eq(memcmp(&set, &before, sizeof set), 0);
  }
}
END_TEST

START_TEST(test_null) {
  sigport_sigset_t set;
  SP_ASSERT_FAILS(sigport_sigemptyset(NULL), SIGPORT_EVALUE,
                  "sigport_sigemptyset: set must not be NULL");
  SP_ASSERT_FAILS(sigport_sigfillset(NULL), SIGPORT_EVALUE,
                  "sigport_sigfillset: set must not be NULL");
  SP_ASSERT_FAILS(sigport_sigaddset(NULL, SIGPORT_SIGINT), SIGPORT_EVALUE,
                  "sigport_sigaddset: set must not be NULL");
  SP_ASSERT_FAILS(sigport_sigdelset(NULL, SIGPORT_SIGINT), SIGPORT_EVALUE,
                  "sigport_sigdelset: set must not be NULL");
  SP_ASSERT_FAILS(sigport_sigismember(NULL, SIGPORT_SIGINT), SIGPORT_EVALUE,
                  "sigport_sigismember: set must not be NULL");
  SP_ASSERT_FAILS(sigport_sigset_next(NULL, 0), SIGPORT_EVALUE,
                  "sigport_sigset_next: set must not be NULL");
  SP_ASSERT_FAILS(sigport_valid_signals(NULL), SIGPORT_EVALUE,
                  "sigport_valid_signals: out must not be NULL");
  /* NULL and a bad number at once: still SIGPORT_EVALUE. */
  ck_assert_int_eq(sigport_sigaddset(NULL, 0), SIGPORT_EVALUE);
  ck_assert_int_eq(sigport_sigset_next(NULL, -1), SIGPORT_EVALUE);
  /* A good call afterwards works. */
  SP_ASSERT_OK(sigport_sigemptyset(&set));
}
END_TEST

Suite *sp_suite_sigset(void) {
  Suite *s = suite_create("sigset");
  TCase *tc = tcase_create("sigset");
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, test_layout);
  tcase_add_test(tc, test_each_number_alone);
  tcase_add_test(tc, test_empty);
  tcase_add_test(tc, test_fill_equals_valid);
  tcase_add_test(tc, test_valid_matches_system);
  tcase_add_test(tc, test_fill_then_delete_all);
  tcase_add_test(tc, test_next_iteration);
  tcase_add_test(tc, test_next_ignores_bits_out_of_range);
  tcase_add_loop_test(tc, test_bad_number, 0,
                      (int)(sizeof bad_numbers / sizeof bad_numbers[0]));
  tcase_add_test(tc, test_null);
  suite_add_tcase(s, tc);
  return s;
}
