#!/usr/bin/env bash
# ci/valgrind.sh: every native Check suite under valgrind's memcheck.
#
#   ci/valgrind.sh               every suite (`sigport_tests --list`)
#   ci/valgrind.sh core waits    only the suites named
#
# It builds the test runner in build/valgrind (gcc, Debug, warnings as
# errors, no sanitizers) and runs each suite under memcheck, two suites at
# a time. Every process is checked:
#   - the runner;
#   - each test's child, which Check forks (valgrind follows fork);
#   - the children those fork in turn;
#   - the runner run again through exec as `sigport_tests --child ...`
#     (--trace-children=yes). Programs exec'd from the system's
#     directories (sh, bash) are not traced: they are not sigport's, and a
#     test that execs sh checks what the real exec passes on.
# Each process writes its own log (build/valgrind/logs/SUITE/). The run
# fails when a test fails, or when memcheck reports an error or a definite
# or indirect leak in any process: such a process also exits with status
# 99, which fails the Check test it belongs to, and its log is read as
# well, for processes whose status nobody checks.
#
# Before the suites, a bug planted on purpose (a heap overflow in a
# forked Check test, tests/sanitizer-proof/proof.c) must fail under the
# same options, and the same program without the bug must pass.
#
# Valgrind runs one thread at a time. --fair-sched=yes hands its lock
# over in turn: with the default lock, a thread that loops on system
# calls (a test that swaps handlers while another thread sends a storm)
# takes the lock back each time it leaves a call, and the other threads
# wait for minutes.
#
# The tests run with SIGPORT_TEST_RELAXED=valgrind: valgrind queues only a
# few signals per thread, so delivery counts are asserted as 1 <= n <= N,
# and a few system calls behave as valgrind emulates them. Check's
# timeouts are multiplied by CK_TIMEOUT_MULTIPLIER (default 10).
#
# Knobs: SIGPORT_VALGRIND_JOBS (suites at once, default 2),
# SIGPORT_VALGRIND_SUITE_TIMEOUT (seconds a suite may take, default 600).
# Needs valgrind, gcc, cmake, ninja, pkg-config and Check; ci/test
# installs them. The last line printed is the summary; the exit status is
# 0 when everything passed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export LC_ALL=C.UTF-8
start=$SECONDS

build=$root/build/valgrind
logs=$build/logs
bin=$build/tests/sigport_tests
supp=$root/ci/valgrind.supp
jobs=${SIGPORT_VALGRIND_JOBS:-2}
suite_timeout=${SIGPORT_VALGRIND_SUITE_TIMEOUT:-600}
# The exit status of a process in which memcheck found an error.
vg_status=99

die() {
  echo "valgrind: FAIL: $*" >&2
  exit 1
}

command -v valgrind >/dev/null || die "valgrind not found (Debian: apt-get install valgrind)"

# shellcheck disable=SC2054 # the commas are inside option values.
vg_opts=(
  --tool=memcheck
  --error-exitcode="$vg_status"
  --leak-check=full
  --errors-for-leak-kinds=definite,indirect
  --show-leak-kinds=definite,indirect
  --track-fds=no
  --trace-children=yes
  --trace-children-skip='/bin/*,/sbin/*,/usr/bin/*,/usr/sbin/*,/usr/local/bin/*'
  --num-callers=30
  --vgdb=no
  --fair-sched=yes
  --suppressions="$supp"
)
export SIGPORT_TEST_RELAXED=valgrind
export CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-10}
export CK_FORK=yes

# ------------------------------------------------------------ build
echo "valgrind: == build =="
rm -rf "$logs"
mkdir -p "$logs"
if ! { cmake -S . -B "$build" -G Ninja \
  -DCMAKE_C_COMPILER=gcc \
  -DCMAKE_BUILD_TYPE=Debug \
  -DSIGPORT_WERROR=ON \
  -DSIGPORT_SANITIZE= \
  -DBUILD_TESTING=ON &&
  cmake --build "$build" --target sigport_tests; } >"$logs/build.log" 2>&1; then
  tail -n 40 "$logs/build.log"
  die "the test runner does not build"
fi

# check_logs DIR: prints each log in DIR that shows an error or a definite
# or indirect leak, and returns 1 when there is one. A process that ran to
# its end (exit, or death by a signal it did not catch) has an ERROR
# SUMMARY, which counts the leaks too. A process without one was killed
# (SIGKILL) or exec'd: any stack trace in its log is an error.
check_logs() {
  local dir=$1 log bad=0
  for log in "$dir"/vg.*.log; do
    [ -e "$log" ] || continue
    if ! awk '
      /ERROR SUMMARY: / {
        summary = 1
        n = $0
        sub(/.*ERROR SUMMARY: /, "", n)
        if (n + 0 > 0) errors = 1
      }
      /^==[0-9]+==    (at|by) 0x/ { stack = 1 }
      END { exit (errors || (!summary && stack)) ? 1 : 0 }' "$log"; then
      echo "---- ${log#"$root"/}"
      head -n 300 "$log"
      bad=1
    fi
  done
  return "$bad"
}

# ------------------------------------------------------------ proof
# The planted bug: a heap overflow in a forked Check test must fail the
# run, with memcheck's report in the child's log.
echo "valgrind: == proof =="
proof=$build/valgrind-proof
# shellcheck disable=SC2046 # pkg-config's output is a list of words.
gcc -std=c11 -g -O0 tests/sanitizer-proof/proof.c -o "$proof" \
  $(pkg-config --cflags --libs check) -pthread ||
  die "the proof program does not build"
