/*
 * sigport.h: portable signal handling for C programs, with the semantics of
 * Python's `signal` module, on POSIX and on Windows.
 *
 * This is the only public header. Every public name is declared and
 * documented here: what it does, how it fails, and where it works.
 *
 * Conventions
 * -----------
 * - Every call that can fail returns an int: >= 0 on success, a negative
 *   code on failure (SIGPORT_EVALUE ... SIGPORT_ENOTAVAIL, -1 to -99). A call
 *   that fails with one of sigport's own codes changes no state, except the
 *   calling thread's sigport_last_error() and sigport_last_oserror().
 * - Handlers never run inside the raw signal handler. The raw handler (the
 *   "trip") only records the delivery; handlers run later, on the main thread,
 *   from sigport_dispatch() or from a call that dispatches (see "Calls that
 *   dispatch" below).
 * - A handler returns 0 to go on, or a non-zero value to stop, the way a
 *   Python handler raises an exception. Such a value is not a failure of the
 *   call that dispatched it: it is returned after that call's own work is
 *   done. Handlers should return SIGPORT_EKEYBOARDINTERRUPT or an
 *   application code at or below SIGPORT_EUSER.
 * - The main thread is the thread that called sigport_init() (in a fork()
 *   child, the thread that forked). Setting handlers, setting the wakeup fd,
 *   dispatching and pausing work only there; elsewhere they fail with
 *   SIGPORT_EVALUE. The main thread is marked in its own thread-local
 *   storage, not by its pthread_t or thread id, which the system gives to a
 *   new thread once the old one has exited: if the main thread exits
 *   without sigport_shutdown(), no thread is the main thread any more, and
 *   every such call (sigport_init() and sigport_shutdown() too) fails or
 *   does nothing for the rest of the process. Handlers stay installed and
 *   deliveries are still counted. Shut down before the main thread exits.
 * - Pointers: an input pointer and an out-parameter that is the call's only
 *   result must not be NULL (SIGPORT_EVALUE). The optional out-parameters
 *   `previous`, `old` and `info` may be NULL.
 *
 * Calls that dispatch: sigport_raise(), sigport_kill() to the caller's own
 * process, sigport_pthread_kill() to the calling thread,
 * sigport_pthread_sigmask() when it unblocks, sigport_pause() and the sigwait
 * family. On the main thread they run pending handlers before they return,
 * and return a handler's non-zero result.
 *
 * Cancellation and SIGPIPE: the trip reaches no cancellation point and
 * raises no SIGPIPE. While it runs every signal is blocked, on Linux the C
 * library's reserved ones too (its cancellation signal among them), so an
 * asynchronous pthread_cancel() cannot stop it half way. On Linux it writes
 * with the raw write system call, which is no cancellation point; elsewhere
 * write() is one, so there a thread with a deferred cancellation pending
 * should keep the signals sigport handles blocked. The sigwait family, on
 * the other hand, is a cancellation point, as POSIX requires.
 *
 * fork(): sigport registers pthread_atfork() handlers. The child starts with
 * nothing pending, the forking thread as its main thread, fresh internal
 * wake objects and no wakeup fd. _Fork() and raw clone() skip those
 * handlers; a child made that way must not use sigport before it execs.
 */
#ifndef SIGPORT_H
#define SIGPORT_H

#include <stddef.h>
#include <stdint.h>

/* --------------------------------------------------------------------- */
/* The platform switch: the only platform-dependent part of this header.  */
/* --------------------------------------------------------------------- */

#if defined(_WIN32)
/*
 * Windows. No Windows header is included: the types below have the widths
 * of SOCKET, DWORD and the thread id.
 */
typedef uintptr_t sigport_socket_t;      /* SOCKET; never narrowed to int */
typedef unsigned long sigport_pid_t;     /* DWORD process id */
typedef unsigned long sigport_thread_t;  /* DWORD thread id */
#define SIGPORT_NO_SOCKET ((sigport_socket_t)~(uintptr_t)0) /* INVALID_SOCKET */

#define SIGPORT_NSIG 23 /* one more than the highest signal number (SIGABRT 22) */
#define SIGPORT_SIGINT 2
#define SIGPORT_SIGILL 4
#define SIGPORT_SIGFPE 8
#define SIGPORT_SIGSEGV 11
/* Not a C runtime signal: sigport delivers it itself, from the timer of
   sigport_alarm() and sigport_setitimer(SIGPORT_ITIMER_REAL). */
#define SIGPORT_SIGALRM 14
#define SIGPORT_SIGTERM 15
#define SIGPORT_SIGBREAK 21
#define SIGPORT_SIGABRT 22
/* Console events, values of their own outside the signal range (never 0 or
   1, so that sigport_kill(pid, 0) stays an existence check). Accepted by
   sigport_kill(), sigport_signame(), sigport_signum() and
   sigport_strsignal(); every other call treats them as out of range. */
#define SIGPORT_CTRL_C_EVENT SIGPORT_NSIG
#define SIGPORT_CTRL_BREAK_EVENT (SIGPORT_NSIG + 1)

#define SIGPORT_HAVE_SIGACTION 0
#define SIGPORT_HAVE_SIGINFO 0
/* ITIMER_REAL works (a timer-queue timer); VIRTUAL and PROF do not. */
#define SIGPORT_HAVE_ITIMER 0
#define SIGPORT_HAVE_ITIMER_REAL 1
/* Emulated by sigport for the signals it delivers: the console events,
   the C runtime signals raised in this process, and SIGALRM. */
#define SIGPORT_HAVE_SIGMASK 1
#define SIGPORT_HAVE_SIGWAIT 1
#define SIGPORT_HAVE_SIGWAITINFO 1
#define SIGPORT_HAVE_PTHREAD_KILL 0
#define SIGPORT_HAVE_PIDFD 0
#define SIGPORT_HAVE_SIGINTERRUPT 0
#define SIGPORT_HAVE_RTSIG 0
#define SIGPORT_HAVE_CONSOLE_EVENTS 1
#define SIGPORT_HAVE_CHAIN 0

#else /* POSIX */
#include <pthread.h>
#include <sys/types.h>

typedef int sigport_socket_t;       /* a file descriptor */
typedef pid_t sigport_pid_t;
typedef pthread_t sigport_thread_t; /* opaque: compare with sigport_thread_equal() */
#define SIGPORT_NO_SOCKET (-1)

/*
 * Signal numbers are written out per system, so that this header gives the
 * same answer whatever feature macros the including file defined before
 * <signal.h>. The library checks at build time that they equal the system's.
 *
 * SIGPORT_NSIG is one more than the highest signal number. SIGPORT_<NAME>
 * is defined for each signal the system has, aliases included (SIGIOT,
 * SIGCLD, SIGPOLL), with the system's number; a name the system lacks is
 * not defined, so `#ifdef SIGPORT_SIGPWR` tells whether it exists. Those
 * that only some systems have: SIGPORT_SIGSTKFLT (Linux but MIPS, alpha and
 * sparc), SIGPORT_SIGPWR, SIGPORT_SIGPOLL and SIGPORT_SIGCLD (Linux),
 * SIGPORT_SIGEMT (Linux on MIPS, alpha and sparc; the BSDs and macOS),
 * SIGPORT_SIGINFO (Linux on alpha, where it is SIGPWR's number; the BSDs
 * and macOS), SIGPORT_SIGLOST (Linux on sparc, where it is SIGPWR's
 * number).
 */
#if defined(__linux__)
#define SIGPORT_HAVE_RTSIG 1
#define SIGPORT_HAVE_PIDFD 1
#define SIGPORT_HAVE_SIGWAITINFO 1
#if defined(__mips__)
/* Linux on MIPS (o32, n32 and n64): signals 1 to 127. */
#define SIGPORT_NSIG 128
#define SIGPORT_SIGHUP 1
#define SIGPORT_SIGINT 2
#define SIGPORT_SIGQUIT 3
#define SIGPORT_SIGILL 4
#define SIGPORT_SIGTRAP 5
#define SIGPORT_SIGABRT 6
#define SIGPORT_SIGIOT 6
#define SIGPORT_SIGEMT 7
#define SIGPORT_SIGFPE 8
#define SIGPORT_SIGKILL 9
#define SIGPORT_SIGBUS 10
#define SIGPORT_SIGSEGV 11
#define SIGPORT_SIGSYS 12
#define SIGPORT_SIGPIPE 13
#define SIGPORT_SIGALRM 14
#define SIGPORT_SIGTERM 15
#define SIGPORT_SIGUSR1 16
#define SIGPORT_SIGUSR2 17
#define SIGPORT_SIGCHLD 18
#define SIGPORT_SIGCLD 18
#define SIGPORT_SIGPWR 19
#define SIGPORT_SIGWINCH 20
#define SIGPORT_SIGURG 21
#define SIGPORT_SIGIO 22
#define SIGPORT_SIGPOLL 22
#define SIGPORT_SIGSTOP 23
#define SIGPORT_SIGTSTP 24
#define SIGPORT_SIGCONT 25
#define SIGPORT_SIGTTIN 26
#define SIGPORT_SIGTTOU 27
#define SIGPORT_SIGVTALRM 28
#define SIGPORT_SIGPROF 29
#define SIGPORT_SIGXCPU 30
#define SIGPORT_SIGXFSZ 31

#elif defined(__alpha__) || defined(__sparc__)
/* Linux on alpha and on sparc (32 and 64 bits): signals 1 to 64, numbered
   as the BSDs number them. Signal 29 is SIGINFO and SIGPWR on alpha,
   SIGLOST and SIGPWR on sparc. */
