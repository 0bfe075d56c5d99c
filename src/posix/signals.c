/*
 * signals.c: the POSIX signal table (names, descriptions, default actions)
 * and which numbers are valid, catchable and real-time.
 */
#include <errno.h>

#include "posix.h"

/* sigport.h writes the numbers out per system; they must be the system's. */
#define SP_SAME(name) _Static_assert(SIGPORT_##name == name, #name " differs");
SP_SAME(SIGHUP)
SP_SAME(SIGINT)
SP_SAME(SIGQUIT)
SP_SAME(SIGILL)
SP_SAME(SIGTRAP)
SP_SAME(SIGABRT)
SP_SAME(SIGBUS)
SP_SAME(SIGFPE)
SP_SAME(SIGKILL)
SP_SAME(SIGUSR1)
SP_SAME(SIGSEGV)
SP_SAME(SIGUSR2)
SP_SAME(SIGPIPE)
SP_SAME(SIGALRM)
SP_SAME(SIGTERM)
SP_SAME(SIGCHLD)
SP_SAME(SIGCONT)
SP_SAME(SIGSTOP)
SP_SAME(SIGTSTP)
SP_SAME(SIGTTIN)
SP_SAME(SIGTTOU)
SP_SAME(SIGURG)
SP_SAME(SIGXCPU)
SP_SAME(SIGXFSZ)
SP_SAME(SIGVTALRM)
SP_SAME(SIGPROF)
SP_SAME(SIGWINCH)
SP_SAME(SIGSYS)
/* The names only some systems have, and the aliases. */
#ifdef SIGIO
SP_SAME(SIGIO)
#endif
#ifdef SIGPOLL
SP_SAME(SIGPOLL)
#endif
#ifdef SIGPWR
SP_SAME(SIGPWR)
#endif
#ifdef SIGSTKFLT
SP_SAME(SIGSTKFLT)
#endif
#ifdef SIGEMT
SP_SAME(SIGEMT)
#endif
#ifdef SIGINFO
SP_SAME(SIGINFO)
#endif
#ifdef SIGLOST
SP_SAME(SIGLOST)
#endif
#ifdef SIGIOT
SP_SAME(SIGIOT)
#endif
#ifdef SIGCLD
SP_SAME(SIGCLD)
#endif
#if defined(__linux__)
/* And the other way round on Linux, where the build's feature macros show
   the signals of glibc and musl (musl shows the alias SIGCLD only with
   _GNU_SOURCE): sigport.h names none that the system lacks. */
#if (defined(SIGPORT_SIGIO) && !defined(SIGIO)) ||           \
    (defined(SIGPORT_SIGPOLL) && !defined(SIGPOLL)) ||       \
    (defined(SIGPORT_SIGPWR) && !defined(SIGPWR)) ||         \
    (defined(SIGPORT_SIGSTKFLT) && !defined(SIGSTKFLT)) ||   \
    (defined(SIGPORT_SIGEMT) && !defined(SIGEMT)) ||         \
    (defined(SIGPORT_SIGINFO) && !defined(SIGINFO)) ||       \
    (defined(SIGPORT_SIGLOST) && !defined(SIGLOST)) ||       \
    (defined(SIGPORT_SIGIOT) && !defined(SIGIOT))
#error "sigport.h names a signal that this system does not have"
#endif
#endif
#if defined(NSIG) && !defined(__FreeBSD__) && !defined(__DragonFly__)
_Static_assert(SIGPORT_NSIG == NSIG, "SIGPORT_NSIG differs from NSIG");
#endif
#if defined(SIGRTMAX)
_Static_assert(SIGPORT_HAVE_RTSIG == 1, "real-time signals exist here");
#else
_Static_assert(SIGPORT_HAVE_RTSIG == 0, "no real-time signals here");
#endif

#define T SIGPORT_ACTION_TERMINATE
#define C SIGPORT_ACTION_CORE
#define I SIGPORT_ACTION_IGNORE
#define S SIGPORT_ACTION_STOP
#define K SIGPORT_ACTION_CONTINUE
#define E(sig, desc, action) {sig, #sig, desc, action, 1},
#define U(sig, desc, action) {sig, #sig, desc, action, 0},

