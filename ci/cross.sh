#!/usr/bin/env bash
# ci/cross.sh: sigport on other Linux architectures, built with Debian's
# cross compilers and run under qemu-user. One target a line of the table
# below; a target whose state is `off` is listed in the summary and not
# built.
#
#   ci/cross.sh                              every target that is on
#   SIGPORT_CROSS_TARGETS="s390x mipsel" ci/cross.sh
#                                            only these, on or off
#
# Each target is configured in build/cross-NAME with
# cmake/toolchains/linux-NAME.cmake, Ninja, Release, the project's
# warnings as errors and BUILD_TESTING on, and built. What then runs
# depends on the target's mode:
#   full     Check for the target comes from Debian by multiarch
#            (check:ARCH, libsubunit-dev:ARCH): the suites are required
#            and CTest runs every test, the Check suites (under qemu, the
#            toolchain's CMAKE_CROSSCOMPILING_EMULATOR), the tool's and the
#            examples' shell tests and the manual pages. The programs are
#            dynamic, with the target's C library from multiarch.
#   static   Debian 12 has no packages for the architecture, so no Check:
#            the library, the tool and the examples are linked statically
#            (-static, glibc), and CTest runs every test there is without
#            the suites: the tool's and the examples' shell tests and the
#            manual pages.
#   sysroot  as static, but the programs are dynamic and name the cross
#            compiler's own loader and C library, in /usr/TRIPLE, in
#            themselves (--dynamic-linker, rpath): for an architecture
#            whose static glibc programs do not start under qemu-user.
# On every target, too:
#   - every compile command is the cross compiler's, with -Werror;
#   - the programs are the target's (readelf: ELF class and machine; for
#     armhf the hard-float ABI), static ones without a program
#     interpreter, sysroot ones with the cross compiler's;
#   - the toolchain file's emulator is the table's qemu, which the tests
#     are told of (SIGPORT_TEST_EMULATOR);
#   - the tool runs through binfmt_misc, as the tests' children do;
#   - every program tests/cross/*.c, compiled against the build's
#     libsigport.a with -std=c11 -Wall -Wextra -Wpedantic -Werror -pthread,
#     the mode's link flags and those its first line declares, if it has
#     a line of this form:
#       /* cross-ldflags: -Wl,--wrap=syscall */
#     must exit 0 under qemu. Status 77 says that the program does not
#     apply to the target; it is accepted only from a 64-bit target (a
#     32-bit call that a 64-bit system does not have) and is a failure
#     on a 32-bit one.
#
# Skips. A test leaves out, under qemu-user only, what qemu-user does not
# emulate, and says so on a line "SKIPPED under qemu-user (...): WHAT:
# WHY" (sp_test_qemu_limit() in tests/helpers.h, qemu_limit in
# tools/tests/lib.sh): /proc/PID/status of an emulated process, blocking
# signals from 63 up, and under qemu-i386 the tests that start threads. Those lines are counted and listed for each target. A CTest
# test skipped (status 77) without such a line fails the target.
#
# Installs what it needs if dpkg does not have it (ci/packages.sh), as
# root or through sudo: qemu-user-static, and for each target
# gcc-TRIPLE and libc6-dev-ARCH-cross, with, for a full target, ARCH
# added to dpkg's architectures and check:ARCH and libsubunit-dev:ARCH.
# It mounts binfmt_misc if it is not mounted, and registers qemu for
# each target that has no registration yet: the line of
# /usr/lib/binfmt.d/qemu-QEMU.conf, or for i386, for which Debian ships
# none on amd64, the line below. Registrations are the kernel's, shared
# with the host: none is changed or removed.
#
# Prints what each target cost (install, configure and build, tests) and
# a table. The last line is the summary. Exit status 0 when every target
# that ran passed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export LC_ALL=C.UTF-8
start=$SECONDS

