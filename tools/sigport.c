/*
 * sigport.c: the `sigport` command-line tool.
 *
 *   sigport list [--json]
 *   sigport info SIGNAL [--json]
 *   sigport send SIGNAL PID...
 *   sigport watch [--count N] [--timeout SECONDS] [--json] [--queue]
 *                 SIGNAL...
 *   sigport run [--timeout SECONDS] [--signal SIGNAL] [--kill-after SECONDS]
 *               [--forward LIST | --no-forward] [--init [--grace SECONDS]]
 *               [--] COMMAND [ARG...]
 *   sigport mask [PID]
 *
 * It uses the library through its public header only. Exit status: 0 on
 * success, 1 when the system refused (the message names the call and the
 * system's error), 2 for a usage error (the message names the bad value),
 * and for `run` the child's status. The manual page sigport(1) describes
 * every command; the --help texts below say the same in short.
 *
 * cli.c parses the command line without side effects; this file does what
 * the parsed command line asks.
 */
#if !defined(_WIN32)
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#include <winsock2.h>
#include <windows.h>
#else
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <dirent.h>
#include <sys/prctl.h>
#endif
#endif

#include "cli.h"
#include "sigport.h"

/* Exit statuses. */
#define EXIT_OK 0
#define EXIT_REFUSED 1
#define EXIT_USAGE SIGPORT_CLI_USAGE
#define EXIT_TIMEDOUT 124
#define EXIT_CANNOT_RUN 126
#define EXIT_NOT_FOUND 127

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

#if defined(__GNUC__) || defined(__clang__)
#define TOOL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TOOL_PRINTF(f, a)
#endif

static int complain(int status, const char *fmt, ...) TOOL_PRINTF(2, 3);

