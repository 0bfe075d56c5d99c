#!/usr/bin/env bash
# ci/mingw-check.sh [PREFIX]: cross-builds Check for 64-bit Windows with
# MinGW-w64, from Debian's source package, into PREFIX, once.
#
# PREFIX defaults to $SIGPORT_MINGW_CHECK_PREFIX, then to
# ${SIGPORT_CACHE:-~/.cache/sigport}/mingw-check. When PREFIX already holds
# lib/cmake/check/check-config.cmake, the script does nothing.
#
# The result is a CMake package: find_package(check CONFIG) gives the
# targets Check::check (static) and Check::checkShared. They do not carry
# -pthread although libcheck.a needs winpthreads, so whatever links
# Check::check adds Threads::Threads (or -pthread) itself. Check runs in
# CK_NOFORK mode on Windows, and its per-test timeouts do nothing there.
#
# Needs root when packages or source entries are missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${SIGPORT_CACHE:-${HOME:-/root}/.cache/sigport}
prefix=${1:-${SIGPORT_MINGW_CHECK_PREFIX:-$cache/mingw-check}}
toolchain=$root/cmake/toolchains/mingw-w64-x86_64.cmake

if [ -f "$prefix/lib/cmake/check/check-config.cmake" ] && [ -f "$prefix/lib/libcheck.a" ]; then
  echo "mingw-check: using $prefix"
  exit 0
fi
start=$(date +%s)

# The tools this needs, installed when missing. dpkg-dev gives dpkg-source,
# which `apt-get source` uses to unpack.
need=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(mingw-w64)
command -v cmake >/dev/null || need+=(cmake)
command -v ninja >/dev/null || need+=(ninja-build)
command -v dpkg-source >/dev/null || need+=(dpkg-dev)
if [ "${#need[@]}" -gt 0 ]; then
  echo "mingw-check: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${need[@]}" >/dev/null
fi

# Source entries, in whichever format this machine uses: deb822 files get
# deb-src added to their Types: line, and each one-line `deb` entry is
# copied as `deb-src` into a file of ours.
enable_sources() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    sed -i -E 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb deb-src/' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    [ "$f" = /etc/apt/sources.list.d/sigport-deb-src.list ] && continue
    grep -E '^[[:space:]]*deb[[:space:]]' "$f" | sed -E 's/^[[:space:]]*deb[[:space:]]/deb-src /'
  done | sort -u >/etc/apt/sources.list.d/sigport-deb-src.list.new
  if [ -s /etc/apt/sources.list.d/sigport-deb-src.list.new ]; then
    mv /etc/apt/sources.list.d/sigport-deb-src.list.new /etc/apt/sources.list.d/sigport-deb-src.list
  else
    rm -f /etc/apt/sources.list.d/sigport-deb-src.list.new
  fi
}
# shellcheck disable=SC2016 # $(IDENTIFIER) is apt's field, not the shell's.
targets=$(apt-get indextargets --format '$(IDENTIFIER)' 2>/dev/null || true)
if ! grep -qx Sources <<<"$targets"; then
  echo "mingw-check: enabling deb-src entries"
  enable_sources
  apt-get update -qq
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# apt's download user must be able to write here.
chmod 755 "$work"
cd "$work"

# The source package, unpacked without Debian's patches: one of them points
# check.pc at a library (-lcheck_pic) that this build does not make.
if ! apt-get source --download-only check >download.log 2>&1; then
  apt-get update -qq
  apt-get source --download-only check >download.log 2>&1 || { cat download.log; exit 1; }
fi
dscs=(check_*.dsc)
dsc=${dscs[0]}
# apt has checked the files against the signed archive index, so
# dpkg-source's own warning about the .dsc signature is kept in the log.
dpkg-source -x --skip-patches "$dsc" src >unpack.log 2>&1 || { cat unpack.log; exit 1; }
echo "mingw-check: building $(basename "$dsc" .dsc) for MinGW-w64"

# Built and installed beside the final prefix, then moved into place, so
# that an interrupted run never leaves a prefix that looks complete.
mkdir -p "$(dirname "$prefix")"
partial=$prefix.partial.$$
cmake -S src -B build -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
  -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_TESTING=OFF \
  -DCHECK_ENABLE_TESTS=OFF \
  -DCMAKE_INSTALL_PREFIX="$partial" >configure.log 2>&1 || { cat configure.log; exit 1; }
cmake --build build >build.log 2>&1 || { tail -n 50 build.log; exit 1; }
cmake --install build >install.log 2>&1 || { cat install.log; exit 1; }
# check.pc names the prefix it was installed to; the CMake package finds
# its own place. Only those text files are rewritten.
grep -rlF --include='*.pc' --include='*.cmake' "$partial" "$partial" | while read -r f; do
  sed -i "s|$partial|$prefix|g" "$f"
done
rm -rf "$prefix"
mv "$partial" "$prefix"
echo "mingw-check: built into $prefix in $(($(date +%s) - start)) s"
