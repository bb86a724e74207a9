"""Concurrent pagination: :class:`Page` and :class:`Paginator`.

A :class:`Paginator` walks a paginated listing of any API family::

    paginator = paginate(client, "/accounting/account/ABC/invoices/invoices",
                         items_key="invoices", decode=decode_invoice, concurrency=8)
    first = await paginator                      # just the first page
    async for invoice in paginator: ...          # every item, in page order
    async for page in paginator.pages(): ...     # Page objects
    everything = await paginator.collect()       # a list (careful with big listings)

How it works: the first page is fetched alone, because it tells how many pages there
are. Pages after it go through a sliding window: at most ``concurrency`` page requests
are in flight, and a new one starts as soon as a response is in (with :func:`paginate`,
before that page is parsed and decoded, and the first window before page 1 is decoded;
with a custom ``fetch_page``, when it returns). With :func:`paginate`'s ``decode``, each
page after the first is parsed and decoded by the task that fetched it as soon as its
response is in (after sending the request its slot makes room for, if any), so once the
last response is in only that page's work is left. Page 1 is decoded by the consuming
task once the window is out, in chunks of items between which the loop reads the
responses that came in and sends the requests they make room for (a page that comes in
meanwhile is decoded right after: one decode at a time). A page that comes in while the
buffer is full (the consumer is behind) is decoded by the consuming task when its turn
comes, after it has requested the pages the room it made allows. In
ordered mode (the default) pages are yielded in page order, so at most ``concurrency``
finished pages wait in memory; with ``ordered=False`` pages are yielded as they complete.

* **Failures.** Each page request goes through the client's pipeline, which retries it
  alone (GET is idempotent). A page that still fails raises :class:`PageFetchError`
  naming the page, with the original error as ``__cause__``. In ordered mode every page
  before it has been yielded by then.
* **Leaving early.** ``break``, an exception in the loop body, or cancellation of the
  consuming task cancels every page request in flight and awaits them, so no task is
  left behind. ``break`` closes the iterator when the event loop finalises it (at once on
  CPython, a loop turn later); to close it at a precise point use
  ``async with contextlib.aclosing(paginator.items()) as items: ...``.
* **Changing data.** Each page reports the collection's ``pages``/``total``. When a page
  reports a different count than what is known (items were added or removed during the
  scan), the paginator follows the newest count: it fetches the extra pages or stops
  early. An insertion shifts items to later pages, so one item can appear at the end of
  page *n* and again at the start of page *n + 1*: pass ``dedupe=True`` (items' ``id``) or a
  ``dedupe_key`` to drop repeats (this keeps one key per item yielded). A deletion
  shifts items the other way, and one item can then be missed: no page-number scan can
  avoid that; filter on ``updated_min`` and rescan if you need a consistent snapshot.
* **Unpaginated lists** (ledger accounts) are one page. A listing that does not report
  its page count is read until the first short page, ``concurrency`` pages ahead.
* **Resuming.** In ordered mode, :meth:`Paginator.checkpoint` tells where the latest scan
  is: a :class:`Checkpoint` (the next page, and how many of its items were already
  handed over) that serialises to a short JSON text. A paginator made with
  ``resume=checkpoint`` starts exactly there, so a job that stopped (cancelled, crashed,
  killed) goes on without losing or repeating an item, as long as the listing did not
  change meanwhile (see *Changing data*).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import math
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Hashable,
    Iterator,
    Mapping,
)
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import attrs

from ._pipeline import RESPONSE_ARRIVED, APIResponse, QueryParams
from ._secrets import NO_SECRETS, CallSecrets
from ._validate import check_int as _check_int
from .errors import PageFetchError, ResponseDecodeError

if TYPE_CHECKING:
    from .client import FreshBooksClient

__all__ = [
    "MAX_PER_PAGE",
    "Checkpoint",
    "FetchPage",
    "Page",
    "Paginator",
    "item_id",
    "page_from_response",
    "pages_bound",
    "paginate",
]

T = TypeVar("T")
U = TypeVar("U")

#: FreshBooks silently caps ``per_page`` at 100 (docs/protocol.rst, "Pagination").
MAX_PER_PAGE = 100

#: Items decoded between two looks at the network (about 0.25 ms of invoices).
_DECODE_CHUNK = 10


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One page of a listing: iterate it (``for invoice in page``), index it
    (``page[0]``) or take ``len(page)``; ``items`` is the same as a tuple.

    Attributes:
        items: The page's items, decoded.
        page: This page's number (1-based).
        pages: How many pages the collection had when this page was read (``None``
            when the API did not say).
        per_page: The page size the API applied.
        total: Items in the whole collection when this page was read (``None`` when the
            API did not say).
        retries_taken: Retries the client made before this page arrived.
    """

    items: tuple[T, ...]
    page: int
    pages: int | None
    per_page: int
    total: int | None = None
    retries_taken: int = 0
    #: The secrets of the call that read the page, for the errors of decoding its items
    #: later (see ``Paginator``). Private; shows none of them.
    _secrets: CallSecrets = attrs.field(default=NO_SECRETS, repr=False, eq=False)

    @property
    def has_next(self) -> bool:
        """Whether a later page exists (for unknown counts, whether this page was full)."""
        if self.pages is None:
            return len(self.items) >= self.per_page > 0
        return self.page < self.pages

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        return self.items[index]