/* Prints "sigport: <message>" as one line on stderr and returns status. */
static int complain(int status, const char *fmt, ...) {
  va_list ap;
  fputs("sigport: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  fflush(stderr);
  return status;
}

/* A sigport call failed with rc: 2 for a bad value (SIGPORT_EVALUE), 1
   otherwise. sigport_last_error() names the call and the system's error. */
static int library_failed(int rc) {
  return complain(rc == SIGPORT_EVALUE ? EXIT_USAGE : EXIT_REFUSED, "%s",
                  sigport_last_error());
}

/* A system call of the tool's own failed with errno err. */
static int system_failed(const char *call, int err) {
  return complain(EXIT_REFUSED, "%s: %s", call, strerror(err));
}

/* Flushes stdout; a failed write is a refusal of the system. */
static int finish_output(int status) {
  if (fflush(stdout) != 0 || ferror(stdout))
    return system_failed("write to stdout", errno);
  return status;
}

/* ------------------------------------------------------------------ */
/* Signals                                                             */
/* ------------------------------------------------------------------ */

/* The description of a signal, or "-". */
static const char *description_of(int signum) {
  const char *d = NULL;
  if (sigport_strsignal(signum, &d) != 0 || d == NULL) return "-";
  return d;
}

static const char *action_name(int action) {
  switch (action) {
  case SIGPORT_ACTION_TERMINATE: return "terminate";
  case SIGPORT_ACTION_CORE: return "core";
  case SIGPORT_ACTION_IGNORE: return "ignore";
  case SIGPORT_ACTION_STOP: return "stop";
  case SIGPORT_ACTION_CONTINUE: return "continue";
  default: return "-";
  }
}

/* Writes s as a JSON string, quotes included. */
static void json_string(FILE *out, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  fputc('"', out);
  for (; *p != '\0'; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(out, "\\%c", *p);
    else if (*p < 0x20)
      fprintf(out, "\\u%04x", *p);
    else
      fputc(*p, out);
  }
  fputc('"', out);
}

/* ------------------------------------------------------------------ */
/* Clocks and sleeping                                                 */
/* ------------------------------------------------------------------ */

/* Seconds on a monotonic clock. */
static double now_seconds(void) {
#if defined(_WIN32)
  return (double)GetTickCount64() / 1000.0;
#else
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
#endif
}

/* Milliseconds from now until `deadline` (seconds on now_seconds()'s
   clock), rounded up so that a wait never ends before it; -1 for no
   deadline (deadline < 0). */
static int ms_until(double deadline) {
  double left;
  if (deadline < 0) return -1;
  left = (deadline - now_seconds()) * 1000.0;
  if (left <= 0) return 0;
  if (left > 1e9) return 1000000000;
  return (int)left + ((double)(int)left < left);
}

/* ------------------------------------------------------------------ */
/* list, info                                                          */
/* ------------------------------------------------------------------ */

static const char help_list[] =
    "Usage: sigport list [--json]\n"
    "\n"
    "Lists every signal of this platform, one a line: number, name, default\n"
    "action (terminate, core, ignore, stop, continue), whether it can be\n"
    "caught, and description. On Windows: the seven signals sigport can\n"
    "handle, then the console events CTRL_C_EVENT and CTRL_BREAK_EVENT.\n"
    "\n"
    "  --json   one JSON array, one object a line:\n"
    "           {\"signo\":1,\"name\":\"SIGHUP\",\"action\":\"terminate\",\n"
    "            \"catchable\":true,\"description\":\"Hangup\"}\n";

static const char help_info[] =
    "Usage: sigport info SIGNAL [--json]\n"
    "\n"
    "Describes one signal as `sigport list` does. SIGNAL is a name or a\n"
    "number: TERM, SIGTERM, term and 15 are the same.\n"
    "\n"
    "  --json   one JSON object\n";

/* The signals `list` shows, in order, ending with 0. */
static int listed_signals(int *out, int room) {
  sigport_sigset_t valid;
  int n = 0, s = 0;
  if (sigport_valid_signals(&valid) != 0) return 0;
  while ((s = sigport_sigset_next(&valid, s)) > 0 && n < room - 3) out[n++] = s;
#if SIGPORT_HAVE_CONSOLE_EVENTS
  out[n++] = SIGPORT_CTRL_C_EVENT;
  out[n++] = SIGPORT_CTRL_BREAK_EVENT;
#endif
  out[n] = 0;
  return n;
}

/* The width of the name column: the longest name `list` shows. */
static int name_width(const int *signals, int n) {
  int i, width = 4;
  for (i = 0; i < n; i++) {
    const char *name = sigport_signame(signals[i]);
    if (name != NULL && (int)strlen(name) > width) width = (int)strlen(name);
  }
  return width;
}

static void print_signal_line(int signum, int width) {
  int action = sigport_default_action(signum);
  int catchable = sigport_catchable(signum);
  const char *name = sigport_signame(signum);
  printf("%3d  %-*s  %-9s  %-11s  %s\n", signum, width,
         name != NULL ? name : "-", action_name(action),
         catchable > 0 ? "catchable" : "uncatchable", description_of(signum));
}

static void print_signal_json(int signum) {
  const char *d = NULL;
  const char *name = sigport_signame(signum);
  printf("{\"signo\":%d,\"name\":", signum);
  json_string(stdout, name != NULL ? name : "");
  printf(",\"action\":\"%s\",\"catchable\":%s,\"description\":",
         action_name(sigport_default_action(signum)),
         sigport_catchable(signum) > 0 ? "true" : "false");
  if (sigport_strsignal(signum, &d) == 0 && d != NULL)
    json_string(stdout, d);
  else
    fputs("null", stdout);
  putchar('}');
}

static int cmd_list(const struct sigport_cli *cli) {
  int signals[SIGPORT_NSIG + 3];
  int json = cli->json, i, n, width;
  n = listed_signals(signals, (int)(sizeof signals / sizeof signals[0]));
  width = name_width(signals, n);
  if (json) puts("[");
  for (i = 0; i < n; i++) {
    if (json) {
      print_signal_json(signals[i]);
      puts(i + 1 < n ? "," : "");
    } else {
      print_signal_line(signals[i], width);
    }
  }
  if (json) puts("]");
  return finish_output(EXIT_OK);
}

static int cmd_info(const struct sigport_cli *cli) {
  int signum = cli->signum;
  if (cli->json) {
    print_signal_json(signum);
    putchar('\n');
  } else {
    int signals[SIGPORT_NSIG + 3];
    int n = listed_signals(signals, (int)(sizeof signals / sizeof signals[0]));
    print_signal_line(signum, name_width(signals, n));
  }
  return finish_output(EXIT_OK);
}

/* ------------------------------------------------------------------ */
/* send                                                                */
/* ------------------------------------------------------------------ */

static const char help_send[] =
    "Usage: sigport send SIGNAL PID...\n"
    "\n"
    "Sends SIGNAL to each PID with sigport_kill(). Signal 0 only checks\n"
    "that the process exists. On POSIX a negative PID names a process\n"
    "group and -1 every process the caller may signal, as with kill(2).\n"
    "On Windows CTRL_C_EVENT and CTRL_BREAK_EVENT go to the console\n"
    "process group PID (CTRL_C_EVENT only to 0, every process on the\n"
    "console); any other signal ends the process with that number as its\n"
    "exit code.\n"
    "\n"
    "Exit status: 0 when every send worked, 1 when the system refused one,\n"
    "2 when a signal cannot go to a PID at all (Windows: CTRL_C_EVENT to a\n"
    "PID other than 0).\n";

/* The parser checked every PID before any signal goes out. */
static int cmd_send(const struct sigport_cli *cli) {
  int i, status = EXIT_OK;
  long pid = 0;
  for (i = 0; i < cli->nargs; i++) {
    int rc;
    (void)sigport_cli_long(cli->args[i], SIGPORT_CLI_PID_MIN,
                           SIGPORT_CLI_PID_MAX, &pid);
    rc = sigport_kill((sigport_pid_t)pid, cli->signum);
    if (rc < 0) {
      int failed = library_failed(rc);
      if (status == EXIT_OK) status = failed;
    }
  }
  return status;
}

/* ------------------------------------------------------------------ */
/* Waiting for a signal                                                */
/* ------------------------------------------------------------------ */

/* The wakeup fd that `run` sleeps on: the trip writes a byte to pair[1]
   after each delivery, so a poll() of pair[0] wakes up. (`watch` sleeps
   on its watch's fd.) */
struct waker {
  sigport_socket_t pair[2];
};

#if !defined(_WIN32)
static int waker_open(struct waker *w) {
  int rc = sigport_socketpair(w->pair);
  if (rc != 0) return library_failed(rc);
  rc = sigport_set_wakeup_fd(w->pair[1], SIGPORT_WAKEUP_NO_WARN, NULL);
  if (rc != 0) {
    close(w->pair[0]);
    close(w->pair[1]);
    return library_failed(rc);
  }
  return 0;
}

static void waker_close(struct waker *w) {
  (void)sigport_set_wakeup_fd(SIGPORT_NO_SOCKET, 0, NULL);
  close(w->pair[0]);
  close(w->pair[1]);
}

/* Sleeps until a signal arrives or `deadline` passes (-1: no deadline), and
   empties the wakeup socket. *woke is 1 when a signal came, 0 when the
   deadline passed. Returns 0, or EXIT_REFUSED after saying why. */
static int waker_wait(struct waker *w, double deadline, int *woke) {
  struct pollfd p;
  char buf[64];
  int n;
  p.fd = w->pair[0];
  p.events = POLLIN;
  p.revents = 0;
  n = poll(&p, 1, ms_until(deadline));
  if (n < 0 && errno != EINTR) return system_failed("poll", errno);
  *woke = n != 0;
  while (read(w->pair[0], buf, sizeof buf) > 0) {
  }
  return 0;
}
#else
/* Windows: run looks at sigport_pending() every few milliseconds, which
   is one atomic load; a console event is handled within that slice. */
#define WIN_SLICE_MS 20
static int waker_open(struct waker *w) {
  (void)w;
  return 0;
}
static void waker_close(struct waker *w) { (void)w; }
#endif

/* ------------------------------------------------------------------ */
/* watch                                                               */
/* ------------------------------------------------------------------ */

static const char help_watch[] =
    "Usage: sigport watch [--count N] [--timeout SECONDS] [--json] "
    "[--queue]\n"
    "                     SIGNAL...\n"
    "\n"
    "Opens a sigport watch on the SIGNALs, prints\n"
    "  sigport: watching SIGUSR1 SIGUSR2 in pid 1234\n"
    "on stderr (scripts wait for this line), then one line on stdout per\n"
    "take of the watch, flushed at once:\n"
    "  SIGUSR1 count=3 code=SI_USER pid=5678 uid=1000\n"
    "count is how many deliveries the take reports (standard signals\n"
    "merge), code the si_code (SI_USER, SI_QUEUE, SI_TKILL, SI_KERNEL,\n"
    "SI_TIMER, SI_MESGQ, SI_ASYNCIO, else the number), pid and uid the\n"
    "sender's (0 where unknown).\n"
    "\n"
    "  --count N          stop with status 0 after N deliveries in all\n"
    "  --timeout SECONDS  stop at the timeout: status 0 if anything came,\n"
    "                     124 if nothing did (units s, m, h, d allowed)\n"
    "  --json             one JSON object a line instead:\n"
    "    {\"signal\":\"SIGUSR1\",\"signo\":10,\"count\":3,\"code\":0,"
    "\"pid\":5678,\"uid\":1000}\n"
    "  --queue            one line per delivery, oldest first, with the\n"
    "                     int of its sigqueue() payload (sival_int):\n"
    "    SIGRTMIN count=1 code=SI_QUEUE pid=5678 uid=1000 value=7\n"
    "                     with --json, \"value\":7 and \"lost\":0 after\n"
    "                     \"uid\". Past 1024 deliveries not yet printed, a\n"
    "                     signal's further ones come as one line with\n"
    "                     count > 1, the last one's value, and lost=K:\n"
    "                     the K payloads that were dropped (count - 1)\n"
    "\n"
    "Without --count and --timeout it runs until killed by a signal it does\n"
    "not watch.\n";

struct watch {
  unsigned long want;  /* --count, 0 for no limit */
  unsigned long total; /* deliveries seen */
  int json, queue;
};

/* The name of signum's siginfo code (sigport_codename()), or its number
   written in buf. */
static const char *code_name(int signum, int code, char *buf, size_t size) {
  const char *name = sigport_codename(signum, code);
  if (name != NULL) return name;
  snprintf(buf, size, "%d", code);
  return buf;
}

/* Prints one take. In queue mode a record with count > 1 is a signal's
   surplus: its count - 1 earlier payloads were dropped. */
static void print_take(const struct watch *w, int signum,
                       const sigport_siginfo_t *info) {
  const char *name = sigport_signame(signum);
  unsigned long lost = info->count > 1 ? info->count - 1 : 0;
  char buf[24];
  if (w->json) {
    fputs("{\"signal\":", stdout);
    json_string(stdout, name != NULL ? name : "");
    printf(",\"signo\":%d,\"count\":%lu,\"code\":%d,\"pid\":%lld,"
           "\"uid\":%lu",
           signum, info->count, info->code, (long long)info->pid,
           (unsigned long)info->uid);
    if (w->queue) printf(",\"value\":%d,\"lost\":%lu", info->value_int, lost);
    fputs("}\n", stdout);
  } else {
    printf("%s count=%lu code=%s pid=%lld uid=%lu",
           name != NULL ? name : "-", info->count,
           code_name(signum, info->code, buf, sizeof buf), (long long)info->pid,
           (unsigned long)info->uid);
    if (w->queue) printf(" value=%d", info->value_int);
    if (w->queue && lost > 0) printf(" lost=%lu", lost);
    putchar('\n');
  }
  fflush(stdout);
}

static long own_pid(void) {
#if defined(_WIN32)
  return (long)GetCurrentProcessId();
#else
  return (long)getpid();
#endif
}

/* Sleeps until the watch's fd is readable or `deadline` passes (-1: no
   deadline). Returns 0, or EXIT_REFUSED after saying why. */
static int watch_wait(sigport_socket_t fd, double deadline) {
#if defined(_WIN32)
  fd_set readable;
  struct timeval tv, *limit = NULL;
  int ms = ms_until(deadline);
  FD_ZERO(&readable);
  FD_SET((SOCKET)fd, &readable);
  if (ms >= 0) {
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    limit = &tv;
  }
  if (select(0, &readable, NULL, NULL, limit) == SOCKET_ERROR)
    return complain(EXIT_REFUSED, "select: error %d", WSAGetLastError());
  return 0;
#else
  struct pollfd p;
  p.fd = fd;
  p.events = POLLIN;
  p.revents = 0;
  if (poll(&p, 1, ms_until(deadline)) < 0 && errno != EINTR)
    return system_failed("poll", errno);
  return 0;
#endif
}

static int cmd_watch(const struct sigport_cli *cli) {
  struct watch w;
  sigport_watch_t *watch = NULL;
  const sigport_sigset_t *set = &cli->watch.signals;
  double timeout = cli->watch.timeout, deadline = -1;
  int s, rc, status = EXIT_OK, done = 0;
  memset(&w, 0, sizeof w);
  w.want = cli->watch.count;
  w.json = cli->json;
  w.queue = cli->watch.queue;

  rc = sigport_init(0);
  if (rc != 0) return library_failed(rc);
  rc = sigport_watch_open(set, w.queue ? SIGPORT_WATCH_QUEUE : 0, &watch);
  if (rc != 0) {
    status = library_failed(rc);
    sigport_shutdown();
    return status;
  }

  fprintf(stderr, "sigport: watching");
  for (s = 0; (s = sigport_sigset_next(set, s)) > 0;)
    fprintf(stderr, " %s", sigport_signame(s));
  fprintf(stderr, " in pid %ld\n", own_pid());
  fflush(stderr);

  if (timeout > 0) deadline = now_seconds() + timeout;
  while (!done) {
    sigport_siginfo_t info;
    /* Everything untaken is printed before the next sleep: a take that
       leaves something keeps the fd readable anyway. */
    while (!done && (s = sigport_watch_take(watch, &info)) > 0) {
      print_take(&w, s, &info);
      w.total += info.count;
      if (w.want > 0 && w.total >= w.want) done = 1;
    }
    if (done) break;
    if (s < 0) {
      status = library_failed(s);
      break;
    }
    if (deadline >= 0 && now_seconds() >= deadline) {
      status = w.total > 0 ? EXIT_OK : EXIT_TIMEDOUT;
      break;
    }
    if ((rc = watch_wait(sigport_watch_fd(watch), deadline)) != 0) {
      status = rc;
      break;
    }
  }

  /* What came after the end is dropped with the watch. */
  (void)sigport_watch_close(watch);
  sigport_shutdown();
  return finish_output(status);
}

/* ------------------------------------------------------------------ */
/* run                                                                 */
/* ------------------------------------------------------------------ */

static const char help_run[] =
    "Usage: sigport run [--timeout SECONDS] [--signal SIGNAL]\n"
    "                   [--kill-after SECONDS] [--forward LIST | "
    "--no-forward]\n"
    "                   [--init [--grace SECONDS]] [--] COMMAND [ARG...]\n"
    "\n"
    "Runs COMMAND as a child, passes signals on to it, and ends the way it\n"
    "ended.\n"
    "\n"
    "  --timeout SECONDS     at the timeout send SIGNAL to the child and\n"
    "                        exit 124 once it ended (0: no timeout; units\n"
    "                        s, m, h, d allowed)\n"
    "  --signal SIGNAL       the signal sent at the timeout (default TERM)\n"
    "  --kill-after SECONDS  send SIGKILL this long after SIGNAL if the\n"
    "                        child still runs (0: never)\n"
    "  --forward LIST        the signals passed on, comma-separated\n"
    "                        (default INT,TERM,HUP,QUIT,USR1,USR2,WINCH;\n"
    "                        Windows: INT,TERM,BREAK)\n"
    "  --no-forward          pass no signal on\n"
    "  --init                reap every orphan that comes to run (as PID 1,\n"
    "                        or on Linux as a child subreaper); when the\n"
    "                        child ends, send TERM to the descendants it\n"
    "                        left, wait for them, and KILL what remains\n"
    "                        after the grace (not on Windows)\n"
    "  --grace SECONDS       with --init: how long the descendants have\n"
    "                        between TERM and KILL (default 5; 0: KILL at\n"
    "                        once; units as for --timeout)\n"
    "\n"
    "The child starts with the signal state run was given: what run set is\n"
    "undone and every signal is unblocked, while a signal ignored by run's\n"
    "caller (nohup) stays ignored. Signals of the default list that are not\n"
    "passed on are still caught, so that run outlives its child; a signal\n"
    "from the terminal (si_code SI_KERNEL) is not passed on, since the\n"
    "child, in the same process group, has it already. On Linux the child\n"
    "gets SIGKILL if run itself is killed.\n"
    "\n"
    "With --init, run ends once the child and every descendant have ended.\n"
    "As PID 1 the descendants are every other process; as a subreaper\n"
    "(Linux) they are found from the parent links of /proc. Elsewhere, if\n"
    "run is not PID 1, no orphan comes to it and it finds no descendants.\n"
    "\n"
    "Exit status: 124 when the timeout fired; otherwise the child's status,\n"
    "and when signal N ended the child run ends itself by signal N (a\n"
    "shell sees 128+N; as PID 1, which that signal cannot end, run exits\n"
    "with 128+N); 127 when COMMAND is not found, 126 when it cannot be run;\n"
    "1 when run itself failed, 2 for a usage error.\n"
    "Windows: the child gets a process group of its own; INT and BREAK\n"
    "reach it as CTRL_BREAK_EVENT; the timeout ends it with\n"
    "TerminateProcess (--signal and --kill-after have no effect).\n";

/* How `run --init` finds the descendants it ends. */
enum reach {
  REACH_NONE, /* no way to know them: run is no reaper of its own */
  REACH_ALL,  /* PID 1: every other process is one */
  REACH_PROC  /* a subreaper (Linux): the parent links of /proc */
};

struct child {
  sigport_pid_t pid; /* 0 once it has ended */
  const struct sigport_cli_run *opts;
#if defined(_WIN32)
  HANDLE process;
#else
  int watched;               /* the child's watch is in place */
  int ended;                 /* its watch reported it, in `st` */
  sigport_child_status_t st; /* how it ended */
  enum reach reach;          /* --init */
#endif
};

/* Passes a signal on to the child. */
static int on_forwarded(int signum, const sigport_siginfo_t *info, void *arg) {
  struct child *c = arg;
  if (c->pid == 0 || !c->opts->forward[signum]) return 0;
#if defined(SI_KERNEL)
  /* The terminal's signals go to its whole foreground process group, the
     child included: sending them again would deliver them twice. */
  if (info->code == SI_KERNEL) return 0;
#else
  (void)info;
#endif
#if defined(_WIN32)
  if (signum == SIGPORT_SIGINT || signum == SIGPORT_SIGBREAK)
    (void)sigport_kill(c->pid, SIGPORT_CTRL_BREAK_EVENT);
  else
    (void)sigport_kill(c->pid, signum);
#else
  (void)sigport_kill(c->pid, signum);
#endif
  return 0;
}

/* Installs run's handlers for the forwarded and the guarded signals.
   Returns 0 or an exit status. */
static int install_run_handlers(struct child *c) {
  int s, rc;
  for (s = 1; s < SIGPORT_NSIG; s++) {
    if (!c->opts->forward[s] && !c->opts->guard[s]) continue;
    rc = sigport_signal(s, on_forwarded, c, NULL);
    if (rc != 0) return library_failed(rc);
  }
  return 0;
}

/* Takes what is still pending, without passing it on, and gives the
   signals back. */
static void run_cleanup(struct child *c, struct waker *w) {
  c->pid = 0;
  (void)sigport_dispatch();
  waker_close(w);
  sigport_shutdown();
}

#if !defined(_WIN32)
/* The child's watch: sigport reaped it, and this is how it ended. From
   here on nothing is passed on to its pid. */
static int on_child_end(const sigport_child_status_t *st, void *arg) {
  struct child *c = arg;
  c->st = *st;
  c->ended = 1;
  c->pid = 0;
  return 0;
}

/* --init: an orphan (or any other child of run) ended, and sigport has
   reaped it. Its status is nobody's. */
static int on_orphan(const sigport_child_status_t *st, void *arg) {
  (void)st;
  (void)arg;
  return 0;
}

/* Runs in the child: restores the signal state, and execs. A failure is
   reported to the parent through the close-on-exec pipe. */
static void exec_child(char **argv, int report_fd, pid_t parent) {
  int err;
  ssize_t n;
#if defined(__linux__)
  /* The child does not outlive a run that was killed by SIGKILL. */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() != parent) _exit(1);
#else
  (void)parent;
#endif
  sigport_restore_for_exec();
  execvp(argv[0], argv);
  err = errno;
  n = write(report_fd, &err, sizeof err);
  (void)n;
  _exit(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN);
}

