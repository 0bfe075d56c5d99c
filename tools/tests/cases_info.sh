# shellcheck shell=bash
# cases_info.sh: the tool's cases for version, help, list, info, send, mask and usage errors, run by tool.sh.

case_version() {
  expect_status 0 "$tool" --version
  expect_out '^sigport [0-9]+\.[0-9]+\.[0-9]+ \(backend posix\)$'
  [ "$(wc -l <"$work/out")" -eq 1 ] || fail "--version prints one line"
}

case_version_json() {
  local text
  need_python
  text=$("$tool" --version) || fail "--version failed"
  expect_status 0 "$tool" --version --json
  python3 - "$work/out" "$text" <<'EOF' || fail "--version --json: $(cat "$work/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"version", "backend"}, d
assert sys.argv[2] == "sigport %s (backend %s)" % (d["version"], d["backend"]), d
EOF
  note "--version --json: $(cat "$work/out")"
  expect_status 2 "$tool" --version --frob
  expect_err_is "sigport: --version: unexpected argument '--frob'"
}

case_help() {
  local cmd
  expect_status 0 "$tool" --help
  for cmd in list info send watch run mask; do
    expect_out "^  $cmd "
  done
  for cmd in list info send watch run mask; do
    expect_status 0 "$tool" "$cmd" --help
    expect_out "^Usage: sigport $cmd"
    cp "$work/out" "$work/help.$cmd"
    expect_status 0 "$tool" help "$cmd"
    cmp -s "$work/out" "$work/help.$cmd" ||
      fail "'help $cmd' differs from '$cmd --help'"
  done
  note "--help of every command"
}

# Every option the --help texts name is documented in sigport(1).
case_help_matches_man() {
  local man=${SIGPORT_MAN_PAGE:?} cmd opt
  [ -f "$man" ] || fail "no manual page at $man"
  for cmd in list info send watch run mask; do
    "$tool" "$cmd" --help >"$work/help"
    for opt in $(grep -oE -- '--[a-z][a-z-]+' "$work/help" | sort -u); do
      grep -qF -- "${opt//-/\\-}" "$man" ||
        fail "$cmd: $opt is not in sigport(1)"
    done
    grep -qF -- "sigport $cmd" "$man" || grep -qF -- ".B $cmd" "$man" ||
      grep -qE -- "^\.(SS|TP|B|BR) .*$cmd" "$man" ||
      fail "sigport(1) does not describe '$cmd'"
  done
  note "every option of --help is in sigport(1)"
}

case_list() {
  local n
  expect_status 0 "$tool" list
  expect_out '^  1  SIGHUP +terminate +catchable +Hangup$'
  expect_out '^  9  SIGKILL +terminate +uncatchable +Killed$'
  # Numbered as the system numbers them (SIGSTOP is 19 on x86 and ARM, 23
  # on MIPS, 17 on alpha and sparc).
  expect_out "^ *$(sysnum STOP)  SIGSTOP +stop +uncatchable "
  expect_out "^ *$(sysnum CHLD)  SIGCHLD +ignore +catchable "
  expect_out "^ *$(sysnum CONT)  SIGCONT +continue +catchable "
  expect_out '^  3  SIGQUIT +core +catchable '
  expect_out ' SIGRTMIN +terminate +catchable +Real-time signal 0$'
  expect_out ' SIGRTMAX +terminate +catchable '
  # glibc reserves 32 and 33 for itself: they are not signals sigport
  # offers.
  if grep -qE '^ 3[23]  ' "$work/out"; then fail "32 and 33 are listed"; fi
  n=$(wc -l <"$work/out")
  [ "$n" -ge 31 ] || fail "only $n signals listed"
  if [ -w /dev/full ]; then
    set +e
    "$tool" list >/dev/full 2>"$work/err"
    status=$?
    set -e
    [ "$status" = 1 ] || fail "list to /dev/full exited $status"
    expect_err_is \
      "sigport: cannot write to standard output: No space left on device"
  fi
  note "list: $n signals"
}

