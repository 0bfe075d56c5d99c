# Cross-compiles for 64-bit IBM Z Linux, big-endian (Debian's s390x), with
# Debian's cross compiler (packages gcc-s390x-linux-gnu and
# libc6-dev-s390x-cross). CTest runs the programs under qemu-user (package
# qemu-user-static), through CMAKE_CROSSCOMPILING_EMULATOR.
#
#   cmake -B build/cross-s390x -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-s390x.cmake
#
# The emulator covers only the process CTest starts. A test that runs a
# shell or execs another s390x program needs the kernel's binfmt_misc
# registration for qemu-s390x as well (/usr/lib/binfmt.d/qemu-s390x.conf).
#
# The Check suites need Check built for s390x: Debian's own, by multiarch
# (dpkg --add-architecture s390x; apt-get install check:s390x
# libsubunit-dev:s390x). Its libraries and pkg-config files are in
# /usr/lib/s390x-linux-gnu, which CMAKE_LIBRARY_ARCHITECTURE makes CMake
# search. pkg-config must read the s390x .pc files instead of the host's:
# PKG_CONFIG_LIBDIR is set below unless the environment sets it, and
# PKG_CONFIG_PATH must not name host directories, since pkg-config searches
# it first. Without BUILD_TESTING, none of this is used.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR s390x)

set(SIGPORT_CROSS_TRIPLE s390x-linux-gnu)
set(CMAKE_C_COMPILER ${SIGPORT_CROSS_TRIPLE}-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE ${SIGPORT_CROSS_TRIPLE})

if(NOT DEFINED ENV{PKG_CONFIG_LIBDIR})
  set(ENV{PKG_CONFIG_LIBDIR}
    "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/pkgconfig:/usr/share/pkgconfig")
endif()

# Dynamic programs are linked with s390x's loader, /lib/ld64.so.1. Where the
# s390x C library is installed by multiarch (libc6:s390x, which check:s390x
# brings), qemu finds the loader under / by itself, and must not be given
# another C library: two C libraries in one process end in "stack smashing
# detected". Where only the cross compiler's copy in /usr/s390x-linux-gnu is
# there, qemu is pointed at it with -L. The test is on the C library in the
# multiarch directory, since another architecture's loader may have the same
# path. Static programs need neither.
find_program(SIGPORT_QEMU_S390X qemu-s390x-static)
if(SIGPORT_QEMU_S390X)
  if(EXISTS /lib/${CMAKE_LIBRARY_ARCHITECTURE}/libc.so.6)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU_S390X})
  else()
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU_S390X} -L /usr/${SIGPORT_CROSS_TRIPLE})
  endif()
endif()
