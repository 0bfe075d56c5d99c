/*
 * watch.c: `sigport watch`, which prints what a sigport watch takes.
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
#include <stdio.h>
#include <string.h>

#if defined(_WIN32)
#include <winsock2.h>
#include <windows.h>
#else
#include <poll.h>
#endif

#include "tool.h"

/* ------------------------------------------------------------------ */
/* watch                                                               */
/* ------------------------------------------------------------------ */

const char help_watch[] =
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
    "  --json             one JSON object a line instead, codename null\n"
    "                     when the code has no name:\n"
    "    {\"signal\":\"SIGUSR1\",\"signo\":10,\"count\":3,\"code\":0,\n"
    "     \"codename\":\"SI_USER\",\"pid\":5678,\"uid\":1000}\n"
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
    const char *codename = sigport_codename(signum, info->code);
    fputs("{\"signal\":", stdout);
    json_name(stdout, signum);
    printf(",\"signo\":%d,\"count\":%lu,\"code\":%d,\"codename\":",
           signum, info->count, info->code);
    if (codename != NULL)
      json_string(stdout, codename);
    else
      fputs("null", stdout);
    printf(",\"pid\":%lld,\"uid\":%lu", (long long)info->pid,
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


/* Sleeps until the watch's fd is readable or `deadline` passes (-1: no
   deadline). Returns 0, or EXIT_REFUSED after saying why. */
static int watch_wait(sigport_socket_t fd, int64_t deadline) {
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
    return cannot_os(WSAGetLastError(), "wait for signals");
  return 0;
#else
  struct pollfd p;
  p.fd = fd;
  p.events = POLLIN;
  p.revents = 0;
  if (poll(&p, 1, ms_until(deadline)) < 0 && errno != EINTR)
    return cannot_os(errno, "wait for signals");
  return 0;
#endif
}

/* sigport_watch_open() failed with rc: says why, returns the status. A
   signal that cannot be caught is the reason the system gives first. */
static int open_failed(int rc, const sigport_sigset_t *set) {
  char names[SIGPORT_NSIG * 12] = "";
  size_t len = 0;
  int s;
  for (s = 0; (s = sigport_sigset_next(set, s)) > 0;)
    if (rc == SIGPORT_EOS && sigport_catchable(s) == 0)
      return complain(EXIT_REFUSED, "cannot watch %s: it cannot be caught",
                      sigport_signame(s));
  for (s = 0; (s = sigport_sigset_next(set, s)) > 0 && len < sizeof names;)
    len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
                            len > 0 ? " " : "", sigport_signame(s));
  return cannot(rc, "watch %s", names);
}

int cmd_watch(const struct sigport_cli *cli) {
  struct watch w;
  sigport_watch_t *watch = NULL;
  const sigport_sigset_t *set = &cli->watch.signals;
  double timeout = cli->watch.timeout;
  int64_t deadline = -1;
  int s, rc, status = EXIT_OK, done = 0;
  memset(&w, 0, sizeof w);
  w.want = cli->watch.count;
  w.json = cli->json;
  w.queue = cli->watch.queue;

  rc = sigport_init(0);
  if (rc != 0) return cannot(rc, "set up signal handling");
  rc = sigport_watch_open(set, w.queue ? SIGPORT_WATCH_QUEUE : 0, &watch);
  if (rc != 0) {
    status = open_failed(rc, set);
    sigport_shutdown();
    return status;
  }

  fprintf(stderr, "sigport: watching");
  for (s = 0; (s = sigport_sigset_next(set, s)) > 0;)
    fprintf(stderr, " %s", sigport_signame(s));
  fprintf(stderr, " in pid %ld\n", own_pid());
  fflush(stderr);

  if (timeout > 0) deadline = now_us() + duration_us(timeout);
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
      status = cannot(s, "take the signals that arrived");
      break;
    }
    if (deadline >= 0 && now_us() >= deadline) {
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
