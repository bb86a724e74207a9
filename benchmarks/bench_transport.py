"""Client CPU per request: AiohttpTransport.send against a raw aiohttp session.

The server runs in a separate process (this script with ``--serve``) so that
``time.process_time()`` in this process counts only client work. Each variant sends
sequential GETs for a small JSON body over one keep-alive connection; rounds alternate
the variants and the median round is reported.

Usage::

    python benchmarks/bench_transport.py [--requests 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

import aiohttp
import yarl
from aiohttp import web

from freshbooks_async.transports import AiohttpTransport, Request

BODY = b'{"response": {"result": {"client": {"id": 1, "organization": "ACME"}}}}'


def serve() -> None:
    """Run the loopback server; print its port on the first line of stdout."""

    async def handle(_: web.Request) -> web.Response:
        return web.Response(body=BODY, content_type="application/json")

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/client", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.base_events.Server)
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


Variant = Callable[[yarl.URL, int], Awaitable[None]]


async def raw_session(url: yarl.URL, n: int) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(n):
            async with session.get(url, headers={"Accept": "application/json"}) as response:
                body = await response.read()
                assert response.status == 200
                assert body == BODY


async def transport_send(url: yarl.URL, n: int) -> None:
    async with AiohttpTransport() as transport:
        request = Request(method="GET", url=url, headers={"Accept": "application/json"})
        for _ in range(n):
            response = await transport.send(request)
            assert response.status == 200
            assert response.body == BODY


async def transport_given_session(url: yarl.URL, n: int) -> None:
    async with aiohttp.ClientSession() as session:
        transport = AiohttpTransport(session=session)
        request = Request(method="GET", url=url, headers={"Accept": "application/json"})
        for _ in range(n):
            response = await transport.send(request)
            assert response.status == 200
        await transport.aclose()


VARIANTS: dict[str, Variant] = {
    "raw aiohttp session.get + read": raw_session,
    "AiohttpTransport.send": transport_send,
    "AiohttpTransport.send (given session)": transport_given_session,
}


async def measure(variant: Variant, url: yarl.URL, n: int) -> tuple[float, float]:
    """(CPU microseconds per request, wall microseconds per request)."""
    await variant(url, min(200, n))  # warm up
    cpu, wall = time.process_time(), time.perf_counter()
    await variant(url, n)
    return (
        (time.process_time() - cpu) / n * 1e6,
        (time.perf_counter() - wall) / n * 1e6,
    )


async def run(url: yarl.URL, n: int, rounds: int) -> None:
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in VARIANTS}
    for _ in range(rounds):
        for name, variant in VARIANTS.items():
            results[name].append(await measure(variant, url, n))
    print(f"{n} sequential GETs per round, {rounds} rounds, median round, client process only")
    baseline = statistics.median(c for c, _ in results["raw aiohttp session.get + read"])
    for name, samples in results.items():
        cpu = statistics.median(c for c, _ in samples)
        wall = statistics.median(w for _, w in samples)
        print(
            f"  {name:<48} cpu {cpu:7.1f} us/req   wall {wall:7.1f} us/req   "
            f"cpu ratio {cpu / baseline:5.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    if args.requests <= 0 or args.rounds <= 0:
        parser.error("--requests and --rounds must be > 0")
    server = subprocess.Popen(  # noqa: S603 - runs this very script
        [sys.executable, __file__, "--serve"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        asyncio.run(run(yarl.URL(f"http://127.0.0.1:{port}/client"), args.requests, args.rounds))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
