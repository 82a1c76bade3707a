"""Shared constants and small helpers: loopback addresses, the work-dir layout, logging."""

import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

FEED_HOSTS = 50  # feeds live on 127.0.1.1 ... 127.0.1.50, feed i on host i % 50
PAGE_HOSTS = 20  # item pages live on 127.0.2.1 ... 127.0.2.20
CONCURRENCY = 8  # tidings [poll] concurrency and newsboat reload-threads


def feed_addr(i: int) -> str:
    return f"127.0.1.{i % FEED_HOSTS + 1}"


def page_addr(k: int) -> str:
    return f"127.0.2.{k % PAGE_HOSTS + 1}"


def all_addrs() -> list[str]:
    return [feed_addr(i) for i in range(FEED_HOSTS)] + [page_addr(k) for k in range(PAGE_HOSTS)]


@dataclass
class Work:
    """Where everything goes; nothing is written outside `root`."""

    root: Path

    @property
    def www(self) -> Path:  # feed files: www/f/<i>/<name>, generated ones www/g/<i>.xml
        return self.root / "www"

    @property
    def pages(self) -> Path:  # pages/<n>.html, symlinks to the shared HTML
        return self.root / "pages"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def home(self) -> Path:  # private HOME and XDG dirs for both readers
        return self.root / "home"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    def fresh(self, *parts: str) -> Path:
        """An empty directory under runs/ (removed first when it exists)."""
        d = self.runs.joinpath(*parts)
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
        return d

    def env(self) -> dict[str, str]:
        """The environment both readers run in: a private HOME, no proxies, a known locale."""
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        h = self.home
        for sub in ("config", "data", "state", "cache"):
            (h / sub).mkdir(parents=True, exist_ok=True)
        env.update(
            HOME=str(h),
            XDG_CONFIG_HOME=str(h / "config"),
            XDG_DATA_HOME=str(h / "data"),
            XDG_STATE_HOME=str(h / "state"),
            XDG_CACHE_HOME=str(h / "cache"),
            LANG=env.get("LANG", "C.UTF-8") or "C.UTF-8",
        )
        env.pop("TIDINGS_LOG", None)
        return env


_T0 = time.monotonic()


def log(msg: str) -> None:
    """Progress on stderr (stdout carries only the table)."""
    print(f"[{time.monotonic() - _T0:6.0f}s] {msg}", file=sys.stderr, flush=True)


RUNNING: set[int] = set()  # process groups of readers now running, killed on an early exit


def kill_running() -> None:
    import signal

    for pgid in list(RUNNING):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        RUNNING.discard(pgid)


def stop_server(proc, work: "Work", name: str) -> None:
    """Stops a server this driver started (SIGTERM, then SIGKILL of its group after 5 s) and
    removes its pid file."""
    import signal
    import subprocess

    if proc and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    pidfile = work.root / "pids" / name
    if pidfile.exists():
        pidfile.unlink()