/* Forks and execs COMMAND, and watches it with sigport_watch_child(), so
   that sigport reaps it and run is told how it ended. Returns 0 with
   c->pid set, also when the exec failed (the child then exits with 127 or
   126, which its watch reports); or an exit status when the fork or the
   watch failed (c->pid is then set if there is a child to abandon). */
static int spawn(struct child *c, char **argv) {
  int fds[2], err = 0, watch;
  ssize_t n;
  pid_t pid, parent = getpid();
  if (pipe(fds) != 0) return system_failed("pipe", errno);
  if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0 ||
      fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
    err = errno;
    close(fds[0]);
    close(fds[1]);
    return system_failed("fcntl", err);
  }
  pid = fork();
  if (pid < 0) {
    err = errno;
    close(fds[0]);
    close(fds[1]);
    return system_failed("fork", err);
  }
  if (pid == 0) {
    close(fds[0]);
    exec_child(argv, fds[1], parent);
  }
  close(fds[1]);
  c->pid = pid;
  /* A child that has ended already is reported all the same. */
  watch = sigport_watch_child(pid, on_child_end, c);
  c->watched = watch == 0;
  /* The pipe closes on a successful exec and brings the errno otherwise.
     Signals that interrupt the read are handled later, by the loop. */
  do {
    n = read(fds[0], &err, sizeof err);
  } while (n < 0 && errno == EINTR);
  close(fds[0]);
  if (watch != 0) return library_failed(watch);
  if (n == (ssize_t)sizeof err)
    complain(EXIT_REFUSED, "run: execvp '%s': %s", argv[0], strerror(err));
  return 0;
}

