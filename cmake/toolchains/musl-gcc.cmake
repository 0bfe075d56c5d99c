# Builds with musl instead of glibc, through Debian's musl-gcc wrapper
# (package musl-tools), with static executables. The host stays Linux, so
# the programs run here as they are.
#
#   cmake -B build/musl -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/musl-gcc.cmake
#
# Debian's libcheck is built for glibc and does not link with musl, so
# configure with -DBUILD_TESTING=OFF unless Check was built with
# CC=musl-gcc.
set(CMAKE_C_COMPILER musl-gcc)

# Executables carry musl itself, so that they run without musl's dynamic
# loader and cannot pick up glibc at run time.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
