"""Generated feeds for the start-up row: 1,000 RSS 2.0 feeds of 100 items each (≈100,000
cached items), made of the selected corpus files' item titles and texts, with distinct guids
and links, served from www/g/<i>.xml."""

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .common import Work, feed_addr, page_addr

FEEDS, ITEMS = 1000, 100
BASE_TIME = 1_760_000_000  # 2025-10-09; item n is n minutes older
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _text(el) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", "".join(el.itertext())))).strip() if el is not None else ""


def item_pool(corpus: Path, paths: list[str]) -> list[tuple[str, str]]:
    """(title, text) of every item of the given files that has a title, in file order."""
    pool = []
    for rel in paths:
        try:
            root = ET.fromstring((corpus / rel).read_bytes())
        except (ET.ParseError, ValueError):  # not well-formed, or an encoding expat lacks
            continue
        for el in root.iter():
            if not isinstance(el.tag, str) or el.tag.rsplit("}", 1)[-1] not in ("item", "entry"):
                continue
            fields = {c.tag.rsplit("}", 1)[-1]: c for c in el if isinstance(c.tag, str)}
            title = _text(fields.get("title"))
            body = next((_text(fields[k]) for k in ("description", "summary", "content", "encoded") if k in fields), "")
            if title:
                pool.append((title[:200], body[:600]))
    return pool


def _rfc822(t: int) -> str:
    from email.utils import formatdate

    return formatdate(t, usegmt=True)


def write(work: Work, pool: list[tuple[str, str]], pages: int, port: int) -> list[str]:
    """Writes the feeds and returns their URLs (feed i on host i % 50)."""
    urls = []
    esc = html.escape
    for i in range(FEEDS):
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
            f"<title>Generated feed {i}</title><link>http://{feed_addr(i)}:{port}/</link>",
            f"<description>feed {i} of {FEEDS}, {ITEMS} items from the corpus</description>",
        ]
        for k in range(ITEMS):
            n = i * ITEMS + k
            title, body = pool[n % len(pool)]
            link = f"http://{page_addr(n)}:{port}/p/{i}/{k}/{n % pages}.html"
            parts.append(
                f"<item><title>{esc(title)}</title><link>{link}</link>"
                f'<guid isPermaLink="false">gen-{i}-{k}</guid><pubDate>{_rfc822(BASE_TIME - n * 60)}</pubDate>'
                f"<description>{esc(body)}</description></item>"
            )
        parts.append("</channel></rss>\n")
        d = work.www / "g"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{i}.xml").write_text("".join(parts))
        urls.append(f"http://{feed_addr(i)}:{port}/g/{i}.xml")
    return urls