#define SIGPORT_NSIG 65
#define SIGPORT_SIGHUP 1
#define SIGPORT_SIGINT 2
#define SIGPORT_SIGQUIT 3
#define SIGPORT_SIGILL 4
#define SIGPORT_SIGTRAP 5
#define SIGPORT_SIGABRT 6
#define SIGPORT_SIGIOT 6
#define SIGPORT_SIGEMT 7
#define SIGPORT_SIGFPE 8
#define SIGPORT_SIGKILL 9
#define SIGPORT_SIGBUS 10
#define SIGPORT_SIGSEGV 11
#define SIGPORT_SIGSYS 12
#define SIGPORT_SIGPIPE 13
#define SIGPORT_SIGALRM 14
#define SIGPORT_SIGTERM 15
#define SIGPORT_SIGURG 16
#define SIGPORT_SIGSTOP 17
#define SIGPORT_SIGTSTP 18
#define SIGPORT_SIGCONT 19
#define SIGPORT_SIGCHLD 20
#define SIGPORT_SIGCLD 20
#define SIGPORT_SIGTTIN 21
#define SIGPORT_SIGTTOU 22
#define SIGPORT_SIGIO 23
#define SIGPORT_SIGPOLL 23
#define SIGPORT_SIGXCPU 24
#define SIGPORT_SIGXFSZ 25
#define SIGPORT_SIGVTALRM 26
#define SIGPORT_SIGPROF 27
#define SIGPORT_SIGWINCH 28
#if defined(__alpha__)
#define SIGPORT_SIGINFO 29
#else
#define SIGPORT_SIGLOST 29
#endif
#define SIGPORT_SIGPWR 29
#define SIGPORT_SIGUSR1 30
#define SIGPORT_SIGUSR2 31

#elif defined(__hppa__)
/* Linux on PA-RISC (hppa): signals 1 to 64. */
#define SIGPORT_NSIG 65
#define SIGPORT_SIGHUP 1
#define SIGPORT_SIGINT 2
#define SIGPORT_SIGQUIT 3
#define SIGPORT_SIGILL 4
#define SIGPORT_SIGTRAP 5
#define SIGPORT_SIGABRT 6
#define SIGPORT_SIGIOT 6
#define SIGPORT_SIGSTKFLT 7
#define SIGPORT_SIGFPE 8
#define SIGPORT_SIGKILL 9
#define SIGPORT_SIGBUS 10
#define SIGPORT_SIGSEGV 11
#define SIGPORT_SIGXCPU 12
#define SIGPORT_SIGPIPE 13
#define SIGPORT_SIGALRM 14
#define SIGPORT_SIGTERM 15
#define SIGPORT_SIGUSR1 16
#define SIGPORT_SIGUSR2 17
#define SIGPORT_SIGCHLD 18
#define SIGPORT_SIGCLD 18
#define SIGPORT_SIGPWR 19
#define SIGPORT_SIGVTALRM 20
#define SIGPORT_SIGPROF 21
#define SIGPORT_SIGIO 22
#define SIGPORT_SIGPOLL 22
#define SIGPORT_SIGWINCH 23
#define SIGPORT_SIGSTOP 24
#define SIGPORT_SIGTSTP 25
#define SIGPORT_SIGCONT 26
#define SIGPORT_SIGTTIN 27
#define SIGPORT_SIGTTOU 28
#define SIGPORT_SIGURG 29
#define SIGPORT_SIGXFSZ 30
#define SIGPORT_SIGSYS 31

#else
/* Linux on every other architecture (x86, ARM, PowerPC, s390x, RISC-V,
   ...): signals 1 to 64. */
#define SIGPORT_NSIG 65
#define SIGPORT_SIGHUP 1
#define SIGPORT_SIGINT 2
#define SIGPORT_SIGQUIT 3
#define SIGPORT_SIGILL 4
#define SIGPORT_SIGTRAP 5
#define SIGPORT_SIGABRT 6
#define SIGPORT_SIGIOT 6
#define SIGPORT_SIGBUS 7
#define SIGPORT_SIGFPE 8
#define SIGPORT_SIGKILL 9
#define SIGPORT_SIGUSR1 10
#define SIGPORT_SIGSEGV 11
#define SIGPORT_SIGUSR2 12
#define SIGPORT_SIGPIPE 13
#define SIGPORT_SIGALRM 14
#define SIGPORT_SIGTERM 15
#define SIGPORT_SIGSTKFLT 16
#define SIGPORT_SIGCHLD 17
#define SIGPORT_SIGCLD 17
#define SIGPORT_SIGCONT 18
#define SIGPORT_SIGSTOP 19
#define SIGPORT_SIGTSTP 20
#define SIGPORT_SIGTTIN 21
#define SIGPORT_SIGTTOU 22
#define SIGPORT_SIGURG 23
#define SIGPORT_SIGXCPU 24
#define SIGPORT_SIGXFSZ 25
#define SIGPORT_SIGVTALRM 26
#define SIGPORT_SIGPROF 27
#define SIGPORT_SIGWINCH 28
#define SIGPORT_SIGIO 29
#define SIGPORT_SIGPOLL 29
#define SIGPORT_SIGPWR 30
#define SIGPORT_SIGSYS 31
#endif /* Linux architectures */

#elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || \
    defined(__NetBSD__) || defined(__DragonFly__)
#if defined(__FreeBSD__) || defined(__DragonFly__)
#define SIGPORT_NSIG 128 /* _SIG_MAXSIG: FreeBSD's NSIG is 32 */
#define SIGPORT_HAVE_RTSIG 1
#define SIGPORT_HAVE_SIGWAITINFO 1
#elif defined(__NetBSD__)
#define SIGPORT_NSIG 64
#define SIGPORT_HAVE_RTSIG 1
#define SIGPORT_HAVE_SIGWAITINFO 1
#elif defined(__APPLE__)
#define SIGPORT_NSIG 32 /* __DARWIN_NSIG: signals 1 to 31 */
#define SIGPORT_HAVE_RTSIG 0
#define SIGPORT_HAVE_SIGWAITINFO 0
#else /* OpenBSD: signals 1 to 32 (SIGTHR) */
#define SIGPORT_NSIG 33
#define SIGPORT_HAVE_RTSIG 0
#define SIGPORT_HAVE_SIGWAITINFO 0
#endif
#define SIGPORT_SIGHUP 1
#define SIGPORT_SIGINT 2
#define SIGPORT_SIGQUIT 3
#define SIGPORT_SIGILL 4
#define SIGPORT_SIGTRAP 5
#define SIGPORT_SIGABRT 6
#define SIGPORT_SIGIOT 6
#define SIGPORT_SIGEMT 7
#define SIGPORT_SIGFPE 8
#define SIGPORT_SIGKILL 9
#define SIGPORT_SIGBUS 10
#define SIGPORT_SIGSEGV 11
#define SIGPORT_SIGSYS 12
#define SIGPORT_SIGPIPE 13
#define SIGPORT_SIGALRM 14
#define SIGPORT_SIGTERM 15
#define SIGPORT_SIGURG 16
#define SIGPORT_SIGSTOP 17
#define SIGPORT_SIGTSTP 18
#define SIGPORT_SIGCONT 19
#define SIGPORT_SIGCHLD 20
#define SIGPORT_SIGTTIN 21
#define SIGPORT_SIGTTOU 22
#define SIGPORT_SIGIO 23
#define SIGPORT_SIGXCPU 24
#define SIGPORT_SIGXFSZ 25
#define SIGPORT_SIGVTALRM 26
#define SIGPORT_SIGPROF 27
#define SIGPORT_SIGWINCH 28
#define SIGPORT_SIGINFO 29
#define SIGPORT_SIGUSR1 30
#define SIGPORT_SIGUSR2 31
#define SIGPORT_HAVE_PIDFD 0

#else
#error "sigport.h: unknown POSIX system; add its signal numbers here"
#endif

#define SIGPORT_HAVE_SIGACTION 1
#define SIGPORT_HAVE_SIGINFO 1
#define SIGPORT_HAVE_ITIMER 1
#define SIGPORT_HAVE_ITIMER_REAL 1
#define SIGPORT_HAVE_SIGMASK 1
#define SIGPORT_HAVE_SIGWAIT 1
#define SIGPORT_HAVE_PTHREAD_KILL 1
#define SIGPORT_HAVE_SIGINTERRUPT 1
#define SIGPORT_HAVE_CONSOLE_EVENTS 0
#define SIGPORT_HAVE_CHAIN 1
#endif /* POSIX */

/* The export macro: set by the build, never by hand. A shared build defines
   SIGPORT_BUILDING_SHARED while compiling the library and gives its users
   SIGPORT_USING_SHARED. */
#if defined(SIGPORT_BUILDING_SHARED) && defined(SIGPORT_USING_SHARED)
#error "define SIGPORT_BUILDING_SHARED or SIGPORT_USING_SHARED, not both"
#endif
#if defined(_WIN32) && defined(SIGPORT_BUILDING_SHARED)
#define SIGPORT_EXTERN __declspec(dllexport)
#elif defined(_WIN32) && defined(SIGPORT_USING_SHARED)
#define SIGPORT_EXTERN __declspec(dllimport)
#elif defined(__GNUC__) || defined(__clang__)
#define SIGPORT_EXTERN __attribute__((visibility("default")))
#else
#define SIGPORT_EXTERN
#endif

#if defined(__GNUC__) || defined(__clang__)
#define SIGPORT_NORETURN __attribute__((noreturn))
#elif defined(_MSC_VER)
#define SIGPORT_NORETURN __declspec(noreturn)
#else
#define SIGPORT_NORETURN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* --------------------------------------------------------------------- */
/* Errors                                                                 */
/* --------------------------------------------------------------------- */

/*
 * The codes are fixed numbers. sigport's own errors are -1 to -99;
 * SIGPORT_EKEYBOARDINTERRUPT is the result of sigport's default SIGINT
 * handler; SIGPORT_EUSER and below are for applications' handler results.
 */
#define SIGPORT_EVALUE (-1)     /* ValueError: bad argument, signal out of range
                                   or not allowed here, wrong thread, blocking
                                   wakeup fd */
