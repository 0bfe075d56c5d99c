"""Turns the rows of one bench/run into bench/results.{md,tsv,png}.

    report.py ROWS FUNCTIONS IR_N OUTDIR QUICK [FAN_LINES FAN_IR_N]

ROWS: round, workload, peer, metric, value, unit (tab-separated).
FUNCTIONS: callgrind_annotate's per-function listing of sigport's round trips.
FAN_LINES: callgrind_annotate's listing, function by function and line by
line, of sigport's fan-out round trips to 8 watches (FAN_IR_N of them).
"""
import os
import re
import statistics
import subprocess
import sys
from collections import defaultdict

FLOOR = "raw"
# The peers sigport is compared with (the floor aside).
PEERS = ["selfpipe", "signalfd", "libuv", "libevent", "glib", "python"]
LABEL = {
    "raw": "raw sigaction + sig_atomic_t flag (floor)",
    "raw-atfork": "raw, plus one pthread_atfork() call",
    "sigport": "sigport: kill + sigport_dispatch()",
    "sigport-fd": "sigport: wakeup socket, poll + drain + dispatch",
    "sigport-pipe": "sigport: wakeup pipe, poll + drain + dispatch",
    "selfpipe": "self-pipe trick + poll()",
    "signalfd": "signalfd + poll()",
    "libuv": "libuv uv_signal_t",
    "libevent": "libevent evsignal",
    "glib": "GLib g_unix_signal_add",
    "python": "CPython signal module",
}
SHORT = {
    "raw": "raw", "raw-atfork": "raw+atfork", "sigport": "sigport",
    "sigport-fd": "sigport-fd",
    "sigport-pipe": "sigport-pipe", "selfpipe": "self-pipe",
    "signalfd": "signalfd", "libuv": "libuv", "libevent": "libevent",
    "glib": "GLib", "python": "CPython",
}


class Rows:
    def __init__(self, path):
        self.vals = defaultdict(list)  # (workload, peer, metric) -> values
        self.by_round = defaultdict(dict)  # (workload, peer, round) -> {m: v}
        with open(path) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 5:
                    continue
                rnd, workload, peer, metric, value = parts[:5]
                v = float(value)
                self.vals[(workload, peer, metric)].append(v)
                self.by_round[(workload, peer, rnd)][metric] = v

    def med(self, workload, peer, metric):
        v = self.vals.get((workload, peer, metric))
        return statistics.median(v) if v else None

    def spread(self, workload, peer, metric):
        v = self.vals.get((workload, peer, metric))
        return (min(v), max(v)) if v else None

    def rounds(self, workload, peer):
        keys = sorted(k for k in self.by_round if k[:2] == (workload, peer))
        return [self.by_round[k] for k in keys]


def fmt(v, unit=""):
    if v is None:
        return "n/a"
    a = abs(v)
    if v == int(v) or a >= 1000:
        s = f"{v:,.0f}"
    elif a >= 100:
        s = f"{v:.0f}"
    elif a >= 10:
        s = f"{v:.1f}"
    else:
        s = f"{v:.2f}"
    return f"{s} {unit}".strip()


def ratio(v, ref):
    if v is None or ref is None or ref == 0:
        return None
    return v / ref


def fmt_ratio(r):
    if r is None:
        return "n/a"
    return f"{r:.2f}x" if r >= 0.1 else f"{r:.2g}x"


def delta_kib(v, ref):
    return "n/a" if v is None or ref is None else f"{v - ref:+,.0f} KiB"


def best_of(values):
    """The peer with the lowest figure: (peer, value)."""
    cands = [(v, p) for p, v in values.items() if p in PEERS and v is not None]
    if not cands:
        return None, None
    v, p = min(cands)
    return p, v


class Report:
    def __init__(self):
        self.md = []
        self.tsv = [["workload", "peer", "metric", "value", "unit",
                     "x_floor", "x_best_peer"]]

    def line(self, text=""):
        self.md.append(text)

    def table(self, header, rows):
        self.line("| " + " | ".join(header) + " |")
        self.line("|" + "|".join("---" for _ in header) + "|")
        for r in rows:
            self.line("| " + " | ".join(r) + " |")
        self.line()

    def tsv_row(self, workload, peer, metric, value, unit, xf=None, xb=None):
        def num(x):
            return "" if x is None else f"{x:.6g}"
        self.tsv.append([workload, peer, metric, num(value), unit, num(xf),
                         num(xb)])

    def figure_table(self, workload, metric, unit, peers, floor_value,
                     best_pool=None, spread=None, title_col="figure"):
        """A table of one figure per peer, with ratios to the floor and to
        the best peer. best_pool: the peers' figures to pick the best of."""
        values = {p: v for p, v in peers}
        bp, bv = best_of(best_pool if best_pool is not None else values)
        rows = []
        for p, v in peers:
            xf, xb = ratio(v, floor_value), ratio(v, bv)
            row = [LABEL.get(p, p), fmt(v, unit)]
            if spread is not None:
                s = spread(p)
                row.append("n/a" if s is None else
                           f"{fmt(s[0])} – {fmt(s[1])}")
            row += [fmt_ratio(xf), fmt_ratio(xb)]
            rows.append(row)
            self.tsv_row(workload, p, metric, v, unit, xf, xb)
        header = ["peer", title_col]
        if spread is not None:
            header.append("min – max")
        best = "× best peer" + (f" ({SHORT[bp]})" if bp else "")
        header += ["× floor", best]
        self.table(header, rows)
        return bp, bv


def parse_functions(path, ir_n):
    """sigport's round trip by function: [(Ir per round trip, function,
    file)], from callgrind_annotate --inclusive=no."""
    out = defaultdict(float)
    files = {}
    pat = re.compile(r"^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(\S+?):(\S+)"
                     r"\s*(\[.*\])?$")
    started = False
    try:
        lines = open(path).read().splitlines()
    except OSError:
        return []
    for line in lines:
        if "file:function" in line:
            started = True
            continue
        if not started:
            continue
        if line.startswith("-----") and out:
            break
        m = pat.match(line)
        if not m:
            continue
        ir, file, fn = int(m.group(1).replace(",", "")), m.group(2), m.group(3)
        if fn in ("main", "(below main)", "__libc_start_main@@GLIBC_2.34") or \
                fn.startswith("0x"):
            continue
        out[fn] += ir / ir_n
        files.setdefault(fn, file)
    return sorted(((v, fn, files[fn]) for fn, v in out.items()), reverse=True)


def function_table(rep, funcs, outdir, least):
    """A table of callgrind self costs, [(Ir, function, file)], for the
    functions of at least `least` Ir, with files relative to the tree."""
    root = os.path.dirname(os.path.abspath(outdir)) + os.sep
    rows = []
    for v, fn, file in funcs:
        if v < least:
            continue
        if file.startswith(root):
            file = file[len(root):]
        rows.append([f"`{fn}`", file, fmt(v)])
    rep.table(["function", "file", "Ir"], rows)


IR_GROUPS = ["sigport's signal handler (the trip)",
             "sigport's dispatch", "the benchmark's loop and handler",
             "the C library"]