#: The version written in :meth:`Checkpoint.to_json` (and the only one read back).
_CHECKPOINT_VERSION = 1


def _checkpoint_int(name: str, low: int, high: int | None = None) -> Callable[..., None]:
    def check(_instance: object, _attribute: object, value: object) -> None:
        _check_int(f"Checkpoint.{name}", value, low, high)

    return check


@attrs.frozen(kw_only=True)
class Checkpoint:
    """Where a scan of a listing stands: pass it as ``resume=`` to go on from there.

    Get one from :meth:`Paginator.checkpoint` after you have dealt with the items handed
    to you; store it with :meth:`to_json` (a short JSON object) and read it back with
    :meth:`from_json`. It holds no secret and no query: resume it on the same listing,
    with the same filters and sort.

    Attributes:
        page: The next page to read (1-based).
        offset: How many items of ``page`` were already handed over (they are skipped).
        per_page: The page size of the scan; a resumed scan uses the same, or page
            numbers would not line up.

    Raises:
        TypeError, ValueError: A field of the wrong type or out of range (the message
            names it).
    """

    page: int = attrs.field(validator=_checkpoint_int("page", 1))
    offset: int = attrs.field(default=0, validator=_checkpoint_int("offset", 0))
    per_page: int = attrs.field(
        default=MAX_PER_PAGE, validator=_checkpoint_int("per_page", 1, MAX_PER_PAGE)
    )

    def __attrs_post_init__(self) -> None:
        if self.offset >= self.per_page:
            raise ValueError(
                f"Checkpoint.offset: must be below per_page ({self.per_page}), got {self.offset!r}"
            )

    def to_dict(self) -> dict[str, int]:
        """The checkpoint as a JSON-ready dict (with a format ``version``)."""
        return {
            "version": _CHECKPOINT_VERSION,
            "page": self.page,
            "offset": self.offset,
            "per_page": self.per_page,
        }

    def to_json(self) -> str:
        """The checkpoint as a compact JSON text, e.g.
        ``{"version":1,"page":7,"offset":40,"per_page":100}``."""
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Checkpoint:
        """Read back what :meth:`to_dict` wrote.

        Raises:
            TypeError, ValueError: Not a checkpoint, another version, a missing or bad
                field (the message names it).
        """
        if not isinstance(data, Mapping):
            raise TypeError(f"checkpoint: expected a JSON object, got {type(data).__name__}")
        version = data.get("version")
        if version != _CHECKPOINT_VERSION:
            raise ValueError(f"checkpoint: version must be {_CHECKPOINT_VERSION}, got {version!r}")
        unknown = sorted(set(data) - {"version", "page", "offset", "per_page"})
        if unknown:
            raise ValueError(f"checkpoint: unknown field(s) {unknown}")
        if "page" not in data:
            raise ValueError("checkpoint: 'page' is missing")
        return cls(
            page=data["page"],
            offset=data.get("offset", 0),
            per_page=data.get("per_page", MAX_PER_PAGE),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Checkpoint:
        """Read back what :meth:`to_json` wrote.

        Raises:
            TypeError, ValueError: Not JSON, not a checkpoint, or a bad field.
        """
        if not isinstance(text, str | bytes):
            raise TypeError(f"checkpoint: expected str or bytes, got {type(text).__name__}")
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"checkpoint: not JSON ({exc}): {text[:80]!r}") from None
        return cls.from_dict(data)


#: ``async (page_number, per_page) -> Page[T]``: how a :class:`Paginator` reads one page.
FetchPage = Callable[[int, int], Awaitable[Page[T]]]


def item_id(item: object) -> Hashable:
    """The ``id`` of a model (attribute) or JSON object (key): the default dedupe key.

    Raises:
        TypeError: ``item`` has no ``id``.
    """
    if isinstance(item, Mapping):
        if "id" in item:
            return item["id"]  # type: ignore[no-any-return]
    else:
        value = getattr(item, "id", None)
        if value is not None:
            return value  # type: ignore[no-any-return]
    raise TypeError(
        f"dedupe: {type(item).__name__} has no 'id'; pass dedupe_key=... to name the key"
    )


