# Cross-compiles for 64-bit little-endian MIPS Linux with the n64 ABI
# (Debian's mips64el), with Debian's cross compiler (packages
# gcc-mips64el-linux-gnuabi64 and libc6-dev-mips64el-cross). CTest runs the
# programs under qemu-user (package qemu-user-static), through
# CMAKE_CROSSCOMPILING_EMULATOR.
#
#   cmake -B build/cross-mips64el -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-mips64el.cmake
#
# Linux on MIPS has 128 signals (SIGPORT_NSIG 128) and numbers them its own
# way (SIGUSR1 16, SIGCHLD 18, ...).
#
# The emulator covers only the process CTest starts. A test that runs a
# shell or execs another mips64el program needs the kernel's binfmt_misc
# registration for qemu-mips64el as well.
#
# The Check suites need Check built for mips64el: Debian's own, by multiarch
# (dpkg --add-architecture mips64el; apt-get install check:mips64el
# libsubunit-dev:mips64el). Its libraries and pkg-config files are in
# /usr/lib/mips64el-linux-gnuabi64, which CMAKE_LIBRARY_ARCHITECTURE makes
# CMake search. pkg-config must read the mips64el .pc files instead of the
# host's: PKG_CONFIG_LIBDIR is set below unless the environment sets it, and
# PKG_CONFIG_PATH must not name host directories, since pkg-config searches
# it first. Without BUILD_TESTING, none of this is used.
set(SIGPORT_CROSS_PROCESSOR mips64)
set(SIGPORT_CROSS_TRIPLE mips64el-linux-gnuabi64)
set(SIGPORT_CROSS_QEMU mips64el)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
