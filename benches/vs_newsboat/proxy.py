"""A TCP proxy that adds latency: listens on the given loopback addresses at one port, forwards
each connection to nginx on the same address at another port, and delays the first byte of
every response (the first data back after each request) by a fixed time. It counts, per
listening address, the connections open at once (the maximum is what a per-host limit is
checked against, on the server side), connections and requests in all, and writes these
figures as JSON to a stats file every 0.2 s and on exit.

    python3 -m vs_newsboat.proxy --addrs 127.0.1.1,... --port 19080 --upstream 18080 \
        --delay 0.05 --stats stats.json
"""

import argparse
import asyncio
import json
import os
import signal
import time
from collections import defaultdict


class Stats:
    def __init__(self) -> None:
        self.current: dict[str, int] = defaultdict(int)
        self.max: dict[str, int] = defaultdict(int)
        self.conns: dict[str, int] = defaultdict(int)
        self.requests: dict[str, int] = defaultdict(int)
        self.last_activity = time.time()

    def dump(self, path: str) -> None:
        doc = {
            "current": self.current,
            "max": self.max,
            "conns": self.conns,
            "requests": self.requests,
            "last_activity": self.last_activity,
            "written": time.time(),
        }
        tmp = f"{path}.tmp"
        with open(tmp, "w") as f:
            json.dump(doc, f)
        os.replace(tmp, path)


async def _pump_up(reader, writer, state, stats, addr) -> None:
    while data := await reader.read(65536):
        if data[:4] in (b"GET ", b"HEAD", b"POST"):
            stats.requests[addr] += 1
        state["awaiting"] = True
        writer.write(data)
        await writer.drain()
    if writer.can_write_eof():
        writer.write_eof()


async def _pump_down(reader, writer, state, stats, delay) -> None:
    while data := await reader.read(65536):
        if state["awaiting"]:
            state["awaiting"] = False
            await asyncio.sleep(delay)
        stats.last_activity = time.time()
        writer.write(data)
        await writer.drain()


async def _handle(client_r, client_w, addr, upstream, delay, stats) -> None:
    stats.current[addr] += 1
    stats.conns[addr] += 1
    stats.max[addr] = max(stats.max[addr], stats.current[addr])
    stats.last_activity = time.time()
    server_w = None
    try:
        server_r, server_w = await asyncio.open_connection(addr, upstream)
        state = {"awaiting": False}
        up = asyncio.create_task(_pump_up(client_r, server_w, state, stats, addr))
        down = asyncio.create_task(_pump_down(server_r, client_w, state, stats, delay))
        await asyncio.wait([up, down], return_when=asyncio.FIRST_COMPLETED)
        if not down.done():  # the client is done sending: wait for the rest of the response
            await asyncio.wait([down], timeout=120)
        for t in (up, down):
            t.cancel()
    except (ConnectionError, OSError, asyncio.CancelledError):
        pass
    finally:
        stats.current[addr] -= 1
        for w in (client_w, server_w):
            if w is not None:
                w.close()


async def main(args) -> None:
    stats = Stats()
    addrs = args.addrs.split(",")
    servers = []
    for addr in addrs:
        servers.append(await asyncio.start_server(
            lambda r, w, a=addr: _handle(r, w, a, args.upstream, args.delay, stats),
            addr, args.port, backlog=4096, reuse_address=True))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    stats.dump(args.stats)
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), 0.2)
        except asyncio.TimeoutError:
            pass
        stats.dump(args.stats)
    stats.dump(args.stats)
    for s in servers:
        s.close()
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--addrs", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--upstream", type=int, required=True)
    p.add_argument("--delay", type=float, default=0.05)
    p.add_argument("--stats", required=True)
    asyncio.run(main(p.parse_args()))