class Paginator(Generic[T]):
    """Reads every page of a listing concurrently; see the module docs.

    A paginator can be awaited (the first page), iterated (items), iterated by pages
    (:meth:`pages`) or collected (:meth:`collect`). Each iteration is a fresh scan.

    Args:
        fetch_page: ``async (page_number, per_page) -> Page[T]``; errors it raises are
            wrapped in :class:`PageFetchError`.
        per_page: Items per page, 1..100.
        start_page: The first page to read.
        concurrency: The most page requests in flight at once (and finished pages held).
        ordered: Yield in page order (True) or as pages complete (False).
        max_items: Stop after this many items (``None``: all).
        dedupe: Drop items whose ``id`` was already yielded in this scan.
        dedupe_key: Drop items whose key was already yielded (implies ``dedupe``).
        resume: Start where a :meth:`checkpoint` says (its page, skipping the items of
            that page already handed over, at its ``per_page``). Not with
            ``start_page``; ``max_items`` and ``dedupe`` count from the resumed point.

    Raises:
        TypeError, ValueError: An argument is out of range or of the wrong type.
    """

    def __init__(
        self,
        fetch_page: FetchPage[T],
        *,
        per_page: int = MAX_PER_PAGE,
        start_page: int = 1,
        concurrency: int = 4,
        ordered: bool = True,
        max_items: int | None = None,
        dedupe: bool = False,
        dedupe_key: Callable[[T], Hashable] | None = None,
        resume: Checkpoint | None = None,
    ) -> None:
        if not callable(fetch_page):
            raise TypeError(
                f"fetch_page: expected an async callable (page, per_page) -> Page, got "
                f"{type(fetch_page).__name__}: {fetch_page!r}"
            )
        self._fetch_page = fetch_page
        self.per_page = _check_int("per_page", per_page, 1, MAX_PER_PAGE)
        self.start_page = _check_int("start_page", start_page, 1)
        #: Items of ``start_page`` to skip (already handed over before a resume).
        self._skip = 0
        if resume is not None:
            if not isinstance(resume, Checkpoint):
                raise TypeError(
                    f"resume: expected a Checkpoint (Checkpoint.from_json(text) reads a "
                    f"stored one), got {type(resume).__name__}: {resume!r}"
                )
            if start_page != 1:
                raise ValueError(f"start_page: give start_page ({start_page}) or resume, not both")
            if per_page not in (MAX_PER_PAGE, resume.per_page):
                raise ValueError(
                    f"per_page: {per_page} differs from the checkpoint's per_page "
                    f"{resume.per_page}; page numbers would not line up (leave per_page out)"
                )
            self.per_page = resume.per_page
            self.start_page = resume.page
            self._skip = resume.offset
        # (page, offset) of the latest ordered scan: see checkpoint().
        self._position = (self.start_page, self._skip)
        self.concurrency = _check_int("concurrency", concurrency, 1, 1000)
        if not isinstance(ordered, bool):
            raise TypeError(f"ordered: expected bool, got {type(ordered).__name__}: {ordered!r}")
        self.ordered = ordered
        self.max_items = None if max_items is None else _check_int("max_items", max_items, 0)
        if not isinstance(dedupe, bool):
            raise TypeError(f"dedupe: expected bool, got {type(dedupe).__name__}: {dedupe!r}")
        if dedupe_key is not None and not callable(dedupe_key):
            raise TypeError(f"dedupe_key: expected a callable, got {dedupe_key!r}")
        key: Callable[[T], Hashable] | None = dedupe_key
        if key is None and dedupe:
            key = item_id
        self.dedupe_key = key
        # Set by paginate(): its fetch makes exactly one client call per page, so the
        # page's window slot can be freed when that call's response is in; and it returns
        # JSON items, decoded by the scan once the page has told the count (so page 1's
        # decoding overlaps the first window).
        self._frees_slot_on_response = False
        self._decode_items: Callable[[Any], T] | None = None

    def __repr__(self) -> str:
        return (
            f"Paginator(per_page={self.per_page}, start_page={self.start_page}, "
            f"concurrency={self.concurrency}, ordered={self.ordered}, "
            f"max_items={self.max_items}, dedupe={self.dedupe_key is not None})"
        )

    def checkpoint(self) -> Checkpoint:
        """Where the latest scan of this paginator stands, to resume it later.

        Everything handed to you so far (items by ``async for``, pages by :meth:`pages`)
        counts as done: call it after you have dealt with them, e.g. once a batch is
        committed. Before any scan, it is where the paginator starts.

        Raises:
            ValueError: The paginator is unordered (``ordered=False``): its pages come
                out of order, so no single point tells what was handed over.
        """
        if not self.ordered:
            raise ValueError("checkpoint: needs ordered=True (pages come out of order)")
        page, offset = self._position
        return Checkpoint(page=page, offset=offset, per_page=self.per_page)

    async def first_page(self) -> Page[T]:
        """Read only ``start_page`` (what ``await paginator`` does; a resumed
        paginator's first page keeps all its items).

        Raises:
            PageFetchError: The page failed (after the client's retries).
        """
        _, page = await _Scan(self).fetch(self.start_page)
        return page

    def __await__(self) -> Generator[Any, None, Page[T]]:
        return self.first_page().__await__()

    def pages(self) -> AsyncGenerator[Page[T], None]:
        """Iterate over pages (trimmed by ``max_items`` and ``dedupe``).

        Raises:
            PageFetchError: A page failed after the client's retries.
        """
        return _Scan(self).run()

    async def items(self) -> AsyncGenerator[T, None]:
        """Iterate over items (the same as ``async for item in paginator``).

        Raises:
            PageFetchError: A page failed after the client's retries.
        """
        scan = _Scan(self, per_item=True)
        async with contextlib.aclosing(scan.run()) as pages:
            async for page in pages:
                number, ends, complete = scan.emitted
                last = len(page.items) - 1
                for index, item in enumerate(page.items):
                    # Counted as handed over before it is: checkpoint() in the loop
                    # body, after the item is dealt with, includes it.
                    if self.ordered:
                        if index == last and complete:
                            self._position = (number + 1, 0)
                        else:
                            self._position = (number, ends[index])
                    yield item
                if complete and self.ordered:
                    self._position = (number + 1, 0)

    def __aiter__(self) -> AsyncIterator[T]:
        return self.items()

    async def collect(self) -> list[T]:
        """Every item, in a list. Memory grows with the listing: prefer iterating.

        Raises:
            PageFetchError: A page failed after the client's retries.
        """
        async with contextlib.aclosing(self.items()) as items:
            return [item async for item in items]


