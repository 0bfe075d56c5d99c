# shellcheck shell=bash
# lib.sh: helpers for the shell tests of the tool and of the examples.
#
# Sourced by a test script that runs under `set -euo pipefail`. Each test
# gets a scratch directory, $work, removed at the end with the background
# jobs still running. A test passes by returning 0, fails with
# `fail MESSAGE` (status 1) and is skipped with `skip REASON` (status 77,
# which CTest reports as skipped).

work=$(mktemp -d)

# A pid that no process can have: above every system's pid_max.
no_such_pid=2147483646

# Kills the jobs of this shell that have not been reaped: only those, since
# the pid of a reaped process may already belong to someone else. bash may
# run the EXIT trap in a job's subshell that a signal ends before it execs;
# only the test's own shell cleans up.
cleanup() {
  local p
  [ "$BASHPID" = "$$" ] || return 0
  for p in $(jobs -p); do
    kill -KILL "$p" 2>/dev/null || true
    { wait "$p"; } 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# No core files from the children that are killed on purpose.
ulimit -c 0

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

skip() {
  echo "SKIPPED: $*"
  exit 77
}

note() { echo "ok: $*"; }

# start_job FILE CMD...: empties FILE, runs CMD in the background with its
# output there, and sets $job to its pid. FILE is emptied here because the
# job's own redirection happens only after the fork: a wait_for on FILE
# could otherwise match what an earlier job wrote.
start_job() {
  local file=$1
  shift
  : >"$file"
  # An explicit <&0: a background job would get /dev/null otherwise.
  "$@" <&0 >"$file" 2>&1 &
  job=$!
}

# start_sleeper: starts `sleep 30` in the background, sets $job to its pid,
# and returns once the job runs a program of its own. Until the forked
# shell execs, it still has this shell's handlers for the terminating
# signals (bash installs them for the EXIT trap), and a TERM or USR1 that
# comes then can be lost: the job goes on and sleeps as if nothing came.
# The job is sh, which says it runs through a FIFO and then execs sleep;
# from that line on, TERM and USR1 have their default action.
start_sleeper() {
  local fifo=$work/sleeper.fifo line=""
  rm -f "$fifo"
  mkfifo "$fifo"
  sh -c 'echo running >"$1" && exec sleep 30' sh "$fifo" &
  job=$!
  read -r line <"$fifo" || true
  rm -f "$fifo"
  [ "$line" = running ] || fail "the sleeper $job did not start: '$line'"
}

# run_cmd CMD...: runs CMD with its output in $work/out and $work/err, and
# its exit status in $status, whatever it is.
run_cmd() {
  set +e
  "$@" >"$work/out" 2>"$work/err"
  status=$?
  set -e
}

# expect_status WANT CMD...: run_cmd, then fails unless the status is WANT.
expect_status() {
  local want=$1
  shift
  run_cmd "$@"
  [ "$status" = "$want" ] ||
    fail "'$*' exited $status, expected $want; stderr: $(cat "$work/err")"
}

# expect_out REGEX / expect_err REGEX: a line of $work/out or $work/err
# matches the extended regular expression.
expect_out() {
  grep -qE -- "$1" "$work/out" ||
    fail "stdout does not match /$1/: $(cat "$work/out")"
}
expect_err() {
  grep -qE -- "$1" "$work/err" ||
    fail "stderr does not match /$1/: $(cat "$work/err")"
}

# expect_err_is TEXT: stderr is exactly that one line.
expect_err_is() {
  [ "$(cat "$work/err")" = "$1" ] ||
    fail "stderr is '$(cat "$work/err")', expected '$1'"
}

# wait_for FILE REGEX [SECONDS]: waits until a line of FILE matches.
wait_for() {
  local file=$1 re=$2 limit=${3:-20} i
  for ((i = 0; i < limit * 20; i++)); do
    grep -qE -- "$re" "$file" 2>/dev/null && return 0
    sleep 0.05
  done
  fail "no line matching /$re/ in $file after ${limit}s:" \
    "$(cat "$file" 2>/dev/null)"
}

# wait_gone PID [SECONDS]: waits until the process is gone or a zombie.
wait_gone() {
  local pid=$1 limit=${2:-20} i
  for ((i = 0; i < limit * 20; i++)); do
    if [ ! -e "/proc/$pid" ] ||
      grep -q ') Z' "/proc/$pid/stat" 2>/dev/null; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.05
  done
  fail "process $pid still runs after ${limit}s"
}

# how_ended CMD...: runs CMD (output to $work/out and $work/err) and prints
# what its parent's waitpid() saw: "exit N" or "signal N". bash's $? cannot
# tell a death by signal N from an exit with 128+N.
how_ended() {
  perl -e '
    my $file = shift;
    system { $ARGV[0] } @ARGV;
    my $s = $?;
    open(my $f, ">", $file) or die "how_ended: $file: $!\n";
    print $f (($s & 127) ? "signal " . ($s & 127) : "exit " . ($s >> 8)), "\n";
  ' "$work/how" "$@" >"$work/out" 2>"$work/err" || true
  cat "$work/how"
}

# now_ms: a clock in milliseconds.
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# need_linux REASON: skips the test on other systems.
need_linux() {
  [ "$(uname -s)" = Linux ] || skip "$1"
}

# qemu_limit LIMIT WHAT: true, after a line "SKIPPED under qemu-user: WHAT:
# <the limit>", when the test runs under qemu-user (the test configuration
# sets SIGPORT_TEST_EMULATOR to the cross-compiling emulator) and LIMIT is
# one of what qemu-user does not emulate; false, silently, otherwise. The
# caller then leaves out what depends on it, or ends the test with status
# 77 when nothing is left. Every place that skips a check on qemu calls
# this. The limits:
#   proc-status  /proc/PID/status of an emulated process shows qemu's own
#                dispositions: every signal caught, none ignored or blocked.
#   subreaper    qemu-user (7.2) does not pass prctl(PR_SET_CHILD_SUBREAPER)
#                on: the emulated process gets EINVAL.
#   i386-threads qemu-i386 (7.2) only: threads misbehave (pthread_join
#                fails or hands back garbage), as tests/helpers.h's
#                SP_QEMU_I386_THREADS says.
qemu_limit() {
  local why
  case ${SIGPORT_TEST_EMULATOR:-} in
    *qemu*) ;;
    *) return 1 ;;
  esac
  case $1 in
    i386-threads)
      case ${SIGPORT_TEST_EMULATOR} in
        *qemu-i386*) ;;
        *) return 1 ;;
      esac
      why="threads misbehave under qemu-i386 (pthread_join fails or"
      why+=" returns garbage)"
      ;;
    proc-status)
      why="/proc/PID/status of an emulated process shows qemu's own"
      why+=" dispositions"
      ;;
    subreaper)
      why="qemu-user refuses prctl(PR_SET_CHILD_SUBREAPER) with EINVAL"
      ;;
    *) fail "qemu_limit: unknown limit '$1'" ;;
  esac
  echo "SKIPPED under qemu-user ($SIGPORT_TEST_EMULATOR): $2: $why"
}

