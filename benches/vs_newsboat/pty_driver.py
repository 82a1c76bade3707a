"""Runs a reader's interface in a pseudo-terminal (120x40, TERM=xterm-256color): waits for text
on its screen, sends keys, times key-to-next-output, reads VmHWM, and ends it. Answers the two
terminal queries a full-screen program may wait on (cursor position, device attributes)."""

import fcntl
import os
import re
import select
import signal
import struct
import termios
import time
from pathlib import Path

from .common import RUNNING

CSI = rb"(?:\x1b\[[0-9;?<=>]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|[\r\n ])*"
QUERIES = {rb"\x1b[6n": b"\x1b[1;1R", rb"\x1b[c": b"\x1b[?62;22c", rb"\x1b[0c": b"\x1b[?62;22c"}


def screen_regex(text: str) -> re.Pattern:
    """Matches `text` as drawn: escape sequences, cursor moves or skipped blanks may sit between
    any two of its characters."""
    parts = [re.escape(ch.encode()) for ch in text if ch != " "]
    return re.compile(CSI.join(parts))


class PtyProc:
    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path, cols: int = 120, rows: int = 40):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = dict(env, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
        self.t0 = time.monotonic()
        pid = os.fork()
        if pid == 0:  # child: a session of its own with the pty as controlling terminal
            try:
                os.close(master)
                os.setsid()
                fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
                for fd in (0, 1, 2):
                    os.dup2(slave, fd)
                if slave > 2:
                    os.close(slave)
                os.chdir(cwd)
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        os.close(slave)
        RUNNING.add(pid)  # a session leader: its pid is its process group
        self.pid, self.fd = pid, master
        self.out = bytearray()
        self.status: int | None = None
        self.rusage = None

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def _read(self, timeout: float) -> bytes:
        """One read (waiting at most `timeout`); b"" when nothing came or the program ended."""
        r, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not r:
            return b""
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the slave side is closed
            return b""
        tail = bytes(self.out[-8:]) + data
        for query, answer in QUERIES.items():
            if query in tail:
                os.write(self.fd, answer)
        self.out += data
        return data

    def wait_for(self, rx: re.Pattern, timeout: float) -> float | None:
        """Seconds from spawn until the output matches `rx`, or None on time-out or exit."""
        deadline = time.monotonic() + timeout
        searched = 0
        while time.monotonic() < deadline:
            if not self._read(min(0.05, deadline - time.monotonic())) and not self.alive():
                return None
            if rx.search(self.out, max(0, searched - 4096)):
                return self.elapsed()
            searched = len(self.out)
        return None

    def send(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def key_latencies(self, key: bytes, every: float, done, limit: float) -> tuple[list[float], int, float]:
        """Presses `key` every `every` s until `done()` is true (or `limit` s); for each press,
        the time until the next output. Returns (latencies in s, presses that got no output,
        when the slowest press was sent, in s from the first)."""
        latencies: list[float] = []
        worst, worst_at, first = -1.0, 0.0, time.monotonic()
        pending: list[float] = []
        end = time.monotonic() + limit
        next_press = time.monotonic()
        next_check = 0.0
        while time.monotonic() < end:
            now = time.monotonic()
            if now >= next_press:
                self.send(key)
                pending.append(time.monotonic())
                next_press += every
            if self._read(max(0.0, next_press - time.monotonic())):
                arrived = time.monotonic()
                for t in pending:
                    latencies.append(arrived - t)
                    if arrived - t > worst:
                        worst, worst_at = arrived - t, t - first
                pending.clear()
            if not self.alive():
                break
            if time.monotonic() >= next_check:
                next_check = time.monotonic() + 0.25
                if done():
                    break
        return latencies, len(pending), worst_at

    def last_text(self) -> str:
        """The last line of text the program wrote (escape sequences removed), e.g. its last words."""
        text = re.sub(rb"\x1b\[[0-9;?<=>]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07", b"\n",
                      bytes(self.out[-4096:]))
        lines = [t.strip() for t in text.decode("utf-8", "replace").replace("\r", "\n").split("\n") if t.strip()]
        return lines[-1][:200] if lines else ""

    def vmhwm_mb(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return None

    def alive(self) -> bool:
        if self.status is not None:
            return False
        pid, status, usage = os.wait4(self.pid, os.WNOHANG)
        if pid == 0:
            return True
        self.status, self.rusage = status, usage
        RUNNING.discard(self.pid)
        return False

    def quit(self, keys: bytes, timeout: float = 5.0) -> bool:
        """Sends `keys`, waits for the exit; kills it after `timeout`. True when it quit by itself."""
        if self.alive():
            self.send(keys)
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            self._read(0.05)
        clean = not self.alive()
        if not clean:
            os.kill(self.pid, signal.SIGKILL)
            _, self.status, self.rusage = os.wait4(self.pid, 0)
            RUNNING.discard(self.pid)
        os.close(self.fd)
        return clean

    def kill(self) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            _, self.status, self.rusage = os.wait4(self.pid, 0)
            RUNNING.discard(self.pid)
