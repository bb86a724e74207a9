"""``python -m freshbooks_async.sandbox``: run the sandbox on a port until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence
from urllib.parse import urlencode

from aiohttp.http_exceptions import HttpProcessingError

from ._core import Sandbox
from ._loop import loop_factory
from ._web import SandboxServer


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    p = argparse.ArgumentParser(
        prog="python -m freshbooks_async.sandbox",
        description="Run the FreshBooks sandbox emulator.",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--seed", type=int, default=0, help="seed of all randomness")
    p.add_argument("--seed-invoices", type=int, default=0)
    p.add_argument("--seed-clients", type=int, default=0)
    p.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help="hold every answer back this long (requests are processed on arrival)",
    )
    p.add_argument(
        "--jitter-ms", type=float, default=0.0, help="plus a uniform random 0..N ms per answer"
    )
    p.add_argument(
        "--processing-latency",
        type=float,
        default=0.0,
        help="seconds between choosing an invoice number and committing it",
    )
    p.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="SPEC",
        help="fault spec, e.g. 429:rate=0.1:retry_after=1 (repeatable)",
    )
    p.add_argument("--token", help="also accept this fixed bearer token")
    p.add_argument(
        "--client-id",
        default="sandbox-client-id",
        help="the OAuth app's client id (default: %(default)s)",
    )
    p.add_argument(
        "--client-secret",
        default="sandbox-client-secret",
        help="the OAuth app's client secret (default: %(default)s); a test credential "
        "of this sandbox, printed at startup",
    )
    return p


class _QuietClientErrors(logging.Filter):
    """Drops aiohttp's traceback for a request that is not valid HTTP (a bad request line
    or header): the client's mistake, answered with a 400, not a server error. Only this
    process's server is the sandbox, so only here is it safe to filter."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], HttpProcessingError))


async def _serve(args: argparse.Namespace) -> None:
    sandbox = Sandbox(
        seed=args.seed,
        latency_ms=args.latency_ms,
        jitter_ms=args.jitter_ms,
        processing_latency=args.processing_latency,
        faults=args.fault,
        seed_clients=args.seed_clients,
        seed_invoices=args.seed_invoices,
        client_id=args.client_id,
        client_secret=args.client_secret,
    )
    token = args.token or sandbox.token
    logging.getLogger("aiohttp.server").addFilter(_QuietClientErrors())
    if args.token:
        sandbox.register_token(args.token)
    async with SandboxServer(sandbox, host=args.host, port=args.port) as server:
        biz = sandbox.default_business
        print(f"FreshBooks sandbox listening on {server.url}", flush=True)
        print(f"  account_id={biz.account_id} business_id={biz.id} business_uuid={biz.uuid}")
        # The OAuth app is the sandbox's own test credential: printing it is the point.
        print(f"  oauth app: client_id={sandbox.client_id} client_secret={sandbox.client_secret}")
        query = urlencode(
            {
                "client_id": sandbox.client_id,
                "response_type": "code",
                "redirect_uri": sandbox.redirect_uris[0],
            }
        )
        print(f"  authorize: {server.url}/auth/oauth/authorize?{query}")
        print(f"  export FRESHBOOKS_API_URL={server.url}")
        print(f"  curl -H 'Authorization: Bearer {token}' {server.url}/auth/api/v1/users/me")
        print(f"  control: {server.url}/_sandbox/stats  (ledger, faults, seed, reset)", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        # SIGTERM (docker stop, a process manager) ends the server as cleanly as Ctrl-C.
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
            loop.add_signal_handler(signal.SIGTERM, stop.set)
        await stop.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        # Timers that fire when due: `latency_ms` then holds each answer back for the
        # latency asked for, not up to a millisecond more (see _loop.py).
        with asyncio.Runner(loop_factory=loop_factory()) as runner:
            runner.run(_serve(args))
    except KeyboardInterrupt:
        return 0
    except (ValueError, TypeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
