/*
 * wake.c: the wakeup socket written by the trip, sigport_pause()'s event,
 * sigport_socketpair(), Winsock start-up and the system's error texts.
 */
#include <stdio.h>
#include <string.h>

#include "win32.h"

/* sigport_pause()'s auto-reset event. It is made once and kept for the
   life of the process: a trip on another thread may have loaded the handle
   just before a shutdown, and a closed handle's value can be reused for
   another object, which SetEvent would then signal. */
static sp_atomic_ptr pause_event;
static int winsock_started;

int sp__win32_wake_open(void) {
  HANDLE ev = atomic_load_explicit(&pause_event, SP_ACQUIRE);
  if (ev != NULL) {
    /* A wake left over from the previous session would only cost one
       spurious turn of pause's loop; drop it anyway. */
    (void)ResetEvent(ev);
    return 0;
  }
  ev = CreateEventW(NULL, FALSE, FALSE, NULL);
  if (ev == NULL)
    return sp__fail_os(SIGPORT_EOS, (int)GetLastError(),
                       "sigport_init: CreateEvent");
  atomic_store_explicit(&pause_event, ev, SP_RELEASE);
  return 0;
}

HANDLE sp__win32_pause_event(void) {
  return atomic_load_explicit(&pause_event, SP_ACQUIRE);
}

void sp__backend_pause_wake(void) {
  HANDLE ev = atomic_load_explicit(&pause_event, SP_ACQUIRE);
  if (ev != NULL) (void)SetEvent(ev);
}

int sp__backend_pause_wait(void) {
  HANDLE ev = atomic_load_explicit(&pause_event, SP_ACQUIRE);
  if (WaitForSingleObject(ev, INFINITE) == WAIT_FAILED)
    return sp__fail_os(SIGPORT_EOS, (int)GetLastError(),
                       "sigport_pause: WaitForSingleObject");
  return 0;
}

int sp__win32_winsock_open(void) {
  WSADATA data;
  int rc = WSAStartup(MAKEWORD(2, 2), &data);
  if (rc != 0)
    return sp__fail_os(SIGPORT_EOS, rc, "sigport_init: WSAStartup");
  winsock_started = 1;
  return 0;
}

void sp__win32_winsock_close(void) {
  if (winsock_started) {
    (void)WSACleanup();
    winsock_started = 0;
  }
}

int sp__backend_wakeup_write(sigport_socket_t fd, int signum, int *full) {
  char byte = (char)signum;
  int err;
  if (send((SOCKET)fd, &byte, 1, 0) == 1) return 0;
  err = WSAGetLastError();
  *full = err == WSAEWOULDBLOCK;
  return err;
}

int sp__backend_check_wakeup_fd(sigport_socket_t fd) {
  int type = 0, len = (int)sizeof type, err;
  if (getsockopt((SOCKET)fd, SOL_SOCKET, SO_TYPE, (char *)&type, &len) == 0)
    return 0;
  err = WSAGetLastError();
  if (err == WSAENOTSOCK)
    return sp__fail(SIGPORT_EVALUE,
                    "sigport_set_wakeup_fd: the handle %llu is not a socket",
                    (unsigned long long)fd);
  return sp__fail_os(SIGPORT_EOS, err,
                     "sigport_set_wakeup_fd: getsockopt(%llu)",
                     (unsigned long long)fd);
}

/* Makes a socket non-blocking, not inherited by child processes, and
   without Nagle's delay, so that each wakeup byte leaves at once. */
static int prepare(SOCKET s) {
  u_long on = 1;
  BOOL nodelay = TRUE;
  if (ioctlsocket(s, FIONBIO, &on) != 0) return WSAGetLastError();
  if (!SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0))
    return (int)GetLastError();
  if (setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&nodelay,
                 (int)sizeof nodelay) != 0)
    return WSAGetLastError();
  return 0;
}

/* Winsock for sigport_socketpair(), which may be called before
   sigport_init(): one reference taken on the first call and kept, so that
   the sockets outlive any sigport_shutdown(). */
static INIT_ONCE pair_once = INIT_ONCE_STATIC_INIT;
static int pair_wsa_rc;

static BOOL CALLBACK start_winsock_for_pairs(PINIT_ONCE once, PVOID param,
                                             PVOID *ctx) {
  WSADATA data;
  (void)once;
  (void)param;
  (void)ctx;
  pair_wsa_rc = WSAStartup(MAKEWORD(2, 2), &data);
  return TRUE;
}