case_list_json() {
  need_python
  expect_status 0 "$tool" list --json
  python3 -m json.tool "$work/out" >/dev/null || fail "list --json is not JSON"
  "$tool" list | wc -l >"$work/count"
  python3 - "$work/out" "$(cat "$work/count")" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
assert isinstance(rows, list) and len(rows) == int(sys.argv[2]), len(rows)
for r in rows:
    assert set(r) == {"signal", "signo", "action", "catchable", "description"}, r
    assert r["action"] in ("terminate", "core", "ignore", "stop", "continue"), r
kill = [r for r in rows if r["signal"] == "SIGKILL"][0]
assert kill == {"signal": "SIGKILL", "signo": 9, "action": "terminate",
                "catchable": False, "description": "Killed"}, kill
# The keys come in one order, the signal first, as in info and watch.
assert list(rows[0])[:2] == ["signal", "signo"], rows[0]
EOF
  note "list --json: a JSON array with the same signals as list"
}

case_info() {
  local spelling first=""
  for spelling in TERM SIGTERM term sigterm 15; do
    expect_status 0 "$tool" info "$spelling"
    expect_out '^ 15  SIGTERM +terminate +catchable +Terminated$'
    [ -z "$first" ] && first=$(cat "$work/out")
    [ "$(cat "$work/out")" = "$first" ] || fail "info $spelling differs"
  done
  expect_status 0 "$tool" info KILL
  expect_out ' SIGKILL +terminate +uncatchable +Killed$'
  expect_status 0 "$tool" info rtmin+2
  expect_out '^ 36  SIGRTMIN\+2 +terminate +catchable +Real-time signal 2$'
  expect_status 0 "$tool" info -- 2
  expect_out ' SIGINT '
  if command -v python3 >/dev/null 2>&1; then
    expect_status 0 "$tool" info --json INT
    python3 - "$work/out" <<'EOF' || fail "info --json INT: $(cat "$work/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d == {"signal": "SIGINT", "signo": 2, "action": "terminate",
             "catchable": True, "description": "Interrupt"}, d
EOF
  fi
  note "info"
}

case_send() {
  local pid pid2
  # Signal 0: the process exists.
  expect_status 0 "$tool" send 0 $$
  [ ! -s "$work/out" ] && [ ! -s "$work/err" ] ||
    fail "send 0 printed something"
  expect_status 1 "$tool" send 0 "$no_such_pid"
  expect_err_is "sigport: cannot send signal 0 to $no_such_pid: No such process"
  # A real signal, to two processes; both die by it.
  start_sleeper
  pid=$job
  start_sleeper
  pid2=$job
  expect_status 0 "$tool" send TERM "$pid" "$pid2"
  reap "$pid"
  [ "$status" = 143 ] || fail "the first sleep ended with $status, not 143"
  reap "$pid2"
  [ "$status" = 143 ] || fail "the second sleep ended with $status, not 143"
  # One refusal among good sends: the good ones still go, status 1.
  start_sleeper
  pid=$job
  expect_status 1 "$tool" send sigusr1 "$no_such_pid" "$pid"
  expect_err_is "sigport: cannot send SIGUSR1 to $no_such_pid: No such process"
  reap "$pid"
  [ "$status" = 138 ] || fail "USR1 did not reach the second pid ($status)"
  note "send"
}

# A process group of its own: the leader and two children, each writing
# "USR1 PID" to FILE when USR1 comes; the leader prints "ready PID PID PID"
# once all three catch it.
group_program='
import os, select, signal, sys
out = sys.argv[1]
os.setpgid(0, 0)
def on_usr1(signum, frame):
    with open(out, "a") as f:
        f.write("USR1 %d\n" % os.getpid())
signal.signal(signal.SIGUSR1, on_usr1)
def sleep_for_ever():
    # On a wakeup fd, not in signal.pause(): a signal between the last
    # look for handlers to run and pause() would leave its handler unrun.
    wr, ww = os.pipe()
    os.set_blocking(ww, False)
    signal.set_wakeup_fd(ww, warn_on_full_buffer=False)
    while True:
        select.select([wr], [], [])
        os.read(wr, 512)
