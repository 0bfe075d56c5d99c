#!/usr/bin/env bash
# ci/musl.sh: a smoke test of sigport on musl instead of glibc.
#
# It builds the library, the examples and the tool in build/musl with
# musl-gcc (cmake/toolchains/musl-gcc.cmake), static, Release, with the
# project's warnings as errors, and without the Check suites: Debian's
# Check is built for glibc and does not link with musl. It then checks
# that every program is a static musl executable, so that a build that
# fell back to glibc fails here, and runs against the musl programs:
#   - the examples' own test script, examples/tests/examples.sh, for each
#     example, as CTest runs it;
#   - the tool's basic commands, with musl's signal numbers (SIGRTMIN 35);
#   - every case of the tool's test script, tools/tests/tool.sh, except
#     `info`, which asserts glibc's numbering of the real-time signals.
#
# Needs musl-gcc (Debian: musl-tools), cmake, ninja, readelf, python3 and
# perl; ci/test installs them. Exit status 0 when everything passed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=$root/build/musl
export LC_ALL=C.UTF-8
start=$SECONDS

die() {
  echo "musl: FAIL: $*" >&2
  exit 1
}

command -v musl-gcc >/dev/null || die "musl-gcc not found (Debian: apt-get install musl-tools)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ------------------------------------------------------------ build
echo "musl: == build =="
rm -rf "$build"
cmake -S . -B "$build" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/musl-gcc.cmake" \
  -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_TESTING=OFF \
  -DSIGPORT_WERROR=ON \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
cmake --build "$build" --parallel 2

# The shell tests' own helper programs (CTest builds them, with the
# tests): sigqueue() for watch --queue, and the C library's signal numbers.
for helper in queue signums; do
  musl-gcc -static -std=c11 -Wall -Wextra -Wpedantic -Werror -O2 \
    "tools/tests/$helper.c" -o "$build/test-$helper" ||
    die "tools/tests/$helper.c does not build with musl-gcc"
done

# Every file was compiled by musl-gcc with the warnings and -Werror.
python3 - "$build/compile_commands.json" <<'EOF'
import json, os, shlex, sys
commands = json.load(open(sys.argv[1]))
want = ("-Wall", "-Wextra", "-Wpedantic", "-Werror")
bad = []
for c in commands:
    args = shlex.split(c["command"])
    if os.path.basename(args[0]) != "musl-gcc" or not all(w in args for w in want):
        bad.append(c["file"])
if not commands or bad:
    sys.exit("musl: FAIL: not compiled by musl-gcc with %s: %s" % (" ".join(want), bad or "no files"))
print("musl: %d files compiled by musl-gcc with %s" % (len(commands), " ".join(want)))
EOF

# ------------------------------------------------------------ static musl
tool=$build/tools/sigport
mapfile -t examples < <(sed -n 's/^example_\([a-z_]*\)() {$/\1/p' examples/tests/examples.sh)
mapfile -t cases < <(cat tools/tests/cases_*.sh | sed -n 's/^case_\([a-z0-9_]*\)() {$/\1/p')
if [ "${#examples[@]}" = 0 ] || [ "${#cases[@]}" = 0 ]; then
  die "no examples or tool cases found"
fi

# static_musl EXE: no program interpreter, no dynamic section, nothing of
# glibc (whose static programs carry GLIBC_ strings).
static_musl() {
  local exe=$1 headers dynamic
  [ -x "$exe" ] || die "$exe was not built"
  headers=$(readelf -lW "$exe") || die "$exe: not an ELF file"
  dynamic=$(readelf -dW "$exe")
  [[ $headers != *INTERP* ]] || die "$exe has a program interpreter: it is not static"
  [[ $dynamic == *"no dynamic section"* ]] || die "$exe has a dynamic section: it is not static"
  if grep -qa GLIBC "$exe"; then die "$exe contains glibc"; fi
}
static_musl "$tool"
for e in "${examples[@]}"; do static_musl "$build/examples/$e"; done
echo "musl: the tool and ${#examples[@]} examples are static, with no glibc"

# ------------------------------------------------------------ tool
echo "musl: == tool =="
# expect WANT-STATUS REGEX COMMAND...: the status, and a line of the
# output (stdout and stderr, in $work/out) that matches REGEX, if any.
expect() {
  local want=$1 re=$2 rc=0
  shift 2
  # The outer redirection keeps bash's own "Terminated" notice out.
  { "$@" >"$work/out" 2>&1; } 2>/dev/null || rc=$?
  [ "$rc" = "$want" ] || die "'$*' exited $rc, expected $want: $(cat "$work/out")"
  [ -z "$re" ] || grep -qE -- "$re" "$work/out" ||
    die "'$*': no line matches /$re/: $(cat "$work/out")"
}