/* Sleeps until a signal arrives (SIGCHLD included, which tells of a
   child's end) or `deadline` passes (-1: no deadline). A runtime that
   defers signals (ThreadSanitizer's) may lose a SIGCHLD, and with it the
   news of an end: after a second without any signal, run sends itself
   SIGCHLD, which makes the next dispatch look at the children again.
   Returns 0 or an exit status. */
static int wait_event(struct waker *w, double deadline) {
  double until = deadline, now = now_seconds();
  int rc, woke = 0;
  if (until < 0 || until > now + 1) until = now + 1;
  if ((rc = waker_wait(w, until, &woke)) != 0) return rc;
  if (!woke && (deadline < 0 || now_seconds() < deadline))
    (void)sigport_kill((sigport_pid_t)getpid(), SIGPORT_SIGCHLD);
  return 0;
}

/* Waits until the child's watch has reported it, applying the timeout.
   Returns 0, or an exit status. */
static int supervise(struct child *c, struct waker *w, int *timed_out) {
  const struct sigport_cli_run *o = c->opts;
  double deadline = o->timeout > 0 ? now_seconds() + o->timeout : -1;
  double kill_deadline = -1;
  for (;;) {
    double now;
    int rc;
    (void)sigport_dispatch();
    if (c->ended) return 0;
    now = now_seconds();
    if (deadline >= 0 && !*timed_out && now >= deadline) {
      *timed_out = 1;
      (void)sigport_kill(c->pid, o->timeout_signal);
      if (o->kill_after > 0) kill_deadline = now + o->kill_after;
    }
    if (kill_deadline >= 0 && now >= kill_deadline) {
      (void)sigport_kill(c->pid, SIGPORT_SIGKILL);
      kill_deadline = -1;
    }
    rc = wait_event(w, *timed_out ? kill_deadline : deadline);
    if (rc != 0) return rc;
  }
}

