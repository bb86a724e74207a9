"""One worker process of the multi-process Redis tests (test_redis.py starts several).

Usage: ``python tests/redis_worker.py MODE --redis URL [options]``; it prints one JSON line
with its result. Workers that must start together wait on a Redis list (``--go``) that
the test fills once every worker has said it is ready (``--ready``).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import sys
from typing import Any

import redis.asyncio as aioredis

from freshbooks_async import FreshBooksClient, OAuth2Session, RetryPolicy
from freshbooks_async.bulk import bulk_create_invoices
from freshbooks_async.coordination import account_slot, reacquire_slot
from freshbooks_async.errors import FreshBooksError
from freshbooks_async.redis import RedisCoordinator, RedisTokenStore


async def _barrier(url: str, ready: str | None, go: str | None) -> None:
    if ready is None and go is None:
        return
    client = aioredis.from_url(url)  # type: ignore[no-untyped-call, unused-ignore]
    try:
        if ready is not None:
            await client.rpush(ready, "1")
        if go is not None:
            for _ in range(60):  # short BLPOPs: under redis-py's socket timeout
                if await client.blpop([go], timeout=1) is not None:
                    break
    finally:
        await client.aclose()


async def refresh(args: argparse.Namespace) -> dict[str, Any]:
    """One API call through a session whose token (expired) lives in Redis."""
    store = RedisTokenStore.from_url(args.redis, key=args.key, lock_lease=args.lease)
    session = OAuth2Session(
        args.client_id,
        args.client_secret,
        "https://localhost/callback",
        store=store,
        authorize_url=f"{args.base_url}/oauth/authorize",
    )
    try:
        async with FreshBooksClient(
            token_provider=session, base_url=args.base_url, retry=RetryPolicy(max_retries=0)
        ) as fb:
            await _barrier(args.redis, args.ready, args.go)
            try:
                response = await fb.request("GET", "/auth/api/v1/users/me")
            except FreshBooksError as exc:
                return {
                    "ok": False,
                    "error": type(exc).__name__,
                    "refreshes": session.refresh_count,
                }
            return {
                "ok": response.status == 200,
                "refreshes": session.refresh_count,
                # A digest: enough to tell the tokens apart, without printing one.
                "token": hashlib.sha256(session.token.access_token.encode()).hexdigest()[:16]
                if session.token
                else None,
            }
    finally:
        await store.aclose()


async def hold_lock(args: argparse.Namespace) -> dict[str, Any]:
    """Take the refresh lock and keep it (renewing) until killed."""
    store = RedisTokenStore.from_url(args.redis, key=args.key, lock_lease=args.lease)
    async with store.refresh_lock() as lease:
        await _barrier(args.redis, args.ready, None)
        await asyncio.sleep(3600)
        return {"fence": lease.fence}


async def hold_slot(args: argparse.Namespace) -> dict[str, Any]:
    """Take an account slot and keep it (renewing) until killed."""
    coordinator = RedisCoordinator.from_url(args.redis, slot_lease=args.lease)
    try:
        async with account_slot(coordinator, args.account, args.limit) as lease:
            await _barrier(args.redis, args.ready, None)
            await asyncio.sleep(3600)
            return {"lease": lease.id}
    finally:
        await coordinator.aclose()


async def reacquire_slot_loop(args: argparse.Namespace) -> dict[str, Any]:
    """Take an account slot and exchange it for the next one again and again (as a bulk
    worker does between two creates) until killed."""
    coordinator = RedisCoordinator.from_url(args.redis, slot_lease=args.lease)
    try:
        lease = await coordinator.acquire_slot(args.account, args.limit)
        exchanges = 0
        while True:
            lease = await reacquire_slot(coordinator, lease)
            exchanges += 1
            if exchanges == 50:  # past several handoff limits: swapped in Redis too
                await _barrier(args.redis, args.ready, None)
            await asyncio.sleep(0.002)
    finally:
        await coordinator.aclose()


async def numbers(args: argparse.Namespace) -> dict[str, Any]:
    """Seed the counter with ``--seed`` and allocate ``--count`` numbers."""
    coordinator = RedisCoordinator.from_url(args.redis)
    try:
        await _barrier(args.redis, args.ready, args.go)
        await coordinator.advance_invoice_numbers(args.account, args.seed)
        got = [await coordinator.next_invoice_number(args.account) for _ in range(args.count)]
        return {"numbers": got}
    finally:
        await coordinator.aclose()


class _Count(logging.Handler):
    """Counts the log records whose message holds ``text``."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if self.text in record.getMessage():
            self.count += 1