# ------------------------------------------------------------ targets
# NAME      the target, its toolchain file and build directory
# MODE      full, static or sysroot (above)
# ARCH      Debian's name of the architecture
# TRIPLE    the cross compiler's prefix and the multiarch directory
# QEMU      qemu-QEMU-static, and the binfmt_misc entry qemu-QEMU
# ELF       what readelf -h says of its programs, CLASS:MACHINE, with _
#           for a space
# STATE     on, or off with the reason after it
#
# mips64el, mipsel, alpha, hppa and sparc64 number their signals in their
# own ways; they are on once include/sigport.h knows them and their
# toolchain files are there. mipsel could be a full target: Debian 12 has
# check:mipsel. alpha's static glibc programs die at start under qemu 7.2
# (SIGSEGV after set_robust_list), hence sysroot. So is sparc64: its static
# glibc programs start under qemu 7.2 with __libc_stack_end set to argc,
# which glibc takes for the size of the main thread's stack, and then
# execvp() of a program with four arguments or more fails with
# ENAMETOOLONG (its alloca limit is a quarter of that size); a dynamic
# program gets it from the loader.
table='
armhf     full     armhf     arm-linux-gnueabihf      arm       ELF32:ARM          on
arm64     full     arm64     aarch64-linux-gnu        aarch64   ELF64:AArch64      on
i686      full     i386      i686-linux-gnu           i386      ELF32:Intel_80386  on
mips64el  full     mips64el  mips64el-linux-gnuabi64  mips64el  ELF64:MIPS_R3000   on
ppc64el   full     ppc64el   powerpc64le-linux-gnu    ppc64le   ELF64:PowerPC64    on
s390x     full     s390x     s390x-linux-gnu          s390x     ELF64:IBM_S/390    on
mipsel    static   mipsel    mipsel-linux-gnu         mipsel    ELF32:MIPS_R3000   on
alpha     sysroot  alpha     alpha-linux-gnu          alpha     ELF64:Alpha        on
hppa      static   hppa      hppa-linux-gnu           hppa      ELF32:HPPA         on
sparc64   sysroot  sparc64   sparc64-linux-gnu        sparc64   ELF64:Sparc_v9     on
riscv64   static   riscv64   riscv64-linux-gnu        riscv64   ELF64:RISC-V       on
powerpc   static   powerpc   powerpc-linux-gnu        ppc       ELF32:PowerPC      on
'

# Debian ships no binfmt_misc line for i386 on amd64; this one matches
# i386 ELF executables and shared objects.
i386_binfmt=':qemu-i386:M::\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00:\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/bin/qemu-i386-static:F'

declare -A mode=() arch=() triple=() qemu=() elf=() state=()
names=()
while read -r n m a t q e s reason; do
  [ -n "$n" ] || continue
  names+=("$n")
  mode[$n]=$m arch[$n]=$a triple[$n]=$t qemu[$n]=$q elf[$n]=$e
  if [ "$s" = on ]; then state[$n]=on; else state[$n]="off: $reason"; fi
done <<<"$table"

die() {
  echo "cross: FAIL: $*" >&2
  echo "cross: FAILED: $*"
  exit 1
}

selected=()
if [ -n "${SIGPORT_CROSS_TARGETS:-}" ]; then
  for n in $SIGPORT_CROSS_TARGETS; do
    [ -n "${mode[$n]:-}" ] || die "unknown target '$n' (targets: ${names[*]})"
    selected+=("$n")
  done
else
  for n in "${names[@]}"; do
    [ "${state[$n]}" = on ] && selected+=("$n")
  done
fi
[ "${#selected[@]}" -gt 0 ] || die "no target selected"

# Root for dpkg and binfmt_misc, or sudo.
sudo=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || die "not root, and no sudo"
  sudo=(sudo)
fi

# ------------------------------------------------------------ packages
# shellcheck source=ci/packages.sh
. ci/packages.sh
t0=$SECONDS
ci_install cross qemu-user-static cmake ninja-build binutils python3 perl \
  man-db procps zsh bash-completion || die "could not install qemu-user-static and the build tools"