#if defined(__linux__)
/* A process of /proc: its pid and its parent's. */
struct proc_link {
  pid_t pid, ppid;
};

static int by_pid(const void *a, const void *b) {
  pid_t x = ((const struct proc_link *)a)->pid;
  pid_t y = ((const struct proc_link *)b)->pid;
  return (x > y) - (x < y);
}

/* Reads the parent link of every process in /proc, sorted by pid, into
   *out (malloc'd). Returns how many, or -1 with errno set. */
static long read_links(struct proc_link **out) {
  struct proc_link *links = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  DIR *d = opendir("/proc");
  if (d == NULL) return -1;
  while ((e = readdir(d)) != NULL) {
    char path[64], buf[512], *paren;
    long pid, ppid;
    char state;
    size_t got;
    FILE *f;
    if (sigport_cli_long(e->d_name, 1, 0x7fffffffL, &pid) != 0) continue;
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    /* Gone since readdir(): it is no one's descendant any more. */
    if ((f = fopen(path, "r")) == NULL) continue;
    got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[got] = '\0';
    /* "pid (comm) state ppid ...": comm may hold spaces and parentheses,
       so the fields are read after the last ')'. */
    paren = strrchr(buf, ')');
    if (paren == NULL || sscanf(paren + 1, " %c %ld", &state, &ppid) != 2)
      continue;
    if (n == cap) {
      size_t want = cap != 0 ? cap * 2 : 256;
      struct proc_link *p = realloc(links, want * sizeof *links);
      if (p == NULL) {
        free(links);
        closedir(d);
        errno = ENOMEM;
        return -1;
      }
      links = p;
      cap = want;
    }
    links[n].pid = (pid_t)pid;
    links[n].ppid = (pid_t)ppid;
    n++;
  }
  closedir(d);
  if (n > 0) qsort(links, n, sizeof *links, by_pid);
  *out = links;
  return (long)n;
}

/* Sends sig (0: none) to each descendant of run in /proc, zombies
   included, which are to be reaped. Returns how many there are, or -1
   with errno set when /proc cannot be read. */
static long proc_descendants(int sig) {
  struct proc_link *links = NULL, key;
  signed char *mine; /* 1: a descendant, -1: not one, 0: not known yet */
  size_t *path;
  long n = read_links(&links), i, count = 0;
  pid_t self = getpid();
  if (n < 0) return -1;
  mine = calloc((size_t)n + 1, 1);
  path = malloc(((size_t)n + 1) * sizeof *path);
  if (mine == NULL || path == NULL) {
    free(mine);
    free(path);
    free(links);
    errno = ENOMEM;
    return -1;
  }
  for (i = 0; i < n; i++) {
    size_t depth = 0, k, at = (size_t)i;
    signed char verdict = -1;
    /* Up the parent links until run, the top, or a process known. */
    for (;;) {
      struct proc_link *parent;
      if (mine[at] != 0) {
        verdict = mine[at];
        break;
      }
      path[depth++] = at;
      if (links[at].ppid == self) {
        verdict = 1;
        break;
      }
      key.pid = links[at].ppid;
      parent = key.pid > 0 ? bsearch(&key, links, (size_t)n, sizeof *links,
                                     by_pid)
                           : NULL;
      /* A link that loops (a pid reused while /proc was read) ends the
         walk too. */
      if (parent == NULL || depth > (size_t)n) break;
      at = (size_t)(parent - links);
    }
    for (k = 0; k < depth; k++) mine[path[k]] = verdict;
  }
  for (i = 0; i < n; i++) {
    if (mine[i] != 1 || links[i].pid == self) continue;
    count++;
    if (sig != 0) (void)kill(links[i].pid, sig);
  }
  free(path);
  free(mine);
  free(links);
  return count;
}
#endif

/* --init: sends sig (0: none) to the descendants of run that are left,
   and returns whether there are any. As PID 1, kill(-1) reaches every
   other process, and kill(-1, 0) fails with ESRCH only when none is left,
   zombies included. */
