"""Bulk invoice creation: against the sandbox (in process and over loopback) and scripted
routers. Every scenario checks the sandbox ledger: each draft created exactly once."""

from __future__ import annotations

import asyncio
import copy
import gc
import json
import logging
import traceback
import types
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from freshbooks_async import FreshBooksClient
from freshbooks_async._numbering import (
    NumberAllocator,
    compare_invoice_numbers,
    next_invoice_number,
)
from freshbooks_async.bulk import (
    BulkItem,
    BulkProgress,
    BulkResult,
    BulkSend,
    BulkStatus,
    bulk_create_invoices,
)
from freshbooks_async.bulk import _run as bulk
from freshbooks_async.bulk._results import _CLAIMED
from freshbooks_async.coordination import InProcessCoordinator, SlotLease
from freshbooks_async.errors import (
    BulkError,
    CoordinatorUnavailableError,
    InvoiceNumberConflictError,
    ReadTimeoutError,
    ServerDisconnectedError,
    ServerError,
)
from freshbooks_async.models import Invoice, InvoiceCreate, decode
from freshbooks_async.models import _base as models_base
from freshbooks_async.retry import RetryPolicy
from freshbooks_async.sandbox import Sandbox, SandboxServer
from freshbooks_async.testing import FakeClock, MockTransport, Router
from freshbooks_async.transports import Request, Response

ACCOUNT = "ACC001"
POST = "POST /accounting/account/*/invoices/invoices"
# Clients 1..7 exist (the sandbox's default client 1 plus six seeded): drafts name them.
CLIENTS = 6
INVOICES = "/accounting/account/{account_id}/invoices/invoices"


def drafts(n: int, start: int = 0) -> list[dict[str, Any]]:
    """Distinct drafts, like a real batch (different customers, notes and amounts)."""
    return [
        {
            "customerid": 1 + i % 7,
            "create_date": "2024-01-05",
            "notes": f"draft {i}",
            "lines": [
                {
                    "name": f"item {i % 5}",
                    "qty": "2",
                    "unit_cost": {"amount": f"{10 + i}.50", "code": "USD"},
                }
            ],
        }
        for i in range(start, start + n)
    ]


def in_process(sandbox: Sandbox, **kwargs: Any) -> FreshBooksClient:
    return FreshBooksClient(sandbox.token, transport=MockTransport(sandbox.handle), **kwargs)


def assert_exactly_once(result: BulkResult[Invoice], sandbox: Sandbox, skip: int = 0) -> None:
    """Every created item is one ledger entry with its reference; nothing else was created
    (after the first ``skip`` ledger entries)."""
    summary = sandbox.ledger_summary()
    ledger = sandbox.ledger[skip:]
    refs = [e.client_reference for e in ledger if e.resource == "invoices"]
    created = [item for item in result.items if item.status is BulkStatus.CREATED]
    assert summary["duplicated_references"] == []
    assert summary["duplicate_numbers"] == []
    assert sorted(r or "" for r in refs) == sorted(item.reference for item in created)
    ids = {e.id for e in ledger}
    assert {item.invoice.id for item in created if item.invoice} == ids


# --------------------------------------------------------------------------- basics


async def test_server_numbering_creates_each_draft_once_in_order() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS)
    async with in_process(sandbox, clock=FakeClock()) as client:
        result = await bulk_create_invoices(client, ACCOUNT, drafts(30), concurrency=1)
    assert result.ok
    assert [item.index for item in result.items] == list(range(30))
    assert [inv.notes for inv in result.created] == [f"draft {i}" for i in range(30)]
    assert [inv.invoice_number for inv in result.created] == [f"{i:07d}" for i in range(1, 31)]
    assert result.attempts == 30
    assert result.requests == 31  # + the baseline read
    assert result.counts["created"] == 30
    assert_exactly_once(result, sandbox)
    result.raise_for_failures()


async def test_invoice_create_models_are_accepted() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS)
    models = [InvoiceCreate.from_dict(d) for d in drafts(3)]
    async with in_process(sandbox) as client:
        result = await bulk_create_invoices(client, ACCOUNT, models, numbering="client")
    assert result.ok
    assert all(isinstance(inv, Invoice) for inv in result.created)


@pytest.mark.parametrize("numbering", ["client", "server"])
async def test_the_first_reads_go_out_while_the_drafts_are_validated(
    numbering: Literal["server", "client"],
) -> None:
    # Every draft is validated before any POST, and the reads before the first POST
    # (the numbers in use, the fingerprint baseline) are on the wire meanwhile: they
    # start once a draft is valid, so a batch of invalid drafts reads nothing.
    sandbox = Sandbox(seed_clients=CLIENTS)
    transport = MockTransport(sandbox.handle)
    batch: list[Any] = [{"customerid": 1}, *drafts(1000), {"customerid": 1}]
    seen_at_last: list[list[str]] = []

    def on_item(item: BulkItem[Invoice]) -> None:
        if item.index == len(batch) - 1:  # the last draft is validated
            seen_at_last.append([r.method for r in transport.requests])

    async with FreshBooksClient(sandbox.token, transport=transport) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, batch, numbering=numbering, on_item=on_item
        )
        reads = 2 if numbering == "client" else 1
        assert seen_at_last == [["GET"] * reads]  # no POST yet, the reads already sent
        assert result.counts["invalid"] == 2
        assert result.requests == reads + result.attempts
        invalid_only = await bulk_create_invoices(
            client, ACCOUNT, [{"customerid": 1}] * 600, numbering=numbering
        )
    assert invalid_only.requests == 0
    assert len(transport.requests) == reads + result.attempts


async def test_a_draft_that_breaks_validation_ends_the_call_and_its_first_reads() -> None:
    # An error validation does not expect (here the input's own) propagates, as before
    # any read; the reads already under way are cancelled, and nothing is posted.
    class Broken(Mapping[str, Any]):
        def __getitem__(self, key: str) -> Any:
            raise RuntimeError("broken draft")

        def __iter__(self) -> Iterator[str]:
            raise RuntimeError("broken draft")

        def __len__(self) -> int:
            return 1

    sandbox = Sandbox(seed_clients=CLIENTS, processing_latency=0.01)
    transport = MockTransport(sandbox.handle)
    batch: list[Any] = [*drafts(600), Broken()]
    before = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
    async with FreshBooksClient(sandbox.token, transport=transport) as client:
        with pytest.raises(RuntimeError, match="broken draft"):
            await bulk_create_invoices(client, ACCOUNT, batch, numbering="client")
    after = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
    assert after == before
    assert [r.method for r in transport.requests] == ["GET", "GET"]  # under way, then cancelled
    assert sandbox.ledger == []


async def test_invalid_drafts_are_reported_and_never_sent() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS)
    batch: list[Any] = drafts(4)
    batch.insert(1, {"customerid": 1})  # create_date missing
    batch.insert(3, {"customerid": "seven", "create_date": "2024-01-05"})
    batch.append("not a draft")
    batch.append({**drafts(1)[0], "vis_state": 1})
    transport = MockTransport(sandbox.handle)
    async with FreshBooksClient(sandbox.token, transport=transport) as client:
        result = await bulk_create_invoices(client, ACCOUNT, batch)
    statuses = [item.status for item in result.items]
    assert statuses == [
        BulkStatus.CREATED,
        BulkStatus.INVALID,
        BulkStatus.CREATED,
        BulkStatus.INVALID,
        BulkStatus.CREATED,
        BulkStatus.CREATED,
        BulkStatus.INVALID,
        BulkStatus.INVALID,
    ]
    assert "create_date" in str(result.items[1].error)
    assert isinstance(result.items[3].error, TypeError)
    assert all(item.attempts == 0 for item in result.items if item.status is BulkStatus.INVALID)
    sent = {r.headers["X-Client-Reference"] for r in transport.requests if r.method == "POST"}
    assert sent == {i.reference for i in result.items if i.status is BulkStatus.CREATED}
    with pytest.raises(BulkError) as caught:
        result.raise_for_failures()
    assert caught.value.result is result
    assert "4 invalid" in str(caught.value)
    assert len(result.failed) == 4


async def test_duplicate_explicit_numbers_are_invalid() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS)
    batch = [{**d, "invoice_number": "X-1"} for d in drafts(2)]
    async with in_process(sandbox) as client:
        result = await bulk_create_invoices(client, ACCOUNT, batch, numbering="client")
    assert [i.status for i in result.items] == [BulkStatus.CREATED, BulkStatus.INVALID]
    assert result.created[0].invoice_number == "X-1"


# --------------------------------------------------------------------------- numbering


async def test_client_numbering_continues_from_the_latest_number_without_409() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS, processing_latency=0.001)
    async with in_process(sandbox, per_account_concurrency=16) as client:
        first = await bulk_create_invoices(client, ACCOUNT, drafts(5), numbering="client")
        second = await bulk_create_invoices(
            client, ACCOUNT, drafts(60, 5), numbering="client", concurrency=16
        )
    assert first.ok
    assert second.ok
    assert second.conflicts == 0
    assert sandbox.stats.statuses[409] == 0
    numbers = sorted(inv.invoice_number or "" for inv in second.created)
    assert numbers == [f"{i:07d}" for i in range(6, 66)]
    assert sandbox.stats.max_concurrent_invoice_creates[ACCOUNT] == 16
    assert_exactly_once(second, sandbox, skip=5)


