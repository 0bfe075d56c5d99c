# shellcheck shell=bash
# cases_init.sh: the tool's cases for sigport run --init, as PID 1 and as a subreaper, run by tool.sh.

need_pidns() {
  need_linux "pid namespaces are Linux's"
  command -v unshare >/dev/null 2>&1 ||
    skip "unshare(1) is not installed: run --init is not tested as PID 1"
  unshare "${pidns_opts[@]}" true >/dev/null 2>&1 && return 0
  if ! grep -q ' shared:' /proc/self/mountinfo &&
    unshare "${pidns_opts[@]}" --propagation unchanged true >/dev/null 2>&1; then
    pidns_opts+=(--propagation unchanged)
    return 0
  fi
  skip "'unshare --pid --fork --mount-proc true' fails here (not root," \
    "or no namespaces): run --init is not tested as PID 1"
}

# as_pid1 ARGS...: runs `sigport run ARGS...` as PID 1 of a new pid
# namespace, through run_cmd ($status, $work/out, $work/err), and sets $ms
# to the time it took.
as_pid1() {
  local t0
  t0=$(now_ms)
  run_cmd unshare "${pidns_opts[@]}" "$tool" run "$@"
  ms=$(($(now_ms) - t0))
}

# Shell functions for the scripts run under `run --init`, written to
# $work/init.sh, which each script sources. Builtins only where they read
# /proc, so that counting forks nothing that it would count.
#   wait_file FILE: waits up to 20 seconds for FILE to exist.
#   proc_scan [PPID]: sets $live and $zombies to the number of processes
#     (those whose parent is PPID, if given), PID 1 and the caller left out.
#   wait_quiet [PPID]: waits up to 10 seconds for every such process to be
#     gone, zombies included, then leaves the counts in $live and $zombies.
#   wait_gone FILE: waits up to 10 seconds in all for each pid listed in
#     FILE to be gone from /proc (reaped).
#   wait_stopped PID: waits up to 10 seconds for PID to be stopped.
write_init_lib() {
  cat >"$work/init.sh" <<'EOF'
wait_file() {
  _n=0
  while [ ! -e "$1" ] && [ "$_n" -lt 400 ]; do
    sleep 0.05
    _n=$((_n + 1))
  done
}
proc_scan() {
  live=0
  zombies=0
  for _f in /proc/[0-9]*/stat; do
    _line=
    read -r _line 2>/dev/null <"$_f" || continue
    _pid=${_line%% *}
    _rest=${_line##*) }
    _ppid=${_rest#? }
    _ppid=${_ppid%% *}
    case $_pid in 1 | "$$") continue ;; esac
    [ -z "${1:-}" ] || [ "$_ppid" = "$1" ] || continue
    case $_rest in
      Z*) zombies=$((zombies + 1)) ;;
      *) live=$((live + 1)) ;;
    esac
  done
}
wait_quiet() {
  _n=0
  while :; do
    proc_scan "${1:-}"
    [ "$live" -eq 0 ] && [ "$zombies" -eq 0 ] && return 0
    [ "$_n" -lt 200 ] || return 0
    sleep 0.05
    _n=$((_n + 1))
  done
}
wait_gone() {
  _n=0
  for _p in $(cat "$1"); do
    while [ -e "/proc/$_p" ] && [ "$_n" -lt 200 ]; do
      sleep 0.05
      _n=$((_n + 1))
    done
  done
}
wait_stopped() {
  _n=0
  while [ "$_n" -lt 200 ]; do
    _line=
    read -r _line 2>/dev/null <"/proc/$1/stat" || return 0
    case ${_line##*) } in T*) return 0 ;; esac
    sleep 0.05
    _n=$((_n + 1))
  done
}
EOF
}

