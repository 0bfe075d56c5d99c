# shellcheck shell=bash
# cases_watch.sh: the tool's cases for sigport watch, run by tool.sh.

case_watch() {
  local line
  start_watch --count 3 USR1 USR2
  kill -USR1 "$watch_pid"
  wait_for "$work/watch.out" '^SIGUSR1 count=1 '
  kill -USR2 "$watch_pid"
  wait_for "$work/watch.out" '^SIGUSR2 count=1 '
  "$tool" send USR1 "$watch_pid"
  reap "$watch_pid"
  [ "$status" = 0 ] || fail "watch --count 3 exited $status"
  [ "$(wc -l <"$work/watch.out")" -eq 3 ] ||
    fail "not 3 lines: $(cat "$work/watch.out")"
  line=$(sed -n 1p "$work/watch.out")
  [[ "$line" =~ ^SIGUSR1\ count=1\ code=SI_USER\ pid=$$\ uid=$(id -u)$ ]] ||
    fail "first line '$line': not from pid $$"
  line=$(sed -n 3p "$work/watch.out")
  [[ "$line" =~ ^SIGUSR1\ count=1\ code=SI_USER\ pid=[0-9]+\ uid=[0-9]+$ ]] ||
    fail "third line: $line"
  note "watch --count 3: $(tr '\n' '|' <"$work/watch.out")"

  # The timeout: 124 when nothing came, 0 when something did.
  expect_status 124 "$tool" watch --timeout 0.3 USR1
  [ ! -s "$work/out" ] || fail "watch printed $(cat "$work/out")"
  start_watch --timeout 2 HUP
  kill -HUP "$watch_pid"
  reap "$watch_pid"
  [ "$status" = 0 ] || fail "watch --timeout with a delivery exited $status"
  grep -q '^SIGHUP count=1 ' "$work/watch.out" || fail "no SIGHUP line"
  note "watch --timeout: 124 without a signal, 0 with one"

  # An unwatched signal still does what it does: TERM ends the watcher.
  start_watch USR1
  kill -TERM "$watch_pid"
  reap "$watch_pid"
  [ "$status" = 143 ] || fail "TERM to watch gave $status"
}

case_watch_json() {
  local usr1 usr2
  need_python
  usr1=$(sysnum USR1)
  usr2=$(sysnum USR2)
  # SIGUSR1 by its number.
  start_watch --json --count 2 usr2 "$usr1"
  kill -USR2 "$watch_pid"
  wait_for "$work/watch.out" '"signal":"SIGUSR2"'
  "$tool" send SIGUSR1 "$watch_pid"
  reap "$watch_pid"
  [ "$status" = 0 ] || fail "watch --json exited $status"
  python3 -m json.tool --json-lines "$work/watch.out" >/dev/null ||
    fail "not JSON lines: $(cat "$work/watch.out")"
  while IFS= read -r line; do
    printf '%s\n' "$line" | python3 -m json.tool >/dev/null ||
      fail "line '$line'"
  done <"$work/watch.out"
  python3 - "$work/watch.out" "$$" "$(id -u)" "$usr1" "$usr2" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
usr1, usr2 = int(sys.argv[4]), int(sys.argv[5])
assert len(rows) == 2, rows
assert rows[0] == {"signal": "SIGUSR2", "signo": usr2, "count": 1, "code": 0,
                   "codename": "SI_USER", "pid": int(sys.argv[2]),
                   "uid": int(sys.argv[3])}, rows[0]
assert list(rows[0])[:2] == ["signal", "signo"], rows[0]
assert rows[1]["signal"] == "SIGUSR1" and rows[1]["signo"] == usr1, rows[1]
EOF
  note "watch --json: $(tr '\n' ' ' <"$work/watch.out")"
}

# The queue helper: sigqueue() with sival_int set (tests/queue.c).
queue_tool() {
  [ -n "${SIGPORT_TEST_QUEUE:-}" ] || fail "SIGPORT_TEST_QUEUE is not set"
  echo "$SIGPORT_TEST_QUEUE"
}

