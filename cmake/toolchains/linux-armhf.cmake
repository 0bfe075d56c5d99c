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
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(SIGPORT_CROSS_TRIPLE arm-linux-gnueabihf)
set(CMAKE_C_COMPILER ${SIGPORT_CROSS_TRIPLE}-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE ${SIGPORT_CROSS_TRIPLE})

if(NOT DEFINED ENV{PKG_CONFIG_LIBDIR})
  set(ENV{PKG_CONFIG_LIBDIR}
    "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/pkgconfig:/usr/share/pkgconfig")
endif()

# The programs are linked with armhf's dynamic loader, /lib/ld-linux-armhf.so.3.
# Where the armhf C library is installed by multiarch (libc6:armhf, which
# check:armhf brings), qemu finds the loader under / by itself, and must
# not be given another C library. Where only the cross compiler's copy in
# /usr/arm-linux-gnueabihf is there, qemu is pointed at it with -L.
find_program(SIGPORT_QEMU_ARM qemu-arm-static)
if(SIGPORT_QEMU_ARM)
  if(EXISTS /lib/ld-linux-armhf.so.3)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU_ARM})
  else()
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU_ARM} -L /usr/${SIGPORT_CROSS_TRIPLE})
  endif()
endif()
