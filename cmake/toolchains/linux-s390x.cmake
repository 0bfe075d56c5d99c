# Cross-compiles for 64-bit IBM Z Linux (Debian's s390x), big-endian, with
# Debian's cross compiler (packages gcc-s390x-linux-gnu and
# libc6-dev-s390x-cross). CTest runs the programs under qemu-user (package
# qemu-user-static), through CMAKE_CROSSCOMPILING_EMULATOR.
#
#   cmake -B build/cross-s390x -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-s390x.cmake
#
# On this big-endian 64-bit system the int of a sigval is the high half of
# the union: info->value and info->value_int differ.
#
# The emulator covers only the process CTest starts. A test that runs a
# shell or execs another s390x program needs the kernel's binfmt_misc
# registration for qemu-s390x as well.
#
# The Check suites need Check built for s390x: Debian's own, by multiarch
# (dpkg --add-architecture s390x; apt-get install check:s390x
# libsubunit-dev:s390x). Its libraries and pkg-config files are in
# /usr/lib/s390x-linux-gnu, which CMAKE_LIBRARY_ARCHITECTURE makes CMake
# search. pkg-config must read the s390x .pc files instead of the host's:
# PKG_CONFIG_LIBDIR is set below unless the environment sets it, and
# PKG_CONFIG_PATH must not name host directories, since pkg-config searches
# it first. Without BUILD_TESTING, none of this is used.
set(SIGPORT_CROSS_PROCESSOR s390x)
set(SIGPORT_CROSS_TRIPLE s390x-linux-gnu)
set(SIGPORT_CROSS_QEMU s390x)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
