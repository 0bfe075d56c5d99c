# Builds sigport's examples against an installed sigport, found with
# pkg-config. It is installed with them as the Makefile of
# share/doc/sigport/examples; copy that directory somewhere writable,
# then:
#
#   make                 every example, here
#   make event_loop      one of them
#   make PKG_CONFIG_PATH=/opt/sigport/lib/pkgconfig
#                        a prefix that pkg-config does not search
#
# With a shared libsigport outside the loader's path, also pass
# LDFLAGS=-Wl,-rpath,<prefix>/lib. In the source tree CMake builds the
# examples (CMakeLists.txt), and this file is examples/installed.mk.

PKG_CONFIG = pkg-config
CFLAGS = -std=c11 -O2 -Wall -Wextra
# two_loops runs its loops on threads of its own.
THREADS = -pthread

EXAMPLES = alarm_open alarm_read sigpipe_head interrupt_loop event_loop two_loops reaper

all: $(EXAMPLES)

# One program from one source. Whether sigport is found is checked first,
# so that a missing package stops the build with pkg-config's message.
.SUFFIXES:
.SUFFIXES: .c
.c:
	@$(PKG_CONFIG) --exists --print-errors sigport
	$(CC) $(CFLAGS) $(CPPFLAGS) `$(PKG_CONFIG) --cflags sigport` -o $@ $< \
	  $(LDFLAGS) `$(PKG_CONFIG) --libs sigport` $(THREADS) $(LDLIBS)

clean:
	rm -f $(EXAMPLES)

.PHONY: all clean