def ir_group(file, fn=""):
    """Which part of a round trip a function belongs to, by its name and
    its file (the trip is inline in the raw handler, from src/trip.h)."""
    if fn.startswith(("sp__posix_raw_handler", "sp__trip")) or \
            file.endswith(("src/trip.c", "trip.h", "src/posix/actions.c")):
        return IR_GROUPS[0]
    if "/src/" in file or file.startswith("src/"):
        return IR_GROUPS[1]
    if "/bench/" in file or file.startswith("bench/"):
        return IR_GROUPS[2]
    return IR_GROUPS[3]


def annotated_lines(path):
    """callgrind_annotate --auto=yes: [(file, Ir, source text)] of the
    annotated sources' lines that cost something (calls left out)."""
    out = []
    try:
        lines = open(path).read().splitlines()
    except OSError:
        return out
    current = None
    src = re.compile(r"^-- Auto-annotated source: (.*)$")
    cost = re.compile(r"^\s*([\d,]+)\s{2}(.*)$")
    for line in lines:
        m = src.match(line)
        if m:
            current = m.group(1).strip()
            continue
        if current is None:
            continue
        m = cost.match(line)
        # The summary after the last source ("N  events annotated") is
        # not one of its lines.
        if m and not m.group(2).lstrip().startswith("=>") and \
                not m.group(2).strip().endswith("events annotated"):
            out.append((current, int(m.group(1).replace(",", "")),
                        m.group(2)))
    return out


def watch_check_ir(path, ir_n):
    """The trip's check for watches, per round trip: the Ir of the load of
    sp__state.watches and of the test of the list that follows it."""
    lines = [(f, ir, text) for f, ir, text in annotated_lines(path)
             if f.endswith(("src/trip.c", "trip.h"))]
    total, found = 0, False
    for i, (f, ir, text) in enumerate(lines):
        if "&sp__state.watches" in text and "atomic_load" in text:
            total += ir
            found = True
            if i + 1 < len(lines) and "list != NULL" in lines[i + 1][2]:
                total += lines[i + 1][1]
    return total / ir_n if found else None


FAN_ARMS = [
    ("sigport/one", "sigport: N watches, one thread polls their N fds"),
    ("sigport/shared", "sigport: N watches sharing one fd, one thread polls "
     "it"),
    ("sigport/threads", "sigport: N threads, an epoll loop on a watch "
     "each"),
    ("libuv/one", "libuv: N uv_signal_t on one loop"),
    ("libuv/threads", "libuv: N threads, a loop and a uv_signal_t each"),
    ("glib/one", "GLib: N g_unix_signal_add sources, one context"),
    ("python/one", "CPython: a handler and the wakeup fd"),
]
# Each arm's libuv of the same shape, for the ratio.
FAN_REF = {"sigport/shared": "libuv/one",
           "sigport/threads": "libuv/threads",
           "libuv/threads": "libuv/threads"}


def fanout(rep, R, targets, fan_lines, fan_ir_n, quick):
    """Section 7: one signal to N consumers."""
    arms = [(a, label) for a, label in FAN_ARMS
            if any(k[0] == "fanout" and k[1] == a for k in R.vals)]
    if not arms:
        return
    ns = sorted({int(k[2].split("@")[1]) for k in R.vals
                 if k[0] == "fanout" and "@" in k[2]})
    k_sent = R.med("fanout", arms[0][0], f"sent@{ns[0]}")
    rep.line("## 7. Fan-out: one signal, N consumers")
    rep.line()
    rep.line("SIGUSR1 to N consumers in one process (`fanout.c`). *Round "
             "trip*: `kill(getpid(), SIGUSR1)`, then wait until every "
             "consumer has seen it; the one-thread arms turn their loop, "
             "the threads arms sleep on an eventfd that the last consumer "
             "to see it writes. *CPU* is the process's user and system time "
             "(`getrusage`, every thread) per signal. Median of the runs. "
             "A sigport watch is polled on its fd and taken once a wakeup "
             "(a take that leaves something untaken leaves the fd "
             "readable); the shared arm's watches are one group "
             "(`sigport_watch_open_shared()`): one fd, polled alone, and "
             "when it is readable one take from every watch. *× libuv* "
             "divides by libuv in the same shape: one loop with N handles "
             "for the one-thread arms, N loops for the threads arms.")
    rep.line()
    rep.line(f"*Seen / sent*: the sender sends {fmt(k_sent)} signals back "
             "to back without waiting (each delivered before `kill()` "
             "returns: only the sending thread has SIGUSR1 unblocked, so "
             "the kernel merges none), then waits until no count has moved "
             "for 20 ms. Each consumer's count of what it was told (a "
             "sigport take's `count`; one a call for the others), lowest "
             "– highest over the consumers and the runs.")
    rep.line()
    rows = []
    for n in ns:
        for a, label in arms:
            t = R.med("fanout", a, f"time@{n}")
            if t is None:
                continue
            c = R.med("fanout", a, f"cpu@{n}")
            ref = FAN_REF.get(a, "libuv/one")
            rt_ = R.med("fanout", ref, f"time@{n}")
            rc = R.med("fanout", ref, f"cpu@{n}")
            rounds = R.rounds("fanout", a)
            lo = min(rd[f"seen min@{n}"] for rd in rounds
                     if f"seen min@{n}" in rd)
            hi = max(rd[f"seen max@{n}"] for rd in rounds
                     if f"seen max@{n}" in rd)
            sent = R.med("fanout", a, f"sent@{n}")
            dl = [rd[f"deliveries@{n}"] for rd in rounds
                  if f"deliveries@{n}" in rd]
            merged = any(d != rd[f"sent@{n}"] for d, rd in
                         zip(dl, [rd for rd in rounds
                                  if f"deliveries@{n}" in rd]))
            seen = fmt(lo) if lo == hi else f"{fmt(lo)} – {fmt(hi)}"
            seen += f" / {fmt(sent)}" + (" (kernel merged some)"
                                         if merged else "")
            rows.append([str(n), label, fmt(t, "ns"), fmt(t / n, "ns"),
                         fmt(c, "ns"), fmt(c / n if c is not None else None,
                                           "ns"),
                         fmt_ratio(ratio(t, rt_)),
                         fmt_ratio(ratio(c, rc)), seen])
            for metric, v, unit in (("time", t, "ns"), ("cpu", c, "ns"),
                                    ("seen min", lo, ""),
                                    ("seen max", hi, ""),
                                    ("sent", sent, "")):
                rep.tsv_row("fanout", f"{a}@{n}", metric, v, unit,
                            None, ratio(v, rt_ if metric == "time" else rc)
                            if metric in ("time", "cpu") else None)
            if a.startswith("sigport/"):
                targets.append((f"fan-out to {n}: every sigport watch "
                                f"({a.split('/')[1]}) saw every signal of "
                                "the burst", f"{seen}",
                                lo == hi == sent and not merged))
                rcpu, rtime = ratio(c, rc), ratio(t, rt_)
                if n == 8 and rcpu is not None:
                    targets.append((f"fan-out to 8 ({a.split('/')[1]}): "
                                    "CPU per consumer no more than libuv's "
                                    "per handle", fmt_ratio(rcpu),
                                    rcpu <= 1.0))
                if n == 8 and rtime is not None:
                    targets.append((f"fan-out to 8 ({a.split('/')[1]}): "
                                    "round trip per consumer no slower than "
                                    "libuv's per handle", fmt_ratio(rtime),
                                    rtime <= 1.0))
    rep.table(["consumers", "arm", "round trip / signal", "÷ N",
               "CPU / signal", "÷ N", "× libuv (time)", "× libuv (CPU)", "seen / sent, per consumer"],
              rows)
    rep.line("libuv's handler writes a 16-byte message per handle into its "
             "loop's pipe (64 KiB: 4096 messages) and drops what does not "
             "fit, so one loop with N handles keeps about 4096 / N "
             "deliveries of a burst its loop did not drain; a loop per "
             "thread drains as it goes. GLib's handler sets one flag per "
             "signal and wakes GLib's worker thread, which makes every "
             "source of that signal ready: each source is called once for "
             "however many deliveries came since its last call, and every "
             "round trip goes through that thread. A sigport watch with an "
             "fd of its own costs two system calls a delivery: the trip's "
             "write to the watch's eventfd (only when it was drained) and "
             "the take's read that drains it, so N watches cost 2N, and "
             "the poll looks at N fds. The N watches of the shared arm "
             "cost two for them all, and the poll looks at one fd: the trip "
             "counts the delivery in each watch and writes the group's "
             "eventfd once (when no watch of the group was armed), and of "
             "the N takes only the one that leaves the group with nothing "
             "armed reads it. What still grows with N is in user space: "
             "the trip counts and arms each watch, the loop takes from "
             "each (table 7a). libuv's N handles on one loop cost a write "
             "each and one read of the pipe for them all, and its handler "
             "takes a lock that is a pipe: a read and a write more.")
    rep.line()

    # Instructions.
    ir = {(a, n): R.med("fanir", a, f"Ir@{n}") for a in
          ("sigport/one", "sigport/shared", "libuv/one") for n in (1, 8)}
    if any(v is not None for v in ir.values()):
        rep.line("### 7a. Instructions per fan-out round trip")
        rep.line()
        rep.line("User-space instructions (callgrind Ir) of the one-thread "
                 f"arms, {fan_ir_n} round trips divided by {fan_ir_n}: the "
                 "whole round trip (the loop, `kill`, the handler, the "
                 "poll, every take or callback). The shared arm runs at 8 "
                 "only: with one watch it is the watches arm.")
        rep.line()
        rows = []
        for n in (1, 8):
            s_, g, u = (ir[("sigport/one", n)], ir[("sigport/shared", n)],
                        ir[("libuv/one", n)])
            rows.append([str(n), fmt(s_), fmt(u), fmt_ratio(ratio(s_, u)),
                         fmt(g), fmt_ratio(ratio(g, u))])
            rep.tsv_row("fanir", "sigport/one", f"Ir@{n}", s_, "Ir", None,
                        ratio(s_, u))
            if g is not None:
                rep.tsv_row("fanir", "sigport/shared", f"Ir@{n}", g, "Ir",
                            None, ratio(g, u))
            rep.tsv_row("fanir", "libuv/one", f"Ir@{n}", u, "Ir")
        rep.table(["consumers", "sigport watches Ir", "libuv Ir", "× libuv",
                   "sigport, one shared fd Ir", "× libuv"], rows)
    funcs = parse_functions(fan_lines, fan_ir_n * 8) if fan_lines else []
    if funcs:
        rep.line("Where sigport's go at 8 watches with an fd each, per "
                 "delivery to one watch (self cost, callgrind "
                 "`--inclusive=no`, divided by 8 × the round trips):")
        rep.line()
        function_table(rep, funcs, rep_outdir, 1)
        lines = sorted(((ir_, text.strip(), f) for f, ir_, text in
                        annotated_lines(fan_lines)
                        if f.endswith("src/watch.c")), reverse=True)[:4]
        if lines:
            rep.line("The costliest lines of `src/watch.c` (Ir per take; "
                     "`next_counted()` and `take_count()` are inlined in "
                     "`sigport_watch_take()`):")
            rep.line()
            rep.table(["line", "Ir"],
                      [[f"`{text}`", fmt(ir_ / (fan_ir_n * 8))]
                       for ir_, text, f in lines])
    funcs = []
    if fan_lines:
        funcs = parse_functions(os.path.join(
            os.path.dirname(fan_lines), "fanout-sigport-shared-lines.txt"),
            fan_ir_n * 8)
    if funcs:
        rep.line("The same for the 8 watches of the shared arm, one group "
                 "with one fd:")
        rep.line()
        function_table(rep, funcs, rep_outdir, 1)