# As PID 1, run reaps the orphans the command leaves, while it runs and
# after it ended. The command double-forks five short sleeps and one
# process that ends at once, waits until their /proc entries are gone (a
# zombie keeps its entry), and counts the zombies in the namespace. A
# descendant that traps TERM lives on after the command: once run has
# TERMed what was left, it waits until it is the last process besides run,
# counts the zombies again, and exits; that is the namespace just before
# run ends. Without reaping, both counts stay above 0.
case_run_init_pid1_reap() {
  local out=$work/ns
  need_pidns
  mkdir "$out"
  write_init_lib
  cat >"$work/last.sh" <<'EOF'
. "$1/../init.sh"
out=$1
trap 'echo term >"$out/last.term"' TERM
sleep 30 &
echo ready >"$out/last.ready"
wait $!
wait
wait_quiet
echo "$live $zombies" >"$out/last.count"
EOF
  cat >"$work/cmd.sh" <<'EOF'
. "$1/../init.sh"
out=$1
for i in 1 2 3 4 5; do (sleep 0.2 & echo $! >>"$out/orphans"); done
(true & echo $! >>"$out/orphans")
(sh "$out/../last.sh" "$out" &)
wait_file "$out/last.ready"
wait_gone "$out/orphans"
proc_scan
echo "$zombies" >"$out/command.zombies"
exit 7
EOF
  as_pid1 --init --grace 60 -- sh "$work/cmd.sh" "$out"
  [ "$status" = 7 ] || fail "run --init as PID 1 exited $status, not 7:" \
    "$(cat "$work/err")"
  [ "$(wc -l <"$out/orphans")" -eq 6 ] || fail "not 6 orphans"
  [ "$(cat "$out/command.zombies")" = 0 ] ||
    fail "$(cat "$out/command.zombies") zombies in the namespace once the" \
      "orphans had ended"
  [ -e "$out/last.term" ] || fail "the last descendant got no TERM"
  [ "$(cat "$out/last.count")" = "0 0" ] ||
    fail "just before run ended, 'live zombies' was $(cat "$out/last.count")"
  # The grace is 60 s: run ended when the last descendant did.
  [ "$ms" -lt 30000 ] || fail "run waited ${ms}ms: the grace, not the event"
  note "PID 1: 6 orphans reaped; zombies 0 after they ended, 0 just" \
    "before run ended (${ms}ms, grace 60s)"
}

# As PID 1, when the command ends, a descendant that traps TERM and ends
# half a second later is waited for; one that ignores TERM is KILLed at the
# end of the grace: run takes about the grace, and the marker that it would
# write after 30 s never comes.
case_run_init_pid1_grace() {
  local out=$work/ns grace=2
  need_pidns
  mkdir "$out"
  write_init_lib
  cat >"$work/cmd.sh" <<'EOF'
. "$1/../init.sh"
out=$1
(
  trap 'sleep 0.5; echo done >"$out/trapper.done"; exit 0' TERM
  sleep 30 &
  echo ready >"$out/trapper.ready"
  wait
) &
(
  trap '' TERM
  echo ready >"$out/ignorer.ready"
  sleep 30
  echo late >"$out/ignorer.done"
) &
wait_file "$out/trapper.ready"
wait_file "$out/ignorer.ready"
exit 5
EOF
  as_pid1 --init --grace "$grace" -- sh "$work/cmd.sh" "$out"
  [ "$status" = 5 ] || fail "run --init exited $status, not 5:" \
    "$(cat "$work/err")"
  [ -e "$out/trapper.done" ] ||
    fail "run did not wait for the descendant that traps TERM"
  [ ! -e "$out/ignorer.done" ] || fail "the descendant that ignores TERM ran on"
  [ "$ms" -ge $((grace * 1000 - 20)) ] &&
    [ "$ms" -lt $((grace * 1000 + 4000)) ] ||
    fail "run --init --grace $grace took ${ms}ms"
  note "PID 1: TERM trapper waited for, TERM ignorer KILLed after" \
    "--grace $grace: ${ms}ms, status 5"
}

