"""ptyshell.py: `sigport run` under a terminal, driven by a small job-control
shell, for the cases of cases_run.sh that need one.

    python3 ptyshell.py SCENARIO TOOL WORKDIR

The script makes itself a session leader with a pseudo-terminal as its
controlling terminal, as an interactive shell is, and starts `sigport run`
as a job in a process group of its own: in the terminal's foreground, or
in the background. It types keys on the terminal, sends signals, waits for
the job to stop or end (waitpid with WUNTRACED), and checks what the
command run supervises saw. Each scenario prints "ok: ..." and exits 0, or
prints "FAIL: ..." and exits 1.

The command is mostly counter.py, which prints one line per signal it
gets, and "ready PID" once its handlers are in place; the scenario waits
for that line before it sends anything. Every wait has a
deadline, after which the scenario fails and says what it was waiting for.
"""
import fcntl
import os
import re
import select
import signal
import sys
import termios
import time

DEADLINE = 30.0  # seconds; only reached when something is wrong


class Fail(Exception):
    pass


# The processes a scenario started (run, and the child once it said
# ready): a failed scenario kills what is left of them, with their process
# groups.
STARTED = []


def kill_started():
    for pid in STARTED:
        for kill in (lambda: os.killpg(pid, signal.SIGKILL),
                     lambda: os.kill(pid, signal.SIGKILL)):
            try:
                kill()
            except OSError:
                pass


def check(cond, what):
    if not cond:
        raise Fail(what)


# The command run supervises: counter.py, beside this file.
COUNTER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "counter.py")