async def test_client_numbering_resyncs_when_someone_takes_a_number() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS)
    stolen: list[str] = []

    async def thief(request: Request) -> Response:
        # Another app creates invoices with server numbering while we run.
        if request.method == "POST" and len(stolen) < 3:
            number = next_invoice_number(sandbox.default_business.last_invoice_number)
            stolen.append(number)
            other = Request(
                method="POST",
                url=request.url,
                headers=request.headers,
                body=b'{"invoice": {"customerid": 1, "create_date": "2024-01-01"}}',
                stream=None,
                timeout=None,
            )
            await sandbox.handle(other)
        return await sandbox.handle(request)

    async with FreshBooksClient(sandbox.token, transport=MockTransport(thief)) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(12), numbering="client", concurrency=1
        )
    assert result.ok
    assert result.conflicts >= 1
    assert sandbox.ledger_summary()["duplicate_numbers"] == []
    assert len(sandbox.ledger) == 12 + 3


async def test_server_numbering_retries_409_with_backoff_until_max_attempts() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS, faults=["conflict:rate=1"])
    clock = FakeClock()
    async with in_process(sandbox, clock=clock) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(2), max_attempts=5, backoff_base=0.1, backoff_max=0.4
        )
    assert [i.status for i in result.items] == [BulkStatus.FAILED, BulkStatus.FAILED]
    assert all(isinstance(i.error, InvoiceNumberConflictError) for i in result.items)
    assert [i.attempts for i in result.items] == [5, 5]
    assert result.conflicts == 10
    assert len(clock.sleeps) == 8  # 4 backoffs per draft, full jitter under the ceilings
    assert all(0 <= s <= 0.4 for s in clock.sleeps)
    assert sandbox.ledger == []


@pytest.mark.parametrize(
    ("numbering", "ceilings"),
    [
        ("server", [1.0, 2.0, 4.0, 8.0]),  # a race with other creates: doubles per attempt
        # 409, 409 again (the number is taken: re-numbered at once), 409 for the new
        # number, ...: each number starts afresh.
        ("client", [1.0, 1.0]),
    ],
)
async def test_409_backoff_ceilings(
    numbering: Literal["server", "client"], ceilings: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("freshbooks_async.bulk.backoff.full_jitter", lambda ceiling: ceiling)
    sandbox = Sandbox(seed_clients=CLIENTS, faults=[f"conflict:count=4:route={POST}"])
    clock = FakeClock()
    async with in_process(sandbox, clock=clock) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(1), numbering=numbering, backoff_base=1.0, backoff_max=60
        )
    assert result.counts["created"] == 1
    assert result.items[0].attempts == 5
    assert clock.sleeps == ceilings


async def test_injected_409s_are_retried_and_nothing_is_lost() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS, faults=["conflict:rate=0.3"])
    async with in_process(sandbox, clock=FakeClock()) as client:
        result = await bulk_create_invoices(client, ACCOUNT, drafts(100), concurrency=1)
    assert result.ok
    assert result.conflicts > 10
    assert result.attempts == 100 + result.conflicts
    assert_exactly_once(result, sandbox)


# --------------------------------------------------------------------------- ambiguous


@pytest.mark.parametrize(
    ("numbering", "reference_field"),
    [("server", None), ("server", "po_number"), ("client", None)],
)
async def test_resets_after_commit_and_5xx_are_reconciled(
    numbering: Any, reference_field: str | None
) -> None:
    sandbox = Sandbox(
        seed_clients=CLIENTS,
        seed=3,
        faults=[
            f"reset_after_commit:rate=0.15:route={POST}",
            f"503:rate=0.05:burst=2:route={POST}",
            f"truncate:rate=0.03:route={POST}",
        ],
    )
    async with in_process(sandbox, clock=FakeClock()) as client:
        result = await bulk_create_invoices(
            client,
            ACCOUNT,
            drafts(80),
            concurrency=1,
            numbering=numbering,
            reference_field=reference_field,
        )
    assert result.ok, result.failed[:3]
    assert result.reconciled > 0
    assert sandbox.fault_counts()["reset_after_commit"] > 0
    assert_exactly_once(result, sandbox)
    if reference_field:
        assert all(inv.po_number and inv.po_number.startswith("fbk-") for inv in result.created)


async def test_fingerprint_reconciliation_with_concurrency() -> None:
    sandbox = Sandbox(
        seed_clients=CLIENTS, seed=5, faults=[f"reset_after_commit:rate=0.2:route={POST}"]
    )
    async with in_process(sandbox, per_account_concurrency=8) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(60), concurrency=8, numbering="server", backoff_base=0.001
        )
    assert result.ok
    assert result.reconciled > 0
    assert_exactly_once(result, sandbox)


async def test_created_invoices_are_decoded_lazily_and_claimed() -> None:
    # The created invoice is checked when its answer arrives and built on first read
    # (as the resources decode): the same invoice ``decode`` gives. Its id is claimed
    # without building it.
    sandbox = Sandbox(seed_clients=CLIENTS)
    async with in_process(sandbox) as client:
        result = await bulk_create_invoices(client, ACCOUNT, drafts(3), numbering="client")
        claimed = set(_CLAIMED[client][ACCOUNT])
    assert result.ok
    raws = [copy.deepcopy(models_base._raw_get(invoice)) for invoice in result.created]
    assert claimed == {raw["id"] for raw in raws} == {e.id for e in sandbox.ledger}
    for invoice, raw in zip(result.created, raws, strict=True):
        assert invoice == decode(Invoice, raw)  # builds it
        with pytest.raises(AttributeError):
            models_base._raw_get(invoice)  # built: the JSON object is dropped


async def test_pre_existing_identical_invoice_is_not_claimed() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS)
    batch = drafts(1)
    async with in_process(sandbox) as client:
        await client.request(
            "POST", "/accounting/account/ACC001/invoices/invoices", json={"invoice": batch[0]}
        )  # same content, made before the bulk call: must not be taken for ours
        sandbox.configure_faults([f"reset_after_commit:count=1:route={POST}"])
        result = await bulk_create_invoices(client, ACCOUNT, batch)
    assert result.ok
    assert result.items[0].reconciled
    assert result.created[0].id == 2


async def test_failed_lookup_reports_unknown_and_does_not_repost() -> None:
    router = Router()
    posts = router.post(INVOICES, ServerDisconnectedError("reset"))
    empty = Router.json(
        {"response": {"result": {"invoices": [], "page": 1, "pages": 0, "per_page": 1, "total": 0}}}
    )
    router.get(
        INVOICES,
        empty,  # the newest invoice
        empty,  # the numbers in use
        Router.json({"response": {"errors": [{"message": "down"}]}}, 500),
    )
    async with FreshBooksClient(
        "tok-for-tests", transport=MockTransport(router), clock=FakeClock()
    ) as client:
        result = await bulk_create_invoices(client, ACCOUNT, drafts(1), numbering="client")
    item = result.items[0]
    assert item.status is BulkStatus.UNKNOWN
    assert posts.call_count == 1
    assert isinstance(item.error.__context__, ServerDisconnectedError)  # type: ignore[union-attr]
    assert result.counts["unknown"] == 1


async def test_read_timeout_waits_before_the_lookup() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS)
    calls = 0

    async def slow_first(request: Request) -> Response:
        nonlocal calls
        response = await sandbox.handle(request)
        if request.method == "POST":
            calls += 1
            if calls == 1:
                raise ReadTimeoutError("timed out", method="POST", url=str(request.url))
        return response

    clock = FakeClock()
    async with FreshBooksClient(
        sandbox.token, transport=MockTransport(slow_first), clock=clock
    ) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(1), numbering="client", reconcile_delay=1.5
        )
    assert result.ok
    assert result.items[0].reconciled
    assert 1.5 in clock.sleeps
    assert calls == 1


# --------------------------------------------------------------------------- semaphore


async def test_per_account_semaphore_is_shared_across_calls() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS, processing_latency=0.002)
    other = sandbox.add_business(name="Other", account_id="ACC002", default_client=True)
    sandbox.seed_data(business=other, clients=CLIENTS)
    async with in_process(sandbox, per_account_concurrency=3) as client:
        results = await asyncio.gather(
            bulk_create_invoices(client, ACCOUNT, drafts(20), concurrency=8, numbering="client"),
            bulk_create_invoices(
                client, ACCOUNT, drafts(20, 20), concurrency=8, numbering="client"
            ),
            bulk_create_invoices(client, "ACC002", drafts(20), concurrency=8, numbering="client"),
        )
    assert all(r.ok for r in results)
    peaks = sandbox.stats.max_concurrent_invoice_creates
    assert peaks[ACCOUNT] == 3  # two calls together never exceed the account's limit
    assert peaks["ACC002"] == 3  # the other account ran at its own limit meanwhile


