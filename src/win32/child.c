/*
 * child.c (Windows): how the child watches hear of an end and read the
 * exit code (child.h).
 *
 * Each watched child is a process handle that the system's thread pool
 * waits for (RegisterWaitForSingleObject, once). When the process ends, the
 * wait's callback, on a pool thread, marks the entry (`fired`), makes the
 * next dispatch harvest (sp__child_due()) and rings the doorbell, a pair of
 * loopback sockets whose read end is the child fd. The harvest, under the
 * lock at dispatch, reports the marked entries with GetExitCodeProcess().
 * Nothing needs reaping on Windows: the process object lives as long as a
 * handle to it is open, and sigport's is closed after the report's status
 * was read.
 *
 * A pid is a child when the process that it names now was created by this
 * one: its parent pid is this process's, and it was created after this
 * process (a parent pid is never updated, so an older process whose parent
 * had the pid this process has now would pass the first test alone).
 */
#include <limits.h>
#include <string.h>

#include "win32.h"
#include "../child.h"

/* The doorbell: the read end is the child fd. Written under the lock by
   start and stop only, when no wait is registered; the callbacks read
   `bell_wr` between the registration of their wait and its removal. */
static sigport_socket_t bell_rd = SIGPORT_NO_SOCKET;
static sigport_socket_t bell_wr = SIGPORT_NO_SOCKET;

/* When this process was created, as GetProcessTimes() gives it. */
static ULARGE_INTEGER self_created;

/* NtQueryInformationProcess(ProcessBasicInformation), from ntdll, for the
   parent pid of a process handle (the one call that reads it from the
   handle, which also works for a process that has ended), and
   RtlNtStatusToDosError for its failures. */
typedef LONG(NTAPI *query_process_fn)(HANDLE process, ULONG info_class,
                                      PVOID info, ULONG size, PULONG len);
typedef ULONG(NTAPI *status_to_error_fn)(LONG status);
static query_process_fn query_process;
static status_to_error_fn status_to_error;

/* PROCESS_BASIC_INFORMATION (info class 0): six pointer-sized fields, the
   last of which is the parent's pid. */
struct basic_info {
  ULONG_PTR exit_status;
  ULONG_PTR peb;
  ULONG_PTR affinity;
  ULONG_PTR base_priority;
  ULONG_PTR pid;
  ULONG_PTR parent_pid;
};

static ULARGE_INTEGER large_of(FILETIME t) {
  ULARGE_INTEGER v;
  v.LowPart = t.dwLowDateTime;
  v.HighPart = t.dwHighDateTime;
  return v;
}

int sp__backend_child_start(const char *fn) {
  FILETIME created, ended, kernel, user;
  HMODULE ntdll;
  int rc;
  if (!GetProcessTimes(GetCurrentProcess(), &created, &ended, &kernel,
                       &user))
    return sp__fail_os(SIGPORT_EOS, (int)GetLastError(),
                       "%s: GetProcessTimes", fn);
  self_created = large_of(created);
  /* ntdll is in every process. GetProcAddress's pointer is converted
     through void (*)(void), the type that converts to any other function
     pointer type without a warning. */
  ntdll = GetModuleHandleW(L"ntdll.dll");
  if (ntdll != NULL) {
    query_process = (query_process_fn)(void (*)(void))GetProcAddress(
        ntdll, "NtQueryInformationProcess");
    status_to_error = (status_to_error_fn)(void (*)(void))GetProcAddress(
        ntdll, "RtlNtStatusToDosError");
  }
  if (query_process == NULL)
    return sp__fail_os(SIGPORT_EOS, ERROR_PROC_NOT_FOUND,
                       "%s: ntdll.dll has no NtQueryInformationProcess", fn);
  rc = sp__backend_bell_open(&bell_rd, &bell_wr, fn);
  if (rc != 0) bell_rd = bell_wr = SIGPORT_NO_SOCKET;
  return rc;
}

void sp__backend_child_stop(void) {
  if (bell_rd != SIGPORT_NO_SOCKET) sp__backend_bell_close(bell_rd, bell_wr);
  bell_rd = bell_wr = SIGPORT_NO_SOCKET;
}

sigport_socket_t sp__backend_child_fd(void) { return bell_rd; }

/* The refusal of a pid that names no child of this process: what ECHILD
   is on POSIX. */
static int not_a_child(DWORD pid, const char *fn) {
  return sp__fail_os(SIGPORT_EOS, ERROR_WAIT_NO_CHILDREN,
                     "%s: pid %lu is not a child of this process", fn,
                     (unsigned long)pid);
}

/* 0 if the process of handle h, opened for pid, is a child of this one,
   else a failure. */