#define SIGPORT_EOS (-2)        /* OSError: the system refused; see
                                   sigport_last_oserror() */
#define SIGPORT_EITIMER (-3)    /* ItimerError: setitimer/getitimer refused a
                                   bad `which` or a negative time */
#define SIGPORT_ENOTAVAIL (-4)  /* AttributeError: the function or signal does
                                   not exist on this platform */
#define SIGPORT_EKEYBOARDINTERRUPT (-100) /* KeyboardInterrupt: returned by
                                   dispatch when sigport_default_int_handler
                                   ran */
#define SIGPORT_EUSER (-1000)   /* the first code for applications' own
                                   handler results */

/* A static message for a code: "invalid argument", "operating system error",
   ...; for a handler result at or below SIGPORT_EUSER, "handler result".
   Never NULL. All platforms. */
SIGPORT_EXTERN const char *sigport_strerror(int code);

/* The Python exception class that corresponds to a code: "ValueError",
   "OSError", "ItimerError", "AttributeError", "KeyboardInterrupt"; "OK" for
   codes >= 0, "UserError" at or below SIGPORT_EUSER and "UnknownError" for
   any other negative code. Never NULL. All platforms. */
SIGPORT_EXTERN const char *sigport_errname(int code);

/* A sentence about the last failure of a sigport call in the calling thread,
   as specific as Python's message (for example "signal number 99 out of range
   [1; 64]"). Success does not clear it. "" before any failure. The pointer
   stays valid until the next sigport call in this thread. All platforms. */
SIGPORT_EXTERN const char *sigport_last_error(void);

/* The errno (POSIX) or GetLastError()/WSAGetLastError() value (Windows) of
   the last SIGPORT_EOS failure in the calling thread; 0 if none. */
SIGPORT_EXTERN int sigport_last_oserror(void);

/* --------------------------------------------------------------------- */
/* Lifecycle                                                              */
/* --------------------------------------------------------------------- */

/* Python's start-up defaults: SIGPIPE ignored (and SIGXFSZ where it exists),
   and SIGINT handled by sigport_default_int_handler if SIGINT's disposition
   is SIG_DFL when sigport_init() runs. */
#define SIGPORT_INIT_DEFAULTS 0x1
/* Install handlers with SA_RESTART, so that blocking system calls are
   restarted after a signal instead of failing with EINTR. poll(), select()
   and epoll_wait() are interrupted either way. Without it (the default, as
   in Python) a blocking call fails with EINTR and the program can dispatch.
   Windows: no effect. */
#define SIGPORT_INIT_RESTART 0x2

/* Initialises sigport; the calling thread becomes the main thread.
   Counted: a further call on the main thread returns 0 and its flags are
   ignored; the same number of sigport_shutdown() calls undo it.
   POSIX: the raw handler is installed with SA_SIGINFO and SA_ONSTACK, so
   it runs on the thread's alternate stack where one is set (sigaltstack),
   and on the normal stack otherwise. Under valgrind 3.19, which does not
   grow the main thread's stack for a handler installed with SA_ONSTACK, a
   program that takes a signal deeper on its stack than it has been before
   can die of SIGSEGV; set an alternate stack, or touch the stack once at
   start-up, when running under it.
   Errors: SIGPORT_EVALUE for unknown flags, or a call from another thread
   while sigport is initialised; SIGPORT_EOS if the internal wake object
   cannot be made (or, on Windows, WSAStartup fails). All platforms. */
SIGPORT_EXTERN int sigport_init(unsigned flags);

/* Undoes one sigport_init(). The last call puts back every disposition that
   sigport changed, where sigport's own setting is still in place (a handler
   someone else installed over sigport's is left alone); waits for raw
   handlers running on other threads to finish; drops the wakeup fd; and
   then raises once, under the restored disposition, each signal with
   deliveries not yet dispatched, so that a SIGTERM arriving during shutdown
   is not swallowed. It never runs a sigport handler. The last call first
   stops the dispatch thread if it runs (sigport_dispatch_thread_start()),
   waiting for a handler running there to return, without the last
   dispatch that sigport_dispatch_thread_stop() makes, and drops the
   thread's result. Called from a thread other than the main thread, or when
   sigport is not initialised, it does nothing. All platforms. */
SIGPORT_EXTERN void sigport_shutdown(void);

/* The library's version, "MAJOR.MINOR.PATCH". */
SIGPORT_EXTERN const char *sigport_version(void);

/* The backend in use: "posix" or "win32". */
SIGPORT_EXTERN const char *sigport_backend_name(void);

/* --------------------------------------------------------------------- */
/* Handlers: signal(), getsignal(), default_int_handler                  */
/* --------------------------------------------------------------------- */

/* What a handler is told about the deliveries it handles. */
typedef struct sigport_siginfo {
  int signo;      /* the signal number */
  int code;       /* si_code (SI_USER, SI_QUEUE, ...); Windows: the console
                     event (CTRL_C_EVENT ...), -1 for a C runtime signal,
                     -2 ("SI_TIMER") for SIGALRM from the timer */
  int errnum;     /* si_errno */
  int status;     /* si_status (SIGCHLD) */
  int64_t pid;    /* si_pid: the sender; 0 where unknown */
  uint32_t uid;   /* si_uid: the sender's real user id; 0 where unknown */
  int64_t band;   /* si_band (SIGPOLL) */
  intptr_t value; /* si_value.sival_ptr as an integer (sigqueue); a sender
                     that sets only sival_int leaves the other bytes as it
                     had them: read value_int, below, for an int */
  void *addr;     /* si_addr (faults) */
  unsigned long count; /* deliveries coalesced into this call, >= 1 */
  /* Added in 0.2, in the room of 0.1's first reserved word: the struct's
     size and the other members' offsets are those of 0.1. reserved32
     comes first so that value_int lies in that word on every ABI, also
     where a uint64_t is 8-aligned after a 4-byte count (32-bit ARM and
     MIPS), which leaves 4 bytes of padding before it. */
  uint32_t reserved32;  /* zero */
  int value_int;  /* si_value.sival_int (sigqueue): the int member of the
                     union, whatever the byte order. It is the low half of
                     `value` on a little-endian system, but the high half
                     on a big-endian 64-bit one (s390x, sparc64): a sender
                     that sets sival_int is read here. Windows: 0, as
                     value */
  /* value and value_int are 0 for a delivery whose code carries no
     si_value (POSIX: only SI_QUEUE, SI_TIMER, SI_ASYNCIO and SI_MESGQ do),
     such as SI_USER from kill(). */
  uint64_t reserved[3]; /* zero; room to grow without breaking the ABI */
} sigport_siginfo_t;

/* A handler. It runs on the main thread, from dispatch (on the dispatch
   thread instead while one runs: sigport_dispatch_thread_start()), never
   in signal context, so it may call anything, any sigport function included. `info`
   describes the last of the `info->count` deliveries it handles. The count
   is always exact; the siginfo may be an earlier delivery's: a trip that
   finds the siginfo slot in use by another thread's trip records nothing.
   The slot keeps the last whole record apart from the one being written,
   so a trip stopped in the middle of writing (preempted by a dispatching
   thread of higher priority on the same processor, under SCHED_FIFO say)
   never holds dispatch up: dispatch reports the record before it. Only a
   read that other threads' trips overtake with two whole records on each
   of thousands of looks gives up, and reports the siginfo as all zero but
   signo and count (as it is before anything was recorded). Return 0
   to go on, or a non-zero value (SIGPORT_EKEYBOARDINTERRUPT, or an
   application code at or below SIGPORT_EUSER) to stop dispatch: that value
   is what the dispatching call returns. */
typedef int (*sigport_handler_fn)(int signum, const sigport_siginfo_t *info,
                                  void *arg);

/* The special handlers (Python's Handlers enum and None). */
#define SIGPORT_SIG_DFL ((sigport_handler_fn)0) /* the system's default action */
#define SIGPORT_SIG_IGN ((sigport_handler_fn)1) /* ignore the signal */
/* Python's None: a disposition set outside sigport. Installing it gives the
   signal back: the disposition that was there when sigport first took the
   signal is put back. sigport_getsignal() reports it for a handler that
   sigport did not install. */
#define SIGPORT_SIG_EXTERNAL ((sigport_handler_fn)2)

/* A handler and its argument, as sigport_signal() and sigport_getsignal()
   report them. `arg` is NULL for the special handlers. */
typedef struct sigport_handler {
  sigport_handler_fn fn;
  void *arg;
} sigport_handler_t;

/* Sets the handler for signum: a function, SIGPORT_SIG_DFL, SIGPORT_SIG_IGN
   or SIGPORT_SIG_EXTERNAL. A function stays installed until it is replaced
   (it is not reset after a delivery). Deliveries already pending for the
   old handler are dispatched first, under the old handler; if that handler
   returns non-zero, the new handler is still set and that value is returned.
   While the dispatch thread runs (sigport_dispatch_thread_start()), the
   pending deliveries are left to it instead, and it runs each with the
   handler in place when it takes it; this call waits for a handler
   running there to return, and the thread never sees a new fn with an
   old arg.
   `previous`, if not NULL, receives what sigport_getsignal() reported
   before the call.
   Errors:
   - SIGPORT_EVALUE: signum out of range ("signal number 99 out of range
     [1; 64]"); on Windows a signal outside SIGABRT, SIGFPE, SIGILL, SIGINT,
     SIGSEGV, SIGTERM, SIGBREAK and SIGALRM; a call off the main thread; sigport
     not initialised.
   - SIGPORT_EOS (errno EINVAL): SIGKILL, SIGSTOP and the C library's
     reserved real-time signals (32 and 33 with glibc), as the system says;
     or the system refused the change.
   All platforms. */
SIGPORT_EXTERN int sigport_signal(int signum, sigport_handler_fn fn, void *arg,
                                  sigport_handler_t *previous);