static int descendants_left(struct child *c, int sig) {
  switch (c->reach) {
  case REACH_ALL:
    if (sig != 0) (void)kill(-1, sig);
    return kill(-1, 0) == 0;
  case REACH_PROC:
#if defined(__linux__)
  {
    long n = proc_descendants(sig);
    if (n < 0) {
      complain(EXIT_REFUSED,
               "run: read /proc: %s; the descendants left are not ended",
               strerror(errno));
      c->reach = REACH_NONE;
      return 0;
    }
    return n > 0;
  }
#endif
  case REACH_NONE:
  default: return 0;
  }
}

/* --init: makes run the reaper of every orphan below it. Every child that
   no other watch names is reaped by sigport (SIGPORT_CHILD_ANY), and, on
   Linux, run becomes a child subreaper unless it is PID 1 already, so
   that orphans of its descendants come to it. Before the fork, so that no
   orphan slips past. Returns 0 or an exit status. */
static int become_reaper(struct child *c) {
  int rc = sigport_watch_child(SIGPORT_CHILD_ANY, on_orphan, c);
  if (rc != 0) return library_failed(rc);
  c->reach = getpid() == 1 ? REACH_ALL : REACH_NONE;
#if defined(__linux__) && defined(PR_SET_CHILD_SUBREAPER)
  if (c->reach != REACH_ALL) {
    if (prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L) != 0)
      return system_failed("prctl(PR_SET_CHILD_SUBREAPER)", errno);
    c->reach = REACH_PROC;
  }
#endif
  return 0;
}

/* --init: how long run waits for the descendants after SIGKILL. Only a
   process that cannot be woken (uninterruptible sleep) outlasts it. */
#define KILL_WAIT_SECONDS 5

/* --init, once the child has ended: TERM (and CONT, so that a stopped one
   acts on it) to the descendants left, then wait for them, reaping as
   they end, until none is left or the grace has passed; then KILL what
   remains, as often as new ones show up, until none is left, or say which
   are left after KILL_WAIT_SECONDS. Returns 0 or an exit status. */
static int end_descendants(struct child *c, struct waker *w) {
  double deadline = now_seconds() + c->opts->grace;
  int rc;
  (void)sigport_dispatch();
  if (!descendants_left(c, 0)) return 0;
  if (c->opts->grace > 0) {
    (void)descendants_left(c, SIGTERM);
    (void)descendants_left(c, SIGCONT);
    for (;;) {
      if ((rc = wait_event(w, deadline)) != 0) return rc;
      (void)sigport_dispatch();
      if (!descendants_left(c, 0)) return 0;
      if (now_seconds() >= deadline) break;
    }
  }
  deadline = now_seconds() + KILL_WAIT_SECONDS;
  while (descendants_left(c, SIGKILL)) {
    if (now_seconds() >= deadline) {
      complain(EXIT_REFUSED,
               "run: descendants are left %d seconds after SIGKILL; run "
               "ends without them",
               KILL_WAIT_SECONDS);
      return 0;
    }
    if ((rc = wait_event(w, deadline)) != 0) return rc;
    (void)sigport_dispatch();
  }
  return 0;
}

/* run cannot go on supervising: the child is killed, and reaped here
   after its watch is dropped, so that it is not left behind. With --init
   the descendants get SIGKILL too. */
static void abandon(struct child *c) {
  int status;
  (void)sigport_kill(c->pid, SIGPORT_SIGKILL);
  if (c->opts->init) (void)descendants_left(c, SIGKILL);
  if (c->watched) (void)sigport_unwatch_child(c->pid);
  while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR) {
  }
  c->pid = 0;
}

/* Ends run the way the child ended. Does not return. */
static void end_like(const sigport_child_status_t *st) {
  fflush(stdout);
  if (st->signo != 0) {
    if (sigport_default_action(st->signo) == SIGPORT_ACTION_CORE) {
      /* The child's core dump, if any, is the one that matters. */
      struct rlimit none = {0, 0};
      (void)setrlimit(RLIMIT_CORE, &none);
    }
    /* PID 1 ignores every signal it has no handler for, even one that it
       sends itself: a shell sees 128 + signo either way. */
    if (getpid() == 1) exit(128 + st->signo);
    sigport_exit_by_signal(st->signo);
  }
  exit(st->code);
}

static int cmd_run(const struct sigport_cli *cli) {
  struct child c;
  struct waker w;
  int rc, timed_out = 0;
  memset(&c, 0, sizeof c);
  c.opts = &cli->run;
  c.reach = REACH_NONE;
  rc = sigport_init(0);
  if (rc != 0) return library_failed(rc);
  /* Handlers go in before the fork: a signal that comes before the child's
     pid is known is dispatched, and passed on, once it is. */
  if ((rc = install_run_handlers(&c)) != 0 || (rc = waker_open(&w)) != 0) {
    sigport_shutdown();
    return rc;
  }
  if (c.opts->init) rc = become_reaper(&c);
  if (rc == 0) rc = spawn(&c, cli->args);
  if (rc == 0) rc = supervise(&c, &w, &timed_out);
  /* run failed while the child runs: it is not left behind. */
  if (rc != 0 && c.pid != 0) abandon(&c);
  if (rc == 0 && c.opts->init && (rc = end_descendants(&c, &w)) != 0)
    (void)descendants_left(&c, SIGKILL);
  run_cleanup(&c, &w);
  if (rc != 0) return rc;
  if (c.st.lost)
    return complain(EXIT_REFUSED,
                    "run: the status of pid %ld was lost: something else in "
                    "run reaped it",
                    (long)c.st.pid);
  if (timed_out) return EXIT_TIMEDOUT;
  end_like(&c.st);
  return EXIT_REFUSED;
}
#else /* _WIN32 */

/* Appends s to the growing buffer *buf. Returns 0, or -1 when out of
   memory. */
static int append(char **buf, size_t *len, size_t *cap, const char *s,
                  size_t n) {
  if (*len + n + 1 > *cap) {
    size_t want = (*len + n + 1) * 2;
    char *p = realloc(*buf, want);
    if (p == NULL) return -1;
    *buf = p;
    *cap = want;
  }
  memcpy(*buf + *len, s, n);
  *len += n;
  (*buf)[*len] = '\0';
  return 0;
}

/* Quotes one argument the way the C runtime's command-line parser reads it
   back: backslashes are literal unless they precede a quote. */