# The child-reaping workload's arms: (name, label, how its children start).
CHILD_ARMS = [
    ("raw", "raw: blocking `waitid(P_ALL)`, no loop (floor)",
     "`posix_spawn()`"),
    ("sigport", "sigport, pidfd path: poll `sigport_child_fd()`, "
     "`sigport_dispatch()`", "`posix_spawn()`, then `sigport_watch_child()`"),
    ("sigport-fallback", "sigport, fallback (`SIGPORT_CHILD_FALLBACK=1`)",
     "`posix_spawn()`, then `sigport_watch_child()`"),
    ("libuv", "libuv: `uv_spawn()` with `exit_cb`",
     "`uv_spawn()` (libuv 1.44: `fork()` + exec)"),
    ("glib", "GLib: `g_child_watch_add()`",
     "`posix_spawn()`, then `g_child_watch_add()`"),
    ("python-pidfd", "CPython asyncio, `PidfdChildWatcher`",
     "`asyncio.create_subprocess_exec(close_fds=False)`: `os.posix_spawn()`"),
    ("python-threaded", "CPython asyncio, `ThreadedChildWatcher`",
     "`asyncio.create_subprocess_exec(close_fds=False)`: `os.posix_spawn()`"),
]
# The peers sigport is compared with.
CHILD_PEERS = ["libuv", "glib", "python-pidfd", "python-threaded"]
# The arms whose library registers a child in its spawn call.
CHILD_NO_WATCH = {"raw", "libuv"}


def child_figures(R, arm, mode, n):
    """An arm's medians at n children: a dict, or None if it did not run."""
    peer = f"{arm}/{mode}"
    reap = R.med("child", peer, f"reap cpu@{n}")
    if reap is None:
        return None
    f = {m: R.med("child", peer, f"{m}@{n}") for m in
         ("start cpu", "watch cpu", "gate cpu", "reap wall", "lat median",
          "lat p99", "lat max", "turns", "wall")}
    f["reap cpu"] = reap
    watch = 0.0 if arm in CHILD_NO_WATCH else (f["watch cpu"] or 0.0)
    f["cpu"] = reap + watch
    runs = [rd for rd in R.rounds("child", peer) if f"reaped@{n}" in rd]
    f["runs"] = len(runs)
    f["reaped"] = [int(rd[f"reaped@{n}"]) for rd in runs]
    f["wrong"] = sum(int(rd.get(f"wrong@{n}", 0)) for rd in runs)
    f["exact"] = all(r == n for r in f["reaped"]) and f["wrong"] == 0
    return f


def fmt_turns(v):
    """Loop turns per exit: three decimals below 0.1."""
    return fmt(v) if v is None or v >= 0.1 else f"{v:.3f}"


def fmt_us(ns):
    """Nanoseconds shown in microseconds."""
    return fmt(None if ns is None else ns / 1000, "µs")