def _drafts(count: int, worker: str) -> list[dict[str, Any]]:
    return [
        {
            "customerid": 1 + i % 7,
            "create_date": "2024-01-05",
            "notes": f"worker {worker} draft {i}",
            "lines": [
                {"name": "Work", "qty": "1", "unit_cost": {"amount": f"{10 + i}.00", "code": "USD"}}
            ],
        }
        for i in range(count)
    ]


async def bulk(args: argparse.Namespace) -> dict[str, Any]:
    """``--count`` bulk creates for ``--account`` with client numbering, the cap
    ``--limit`` shared through the coordinator. Prints ``{"ready": true}`` once its
    coordinator is connected (the test may kill it from then on)."""
    coordinator = RedisCoordinator.from_url(
        args.redis, slot_lease=args.lease, unavailable_timeout=args.unavailable_timeout
    )
    reseeds = _Count("lost its value")
    logging.getLogger("freshbooks_async.bulk").addHandler(reseeds)
    try:
        async with FreshBooksClient(
            args.token,
            base_url=args.base_url,
            coordinator=coordinator,
            per_account_concurrency=args.limit,
        ) as fb:
            await coordinator.slots_in_use(args.account)  # connected
            # Its leases are "<instance>:<n>" in the account's slot set.
            print(json.dumps({"instance": coordinator._instance}), flush=True)
            await _barrier(args.redis, args.ready, args.go)
            result = await bulk_create_invoices(
                fb,
                args.account,
                _drafts(args.count, args.name),
                numbering="client",
                concurrency=args.concurrency,
            )
        return {
            "counts": result.counts,
            "conflicts": result.conflicts,
            "attempts": result.attempts,
            "elapsed": result.elapsed,
            "created": [item.reference for item in result.items if item.ok],
            "errors": sorted({type(i.error).__name__ for i in result.items if i.error}),
            "reseeds": reseeds.count,
        }
    finally:
        await coordinator.aclose()


async def outage(args: argparse.Namespace) -> dict[str, Any]:
    """``--count`` GETs of an account's clients, each retried while the policy and the
    retry budget (shared in ``--namespace``) allow; what each failure says."""
    coordinator = RedisCoordinator.from_url(args.redis, namespace=args.namespace)
    policy = RetryPolicy(max_retries=100, base_delay=0.001, max_delay=0.002)
    outcomes: list[dict[str, Any]] = []
    try:
        async with FreshBooksClient(
            args.token, base_url=args.base_url, coordinator=coordinator, retry=policy
        ) as fb:
            for _ in range(args.count):
                try:
                    await fb.request("GET", f"/accounting/account/{args.account}/users/clients")
                except FreshBooksError as exc:
                    outcomes.append({"retries": exc.retries_taken, "refused": exc.retry_refused})
                else:
                    outcomes.append({"retries": 0, "refused": None, "ok": True})
        return {"outcomes": outcomes}
    finally:
        await coordinator.aclose()


MODES = {
    "refresh": refresh,
    "hold-lock": hold_lock,
    "hold-slot": hold_slot,
    "reacquire-slot": reacquire_slot_loop,
    "numbers": numbers,
    "bulk": bulk,
    "outage": outage,
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=sorted(MODES))
    parser.add_argument("--redis", required=True)
    parser.add_argument("--key", default="freshbooks:token:test")
    parser.add_argument("--lease", type=float, default=1.0)
    parser.add_argument("--base-url")
    parser.add_argument("--client-id")
    parser.add_argument("--client-secret")
    parser.add_argument("--account", default="ACC001")
    parser.add_argument("--limit", type=int, default=1)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", default=None)
    parser.add_argument("--ready")
    parser.add_argument("--go")
    parser.add_argument("--token")
    parser.add_argument("--name", default="w")
    parser.add_argument("--namespace", default="freshbooks")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--unavailable-timeout", type=float, default=5.0)
    args = parser.parse_args()
    result = asyncio.run(MODES[args.mode](args))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
