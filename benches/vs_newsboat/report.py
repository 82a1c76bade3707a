"""Turns the measured figures into the table's rows (medians of the runs; ratios newsboat ÷
tidings)."""

from . import selection
from .figures import count, kb, mb, median, ms, ratio, secs, slope
from .table import Row


def _pair(o: dict, key: str) -> tuple[float | None, float | None]:
    return median(o["newsboat"][key]), median(o["tidings"][key])


def rows(res: dict, runs: int) -> list[Row]:
    out: list[Row] = []
    med = f"median of {runs}" if runs > 1 else "1 run"
    c = res.get("cold1000")
    if c:
        n, t = _pair(c, "cold")
        ok = f"200s: newsboat {median(c['newsboat']['feeds_ok']):.0f}, tidings {median(c['tidings']['feeds_ok']):.0f}"
        out.append(Row("cold poll, feeds only, 1,000 feeds: wall time", secs(n), secs(t), ratio(n, t), f"{med}; {ok}"))
        n, t = _pair(c, "rss")
        out.append(Row("cold poll, feeds only, 1,000 feeds: peak RSS", mb(n), mb(t), ratio(n, t), "ru_maxrss"))
        if c["tidings"]["warm"]:
            n, t = _pair(c, "warm")
            w304 = f"304s: newsboat {median(c['newsboat']['warm_304']):.0f}, tidings {median(c['tidings']['warm_304']):.0f}"
            out.append(Row("warm poll (304s), feeds only, 1,000 feeds: wall time", secs(n), secs(t), ratio(n, t),
                           f"on the cold run's cache (newsboat: third poll, see README); {w304}"))
            n, t = _pair(c, "warm_rss")
            out.append(Row("warm poll, feeds only: peak RSS", mb(n), mb(t), ratio(n, t), ""))
            nb = median([b / i for b, i in zip(c["newsboat"]["bytes"], c["newsboat"]["items"]) if i])
            tb = median([b / i for b, i in zip(c["tidings"]["bytes"], c["tidings"]["items"]) if i])
            ni, ti = median(c["newsboat"]["items"]), median(c["tidings"]["items"])
            out.append(Row("cache bytes per stored item (after the cold feeds-only poll)", kb(nb), kb(tb), ratio(nb, tb),
                           f"items: newsboat {count(int(ni))}, tidings {count(int(ti))}; after wal_checkpoint(TRUNCATE)"))
    d = res.get("default1000")
    if d:
        n_cold = median(c["newsboat"]["cold"]) if c else None
        feeds_only = median(c["tidings"]["cold"]) if c else None
        out.append(Row("cold poll, default settings, 1,000 feeds: total wall time", secs(n_cold), secs(d["total"]),
                       ratio(n_cold, d["total"]), "newsboat: its feeds-only cold run (it fetches no pages)"))
        fp = d["feed_phase"]
        rel = f"{fp / feeds_only:.2f}x the feeds-only cold time" if fp and feeds_only else ""
        late = any(r["summary_last"] for r in d["runs"])
        note = rel + ("; the summary line came after most page requests" if late else "")
        out.append(Row("cold poll, default settings: feed phase (summary line printed)", secs(n_cold), secs(fp),
                       ratio(n_cold, fp), note))
        out.append(_pages_row(d))
        nw = median(c["newsboat"]["warm"]) if c and c["newsboat"]["warm"] else None
        wp = median([r["warm_pages"] for r in d["runs"]])
        out.append(Row("warm poll, default settings: wall time", secs(nw), secs(d["warm"]), ratio(nw, d["warm"]),
                       f"tidings page requests on the warm poll: {wp:.0f}"))
    s = res.get("cold5000")
    if s and c:
        n5, t5 = _pair(s, "cold")
        n1, t1 = _pair(c, "cold")
        counts = {r: len(s[r]["cold"]) for r in ("newsboat", "tidings")}
        how = med if len(set(counts.values())) == 1 else ", ".join(
            f"{r}: {'median of ' + str(k) if k > 1 else '1 run (over 90 s a run)'}" for r, k in counts.items())
        out.append(Row("cold poll, feeds only, 5,000 feeds: wall time", secs(n5), secs(t5), ratio(n5, t5), how))
        r5n, r5t = _pair(s, "rss")
        r1n, r1t = _pair(c, "rss")
        out.append(Row("cold poll, feeds only, 5,000 feeds: peak RSS", mb(r5n), mb(r5t), ratio(r5n, r5t), ""))
        sn, st = slope(1, n1, 5, n5), slope(1, t1, 5, t5)
        grow = ", ".join(f"{r} {a / b:.1f}x" for r, a, b in (("newsboat", n5, n1), ("tidings", t5, t1)) if a and b)
        out.append(Row("slope, 1,000 → 5,000 feeds: time per 1,000 feeds", secs(sn), secs(st), ratio(sn, st),
                       f"at 1,000: {secs(n1)} / {secs(t1)}; 5,000 ÷ 1,000: {grow} (5x is linear)"))
        sn, st = slope(1, r1n, 5, r5n), slope(1, r1t, 5, r5t)
        grow = ", ".join(f"{r} {a / b:.1f}x" for r, a, b in (("newsboat", r5n, r1n), ("tidings", r5t, r1t)) if a and b)
        out.append(Row("slope, 1,000 → 5,000 feeds: peak RSS per 1,000 feeds", mb(sn), mb(st), ratio(sn, st),
                       f"at 1,000: {mb(r1n)} / {mb(r1t)}; 5,000 ÷ 1,000: {grow}"))
    u = res.get("startup")
    if u:
        n, t = median(u["newsboat"]["frame"]), median(u["tidings"]["frame"])
        items = f"cached items: newsboat {count(u['newsboat']['items'])}, tidings {count(u['tidings']['items'])}"
        out.append(Row("start-up to the first drawn frame, ≈100,000 cached items", secs(n), secs(t), ratio(n, t),
                       f"{med}; pty 120x40; {items}"))
        n, t = median(u["newsboat"]["hwm"]), median(u["tidings"]["hwm"])
        out.append(Row("memory at the first frame (VmHWM)", mb(n), mb(t), ratio(n, t), ""))
        n, t = median(u["newsboat"]["hwm2"]), median(u["tidings"]["hwm2"])
        out.append(Row("memory 2 s after the first frame (VmHWM)", mb(n), mb(t), ratio(n, t),
                       f"cache build (cold poll of the generated feeds): newsboat {secs(u['newsboat']['build'])}, "
                       f"tidings {secs(u['tidings']['build'])}"))
    lat = res.get("latency")
    if lat:
        n, t = lat["newsboat"]["wall_median"], lat["tidings"]["wall_median"]
        out.append(Row(f"{lat['n']:,} feeds, +50 ms per response: cold poll, feeds only", secs(n), secs(t), ratio(n, t),
                       f"{med}; through the latency proxy"))
        nm, tm = max(lat["newsboat"]["max_conns"]), max(lat["tidings"]["max_conns"])
        tm_ui, nm_ui = lat["tidings"]["ui"].get("max_conns", 0), lat["newsboat"]["ui"].get("max_conns", 0)
        verdict = "never exceeded" if max(tm, tm_ui) <= 2 else "EXCEEDED"
        out.append(Row("max connections open at once to one host (server side)", str(max(nm, nm_ui)), str(max(tm, tm_ui)),
                       "–", f"tidings per_host = 2: {verdict}; max over the timed polls and the interface run"))
        nu, tu = lat["newsboat"]["ui"], lat["tidings"]["ui"]
        out.append(Row("key-to-next-output while polling (j every 100 ms): p99", ms(nu.get("p99")), ms(tu.get("p99")),
                       ratio(nu.get("p99"), tu.get("p99")), _ui_note(nu, tu)))
        out.append(Row("key-to-next-output while polling: max", ms(nu.get("max")), ms(tu.get("max")),
                       ratio(nu.get("max"), tu.get("max")), "newsboat after R (reload all); tidings polls on start"))
    if "selection" in res:
        out.append(Row("feeds: corpus files served", "", "", "", selection.summary(res["selection"])))
    return out


