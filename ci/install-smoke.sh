#!/usr/bin/env bash
# ci/install-smoke.sh: installs sigport into temporary prefixes and builds
# the consumer in tests/consumer against the installed files only: with
# find_package() and with pkg-config, static and shared, and after moving
# the prefix elsewhere. With SIGPORT_MINGW_CHECK_PREFIX set and wine
# available it also installs the MinGW build and runs a Windows consumer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build_lib() { # name, extra cmake arguments...
  local name=$1
  shift
  cmake -S "$root" -B "$work/build-$name" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF "$@"
  cmake --build "$work/build-$name"
  cmake --install "$work/build-$name" --prefix "$work/prefix-$name"
}

cmake_consumer() { # prefix, build dir, extra cmake arguments...
  local prefix=$1 dir=$2
  shift 2
  cmake -S "$root/tests/consumer/cmake" -B "$dir" -G Ninja \
    -DCMAKE_PREFIX_PATH="$prefix" "$@"
  cmake --build "$dir"
}

# Static, found as a CMake package.
build_lib static
cmake_consumer "$work/prefix-static" "$work/consumer-static"
"$work/consumer-static/consumer"

# Static, moved elsewhere, found with pkg-config.
mv "$work/prefix-static" "$work/moved-static"
PKG_CONFIG_PATH="$work/moved-static/lib/pkgconfig" \
  pkg-config --cflags --libs sigport
cc -std=c11 -Wall -Wextra -Werror "$root/tests/consumer/consumer.c" -o "$work/consumer-pc" \
  $(PKG_CONFIG_PATH="$work/moved-static/lib/pkgconfig" pkg-config --cflags --libs sigport)
"$work/consumer-pc"
echo "install-smoke: pkg-config consumer ok from a moved prefix"

# Shared, with both.
build_lib shared -DBUILD_SHARED_LIBS=ON
cmake_consumer "$work/prefix-shared" "$work/consumer-shared"
"$work/consumer-shared/consumer"
cc -std=c11 -Wall -Wextra -Werror "$root/tests/consumer/consumer.c" -o "$work/consumer-pc-shared" \
  $(PKG_CONFIG_PATH="$work/prefix-shared/lib/pkgconfig" pkg-config --cflags --libs sigport) \
  -Wl,-rpath,"$work/prefix-shared/lib"
"$work/consumer-pc-shared"
echo "install-smoke: shared consumers ok"

# The MinGW build, installed and consumed under Wine.
if [ -n "${SIGPORT_MINGW_CHECK_PREFIX:-}" ] && command -v wine >/dev/null &&
  [ -d "$root/src/win32" ]; then
  toolchain=$root/cmake/toolchains/mingw-w64-x86_64.cmake
  build_lib mingw -DCMAKE_TOOLCHAIN_FILE="$toolchain"
  cmake_consumer "$work/prefix-mingw" "$work/consumer-mingw" \
    -DCMAKE_TOOLCHAIN_FILE="$toolchain"
  WINEDEBUG=-all wine "$work/consumer-mingw/consumer.exe"
  echo "install-smoke: MinGW consumer ok under Wine"
fi
echo "install-smoke: all consumers ok"
