/*
 * posix.h: what the files of the POSIX backend share.
 */
#ifndef SIGPORT_POSIX_H
#define SIGPORT_POSIX_H

#include <signal.h>

#include "../backend.h"
#include "../internal.h"

/* The raw handler sigport installs (actions.c). */
void sp__posix_raw_handler(int signum, siginfo_t *si, void *context);

/* The saved original disposition of signum, for restore_for_exec in a
   fork() child: 1 and *out set if there is one (actions.c). */
int sp__posix_saved(int signum, struct sigaction *out);

/* Makes and closes the pause wake pipe (wake.c). */
int sp__posix_wake_open(void);
void sp__posix_wake_close(void);

/* Converts between sigport_sigset_t and sigset_t (actions.c). Members that
   the system refuses (the C library's reserved signals) are left out. */
void sp__posix_to_sigset(const sigport_sigset_t *in, sigset_t *out);
void sp__posix_from_sigset(const sigset_t *in, sigport_sigset_t *out);

/* Sets the per-signal SA_RESTART choice from sigport_init()'s flags. */
void sp__posix_actions_init(unsigned flags);

/* Whether a siginfo code was set by a sender (kill, sigqueue, tgkill...)
   rather than by the kernel for a fault. */
int sp__posix_code_is_user(int code);

#endif
