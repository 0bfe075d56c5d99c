/*
 * send.c: raising signals in this process, and sending them to others:
 * console events through GenerateConsoleCtrlEvent(), the others as an
 * exit code through TerminateProcess(), as Python's os.kill() does.
 */
#include "win32.h"

/* 1..NSIG-1 and one of the seven, or a failure naming the number. */
static int check_signal(int signum, const char *fn) {
  int rc = sp__check_range(signum, fn);
  if (rc == 0 && !sp__backend_is_valid(signum))
    rc = sp__win32_fail_not_signal(signum, fn);
  return rc;
}

int sigport_raise(int signum) {
  int rc = check_signal(signum, "sigport_raise");
  if (rc != 0) return rc;
  /* SIGINT and SIGBREAK never go through the C runtime: the trip is
     called directly under sigport's disposition (SIG_DFL ends the process
     as Ctrl+C would). The others through the runtime's raise(). */
  sp__backend_raise_raw(signum);
  return sp__dispatch_if_main();
}

/* Sends a console event to a process group (0: every process attached to
   this console). */
static int send_console_event(sigport_pid_t pid, int signum) {
  DWORD event =
      signum == SIGPORT_CTRL_C_EVENT ? CTRL_C_EVENT : CTRL_BREAK_EVENT;
  if (signum == SIGPORT_CTRL_C_EVENT && pid != 0)
    return sp__fail(SIGPORT_EVALUE,
                    "sigport_kill(%lu, CTRL_C_EVENT): CTRL_C_EVENT can only "
                    "be sent to process group 0: the system drops it for "
                    "other groups",
                    (unsigned long)pid);
  if (!GenerateConsoleCtrlEvent(event, (DWORD)pid))
    return sp__fail_os(SIGPORT_EOS, (int)GetLastError(),
                       "sigport_kill(%lu, %s): GenerateConsoleCtrlEvent",
                       (unsigned long)pid,
                       signum == SIGPORT_CTRL_C_EVENT ? "CTRL_C_EVENT"
                                                      : "CTRL_BREAK_EVENT");
  /* Group 0 includes this process; the event arrives on a thread of its
     own, so only what is already pending can be dispatched here. */
  return pid == 0 ? sp__dispatch_if_main() : 0;
}

/* Opens a process that is still running, with `access`. A process that
   has ended but whose object some handle still keeps is gone, as for
   kill(): its exit code is set. (A process that returned STILL_ACTIVE,
   259, cannot be told from a running one.) */
static int open_running(sigport_pid_t pid, int signum, DWORD access,
                        HANDLE *out) {
  DWORD code = 0;
  HANDLE h = OpenProcess(access | PROCESS_QUERY_LIMITED_INFORMATION, FALSE,
                         (DWORD)pid);
  if (h == NULL)
    return sp__fail_os(SIGPORT_EOS, (int)GetLastError(),
                       "sigport_kill(%lu, %d): OpenProcess",
                       (unsigned long)pid, signum);
  if (!GetExitCodeProcess(h, &code)) {
    DWORD err = GetLastError();
    CloseHandle(h);
    return sp__fail_os(SIGPORT_EOS, (int)err,
                       "sigport_kill(%lu, %d): GetExitCodeProcess",
                       (unsigned long)pid, signum);
  }
  if (code != STILL_ACTIVE) {
    CloseHandle(h);
    return sp__fail_os(SIGPORT_EOS, ERROR_INVALID_PARAMETER,
                       "sigport_kill(%lu, %d): the process has ended",
                       (unsigned long)pid, signum);
  }
  *out = h;
  return 0;
}

int sigport_kill(sigport_pid_t pid, int signum) {
  HANDLE h = NULL;
  int rc;
  if (signum == SIGPORT_CTRL_C_EVENT || signum == SIGPORT_CTRL_BREAK_EVENT)
    return send_console_event(pid, signum);
  if (signum != 0 && !sp__backend_is_valid(signum))
    return sp__win32_fail_not_signal(signum, "sigport_kill");
  /* Signal 0 is an existence check: nothing is sent. As with kill(), a
     process that may not be opened (ERROR_ACCESS_DENIED) is a failure. */
  rc = open_running(pid, signum, signum == 0 ? 0 : PROCESS_TERMINATE, &h);
  if (rc != 0 || signum == 0) {
    if (rc == 0) CloseHandle(h);
    return rc;
  }
  /* Any other signal ends the process, with the signal number as its
     exit code. Sent to this process, it ends this process. */
  if (!TerminateProcess(h, (UINT)signum)) {
    DWORD err = GetLastError();
    CloseHandle(h);
    return sp__fail_os(SIGPORT_EOS, (int)err,
                       "sigport_kill(%lu, %d): TerminateProcess",
                       (unsigned long)pid, signum);
  }
  CloseHandle(h);
  return 0;
}
