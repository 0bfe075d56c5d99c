# Cross-compiles for 32-bit x86 Linux (Debian's i386), with Debian's cross
# compiler (packages gcc-i686-linux-gnu and libc6-dev-i386-cross). CTest
# runs the programs under qemu-user (package qemu-user-static), through
# CMAKE_CROSSCOMPILING_EMULATOR: a 64-bit kernel built without 32-bit
# support cannot run them itself.
#
#   cmake -B build/cross-i686 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-i686.cmake
#
# The emulator covers only the process CTest starts. A test that runs a
# shell or execs another i386 program needs a binfmt_misc registration for
# qemu-i386 as well (Debian ships none for i386 on amd64).
#
# The compiler is named after i686, the Debian architecture and its
# multiarch directory after i386. The Check suites need Check built for
# i386: Debian's own, by multiarch (dpkg --add-architecture i386; apt-get
# install check:i386 libsubunit-dev:i386). Its libraries and pkg-config
# files are in /usr/lib/i386-linux-gnu, which CMAKE_LIBRARY_ARCHITECTURE
# makes CMake search. pkg-config must read the i386 .pc files instead of
# the host's: PKG_CONFIG_LIBDIR is set below unless the environment sets
# it, and PKG_CONFIG_PATH must not name host directories, since pkg-config
# searches it first. Without BUILD_TESTING, none of this is used.
#
# gcc for i686 computes double expressions in the x87 registers, with
# excess precision (__FLT_EVAL_METHOD__ is 2).
set(SIGPORT_CROSS_PROCESSOR i686)
set(SIGPORT_CROSS_TRIPLE i686-linux-gnu)
set(SIGPORT_CROSS_MULTIARCH i386-linux-gnu)
set(SIGPORT_CROSS_QEMU i386)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