class GatedClock(FakeClock):
    """A clock whose sleeps wait for the test to release them."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        await super().sleep(seconds)
        await self.release.wait()


async def test_the_permit_is_released_while_a_409_backs_off() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS, faults=[f"conflict:count=1:route={POST}"])
    clock = GatedClock()
    async with in_process(sandbox, clock=clock, per_account_concurrency=1) as client:
        task = asyncio.create_task(bulk_create_invoices(client, ACCOUNT, drafts(5), concurrency=4))
        for _ in range(200):
            await asyncio.sleep(0)
            if len(sandbox.ledger) >= 4:
                break
        # Draft 0 backed off (a sleep that never ends by itself here) without the single
        # permit: the other four went through it first. (Draft 0 may follow at once,
        # taken forward by an idle worker once they succeeded.)
        first = [entry.client_reference or "" for entry in sandbox.ledger[:4]]
        assert len(first) == 4
        assert sorted(ref.rsplit("-", 1)[1] for ref in first) == ["1", "2", "3", "4"]
        clock.release.set()
        result = await task
    assert result.ok
    assert result.items[0].attempts == 2


async def test_an_idle_slot_takes_a_backed_off_draft_once_creates_succeed() -> None:
    """The batch's tail does not wait out backoffs: with nothing else to post, a worker
    takes the draft that has backed off longest, once a create succeeded after its 409."""
    sandbox = Sandbox(seed_clients=CLIENTS, faults=[f"conflict:count=1:route={POST}"])
    clock = GatedClock()  # a backoff never ends by itself here
    async with in_process(sandbox, clock=clock) as client:
        result = await asyncio.wait_for(
            bulk_create_invoices(client, ACCOUNT, drafts(3), concurrency=1, backoff_base=60),
            timeout=30,
        )
    assert not clock.release.is_set()
    assert result.ok
    assert [item.attempts for item in result.items] == [2, 1, 1]
    assert len(clock.sleeps) == 1  # the backoff began, and was cut short
    assert_exactly_once(result, sandbox)


async def test_a_late_409_is_not_waited_out_while_most_creates_succeed() -> None:
    """The last draft's 409 comes after every success: the call's recent outcomes
    (mostly created) show no storm, so the idle worker posts it again at once."""
    sandbox = Sandbox(seed_clients=CLIENTS)
    posts = 0
    conflict = json.dumps(
        {"response": {"errors": [{"errno": 409, "message": "Conflict", "field": "invoice"}]}}
    ).encode()

    async def fourth_post_conflicts(request: Request) -> Response:
        nonlocal posts
        if request.method == "POST":
            posts += 1
            if posts == 4:
                return Response(
                    status=409,
                    headers={"Content-Type": "application/json"},
                    body=conflict,
                    request=request,
                )
        return await sandbox.handle(request)

    clock = GatedClock()  # a backoff never ends by itself here
    transport = MockTransport(fourth_post_conflicts)
    async with FreshBooksClient(sandbox.token, transport=transport, clock=clock) as client:
        result = await asyncio.wait_for(
            bulk_create_invoices(client, ACCOUNT, drafts(4), concurrency=1, backoff_base=60),
            timeout=30,
        )
    assert result.ok
    assert result.conflicts == 1
    assert [item.attempts for item in result.items] == [1, 1, 1, 2]
    assert not clock.release.is_set()  # its backoff did not hold it
    assert_exactly_once(result, sandbox)


async def test_backoffs_are_waited_out_while_nothing_succeeds() -> None:
    """A 409 storm (no create succeeds): idle workers leave the drafts in backoff."""
    sandbox = Sandbox(seed_clients=CLIENTS, faults=[f"conflict:count=2:route={POST}"])
    clock = GatedClock()
    async with in_process(sandbox, clock=clock) as client:
        task = asyncio.create_task(
            bulk_create_invoices(
                client,
                ACCOUNT,
                drafts(2),
                concurrency=2,
                backoff_base=60,
                numbering="client",  # no numbering race when both retry together
            )
        )
        for _ in range(200):
            await asyncio.sleep(0)
        assert not task.done()
        assert len(clock.sleeps) == 2  # both drafts back off, and stay there
        assert sandbox.ledger == []
        clock.release.set()
        result = await task
    assert result.ok
    assert [item.attempts for item in result.items] == [2, 2]
    assert_exactly_once(result, sandbox)


# --------------------------------------------------------------------------- coordinator


async def test_clients_sharing_a_coordinator_share_the_accounts_slots() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS, processing_latency=0.002)
    shared = InProcessCoordinator()
    async with (
        in_process(sandbox, per_account_concurrency=3, coordinator=shared) as a,
        in_process(sandbox, per_account_concurrency=3, coordinator=shared) as b,
    ):
        results = await asyncio.gather(
            bulk_create_invoices(a, ACCOUNT, drafts(20), concurrency=8, numbering="client"),
            bulk_create_invoices(b, ACCOUNT, drafts(20, 20), concurrency=8, numbering="client"),
        )
    assert all(r.ok for r in results)
    assert sandbox.stats.max_concurrent_invoice_creates[ACCOUNT] == 3
    assert shared.slots_in_use(ACCOUNT) == 0


async def test_clients_sharing_a_coordinator_share_the_invoice_counter() -> None:
    # Two bulk calls on one account (two clients: two web workers' threads of work) draw
    # from one counter: no number is sent twice, so nothing collides.
    sandbox = Sandbox(seed_clients=CLIENTS, processing_latency=0.001)
    shared = InProcessCoordinator()
    async with (
        in_process(sandbox, coordinator=shared) as a,
        in_process(sandbox, coordinator=shared) as b,
    ):
        results = await asyncio.gather(
            bulk_create_invoices(a, ACCOUNT, drafts(30), concurrency=4, numbering="client"),
            bulk_create_invoices(b, ACCOUNT, drafts(30, 30), concurrency=4, numbering="client"),
        )
    assert all(r.ok for r in results)
    assert [r.conflicts for r in results] == [0, 0]
    numbers = sorted(inv.invoice_number or "" for r in results for inv in r.created)
    assert numbers == [f"{n:07d}" for n in range(1, 61)]
    assert sandbox.ledger_summary()["duplicate_numbers"] == []


async def test_single_invoice_creates_take_the_accounts_slots() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS, processing_latency=0.002)
    async with in_process(sandbox, per_account_concurrency=2) as client:
        coordinator = client.coordinator
        held = [await coordinator.acquire_slot(ACCOUNT, 2) for _ in range(2)]  # bulk's, say
        created = asyncio.gather(
            *(client.invoices.create(ACCOUNT, draft) for draft in drafts(10)),
            return_exceptions=True,
        )
        await asyncio.sleep(0.05)
        assert sandbox.ledger == []  # every slot is held: the creates wait
        for lease in held:
            await coordinator.release_slot(lease)
        invoices = await created
    # Two at a time still race for numbers (server numbering): some answer 409.
    assert all(isinstance(i, Invoice | InvoiceNumberConflictError) for i in invoices)
    assert sandbox.stats.max_concurrent_invoice_creates[ACCOUNT] == 2


async def test_the_account_semaphore_is_the_coordinators_slots() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS)
    async with in_process(sandbox, per_account_concurrency=1) as client:
        semaphore = client.account_semaphore(ACCOUNT)
        assert semaphore is client.account_semaphore(ACCOUNT)
        async with semaphore:
            task = asyncio.ensure_future(bulk_create_invoices(client, ACCOUNT, drafts(2)))
            await asyncio.sleep(0.05)
            assert not task.done()
            assert sandbox.ledger == []  # the bulk call waits for the one slot
        result = await task
        assert await semaphore.acquire()
        assert isinstance(client.coordinator, InProcessCoordinator)
        assert client.coordinator.slots_in_use(ACCOUNT) == 1
        semaphore.release()
        await asyncio.sleep(0)
        assert client.coordinator.slots_in_use(ACCOUNT) == 0
        with pytest.raises(ValueError, match="release"):
            semaphore.release()
    assert result.ok


class CountingCoordinator(InProcessCoordinator):
    """Counts the slot calls, and the most slots held at once."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = {"acquire": 0, "release": 0, "reacquire": 0}
        self.peak = 0
        self.exchanges = asyncio.Event()  # set after 20 exchanges

    def note(self, call: str) -> None:
        self.calls[call] += 1
        self.peak = max(self.peak, self.slots_in_use(ACCOUNT))

    async def acquire_slot(self, account_id: str, limit: int) -> SlotLease:
        lease = await super().acquire_slot(account_id, limit)
        self.note("acquire")
        return lease

    async def release_slot(self, lease: SlotLease) -> None:
        await super().release_slot(lease)
        self.note("release")

    async def reacquire_slot(self, lease: SlotLease) -> SlotLease:
        again = await super().reacquire_slot(lease)
        self.note("reacquire")
        if self.calls["reacquire"] >= 20:
            self.exchanges.set()
        return again


async def test_a_worker_exchanges_its_slot_for_its_next_draft() -> None:
    # Between two creates a worker keeps its slot (one exchange, not a release and an
    # acquire); it gives it back when it has nothing to post, so none is held after.
    sandbox = Sandbox(seed_clients=CLIENTS, processing_latency=0.001)
    coordinator = CountingCoordinator()
    async with in_process(sandbox, coordinator=coordinator, per_account_concurrency=3) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(40), concurrency=3, numbering="client"
        )
    assert result.ok
    assert_exactly_once(result, sandbox)
    calls = coordinator.calls
    assert calls["acquire"] + calls["reacquire"] == 40  # one slot per POST
    assert calls["reacquire"] >= 30
    assert calls["release"] == calls["acquire"]  # every slot taken was given back
    assert coordinator.slots_in_use(ACCOUNT) == 0
    assert coordinator.peak <= 3
    assert sandbox.stats.max_concurrent_invoice_creates[ACCOUNT] <= 3


async def test_a_cancelled_bulk_call_gives_back_the_slots_its_workers_kept() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS, processing_latency=0.002)
    coordinator = CountingCoordinator()
    async with in_process(sandbox, coordinator=coordinator, per_account_concurrency=4) as client:
        call = asyncio.ensure_future(
            bulk_create_invoices(client, ACCOUNT, drafts(400), concurrency=4)
        )
        await asyncio.wait_for(coordinator.exchanges.wait(), 30)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
    assert coordinator.slots_in_use(ACCOUNT) == 0