static int append_quoted(char **buf, size_t *len, size_t *cap,
                         const char *arg) {
  const char *p;
  if (*arg != '\0' && strpbrk(arg, " \t\n\v\"") == NULL)
    return append(buf, len, cap, arg, strlen(arg));
  if (append(buf, len, cap, "\"", 1) != 0) return -1;
  for (p = arg;; p++) {
    size_t slashes = 0, k;
    while (*p == '\\') {
      slashes++;
      p++;
    }
    if (*p == '\0' || *p == '"') {
      /* Backslashes before a quote, or before the closing one, double. */
      for (k = 0; k < slashes * 2; k++)
        if (append(buf, len, cap, "\\", 1) != 0) return -1;
      if (*p == '\0') break;
      if (append(buf, len, cap, "\\\"", 2) != 0) return -1;
    } else {
      for (k = 0; k < slashes; k++)
        if (append(buf, len, cap, "\\", 1) != 0) return -1;
      if (append(buf, len, cap, p, 1) != 0) return -1;
    }
  }
  return append(buf, len, cap, "\"", 1);
}

/* The text of a Windows error code. */
static const char *win_error_text(DWORD err, char *buf, DWORD size) {
  DWORD n = FormatMessageA(
      FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, err,
      0, buf, size, NULL);
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' ||
                   buf[n - 1] == '.'))
    buf[--n] = '\0';
  if (n == 0) snprintf(buf, size, "error %lu", (unsigned long)err);
  return buf;
}

static int cmd_run(const struct sigport_cli *cli) {
  const struct sigport_cli_run *o = &cli->run;
  struct child c;
  struct waker w;
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  char *cmdline = NULL, text[256];
  size_t len = 0, cap = 0;
  double deadline;
  DWORD code = 1;
  int rc, i, timed_out = 0;
  if (o->init)
    return complain(EXIT_USAGE, "run: --init is not available on Windows, "
                                "where a process adopts no orphans");
  for (i = 0; i < cli->nargs; i++) {
    if ((i > 0 && append(&cmdline, &len, &cap, " ", 1) != 0) ||
        append_quoted(&cmdline, &len, &cap, cli->args[i]) != 0) {
      free(cmdline);
      return complain(EXIT_REFUSED, "run: out of memory");
    }
  }
  memset(&c, 0, sizeof c);
  c.opts = o;
  rc = sigport_init(0);
  if (rc != 0) {
    free(cmdline);
    return library_failed(rc);
  }
  if ((rc = install_run_handlers(&c)) != 0 || (rc = waker_open(&w)) != 0) {
    sigport_shutdown();
    free(cmdline);
    return rc;
  }
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  if (!CreateProcessA(NULL, cmdline, NULL, NULL, TRUE,
                      CREATE_NEW_PROCESS_GROUP, NULL, NULL, &si, &pi)) {
    DWORD err = GetLastError();
    free(cmdline);
    run_cleanup(&c, &w);
    complain(EXIT_REFUSED, "run: CreateProcess '%s': %s", cli->args[0],
             win_error_text(err, text, sizeof text));
    return err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND
               ? EXIT_NOT_FOUND
               : EXIT_CANNOT_RUN;
  }
  free(cmdline);
  CloseHandle(pi.hThread);
  c.pid = pi.dwProcessId;
  c.process = pi.hProcess;
  deadline = o->timeout > 0 ? now_seconds() + o->timeout : -1;
  for (;;) {
    int ms = ms_until(deadline);
    DWORD slice = (DWORD)(ms < 0 || ms > WIN_SLICE_MS ? WIN_SLICE_MS : ms);
    if (WaitForSingleObject(pi.hProcess, slice) == WAIT_OBJECT_0) break;
    if (sigport_pending()) (void)sigport_dispatch();
    if (deadline >= 0 && !timed_out && now_seconds() >= deadline) {
      timed_out = 1;
      TerminateProcess(pi.hProcess, EXIT_TIMEDOUT);
    }
  }
  if (!GetExitCodeProcess(pi.hProcess, &code)) code = EXIT_REFUSED;
  CloseHandle(pi.hProcess);
  run_cleanup(&c, &w);
  fflush(stdout);
  if (timed_out) return EXIT_TIMEDOUT;
  return (int)code;
}
#endif /* _WIN32 */

/* ------------------------------------------------------------------ */
/* mask                                                                */
/* ------------------------------------------------------------------ */

static const char help_mask[] =
    "Usage: sigport mask [PID]\n"
    "\n"
    "Shows which signals a process has pending, blocked, ignored and\n"
    "caught, by name. Linux: decodes SigPnd, ShdPnd, SigBlk, SigIgn and\n"
    "SigCgt of /proc/PID/status (default: sigport's own process, which\n"
    "shows the state it inherited). Elsewhere: sigport's own view of its\n"
    "own process only.\n";

/* One line of `mask`: a label and the names of the signals in set. */
static void print_mask_row(const char *label, const sigport_sigset_t *set) {
  int s = 0, any = 0;
  printf("%-18s", label);
  while ((s = sigport_sigset_next(set, s)) > 0) {
    const char *name = sigport_signame(s);
    if (name != NULL)
      printf(" %s", name);
    else
      printf(" %d", s);
    any = 1;
  }
  puts(any ? "" : " -");
}

/* sigport's view of its own process: what the public API can tell. */
static int mask_own_view(void) {
  sigport_sigset_t valid, ignored, caught, empty;
  int s = 0;
  printf("pid %ld (sigport's own view)\n", own_pid());
  sigport_valid_signals(&valid);
  sigport_sigemptyset(&ignored);
  sigport_sigemptyset(&caught);
  sigport_sigemptyset(&empty);
#if SIGPORT_HAVE_SIGMASK
  {
    sigport_sigset_t pending, blocked;
    if (sigport_sigpending(&pending) == 0) print_mask_row("pending:", &pending);
    if (sigport_pthread_sigmask(SIGPORT_SIG_BLOCK, &empty, &blocked) == 0)
      print_mask_row("blocked:", &blocked);
  }
#endif
  while ((s = sigport_sigset_next(&valid, s)) > 0) {
    sigport_handler_t h;
    if (sigport_getsignal(s, &h) != 0) continue;
    if (h.fn == SIGPORT_SIG_IGN)
      sigport_sigaddset(&ignored, s);
    else if (h.fn != SIGPORT_SIG_DFL)
      sigport_sigaddset(&caught, s);
  }
  print_mask_row("ignored:", &ignored);
  print_mask_row("caught:", &caught);
  return finish_output(EXIT_OK);
}

#if defined(__linux__)
/* Reads a mask of /proc/PID/status: hexadecimal digits, as many as the
   kernel has signals over four (16, or 32 on MIPS with its 128 signals),
   the highest signals first; the last digit holds signals 1 to 4. */
