"""Chooses the 200 corpus files: in ranking order (see corpus.candidates), the first 200 that at
least one reader parses to at least one item (files that neither reader can parse are left out;
a file only one reader parses stays in: that is part of what is measured), each checked once by polling it through nginx with
both readers. The choice is cached in the work dir (selection.json) with every check's result,
so that later runs, and later builds of tidings, measure the same feeds."""

import json
from pathlib import Path

from . import corpus, proc, readers
from .common import Work, log

RULE = "v2: distinct, rewritable, >=1 item; ranked by min(items,10) desc, size desc, path; at least one reader parses"
WANT = 200
BATCH = 260


def load_or_select(work: Work, data: Path, port: int, tidings: str, newsboat: str) -> dict:
    cache = work.root / "selection.json"
    feeds_dir = data / "feeds" / "corpus"
    digest = corpus.corpus_digest(feeds_dir)
    if cache.exists():
        saved = json.loads(cache.read_text())
        if saved.get("rule") == RULE and saved.get("corpus") == digest:
            log(f"selection: {len(saved['selected'])} files from {cache} (delete it to check again)")
            return saved
    ranked = corpus.candidates(feeds_dir)
    log(f"selection: {len(ranked)} candidate files; checking them with both readers")
    pages = corpus.link_pages(work, data)
    checked: list[dict] = []
    selected: list[dict] = []
    start = 0
    while len(selected) < WANT and start < len(ranked):
        batch = ranked[start : start + BATCH]
        tmpl = corpus.templates(feeds_dir, batch, pages, start)
        results = _check(work, tmpl, batch, port, tidings, newsboat, start)
        for c, (t_items, n_items, t_err) in zip(batch, results):
            row = {"path": c.path, "size": c.size, "items": c.items, "tidings": t_items, "newsboat": n_items}
            if t_err:
                row["tidings_error"] = t_err
            checked.append(row)
            if (t_items > 0 or n_items > 0) and len(selected) < WANT:
                selected.append(row)
        start += BATCH
    result = {"rule": RULE, "corpus": digest, "selected": selected, "checked": checked}
    cache.write_text(json.dumps(result, indent=1))
    log(f"selection: {len(selected)} chosen of {len(checked)} checked; {summary(result)}")
    return result


def _check(work, tmpl, batch, port, tidings, newsboat, offset) -> list[tuple[int, int, str]]:
    urls = []
    for k, (name, doc) in enumerate(tmpl):
        d = work.www / "c" / str(offset + k)
        d.mkdir(parents=True, exist_ok=True)
        (d / name).write_bytes(corpus.fill(doc, 0, port))
        urls.append(f"http://127.0.1.{(offset + k) % 50 + 1}:{port}/c/{offset + k}/{name}")
    env = work.env()
    counts = {}
    errors: dict[str, str] = {}
    for name, binary in (("tidings", tidings), ("newsboat", newsboat)):
        d = work.fresh("select", f"{name}-{offset}")
        s = readers.setup(name, d, urls, feeds_only=True)
        r = proc.run(s.poll_argv(binary), env, d, timeout=600)
        if r.rc not in (0, 1) or r.timed_out:  # tidings exits 1 when every feed failed
            raise RuntimeError(f"selection: {name} exited with {r.rc} (see {d})")
        counts[name] = readers.items_per_feed(s)
        if name == "tidings":
            for _, line in r.lines:
                if ": failed: " in line:
                    errors[line.split(": failed: ")[0]] = line.split(": failed: ", 1)[1]
    out = []
    for k, url in enumerate(urls):
        t_items = counts["tidings"].get(url, 0)
        n_items = counts["newsboat"].get(url, 0)
        err = next((e for n, e in errors.items() if url in n or n == tmpl[k][0]), "")
        out.append((t_items, n_items, err))
    return out


def summary(sel: dict) -> str:
    """One line on the chosen files: how many each reader parses to no item."""
    chosen = sel["selected"]
    t_fail = sum(1 for r in chosen if not r["tidings"])
    n_fail = sum(1 for r in chosen if not r["newsboat"])
    dropped = sum(1 for r in sel["checked"] if not (r["tidings"] or r["newsboat"]))
    return (f"{len(chosen)} files ({sum(r['items'] for r in chosen)} items); no items from tidings in {t_fail}, "
            f"from newsboat in {n_fail}; {dropped} checked files parsed by neither were left out")
