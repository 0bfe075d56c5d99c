# Cross-compiles for Alpha Linux (Debian's ports architecture alpha), with
# Debian's cross compiler (packages gcc-alpha-linux-gnu and
# libc6-dev-alpha-cross). CTest runs the programs under qemu-user (package
# qemu-user-static), through CMAKE_CROSSCOMPILING_EMULATOR.
#
#   cmake -B build/cross-alpha -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-alpha.cmake
#
# Linux on alpha numbers its signals as the BSDs do (SIGUSR1 30, SIGCHLD 20,
# SIGINFO 29, which is also SIGPWR).
#
# The emulator covers only the process CTest starts. A test that runs a
# shell or execs another alpha program needs the kernel's binfmt_misc
# registration for qemu-alpha as well.
#
# Debian 12 has no Check for alpha (a ports architecture): configure with
# -DBUILD_TESTING=OFF, or give it a Check cross-built from source, whose
# libraries and pkg-config files go in /usr/lib/alpha-linux-gnu, which
# CMAKE_LIBRARY_ARCHITECTURE makes CMake search. pkg-config must read the
# alpha .pc files instead of the host's: PKG_CONFIG_LIBDIR is set below
# unless the environment sets it, and PKG_CONFIG_PATH must not name host
# directories, since pkg-config searches it first. Without BUILD_TESTING,
# none of this is used.
set(SIGPORT_CROSS_PROCESSOR alpha)
set(SIGPORT_CROSS_TRIPLE alpha-linux-gnu)
set(SIGPORT_CROSS_QEMU alpha)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