install_common=$((SECONDS - t0))
# The full targets' architectures, all added before the one apt-get
# update that follows.
t0=$SECONDS
foreign=" $(dpkg --print-foreign-architectures | tr '\n' ' ') "
for n in "${selected[@]}"; do
  [ "${mode[$n]}" = full ] || continue
  a=${arch[$n]}
  [ "$a" = "$(dpkg --print-architecture)" ] && continue
  if [[ $foreign != *" $a "* ]]; then
    echo "cross: dpkg --add-architecture $a"
    "${sudo[@]}" dpkg --add-architecture "$a" || die "dpkg --add-architecture $a"
    foreign+="$a "
    ci_apt_fresh=0
  fi
done
install_common=$((install_common + SECONDS - t0))
for tool in cmake ninja readelf; do
  command -v "$tool" >/dev/null || die "$tool not found"
done

# ------------------------------------------------------------ binfmt_misc
binfmt=/proc/sys/fs/binfmt_misc
t0=$SECONDS
if [ ! -e "$binfmt/register" ]; then
  echo "cross: mounting binfmt_misc on $binfmt"
  "${sudo[@]}" mount -t binfmt_misc binfmt_misc "$binfmt" || die "cannot mount binfmt_misc"
fi
[ "$(cat "$binfmt/status")" = enabled ] || die "binfmt_misc is disabled ($binfmt/status)"
# binfmt_register QEMU: registers qemu-QEMU unless the kernel has it.
binfmt_register() {
  local q=$1 conf line
  if [ -e "$binfmt/qemu-$q" ]; then
    if [ "$(head -n 1 "$binfmt/qemu-$q")" != enabled ]; then
      echo "cross: binfmt_misc has qemu-$q, disabled: not changed"
      return 1
    fi
    return 0
  fi
  if [ "$q" = i386 ]; then
    line=$i386_binfmt
  else
    conf=/usr/lib/binfmt.d/qemu-$q.conf
    [ -f "$conf" ] || { echo "cross: no $conf"; return 1; }
    line=$(grep -v -e '^#' -e '^[[:space:]]*$' "$conf")
  fi
  echo "cross: registering qemu-$q with binfmt_misc"
  printf '%s\n' "$line" | "${sudo[@]}" tee "$binfmt/register" >/dev/null || return 1
  [ -e "$binfmt/qemu-$q" ]
}
binfmt_note="binfmt_misc:"
for n in "${selected[@]}"; do
  binfmt_register "${qemu[$n]}" || die "cannot register qemu-${qemu[$n]} with binfmt_misc"
  binfmt_note+=" qemu-${qemu[$n]} -> $(sed -n 's/^interpreter //p' "$binfmt/qemu-${qemu[$n]}")"
done
echo "cross: $binfmt_note"
install_common=$((install_common + SECONDS - t0))

shopt -s nullglob
programs=(tests/cross/*.c)
shopt -u nullglob
[ "${#programs[@]}" -gt 0 ] || die "no programs in tests/cross"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ------------------------------------------------------------ helpers
# ldflags_of FILE: the words of the file's first-line cross-ldflags
# comment, one a line; nothing when the first line is not one. A first
# line that names cross-ldflags in any other form is an error.
ldflags_of() {
  local first flags
  local -a words
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
  read -r -a words <<<"$flags"
  [ "${#words[@]}" = 0 ] || printf '%s\n' "${words[@]}"
}

# elf_machine NAME: the machine readelf names for the target.
elf_machine() {
  local m=${elf[$1]#*:}
  echo "${m//_/ }"
}

# is_target_elf NAME FILE: FILE is an ELF file of the target, linked as
# its mode links programs (executables only: objects have no program
# headers).
is_target_elf() {
  local n=$1 f=$2 header class machine interp want
  class=${elf[$n]%%:*}
  machine=$(elf_machine "$n")
  header=$(readelf -hW "$f") || return 1
  [[ $header == *"Class:"*"$class"* ]] || { echo "$f: not $class"; return 1; }
  [ "$(sed -n 's/^ *Machine: *//p' <<<"$header")" = "$machine" ] ||
    { echo "$f: not $machine: $(grep 'Machine:' <<<"$header")"; return 1; }
  if [ "$n" = armhf ] && [[ $header != *"hard-float ABI"* ]]; then
    echo "$f: not of the hard-float ABI"
    return 1
  fi
  [[ $header == *"Type:"*"EXEC"* || $header == *"Type:"*"DYN"* ]] || return 0
  interp=$(readelf -lW "$f" | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
  case ${mode[$n]} in
    full)
      [ -n "$interp" ] || { echo "$f: static, expected dynamic"; return 1; } ;;
    static)
      [ -z "$interp" ] || { echo "$f: has a program interpreter ($interp): not static"; return 1; } ;;
    sysroot)
      want=/usr/${triple[$n]}/
      [[ $interp == "$want"* ]] || { echo "$f: its loader '$interp' is not in $want"; return 1; } ;;
  esac
}

