# bench/lib.sh: what bench/run and bench/soak share: installing what they
# need and building sigport and the benchmark programs. Sourced, not run.
#
# Sets: bench_root (the source tree), bench_build (the build directory),
# bench_bin (the programs), sigport_lib (the static library).

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench_root=$(dirname "$bench_dir")
bench_build=${BENCH_BUILD:-$bench_root/build/bench}
bench_bin=$bench_build/bin
bench_log=$bench_build/build.log

# libc6-dev: its libc.a links the child of the child-reaping workload
# statically.
bench_packages="gcc libc6-dev make cmake ninja-build pkg-config python3 \
valgrind gnuplot-nox libuv1-dev libevent-dev libglib2.0-dev"

# Installs the Debian packages that are missing (apt-get update first).
bench_install_deps() {
  local missing="" p sudo=""
  for p in $bench_packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
      grep -q 'install ok installed' || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "bench: installing$missing" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    --no-install-recommends $missing >&2
}

# Compiles the library's sources straight into a static library, for a
# tree without a CMake build: $1 the output directory, then the flags.
bench_compile_sigport() {
  local out=$1 f o
  shift
  mkdir -p "$out/obj"
  rm -f "$out"/obj/*.o
  for f in "$bench_root"/src/*.c "$bench_root"/src/posix/*.c; do
    o=$out/obj/$(basename "$(dirname "$f")")_$(basename "$f" .c).o
    gcc -std=c11 "$@" -Wall -Wextra -D_DEFAULT_SOURCE \
      -D_POSIX_C_SOURCE=200809L -I"$bench_root/include" -I"$bench_root/src" \
      -c "$f" -o "$o"
  done
}

# Builds sigport (static, optimised, with debug information for callgrind)
# into $bench_build/sigport, and sets sigport_lib.
bench_build_sigport() {
  local dir=$bench_build/sigport
  mkdir -p "$dir"
  sigport_lib=""
  if [ -f "$bench_root/CMakeLists.txt" ]; then
    if cmake -S "$bench_root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DBUILD_TESTING=OFF -DBUILD_SHARED_LIBS=OFF -DCMAKE_C_FLAGS=-g \
      >>"$bench_log" 2>&1 &&
      cmake --build "$dir" --target sigport >>"$bench_log" 2>&1; then
      sigport_lib=$(find "$dir" -name libsigport.a -print -quit)
    else
      echo "bench: the CMake build failed (see $bench_log);" \
        "compiling the sources directly" >&2
    fi
  fi
  if [ -z "$sigport_lib" ]; then
    dir=$bench_build/sigport-direct
    bench_compile_sigport "$dir" -O2 -g
    sigport_lib=$dir/libsigport.a
    rm -f "$sigport_lib"
    ar rcs "$sigport_lib" "$dir"/obj/*.o
  fi
}

# Builds a shared library at -Os, only to report its size: sets sigport_so.
bench_build_size() {
  local dir=$bench_build/size
  bench_compile_sigport "$dir" -Os -fPIC -fvisibility=hidden \
    -DSIGPORT_BUILDING_SHARED
  sigport_so=$dir/libsigport.so
  gcc -shared -o "$sigport_so" "$dir"/obj/*.o -lpthread
}

# Builds the benchmark programs (and the soak program) into $bench_bin.
bench_build_programs() {
  make -s -C "$bench_dir" -j"$(nproc)" OUT="$bench_bin" \
    SIGPORT_LIB="$sigport_lib" SIGPORT_INC="$bench_root/include" "$@" \
    >>"$bench_log" 2>&1 || {
    tail -30 "$bench_log" >&2
    return 1
  }
}
