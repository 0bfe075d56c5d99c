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
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR riscv64)

set(SIGPORT_CROSS_TRIPLE riscv64-linux-gnu)
set(CMAKE_C_COMPILER ${SIGPORT_CROSS_TRIPLE}-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE ${SIGPORT_CROSS_TRIPLE})

if(NOT DEFINED ENV{PKG_CONFIG_LIBDIR})
  set(ENV{PKG_CONFIG_LIBDIR}
    "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/pkgconfig:/usr/share/pkgconfig")
endif()

# Dynamic programs are linked with riscv64's loader,
# /lib/ld-linux-riscv64-lp64d.so.1. Where the riscv64 C library is installed
# by multiarch (libc6:riscv64), qemu finds the loader under / by itself, and
# must not be given another C library: two C libraries in one process end in
# "stack smashing detected". Where only the cross compiler's copy in
# /usr/riscv64-linux-gnu is there, qemu is pointed at it with -L. The test
# is on the C library in the multiarch directory, since another
# architecture's loader may have the same path. Static programs need
# neither.
find_program(SIGPORT_QEMU_RISCV64 qemu-riscv64-static)
if(SIGPORT_QEMU_RISCV64)
  if(EXISTS /lib/${CMAKE_LIBRARY_ARCHITECTURE}/libc.so.6)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU_RISCV64})
  else()
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU_RISCV64} -L /usr/${SIGPORT_CROSS_TRIPLE})
  endif()
endif()