@pytest.mark.parametrize("counting", [False, True])
async def test_a_cancelled_bulk_call_gives_back_every_slot(counting: bool) -> None:
    # InProcessCoordinator's own release is awaited directly (it never suspends); an
    # overridden one (CountingCoordinator's) is shielded: either way no slot stays held.
    sandbox = Sandbox(seed_clients=CLIENTS, processing_latency=0.002)
    coordinator = CountingCoordinator() if counting else InProcessCoordinator()
    async with in_process(sandbox, coordinator=coordinator, per_account_concurrency=4) as client:
        creator = bulk._Run(
            client,
            ACCOUNT,
            concurrency=4,
            numbering="server",
            max_attempts=5,
            on_progress=None,
            on_item=None,
            reference_field=None,
            backoff_base=None,
            backoff_max=1.0,
            reconcile_delay=0.0,
            stop=None,
            deadline=None,
        ).creator
        assert creator.release_at_once is not counting
        settled: list[object] = []
        twenty = asyncio.Event()

        def on_item(item: object) -> None:
            settled.append(item)
            if len(settled) >= 20:
                twenty.set()

        call = asyncio.ensure_future(
            bulk_create_invoices(client, ACCOUNT, drafts(400), concurrency=4, on_item=on_item)
        )
        await asyncio.wait_for(twenty.wait(), 30)
        assert coordinator.slots_in_use(ACCOUNT) > 0
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
    assert coordinator.slots_in_use(ACCOUNT) == 0


class FailingCoordinator(InProcessCoordinator):
    """An in-process coordinator whose store "goes away": ``acquire_slot`` raises after
    ``slots`` grants, ``next_invoice_number`` after ``numbers`` numbers,
    ``advance_invoice_numbers`` at once when ``seed_fails``."""

    def __init__(
        self, *, slots: int = 10**9, numbers: int = 10**9, seed_fails: bool = False
    ) -> None:
        super().__init__()
        self.slots = slots
        self.numbers = numbers
        self.seed_fails = seed_fails

    @staticmethod
    def down(what: str) -> CoordinatorUnavailableError:
        return CoordinatorUnavailableError(f"{what}: Redis at 127.0.0.1:1 did not answer")

    async def acquire_slot(self, account_id: str, limit: int) -> SlotLease:
        if self.slots == 0:
            raise self.down("taking a slot")
        self.slots -= 1
        return await super().acquire_slot(account_id, limit)

    async def next_invoice_number(self, account_id: str) -> str:
        if self.numbers == 0:
            raise self.down("allocating an invoice number")
        self.numbers -= 1
        return await super().next_invoice_number(account_id)

    async def advance_invoice_numbers(self, account_id: str, past: str | None) -> bool:
        if self.seed_fails:
            raise self.down("advancing the invoice counter")
        return await super().advance_invoice_numbers(account_id, past)


@pytest.mark.parametrize(
    ("coordinator", "numbering"),
    [
        (FailingCoordinator(slots=3), "server"),
        (FailingCoordinator(numbers=3), "client"),
    ],
    ids=["slot", "number"],
)
async def test_a_coordinator_that_fails_before_a_post_stops_the_call_and_sends_nothing_more(
    coordinator: FailingCoordinator, numbering: Literal["server", "client"]
) -> None:
    sandbox = Sandbox(seed_clients=CLIENTS)
    sent: list[int] = []
    async with in_process(sandbox, coordinator=coordinator, clock=FakeClock()) as client:
        result = await bulk_create_invoices(
            client,
            ACCOUNT,
            drafts(8),
            concurrency=1,
            numbering=numbering,
            on_send=lambda send: sent.append(send.index),
        )
    assert [i.status for i in result.items] == [BulkStatus.CREATED] * 3 + [
        BulkStatus.NOT_ATTEMPTED
    ] * 5
    assert all(isinstance(i.error, CoordinatorUnavailableError) for i in result.items[3:])
    assert [i.attempts for i in result.items[3:]] == [0] * 5
    assert sent == [0, 1, 2]
    assert result.stopped
    assert result.attempts == 3
    assert len(sandbox.ledger) == 3
    assert_exactly_once(result, sandbox)
    with pytest.raises(BulkError, match=r"not_attempted.*did not answer"):
        result.raise_for_failures()


async def test_a_coordinator_that_cannot_seed_the_counter_sends_nothing() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS)
    coordinator = FailingCoordinator(seed_fails=True)
    async with in_process(sandbox, coordinator=coordinator, clock=FakeClock()) as client:
        result = await bulk_create_invoices(client, ACCOUNT, drafts(4), numbering="client")
    assert result.counts["not_attempted"] == 4
    assert all(isinstance(i.error, CoordinatorUnavailableError) for i in result.items)
    assert result.attempts == 0
    assert sandbox.ledger == []


class ForgetfulCoordinator(InProcessCoordinator):
    """Loses the account's counter (as Redis restarted without persistence) after
    ``after`` numbers, once."""

    def __init__(self, after: int) -> None:
        super().__init__()
        self.after = after
        self.lost = 0

    async def next_invoice_number(self, account_id: str) -> str:
        if self.after == 0 and not self.lost:
            self.lost += 1
            del self._numbers[account_id]
        self.after -= 1
        return await super().next_invoice_number(account_id)


async def test_a_counter_that_lost_its_value_is_seeded_again_past_the_numbers_in_use() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS, processing_latency=0.001)
    await number_the_account(sandbox, ["0000001", "0000002"])
    coordinator = ForgetfulCoordinator(after=10)
    async with in_process(sandbox, coordinator=coordinator) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(30), numbering="client", concurrency=4
        )
    assert coordinator.lost == 1
    assert result.ok, result.counts
    numbers = sorted(inv.invoice_number or "" for inv in result.created)
    # The creates in flight when it was lost were past the numbers in use: at most those
    # numbers collide (the in-process figure: none, the reseed knew the call's last one).
    assert len(set(numbers)) == 30
    assert result.conflicts <= 4
    assert_exactly_once(result, sandbox, skip=2)


# --------------------------------------------------------------------------- progress, stop


async def test_progress_and_on_item() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS)
    seen: list[BulkProgress] = []
    items: list[BulkItem[Invoice]] = []
    async with in_process(sandbox) as client:
        await bulk_create_invoices(
            client, ACCOUNT, [*drafts(6), {"bad": 1}], on_progress=seen.append, on_item=items.append
        )
    assert seen[-1].created == 6
    assert seen[-1].invalid == 1
    assert seen[-1].done == seen[-1].total == 7
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert sorted(i.index for i in items) == list(range(7))


def settled_drafts_kept(every: int) -> tuple[Callable[[BulkItem[Invoice]], None], list[int]]:
    """An ``on_item`` callback that, every ``every`` settled drafts, collects garbage and
    counts the settled drafts still alive, and the list it appends the counts to."""
    from freshbooks_async import bulk as bulk_module

    settled: set[int] = set()
    kept: list[int] = []

    def on_item(item: BulkItem[Invoice]) -> None:
        settled.add(item.index)
        if len(settled) % every == 0:
            gc.collect()
            live = [o for o in gc.get_objects() if type(o) is bulk_module._Draft]
            # The draft settling now is still on its worker's stack.
            kept.append(sum(d.index in settled and d.index != item.index for d in live))

    return on_item, kept


async def test_settled_drafts_are_released_during_the_run() -> None:
    """Memory follows the drafts not yet settled, not the batch: once settled, a draft's
    payload and errors (409s here) are freed while the rest of the batch runs."""

    sandbox = Sandbox(seed_clients=CLIENTS, faults=[f"conflict:rate=0.3:route={POST}"])
    on_item, kept = settled_drafts_kept(every=40)
    async with in_process(sandbox, clock=FakeClock()) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(200), concurrency=4, on_item=on_item
        )
    assert result.ok
    assert result.conflicts > 0
    assert kept == [0] * 5
    assert_exactly_once(result, sandbox)


async def test_a_draft_taken_forward_is_freed_before_its_backoff_timer_runs() -> None:
    """A transport that answers without suspending (canned answers, in process) gives
    the event loop no turn while the workers post: a 409's backoff timer is cancelled
    (its draft taken forward by an idle worker) before it ever ran, and stays pending
    until the loop runs it. It must not keep its settled draft alive meanwhile."""

    sandbox = Sandbox(seed_clients=CLIENTS)
    url = f"https://api.freshbooks.com/accounting/account/{ACCOUNT}/invoices/invoices"
    headers = {"Authorization": f"Bearer {sandbox.token}", "Content-Type": "application/json"}
    answer = await sandbox.handle(
        Request(
            method="POST",
            url=url,
            headers=headers,
            body=json.dumps({"invoice": drafts(1)[0]}).encode(),
        )
    )
    created = json.loads(answer.body)
    listing = (await sandbox.handle(Request(method="GET", url=url, headers=headers))).body
    conflict = json.dumps(
        {"response": {"errors": [{"errno": 409, "message": "Conflict", "field": None}]}}
    ).encode()
    json_headers = {"Content-Type": "application/json"}
    posts = 0

    def handler(request: Request) -> Response:
        nonlocal posts
        if request.method == "GET":
            return Response(status=200, headers=json_headers, body=listing)
        posts += 1
        if posts % 3 == 1:
            return Response(status=409, headers=json_headers, body=conflict)
        created["response"]["result"]["invoice"]["id"] = 1000 + posts
        created["response"]["result"]["invoice"]["invoiceid"] = 1000 + posts
        return Response(status=200, headers=json_headers, body=json.dumps(created).encode())

    on_item, kept = settled_drafts_kept(every=20)
    async with FreshBooksClient(
        sandbox.token, transport=MockTransport(handler), clock=FakeClock()
    ) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(100), concurrency=4, on_item=on_item
        )
    assert result.ok
    assert result.conflicts > 0
    assert kept == [0] * 5


