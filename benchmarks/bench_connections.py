"""Scenario 6: connection reuse, TCP connects counted by the sandbox.

Each variant sends ``--requests`` GETs of one invoice (3,000; quick: 300) at a given
concurrency to the sandbox (its own process, 1 ms latency per request so concurrent
requests really overlap); the sandbox counts the TCP connections it accepts (read from
``/_sandbox/stats`` over a kept-alive control connection, before and after). Variants:
``ours`` (``client.invoices.get``) and ``raw aiohttp`` at concurrency 1, 10 and 50, and the
official SDK (sequential) both as usually written (``fb.invoices.get(...)``: the property
builds a new resource and ``requests.Session`` per call) and with the resource kept.

Each case is repeated ``--repeat`` times (a fresh client each time; the median is
reported). Goal: ours opens at most concurrency + 1 connections.

Run: ``python benchmarks/bench_connections.py [--quick] [--repeat 5] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import aiohttp
import yarl

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from _common import (
    ACCOUNT_ID,
    Control,
    SandboxProcess,
    add_common_arguments,
    check_repeat,
    chunks,
    goal,
    row,
    scenario_result,
    write_json,
)

from freshbooks_async import FreshBooksClient

REQUESTS = {False: 3000, True: 300}
CONCURRENCY = (1, 10, 50)
LATENCY_MS = 1.0
INVOICE_ID = 1


async def _gather(total: int, concurrency: int, one: Callable[[], Any]) -> None:
    async def worker(count: int) -> None:
        for _ in range(count):
            await one()

    await asyncio.gather(*(worker(n) for n in chunks(total, concurrency)))


async def ours(url: str, token: str, total: int, concurrency: int) -> None:
    """``client.invoices.get`` ``total`` times by ``concurrency`` workers."""
    async with FreshBooksClient(token, base_url=url) as client:

        async def one() -> None:
            await client.invoices.get(ACCOUNT_ID, INVOICE_ID)

        await _gather(total, concurrency, one)


async def raw(url: str, token: str, total: int, concurrency: int) -> None:
    """``aiohttp.ClientSession.get`` (default connector) the same way."""
    target = yarl.URL(f"{url}/accounting/account/{ACCOUNT_ID}/invoices/invoices/{INVOICE_ID}")
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession() as session:

        async def one() -> None:
            async with session.get(target, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"raw aiohttp: HTTP {response.status}")

        await _gather(total, concurrency, one)


def sdk(url: str, token: str, total: int, *, keep_resource: bool) -> None:
    """The official SDK, sequentially."""
    os.environ["FRESHBOOKS_API_URL"] = url
    from freshbooks.client import Client

    fb = Client(client_id="bench-client", access_token=token)
    if keep_resource:
        invoices = fb.invoices
        for _ in range(total):
            invoices.get(ACCOUNT_ID, INVOICE_ID)
        invoices.session.close()
    else:
        for _ in range(total):
            fb.invoices.get(ACCOUNT_ID, INVOICE_ID)


def _in_loop(
    fn: Callable[[str, str, int, int], Coroutine[Any, Any, None]],
    url: str,
    token: str,
    total: int,
    concurrency: int,
) -> None:
    asyncio.run(fn(url, token, total, concurrency))


def _count(control: Control, action: Callable[[], None]) -> tuple[int, int, float]:
    """(TCP connects, requests, seconds) while ``action`` runs."""
    before = control.stats()
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    after = control.stats()
    return (
        after["connections"] - before["connections"],
        after["total_requests"] - before["total_requests"],
        seconds,
    )


def run(url: str, token: str, *, quick: bool, repeat: int, with_sdk: bool) -> dict[str, Any]:
    """Every case; returns the scenario result."""
    total = REQUESTS[quick]
    cases: list[tuple[str, int, Callable[[], None]]] = []
    clients: tuple[tuple[str, Callable[[str, str, int, int], Coroutine[Any, Any, None]]], ...] = (
        ("ours", ours),
        ("raw aiohttp", raw),
    )
    for concurrency in CONCURRENCY:
        for name, fn in clients:
            cases.append(
                (name, concurrency, functools.partial(_in_loop, fn, url, token, total, concurrency))
            )
    if with_sdk:
        cases.append(
            ("official SDK (resource kept)", 1, lambda: sdk(url, token, total, keep_resource=True))
        )
        cases.append(
            (
                "official SDK (fb.invoices.get)",
                1,
                lambda: sdk(url, token, total, keep_resource=False),
            )
        )
    rows: list[dict[str, Any]] = []
    goals: list[dict[str, Any]] = []
    with Control(url) as control:
        control.stats()  # open the control connection before counting
        for name, concurrency, action in cases:
            action_runs = repeat if not name.startswith("official SDK") else 1
            counts: list[float] = []
            seconds: list[float] = []
            for _ in range(action_runs):
                connects, requests, elapsed = _count(control, action)
                if requests != total:
                    raise RuntimeError(f"{name}: the sandbox saw {requests} requests, not {total}")
                counts.append(connects)
                seconds.append(elapsed)
            rows.append(
                row(
                    f"{total:,} GETs, c={concurrency}",
                    name,
                    "TCP connects",
                    "connections",
                    counts,
                    concurrency=concurrency,
                    requests=total,
                    wall_seconds_median=sorted(seconds)[len(seconds) // 2],
                )
            )
            if name == "ours":
                worst = max(counts)
                goals.append(
                    goal(
                        f"TCP connects over {total:,} requests, ours, c={concurrency}",
                        f"<= {concurrency + 1}",
                        worst,
                        worst <= concurrency + 1,
                        f"max over {len(counts)} runs",
                    )
                )
    return scenario_result(
        "connections",
        "Connection reuse",
        quick=quick,
        rows=rows,
        goals=goals,
        notes=(
            f"TCP connections accepted by the sandbox; {LATENCY_MS:g} ms latency per request; "
            "the official SDK runs once per variant (it is sequential and slow)."
        ),
    )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Command line entry point; returns the result it writes."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_common_arguments(parser)
    parser.add_argument("--skip-sdk", action="store_true", help="leave out the official SDK")
    args = parser.parse_args(argv)
    repeat = check_repeat(parser, args.repeat)
    with SandboxProcess(seed_invoices=10, latency_ms=LATENCY_MS) as sandbox:
        result = run(
            sandbox.url, sandbox.token, quick=args.quick, repeat=repeat, with_sdk=not args.skip_sdk
        )
    for r in result["rows"]:
        print(
            f"{r['case']:<20} {r['variant']:<32} {r['median']:6.0f} connects "
            f"({r['wall_seconds_median']:.1f} s)"
        )
    for g in result["goals"]:
        print(f"  goal {g['name']}: {g['measured']:.0f} {g['target']}: ", end="")
        print("met" if g["met"] else "MISSED")
    if args.output:
        write_json(args.output, result)
    return result


if __name__ == "__main__":
    main()
