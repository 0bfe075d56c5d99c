"""counter.py: a command for `sigport run` that reports the signals it gets.

    python3 counter.py COUNTED END [own-group]

It prints "ready PID" once its handlers are in place, "got N" at each
delivery of COUNTED, "cont" at each SIGCONT, and at END "total N" before
it exits 0. Signals are named without SIG (TERM, USR1). With own-group it
first makes itself a process group of its own, as a nested supervisor
does.

Python runs the handlers of pending signals in signal number order, as
the kernel delivers them, so a copy of COUNTED that was on its way before
a higher-numbered END is counted before END's line: "total N" is the
exact count when END is higher than COUNTED.
"""
import os
import signal
import sys

counted = signal.Signals["SIG" + sys.argv[1]]
end = signal.Signals["SIG" + sys.argv[2]]
if len(sys.argv) > 3 and sys.argv[3] == "own-group":
    os.setpgid(0, 0)
n = 0


def on_counted(s, f):
    global n
    n += 1
    print("got", n, flush=True)


def on_end(s, f):
    print("total", n, flush=True)
    os._exit(0)


def on_cont(s, f):
    print("cont", flush=True)


signal.signal(counted, on_counted)
signal.signal(end, on_end)
signal.signal(signal.SIGCONT, on_cont)
print("ready", os.getpid(), flush=True)
while True:
    signal.pause()