async def test_kept_errors_make_no_reference_cycles() -> None:
    """A 409 kept for a later retry (or the report) must not hold its frames' locals:
    the attempt's frame holds the draft, which holds the error, a cycle only the garbage
    collector frees. Thousands of those made every collection of a batch longer."""
    sandbox = Sandbox(seed_clients=CLIENTS, faults=[f"conflict:rate=0.3:route={POST}"])
    gc.collect()
    gc.disable()
    try:
        async with in_process(sandbox, clock=FakeClock()) as client:
            result = await bulk_create_invoices(client, ACCOUNT, drafts(200), concurrency=4)
        conflicts = result.conflicts
        del result
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        frames = {o.f_code.co_qualname for o in gc.garbage if isinstance(o, types.FrameType)}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert conflicts > 20
    assert frames == set()


async def test_a_reported_error_keeps_a_printable_traceback() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS, faults=["conflict:rate=1"])
    async with in_process(sandbox, clock=FakeClock()) as client:
        result = await bulk_create_invoices(client, ACCOUNT, drafts(1), max_attempts=2)
    error = result.items[0].error
    assert isinstance(error, InvoiceNumberConflictError)
    printed = "".join(traceback.format_exception(error))
    assert "in rejected" in printed  # the pipeline frame that raised it
    assert all(not tb.tb_frame.f_locals for tb in _tracebacks(error))


async def test_frames_of_other_code_keep_their_locals() -> None:
    """Only this package's frames are cleared: a callback's frame is the caller's (and
    clearing a suspended generator's frame would close it)."""

    def on_send(record: BulkSend) -> None:
        marker = "kept"
        raise RuntimeError(f"journal down ({marker})")

    sandbox = Sandbox(seed_clients=CLIENTS)
    async with in_process(sandbox, clock=FakeClock()) as client:
        result = await bulk_create_invoices(client, ACCOUNT, drafts(1), on_send=on_send)
    error = result.items[0].error
    assert isinstance(error, RuntimeError)
    frames = {tb.tb_frame.f_code.co_name: tb.tb_frame for tb in _tracebacks(error)}
    assert frames["on_send"].f_locals["marker"] == "kept"
    assert not frames["attempt"].f_locals


def _tracebacks(error: BaseException) -> list[types.TracebackType]:
    out = []
    tb = error.__traceback__
    while tb is not None:
        out.append(tb)
        tb = tb.tb_next
    return out


async def test_failing_progress_callback_does_not_abort(caplog: pytest.LogCaptureFixture) -> None:
    def explode(progress: BulkProgress) -> None:
        raise RuntimeError("progress bar broke")

    sandbox = Sandbox(seed_clients=CLIENTS)
    with caplog.at_level(logging.ERROR, logger="freshbooks_async.bulk"):
        async with in_process(sandbox) as client:
            result = await bulk_create_invoices(client, ACCOUNT, drafts(3), on_progress=explode)
    assert result.ok
    assert "on_progress raised" in caplog.text


async def test_stop_returns_a_complete_result() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS, faults=[f"conflict:rate=0.5:route={POST}"])
    stop = asyncio.Event()

    def on_item(item: BulkItem[Invoice]) -> None:
        if item.ok and sum(1 for e in sandbox.ledger) >= 10:
            stop.set()

    async with in_process(sandbox, clock=FakeClock()) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(40), concurrency=2, on_item=on_item, stop=stop
        )
    assert result.stopped
    counts = result.counts
    assert counts["created"] >= 10
    assert counts["not_attempted"] > 0
    assert counts["created"] + counts["not_attempted"] + counts["failed"] == 40
    assert_exactly_once(result, sandbox)


async def test_stop_settles_queued_drafts_at_once_while_every_post_waits() -> None:
    """The drafts not started yet are settled as soon as stop is set, even while every
    worker waits on a slow POST; those POSTs then finish normally."""
    sandbox = Sandbox(seed_clients=CLIENTS)
    gate = asyncio.Event()
    both_posted = asyncio.Event()
    posted = 0

    async def slow(request: Request) -> Response:
        nonlocal posted
        if request.method == "POST":
            posted += 1
            if posted == 2:
                both_posted.set()
            await gate.wait()
        return await sandbox.handle(request)

    stop = asyncio.Event()
    settled: list[BulkItem[Invoice]] = []
    async with FreshBooksClient(sandbox.token, transport=MockTransport(slow)) as client:
        task = asyncio.create_task(
            bulk_create_invoices(
                client,
                ACCOUNT,
                drafts(10),
                concurrency=2,
                numbering="client",  # no numbering race between the two held creates
                stop=stop,
                on_item=settled.append,
            )
        )
        await both_posted.wait()
        stop.set()
        for _ in range(3):
            await asyncio.sleep(0)
        assert sorted(item.index for item in settled) == list(range(2, 10))
        assert {item.status for item in settled} == {BulkStatus.NOT_ATTEMPTED}
        gate.set()
        result = await task
    assert result.stopped
    assert result.counts["created"] == 2
    assert result.counts["not_attempted"] == 8
    assert_exactly_once(result, sandbox)


@pytest.mark.parametrize("numbering", ["server", "client"])
async def test_a_stop_during_setup_posts_nothing(numbering: Literal["server", "client"]) -> None:
    """Stop set while the call still reads the account (before its first create): no
    draft is posted and every one is reported not attempted."""
    sandbox = Sandbox(seed_clients=CLIENTS)
    stop = asyncio.Event()
    posts = 0

    async def stop_on_first_read(request: Request) -> Response:
        nonlocal posts
        if request.method == "GET":
            stop.set()
            await asyncio.sleep(0)  # the stop's waker runs before the read answers
        else:
            posts += 1
        return await sandbox.handle(request)

    async with FreshBooksClient(
        sandbox.token, transport=MockTransport(stop_on_first_read)
    ) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(5), concurrency=2, numbering=numbering, stop=stop
        )
    assert posts == 0
    assert result.stopped
    assert result.counts["not_attempted"] == 5
    assert [item.status for item in result.items] == [BulkStatus.NOT_ATTEMPTED] * 5
    assert len(sandbox.ledger) == 0


async def test_deadline_stops_starting_creates() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS, faults=["conflict:rate=1"])
    clock = FakeClock()
    async with in_process(sandbox, clock=clock) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(3), deadline=1.0, backoff_base=0.4, max_attempts=100
        )
    assert result.stopped
    assert result.counts["not_attempted"] == 3
    assert result.attempts < 100


async def test_cancellation_propagates_and_leaks_no_task() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS, processing_latency=0.01)
    settled: list[BulkItem[Invoice]] = []
    five = asyncio.Event()

    def on_item(item: BulkItem[Invoice]) -> None:
        settled.append(item)
        if len(settled) >= 5:
            five.set()

    before = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
    async with in_process(sandbox) as client:
        task = asyncio.create_task(
            bulk_create_invoices(client, ACCOUNT, drafts(200), concurrency=4, on_item=on_item)
        )
        await five.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    await asyncio.sleep(0.02)
    after = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
    assert after == before
    assert 5 <= len(settled) < 200
    refs = {e.client_reference for e in sandbox.ledger}
    assert {i.reference for i in settled if i.ok} <= refs


# --------------------------------------------------------------------------- arguments


async def test_arguments_are_validated() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS)
    async with in_process(sandbox) as client:
        bad: list[tuple[dict[str, Any], type[Exception], str]] = [
            ({"concurrency": 0}, ValueError, "concurrency"),
            ({"numbering": "auto"}, ValueError, "numbering"),
            ({"max_attempts": 0}, ValueError, "max_attempts"),
            ({"on_progress": 3}, TypeError, "on_progress"),
            ({"reference_field": "invoice_number"}, ValueError, "reference_field"),
            ({"backoff_base": -1}, ValueError, "backoff_base"),
            ({"deadline": float("nan")}, ValueError, "deadline"),
            ({"stop": True}, TypeError, "stop"),
        ]
        for kwargs, error, match in bad:
            with pytest.raises(error, match=match):
                await bulk_create_invoices(client, ACCOUNT, drafts(1), **kwargs)
        with pytest.raises(TypeError, match="drafts"):
            await bulk_create_invoices(client, ACCOUNT, drafts(1)[0])  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="account_id"):
            await bulk_create_invoices(client, " ", drafts(1))
        with pytest.raises(TypeError, match="client"):
            await bulk_create_invoices(object(), ACCOUNT, drafts(1))  # type: ignore[arg-type]
    assert sandbox.ledger == []


def test_number_allocator() -> None:
    allocator = NumberAllocator("0000009")
    assert allocator.allocate() == "0000010"
    assert allocator.jump_past("0000020")
    assert allocator.allocate() == "0000021"
    assert not allocator.jump_past("0000005")  # behind: ignored
    assert not allocator.jump_past("INV-3")  # another sequence: ignored
    assert not allocator.jump_past("000000A")  # same length, another shape: ignored
    assert allocator.allocated == 2
    letters = NumberAllocator("000D")
    assert letters.jump_past("000F")
    assert letters.allocate() == "000G"
    assert NumberAllocator(None).allocate() == "0000001"
    with pytest.raises(TypeError, match="latest"):
        NumberAllocator(5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("previous", "expected"),
    [
        ("0005", "0006"),
        ("000D", "000E"),
        ("0009", "0010"),
        ("99", "100"),
        ("INV-9", "INV-10"),
        ("ZZ", "AAA"),
        (None, "0000001"),
    ],
)
def test_next_invoice_number_matches_the_sandbox(previous: str | None, expected: str) -> None:
    from freshbooks_async.sandbox._objects import next_invoice_number as sandbox_rule

    assert next_invoice_number(previous) == expected == sandbox_rule(previous)