# As PID 1, run ends as the command ended. A namespace's init cannot die
# by a signal it sends itself, so there run exits with 128+N, which is what
# a shell sees either way.
case_run_init_pid1_status() {
  local usr1
  need_pidns
  as_pid1 --init -- sh -c 'exit 7'
  [ "$status" = 7 ] || fail "exit 7 as PID 1: $status"
  as_pid1 --init -- sh -c 'kill -TERM $$'
  [ "$status" = 143 ] || fail "killed by TERM, as PID 1: $status"
  as_pid1 --init -- sh -c 'kill -KILL $$'
  [ "$status" = 137 ] || fail "killed by KILL, as PID 1: $status"
  # With an orphan left, which the TERM at the end takes at once. The
  # status is run's own exit code, 128 + the number run knows the signal by
  # (the target's, under qemu-user).
  usr1=$(sysnum USR1)
  as_pid1 --init -- sh -c '(sleep 30 &); kill -USR1 $$'
  [ "$status" = $((128 + usr1)) ] ||
    fail "killed by USR1 with an orphan left, as PID 1: $status"
  [ "$ms" -lt 4000 ] || fail "the orphan's TERM took ${ms}ms"
  # run's own failures are still its own.
  as_pid1 --init no-such-command-here
  [ "$status" = 127 ] || fail "a missing command as PID 1: $status"
  note "PID 1: exit 7, TERM 143, KILL 137, USR1 $((128 + usr1)), 127"
}

