"""Paginator tests: order, window, early exit, cancellation, failures, changing data,
every family's list shape, checkpoints. In-process (MockTransport + FakeClock): zero wall
time; resuming an interrupted job also runs over loopback against the sandbox."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from freshbooks_async import FreshBooksClient, RetryPolicy
from freshbooks_async.errors import NotFoundError, PageFetchError, ResponseDecodeError, ServerError
from freshbooks_async.pagination import (
    Checkpoint,
    Page,
    Paginator,
    item_id,
    page_from_response,
    pages_bound,
    paginate,
)
from freshbooks_async.sandbox import SandboxServer
from freshbooks_async.testing import FakeClock, MockTransport, Router
from freshbooks_async.transports import Request, Response

FIXTURES = Path(__file__).parent / "fixtures" / "python-sdk"
INVOICES = "/accounting/account/ABC/invoices/invoices"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def query_int(request: Request, key: str, default: int) -> int:
    return int(request.url.query.get(key, default))


def invoice_json(ident: int) -> dict[str, Any]:
    """An invoice with the fields FreshBooks always sends."""
    return {
        "id": ident,
        "invoiceid": ident,
        "invoice_number": f"{ident:07d}",
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


class Listing:
    """An accounting list endpoint over a mutable list of items, with instrumentation."""

    def __init__(self, total: int, key: str = "invoices") -> None:
        self.data: list[dict[str, Any]] = [{"id": i} for i in range(1, total + 1)]
        self.key = key
        self.in_flight = 0
        self.max_in_flight = 0
        self.requested: list[int] = []
        self.cancelled: list[int] = []
        self.gates: dict[int, asyncio.Event] = {}  # page -> wait for it before answering
        self.before_answer: Callable[[int], None] | None = None

    def body(self, page: int, per_page: int) -> dict[str, Any]:
        total = len(self.data)
        chunk = self.data[(page - 1) * per_page : page * per_page]
        return {
            "response": {
                "result": {
                    self.key: chunk,
                    "page": page,
                    "pages": max(1, math.ceil(total / per_page)),
                    "per_page": per_page,
                    "total": total,
                }
            }
        }

    async def __call__(self, request: Request, params: dict[str, str]) -> Response:
        page = query_int(request, "page", 1)
        per_page = query_int(request, "per_page", 30)
        self.requested.append(page)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            for _ in range(3):
                await asyncio.sleep(0)
            gate = self.gates.get(page)
            if gate is not None:
                await gate.wait()
            if self.before_answer is not None:
                self.before_answer(page)
            return Router.json(self.body(page, per_page))
        except asyncio.CancelledError:
            self.cancelled.append(page)
            raise
        finally:
            self.in_flight -= 1


def make_client(router: Router, **kwargs: Any) -> FreshBooksClient:
    clock = kwargs.pop("clock", FakeClock())
    return FreshBooksClient(
        "token-for-tests", transport=MockTransport(router), clock=clock, **kwargs
    )


@pytest.fixture
def listing() -> Listing:
    return Listing(1050)


@pytest.fixture
async def client_for(listing: Listing) -> AsyncIterator[FreshBooksClient]:
    router = Router()
    router.get(INVOICES, listing)
    async with make_client(router) as client:
        yield client


def other_tasks() -> set[asyncio.Task[Any]]:
    return {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


# --------------------------------------------------------------------------- order, window


async def test_items_in_page_order_with_bounded_window(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    paginator = paginate(client_for, INVOICES, items_key="invoices", concurrency=4)
    ids = [item["id"] async for item in paginator]
    assert ids == list(range(1, 1051))
    assert sorted(listing.requested) == list(range(1, 12))  # 11 pages, each once
    assert listing.requested[0] == 1
    assert listing.max_in_flight == 4


@pytest.mark.parametrize("concurrency", [1, 3, 10, 25])
async def test_window_never_exceeds_concurrency(
    client_for: FreshBooksClient, listing: Listing, concurrency: int
) -> None:
    pages = [p async for p in paginate(client_for, INVOICES, concurrency=concurrency).pages()]
    assert [p.page for p in pages] == list(range(1, 12))
    assert listing.max_in_flight == min(concurrency, 10)  # pages 2..11 after page 1
    assert all(p.pages == 11 and p.total == 1050 and p.per_page == 100 for p in pages)


async def test_next_request_starts_before_a_page_is_decoded(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    # The window counts requests on the wire: once page N's response is in, page N + C
    # is requested before page N's items are decoded (decode overlaps the next wait).
    requested_when_decoded: dict[int, list[int]] = {}

    def decode(item: dict[str, Any]) -> int:
        page = (item["id"] - 1) // 100 + 1
        requested_when_decoded.setdefault(page, list(listing.requested))
        return int(item["id"])

    ids = [i async for i in paginate(client_for, INVOICES, decode=decode, concurrency=1)]
    assert ids == list(range(1, 1051))
    assert listing.requested == list(range(1, 12))
    # Page 1 is read alone (it tells the count); page 2 starts before page 1 is decoded.
    assert requested_when_decoded[1] == [1, 2]
    for page in range(2, 11):
        assert requested_when_decoded[page] == list(range(1, page + 2)), page
    assert requested_when_decoded[11] == list(range(1, 12))  # nothing after the last
    assert listing.max_in_flight == 1


async def test_responses_arriving_during_a_decode_refill_their_slots_before_it_ends(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    # Decoding a page takes CPU on the loop's thread: between chunks of items the
    # consumer lets the loop read responses that came in and send the requests their
    # freed slots allow, instead of holding them until the whole page is decoded.
    requested_at: dict[int, list[int]] = {}

    def decode(item: dict[str, Any]) -> int:
        requested_at[item["id"]] = list(listing.requested)
        return int(item["id"])

    ids = [i async for i in paginate(client_for, INVOICES, decode=decode, concurrency=2)]
    assert ids == list(range(1, 1051))
    assert requested_at[1] == [1, 2, 3]  # the window was out before page 1's decode
    # By page 1's last item, pages 2 and 3 had answered and 4 and 5 had gone out (the
    # window: 2 on the wire, at most 2 x 2 pages held).
    assert requested_at[100] == [1, 2, 3, 4, 5]
    assert listing.max_in_flight == 2


async def test_pages_after_a_slow_one_are_decoded_while_it_is_on_the_wire(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    # Page 2 answers only once page 4 has been decoded: the consumer, waiting for page 2,
    # decodes pages 3 and 4 as they arrive, and still yields every item in order.
    listing.gates[2] = asyncio.Event()
    decoded: list[int] = []

    def decode(item: dict[str, Any]) -> int:
        ident = int(item["id"])
        decoded.append(ident)
        if ident == 400:
            listing.gates[2].set()
        return ident

    async def scan() -> list[int]:
        return [i async for i in paginate(client_for, INVOICES, decode=decode, concurrency=3)]

    ids = await asyncio.wait_for(scan(), timeout=30)
    assert ids == list(range(1, 1051))
    assert decoded[:300] == [*range(1, 101), *range(201, 401)]  # page 2 was still out
    assert decoded.index(101) > decoded.index(400)
    assert sorted(decoded) == list(range(1, 1051))  # each item decoded once
    assert listing.max_in_flight == 3


async def test_each_page_is_decoded_in_its_task_as_soon_as_its_response_is_in(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    # The last wave: pages 2..5 of 5 answer in one loop turn (one gate). Each is parsed
    # and decoded by the task that fetched it right after its response, before the next
    # task reads its own: what is left after the last response is one page's work, not
    # the whole wave's. Nothing is left to request, so no turn is yielded in between.
    listing.data = listing.data[:500]
    gate = asyncio.Event()
    for page in range(2, 6):
        listing.gates[page] = gate
    log: list[tuple[str, int]] = []
    listing.before_answer = lambda page: log.append(("answer", page))

    page_1_decoded = asyncio.Event()

    def decode(item: dict[str, Any]) -> int:
        ident = int(item["id"])
        if ident % 100 == 1:
            log.append(("decode", (ident - 1) // 100 + 1))
        if ident == 100:
            page_1_decoded.set()
        return ident

    async def release() -> None:
        await page_1_decoded.wait()
        await settle()  # the consumer waits for page 2
        assert listing.requested == [1, 2, 3, 4, 5]
        gate.set()

    releaser = asyncio.create_task(release())
    ids = [i async for i in paginate(client_for, INVOICES, decode=decode, concurrency=4)]
    await releaser
    assert ids == list(range(1, 501))
    assert log[2:] == [(event, page) for page in range(2, 6) for event in ("answer", "decode")]


async def test_pages_are_decoded_before_the_consumer_asks_for_them(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    # While the consumer is busy with page 1's items, the window's responses come in:
    # their pages are decoded by then, not when the consumer reaches them.
    decoded: list[int] = []

    def decode(item: dict[str, Any]) -> int:
        decoded.append(int(item["id"]))
        return int(item["id"])

    answered: list[int] = []
    decoded_when_asked: list[int] = []
    async for ident in paginate(client_for, INVOICES, decode=decode, concurrency=3):
        if ident == 100:
            for _ in range(100):  # the consumer's own work: the window answers
                await asyncio.sleep(0)
            assert listing.in_flight == 0
            answered = list(listing.requested)
        if ident == 101:
            decoded_when_asked = list(decoded)
    # Pages 2..4 (the window), and 5..7 that their slots made room for, answered
    # meanwhile. Pages 2..4 were decoded as they came in; 5..7 found the buffer full
    # (2 x 3 pages held), so the consumer decodes each once it has requested the next.
    assert answered == list(range(1, 8))
    assert decoded_when_asked == list(range(1, 401))
    assert sorted(decoded) == list(range(1, 1051))  # each item decoded once


async def test_a_page_decoded_ahead_that_fails_raises_when_its_turn_comes(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    listing.gates[2] = asyncio.Event()

    def decode(item: dict[str, Any]) -> int:
        ident = int(item["id"])
        if ident == 201:  # page 3, decoded while page 2 is still out
            listing.gates[2].set()
            raise ValueError("bad item 201")
        return ident

    got: list[int] = []

    async def consume() -> None:
        async for ident in paginate(client_for, INVOICES, decode=decode, concurrency=3):
            got.append(ident)

    with pytest.raises(PageFetchError) as info:
        await asyncio.wait_for(consume(), timeout=30)
    assert info.value.page == 3
    assert "bad item 201" in str(info.value.__cause__)
    assert got == list(range(1, 201))  # pages 1 and 2 first, in full
    await settle()
    assert other_tasks() == set()


async def test_window_starts_before_the_consumer_gets_page_1(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    requested_at_first_item: list[int] = []
    async with contextlib.aclosing(paginate(client_for, INVOICES, concurrency=4).items()) as it:
        async for _item in it:
            requested_at_first_item = list(listing.requested)
            break
    assert requested_at_first_item == [1, 2, 3, 4, 5]


async def test_a_page_that_fails_to_decode_raises_page_fetch_error_after_earlier_pages(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    from freshbooks_async.models import Invoice, decode

    listing.data = [invoice_json(i) for i in range(1, len(listing.data) + 1)]
    listing.data[250]["amount"] = {"amount": [], "code": "USD"}  # item 251: page 3
    got: list[int] = []

    async def consume() -> None:
        async for invoice in paginate(
            client_for, INVOICES, decode=lambda x: decode(Invoice, x), concurrency=4
        ):
            assert isinstance(invoice.id, int)
            got.append(invoice.id)

    with pytest.raises(PageFetchError) as info:
        await consume()
    assert info.value.page == 3
    assert "amount" in str(info.value.__cause__)
    assert got == list(range(1, 201))  # pages 1 and 2, in full, first


async def test_page_1_failing_to_decode_cancels_the_started_window(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    # The window starts before page 1 is decoded; a decode failure there must still
    # leave no request or task behind.
    from freshbooks_async.models import Invoice, decode

    for page in range(2, 12):
        listing.gates[page] = asyncio.Event()  # in flight until cancelled
    listing.data[5]["amount"] = {"amount": [], "code": "USD"}
    before = other_tasks()
    with pytest.raises(PageFetchError) as info:
        await paginate(
            client_for, INVOICES, decode=lambda x: decode(Invoice, x), concurrency=3
        ).collect()
    assert info.value.page == 1
    await settle()
    assert other_tasks() == before
    assert sorted(listing.cancelled) == [2, 3, 4]
    assert listing.in_flight == 0


async def test_unordered_yields_pages_as_they_complete(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    listing.gates[2] = asyncio.Event()  # page 2 is slow: later pages overtake it

    def release(page: int) -> None:
        if page == 7:
            listing.gates[2].set()

    listing.before_answer = release
    seen = [
        p.page async for p in paginate(client_for, INVOICES, concurrency=4, ordered=False).pages()
    ]
    assert sorted(seen) == list(range(1, 12))
    assert seen[0] == 1
    assert seen.index(4) < seen.index(2)


async def test_ordered_mode_waits_for_the_slow_page(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    listing.gates[2] = asyncio.Event()
    listing.before_answer = lambda page: listing.gates[2].set() if page == 5 else None
    seen = [p.page async for p in paginate(client_for, INVOICES, concurrency=4).pages()]
    assert seen == list(range(1, 12))


async def test_await_reads_only_the_first_page(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    page = await paginate(client_for, INVOICES, per_page=50, start_page=3)
    assert isinstance(page, Page)
    assert page.page == 3
    assert [i["id"] for i in page.items] == list(range(101, 151))
    assert page.has_next
    assert listing.requested == [3]


async def test_collect_and_rescan(client_for: FreshBooksClient, listing: Listing) -> None:
    paginator = paginate(client_for, INVOICES, concurrency=2)
    first = await paginator.collect()
    second = await paginator.collect()  # each iteration is a fresh scan
    assert first == second == listing.data
    assert len(listing.requested) == 22


async def test_start_page_and_max_items(client_for: FreshBooksClient, listing: Listing) -> None:
    paginator = paginate(client_for, INVOICES, start_page=3, max_items=150, concurrency=8)
    ids = [item["id"] async for item in paginator]
    assert ids == list(range(201, 351))
    # Only the pages that can contribute are requested: 3 and 4.
    assert sorted(listing.requested) == [3, 4]


async def test_max_items_zero_sends_nothing(client_for: FreshBooksClient, listing: Listing) -> None:
    assert await paginate(client_for, INVOICES, max_items=0).collect() == []
    assert listing.requested == []


async def test_start_page_past_the_end(client_for: FreshBooksClient, listing: Listing) -> None:
    assert await paginate(client_for, INVOICES, start_page=40).collect() == []
    assert listing.requested == [40]


async def test_empty_collection() -> None:
    router = Router()
    empty = Listing(0)
    router.get(INVOICES, empty)
    async with make_client(router) as client:
        assert await paginate(client, INVOICES).collect() == []
    assert empty.requested == [1]


# --------------------------------------------------------------------------- leaving early


async def test_break_cancels_in_flight_requests_and_leaks_no_task(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    for page in range(3, 12):
        listing.gates[page] = asyncio.Event()  # never released: these stay in flight
    before = other_tasks()
    paginator = paginate(client_for, INVOICES, concurrency=5)
    got = []
    async for item in paginator:
        got.append(item["id"])
        if item["id"] == 150:
            break
    await settle()
    assert got == list(range(1, 151))
    assert other_tasks() == before
    # Page 2 finished, so its slot was refilled at once: 5 requests were in flight.
    assert sorted(listing.cancelled) == [3, 4, 5, 6, 7]
    assert listing.in_flight == 0


async def test_aclosing_cancels_at_once(client_for: FreshBooksClient, listing: Listing) -> None:
    for page in range(3, 12):
        listing.gates[page] = asyncio.Event()
    before = other_tasks()
    async with contextlib.aclosing(paginate(client_for, INVOICES, concurrency=3).items()) as it:
        async for item in it:
            if item["id"] == 101:
                break
    # No settling: aclose() awaited the cancelled requests.
    assert other_tasks() == before
    # Page 2's response freed its slot before page 2 was decoded: page 5 was on the wire.
    assert sorted(listing.cancelled) == [3, 4, 5]


async def test_exception_in_consumer_cancels_in_flight(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    for page in range(3, 12):
        listing.gates[page] = asyncio.Event()
    before = other_tasks()

    async def consume() -> None:
        async for item in paginate(client_for, INVOICES, concurrency=4):
            if item["id"] == 120:
                raise KeyError("consumer failed")

    with pytest.raises(KeyError):
        await consume()
    await settle()
    assert other_tasks() == before
    assert sorted(listing.cancelled) == [3, 4, 5, 6]  # the window was kept full


async def test_cancelling_the_consumer_cancels_in_flight(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    for page in range(2, 12):
        listing.gates[page] = asyncio.Event()
    before = other_tasks()
    received: list[int] = []

    async def consume() -> None:
        async for item in paginate(client_for, INVOICES, concurrency=6):
            received.append(item["id"])

    task = asyncio.create_task(consume())
    for _ in range(50):  # let page 1 finish and pages 2..7 start
        await asyncio.sleep(0)
    assert listing.in_flight == 6
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert received == list(range(1, 101))
    assert sorted(listing.cancelled) == [2, 3, 4, 5, 6, 7]
    assert other_tasks() == before
    assert listing.in_flight == 0


# --------------------------------------------------------------------------- failures


async def test_a_failing_page_is_retried_alone() -> None:
    listing = Listing(1050)
    failures = {4: 2}  # page 4 answers 503 twice, then succeeds

    async def flaky(request: Request, params: dict[str, str]) -> Response:
        page = query_int(request, "page", 1)
        if failures.get(page, 0) > 0:
            failures[page] -= 1
            listing.requested.append(page)
            return Router.json({"response": {"errors": [{"message": "down", "errno": 500}]}}, 503)
        return await listing(request, params)

    router = Router()
    router.get(INVOICES, flaky)
    clock = FakeClock()
    async with make_client(router, clock=clock) as client:
        pages = [p async for p in paginate(client, INVOICES, concurrency=4).pages()]
    assert [p.page for p in pages] == list(range(1, 12))
    assert [p.retries_taken for p in pages] == [0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]
    assert sorted(listing.requested) == [1, 2, 3, 4, 4, 4, *range(5, 12)]
    assert len(clock.sleeps) == 2  # the pipeline's backoff, on the fake clock


async def test_a_page_that_finally_fails_names_the_page_after_earlier_pages() -> None:
    listing = Listing(1050)

    async def broken(request: Request, params: dict[str, str]) -> Response:
        if query_int(request, "page", 1) == 4:
            return Router.json({"response": {"errors": [{"message": "down"}]}}, 503)
        return await listing(request, params)

    router = Router()
    router.get(INVOICES, broken)
    before = other_tasks()
    async with make_client(router, retry=RetryPolicy(max_retries=2)) as client:
        yielded: list[int] = []

        async def consume() -> None:
            async for page in paginate(client, INVOICES, concurrency=4).pages():
                yielded.append(page.page)

        with pytest.raises(PageFetchError) as caught:
            await consume()
    await settle()
    assert yielded == [1, 2, 3]
    assert caught.value.page == 4
    assert isinstance(caught.value.__cause__, ServerError)
    assert caught.value.retries_taken == 2
    assert "page 4" in str(caught.value)
    assert other_tasks() == before


async def test_first_page_failure_is_a_page_fetch_error() -> None:
    router = Router()
    router.get(INVOICES, Router.json({"response": {"errors": [{"message": "nope"}]}}, 404))
    async with make_client(router) as client:
        with pytest.raises(PageFetchError) as caught:
            await paginate(client, INVOICES)
    assert caught.value.page == 1
    assert isinstance(caught.value.cause, NotFoundError)


async def test_unordered_failure_raises_and_cleans_up() -> None:
    async def fetch(number: int, per_page: int) -> Page[int]:
        await asyncio.sleep(0)
        if number == 3:
            raise ValueError("bad page")
        if number > 3:
            await asyncio.Event().wait()  # would hang forever
        return Page(items=(number,), page=number, pages=8, per_page=per_page)

    before = other_tasks()
    with pytest.raises(PageFetchError) as caught:
        await Paginator(fetch, per_page=1, concurrency=4, ordered=False).collect()
    assert caught.value.page == 3
    assert other_tasks() == before


async def test_fetch_page_must_return_a_page() -> None:
    async def fetch(number: int, per_page: int) -> Page[int]:
        return {"page": number}  # type: ignore[return-value]

    with pytest.raises(TypeError, match="must return a Page"):
        await Paginator(fetch).collect()


# --------------------------------------------------------------------------- changing data


async def test_insert_mid_scan_follows_new_count_and_dedupes(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    listing.data = listing.data[:300]  # 3 pages
    inserted = False

    def insert(page: int) -> None:
        nonlocal inserted
        if page == 2 and not inserted:
            inserted = True  # newest first: an insert at the front shifts every item
            listing.data.insert(0, {"id": 9999})
            listing.data.append({"id": 301})  # and one at the end: a 4th page

    listing.before_answer = insert
    ids = [i["id"] async for i in paginate(client_for, INVOICES, concurrency=1, dedupe=True)]
    assert sorted(listing.requested) == [1, 2, 3, 4]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(range(1, 302))  # 9999 landed on page 1, already read


async def test_insert_without_dedupe_repeats_an_item(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    listing.data = listing.data[:300]
    listing.before_answer = lambda page: (
        listing.data.insert(0, {"id": 9999}) if page == 2 and len(listing.data) == 300 else None
    )
    ids = [i["id"] async for i in paginate(client_for, INVOICES, concurrency=1)]
    assert ids.count(100) == 2  # the known hazard dedupe=True removes
    assert sorted(listing.requested) == [1, 2, 3, 4]  # the new count (301 -> 4 pages)


async def test_shrink_mid_scan_stops_early(client_for: FreshBooksClient, listing: Listing) -> None:
    listing.data = listing.data[:500]  # 5 pages
    listing.before_answer = lambda page: (
        listing.data.__delitem__(slice(250, None)) if page == 2 else None
    )
    pages = [p async for p in paginate(client_for, INVOICES, concurrency=1).pages()]
    assert [p.page for p in pages] == [1, 2, 3]
    assert sorted(listing.requested) == [1, 2, 3]


async def test_dedupe_key_and_item_id() -> None:
    async def fetch(number: int, per_page: int) -> Page[dict[str, int]]:
        items = ({"k": 1}, {"k": 2}) if number == 1 else ({"k": 2}, {"k": 3})
        return Page(items=items, page=number, pages=2, per_page=2)

    result = await Paginator(fetch, per_page=2, dedupe_key=lambda x: x["k"]).collect()
    assert result == [{"k": 1}, {"k": 2}, {"k": 3}]
    assert item_id({"id": 5}) == 5
    with pytest.raises(TypeError, match="dedupe_key"):
        item_id({"name": "x"})


async def test_unknown_page_count_reads_until_a_short_page() -> None:
    requested: list[int] = []

    async def fetch(number: int, per_page: int) -> Page[int]:
        requested.append(number)
        await asyncio.sleep(0)
        start = (number - 1) * per_page
        items = tuple(i for i in range(start, start + per_page) if i < 25)
        return Page(items=items, page=number, pages=None, per_page=per_page)

    for ordered in (True, False):
        requested.clear()
        items = await Paginator(fetch, per_page=10, concurrency=3, ordered=ordered).collect()
        assert sorted(items) == list(range(25))
        assert 3 in requested
        assert max(requested) <= 5  # look-ahead bounded by the window


# --------------------------------------------------------------------------- family shapes


async def test_accounting_fixture_shape() -> None:
    router = Router()
    router.get(
        "/accounting/account/{a}/users/clients", Router.json(fixture("list_clients_response.json"))
    )
    async with make_client(router) as client:
        pages = [p async for p in paginate(client, "/accounting/account/ABC/users/clients").pages()]
    assert len(pages) == 1
    assert (pages[0].page, pages[0].pages, pages[0].per_page, pages[0].total) == (1, 1, 15, 3)
    assert len(pages[0].items) == 3


async def test_events_fixture_shape() -> None:
    router = Router()
    router.get(
        "/events/account/{a}/events/callbacks",
        Router.json(fixture("list_callbacks_response.json")),
    )
    async with make_client(router) as client:
        items = await paginate(
            client, "/events/account/ABC/events/callbacks", items_key="callbacks"
        ).collect()
    assert [c["callbackid"] for c in items] == [
        c["callbackid"]
        for c in fixture("list_callbacks_response.json")["response"]["result"]["callbacks"]
    ]


@pytest.mark.parametrize(
    ("path", "name", "key"),
    [
        ("/projects/business/7/projects", "list_projects_response.json", "projects"),
        (
            "/timetracking/business/7/time_entries",
            "list_time_entries_response.json",
            "time_entries",
        ),
    ],
)
async def test_project_family_meta_shape(path: str, name: str, key: str) -> None:
    router = Router()
    router.get(path, Router.json(fixture(name)))
    async with make_client(router) as client:
        page = await paginate(client, path, items_key=key)
    assert page.pages == 1
    assert page.per_page == 30
    assert len(page.items) == fixture(name)["meta"]["total"]


async def test_project_family_multi_page_meta() -> None:
    data = [{"id": i} for i in range(1, 8)]

    def answer(request: Request, params: dict[str, str]) -> Response:
        page = query_int(request, "page", 1)
        per_page = query_int(request, "per_page", 30)
        meta = {"page": page, "per_page": per_page, "total": 7, "pages": 3, "sort": []}
        return Router.json(
            {"projects": data[(page - 1) * per_page : page * per_page], "meta": meta}
        )

    router = Router()
    router.get("/projects/business/{b}/projects", answer)
    async with make_client(router) as client:
        items = await paginate(client, "/projects/business/7/projects", per_page=3).collect()
    assert items == data


async def test_team_members_meta_without_pages() -> None:
    members = [{"uuid": f"u{i}"} for i in range(5)]

    def answer(request: Request, params: dict[str, str]) -> Response:
        page = query_int(request, "page", 1)
        per_page = query_int(request, "per_page", 30)
        chunk = members[(page - 1) * per_page : page * per_page]
        return Router.json(
            {"response": chunk, "meta": {"page": page, "per_page": per_page, "total": 5}}
        )

    router = Router()
    router.get("/auth/api/v1/businesses/{b}/team_members", answer)
    async with make_client(router) as client:
        pages = [
            p
            async for p in paginate(
                client,
                "/auth/api/v1/businesses/7/team_members",
                per_page=2,
                dedupe_key=lambda m: m["uuid"],
            ).pages()
        ]
    assert [p.page for p in pages] == [1, 2, 3]
    assert [m["uuid"] for p in pages for m in p.items] == [m["uuid"] for m in members]


async def test_unpaginated_ledger_list_is_one_page() -> None:
    path = "/accounting/businesses/uuid-1/ledger_accounts/accounts"
    router = Router()
    route = router.get(
        "/accounting/businesses/{u}/ledger_accounts/accounts",
        Router.json(fixture("list_ledger_accounts_response.json")),
    )
    async with make_client(router) as client:
        pages = [p async for p in paginate(client, path, concurrency=5).pages()]
    assert len(pages) == 1
    assert pages[0].pages == 1
    assert [a["name"] for a in pages[0].items] == [
        a["name"] for a in fixture("list_ledger_accounts_response.json")["data"]
    ]
    assert route.call_count == 1


async def test_list_key_differs_from_resource_name() -> None:
    body = {
        "response": {
            "result": {
                "categories": [{"id": 1}],
                "page": 1,
                "pages": 1,
                "per_page": 100,
                "total": 1,
            }
        }
    }
    router = Router()
    router.get("/accounting/account/{a}/expenses/categories", Router.json(body))
    async with make_client(router) as client:
        path = "/accounting/account/ABC/expenses/categories"
        assert await paginate(client, path, items_key="categories").collect() == [{"id": 1}]
        assert await paginate(client, path).collect() == [{"id": 1}]  # the only list
        with pytest.raises(PageFetchError) as caught:
            await paginate(client, path, items_key="expense_categories").collect()
    assert isinstance(caught.value.cause, ResponseDecodeError)
    assert "categories" in str(caught.value.cause)


async def test_decode_and_query_params() -> None:
    seen: list[Request] = []
    listing = Listing(5)

    async def answer(request: Request, params: dict[str, str]) -> Response:
        seen.append(request)
        return await listing(request, params)

    router = Router()
    router.get(INVOICES, answer)
    async with make_client(router) as client:
        ids = await paginate(
            client,
            INVOICES,
            decode=lambda item: int(item["id"]) * 10,
            params={"search[customerid]": 7, "include[]": ["lines"]},
            per_page=2,
        ).collect()
    assert ids == [10, 20, 30, 40, 50]
    query = seen[0].url.query
    assert query["search[customerid]"] == "7"
    assert query.getall("include[]") == ["lines"]
    assert query["page"] == "1"
    assert query["per_page"] == "2"


def test_page_from_response_validates() -> None:
    from freshbooks_async import APIResponse, Headers

    response = APIResponse(
        status=200, headers=Headers({}), data=[1, 2, 3], document=None, content=b""
    )
    page = page_from_response(response, lambda x: x, page=1)
    assert page.items == (1, 2, 3)
    assert page_from_response(response, lambda x: x, page=2).items == ()
    with pytest.raises(TypeError):
        page_from_response("nope", lambda x: x)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="per_page"):
        page_from_response(response, lambda x: x, per_page=101)
    with pytest.raises(ValueError, match="items_key"):
        page_from_response(response, lambda x: x, items_key="")


# --------------------------------------------------------------------------- arguments


async def _fetch_nothing(number: int, per_page: int) -> Page[int]:
    return Page(items=(), page=number, pages=1, per_page=per_page)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"per_page": 0}, ValueError, "per_page"),
        ({"per_page": 101}, ValueError, "per_page"),
        ({"per_page": 1.5}, TypeError, "per_page"),
        ({"start_page": 0}, ValueError, "start_page"),
        ({"concurrency": 0}, ValueError, "concurrency"),
        ({"concurrency": True}, TypeError, "concurrency"),
        ({"ordered": 1}, TypeError, "ordered"),
        ({"max_items": -1}, ValueError, "max_items"),
        ({"dedupe": "yes"}, TypeError, "dedupe"),
        ({"dedupe_key": 3}, TypeError, "dedupe_key"),
    ],
)
def test_paginator_validates_arguments(
    kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        Paginator(_fetch_nothing, **kwargs)


def test_paginator_needs_a_callable() -> None:
    with pytest.raises(TypeError, match="fetch_page"):
        Paginator(3)  # type: ignore[arg-type]


async def test_paginate_validates_arguments(client_for: FreshBooksClient) -> None:
    with pytest.raises(ValueError, match="path"):
        paginate(client_for, "no-slash")
    with pytest.raises(ValueError, match="page"):
        paginate(client_for, INVOICES, params={"page": 2})
    with pytest.raises(TypeError, match="client"):
        paginate(object(), INVOICES)  # type: ignore[call-overload]


def test_pages_bound() -> None:
    assert pages_bound(100, 10) == 11
    assert pages_bound(1, 4) == 1
    assert pages_bound(100, 1) == 100
    with pytest.raises(ValueError, match="concurrency"):
        pages_bound(3, 0)


def test_repr() -> None:
    assert "concurrency=4" in repr(Paginator(_fetch_nothing))


def test_a_page_is_a_sequence_of_its_items() -> None:
    page = Page(items=("a", "b", "c"), page=1, pages=1, per_page=3, total=3)
    assert list(page) == ["a", "b", "c"]
    seen: list[str] = []
    for item in page:  # iterable, typed: item is a str
        seen.append(item)
    assert seen == list(page.items)
    assert (page[0], page[-1], page[1:]) == ("a", "c", ("b", "c"))
    assert len(page) == 3
    empty: Page[str] = Page(items=(), page=2, pages=1, per_page=3)
    assert list(empty) == []
    assert not empty


# --------------------------------------------------------------------------- checkpoints


async def test_checkpoint_counts_items_handed_over(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    paginator = paginate(client_for, INVOICES, per_page=30, concurrency=3)
    assert paginator.checkpoint() == Checkpoint(page=1, offset=0, per_page=30)
    seen: list[Checkpoint] = []
    async for item in paginator:
        seen.append(paginator.checkpoint())
        if item["id"] == 65:
            break
    # After item 1 (page 1, offset 1) ... item 30 closes page 1 ... item 65 is 5th of page 3.
    assert seen[0] == Checkpoint(page=1, offset=1, per_page=30)
    assert seen[28] == Checkpoint(page=1, offset=29, per_page=30)
    assert seen[29] == Checkpoint(page=2, offset=0, per_page=30)
    assert seen[-1] == Checkpoint(page=3, offset=5, per_page=30)
    rest = paginate(client_for, INVOICES, resume=seen[-1])
    assert rest.per_page == 30
    assert rest.start_page == 3
    assert [i["id"] async for i in rest] == list(range(66, 1051))
    assert rest.checkpoint() == Checkpoint(page=36, offset=0, per_page=30)


async def test_checkpoint_by_pages_and_after_max_items(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    paginator = paginate(client_for, INVOICES, max_items=250)
    marks = [(page.page, paginator.checkpoint()) async for page in paginator.pages()]
    assert marks == [
        (1, Checkpoint(page=2)),
        (2, Checkpoint(page=3)),
        (3, Checkpoint(page=3, offset=50)),  # max_items cut page 3 after 50 items
    ]
    rest = paginate(client_for, INVOICES, resume=marks[-1][1], max_items=60)
    assert [i["id"] async for i in rest] == list(range(251, 311))
    assert rest.checkpoint() == Checkpoint(page=4, offset=10)


async def test_checkpoint_with_dedupe_counts_dropped_repeats(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    listing.data[100]["id"] = 100  # page 2 starts with a repeat of page 1's last id
    listing.data[101]["id"] = 99
    paginator = paginate(client_for, INVOICES, dedupe=True)
    async for item in paginator:
        if item["id"] == 103:
            break
    # 103 is the 3rd item of page 2 (offset 3), the two repeats before it were dropped.
    assert paginator.checkpoint() == Checkpoint(page=2, offset=3)
    resumed = paginate(client_for, INVOICES, resume=paginator.checkpoint(), max_items=2)
    assert [i["id"] async for i in resumed] == [104, 105]


async def test_resuming_at_a_page_boundary_and_past_the_end(
    client_for: FreshBooksClient, listing: Listing
) -> None:
    rest = paginate(client_for, INVOICES, resume=Checkpoint(page=11, offset=40))
    assert [i["id"] async for i in rest] == list(range(1041, 1051))
    done = paginate(client_for, INVOICES, resume=Checkpoint(page=12))
    assert await done.collect() == []
    assert done.checkpoint() == Checkpoint(page=13)  # the empty page 12 was dealt with


def test_checkpoint_json_round_trip_and_errors() -> None:
    point = Checkpoint(page=7, offset=40, per_page=50)
    text = point.to_json()
    assert json.loads(text) == {"version": 1, "page": 7, "offset": 40, "per_page": 50}
    assert Checkpoint.from_json(text) == point
    assert Checkpoint.from_json(text.encode()) == point
    assert Checkpoint.from_dict({"version": 1, "page": 2}) == Checkpoint(page=2)
    cases: list[tuple[Callable[[], object], type[Exception], str]] = [
        (lambda: Checkpoint(page=0), ValueError, "Checkpoint.page: must be >= 1, got 0"),
        (lambda: Checkpoint(page="2"), TypeError, "Checkpoint.page: expected int"),  # type: ignore[arg-type]
        (lambda: Checkpoint(page=1, offset=-1), ValueError, "Checkpoint.offset"),
        (lambda: Checkpoint(page=1, per_page=101), ValueError, "Checkpoint.per_page"),
        (
            lambda: Checkpoint(page=1, offset=30, per_page=30),
            ValueError,
            "Checkpoint.offset: must be below per_page (30), got 30",
        ),
        (lambda: Checkpoint.from_json("{oops"), ValueError, "checkpoint: not JSON"),
        (lambda: Checkpoint.from_json("[1]"), TypeError, "expected a JSON object, got list"),
        (lambda: Checkpoint.from_json('{"page": 2}'), ValueError, "version must be 1, got None"),
        (lambda: Checkpoint.from_json('{"version": 1}'), ValueError, "'page' is missing"),
        (
            lambda: Checkpoint.from_json('{"version": 1, "page": 2, "pgae": 3}'),
            ValueError,
            "unknown field(s) ['pgae']",
        ),
        (lambda: Checkpoint.from_json(7), TypeError, "expected str or bytes, got int"),  # type: ignore[arg-type]
    ]
    for make, error, message in cases:
        with pytest.raises(error) as info:
            make()
        assert message in str(info.value)


async def test_resume_argument_errors(client_for: FreshBooksClient) -> None:
    point = Checkpoint(page=3, offset=5, per_page=30)
    with pytest.raises(TypeError, match="resume: expected a Checkpoint"):
        paginate(client_for, INVOICES, resume={"page": 3})  # type: ignore[call-overload]
    with pytest.raises(ValueError, match=r"start_page: give start_page \(2\) or resume"):
        paginate(client_for, INVOICES, start_page=2, resume=point)
    with pytest.raises(ValueError, match="per_page: 50 differs from the checkpoint's per_page 30"):
        paginate(client_for, INVOICES, per_page=50, resume=point)
    assert paginate(client_for, INVOICES, per_page=30, resume=point).per_page == 30
    with pytest.raises(ValueError, match=r"checkpoint: needs ordered=True"):
        paginate(client_for, INVOICES, ordered=False).checkpoint()
    with pytest.raises(ValueError, match=r"start_page: give start_page \(4\) or resume"):
        client_for.invoices.list_all("ABC", start_page=4, resume=point)


@pytest.mark.parametrize("stop_after", [1, 19, 20, 21, 137, 249])
async def test_a_cancelled_job_resumes_over_loopback_without_loss_or_repeat(
    stop_after: int,
) -> None:
    """An ETL job over real HTTP against the sandbox is cancelled mid-scan (while it
    writes an item, before its checkpoint is saved); the next run resumes from the stored
    checkpoint and the output holds every invoice exactly once, in order."""
    async with (
        SandboxServer(seed_invoices=250) as server,
        FreshBooksClient(server.token, base_url=server.url) as fb,
    ):
        expected = [inv.id async for inv in fb.invoices.list_all("ACC001")]
        assert len(expected) == 250
        written: list[int] = []
        stored: dict[str, str] = {}  # the job's durable state
        reached = asyncio.Event()

        async def job() -> None:
            text = stored.get("checkpoint")
            resume = Checkpoint.from_json(text) if text else None
            invoices = fb.invoices.list_all("ACC001", per_page=20, concurrency=4, resume=resume)
            async for invoice in invoices:
                await asyncio.sleep(0)  # writing the row
                if len(written) == stop_after and not reached.is_set():
                    reached.set()
                    await asyncio.Event().wait()  # a write that hangs: cancelled here
                written.append(invoice.id)
                stored["checkpoint"] = invoices.checkpoint().to_json()

        first = asyncio.create_task(job())
        await asyncio.wait_for(reached.wait(), 30)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        assert len(written) == stop_after
        assert Checkpoint.from_json(stored["checkpoint"]) == Checkpoint(
            page=stop_after // 20 + 1, offset=stop_after % 20, per_page=20
        )
        await asyncio.wait_for(job(), 30)  # the second run, resumed
        assert written == expected
