"""examples/arq_workers.py with real arq worker processes (``python -m arq``) against the
fixture's redis-server and the sandbox over loopback: two export processes and two bulk
processes share one coordinator."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import signal
import sys
import time
import types
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from redis_proc import RedisServer

from freshbooks_async.sandbox import Sandbox, SandboxServer

arq = pytest.importorskip("arq")
from arq.connections import RedisSettings  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXPORTED = ["ACC001", "ACC002", "ACC003", "ACC004"]
BULK = "ACC009"
CAP = 4


def example() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(
        "examples_arq_workers", EXAMPLES / "arq_workers.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def start_pool(settings: str, env: Mapping[str, str]) -> asyncio.subprocess.Process:
    """``python -m arq arq_workers.<settings>`` in examples/, as its docs run it."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "arq",
        f"arq_workers.{settings}",
        cwd=EXAMPLES,
        env=dict(env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def ready(process: asyncio.subprocess.Process) -> None:
    """Until the worker's startup (client, coordinator) is done."""
    assert process.stdout is not None
    while True:
        line = await asyncio.wait_for(process.stdout.readline(), 60)
        if not line:
            assert process.stderr is not None
            error = (await process.stderr.read()).decode(errors="replace")
            pytest.fail(f"an arq worker exited at start:\n{error[-3000:]}")
        if b"ready" in line:
            return


async def stop(processes: list[asyncio.subprocess.Process]) -> None:
    """SIGTERM (arq finishes its jobs and runs on_shutdown), then wait."""
    for process in processes:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            process.kill()
            await process.wait()


def drafts(n: int) -> list[dict[str, Any]]:
    return [
        {
            "customerid": 1 + i % 7,
            "create_date": "2024-01-05",
            "notes": f"arq draft {i}",
            "lines": [
                {"name": "Work", "qty": "1", "unit_cost": {"amount": f"{5 + i}.00", "code": "USD"}}
            ],
        }
        for i in range(n)
    ]


@pytest.fixture
async def sandbox_server() -> AsyncIterator[SandboxServer]:
    sandbox = Sandbox(seed_clients=6, seed_invoices=37, processing_latency=0.005)
    for index, account in enumerate(EXPORTED[1:], start=1):
        business = sandbox.add_business(name=f"Business {index}", account_id=account)
        sandbox.seed_data(business=business, clients=3, invoices=25 * index)
    bulk = sandbox.add_business(name="Bulk", account_id=BULK, default_client=True)
    sandbox.seed_data(business=bulk, clients=6)
    async with SandboxServer(sandbox) as server:
        yield server


async def test_arq_pools_export_accounts_and_bulk_create_through_one_coordinator(
    redis_server: RedisServer, sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    module = example()
    sandbox = sandbox_server.sandbox
    env = {
        **os.environ,
        "REDIS_URL": redis_server.url,
        "FRESHBOOKS_BASE_URL": str(sandbox_server.url),
        "FRESHBOOKS_ACCESS_TOKEN": sandbox.token,
        "FRESHBOOKS_PER_ACCOUNT_CONCURRENCY": str(CAP),
        "EXPORT_DIR": str(tmp_path),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    pools = [
        await start_pool(s, env)
        for s in ("ExportWorker", "ExportWorker", "BulkWorker", "BulkWorker")
    ]
    redis = await arq.create_pool(RedisSettings.from_dsn(redis_server.url))
    started = time.monotonic()
    try:
        await asyncio.gather(*(ready(p) for p in pools))
        batch = drafts(240)
        export_jobs = await module.enqueue_exports(redis, EXPORTED)
        bulk_jobs = await module.enqueue_bulk(redis, BULK, batch, chunk=30)
        exports = await asyncio.gather(*(job.result(timeout=120) for job in export_jobs))
        bulks = await asyncio.gather(*(job.result(timeout=120) for job in bulk_jobs))
    finally:
        await redis.aclose()
        await stop(pools)
    elapsed = time.monotonic() - started
    # Exports: every invoice of every account, once.
    for result in exports:
        account = result["account_id"]
        expected = {r.id for r in sandbox.table(account, "invoices")}
        lines = (await asyncio.to_thread(Path(result["path"]).read_text)).splitlines()
        assert {json.loads(line)["id"] for line in lines} == expected
        assert result["invoices"] == len(expected) > 0
    # Bulk: 8 jobs on two processes, 4 at a time each; one cap, one counter.
    items = [item for result in bulks for item in result["items"]]
    created = [item["reference"] for item in items if item["status"] == "created"]
    ledger = [e.client_reference or "" for e in sandbox.ledger if e.scope == BULK]
    numbers = [item["invoice_number"] for item in items]
    peak = sandbox.stats.max_concurrent_invoice_creates[BULK]
    conflicts = sum(result["conflicts"] for result in bulks)
    print(
        f"FIGURE arq: 4 accounts exported ({sum(r['invoices'] for r in exports)} invoices) by "
        f"{len({r['pid'] for r in exports})} processes; {len(created)}/240 drafts created by "
        f"{len(bulk_jobs)} jobs on {len({r['pid'] for r in bulks})} processes, {conflicts} "
        f"409s, {peak} creates in flight at most (cap {CAP}); {elapsed:.1f} s in all"
    )
    assert len(created) == 240
    assert sorted(ledger) == sorted(created)  # each draft created exactly once
    assert len(set(numbers)) == 240
    assert conflicts == 0
    assert sandbox.stats.statuses[409] == 0
    assert peak <= CAP
    assert len({r["pid"] for r in bulks}) == 2  # both bulk processes worked