# sysnum NAME: the system's number of signal NAME (USR1, RTMIN), for what
# the tool or an example prints or is given: from the C library of the
# programs under test (SIGPORT_TEST_SIGNUMS, tests/signums.c), since the
# shell running the tests may be another architecture's under qemu-user,
# or built on another C library (SIGPORT_TEST_OTHER_LIBC: the musl step,
# whose SIGRTMIN is 35 where glibc's bash says 34). Where the shell is the
# system's own, its kill -l must agree. What the
# shell itself observes, such as the signal a child died of in a wait
# status, is numbered by kill -l.
sysnum() {
  local n k
  k=$(kill -l "$1")
  if [ -z "${SIGPORT_TEST_SIGNUMS:-}" ]; then
    echo "$k"
    return 0
  fi
  n=$("$SIGPORT_TEST_SIGNUMS" "$1") || fail "sysnum: no number for '$1'"
  case ${SIGPORT_TEST_EMULATOR:-}:${SIGPORT_TEST_OTHER_LIBC:-} in
    *qemu*:* | *:?*) ;;
    *)
      [ "$n" = "$k" ] ||
        fail "sysnum: the C library numbers $1 $n, the shell's kill -l $k"
      ;;
  esac
  echo "$n"
}

# host_signame NAME: the name the tool gives the bit of the shell's signal
# NAME in the /proc/PID/status of one of the shell's own processes (perl).
# That is SIGNAME, except under qemu-user, where the shell is the host's and
# may number its signals otherwise than the target: the tool decodes the
# host's number with the target's names.
host_signame() {
  local k name
  case ${SIGPORT_TEST_EMULATOR:-} in
    *qemu*)
      [ -n "${SIGPORT_TEST_SIGNUMS:-}" ] ||
        fail "host_signame: SIGPORT_TEST_SIGNUMS is not set"
      k=$(kill -l "$1")
      name=$("$SIGPORT_TEST_SIGNUMS" "$k") ||
        fail "host_signame: the target has no signal $k ($1 here)"
      echo "SIG$name"
      ;;
    *) echo "SIG$1" ;;
  esac
}

# need_python: skips the test when python3 is missing.
need_python() {
  command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
}
