"""Scenario 2, list all: the concurrent paginator against the sandbox on loopback.

* Wall time of ``paginate(...)`` over every invoice (decoded to ``Invoice`` models as
  ``fb.invoices.list_all`` decodes them: lazily, fields built on first read) at
  concurrency 1, 4, 10 and 25, with a fixed sandbox latency per request, as a ratio to
  the lower bound ``(1 + ceil((pages - 1) / C)) x latency`` (page 1 alone, then full
  windows). Goal: within 1.15x at C=10. At C=10 the same scan with JSON items (no
  models) and a raw aiohttp scan (the rig's floor) run interleaved with it, round by
  round, so the three see the same machine, for at least 9 rounds.
* Streaming memory: peak RSS growth of the client process while streaming every invoice
  of a large account (items are dropped as they are read); it must stay bounded by the
  window, far below what holding every invoice costs.

Full run: 10,000 invoices at 50 ms (100 pages); streaming 100,000 invoices.
``--quick``: 1,000 invoices at 20 ms; streaming 5,000.

Run: ``python benchmarks/bench_list_all.py [--quick] [--repeat N] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import (
    ACCOUNT_ID,
    RESULTS_DIR,
    SandboxProcess,
    add_common_arguments,
    check_repeat,
    current_rss_kib,
    environment,
    goal,
    interleaved,
    observe_sends,
    peak_rss_kib,
    row,
    scenario_result,
    write_json,
)

from freshbooks_async import FreshBooksClient
from freshbooks_async.models import Invoice
from freshbooks_async.models._converter import _lazy_decoder
from freshbooks_async.pagination import pages_bound, paginate

PATH = f"/accounting/account/{ACCOUNT_ID}/invoices/invoices"
CONCURRENCIES = (1, 4, 10, 25)
#: The variants measured at C=10 ("raw": raw aiohttp, the rig's floor).
VARIANTS = ("Invoice models", "JSON items", "raw")
#: Rounds at C=10 (at least; ``--repeat`` if higher).
GOAL_ROUNDS = 9


#: What ``fb.invoices.list_all`` decodes each row with (lazy: checked strictly when the
#: page is decoded, fields built on first read; docs/models.rst, "Lazy decoding").
decode_invoice: Callable[[Any], Invoice] = _lazy_decoder(Invoice)


async def scan(
    url: str, token: str, concurrency: int, per_page: int, *, models: bool = True
) -> tuple[float, int, float]:
    """List every invoice; return (wall, count, seconds from the last page's arrival to
    the end: parsing and decoding that the window cannot hide)."""
    async with FreshBooksClient(token, base_url=url, max_in_flight=64) as client:
        arrived = 0.0

        def note_arrival() -> None:
            nonlocal arrived
            arrived = time.perf_counter()

        observe_sends(client, lambda _request: note_arrival)
        await paginate(client, PATH, items_key="invoices", per_page=1)  # connect, warm up
        started = time.perf_counter()
        count = 0
        async for _ in paginate(
            client,
            PATH,
            items_key="invoices",
            decode=decode_invoice if models else None,
            per_page=per_page,
            concurrency=concurrency,
        ):
            count += 1
        ended = time.perf_counter()
        return ended - started, count, ended - arrived


async def raw_scan(
    url: str, token: str, concurrency: int, per_page: int
) -> tuple[float, int, float]:
    """The floor of this rig: raw aiohttp, page 1 then C workers over pages 2..N, with
    ``json.loads`` and nothing else (no models, no ordering, no error handling). Returns
    what :func:`scan` does."""
    import json

    import aiohttp

    target = f"{url}{PATH}"
    headers = {"Authorization": f"Bearer {token}"}
    arrived = 0.0
    async with aiohttp.ClientSession(headers=headers) as session:

        async def fetch(page: int) -> dict[str, Any]:
            nonlocal arrived
            params = {"page": str(page), "per_page": str(per_page)}
            async with session.get(target, params=params) as response:
                body = await response.read()
            arrived = time.perf_counter()
            result: dict[str, Any] = json.loads(body)["response"]["result"]
            return result

        await fetch(1)  # connect, warm up
        started = time.perf_counter()
        first = await fetch(1)
        count = len(first["invoices"])
        pending = list(range(2, int(first["pages"]) + 1))

        async def worker() -> None:
            nonlocal count
            while pending:
                items = (await fetch(pending.pop(0)))["invoices"]
                count += len(items)  # after the await: `count += len(await ...)` loses adds

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        ended = time.perf_counter()
        return ended - started, count, ended - arrived


def sdk_scan(url: str, token: str, per_page: int) -> tuple[float, int]:
    """The official SDK's page loop (sequential: it has no pagination helper)."""
    import os

    os.environ["FRESHBOOKS_API_URL"] = url  # read when the Client is created
    from freshbooks.builders.paginator import PaginateBuilder
    from freshbooks.client import Client

    sdk = Client(client_id="bench-client", access_token=token)
    started = time.perf_counter()
    count, page, pages = 0, 1, 1
    while page <= pages:
        result = sdk.invoices.list(ACCOUNT_ID, builders=[PaginateBuilder(page, per_page)])
        count += len(result.data["invoices"])
        pages = result.pages.pages
        page += 1
    return time.perf_counter() - started, count


