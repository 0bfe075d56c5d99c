# Cross-compiles for 32-bit PA-RISC Linux (Debian's ports architecture
# hppa), big-endian, with Debian's cross compiler (packages
# gcc-hppa-linux-gnu and libc6-dev-hppa-cross). CTest runs the programs
# under qemu-user (package qemu-user-static), through
# CMAKE_CROSSCOMPILING_EMULATOR.
#
#   cmake -B build/cross-hppa -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-hppa.cmake
#
# Linux on PA-RISC numbers its signals its own way (SIGSTKFLT 7, SIGXCPU 12,
# SIGUSR1 16, SIGCHLD 18, ...).
#
# The emulator covers only the process CTest starts. A test that runs a
# shell or execs another hppa program needs the kernel's binfmt_misc
# registration for qemu-hppa as well.
#
# Debian 12 has no Check for hppa (a ports architecture): configure with
# -DBUILD_TESTING=OFF, or give it a Check cross-built from source, whose
# libraries and pkg-config files go in /usr/lib/hppa-linux-gnu, which
# CMAKE_LIBRARY_ARCHITECTURE makes CMake search. pkg-config must read the
# hppa .pc files instead of the host's: PKG_CONFIG_LIBDIR is set below
# unless the environment sets it, and PKG_CONFIG_PATH must not name host
# directories, since pkg-config searches it first. Without BUILD_TESTING,
# none of this is used.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR hppa)

set(SIGPORT_CROSS_TRIPLE hppa-linux-gnu)
set(CMAKE_C_COMPILER ${SIGPORT_CROSS_TRIPLE}-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE hppa-linux-gnu)

if(NOT DEFINED ENV{PKG_CONFIG_LIBDIR})
  set(ENV{PKG_CONFIG_LIBDIR}
    "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/pkgconfig:/usr/share/pkgconfig")
endif()

# Where the hppa C library is installed by multiarch (libc6:hppa), qemu
# finds the dynamic loader under / by itself, and must not be given another
# C library. Where only the cross compiler's copy in /usr/hppa-linux-gnu is
# there, qemu is pointed at it with -L. The multiarch C library is looked
# for by its directory: the loader's name alone may be another
# architecture's (/lib/ld.so.1, /lib/ld-linux.so.2).
find_program(SIGPORT_QEMU_HPPA qemu-hppa-static)
if(SIGPORT_QEMU_HPPA)
  if(EXISTS /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/libc.so.6)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU_HPPA})
  else()
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU_HPPA} -L /usr/${SIGPORT_CROSS_TRIPLE})
  endif()
endif()