# expect_queued_lines FIRST LAST: the first lines of $work/watch.out are
# one a value FIRST..LAST of SIGRTMIN, in order, each one delivery sent
# with sigqueue() by this user.
expect_queued_lines() {
  local first=$1 last=$2 v line n=0 uid
  uid=$(id -u)
  while IFS= read -r line; do
    v=$((first + n))
    [[ "$line" =~ ^SIGRTMIN\ count=1\ code=SI_QUEUE\ pid=[0-9]+\ uid=$uid\ value=$v$ ]] ||
      fail "line $((n + 1)) is '$line', expected value=$v"
    n=$((n + 1))
    [ "$v" -lt "$last" ] || break
  done <"$work/watch.out"
  [ "$n" = $((last - first + 1)) ] ||
    fail "$n lines for values $first..$last: $(head -c 400 "$work/watch.out")"
}

# Under ThreadSanitizer, whose runtime keeps one pending delivery per
# signal, queued signals merge: what is left to check is that the values
# that came are some of those sent, in order, and the counts no more than
# sent. The watch then ends at a timeout, not at a count.
expect_queued_relaxed() {
  local sent=$1 prev=0 total=0 line v c
  while IFS= read -r line; do
    [[ "$line" =~ ^SIGRTMIN\ count=([0-9]+)\ code=SI_QUEUE\ .*\ value=([0-9]+)( lost=[0-9]+)?$ ]] ||
      fail "line '$line'"
    c=${BASH_REMATCH[1]}
    v=${BASH_REMATCH[2]}
    [ "$v" -gt "$prev" ] && [ "$v" -le "$sent" ] ||
      fail "value $v after $prev (sent 1..$sent)"
    prev=$v
    total=$((total + c))
  done <"$work/watch.out"
  [ "$total" -ge 1 ] && [ "$total" -le "$sent" ] ||
    fail "$total deliveries for $sent sent"
  note "relaxed ($SIGPORT_TEST_RELAXED): $total of $sent, in order"
}

# --queue: every sigqueue() delivery, with its value, in the order sent.
case_watch_queue() {
  local rt n=64 queue
  queue=$(queue_tool)
  rt=$(sysnum RTMIN)
  if [ -n "${SIGPORT_TEST_RELAXED:-}" ]; then
    start_watch --queue --timeout 3 RTMIN
    "$queue" "$watch_pid" "$rt" 1 "$n" || fail "the queue helper failed"
    reap "$watch_pid"
    [ "$status" = 0 ] || fail "watch --queue exited $status"
    expect_queued_relaxed "$n"
    return 0
  fi
  start_watch --queue --count "$n" RTMIN
  "$queue" "$watch_pid" "$rt" 1 "$n" || fail "the queue helper failed"
  reap "$watch_pid"
  [ "$status" = 0 ] || fail "watch --queue --count $n exited $status"
  [ "$(wc -l <"$work/watch.out")" -eq "$n" ] ||
    fail "not $n lines: $(head -c 400 "$work/watch.out")"
  expect_queued_lines 1 "$n"
  note "watch --queue: $n values of SIGRTMIN, each once, in order"

  # A signal sent with kill has no payload: value=0, and SI_USER.
  start_watch --queue --count 1 USR1
  kill -USR1 "$watch_pid"
  reap "$watch_pid"
  [ "$status" = 0 ] || fail "watch --queue USR1 exited $status"
  grep -qE "^SIGUSR1 count=1 code=SI_USER pid=$$ uid=$(id -u) value=0\$" \
    "$work/watch.out" || fail "USR1 line: $(cat "$work/watch.out")"
  note "watch --queue: a kill() shows value=0"
}