/* Reports the current handler of signum: the sigport function and its
   argument, SIGPORT_SIG_DFL, SIGPORT_SIG_IGN, or SIGPORT_SIG_EXTERNAL for a
   handler installed outside sigport. It reads the disposition from the
   system, so it tells the truth about changes made behind sigport's back.
   Windows: the C runtime cannot be read without racing sigport's own
   handler, so while sigport holds a signal (from sigport_signal() until it
   is given back or sigport shuts down) sigport's record is reported; a
   handler installed over it with the C runtime's signal() is not seen,
   and is replaced when sigport gives the signal back or shuts down. For
   SIGINT and SIGBREAK, which come from the console, the record is all
   there is.
   Works from any thread, initialised or not (then no sigport function is
   ever reported).
   Errors: SIGPORT_EVALUE for signum out of range or current NULL. All
   platforms (on Windows, for the eight signals sigport_signal() accepts;
   others are SIGPORT_EVALUE). */
SIGPORT_EXTERN int sigport_getsignal(int signum, sigport_handler_t *current);

/* The default SIGINT handler: returns SIGPORT_EKEYBOARDINTERRUPT, so that
   the dispatching call returns it (Python raises KeyboardInterrupt).
   Installed for SIGINT by SIGPORT_INIT_DEFAULTS. All platforms. */
SIGPORT_EXTERN int sigport_default_int_handler(int signum,
                                               const sigport_siginfo_t *info,
                                               void *arg);

/* --------------------------------------------------------------------- */
/* Deferred execution                                                     */
/* --------------------------------------------------------------------- */

/* Non-zero when some delivery awaits dispatch. One relaxed atomic load:
   cheap enough for every turn of a loop. Any thread; async-signal-safe.

   On POSIX, compiled as C11 or later with <stdatomic.h>, sigport_pending()
   is a macro that makes that load inline, without a call into the library;
   `(sigport_pending)()` still calls the function, and defining
   SIGPORT_NO_INLINE before including this header turns the macro off. Both
   read the same flag. Elsewhere (C++, Windows, C99) it is the function. */
SIGPORT_EXTERN int sigport_pending(void);

#if !defined(SIGPORT_NO_INLINE) && !defined(__cplusplus) &&               \
    !defined(_WIN32) && defined(__STDC_VERSION__) &&                      \
    __STDC_VERSION__ >= 201112L && !defined(__STDC_NO_ATOMICS__)
#include <stdatomic.h>
/* The flag itself, for the macro below only: the trip sets it, dispatch
   clears it. Not part of the API; never write it. */
SIGPORT_EXTERN extern atomic_int sigport__pending_flag;
#define sigport_pending()                                                   \
  ((int)atomic_load_explicit(&sigport__pending_flag, memory_order_relaxed))
/* 1 when sigport_pending() is the inline macro above, 0 otherwise. */
#define SIGPORT_PENDING_INLINE 1
#else
#define SIGPORT_PENDING_INLINE 0
#endif

/* Runs the handlers of the pending signals, lowest number first, each once
   with the number of deliveries coalesced since its last run
   (info->count) and the last delivery's siginfo. Deliveries whose handler
   was reset to SIG_DFL or SIG_IGN before dispatch are dropped. When a
   handler returns non-zero, dispatch stops and returns that value; the
   signals not yet handled stay pending for the next dispatch. A handler may
   call sigport_dispatch() itself; the nested call takes only what is still
   pending. If a write to the wakeup fd failed since the last dispatch, one
   line "sigport: could not write to the wakeup fd: <reason>" goes to
   stderr; that never changes the result.
   Returns 0 when nothing is pending or every handler returned 0.
   A handler running on the dispatch thread may call it too: a nested
   dispatch there.
   Errors: SIGPORT_EVALUE when not called on the main thread, or while
   the dispatch thread runs (sigport_dispatch_thread_start()). All
   platforms. */
SIGPORT_EXTERN int sigport_dispatch(void);

/* Sleeps until a signal with a sigport handler arrives (in any thread),
   dispatches once, and returns what dispatch returned: 0, or a handler's
   non-zero result. Returns at once, after dispatching, if something is
   already pending. It sleeps on an internal wake object (a pipe on POSIX,
   an event on Windows), never in pause(), so a signal delivered to another
   thread still wakes it. Signals without a sigport handler do not wake it.
   In a fork() child whose wake pipe could not be made (no fd left), the
   first sigport_pause() makes it, and fails with SIGPORT_EOS (EMFILE,
   ...) while it cannot.
   Errors: SIGPORT_EVALUE when not on the main thread, not initialised,
   or while the dispatch thread runs; SIGPORT_EOS if waiting failed. All
   platforms. */
SIGPORT_EXTERN int sigport_pause(void);

/* --------------------------------------------------------------------- */
/* Names, descriptions and sets                                           */
/* --------------------------------------------------------------------- */

/* The description of signum ("Interrupt", "Terminated", "Real-time signal
   2", ...), in *description; NULL when the platform has none for a valid
   number. Errors: SIGPORT_EVALUE for a number that is not a signal here, or
   description NULL. All platforms; on Windows also the CTRL events. */
SIGPORT_EXTERN int sigport_strsignal(int signum, const char **description);

/* The name of signum ("SIGINT"; "SIGRTMIN+1", "SIGRTMAX-2" for real-time
   signals, as `kill -l` names them; "CTRL_C_EVENT" on Windows), or NULL when
   signum is not a signal here. A static string. All platforms. */
SIGPORT_EXTERN const char *sigport_signame(int signum);

/* The name of a siginfo code (sigport_siginfo_t.code) as the system
   spells it: "SI_USER", "SI_QUEUE", "SI_TKILL", "SI_KERNEL", and the codes
   of one signal, "SEGV_MAPERR", "BUS_ADRALN", "CLD_EXITED", "POLL_IN"...
   Those numbers overlap from one signal to the next, so signo is the
   signal the code came with (0: only the codes any signal may carry). A
   static string. Windows: the console event, "CTRL_C_EVENT" ...
   Errors, with NULL and sigport_last_error() set: SIGPORT_EVALUE for a
   signo that is not 0 nor a signal here, or a code the system has no name
   for with that signal ("sigport_codename: code 99 has no name for
   SIGSEGV"). All platforms. */
SIGPORT_EXTERN const char *sigport_codename(int signo, int code);

/* Parses a signal name or number: "SIGINT", "INT", "int", "2" all give 2.
   Real-time signals in every form: "SIGRTMIN", "rtmin+3", "SIGRTMAX-1".
   "0" gives 0 (for sigport_kill()'s existence check). Windows also accepts
   "CTRL_C_EVENT" and "CTRL_BREAK_EVENT".
   Errors: SIGPORT_EVALUE for NULL, an unknown name, or a number that is not
   a signal here ("unknown signal name 'FOO'"). All platforms. */
SIGPORT_EXTERN int sigport_signum(const char *name);

/* Where the default action of a signal leads (for tools and
   sigport_exit_by_signal()). */
enum {
  SIGPORT_ACTION_TERMINATE = 1, /* the process ends */
  SIGPORT_ACTION_CORE = 2,      /* the process ends and may dump core */
  SIGPORT_ACTION_IGNORE = 3,    /* nothing happens */
  SIGPORT_ACTION_STOP = 4,      /* the process stops */
  SIGPORT_ACTION_CONTINUE = 5   /* a stopped process continues */
};

/* The default action of signum: one of SIGPORT_ACTION_*. Errors:
   SIGPORT_EVALUE for a number that is not a signal here. All platforms. */
SIGPORT_EXTERN int sigport_default_action(int signum);

/* 1 when signum can be caught, blocked or ignored, 0 when it cannot
   (SIGKILL, SIGSTOP). Errors: SIGPORT_EVALUE for a number that is not a
   signal here, such as the C library's reserved real-time signals. All platforms (on Windows, 1 for
   the eight signals sigport_signal() accepts, 0 for the CTRL events, which
   are sent, not caught). */
SIGPORT_EXTERN int sigport_catchable(int signum);

/* A set of signal numbers: bit n is signal n. Independent of the system's
   sigset_t, so it means the same on every platform. */
typedef struct sigport_sigset {
  uint64_t bits[2];
} sigport_sigset_t;

/* Empties set. Errors: SIGPORT_EVALUE if set is NULL. */
SIGPORT_EXTERN int sigport_sigemptyset(sigport_sigset_t *set);
/* Fills set with every valid signal (as sigport_valid_signals()). Errors:
   SIGPORT_EVALUE if set is NULL. */
SIGPORT_EXTERN int sigport_sigfillset(sigport_sigset_t *set);
/* Adds signum. Errors: SIGPORT_EVALUE for NULL or signum out of [1;
   SIGPORT_NSIG - 1]; the set is unchanged. */
SIGPORT_EXTERN int sigport_sigaddset(sigport_sigset_t *set, int signum);
/* Removes signum. Errors as sigport_sigaddset(). */
SIGPORT_EXTERN int sigport_sigdelset(sigport_sigset_t *set, int signum);
/* 1 if signum is in set, 0 if not. Errors as sigport_sigaddset(). */
SIGPORT_EXTERN int sigport_sigismember(const sigport_sigset_t *set, int signum);
/* The lowest member greater than `after`, 0 when there is none: iterate
   with `for (s = 0; (s = sigport_sigset_next(&set, s)) > 0;)`.
   Errors: SIGPORT_EVALUE for NULL or after outside [0; SIGPORT_NSIG - 1]. */
SIGPORT_EXTERN int sigport_sigset_next(const sigport_sigset_t *set, int after);
/* Every signal number valid on this platform: on Linux 1 to 64 (1 to 127
   on MIPS) except the C library's reserved real-time signals (32 and 33
   with glibc); SIGKILL and SIGSTOP included. Windows: the eight signals sigport_signal() accepts.
   Errors: SIGPORT_EVALUE if out is NULL. */
