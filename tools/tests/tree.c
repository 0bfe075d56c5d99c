/*
 * tree.c: a process tree for the Windows tests of `sigport run`.
 *
 *   tree spawn FILE     starts a grandchild (`tree sleep`), writes
 *                       "CHILD GRANDCHILD" (the pids) to FILE, and sleeps,
 *                       ignoring console events
 *   tree leave FILE     the same, but exits 0 at once
 *   tree sleep          sleeps for a minute, then exits 3
 *   tree exit N         exits N at once (0 to 255)
 *   tree gone FILE      exit 0 when every pid in FILE has ended within 10
 *                       s, 1 (naming the one left) when one still runs;
 *                       it ends what it finds still running
 *   tree alive FILE     exit 0 when the grandchild in FILE still runs
 *                       (then ends it), 1 when it has ended
 *   tree kill FILE COMMAND [ARG...]
 *                       starts COMMAND (a `sigport run` of `tree spawn
 *                       FILE`), waits for FILE, ends COMMAND the hard way
 *                       with TerminateProcess, then does `tree gone FILE`
 *
 * Every wait is on an event (a process handle) or on FILE's content; the
 * one sleep is the grandchild's own life, which the tests cut short.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#define LIFE_MS 60000
#define WAIT_MS 10000

static int usage(void) {
  fputs("usage: tree spawn|leave|sleep|exit|gone|alive|kill ...\n", stderr);
  return 2;
}

/* Starts `cmdline` and returns its process information, or exits 2.
   With `detach`, the process gets no standard handles: a grandchild that
   outlives the test keeps no pipe of the test's open. */
static PROCESS_INFORMATION start(char *cmdline, int detach) {
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  if (detach) {
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = si.hStdOutput = si.hStdError = INVALID_HANDLE_VALUE;
  }
  if (!CreateProcessA(NULL, cmdline, NULL, NULL, FALSE, 0, NULL, NULL, &si,
                      &pi)) {
    fprintf(stderr, "tree: cannot start '%s': error %lu\n", cmdline,
            (unsigned long)GetLastError());
    exit(2);
  }
  CloseHandle(pi.hThread);
  return pi;
}

/* Ignores every console event, so that only the job's end ends it. */
static BOOL WINAPI ignore_event(DWORD event) {
  (void)event;
  return TRUE;
}

/* Starts the grandchild and records both pids in `file`. */
static void spawn(const char *file) {
  char self[MAX_PATH], cmdline[MAX_PATH + 16];
  PROCESS_INFORMATION pi;
  FILE *f;
  DWORD n = GetModuleFileNameA(NULL, self, sizeof self);
  if (n == 0 || n == sizeof self) {
    fprintf(stderr, "tree: cannot find its own file\n");
    exit(2);
  }
  (void)SetConsoleCtrlHandler(ignore_event, TRUE);
  snprintf(cmdline, sizeof cmdline, "\"%s\" sleep", self);
  pi = start(cmdline, 1);
  CloseHandle(pi.hProcess);
  f = fopen(file, "w");
  if (f == NULL || fprintf(f, "%lu %lu\n", (unsigned long)GetCurrentProcessId(),
                           (unsigned long)pi.dwProcessId) < 0 ||
      fclose(f) != 0) {
    fprintf(stderr, "tree: cannot write %s\n", file);
    exit(2);
  }
}

/* Reads the two pids from `file`; 0 when it is not (yet) complete. */
static int read_pids(const char *file, unsigned long pids[2]) {
  FILE *f = fopen(file, "r");
  int n;
  if (f == NULL) return 0;
  n = fscanf(f, "%lu %lu", &pids[0], &pids[1]);
  fclose(f);
  return n == 2;
}

/* A handle to wait for pid, or NULL when no such process exists. */
static HANDLE open_pid(unsigned long pid) {
  return OpenProcess(SYNCHRONIZE | PROCESS_TERMINATE |
                         PROCESS_QUERY_LIMITED_INFORMATION,
                     FALSE, (DWORD)pid);
}

