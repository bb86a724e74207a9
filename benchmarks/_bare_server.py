"""A bare aiohttp server for calibrating the benchmark rig (not part of the SDK).

It emulates nothing: every request sleeps the configured latency, then a POST is
answered with a 409 at the configured rate (seeded) or with a fixed invoice body, and a
GET with a fixed body (e.g. a page captured from the sandbox). Raw aiohttp against it
measures what this machine's event loops, timers and loopback cost by themselves, so the
benchmarks can tell that floor apart from the sandbox's own CPU.

Run: ``python benchmarks/_bare_server.py --port 0 --latency-ms 10 [--conflict-rate 0.3]
[--get-body FILE]``; it prints ``listening on http://127.0.0.1:PORT``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType

from aiohttp import web

__all__ = ["BareServerProcess"]

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


def _app(latency: float, conflict_rate: float, get_body: bytes, seed: int) -> web.Application:
    rng = random.Random(seed)

    async def handle(request: web.Request) -> web.Response:
        await request.read()
        if latency:
            await asyncio.sleep(latency)
        if request.method == "POST":
            if rng.random() < conflict_rate:
                return web.Response(status=409, body=_CONFLICT, content_type="application/json")
            return web.Response(body=_CREATED, content_type="application/json")
        return web.Response(body=get_body, content_type="application/json")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


async def _serve(args: argparse.Namespace, body: bytes) -> None:
    runner = web.AppRunner(_app(args.latency_ms / 1000, args.conflict_rate, body, args.seed))
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


class BareServerProcess:
    """Run the bare server in its own process for a ``with`` block; ``.url`` is its base."""

    def __init__(
        self, *, latency_ms: float, conflict_rate: float = 0.0, get_body: Path | None = None
    ) -> None:
        self.args = [
            "--port",
            "0",
            "--latency-ms",
            str(latency_ms),
            "--conflict-rate",
            str(conflict_rate),
        ]
        if get_body is not None:
            self.args += ["--get-body", str(get_body)]
        self.url = ""
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> BareServerProcess:
        self._process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
            [sys.executable, str(Path(__file__).resolve()), *self.args],
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = threading.Event()

        stdout = self._process.stdout
        assert stdout is not None

        def read_url() -> None:
            for line in stdout:
                if line.startswith("listening on "):
                    self.url = line.split(" ", 2)[2].strip()
                    ready.set()

        threading.Thread(target=read_url, daemon=True).start()
        if not ready.wait(30):
            self.__exit__(None, None, None)
            raise RuntimeError("the bare server did not start")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--conflict-rate", type=float, default=0.0)
    parser.add_argument("--get-body")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    body = Path(args.get_body).read_bytes() if args.get_body else b'{"response":{"result":{}}}'
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args, body))
    return 0


if __name__ == "__main__":
    sys.exit(main())
