"""The feed corpus: candidates in ranking order, the item pages, and the N feed copies served by
nginx (www/f/<i>/<name>, copy i // 200 of selected file i % 200, on feed host i % 50)."""

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .common import Work, feed_addr, page_addr
from .rewrite import COPY, PORT, is_ascii_compatible, rewrite

MAX_BYTES = 10 * 1024 * 1024  # tidings' default max_size


@dataclass
class Candidate:
    path: str  # relative to the corpus directory
    size: int
    items: int  # items the rewrite found (and pointed at local pages)

    @property
    def name(self) -> str:
        return re.sub(r"[^A-Za-z0-9._-]", "_", os.path.basename(self.path))


def candidates(corpus: Path) -> list[Candidate]:
    """Every distinct corpus file the rewrite can handle and that has at least one item, best
    first: more items first (counted up to 10, so that beyond that the larger real-world
    captures win over small synthetic ones), then larger files, then by path. Byte-identical
    duplicates keep the first path in sorted order."""
    seen: set[str] = set()
    found: list[Candidate] = []
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen or len(data) > MAX_BYTES or not is_ascii_compatible(data):
            continue
        seen.add(digest)
        _, items = rewrite(path.name, data, lambda k: b"http://x/")
        if items:
            found.append(Candidate(str(path.relative_to(corpus)), len(data), items))
    found.sort(key=lambda c: (-min(c.items, 10), -c.size, c.path))
    return found


def corpus_digest(corpus: Path) -> str:
    """Identifies the corpus (its file list and sizes): a cached selection is reused only for it."""
    h = hashlib.sha256()
    for p in sorted(corpus.rglob("*")):
        if p.is_file():
            h.update(f"{p.relative_to(corpus)}\0{p.stat().st_size}\n".encode())
    return h.hexdigest()[:16]


def link_pages(work: Work, data: Path) -> int:
    """pages/<n>.html -> the real HTML pages, extraction/html then extraction-web/pages, each
    sorted by name; returns how many."""
    sources = sorted((data / "extraction" / "html").glob("*.html")) + sorted(
        (data / "extraction-web" / "pages").glob("*.html")
    )
    work.pages.mkdir(parents=True, exist_ok=True)
    for n, src in enumerate(sources):
        link = work.pages / f"{n}.html"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(src.resolve())
    return len(sources)


def page_url(g: int, pages: int) -> bytes:
    """Item g's page (g counts items over all selected files): host g % 20, file g % pages; the
    copy number keeps the URL distinct per feed copy."""
    return b"http://%s:%s/p/%s/%d/%d.html" % (page_addr(g).encode(), PORT, COPY, g, g % pages)


def templates(corpus: Path, chosen: list[Candidate], pages: int, file_no: int = 0) -> list[tuple[str, bytes]]:
    """(file name, rewritten document with COPY and PORT placeholders) for each chosen file;
    `file_no` numbers the first one (ids carry the number, so that files sharing ids stay apart)."""
    out, g = [], 0
    for j, c in enumerate(chosen):
        data = (corpus / c.path).read_bytes()
        base = g
        doc, n = rewrite(c.path, data, lambda k: page_url(base + k, pages), file_no + j)
        g += n
        out.append((c.name, doc))
    return out


def fill(doc: bytes, copy: int, port: int) -> bytes:
    return doc.replace(COPY, str(copy).encode()).replace(PORT, str(port).encode())


def write_copies(work: Work, tmpl: list[tuple[str, bytes]], n: int, port: int, sub: str = "f") -> list[str]:
    """Writes feeds 0..n-1 under www/<sub>/ and returns their URLs (feed i on host i % 50)."""
    urls = []
    for i in range(n):
        name, doc = tmpl[i % len(tmpl)]
        d = work.www / sub / str(i)
        d.mkdir(parents=True, exist_ok=True)
        target = d / name
        body = fill(doc, i // len(tmpl), port)
        if not target.exists() or target.stat().st_size != len(body) or target.read_bytes() != body:
            target.write_bytes(body)  # unchanged files keep their mtime (and so their ETag)
        urls.append(f"http://{feed_addr(i)}:{port}/{sub}/{i}/{name}")
    return urls


def with_port(urls: list[str], port: int, new_port: int) -> list[str]:
    return [u.replace(f":{port}/", f":{new_port}/", 1) for u in urls]
