/*
 * tool.h: what the commands of the `sigport` tool share.
 *
 * Each command lives in a file of its own (list.c for list and info,
 * send.c, watch.c, run.c and run_win.c, mask.c), built on the library's
 * public header only; main.c parses the command line with cli.c and calls
 * the command. common.c holds the messages, the JSON writer and the
 * clock they all use.
 */
#ifndef SIGPORT_TOOL_H
#define SIGPORT_TOOL_H

#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "sigport.h"

/* Exit statuses. */
#define EXIT_OK 0
#define EXIT_REFUSED 1
#define EXIT_USAGE SIGPORT_CLI_USAGE
#define EXIT_TIMEDOUT 124
#define EXIT_RUN_FAILED SIGPORT_CLI_RUN_FAILED /* run's own failures */
#define EXIT_CANNOT_RUN 126
#define EXIT_NOT_FOUND 127

#if defined(__GNUC__) || defined(__clang__)
#define TOOL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TOOL_PRINTF(f, a)
#endif

/* Prints "sigport: <message>" as one line on stderr and returns status. */
int complain(int status, const char *fmt, ...) TOOL_PRINTF(2, 3);

/* A sigport call failed with rc: 2 for a bad value (SIGPORT_EVALUE), 1
   otherwise. sigport_last_error() names the call and the system's error. */
int library_failed(int rc);
/* The same, for run, whose own failures exit EXIT_RUN_FAILED. */
int run_library_failed(int rc);

/* A system call of the tool's own failed with errno err. */
int system_failed(const char *call, int err);

/* Flushes stdout; a failed write is a refusal of the system. */
int finish_output(int status);

/* Writes s as a JSON string, quotes included. */
void json_string(FILE *out, const char *s);

/* Microseconds on a monotonic clock. The tool keeps its clock and its
   deadlines in integers: they are read while signals come, and an
   emulator that loses the x87 registers across a signal (qemu-i386 7.2)
   turned a deadline kept in a double into 0 or 1.8e308. */
int64_t now_us(void);

/* A duration of `seconds` (> 0) in microseconds, rounded up so that a
   deadline never comes early; at most TOOL_FOREVER_US (142 years). */
#define TOOL_FOREVER_US ((int64_t)1 << 52)
int64_t duration_us(double seconds);

/* Milliseconds from now until `deadline` (on now_us()'s clock), rounded
   up so that a wait never ends before it; -1 for no deadline
   (deadline < 0). */
int ms_until(int64_t deadline);

/* The tool's own process id. */
long own_pid(void);

/* The commands, and their --help texts. */
int cmd_list(const struct sigport_cli *cli);
int cmd_info(const struct sigport_cli *cli);
int cmd_send(const struct sigport_cli *cli);
int cmd_watch(const struct sigport_cli *cli);
int cmd_run(const struct sigport_cli *cli);
int cmd_mask(const struct sigport_cli *cli);
extern const char help_list[], help_info[], help_send[], help_watch[],
    help_run[], help_mask[];

/* Messages that tell the user what could not be done and why, without
   naming the calls behind it. */

/* The system's words for error err (errno; on Windows GetLastError() or
   WSAGetLastError()). A static string. */
const char *os_error_text(int err);

/* A sigport call made to do <what> failed with rc: prints "sigport:
   cannot <what>: <why>", why being the system's words for
   sigport_last_oserror() after SIGPORT_EOS, else sigport_strerror(rc).
   Returns 2 for SIGPORT_EVALUE, 1 otherwise. */
int cannot(int rc, const char *fmt, ...) TOOL_PRINTF(2, 3);

/* The same after a call of the tool's own failed with the system's error
   err; returns 1. */
int cannot_os(int err, const char *fmt, ...) TOOL_PRINTF(2, 3);

/* Writes the name of signum as a JSON string, or null when it has none:
   the "signal" of every JSON object the tool prints. */
void json_name(FILE *out, int signum);

#endif
