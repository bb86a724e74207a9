"""FreshBooks work on arq (an asyncio job queue on Redis), many worker processes sharing
one coordinator.

Two worker pools, each as many processes (and hosts) as you like:

* ``ExportWorker`` (queue ``freshbooks:export``): ``export_invoices(account_id)`` writes
  every invoice of one account to ``$EXPORT_DIR/invoices-<account_id>.jsonl``. Enqueue one
  job per connected account: ``max_jobs`` accounts are exported at once per process, and
  each account's retry budget is shared by every process (an outage one of them meets
  stops the others' retries on that account too).
* ``BulkWorker`` (queue ``freshbooks:bulk``): ``bulk_create(account_id, drafts)`` creates
  invoices with client numbering. However many jobs for one account run at once, in
  however many processes, the account has at most ``per_account_concurrency`` creates
  in flight and no two creates share a number: the slots and the invoice counter live in
  the coordinator.

Every process builds its client, coordinator and token store in ``on_startup`` (after
arq forked it; redis-py connections belong to the event loop that opened them) and
closes them in ``on_shutdown``. Configuration, from the environment:

``REDIS_URL``
    arq's queue and the coordinator (default ``redis://localhost:6379/0``).
``FRESHBOOKS_BASE_URL``
    The API root (default ``https://api.freshbooks.com``; the sandbox's URL in tests).
``FRESHBOOKS_ACCESS_TOKEN``
    A fixed bearer token (the sandbox's). Without it, the OAuth app in
    ``FRESHBOOKS_CLIENT_ID`` / ``FRESHBOOKS_CLIENT_SECRET`` / ``FRESHBOOKS_REDIRECT_URI``
    refreshes the token pair saved under the Redis key ``FRESHBOOKS_TOKEN_KEY`` (default
    ``freshbooks:token:main``; ``examples/oauth_app.py`` shows the login that saves
    one): one refresh per rotation across every process.
``FRESHBOOKS_PER_ACCOUNT_CONCURRENCY``
    The creates in flight per account, all processes together (default 8).
``EXPORT_DIR``
    Where exports are written (default ``./exports``).

Run the pools, then enqueue (see :func:`enqueue_exports` and :func:`enqueue_bulk`)::

    cd examples
    arq arq_workers.ExportWorker     # as many as you like
    arq arq_workers.BulkWorker

    # elsewhere, e.g. a web handler or a cron job:
    redis = await arq.create_pool(arq_redis_settings())
    await enqueue_exports(redis, ["ABC123", "XYZ789"])
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from arq import ArqRedis
from arq.connections import RedisSettings
from arq.jobs import Job

from freshbooks_async import FreshBooksClient, OAuth2Session
from freshbooks_async.bulk import bulk_create_invoices
from freshbooks_async.models import encode
from freshbooks_async.redis import RedisCoordinator, RedisTokenStore

EXPORT_QUEUE = "freshbooks:export"
BULK_QUEUE = "freshbooks:bulk"


def redis_url() -> str:
    """Where arq's queue and the coordinator live."""
    return os.environ.get("REDIS_URL", "redis://localhost:6379/0")


def arq_redis_settings() -> RedisSettings:
    """arq's connection settings for :func:`redis_url`."""
    return RedisSettings.from_dsn(redis_url())


# --------------------------------------------------------------------------- lifecycle


async def startup(ctx: dict[str, Any]) -> None:
    """One client per worker process, on a coordinator shared with every other one."""
    coordinator = RedisCoordinator.from_url(redis_url())
    store: RedisTokenStore | None = None
    options: dict[str, Any] = {
        "base_url": os.environ.get("FRESHBOOKS_BASE_URL", "https://api.freshbooks.com"),
        "coordinator": coordinator,
        "per_account_concurrency": int(os.environ.get("FRESHBOOKS_PER_ACCOUNT_CONCURRENCY", "8")),
    }
    token = os.environ.get("FRESHBOOKS_ACCESS_TOKEN")
    if token:
        client = FreshBooksClient(token, **options)
    else:
        store = coordinator.token_store(
            os.environ.get("FRESHBOOKS_TOKEN_KEY", "freshbooks:token:main")
        )
        session = OAuth2Session(
            os.environ["FRESHBOOKS_CLIENT_ID"],
            os.environ["FRESHBOOKS_CLIENT_SECRET"],
            os.environ["FRESHBOOKS_REDIRECT_URI"],
            store=store,
        )
        client = FreshBooksClient(token_provider=session, **options)
    ctx["coordinator"] = coordinator
    ctx["token_store"] = store
    ctx["freshbooks"] = await client.__aenter__()
    ctx["export_dir"] = Path(os.environ.get("EXPORT_DIR", "exports"))
    await coordinator.slots_in_use("-")  # Redis answers: ready
    print(f"arq_workers: process {os.getpid()} ready", flush=True)