case_watch_queue_json() {
  local rt n=16 queue
  need_python
  queue=$(queue_tool)
  rt=$(sysnum RTMIN)
  if [ -n "${SIGPORT_TEST_RELAXED:-}" ]; then
    start_watch --queue --json --timeout 3 RTMIN
  else
    start_watch --queue --json --count "$n" RTMIN
  fi
  "$queue" "$watch_pid" "$rt" 101 $((100 + n)) || fail "the queue helper failed"
  reap "$watch_pid"
  [ "$status" = 0 ] || fail "watch --queue --json exited $status"
  python3 - "$work/watch.out" "$(id -u)" "$rt" "$n" \
    "${SIGPORT_TEST_RELAXED:-}" <<'EOF' || fail "$(cat "$work/watch.out")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
uid, rt, n = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
relaxed = sys.argv[5]
keys = {"signal", "signo", "count", "code", "codename", "pid", "uid",
        "value", "lost"}
for r in rows:
    assert set(r) == keys, r
    assert r["codename"] == "SI_QUEUE", r
    assert r["signal"] == "SIGRTMIN" and r["signo"] == rt, r
    assert r["uid"] == uid and r["pid"] > 0, r
    assert r["lost"] == r["count"] - 1, r
values = [r["value"] for r in rows]
if relaxed:
    assert values == sorted(set(values)) and 1 <= len(values) <= n, values
    assert all(101 <= v <= 100 + n for v in values), values
else:
    assert values == list(range(101, 101 + n)), values
    assert all(r["count"] == 1 for r in rows), rows
EOF
  note "watch --queue --json: value and lost on every line"
}

# wait_stopped PID: waits until the process is stopped (state T in
# /proc/PID/stat).
wait_stopped() {
  local pid=$1 i
  for ((i = 0; i < 400; i++)); do
    [ "$(sed -E 's/^.*\) (.).*$/\1/' "/proc/$pid/stat")" = T ] && return 0
    sleep 0.05
  done
  fail "process $pid did not stop"
}

# More deliveries than the ring holds (1024), all at once: the watcher is
# stopped while they are queued, and takes them all when it goes on. The
# first 1024 come one a line, the rest of the signal as one line whose
# count says how many, with the last one's value and lost=count-1.
case_watch_queue_overflow() {
  local rt n=1100 ring=1024 queue line
  need_linux "the watcher's stop is read from /proc/PID/stat"
  [ -z "${SIGPORT_TEST_RELAXED:-}" ] ||
    skip "queued signals merge under $SIGPORT_TEST_RELAXED: no overflow to make"
  case $(ulimit -i) in
    unlimited) ;;
    *)
      [ "$(ulimit -i)" -gt $((n + 100)) ] ||
        skip "ulimit -i is $(ulimit -i): $n queued signals do not fit"
      ;;
  esac
  queue=$(queue_tool)
  rt=$(sysnum RTMIN)
  start_watch --queue --count "$n" RTMIN
  kill -STOP "$watch_pid"
  wait_stopped "$watch_pid"
  "$queue" "$watch_pid" "$rt" 1 "$n" || fail "the queue helper failed"
  kill -CONT "$watch_pid"
  reap "$watch_pid"
  [ "$status" = 0 ] || fail "watch --queue --count $n exited $status"
  [ "$(wc -l <"$work/watch.out")" -eq $((ring + 1)) ] ||
    fail "$(wc -l <"$work/watch.out") lines, expected $((ring + 1))"
  expect_queued_lines 1 "$ring"
  line=$(tail -n 1 "$work/watch.out")
  [[ "$line" =~ ^SIGRTMIN\ count=$((n - ring))\ code=SI_QUEUE\ pid=[0-9]+\ uid=[0-9]+\ value=$n\ lost=$((n - ring - 1))$ ]] ||
    fail "the overflow line is '$line'"
  note "watch --queue: $ring values, then '$line'"
}

# Signals that cannot be caught: status 1, nothing watched, and which one.
case_watch_refused() {
  local sig name
  for sig in KILL SIGSTOP "$(sysnum KILL)"; do
    name=SIG${sig#SIG}
    [ "$sig" != "$(sysnum KILL)" ] || name=SIGKILL
    expect_status 1 "$tool" watch USR1 "$sig"
    expect_err_is "sigport: cannot watch $name: it cannot be caught"
    [ ! -s "$work/out" ] || fail "watch $sig printed $(cat "$work/out")"
  done
  note "watch: KILL and STOP refused"
}