class Shell:
    """The session leader: the terminal's master and slave, and its jobs."""

    def __init__(self, work):
        # The jobs' stderr: run -v says there what it sends, and a failed
        # wait shows it.
        self.err = os.path.join(work, "run.err")
        self.master, self.slave = os.openpty()
        os.setsid()
        fcntl.ioctl(self.slave, termios.TIOCSCTTY, 0)
        # A shell changes the foreground while it is in the background.
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)
        self.out = b""
        # The processes a failed wait describes: (pid, name).
        self.seen = []

    def start(self, argv, foreground=True):
        """Starts argv as a job, its own process group; returns its pid."""
        pid = os.fork()
        if pid == 0:
            try:
                os.setpgid(0, 0)
                if foreground:
                    os.tcsetpgrp(self.slave, os.getpid())
                signal.signal(signal.SIGTTOU, signal.SIG_DFL)
                for fd in (0, 1):
                    os.dup2(self.slave, fd)
                err = os.open(self.err,
                              os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
                os.dup2(err, 2)
                os.close(self.master)
                os.close(self.slave)
                os.execv(argv[0], argv)
            finally:
                os._exit(127)
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass  # the job has exec'd: it set the group itself
        if foreground:
            os.tcsetpgrp(self.slave, pid)
        self.seen.append((pid, "run"))
        STARTED.append(pid)
        return pid

    def drain(self, seconds):
        """Reads what the terminal shows for up to `seconds`."""
        r = select.select([self.master], [], [], seconds)[0]
        if r:
            try:
                data = os.read(self.master, 4096)
            except OSError:
                data = b""
            self.out += data.replace(b"\r", b"")
            return bool(data)
        return False

    def expect(self, text):
        """Waits until the terminal has shown `text` and the end of its
        line; returns what follows `text` on that line."""
        end = time.monotonic() + DEADLINE
        want = text.encode()
        while want not in self.out or \
                b"\n" not in self.out[self.out.index(want):]:
            check(time.monotonic() < end,
                  "waited for %r; the terminal showed %r; %s; run said: %s"
                  % (text, self.out,
                     "; ".join(report(p, n) for p, n in self.seen),
                     self.said()))
            self.drain(0.1)
        at = self.out.index(want) + len(want)
        line = self.out[at:].split(b"\n", 1)[0].decode()
        self.out = self.out[at:]
        return line

    def said(self):
        try:
            with open(self.err) as f:
                return f.read().strip().replace("\n", "; ") or "nothing"
        except OSError:
            return "nothing"

    def key(self, data):
        os.write(self.master, data)

    def wait(self, pid):
        """Waits for the job to stop or end; returns ("stopped", sig),
        ("exited", code) or ("killed", sig)."""
        end = time.monotonic() + DEADLINE
        while True:
            got, status = os.waitpid(pid, os.WUNTRACED | os.WNOHANG)
            if got == pid:
                if os.WIFSTOPPED(status):
                    return ("stopped", os.WSTOPSIG(status))
                if os.WIFSIGNALED(status):
                    return ("killed", os.WTERMSIG(status))
                return ("exited", os.WEXITSTATUS(status))
            check(time.monotonic() < end,
                  "job %d neither stopped nor ended; the terminal showed %r"
                  % (pid, self.out))
            self.drain(0.05)

    def foreground(self):
        return os.tcgetpgrp(self.slave)


def stopped_by_tstp(got):
    """Whether waitpid() reported a stop by SIGTSTP. qemu-user stops an
    emulated process by SIGSTOP where the default action of SIGTSTP is
    taken, so under it a stop by SIGSTOP counts too."""
    if got == ("stopped", signal.SIGTSTP):
        return True
    return "qemu" in os.environ.get("SIGPORT_TEST_EMULATOR", "") and \
        got == ("stopped", signal.SIGSTOP)


def state(pid):
    """The state letter of /proc/PID/stat (T: stopped)."""
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()[0]


def report(pid, name):
    """What /proc says of a process, for a failure message: its state and
    its signals (pending for the thread and the process, blocked,
    caught, ignored)."""
    keep = []
    try:
        with open("/proc/%d/status" % pid) as f:
            keep += [line.strip() for line in f
                     if line.split(":")[0] in ("State", "SigPnd", "ShdPnd",
                                              "SigBlk", "SigCgt", "SigIgn")]
        for what in ("wchan", "syscall"):
            with open("/proc/%d/%s" % (pid, what)) as f:
                keep.append("%s: %s" % (what, f.read().strip()))
    except OSError as e:
        keep.append(str(e))
    return "%s %d: %s" % (name, pid, ", ".join(keep))


def wait_state(pid, want):
    end = time.monotonic() + DEADLINE
    while state(pid) != want:
        check(time.monotonic() < end,
              "process %d is in state %s, not %s" % (pid, state(pid), want))
        time.sleep(0.02)


def counter(tool, counted, end, *mode):
    return [tool, "run", "-v", "--", sys.executable, COUNTER, counted,
            end] + list(mode)


def ready(sh):
    pid = int(sh.expect("ready ").strip())
    sh.seen.append((pid, "child"))
    STARTED.append(pid)
    return pid


# ---------------------------------------------------------------- scenarios

def ctrl_c(tool, work):
    """Ctrl+C reaches the child exactly once, also when it made itself a
    process group of its own; the terminal comes back to run's group."""
    sh = Shell(work)
    job = sh.start(counter(tool, "INT", "USR1", "own-group"))
    child = ready(sh)
    check(sh.foreground() == os.getpgid(child),
          "the terminal's foreground is %d, not the child's group %d"
          % (sh.foreground(), os.getpgid(child)))
    sh.key(b"\x03")
    sh.expect("got 1")
    os.kill(job, signal.SIGUSR1)  # passed on by run, after any copy of INT
    total = sh.expect("total ").strip()
    check(total == "1", "the child got Ctrl+C %s times" % total)
    check(sh.wait(job) == ("exited", 0), "run did not exit 0")
    check(sh.foreground() == job,
          "run left the terminal to %d, not its own group %d"
          % (sh.foreground(), job))
    print("ok: Ctrl+C reached the child once; run gave the terminal back")


def ctrl_z(tool, work):
    """Ctrl+Z stops the child, then run, and the terminal goes back to
    run's group; CONT (fg) resumes both and the child has the terminal
    again."""
    sh = Shell(work)
    job = sh.start(counter(tool, "USR2", "USR1"))
    child = ready(sh)
    sh.key(b"\x1a")
    got = sh.wait(job)
    check(stopped_by_tstp(got),
          "after Ctrl+Z run is %s, not stopped by SIGTSTP" % (got,))
    check(state(child) == "T", "the child is in state %s" % state(child))
    check(sh.foreground() == job,
          "the terminal is with %d, not run's group %d"
          % (sh.foreground(), job))
    # fg: the shell gives the job the terminal and continues it.
    os.tcsetpgrp(sh.slave, job)
    os.killpg(job, signal.SIGCONT)
    sh.expect("cont")
    check(state(child) != "T", "the child is still stopped")
    end = time.monotonic() + DEADLINE
    while sh.foreground() != child:
        check(time.monotonic() < end, "run did not give the terminal back "
              "to the child: it is with %d" % sh.foreground())
        sh.drain(0.02)
    os.kill(job, signal.SIGUSR1)
    check(sh.expect("total ").strip() == "0", "the child counted a USR2")
    check(sh.wait(job) == ("exited", 0), "run did not exit 0")
    print("ok: Ctrl+Z stopped the child and run; fg resumed both")


def tstp_sent(tool, work):
    """TSTP sent to run stops the child, then run; CONT sent to run resumes
    both."""
    sh = Shell(work)
    job = sh.start(counter(tool, "USR2", "USR1"),
                   foreground=False)
    child = ready(sh)
    os.kill(job, signal.SIGTSTP)
    got = sh.wait(job)
    check(stopped_by_tstp(got),
          "after TSTP run is %s, not stopped by SIGTSTP" % (got,))
    wait_state(child, "T")
    os.kill(job, signal.SIGCONT)
    sh.expect("cont")
    check(state(child) != "T", "the child is still stopped")
    os.kill(job, signal.SIGUSR1)
    sh.expect("total 0")
    check(sh.wait(job) == ("exited", 0), "run did not exit 0")
    print("ok: TSTP to run stopped the child and run; CONT resumed both")


def background(tool, work):
    """In a background job, a child that reads the terminal is stopped by
    TTIN, run is not, and the timeout ends the child: 124."""
    sh = Shell(work)
    t0 = time.monotonic()
    job = sh.start([tool, "run", "--timeout", "1", "--", "cat"],
                   foreground=False)
    got = sh.wait(job)
    check(got == ("exited", 124), "run in the background: %s, not exit 124"
          % (got,))
    print("ok: a background run timed out its stopped child in %.1f s"
          % (time.monotonic() - t0))


def hangup(tool, work):
    """run is a session leader (as under script(1) or ssh): the terminal's
    hangup, which the kernel sends to run alone, reaches the child."""
    mark = os.path.join(work, "hup")
    # It sleeps on a wakeup fd, as counter.py does, for the same reason.
    prog = ("import os, select, signal\n"
            "def on_hup(s, f):\n"
            "    open(%r, 'w').write('hup')\n"
            "    os._exit(7)\n"
            "signal.signal(signal.SIGHUP, on_hup)\n"
            "r, w = os.pipe()\n"
            "os.set_blocking(w, False)\n"
            "signal.set_wakeup_fd(w, warn_on_full_buffer=False)\n"
            "print('ready', os.getpid(), flush=True)\n"
            "while True:\n"
            "    select.select([r], [], [])\n"
            "    os.read(r, 512)\n" % mark)
    master, slave = os.openpty()
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            os.close(master)
            os.close(slave)
            os.execv(tool, [tool, "run", "--", sys.executable, "-c", prog])
        finally:
            os._exit(127)
    STARTED.append(pid)
    os.close(slave)
    out = b""
    end = time.monotonic() + DEADLINE
    # The whole line: a hangup in the middle of it would end the child by
    # a failed write (EIO) instead of by its SIGHUP handler.
    while not re.search(rb"ready [0-9]+\r?\n", out):
        check(time.monotonic() < end, "no ready line: %r" % out)
        if select.select([master], [], [], 0.1)[0]:
            out += os.read(master, 4096)
    os.close(master)  # the hangup
    end = time.monotonic() + DEADLINE
    while True:
        got, status = os.waitpid(pid, os.WNOHANG)
        if got == pid:
            break
        if time.monotonic() >= end:
            child = int(re.search(rb"ready ([0-9]+)", out).group(1))
            STARTED.append(child)
            raise Fail("run did not end after the hangup; %s; %s"
                       % (report(pid, "run"), report(child, "child")))
        time.sleep(0.05)
    check(os.WIFEXITED(status) and os.WEXITSTATUS(status) == 7,
          "run ended with status %#x, not exit 7" % status)
    with open(mark) as f:
        check(f.read() == "hup", "the child's HUP handler did not run")
    print("ok: the terminal's hangup reached the child")


SCENARIOS = {f.__name__: f for f in
             (ctrl_c, ctrl_z, tstp_sent, background, hangup)}


def main():
    name, tool, work = sys.argv[1:4]
    if name not in SCENARIOS:
        print("FAIL: no scenario %r" % name)
        return 1
    # The session leader must not lead a process group: a child becomes it.
    # counter.py also notes what it got in a file, which a failure shows:
    # a line there and not on the terminal was lost on the way.
    log = os.path.join(work, "counter.log")
    os.environ["SIGPORT_COUNTER_LOG"] = log
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            SCENARIOS[name](tool, work)
        except Fail as e:
            try:
                with open(log) as f:
                    noted = f.read().strip().replace("\n", "; ")
            except OSError:
                noted = "nothing"
            print("FAIL: %s; counter.py noted: %s" % (e, noted), flush=True)
            kill_started()
            code = 1
        sys.stdout.flush()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1


if __name__ == "__main__":
    sys.exit(main())