async def shutdown(ctx: dict[str, Any]) -> None:
    """Close what :func:`startup` opened (the slots still held are given back)."""
    await ctx["freshbooks"].aclose()
    if ctx["token_store"] is not None:
        await ctx["token_store"].aclose()
    await ctx["coordinator"].aclose()


# --------------------------------------------------------------------------- jobs


def _write_lines(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text("".join(lines), encoding="utf-8")
    partial.replace(path)  # readers never see half an export


async def export_invoices(ctx: dict[str, Any], account_id: str) -> dict[str, Any]:
    """Write every invoice of ``account_id`` as JSON lines; returns the count and path."""
    fb: FreshBooksClient = ctx["freshbooks"]
    lines = [
        json.dumps(encode(invoice)) + "\n" async for invoice in fb.invoices.list_all(account_id)
    ]
    path = ctx["export_dir"] / f"invoices-{account_id}.jsonl"
    await asyncio.to_thread(_write_lines, path, lines)
    return {
        "account_id": account_id,
        "invoices": len(lines),
        "path": str(path),
        "pid": os.getpid(),
    }


async def bulk_create(
    ctx: dict[str, Any], account_id: str, drafts: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """Create ``drafts`` in ``account_id`` (client numbering); every draft is accounted
    for in the answer: ``counts`` by status and, per draft, its status, invoice id and
    number, or its error."""
    fb: FreshBooksClient = ctx["freshbooks"]
    result = await bulk_create_invoices(fb, account_id, drafts, numbering="client")
    return {
        "account_id": account_id,
        "counts": result.counts,
        "conflicts": result.conflicts,
        "pid": os.getpid(),
        "items": [
            {
                "index": item.index,
                "status": item.status.value,
                "reference": item.reference,
                "invoice_id": item.invoice.id if item.invoice is not None else None,
                "invoice_number": item.invoice.invoice_number if item.invoice is not None else None,
                "error": str(item.error) if item.error is not None else None,
            }
            for item in result.items
        ],
    }


# --------------------------------------------------------------------------- worker pools


class ExportWorker:
    """``arq arq_workers.ExportWorker``: account exports, ``max_jobs`` at once."""

    functions = (export_invoices,)
    queue_name = EXPORT_QUEUE
    redis_settings = arq_redis_settings()
    on_startup = startup
    on_shutdown = shutdown
    max_jobs = 20
    job_timeout = 3600


class BulkWorker:
    """``arq arq_workers.BulkWorker``: bulk creates; the account's cap holds across all."""

    functions = (bulk_create,)
    queue_name = BULK_QUEUE
    redis_settings = arq_redis_settings()
    on_startup = startup
    on_shutdown = shutdown
    max_jobs = 4
    job_timeout = 3600
    # A bulk job is not safe to run twice blindly: arq must not retry it on its own
    # (resubmit failed drafts only, from the job's answer).
    max_tries = 1


# --------------------------------------------------------------------------- enqueueing


async def enqueue_exports(redis: ArqRedis, account_ids: Iterable[str]) -> list[Job]:
    """One export job per account."""
    jobs: list[Job] = []
    for account_id in account_ids:
        job = await redis.enqueue_job("export_invoices", account_id, _queue_name=EXPORT_QUEUE)
        if job is not None:
            jobs.append(job)
    return jobs


async def enqueue_bulk(
    redis: ArqRedis, account_id: str, drafts: Sequence[Mapping[str, Any]], *, chunk: int = 500
) -> list[Job]:
    """Bulk creates for ``account_id``, ``chunk`` drafts a job (jobs run in parallel on
    every ``BulkWorker``; the account's cap and counter are shared)."""
    jobs: list[Job] = []
    for start in range(0, len(drafts), chunk):
        job = await redis.enqueue_job(
            "bulk_create",
            account_id,
            [dict(d) for d in drafts[start : start + chunk]],
            _queue_name=BULK_QUEUE,
        )
        if job is not None:
            jobs.append(job)
    return jobs
