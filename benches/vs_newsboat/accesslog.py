"""Counts from nginx's access log between two offsets: requests by kind (feed or page host) and
status. The log is the ground truth for how many pages a reader fetched and whether a warm poll
was all 304s."""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Counts:
    feeds: Counter = field(default_factory=Counter)  # status -> requests to 127.0.1.*
    pages: Counter = field(default_factory=Counter)  # status -> requests to 127.0.2.*
    page_times: list[float] = field(default_factory=list)  # $msec of each page request

    @property
    def first_page_at(self) -> float | None:
        return min(self.page_times) if self.page_times else None

    @property
    def last_page_at(self) -> float | None:
        return max(self.page_times) if self.page_times else None

    def feed_total(self) -> int:
        return sum(self.feeds.values())

    def page_total(self) -> int:
        return sum(self.pages.values())

    def describe(self) -> str:
        f = ", ".join(f"{n}×{s}" for s, n in sorted(self.feeds.items()))
        p = ", ".join(f"{n}×{s}" for s, n in sorted(self.pages.items()))
        return f"feeds [{f or 'none'}] pages [{p or 'none'}]"


def read(path: Path, start: int) -> Counts:
    counts = Counts()
    if not path.exists():
        return counts
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read().decode("utf-8", "replace")
    for line in data.splitlines():
        parts = line.split(" ")
        if len(parts) < 3:
            continue
        msec, addr, status = parts[0], parts[1], parts[2]
        if addr.startswith("127.0.2."):
            counts.pages[status] += 1
            counts.page_times.append(float(msec))
        else:
            counts.feeds[status] += 1
    return counts