# link_flags NAME: fills `mode_ldflags` with the mode's link flags.
link_flags() {
  local n=$1 t=${triple[$1]} interp
  mode_ldflags=()
  case ${mode[$n]} in
    static) mode_ldflags=(-static) ;;
    sysroot)
      printf 'int main(void) { return 0; }\n' >"$work/empty.c"
      "$t-gcc" "$work/empty.c" -o "$work/empty-$n" || return 1
      interp=$(readelf -lW "$work/empty-$n" | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
      if [ -z "$interp" ] || [ ! -e "/usr/$t$interp" ]; then
        echo "no loader /usr/$t$interp for $t"
        return 1
      fi
      # DT_RPATH, not DT_RUNPATH: it then also serves the C library's own
      # dlopen() of libgcc_s.so.1, which pthread_cancel() needs to unwind.
      mode_ldflags=("-Wl,--dynamic-linker=/usr/$t$interp" "-Wl,-rpath,/usr/$t/lib"
        "-Wl,--disable-new-dtags")
      ;;
  esac
}

# target_build NAME: configure, build, and check how it was built.
target_build() {
  local n=$1 build=$root/build/cross-$1 cc=${triple[$1]}-gcc
  local toolchain=$root/cmake/toolchains/linux-$1.cmake
  local commands line exe n_cc=0 bad=0 tests_state emulator machines
  local -a args
  [ -f "$toolchain" ] || { echo "no toolchain file $toolchain"; return 1; }
  link_flags "$n" || return 1
  rm -rf "$build"
  args=(-S . -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain"
    -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON -DSIGPORT_WERROR=ON)
  # qemu-i386 7.2 loses the x87 registers when it delivers a signal
  # between two of its translation blocks while one holds a value (a
  # double being returned, which the i386 ABI returns in st(0), is one):
  # a deadline made from a right clock_gettime() read 0.000 ms or
  # 1.8e308, and the child suite failed with "1 of 1 reports after 60 s"
  # 1.4 s into it, in 6 of 30 runs here. (A C program that turns the clock
  # into a double in a loop while a child sends it SIGUSR1 read 0 in 8 of
  # 10 runs; built with SSE2 arithmetic, in none of 10.) A real kernel
  # keeps them. So the programs CMake builds compute with SSE2 here, and
  # the library, whose conversions of seconds are written for the x87
  # unit's excess precision, and the programs of tests/cross keep the x87
  # code that i686 machines run. The tool and the tests keep their clocks
  # in integers or inline, so that no double crosses a return.
  if [ "${arch[$n]}" = i386 ]; then
    args+=("-DSIGPORT_PROGRAM_C_FLAGS=-msse2;-mfpmath=sse")
    echo "cross: $n: the tool, the tests and the examples with -msse2 -mfpmath=sse (qemu-i386 loses x87 registers across signals); the library with x87"
  fi
  if [ "${mode[$n]}" = full ]; then
    args+=(-DSIGPORT_REQUIRE_TESTS=ON)
  else
    args+=("-DCMAKE_EXE_LINKER_FLAGS=${mode_ldflags[*]}")
  fi
  # pkg-config reads the target's directories only (the toolchain file's
  # PKG_CONFIG_LIBDIR), never the host's through PKG_CONFIG_PATH.
  env -u PKG_CONFIG_PATH -u PKG_CONFIG_LIBDIR cmake "${args[@]}" >"$work/configure.log" 2>&1 ||
    { cat "$work/configure.log"; return 1; }
  grep -E '^-- sigport' "$work/configure.log"
  tests_state=$(sed -n 's/^-- sigport .*, tests \(ON\|OFF\)$/\1/p' "$work/configure.log")
  if [ "${mode[$n]}" = full ] && [ "$tests_state" != ON ]; then
    echo "the Check suites are not configured"
    return 1
  elif [ "${mode[$n]}" != full ] && [ "$tests_state" != OFF ]; then
    echo "the Check suites are configured where no Check for ${arch[$n]} should be found"
    return 1
  fi
  # The emulator the tests are told of, which is the toolchain file's.
  # (sed stops at the first: no pipe to head, whose early exit would kill
  # sed with SIGPIPE and fail the pipeline.)
  emulator=$(sed -n 's/.*SIGPORT_TEST_EMULATOR=\([^";]*\).*/\1/p;T;q' \
    "$build/tools/CTestTestfile.cmake")
  [[ ${emulator%% *} == */qemu-${qemu[$n]}-static ]] ||
    { echo "the tests' emulator is '$emulator', not qemu-${qemu[$n]}-static"; return 1; }
  echo "cross: $n: emulator $emulator"
  cmake --build "$build" >"$work/build.log" 2>&1 || { cat "$work/build.log"; return 1; }
  # Every compile command: the cross compiler, with -Werror.
  commands=$(ninja -C "$build" -t commands) || return 1
  while IFS= read -r line; do
    [[ $line == *" -c "* ]] || continue
    n_cc=$((n_cc + 1))
    if [[ $line != *"$cc "* ]] || [[ $line != *" -Werror "* ]]; then
      echo "not compiled by $cc with -Werror: $line"
      bad=1
    fi
  done <<<"$commands"
  if [ "$n_cc" = 0 ] || [ "$bad" != 0 ]; then
    echo "$n_cc compile commands, not all of them right"
    return 1
  fi
  [ -f "$build/libsigport.a" ] || { echo "no libsigport.a"; return 1; }
  machines=$(readelf -hW "$build/libsigport.a" | sed -n 's/^ *Machine: *//p' | sort -u)
  [ "$machines" = "$(elf_machine "$n")" ] ||
    { echo "libsigport.a: objects for '$machines', not $(elf_machine "$n")"; return 1; }
  is_target_elf "$n" "$build/tools/sigport" || return 1
  for exe in "$build"/examples/*; do
    if [ -f "$exe" ] && [ -x "$exe" ]; then is_target_elf "$n" "$exe" || return 1; fi
  done
  if [ "${mode[$n]}" = full ]; then
    is_target_elf "$n" "$build/tests/sigport_tests" || return 1
  fi
  echo "cross: $n: $n_cc files compiled by $cc with -Werror; the programs are ${elf[$n]//_/ }, ${mode[$n]}"
  # The tests' children start through binfmt_misc: so must the tool.
  "$build/tools/sigport" --version >"$work/binfmt.out" 2>&1 ||
    { cat "$work/binfmt.out"; echo "the tool does not run through binfmt_misc"; return 1; }
  echo "cross: $n: through binfmt_misc: $(cat "$work/binfmt.out")"
}

# target_bash NAME: unpacks Debian's bash for the target's architecture
# (bash:ARCH, which cannot be installed beside the host's) into
# build/cross-bash-ARCH, and exports SIGPORT_TEST_BASH, its path, for the
# names suite, which compares sigport's names with the system's kill -l.
# It runs through binfmt_misc, with the multiarch C library.
target_bash() {
  local a=${arch[$1]} dir=$root/build/cross-bash-${arch[$1]} deb out
  if [ ! -x "$dir/bin/bash" ]; then
    rm -rf "$dir" "$work/deb"
    mkdir -p "$work/deb"
    (cd "$work/deb" && apt-get download "bash:$a") >"$work/deb.log" 2>&1 ||
      { cat "$work/deb.log"; echo "apt-get download bash:$a failed"; return 1; }
    deb=$(echo "$work"/deb/bash_*.deb)
    dpkg-deb -x "$deb" "$dir" || { echo "cannot unpack $deb"; return 1; }
  fi
  is_target_elf "$1" "$dir/bin/bash" || return 1
  out=$("$dir/bin/bash" -c 'kill -l 1') ||
    { echo "$a's bash does not run through binfmt_misc"; return 1; }
  [ "$out" = HUP ] || { echo "$a's bash says kill -l 1 is '$out'"; return 1; }
  export SIGPORT_TEST_BASH=$dir/bin/bash
  echo "cross: $1: the names suite asks $a's bash: $SIGPORT_TEST_BASH"
}

# target_ctest NAME: every CTest test, then what the logs say. Sets
# ctest_note, check_note and skip_note.
target_ctest() {
  local n=$1 build=$root/build/cross-$1 log=$work/$1-ctest.log last rc=0
  local total nfail nskip checks=0 cfail=0 line c f e bad_skips
  ctest_note="" check_note="-" skip_note="none" fail_note=""
  env -u PKG_CONFIG_PATH ctest --test-dir "$build" --output-on-failure -j 2 \
    --timeout 300 --no-tests=error >"$log" 2>&1 || rc=$?
  grep -E '^ *[0-9]+/[0-9]+ Test +#' "$log" | sed 's/^/    /'
  sed -n '/tests passed/,$p' "$log" | sed 's/^/    /'
  last=$build/Testing/Temporary/LastTest.log
  [ -f "$last" ] || { echo "no CTest log"; return 1; }
  total=$(sed -n 's/.* tests failed out of \([0-9]*\)$/\1/p' "$log" | tail -n 1)
  nfail=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of.*/\1/p' "$log" | tail -n 1)
  nskip=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#.*\*\*\*Skipped' "$log" || true)
  [ -n "$total" ] || { tail -n 20 "$log"; echo "no CTest summary"; return 1; }
  ctest_note="$((total - nfail - nskip))/$total passed"
  [ "$nskip" = 0 ] || ctest_note+=", $nskip skipped"
  [ "$nfail" = 0 ] || ctest_note+=", $nfail FAILED"
  # Check's own count, suite by suite.
  while IFS= read -r line; do
    [[ $line =~ Checks:\ ([0-9]+),\ Failures:\ ([0-9]+),\ Errors:\ ([0-9]+) ]] || continue
    c=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} e=${BASH_REMATCH[3]}
    checks=$((checks + c))
    cfail=$((cfail + f + e))
  done < <(grep -E '^[0-9]+%: Checks: ' "$last" || true)
  if [ "${mode[$n]}" = full ]; then
    check_note="$((checks - cfail))/$checks"
    [ "$checks" -gt 0 ] || { echo "no Check suite ran"; return 1; }
  fi
  # What failed: CTest's tests, with the Check tests that failed in them.
  fail_note=$(awk '
    /^[0-9]+\/[0-9]+ Test: / { name = $3 }
    /^[^ :]+:[0-9]+:[FE]:[^:]+:[^:]+:/ { split($0, f, ":"); bad[name] = bad[name] " " f[5] }
    /^Test Failed\./ { if (!(name in bad)) bad[name] = "" }
    END { for (t in bad) { printf "%s%s%s%s", sep, t, (bad[t] == "" ? "" : ":"), bad[t]; sep = "; " } }' "$last")
  [ -z "$fail_note" ] || echo "cross: $n: failed: $fail_note"
  # And what the failed tests said, so that a failure in a root that is
  # gone afterwards can still be read.
  if [ -n "$fail_note" ]; then
    # Check's own lines (FILE:LINE:F:TCASE:TEST:ITER: MESSAGE) and the
    # scripts' FAIL, ERROR and tracebacks; awk stops at 20 without a pipe.
    awk '/^[^ :]+:[0-9]+:[FE]:[^:]+:[^:]+:|(^|: )(FAIL|ERROR)[: ]|^Traceback/ && n++ < 20 { print "    " $0 }' "$last"
  fi
  # What was left out under qemu, once each.
  grep -h '^SKIPPED under qemu-user' "$last" | sed 's/^SKIPPED under qemu-user ([^)]*): //' |
    sort | uniq -c | sort -rn >"$work/$n-skips" || true
  if [ -s "$work/$n-skips" ]; then
    skip_note="$(awk '{ n += $1 } END { print n }' "$work/$n-skips") ($(wc -l <"$work/$n-skips") kinds)"
    echo "cross: $n: left out under qemu-user (count, what: why):"
    sed 's/^/    /' "$work/$n-skips"
  fi
  # A test skipped for any other reason is a failure here.
  awk '/^[0-9]+\/[0-9]+ Test: / { name = $3 }
    /^SKIPPED under qemu-user/ { print name }' "$last" | sort -u >"$work/$n-qemu-tests"
  bad_skips=$(sed -n 's/^ *[0-9]*\/[0-9]* Test *#[0-9]*: \([^ ]*\) .*\*\*\*Skipped.*/\1/p' "$log" |
    sort -u | comm -23 - "$work/$n-qemu-tests" | tr '\n' ' ')
  if [ -n "$bad_skips" ]; then
    echo "skipped without a qemu-user limit: $bad_skips"
    return 1
  fi
  return "$rc"
}

