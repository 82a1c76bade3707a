"""The rows measured with `poll`: cold and warm polls feeds-only (1,000 and 5,000 feeds), cache
bytes per item, and tidings' default settings (feed phase, then its page phase)."""

import re

from . import readers
from .common import log
from .context import READERS, Ctx, poll
from .figures import median

SUMMARY = re.compile(r"^\d+ feeds polled:")


def cold_and_warm(ctx: Ctx, n: int, warm: bool, slow: float | None = None) -> dict:
    """Per reader: cold feeds-only walls and peak RSS over `runs` fresh caches; with `warm`, the
    cache figures and a timed warm poll on each of those caches (it should be all 304s).

    tidings' warm poll is its second poll. newsboat 2.21 stores a feed's ETag and Last-Modified
    only when the feed already has a row in its cache, which on the first poll it has not yet, so
    its second poll downloads everything again: its warm poll is the third, after an untimed one.

    With `slow`, a reader whose first run took longer than that many seconds is run only once
    (newsboat needs minutes for 5,000 feeds, which would take the whole run past 20 minutes)."""
    urls = ctx.urls(n)
    out = {r: {"cold": [], "rss": [], "warm": [], "warm_rss": [], "bytes": [], "items": [], "warm_304": [],
               "feeds_ok": []} for r in READERS}
    for k in range(ctx.runs):
        for name in READERS:
            if k > 0 and slow is not None and out[name]["cold"] and out[name]["cold"][0] > slow:
                continue
            d = ctx.work.fresh(f"cold{n}", f"{name}-{k}")
            s = readers.setup(name, d, urls, feeds_only=True)
            p = poll(ctx, s, f"cold {n} feeds-only #{k + 1}")
            o = out[name]
            o["cold"].append(p.result.wall)
            o["rss"].append(p.result.rss_mb)
            o["feeds_ok"].append(p.log.feeds.get("200", 0))
            if warm:
                size, items = readers.cache_stats(s)
                o["bytes"].append(size)
                o["items"].append(items)
                if name == "newsboat":
                    poll(ctx, s, f"newsboat's second poll (untimed) #{k + 1}")
                w = poll(ctx, s, f"warm {n} feeds-only #{k + 1}")
                o["warm"].append(w.result.wall)
                o["warm_rss"].append(w.result.rss_mb)
                o["warm_304"].append(w.log.feeds.get("304", 0))
    return out


def page_counts(lines: list[str]) -> dict | None:
    """The page phase as tidings reports it after its summary line: the last line that speaks of
    articles or pages, read as numbers followed by a word (extracted, failed, left, ...)."""
    after = [line for line in lines if re.search(r"\b(article|page)s?\b", line, re.I) and re.search(r"\d", line)]
    if not after:
        return None
    line = after[-1]
    found = {"line": line}
    for num, word in re.findall(r"(\d[\d,]*)\s+([A-Za-z]+(?:\s+[A-Za-z]+)?)", line):
        value = int(num.replace(",", ""))
        w = word.lower()
        if "fail" in w or w.startswith("without"):  # "165 failed", "165 without one"
            found["failed"] = value
        elif any(x in w for x in ("left", "defer", "skip", "remain", "not reached", "pending", "later")):
            found["left"] = value
        elif "ok" not in found and any(x in w for x in ("article", "page", "extract", "fetch", "stored")):
            found["ok"] = value
    return found


def default_settings(ctx: Ctx, n: int) -> dict:
    """tidings with its defaults (full_text auto): feed-phase time (when the summary line
    arrives), total time, the page phase from its output and from nginx's log; then a warm poll
    on the same cache."""
    urls = ctx.urls(n)
    runs = []
    for k in range(ctx.runs):
        d = ctx.work.fresh(f"default{n}", f"tidings-{k}")
        s = readers.setup("tidings", d, urls, feeds_only=False)
        p = poll(ctx, s, f"cold {n} default #{k + 1}")
        lines = [line for _, line in p.result.lines]
        idx = next((i for i, line in enumerate(lines) if SUMMARY.search(line)), None)
        feed_phase = p.result.first(SUMMARY.pattern)
        reported = page_counts(lines[idx + 1 :] if idx is not None else [])
        if reported is None and idx is not None:  # older builds: the page line came before it
            reported = page_counts(lines[idx:])
        log(f"  feed phase {feed_phase}, pages reported: {reported}")
        w = poll(ctx, s, f"warm {n} default #{k + 1}")
        summary_at = p.result.epoch0 + feed_phase if feed_phase is not None else None
        before = sum(1 for t in p.log.page_times if summary_at is not None and t < summary_at)
        runs.append({
            "total": p.result.wall,
            "rss": p.result.rss_mb,
            "feed_phase": feed_phase,
            "pages_before_summary": before,
            # older builds print the summary after the pages: then the page phase is timed from
            # nginx's first to last page request
            "summary_last": before > 0.5 * max(1, p.log.page_total()),
            "reported": reported,
            "nginx_pages": p.log.page_total(),
            "nginx_pages_ok": p.log.pages.get("200", 0),
            "page_span": (p.log.last_page_at - p.log.first_page_at) if p.log.first_page_at else None,
            "warm": w.result.wall,
            "warm_pages": w.log.page_total(),
            "warm_304": w.log.feeds.get("304", 0),
        })
    return {"runs": runs, "feed_phase": median([r["feed_phase"] for r in runs]),
            "total": median([r["total"] for r in runs]), "warm": median([r["warm"] for r in runs])}
