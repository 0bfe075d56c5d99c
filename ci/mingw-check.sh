#!/usr/bin/env bash
# ci/mingw-check.sh [PREFIX]: cross-builds Check for MinGW-w64 from Debian's
# source package into PREFIX (default ~/.cache/sigport/mingw-check), once.
# The result provides lib/cmake/check/check-config.cmake with the target
# Check::check; it does not carry -pthread, which the tests add.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${1:-${SIGPORT_CACHE:-$HOME/.cache/sigport}/mingw-check}
if [ -f "$prefix/lib/cmake/check/check-config.cmake" ]; then
  echo "mingw-check: using $prefix"
  exit 0
fi

# Source entries, in whichever format this machine uses.
if ! apt-get indextargets --format '$(IDENTIFIER)' 2>/dev/null | grep -q '^Sources$'; then
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources
  fi
  if [ -f /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list; then
    grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
      >/etc/apt/sources.list.d/sigport-src.list
  fi
  apt-get update -qq
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get source --download-only check >/dev/null
dsc=$(ls check_*.dsc | head -n 1)
# Debian's patches point check.pc at a library this build does not make.
dpkg-source -x --skip-patches "$dsc" src >/dev/null
cmake -S src -B build -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/mingw-w64-x86_64.cmake" \
  -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DCHECK_ENABLE_TESTS=OFF \
  -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build build >/dev/null
cmake --install build >/dev/null
echo "mingw-check: built into $prefix"
