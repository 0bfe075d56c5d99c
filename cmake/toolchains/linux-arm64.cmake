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
set(SIGPORT_CROSS_PROCESSOR aarch64)
set(SIGPORT_CROSS_TRIPLE aarch64-linux-gnu)
set(SIGPORT_CROSS_QEMU aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