SIGPORT_EXTERN int sigport_valid_signals(sigport_sigset_t *out);

/* The run-time SIGRTMIN and SIGRTMAX. Names of real-time signals are given
   as `kill -l` gives them: SIGRTMIN, SIGRTMIN+1 ... for the lower half,
   ... SIGRTMAX-1, SIGRTMAX for the upper half.
   Errors: SIGPORT_ENOTAVAIL where there are no real-time signals (macOS,
   OpenBSD, Windows). */
SIGPORT_EXTERN int sigport_sigrtmin(void);
SIGPORT_EXTERN int sigport_sigrtmax(void);

/* --------------------------------------------------------------------- */
/* Watches: several consumers, any thread, exact counts                  */
/* --------------------------------------------------------------------- */

/* A watch: a consumer of signals of its own, with its own exact counts and
   its own fd, usable from any thread. Opaque; made by sigport_watch_open()
   and freed by sigport_watch_close(). */
typedef struct sigport_watch sigport_watch_t;

/* Also keep each delivery's siginfo, in a ring of 1024 per watch (see
   sigport_watch_take()). */
#define SIGPORT_WATCH_QUEUE 0x1

/* Opens a watch on the signals of `set` and stores it in *w. From the
   moment it returns, every delivery of those signals to the process is
   counted in the watch, until sigport_watch_close(). Any thread may call
   it once sigport_init() has been called; the watch is then used by one
   thread at a time.
   - Opening installs sigport's raw handler for the signals that do not
     have it yet. A watched signal is handled: its default action does not
     run, even for a signal that was ignored (a nohup'd SIGHUP), whose
     SIG_IGN comes back when its last watch closes.
   - A handler set with sigport_signal() still runs at dispatch, and each
     watch still counts the delivery. While a watch holds a signal,
     sigport_signal(signum, SIGPORT_SIG_DFL or SIGPORT_SIG_IGN) only clears
     the primary handler: the raw handler stays, and sigport_getsignal()
     reports the primary handler (for a signal sigport_signal() never set,
     what was there before sigport took it).
   - Signals that only watches hold do not make sigport_pending() true,
     do not wake sigport_pause() and write nothing to the wakeup fd.
   - A real fault (SIGSEGV, SIGBUS, SIGFPE, SIGILL from the kernel) is not
     counted: it ends the process as it would have without sigport, or
     goes to a chained action (sigport_add_handler()).
   - fork(): the child has no watches. Its copies of the parent's watch
     pointers must not be used there (not even closed): the child closes
     their fds itself, and gives back the signals that only watches held.
   flags: 0 or SIGPORT_WATCH_QUEUE.
   Errors, with nothing changed: SIGPORT_EVALUE for unknown flags, set or
   w NULL, a member of set outside [1; SIGPORT_NSIG - 1], an empty set, a
   call before sigport_init(), and on Windows a signal outside the eight
   that sigport_signal() accepts; SIGPORT_EOS (EINVAL) for SIGKILL, SIGSTOP
   and the C library's reserved signals; SIGPORT_EOS when memory or fds ran
   out, or the system refused to install the handler. All platforms. */
SIGPORT_EXTERN int sigport_watch_open(const sigport_sigset_t *set,
                                      unsigned flags, sigport_watch_t **w);

/* Opens a watch as sigport_watch_open() does, but without an fd of its
   own: it shares the fd of `share`, an open watch, and of every watch that
   already shares it (a group). sigport_watch_fd() gives the same fd for
   each of them, and it is readable while any watch of the group has
   something untaken. This is for one event loop that serves several
   consumers: it polls one fd where it would poll one per watch, and when
   the fd is readable it takes from each watch of the group (a take that
   leaves anything untaken in any of them leaves the fd readable).
   - A delivery that several watches of a group count writes the fd once,
     and the take that leaves the group with nothing armed reads it once;
     separate watches cost a write and a read each.
   - Each watch is still a consumer of its own: its own set, flags and
     exact counts; any thread may take from it or close it, one thread at
     a time for each watch. The fd stays open until the last watch of the
     group is closed, whichever watch that is.
   - share itself may be a watch opened by either function, with other
     signals and other flags.
   Errors, with nothing changed: those of sigport_watch_open() (the fd
   aside), and SIGPORT_EVALUE for share NULL. All platforms. */
SIGPORT_EXTERN int sigport_watch_open_shared(const sigport_sigset_t *set,
                                             unsigned flags,
                                             sigport_watch_t *share,
                                             sigport_watch_t **w);

/* The watch's fd: readable while anything is untaken (for a group of
   sigport_watch_open_shared(), in any watch of the group), to be polled
   (POLLIN) by an event loop; never read it, sigport_watch_take() drains
   it. Linux:
   an eventfd; other POSIX systems: the read end of a non-blocking pipe;
   Windows: a socket (select(), WSAPoll()). SIGPORT_NO_SOCKET if w is NULL.
   The trip writes to it only when it goes from drained to readable, so it
   never fills. Any thread. */
SIGPORT_EXTERN sigport_socket_t sigport_watch_fd(const sigport_watch_t *w);

/* Takes what the watch counted for one signal: returns its number and
   fills *info, or returns 0 (and zeroes *info) when nothing is untaken.
   It never blocks.
   - Without SIGPORT_WATCH_QUEUE: the lowest signal with deliveries first;
     info->count is the number of deliveries since the last take of that
     signal, and the rest of info the last recorded siginfo of that signal
     (as for a handler, an earlier delivery's when a trip on another thread
     held the record). For every signal of the set, the counts of the
     takes add up exactly to the deliveries the kernel made while the
     watch was open, however many watches are open.
   - With SIGPORT_WATCH_QUEUE: one delivery a take (count 1, its own
     siginfo: value, value_int, pid...), oldest first across signals. When
     the ring is full, later deliveries are still counted, per signal, as
     surplus; once the ring is empty, a take returns a signal's surplus as
     one record with count > 1 and the last recorded siginfo (count - 1
     payloads were dropped), lowest signal first. While a signal has
     surplus not yet taken, its new deliveries join the surplus, so that
     each signal's deliveries come out in order.
   When it leaves something untaken, the fd stays readable; in a group, it
   stays readable while any watch of the group has something untaken.
   Errors: SIGPORT_EVALUE for w or info NULL (info carries the count). Any
   thread. All platforms. */
SIGPORT_EXTERN int sigport_watch_take(sigport_watch_t *w,
                                      sigport_siginfo_t *info);

/* Closes the watch and frees it: using it afterwards is undefined, as
   after free(). What it had not taken is dropped. The fd of a group stays
   open, for its other watches, until the last of them closes. Closing the
   last watch
   of a signal that has no sigport handler puts back the disposition saved
   when sigport first took it (SIG_IGN for an ignored one), but only if
   sigport's raw handler is still the installed action; another action
   installed meanwhile is left alone. It waits for raw handlers running on
   other threads that may still see the watch before it frees it. After the
   last sigport_shutdown() the watch gets nothing more, and close only
   frees it. Any thread.
   Errors: SIGPORT_EVALUE for w NULL; SIGPORT_EOS (ENOMEM) when memory ran
   out, and then the watch is still open. All platforms. */
SIGPORT_EXTERN int sigport_watch_close(sigport_watch_t *w);

/* --------------------------------------------------------------------- */
/* Several handlers per signal, and chaining                             */
/* --------------------------------------------------------------------- */

/* The raw handler also calls the action that was installed before sigport
   first took the signal (see sigport_add_handler()). POSIX only
   (SIGPORT_HAVE_CHAIN). */
#define SIGPORT_ADD_CHAIN 0x1
/* The handler is removed when it runs, just before it is called (it may
   add itself again). */
#define SIGPORT_ADD_ONESHOT 0x2
/* SIGPORT_EVALUE unless nothing handles the signal now: its system
   disposition is SIG_DFL and sigport has no handler or watch on it. */
#define SIGPORT_ADD_IF_DEFAULT 0x4

/* Adds a handler for signum beside the primary one of sigport_signal(),
   and stores its id in *id. Added handlers run at dispatch, on the main
   thread, after the primary handler, in the order they were added; all of
   a signal's handlers see the same delivery (the same count and siginfo).
   When one returns non-zero (the primary one included), the others of
   that signal still run for that delivery; dispatch then returns the first
   non-zero result and leaves the signals above it pending. A handler added
   while its signal's handlers run waits for the next delivery.
   Adding installs sigport's raw handler if it is not there. While an added
   handler holds a signal, sigport_signal(signum, SIGPORT_SIG_DFL or
   SIGPORT_SIG_IGN) only clears the primary handler, as for a watch.
   SIGPORT_ADD_CHAIN: sigport keeps the whole action that was there when it
   first took the signal, and its raw handler calls that action too, in
   signal context, after recording the delivery: with the siginfo and the
   context for an SA_SIGINFO handler, with the number alone for another
   one, and not at all for SIG_DFL or SIG_IGN. The action runs with every
   signal blocked; its SA_RESETHAND and SA_NODEFER are not applied. For a
   real fault (SIGSEGV, SIGBUS, SIGFPE, SIGILL generated by the kernel) with
   a function to chain to, the raw handler calls it and returns, as if
   sigport were not there: the fault is that function's to fix (a guard
   page) or to end. If the chained action changes the disposition, the
   next dispatch of that signal says so once on stderr ("sigport: the action
   chained for SIGSEGV changed its disposition; ..."); sigport never takes
   the signal back.
   Errors, with nothing changed: SIGPORT_EVALUE for signum out of range,
   fn NULL or special (SIG_DFL, SIG_IGN, SIG_EXTERNAL), unknown flags, id
   NULL, a call off the main thread or before sigport_init(), and with
   SIGPORT_ADD_IF_DEFAULT a signal that is handled already; SIGPORT_EOS
   (EINVAL) for SIGKILL, SIGSTOP and the C library's reserved signals;
   SIGPORT_EOS when memory ran out or the system refused; SIGPORT_ENOTAVAIL
   for SIGPORT_ADD_CHAIN on Windows. All platforms. */
