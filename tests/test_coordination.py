"""The coordinator protocol: the same checks on the in-process coordinator and the Redis
one (the latter against a real redis-server; skipped without it, failed in CI), plus what
is particular to the in-process one and the client's ``coordinator=``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis_proc import running_redis

from freshbooks_async import FreshBooksClient
from freshbooks_async.coordination import (
    Coordinator,
    InProcessCoordinator,
    SlotLease,
    account_slot,
    next_invoice_numbers,
    reacquire_slot,
)
from freshbooks_async.errors import NumberingNotSeededError
from freshbooks_async.retry import RetryBudget


@pytest.fixture(params=["in-process", "redis"])
async def coordinator(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Coordinator]:
    if request.param == "in-process":
        yield InProcessCoordinator()
        return
    from freshbooks_async.redis import RedisCoordinator

    with running_redis(tmp_path) as server:
        c = RedisCoordinator.from_url(server.url)
        try:
            yield c
        finally:
            await c.aclose()


# --------------------------------------------------------------------------- both


async def test_it_is_a_coordinator(coordinator: Coordinator) -> None:
    assert isinstance(coordinator, Coordinator)


async def test_slots_cap_concurrent_holders_and_serve_waiters_in_order(
    coordinator: Coordinator,
) -> None:
    in_flight = peak = 0
    order: list[int] = []

    async def work(i: int) -> None:
        nonlocal in_flight, peak
        async with account_slot(coordinator, "ACC1", 3) as lease:
            assert lease.account_id == "ACC1"
            assert lease.limit == 3
            order.append(i)
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.002)
            in_flight -= 1

    tasks = []
    for i in range(30):
        tasks.append(asyncio.ensure_future(work(i)))
        await asyncio.sleep(0)  # each starts waiting before the next
    await asyncio.gather(*tasks)
    assert peak == 3
    assert order == sorted(order)  # first come, first served
    # Other accounts are not held back by ACC1's slots.
    held = [await coordinator.acquire_slot("ACC1", 1)]
    other = await asyncio.wait_for(coordinator.acquire_slot("ACC2", 1), 2)
    await coordinator.release_slot(other)
    await coordinator.release_slot(held[0])


async def test_a_slot_is_given_back_when_the_holder_is_cancelled(
    coordinator: Coordinator,
) -> None:
    entered = asyncio.Event()

    async def holder() -> None:
        async with account_slot(coordinator, "ACC1", 1):
            entered.set()
            await asyncio.sleep(3600)

    task = asyncio.ensure_future(holder())
    await entered.wait()
    waiter = asyncio.ensure_future(coordinator.acquire_slot("ACC1", 1))
    cancelled = asyncio.ensure_future(coordinator.acquire_slot("ACC1", 1))
    await asyncio.sleep(0.05)
    cancelled.cancel()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    lease = await asyncio.wait_for(waiter, 5)
    await coordinator.release_slot(lease)
    await coordinator.release_slot(lease)  # idempotent
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    again = await asyncio.wait_for(coordinator.acquire_slot("ACC1", 1), 5)
    await coordinator.release_slot(again)


async def test_invoice_numbers(coordinator: Coordinator) -> None:
    with pytest.raises(NumberingNotSeededError, match="ACC1"):
        await coordinator.next_invoice_number("ACC1")
    assert await coordinator.advance_invoice_numbers("ACC1", "0005")
    assert await coordinator.next_invoice_number("ACC1") == "0006"
    assert await coordinator.advance_invoice_numbers("ACC1", "0009")
    assert await coordinator.next_invoice_number("ACC1") == "0010"
    assert not await coordinator.advance_invoice_numbers("ACC1", "0002")  # behind: kept
    assert await coordinator.next_invoice_number("ACC1") == "0011"
    assert await coordinator.advance_invoice_numbers("ACC2", "000D")
    assert await coordinator.next_invoice_number("ACC2") == "000E"
    assert await coordinator.advance_invoice_numbers("ACC3", None)
    assert await coordinator.next_invoice_number("ACC3") == "0000001"
    numbers = await asyncio.gather(*(coordinator.next_invoice_number("ACC1") for _ in range(50)))
    assert len(set(numbers)) == 50


async def test_retry_budget_is_one_per_scope(coordinator: Coordinator) -> None:
    budget = coordinator.retry_budget("ACC1")
    assert coordinator.retry_budget("ACC1") is budget
    assert coordinator.retry_budget("ACC2") is not budget
    assert budget.allows_retry
    for _ in range(11):
        budget.record_failure()
    assert not budget.allows_retry


@pytest.mark.parametrize(
    ("account", "limit", "error", "match"),
    [
        (7, 1, TypeError, "account_id"),
        ("", 1, ValueError, "account_id"),
        ("A B", 1, ValueError, "account_id"),
        ("ACC1", 0, ValueError, "limit"),
        ("ACC1", True, TypeError, "limit"),
        ("ACC1", 1.5, TypeError, "limit"),
    ],
)
async def test_bad_arguments_name_the_field(
    coordinator: Coordinator, account: object, limit: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await coordinator.acquire_slot(account, limit)  # type: ignore[arg-type]


async def test_reacquire_keeps_the_slot_while_nobody_waits_and_serves_waiters_first(
    coordinator: Coordinator,
) -> None:
    lease = await coordinator.acquire_slot("ACC1", 1)
    again = await asyncio.wait_for(reacquire_slot(coordinator, lease), 2)
    assert (again.account_id, again.limit) == ("ACC1", 1)
    assert again.id != lease.id
    await coordinator.release_slot(lease)  # the old lease is spent: nothing
    waiter = asyncio.ensure_future(coordinator.acquire_slot("ACC1", 1))
    await asyncio.sleep(0.05)
    assert not waiter.done()  # the slot is still held, under the new lease
    # A task waiting for the account's slots goes first: the exchange waits behind it.
    exchange = asyncio.ensure_future(reacquire_slot(coordinator, again))
    got = await asyncio.wait_for(waiter, 2)
    await asyncio.sleep(0.05)
    assert not exchange.done()
    await coordinator.release_slot(got)
    last = await asyncio.wait_for(exchange, 2)
    await coordinator.release_slot(again)  # spent too
    other = asyncio.ensure_future(coordinator.acquire_slot("ACC1", 1))
    await asyncio.sleep(0.05)
    assert not other.done()
    await coordinator.release_slot(last)
    await coordinator.release_slot(await asyncio.wait_for(other, 2))


async def test_several_invoice_numbers_at_once(coordinator: Coordinator) -> None:
    with pytest.raises(NumberingNotSeededError, match="ACC1"):
        await next_invoice_numbers(coordinator, "ACC1", 3)
    await coordinator.advance_invoice_numbers("ACC1", "0098")
    assert await next_invoice_numbers(coordinator, "ACC1", 3) == ["0099", "0100", "0101"]
    assert await coordinator.next_invoice_number("ACC1") == "0102"
    together = await asyncio.gather(
        *(next_invoice_numbers(coordinator, "ACC1", 5) for _ in range(10)),
        coordinator.next_invoice_number("ACC1"),
    )
    flat = [n for got in together for n in ([got] if isinstance(got, str) else got)]
    assert len(flat) == len(set(flat)) == 51  # none handed out twice
    for count, error in ((0, ValueError), (True, TypeError), ("2", TypeError)):
        with pytest.raises(error, match="count"):
            await next_invoice_numbers(coordinator, "ACC1", count)  # type: ignore[arg-type]


async def test_reacquire_under_a_lowered_limit_waits_until_it_allows_one(
    coordinator: Coordinator,
) -> None:
    first = await coordinator.acquire_slot("ACC1", 2)
    second = await coordinator.acquire_slot("ACC1", 2)
    exchange = asyncio.ensure_future(
        reacquire_slot(coordinator, SlotLease(account_id="ACC1", id=second.id, limit=1))
    )
    await asyncio.sleep(0.1)
    assert not exchange.done()  # `first` is held: a limit of 1 allows no other
    await coordinator.release_slot(first)
    lease = await asyncio.wait_for(exchange, 5)
    assert lease.limit == 1
    await coordinator.release_slot(lease)


class _Minimal:
    """A user-written coordinator of the protocol's required methods only (no
    reacquire_slot), recording the slot calls."""

    def __init__(self) -> None:
        self.inner = InProcessCoordinator()
        self.calls: list[str] = []

    async def acquire_slot(self, account_id: str, limit: int) -> SlotLease:
        self.calls.append("acquire")
        return await self.inner.acquire_slot(account_id, limit)

    async def release_slot(self, lease: SlotLease) -> None:
        self.calls.append("release")
        await self.inner.release_slot(lease)

    async def next_invoice_number(self, account_id: str) -> str:
        return await self.inner.next_invoice_number(account_id)

    async def advance_invoice_numbers(self, account_id: str, past: str | None) -> bool:
        return await self.inner.advance_invoice_numbers(account_id, past)

    def retry_budget(self, scope: str) -> RetryBudget:
        return self.inner.retry_budget(scope)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_reacquire_on_a_coordinator_without_it_releases_then_acquires() -> None:
    c = _Minimal()
    assert isinstance(c, Coordinator)  # the optional method is not required
    lease = await c.acquire_slot("ACC1", 2)
    again = await reacquire_slot(c, lease)
    assert c.calls == ["acquire", "release", "acquire"]
    assert again.id != lease.id
    assert c.inner.slots_in_use("ACC1") == 1
    await c.release_slot(again)
    assert c.inner.slots_in_use("ACC1") == 0


async def test_several_numbers_on_a_coordinator_without_the_method() -> None:
    c = _Minimal()
    with pytest.raises(NumberingNotSeededError):  # every call failed: the first error
        await next_invoice_numbers(c, "ACC1", 2)
    await c.advance_invoice_numbers("ACC1", "0009")
    assert await next_invoice_numbers(c, "ACC1", 3) == ["0010", "0011", "0012"]


# --------------------------------------------------------------------------- in-process


async def test_in_process_release_of_a_foreign_lease_does_nothing() -> None:
    c = InProcessCoordinator()
    lease = await c.acquire_slot("ACC1", 1)
    await c.release_slot(SlotLease(account_id="ACC1", id="someone-else", limit=1))
    assert c.slots_in_use("ACC1") == 1
    await c.release_slot(lease)
    assert c.slots_in_use("ACC1") == 0
    with pytest.raises(TypeError, match="lease"):
        await c.release_slot("lease")  # type: ignore[arg-type]


async def test_in_process_grant_racing_a_cancellation_passes_the_slot_on() -> None:
    c = InProcessCoordinator()
    first = await c.acquire_slot("ACC1", 1)
    second = asyncio.ensure_future(c.acquire_slot("ACC1", 1))
    third = asyncio.ensure_future(c.acquire_slot("ACC1", 1))
    await asyncio.sleep(0)
    await c.release_slot(first)  # grants `second`...
    second.cancel()  # ... which is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await second
    lease = await asyncio.wait_for(third, 1)
    assert c.slots_in_use("ACC1") == 1
    await c.release_slot(lease)


async def test_in_process_reacquire_under_a_lowered_limit_waits_its_turn() -> None:
    c = InProcessCoordinator()
    first = await c.acquire_slot("ACC1", 2)
    second = await c.acquire_slot("ACC1", 2)
    # Held 2; an exchange under a limit of 1 must wait until it would be granted.
    exchange = asyncio.ensure_future(
        reacquire_slot(c, SlotLease(account_id="ACC1", id=second.id, limit=1))
    )
    await asyncio.sleep(0.01)
    assert not exchange.done()
    assert c.slots_in_use("ACC1") == 1
    await c.release_slot(first)
    lease = await asyncio.wait_for(exchange, 1)
    assert c.slots_in_use("ACC1") == 1
    await c.release_slot(lease)
    assert c.slots_in_use("ACC1") == 0
    with pytest.raises(TypeError, match="lease"):
        await c.reacquire_slot("lease")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the client


async def test_client_takes_a_coordinator() -> None:
    shared = InProcessCoordinator()
    async with (
        FreshBooksClient("t" * 20, coordinator=shared) as a,
        FreshBooksClient("t" * 20, coordinator=shared) as b,
        FreshBooksClient("t" * 20) as c,
    ):
        assert a.coordinator is shared
        assert b.coordinator is shared
        assert isinstance(c.coordinator, InProcessCoordinator)
        assert c.coordinator is not shared
        assert c.per_account_concurrency == 8


def test_client_rejects_what_is_not_a_coordinator() -> None:
    with pytest.raises(TypeError, match="coordinator: object does not implement Coordinator"):
        FreshBooksClient("t" * 20, coordinator=object())  # type: ignore[arg-type]