class _Scan(Generic[T]):
    """The state of one pass over a listing (one ``async for``)."""

    def __init__(self, paginator: Paginator[T], *, per_item: bool = False) -> None:
        self.p = paginator
        # items() moves the paginator's checkpoint item by item; pages() page by page.
        self.per_item = per_item
        # The page last yielded: (number, offset in the raw page after each of its items,
        # whether the rest of that page was dealt with too).
        self.emitted: tuple[int, list[int], bool] = (0, [], False)
        # page number -> request task. Finished tasks wait here for their turn (ordered
        # mode) or to be taken (unordered); at most `concurrency` are in flight and at
        # most `concurrency` more are held finished, so memory stays bounded by 2 x C
        # pages while the window keeps C requests on the wire.
        self.tasks: dict[int, asyncio.Task[tuple[int, Page[T]]]] = {}
        # Pages whose request is on the wire (what `concurrency` limits). A page leaves
        # when its task ends or, earlier, when its response is in and only parsing and
        # decoding are left (the pipeline's RESPONSE_ARRIVED hook).
        self.on_wire: set[int] = set()
        # The consuming task is decoding a page in chunks (it yields between them): a
        # page task whose response comes in meanwhile decodes its page after that one
        # (one decode at a time), when `decode_idle` is set.
        self.decoding = False
        self.decode_idle = asyncio.Event()
        self.decode_idle.set()
        # Pages whose freed slot could not be refilled because the buffer was full (see
        # off_wire): they are left to the consumer to decode.
        self.deferred: set[int] = set()
        self.closed = False
        self.abandoned: set[asyncio.Task[tuple[int, Page[T]]]] = set()
        self.completed = 0  # completion counter: newer pages' counts win
        self.count_from = -1  # completion number of the page whose count we follow
        self.last_page: int | None = None  # None: not known (read until a short page)
        self.next_to_schedule = paginator.start_page + 1
        self.delivered = 0
        self.seen: set[Hashable] = set()
        self.running = False  # a scan (not just `await paginator`): windows may start
        self.in_hand = 0  # items of the first page, fetched but not yet delivered
        # Pages decoded before the consumer takes them: by their own task as their
        # response came in, or by the consumer while an earlier page was on the wire
        # (or the error their decoding raised, for when their turn comes).
        self.decoded: dict[int, Page[T] | PageFetchError] = {}
        self.arrived = asyncio.Event()  # a page task ended

    async def fetch(self, number: int) -> tuple[int, Page[T]]:
        try:
            return await self.fetch_page(number)
        finally:
            self.arrived.set()

    async def fetch_page(self, number: int) -> tuple[int, Page[T]]:
        if number in self.on_wire and self.p._frees_slot_on_response:
            # A window task (page 1 is read alone) running paginate()'s one-request fetch:
            # free the slot once the response is in (each task has its own context).
            RESPONSE_ARRIVED.set(functools.partial(self.off_wire, number))
        try:
            page = await self.p._fetch_page(number, self.p.per_page)
        except PageFetchError:
            raise
        except Exception as exc:  # CancelledError is not an Exception: it propagates
            raise PageFetchError(number, exc) from exc
        if not isinstance(page, Page):
            raise TypeError(
                f"fetch_page: must return a Page, returned {type(page).__name__}: {page!r}"
            )
        self.completed += 1
        completed = self.completed
        # Learn the size now, not when the consumer reaches this page, so the refill
        # that follows this completion never requests pages past a newly known end.
        self.adopt(completed, page)
        if self.p._decode_items is None:
            return completed, page
        if not self.running:  # `await paginator`: this page alone
            return completed, await self.decode(number, page)
        if number != self.p.start_page and number not in self.deferred:
            # A window page: decode it here and now, right after its response (no await
            # in between), so the pages of a wave that arrives together are each done as
            # they come, not all after the last one. The consumer takes it from there.
            while self.decoding:  # unless the consumer is decoding: after it, then
                await self.decode_idle.wait()
            try:
                self.decoded[number] = self.decode_now(number, page)
            except PageFetchError as exc:
                self.decoded[number] = exc
        return completed, page

    def decode_now(self, number: int, page: Page[Any]) -> Page[T]:
        """Decode a page's JSON items at once (paginate()'s ``decode``), in a page task."""
        decode = self.p._decode_items
        assert decode is not None
        try:
            with page._secrets.guard():  # decode errors quote values
                items = tuple([decode(item) for item in page.items])
        except Exception as exc:
            raise PageFetchError(number, exc) from exc
        return attrs.evolve(page, items=items)

    async def decode(self, number: int, page: Page[Any]) -> Page[T]:
        """Decode a page's JSON items (paginate()'s ``decode``), in the consumer's task.

        The consumer decodes page 1 (once the first window is out) and the pages whose
        response came in while it was decoding (in page order, or ahead while the next
        page is still on the wire: :meth:`decode_ahead`); the other pages are decoded
        by their own task (:meth:`decode_now`). Between chunks of items it lets the loop
        read what has arrived and send the next requests.
        """
        decode = self.p._decode_items
        if decode is None:
            return page
        raw = page.items
        items: list[T] = []
        self.decoding = True
        self.decode_idle.clear()
        try:
            for start in range(0, len(raw), _DECODE_CHUNK):
                if start and self.on_wire:
                    await asyncio.sleep(0)
                with page._secrets.guard():  # decode errors quote values
                    items.extend([decode(item) for item in raw[start : start + _DECODE_CHUNK]])
        except Exception as exc:
            raise PageFetchError(number, exc) from exc
        finally:
            self.decoding = False
            self.decode_idle.set()
        return attrs.evolve(page, items=tuple(items))

    async def take(self, number: int, page: Page[Any]) -> Page[T]:
        """Page ``number`` decoded: as its task or :meth:`decode_ahead` left it, or now."""
        self.deferred.discard(number)
        ahead = self.decoded.pop(number, None)
        if isinstance(ahead, PageFetchError):
            raise ahead
        return ahead if ahead is not None else await self.decode(number, page)

    # ---------------------------------------------------------------- bookkeeping

    def off_wire(self, number: int) -> bool:
        """Free page ``number``'s slot (its response is in); whether that started a
        request (the pipeline then lets it go out before parsing this page)."""
        if number not in self.on_wire:
            return False
        self.on_wire.discard(number)
        started = self.fill()
        # Buffer full: the consumer is behind. It frees room when it takes its next page,
        # requests the next pages first, and then decodes this one itself.
        if not started and len(self.tasks) >= 2 * self.p.concurrency:
            self.deferred.add(number)
        return started

    def adopt(self, completed: int, page: Page[T]) -> None:
        """Learn the collection's size from a page."""
        if page.pages is None:
            if len(page.items) < self.p.per_page:  # short page: the end of an unknown count
                self.set_last(
                    page.page if self.last_page is None else min(self.last_page, page.page)
                )
            return
        if completed > self.count_from:
            self.count_from = completed
            self.set_last(page.pages)

    def set_last(self, last: int) -> None:
        self.last_page = last
        for number in [n for n in self.tasks if n > last]:
            task = self.tasks.pop(number)
            task.cancel()
            self.abandoned.add(task)

    def budget_left(self) -> bool:
        limit = self.p.max_items
        return limit is None or self.delivered < limit

    def can_schedule(self, number: int) -> bool:
        if self.last_page is not None and number > self.last_page:
            return False
        limit = self.p.max_items
        # Enough items are already on their way (or waiting) to reach max_items.
        ahead = self.delivered + self.in_hand + len(self.tasks) * self.p.per_page
        return limit is None or ahead < limit

    def fill(self) -> bool:
        """Start requests until ``concurrency`` are in flight (or the buffer is full);
        whether it started any.

        Called by the consumer and whenever a request finishes, so a slot is refilled at
        once rather than when the consumer next asks for a page.
        """
        if self.closed:
            return False
        started = self.next_to_schedule
        limit = self.p.concurrency
        while (
            len(self.on_wire) < limit
            and len(self.tasks) < 2 * limit
            and self.can_schedule(self.next_to_schedule)
        ):
            number = self.next_to_schedule
            self.on_wire.add(number)
            task = asyncio.ensure_future(self.fetch(number))
            task.add_done_callback(functools.partial(self.refill, number))
            self.tasks[number] = task
            self.next_to_schedule += 1
        return self.next_to_schedule > started

    async def start_requests(self) -> None:
        """:meth:`fill`, then one loop turn if that started requests, so they go out
        before the caller goes on with CPU work (decoding, the consumer's loop body)."""
        waiting = len(self.on_wire)
        self.fill()
        if len(self.on_wire) > waiting:
            await asyncio.sleep(0)

    def refill(self, number: int, task: asyncio.Task[tuple[int, Page[T]]]) -> None:
        self.on_wire.discard(number)
        if not task.cancelled():
            self.fill()

    def trim(self, number: int, page: Page[T]) -> Page[T]:
        """Skip what a resumed scan already handed over, apply dedupe and max_items;
        count what is delivered and where it ends in the page (for checkpoints)."""
        items = page.items
        skip = self.p._skip if number == self.p.start_page else 0
        if skip:
            items = items[skip:]
        ends = list(range(skip + 1, skip + len(items) + 1))
        key = self.p.dedupe_key
        if key is not None:
            fresh: list[T] = []
            kept: list[int] = []
            for item, end in zip(items, ends, strict=True):
                k = key(item)
                if k not in self.seen:
                    self.seen.add(k)
                    fresh.append(item)
                    kept.append(end)
            items, ends = tuple(fresh), kept
        limit = self.p.max_items
        complete = True
        if limit is not None and self.delivered + len(items) > limit:
            items = items[: limit - self.delivered]
            ends = ends[: len(items)]
            complete = False
        self.delivered += len(items)
        self.emitted = (number, ends, complete)
        if self.p.ordered and not self.per_item:
            self.p._position = (number + 1, 0) if complete else (number, ends[-1] if ends else skip)
        return page if items is page.items else attrs.evolve(page, items=items)

    async def cleanup(self) -> None:
        self.closed = True
        pending = [*self.tasks.values(), *self.abandoned]
        self.tasks.clear()
        self.abandoned.clear()
        for task in pending:
            task.cancel()
        if pending:
            # Wait for them to end so none outlives the scan; their errors are moot.
            await asyncio.gather(*pending, return_exceptions=True)

    # ---------------------------------------------------------------- the scan

    async def run(self) -> AsyncGenerator[Page[T], None]:
        try:
            if self.p.max_items == 0:
                return
            self.running = True
            _completed, first = await self.fetch(self.p.start_page)  # fetch adopted its count
            self.in_hand = len(first.items)
            # Start the window before page 1 is decoded and before the consumer gets it,
            # however long it takes with it.
            await self.start_requests()
            if self.p.ordered:
                self.p._position = (self.p.start_page, self.p._skip)
            page = self.trim(self.p.start_page, await self.decode(self.p.start_page, first))
            self.in_hand = 0
            yield page
            if self.p.ordered:
                async for page in self.ordered():
                    yield page
            else:
                async for page in self.as_completed():
                    yield page
        finally:
            await self.cleanup()

    async def ordered(self) -> AsyncIterator[Page[T]]:
        number = self.p.start_page + 1
        while self.budget_left() and (self.last_page is None or number <= self.last_page):
            await self.start_requests()  # before decoding a page left to the consumer
            task = self.tasks.get(number)
            if task is None:
                return
            if not task.done() and self.p._decode_items is not None:
                await self.decode_ahead(number, task)
            completed, page = await task
            del self.tasks[number]
            self.adopt(completed, page)
            page = await self.take(number, page)
            number += 1
            yield self.trim(number - 1, page)

    async def decode_ahead(self, number: int, task: asyncio.Task[tuple[int, Page[T]]]) -> None:
        """While page ``number`` is on the wire, decode the pages after it that arrive.

        Items are still yielded in page order; this only spends the wait on work the
        consumer would do next. Otherwise the pages that answered before a slow one
        are all decoded after it, back to back: at the end of a scan, that backlog is
        work left once the last response is in.
        """
        while not task.done():
            ahead = self.next_arrived(number)
            if ahead is None:
                self.arrived.clear()
                await self.arrived.wait()
                continue
            _completed, page = self.tasks[ahead].result()
            try:
                self.decoded[ahead] = await self.decode(ahead, page)
            except PageFetchError as exc:
                self.decoded[ahead] = exc

    def next_arrived(self, number: int) -> int | None:
        """The first page after ``number`` whose response is in and not yet decoded
        (pages that found the buffer full wait for their turn: see :meth:`off_wire`)."""
        for ahead in sorted(self.tasks):
            if ahead <= number or ahead in self.decoded or ahead in self.deferred:
                continue
            candidate = self.tasks[ahead]
            if candidate.done() and not candidate.cancelled() and candidate.exception() is None:
                return ahead
        return None

    async def as_completed(self) -> AsyncIterator[Page[T]]:
        while self.budget_left():
            self.fill()
            if not self.tasks:
                return
            done, _ = await asyncio.wait(self.tasks.values(), return_when=asyncio.FIRST_COMPLETED)
            for task in sorted(done, key=lambda t: _number_of(self.tasks, t)):
                number = _number_of(self.tasks, task)
                if number < 0:  # cancelled by a shrinking count meanwhile
                    continue
                del self.tasks[number]
                completed, page = task.result()
                self.adopt(completed, page)
                if self.last_page is not None and number > self.last_page and not page.items:
                    self.decoded.pop(number, None)
                    continue  # past the end
                yield self.trim(number, await self.take(number, page))
                if not self.budget_left():
                    return