SIGPORT_EXTERN int sigport_add_handler(int signum, sigport_handler_fn fn,
                                       void *arg, unsigned flags,
                                       uint64_t *id);

/* Removes an added handler. Ids are never reused. When the last sigport
   handler of a signal (the primary one included) and its last watch are
   gone, sigport restores the action saved when it first took the signal
   (or sets the SIG_DFL or SIG_IGN that the primary handler was set to
   meanwhile), but only if its raw handler is still the installed action;
   otherwise it leaves the current action alone.
   Errors: SIGPORT_EVALUE for an id that was never given or was removed
   already, or a call off the main thread. All platforms. */
SIGPORT_EXTERN int sigport_remove_handler(uint64_t id);

/* --------------------------------------------------------------------- */
/* Child processes, without stealing                                      */
/* --------------------------------------------------------------------- */

/* How a watched child ended, as its callback is told. */
typedef struct sigport_child_status {
  sigport_pid_t pid;
  int exited; /* 1: exited normally, with `code` */
  int code;   /* exit code: 0..255 on POSIX; the full exit code on Windows */
  int signo;  /* the signal that ended it; 0 if none */
  int core;   /* it dumped core */
  int lost;   /* someone else reaped it (ECHILD): nothing else is known */
} sigport_child_status_t;

/* A child's callback: runs once, at dispatch, on the main thread. Its
   result acts like a handler's: non-zero is returned by the dispatch that
   ran it, and the children that ended after it are reported by the next
   dispatch. */
typedef int (*sigport_child_fn)(const sigport_child_status_t *st, void *arg);

/* The pid of the watch that reaps every child no other watch names. */
#define SIGPORT_CHILD_ANY ((sigport_pid_t)-1)

/* Watches the child `pid`: when it ends, sigport reaps it and the next
   dispatch calls fn(status, arg) once. No other code sees its status, and
   sigport waits for no process it does not watch: other children stay for
   their owners' waitpid().
   - SIGPORT_CHILD_ANY reaps every child that no other watch names (init,
     or a child subreaper): the one waitpid(-1) sigport makes. Its fn runs
     once for each such child; a named child that it happens to reap is
     reported to its own watch.
   - A child that ended before it was watched is reported at the next
     dispatch. One that someone else reaped after it was watched is
     reported once, with `lost` = 1.
   - How sigport learns of an end. POSIX: a SIGCHLD delivery; the first
     watch installs sigport's raw handler for SIGCHLD (a handler set with
     sigport_signal(SIGCHLD, ...) still runs), so SIGCHLD must reach the
     process: not blocked in every thread, nor taken with sigwait. The
     raw handler stays on SIGCHLD from the first watch (or the first
     sigport_child_fd()) until the last sigport_shutdown(); a first watch
     that fails leaves SIGCHLD as it was. Linux
     5.3 and later: one pidfd per watched child, in an epoll set, so that
     a dispatch reaps exactly the children that ended
     (waitid(P_PIDFD, ...)): its cost grows with the exits, not with the
     children watched. Elsewhere, on an older kernel, or when the
     environment variable SIGPORT_CHILD_FALLBACK is set to 1 at the first
     sigport_init(): waitpid(pid, WNOHANG) for each watched child at each
     SIGCHLD. Windows: the process handle, waited for by the thread pool
     (RegisterWaitForSingleObject); GetExitCodeProcess gives `code`.
     There `exited` is always 1 and `code` holds the exit code's 32 bits
     (STATUS_CONTROL_C_EXIT, 0xC000013A, is negative as an int); `signo`
     is 0. A child that has ended is found only while a handle to it is
     open (CreateProcess's hProcess, for one): once the last is closed,
     its pid names no child.
   - The watch ends when fn has been called, or with
     sigport_unwatch_child(). The last sigport_shutdown() drops every
     watch without reaping. A fork() child has no child watches.
   Any thread, once sigport_init() has been called.
   Errors, with nothing changed: SIGPORT_EVALUE for fn NULL, a pid that is
   not a process id (0, or negative other than SIGPORT_CHILD_ANY), a pid
   (or SIGPORT_CHILD_ANY) watched already, or a call before sigport_init();
   SIGPORT_EOS (ECHILD; on Windows ERROR_WAIT_NO_CHILDREN) for a pid that
   is not a child of this process (on Windows a child is a process whose
   parent pid is this process's and that was created after it);
   SIGPORT_EOS when the system refused a descriptor or memory ran out;
   SIGPORT_ENOTAVAIL for SIGPORT_CHILD_ANY on Windows, which has no
   orphans to adopt. All platforms. */
SIGPORT_EXTERN int sigport_watch_child(sigport_pid_t pid, sigport_child_fn fn,
                                       void *arg);

/* Stops watching pid (or SIGPORT_CHILD_ANY): sigport will not reap it,
   and its callback will not run, so that its `arg` may be freed right
   after. A child that sigport has reaped already but not yet reported is
   dropped with its status. Unwatching SIGPORT_CHILD_ANY drops the
   statuses of the children it reaped and did not report. Any thread.
   Errors: SIGPORT_EVALUE for a pid that is not watched (an unknown pid,
   or one whose callback ran) or a call before sigport_init(). All
   platforms. */
SIGPORT_EXTERN int sigport_unwatch_child(sigport_pid_t pid);

/* An fd that becomes readable when a watched child has ended (or when
   reports are left for the next dispatch), for an event loop: when it is,
   call sigport_dispatch(), which reaps, reports and empties it, even
   before the SIGCHLD of that end has come (the kernel wakes a pidfd's
   pollers first): once this fd has been handed out, and while something
   is watched, a dispatch with nothing pending asks whether it is readable
   (one poll() with no wait on Linux and the BSDs; a load in the
   fallback). Call sigport_dispatch() when it is readable, whatever
   sigport_pending() says. A POSIX
   wakeup fd (sigport_set_wakeup_fd()) gets SIGCHLD's byte too; a Windows
   one, which carries signal numbers only, does not. Linux: the epoll set of the pidfds (or, in the fallback,
   of the SIGCHLD doorbell); other POSIX systems: the SIGCHLD doorbell;
   Windows: a socket. The same fd until the last sigport_shutdown(), which
   closes it; made by the first call (or the first watch). Do not read or
   close it. SIGPORT_NO_SOCKET, with sigport_last_error() set, before
   sigport_init() or when it cannot be made. All platforms. */
SIGPORT_EXTERN sigport_socket_t sigport_child_fd(void);

/* --------------------------------------------------------------------- */
/* A dispatch thread                                                      */
/* --------------------------------------------------------------------- */

/* sigport_dispatch_thread_start(): a handler's KeyboardInterrupt
   (SIGPORT_EKEYBOARDINTERRUPT) stops the thread and is returned by
   sigport_dispatch_thread_stop(), instead of ending the process. */
#define SIGPORT_DISPATCH_KEEP_RUNNING 0x1

/* Starts the dispatch thread, for programs with no loop of their own
   (no sigport_dispatch() or sigport_pause() of their own). Until
   sigport_dispatch_thread_stop(), that thread runs every handler: those
   of sigport_signal(), the added handlers (sigport_add_handler()), the
   child callbacks (sigport_watch_child()) and
   sigport_default_int_handler(), one at a time, as sigport_dispatch()
   would, and the main thread runs none:
   - sigport_dispatch() and sigport_pause() on the main thread fail with
     SIGPORT_EVALUE, and the calls that dispatch (sigport_raise(),
     sigport_kill() to this process, unblocking masks...) leave what they
     made pending to the thread.
   - Setting handlers stays a main-thread call. sigport_signal() leaves
     what is pending to the thread, which runs each delivery with the
     handler in place when it takes it. The thread dispatches under a
     lock that sigport_signal(), sigport_add_handler() and
     sigport_remove_handler() take while it runs, so it never runs a new
     fn with an old arg; those calls wait for a handler running on the
     thread to return, so a handler there must not wait for the main
     thread to make one of them.
   - The first non-zero result of a handler (or callback) stops the
     thread, and the next sigport_dispatch_thread_stop() returns it; what
     is left pending stays pending, for the main thread after the stop.
     For SIGPORT_EKEYBOARDINTERRUPT the process then ends by SIGINT, as
     an uncaught KeyboardInterrupt ends Python
     (sigport_exit_by_signal(SIGPORT_SIGINT); on Windows the exit code
     STATUS_CONTROL_C_EXIT), unless SIGPORT_DISPATCH_KEEP_RUNNING is in
     `flags`.
   - The thread never takes a delivery: on POSIX it starts with every
     asynchronous signal blocked (the faults SIGSEGV, SIGBUS, SIGFPE,
     SIGILL, SIGTRAP and SIGSYS stay open, so that a fault in a handler
     ends the process); on Windows deliveries come on the raising thread
     or the system's console threads anyway. It sleeps on the object
     sigport_pause() sleeps on, which the raw handler wakes.
   - After fork(), the child has no dispatch thread, and sigport_dispatch()
     works on its main thread (the forking thread) again. A handler on the
     dispatch thread that forks makes a child whose only thread is that
     one: when the handler returns there, the thread ends, and with it the
     child (status 0), so such a child should exec or _exit().
   - The last sigport_shutdown() stops the thread first (what is pending
     then is raised again after the dispositions are restored, as
     shutdown does) and drops its result.
   Main thread only.
   Errors: SIGPORT_EVALUE for unknown flags, a call before sigport_init()
   or off the main thread, or when the thread is already running ("already
   running", also after it stopped on a result that no stop has taken);
   SIGPORT_EOS if the thread cannot be made. All platforms: POSIX threads,
   Win32 threads. */
