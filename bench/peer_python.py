"""CPython's signal module as a peer of the benchmarks.

    python3 peer_python.py roundtrip|latency|burst|rtburst N PINGER
    python3 peer_python.py rss
    python3 peer_python.py fanout ROUNDS K

Prints the same tab-separated rows as the C programs. PINGER is the path of
bench_pinger, the child that sends the signals of the latency and burst
workloads. Only os and signal are imported at the top, so that the rss
workload measures a minimal program.
"""
import os
import signal
import sys

NAME = "python"


def row(workload, metric, value, unit=""):
    print(f"{workload}\t{NAME}\t{metric}\t{value:.6g}\t{unit}", flush=True)


def status_kib():
    """VmRSS, RssAnon and RssFile, read in one pass."""
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "RssAnon", "RssFile"):
                out[name] = int(rest.split()[0])
    return out


def rss():
    ran = []
    signal.signal(signal.SIGUSR1, lambda s, f: ran.append(s))
    os.kill(os.getpid(), signal.SIGUSR1)
    if not ran:
        sys.exit("rss: the handler did not run")
    for field, kib in status_kib().items():
        row("rss", field, kib, "KiB")


def roundtrip(n):
    import time

    calls = [0]

    def handler(signum, frame):
        calls[0] += 1

    signal.signal(signal.SIGUSR1, handler)
    kill, pid, sig = os.kill, os.getpid(), signal.SIGUSR1
    warm = n // 10 + 100
    for _ in range(warm):
        kill(pid, sig)
    t0 = time.perf_counter_ns()
    for _ in range(n):
        kill(pid, sig)
    t1 = time.perf_counter_ns()
    if calls[0] != warm + n:
        sys.exit(f"python: {calls[0]} handler calls, expected {warm + n}")
    row("roundtrip", "time", (t1 - t0) / n, "ns")


def wakeup_pipe():
    """A non-blocking pipe set as the wakeup fd: CPython writes one byte
    to it from its C handler for every delivery."""
    import fcntl

    r, w = os.pipe()
    os.set_blocking(r, False)
    os.set_blocking(w, False)
    fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, 1 << 20)
    signal.set_wakeup_fd(w, warn_on_full_buffer=False)
    return r, w


def start_pinger(pinger, mode, n, gap_us):
    import mmap
    import subprocess

    shm_fd = os.memfd_create("bench", 0)
    os.ftruncate(shm_fd, 4096)
    shm = mmap.mmap(shm_fd, 4096)
    ack_r, ack_w = os.pipe()
    child = subprocess.Popen(
        [pinger, mode, str(shm_fd), str(os.getpid()), str(n), str(ack_r),
         str(gap_us)],
        pass_fds=(shm_fd, ack_r))
    os.close(ack_r)
    return child, shm, ack_w


