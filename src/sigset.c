/*
 * sigset.c: sigport_sigset_t, a set of signal numbers that means the same
 * on every platform: bit n of bits[n / 64] is signal n.
 */
#include "backend.h"
#include "internal.h"

_Static_assert(SIGPORT_NSIG <= 128, "sigport_sigset_t holds 128 signals");

static int check_member(const sigport_sigset_t *set, int signum,
                        const char *fn) {
  int rc = sp__check_ptr(set, fn, "set");
  if (rc == 0) rc = sp__check_range(signum, fn);
  return rc;
}

int sigport_sigemptyset(sigport_sigset_t *set) {
  int rc = sp__check_ptr(set, "sigport_sigemptyset", "set");
  if (rc != 0) return rc;
  set->bits[0] = set->bits[1] = 0;
  return 0;
}

int sigport_valid_signals(sigport_sigset_t *out) {
  int rc = sp__check_ptr(out, "sigport_valid_signals", "out"), s;
  if (rc != 0) return rc;
  out->bits[0] = out->bits[1] = 0;
  for (s = 1; s < SIGPORT_NSIG; s++)
    if (sp__backend_is_valid(s)) out->bits[s / 64] |= (uint64_t)1 << (s % 64);
  return 0;
}

int sigport_sigfillset(sigport_sigset_t *set) {
  int rc = sp__check_ptr(set, "sigport_sigfillset", "set");
  if (rc != 0) return rc;
  return sigport_valid_signals(set);
}

int sigport_sigaddset(sigport_sigset_t *set, int signum) {
  int rc = check_member(set, signum, "sigport_sigaddset");
  if (rc != 0) return rc;
  set->bits[signum / 64] |= (uint64_t)1 << (signum % 64);
  return 0;
}

int sigport_sigdelset(sigport_sigset_t *set, int signum) {
  int rc = check_member(set, signum, "sigport_sigdelset");
  if (rc != 0) return rc;
  set->bits[signum / 64] &= ~((uint64_t)1 << (signum % 64));
  return 0;
}

int sigport_sigismember(const sigport_sigset_t *set, int signum) {
  int rc = check_member(set, signum, "sigport_sigismember");
  if (rc != 0) return rc;
  return (set->bits[signum / 64] >> (signum % 64)) & 1 ? 1 : 0;
}

int sigport_sigset_next(const sigport_sigset_t *set, int after) {
  int rc = sp__check_ptr(set, "sigport_sigset_next", "set"), s;
  if (rc != 0) return rc;
  if (after < 0 || after >= SIGPORT_NSIG)
    return sp__fail(SIGPORT_EVALUE,
                    "sigport_sigset_next: after %d out of range [0; %d]",
                    after, SIGPORT_NSIG - 1);
  for (s = after + 1; s < SIGPORT_NSIG; s++)
    if ((set->bits[s / 64] >> (s % 64)) & 1) return s;
  return 0;
}

/* SIGPORT_EVALUE if `set` has a member outside [1; SIGPORT_NSIG - 1]: such
   a set was not made by the sigport_sig*set() calls. */
int sp__check_set_members(const sigport_sigset_t *set, const char *fn) {
  int s;
  if (set->bits[0] & 1u)
    return sp__fail(SIGPORT_EVALUE, "%s: signal number 0 out of range [1; %d]",
                    fn, SIGPORT_NSIG - 1);
  for (s = SIGPORT_NSIG; s < 128; s++)
    if ((set->bits[s / 64] >> (s % 64)) & 1)
      return sp__fail(SIGPORT_EVALUE,
                      "%s: signal number %d out of range [1; %d]", fn, s,
                      SIGPORT_NSIG - 1);
  return 0;
}
