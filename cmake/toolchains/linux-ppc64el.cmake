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
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ppc64le)

set(SIGPORT_CROSS_TRIPLE powerpc64le-linux-gnu)
set(CMAKE_C_COMPILER ${SIGPORT_CROSS_TRIPLE}-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE ${SIGPORT_CROSS_TRIPLE})

if(NOT DEFINED ENV{PKG_CONFIG_LIBDIR})
  set(ENV{PKG_CONFIG_LIBDIR}
    "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/pkgconfig:/usr/share/pkgconfig")
endif()

# Dynamic programs are linked with ppc64el's loader, /lib64/ld64.so.2. Where
# the ppc64el C library is installed by multiarch (libc6:ppc64el, which
# check:ppc64el brings), qemu finds the loader under / by itself, and must
# not be given another C library: two C libraries in one process end in
# "stack smashing detected". Where only the cross compiler's copy in
# /usr/powerpc64le-linux-gnu is there, qemu is pointed at it with -L. The
# test is on the C library in the multiarch directory, since another
# architecture's loader may have the same path. Static programs need
# neither.
find_program(SIGPORT_QEMU_PPC64LE qemu-ppc64le-static)
if(SIGPORT_QEMU_PPC64LE)
  if(EXISTS /lib/${CMAKE_LIBRARY_ARCHITECTURE}/libc.so.6)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU_PPC64LE})
  else()
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU_PPC64LE} -L /usr/${SIGPORT_CROSS_TRIPLE})
  endif()
endif()