def child_table(rep, R, mode, n):
    """One table: every arm at n children. Returns {arm: figures}."""
    figs = {a: child_figures(R, a, mode, n) for a, _, _ in CHILD_ARMS}
    figs = {a: f for a, f in figs.items() if f is not None}
    if not figs:
        return figs
    bp_cpu, bv_cpu = min(((f["cpu"], a) for a, f in figs.items()
                          if a in CHILD_PEERS), default=(None, None))[::-1]
    bp_lat, bv_lat = min(((f["lat median"], a) for a, f in figs.items()
                          if a in CHILD_PEERS and f["lat median"] is not None),
                         default=(None, None))[::-1]
    rows = []
    for a, label, _ in CHILD_ARMS:
        f = figs.get(a)
        if f is None:
            continue
        reaped = ", ".join(fmt(r) for r in f["reaped"]) + f" of {fmt(n)}"
        if f["wrong"]:
            reaped += f" (**{fmt(f['wrong'])} wrong**)"
        watch = "in its spawn" if a in CHILD_NO_WATCH else \
            fmt_us(f["watch cpu"])
        rows.append([label, reaped, fmt_us(f["cpu"]), watch,
                     fmt_ratio(ratio(f["cpu"], bv_cpu)),
                     fmt_us(f["lat median"]), fmt_us(f["lat p99"]),
                     fmt_ratio(ratio(f["lat median"], bv_lat)),
                     fmt_turns(f["turns"]), fmt_us(f["start cpu"])])
        peer = f"{a}/{mode}@{n}"
        rep.tsv_row("child", peer, "cpu per exit", f["cpu"], "ns", None,
                    ratio(f["cpu"], bv_cpu))
        rep.tsv_row("child", peer, "watch cpu", f["watch cpu"], "ns")
        rep.tsv_row("child", peer, "reap cpu", f["reap cpu"], "ns")
        rep.tsv_row("child", peer, "start cpu", f["start cpu"], "ns")
        rep.tsv_row("child", peer, "exit to callback median",
                    f["lat median"], "ns", None, ratio(f["lat median"],
                                                       bv_lat))
        rep.tsv_row("child", peer, "exit to callback p99", f["lat p99"],
                    "ns")
        rep.tsv_row("child", peer, "reaped", min(f["reaped"]), "")
    rep.table(["arm", "reaped (each run)", "CPU / exit",
               "of which the watch call",
               f"× best peer ({CHILD_SHORT.get(bp_cpu, '-')})",
               "exit → callback median", "p99",
               f"× best peer ({CHILD_SHORT.get(bp_lat, '-')})",
               "loop turns / exit", "start CPU / child (not counted)"], rows)
    return figs


CHILD_SHORT = {"libuv": "libuv", "glib": "GLib",
               "python-pidfd": "CPython pidfd",
               "python-threaded": "CPython threaded"}


def children(rep, R, targets, quick):
    """Section 8: start N children, at most a wave alive, reap them all."""
    keys = [k for k in R.vals if k[0] == "child" and "@" in k[2]]
    if not keys:
        return
    ns = defaultdict(set)  # mode -> the N it ran
    for k in keys:
        ns[k[1].split("/")[1]].add(int(k[2].split("@")[1]))
    wave = R.med("childcfg", "all", "wave")
    wave_s = fmt(wave) if wave is not None else "?"
    rep.line("## 8. Child processes: start N, reap them all")
    rep.line()
    rep.line(f"N children, in waves of at most {wave_s} alive at once "
             "(`child.c`, `child_python.py`). Every arm starts the same "
             "child, `child_exit` (statically linked, in place of "
             "`/bin/true`): it blocks on the wave's gate pipe, then stores "
             "`CLOCK_MONOTONIC` in a shared file just before `_exit()` with "
             "a code that depends on its index. A wave: start all its "
             "children (none can end yet), call the library's watch "
             "function for each where it has one, then open the gate and "
             "turn the loop until every child of the wave has been "
             "reported. *Serial*: one byte into the gate, and one more from "
             "each callback, so that the children end one at a time, each "
             "while the rest of its wave is alive: the case where a "
             "reaper's cost per exit may grow with the children alive. "
             "*Burst*: the gate's write end is closed, and the whole wave "
             "ends at once, as a wave of `/bin/true` started before the "
             "loop turns would have: a reaper that looks at every child "
             "then finds many ended at each look.")
    rep.line()
    rep.line("*CPU / exit*: the reaper process's user + system time "
             "(`getrusage(RUSAGE_SELF)`, every thread: GLib's worker "
             "thread and CPython's waiter threads count; the children's own "
             "time does not) while the loop reaps, plus that of the watch "
             "calls (shown apart), divided by N. The start is timed on its "
             "own and not counted (last column): the start methods differ "
             "where the API decides them. In serial, the writes that open "
             "the gate are timed on their own (`CLOCK_THREAD_CPUTIME_ID`) "
             "and taken out. *Exit → callback*: the time the callback ran "
             "less the child's stamp, so the kernel's exit of the child is "
             "in it for every arm. *Reaped*: the children reported with "
             "the status they exited with, in each run; a wrong code, a "
             "second report or an unknown pid counts as wrong. *Loop "
             "turns*: the loop's turns (a `poll()` and a dispatch, a "
             "`uv_run()`, a `g_main_context_iteration()`, a `waitid()`) "
             "per exit; more than one in serial means turns that woke and "
             "reported nothing. *× best "
             "peer* divides by the best of libuv, GLib and the two CPython "
             "arms. Medians over the runs.")
    rep.line()
    ran = {k[1].split("/")[0] for k in keys}
    rep.table(["arm", "how its children start"],
              [[label, start] for a, label, start in CHILD_ARMS if a in ran])
    checks = []
    for a in ("sigport", "sigport-fallback", "python-pidfd"):
        got = sorted((int(k[2].split()[2]), R.med(*k)) for k in R.vals
                     if k[0] == "childcheck" and k[1] == a)
        if got:
            checks.append(f"{a} " + ", ".join(f"{fmt(v)} for {fmt(w)}"
                                             for w, v in got))
    if checks:
        rep.line("Which path ran: the pidfds open once the first wave was "
                 "watched (medians), " + "; ".join(checks) + ".")
        rep.line()

    figs_by = {}  # (mode, n) -> {arm: figures}
    wrong = []
    for mode in ("serial", "burst"):
        for n in sorted(ns.get(mode, ())):
            title = "one at a time" if mode == "serial" else "a wave at once"
            rep.line(f"### {mode.capitalize()} ({title}), N = {fmt(n)}")
            rep.line()
            figs = child_table(rep, R, mode, n)
            figs_by[(mode, n)] = figs
            wrong += [f"{a} ({mode}, N = {fmt(n)})" for a, f in figs.items()
                      if not f["exact"]]
            g = [f["gate cpu"] for f in figs.values()
                 if f["gate cpu"] is not None]
            if mode == "serial" and g:
                rep.line(f"Each write that let a child go cost the reaper "
                         f"{fmt_us(min(g))} – {fmt_us(max(g))}, "
                         "not counted above.")
                rep.line()
            for a in ("sigport", "sigport-fallback"):
                f = figs.get(a)
                if f is not None:
                    targets.append((
                        f"children ({mode}), N = {fmt(n)}: {a} reported "
                        "each child once, with its status",
                        ", ".join(fmt(r) for r in f["reaped"]) +
                        f" of {fmt(n)}" +
                        (f", {fmt(f['wrong'])} wrong" if f["wrong"] else ""),
                        f["exact"]))
    targets.append(("children: every arm reported every child once, with "
                    "its status",
                    "all" if not wrong else "not: " + ", ".join(wrong),
                    not wrong))

    # The targets: at the largest N of the serial runs.
    sns = sorted(ns.get("serial", ()))
    if sns:
        hi = sns[-1]
        figs = figs_by[("serial", hi)]
        s = figs.get("sigport")
        peers = [f for a, f in figs.items() if a in CHILD_PEERS]
        if s is not None and peers:
            r = ratio(s["cpu"], min(f["cpu"] for f in peers))
            targets.append((f"children (serial), N = {fmt(hi)}: sigport "
                            "(pidfd) CPU per exit no more than the best "
                            "peer's", fmt_ratio(r),
                            r is not None and r <= 1.0))
            r = ratio(s["lat median"], min(f["lat median"] for f in peers))
            targets.append((f"children (serial), N = {fmt(hi)}: sigport "
                            "(pidfd) exit → callback median no slower than "
                            "the best peer's", fmt_ratio(r),
                            r is not None and r <= 1.0))
    for n in sorted(ns.get("burst", ())):
        figs = figs_by[("burst", n)]
        s = figs.get("sigport")
        peers = {a: f for a, f in figs.items() if a in CHILD_PEERS}
        if s is None or not peers:
            continue
        bp = min(peers, key=lambda a: peers[a]["cpu"])
        fb = figs.get("sigport-fallback")
        rep.line(f"In the burst, sigport's pidfd path costs "
                 f"{fmt_us(s['cpu'])} per exit: "
                 f"{fmt_ratio(ratio(s['cpu'], peers[bp]['cpu']))} the best "
                 f"peer's ({CHILD_SHORT[bp]}, {fmt_us(peers[bp]['cpu'])})" +
                 (f", and {fmt_ratio(ratio(s['cpu'], fb['cpu']))} sigport's "
                  f"own fallback ({fmt_us(fb['cpu'])})"
                  if fb is not None else "") +
                 f". Its loop turns {fmt_turns(s['turns'])} times per exit" +
                 (f" against the fallback's {fmt_turns(fb['turns'])}"
                  if fb is not None and fb["turns"] is not None else "") +
                 ". Each child costs the pidfd path six system calls of "
                 "its own: `pidfd_open`, `epoll_ctl(ADD)` and "
                 "`waitid(WNOWAIT)` at the watch, `waitid(P_PIDFD)`, "
                 "`epoll_ctl(DEL)` and `close` when it ends; a walk of every "
                 "watched pid that finds many ended at once pays one "
                 "`waitpid` per child alive for all of them.")
        rep.line()

    rows = []
    header = None
    if len(sns) >= 2:
        lo, hi = sns[0], sns[-1]
        header = ["arm"] + [f"CPU / exit, N = {fmt(m)}" for m in sns] + \
            [f"N = {fmt(hi)} / N = {fmt(lo)}"]
        for a, label, _ in CHILD_ARMS:
            by_n = {m: figs_by[("serial", m)][a] for m in sns
                    if a in figs_by[("serial", m)]}
            if not by_n:
                continue
            top = max(by_n)
            r = ratio(by_n[top]["cpu"], by_n[lo]["cpu"]) if lo in by_n \
                else None
            rows.append([label] + [fmt_us(by_n[m]["cpu"]) if m in by_n
                                   else "not run" for m in sns] +
                        [fmt_ratio(r) + ("" if top == hi or r is None
                                         else f" (N = {fmt(top)})")])
            rep.tsv_row("child", f"{a}/serial", f"flatness {top}/{lo}", r, "")
            if a == "sigport":
                targets.append((f"children (serial): sigport (pidfd) CPU "
                                f"per exit at N = {fmt(hi)} within 1.5x of "
                                f"N = {fmt(lo)} (flat)", fmt_ratio(r),
                                r is not None and r <= 1.5))
    if rows:
        rep.line("### Flatness: CPU per exit as N grows (serial)")
        rep.line()
        rep.line(f"At most {wave_s} children are alive at once, so from "
                 f"N = {wave_s} on each exit comes with up to that many "
                 f"others alive; at N = {fmt(sns[0])}, with up to "
                 f"{fmt(min(sns[0], wave or sns[0]))}.")
        rep.line()
        rep.table(header, rows)


