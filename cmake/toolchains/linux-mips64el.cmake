# Cross-compiles for 64-bit little-endian MIPS Linux with the n64 ABI
# (Debian's mips64el), with Debian's cross compiler (packages
# gcc-mips64el-linux-gnuabi64 and libc6-dev-mips64el-cross). CTest runs the
# programs under qemu-user (package qemu-user-static), through
# CMAKE_CROSSCOMPILING_EMULATOR.
#
#   cmake -B build/cross-mips64el -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-mips64el.cmake
#
# The emulator covers only the process CTest starts. A test that runs a
# shell or execs another mips64el program needs the kernel's binfmt_misc
# registration for qemu-mips64el as well
# (/usr/lib/binfmt.d/qemu-mips64el.conf).
#
# The Check suites need Check built for mips64el: Debian's own, by multiarch
# (dpkg --add-architecture mips64el; apt-get install check:mips64el
# libsubunit-dev:mips64el). Its libraries and pkg-config files are in
# /usr/lib/mips64el-linux-gnuabi64, which CMAKE_LIBRARY_ARCHITECTURE makes
# CMake search. pkg-config must read the mips64el .pc files instead of the
# host's: PKG_CONFIG_LIBDIR is set below unless the environment sets it, and
# PKG_CONFIG_PATH must not name host directories, since pkg-config searches
# it first. Without BUILD_TESTING, none of this is used.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR mips64)

set(SIGPORT_CROSS_TRIPLE mips64el-linux-gnuabi64)
set(CMAKE_C_COMPILER ${SIGPORT_CROSS_TRIPLE}-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE ${SIGPORT_CROSS_TRIPLE})

if(NOT DEFINED ENV{PKG_CONFIG_LIBDIR})
  set(ENV{PKG_CONFIG_LIBDIR}
    "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/pkgconfig:/usr/share/pkgconfig")
endif()

# Dynamic programs are linked with mips64el's loader, /lib64/ld.so.1. Where
# the mips64el C library is installed by multiarch (libc6:mips64el, which
# check:mips64el brings), qemu finds the loader under / by itself, and must
# not be given another C library: two C libraries in one process end in
# "stack smashing detected". Where only the cross compiler's copy in
# /usr/mips64el-linux-gnuabi64 is there, qemu is pointed at it with -L. The
# test is on the C library in the multiarch directory, since another
# architecture's loader may have the same path. Static programs need
# neither.
find_program(SIGPORT_QEMU_MIPS64EL qemu-mips64el-static)
if(SIGPORT_QEMU_MIPS64EL)
  if(EXISTS /lib/${CMAKE_LIBRARY_ARCHITECTURE}/libc.so.6)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU_MIPS64EL})
  else()
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU_MIPS64EL} -L /usr/${SIGPORT_CROSS_TRIPLE})
  endif()
endif()