r, w = os.pipe()
kids = []
for _ in range(2):
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.write(w, b"x")
        sleep_for_ever()
    kids.append(pid)
os.close(w)
assert len(os.read(r, 1)) + len(os.read(r, 1)) == 2
print("ready", os.getpid(), *kids, flush=True)
sleep_for_ever()
'

# send -- -PGID reaches every member of a process group, and nothing
# outside it; a negative PID needs no --.
case_send_group() {
  local pgid members sleeper got="" p
  need_python
  trap 'got=USR1' USR1
  start_sleeper
  sleeper=$job
  start_job "$work/group.out" python3 -c "$group_program" "$work/got"
  pgid=$job
  wait_for "$work/group.out" "^ready $pgid [0-9]+ [0-9]+\$"
  members=$(sed -n 's/^ready //p' "$work/group.out")
  expect_status 0 "$tool" send USR1 -- "-$pgid"
  [ ! -s "$work/out" ] && [ ! -s "$work/err" ] ||
    fail "send printed something: $(cat "$work/out" "$work/err")"
  for p in $members; do wait_for "$work/got" "^USR1 $p\$"; done
  [ "$(wc -l <"$work/got")" -eq 3 ] ||
    fail "not one USR1 per member: $(cat "$work/got")"
  # Without --, the whole group ends.
  expect_status 0 "$tool" send TERM "-$pgid"
  reap "$pgid"
  [ "$status" = 143 ] || fail "the group's leader ended with $status"
  for p in $members; do wait_gone "$p"; done
  # The shell's group got nothing: had USR1 reached the sleeper, it would
  # have ended it before this TERM (the lower number goes first).
  kill -TERM "$sleeper"
  reap "$sleeper"
  [ "$status" = 143 ] || fail "the sleeper outside the group ended with $status"
  trap - USR1
  [ -z "$got" ] || fail "USR1 reached the test's shell"
  expect_status 1 "$tool" send TERM -- "-$no_such_pid"
  expect_err_is \
    "sigport: cannot send SIGTERM to process group $no_such_pid: No such process"
  note "send -- -$pgid: USR1 to $members and to no one else"
}

# What the system refuses to an unprivileged user, said as such: a process
# and a process group of root's, to someone else (signal 0 for the group,
# which would reach the tool itself if it were in it).
case_send_refused() {
  local as=() pid pgid members p
  need_linux "setpriv and /proc/1 are Linux's"
  if [ "$(id -u)" != 0 ]; then
    [ "$(stat -c %u /proc/1)" != "$(id -u)" ] ||
      skip "PID 1 is this user's: no process to be refused"
    expect_status 1 "$tool" send 0 1
    expect_err_is "sigport: cannot send signal 0 to 1: Operation not permitted"
    note "send: EPERM for PID 1 (not root: no group of someone else's)"
    return 0
  fi
  need_python
  command -v setpriv >/dev/null || skip "no setpriv to leave root"
  as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  "${as[@]}" "$tool" --version >/dev/null 2>&1 ||
    skip "user 65534 cannot run $tool"
  start_sleeper
  pid=$job
  start_job "$work/group.out" python3 -c "$group_program" "$work/got"
  pgid=$job
  wait_for "$work/group.out" "^ready $pgid "
  expect_status 1 "${as[@]}" "$tool" send TERM "$pid"
  expect_err_is "sigport: cannot send SIGTERM to $pid: Operation not permitted"
  expect_status 1 "${as[@]}" "$tool" send 0 -- "-$pgid"
  expect_err_is \
    "sigport: cannot send signal 0 to process group $pgid: Operation not permitted"
  kill -0 "$pid" || fail "the refused TERM ended $pid"
  # The group's two children are no jobs of this shell, which the cleanup
  # would end: the whole group goes here.
  members=$(sed -n 's/^ready //p' "$work/group.out")
  kill -KILL -- "-$pgid"
  reap "$pgid"
  for p in $members; do wait_gone "$p"; done
  note "send as user 65534: EPERM for a process and a group of root's"
}