SIGPORT_EXTERN int sigport_dispatch_thread_start(unsigned flags);

/* Stops the dispatch thread: wakes it, and waits for it to end. Before it
   ends, the thread dispatches once more what was pending when this call
   was made (a delivery whose raw handler ran before it, such as that of a
   sigport_raise() on the main thread), so that this call returns that
   dispatch's result; what arrives later stays pending, for the main
   thread's next dispatch. Returns the first non-zero result of a handler
   that ran there (SIGPORT_EKEYBOARDINTERRUPT only with
   SIGPORT_DISPATCH_KEEP_RUNNING), SIGPORT_EOS if the thread's wait
   failed, or 0. Main thread only.
   Errors: SIGPORT_EVALUE when the thread is not running (never started,
   or stopped already), before sigport_init() or off the main thread. All
   platforms. */
SIGPORT_EXTERN int sigport_dispatch_thread_stop(void);

/* --------------------------------------------------------------------- */
/* Event loops: set_wakeup_fd                                             */
/* --------------------------------------------------------------------- */

/* Python's warn_on_full_buffer=False: a full wakeup buffer is not reported. */
#define SIGPORT_WAKEUP_NO_WARN 0x1

/* Sets the wakeup fd: on each delivery of a signal with a sigport handler,
   the raw handler writes the signal number as one byte to fd, after the
   delivery is recorded. The byte is only a wakeup: a full buffer loses no
   signal, since dispatch reads the counters. SIGPORT_NO_SOCKET disables it.
   `old`, if not NULL, receives the previous fd (SIGPORT_NO_SOCKET if none).
   The call waits for raw handlers running on other threads to finish before
   it returns, so the old fd may be closed right after.
   POSIX: any non-blocking fd (a pipe or a socket). Windows: a socket handle,
   which the caller must have made non-blocking (Windows cannot tell; those
   of sigport_socketpair() are).
   A failed write (a full buffer, a closed fd, a reader that is gone) is
   counted and reported by the next dispatch, as above. It never raises
   SIGPIPE, whatever SIGPIPE's disposition: a socket is written with
   send(MSG_NOSIGNAL | MSG_DONTWAIT) where the system has MSG_NOSIGNAL, and
   the SIGPIPE that a write to a pipe without a reader makes is taken back
   before the raw handler returns (one that was pending before stays
   pending, with its own siginfo).
   Errors: SIGPORT_EVALUE for unknown flags, a blocking fd ("the fd 5 must be
   in non-blocking mode"), a Windows handle that is not a socket, a call
   off the main thread or before sigport_init(); SIGPORT_EOS (EBADF) for a
   closed fd. All platforms. */
SIGPORT_EXTERN int sigport_set_wakeup_fd(sigport_socket_t fd, unsigned flags,
                                         sigport_socket_t *old);

/* The current wakeup fd, or SIGPORT_NO_SOCKET. Any thread. */
SIGPORT_EXTERN sigport_socket_t sigport_get_wakeup_fd(void);

/* Makes a connected pair for use as a wakeup fd: non-blocking and
   close-on-exec (not inherited). POSIX: socketpair(AF_UNIX, SOCK_STREAM).
   Windows: a loopback TCP pair. Errors: SIGPORT_EVALUE if pair is NULL;
   SIGPORT_EOS if the system refused. Close both ends with close() or
   closesocket().
   Cost: on POSIX, where any non-blocking fd will do, a non-blocking pipe is
   the cheaper wakeup. A byte through an AF_UNIX stream socket takes the
   kernel longer than a byte through a pipe (on Linux, bench/ measures a
   kill, poll, drain and dispatch round trip at about 1.4 times the pipe's).
   This pair is for code that must also run on Windows. */
SIGPORT_EXTERN int sigport_socketpair(sigport_socket_t pair[2]);

/* --------------------------------------------------------------------- */
/* Timers: alarm, setitimer, getitimer                                    */
/* --------------------------------------------------------------------- */

enum { SIGPORT_ITIMER_REAL, SIGPORT_ITIMER_VIRTUAL, SIGPORT_ITIMER_PROF };

/* A timer's value: seconds left, and the re-arm interval (0: one-shot). */
typedef struct sigport_itimerval {
  double value, interval;
} sigport_itimerval_t;

/* Arms SIGALRM to fire in `seconds` (0 cancels), and returns the seconds
   that were left on the previous alarm (0 if none), rounded as the system
   rounds them. alarm and SIGPORT_ITIMER_REAL are the same timer.
   Errors: SIGPORT_EVALUE if seconds > INT_MAX (the message names it).
   Windows: emulated, as SIGPORT_ITIMER_REAL is (see sigport_setitimer());
   SIGPORT_EVALUE above 4294967 seconds. */
SIGPORT_EXTERN int sigport_alarm(unsigned seconds);

/* Arms timer `which` to fire after `seconds` and then every `interval`
   seconds (a zero `seconds` disarms it). ITIMER_REAL counts real time and
   sends SIGALRM, ITIMER_VIRTUAL the process's user CPU time (SIGVTALRM),
   ITIMER_PROF its user and system CPU time (SIGPROF). Times are rounded up
   to the system's resolution as Python rounds them: the seconds times 1e9
   (one double multiplication) up to a whole nanosecond, then up to the
   microsecond. So a tiny positive time never disarms a timer (1e-7 gives
   1 us), 0.000003 gives 3 us and 0.5000005 gives 500001 us. The result is
   the same on every system, whatever its floating-point unit does with
   excess precision (32-bit x86). `old`, if not NULL, receives the previous
   setting.
   Errors: SIGPORT_EITIMER for a bad `which` or a negative time;
   SIGPORT_EVALUE for NaN, an infinite time or one too large for the
   system's time_t, and on Linux for one the kernel cannot hold: it keeps
   a timer's expiry as its clock's reading plus the time in signed 64-bit
   nanoseconds, so a time or interval must be below about 9.2e9 s less
   the clock's reading (the monotonic clock for ITIMER_REAL, the process's
   CPU time for the others) and one second (Python's OverflowError). `which` is checked first, then `seconds`, then
   `interval`; the message names the value ("sigport_setitimer: negative
   time -1").
   Windows: SIGPORT_ITIMER_REAL is emulated with a timer-queue timer of
   the thread pool, whose callback delivers SIGPORT_SIGALRM to the process
   (code -2, "SI_TIMER"), through the masks below, like a console event:
   the handler runs at the next dispatch, or the process ends with exit
   code 3 under SIG_DFL, as the C runtime's default for a signal it does
   not know. The system fires in whole milliseconds: a time or interval
   is rounded up to the millisecond there (getitimer() still reads the
   microseconds set), and a firing may come up to one system tick (about
   15.6 ms) late. A time or interval above 4294967.294 s gives
   SIGPORT_EVALUE ("too large for the system"). SIGPORT_ITIMER_VIRTUAL and
   SIGPORT_ITIMER_PROF: SIGPORT_ENOTAVAIL (Windows has no CPU-time
   timer that signals), checked before the times. */
SIGPORT_EXTERN int sigport_setitimer(int which, double seconds,
                                     double interval,
                                     sigport_itimerval_t *old);

/* Reads timer `which`: the time left and the interval, each tv_sec +
   tv_usec / 1e6 as double arithmetic computes it (as in Python), the same
   on every system: an interval set as 0.000003 reads back as the double
   3e-6. A CPU-time timer can read up to one system tick more than it was
   set to, since the system samples CPU time at its ticks. Errors:
   SIGPORT_EITIMER for a bad `which`; SIGPORT_EVALUE if current is NULL.
   Windows: SIGPORT_ITIMER_REAL, read from the performance counter (an
   armed timer reads at least 1 us); the CPU-time timers give
   SIGPORT_ENOTAVAIL. */
SIGPORT_EXTERN int sigport_getitimer(int which, sigport_itimerval_t *current);

/* --------------------------------------------------------------------- */
/* Masks and synchronous waits                                            */
/* --------------------------------------------------------------------- */

enum { SIGPORT_SIG_BLOCK, SIGPORT_SIG_UNBLOCK, SIGPORT_SIG_SETMASK };

/* Changes the calling thread's signal mask (BLOCK adds `mask`, UNBLOCK
   removes it, SETMASK replaces the mask); `old`, if not NULL, receives the
   previous mask. SIGKILL and SIGSTOP are silently left out, as the system
   does (and the C library's reserved signals). A pending signal that the
   call unblocks is delivered during the call; UNBLOCK and SETMASK then
   dispatch what is pending (on the main thread) before returning, and
   return a handler's non-zero result, after the mask was changed and `old`
   filled. BLOCK does not dispatch.
   Errors: SIGPORT_EVALUE for a bad `how`, mask NULL, or a member of mask
   outside [1; SIGPORT_NSIG - 1]; SIGPORT_EOS if the system refused.
   Windows: emulated (see "Masks on Windows" below); a member that is not
   one of the eight signals is accepted and left out. */
SIGPORT_EXTERN int sigport_pthread_sigmask(int how, const sigport_sigset_t *mask,
                                           sigport_sigset_t *old);

/* The signals pending for the calling thread or the process while blocked.
   Errors: SIGPORT_EVALUE if out is NULL. Windows: the deliveries held for
   the calling thread and for the process (see "Masks on Windows"). */
SIGPORT_EXTERN int sigport_sigpending(sigport_sigset_t *out);

