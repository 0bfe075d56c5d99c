/*
 * codes.c: the names of siginfo codes (sigport_codename()), from the
 * system's own constants: the codes any signal may carry (SI_USER,
 * SI_QUEUE, ...), and those of one signal (SEGV_MAPERR, CLD_EXITED, ...),
 * whose numbers overlap from one signal to the next.
 */
#include <signal.h>
#include <stddef.h>

#include "posix.h"

struct sp_code {
  int signo; /* 0: any signal */
  int code;
  const char *name;
};

#define SP_CODE(signo, code) {signo, code, #code}

static const struct sp_code codes[] = {
#ifdef ILL_ILLOPC
    SP_CODE(SIGILL, ILL_ILLOPC),
#endif
#ifdef ILL_ILLOPN
    SP_CODE(SIGILL, ILL_ILLOPN),
#endif
#ifdef ILL_ILLADR
    SP_CODE(SIGILL, ILL_ILLADR),
#endif
#ifdef ILL_ILLTRP
    SP_CODE(SIGILL, ILL_ILLTRP),
#endif
#ifdef ILL_PRVOPC
    SP_CODE(SIGILL, ILL_PRVOPC),
#endif
#ifdef ILL_PRVREG
    SP_CODE(SIGILL, ILL_PRVREG),
#endif
#ifdef ILL_COPROC
    SP_CODE(SIGILL, ILL_COPROC),
#endif
#ifdef ILL_BADSTK
    SP_CODE(SIGILL, ILL_BADSTK),
#endif
#ifdef FPE_INTDIV
    SP_CODE(SIGFPE, FPE_INTDIV),
#endif
#ifdef FPE_INTOVF
    SP_CODE(SIGFPE, FPE_INTOVF),
#endif
#ifdef FPE_FLTDIV
    SP_CODE(SIGFPE, FPE_FLTDIV),
#endif
#ifdef FPE_FLTOVF
    SP_CODE(SIGFPE, FPE_FLTOVF),
#endif
#ifdef FPE_FLTUND
    SP_CODE(SIGFPE, FPE_FLTUND),
#endif
#ifdef FPE_FLTRES
    SP_CODE(SIGFPE, FPE_FLTRES),
#endif
#ifdef FPE_FLTINV
    SP_CODE(SIGFPE, FPE_FLTINV),
#endif
#ifdef FPE_FLTSUB
    SP_CODE(SIGFPE, FPE_FLTSUB),
#endif
#ifdef SEGV_MAPERR
    SP_CODE(SIGSEGV, SEGV_MAPERR),
#endif
#ifdef SEGV_ACCERR
    SP_CODE(SIGSEGV, SEGV_ACCERR),
#endif
#ifdef SEGV_BNDERR
    SP_CODE(SIGSEGV, SEGV_BNDERR),
#endif
#ifdef SEGV_PKUERR
    SP_CODE(SIGSEGV, SEGV_PKUERR),
#endif
#ifdef BUS_ADRALN
    SP_CODE(SIGBUS, BUS_ADRALN),
#endif
#ifdef BUS_ADRERR
    SP_CODE(SIGBUS, BUS_ADRERR),
#endif
#ifdef BUS_OBJERR
    SP_CODE(SIGBUS, BUS_OBJERR),
#endif
#ifdef BUS_MCEERR_AR
    SP_CODE(SIGBUS, BUS_MCEERR_AR),
#endif
#ifdef BUS_MCEERR_AO
    SP_CODE(SIGBUS, BUS_MCEERR_AO),
#endif
#ifdef TRAP_BRKPT
    SP_CODE(SIGTRAP, TRAP_BRKPT),
#endif
#ifdef TRAP_TRACE
    SP_CODE(SIGTRAP, TRAP_TRACE),
#endif
#ifdef CLD_EXITED
    SP_CODE(SIGCHLD, CLD_EXITED),
#endif
#ifdef CLD_KILLED
    SP_CODE(SIGCHLD, CLD_KILLED),
#endif
#ifdef CLD_DUMPED
    SP_CODE(SIGCHLD, CLD_DUMPED),
#endif
#ifdef CLD_TRAPPED
    SP_CODE(SIGCHLD, CLD_TRAPPED),
#endif
#ifdef CLD_STOPPED
    SP_CODE(SIGCHLD, CLD_STOPPED),
#endif
#ifdef CLD_CONTINUED
    SP_CODE(SIGCHLD, CLD_CONTINUED),
#endif
#if defined(SIGPOLL) && defined(POLL_IN)
    SP_CODE(SIGPOLL, POLL_IN),
    SP_CODE(SIGPOLL, POLL_OUT),
    SP_CODE(SIGPOLL, POLL_MSG),
    SP_CODE(SIGPOLL, POLL_ERR),
    SP_CODE(SIGPOLL, POLL_PRI),
    SP_CODE(SIGPOLL, POLL_HUP),
#endif
    /* The codes any signal may carry. */
#ifdef SI_USER
    SP_CODE(0, SI_USER),
#endif
#ifdef SI_QUEUE
    SP_CODE(0, SI_QUEUE),
#endif
#ifdef SI_TIMER
    SP_CODE(0, SI_TIMER),
#endif
#ifdef SI_MESGQ
    SP_CODE(0, SI_MESGQ),
#endif
#ifdef SI_ASYNCIO
    SP_CODE(0, SI_ASYNCIO),
#endif
#ifdef SI_SIGIO
    SP_CODE(0, SI_SIGIO),
#endif
#ifdef SI_TKILL
    SP_CODE(0, SI_TKILL),
#endif
#ifdef SI_KERNEL
    SP_CODE(0, SI_KERNEL),
#endif
#ifdef SI_ASYNCNL
    SP_CODE(0, SI_ASYNCNL),
#endif
#ifdef SI_LWP
    SP_CODE(0, SI_LWP),
#endif
#ifdef SI_NOINFO
    SP_CODE(0, SI_NOINFO),
#endif
};

const char *sp__backend_codename(int signo, int code) {
  size_t i;
  /* The signal's own codes first: their numbers are not unique. */
  for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
    if (codes[i].signo != 0 && codes[i].signo == signo &&
        codes[i].code == code)
      return codes[i].name;
  for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
    if (codes[i].signo == 0 && codes[i].code == code) return codes[i].name;
  return NULL;
}
