"""CPython's asyncio as the reaper of the child-reaping workload (child.c).

    python3 child_python.py pidfd|threaded N WAVE serial|burst PROGRAM

The same workload as child.c, with the same child (child_exit) and the
same rows. The children are started with asyncio.create_subprocess_exec()
with close_fds=False, so that subprocess starts them with os.posix_spawn(),
as the C arms do (with close_fds=True it would fork_exec and close every
inherited fd in the child). Each child's end is awaited by a task of its
own (`await proc.wait()`), and that is its callback. The child watcher is
asyncio.PidfdChildWatcher (a pidfd per child, read by the loop's selector;
no signal, no thread) or asyncio.ThreadedChildWatcher (a thread per child,
blocked in waitpid(pid)), set with asyncio.set_child_watcher(). The watch
figure is the CPU time of the watcher's add_child_handler(), which
create_subprocess_exec() calls: for ThreadedChildWatcher, the start of the
child's thread.
"""
import asyncio
import os
import resource
import signal
import sys
import time
import warnings


def cpu_ns():
    """The process's user and system time (every thread), as child.c."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return round((ru.ru_utime + ru.ru_stime) * 1e9)


def child_code(i):
    """The exit code of child i (child.h)."""
    return i % 250 + 1


def timed_watcher(kind):
    base = {"pidfd": asyncio.PidfdChildWatcher,
            "threaded": asyncio.ThreadedChildWatcher}[kind]

    class Timed(base):
        watch_ns = 0

        def add_child_handler(self, pid, callback, *args):
            t0 = time.process_time_ns()
            super().add_child_handler(pid, callback, *args)
            self.watch_ns += time.process_time_ns() - t0

    return Timed()


def count_pidfds():
    n = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}") == "anon_inode:[pidfd]":
                n += 1
        except OSError:
            pass
    return n


async def run(kind, n, wave, serial, prog):
    import mmap

    loop = asyncio.get_running_loop()
    watcher = timed_watcher(kind)
    with warnings.catch_warnings():
        # Deprecated from Python 3.12 on (and gone in 3.14).
        warnings.simplefilter("ignore", DeprecationWarning)
        watcher.attach_loop(loop)
        asyncio.set_child_watcher(watcher)

    stamps_fd = os.memfd_create("child-stamps", 0)
    os.set_inheritable(stamps_fd, True)
    os.ftruncate(stamps_fd, n * 8)
    shm = mmap.mmap(stamps_fd, n * 8)
    stamps = memoryview(shm).cast("q")
    lat = [-1] * n
    seen = bytearray(n)
    st = {"ended": 0, "good": 0, "bad": 0, "end": 0, "released": 0,
          "gate": -1, "gate_ns": 0, "done": None}

    def release_one():
        if st["released"] >= st["end"]:
            return
        t0 = time.thread_time_ns()
        os.write(st["gate"], b"g")
        st["gate_ns"] += time.thread_time_ns() - t0
        st["released"] += 1

    def ended(i, returncode):
        now = time.monotonic_ns()
        if seen[i]:
            st["bad"] += 1
            return
        seen[i] = 1
        st["ended"] += 1
        stamp = stamps[i]
        if returncode == child_code(i) and stamp != 0:
            st["good"] += 1
        else:
            st["bad"] += 1
        lat[i] = now - stamp if stamp else -1
        if serial:
            release_one()
        if st["ended"] == st["end"]:
            st["done"].set_result(None)

    async def reap_one(i, proc):
        ended(i, await proc.wait())

    c_start = c_watch = c_reap = c_gate = w_reap = w_start = 0
    tasks = []
    t_start = time.monotonic_ns()
    for w0 in range(0, n, wave):
        w1 = min(n, w0 + wave)
        gate_r, gate_w = os.pipe()
        os.set_inheritable(gate_r, True)
        st["gate"] = gate_w
        st["end"] = w1
        st["gate_ns"] = 0
        st["done"] = loop.create_future()
        args = [prog, str(stamps_fd), "", str(gate_r)]
        t0, c0, watch0 = time.monotonic_ns(), cpu_ns(), watcher.watch_ns
        for i in range(w0, w1):
            args[2] = str(i)
            proc = await asyncio.create_subprocess_exec(*args, close_fds=False)
            tasks.append(loop.create_task(reap_one(i, proc)))
        c1 = cpu_ns()
        if w0 == 0 and kind == "pidfd":
            print(f"childcheck\tpython-{kind}\tpidfds for {w1} children\t"
                  f"{count_pidfds()}\t", flush=True)
        os.close(gate_r)

        t3, c3 = time.monotonic_ns(), cpu_ns()
        if serial:
            release_one()
        else:
            os.close(gate_w)
            st["gate_ns"] = cpu_ns() - c3
        await st["done"]
        c4, t4 = cpu_ns(), time.monotonic_ns()
        if serial:
            os.close(gate_w)
        watch = watcher.watch_ns - watch0
        c_start += c1 - c0 - watch
        c_watch += watch
        c_reap += c4 - c3 - st["gate_ns"]
        c_gate += st["gate_ns"]
        w_reap += t4 - t3
        w_start += t3 - t0
    await asyncio.gather(*tasks)

    reported = sum(seen)
    sorted_lat = sorted(v for i, v in enumerate(lat) if seen[i] and v >= 0)
    k = len(sorted_lat)
    name = f"python-{kind}/{'serial' if serial else 'burst'}"

    def row(metric, value, unit=""):
        print(f"child\t{name}\t{metric}@{n}\t{value:.6g}\t{unit}", flush=True)

    row("start cpu", c_start / n, "ns")
    row("watch cpu", c_watch / n, "ns")
    row("reap cpu", c_reap / n, "ns")
    row("gate cpu", c_gate / n, "ns")
    row("start wall", w_start / n, "ns")
    row("reap wall", w_reap / n, "ns")
    row("lat median", sorted_lat[k // 2] if k else -1, "ns")
    row("lat p99", sorted_lat[(k * 99 + 99) // 100 - 1] if k else -1, "ns")
    row("lat max", sorted_lat[-1] if k else -1, "ns")
    row("reaped", st["good"])
    row("wrong", st["bad"] + n - reported)
    row("wall", (time.monotonic_ns() - t_start) / 1e9, "s")
    del stamps
    shm.close()


def main():
    if len(sys.argv) != 6 or sys.argv[1] not in ("pidfd", "threaded") or \
            sys.argv[4] not in ("serial", "burst"):
        sys.exit("usage: child_python.py pidfd|threaded N WAVE serial|burst "
                 "PROGRAM")
    kind, n, wave = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    # A child that no callback reports would hang the loop.
    signal.alarm(300)
    asyncio.run(run(kind, n, wave, sys.argv[4] == "serial", sys.argv[5]))


if __name__ == "__main__":
    main()