static int same_endpoint(const struct sockaddr_in *a,
                         const struct sockaddr_in *b) {
  return a->sin_family == b->sin_family && a->sin_port == b->sin_port &&
         a->sin_addr.s_addr == b->sin_addr.s_addr;
}

int sigport_socketpair(sigport_socket_t pair[2]) {
  SOCKET listener = INVALID_SOCKET, client = INVALID_SOCKET;
  SOCKET server = INVALID_SOCKET;
  struct sockaddr_in addr, local, peer;
  int len, err = 0;
  const char *step = "socket";
  int rc = sp__check_ptr(pair, "sigport_socketpair", "pair");
  if (rc != 0) return rc;
  (void)InitOnceExecuteOnce(&pair_once, start_winsock_for_pairs, NULL, NULL);
  if (pair_wsa_rc != 0)
    return sp__fail_os(SIGPORT_EOS, pair_wsa_rc,
                       "sigport_socketpair: WSAStartup");

  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (listener == INVALID_SOCKET) goto fail;
  step = "bind";
  if (bind(listener, (struct sockaddr *)&addr, (int)sizeof addr) != 0)
    goto fail;
  step = "listen";
  if (listen(listener, 1) != 0) goto fail;
  step = "getsockname";
  len = (int)sizeof addr;
  if (getsockname(listener, (struct sockaddr *)&addr, &len) != 0) goto fail;
  step = "socket";
  client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (client == INVALID_SOCKET) goto fail;
  step = "connect";
  if (connect(client, (struct sockaddr *)&addr, (int)sizeof addr) != 0)
    goto fail;
  step = "accept";
  len = (int)sizeof peer;
  server = accept(listener, (struct sockaddr *)&peer, &len);
  if (server == INVALID_SOCKET) goto fail;
  /* Another local process could have connected first: the accepted peer
     must be our own client. */
  step = "getsockname";
  len = (int)sizeof local;
  if (getsockname(client, (struct sockaddr *)&local, &len) != 0) goto fail;
  if (!same_endpoint(&local, &peer)) {
    step = "accept (a foreign connection)";
    err = WSAECONNREFUSED;
    goto fail_with;
  }
  closesocket(listener);
  listener = INVALID_SOCKET;
  step = "setting the sockets up";
  if ((err = prepare(server)) != 0 || (err = prepare(client)) != 0)
    goto fail_with;
  pair[0] = (sigport_socket_t)server;
  pair[1] = (sigport_socket_t)client;
  return 0;

fail:
  err = WSAGetLastError();
fail_with:
  if (listener != INVALID_SOCKET) closesocket(listener);
  if (client != INVALID_SOCKET) closesocket(client);
  if (server != INVALID_SOCKET) closesocket(server);
  return sp__fail_os(SIGPORT_EOS, err, "sigport_socketpair: %s", step);
}

/* Texts for the Winsock errors a wakeup write or a socket check can meet,
   for systems whose message tables lack them (Wine has none). */
static const struct {
  int err;
  const char *text;
} winsock_texts[] = {
    {WSAEWOULDBLOCK,
     "A non-blocking socket operation could not be completed immediately"},
    {WSAENOTSOCK, "An operation was attempted on something that is not a "
                  "socket"},
    {WSAENOBUFS, "No buffer space is available for the socket operation"},
    {WSAENOTCONN, "The socket is not connected"},
    {WSAESHUTDOWN, "The socket has been shut down"},
    {WSAECONNRESET, "The connection was reset by the remote host"},
    {WSAECONNABORTED, "The connection was aborted by the local host"},
    {WSAECONNREFUSED, "The connection was refused"},
    {WSAENETDOWN, "The network is down"},
    {WSANOTINITIALISED, "Winsock has not been started (WSAStartup)"},
};

void sp__backend_error_text(int err, char *buf, size_t size) {
  DWORD n;
  size_t i;
  if (size == 0) return;
  n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                     NULL, (DWORD)err,
                     MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), buf,
                     (DWORD)size, NULL);
  /* The system's texts end with a full stop and a line break. */
  while (n > 0 && (buf[n - 1] == '\r' || buf[n - 1] == '\n' ||
                   buf[n - 1] == ' ' || buf[n - 1] == '.'))
    buf[--n] = '\0';
  if (n > 0) return;
  for (i = 0; i < sizeof winsock_texts / sizeof winsock_texts[0]; i++) {
    if (winsock_texts[i].err == err) {
      snprintf(buf, size, "%s", winsock_texts[i].text);
      return;
    }
  }
  snprintf(buf, size, "error %d", err);
}

void sp__backend_yield(void) {
  if (!SwitchToThread()) Sleep(0);
}
