#!/usr/bin/env bash
# ci/fuzz.sh: the fuzz targets of fuzz/, built with clang's libFuzzer,
# AddressSanitizer and UndefinedBehaviorSanitizer, run for a bounded time.
#
#   ci/fuzz.sh                            30 s of fuzzing per target
#   SIGPORT_FUZZ_SECONDS=600 ci/fuzz.sh   longer; 0 only replays the corpora
#
# Steps:
#   1. build: each target with clang and libFuzzer; each target again with
#      gcc and fuzz/standalone.c instead of libFuzzer (warnings are errors
#      in both); and fuzz/fuzz_planted.c, a target with a planted bug;
#   2. proof: fuzzing must find the planted bug, and this script's check
#      must see it as a crash;
#   3. replay: every seed in fuzz/corpus/<target>/ runs through both builds;
#   4. fuzz: the targets run side by side, each for SIGPORT_FUZZ_SECONDS on
#      a copy of its seed corpus in a temporary directory, so the
#      repository is not changed.
#
# Other knobs:
#   SIGPORT_FUZZ_TARGETS   the targets to run (default "signum cli")
#   SIGPORT_FUZZ_DIR       where the programs and crash inputs go
#                          (default build/fuzz)
#
# A crash, a leak, a sanitizer report, a hang (10 s on one input) or a
# broken invariant fails the script: it prints the report, the path of the
# input and the command that replays it. Exit status 0 when every step
# passed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
start=$SECONDS

seconds=${SIGPORT_FUZZ_SECONDS:-30}
targets=${SIGPORT_FUZZ_TARGETS:-signum cli}
out=${SIGPORT_FUZZ_DIR:-$root/build/fuzz}
case $seconds in
  '' | *[!0-9]*) echo "fuzz: SIGPORT_FUZZ_SECONDS='$seconds': a whole number of seconds" >&2; exit 2 ;;
esac
for t in $targets; do
  if [ ! -f "fuzz/fuzz_$t.c" ] || [ ! -d "fuzz/corpus/$t" ]; then
    echo "fuzz: unknown target '$t' (no fuzz/fuzz_$t.c or fuzz/corpus/$t/)" >&2
    exit 2
  fi
done

# ------------------------------------------------------------ packages
# clang's fuzzer runtime comes with libclang-rt-14-dev, which clang only
# recommends.
packages=(clang libclang-rt-14-dev gcc libc6-dev)
if command -v dpkg-query >/dev/null; then
  # shellcheck source=ci/packages.sh
  . ci/packages.sh
  ci_install fuzz "${packages[@]}"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out/crashes"

# ------------------------------------------------------------ build
warnings=(-Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror)
common=(-std=c11 -g -O1 "${warnings[@]}" -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
        -Iinclude -Isrc -Itools)
