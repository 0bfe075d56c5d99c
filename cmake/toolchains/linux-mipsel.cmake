# Cross-compiles for 32-bit little-endian MIPS Linux with the o32 ABI
# (Debian's mipsel), with Debian's cross compiler (packages
# gcc-mipsel-linux-gnu and libc6-dev-mipsel-cross). CTest runs the programs
# under qemu-user (package qemu-user-static), through
# CMAKE_CROSSCOMPILING_EMULATOR.
#
#   cmake -B build/cross-mipsel -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-mipsel.cmake
#
# Linux on MIPS has 128 signals (SIGPORT_NSIG 128) and numbers them its own
# way (SIGUSR1 16, SIGCHLD 18, ...); long has 32 bits here.
#
# The emulator covers only the process CTest starts. A test that runs a
# shell or execs another mipsel program needs the kernel's binfmt_misc
# registration for qemu-mipsel as well.
#
# The Check suites need Check built for mipsel: Debian's own, by multiarch
# (dpkg --add-architecture mipsel; apt-get install check:mipsel
# libsubunit-dev:mipsel). Its libraries and pkg-config files are in
# /usr/lib/mipsel-linux-gnu, which CMAKE_LIBRARY_ARCHITECTURE makes CMake
# search. pkg-config must read the mipsel .pc files instead of the host's:
# PKG_CONFIG_LIBDIR is set below unless the environment sets it, and
# PKG_CONFIG_PATH must not name host directories, since pkg-config searches
# it first. Without BUILD_TESTING, none of this is used.
set(SIGPORT_CROSS_PROCESSOR mips)
set(SIGPORT_CROSS_TRIPLE mipsel-linux-gnu)
set(SIGPORT_CROSS_QEMU mipsel)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
