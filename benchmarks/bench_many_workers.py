"""Scenario 7, many workers: one account's bulk creates shared by 1, 2 and 4 OS processes
through a :class:`~freshbooks_async.redis.RedisCoordinator`.

Each run starts a fresh sandbox (its own process, 10 ms latency per request) and ``P``
worker processes (this script with ``--worker``); every worker creates ``M / P`` drafts
with ``bulk_create_invoices`` (client numbering, ``concurrency=C``), and all share the
account's ``per_account_concurrency=C`` slots and its invoice counter through one
``redis-server`` (started here on a free loopback port, without persistence). Measured:
the wall time from the common start to the last worker's end, over the bound
``ceil(M / C) x latency`` (the time ``M`` creates need with ``C`` on the wire), and from
the sandbox: drafts lost or duplicated, 409 answers and the most creates in flight at once;
from Redis (``INFO commandstats``): the script calls (round trips) and the announcements
(``PUBLISH``) per draft.
The same run with one process and the in-process coordinator (no Redis) is the baseline,
and for each process count above one, the rig's floor: raw aiohttp in as many processes,
``C / P`` requests on the wire in each (a static split, nothing shared, explicit invoice
numbers, no validation or decoding), which shows what ``P`` client processes next to the
sandbox and Redis cost this machine before any coordination. Between the two, the SDK
alone: ``bulk_create_invoices`` in as many processes with the same static split (each its
own in-process coordinator with ``C / P`` slots, drafts carrying their own numbers), which
splits what is left over the floor into the SDK's own CPU and what sharing through Redis
adds. Below them all, the machine's floor: the same raw aiohttp processes against a bare
aiohttp server (``_bare_server.py``) that only holds each answer back 10 ms, at 1, 2 and
4 processes: what the client processes, one aiohttp server and the loopback cost this
machine with no emulator's CPU at all (what a client's own work adds starts from there).

Then the per-acquire cost of a slot, in microseconds, for the in-process and the Redis
coordinator: a free slot taken and given back by one task (``acquire`` and ``release``
timed apart), and a contended one (``4 x C`` tasks cycling through ``C`` slots: the time
per grant).

Full run: M = 5,000, C = 16, 10 ms. ``--quick``: M = 800. Goals: wall / bound <= 1.15 at
every process count; 0 lost, 0 duplicated, at most C in flight.

``redis-server`` must be on PATH (Debian: ``apt-get install redis-server``); without it the
Redis rows are skipped with a note (an error when ``CI=true``).

Run: ``python benchmarks/bench_many_workers.py [--quick] [--repeat N] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from _bare_server import bare_server
from _common import (
    ACCOUNT_ID,
    RESULTS_DIR,
    ROOT,
    SandboxProcess,
    add_common_arguments,
    check_repeat,
    environment,
    goal,
    interleaved,
    row,
    scenario_result,
    stop_process,
    write_json,
)

from freshbooks_async import FreshBooksClient
from freshbooks_async.bulk import bulk_create_invoices
from freshbooks_async.coordination import Coordinator, InProcessCoordinator, reacquire_slot

LATENCY_MS = 10.0
CAP = 16
PROCESSES = (1, 2, 4)
GOAL = 1.15
IN_PROCESS = "in-process"
RAW = "raw"
ALONE = "alone"
BARE = "bare"


def drafts(n: int, worker: int) -> list[dict[str, Any]]:
    return [
        {
            "customerid": 1 + i % 50,
            "create_date": "2024-01-05",
            "notes": f"worker {worker} draft {i}",
            "lines": [
                {"name": "Work", "qty": "1", "unit_cost": {"amount": f"{100 + i}", "code": "USD"}}
            ],
        }
        for i in range(n)
    ]


# --------------------------------------------------------------------------- redis-server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A ``redis-server`` on a free loopback port (no persistence); yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("redis-server is not on PATH")
    with tempfile.TemporaryDirectory(prefix="fb-bench-redis-") as workdir:
        port = _free_port()
        process = subprocess.Popen(  # noqa: S603 - a fixed binary and arguments
            [
                *(binary, "--port", str(port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", workdir),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                        sock.sendall(b"PING\r\n")
                        if sock.recv(64).startswith(b"+PONG"):
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start")
                time.sleep(0.02)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            stop_process(process)


# --------------------------------------------------------------------------- worker process


async def _worker(args: argparse.Namespace) -> dict[str, Any]:
    """One worker process: wait for "go" on stdin, create its drafts, report times."""
    coordinator: Coordinator
    cap = args.slots if args.alone else CAP
    if args.redis:
        from freshbooks_async.redis import RedisCoordinator

        coordinator = RedisCoordinator.from_url(args.redis, namespace=args.namespace)
    else:
        coordinator = InProcessCoordinator()
    try:
        async with FreshBooksClient(
            args.token,
            base_url=args.url,
            coordinator=coordinator,
            per_account_concurrency=cap,
            max_in_flight=64,
        ) as client:
            # Warm up: a connection to the sandbox, and to Redis (a slot taken and given).
            await client.request("GET", f"/accounting/account/{ACCOUNT_ID}/invoices/invoices")
            lease = await coordinator.acquire_slot(ACCOUNT_ID, cap)
            await coordinator.release_slot(lease)
            batch = drafts(args.count, args.index)  # built before the start, as raw's
            if args.alone:  # nothing shared: numbers of its own, as raw's
                for index, draft in enumerate(batch):
                    draft["invoice_number"] = f"W{args.index}-{index}"
            print("ready", flush=True)
            await asyncio.to_thread(sys.stdin.readline)  # "go", from the parent
            started = time.time()
            cpu = time.process_time()
            result = await bulk_create_invoices(
                client,
                ACCOUNT_ID,
                batch,
                concurrency=cap,
                numbering="server" if args.alone else "client",  # own numbers kept
            )
            ended = time.time()
            cpu = time.process_time() - cpu
    finally:
        await coordinator.aclose()
    return {
        "started": started,
        "ended": ended,
        "created": result.counts["created"],
        "conflicts": result.conflicts,
        "attempts": result.attempts,
        "cpu": cpu,
    }


async def _raw_worker(args: argparse.Namespace) -> dict[str, Any]:
    """One raw aiohttp worker process (the rig's floor): ``args.slots`` requests on the
    wire, its own drafts with explicit numbers, a 409 retried at once; as :func:`_worker`,
    it waits for "go" on stdin and reports its times."""
    from collections import deque

    import aiohttp

    target = f"{args.url}/accounting/account/{ACCOUNT_ID}/invoices/invoices"
    headers = {"Authorization": f"Bearer {args.token}", "Content-Type": "application/json"}
    queue = deque(enumerate(drafts(args.count, args.index)))
    attempts = conflicts = created = 0

    async def post(session: aiohttp.ClientSession) -> None:
        nonlocal attempts, conflicts, created
        while queue:
            index, draft = queue.popleft()
            body = json.dumps({"invoice": {**draft, "invoice_number": f"W{args.index}-{index}"}})
            while True:
                attempts += 1
                async with session.post(target, data=body, headers=headers) as response:
                    await response.read()
                if response.status == 200:
                    created += 1
                    break
                if response.status != 409:
                    raise RuntimeError(f"raw aiohttp: HTTP {response.status}")
                conflicts += 1

    async with aiohttp.ClientSession() as session:
        async with session.get(target, headers=headers) as response:  # warm up
            await response.read()
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        started = time.time()
        cpu = time.process_time()
        await asyncio.gather(*(post(session) for _ in range(args.slots)))
        ended = time.time()
        cpu = time.process_time() - cpu
    return {
        "started": started,
        "ended": ended,
        "created": created,
        "conflicts": conflicts,
        "attempts": attempts,
        "cpu": cpu,
    }


def run_once(
    url: str,
    token: str,
    redis_url: str | None,
    processes: int,
    n: int,
    namespace: str,
    *,
    raw: bool = False,
    alone: bool = False,
) -> dict[str, float]:
    """One measured run: ``processes`` workers share ``n`` drafts; returns the figures.
    ``raw``: raw aiohttp workers, ``CAP // processes`` requests on the wire each;
    ``alone``: SDK workers with as many slots each, nothing shared."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    counts = [n // processes + (1 if i < n % processes else 0) for i in range(processes)]
    children = []
    for index, count in enumerate(counts):
        argv = [sys.executable, __file__, "--worker", "--url", url, "--token", token]
        argv += ["--count", str(count), "--index", str(index)]
        argv += ["--namespace", namespace]
        if raw:
            argv += ["--raw", "--slots", str(CAP // processes)]
        elif alone:
            argv += ["--alone", "--slots", str(CAP // processes)]
        elif redis_url:
            argv += ["--redis", redis_url]
        children.append(
            subprocess.Popen(  # noqa: S603 - this script
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
        )
    try:
        for child in children:  # every worker connected and warmed up
            assert child.stdout is not None
            line = child.stdout.readline()
            if line.strip() != "ready":
                assert child.stderr is not None
                raise RuntimeError(f"a worker did not start: {child.stderr.read()[-2000:]}")
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        reports = []
        for child in children:
            out, err = child.communicate(timeout=600)
            if child.returncode != 0:
                raise RuntimeError(f"a worker failed: {err[-3000:]}")
            reports.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    wall = max(r["ended"] for r in reports) - min(r["started"] for r in reports)
    created = sum(r["created"] for r in reports)
    if created != n:
        raise RuntimeError(f"the workers created {created} of {n} drafts")
    return {
        "wall": wall,
        "created": sum(r["created"] for r in reports),
        "conflicts": sum(r["conflicts"] for r in reports),
        "attempts": sum(r["attempts"] for r in reports),
        "cpu_us": sum(r["cpu"] for r in reports) / n * 1e6,
    }


def redis_calls(redis_url: str | None, *, reset: bool = False) -> dict[str, float]:
    """Redis's count of script calls (``EVALSHA``) and ``PUBLISH`` since the last reset."""
    if redis_url is None:
        return {}
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        if reset:
            client.config_resetstat()
            return {}
        stats: dict[str, Any] = client.info("commandstats")  # type: ignore[assignment, unused-ignore]
    finally:
        client.close()
    return {
        name: float(stats.get(f"cmdstat_{name}", {}).get("calls", 0))
        for name in ("evalsha", "publish")
    }


def measure(
    variant: str, processes: int, n: int, run: int, redis_url: str | None
) -> dict[str, float]:
    """A fresh sandbox, one run, and the sandbox's own count of what was created (a bare
    server for the machine's floor: the workers' own count only, no ledger figures)."""
    if variant.startswith(BARE):
        with bare_server(latency_ms=LATENCY_MS) as url:
            return run_once(url, "no-token", None, processes, n, "", raw=True)
    raw = variant.startswith(RAW)
    with SandboxProcess(latency_ms=LATENCY_MS, seed_clients=50) as sandbox:
        redis_calls(redis_url, reset=True)
        figures = run_once(
            sandbox.url,
            sandbox.token,
            redis_url,
            processes,
            n,
            f"bench-{run}-{processes}",
            raw=raw,
            alone=variant.startswith(ALONE),
        )
        calls = redis_calls(redis_url)
        if calls:
            figures["round_trips"] = calls["evalsha"] / n
            figures["publish"] = calls["publish"] / n
        with sandbox.control() as control:
            summary = control.call("GET", "/_sandbox/ledger")["summary"]
            stats = control.stats()
    if raw:  # no references to count by: the workers' own count was checked
        figures["lost"] = 0.0
    else:
        figures["lost"] = n - summary["distinct_references"]
    figures["duplicated"] = len(summary["duplicated_references"]) + len(
        summary["duplicate_numbers"]
    )
    figures["peak"] = float(stats["max_concurrent_invoice_creates"].get(ACCOUNT_ID, 0))
    figures["409s"] = float(stats["statuses"].get("409", 0))
    return figures


def count_rows(case: str, label: str, measured: list[dict[str, float]]) -> list[dict[str, Any]]:
    """The rows of a variant's counts: client CPU, Redis traffic (when it used Redis),
    409s, the most creates in flight, drafts lost and duplicated."""
    return [
        row(case, label, metric, unit, [m[key] for m in measured])
        for key, metric, unit in (
            ("cpu_us", "client CPU per draft (all processes)", "us"),
            ("round_trips", "Redis script calls per draft (all processes)", "count"),
            ("publish", "Redis announcements per draft", "count"),
            ("409s", "409 answers", "count"),
            ("peak", "creates in flight at most", "count"),
            ("lost", "lost", "drafts"),
            ("duplicated", "duplicated", "drafts"),
        )
        if key in measured[0]
    ]


def integrity_goal(label: str, measured: list[dict[str, float]]) -> dict[str, Any]:
    """Goal: no draft lost or duplicated and never more than the cap in flight, in any run."""
    lost = max(m["lost"] for m in measured)
    duplicated = max(m["duplicated"] for m in measured)
    peak = max(m["peak"] for m in measured)
    return goal(
        f"bulk create, {label}: lost + duplicated drafts, creates beyond the cap",
        "0",
        lost + duplicated + max(0.0, peak - CAP),
        lost + duplicated == 0 and peak <= CAP,
        f"sandbox ledger and stats, every run; peak {peak:.0f} in flight",
    )


# --------------------------------------------------------------------------- per-acquire cost


async def acquire_costs(coordinator: Coordinator, rounds: int) -> dict[str, float]:
    """Microseconds: a free slot's acquire and release (one task), its exchange for the
    next one (``reacquire_slot``, as a bulk worker between two creates), and the time per
    grant with ``4 x CAP`` tasks cycling through ``CAP`` slots."""
    account = "BENCH"
    for _ in range(50):  # warm-up (connections, scripts loaded)
        await coordinator.release_slot(await coordinator.acquire_slot(account, CAP))
    acquire = release = 0.0
    for _ in range(rounds):
        t0 = time.perf_counter()
        lease = await coordinator.acquire_slot(account, CAP)
        t1 = time.perf_counter()
        await coordinator.release_slot(lease)
        t2 = time.perf_counter()
        acquire += t1 - t0
        release += t2 - t1
    lease = await coordinator.acquire_slot(account, CAP)
    t0 = time.perf_counter()
    for _ in range(rounds):
        lease = await reacquire_slot(coordinator, lease)
    reacquire = time.perf_counter() - t0
    await coordinator.release_slot(lease)
    grants = rounds * 4

    async def cycle(count: int) -> None:
        for _ in range(count):
            lease = await coordinator.acquire_slot(account, CAP)
            await asyncio.sleep(0)  # "work": the slot is held across a loop turn
            await coordinator.release_slot(lease)

    tasks = 4 * CAP
    t0 = time.perf_counter()
    await asyncio.gather(*(cycle(grants // tasks) for _ in range(tasks)))
    contended = time.perf_counter() - t0
    return {
        "acquire_us": acquire / rounds * 1e6,
        "release_us": release / rounds * 1e6,
        "reacquire_us": reacquire / rounds * 1e6,
        "contended_us": contended / (grants // tasks * tasks) * 1e6,
    }


#: Redis coordinator options per acquire-cost variant.
REDIS_VARIANTS: dict[str, dict[str, Any]] = {
    "Redis, every acquire a round trip": {"handoff_limit": 0, "slot_linger": 0},
    "Redis (handoffs, linger: defaults)": {},
}


async def acquire_cost_runs(
    redis_url: str | None, rounds: int, repeat: int
) -> dict[str, list[dict[str, float]]]:
    runs: dict[str, list[dict[str, float]]] = {IN_PROCESS: []}
    for run in range(repeat):
        runs[IN_PROCESS].append(await acquire_costs(InProcessCoordinator(), rounds))
        if not redis_url:
            continue
        from freshbooks_async.redis import RedisCoordinator

        for index, (name, options) in enumerate(REDIS_VARIANTS.items()):
            redis = RedisCoordinator.from_url(
                redis_url, namespace=f"acquire-{run}-{index}", **options
            )
            try:
                runs.setdefault(name, []).append(await acquire_costs(redis, rounds))
            finally:
                await redis.aclose()
    return runs


# --------------------------------------------------------------------------- main


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_common_arguments(parser)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    for name in ("--url", "--token", "--redis", "--namespace"):
        parser.add_argument(name, help=argparse.SUPPRESS)
    parser.add_argument("--raw", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--alone", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--slots", type=int, default=CAP, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--index", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument(
        "--processes",
        type=int,
        nargs="+",
        default=list(PROCESSES),
        help=f"process counts sharing the Redis coordinator (default {PROCESSES})",
    )
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(asyncio.run(_raw_worker(args) if args.raw else _worker(args))), flush=True)
        return 0
    repeat = check_repeat(parser, args.repeat)
    n = 800 if args.quick else 5_000
    bound = math.ceil(n / CAP) * LATENCY_MS / 1000
    rows: list[dict[str, Any]] = []
    goals: list[dict[str, Any]] = []
    notes = ""
    with contextlib.ExitStack() as stack:
        try:
            redis_url: str | None = stack.enter_context(redis_server())
        except FileNotFoundError as exc:
            if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
                raise
            redis_url = None
            notes = f"Redis rows skipped: {exc} (apt-get install redis-server)."
            print(f"  {notes}")
        variants = [IN_PROCESS] + ([f"redis x{p}" for p in args.processes] if redis_url else [])
        floors = [f"{kind} x{p}" for p in args.processes if p > 1 for kind in (RAW, ALONE)]
        floors += [f"{BARE} x{p}" for p in args.processes]
        print(
            f"many workers: {n} drafts, {LATENCY_MS:.0f} ms, cap {CAP} per account, "
            f"bound {bound:.3f} s"
        )
        runs: dict[str, list[dict[str, float]]] = {v: [] for v in variants}
        runs.update({v: [] for v in floors})
        for run, variant in interleaved(variants + floors, repeat):
            processes = 1 if variant == IN_PROCESS else int(variant.rsplit("x", 1)[1])
            runs[variant].append(
                measure(variant, processes, n, run, redis_url if variant in variants[1:] else None)
            )
        for variant in floors:
            measured = runs[variant]
            processes = int(variant.rsplit("x", 1)[1])
            ratios = [m["wall"] / bound for m in measured]
            bare = variant.startswith(BARE)
            raw = bare or variant.startswith(RAW)
            slots = f"{CAP // processes} slots each"
            if bare:
                label = (
                    f"{processes} process{'es' if processes > 1 else ''}, raw aiohttp, {slots}, "
                    "bare server (machine floor)"
                )
            elif raw:
                label = f"{processes} processes, raw aiohttp, {slots} (rig floor)"
            else:
                label = f"{processes} processes, SDK alone, {slots}"
            case = f"{n} drafts, cap {CAP}, {LATENCY_MS:.0f} ms"
            rows.append(
                row(
                    case,
                    label,
                    "wall / bound",
                    "ratio",
                    ratios,
                    bound_seconds=bound,
                    wall_seconds=[m["wall"] for m in measured],
                )
            )
            if raw:  # its own count of what it created was checked; no ledger references
                rows.append(
                    row(
                        case,
                        label,
                        "client CPU per draft (all processes)",
                        "us",
                        [m["cpu_us"] for m in measured],
                    )
                )
            else:
                rows.extend(count_rows(case, label, measured))
                goals.append(integrity_goal(label, measured))
            ratio = median(ratios)
            cpu_us = median([m["cpu_us"] for m in measured])
            print(
                f"  {label}: wall {ratio * bound:.3f} s = {ratio:.3f} x bound, "
                f"client CPU {cpu_us:.0f} us per draft"
            )
            what = (
                "raw aiohttp on a bare server (machine floor)"
                if bare
                else "raw aiohttp (rig floor)"
                if raw
                else "SDK alone"
            )
            goals.append(
                goal(
                    f"bulk create, {processes} process{'es' if processes > 1 else ''}, {what} "
                    "vs ceil(M/C) x latency",
                    "(for information)",
                    ratio,
                    True,
                    f"C/{processes} on the wire per process, nothing shared, explicit numbers"
                    + ("; a server that only sleeps" if bare else "")
                    + f"; client CPU {cpu_us:.0f} us per draft",
                )
            )
            if bare:
                continue
            redis_variant = f"redis x{processes}"
            if runs.get(redis_variant):
                relative = median([m["wall"] for m in runs[redis_variant]]) / median(
                    [m["wall"] for m in measured]
                )
                goals.append(
                    goal(
                        f"bulk create, Redis x{processes} processes / {what} x{processes} "
                        "(same run)",
                        "(for information)",
                        relative,
                        True,
                        "the SDK and its coordination over this rig's floor at that process count"
                        if raw
                        else "what sharing the cap and the numbers through Redis costs (with "
                        "client numbering's own work: the seeding read, a number per draft)",
                    )
                )
                print(f"  {redis_variant} / {variant}: {relative:.3f}")
        for variant in variants:
            measured = runs[variant]
            ratios = [m["wall"] / bound for m in measured]
            label = (
                "1 process, in-process coordinator"
                if variant == IN_PROCESS
                else (f"{variant.rsplit('x', 1)[1]} process(es), Redis coordinator")
            )
            case = f"{n} drafts, cap {CAP}, {LATENCY_MS:.0f} ms"
            rows.append(
                row(
                    case,
                    label,
                    "wall / bound",
                    "ratio",
                    ratios,
                    bound_seconds=bound,
                    wall_seconds=[m["wall"] for m in measured],
                )
            )
            rows.extend(count_rows(case, label, measured))
            ratio = median(ratios)
            lost = max(m["lost"] for m in measured)
            duplicated = max(m["duplicated"] for m in measured)
            peak = max(m["peak"] for m in measured)
            print(
                f"  {label}: wall {ratio * bound:.3f} s = {ratio:.3f} x bound "
                f"(runs {', '.join(f'{r:.2f}' for r in sorted(ratios))}); lost {lost:.0f}, "
                f"duplicated {duplicated:.0f}, peak {peak:.0f}, "
                f"409s {median([m['409s'] for m in measured]):.0f}, "
                f"client CPU {median([m['cpu_us'] for m in measured]):.0f} us per draft"
                + (
                    f", Redis script calls {median([m['round_trips'] for m in measured]):.3f} "
                    f"and announcements {median([m['publish'] for m in measured]):.3f} per draft"
                    if "round_trips" in measured[0]
                    else ""
                )
            )
            goals.append(
                goal(
                    f"bulk create, {label} vs ceil(M/C) x latency",
                    f"<= {GOAL}x",
                    ratio,
                    ratio <= GOAL,
                    f"{n} drafts, C={CAP} shared, {LATENCY_MS:.0f} ms",
                )
            )
            goals.append(integrity_goal(label, measured))
        if IN_PROCESS in runs and len(variants) > 1:
            baseline = median([m["wall"] for m in runs[IN_PROCESS]])
            for variant in variants[1:]:
                relative = median([m["wall"] for m in runs[variant]]) / baseline
                goals.append(
                    goal(
                        f"bulk create, Redis x{variant.rsplit('x', 1)[1]} processes / one "
                        "process in-process (same run)",
                        "(for information)",
                        relative,
                        True,
                        "what sharing through Redis costs, on this machine's load",
                    )
                )
                print(f"  {variant} / in-process: {relative:.3f}")
        rounds = 1000 if args.quick else 5000
        costs = asyncio.run(acquire_cost_runs(redis_url, rounds, repeat))
        for name, measured_costs in costs.items():
            if not measured_costs:
                continue
            for key, metric in (
                ("acquire_us", "acquire, free slot"),
                ("release_us", "release"),
                ("reacquire_us", "exchange (reacquire_slot)"),
                ("contended_us", f"time per grant, {4 * CAP} tasks on {CAP} slots"),
            ):
                rows.append(
                    row("slot acquire", name, metric, "us", [c[key] for c in measured_costs])
                )
            acquire = median([c["acquire_us"] for c in measured_costs])
            contended = median([c["contended_us"] for c in measured_costs])
            print(
                f"  per-acquire cost, {name}: {acquire:.1f} us free, "
                f"release {median([c['release_us'] for c in measured_costs]):.1f} us, "
                f"exchange {median([c['reacquire_us'] for c in measured_costs]):.1f} us, "
                f"{contended:.1f} us per grant contended"
            )
            goals.append(
                goal(
                    f"slot acquire cost ({name}), a free slot",
                    "(for information)",
                    acquire,
                    True,
                    f"us; contended {contended:.1f} us per grant",
                )
            )
    result = scenario_result(
        "many_workers",
        "Bulk create on many workers",
        quick=args.quick,
        rows=rows,
        goals=goals,
        notes=notes,
        environment=environment(),
    )
    output = args.output or RESULTS_DIR / (
        "many-workers-quick.json" if args.quick else "many-workers.json"
    )
    write_json(output, result)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
