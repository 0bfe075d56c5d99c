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

# The alarm ends a wait in select() for a socket nobody writes to; with
# data there the read succeeds and the alarm is cancelled.
example_alarm_read() {
  local t0 ms
  t0=$(now_ms)
  expect_status 1 "$exe" 1
  ms=$(($(now_ms) - t0))
  [ "$(cat "$work/out")" = "Signal handler called with signal SIGALRM (14)" ] ||
    fail "stdout: $(cat "$work/out")"
  expect_err_is "alarm_read: Couldn't read!"
  [ "$ms" -ge 900 ] && [ "$ms" -lt 10000 ] || fail "the alarm took ${ms}ms"
  note "nothing written: the alarm ended the read after ${ms}ms"

  expect_status 0 "$exe" --data 5
  [ "$(cat "$work/out")" = "read: hello" ] || fail "stdout: $(cat "$work/out")"
  note "data there: read at once"
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

# Two loops, each on a thread of its own with a watch of its own: A on
# SIGUSR1, B on SIGUSR1 and SIGUSR2, both on SIGTERM. Each signal is sent
# once the one before it has been counted, so none merges in the kernel,
# and each loop's totals are exactly what was sent: both see every
# SIGUSR1. Then a burst, which the kernel may merge: the two loops still
# count the same SIGUSR1 deliveries.
example_two_loops() {
  local pid i usr1=5 usr2=3 burst=20 a b
  if qemu_limit i386-threads "two_loops, whose loops are threads"; then
    exit 77
  fi
  start_job "$work/loops.out" "$exe"
  pid=$job
  wait_for "$work/loops.out" "^ready in pid $pid\$"
  for ((i = 1; i <= usr1; i++)); do
    kill -USR1 "$pid"
    wait_for "$work/loops.out" "^A: SIGUSR1 count=[0-9]+ total=$i\$"
    wait_for "$work/loops.out" "^B: SIGUSR1 count=[0-9]+ total=$i\$"
  done
  for ((i = 1; i <= usr2; i++)); do
    kill -USR2 "$pid"
    wait_for "$work/loops.out" "^B: SIGUSR2 count=[0-9]+ total=$i\$"
  done
  if grep -q '^A: SIGUSR2' "$work/loops.out"; then
    fail "loop A took SIGUSR2, which it does not watch"
  fi
  kill -TERM "$pid"
  reap "$pid"
  [ "$status" = 0 ] || fail "status $status: $(cat "$work/loops.out")"
  grep -qx "total A: SIGUSR1=$usr1" "$work/loops.out" ||
    fail "A's totals: $(cat "$work/loops.out")"
  grep -qx "total B: SIGUSR1=$usr1 SIGUSR2=$usr2" "$work/loops.out" ||
    fail "B's totals: $(cat "$work/loops.out")"
  note "paced: A saw $usr1 SIGUSR1, B $usr1 SIGUSR1 and $usr2 SIGUSR2"

  start_job "$work/loops.out" "$exe"
  pid=$job
  wait_for "$work/loops.out" "^ready in pid $pid\$"
  for ((i = 1; i <= burst; i++)); do kill -USR1 "$pid"; done
  # At least one reached both watches before SIGTERM is sent; others may
  # still be pending then, and come before or after SIGTERM (the order of
  # pending signals is the system's): two_loops counts each in both
  # watches or in neither.
  wait_for "$work/loops.out" "^A: SIGUSR1 count=[0-9]+ total=[0-9]+\$"
  wait_for "$work/loops.out" "^B: SIGUSR1 count=[0-9]+ total=[0-9]+\$"
  kill -TERM "$pid"
  reap "$pid"
  [ "$status" = 0 ] || fail "status $status: $(cat "$work/loops.out")"
  a=$(sed -nE 's/^total A: SIGUSR1=([0-9]+)$/\1/p' "$work/loops.out")
  b=$(sed -nE 's/^total B: SIGUSR1=([0-9]+) SIGUSR2=0$/\1/p' "$work/loops.out")
  [ -n "$a" ] && [ "$a" = "$b" ] ||
    fail "A and B differ on SIGUSR1: $(cat "$work/loops.out")"
  [ "$a" -ge 1 ] && [ "$a" -le "$burst" ] || fail "$a SIGUSR1 for $burst sent"
  note "a burst of $burst: both loops counted the same $a deliveries"
}

# Twenty children, at most eight alive at once, each reported once with
# its own code; the child that another part of the program started is
# left to it, and its waitpid() gets the status.
example_reaper() {
  local n=20 i pids
  expect_status 0 "$exe" "$n"
  for ((i = 1; i <= n; i++)); do
    [ "$(grep -cE "^child [0-9]+: exit $i\$" "$work/out")" = 1 ] ||
      fail "exit $i is not reported once: $(cat "$work/out")"
  done
  pids=$(sed -nE 's/^child ([0-9]+): .*/\1/p' "$work/out" | sort -u | wc -l)
  [ "$pids" = "$n" ] || fail "$pids children reported, expected $n"
  [ "$(tail -n 2 "$work/out")" = "$(printf 'reaped %d children\nthe other child: exit 42, reaped by its owner' "$n")" ] ||
    fail "the end: $(tail -n 2 "$work/out")"
  [ ! -s "$work/err" ] || fail "stderr: $(cat "$work/err")"
  note "$n children reaped, each once; the other child's status went to its owner"
}

fn="example_$name"
declare -F "$fn" >/dev/null || fail "no example '$name'"
"$fn"