# target_program NAME FILE: compiles one program and runs it under qemu.
target_program() {
  local n=$1 src=$2 build=$root/build/cross-$1 name exe log rc=0
  local -a ldflags
  name=$(basename "$src" .c)
  exe=$build/cross/$name
  log=$work/$n-$name.log
  ldflags_of "$src" >"$work/ldflags" || return 1
  mapfile -t ldflags <"$work/ldflags"
  mkdir -p "$build/cross"
  "${triple[$n]}-gcc" -std=c11 -Wall -Wextra -Wpedantic -Werror -pthread \
    -I"$root/include" "$src" "$build/libsigport.a" "${mode_ldflags[@]}" "${ldflags[@]}" -o "$exe" ||
    { echo "$name does not build"; return 1; }
  is_target_elf "$n" "$exe" || return 1
  timeout --kill-after=10 60 "qemu-${qemu[$n]}-static" "$exe" </dev/null >"$log" 2>&1 || rc=$?
  [ "$rc" != 124 ] || echo "(timed out after 60 s)" >>"$log"
  sed 's/^/    /' "$log"
  case $rc in
    0) echo "cross: $n: $name: passed" ;;
    77)
      if [ "${elf[$n]%%:*}" = ELF64 ]; then
        echo "cross: $n: $name: does not apply to a 64-bit target (status 77)"
      else
        echo "cross: $n: $name: status 77 on a 32-bit target: a failure"
        return 1
      fi
      ;;
    78)
      # The program's own control, the C library alone, failed: what it
      # says is the platform's, and is listed with the skips.
      echo "cross: $n: $name: the platform's own control failed (status 78)"
      printf '      1 %s: %s\n' "$name" "$(grep -m 1 'control failed' "$log" | sed 's/^[a-z0-9]*: //')" \
        >>"$work/$n-skips"
      ;;
    *) echo "cross: $n: $name: exited with status $rc"; return 1 ;;
  esac
  return "$rc"
}