static int check_child(HANDLE h, DWORD pid, const char *fn) {
  struct basic_info info;
  FILETIME created, ended, kernel, user;
  ULONG len = 0;
  LONG status;
  memset(&info, 0, sizeof info);
  status = query_process(h, 0, &info, (ULONG)sizeof info, &len);
  if (status < 0) {
    int err = status_to_error != NULL ? (int)status_to_error(status)
                                      : ERROR_GEN_FAILURE;
    return sp__fail_os(SIGPORT_EOS, err,
                       "%s: NtQueryInformationProcess(%lu) failed with "
                       "status 0x%08lx",
                       fn, (unsigned long)pid, (unsigned long)status);
  }
  if (info.parent_pid != (ULONG_PTR)GetCurrentProcessId())
    return not_a_child(pid, fn);
  if (!GetProcessTimes(h, &created, &ended, &kernel, &user))
    return sp__fail_os(SIGPORT_EOS, (int)GetLastError(),
                       "%s: GetProcessTimes(%lu)", fn, (unsigned long)pid);
  /* Older than this process: its parent was an earlier holder of this
     process's pid. */
  if (large_of(created).QuadPart < self_created.QuadPart)
    return not_a_child(pid, fn);
  return 0;
}

/* Marks c ended and makes the next dispatch report it. The order matters
   to an event loop: by the time the child fd is readable, the dispatch it
   calls is due to harvest, and finds the mark. Called by the pool thread
   without the lock, or by open under it. */
static void ended(struct sp_child *c) {
  atomic_store_explicit(&c->fired, 1, SP_SEQ_CST);
  sp__child_due(); /* rings the doorbell last (sp__backend_child_kick) */
}

void sp__backend_child_kick(void) { sp__backend_bell_ring(bell_wr); }

/* Every end is made due before the doorbell rings (ended()). */
int sp__backend_child_ready(void) { return 0; }

/* The wait's callback, on a pool thread, once. It takes no lock: closing
   the wait, under the lock, waits for it to return. */
static VOID CALLBACK on_end(PVOID arg, BOOLEAN timed_out) {
  (void)timed_out; /* never: the wait has no timeout */
  ended(arg);
}

int sp__backend_child_open(struct sp_child *c, const char *fn) {
  DWORD pid = (DWORD)c->pid, err;
  HANDLE h, wait;
  int rc;
  h = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE,
                  pid);
  if (h == NULL) {
    err = GetLastError();
    /* No process has this pid (an ended child whose last handle was
       closed is gone too). */
    if (err == ERROR_INVALID_PARAMETER) return not_a_child(pid, fn);
    return sp__fail_os(SIGPORT_EOS, (int)err, "%s: OpenProcess(%lu)", fn,
                       (unsigned long)pid);
  }
  rc = check_child(h, pid, fn);
  if (rc != 0) {
    CloseHandle(h);
    return rc;
  }
  c->handle = (intptr_t)h;
  /* Ended already: the wait would fire at once, but on a pool thread, and
     the next dispatch could come first. Marked here instead, so that the
     next dispatch reports it, with no wait at all. */
  if (WaitForSingleObject(h, 0) == WAIT_OBJECT_0) {
    ended(c);
    return 0;
  }
  if (!RegisterWaitForSingleObject(&wait, h, on_end, c, INFINITE,
                                   WT_EXECUTEONLYONCE)) {
    err = GetLastError();
    CloseHandle(h);
    c->handle = -1;
    return sp__fail_os(SIGPORT_EOS, (int)err,
                       "%s: RegisterWaitForSingleObject(%lu)", fn,
                       (unsigned long)pid);
  }
  c->wait = (intptr_t)wait;
  return 0;
}

void sp__backend_child_close(struct sp_child *c) {
  /* INVALID_HANDLE_VALUE: returns once a callback under way has returned,
     so that nothing touches c after this. */
  if (c->wait != -1)
    (void)UnregisterWaitEx((HANDLE)c->wait, INVALID_HANDLE_VALUE);
  if (c->handle != -1) CloseHandle((HANDLE)c->handle);
  c->wait = c->handle = -1;
}

/* An exit code, a DWORD, as an int with the same bits (0xC000013A is
   negative), without an out-of-range conversion. */
static int code_of(DWORD exit_code) {
  if (exit_code <= (DWORD)INT_MAX) return (int)exit_code;
  return -(int)~exit_code - 1;
}

void sp__backend_child_harvest(void) {
  struct sp_child *c, *next;
  for (c = sp__child_first(); c != NULL; c = next) {
    sigport_child_status_t st;
    DWORD exit_code;
    next = sp__child_next(c);
    if (!atomic_load_explicit(&c->fired, SP_ACQUIRE)) continue;
    memset(&st, 0, sizeof st);
    if (GetExitCodeProcess((HANDLE)c->handle, &exit_code)) {
      st.exited = 1;
      st.code = code_of(exit_code);
    } else {
      /* It ended, and its status cannot be read: nothing is known. */
      st.lost = 1;
    }
    /* Closes the wait: a callback that marked c and has yet to ring has
       rung when this returns. */
    sp__child_reaped(c, &st);
  }
  /* Emptied after the walk, not before: a reap above waits for its
     callback, which may ring after its mark was seen, and that ring would
     leave the fd readable with nothing due, which no dispatch would then
     empty. A callback rings after it makes its end due, so a ring that
     this drain takes is for an end reaped above or one still due; for the
     latter the doorbell is rung again. */
  sp__backend_bell_drain(bell_rd);
  if (atomic_load_explicit(&sp__state.child_due, SP_SEQ_CST))
    sp__backend_bell_ring(bell_wr);
}

/* No fork() on Windows. */
void sp__backend_child_after_fork(void) {}