def _pages_row(d: dict) -> Row:
    rates, notes = [], []
    for r in d["runs"]:
        phase = r["total"] - r["feed_phase"] if r["feed_phase"] is not None else None
        if phase is None or r["summary_last"]:  # summary printed after the pages: time them from nginx's log
            phase, notes = r["page_span"], ["page phase timed from nginx's first to last page request"]
        if phase and r["nginx_pages_ok"]:
            rates.append(r["nginx_pages_ok"] / phase)
    rep = d["runs"][-1]["reported"] or {}
    said = f"tidings said: “{rep['line']}”" if rep.get("line") else "tidings printed no page line"
    before = median([r["pages_before_summary"] for r in d["runs"]])
    notes.append(f"{before:.0f} page requests before the summary line")
    ok = median([r["nginx_pages_ok"] for r in d["runs"]])
    tot = median([r["nginx_pages"] for r in d["runs"]])
    rate = median(rates)
    return Row("cold poll, default settings: page phase, pages per second", "–",
               "–" if rate is None else f"{rate:.0f} pages/s", "–",
               "; ".join([f"nginx: {ok:.0f} pages served (200) of {tot:.0f} page requests", said] + notes))


def _ui_note(nu: dict, tu: dict) -> str:
    def one(name: str, u: dict) -> str:
        if "error" in u:
            return f"{name}: {u['error']}"
        text = (f"{name}: {u.get('presses', 0)} presses over {u.get('poll_s', 0):.1f} s, "
                f"{u.get('unanswered', 0)} unanswered, median {ms(u.get('p50'))}, "
                f"slowest at {u.get('max_at', 0):.1f} s")
        if u.get("said_done") is False:
            text += ", its status bar never said “Updated just now” (stopped 60 s after the network went quiet)"
        if "died" in u:
            text += f", DIED after {u.get('requests', 0)} feeds: “{u['died']}”"
        if u.get("crashes"):
            text += f" ({len(u['crashes'])} earlier attempt(s) died: " + "; ".join(u["crashes"]) + ")"
        return text
    return "; ".join([one("newsboat", nu), one("tidings", tu)])
