# Cross-compiles for 32-bit ARM Linux with the hard-float ABI (Debian's
# armhf), with Debian's cross compiler (packages gcc-arm-linux-gnueabihf
# and libc6-dev-armhf-cross). CTest runs the programs under qemu-user
# (package qemu-user-static), through CMAKE_CROSSCOMPILING_EMULATOR.
#
#   cmake -B build/cross-armhf -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-armhf.cmake
#
# The emulator covers only the process CTest starts. A test that runs a
# shell or execs another armhf program needs the kernel's binfmt_misc
# registration for qemu-arm as well.
#
# The Check suites need Check built for armhf: Debian's own, by multiarch
# (dpkg --add-architecture armhf; apt-get install check:armhf
# libsubunit-dev:armhf). Its libraries and pkg-config files are in
# /usr/lib/arm-linux-gnueabihf, which CMAKE_LIBRARY_ARCHITECTURE makes
# CMake search. pkg-config must read the armhf .pc files instead of the
# host's: PKG_CONFIG_LIBDIR is set below unless the environment sets it,
# and PKG_CONFIG_PATH must not name host directories, since pkg-config
# searches it first. Without BUILD_TESTING, none of this is used.
set(SIGPORT_CROSS_PROCESSOR arm)
set(SIGPORT_CROSS_TRIPLE arm-linux-gnueabihf)
set(SIGPORT_CROSS_QEMU arm)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
