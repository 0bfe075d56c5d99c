/*
 * thread.c: the dispatch thread's Windows half: a Win32 thread, and the
 * dispatch lock. Windows has no signal masks to set on it: the C runtime
 * runs a raised signal's handler on the raising thread, and console
 * events come on threads of the system's, so the dispatch thread never
 * takes a delivery.
 */
#include "win32.h"

static HANDLE thread;
static void (*thread_run)(void);
static SRWLOCK dlock = SRWLOCK_INIT;

static DWORD WINAPI start_routine(LPVOID unused) {
  (void)unused;
  thread_run();
  return 0;
}

int sp__backend_thread_start(void (*run)(void), const char *fn) {
  thread_run = run;
  thread = CreateThread(NULL, 0, start_routine, NULL, 0, NULL);
  if (thread == NULL)
    return sp__fail_os(SIGPORT_EOS, (int)GetLastError(), "%s: CreateThread",
                       fn);
  return 0;
}

void sp__backend_thread_join(void) {
  (void)WaitForSingleObject(thread, INFINITE);
  (void)CloseHandle(thread);
  thread = NULL;
}

void sp__backend_thread_forget(void) { thread = NULL; }

void sp__backend_dlock(void) { AcquireSRWLockExclusive(&dlock); }
void sp__backend_dunlock(void) { ReleaseSRWLockExclusive(&dlock); }
