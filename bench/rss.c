/*
 * rss.c: a minimal program with one SIGUSR1 handler, built once per peer
 * (RSS_RAW, RSS_RAW_ATFORK, RSS_SIGPORT, RSS_LIBUV, RSS_LIBEVENT,
 * RSS_GLIB). It handles one signal, then prints its resident set size
 * (VmRSS, and its anonymous and file-backed parts) as result rows.
 * RSS_RAW_ATFORK is the raw program plus the one pthread_atfork() call that
 * sigport makes at init, to show what that call alone costs.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile int ran;

/* VmRSS, RssAnon and RssFile from /proc/self/status, in KiB, read in one
   pass before anything is printed. */
static int read_status(long kib[3]) {
  static const char *const fields[3] = {"VmRSS:", "RssAnon:", "RssFile:"};
  char line[256];
  int i, found = 0;
  FILE *f = fopen("/proc/self/status", "r");
  if (f == NULL) return -1;
  while (fgets(line, sizeof line, f) != NULL)
    for (i = 0; i < 3; i++)
      if (strncmp(line, fields[i], strlen(fields[i])) == 0 &&
          sscanf(line + strlen(fields[i]), "%ld", &kib[i]) == 1)
        found++;
  fclose(f);
  return found == 3 ? 0 : -1;
}

#if defined(RSS_RAW) || defined(RSS_RAW_ATFORK)
#if defined(RSS_RAW_ATFORK)
#include <pthread.h>
#define NAME "raw-atfork"
static void nothing(void) {}
#else
#define NAME "raw"
#endif
static volatile sig_atomic_t flag;
static void handler(int signum) {
  (void)signum;
  flag = 1;
}
static void run(void) {
  struct sigaction sa;
  sa.sa_handler = handler;
  sa.sa_flags = 0;
  sigemptyset(&sa.sa_mask);
#if defined(RSS_RAW_ATFORK)
  pthread_atfork(nothing, nothing, nothing);
#endif
  sigaction(SIGUSR1, &sa, NULL);
  kill(getpid(), SIGUSR1);
  if (flag) ran = 1;
}
#elif defined(RSS_SIGPORT)
#include "sigport.h"
#define NAME "sigport"
static int handler(int signum, const sigport_siginfo_t *info, void *arg) {
  (void)signum;
  (void)info;
  (void)arg;
  ran = 1;
  return 0;
}
static void run(void) {
  sigport_init(0);
  sigport_signal(SIGUSR1, handler, NULL, NULL);
  kill(getpid(), SIGUSR1);
  sigport_dispatch();
}
#elif defined(RSS_LIBUV)
#include <uv.h>
#define NAME "libuv"
static uv_signal_t h;
static void handler(uv_signal_t *s, int signum) {
  (void)signum;
  ran = 1;
  uv_signal_stop(s);
}
static void run(void) {
  uv_loop_t *loop = uv_default_loop();
  uv_signal_init(loop, &h);
  uv_signal_start(&h, handler, SIGUSR1);
  kill(getpid(), SIGUSR1);
  uv_run(loop, UV_RUN_ONCE);
}
#elif defined(RSS_LIBEVENT)
#include <event2/event.h>
#define NAME "libevent"
static void handler(evutil_socket_t s, short what, void *arg) {
  (void)s;
  (void)what;
  (void)arg;
  ran = 1;
}
static void run(void) {
  struct event_base *base = event_base_new();
  struct event *ev = evsignal_new(base, SIGUSR1, handler, NULL);
  event_add(ev, NULL);
  kill(getpid(), SIGUSR1);
  event_base_loop(base, EVLOOP_ONCE);
}
#elif defined(RSS_GLIB)
#include <glib-unix.h>
#include <glib.h>
#define NAME "glib"
static gboolean handler(gpointer data) {
  (void)data;
  ran = 1;
  return G_SOURCE_CONTINUE;
}
static void run(void) {
  g_unix_signal_add(SIGUSR1, handler, NULL);
  kill(getpid(), SIGUSR1);
  while (!ran) g_main_context_iteration(NULL, TRUE);
}
#else
#error "define one of RSS_RAW, RSS_RAW_ATFORK, RSS_SIGPORT, RSS_LIBUV, RSS_LIBEVENT, RSS_GLIB"
#endif

int main(void) {
  long kib[3];
  run();
  if (!ran || read_status(kib) != 0) {
    fprintf(stderr, "rss: %s: the handler did not run\n", NAME);
    return 2;
  }
  printf("rss\t%s\tVmRSS\t%ld\tKiB\n", NAME, kib[0]);
  printf("rss\t%s\tRssAnon\t%ld\tKiB\n", NAME, kib[1]);
  printf("rss\t%s\tRssFile\t%ld\tKiB\n", NAME, kib[2]);
  return 0;
}
