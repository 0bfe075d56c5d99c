# Cross-compiles for 64-bit SPARC Linux (Debian's ports architecture
# sparc64), big-endian, with Debian's cross compiler (packages
# gcc-sparc64-linux-gnu and libc6-dev-sparc64-cross). CTest runs the
# programs under qemu-user (package qemu-user-static), through
# CMAKE_CROSSCOMPILING_EMULATOR.
#
#   cmake -B build/cross-sparc64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-sparc64.cmake
#
# Linux on sparc numbers its signals as the BSDs do (SIGUSR1 30, SIGCHLD 20,
# SIGLOST 29, which is also SIGPWR).
#
# The emulator covers only the process CTest starts. A test that runs a
# shell or execs another sparc64 program needs the kernel's binfmt_misc
# registration for qemu-sparc64 as well.
#
# Debian 12 has no Check for sparc64 (a ports architecture): configure with
# -DBUILD_TESTING=OFF, or give it a Check cross-built from source, whose
# libraries and pkg-config files go in /usr/lib/sparc64-linux-gnu, which
# CMAKE_LIBRARY_ARCHITECTURE makes CMake search. pkg-config must read the
# sparc64 .pc files instead of the host's: PKG_CONFIG_LIBDIR is set below
# unless the environment sets it, and PKG_CONFIG_PATH must not name host
# directories, since pkg-config searches it first. Without BUILD_TESTING,
# none of this is used.
set(SIGPORT_CROSS_PROCESSOR sparc64)
set(SIGPORT_CROSS_TRIPLE sparc64-linux-gnu)
set(SIGPORT_CROSS_QEMU sparc64)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