/* Primary names first: the first entry of a number gives its name. */
static const struct sp_signal_desc table[] = {
    E(SIGHUP, "Hangup", T)
    E(SIGINT, "Interrupt", T)
    E(SIGQUIT, "Quit", C)
    E(SIGILL, "Illegal instruction", C)
    E(SIGTRAP, "Trace/breakpoint trap", C)
    E(SIGABRT, "Aborted", C)
#ifdef SIGEMT
    E(SIGEMT, "EMT trap", C)
#endif
    E(SIGBUS, "Bus error", C)
    E(SIGFPE, "Floating point exception", C)
    U(SIGKILL, "Killed", T)
    E(SIGUSR1, "User defined signal 1", T)
    E(SIGSEGV, "Segmentation fault", C)
    E(SIGUSR2, "User defined signal 2", T)
    E(SIGPIPE, "Broken pipe", T)
    E(SIGALRM, "Alarm clock", T)
    E(SIGTERM, "Terminated", T)
#ifdef SIGSTKFLT
    E(SIGSTKFLT, "Stack fault", T)
#endif
    E(SIGCHLD, "Child exited", I)
    E(SIGCONT, "Continued", K)
    U(SIGSTOP, "Stopped (signal)", S)
    E(SIGTSTP, "Stopped", S)
    E(SIGTTIN, "Stopped (tty input)", S)
    E(SIGTTOU, "Stopped (tty output)", S)
    E(SIGURG, "Urgent I/O condition", I)
    E(SIGXCPU, "CPU time limit exceeded", C)
    E(SIGXFSZ, "File size limit exceeded", C)
    E(SIGVTALRM, "Virtual timer expired", T)
    E(SIGPROF, "Profiling timer expired", T)
    E(SIGWINCH, "Window changed", I)
#ifdef SIGIO
    E(SIGIO, "I/O possible", T)
#endif
#if defined(SIGINFO) && defined(SIGPWR) && SIGINFO == SIGPWR
    /* Linux on alpha: one signal, SIGINFO first as Python names it, with
       SIGPWR's description and default action, as the C library and the
       kernel give them. */
    E(SIGINFO, "Power failure", T)
#elif defined(SIGINFO)
    E(SIGINFO, "Information request", I)
#endif
#ifdef SIGPWR
    E(SIGPWR, "Power failure", T)
#endif
    E(SIGSYS, "Bad system call", C)
    /* Aliases, found by name only. */
    E(SIGIOT, "Aborted", C)
#if defined(SIGCLD)
    E(SIGCLD, "Child exited", I)
#endif
#if defined(SIGPOLL) && defined(SIGIO) && SIGPOLL == SIGIO
    E(SIGPOLL, "I/O possible", T)
#endif
#if defined(SIGLOST) && defined(SIGPWR) && SIGLOST == SIGPWR
    /* Linux on sparc: SIGPWR's number, named SIGPWR as Python names it. */
    E(SIGLOST, "Power failure", T)
#elif defined(SIGLOST)
    E(SIGLOST, "Resource lost", T)
#endif
};

const struct sp_signal_desc *sp__backend_signals(size_t *n) {
  *n = sizeof table / sizeof table[0];
  return table;
}

int sp__backend_rtmin(void) {
#ifdef SIGRTMIN
  return SIGRTMIN;
#else
  return sp__fail(SIGPORT_ENOTAVAIL,
                  "sigport_sigrtmin: this system has no real-time signals");
#endif
}

int sp__backend_rtmax(void) {
#ifdef SIGRTMAX
  return SIGRTMAX;
#else
  return sp__fail(SIGPORT_ENOTAVAIL,
                  "sigport_sigrtmax: this system has no real-time signals");
#endif
}

int sp__backend_is_valid(int signum) {
  sigset_t all;
  if (signum < 1 || signum >= SIGPORT_NSIG) return 0;
  sigfillset(&all);
  return sigismember(&all, signum) == 1;
}

int sp__backend_check_settable(int signum, const char *fn) {
  if (signum == SIGKILL || signum == SIGSTOP)
    return sp__fail_os(SIGPORT_EOS, EINVAL,
                       "%s: signal %d (%s) cannot be caught or ignored", fn,
                       signum, signum == SIGKILL ? "SIGKILL" : "SIGSTOP");
  if (!sp__backend_is_valid(signum))
    return sp__fail_os(SIGPORT_EOS, EINVAL,
                       "%s: signal %d is reserved by the C library", fn,
                       signum);
  return 0;
}

int sp__backend_check_gettable(int signum, const char *fn) {
  (void)signum;
  (void)fn;
  return 0;
}

const int *sp__backend_default_ignored(void) {
  static const int ignored[] = {SIGPIPE, SIGXFSZ, 0};
  return ignored;
}

const char *sp__backend_name(void) { return "posix"; }