/* The sigwait family. The signals of `set` must be blocked in every thread
   (for example with sigport_thread_block() in workers and
   sigport_pthread_sigmask() in the main thread); otherwise a delivery may go
   to a thread's handler instead. On the main thread, what is already
   pending is dispatched first, and a handler's non-zero result ends the
   call before it takes a signal of the set. A signal outside the set that
   has a sigport handler and interrupts the wait is dispatched; if its
   handler returns non-zero the wait ends with that value, otherwise it goes
   on (PEP 475), with the time left for sigport_sigtimedwait(). Off the main
   thread the wait goes on and the main thread dispatches later. A delivery
   outside the set that comes as the wait returns a signal stays pending for
   the next dispatch. The info they return describes one delivery (count 1):
   signo, code, errnum, pid, uid and value, status for SIGCHLD, band for
   SIGPOLL, addr for the fault signals and SIGTRAP. Its code is what the C
   library's own sigwaitinfo() reports for the same delivery: glibc reports
   the SI_TKILL of raise() and pthread_kill() as SI_USER, as Python shows;
   musl leaves it SI_TKILL.
   All three are cancellation points, as POSIX requires: a pthread_cancel()
   of the waiting thread ends the wait (on Linux the system call is made
   with asynchronous cancellation enabled around it). On 32-bit Linux a
   kernel older than 5.1, which lacks the 64-bit time call, is waited on
   with the old one.
   Errors of all three: SIGPORT_EVALUE for set NULL, a member outside [1;
   SIGPORT_NSIG - 1], or a set with no signal that can be waited for
   ("empty signal set"; SIGKILL and SIGSTOP cannot be).

   Masks on Windows. Windows has no signal masks; sigport keeps one for
   each thread that has called sigport_pthread_sigmask(),
   sigport_thread_block() or a wait, and routes its own deliveries (the
   console events, SIGALRM, and what sigport_raise() or raise() sends to
   a signal sigport handles) through them. A thread starts with an empty
   mask: a Windows thread inherits nothing from its creator.
   - A delivery for the process (a console event, SIGALRM) goes first to
     a thread waiting for it in this family, which takes it and runs no
     handler. Otherwise it is held, pending for the process, while every
     thread that has a mask blocks it and the main thread (that of
     sigport_init()) is among them; it is delivered when a change of mask
     unblocks it. With no mask anywhere nothing is held.
   - A raise is for the raising thread, as raise() is on POSIX: it is held
     for that thread while the thread blocks it.
   - A held signal is one pending signal: a second delivery merges with
     it and the first one's info is kept. What is held for a thread that
     exits is dropped.
   A raise() of a signal under SIG_DFL or SIG_IGN that sigport never took
   goes straight to the C runtime and is not masked. The faults
   (SIGSEGV, SIGFPE, SIGILL) are never masked. The waits take what is
   held first; on the main thread they also dispatch, as on POSIX. */

/* Waits for a signal of `set`, stores its number in *signum, returns 0.
   Errors: SIGPORT_EVALUE for NULL or an empty set; SIGPORT_EOS.
   Windows: SIGPORT_ENOTAVAIL. */
SIGPORT_EXTERN int sigport_sigwait(const sigport_sigset_t *set, int *signum);

/* As sigport_sigwait(), and fills *info (if not NULL; zeroed when a
   handler's result ends the wait). Returns the signal number.
   macOS, OpenBSD: SIGPORT_ENOTAVAIL. Windows: emulated, with the info of
   the delivery (code -2 for SIGALRM, the console event's for the CTRL
   events, -1 for a raise). */
SIGPORT_EXTERN int sigport_sigwaitinfo(const sigport_sigset_t *set,
                                       sigport_siginfo_t *info);

/* As sigport_sigwaitinfo() for at most `timeout` seconds (0 polls):
   returns 1 when a signal came (its info in *info), 0 when the time ran
   out, also after interruptions (then *info is zeroed, signo 0). The time
   is measured on the monotonic clock and rounded up to the nanosecond (the
   seconds times 1e9, rounded up, the same on every system): it never
   returns 0 earlier than asked.
   Errors: SIGPORT_EVALUE for a negative, NaN, infinite or too large
   timeout (2^63 ns, about 292 years, or more); *info is not touched.
   macOS, OpenBSD: SIGPORT_ENOTAVAIL. Windows: emulated, timed on the
   performance counter. */
SIGPORT_EXTERN int sigport_sigtimedwait(const sigport_sigset_t *set,
                                        double timeout, sigport_siginfo_t *info);

/* For worker threads: blocks every valid signal except the fault signals
   (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS) in the calling thread,
   so that it gets no EINTR and steals no delivery, whatever handlers are
   installed later. The mask becomes exactly that: the fault signals are
   unblocked if they were blocked. It does not dispatch. `old`, if not
   NULL, receives the previous mask. Errors: SIGPORT_EOS if the system
   refused. Windows: emulated (see "Masks on Windows"); SIGSEGV, SIGFPE and
   SIGILL stay unblocked. */
SIGPORT_EXTERN int sigport_thread_block(sigport_sigset_t *old);

/* --------------------------------------------------------------------- */
/* Sending                                                                */
/* --------------------------------------------------------------------- */

/* Raises signum in the calling thread (raise_signal), then dispatches on the
   main thread and returns a handler's non-zero result.
   Errors: SIGPORT_EVALUE for signum out of [1; SIGPORT_NSIG - 1] (and on
   Windows outside the eight signals); SIGPORT_EOS if the system refused.
   All platforms. Windows: a signal that sigport handles is delivered
   without the C runtime's raise(), which resets the action to SIG_DFL
   before it calls a handler; so threads that call sigport_raise() at once
   never meet that SIG_DFL (a raise() made straight to the runtime can). */
SIGPORT_EXTERN int sigport_raise(int signum);

/* Sends signum to pid (os.kill). Signal 0 only checks that the process
   exists. To the caller's own process (pid itself, 0 or -1 on POSIX), it
   dispatches before it returns, on the main thread.
   Windows: SIGPORT_CTRL_BREAK_EVENT goes to GenerateConsoleCtrlEvent() for
   the process group pid (0: every process on the console);
   SIGPORT_CTRL_C_EVENT only with pid 0 (the system drops it for a group);
   any other valid number ends the process with that exit code.
   Errors: SIGPORT_EVALUE for a number that is not a signal here, or
   CTRL_C_EVENT with a non-zero pid; SIGPORT_EOS (ESRCH, EPERM, ...).
   All platforms. */
SIGPORT_EXTERN int sigport_kill(sigport_pid_t pid, int signum);

/* The calling thread's identifier, for sigport_pthread_kill(). */
SIGPORT_EXTERN sigport_thread_t sigport_thread_self(void);

/* 1 if a and b name the same thread, 0 if not. */
SIGPORT_EXTERN int sigport_thread_equal(sigport_thread_t a, sigport_thread_t b);

/* Sends signum to one thread of this process; signum 0 checks that the
   thread exists. To the calling thread on the main thread it dispatches
   before it returns.
   Errors: SIGPORT_EVALUE for signum out of range; SIGPORT_EOS (ESRCH, ...).
   Windows: SIGPORT_ENOTAVAIL. */
SIGPORT_EXTERN int sigport_pthread_kill(sigport_thread_t thread, int signum);

/* Sends signum to the process a pidfd refers to (Linux 5.1 and later).
   siginfo must be NULL (reserved) and flags 0 unless the kernel supports
   others.
   Errors: SIGPORT_EVALUE for signum out of range or a siginfo; SIGPORT_EOS
   (EBADF, ESRCH, ...). SIGPORT_ENOTAVAIL where the kernel or platform has
   no pidfd (everywhere but Linux). */
SIGPORT_EXTERN int sigport_pidfd_send_signal(int pidfd, int signum,
                                             const void *siginfo,
                                             unsigned flags);

/* flag 0: system calls interrupted by signum are restarted after its
   handler; flag 1: they fail with EINTR (the default, unless
   SIGPORT_INIT_RESTART). The current disposition changes at once. As in
   Python, installing a handler with sigport_signal() resets the choice to
   the default (interruptible, or restarted under SIGPORT_INIT_RESTART): it
   implicitly calls sigport_siginterrupt(signum, 1).
   Errors: SIGPORT_EVALUE for signum out of range; SIGPORT_EOS (EINVAL)
   for SIGKILL, SIGSTOP and the C library's reserved signals, as the system
   says. Windows: SIGPORT_ENOTAVAIL. */
SIGPORT_EXTERN int sigport_siginterrupt(int signum, int flag);

/* Ends the process as the default action of signum would, so that a parent
   sees "killed by signal": the default action is restored, the signal
   unblocked and raised. Where the default is to ignore, stop or continue,
   or the raise did not end the process, it calls _exit(128 + signum), at
   once for PID 1 (the init of a pid namespace), which no signal of its
   own with the default action ends. A
   number that is not a signal exits with status 128 + signum as well where
   that is in [1; 255] (signum -127 to 127), and with 255 otherwise, so it
   never ends the process as a success. atexit handlers do not run.
   Windows: exit code STATUS_CONTROL_C_EXIT (0xC000013A) for SIGINT and
   SIGBREAK, 3 for the others. Does not return. */
SIGPORT_EXTERN SIGPORT_NORETURN void sigport_exit_by_signal(int signum);

/* Ends the process the way a child with this wait status ended: exit(code)
   for a normal exit, sigport_exit_by_signal(sig) for a signal. A status that
   is not an end (stopped, continued) exits with 1. Windows: the status is
   the exit code. What a supervisor such as `sigport run` ends with. Does not
   return. */
SIGPORT_EXTERN SIGPORT_NORETURN void sigport_exit_with_status(int wait_status);

/* For a fork() child about to exec: SIG_DFL for every signal whose
   disposition sigport set (handlers, and SIG_IGN set by sigport, such as
   SIGPIPE from SIGPORT_INIT_DEFAULTS); a signal that was ignored before
   sigport touched it is left ignored, as nohup expects. Then every signal
   is unblocked. Async-signal-safe, as subprocess's restore_signals=True.
   Returns 0. Windows: SIGPORT_ENOTAVAIL (there is no fork). */
SIGPORT_EXTERN int sigport_restore_for_exec(void);

#ifdef __cplusplus
}
#endif

#endif /* SIGPORT_H */
