# Cross-compiles for 64-bit little-endian POWER Linux (Debian's ppc64el),
# with Debian's cross compiler (packages gcc-powerpc64le-linux-gnu and
# libc6-dev-ppc64el-cross). CTest runs the programs under qemu-user (package
# qemu-user-static), through CMAKE_CROSSCOMPILING_EMULATOR.
#
#   cmake -B build/cross-ppc64el -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-ppc64el.cmake
#
# The emulator covers only the process CTest starts. A test that runs a
# shell or execs another ppc64el program needs the kernel's binfmt_misc
# registration for qemu-ppc64le as well
# (/usr/lib/binfmt.d/qemu-ppc64le.conf).
#
# The Check suites need Check built for ppc64el: Debian's own, by multiarch
# (dpkg --add-architecture ppc64el; apt-get install check:ppc64el
# libsubunit-dev:ppc64el). Its libraries and pkg-config files are in
# /usr/lib/powerpc64le-linux-gnu, which CMAKE_LIBRARY_ARCHITECTURE makes
# CMake search. pkg-config must read the ppc64el .pc files instead of the
# host's: PKG_CONFIG_LIBDIR is set below unless the environment sets it, and
# PKG_CONFIG_PATH must not name host directories, since pkg-config searches
# it first. Without BUILD_TESTING, none of this is used.
set(SIGPORT_CROSS_PROCESSOR ppc64le)
set(SIGPORT_CROSS_TRIPLE powerpc64le-linux-gnu)
set(SIGPORT_CROSS_QEMU ppc64le)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