for name in clean heap-overflow; do
  mkdir -p "$logs/proof-$name"
  rc=0
  valgrind "${vg_opts[@]}" --log-file="$logs/proof-$name/vg.%p.%n.log" \
    "$proof" "$name" >"$logs/proof-$name/check.out" 2>&1 || rc=$?
  log_rc=0
  check_logs "$logs/proof-$name" >"$logs/proof-$name/report" || log_rc=$?
  if [ "$name" = clean ]; then
    if [ "$rc" != 0 ] || [ "$log_rc" != 0 ]; then
      cat "$logs/proof-$name/check.out" "$logs/proof-$name/report"
      die "the proof without its bug failed under memcheck, so nothing is proven"
    fi
  else
    if [ "$rc" = 0 ] || ! grep -qE '^0%: Checks: 1, ' "$logs/proof-$name/check.out"; then
      cat "$logs/proof-$name/check.out"
      die "the planted heap overflow did not fail Check's forked test"
    fi
    if [ "$log_rc" = 0 ] || ! grep -q 'Invalid write of size 1' "$logs/proof-$name/report"; then
      die "the planted heap overflow is not in memcheck's logs"
    fi
    echo "valgrind: proof: the planted heap overflow was reported and failed the test"
  fi
done

# ------------------------------------------------------------ suites
if [ "$#" -gt 0 ]; then
  suites=("$@")
else
  mapfile -t listed < <("$bin" --list)
  # The longest suites first, so that two at a time finish together.
  suites=()
  for s in stress waits process badinput; do
    [[ " ${listed[*]} " == *" $s "* ]] && suites+=("$s")
  done
  for s in "${listed[@]}"; do
    [[ " ${suites[*]} " == *" $s "* ]] || suites+=("$s")
  done
  [ "${#suites[@]}" -gt 0 ] || die "sigport_tests --list lists no suite"
fi

# run_suite SUITE: runs one suite under memcheck; its Check output, exit
# status and time go to logs/SUITE/.
run_suite() {
  local suite=$1 dir=$logs/$1 t0=$SECONDS rc=0
  mkdir -p "$dir"
  timeout --kill-after=30 "$suite_timeout" \
    valgrind "${vg_opts[@]}" --log-file="$dir/vg.%p.%n.log" "$bin" "$suite" \
    >"$dir/check.out" 2>&1 || rc=$?
  echo "$rc" >"$dir/status"
  echo $((SECONDS - t0)) >"$dir/seconds"
}

echo "valgrind: == suites: ${suites[*]} ($jobs at a time) =="
running=0
for s in "${suites[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  run_suite "$s" &
  running=$((running + 1))
done
wait

# ------------------------------------------------------------ results
failed=()
tests=0
processes=0
for s in "${suites[@]}"; do
  dir=$logs/$s
  rc=$(cat "$dir/status")
  secs=$(cat "$dir/seconds")
  n=$(find "$dir" -name 'vg.*.log' | wc -l)
  processes=$((processes + n))
  line=$(grep -E '^[0-9]+%: Checks: ' "$dir/check.out" || true)
  [ -n "$line" ] || line="no Check summary"
  checks=$(sed -nE 's/^[0-9]+%: Checks: ([0-9]+),.*/\1/p' <<<"$line")
  tests=$((tests + ${checks:-0}))
  note=""
  [ "$rc" = 0 ] || note="exit status $rc"
  [ "$rc" = 124 ] && note="timed out after $suite_timeout s"
  report=$(check_logs "$dir" || true)
  [ -z "$report" ] || note="${note:+$note, }memcheck errors or leaks"
  printf 'valgrind: %-11s %4s s %4s processes  %s%s\n' "$s" "$secs" "$n" "$line" \
    "${note:+  FAILED: $note}"
  if [ -n "$note" ]; then
    failed+=("$s")
    grep -vE '^(Running suite|[0-9]+%: Checks: )' "$dir/check.out" | head -n 60 || true
    [ -z "$report" ] || printf '%s\n' "$report"
  fi
done

# What valgrind could not emulate, for the reader (not a failure).
warnings=$(grep -h -- '--[0-9]*-- WARNING' "$logs"/*/vg.*.log 2>/dev/null |
  sed -E 's/^--[0-9]+-- //' | sort | uniq -c || true)
if [ -n "$warnings" ]; then
  echo "valgrind: valgrind's own warnings (processes):"
  printf '%s\n' "$warnings"
fi

echo "valgrind: logs in ${logs#"$root"/}"
if [ "${#failed[@]}" -gt 0 ]; then
  # Queued signals count against one limit per user (RLIMIT_SIGPENDING),
  # shared with every other process of the user: when another one holds
  # them all, sigqueue() and Check's timer_create() fail with EAGAIN.
  sigq=$(awk '/^SigQ:/ {print $2}' /proc/self/status 2>/dev/null || true)
  [ -z "$sigq" ] || echo "valgrind: signals queued for this user now: $sigq (RLIMIT_SIGPENDING)"
  echo "valgrind: FAILED: ${failed[*]} ($((SECONDS - start)) s)"
  exit 1
fi
echo "valgrind: ${#suites[@]} suites, $tests tests, $processes processes: no memcheck errors, no definite or indirect leaks, every test passed ($((SECONDS - start)) s)"
