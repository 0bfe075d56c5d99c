#!/usr/bin/env bash
# ci/cross32.sh: sigport built for two 32-bit Linux targets, and programs
# run there under qemu-user:
#   armhf  arm-linux-gnueabihf-gcc, qemu-arm-static
#   i686   i686-linux-gnu-gcc, qemu-i386-static
#
# For each target it configures and builds, in build/cross-<target>,
# everything the configure builds (the library, the tool, the examples)
# with cmake/toolchains/linux-<target>.cmake, Release, Ninja, without the
# Check suites, with the project's warnings as errors, and checks that
# every file was compiled by the cross compiler with -Werror and that the
# programs are the target's. Then, under qemu-user started directly (no
# binfmt_misc: none of these programs execs another):
#   - the tool's `sigport --version` and `sigport list`;
#   - every program tests/cross/*.c, compiled against that build's
#     libsigport.a and include/ with -std=c11 -Wall -Wextra -Wpedantic
#     -Werror -pthread, plus the link flags its first line declares, if it
#     has a line of this form (and none otherwise):
#       /* cross-ldflags: -Wl,--wrap=syscall */
#     Each must exit with status 0. Status 77 (skipped) is printed with
#     what the program said, and is a failure here.
#
# Installs what it needs if dpkg does not have it, as root or through
# sudo (Debian: gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
# gcc-i686-linux-gnu libc6-dev-i386-cross qemu-user-static); cmake, ninja
# and readelf must be there (ci/test installs them). The last line printed
# is the summary. Exit status 0 when everything passed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export LC_ALL=C.UTF-8
start=$SECONDS

targets=(armhf i686)
declare -A triple=([armhf]=arm-linux-gnueabihf [i686]=i686-linux-gnu)
declare -A qemu=([armhf]=qemu-arm-static [i686]=qemu-i386-static)
# What readelf -h says of the target's programs.
declare -A machine=([armhf]=ARM [i686]="Intel 80386")

die() {
  echo "cross32: FAIL: $*" >&2
  exit 1
}

# ------------------------------------------------------------ packages
packages=(gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
  gcc-i686-linux-gnu libc6-dev-i386-cross qemu-user-static)
# shellcheck source=ci/packages.sh
. ci/packages.sh
ci_install cross32 "${packages[@]}" || die "could not install ${packages[*]}"
for tool in cmake ninja readelf; do
  command -v "$tool" >/dev/null || die "$tool not found (ci/test installs it)"
done
for t in "${targets[@]}"; do
  command -v "${triple[$t]}-gcc" >/dev/null || die "${triple[$t]}-gcc not found"
  command -v "${qemu[$t]}" >/dev/null || die "${qemu[$t]} not found"
done

shopt -s nullglob
programs=(tests/cross/*.c)
shopt -u nullglob
[ "${#programs[@]}" -gt 0 ] || die "no programs in tests/cross"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ------------------------------------------------------------ helpers
failures=()
declare -A passed=()

# fail TARGET WHAT: records a failure, which the summary names.
fail() {
  echo "cross32: $1: FAIL: $2"
  failures+=("$1 $2")
}

# ldflags_of FILE: the words of the file's first-line cross-ldflags
# comment, one a line; nothing when the first line is not one. A first
# line that names cross-ldflags in any other form is an error.
ldflags_of() {
  local first flags
  IFS= read -r first <"$1" || true
  case $first in
    *cross-ldflags*) ;;
    *) return 0 ;;
  esac
  if [[ $first =~ ^/\*\ cross-ldflags:(.*)\*/[[:space:]]*$ ]]; then
    flags=${BASH_REMATCH[1]}
  else
    echo "$1: malformed first line (want '/* cross-ldflags: FLAGS */'): $first" >&2
    return 1
  fi
  # Split on blanks only: no globbing, no quotes.
  local -a words
  read -r -a words <<<"$flags"
  [ "${#words[@]}" = 0 ] || printf '%s\n' "${words[@]}"
}