def latency(n, pinger):
    import select
    import struct
    import time

    warm = n // 10 + 10
    total = n + warm
    lat = []
    r, _ = wakeup_pipe()
    clock = time.clock_gettime_ns
    mono = time.CLOCK_MONOTONIC
    child, shm, ack = start_pinger(pinger, "latency", total, 50)

    def handler(signum, frame):
        now = clock(mono)
        lat.append(now - struct.unpack_from("q", shm, 0)[0])
        os.write(ack, b"x")

    signal.signal(signal.SIGUSR1, handler)
    poller = select.poll()
    poller.register(r, select.POLLIN)
    os.write(ack, b"x")
    while len(lat) < total:
        poller.poll()
        try:
            os.read(r, 256)
        except BlockingIOError:
            pass
    if child.wait() != 0:
        sys.exit("python: the pinger failed")
    samples = sorted(lat[warm:])
    row("latency", "median", samples[len(samples) // 2], "ns")
    row("latency", "p99", samples[len(samples) * 99 // 100], "ns")
    row("latency", "samples", len(samples))


def burst(workload, n, pinger):
    import select
    import time

    if workload == "burst":
        sig, end = signal.SIGUSR1, signal.SIGUSR2
    else:
        sig, end = signal.SIGRTMIN, signal.SIGRTMIN + 1
    calls = [0]
    done = [False]
    bytes_seen = [0]

    def handler(signum, frame):
        calls[0] += 1

    def end_handler(signum, frame):
        done[0] = True

    r, _ = wakeup_pipe()
    signal.signal(sig, handler)
    signal.signal(end, end_handler)
    poller = select.poll()
    poller.register(r, select.POLLIN)

    def drain():
        try:
            data = os.read(r, 65536)
        except BlockingIOError:
            return
        bytes_seen[0] += data.count(bytes([int(sig)]))

    child, shm, ack = start_pinger(pinger, workload, n, 0)
    t0 = time.perf_counter_ns()
    os.write(ack, b"x")
    while not done[0]:
        poller.poll()
        drain()
    os.write(ack, b"x")
    quiet = time.monotonic()
    last = (calls[0], bytes_seen[0])
    while time.monotonic() - quiet < 0.02:
        poller.poll(1)
        drain()
        if (calls[0], bytes_seen[0]) != last:
            last = (calls[0], bytes_seen[0])
            quiet = time.monotonic()
    t1 = time.perf_counter_ns()
    if child.wait() != 0:
        sys.exit("python: the pinger failed")
    sent = int.from_bytes(shm[8:16], sys.byteorder)
    row(workload, "sent", sent)
    row(workload, "deliveries", bytes_seen[0])
    row(workload, "callbacks", calls[0])
    row(workload, "time", (t1 - t0) / 1e6, "ms")


def fanout(rounds, k):
    """The fan-out workload (fanout.c) for its one possible consumer: one
    handler, one wakeup fd, polled by the thread that sends."""
    import select
    import time

    calls = [0]

    def handler(signum, frame):
        calls[0] += 1

    r, _ = wakeup_pipe()
    signal.signal(signal.SIGUSR1, handler)
    poller = select.poll()
    poller.register(r, select.POLLIN)
    kill, pid, sig = os.kill, os.getpid(), signal.SIGUSR1
    read, poll = os.read, poller.poll
    bytes_seen = [0]

    def drain():
        try:
            bytes_seen[0] += len(read(r, 65536))
        except BlockingIOError:
            pass

    def trips(n):
        for _ in range(n):
            want = calls[0] + 1
            kill(pid, sig)
            while calls[0] < want:
                poll()
            drain()
        if calls[0] != want:
            sys.exit(f"python: {calls[0]} handler calls, expected {want}")

    trips(rounds // 10 + 10)
    t0, c0 = time.perf_counter_ns(), time.process_time_ns()
    trips(rounds)
    c1, t1 = time.process_time_ns(), time.perf_counter_ns()
    before, b0 = calls[0], bytes_seen[0]
    for _ in range(k):
        kill(pid, sig)
    quiet = time.monotonic()
    last = (calls[0], bytes_seen[0])
    while time.monotonic() - quiet < 0.02:
        poll(1)
        drain()
        if (calls[0], bytes_seen[0]) != last:
            last = (calls[0], bytes_seen[0])
            quiet = time.monotonic()
    peer = "python/one"
    for metric, value, unit in (
            ("time", (t1 - t0) / rounds, "ns"),
            ("cpu", (c1 - c0) / rounds, "ns"), ("rounds", rounds, ""),
            ("sent", k, ""), ("deliveries", bytes_seen[0] - b0, ""),
            ("seen min", calls[0] - before, ""),
            ("seen max", calls[0] - before, "")):
        print(f"fanout\t{peer}\t{metric}@1\t{value:.6g}\t{unit}", flush=True)


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "rss":
        return rss()
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    if sys.argv[1] == "fanout":
        signal.alarm(120)
        return fanout(int(sys.argv[2]), int(sys.argv[3]))
    workload, n, pinger = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    signal.alarm(120)
    if workload == "roundtrip":
        roundtrip(n)
    elif workload == "latency":
        latency(n, pinger)
    elif workload in ("burst", "rtburst"):
        burst(workload, n, pinger)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
