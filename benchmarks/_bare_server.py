"""A bare aiohttp server for calibrating the benchmark rig (not part of the SDK).

It emulates nothing: every request sleeps the configured latency, then a POST is
answered with a 409 at the configured rate (seeded) or with a fixed invoice body, and a
GET with a fixed body (e.g. a page captured from the sandbox). Raw aiohttp against it
measures what this machine's event loops, timers and loopback cost by themselves, so the
benchmarks can tell that floor apart from the sandbox's own CPU. It serves on aiohttp's
low-level server, as the sandbox does, on the sandbox process's loop
(``freshbooks_async.sandbox.loop_factory``: timers are not rounded up to whole
milliseconds).

``--cpu-ms`` makes each request also burn that much CPU, before the delay
(``--delay last``, what the sandbox does) or after it (``--delay first``): the
calibration behind "How the sandbox adds latency" in ``docs/performance.rst``.

Run: ``python benchmarks/_bare_server.py --port 0 --latency-ms 10 [--conflict-rate 0.3]
[--get-body FILE] [--cpu-ms 0.4 --delay first|last]``; it prints
``listening on http://127.0.0.1:PORT``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

from _common import stop_process
from aiohttp import web

from freshbooks_async.sandbox import loop_factory

__all__ = ["bare_server"]

_CONFLICT = (
    b'{"response":{"errors":[{"errno":409,"field":"invoice_number","message":'
    b'"Conflict: the resource is being modified by another request."}]}}'
)
_CREATED = (
    b'{"response":{"result":{"invoice":{"id":1,"invoiceid":1,"invoice_number":"0000001",'
    b'"customerid":1,"create_date":"2024-01-05","status":1,"v3_status":"draft",'
    b'"amount":{"amount":"100.00","code":"USD"},"outstanding":{"amount":"100.00",'
    b'"code":"USD"},"paid":{"amount":"0.00","code":"USD"},"currency_code":"USD",'
    b'"created_at":"2024-01-05 10:00:00","updated":"2024-01-05 10:00:00",'
    b'"version":"2024-01-05 10:00:00.000000","vis_state":0}}}}'
)


def _burn(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def _handler(
    latency: float, conflict_rate: float, get_body: bytes, seed: int, cpu: float, delay: str
) -> Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]:
    rng = random.Random(seed)

    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        await request.read()
        if cpu and delay == "last":
            _burn(cpu)
        if latency:
            await asyncio.sleep(latency)
        if cpu and delay == "first":
            _burn(cpu)
        if request.method == "POST":
            if rng.random() < conflict_rate:
                return web.Response(status=409, body=_CONFLICT, content_type="application/json")
            return web.Response(body=_CREATED, content_type="application/json")
        return web.Response(body=get_body, content_type="application/json")

    return handle


async def _serve(args: argparse.Namespace, body: bytes) -> None:
    handle = _handler(
        args.latency_ms / 1000,
        args.conflict_rate,
        body,
        args.seed,
        args.cpu_ms / 1000,
        args.delay,
    )
    # aiohttp's low-level server, as the sandbox's: no application router or middleware.
    runner = web.ServerRunner(web.Server(handle, access_log=None), handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", args.port)
    await site.start()
    port = runner.addresses[0][1]
    print(f"listening on http://127.0.0.1:{port}", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


@contextlib.contextmanager
def bare_server(
    *,
    latency_ms: float,
    conflict_rate: float = 0.0,
    get_body: Path | None = None,
    cpu_ms: float = 0.0,
    delay: str = "last",
) -> Iterator[str]:
    """Run the bare server in its own process for a ``with`` block; yields its base URL."""
    args = ["--port", "0", "--latency-ms", str(latency_ms), "--conflict-rate", str(conflict_rate)]
    args += ["--cpu-ms", str(cpu_ms), "--delay", delay]
    if get_body is not None:
        args += ["--get-body", str(get_body)]
    process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(Path(__file__).resolve()), *args], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        url = ""
        for line in process.stdout:  # the first line, or EOF if it failed to start
            if line.startswith("listening on "):
                url = line.split(" ", 2)[2].strip()
                break
        if not url:
            raise RuntimeError("the bare server did not start")
        yield url
    finally:
        stop_process(process)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--conflict-rate", type=float, default=0.0)
    parser.add_argument("--get-body")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cpu-ms", type=float, default=0.0)
    parser.add_argument("--delay", choices=("first", "last"), default="last")
    args = parser.parse_args()
    body = Path(args.get_body).read_bytes() if args.get_body else b'{"response":{"result":{}}}'
    # The sandbox's own loop (timers fire when due, not up to 1 ms late), so that the two
    # servers differ only in what the sandbox emulates.
    with contextlib.suppress(KeyboardInterrupt), asyncio.Runner(loop_factory=loop_factory()) as r:
        r.run(_serve(args, body))
    return 0


if __name__ == "__main__":
    sys.exit(main())