async def stream(url: str, token: str, concurrency: int, *, models: bool) -> tuple[int, int, int]:
    """Stream every invoice (as models or raw JSON); return (count, RSS before KiB, peak
    RSS growth KiB)."""
    gc.collect()
    before = current_rss_kib()
    peak = before
    count = 0
    async with FreshBooksClient(token, base_url=url) as client:
        async for _ in paginate(
            client,
            PATH,
            items_key="invoices",
            decode=decode_invoice if models else None,
            concurrency=concurrency,
        ):
            count += 1
            if count % 500 == 0:
                peak = max(peak, current_rss_kib())
    return count, before, max(peak, current_rss_kib()) - before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    args = parser.parse_args()
    repeat = check_repeat(parser, args.repeat)
    invoices, latency_ms = (1_000, 20.0) if args.quick else (10_000, 50.0)
    streamed = 5_000 if args.quick else 100_000
    per_page = 100
    pages = math.ceil(invoices / per_page)
    rows: list[dict[str, Any]] = []
    goals: list[dict[str, Any]] = []
    print(f"list all: {invoices} invoices, {pages} pages, {latency_ms:.0f} ms latency")
    print(f"{'C':>3} {'median s':>9} {'bound s':>8} {'ratio':>6}")
    with SandboxProcess(seed_invoices=invoices, latency_ms=latency_ms) as sandbox:
        for concurrency in CONCURRENCIES:
            asyncio.run(scan(sandbox.url, sandbox.token, concurrency, per_page))  # warm-up
            # At C=10 the paginator with models, with JSON items and raw aiohttp run
            # interleaved round by round, the order rotated: their ratios are compared,
            # so drift on a shared machine must fall on each alike.
            variants = VARIANTS if concurrency == 10 else VARIANTS[:1]
            walls: dict[str, list[float]] = {variant: [] for variant in variants}
            tails: dict[str, list[float]] = {variant: [] for variant in variants}
            # The goal's case gets more rounds (each is ~0.6 s a variant): its median
            # is compared with a 1.15x target on a machine that drifts by a few percent.
            rounds = max(repeat, GOAL_ROUNDS) if concurrency == 10 else repeat
            for _run, variant in interleaved(variants, rounds):
                if variant == "raw":
                    wall, count, tail = asyncio.run(
                        raw_scan(sandbox.url, sandbox.token, concurrency, per_page)
                    )
                else:
                    wall, count, tail = asyncio.run(
                        scan(
                            sandbox.url,
                            sandbox.token,
                            concurrency,
                            per_page,
                            models=variant == "Invoice models",
                        )
                    )
                if count != invoices:
                    raise RuntimeError(f"{variant}: expected {invoices}, read {count}")
                walls[variant].append(wall)
                tails[variant].append(tail)
            samples = walls["Invoice models"]
            bound = pages_bound(pages, concurrency) * latency_ms / 1000
            ratios = [s / bound for s in samples]
            rows.append(
                row(
                    f"{invoices} invoices",
                    f"C={concurrency}",
                    "wall / bound",
                    "ratio",
                    ratios,
                    wall_seconds=samples,
                    bound_seconds=bound,
                    pages=pages,
                    latency_ms=latency_ms,
                )
            )
            median = sorted(ratios)[len(ratios) // 2]
            print(f"{concurrency:>3} {median * bound:>9.3f} {bound:>8.3f} {median:>6.3f}")
            if concurrency == 25:
                goals.append(
                    goal(
                        "list all at C=25 vs (1 + ceil((pages-1)/C)) x latency",
                        "<= 1.25x",
                        median,
                        median <= 1.25,
                        f"{invoices} invoices, {latency_ms:.0f} ms latency",
                    )
                )
            if concurrency == 10:
                raw = [w / bound for w in walls["JSON items"]]
                floor = [w / bound for w in walls["raw"]]
                rows.append(
                    row(
                        f"{invoices} invoices",
                        "C=10, JSON items (no models)",
                        "wall / bound",
                        "ratio",
                        raw,
                        bound_seconds=bound,
                    )
                )
                print(f" 10 {'(JSON)':>9} {bound:>8.3f} {sorted(raw)[len(raw) // 2]:>6.3f}")
                rows.append(
                    row(
                        f"{invoices} invoices",
                        "C=10, raw aiohttp (rig floor)",
                        "wall / bound",
                        "ratio",
                        floor,
                        bound_seconds=bound,
                    )
                )
                print(f" 10 {'(raw)':>9} {bound:>8.3f} {sorted(floor)[len(floor) // 2]:>6.3f}")
                floor_median = sorted(floor)[len(floor) // 2]
                # What the window cannot hide: the last pages' parsing (and decoding).
                for variant, values in tails.items():
                    rows.append(
                        row(
                            f"{invoices} invoices",
                            f"C=10, {variant}",
                            "after the last page arrived",
                            "ms",
                            [1000 * v for v in values],
                        )
                    )
                    tail_ms = 1000 * sorted(values)[len(values) // 2]
                    print(f"     after the last page arrived, {variant}: {tail_ms:.1f} ms")
                    if variant == "Invoice models":
                        goals.append(
                            goal(
                                "list all at C=10 with models: work after the last page",
                                "<= 5 ms",
                                tail_ms,
                                tail_ms <= 5.0,
                                "parsing and decoding the window the last page did not hide",
                            )
                        )
                goals.append(
                    goal(
                        "list all at C=10, paginator with JSON items / raw aiohttp (rig floor)",
                        "(for information)",
                        sorted(raw)[len(raw) // 2] / floor_median,
                        True,
                        f"raw aiohttp at {floor_median:.2f}x the bound on this machine",
                    )
                )
                goals.append(
                    goal(
                        "list all at C=10, paginator with Invoice models / raw aiohttp (rig floor)",
                        "(for information)",
                        median / floor_median,
                        True,
                        f"models {median:.2f}x, raw aiohttp {floor_median:.2f}x the bound",
                    )
                )
                goals.append(
                    goal(
                        "list all at C=10 vs (1 + ceil((pages-1)/C)) x latency",
                        "<= 1.10x",
                        median,
                        median <= 1.10,
                        f"{invoices} invoices, {latency_ms:.0f} ms latency",
                    )
                )
    with SandboxProcess(seed_invoices=invoices, latency_ms=latency_ms) as sandbox:
        sdk_samples: list[float] = []
        for _ in range(max(1, repeat if args.quick else 3)):
            wall, count = sdk_scan(sandbox.url, sandbox.token, per_page)
            if count != invoices:
                raise RuntimeError(f"official SDK: expected {invoices} invoices, read {count}")
            sdk_samples.append(wall)
        bound_1 = pages_bound(pages, 1) * latency_ms / 1000
        rows.append(
            row(
                f"{invoices} invoices",
                "official SDK page loop",
                "wall / bound",
                "ratio",
                [w / bound_1 for w in sdk_samples],
                wall_seconds=sdk_samples,
                bound_seconds=bound_1,
            )
        )
        ours_10 = next(r for r in rows if r["variant"] == "C=10" and r["metric"] == "wall / bound")
        speedup = sorted(sdk_samples)[len(sdk_samples) // 2] / (
            ours_10["median"] * ours_10["bound_seconds"]
        )
        print(
            f"official SDK page loop: {sorted(sdk_samples)[len(sdk_samples) // 2]:.3f} s "
            f"(ours at C=10 is {speedup:.1f}x faster)"
        )
    # Raw JSON first (the paginator's own footprint), then decoded models (adds whatever
    # the models keep per object). Each in a fresh process would be cleaner; raw runs
    # first so its peak is not inflated by the decoded run.
    limit_kib = 64 * 1024
    with SandboxProcess(seed_invoices=streamed, latency_ms=0.0) as sandbox:
        for models in (False, True):
            count, before, growth = asyncio.run(
                stream(sandbox.url, sandbox.token, 10, models=models)
            )
            if count != streamed:
                raise RuntimeError(f"expected {streamed} invoices, streamed {count}")
            variant = "Invoice models" if models else "raw JSON"
            per_item_bytes = growth * 1024 / count
            rows.append(
                row(
                    f"stream {streamed} invoices, C=10",
                    variant,
                    "peak RSS growth",
                    "KiB",
                    [growth],
                    rss_before_kib=before,
                    peak_rss_kib=peak_rss_kib(),
                    bytes_per_item=per_item_bytes,
                )
            )
            goals.append(
                goal(
                    f"streaming {streamed} invoices ({variant}): RSS growth bounded by the window",
                    f"<= {limit_kib // 1024} MiB",
                    growth / 1024,
                    growth <= limit_kib,
                    f"{per_item_bytes:.0f} bytes per streamed invoice",
                )
            )
            print(f"stream {count} invoices ({variant}): peak RSS growth {growth / 1024:.1f} MiB")
    result = scenario_result(
        "list_all",
        "List all (concurrent paginator)",
        quick=args.quick,
        rows=rows,
        goals=goals,
        environment=environment(),
    )
    output = args.output or RESULTS_DIR / ("list_all-quick.json" if args.quick else "list_all.json")
    write_json(output, result)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