def _number_of(tasks: Mapping[int, asyncio.Task[Any]], task: asyncio.Task[Any]) -> int:
    for number, candidate in tasks.items():
        if candidate is task:
            return number
    return -1


# --------------------------------------------------------------------------- API glue


def _items_of(data: Any, items_key: str | None, response: APIResponse) -> list[Any]:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise _decode_error(f"expected a list payload, got {type(data).__name__}", response)
    if items_key is None:
        lists = [key for key, value in data.items() if isinstance(value, list)]
        if len(lists) != 1:
            raise _decode_error(
                f"cannot tell the list key among {sorted(lists)}: pass items_key", response
            )
        items_key = lists[0]
    items = data.get(items_key)
    if not isinstance(items, list):
        keys = sorted(k for k, v in data.items() if isinstance(v, list))
        raise _decode_error(
            f"expected a list under {items_key!r}; list keys present: {keys}", response
        )
    return items


def _decode_error(message: str, response: APIResponse) -> ResponseDecodeError:
    return ResponseDecodeError(message, status=response.status, body=response.content)


def page_from_response(
    response: APIResponse,
    decode: Callable[[Any], T],
    *,
    items_key: str | None = None,
    page: int = 1,
    per_page: int = MAX_PER_PAGE,
) -> Page[T]:
    """Build a :class:`Page` from a list response of any family.

    Accounting and events lists carry ``page/pages/per_page/total`` beside the list in
    ``result``; project-like lists carry a ``meta`` block; team members put the list
    directly under ``response``; ledger lists are unpaginated (``{"data": [...]}``) and
    become a single page (page 2 onwards of such a list is empty).

    Args:
        response: The response of ``GET <list path>?page=N&per_page=M``.
        decode: Turns one JSON item into ``T`` (a model's decoder, or ``lambda x: x``).
        items_key: The key of the list in the payload (``"invoices"``); ``None`` picks
            the payload's only list-valued key.
        page: The page number that was requested.
        per_page: The page size that was requested.

    Returns:
        The page.

    Raises:
        ResponseDecodeError: The payload holds no list where expected.
        ModelDecodeError: ``decode`` rejected an item.
    """
    if not isinstance(response, APIResponse):
        raise TypeError(f"response: expected APIResponse, got {type(response).__name__}")
    if not callable(decode):
        raise TypeError(f"decode: expected a callable, got {decode!r}")
    if items_key is not None and (not isinstance(items_key, str) or not items_key):
        raise ValueError(f"items_key: must be a non-empty str or None, got {items_key!r}")
    _check_int("page", page, 1)
    _check_int("per_page", per_page, 1, MAX_PER_PAGE)
    secrets = response._secrets  # decode errors quote values: scrub the call's secrets
    with secrets.guard():
        raw = _items_of(response.data, items_key, response)
        info = response.page
        if info is None:  # unpaginated: everything on page 1
            items = tuple(decode(item) for item in raw) if page == 1 else ()
            return Page(
                items=items,
                page=page,
                pages=1,
                per_page=max(len(raw), 1),
                total=len(raw),
                retries_taken=response.retries_taken,
                secrets=secrets,
            )
        return Page(
            items=tuple(decode(item) for item in raw),
            page=info.page,
            pages=info.pages,
            per_page=info.per_page,
            total=info.total,
            retries_taken=response.retries_taken,
            secrets=secrets,
        )


