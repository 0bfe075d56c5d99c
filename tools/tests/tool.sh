#!/usr/bin/env bash
# tool.sh: tests of the `sigport` tool with real processes and signals.
#
#   tool.sh PATH-TO-SIGPORT CASE
#
# Each CASE is a function case_CASE of one of the cases_*.sh files here,
# and one CTest test. Timings are generous, since sanitizers
# defer and slow down signal delivery; only "well under the child's sleep"
# is asserted, never an exact time.
set -euo pipefail

tool=$1
case_name=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

# starts `sigport watch ARGS...` in the background, with its output in
# $work/watch.out and $work/watch.err, and waits for its "watching" line.
# Sets $watch_pid.
start_watch() {
  : >"$work/watch.err"
  "$tool" watch "$@" >"$work/watch.out" 2>"$work/watch.err" &
  watch_pid=$!
  wait_for "$work/watch.err" "^sigport: watching .* in pid $watch_pid\$"
}

# waits for the background job PID and sets $status to its exit status.
reap() {
  set +e
  wait "$1"
  status=$?
  set -e
}

for cases in "$here"/cases_*.sh; do
  # shellcheck source=/dev/null
  . "$cases"
done

fn="case_$case_name"
declare -F "$fn" >/dev/null || fail "no test case '$case_name'"
"$fn"