def test_the_allocator_starts_after_the_highest_number_in_use() -> None:
    # Issue 17: the newest invoice is 0000001, but 0000002..0000101 are in use.
    in_use = [f"{n:07d}" for n in range(101, 0, -1)]
    allocator = NumberAllocator.seeded("0000001", in_use)
    assert allocator.allocate() == "0000102"
    # The order FreshBooks lists them in does not matter: the highest is found locally.
    assert NumberAllocator.seeded("0000001", sorted(in_use)).allocate() == "0000102"
    assert NumberAllocator.seeded("0000001", []).allocate() == "0000002"
    assert NumberAllocator.seeded(None, []).allocate() == "0000001"
    assert NumberAllocator.seeded(None, ["0000007", "0000003"]).allocate() == "0000008"


@pytest.mark.parametrize(
    ("newest", "in_use", "first"),
    [
        # The newest invoice's sequence continues; numbers of other sequences are ignored.
        ("INV-7", ["INV-99", "INV-100", "0000500", "INV-0099", "2023-0040"], "INV-101"),
        ("0000012", ["INV-900", "0000011", "0000012", "000000Z"], "0000013"),
        ("2024-0005", ["2023-0100", "2024-0003", "2024-0005"], "2024-0006"),
        # Letters count like digits: "000D" -> "000E"; a digit-shaped number is not in it.
        ("000D", ["0009", "000F", "000D"], "000G"),
        # Carries lengthen a number: "99" -> "100", "ZZ" -> "AAA", "zz" -> "Aaa".
        ("98", ["99", "100", "0101"], "101"),
        ("ZY", ["ZZ", "AAA"], "AAB"),
        ("zy", ["zz", "Aaa"], "Aab"),
        # Nothing of the newest's sequence is higher: it is the start.
        ("INV-5", ["INV-4", "X-9"], "INV-6"),
    ],
)
def test_the_allocator_keeps_to_the_newest_invoices_sequence(
    newest: str, in_use: list[str], first: str
) -> None:
    assert NumberAllocator.seeded(newest, in_use).allocate() == first


def test_jump_past_moves_only_forward_within_the_sequence() -> None:
    allocator = NumberAllocator("0099")
    assert allocator.jump_past("0105")
    assert allocator.allocate() == "0106"
    assert not allocator.jump_past("0105")  # handed out already: behind
    assert not allocator.jump_past(None)
    assert allocator.jump_past("10000")  # a carry past 9999
    assert allocator.allocate() == "10001"
    fresh = NumberAllocator(None)
    assert fresh.jump_past("INV-41")  # no start yet: the first known number is one
    assert fresh.allocate() == "INV-42"
    with pytest.raises(TypeError, match="in_use"):
        NumberAllocator.seeded(None, "0000001")
    with pytest.raises(TypeError, match="in_use"):
        NumberAllocator.seeded(None, [1])  # type: ignore[list-item]


_RUNS = st.text(alphabet="0123456789ABCXYZabcxyz", min_size=0, max_size=6)


@given(prefix=st.sampled_from(["", "INV-", "2024/", "A B-"]), run=_RUNS)
def test_each_next_number_follows_its_previous_in_one_sequence(prefix: str, run: str) -> None:
    number = prefix + run
    if not number:
        return
    following = next_invoice_number(number)
    assert compare_invoice_numbers(following, number) == 1
    assert compare_invoice_numbers(number, following) == -1
    assert compare_invoice_numbers(number, number) == 0
    allocator = NumberAllocator(number)
    assert allocator.jump_past(following)
    assert allocator.allocate() == next_invoice_number(following)


def test_numbers_of_different_sequences_do_not_compare() -> None:
    for a, b in [("0005", "000D"), ("INV-5", "0005"), ("0000001", "000000A"), ("a1", "A1")]:
        assert compare_invoice_numbers(a, b) is None
        assert compare_invoice_numbers(b, a) is None


def test_next_invoice_number_validates() -> None:
    with pytest.raises(TypeError, match="previous"):
        next_invoice_number(5)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- loopback


@pytest.fixture
async def loopback() -> AsyncIterator[SandboxServer]:
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)  # injected resets
    sandbox = Sandbox(
        seed_clients=CLIENTS,
        seed=11,
        jitter_ms=2,
        faults=[
            f"conflict:rate=0.3:route={POST}",
            f"reset_after_commit:rate=0.05:route={POST}",
            f"503:rate=0.01:burst=3:route={POST}",
        ],
    )
    async with SandboxServer(sandbox) as server:
        yield server


async def test_loopback_1000_drafts_server_numbering(loopback: SandboxServer) -> None:
    sandbox = loopback.sandbox
    async with FreshBooksClient(
        sandbox.token, base_url=loopback.url, per_account_concurrency=16
    ) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(1000), concurrency=16, backoff_base=0.005, backoff_max=0.2
        )
    assert result.ok, result.counts
    assert len(result.items) == 1000
    assert_exactly_once(result, sandbox)
    faults = sandbox.fault_counts()
    assert faults["conflict"] > 200
    assert faults["reset_after_commit"] > 20
    assert faults["503"] > 0
    assert result.reconciled > 0
    assert sandbox.stats.max_concurrent_invoice_creates[ACCOUNT] <= 16


async def test_loopback_client_numbering_has_no_409(loopback: SandboxServer) -> None:
    sandbox = loopback.sandbox
    sandbox.configure_faults([f"reset_after_commit:rate=0.05:route={POST}"])
    async with FreshBooksClient(
        sandbox.token, base_url=loopback.url, per_account_concurrency=16
    ) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(500), concurrency=16, numbering="client"
        )
    assert result.ok
    assert result.conflicts == 0
    assert sandbox.stats.statuses[409] == 0
    assert_exactly_once(result, sandbox)


async def number_the_account(sandbox: Sandbox, numbers: list[str]) -> None:
    """Create invoices with these numbers, in this order (the last is the newest)."""
    async with in_process(sandbox) as client:
        for number in numbers:
            await client.request(
                "POST",
                INVOICES.format(account_id=ACCOUNT),
                json={
                    "invoice": {
                        "customerid": 1,
                        "create_date": "2024-01-02",
                        "invoice_number": number,
                    }
                },
            )


#: The account of issue 17: 0000002..0000101 created first, then 0000001: the newest
#: invoice holds the lowest number.
ISSUE_17_NUMBERS = [f"{n:07d}" for n in range(2, 102)] + ["0000001"]


async def test_loopback_collisions_do_not_make_429s_final() -> None:
    # Issue 17, item 1: client numbering, concurrency 4, 30% of all requests refused with
    # 429 + Retry-After, and many collisions: half the creates are answered 409 (the
    # account of the issue, whose newest number is its lowest, added 100 more before the
    # numbering started after the highest number). Before: the budget ran dry and all
    # 20 drafts failed with RateLimitError(retries_taken=0). max_retries is raised so a
    # run of four 429s for one request (p = 0.8%) cannot fail a draft: only the budget can.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    sandbox = Sandbox(seed_clients=CLIENTS, seed=17)
    await number_the_account(sandbox, ISSUE_17_NUMBERS)
    sandbox.configure_faults(["429:rate=0.3:retry_after=1", f"conflict:rate=0.5:route={POST}"])
    async with (
        SandboxServer(sandbox) as server,
        FreshBooksClient(
            sandbox.token,
            base_url=server.url,
            clock=FakeClock(),
            retry=RetryPolicy(max_retries=10),
        ) as client,
    ):
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(20), numbering="client", concurrency=4
        )
    faults = sandbox.fault_counts()
    assert faults["429"] >= 20
    assert result.conflicts >= 20
    assert result.ok, [str(item.error) for item in result.items if not item.ok]
    assert_exactly_once(result, sandbox, skip=len(ISSUE_17_NUMBERS))


@pytest.mark.parametrize(
    ("account", "first"),
    [
        # Issue 17, item 2: the newest invoice's number is the lowest in use. Before:
        # the numbering walked 0000002..0000101 one 400 "already exists" at a time (100
        # conflicts for 20 drafts).
        (ISSUE_17_NUMBERS, 102),
        # The highest number is on the oldest invoice, behind the 100 newest: only the
        # list sorted by number shows it.
        (["0000200"] + [f"{n:07d}" for n in range(1, 101)], 201),
    ],
    ids=["issue-17", "highest-is-oldest"],
)
async def test_loopback_client_numbering_starts_after_the_highest_number_in_use(
    account: list[str], first: int
) -> None:
    sandbox = Sandbox(seed_clients=CLIENTS, seed=17)
    await number_the_account(sandbox, account)
    async with (
        SandboxServer(sandbox) as server,
        FreshBooksClient(sandbox.token, base_url=server.url) as client,
    ):
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(20), numbering="client", concurrency=4
        )
    assert result.ok, result.counts
    assert result.conflicts == 0
    numbers = sorted(inv.invoice_number or "" for inv in result.created)
    assert numbers == [f"{n:07d}" for n in range(first, first + 20)]
    assert_exactly_once(result, sandbox, skip=len(account))


# --------------------------------------------------------------------------- crash recovery

GETS = "GET /accounting/account/*/invoices/invoices"


def recording(sandbox: Sandbox, events: list[tuple[str, str]]) -> MockTransport:
    """A transport that logs ``("post", reference)`` as each POST reaches the server."""

    async def handle(request: Request) -> Response:
        if request.method == "POST":
            events.append(("post", request.headers["X-Client-Reference"]))
        else:
            events.append(("get", request.url.query_string))
        return await sandbox.handle(request)

    return MockTransport(handle)