# start_perl_state: starts perl with a known signal state, USR2 blocked
# and pending, HUP caught and URG ignored, and sets $job to its pid.
start_perl_state() {
  start_job "$work/perl.out" perl -MPOSIX -e '
    sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGUSR2));
    $SIG{HUP} = sub {}; $SIG{URG} = "IGNORE";
    $| = 1; print "ready\n"; sleep 30;'
  wait_for "$work/perl.out" '^ready$'
  kill -USR2 "$job"
}

case_mask() {
  local pid usr2
  need_linux "mask decodes /proc/PID/status only on Linux"
  (
    trap '' USR1
    "$tool" mask >"$work/out" 2>"$work/err"
  ) || fail "mask failed"
  expect_out '^pid [0-9]+ \(sigport\)$'
  expect_out '^SigPnd pending: '
  expect_out '^ShdPnd shared: '
  expect_out '^SigBlk blocked: '
  if ! qemu_limit proc-status "the tool's own SIGUSR1, ignored"; then
    expect_out '^SigIgn ignored: .*SIGUSR1'
  fi
  expect_out '^SigCgt caught: '

  # Another process: perl blocks USR2, traps HUP and ignores URG.
  start_perl_state
  pid=$job
  expect_status 0 "$tool" mask "$pid"
  expect_out "^pid $pid \\(perl\\)$"
  # perl is the shell's program, with the shell's numbers (host_signame).
  usr2=$(host_signame USR2)
  expect_out "^SigBlk blocked: +$usr2\$"
  expect_out "^ShdPnd shared: +$usr2\$"
  expect_out "^SigIgn ignored: .*$(host_signame URG)( |\$)"
  expect_out "^SigCgt caught: .*$(host_signame HUP)( |\$)"

  # A watcher's handlers show as caught.
  start_watch USR1 WINCH
  expect_status 0 "$tool" mask "$watch_pid"
  if ! qemu_limit proc-status "a watcher's handlers, caught"; then
    expect_out '^SigCgt caught: .*SIGUSR1.*SIGWINCH'
  fi
  note "mask: $(tr '\n' '|' <"$work/out")"

  expect_status 1 "$tool" mask "$no_such_pid"
  expect_err_is \
    "sigport: cannot read the signal state of process $no_such_pid: No such process"
  [ ! -s "$work/out" ] || fail "mask printed $(cat "$work/out")"
}

# mask --json gives the rows of the text, each signal as in list --json.
case_mask_json() {
  local pid
  need_linux "mask decodes /proc/PID/status only on Linux"
  need_python
  start_perl_state
  pid=$job
  expect_status 0 "$tool" mask "$pid"
  cp "$work/out" "$work/text"
  expect_status 0 "$tool" mask --json "$pid"
  python3 - "$work/out" "$work/text" "$pid" "$(host_signame USR2)" \
    "$(host_signame URG)" "$(host_signame HUP)" <<'EOF' ||
import json, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read().splitlines()
pid, usr2, urg, hup = int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
keys = ["pending", "shared", "blocked", "ignored", "caught"]
assert list(d) == ["pid", "name", "view"] + keys, d
assert d["pid"] == pid and d["name"] == "perl" and d["view"] == "proc", d
# Each row holds what the text's row holds, in the same order.
for key, line in zip(keys, text[1:]):
    names = line.split(":", 1)[1].split()
    got = [s["signal"] for s in d[key]]
    assert got == ([] if names == ["-"] else names), (key, got, line)
    for s in d[key]:
        assert set(s) == {"signal", "signo"} and s["signo"] > 0, s
assert [s["signal"] for s in d["blocked"]] == [usr2], d["blocked"]
assert [s["signal"] for s in d["shared"]] == [usr2], d["shared"]
assert urg in [s["signal"] for s in d["ignored"]], d["ignored"]
assert hup in [s["signal"] for s in d["caught"]], d["caught"]
EOF
    fail "mask --json $pid: $(cat "$work/out")"
  note "mask --json: $(cat "$work/out")"
  kill -KILL "$pid"
  reap "$pid"
  expect_status 1 "$tool" mask --json "$no_such_pid"
  [ ! -s "$work/out" ] || fail "mask --json printed $(cat "$work/out")"
}

