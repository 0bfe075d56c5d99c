# The part every Linux cross toolchain file shares. The file that includes it sets:
#   SIGPORT_CROSS_PROCESSOR  CMAKE_SYSTEM_PROCESSOR (alpha, mips64, ...)
#   SIGPORT_CROSS_TRIPLE     the compiler's prefix and multiarch triple
#   SIGPORT_CROSS_QEMU       qemu-user's name for the target (qemu-NAME-static)
# and, where the multiarch directory is not named after the triple,
#   SIGPORT_CROSS_MULTIARCH  that name (i386-linux-gnu for i686-linux-gnu)
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${SIGPORT_CROSS_PROCESSOR})

set(CMAKE_C_COMPILER ${SIGPORT_CROSS_TRIPLE}-gcc)
if(DEFINED SIGPORT_CROSS_MULTIARCH)
  set(CMAKE_LIBRARY_ARCHITECTURE ${SIGPORT_CROSS_MULTIARCH})
else()
  set(CMAKE_LIBRARY_ARCHITECTURE ${SIGPORT_CROSS_TRIPLE})
endif()

if(NOT DEFINED ENV{PKG_CONFIG_LIBDIR})
  set(ENV{PKG_CONFIG_LIBDIR}
    "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/pkgconfig:/usr/share/pkgconfig")
endif()

# Where the target's C library is installed by multiarch (libc6:ARCH), qemu
# finds the dynamic loader under / by itself, and must not be given another
# C library. Where only the cross compiler's copy in /usr/TRIPLE is there,
# qemu is pointed at it with -L. The multiarch C library is looked for by
# its directory: the loader's name alone may be another architecture's
# (/lib/ld.so.1, /lib/ld-linux.so.2).
find_program(SIGPORT_QEMU qemu-${SIGPORT_CROSS_QEMU}-static)
if(SIGPORT_QEMU)
  if(EXISTS /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/libc.so.6)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU})
  else()
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_QEMU} -L /usr/${SIGPORT_CROSS_TRIPLE})
  endif()
endif()
