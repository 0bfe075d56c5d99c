# Cross-compiles for 32-bit big-endian PowerPC Linux (Debian's powerpc),
# with Debian's cross compiler (packages gcc-powerpc-linux-gnu and
# libc6-dev-powerpc-cross). CTest runs the programs under qemu-user (package
# qemu-user-static), through CMAKE_CROSSCOMPILING_EMULATOR.
#
#   cmake -B build/cross-powerpc -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-powerpc.cmake
#
# The emulator covers only the process CTest starts. A test that runs a
# shell or execs another powerpc program needs the kernel's binfmt_misc
# registration for qemu-ppc as well (/usr/lib/binfmt.d/qemu-ppc.conf).
#
# Debian 12 has no powerpc packages to install by multiarch (powerpc is one
# of its ports), so no Check either: the suites are off (a configure that
# requires them fails), and the tool's and the examples' shell tests are
# what CTest runs. ci/cross.sh links the programs statically for that
# (-DCMAKE_EXE_LINKER_FLAGS=-static). pkg-config reads only the powerpc
# directories, set below unless the environment sets PKG_CONFIG_LIBDIR, so
# that the host's Check is never taken for the target's; PKG_CONFIG_PATH
# must not name host directories.
set(SIGPORT_CROSS_PROCESSOR ppc)
set(SIGPORT_CROSS_TRIPLE powerpc-linux-gnu)
set(SIGPORT_CROSS_QEMU ppc)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