case_usage() {
  expect_status 2 "$tool"
  expect_err_is "sigport: missing command (try 'sigport --help')"
  expect_status 2 "$tool" frobnicate
  expect_err_is "sigport: unknown command 'frobnicate'"
  expect_status 2 "$tool" info FOO
  expect_err_is "sigport: unknown signal 'FOO'"
  expect_status 2 "$tool" info
  expect_err_is "sigport: info: missing SIGNAL"
  expect_status 2 "$tool" info 0
  expect_err_is "sigport: invalid signal '0': 0 is not a signal"
  expect_status 2 "$tool" list --bogus
  expect_err_is "sigport: list: unknown option '--bogus'"
  expect_status 2 "$tool" send FOO 1
  expect_err_is "sigport: unknown signal 'FOO'"
  expect_status 2 "$tool" send TERM
  expect_err_is "sigport: send: missing PID"
  expect_status 2 "$tool" send TERM 12x
  expect_err_is "sigport: invalid pid '12x'"
  expect_status 2 "$tool" send --
  expect_err_is "sigport: send: missing SIGNAL"
  expect_status 2 "$tool" send TERM -x 1
  expect_err_is "sigport: send: unknown option '-x'"
  expect_status 2 "$tool" send TERM --now 1
  expect_err_is "sigport: send: unknown option '--now'"
  expect_status 2 "$tool" send TERM 1 -- 2
  expect_err_is "sigport: invalid pid '--'"
  expect_status 2 "$tool" send TERM -- --now
  expect_err_is "sigport: invalid pid '--now'"
  expect_status 2 "$tool" watch
  expect_err_is "sigport: watch: missing SIGNAL"
  expect_status 2 "$tool" watch USR1 NOPE
  expect_err_is "sigport: unknown signal 'NOPE'"
  expect_status 2 "$tool" watch --count 0 USR1
  expect_err_is "sigport: invalid count '0' for --count"
  expect_status 2 "$tool" watch --count many USR1
  expect_err_is "sigport: invalid count 'many' for --count"
  expect_status 2 "$tool" watch --timeout -1 USR1
  expect_err_is "sigport: invalid time '-1' for --timeout"
  expect_status 2 "$tool" watch --timeout=soon USR1
  expect_err_is "sigport: invalid time 'soon' for --timeout"
  expect_status 2 "$tool" watch --timeout nan USR1
  expect_err_is "sigport: invalid time 'nan' for --timeout"
  expect_status 2 "$tool" watch --timeout
  expect_err_is "sigport: option '--timeout' needs a value"
  expect_status 2 "$tool" watch --queue=1 USR1
  expect_err_is "sigport: watch: unknown option '--queue=1'"
  expect_status 125 "$tool" run
  expect_err_is "sigport: run: missing COMMAND"
  expect_status 125 "$tool" run --timeout 1
  expect_err_is "sigport: run: missing COMMAND"
  expect_status 125 "$tool" run --timeout x true
  expect_err_is "sigport: invalid time 'x' for --timeout"
  expect_status 125 "$tool" run --kill-after -2 true
  expect_err_is "sigport: invalid time '-2' for --kill-after"
  expect_status 125 "$tool" run --signal BOGUS true
  expect_err_is "sigport: unknown signal 'BOGUS'"
  expect_status 125 "$tool" run --forward INT,FOO true
  expect_err_is "sigport: unknown signal 'FOO'"
  expect_status 125 "$tool" run --forward INT,KILL true
  expect_err_is "sigport: cannot forward 'KILL': SIGKILL cannot be caught"
  expect_status 125 "$tool" run --grace 1 true
  expect_err_is "sigport: run: --grace applies only with --init"
  expect_status 125 "$tool" run --init --grace x true
  expect_err_is "sigport: invalid time 'x' for --grace"
  expect_status 125 "$tool" run --frob true
  expect_err_is "sigport: run: unknown option '--frob'"
  expect_status 2 "$tool" mask abc
  expect_err_is "sigport: invalid pid 'abc'"
  # The system refuses: status 1, and what could not be done.
  expect_status 1 "$tool" watch KILL
  expect_err_is "sigport: cannot watch SIGKILL: it cannot be caught"
  note "usage errors: status 2 (125 for run) and one line naming the value"
}

