# Cross-compiles for 64-bit ARM Linux (Debian's arm64), with Debian's cross
# compiler (packages gcc-aarch64-linux-gnu and libc6-dev-arm64-cross). CTest
# runs the programs under qemu-user (package qemu-user-static), through
# CMAKE_CROSSCOMPILING_EMULATOR.
#
#   cmake -B build/cross-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-arm64.cmake
#
# The emulator covers only the process CTest starts. A test that runs a
# shell or execs another arm64 program needs the kernel's binfmt_misc
# registration for qemu-aarch64 as well
# (/usr/lib/binfmt.d/qemu-aarch64.conf).
#
# The Check suites need Check built for arm64: Debian's own, by multiarch
# (dpkg --add-architecture arm64; apt-get install check:arm64
# libsubunit-dev:arm64). Its libraries and pkg-config files are in
# /usr/lib/aarch64-linux-gnu, which CMAKE_LIBRARY_ARCHITECTURE makes CMake
# search. pkg-config must read the arm64 .pc files instead of the host's:
# PKG_CONFIG_LIBDIR is set below unless the environment sets it, and
# PKG_CONFIG_PATH must not name host directories, since pkg-config searches
# it first. Without BUILD_TESTING, none of this is used.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(SIGPORT_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${SIGPORT_CROSS_TRIPLE}-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE ${SIGPORT_CROSS_TRIPLE})

if(NOT DEFINED ENV{PKG_CONFIG_LIBDIR})
  set(ENV{PKG_CONFIG_LIBDIR}
    "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/pkgconfig:/usr/share/pkgconfig")
endif()

# Dynamic programs are linked with arm64's loader,
# /lib/ld-linux-aarch64.so.1. Where the arm64 C library is installed by
# multiarch (libc6:arm64, which check:arm64 brings), qemu finds the loader
# under / by itself, and must not be given another C library: two C
# libraries in one process end in "stack smashing detected". Where only the
# cross compiler's copy in /usr/aarch64-linux-gnu is there, qemu is pointed
# at it with -L. The test is on the C library in the multiarch directory,
# since another architecture's loader may have the same path. Static
# programs need neither.
find_program(SIGPORT_QEMU_AARCH64 qemu-aarch64-static)
if(SIGPORT_QEMU_AARCH64)
  if(EXISTS /lib/${CMAKE_LIBRARY_ARCHITECTURE}/libc.so.6)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU_AARCH64})
  else()
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU_AARCH64} -L /usr/${SIGPORT_CROSS_TRIPLE})
  endif()
endif()
