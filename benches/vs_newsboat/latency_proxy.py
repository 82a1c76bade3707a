"""Starts and stops the latency proxy (proxy.py) as a child process and reads its figures."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .common import Work, all_addrs, log, stop_server


class Proxy:
    def __init__(self, work: Work, port: int, upstream: int, delay: float, stats: Path):
        self.work, self.port, self.upstream, self.delay, self.stats_path = work, port, upstream, delay, stats
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        argv = [sys.executable, "-m", "vs_newsboat.proxy", "--addrs", ",".join(all_addrs()),
                "--port", str(self.port), "--upstream", str(self.upstream), "--delay", str(self.delay),
                "--stats", str(self.stats_path)]
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
        if self.stats_path.exists():
            self.stats_path.unlink()
        self.proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, start_new_session=True)
        (self.work.root / "pids").mkdir(exist_ok=True)
        (self.work.root / "pids" / "proxy").write_text(str(self.proc.pid))
        deadline = time.monotonic() + 10
        while not self.stats_path.exists():  # written once every address is listening
            if self.proc.poll() is not None:
                raise RuntimeError(f"latency proxy exited with {self.proc.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError("latency proxy did not start within 10 s")
            time.sleep(0.02)
        log(f"latency proxy up on port {self.port} (+{self.delay * 1000:.0f} ms per response)")

    def stats(self) -> dict:
        for _ in range(20):
            try:
                return json.loads(self.stats_path.read_text())
            except (OSError, ValueError):
                time.sleep(0.01)
        return {}

    def stop(self) -> dict:
        stop_server(self.proc, self.work, "proxy")
        self.proc = None
        return self.stats()
