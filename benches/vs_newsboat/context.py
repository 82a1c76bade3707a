"""What every measurement needs: the binaries, the work dir, nginx, the feed URLs; and `poll()`,
one reader's poll with its timing, peak RSS and the nginx log lines it caused."""

from dataclasses import dataclass, field
from pathlib import Path

from . import accesslog, corpus, proc, readers
from .common import Work, log
from .nginx import Nginx

READERS = ("tidings", "newsboat")


@dataclass
class Ctx:
    work: Work
    data: Path
    tidings: str
    newsboat: str
    nginx: Nginx
    templates: list[tuple[str, bytes]]
    pages: int
    runs: int  # timed runs per row (median)
    results: dict = field(default_factory=dict)  # row name -> figures

    @property
    def port(self) -> int:
        return self.nginx.port

    def binary(self, reader: str) -> str:
        return self.tidings if reader == "tidings" else self.newsboat

    def urls(self, n: int) -> list[str]:
        return corpus.write_copies(self.work, self.templates, n, self.port)


@dataclass
class Poll:
    result: proc.Result
    setup: readers.Setup
    log: accesslog.Counts


def poll(ctx: Ctx, s: readers.Setup, label: str, timeout: float = 900) -> Poll:
    start = ctx.nginx.log_offset()
    r = proc.run(s.poll_argv(ctx.binary(s.name)), ctx.work.env(), s.dir, timeout=timeout)
    counts = accesslog.read(ctx.work.logs / "access.log", start)
    status = "TIMED OUT" if r.timed_out else f"exit {r.rc}"
    log(f"{label}: {s.name} {r.wall:.2f} s, {r.rss_mb:.0f} MB, {status}; {counts.describe()}")
    if r.rc != 0 or r.timed_out:
        log(f"  {s.name} failed: see {s.dir}/stderr.txt")
    return Poll(r, s, counts)