# ------------------------------------------------------------ run
failed=()
passed=()
rows=()
declare -A result=()
for n in "${selected[@]}"; do
  echo
  echo "cross: == $n (${mode[$n]}, ${triple[$n]}, qemu-${qemu[$n]}) =="
  [ "${state[$n]}" = on ] || echo "cross: $n is ${state[$n]}; run because SIGPORT_CROSS_TARGETS names it"
  ok=1 why=()
  unset SIGPORT_TEST_BASH
  ctest_note="-" check_note="-" skip_note="-" fail_note=""
  progs_pass=0 progs_na=0 progs_platform=0

  t0=$SECONDS
  pkgs=("gcc-${triple[$n]}" "libc6-dev-${arch[$n]}-cross")
  if [ "${mode[$n]}" = full ]; then
    pkgs+=("check:${arch[$n]}" "libsubunit-dev:${arch[$n]}" "libtinfo6:${arch[$n]}")
  fi
  if ! ci_install "cross: $n" "${pkgs[@]}"; then
    ok=0 why+=("install")
  elif [ "${mode[$n]}" = full ] && ! target_bash "$n"; then
    ok=0 why+=("bash:${arch[$n]}")
  fi
  t_install=$((SECONDS - t0))

  t0=$SECONDS
  if [ "$ok" = 1 ] && ! target_build "$n"; then
    ok=0 why+=("build")
  fi
  t_build=$((SECONDS - t0))

  t0=$SECONDS
  if [ "$ok" = 1 ]; then
    echo "cross: $n: CTest"
    target_ctest "$n" || { ok=0; why+=("CTest${fail_note:+ $fail_note}"); }
    for src in "${programs[@]}"; do
      rc=0
      target_program "$n" "$src" || rc=$?
      case $rc in
        0) progs_pass=$((progs_pass + 1)) ;;
        77) progs_na=$((progs_na + 1)) ;;
        78) progs_platform=$((progs_platform + 1)) ;;
        *) ok=0 why+=("$(basename "$src")") ;;
      esac
    done
  fi
  if [ "$progs_platform" != 0 ]; then
    skip_note="$(awk '{ n += $1 } END { print n }' "$work/$n-skips") ($(wc -l <"$work/$n-skips") kinds)"
  fi
  t_test=$((SECONDS - t0))

  progs="$progs_pass/${#programs[@]}"
  [ "$progs_na" = 0 ] || progs+=" ($progs_na n/a)"
  [ "$progs_platform" = 0 ] || progs+=" ($progs_platform platform)"
  if [ "$ok" = 1 ]; then
    status=passed
    passed+=("$n")
  else
    status=FAILED
    failed+=("$n (${why[*]})")
  fi
  result[$n]=$status
  rows+=("$(printf '%-9s %-7s %-6s %5s %5s %5s  %-32s %-9s %-11s %s' "$n" "${mode[$n]}" \
    "$status" "$t_install" "$t_build" "$t_test" "$ctest_note" "$check_note" "$progs" "$skip_note")")
  echo "cross: $n: $status; install $t_install s, configure and build $t_build s, tests $t_test s"
done

# ------------------------------------------------------------ summary
off=()
for n in "${names[@]}"; do
  [ -n "${result[$n]:-}" ] || [ "${state[$n]}" = on ] || off+=("$n")
done
echo
echo "cross: qemu-user-static, tools, architectures and binfmt_misc: $install_common s"
echo "cross: target    mode    result  inst. build  test  CTest                            Check     tests/cross skipped (qemu)"
printf 'cross: %s\n' "${rows[@]}"
for n in "${off[@]}"; do
  printf 'cross: %-9s %-7s off    %s\n' "$n" "${mode[$n]}" "${state[$n]#off: }"
done
summary="cross: ${#passed[@]} passed, ${#failed[@]} failed"
[ "${#off[@]}" = 0 ] || summary+=", ${#off[@]} off (${off[*]})"
[ "${#passed[@]}" = 0 ] || summary+="; passed: ${passed[*]}"
if [ "${#failed[@]}" != 0 ]; then
  printf -v list '%s, ' "${failed[@]}"
  summary+="; FAILED: ${list%, }"
fi
echo "$summary; $((SECONDS - start)) s"
[ "${#failed[@]}" = 0 ]
