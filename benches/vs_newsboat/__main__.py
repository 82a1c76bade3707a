"""Entry point: `python3 -m vs_newsboat --tidings BIN --data DIR --work DIR [--quick] [--only ROW]`.
Starts nginx, prepares the feeds, runs the rows, prints the table (and writes results.md and
results.json in the work dir), and stops every server it started, also on Ctrl-C."""

import argparse
import json
import shutil
import signal
import sys
import time
from pathlib import Path

from . import corpus, interactive, machine, polls, report, selection, table
from .common import Work, all_addrs, kill_running, log
from .context import Ctx
from .nginx import Nginx, free_port

ROWS = ("cold", "default", "scale", "startup", "latency")
ALIASES = {"warm": "cold", "cache": "cold", "default-warm": "default", "5000": "scale"}


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="vs_newsboat", description="tidings against newsboat 2.21, side by side")
    p.add_argument("--tidings", required=True, help="the tidings binary under test")
    p.add_argument("--newsboat", default="newsboat")
    p.add_argument("--data", required=True, type=Path, help="../shared/data")
    p.add_argument("--work", required=True, type=Path)
    p.add_argument("--quick", action="store_true", help="1 run each, 1,000 feeds only, no 5,000 or start-up rows")
    p.add_argument("--only", choices=ROWS + tuple(ALIASES), help="run one row (cold also gives warm and cache)")
    p.add_argument("--runs", type=int, help="timed runs per row (default 3, 1 with --quick)")
    p.add_argument("--port", type=int, default=18080, help="first nginx port to try")
    return p.parse_args(argv)


def _terminate(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    args.tidings = str(Path(shutil.which(args.tidings) or args.tidings).resolve())
    args.newsboat = shutil.which(args.newsboat) or args.newsboat
    runs = args.runs or (1 if args.quick else 3)
    only = ALIASES.get(args.only, args.only)
    wanted = [only] if only else [r for r in ROWS if not (args.quick and r in ("scale", "startup"))]
    work = Work(args.work.resolve())
    work.root.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with it ignored
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    started = time.monotonic()
    header = machine.lines(args.tidings, args.newsboat)
    nginx = Nginx(work, free_port(args.port, all_addrs()))
    try:
        nginx.start()
        sel = selection.load_or_select(work, args.data, nginx.port, args.tidings, args.newsboat)
        chosen = [corpus.Candidate(r["path"], r["size"], r["items"]) for r in sel["selected"]]
        pages = corpus.link_pages(work, args.data)
        tmpl = corpus.templates(args.data / "feeds" / "corpus", chosen, pages)
        ctx = Ctx(work, args.data, args.tidings, args.newsboat, nginx, tmpl, pages, runs)
        ctx.results["selection"] = sel
        for row in wanted:
            log(f"row: {row}")
            if row == "cold":
                ctx.results["cold1000"] = polls.cold_and_warm(ctx, 1000, warm=True)
            elif row == "default":
                if "cold1000" not in ctx.results and only:  # the ratio needs the feeds-only time
                    ctx.results["cold1000"] = polls.cold_and_warm(ctx, 1000, warm=True)
                ctx.results["default1000"] = polls.default_settings(ctx, 1000)
            elif row == "scale":
                if "cold1000" not in ctx.results:
                    ctx.results["cold1000"] = polls.cold_and_warm(ctx, 1000, warm=False)
                ctx.results["cold5000"] = polls.cold_and_warm(ctx, 5000, warm=False, slow=90)
            elif row == "startup":
                ctx.results["startup"] = interactive.startup(ctx)
            elif row == "latency":
                n = 1000 if args.quick else 2000
                ctx.results["latency"] = dict(interactive.latency(ctx, n, 0.05), n=n)
    except KeyboardInterrupt as e:
        log(f"interrupted ({e}); stopping")
        return 130
    finally:
        kill_running()
        nginx.stop()
    elapsed = time.monotonic() - started
    title = f"tidings vs newsboat 2.21 ({'quick, ' if args.quick else ''}{runs} run{'s' if runs > 1 else ''} per row, " \
            f"{elapsed / 60:.1f} min)"
    text = table.render(report.rows(ctx.results, runs), header, title)
    print(text)
    (work.root / "results.md").write_text(text)
    sel_copy = dict(ctx.results)
    (work.root / "results.json").write_text(json.dumps(sel_copy, indent=1, default=str))
    log(f"done in {elapsed:.0f} s; {work.root / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