async def create_directly(
    client: FreshBooksClient, draft: dict[str, Any], reference: str, **fields: Any
) -> int:
    """An invoice made outside the bulk call (an earlier, killed call's POST that landed)."""
    response = await client.request(
        "POST",
        f"/accounting/account/{ACCOUNT}/invoices/invoices",
        json={"invoice": {**draft, **fields}},
        headers={"X-Client-Reference": reference},
    )
    ident: int = response.data["invoice"]["id"]
    return ident


async def test_on_send_runs_right_before_each_post_and_never_for_invalid_drafts() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS, faults=[f"conflict:count=2:route={POST}"])
    events: list[tuple[str, str]] = []
    sends: list[BulkSend] = []

    clock = FakeClock()
    stamps: list[float] = []

    def on_send(send: BulkSend) -> None:
        sends.append(send)
        stamps.append(clock.time())
        events.append(("send", send.reference))

    batch: list[Any] = drafts(4)
    batch.insert(2, {"customerid": 1})  # invalid: never sent, never journaled
    async with FreshBooksClient(
        sandbox.token, transport=recording(sandbox, events), clock=clock
    ) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, batch, concurrency=1, on_send=on_send, numbering="client"
        )
    assert result.counts["created"] == 4
    posts = [i for i, event in enumerate(events) if event[0] == "post"]
    assert len(posts) == 6  # 4 drafts + 2 injected 409s
    for i in posts:  # the journal entry comes first, for the same reference
        assert events[i - 1] == ("send", events[i][1])
    assert len(sends) == 6
    assert [s.sent_at for s in sends] == stamps  # the client's clock, as the POST leaves
    assert clock.sleeps  # the 409 backoffs moved it
    assert 2 not in {s.index for s in sends}
    for index in (0, 1, 3, 4):  # attempts count up per draft (the 409s were retried)
        attempts = [s.attempt for s in sends if s.index == index]
        assert attempts == list(range(1, len(attempts) + 1))
        assert attempts[-1] == next(i.attempts for i in result.items if i.index == index)
    by_index = {i.index: i for i in result.items}
    last = {s.index: s for s in sends}
    for index, send in last.items():
        invoice = by_index[index].invoice
        assert invoice is not None
        assert send.invoice_number == invoice.invoice_number  # client numbering: known
        assert send.reference == by_index[index].reference
        assert send.baseline == 0  # empty account
        assert send.reference_field is None


async def test_a_failing_journal_sends_nothing_more_and_stops() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS)
    calls = 0

    def on_send(send: BulkSend) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError(28, "No space left on device")

    async with in_process(sandbox, clock=FakeClock()) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(6), concurrency=1, on_send=on_send
        )
    assert [i.status for i in result.items] == [BulkStatus.CREATED] * 2 + [
        BulkStatus.NOT_ATTEMPTED
    ] * 4
    assert isinstance(result.items[2].error, OSError)
    assert result.items[2].attempts == 0
    assert result.attempts == 2
    assert result.stopped
    assert len(sandbox.ledger) == 2


async def test_references_are_used_and_validated() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS)
    refs = ["line-1-abc", "line-2-def", "line-3-0a1"]
    async with in_process(sandbox) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(3), references=refs, reference_field="po_number"
        )
        assert [i.reference for i in result.items] == refs
        assert [inv.po_number for inv in result.created] == refs
        assert sorted(e.client_reference or "" for e in sandbox.ledger) == sorted(refs)
        bad: list[tuple[dict[str, Any], type[Exception], str]] = [
            ({"references": ["a", "b"]}, ValueError, "one per draft"),
            ({"references": ["a", "a", "b"]}, ValueError, "twice"),
            ({"references": ["a", "", "b"]}, TypeError, "item 1"),
            ({"references": "abc"}, TypeError, "references"),
            ({"in_doubt": {3: BulkSend(index=0, reference="a")}}, ValueError, "key 3"),
            ({"in_doubt": {0: "a"}}, TypeError, r"in_doubt\[0\]"),
            ({"in_doubt": [1]}, TypeError, "in_doubt"),
            ({"claimed_ids": ["1"]}, TypeError, "claimed_ids"),
            ({"post_unresolved": 1}, TypeError, "post_unresolved"),
            ({"on_send": 5}, TypeError, "on_send"),
        ]
        for kwargs, error, match in bad:
            with pytest.raises(error, match=match):
                await bulk_create_invoices(client, ACCOUNT, drafts(3), **kwargs)
    bad_sends: list[tuple[dict[str, Any], type[Exception], str]] = [
        ({"index": -1, "reference": "a"}, ValueError, "index"),
        ({"index": 0, "reference": ""}, TypeError, "reference"),
        ({"index": 0, "reference": "a", "invoice_number": 7}, TypeError, "invoice_number"),
        ({"index": 0, "reference": "a", "attempt": 0}, ValueError, "attempt"),
        ({"index": 0, "reference": "a", "reference_field": "lines"}, ValueError, "field"),
        ({"index": 0, "reference": "a", "baseline": -2}, ValueError, "baseline"),
        ({"index": 0, "reference": "a", "sent_at": float("nan")}, ValueError, "sent_at"),
    ]
    for kwargs, error, match in bad_sends:
        with pytest.raises(error, match=match):
            BulkSend(**kwargs)
    assert len(sandbox.ledger) == 3


async def test_in_doubt_by_number_found_absent_or_someone_elses() -> None:
    """Client numbering after a crash: each in-doubt draft is looked up by the number its
    last POST carried, before anything is posted."""
    sandbox = Sandbox(seed_clients=CLIENTS)
    batch = drafts(4)
    refs = [f"ref-{i}" for i in range(4)]
    events: list[tuple[str, str]] = []
    clock = FakeClock()
    async with FreshBooksClient(
        sandbox.token, transport=recording(sandbox, events), clock=clock
    ) as client:
        # The killed call: draft 0 (number 1) landed; draft 1 (number 2) never arrived;
        # number 3 went to someone else's invoice, so draft 2's POST was refused.
        landed = await create_directly(client, batch[0], refs[0], invoice_number="0000001")
        await create_directly(client, drafts(1, 90)[0], "someone", invoice_number="0000003")
        sent_at = clock.time() - 0.5
        in_doubt = {
            i: BulkSend(index=i, reference=refs[i], invoice_number=f"{i + 1:07d}", sent_at=sent_at)
            for i in range(3)
        }
        events.clear()
        result = await bulk_create_invoices(
            client,
            ACCOUNT,
            batch,
            numbering="client",
            concurrency=2,
            references=refs,
            in_doubt=in_doubt,
            reconcile_delay=2.0,
        )
    assert result.ok
    found, absent, taken, fresh = result.items
    assert found.reconciled
    assert found.attempts == 0
    assert found.invoice is not None
    assert found.invoice.id == landed
    assert not absent.reconciled
    assert absent.attempts == 1
    assert taken.attempts == 1
    assert taken.invoice is not None
    assert taken.invoice.invoice_number != "0000003"
    assert fresh.attempts == 1
    assert result.reconciled == 1
    assert clock.sleeps[0] == pytest.approx(1.5)  # until 2 s after the last earlier send
    first_post = next(i for i, e in enumerate(events) if e[0] == "post")
    lookups = [i for i, e in enumerate(events) if "search" in e[1]]
    assert len(lookups) == 3
    assert max(lookups) < first_post  # reconciled before anything is posted
    summary = sandbox.ledger_summary()
    assert summary["duplicated_references"] == []
    assert summary["duplicate_numbers"] == []
    assert len(sandbox.ledger) == 5  # 4 drafts once each + someone else's


async def test_in_doubt_by_fingerprint_skips_claimed_and_older_invoices() -> None:
    """Server numbering, no reference field: the earlier call's baseline bounds the
    search, and invoices already recorded for other drafts are never taken."""
    sandbox = Sandbox(seed_clients=CLIENTS)
    same = drafts(1)[0]
    batch = [dict(same), dict(same), drafts(1, 50)[0]]  # two identical drafts
    async with in_process(sandbox, clock=FakeClock()) as client:
        older = await create_directly(client, same, "before-the-call")  # not ours
        baseline = older
        recorded = await create_directly(client, same, "other-line")  # another line's
        landed = await create_directly(client, same, "ref-0")  # ours, unrecorded
        in_doubt = {i: BulkSend(index=i, reference=f"ref-{i}", baseline=baseline) for i in range(3)}
        result = await bulk_create_invoices(
            client,
            ACCOUNT,
            batch,
            concurrency=1,
            references=["ref-0", "ref-1", "ref-2"],
            in_doubt=in_doubt,
            claimed_ids=[recorded],
        )
    assert result.ok
    first, second, third = result.items
    assert first.reconciled
    assert first.invoice is not None
    assert first.invoice.id == landed
    assert not second.reconciled  # the only other match is claimed
    assert second.attempts == 1
    assert not third.reconciled
    assert third.attempts == 1
    assert sandbox.ledger_summary()["duplicated_references"] == []
    assert len(sandbox.ledger) == 5


async def test_in_doubt_by_the_reference_field_it_was_written_to() -> None:
    sandbox = Sandbox(seed_clients=CLIENTS)
    batch = drafts(2)
    async with in_process(sandbox, clock=FakeClock()) as client:
        landed = await create_directly(client, batch[0], "r0", po_number="r0")
        in_doubt = {
            i: BulkSend(index=i, reference=f"r{i}", reference_field="po_number") for i in range(2)
        }
        # This call does not use a reference field: the earlier send's is used.
        result = await bulk_create_invoices(
            client, ACCOUNT, batch, references=["r0", "r1"], in_doubt=in_doubt
        )
    assert result.ok
    assert result.items[0].reconciled
    assert result.items[0].invoice is not None
    assert result.items[0].invoice.id == landed
    assert result.items[1].attempts == 1
    assert len(sandbox.ledger) == 2  # r0 before the call, r1 in it
    assert sandbox.ledger_summary()["duplicated_references"] == []


