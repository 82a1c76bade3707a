"""Runs one reader command: wall time, peak RSS (`ru_maxrss` from `os.wait4`), exit status, and
its stdout lines with the time each arrived (so a line such as tidings' poll summary can be
timed)."""

import os
import re
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .common import RUNNING


@dataclass
class Result:
    argv: list[str]
    wall: float  # seconds, spawn to exit
    rss_mb: float  # peak resident set, MiB
    rc: int
    lines: list[tuple[float, str]] = field(default_factory=list)  # (seconds since spawn, line)
    timed_out: bool = False
    epoch0: float = 0.0  # time.time() at spawn, to line stdout up with nginx's $msec

    def first(self, pattern: str) -> float | None:
        """Seconds from spawn to the first stdout line matching `pattern`."""
        rx = re.compile(pattern)
        return next((t for t, line in self.lines if rx.search(line)), None)

    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)


def run(argv: list[str], env: dict[str, str], out_dir: Path, timeout: float = 900) -> Result:
    """Run to completion; stdout is kept (also in out_dir/stdout.txt), stderr goes to a file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lines: list[tuple[float, str]] = []
    with open(out_dir / "stderr.txt", "wb") as err:
        epoch0, t0 = time.time(), time.monotonic()
        proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err,
                                cwd=out_dir, start_new_session=True)

        def pump() -> None:
            for raw in proc.stdout:
                lines.append((time.monotonic() - t0, raw.decode("utf-8", "replace").rstrip("\n")))

        RUNNING.add(proc.pid)
        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            RUNNING.discard(proc.pid)
        wall = time.monotonic() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        reader.join(timeout=5)
        proc.stdout.close()
    (out_dir / "stdout.txt").write_text("\n".join(f"{t:9.3f} {line}" for t, line in lines) + "\n")
    return Result(argv, wall, usage.ru_maxrss / 1024, proc.returncode, lines, timed_out.is_set(), epoch0)