# Not PID 1 (Linux): run is a child subreaper. The orphans of the command
# come to it and are reaped while it runs; a descendant that lives on
# looks, during the grace, at run's children: its own parent is run, and
# none of them is a zombie. A descendant that ignores TERM is KILLed after
# the grace. And run ends as the command ended.
case_run_init_subreaper() {
  local out=$work/sub pid t0 ms how p
  need_linux "a child subreaper is Linux's (PR_SET_CHILD_SUBREAPER)"
  if qemu_limit subreaper "run --init as a child subreaper"; then
    exit 77
  fi
  mkdir "$out"
  write_init_lib
  cat >"$work/watcher.sh" <<'EOF'
. "$1/../init.sh"
out=$1
run=$2
trap 'echo term >"$out/watcher.term"' TERM
sleep 30 &
echo ready >"$out/watcher.ready"
wait $!
wait
# The grace has begun: run's other children have ended. They must be
# gone, not zombies under run.
wait_quiet "$run"
read -r line <"/proc/$$/stat"
rest=${line##*) }
ppid=${rest#? }
echo "$zombies ${ppid%% *}" >"$out/watcher.count"
EOF
  cat >"$work/cmd.sh" <<'EOF'
. "$1/../init.sh"
out=$1
for i in 1 2 3; do (sleep 0.2 & echo $! >>"$out/orphans"); done
(sh "$out/../watcher.sh" "$out" "$PPID" & echo $! >>"$out/watcher.pid")
wait_file "$out/watcher.ready"
# The sleeps end while the command runs: their entries go once run has
# reaped them.
wait_gone "$out/orphans"
proc_scan "$PPID"
echo "$zombies" >"$out/command.zombies"
exit 7
EOF
  t0=$(now_ms)
  "$tool" run --init --grace 60 -- sh "$work/cmd.sh" "$out" \
    >"$work/run.out" 2>&1 &
  pid=$!
  reap "$pid"
  ms=$(($(now_ms) - t0))
  [ "$status" = 7 ] || fail "run --init exited $status: $(cat "$work/run.out")"
  [ "$(cat "$out/command.zombies")" = 0 ] ||
    fail "$(cat "$out/command.zombies") zombies under run once the orphans" \
      "had ended"
  [ -e "$out/watcher.term" ] || fail "the watcher got no TERM"
  [ "$(cat "$out/watcher.count")" = "0 $pid" ] ||
    fail "during the grace, 'zombies under run, the watcher's parent' was" \
      "'$(cat "$out/watcher.count")', expected '0 $pid'"
  [ "$ms" -lt 30000 ] || fail "run waited ${ms}ms: the grace, not the event"
  for p in $(cat "$out/orphans" "$out/watcher.pid"); do
    [ ! -e "/proc/$p" ] || fail "orphan $p is still there after run ended"
  done
  note "subreaper: 3 orphans reaped by run $pid while the command ran, the" \
    "watcher reparented to it; zombies under run 0 then and 0 during the" \
    "grace; ${ms}ms with --grace 60"

  # A descendant that ignores TERM is KILLed after the grace.
  cat >"$work/cmd.sh" <<'EOF'
. "$1/../init.sh"
out=$1
(
  trap '' TERM
  echo ready >"$out/ignorer.ready"
  sleep 30
  echo late >"$out/ignorer.done"
) &
echo $! >"$out/ignorer.pid"
wait_file "$out/ignorer.ready"
exit 0
EOF
  t0=$(now_ms)
  expect_status 0 "$tool" run --init --grace 1 -- sh "$work/cmd.sh" "$out"
  ms=$(($(now_ms) - t0))
  [ ! -e "$out/ignorer.done" ] || fail "the descendant that ignores TERM ran on"
  p=$(cat "$out/ignorer.pid")
  [ ! -e "/proc/$p" ] || fail "the TERM ignorer $p is still there"
  [ "$ms" -ge 980 ] && [ "$ms" -lt 5000 ] ||
    fail "run --init --grace 1 took ${ms}ms"
  note "subreaper: the TERM ignorer KILLed after --grace 1: ${ms}ms"

  # --grace 0: KILL at once, without TERM.
  cat >"$work/cmd.sh" <<'EOF'
. "$1/../init.sh"
out=$1
(
  trap 'echo term >"$out/zero.term"' TERM
  echo ready >"$out/zero.ready"
  sleep 30
) &
wait_file "$out/zero.ready"
exit 0
EOF
  t0=$(now_ms)
  expect_status 0 "$tool" run --init --grace 0 -- sh "$work/cmd.sh" "$out"
  ms=$(($(now_ms) - t0))
  [ ! -e "$out/zero.term" ] || fail "--grace 0 sent TERM"
  [ "$ms" -lt 4000 ] || fail "run --init --grace 0 took ${ms}ms"
  note "subreaper: --grace 0 KILLs at once: ${ms}ms"

  # A stopped descendant acts on the TERM (CONT follows it), and a signal
  # sent to run during the grace does not end run.
  cat >"$work/cmd.sh" <<'EOF'
. "$1/../init.sh"
out=$1
(
  me=$(sh -c 'echo $PPID')
  echo "$me" >"$out/stopped.pid"
  kill -STOP "$me"
) &
(
  trap 'echo term >"$out/slow.term"; sleep 1; echo done >"$out/slow.done"
    exit 0' TERM
  sleep 30 &
  echo ready >"$out/slow.ready"
  wait
) &
wait_file "$out/stopped.pid"
wait_stopped "$(cat "$out/stopped.pid")"
wait_file "$out/slow.ready"
exit 3
EOF
  t0=$(now_ms)
  "$tool" run --init --grace 60 -- sh "$work/cmd.sh" "$out" \
    >"$work/run.out" 2>&1 &
  pid=$!
  wait_for "$out/slow.term" '^term$'
  kill -TERM "$pid"
  reap "$pid"
  ms=$(($(now_ms) - t0))
  [ "$status" = 3 ] || fail "TERM to run during the grace: status $status," \
    "not the command's 3: $(cat "$work/run.out")"
  [ -e "$out/slow.done" ] || fail "run did not wait for the slow descendant"
  p=$(cat "$out/stopped.pid")
  [ ! -e "/proc/$p" ] || fail "the stopped descendant $p is still there"
  [ "$ms" -lt 30000 ] || fail "the stopped descendant waited for KILL: ${ms}ms"
  note "subreaper: a stopped descendant ended on TERM and CONT, TERM to run" \
    "during the grace kept back: status 3 after ${ms}ms"

  # The status: an exit code, or death by the same signal.
  expect_status 7 "$tool" run --init -- sh -c 'exit 7'
  how=$(how_ended "$tool" run --init -- sh -c '(sleep 30 &); kill -USR1 $$')
  [ "$how" = "signal $(kill -l USR1)" ] ||
    fail "killed by USR1 with an orphan left: run $how"
  expect_status 143 "$tool" run --init -- sh -c 'kill -TERM $$'
  note "subreaper: exit 7, death by USR1 and by TERM"
}