# run_emulated LOG COMMAND...: runs COMMAND with a time limit, stdin
# closed, its output in LOG; returns its status.
run_emulated() {
  local log=$1 rc=0
  shift
  timeout --kill-after=10 60 "$@" </dev/null >"$log" 2>&1 || rc=$?
  [ "$rc" != 124 ] || echo "(timed out after 60 s)" >>"$log"
  return "$rc"
}

# emulator_for TARGET EXE: fills the array `emu` with the qemu command
# line for EXE, and `emu_note` with where its loader comes from. The
# choice is the toolchain file's: the loader and C library under / when
# the target's are installed there, those of the cross compiler in
# /usr/<triple> (qemu -L) otherwise, never a mix of the two.
emulator_for() {
  local t=$1 exe=$2 headers interp
  headers=$(readelf -lW "$exe") || return 1
  interp=$(sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p' <<<"$headers")
  emu=("$(command -v "${qemu[$t]}")")
  if [ -z "$interp" ]; then
    emu_note="static program"
  elif [ -e "$interp" ]; then
    emu_note="loader $interp -> $(readlink -f "$interp")"
  elif [ -e "/usr/${triple[$t]}$interp" ]; then
    emu+=(-L "/usr/${triple[$t]}")
    emu_note="loader /usr/${triple[$t]}$interp"
  else
    echo "$exe: its loader $interp is neither in / nor in /usr/${triple[$t]}" >&2
    return 1
  fi
}

# is_target_elf TARGET FILE: FILE is an ELF program or object of TARGET
# (and, for armhf, of the hard-float ABI).
is_target_elf() {
  local t=$1 f=$2 header
  header=$(readelf -hW "$f") || return 1
  [[ $header == *"Class:"*"ELF32"* ]] || { echo "$f: not ELF32" >&2; return 1; }
  [[ $header == *"Machine:"*"${machine[$t]}"* ]] ||
    { echo "$f: not ${machine[$t]}: $(grep 'Machine:' <<<"$header")" >&2; return 1; }
  if [ "$t" = armhf ] && [[ $header != *"hard-float ABI"* ]]; then
    echo "$f: not of the hard-float ABI" >&2
    return 1
  fi
}

# ------------------------------------------------------------ targets
# target_build TARGET: configure, build, and check how it was built.
target_build() {
  local t=$1 build=$root/build/cross-$1 cc=${triple[$1]}-gcc commands line exe n=0 bad=0
  rm -rf "$build"
  cmake -S . -B "$build" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/linux-$t.cmake" \
    -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF \
    -DSIGPORT_WERROR=ON || return 1
  cmake --build "$build" || return 1
  # Every compile command: the cross compiler, with -Werror.
  commands=$(ninja -C "$build" -t commands) || return 1
  while IFS= read -r line; do
    [[ $line == *" -c "* ]] || continue
    n=$((n + 1))
    if [[ $line != *"$cc "* ]] || [[ $line != *" -Werror "* ]]; then
      echo "not compiled by $cc with -Werror: $line"
      bad=1
    fi
  done <<<"$commands"
  if [ "$n" = 0 ] || [ "$bad" != 0 ]; then
    echo "$n compile commands, not all of them right"
    return 1
  fi
  echo "cross32: $t: $n files compiled by $cc with -Werror"
  [ -f "$build/libsigport.a" ] || { echo "no libsigport.a"; return 1; }
  is_target_elf "$t" "$build/tools/sigport" || return 1
  for exe in "$build"/examples/*; do
    if [ -f "$exe" ] && [ -x "$exe" ]; then is_target_elf "$t" "$exe" || return 1; fi
  done
}

# target_tool TARGET: the tool's --version and list under qemu.
target_tool() {
  local t=$1 tool=$root/build/cross-$1/tools/sigport log=$work/$1-tool.log rc=0 n re
  local -a emu
  local emu_note
  emulator_for "$t" "$tool" || return 1
  echo "cross32: $t: emulator: ${emu[*]} ($emu_note)"
  run_emulated "$log" "${emu[@]}" "$tool" --version || rc=$?
  sed 's/^/    /' "$log"
  [ "$rc" = 0 ] || { echo "sigport --version exited $rc"; return 1; }
  grep -qE '^sigport [0-9]+\.[0-9]+\.[0-9]+ \(backend posix\)$' "$log" ||
    { echo "sigport --version: unexpected output"; return 1; }
  run_emulated "$log" "${emu[@]}" "$tool" list || rc=$?
  [ "$rc" = 0 ] || { sed 's/^/    /' "$log"; echo "sigport list exited $rc"; return 1; }
  n=$(wc -l <"$log")
  echo "    sigport list: $n signals, $(head -n 1 "$log" | tr -s ' ') ... $(tail -n 1 "$log" | tr -s ' ')"
  # glibc: 1 to 31, then SIGRTMIN (34) to SIGRTMAX (64).
  [ "$n" = 62 ] || { sed 's/^/    /' "$log"; echo "sigport list: $n signals, expected 62"; return 1; }
  for re in '^  9  SIGKILL +terminate +uncatchable +Killed$' \
    '^ 34  SIGRTMIN +terminate +catchable ' '^ 64  SIGRTMAX +terminate +catchable '; do
    if ! grep -qE "$re" "$log"; then
      sed 's/^/    /' "$log"
      echo "sigport list: no line matches /$re/"
      return 1
    fi
  done
}

# target_program TARGET FILE: compiles one program and runs it under qemu.
target_program() {
  local t=$1 src=$2 build=$root/build/cross-$1 name exe log rc=0
  local -a ldflags emu
  local emu_note
  name=$(basename "$src" .c)
  exe=$build/cross/$name
  log=$work/$t-$name.log
  ldflags_of "$src" >"$work/ldflags" || return 1
  mapfile -t ldflags <"$work/ldflags"
  mkdir -p "$build/cross"
  echo "cross32: $t: $name: ${triple[$t]}-gcc ... ${ldflags[*]:-(no extra link flags)}"
  "${triple[$t]}-gcc" -std=c11 -Wall -Wextra -Wpedantic -Werror -pthread \
    -I"$root/include" "$src" "$build/libsigport.a" "${ldflags[@]}" -o "$exe" ||
    { echo "$name does not build"; return 1; }
  is_target_elf "$t" "$exe" || return 1
  emulator_for "$t" "$exe" || return 1
  run_emulated "$log" "${emu[@]}" "$exe" || rc=$?
  sed 's/^/    /' "$log"
  case $rc in
    0) return 0 ;;
    77) echo "$name: skipped (status 77), which counts as a failure here"; return 77 ;;
    *) echo "$name: exited with status $rc"; return 1 ;;
  esac
}

for t in "${targets[@]}"; do
  echo "cross32: == $t (${triple[$t]}) =="
  t0=$SECONDS
  passed[$t]=0
  if ! target_build "$t"; then
    fail "$t" build
    continue
  fi
  echo "cross32: $t: built in $((SECONDS - t0)) s"
  target_tool "$t" || fail "$t" tool
  for src in "${programs[@]}"; do
    rc=0
    target_program "$t" "$src" || rc=$?
    case $rc in
      0) passed[$t]=$((passed[$t] + 1)) ;;
      77) fail "$t" "$(basename "$src") (skipped)" ;;
      *) fail "$t" "$(basename "$src")" ;;
    esac
  done
  echo "cross32: $t: done in $((SECONDS - t0)) s"
done

# ------------------------------------------------------------ summary
summary="cross32:"
for t in "${targets[@]}"; do
  summary+=" $t ${passed[$t]}/${#programs[@]} programs;"
done
if [ "${#failures[@]}" = 0 ]; then
  echo "$summary tool ok; $((SECONDS - start)) s"
else
  printf -v list '%s, ' "${failures[@]}"
  echo "$summary FAILED: ${list%, }; $((SECONDS - start)) s"
  exit 1
fi
