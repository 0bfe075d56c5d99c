# Cross-compiles for 32-bit PA-RISC Linux (Debian's ports architecture
# hppa), big-endian, with Debian's cross compiler (packages
# gcc-hppa-linux-gnu and libc6-dev-hppa-cross). CTest runs the programs
# under qemu-user (package qemu-user-static), through
# CMAKE_CROSSCOMPILING_EMULATOR.
#
#   cmake -B build/cross-hppa -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-hppa.cmake
#
# Linux on PA-RISC numbers its signals its own way (SIGSTKFLT 7, SIGXCPU 12,
# SIGUSR1 16, SIGCHLD 18, ...).
#
# The emulator covers only the process CTest starts. A test that runs a
# shell or execs another hppa program needs the kernel's binfmt_misc
# registration for qemu-hppa as well.
#
# Debian 12 has no Check for hppa (a ports architecture): configure with
# -DBUILD_TESTING=OFF, or give it a Check cross-built from source, whose
# libraries and pkg-config files go in /usr/lib/hppa-linux-gnu, which
# CMAKE_LIBRARY_ARCHITECTURE makes CMake search. pkg-config must read the
# hppa .pc files instead of the host's: PKG_CONFIG_LIBDIR is set below
# unless the environment sets it, and PKG_CONFIG_PATH must not name host
# directories, since pkg-config searches it first. Without BUILD_TESTING,
# none of this is used.
set(SIGPORT_CROSS_PROCESSOR hppa)
set(SIGPORT_CROSS_TRIPLE hppa-linux-gnu)
set(SIGPORT_CROSS_QEMU hppa)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
