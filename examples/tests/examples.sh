#!/usr/bin/env bash
# examples.sh: runs one example with real signals and checks its output.
#
#   examples.sh PATH-TO-EXAMPLE NAME
set -euo pipefail

exe=$1
name=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../tools/tests/lib.sh
. "$here/../../tools/tests/lib.sh"

reap() {
  set +e
  wait "$1"
  status=$?
  set -e
}

# The alarm interrupts an open() of a FIFO that nobody writes to; with a
# writer, the open succeeds before the alarm.
example_alarm_open() {
  local t0 ms
  mkfifo "$work/fifo"
  t0=$(now_ms)
  expect_status 1 "$exe" "$work/fifo" 1
  ms=$(($(now_ms) - t0))
  [ "$(cat "$work/out")" = "Signal handler called with signal SIGALRM (14)" ] ||
    fail "stdout: $(cat "$work/out")"
  expect_err_is "alarm_open: Couldn't open device!"
  [ "$ms" -ge 900 ] && [ "$ms" -lt 10000 ] || fail "the alarm took ${ms}ms"
  note "no writer: the alarm ended the open() after ${ms}ms"

  (sleep 0.3 && exec 3>"$work/fifo" && sleep 0.2) &
  expect_status 0 "$exe" "$work/fifo" 5
  [ "$(cat "$work/out")" = "opened $work/fifo" ] ||
    fail "stdout: $(cat "$work/out")"
  note "a writer came: opened"
}

# Piped into head: the write fails with EPIPE instead of killing the
# process, and the exit status is 1, as in Python.
example_sigpipe_head() {
  local -a st
  set +e
  "$exe" 1000000 2>"$work/err" | head -n 3 >"$work/out"
  st=("${PIPESTATUS[@]}")
  set -e
  [ "${st[0]}" = 1 ] || fail "the example exited ${st[0]}, expected 1"
  [ "${st[1]}" = 0 ] || fail "head exited ${st[1]}"
  [ "$(cat "$work/out")" = "$(printf 'y\ny\ny')" ] ||
    fail "output: $(cat "$work/out")"
  [ ! -s "$work/err" ] || fail "stderr: $(cat "$work/err")"
  note "piped into head -n 3: 3 lines, status 1, nothing on stderr"

  expect_status 0 "$exe" 5
  [ "$(wc -l <"$work/out")" -eq 5 ] || fail "not 5 lines"
  note "not piped: status 0"
}

# SIGINT while the loop works: the default handler's KeyboardInterrupt
# comes out of a dispatch, with the lock free, and the process ends by
# SIGINT.
example_interrupt_loop() {
  local pid how
  # A background job of a script starts with SIGINT ignored, and
  # SIGPORT_INIT_DEFAULTS leaves an ignored SIGINT alone; env gives the
  # example the default disposition, as a terminal would.
  start_job "$work/loop.out" env --default-signal=INT "$exe"
  pid=$job
  wait_for "$work/loop.out" "^working in pid $pid; press Ctrl\\+C to stop\$"
  sleep 0.2
  kill -INT "$pid"
  reap "$pid"
  [ "$status" = 130 ] || fail "status $status, expected 130"
  grep -qE '^KeyboardInterrupt after [0-9]+ rounds; the lock is free$' \
    "$work/loop.out" ||
    fail "output: $(cat "$work/loop.out")"
  note "SIGINT: $(tail -n 1 "$work/loop.out"), status 130"

  how=$(how_ended "$exe" --raise-after 3)
  [ "$how" = "signal 2" ] || fail "--raise-after 3: $how"
  [ "$(tail -n 1 "$work/out")" = \
    "KeyboardInterrupt after 3 rounds; the lock is free" ] ||
    fail "output: $(cat "$work/out")"
  note "--raise-after 3: ended by SIGINT as waitpid() sees it"

  # With SIGINT ignored by the caller, the defaults leave it ignored.
  start_job "$work/loop.out" env --ignore-signal=INT "$exe"
  pid=$job
  wait_for "$work/loop.out" '^working in pid'
  kill -INT "$pid"
  sleep 0.3
  kill -0 "$pid" || fail "an ignored SIGINT ended the loop"
  kill -TERM "$pid"
  reap "$pid"
  [ "$status" = 143 ] || fail "TERM gave $status"
  note "an inherited SIG_IGN for SIGINT stays"
}

# The event loop answers lines and signals, woken by poll() on the wakeup
# socket, and shuts down cleanly on SIGTERM.
example_event_loop() {
  local pid
  mkfifo "$work/in"
  # Opened for writing (and reading, so that this open does not block)
  # before the example opens it for reading.
  exec 3<>"$work/in"
  start_job "$work/loop.out" "$exe" <"$work/in"
  pid=$job
  wait_for "$work/loop.out" "^Serving standard input in pid $pid\$"
  echo hello >&3
  wait_for "$work/loop.out" '^echo: hello$'
  kill -USR1 "$pid"
  wait_for "$work/loop.out" '^reload 1$'
  echo world >&3
  wait_for "$work/loop.out" '^echo: world$'
  kill -TERM "$pid"
  reap "$pid"
  exec 3>&-
  [ "$status" = 0 ] || fail "status $status"
  # The numbers are the system's.
  diff - "$work/loop.out" <<EOF || fail "unexpected output"
Serving standard input in pid $pid
echo: hello
Signal handler called with signal SIGUSR1 ($(sysnum USR1)), count 1
reload 1
echo: world
Signal handler called with signal SIGTERM ($(sysnum TERM)), count 1
Shutdown...
EOF
  note "lines and signals through one poll(); clean shutdown on SIGTERM"

  # At the end of its input it goes on serving signals.
  start_job "$work/loop.out" "$exe" </dev/null
  pid=$job
  wait_for "$work/loop.out" '^Serving'
  sleep 0.2
  kill -INT "$pid"
  reap "$pid"
  [ "$status" = 0 ] || fail "status $status after SIGINT"
  grep -q '^Signal handler called with signal SIGINT (2), count 1$' \
    "$work/loop.out" ||
    fail "output: $(cat "$work/loop.out")"
  tail -n 1 "$work/loop.out" | grep -q '^Shutdown...$' || fail "no shutdown"
  note "SIGINT after the end of input: clean shutdown"
}

fn="example_$name"
declare -F "$fn" >/dev/null || fail "no example '$name'"
"$fn"