static void proc_mask(const char *text, sigport_sigset_t *set) {
  static const char digits[] = "0123456789abcdef";
  const char *first = text, *last;
  int s;
  sigport_sigemptyset(set);
  while (*first == ' ' || *first == '\t') first++;
  for (last = first; *last != '\0' && strchr(digits, *last) != NULL; last++)
    continue;
  for (s = 1; last > first; last--, s += 4) {
    int value = (int)(strchr(digits, last[-1]) - digits), b;
    for (b = 0; b < 4; b++)
      if (((value >> b) & 1) && s + b < SIGPORT_NSIG)
        sigport_sigaddset(set, s + b);
  }
}

/* Decodes /proc/PID/status. Returns an exit status, or -1 when the file
   cannot be opened and `quiet` asks for the fallback instead of an error. */
static int mask_proc(const char *pid, int quiet) {
  static const struct {
    const char *field, *label;
  } rows[] = {{"SigPnd:", "SigPnd pending:"},
              {"ShdPnd:", "ShdPnd shared:"},
              {"SigBlk:", "SigBlk blocked:"},
              {"SigIgn:", "SigIgn ignored:"},
              {"SigCgt:", "SigCgt caught:"}};
  char path[64], line[256], name[128] = "?";
  sigport_sigset_t sets[5];
  int found[5] = {0, 0, 0, 0, 0};
  size_t k;
  FILE *f;
  snprintf(path, sizeof path, "/proc/%s/status", pid);
  f = fopen(path, "r");
  if (f == NULL) {
    char call[80];
    if (quiet) return -1;
    snprintf(call, sizeof call, "open %s", path);
    return system_failed(call, errno);
  }
  while (fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, "Name:", 5) == 0) {
      sscanf(line + 5, " %127[^\n]", name);
      continue;
    }
    for (k = 0; k < 5; k++) {
      size_t n = strlen(rows[k].field);
      if (strncmp(line, rows[k].field, n) != 0) continue;
      proc_mask(line + n, &sets[k]);
      found[k] = 1;
    }
  }
  fclose(f);
  if (strcmp(pid, "self") == 0)
    printf("pid %ld (%s)\n", own_pid(), name);
  else
    printf("pid %s (%s)\n", pid, name);
  for (k = 0; k < 5; k++)
    if (found[k]) print_mask_row(rows[k].label, &sets[k]);
  return finish_output(EXIT_OK);
}
#endif

static int cmd_mask(const struct sigport_cli *cli) {
  const char *pid = cli->mask_pid;
#if defined(__linux__)
  if (pid != NULL) {
    /* The number, not the text: "01" and "+1" name /proc/1. */
    char number[24];
    snprintf(number, sizeof number, "%ld", cli->mask_pid_value);
    return mask_proc(number, 0);
  }
  {
    int rc = mask_proc("self", 1);
    if (rc >= 0) return rc;
  }
#else
  if (pid != NULL && cli->mask_pid_value != own_pid())
    return complain(EXIT_REFUSED,
                    "mask: reading another process's signal state is not "
                    "available on this system (pid %s)",
                    pid);
#endif
  return mask_own_view();
}

/* ------------------------------------------------------------------ */
/* main                                                                */
/* ------------------------------------------------------------------ */

static const char help_main[] =
    "Usage: sigport COMMAND [ARG...]\n"
    "\n"
    "Signals, from the command line, with the sigport library.\n"
    "\n"
    "  list [--json]                 every signal of this platform\n"
    "  info SIGNAL [--json]          one signal\n"
    "  send SIGNAL PID...            send a signal (0: does it exist?)\n"
    "  watch [--count N] [--timeout SECONDS] [--json] [--queue] SIGNAL...\n"
    "                                print the signals this process gets\n"
    "  run [--timeout SECONDS] [--signal SIGNAL] [--kill-after SECONDS]\n"
    "      [--forward LIST | --no-forward] [--init [--grace SECONDS]]\n"
    "      [--] COMMAND [ARG...]\n"
    "                                run a command, pass signals on to it\n"
    "  mask [PID]                    pending, blocked, ignored, caught\n"
    "\n"
    "  --help                        this text; COMMAND --help for one\n"
    "  --version                     the library's version and backend\n"
    "\n"
    "SIGNAL is a name or a number: TERM, SIGTERM, term and 15 are the same.\n"
    "Exit status: 0 success, 1 the system refused, 2 usage error; for run,\n"
    "the child's status. See sigport(1).\n";

/* The help text of a command. */
static const char *help_text(enum sigport_cli_command command) {
  switch (command) {
  case SIGPORT_CLI_LIST: return help_list;
  case SIGPORT_CLI_INFO: return help_info;
  case SIGPORT_CLI_SEND: return help_send;
  case SIGPORT_CLI_WATCH: return help_watch;
  case SIGPORT_CLI_RUN: return help_run;
  case SIGPORT_CLI_MASK: return help_mask;
  default: return help_main;
  }
}

/* Does what the command line asks. */
static int execute(const struct sigport_cli *cli) {
  if (cli->help || cli->command == SIGPORT_CLI_HELP) {
    fputs(help_text(cli->command), stdout);
    return finish_output(EXIT_OK);
  }
  switch (cli->command) {
  case SIGPORT_CLI_VERSION:
    printf("sigport %s (backend %s)\n", sigport_version(),
           sigport_backend_name());
    return finish_output(EXIT_OK);
  case SIGPORT_CLI_LIST: return cmd_list(cli);
  case SIGPORT_CLI_INFO: return cmd_info(cli);
  case SIGPORT_CLI_SEND: return cmd_send(cli);
  case SIGPORT_CLI_WATCH: return cmd_watch(cli);
  case SIGPORT_CLI_RUN: return cmd_run(cli);
  case SIGPORT_CLI_MASK: return cmd_mask(cli);
  default: return complain(EXIT_REFUSED, "unknown command");
  }
}

int main(int argc, char **argv) {
  struct sigport_cli cli;
  size_t longest = 0, size;
  char *err;
  int i, rc;
  /* Room for a message that quotes the longest word in full. */
  for (i = 0; i < argc; i++)
    if (strlen(argv[i]) > longest) longest = strlen(argv[i]);
  size = longest + 256;
  err = malloc(size);
  if (err == NULL) return complain(EXIT_REFUSED, "out of memory");
  rc = sigport_cli_parse(argc, argv, &cli, err, size);
  if (rc != 0) complain(rc, "%s", err);
  free(err);
  if (rc != 0) return rc;
  return execute(&cli);
}
