# Cross-compiles for 64-bit RISC-V Linux (Debian's riscv64), with Debian's
# cross compiler (packages gcc-riscv64-linux-gnu and
# libc6-dev-riscv64-cross). CTest runs the programs under qemu-user (package
# qemu-user-static), through CMAKE_CROSSCOMPILING_EMULATOR.
#
#   cmake -B build/cross-riscv64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-riscv64.cmake
#
# The emulator covers only the process CTest starts. A test that runs a
# shell or execs another riscv64 program needs the kernel's binfmt_misc
# registration for qemu-riscv64 as well
# (/usr/lib/binfmt.d/qemu-riscv64.conf).
#
# Debian 12 has no riscv64 packages to install by multiarch (riscv64 is one
# of its ports), so no Check either: the suites are off (a configure that
# requires them fails), and the tool's and the examples' shell tests are
# what CTest runs. ci/cross.sh links the programs statically for that
# (-DCMAKE_EXE_LINKER_FLAGS=-static). pkg-config reads only the riscv64
# directories, set below unless the environment sets PKG_CONFIG_LIBDIR, so
# that the host's Check is never taken for the target's; PKG_CONFIG_PATH
# must not name host directories.
set(SIGPORT_CROSS_PROCESSOR riscv64)
set(SIGPORT_CROSS_TRIPLE riscv64-linux-gnu)
set(SIGPORT_CROSS_QEMU riscv64)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