sanitize=("-fsanitize=address,undefined" -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
lib_sources=(src/*.c src/posix/*.c)
# What each target needs beside the library.
extra_sources() {
  case $1 in
    cli) echo tools/cli.c ;;
    *) ;;
  esac
}

# build_lib CC DIR FLAGS...: the library's objects in DIR.
build_lib() {
  local cc=$1 dir=$2 src
  shift 2
  mkdir -p "$dir"
  for src in "${lib_sources[@]}"; do
    # src/child.c and src/posix/child.c: the directory is in the name.
    "$cc" "${common[@]}" "$@" -c "$src" \
      -o "$dir/$(basename "$(dirname "$src")")_$(basename "$src" .c).o" || return 1
  done
}

t0=$SECONDS
# The gcc build goes on beside the clang one.
(
  build_lib gcc "$out/gcc/lib" "${sanitize[@]}" || exit 1
  for t in $targets; do
    # shellcheck disable=SC2046
    gcc "${common[@]}" "${sanitize[@]}" fuzz/standalone.c "fuzz/fuzz_$t.c" \
      $(extra_sources "$t") "$out"/gcc/lib/*.o -pthread -o "$out/gcc/fuzz_$t" || exit 1
  done
) >"$work/gcc.log" 2>&1 &
gcc_pid=$!
clang_ok=1
(
  build_lib clang "$out/clang/lib" "${sanitize[@]}" -fsanitize=fuzzer-no-link || exit 1
  for t in $targets planted; do
    # shellcheck disable=SC2046
    clang "${common[@]}" "${sanitize[@]}" -fsanitize=fuzzer "fuzz/fuzz_$t.c" \
      $(extra_sources "$t") "$out"/clang/lib/*.o -pthread -o "$out/fuzz_$t" || exit 1
  done
) >"$work/clang.log" 2>&1 || clang_ok=0
gcc_ok=1
wait "$gcc_pid" || gcc_ok=0
if [ "$clang_ok" = 0 ] || [ "$gcc_ok" = 0 ]; then
  [ "$clang_ok" = 0 ] && { echo "fuzz: the clang build failed:"; cat "$work/clang.log"; }
  [ "$gcc_ok" = 0 ] && { echo "fuzz: the gcc build failed:"; cat "$work/gcc.log"; }
  echo "fuzz: (clang's fuzzer runtime is in libclang-rt-14-dev)"
  exit 1
fi
echo "fuzz: built $targets with clang (libFuzzer) and gcc (standalone) in $((SECONDS - t0)) s"

# ------------------------------------------------------------ running
failed=0
done_steps=() # for the last line

# report TARGET LOG: says why a run of TARGET failed, from its log.
report() {
  local t=$1 log=$2 artifact
  echo "fuzz: $t FAILED; the end of its log:"
  grep -v '^INFO:' "$log" | tail -n 40 | sed 's/^/  | /'
  # Fuzzing writes the input it crashed on; a replay names the seed.
  artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
  [ -n "$artifact" ] || artifact=$(sed -n 's/^Running: \(.*\)$/\1/p' "$log" | tail -n 1)
  if [ -n "$artifact" ] && [ -f "$artifact" ]; then
    echo "fuzz: $t: crashing input: $artifact"
    echo "fuzz: $t: replay it with: $out/fuzz_$t $artifact"
  fi
}

# fuzz_run TARGET BINARY CORPUS SECONDS LOG: fuzzes, with the target's
# dictionary if it has one. Returns libFuzzer's status.
fuzz_run() {
  local t=$1 bin=$2 corpus=$3 secs=$4 log=$5 dict=()
  [ -f "fuzz/$t.dict" ] && dict=(-dict="fuzz/$t.dict")
  "$bin" "${dict[@]}" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$out/crashes/$t-" "$corpus" >"$log" 2>&1
}

# final_stat NAME LOG: a number of libFuzzer's final statistics.
final_stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }

# --- proof: fuzzing finds the planted bug, and a crash is a failure here.
t0=$SECONDS
mkdir -p "$work/planted"
cp fuzz/corpus/signum/* "$work/planted/"
rm -f "$out"/crashes/planted-*
if fuzz_run planted "$out/fuzz_planted" "$work/planted" 30 "$work/planted.log"; then
  echo "fuzz: proof FAILED: 30 s of fuzzing did not find the planted bug"
  failed=1
elif ! grep -q 'AddressSanitizer: heap-buffer-overflow' "$work/planted.log" ||
     ! artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$work/planted.log") ||
     [ ! -f "$artifact" ]; then
  echo "fuzz: proof FAILED: the planted bug crashed without the expected report"
  grep -v '^INFO:' "$work/planted.log" | tail -n 20 | sed 's/^/  | /'
  failed=1
elif "$out/fuzz_planted" "$artifact" >"$work/planted-replay.log" 2>&1; then
  echo "fuzz: proof FAILED: the planted bug's input $artifact does not crash again"
  failed=1
else
  echo "fuzz: proof: fuzzing found the planted bug with input '$(tr -c '[:print:]' '?' <"$artifact")' after $(final_stat number_of_executed_units "$work/planted.log") runs, in $((SECONDS - t0)) s"
  rm -f "$artifact"
  done_steps+=("planted bug found")
fi

# --- replay: the seed corpora, through both builds.
for t in $targets; do
  seeds=(fuzz/corpus/"$t"/*)
  if ! "$out/fuzz_$t" -artifact_prefix="$out/crashes/$t-" "${seeds[@]}" \
       >"$work/replay-$t.log" 2>&1; then
    report "$t" "$work/replay-$t.log"
    failed=1
  elif ! "$out/gcc/fuzz_$t" "${seeds[@]}" >"$work/replay-gcc-$t.log" 2>&1; then
    echo "fuzz: $t: the gcc build FAILED on the seed corpus:"
    tail -n 40 "$work/replay-gcc-$t.log" | sed 's/^/  | /'
    failed=1
  else
    echo "fuzz: $t: replayed ${#seeds[@]} seeds (clang and gcc builds)"
    done_steps+=("$t ${#seeds[@]} seeds")
  fi
done

# --- fuzz: the targets side by side, each for a bounded time on a copy of
# its corpus.
if [ "$seconds" -gt 0 ]; then
  declare -A pids=() before=()
  t0=$SECONDS
  for t in $targets; do
    corpus=$work/corpus/$t
    mkdir -p "$corpus"
    cp fuzz/corpus/"$t"/* "$corpus/"
    before[$t]=$(find "$corpus" -type f | wc -l)
    fuzz_run "$t" "$out/fuzz_$t" "$corpus" "$seconds" "$work/fuzz-$t.log" &
    pids[$t]=$!
  done
  for t in $targets; do
    if wait "${pids[$t]}"; then
      after=$(find "$work/corpus/$t" -type f | wc -l)
      runs=$(final_stat number_of_executed_units "$work/fuzz-$t.log")
      rate=$(final_stat average_exec_per_sec "$work/fuzz-$t.log")
      cov=$(sed -n 's/^#[0-9]*.*cov: \([0-9]*\).*/\1/p' "$work/fuzz-$t.log" | tail -n 1)
      echo "fuzz: $t: ${runs:-?} runs in $((SECONDS - t0)) s (${rate:-?}/s), corpus ${before[$t]} -> $after inputs, coverage ${cov:-?}, no crash"
      done_steps+=("$t ${runs:-?} runs")
    else
      report "$t" "$work/fuzz-$t.log"
      failed=1
    fi
  done
fi

if [ "$failed" != 0 ]; then
  echo "fuzz: FAILED after $((SECONDS - start)) s"
  exit 1
fi
summary=$(printf '%s, ' "${done_steps[@]}")
echo "fuzz: passed in $((SECONDS - start)) s: ${summary%, }"