/* Whether the process behind h still runs after up to ms milliseconds. */
static int still_runs(HANDLE h, DWORD ms) {
  return WaitForSingleObject(h, ms) == WAIT_TIMEOUT;
}

static int gone(const char *file) {
  static const char *const role[2] = {"child", "grandchild"};
  unsigned long pids[2];
  int i, left = 0;
  if (!read_pids(file, pids)) {
    fprintf(stderr, "tree: no pids in %s\n", file);
    return 2;
  }
  for (i = 0; i < 2; i++) {
    HANDLE h = open_pid(pids[i]);
    if (h == NULL) continue; /* no such process: it has ended */
    if (still_runs(h, WAIT_MS)) {
      fprintf(stderr, "tree: the %s, pid %lu, still runs\n", role[i],
              pids[i]);
      (void)TerminateProcess(h, 1);
      left = 1;
    }
    CloseHandle(h);
  }
  if (!left) printf("tree: the child and the grandchild have ended\n");
  return left;
}

static int alive(const char *file) {
  unsigned long pids[2];
  HANDLE h;
  int runs;
  if (!read_pids(file, pids)) {
    fprintf(stderr, "tree: no pids in %s\n", file);
    return 2;
  }
  h = open_pid(pids[1]);
  if (h == NULL) {
    fprintf(stderr, "tree: the grandchild, pid %lu, has ended\n", pids[1]);
    return 1;
  }
  runs = still_runs(h, 0);
  if (runs) {
    printf("tree: the grandchild, pid %lu, still runs\n", pids[1]);
    (void)TerminateProcess(h, 1);
  } else {
    fprintf(stderr, "tree: the grandchild, pid %lu, has ended\n", pids[1]);
  }
  CloseHandle(h);
  return runs ? 0 : 1;
}

/* Quotes nothing: the test's words have no spaces. */
static int kill_run(const char *file, int argc, char **argv) {
  char cmdline[4096] = "";
  unsigned long pids[2];
  PROCESS_INFORMATION pi;
  int i;
  for (i = 0; i < argc; i++) {
    if (strlen(cmdline) + strlen(argv[i]) + 2 > sizeof cmdline) return usage();
    if (i > 0) strcat(cmdline, " ");
    strcat(cmdline, argv[i]);
  }
  DeleteFileA(file);
  pi = start(cmdline, 0);
  /* FILE is written once the grandchild runs: poll its content, and give
     up if the command ends first. */
  while (!read_pids(file, pids)) {
    if (!still_runs(pi.hProcess, 10)) {
      fprintf(stderr, "tree: '%s' ended before writing %s\n", cmdline, file);
      return 2;
    }
  }
  if (!TerminateProcess(pi.hProcess, 1)) {
    fprintf(stderr, "tree: cannot end '%s': error %lu\n", cmdline,
            (unsigned long)GetLastError());
    return 2;
  }
  WaitForSingleObject(pi.hProcess, INFINITE);
  CloseHandle(pi.hProcess);
  return gone(file);
}

int main(int argc, char **argv) {
  if (argc < 2) return usage();
  if (strcmp(argv[1], "sleep") == 0) {
    Sleep(LIFE_MS);
    return 3;
  }
  if (argc < 3) return usage();
  if (strcmp(argv[1], "exit") == 0) {
    char *end;
    long n = strtol(argv[2], &end, 10);
    if (end == argv[2] || *end != '\0' || n < 0 || n > 255) {
      fprintf(stderr, "tree: exit status '%s' is not 0 to 255\n", argv[2]);
      return 2;
    }
    return (int)n;
  }
  if (strcmp(argv[1], "spawn") == 0) {
    spawn(argv[2]);
    Sleep(LIFE_MS);
    return 3;
  }
  if (strcmp(argv[1], "leave") == 0) {
    spawn(argv[2]);
    return 0;
  }
  if (strcmp(argv[1], "gone") == 0) return gone(argv[2]);
  if (strcmp(argv[1], "alive") == 0) return alive(argv[2]);
  if (strcmp(argv[1], "kill") == 0 && argc > 3)
    return kill_run(argv[2], argc - 3, argv + 3);
  return usage();
}