def main():
    global rep_outdir
    rows_path, fn_path, ir_n, outdir, quick = sys.argv[1:6]
    rep_outdir = outdir
    fan_lines = sys.argv[6] if len(sys.argv) > 6 else None
    fan_ir_n = int(sys.argv[7]) if len(sys.argv) > 7 else 1
    ir_n = int(ir_n)
    quick = quick == "1"
    R = Rows(rows_path)
    rep = Report()
    targets = []  # (target, measured, met)

    rep.line("# sigport benchmarks")
    rep.line()
    if quick:
        rep.line("**Quick run (`bench/run --quick`): too few iterations for "
                 "the figures to mean anything.**")
        rep.line()
    uname = os.uname()
    rep.line(f"Machine: {uname.sysname} {uname.release} {uname.machine}, "
             f"{os.cpu_count()} CPUs. Every figure below comes from one run "
             "of `bench/run`, with sigport and every peer measured in it, "
             "round after round. Lower is better unless said otherwise. "
             "*× floor* divides by raw `sigaction`'s figure; *× best peer* "
             "by the best of self-pipe, signalfd, libuv, libevent, GLib and "
             "CPython.")
    rep.line()
    la, lb = R.med("load", "all", "start"), R.med("load", "all", "end")
    if la is not None and lb is not None:
        # The benchmark itself keeps about one CPU busy by the end.
        ncpu = os.cpu_count() or 1
        busy = la > 0.5 * ncpu or lb > 1 + 0.5 * ncpu
        rep.line(f"Load average (1 min) at the start: {la:.2f}, at the end: "
                 f"{lb:.2f}." + (" **The machine was busy with other work: "
                                 "the timings are noisier than usual.**"
                                 if busy else ""))
        rep.line()

    # 1. Self round trip.
    rep.line("## 1. Self round trip")
    rep.line()
    rep.line("`kill(getpid(), SIGUSR1)`, then the peer's loop runs until the "
             "handler ran (sigport: `sigport_dispatch()`, no wakeup fd). "
             "Median of the rounds, nanoseconds per signal.")
    rep.line()
    order = ["raw", "sigport", "selfpipe", "signalfd", "libuv", "libevent",
             "glib", "python"]
    rt = {p: R.med("roundtrip", p, "time") for p in order +
          ["sigport-fd", "sigport-pipe"]}
    floor = rt["raw"]
    rep.figure_table("roundtrip", "time", "ns", [(p, rt[p]) for p in order],
                     floor, spread=lambda p: R.spread("roundtrip", p, "time"))
    r_rounds = ratio(rt["sigport"], floor)

    rep.line("### 1a. Paired: in one process")
    rep.line()
    rep.line("The round trips of table 1 come from separate processes, and "
             "this machine's speed drifts between them. `bench_pair` runs "
             "these arms in one process, each on a signal of its own, in "
             "rotating chunks of 2000 round trips: the floor with its "
             "tightest loop (`kill`, then read the flag inline); the floor "
             "installed with sigport's `sigaction` flags (`SA_SIGINFO`, "
             "`SA_ONSTACK`, every signal in `sa_mask`); sigport without a "
             "wakeup fd; the self-pipe trick; and sigport with a pipe and "
             "with `sigport_socketpair()` as its wakeup fd (kill, poll, "
             "drain, dispatch). Median of the chunks' times, and of the "
             "chunk-by-chunk ratios.")
    rep.line()
    rows = []
    arms = ["raw", "raw+flags", "sigport", "self-pipe", "sigport-pipe",
            "sigport-fd"]
    for arm in arms:
        t = R.med("pair", arm, "time")
        q = R.med("pair", arm, "ratio")
        lo = R.med("pair", arm, "ratio p10")
        hi = R.med("pair", arm, "ratio p90")
        vp = R.med("pair", arm, "vs self-pipe")
        rows.append([arm, fmt(t, "ns"), fmt_ratio(q),
                     f"{fmt_ratio(lo)} – {fmt_ratio(hi)}",
                     fmt_ratio(vp) if vp is not None else ""])
        rep.tsv_row("pair", arm, "time", t, "ns", q)
    rep.table(["arm", "time", "× floor (paired)", "10th – 90th percentile",
               "× self-pipe (paired)"], rows)
    r = R.med("pair", "sigport", "ratio")
    rf = R.med("pair", "raw+flags", "ratio")
    if r is not None and rf is not None:
        rep.line(f"The floor installed with sigport's flags costs "
                 f"{100 * (rf - 1):+.1f}% over the plain floor: the kernel's "
                 "work for them (mostly copying the siginfo for "
                 f"`SA_SIGINFO`). sigport costs {100 * (r - 1):+.1f}%; the "
                 "rest is its own work (table 6).")
        rep.line()
    targets.append(("kill + sigport_dispatch() within 1.1x of raw's time",
                    f"{fmt_ratio(r)} paired (table 1, separate processes: "
                    f"{fmt_ratio(r_rounds)})", r is not None and r <= 1.1))

    # 1b. The wakeup fd path.
    rep.line("## 1b. Wakeup fd path")
    rep.line()
    rep.line("`kill`, then `poll()` on the wakeup fd, drain it, dispatch "
             "(sigport with `sigport_socketpair()`, and with a pipe as its "
             "wakeup fd). The loop peers' figures are their round trips "
             "from table 1: their loops always take this path.")
    rep.line()
    order = ["raw", "sigport-fd", "sigport-pipe", "selfpipe", "signalfd",
             "libuv", "libevent", "glib"]
    pool = {p: rt[p] for p in ["selfpipe", "signalfd", "libuv", "libevent",
                               "glib"]}
    rep.figure_table("wakeup", "time", "ns", [(p, rt[p]) for p in order],
                     floor, best_pool=pool,
                     spread=lambda p: R.spread("roundtrip", p, "time"))
    for name, p in (("sigport_socketpair()", "sigport-fd"),
                    ("a pipe", "sigport-pipe")):
        r = R.med("pair", p, "vs self-pipe")
        loops = [q for q in ("libuv", "libevent", "glib")
                 if rt[q] is not None and rt[p] is not None and rt[p] < rt[q]]
        unpaired = fmt_ratio(ratio(rt[p], rt["selfpipe"]))
        targets.append((f"wakeup path ({name}) no slower than the self-pipe "
                        "trick", f"{fmt_ratio(r)} of self-pipe, paired "
                        f"(table 1b: {unpaired})", r is not None and r <= 1.0))
        targets.append((f"wakeup path ({name}) faster than libuv, libevent "
                        "and GLib", f"faster than {len(loops)} of 3",
                        len(loops) == 3))

    # 2. Latency.
    rep.line("## 2. Cross-process wakeup latency")
    rep.line()
    rep.line("A child stamps `CLOCK_MONOTONIC` into shared memory and sends "
             "SIGUSR1; this process sleeps in its loop (`poll()` on the "
             "wakeup fd; sigport without one sleeps in `sigport_pause()`; "
             "raw in `sigsuspend()`) and the handler reads the clock on "
             "entry. Ping-pong, 50 µs apart. Median of the rounds' medians "
             "and of their 99th percentiles.")
    rep.line()
    order = ["raw", "sigport", "sigport-fd", "sigport-pipe", "selfpipe",
             "signalfd", "libuv", "libevent", "glib", "python"]
    lat = {p: R.med("latency", p, "median") for p in order}
    p99 = {p: R.med("latency", p, "p99") for p in order}
    bp, bv = best_of(lat)
    rows = []
    for p in order:
        xf, xb = ratio(lat[p], lat["raw"]), ratio(lat[p], bv)
        rows.append([LABEL[p], fmt(lat[p], "ns"), fmt(p99[p], "ns"),
                     fmt_ratio(xf), fmt_ratio(xb)])
        rep.tsv_row("latency", p, "median", lat[p], "ns", xf, xb)
        rep.tsv_row("latency", p, "p99", p99[p], "ns",
                    ratio(p99[p], p99["raw"]), None)
    samples = R.med("latency", "raw", "samples")
    rep.table(["peer", "median", "p99", "× floor (median)",
               f"× best peer ({SHORT.get(bp, '-')})"], rows)
    if samples:
        rep.line(f"{int(samples)} samples a round.")
        rep.line()
    for p in ("sigport-fd", "sigport-pipe"):
        r = ratio(lat[p], lat["selfpipe"])
        loops = [q for q in ("libuv", "libevent", "glib") if lat[q]
                 is not None and lat[p] is not None and lat[p] < lat[q]]
        targets.append((f"latency median ({p}) no worse than the self-pipe "
                        "trick", f"{fmt_ratio(r)} of self-pipe",
                        r is not None and r <= 1.0))
        targets.append((f"latency median ({p}) better than libuv, libevent "
                        "and GLib", f"better than {len(loops)} of 3",
                        len(loops) == 3))

    # 3. Burst and loss.
    rep.line("## 3. Burst and loss")
    rep.line()
    rep.line("A child sends a burst, then an end marker. *Deliveries* is the "
             "kernel's count, taken in the same process by a counting "
             "`sigaction` handler put in front of the peer's own (signalfd: "
             "the siginfo records read). *Handled* is what the handlers were "
             "told: the sum of the coalesced counts where the peer reports "
             "one, else the number of calls. Totals over the rounds; "
             "*exact* counts the rounds where handled = deliveries.")
    rep.line()
    order = ["raw", "sigport", "sigport-fd", "sigport-pipe", "selfpipe",
             "signalfd", "libuv", "libevent", "glib", "python"]
    for workload, title in (("burst", "100000 × kill(SIGUSR1), then SIGUSR2"),
                            ("rtburst",
                             "20000 × sigqueue(SIGRTMIN), then SIGRTMIN+1")):
        if quick:
            title = title.replace("100000", "20000").replace("20000 × sig",
                                                             "5000 × sig")
        rep.line(f"### {title}")
        rep.line()
        rows = []
        for p in order:
            rounds = R.rounds(workload, p)
            if not rounds or "unsupported" in rounds[0]:
                rows.append([LABEL[p], "n/a", "n/a", "n/a", "n/a", "n/a",
                             "not supported"])
                rep.tsv_row(workload, p, "supported", 0, "")
                continue
            tot = defaultdict(float)
            exact = 0
            for rd in rounds:
                handled = rd.get("reported", rd.get("callbacks"))
                if p == "raw":
                    handled = rd["deliveries"]  # the floor is the reference
                for k in ("sent", "deliveries", "callbacks"):
                    tot[k] += rd.get(k, 0)
                tot["handled"] += handled
                exact += handled == rd["deliveries"]
            reported = "reported" in rounds[0] or p == "raw"
            rows.append([
                LABEL[p], fmt(tot["sent"]), fmt(tot["deliveries"]),
                fmt(tot["callbacks"]),
                fmt(tot["handled"]) + ("" if reported else " (calls)"),
                f"{tot['handled'] / tot['deliveries']:.3f}"
                if tot["deliveries"] else "n/a",
                f"{exact}/{len(rounds)}"])
            for k in ("sent", "deliveries", "callbacks", "handled"):
                rep.tsv_row(workload, p, k, tot[k], "")
            rep.tsv_row(workload, p, "exact rounds", exact, "")
            if p == "sigport" or p == "sigport-fd":
                targets.append((f"{workload}: {p}'s counts equal the kernel's "
                                "deliveries",
                                f"{exact}/{len(rounds)} rounds exact "
                                f"({fmt(tot['handled'])} of "
                                f"{fmt(tot['deliveries'])})",
                                exact == len(rounds)))
        rep.table(["peer", "sent", "deliveries", "callbacks", "handled",
                   "handled / deliveries", "exact"], rows)
    rep.line("For the raw floor, *handled* is its own count of deliveries; "
             "its loop sees only the flag (*callbacks*).")
    rep.line()

    # 4. Idle check.
    rep.line("## 4. Idle check")
    rep.line()
    rep.line("The cost of looking when nothing is pending: one check, or one "
             "non-blocking turn of the loop (a SIGUSR1 handler installed). "
             "Median of 10 ms chunks, loop overhead included. *× floor* "
             "divides by the raw flag read.")
    rep.line()
    idle_rows = [
        ("raw", "flag read"), ("raw", "flag check (loop turn)"),
        ("sigport", "sigport_pending()"), ("sigport", "sigport_dispatch()"),
        ("sigport-fd", "poll(0) on the wakeup socket"),
        ("sigport-pipe", "poll(0) on the wakeup pipe"),
        ("selfpipe", "poll(0)"), ("signalfd", "poll(0)"),
        ("libuv", "uv_run(NOWAIT)"), ("libevent", "event_base_loop(NONBLOCK)"),
        ("glib", "g_main_context_iteration(FALSE)"),
    ]
    idle = {(p, m): R.med("idle", p, m) for p, m in idle_rows}
    iflo = idle[("raw", "flag read")]
    pool = {p: v for (p, m), v in idle.items() if p in PEERS}
    bp, bv = best_of(pool)
    rows = []
    for p, m in idle_rows:
        v = idle[(p, m)]
        xf, xb = ratio(v, iflo), ratio(v, bv)
        rows.append([SHORT[p], f"`{m}`", fmt(v, "ns"), fmt_ratio(xf),
                     fmt_ratio(xb)])
        rep.tsv_row("idle", p, m, v, "ns", xf, xb)
    rep.table(["peer", "check", "time", "× floor",
               f"× best peer ({SHORT.get(bp, '-')})"], rows)
    pp = R.med("idle", "sigport", "paired: sigport_pending()")
    pf = R.med("idle", "sigport", "paired: flag read")
    r = ratio(pp, pf)
    rep.line("A loop this tight runs at a speed that changes from one "
             "moment to the next on this machine, so the target is judged "
             "on a paired measure: `sigport_pending()` and the flag read "
             "timed in the same process, in alternate 10 ms chunks: "
             f"{fmt(pp, 'ns')} and {fmt(pf, 'ns')}, {fmt_ratio(r)}.")
    rep.line()
    rep.tsv_row("idle", "sigport", "paired: sigport_pending()", pp, "ns", r)
    rep.tsv_row("idle", "sigport", "paired: flag read", pf, "ns", 1.0)
    targets.append(("idle sigport_pending() within 2x of a raw flag read",
                    f"{fmt_ratio(r)} ({fmt(pp, 'ns')} vs {fmt(pf, 'ns')}, "
                    "paired)", r is not None and r <= 2.0))
    targets.append(("idle sigport_pending() under 1 ns", fmt(pp, "ns"),
                    pp is not None and pp < 1.0))

    # 5. Memory.
    rep.line("## 5. Memory")
    rep.line()
    norand = R.med("rss", "all", "no randomisation")
    rep.line("VmRSS of a minimal program that installs one SIGUSR1 handler "
             "and handles one signal (sigport linked statically, the peers' "
             "shared libraries as installed), split into its anonymous part "
             "(RssAnon: data, bss, heap, stack) and its file-backed part "
             "(RssFile: the program's and the libraries' pages, shared with "
             "every other process that maps them). Median of 5 runs" +
             (", without address space randomisation (`setarch -R`), so "
              "that the figures repeat: with it, VmRSS moves by tens of KiB "
              "from run to run with where the C library's pages land."
              if norand else "; address space randomisation was on, so "
              "VmRSS moves by tens of KiB from run to run."))
    rep.line()
    order = ["raw", "raw-atfork", "sigport", "libuv", "libevent", "glib",
             "python"]
    rss = {p: R.med("rss", p, "VmRSS") for p in order}
    anon = {p: R.med("rss", p, "RssAnon") for p in order}
    filed = {p: R.med("rss", p, "RssFile") for p in order}
    bp, bv = best_of(rss)
    rows = []
    for p in order:
        v = rss[p]
        xf, xb = ratio(v, rss["raw"]), ratio(v, bv)
        rows.append([LABEL[p], fmt(v, "KiB"), delta_kib(v, rss["raw"]),
                     delta_kib(anon[p], anon["raw"]),
                     delta_kib(filed[p], filed["raw"]),
                     fmt_ratio(xf), fmt_ratio(xb)])
        rep.tsv_row("rss", p, "VmRSS", v, "KiB", xf, xb)
        rep.tsv_row("rss", p, "RssAnon", anon[p], "KiB",
                    ratio(anon[p], anon["raw"]))
        rep.tsv_row("rss", p, "RssFile", filed[p], "KiB",
                    ratio(filed[p], filed["raw"]))
    rep.table(["program", "VmRSS", "Δ raw", "RssAnon Δ raw",
               "RssFile Δ raw", "× floor",
               f"× best peer ({SHORT.get(bp, '-')})"], rows)
    d = None if rss["sigport"] is None else rss["sigport"] - rss["raw"]
    targets.append(("RSS within 64 KiB of the raw program",
                    "n/a" if d is None else f"{d:+,.0f} KiB",
                    d is not None and d <= 64))
    if rss["raw-atfork"] is not None and rss["raw"] is not None:
        da = rss["raw-atfork"] - rss["raw"]
        rep.line(f"The raw program with nothing added but the one "
                 f"`pthread_atfork()` call that `sigport_init()` makes (so "
                 f"that a `fork()` child starts clean) is {da:+,.0f} KiB over "
                 f"the raw program, all of it file-backed: the C library's "
                 f"code for that call lies outside the pages the raw program "
                 f"touches, and the kernel maps file pages in blocks around "
                 f"each fault. Those pages are shared with every process "
                 f"that uses the C library.")
        rep.line()
        if d is not None:
            targets.append(("RSS within 64 KiB of the raw program plus "
                            "pthread_atfork()",
                            f"{rss['sigport'] - rss['raw-atfork']:+,.0f} KiB",
                            rss["sigport"] - rss["raw-atfork"] <= 64))
    rows = []
    for p, m in (("sigport", "static library"),
                 ("sigport", "shared text (-Os)"), ("libuv", "shared text"),
                 ("libevent", "shared text"), ("glib", "shared text")):
        v = R.med("size", p, m)
        rows.append([SHORT[p] + (" (libevent_core)" if p == "libevent" else ""),
                     m, fmt(v, "bytes")])
        rep.tsv_row("size", p, m, v, "bytes")
    rep.table(["library", "what", "size"], rows)

    # 6. Instructions.
    rep.line("## 6. Instructions per self round trip")
    rep.line()
    rep.line(f"User-space instructions (callgrind Ir) of {ir_n} round trips "
             f"divided by {ir_n}: *gross*; *net* subtracts a baseline loop of "
             "the same length that calls `kill(pid, 0)` (the loop and the "
             "system call's wrapper, common to all). Ratios use net.")
    rep.line()
    order = ["raw", "sigport", "sigport-fd", "sigport-pipe", "selfpipe",
             "signalfd", "libuv", "libevent", "glib"]
    gross, net = {}, {}
    for p in order:
        n = R.med("ir", p, "iterations")
        b = R.med("ir", p, "baseline total")
        t = R.med("ir", p, "round trip total")
        if n and b is not None and t is not None:
            gross[p] = t / n
            net[p] = (t - b) / n
        else:
            gross[p] = net[p] = None
    bp, bv = best_of(net)
    rows = []
    for p in order:
        xf, xb = ratio(net[p], net["raw"]), ratio(net[p], bv)
        rows.append([LABEL[p], fmt(gross[p]), fmt(net[p]), fmt_ratio(xf),
                     fmt_ratio(xb)])
        rep.tsv_row("instructions", p, "gross", gross[p], "Ir")
        rep.tsv_row("instructions", p, "net", net[p], "Ir", xf, xb)
    rep.table(["peer", "gross Ir", "net Ir", "× floor",
               f"× best peer ({SHORT.get(bp, '-')})"], rows)
    r = ratio(net["sigport"], net["raw"])
    targets.append(("kill + sigport_dispatch() within 1.5x of raw's "
                    "user-space instructions",
                    f"{fmt_ratio(r)} ({fmt(net['sigport'])} vs "
                    f"{fmt(net['raw'])} Ir net)", r is not None and r <= 1.5))

    funcs = parse_functions(fn_path, ir_n)
    if funcs:
        rep.line("### Where sigport's round trip goes")
        rep.line()
        rep.line("Self cost per round trip of each function in the sigport "
                 "run of table 6 (callgrind, `--inclusive=no`), the "
                 "benchmark's own loop included.")
        rep.line()
        function_table(rep, funcs, outdir, 0.5)
        groups = defaultdict(float)
        for v, fn, file in funcs:
            groups[ir_group(file, fn)] += v
        total = sum(groups.values())
        rep.line("By where it runs: " + "; ".join(
            f"{name} {fmt(groups[name])} Ir ({100 * groups[name] / total:.0f}%)"
            for name in IR_GROUPS if groups.get(name)) + ".")
        rep.line()
    check = watch_check_ir(os.path.join(os.path.dirname(fn_path),
                                        "sigport-lines.txt"), ir_n)
    if check is not None:
        rep.line(f"With no watch open, all that watches add to the round "
                 f"trip is the trip's load of the watch list and its test "
                 f"(`src/trip.h`): {fmt(check)} Ir of sigport's "
                 f"{fmt(net['sigport'])} net.")
        rep.line()
        rep.tsv_row("instructions", "sigport", "watch check in the trip",
                    check, "Ir")

    fanout(rep, R, targets, fan_lines, fan_ir_n, quick)
    children(rep, R, targets, quick)

    # Targets.
    rep.line("## Targets")
    rep.line()
    rep.table(["target", "measured", "met"],
              [[t, m, "yes" if ok else "**no**"] for t, m, ok in targets])

    with open(os.path.join(outdir, "results.md"), "w") as f:
        f.write("\n".join(rep.md).rstrip() + "\n")
    with open(os.path.join(outdir, "results.tsv"), "w") as f:
        for r in rep.tsv:
            f.write("\t".join(r) + "\n")
    chart(outdir, rt, lat, p99, idle, net, rss, os.path.dirname(rows_path))


