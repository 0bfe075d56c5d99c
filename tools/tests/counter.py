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
import select
import signal
import sys
import time

counted = signal.Signals["SIG" + sys.argv[1]]
end = signal.Signals["SIG" + sys.argv[2]]
if len(sys.argv) > 3 and sys.argv[3] == "own-group":
    os.setpgid(0, 0)
n = 0
# SIGPORT_COUNTER_LOG: a file that gets each line too, with the time.
log = os.environ.get("SIGPORT_COUNTER_LOG")
log_fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644) \
    if log else -1


def say(*words):
    line = " ".join(str(w) for w in words)
    if log_fd >= 0:
        os.write(log_fd, ("%.3f %s\n" % (time.monotonic(), line)).encode())
    # One write of the whole line, not print(): a handler may run while
    # the main code is inside print(), and print() refuses to be entered
    # again (RuntimeError: reentrant call).
    os.write(1, (line + "\n").encode())


def on_counted(s, f):
    global n
    n += 1
    say("got", n)


def on_end(s, f):
    say("total", n)
    os._exit(0)


def on_cont(s, f):
    say("cont")


signal.signal(counted, on_counted)
signal.signal(end, on_end)
signal.signal(signal.SIGCONT, on_cont)
# Sleeps on the wakeup fd, not in signal.pause(): a signal that comes
# after Python last looked for handlers to run and before pause() began
# would leave pause() asleep with the handler not run. The wakeup fd keeps
# the byte the signal wrote, so select() returns and the handler runs.
wake_r, wake_w = os.pipe()
os.set_blocking(wake_r, False)
os.set_blocking(wake_w, False)
signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
say("ready", os.getpid())
while True:
    select.select([wake_r], [], [])
    try:
        os.read(wake_r, 512)
    except BlockingIOError:
        pass
