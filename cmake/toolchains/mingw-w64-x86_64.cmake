# Cross-compiles for 64-bit Windows with MinGW-w64. CTest runs the .exe
# files under Wine, through CMAKE_CROSSCOMPILING_EMULATOR.
#
#   cmake -B build -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/mingw-w64-x86_64.cmake
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(SIGPORT_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${SIGPORT_MINGW_TRIPLE}-gcc)
set(CMAKE_RC_COMPILER ${SIGPORT_MINGW_TRIPLE}-windres)

# Libraries and headers come from the MinGW sysroot only; programs from the
# host. Packages may also come from CMAKE_PREFIX_PATH (the cross-built
# Check, or an installed sigport), outside the sysroot.
set(CMAKE_FIND_ROOT_PATH /usr/${SIGPORT_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# Executables and DLLs carry libgcc and winpthreads, so neither Windows nor
# Wine needs a MinGW DLL beside them. Without this, a missing DLL makes a
# test exit with status 53 and print nothing under WINEDEBUG=-all.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static")

find_program(SIGPORT_WINE wine)
if(SIGPORT_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGPORT_WINE})
endif()