def chart(outdir, rt, lat, p99, idle, net, rss, work):
    """results.png: one panel a workload, by gnuplot."""
    def dat(name, rows):
        path = os.path.join(work, name + ".dat")
        with open(path, "w") as f:
            for r in rows:
                if all(v is not None for v in r[1:]):
                    values = " ".join(f"{v:g}" for v in r[1:])
                    f.write(f'"{r[0]}" {values}\n')
        return path

    d_rt = dat("roundtrip", [(SHORT[p], rt[p]) for p in
                             ["raw", "sigport", "selfpipe", "signalfd", "libuv",
                              "libevent", "glib", "python"]])
    d_wk = dat("wakeup", [(SHORT[p], rt[p]) for p in
                          ["raw", "sigport-fd", "sigport-pipe", "selfpipe",
                           "signalfd", "libuv", "libevent", "glib"]])
    d_lat = dat("latency", [(SHORT[p], lat[p] / 1000 if lat[p] else None,
                             p99[p] / 1000 if p99[p] else None) for p in lat])
    idle_label = {
        ("raw", "flag read"): "raw: flag read",
        ("raw", "flag check (loop turn)"): "raw: loop turn",
        ("sigport", "sigport_pending()"): "sigport_pending()",
        ("sigport", "sigport_dispatch()"): "sigport_dispatch()",
    }
    d_idle = dat("idle", [(idle_label.get((p, m), SHORT[p]), v)
                          for (p, m), v in idle.items()])
    d_ir = dat("ir", [(SHORT[p], v) for p, v in net.items()])
    d_rss = dat("rss", [(SHORT[p], v) for p, v in rss.items()])
    png = os.path.join(outdir, "results.png")
    script = f"""
set terminal pngcairo size 1800,1100 font ",10" noenhanced
set output "{png}"
set multiplot layout 2,3 title "sigport and its peers (lower is better)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xtics rotate by -35 nomirror
set grid ytics
set key top left
set yrange [0:*]
set title "1. self round trip (ns)"
plot "{d_rt}" using 2:xtic(1) notitle lc rgb "#3070b0"
set title "1b. kill + poll + drain + dispatch (ns)"
plot "{d_wk}" using 2:xtic(1) notitle lc rgb "#3070b0"
set title "2. cross-process wakeup latency (µs)"
plot "{d_lat}" using 2:xtic(1) title "median" lc rgb "#3070b0", \\
     "" using 3 title "p99" lc rgb "#d08030"
set title "4. idle check (ns, log scale)"
set logscale y
set yrange [0.1:*]
plot "{d_idle}" using 2:xtic(1) notitle lc rgb "#3070b0"
set title "5. RSS of a minimal program (KiB, log scale)"
set yrange [100:*]
plot "{d_rss}" using 2:xtic(1) notitle lc rgb "#3070b0"
set title "6. user-space instructions per round trip (net Ir)"
unset logscale y
set yrange [0:*]
plot "{d_ir}" using 2:xtic(1) notitle lc rgb "#3070b0"
unset multiplot
"""
    gp = os.path.join(work, "results.gp")
    with open(gp, "w") as f:
        f.write(script)
    res = subprocess.run(["gnuplot", gp], capture_output=True, text=True)
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        sys.exit("report: gnuplot failed")


if __name__ == "__main__":
    main()
