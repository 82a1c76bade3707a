"""The rows measured in a pseudo-terminal: start-up to the first drawn frame with ≈100,000
cached items, and key-to-next-output latency while a poll runs through the latency proxy."""

import time

from . import corpus, genfeeds, readers
from .common import all_addrs, log
from .context import READERS, Ctx, poll
from .figures import median, percentile
from .latency_proxy import Proxy
from .nginx import free_port
from .pty_driver import PtyProc, screen_regex

# What each reader draws in its first frame, and the key that quits it.
FIRST_FRAME = {"tidings": "? help", "newsboat": "Your feeds"}
QUIT = {"tidings": b"Q", "newsboat": b"q"}
# tidings' status bar once a poll is over ("Updated just now"); while it runs: "Polling 12/2000"
UPDATED = screen_regex("Updated just now")
UI_ATTEMPTS = 3


def startup(ctx: Ctx) -> dict:
    pool = genfeeds.item_pool(ctx.data / "feeds" / "corpus", [r["path"] for r in ctx.results["selection"]["selected"]])
    urls = genfeeds.write(ctx.work, pool, ctx.pages, ctx.port)
    log(f"start-up: {len(urls)} generated feeds × {genfeeds.ITEMS} items ({len(pool)} distinct corpus items)")
    out = {}
    setups = {}
    for name in READERS:
        d = ctx.work.fresh("startup", name)
        s = readers.setup(name, d, urls, feeds_only=True)
        p = poll(ctx, s, "start-up cache build", timeout=1200)
        _, items = readers.cache_stats(s)
        setups[name] = s
        out[name] = {"build": p.result.wall, "items": items, "frame": [], "hwm": [], "hwm2": [], "clean_quit": []}
    for k in range(ctx.runs):
        for name in READERS:
            s = setups[name]
            pty = PtyProc(s.ui_argv(ctx.binary(name)), ctx.work.env(), s.dir)
            t = pty.wait_for(screen_regex(FIRST_FRAME[name]), timeout=120)
            hwm = pty.vmhwm_mb()
            time.sleep(2)
            hwm2 = pty.vmhwm_mb()
            clean = pty.quit(QUIT[name], timeout=10)
            (s.dir / f"screen-{k}.raw").write_bytes(bytes(pty.out))
            o = out[name]
            o["frame"].append(t)
            o["hwm"].append(hwm)
            o["hwm2"].append(hwm2)
            o["clean_quit"].append(clean)
            log(f"start-up #{k + 1}: {name} first frame {t if t is None else round(t, 3)} s, VmHWM {hwm} → {hwm2} MB"
                f"{'' if clean else ', killed (did not quit)'}")
    return out


def _poll_done(proxy: Proxy, n: int):
    """True once every feed was requested and nothing has come back for a second."""
    def done() -> bool:
        st = proxy.stats()
        feeds = sum(v for a, v in st.get("requests", {}).items() if a.startswith("127.0.1."))
        return feeds >= n and time.time() - st.get("last_activity", time.time()) > 1.0
    return done


def _max_per_host(st: dict) -> int:
    return max((v for a, v in st.get("max", {}).items() if a.startswith("127.0.1.")), default=0)


def latency(ctx: Ctx, n: int, delay: float) -> dict:
    pport = free_port(ctx.port + 1000, all_addrs())
    urls = corpus.with_port(ctx.urls(n), ctx.port, pport)
    out = {name: {"wall": [], "max_conns": [], "requests": [], "ui": []} for name in READERS}
    for k in range(ctx.runs):
        for name in READERS:
            d = ctx.work.fresh(f"latency{n}", f"{name}-{k}")
            s = readers.setup(name, d, urls, feeds_only=True)
            proxy = Proxy(ctx.work, pport, ctx.port, delay, d / "proxy-stats.json")
            proxy.start()
            try:
                p = poll(ctx, s, f"+{delay * 1000:.0f} ms, {n} feeds #{k + 1}")
            finally:
                st = proxy.stop()
            o = out[name]
            o["wall"].append(p.result.wall)
            o["max_conns"].append(_max_per_host(st))
            o["requests"].append(sum(v for a, v in st.get("requests", {}).items() if a.startswith("127.0.1.")))
            log(f"  max connections per feed host {o['max_conns'][-1]}, requests {o['requests'][-1]}")
    for name in READERS:
        crashes = []
        for attempt in range(UI_ATTEMPTS):  # a reader that dies mid-poll is tried again
            d = ctx.work.fresh(f"latency{n}", f"{name}-ui-{attempt}")
            s = readers.setup(name, d, urls, feeds_only=True)
            proxy = Proxy(ctx.work, pport, ctx.port, delay, d / "proxy-stats.json")
            proxy.start()
            try:
                ui = _ui_latency(ctx, s, name, proxy, n)
            finally:
                st = proxy.stop()
            ui["max_conns"] = _max_per_host(st)
            ui["requests"] = sum(v for a, v in st.get("requests", {}).items() if a.startswith("127.0.1."))
            log(f"  UI {name} #{attempt + 1}: {ui}")
            if "died" not in ui:
                break
            crashes.append(f"died after {ui['requests']} of {n} feeds: “{ui['died']}”")
        ui["crashes"] = crashes
        out[name]["ui"] = ui
    for name in READERS:
        o = out[name]
        o["wall_median"] = median(o["wall"])
    return out


def _ui_latency(ctx: Ctx, s: readers.Setup, name: str, proxy: Proxy, n: int) -> dict:
    """The reader on a fresh cache: tidings polls due feeds when it starts, newsboat is told to
    reload all (R). `j` every 100 ms until the poll is over (every feed requested and a second
    without a response byte; for tidings also its status bar saying "Updated just now", or 60 s
    more), each press timed to the next output."""
    pty = PtyProc(s.ui_argv(ctx.binary(name)), ctx.work.env(), s.dir)
    try:
        t = pty.wait_for(screen_regex(FIRST_FRAME[name]), timeout=60)
        if t is None:
            return {"error": "no first frame"}
        if name == "newsboat":
            pty.send(b"R")
        started = time.monotonic()
        network_done, mark, quiet_since = _poll_done(proxy, n), len(pty.out), []

        def done() -> bool:
            # tidings goes on storing what it fetched after the network is quiet: wait for its
            # status bar to say so, or 60 s at most
            if not network_done():
                return False
            quiet_since.append(time.monotonic())
            if name != "tidings" or time.monotonic() - quiet_since[0] > 60:
                return True
            return bool(UPDATED.search(pty.out, mark))

        lat, unanswered, worst_at = pty.key_latencies(b"j", 0.1, done, limit=300)
        poll_time = time.monotonic() - started
        (s.dir / "screen.raw").write_bytes(bytes(pty.out))
        result = {"presses": len(lat) + unanswered, "unanswered": unanswered, "poll_s": poll_time,
                  "max": max(lat) if lat else None, "max_at": worst_at, "p99": percentile(lat, 99),
                  "p50": percentile(lat, 50)}
        if name == "tidings":
            result["said_done"] = bool(UPDATED.search(pty.out, mark))
        if not pty.alive():
            result["died"] = pty.last_text() or f"exit status {pty.status}"
        return result
    finally:
        if not pty.quit(QUIT[name], timeout=10):
            log(f"  {name} did not quit within 10 s; killed")
