"""Rewrites one feed document so that every item points at a page served locally and every item
id is distinct per copy, changing nothing else (byte-level edits, so the document stays as real
as it was).

- RSS `<item>`: each `<link>` gets the page URL. With no `<link>`, a permalink `<guid>` (the only
  link) gets it, else a `<link>` is added. Other guids get `#f<file>c<copy>` appended; RSS 1.0's
  `rdf:about` gets the page URL.
- Atom `<entry>`: `<link href>` with no rel or rel="alternate" gets the page URL (one is added
  when there is none); `<id>` gets `#f<file>c<copy>` appended.
- JSON Feed: `url` is the page URL, `id` gets `#f<file>c<copy>` appended.

newsboat keys items by guid across all feeds, so without distinct ids the copies of a feed (and
corpus files that share ids, such as variants of one test feed) would collapse into one. `COPY` and `PORT` are placeholders filled in when the copies are written.
"""

import json
import re
from collections.abc import Callable

COPY = b"@@C@@"
PORT = b"@@PORT@@"

_HIDDEN = re.compile(rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->", re.S)
_ITEM = re.compile(rb"<((?:[\w.-]+:)?)(item|entry)(\s[^>]*)?>(.*?)</\1\2\s*>", re.S)
_RSS_LINK = re.compile(rb"<link(\s[^>]*)?>(.*?)</link\s*>", re.S)
_ATTR_REL = re.compile(rb"""\srel\s*=\s*(["'])(.*?)\1""", re.S)
_ATTR_HREF = re.compile(rb"""(\shref\s*=\s*)(["'])(.*?)\2""", re.S)
_PERMALINK_FALSE = re.compile(rb"""isPermaLink\s*=\s*["']\s*false\s*["']""", re.I)
_RDF_ABOUT = re.compile(rb"""(\srdf:about\s*=\s*)(["'])(.*?)\2""", re.S)


def is_ascii_compatible(data: bytes) -> bool:
    """False for UTF-16/32 documents, which a byte-level edit would corrupt."""
    head = data[:256]
    return not (head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head)


def _mask(data: bytes) -> bytes:
    """The same bytes with CDATA sections and comments blanked (same length), so that markup-like
    text inside them is never taken for an element."""
    return _HIDDEN.sub(lambda m: b"<" + b"x" * (len(m.group(0)) - 2) + b">", data)


def _append_to_text(text: bytes, suffix: bytes) -> bytes:
    stripped = text.strip()
    if stripped.startswith(b"<![CDATA[") and stripped.endswith(b"]]>"):
        return stripped[:-3] + suffix + b"]]>"
    return stripped + suffix


def _rss_item(item: bytes, masked: bytes, url: bytes, suffix: bytes) -> bytes:
    edits: list[tuple[int, int, bytes]] = []
    links = list(_RSS_LINK.finditer(masked))
    for m in links:
        edits.append((m.start(), m.end(), b"<link>" + url + b"</link>"))
    guid = re.search(rb"<guid(\s[^>]*)?>(.*?)</guid\s*>", masked, re.S)
    if guid:
        attrs = guid.group(1) or b""
        text = item[guid.start(2) : guid.end(2)]
        if not links and not _PERMALINK_FALSE.search(attrs):
            new_text = url  # the permalink guid is the item's only link
        else:
            new_text = _append_to_text(text, suffix)
        edits.append((guid.start(2), guid.end(2), new_text))
    if not links and not (guid and not _PERMALINK_FALSE.search(guid.group(1) or b"")):
        edits.append((0, 0, b"<link>" + url + b"</link>"))
    return _apply(item, edits)


def _atom_entry(item: bytes, masked: bytes, url: bytes, prefix: bytes, suffix: bytes) -> bytes:
    edits: list[tuple[int, int, bytes]] = []
    found = False
    for m in re.finditer(rb"<" + re.escape(prefix) + rb"link(\s[^>]*?)?/?>", masked):
        attrs = m.group(1) or b""
        rel = _ATTR_REL.search(attrs)
        if rel and rel.group(2).strip() not in (b"alternate", b""):
            continue
        href = _ATTR_HREF.search(attrs)
        if href:
            base = m.start(1)
            edits.append((base + href.start(3), base + href.end(3), url))
            found = True
    if not found:
        edits.append((0, 0, b"<" + prefix + b'link rel="alternate" href="' + url + b'"/>'))
    ident = re.search(rb"<" + re.escape(prefix) + rb"id(\s[^>]*)?>(.*?)</" + re.escape(prefix) + rb"id\s*>", masked, re.S)
    if ident:
        edits.append((ident.start(2), ident.end(2), _append_to_text(item[ident.start(2) : ident.end(2)], suffix)))
    return _apply(item, edits)


def _apply(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        data = data[:start] + new + data[end:]
    return data


def rewrite_xml(data: bytes, url_for: Callable[[int], bytes], suffix: bytes) -> tuple[bytes, int]:
    """The rewritten document and its number of items; `url_for(k)` is item k's page URL, `suffix`
    is appended to ids."""
    masked = _mask(data)
    out, last, count = [], 0, 0
    for m in _ITEM.finditer(masked):
        prefix, tag = m.group(1), m.group(2)
        url = url_for(count)
        start_tag_end = m.start(4)
        start_tag = data[m.start() : start_tag_end]
        body, body_masked = data[m.start(4) : m.end(4)], masked[m.start(4) : m.end(4)]
        if tag == b"item":
            about = _RDF_ABOUT.search(masked[m.start() : start_tag_end])
            if about:
                start_tag = start_tag[: about.start(3)] + url + start_tag[about.end(3) :]
            body = _rss_item(body, body_masked, url, suffix)
        else:
            body = _atom_entry(body, body_masked, url, prefix, suffix)
        out += [data[last : m.start()], start_tag, body, data[m.end(4) : m.end()]]
        last = m.end()
        count += 1
    out.append(data[last:])
    return b"".join(out), count


def rewrite_json(data: bytes, url_for: Callable[[int], bytes], suffix: bytes) -> tuple[bytes, int]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return data, 0
    items = doc.get("items") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        return data, 0
    count = 0
    for item in items:
        if not isinstance(item, dict):
            continue
        url = url_for(count).decode()
        item["url"] = url
        item["id"] = f"{item['id']}{suffix.decode()}" if item.get("id") not in (None, "") else url
        count += 1
    return json.dumps(doc, ensure_ascii=False).encode(), count


def id_suffix(file_no: int) -> bytes:
    """What is appended to the ids of chosen file `file_no`'s items (COPY filled in later)."""
    return b"#f%dc%s" % (file_no, COPY)


def rewrite(name: str, data: bytes, url_for: Callable[[int], bytes], file_no: int = 0) -> tuple[bytes, int]:
    suffix = id_suffix(file_no)
    if name.endswith(".json") or data.lstrip()[:1] == b"{":
        return rewrite_json(data, url_for, suffix)
    return rewrite_xml(data, url_for, suffix)