expect 0 '^sigport [0-9]+\.[0-9]+\.[0-9]+ \(backend posix\)$' "$tool" --version
# musl reserves 32 to 34: 31 standard signals and SIGRTMIN (35) to SIGRTMAX
# (64). glibc's SIGRTMIN is 34, so this also tells musl from glibc.
expect 0 '^ 35  SIGRTMIN +terminate +catchable +Real-time signal 0$' "$tool" info rtmin
expect 0 '^ 37  SIGRTMIN\+2 +terminate +catchable +Real-time signal 2$' "$tool" info rtmin+2
expect 0 '^ 64  SIGRTMAX +terminate +catchable ' "$tool" info rtmax
expect 2 "^sigport: signal 34 is reserved by the C library$" "$tool" info 34
expect 0 '^  2  SIGINT +terminate +catchable +Interrupt$' "$tool" info INT
expect 0 '^ 15  SIGTERM ' "$tool" info 15
expect 0 '^  9  SIGKILL +terminate +uncatchable +Killed$' "$tool" list
n=$(wc -l <"$work/out")
[ "$n" = 61 ] || die "list: $n signals, expected 61 (1 to 31, 35 to 64)"
if grep -qE '^ 3[234]  ' "$work/out"; then die "list shows a signal musl reserves"; fi
expect 0 '' "$tool" send 0 $$
[ ! -s "$work/out" ] || die "send 0 printed $(cat "$work/out")"
expect 1 '^sigport: cannot send signal 0 to 2147483646: No such process$' "$tool" send 0 2147483646
t0=$(date +%s%N)
expect 124 '' "$tool" run --timeout 1 -- sleep 5
ms=$((($(date +%s%N) - t0) / 1000000))
if [ "$ms" -lt 900 ] || [ "$ms" -ge 4000 ]; then
  die "run --timeout 1 -- sleep 5 took ${ms} ms"
fi
expect 3 '' "$tool" run -- sh -c 'exit 3'
expect 143 '' "$tool" run -- sh -c 'kill -TERM $$'
echo "musl: tool: --version, list (61 signals), info (SIGRTMIN 35), send," \
  "run --timeout 1 -- sleep 5 (124 after ${ms} ms), run's exit statuses"

# ------------------------------------------------------------ shell tests
passed=0
skipped=()
failed=()
# shell_test NAME SCRIPT ARGS...: one test script's case, as CTest runs
# it (status 77 is a skip), with its output in a file: a test's background
# children may keep a pipe open after it ends.
shell_test() {
  local name=$1 t0=$SECONDS rc=0 log=$work/$1.log
  shift
  SIGPORT_MAN_PAGE=$root/man/sigport.1 \
    SIGPORT_TEST_QUEUE=$build/test-queue \
    SIGPORT_TEST_SIGNUMS=$build/test-signums SIGPORT_TEST_OTHER_LIBC=musl \
    timeout --kill-after=10 120 bash "$@" </dev/null >"$log" 2>&1 || rc=$?
  case $rc in
    0)
      passed=$((passed + 1))
      echo "musl: $name: passed in $((SECONDS - t0)) s"
      sed -n 's/^ok: /    /p' "$log"
      ;;
    77)
      skipped+=("$name")
      echo "musl: $name: $(grep -m 1 '^SKIPPED' "$log" || echo skipped)"
      ;;
    *)
      failed+=("$name")
      echo "musl: $name: FAILED (status $rc)"
      sed 's/^/    /' "$log"
      ;;
  esac
}

echo "musl: == examples (examples/tests/examples.sh) =="
for e in "${examples[@]}"; do
  shell_test "example_$e" examples/tests/examples.sh "$build/examples/$e" "$e"
done

echo "musl: == tool cases (tools/tests/tool.sh) =="
for c in "${cases[@]}"; do
  # tool.sh's info case expects SIGRTMIN+2 to be 36, glibc's number; the
  # musl numbers are checked above.
  [ "$c" = info ] && continue
  shell_test "tool_$c" tools/tests/tool.sh "$tool" "$c"
done

echo "musl: $passed passed, ${#failed[@]} failed, ${#skipped[@]} skipped" \
  "in $((SECONDS - start)) s$([ "${#skipped[@]}" = 0 ] || echo " (skipped: ${skipped[*]})")"
[ "${#failed[@]}" = 0 ] || die "failed: ${failed[*]}"