# Every number of the command line is read one way: an optional '-' and
# decimal digits. What strtol() would also take (a '+', white space) and
# anything else is refused, the word quoted, before anything is sent.
case_numbers() {
  local pid form
  start_sleeper
  pid=$job
  for form in "+$pid" " $pid" "$pid " "	$pid" "0x$pid" "$pid.0" "${pid}e0" \
    "" "-" "+" "- $pid" "$pid-" "2147483648" "-2147483648" \
    "99999999999999999999"; do
    expect_status 2 "$tool" send TERM "$form"
    expect_err_is "sigport: invalid pid '$form'"
  done
  # One bad PID among good ones: nothing goes out.
  expect_status 2 "$tool" send TERM "$pid" "+$pid"
  expect_err_is "sigport: invalid pid '+$pid'"
  kill -0 "$pid" || fail "a refused command line signalled $pid"
  # Leading zeros are digits too.
  expect_status 0 "$tool" send 0 "00$pid"
  for form in "+1" " 1" "1 " "" "0x1" "1.0" "+0"; do
    expect_status 2 "$tool" mask "$form"
    expect_err_is "sigport: invalid pid '$form'"
  done
  for form in "+3" " 3" "3 " "" "0x3" "3.0" "1e1"; do
    expect_status 2 "$tool" watch --count "$form" USR1
    expect_err_is "sigport: invalid count '$form' for --count"
    expect_status 2 "$tool" watch "--count=$form" USR1
    expect_err_is "sigport: invalid count '$form' for --count"
  done
  # A signal given as a number: digits only.
  for form in "+15" " 15" "15 " "	15" "" "-15" "0x0f" "15.0" "+0"; do
    expect_status 2 "$tool" info "$form"
    expect_err_is "sigport: unknown signal '$form'"
    expect_status 2 "$tool" send "$form" "$pid"
    expect_err_is "sigport: unknown signal '$form'"
    expect_status 2 "$tool" watch "$form"
    expect_err_is "sigport: unknown signal '$form'"
  done
  expect_status 0 "$tool" info 015
  expect_out '^ 15  SIGTERM '
  kill -0 "$pid" || fail "a refused signal reached $pid"
  kill -TERM "$pid"
  reap "$pid"
  [ "$status" = 143 ] || fail "the sleeper ended with $status, not 143"
  note "numbers: '+', white space and other forms refused everywhere"
}

# The C library's reserved real-time signals (32 and 33 with glibc, 32 to
# 34 with musl: from 32 up to its SIGRTMIN) are named as such.
case_reserved_signal() {
  local n rtmin
  need_linux "the reserved signals are the C library's on Linux"
  rtmin=$(sysnum RTMIN)
  [ "$rtmin" -gt 32 ] || fail "SIGRTMIN is $rtmin: no reserved signal"
  for ((n = 32; n < rtmin; n++)); do
    expect_status 2 "$tool" info "$n"
    expect_err_is "sigport: signal $n is reserved by the C library"
    expect_status 2 "$tool" watch USR1 "$n"
    expect_err_is "sigport: signal $n is reserved by the C library"
    expect_status 2 "$tool" send "$n" $$
    expect_err_is "sigport: signal $n is reserved by the C library"
  done
  expect_status 2 "$tool" info 999
  expect_err_is "sigport: unknown signal '999'"
  note "reserved: 32 to $((rtmin - 1))"
}