@pytest.mark.parametrize("post_unresolved", [False, True])
async def test_unresolvable_in_doubt_drafts_are_unknown_unless_told(
    post_unresolved: bool,
) -> None:
    sandbox = Sandbox(
        seed_clients=CLIENTS, faults=[f"503:after=2:route={GETS}"]
    )  # the reads of the newest invoice and of the numbers in use pass
    retry = RetryPolicy(max_retries=0)
    async with in_process(sandbox, clock=FakeClock(), retry=retry) as client:
        in_doubt = {
            0: BulkSend(index=0, reference="r0", invoice_number="0000001"),  # look-up fails
            1: BulkSend(index=1, reference="r1"),  # nothing to look it up by
        }
        result = await bulk_create_invoices(
            client,
            ACCOUNT,
            drafts(3),
            numbering="client",
            references=["r0", "r1", "r2"],
            in_doubt=in_doubt,
            post_unresolved=post_unresolved,
        )
    statuses = [i.status for i in result.items]
    if post_unresolved:
        assert statuses == [BulkStatus.CREATED] * 3
        assert len(sandbox.ledger) == 3
    else:
        assert statuses == [BulkStatus.UNKNOWN, BulkStatus.UNKNOWN, BulkStatus.CREATED]
        assert isinstance(result.items[0].error, ServerError)
        assert isinstance(result.items[1].error, LookupError)
        assert "no invoice number, reference field or baseline" in str(result.items[1].error)
        assert [e.client_reference for e in sandbox.ledger] == ["r2"]


#: The fields FreshBooks always sends on an invoice.
_INVOICE: dict[str, Any] = {
    "accountid": "ACC001",
    "customerid": 1,
    "organization": "Org",
    "create_date": "2024-01-05",
    "status": 2,
    "display_status": "sent",
    "vis_state": 0,
    "amount": {"amount": "10.00", "code": "USD"},
    "paid": {"amount": "0.00", "code": "USD"},
    "outstanding": {"amount": "10.00", "code": "USD"},
    "discount_total": {"amount": "0.00", "code": "USD"},
}


def _latest(number: str, ident: int) -> Response:
    return Router.json(
        {
            "response": {
                "result": {
                    "invoices": [
                        {**_INVOICE, "id": ident, "invoiceid": ident, "invoice_number": number}
                    ],
                    "page": 1,
                    "pages": 1,
                    "per_page": 1,
                    "total": 1,
                }
            }
        }
    )


def _conflict() -> Response:
    return Router.json({"response": {"errors": [{"errno": 409, "message": "Conflict"}]}}, 409)


def _created(request: Request, params: dict[str, str]) -> Response:
    import json

    sent = json.loads(request.body)["invoice"]
    sent.pop("lines", None)
    created = {**_INVOICE, "id": 99, "invoiceid": 99, **sent}
    return Router.json({"response": {"result": {"invoice": created}}})


async def test_client_numbering_retries_a_409_with_the_same_number() -> None:
    # A 409 means "being modified by another request" (DOCS:errors), not "number taken":
    # the draft keeps its number (no gap in the numbering) and nothing is re-read.
    router = Router()
    latest = router.get(INVOICES, _latest("0000010", 10))
    posts = router.post(INVOICES, _conflict(), _created)
    async with FreshBooksClient(
        "tok-for-tests", transport=MockTransport(router), clock=FakeClock()
    ) as client:
        result = await bulk_create_invoices(client, ACCOUNT, drafts(1), numbering="client")
    assert result.ok, result.counts
    numbers = [json_body(r)["invoice"]["invoice_number"] for r in posts.calls]
    assert numbers == ["0000011", "0000011"]
    assert latest.call_count == 2  # the initial reads only (newest, numbers): no re-read
    assert result.items[0].invoice is not None
    assert result.items[0].invoice.invoice_number == "0000011"


async def test_client_numbering_renumbers_after_a_second_409_for_one_number() -> None:
    router = Router()
    latest = router.get(
        INVOICES, _latest("0000010", 10), _latest("0000010", 10), _latest("0000020", 20)
    )
    posts = router.post(INVOICES, _conflict(), _conflict(), _created)
    async with FreshBooksClient(
        "tok-for-tests", transport=MockTransport(router), clock=FakeClock()
    ) as client:
        result = await bulk_create_invoices(client, ACCOUNT, drafts(1), numbering="client")
    assert result.ok, result.counts
    numbers = [json_body(r)["invoice"]["invoice_number"] for r in posts.calls]
    assert numbers == ["0000011", "0000011", "0000021"]  # re-read: past someone's 0000020
    assert latest.call_count == 3


class Numbers:
    """A GET handler for the invoice list: newest first by default, by number with
    ``sort=invoice_number_desc`` (or a 400 for the sort, like a server without it)."""

    def __init__(self, *numbers: str, sort: bool = True) -> None:
        self.numbers = list(numbers)  # oldest first
        self.sort = sort
        self.queries: list[dict[str, str]] = []

    def __call__(self, request: Request, params: dict[str, str]) -> Response:
        query = dict(request.url.query)
        self.queries.append(query)
        listed = list(enumerate(self.numbers, start=1))[::-1]
        if "sort" in query:
            if not self.sort:
                error = {"errno": 1037, "field": "sort", "message": "Unknown sort field."}
                return Router.json({"response": {"errors": [error]}}, 400)
            assert query["sort"] == "invoice_number_desc"
            listed.sort(key=lambda pair: pair[1], reverse=True)
        size = int(query.get("per_page", 15))
        invoices = [{"id": ident, "invoice_number": number} for ident, number in listed[:size]]
        result = {"invoices": invoices, "page": 1, "pages": 1, "per_page": size}
        return Router.json({"response": {"result": {**result, "total": len(listed)}}})


def _exists(request: Request, params: dict[str, str]) -> Response:
    number = json_body(request)["invoice"]["invoice_number"]
    error = {
        "errno": 1029,
        "field": "invoice_number",
        "message": f"Invoice number '{number}' already exists.",
    }
    return Router.json({"response": {"errors": [error]}}, 400)


async def test_client_numbering_starts_after_the_highest_number_in_use() -> None:
    router = Router()
    numbers = Numbers(*ISSUE_17_NUMBERS)
    router.get(INVOICES, numbers)
    posts = router.post(INVOICES, _created)
    async with FreshBooksClient(
        "tok-for-tests", transport=MockTransport(router), clock=FakeClock()
    ) as client:
        result = await bulk_create_invoices(client, ACCOUNT, drafts(3), numbering="client")
    assert result.ok, result.counts
    assert [json_body(r)["invoice"]["invoice_number"] for r in posts.calls] == [
        "0000102",
        "0000103",
        "0000104",
    ]
    assert result.conflicts == 0
    by_number = [q for q in numbers.queries if q.get("sort") == "invoice_number_desc"]
    assert len(by_number) == 1
    assert by_number[0]["per_page"] == "100"


async def test_client_numbering_reads_newest_first_where_the_sort_is_refused() -> None:
    # Without the sort, the 100 newest invoices still hold the highest number here; a
    # collision re-reads (without asking for the sort again) and jumps past the highest.
    router = Router()
    numbers = Numbers(*ISSUE_17_NUMBERS, sort=False)
    router.get(INVOICES, numbers)

    def taken_meanwhile(request: Request, params: dict[str, str]) -> Response:
        numbers.numbers += [f"{n:07d}" for n in range(102, 151)]  # another app's
        return _exists(request, params)

    posts = router.post(INVOICES, taken_meanwhile, _created)
    async with FreshBooksClient(
        "tok-for-tests", transport=MockTransport(router), clock=FakeClock()
    ) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(1), numbering="client", concurrency=1
        )
    assert result.ok, result.counts
    assert [json_body(r)["invoice"]["invoice_number"] for r in posts.calls] == [
        "0000102",
        "0000151",
    ]
    assert result.conflicts == 1
    assert [q.get("sort") for q in numbers.queries].count("invoice_number_desc") == 1


async def test_a_collision_jumps_past_the_highest_number_not_the_newest() -> None:
    # Another app created 0000011..0000060 and then 0000012 again elsewhere... the newest
    # invoice's number (0000005, created last) says nothing about what is taken.
    router = Router()
    numbers = Numbers("0000001", "0000002", "0000005")
    router.get(INVOICES, numbers)

    def taken_meanwhile(request: Request, params: dict[str, str]) -> Response:
        numbers.numbers[:0] = [f"{n:07d}" for n in range(6, 61)]  # older ids, higher numbers
        return _exists(request, params)

    posts = router.post(INVOICES, taken_meanwhile, _created)
    async with FreshBooksClient(
        "tok-for-tests", transport=MockTransport(router), clock=FakeClock()
    ) as client:
        result = await bulk_create_invoices(
            client, ACCOUNT, drafts(1), numbering="client", concurrency=1
        )
    assert result.ok, result.counts
    assert [json_body(r)["invoice"]["invoice_number"] for r in posts.calls] == [
        "0000006",
        "0000061",
    ]


def json_body(request: Request) -> dict[str, Any]:
    import json

    body: dict[str, Any] = json.loads(request.body)
    return body