def _identity(value: Any) -> Any:
    return value


@overload
def paginate(
    client: FreshBooksClient,
    path: str,
    *,
    decode: Callable[[Any], U],
    items_key: str | None = ...,
    params: QueryParams | None = ...,
    per_page: int = ...,
    start_page: int = ...,
    concurrency: int = ...,
    ordered: bool = ...,
    max_items: int | None = ...,
    dedupe: bool = ...,
    dedupe_key: Callable[[U], Hashable] | None = ...,
    resume: Checkpoint | None = ...,
) -> Paginator[U]: ...


@overload
def paginate(
    client: FreshBooksClient,
    path: str,
    *,
    decode: None = ...,
    items_key: str | None = ...,
    params: QueryParams | None = ...,
    per_page: int = ...,
    start_page: int = ...,
    concurrency: int = ...,
    ordered: bool = ...,
    max_items: int | None = ...,
    dedupe: bool = ...,
    dedupe_key: Callable[[Any], Hashable] | None = ...,
    resume: Checkpoint | None = ...,
) -> Paginator[Any]: ...


def paginate(
    client: FreshBooksClient,
    path: str,
    *,
    decode: Callable[[Any], Any] | None = None,
    items_key: str | None = None,
    params: QueryParams | None = None,
    per_page: int = MAX_PER_PAGE,
    start_page: int = 1,
    concurrency: int = 4,
    ordered: bool = True,
    max_items: int | None = None,
    dedupe: bool = False,
    dedupe_key: Callable[[Any], Hashable] | None = None,
    resume: Checkpoint | None = None,
) -> Paginator[Any]:
    """A :class:`Paginator` over ``GET path?page=N&per_page=M`` through ``client``.

    Each page is one ``client.request("GET", ...)``, so it gets the client's retries,
    limits and error mapping.

    Args:
        client: The client.
        path: The list path, ids already encoded (see :func:`~freshbooks_async.build_path`).
        decode: Turns one JSON item into a model; ``None`` keeps the JSON objects.
        items_key: The list's key in the payload; ``None`` picks the only list.
        params: Other query parameters (filters, includes, sort); must not contain
            ``page`` or ``per_page``.
        per_page, start_page, concurrency, ordered, max_items, dedupe, dedupe_key, resume:
            See :class:`Paginator`.

    Returns:
        The paginator (nothing is sent until it is awaited or iterated).

    Raises:
        TypeError, ValueError: An argument is out of range or of the wrong type.
    """
    if not hasattr(client, "request"):
        raise TypeError(f"client: expected a FreshBooksClient, got {type(client).__name__}")
    if not isinstance(path, str) or not path.startswith("/"):
        raise ValueError(f"path: must be an API path starting with '/', got {path!r}")
    if items_key is not None and (not isinstance(items_key, str) or not items_key):
        raise ValueError(f"items_key: must be a non-empty str or None, got {items_key!r}")
    base: list[tuple[str, object]] = []
    if params:
        pairs = params.items() if isinstance(params, Mapping) else params
        for key, value in pairs:
            if key in ("page", "per_page"):
                raise ValueError(
                    f"params: {key!r} is set by the paginator; use start_page/per_page"
                )
            base.append((key, value))

    async def fetch_page(number: int, size: int) -> Page[Any]:
        response = await client.request(
            "GET", path, params=[*base, ("page", number), ("per_page", size)]
        )
        return page_from_response(
            response, _identity, items_key=items_key, page=number, per_page=size
        )

    paginator: Paginator[Any] = Paginator(
        fetch_page,
        per_page=per_page,
        start_page=start_page,
        concurrency=concurrency,
        ordered=ordered,
        max_items=max_items,
        dedupe=dedupe,
        dedupe_key=dedupe_key,
        resume=resume,
    )
    paginator._frees_slot_on_response = True  # one client.request per page
    paginator._decode_items = decode
    return paginator


def pages_bound(pages: int, concurrency: int) -> int:
    """Round trips a scan of ``pages`` pages needs at ``concurrency``: the first page,
    then ``ceil((pages - 1) / concurrency)`` windows (the benchmarks' lower bound)."""
    _check_int("pages", pages, 1)
    _check_int("concurrency", concurrency, 1)
    return 1 + math.ceil((pages - 1) / concurrency)
