# Cross-compiles for 32-bit little-endian MIPS Linux with the o32 ABI
# (Debian's mipsel), with Debian's cross compiler (packages
# gcc-mipsel-linux-gnu and libc6-dev-mipsel-cross). CTest runs the programs
# under qemu-user (package qemu-user-static), through
# CMAKE_CROSSCOMPILING_EMULATOR.
#
#   cmake -B build/cross-mipsel -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-mipsel.cmake
#
# Linux on MIPS has 128 signals (SIGPORT_NSIG 128) and numbers them its own
# way (SIGUSR1 16, SIGCHLD 18, ...); long has 32 bits here.
#
# The emulator covers only the process CTest starts. A test that runs a
# shell or execs another mipsel program needs the kernel's binfmt_misc
# registration for qemu-mipsel as well.
#
# The Check suites need Check built for mipsel: Debian's own, by multiarch
# (dpkg --add-architecture mipsel; apt-get install check:mipsel
# libsubunit-dev:mipsel). Its libraries and pkg-config files are in
# /usr/lib/mipsel-linux-gnu, which CMAKE_LIBRARY_ARCHITECTURE makes CMake
# search. pkg-config must read the mipsel .pc files instead of the host's:
# PKG_CONFIG_LIBDIR is set below unless the environment sets it, and
# PKG_CONFIG_PATH must not name host directories, since pkg-config searches
# it first. Without BUILD_TESTING, none of this is used.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR mips)

set(SIGPORT_CROSS_TRIPLE mipsel-linux-gnu)
set(CMAKE_C_COMPILER ${SIGPORT_CROSS_TRIPLE}-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE mipsel-linux-gnu)

if(NOT DEFINED ENV{PKG_CONFIG_LIBDIR})
  set(ENV{PKG_CONFIG_LIBDIR}
    "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/pkgconfig:/usr/share/pkgconfig")
endif()

# Where the mipsel C library is installed by multiarch (libc6:mipsel), qemu
# finds the dynamic loader under / by itself, and must not be given another
# C library. Where only the cross compiler's copy in /usr/mipsel-linux-gnu
# is there, qemu is pointed at it with -L. The multiarch C library is looked
# for by its directory: the loader's name alone may be another
# architecture's (/lib/ld.so.1, /lib/ld-linux.so.2).
find_program(SIGPORT_QEMU_MIPSEL qemu-mipsel-static)
if(SIGPORT_QEMU_MIPSEL)
  if(EXISTS /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/libc.so.6)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU_MIPSEL})
  else()
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU_MIPSEL} -L /usr/${SIGPORT_CROSS_TRIPLE})
  endif()
endif()
