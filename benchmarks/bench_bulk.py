"""Scenario 4, bulk create: ``bulk_create_invoices`` against the sandbox on loopback.

The sandbox adds a fixed latency to every request and answers a fraction ``p`` of invoice
creates with an injected 409 (on top of its real numbering race). Measured per numbering
mode: requests per draft, wall time as a ratio to ``ceil(M / (1 - p) / C) x latency`` (the
time ``M`` drafts need when each POST fails with probability ``p`` and ``C`` are on the
wire), and from the sandbox ledger: drafts lost (not created) and duplicated (created
twice). Goals: within 1.25x, 0 lost, 0 duplicated.

The baseline is the official SDK creating the same drafts sequentially, as it can only
do: it has no 409 handling and never retries a POST, so every 409 loses that draft.

Full run: 5,000 drafts, p = 0.3, 10 ms latency, C = 16 (the official SDK: 500 drafts, as
it is sequential). ``--quick``: 500 drafts (the official SDK: 100). Server numbering,
client numbering and two raw aiohttp loops (with explicit numbers, and without: the
sandbox numbers them and its race adds 409s, as for server numbering) run interleaved,
round by round, each against a fresh sandbox and from a collected heap.

Run: ``python benchmarks/bench_bulk.py [--quick] [--repeat N] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _bare_server import bare_server
from _common import (
    ACCOUNT_ID,
    RESULTS_DIR,
    SandboxProcess,
    add_common_arguments,
    check_repeat,
    environment,
    goal,
    interleaved,
    observe_sends,
    row,
    scenario_result,
    write_json,
)

from freshbooks_async import FreshBooksClient
from freshbooks_async.bulk import BulkResult, bulk_create_invoices
from freshbooks_async.models import Invoice
from freshbooks_async.transports import Request

CONFLICT_RATE = 0.3
LATENCY_MS = 10.0
CONCURRENCY = 16
SANDBOX_CPU_MS = 0.4  # about what the sandbox's process spends per create (measured)
ROUTE = "POST /accounting/account/*/invoices/invoices"

#: Issue 20's targets, wall time over the bound, per numbering.
BULK_TARGETS = {"server": 1.15, "client": 1.12}


def drafts(n: int, run: int) -> list[dict[str, Any]]:
    return [
        {
            "customerid": 1 + i % 50,
            "create_date": "2024-01-05",
            "notes": f"run {run} draft {i}",
            "lines": [
                {"name": "Work", "qty": "1", "unit_cost": {"amount": f"{100 + i}", "code": "USD"}}
            ],
        }
        for i in range(n)
    ]


class PostTimer:
    """Where a bulk run's wall time goes: each POST's round trip, and the slot-seconds
    during which creates were on the wire.

    ``wall = requests x mean round trip / (C x utilisation)``: the mean round trip over the
    latency is the CPU queueing of both processes; the utilisation below 1 is the time
    slots were idle (validation before the first POST, the last retries' tail).
    """

    def __init__(self) -> None:
        self.round_trips: list[float] = []
        self.first: float | None = None
        self.in_flight = 0
        self.slot_seconds = 0.0
        self._mark = 0.0

    def begin(self) -> float:
        now = self._tick(+1)
        if self.first is None:
            self.first = now
        return now

    def end(self, began: float) -> None:
        self.round_trips.append(self._tick(-1) - began)

    def observe(self, request: Request) -> Callable[[], None] | None:
        """For :func:`observe_sends`: time the POSTs."""
        if request.method != "POST":
            return None
        began = self.begin()
        return lambda: self.end(began)

    def _tick(self, delta: int) -> float:
        now = time.perf_counter()
        self.slot_seconds += self.in_flight * (now - self._mark)
        self._mark = now
        self.in_flight += delta
        return now

    def summary(self, started: float, wall: float) -> dict[str, float]:
        trips = self.round_trips
        return {
            "round_trip_ms": 1000 * sum(trips) / len(trips),
            "utilisation": self.slot_seconds / (CONCURRENCY * wall),
            "before_first_post_s": (self.first or started) - started,
        }


async def create(
    url: str, token: str, n: int, run: int, numbering: Any
) -> tuple[float, BulkResult[Invoice], dict[str, float]]:
    batch = drafts(n, run)
    timer = PostTimer()
    async with FreshBooksClient(
        token, base_url=url, per_account_concurrency=CONCURRENCY, max_in_flight=64
    ) as client:
        observe_sends(client, timer.observe)
        await client.request("GET", f"/accounting/account/{ACCOUNT_ID}/invoices/invoices")
        started = time.perf_counter()
        result = await bulk_create_invoices(
            client,
            ACCOUNT_ID,
            batch,
            concurrency=CONCURRENCY,
            numbering=numbering,
            backoff_base=LATENCY_MS / 1000,
            backoff_max=0.5,
        )
        wall = time.perf_counter() - started
        return wall, result, timer.summary(started, wall)


async def raw_create(
    url: str, token: str, n: int, run: int, *, numbered: bool = True
) -> tuple[float, int, dict[str, float]]:
    """The floor of this rig: raw aiohttp, C workers, a 409 retried at once (the same body).
    ``numbered``: explicit invoice numbers (as client numbering); otherwise none, so the
    sandbox numbers them and its race adds 409s (as server numbering). No validation,
    decoding, reconciliation or bookkeeping. Returns (wall, requests, the
    :class:`PostTimer` summary)."""
    import json
    from collections import deque

    import aiohttp

    queue = deque(enumerate(drafts(n, run)))
    requests = 0
    timer = PostTimer()
    target = f"{url}/accounting/account/{ACCOUNT_ID}/invoices/invoices"
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal requests
        while queue:
            index, draft = queue.popleft()
            if numbered:
                draft = {**draft, "invoice_number": f"R{run}-{index:06d}"}
            body = json.dumps({"invoice": draft})
            while True:
                requests += 1
                began = timer.begin()
                async with session.post(target, data=body, headers=headers) as response:
                    await response.read()
                timer.end(began)
                if response.status == 200:
                    break
                if response.status != 409:
                    raise RuntimeError(f"raw aiohttp: HTTP {response.status}")

    async with aiohttp.ClientSession() as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(CONCURRENCY)))
        wall = time.perf_counter() - started
        return wall, requests, timer.summary(started, wall)


def timing_rows(case: str, variant: str, timings: list[dict[str, float]]) -> list[dict[str, Any]]:
    """Rows for the :class:`PostTimer` summaries of one variant's runs (and a printout)."""
    metrics = (
        ("round_trip_ms", "POST round trip, mean", "ms"),
        ("utilisation", "create slots busy", "share"),
        ("before_first_post_s", "before the first POST", "s"),
    )
    out = [
        row(case, variant, metric, unit, [t[key] for t in timings]) for key, metric, unit in metrics
    ]
    medians = {key: sorted(t[key] for t in timings)[len(timings) // 2] for key, _, _ in metrics}
    print(
        f"  {variant}: POST round trip {medians['round_trip_ms']:.2f} ms (latency "
        f"{LATENCY_MS:.0f}), slots busy {medians['utilisation']:.0%}, "
        f"{medians['before_first_post_s'] * 1000:.0f} ms before the first POST"
    )
    return out


def sdk_create(url: str, token: str, n: int, run: int) -> tuple[float, int]:
    """The official SDK creating ``n`` drafts one by one; returns (wall, failed)."""
    import os

    os.environ["FRESHBOOKS_API_URL"] = url  # read when the Client is created
    from freshbooks.client import Client
    from freshbooks.errors import FreshBooksError

    sdk = Client(client_id="bench-client", access_token=token)
    failed = 0
    started = time.perf_counter()
    for draft in drafts(n, run):
        try:
            sdk.invoices.create(ACCOUNT_ID, draft)  # as documented: a new session per call
        except FreshBooksError:
            failed += 1  # a 409 (or any error): the SDK does not retry a POST
    return time.perf_counter() - started, failed


RAW = "raw"
RAW_SERVER = "raw-server"
#: Row labels of the raw aiohttp loops.
RAW_LABELS = {
    RAW: "raw aiohttp loop (rig floor)",
    RAW_SERVER: "raw aiohttp loop, server numbering",
}


@dataclasses.dataclass
class Runs:
    """One variant's measured runs."""

    walls: list[float] = dataclasses.field(default_factory=list)
    per_item: list[float] = dataclasses.field(default_factory=list)
    requests: list[float] = dataclasses.field(default_factory=list)  # the POSTs
    conflicts: list[float] = dataclasses.field(default_factory=list)
    lost: list[float] = dataclasses.field(default_factory=list)
    duplicated: list[float] = dataclasses.field(default_factory=list)
    timings: list[dict[str, float]] = dataclasses.field(default_factory=list)


def measure(runs: Runs, variant: str, n: int, run: int, faults: list[str]) -> None:
    """One timed run of ``variant`` (a numbering mode, :data:`RAW` or :data:`RAW_SERVER`)
    against a fresh sandbox; for ours, the sandbox ledger is checked against the result."""
    # Drafts name customers 1..50, which must exist (the sandbox checks references).
    with SandboxProcess(latency_ms=LATENCY_MS, faults=faults, seed_clients=50) as sandbox:
        if variant in RAW_LABELS:
            wall, requests, timing = asyncio.run(
                raw_create(sandbox.url, sandbox.token, n, run, numbered=variant == RAW)
            )
            runs.walls.append(wall)
            runs.per_item.append(requests / n)
            runs.requests.append(requests)
            runs.timings.append(timing)
            return
        wall, result, timing = asyncio.run(create(sandbox.url, sandbox.token, n, run, variant))
        with sandbox.control() as control:
            summary = control.call("GET", "/_sandbox/ledger")["summary"]
    created = {i.reference for i in result.items if i.ok}
    if len(created) != summary["distinct_references"]:
        raise RuntimeError("the result and the sandbox ledger disagree")
    runs.walls.append(wall)
    runs.per_item.append(result.requests / n)
    runs.requests.append(result.attempts)
    runs.conflicts.append(result.conflicts)
    runs.lost.append(n - summary["distinct_references"])
    runs.duplicated.append(len(summary["duplicated_references"]))
    runs.timings.append(timing)


def variant_rows(
    n: int, bound: float, variant: str, measured: Runs, **extra: Any
) -> list[dict[str, Any]]:
    """The rows every variant has: wall / bound, requests per draft, wall over
    ``ceil(POSTs / C) x latency`` and the :class:`PostTimer` summaries.

    The third is the bound for the POSTs a run actually needed: it takes out how many
    409s the run drew (the injected ones and the sandbox's numbering race), leaving the
    time each POST took."""
    per_post = [
        wall / (math.ceil(sent / CONCURRENCY) * LATENCY_MS / 1000)
        for wall, sent in zip(measured.walls, measured.requests, strict=True)
    ]
    walls = [w / bound for w in measured.walls]
    return [
        row(
            f"{n} drafts, p={CONFLICT_RATE}",
            variant,
            "wall / bound",
            "ratio",
            walls,
            bound_seconds=bound,
            **extra,
        ),
        row(f"{n} drafts", variant, "requests per draft", "req", measured.per_item),
        row(f"{n} drafts", variant, "wall / (ceil(POSTs/C) x latency)", "ratio", per_post),
        *timing_rows(f"{n} drafts", variant, measured.timings),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    args = parser.parse_args()
    repeat = check_repeat(parser, args.repeat)
    n = 500 if args.quick else 5_000
    bound = math.ceil(n / (1 - CONFLICT_RATE) / CONCURRENCY) * LATENCY_MS / 1000
    rows: list[dict[str, Any]] = []
    goals: list[dict[str, Any]] = []
    print(
        f"bulk create: {n} drafts, p={CONFLICT_RATE}, {LATENCY_MS:.0f} ms, C={CONCURRENCY}, "
        f"bound {bound:.3f} s"
    )
    print(f"{'numbering':>9} {'wall s':>7} {'ratio':>6} {'req/item':>8} {'lost':>5} {'dup':>4}")
    faults = [f"conflict:rate={CONFLICT_RATE}:route={ROUTE}"]
    variants = ("server", "client", RAW, RAW_SERVER)
    runs: dict[str, Runs] = {variant: Runs() for variant in variants}
    for run, variant in interleaved(variants, repeat):
        measure(runs[variant], variant, n, run, faults)
    for numbering in ("server", "client"):
        measured = runs[numbering]
        ratios = [w / bound for w in measured.walls]
        rows.extend(variant_rows(n, bound, numbering, measured, wall_seconds=measured.walls))
        rows.append(row(f"{n} drafts", numbering, "409 answers", "count", measured.conflicts))
        rows.append(row(f"{n} drafts", numbering, "lost", "drafts", measured.lost))
        rows.append(row(f"{n} drafts", numbering, "duplicated", "drafts", measured.duplicated))
        median = sorted(ratios)[len(ratios) // 2]
        req = sorted(measured.per_item)[len(measured.per_item) // 2]
        lost, duplicated = max(measured.lost), max(measured.duplicated)
        print(
            f"{numbering:>9} {median * bound:>7.3f} {median:>6.3f} {req:>8.3f} "
            f"{lost:>5.0f} {duplicated:>4.0f}"
        )
        goals.append(
            goal(
                f"bulk create ({numbering} numbering) vs ceil(M/(1-p)/C) x latency",
                f"<= {BULK_TARGETS[numbering]}x",
                median,
                median <= BULK_TARGETS[numbering],
                f"{n} drafts, p={CONFLICT_RATE}, {LATENCY_MS:.0f} ms, C={CONCURRENCY}; "
                f"{req:.2f} requests per draft",
            )
        )
        goals.append(
            goal(
                f"bulk create ({numbering} numbering): lost + duplicated drafts",
                "0",
                lost + duplicated,
                lost + duplicated == 0,
                "sandbox ledger, every run",
            )
        )
    floors: dict[str, float] = {}
    for variant, label in RAW_LABELS.items():
        measured = runs[variant]
        raw_ratios = [w / bound for w in measured.walls]
        rows.extend(variant_rows(n, bound, label, measured))
        floors[variant] = sorted(raw_ratios)[len(raw_ratios) // 2]
        per_item = sorted(measured.per_item)[len(measured.per_item) // 2]
        print(f"{label} (no SDK work): {floors[variant]:.3f} x bound, {per_item:.3f} req/draft")
    floor = floors[RAW]

    # The same loop against a bare aiohttp server that only sleeps and answers (409 at
    # the same rate): what this machine's loops, timers and loopback cost without any
    # emulation, so the floor above is not mistaken for the sandbox's own CPU. Then the
    # same server burning about what the sandbox spends per create, with the delay after
    # the work (as the sandbox adds latency) and before it (as it used to; see "How the
    # sandbox adds latency" in docs/performance.rst).
    def bare_floor(variant: str, **options: Any) -> float:
        ratios: list[float] = []
        for run in range(repeat):
            gc.collect()
            with bare_server(latency_ms=LATENCY_MS, conflict_rate=CONFLICT_RATE, **options) as url:
                wall, _requests, _timing = asyncio.run(raw_create(url, "bare", n, run))
            ratios.append(wall / bound)
        rows.append(
            row(
                f"{n} drafts, p={CONFLICT_RATE}",
                variant,
                "wall / bound",
                "ratio",
                ratios,
                bound_seconds=bound,
            )
        )
        median = sorted(ratios)[len(ratios) // 2]
        print(f"{variant}: {median:.3f} x bound")
        return median

    bare = bare_floor("raw aiohttp loop vs a bare aiohttp server (sleep only)")
    goals.append(
        goal(
            "raw aiohttp loop vs a bare aiohttp server that only sleeps (no emulation)",
            "(for information)",
            bare,
            True,
            f"the timer and loop floor of this machine; against the sandbox {floor:.2f}x",
        )
    )
    for delay in ("last", "first"):
        bare_floor(
            f"raw aiohttp loop vs a bare server burning {SANDBOX_CPU_MS} ms, delay {delay}",
            cpu_ms=SANDBOX_CPU_MS,
            delay=delay,
        )
    for numbering, raw in (("server", RAW_SERVER), ("client", RAW)):
        ours = next(
            r["median"]
            for r in rows
            if r["variant"] == numbering and r.get("metric") == "wall / bound"
        )
        goals.append(
            goal(
                f"bulk create ({numbering} numbering) / {RAW_LABELS[raw]}",
                "(for information)",
                ours / floors[raw],
                True,
                f"the raw loop at {floors[raw]:.2f}x the bound: CPU per request on 2 cores",
            )
        )
    sdk_n = 100 if args.quick else 500
    sdk_walls: list[float] = []
    sdk_lost: list[float] = []
    for run in range(repeat):
        with SandboxProcess(latency_ms=LATENCY_MS, faults=faults, seed_clients=50) as sandbox:
            wall, failed = sdk_create(sandbox.url, sandbox.token, sdk_n, run)
            with sandbox.control() as control:
                summary = control.call("GET", "/_sandbox/ledger")["summary"]
        if summary["created"] != sdk_n - failed:
            raise RuntimeError("the official SDK's outcomes and the sandbox ledger disagree")
        sdk_walls.append(wall / sdk_n)
        sdk_lost.append(failed / sdk_n)
    rows.append(
        row(f"{sdk_n} drafts", "official SDK (sequential)", "wall per draft", "s", sdk_walls)
    )
    rows.append(
        row(f"{sdk_n} drafts", "official SDK (sequential)", "drafts lost (409)", "share", sdk_lost)
    )
    sdk_per_draft = sorted(sdk_walls)[len(sdk_walls) // 2]
    ours_per_draft = {
        r["variant"]: r["wall_seconds"]
        for r in rows
        if r.get("metric") == "wall / bound" and "wall_seconds" in r
    }
    for numbering, walls_of in ours_per_draft.items():
        per_draft = sorted(walls_of)[len(walls_of) // 2] / n
        print(
            f"official SDK: {sdk_per_draft * 1000:.1f} ms per draft, "
            f"{sorted(sdk_lost)[len(sdk_lost) // 2]:.0%} lost; ours ({numbering}): "
            f"{per_draft * 1000:.2f} ms per draft, {sdk_per_draft / per_draft:.1f}x faster"
        )
    result_doc = scenario_result(
        "bulk",
        "Bulk invoice creation",
        quick=args.quick,
        rows=rows,
        goals=goals,
        environment=environment(),
    )
    output = args.output or RESULTS_DIR / ("bulk-quick.json" if args.quick else "bulk.json")
    write_json(output, result_doc)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
