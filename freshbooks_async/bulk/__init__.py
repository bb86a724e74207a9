"""Bulk invoice creation that accounts for every draft: :func:`bulk_create_invoices`.

::

    result = await bulk_create_invoices(client, "ABC123", drafts, concurrency=8)
    result.raise_for_failures()          # BulkError unless every valid draft was created
    for item in result.items:            # aligned with ``drafts``
        print(item.index, item.status, item.invoice, item.error)

What happens, in order:

1. **Validation.** Every draft (a mapping of invoice fields or an
   :class:`~freshbooks_async.models.InvoiceCreate`) is checked before the first request;
   an invalid draft is reported as ``invalid`` and never sent.
2. **Creates** run at most ``concurrency`` at a time for this call, and every create for
   the account also holds one of the account's ``per_account_concurrency`` *slots* in
   the client's coordinator (:func:`~freshbooks_async.coordination.account_slot`), which
   every bulk call and ``invoices.create`` of every client sharing that coordinator
   respect: with a :class:`~freshbooks_async.redis.RedisCoordinator`, every process. A
   slot is held while a POST is on the wire, and from a create that succeeded to the
   next POST of a worker that has a draft to post at once (the slot is exchanged for it
   in one step: :func:`~freshbooks_async.coordination.reacquire_slot`); never while
   waiting for a draft, a backoff or a reconciliation.
   Each POST carries ``X-Client-Reference: <unique per draft>`` (recorded by the sandbox's
   ledger, ignored by FreshBooks).
3. **Numbering.**

   * ``numbering="server"``: drafts without ``invoice_number`` are posted as they are and
     FreshBooks numbers them. Concurrent creates can take the same number and get 409
     (invoices docs page, "Creating Multiple Invoices"); such a draft is re-queued after a
     jittered exponential backoff (``backoff.expo`` + full jitter, on the client's
     clock) and retried, up to ``max_attempts`` posts per draft. Other drafts keep the
     permits busy meanwhile; when none is left to post, an idle worker takes the draft
     that has backed off longest, provided creates are succeeding (most of the call's
     recent outcomes, or one since that draft's 409): the batch's tail does not wait
     out long backoffs, and in a 409 storm every backoff runs its course.
   * ``numbering="client"`` (what FreshBooks recommends for concurrent creation): before
     the first create, the account's newest invoice and the numbers in use (one page of
     100, ``sort=invoice_number_desc``) are read. Numbers continue the newest invoice's
     sequence after the *highest* number in use in it (the newest invoice's number can
     be lower), with FreshBooks' increment rule
     (``"0005"`` -> ``"0006"``, ``"000D"`` -> ``"000E"``), and are posted
     explicitly, so the batch does not collide with itself. They come from the
     account's counter in the client's coordinator, seeded (or moved forward) with the
     highest number in use: bulk calls, and processes, sharing the coordinator never
     send the same number. If a number turns out to be taken (400 "already exists", a
     second 409 for it, or a look-up finds someone else's invoice with it), the counter
     moves past it, the numbers in use are re-read (one read however many creates found
     out at once) and it moves past the highest; the draft is posted with a fresh
     number. A counter that lost its value (a Redis restart without persistence) is
     seeded again the same way. Drafts that carry their own ``invoice_number`` keep it,
     and no other draft of the call gets it.

4. **Ambiguous failures.** A POST whose outcome is unknown (the connection broke after
   sending: :class:`~freshbooks_async.errors.RequestMaybeSentError`; a 5xx; a success
   whose body could not be read) may have created the invoice. It is never replayed
   blindly; it is *reconciled* first, and re-posted only if the invoice does not exist:

   * with client numbering, by looking the number up (``search[invoice_number]``) and
     checking the invoice found is this draft's (customer, date, lines...);
   * with ``reference_field`` (e.g. ``"po_number"``), the SDK writes the draft's unique
     reference into that field (unless the draft sets it: then its value, which must be
     unique in the batch, is the reference) and looks it up (``search[<field>]``, exact
     match checked locally since FreshBooks' filter may be a "contains");
   * otherwise (server numbering, no reference) by **fingerprint**: before the first
     create, the id of the account's newest invoice is read (the *baseline*). Ambiguous
     drafts are set aside until every other create of the call has finished; then the
     invoices newer than the baseline are listed (newest first, with lines) and those
     that no create on this client is known to have produced are matched to the set-aside
     drafts by content (customer, dates, numbers, notes, lines), each invoice to at most
     one draft. Drafts left without a match are posted again. This is sound as long as
     nobody else creates identical invoices for the same customer on the account during
     the call; when that cannot be ruled out, use ``reference_field`` or client
     numbering.

   A ``ReadTimeoutError`` (the server may still be working on it) waits
   ``reconcile_delay`` seconds before the look-up. If the look-up itself fails, the draft
   is reported ``unknown`` (it may exist: its reference is in the result) and is not
   re-posted. Nothing is created twice, nothing is dropped silently.

5. **Result.** :class:`BulkResult` lists every draft as ``created`` (with its
   :class:`~freshbooks_async.models.Invoice`), ``failed`` (with the final error; not
   created), ``invalid`` (never sent), ``unknown`` (see above) or ``not_attempted``
   (stopped before it could be created; not created, safe to submit again).

6. **Surviving a crash.** A bulk call cannot know what a killed process had on the wire,
   so the caller keeps a *journal*: ``on_send`` is called synchronously with a
   :class:`BulkSend` (draft, reference, invoice number, attempt, baseline, time) right
   before each POST leaves, and a caller that writes it durably (flush + fsync) before
   returning knows afterwards which drafts may have been created without a recorded
   outcome. The next call passes those as ``in_doubt={index: BulkSend}`` (with
   ``references`` so each draft keeps its reference, and ``claimed_ids``: the invoices
   already recorded as created). Before anything is posted, it waits until
   ``reconcile_delay`` seconds have passed since the latest of those sends (the server
   may still be finishing a create whose client died), then looks each one up as in 4:
   by the invoice number it was sent with, else by its reference in the field it was
   written to, else by fingerprint against that call's baseline. Found: ``created``
   with ``reconciled=True``, nothing posted. Not found: posted like any other draft.
   Cannot be looked up (no key; the look-up failed): ``unknown``, not posted, unless
   ``post_unresolved=True``. ``freshbooks-async bulk-create`` does exactly this with
   its results file.

7. **The coordinator failing.** A coordinator that cannot be reached (Redis down longer
   than its ``unavailable_timeout``:
   :class:`~freshbooks_async.errors.CoordinatorUnavailableError`) before a POST means the
   POST is not sent: that draft is ``not_attempted`` with the error, and the call stops
   as if ``stop`` were set (every draft not started is ``not_attempted`` with the same
   error; creates on the wire finish). Nothing is sent without a slot and a number, so
   nothing is created twice.

Stopping early: set ``stop`` (an :class:`asyncio.Event`) or pass ``deadline`` (seconds
on the client's clock). No new create starts; creates on the wire finish, set-aside
drafts are still reconciled, and everything left is ``not_attempted``: the call returns a
complete result. Cancelling the task instead propagates :class:`asyncio.CancelledError`
at once (POSTs on the wire are abandoned, so their drafts' fate is unknown); drafts
already settled were passed to ``on_item`` as they settled, so a caller can keep them.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import inspect
import logging
import os
import secrets
import weakref
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, TypeVar

import attrs
import backoff

from ._numbering import NumberAllocator
from ._pipeline import APIResponse, build_path, check_account_id
from ._secrets import NO_SECRETS
from ._validate import check_int as _check_int
from ._validate import check_seconds as _check_seconds
from .coordination import Coordinator, SlotLease, next_invoice_numbers, reacquire_slot
from .errors import (
    APIError,
    BulkError,
    ConflictError,
    CoordinatorError,
    FreshBooksError,
    NumberingNotSeededError,
    ReadTimeoutError,
    RequestMaybeSentError,
    ResponseDecodeError,
    ServerError,
    UnprocessableEntityError,
    ValidationError,
)
from .models import Invoice, InvoiceCreate, WriteModel, decode, to_payload
from .models._payload import payload_from_mapping
from .pagination import Page, Paginator, page_from_response

if TYPE_CHECKING:
    from .client import FreshBooksClient

__all__ = [
    "REFERENCE_FIELDS",
    "BulkItem",
    "BulkProgress",
    "BulkResult",
    "BulkSend",
    "BulkStatus",
    "bulk_create_invoices",
]

logger = logging.getLogger("freshbooks_async.bulk")

T = TypeVar("T")

_INVOICES: Final = "/accounting/account/{account_id}/invoices/invoices"
_REFERENCE_HEADER: Final = "X-Client-Reference"
#: Errno FreshBooks uses for "invoice number already exists" (as the sandbox answers).
_NUMBER_EXISTS_ERRNO: Final = 1029

#: Text fields that can carry a draft's reference (``reference_field``).
REFERENCE_FIELDS: Final = frozenset(
    {"po_number", "notes", "terms", "description", "address", "vat_number", "code"}
)


class BulkStatus(enum.StrEnum):
    """Where a draft ended up."""

    CREATED = "created"
    FAILED = "failed"
    INVALID = "invalid"
    UNKNOWN = "unknown"
    NOT_ATTEMPTED = "not_attempted"


@attrs.frozen(kw_only=True)
class BulkItem(Generic[T]):
    """The outcome of one draft.

    Attributes:
        index: The draft's position in the input.
        status: See :class:`BulkStatus`.
        invoice: The created invoice (``created`` only).
        error: The final error (``failed``/``invalid``/``unknown``; the last error seen
            for ``not_attempted``, if any).
        attempts: POSTs sent for this draft.
        reference: The unique reference sent as ``X-Client-Reference`` (and written to
            ``reference_field`` when one was given).
        reconciled: The invoice was found by a look-up after an ambiguous failure.
    """

    index: int
    status: BulkStatus
    invoice: T | None = None
    error: BaseException | None = attrs.field(default=None, eq=False)
    attempts: int = 0
    reference: str = ""
    reconciled: bool = False

    @property
    def ok(self) -> bool:
        """Whether the draft was created."""
        return self.status is BulkStatus.CREATED


@attrs.frozen(kw_only=True)
class BulkSend:
    """A create about to leave, passed to ``on_send`` right before its POST.

    Write it durably before returning from ``on_send`` and pass it back as
    ``in_doubt`` if the process dies before the draft's outcome is recorded: it holds
    what is needed to find out whether the create happened.

    Attributes:
        index: The draft's position in the call's input.
        reference: The draft's reference (``X-Client-Reference``, and the value written
            to ``reference_field`` if any).
        invoice_number: The number the POST carries (client numbering or the draft's
            own), or ``None`` when FreshBooks numbers it.
        attempt: This draft's POST count in the call, 1 for the first.
        reference_field: The field the reference was written to, or ``None``.
        baseline: The id of the account's newest invoice before the call's first create
            (for the fingerprint look-up), or ``None`` if it was not read.
        sent_at: When the POST left, as Unix time on the client's clock (``None`` if not
            known; a later call then does not wait before looking it up).
    """

    index: int
    reference: str
    invoice_number: str | None = None
    attempt: int = 1
    reference_field: str | None = None
    baseline: int | None = None
    sent_at: float | None = None

    def __attrs_post_init__(self) -> None:
        _check_int("index", self.index, 0)
        if not isinstance(self.reference, str) or not self.reference:
            raise TypeError(f"reference: expected a non-empty str, got {self.reference!r}")
        if self.invoice_number is not None and (
            not isinstance(self.invoice_number, str) or not self.invoice_number
        ):
            raise TypeError(
                f"invoice_number: expected a non-empty str or None, got {self.invoice_number!r}"
            )
        _check_int("attempt", self.attempt, 1)
        if self.reference_field is not None and self.reference_field not in REFERENCE_FIELDS:
            raise ValueError(
                f"reference_field: must be one of {sorted(REFERENCE_FIELDS)} or None, "
                f"got {self.reference_field!r}"
            )
        if self.baseline is not None:
            _check_int("baseline", self.baseline, 0)
        if self.sent_at is not None:
            _check_seconds("sent_at", self.sent_at)


@attrs.frozen(kw_only=True)
class BulkProgress:
    """Counts passed to ``on_progress`` after every change.

    Attributes:
        total: Drafts in the call.
        created: Drafts created so far.
        failed: Drafts settled as ``failed`` so far.
        invalid: Drafts settled as ``invalid`` so far.
        unknown: Drafts settled as ``unknown`` so far.
        not_attempted: Drafts settled as ``not_attempted`` so far.
        attempts: POSTs sent so far.
        conflicts: 409 (and "number exists") answers so far.
        in_flight: POSTs on the wire now.
    """

    total: int
    created: int = 0
    failed: int = 0
    invalid: int = 0
    unknown: int = 0
    not_attempted: int = 0
    attempts: int = 0
    conflicts: int = 0
    in_flight: int = 0

    @property
    def done(self) -> int:
        """Drafts settled, whatever their status."""
        return self.created + self.failed + self.invalid + self.unknown + self.not_attempted


@attrs.frozen(kw_only=True)
class BulkResult(Generic[T]):
    """Every draft's outcome, aligned with the input.

    Attributes:
        items: One :class:`BulkItem` per draft, in input order.
        attempts: POSTs sent in total.
        requests: All requests sent (POSTs, look-ups, number reads).
        conflicts: 409 (and "number exists") answers received.
        reconciled: Drafts found created after an ambiguous failure.
        elapsed: Seconds the call took (client clock).
        stopped: Whether ``stop``/``deadline`` ended the call early.
    """

    items: tuple[BulkItem[T], ...]
    attempts: int = 0
    requests: int = 0
    conflicts: int = 0
    reconciled: int = 0
    elapsed: float = 0.0
    stopped: bool = False

    def _with(self, status: BulkStatus) -> list[BulkItem[T]]:
        return [item for item in self.items if item.status is status]

    @property
    def created(self) -> list[T]:
        """The created invoices, in input order."""
        return [i.invoice for i in self.items if i.status is BulkStatus.CREATED and i.invoice]

    @property
    def failed(self) -> list[BulkItem[T]]:
        """Items not created (``failed``, ``invalid``, ``unknown`` and ``not_attempted``)."""
        return [item for item in self.items if item.status is not BulkStatus.CREATED]

    @property
    def counts(self) -> dict[str, int]:
        """``{status: number of drafts}`` for every status."""
        return {status.value: len(self._with(status)) for status in BulkStatus}

    @property
    def ok(self) -> bool:
        """Whether every draft was created."""
        return all(item.status is BulkStatus.CREATED for item in self.items)

    def raise_for_failures(self) -> None:
        """Raise :class:`~freshbooks_async.errors.BulkError` unless every draft was created.

        Raises:
            BulkError: With this result as ``.result``.
        """
        if self.ok:
            return
        counts = ", ".join(f"{n} {s}" for s, n in self.counts.items() if n)
        first = next(i for i in self.items if i.status is not BulkStatus.CREATED)
        raise BulkError(
            f"bulk create: {counts}; first problem: draft {first.index} {first.status}"
            + (f": {first.error}" if first.error is not None else ""),
            self,
        )

    def __repr__(self) -> str:
        return (
            f"BulkResult({self.counts}, attempts={self.attempts}, requests={self.requests}, "
            f"elapsed={self.elapsed:.3f}s, stopped={self.stopped})"
        )


# ----------------------------------------------------------------------------- internals

# Invoice ids known to have been created by a bulk call, per client and account: the
# fingerprint reconciliation never attributes those to another draft.
_CLAIMED: weakref.WeakKeyDictionary[Any, dict[str, set[int]]] = weakref.WeakKeyDictionary()

# Fields compared by the fingerprint match (when both the draft and the invoice have them).
_SCALARS: Final = (
    "customerid",
    "create_date",
    "invoice_number",
    "po_number",
    "notes",
    "terms",
    "currency_code",
    "discount_value",
    "due_offset_days",
    "organization",
    "fname",
    "lname",
    "address",
    "street",
    "city",
    "province",
    "code",
    "country",
    "language",
)
_LINE_FIELDS: Final = ("name", "description", "qty", "unit_cost", "type", "expenseid")


def _norm(value: Any) -> Any:
    if isinstance(value, Mapping) and "amount" in value:
        value = value["amount"]
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value)).normalize()
    if isinstance(value, str):
        text = value.strip()
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            return text
        return number.normalize() if number.is_finite() else text
    return value


def matches_draft(payload: Mapping[str, Any], invoice: Mapping[str, Any]) -> bool:
    """Whether ``invoice`` (JSON, with lines if the draft has some) has the draft's content."""
    for key in _SCALARS:
        if key in payload and key in invoice and _norm(payload[key]) != _norm(invoice[key]):
            return False
    lines = payload.get("lines")
    found = invoice.get("lines")
    if lines and isinstance(found, list):
        if len(lines) != len(found):
            return False
        for want, got in zip(lines, found, strict=True):
            if not isinstance(want, Mapping) or not isinstance(got, Mapping):
                return False
            for key in _LINE_FIELDS:
                if key in want and key in got and _norm(want[key]) != _norm(got[key]):
                    return False
    return True


@attrs.define(eq=False)
class _Draft:
    index: int
    payload: dict[str, Any]
    reference: str
    own_number: bool  # the draft set invoice_number itself
    injected: bool = False  # the reference was written to reference_field by us
    doubt: BulkSend | None = None  # an earlier call's last send of it (in_doubt)
    sent: dict[str, Any] | None = None  # the payload as that earlier send carried it
    attempts: int = 0
    number_generation: int = 0
    number: str | None = None  # client numbering: the number allocated to this draft
    number_conflicts: int = 0  # 409s answered to the current number
    backoff_mark: int = 0  # creates of the call when this draft's backoff began
    last_error: BaseException | None = None


class _Outcome(enum.Enum):
    CREATED = "created"
    CONFLICT = "conflict"  # 409 or number taken: not created, try again
    NUMBER_TAKEN = "number_taken"  # client numbering: re-sync then try again
    RETRY = "retry"  # not created (looked up), try again
    DEFER = "defer"  # ambiguous, fingerprint reconciliation later
    FAILED = "failed"
    UNKNOWN = "unknown"
    NOT_SENT = "not_sent"  # on_send or the coordinator failed: nothing sent, the call stops


@attrs.frozen
class _Attempt:
    draft: _Draft
    outcome: _Outcome
    invoice: Invoice | None = None
    error: BaseException | None = None
    reconciled: bool = False


#: Where this package's modules live (``_release_frames`` clears only their frames).
_PACKAGE_DIR: Final = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _release_frames(error: BaseException) -> None:
    """Drop the local variables of this package's finished frames in ``error``'s
    tracebacks (and its causes'); the tracebacks still print.

    A kept error's traceback holds the frames it went through, and their locals: the
    attempt's draft (which holds the error: a reference cycle only the garbage collector
    frees), the response, its headers. One per 409 kept thousands of frames alive in a
    5,000-draft batch and lengthened every collection. Frames of other code (an
    ``on_send`` callback's, say) are left alone: clearing a suspended generator's frame
    would close it. So are frames still running (this call's own).
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        tb = current.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            if frame.f_code.co_filename.startswith(_PACKAGE_DIR):
                with contextlib.suppress(RuntimeError):  # still executing
                    frame.clear()
            tb = tb.tb_next
        current = current.__cause__ or current.__context__


def _payload_of(draft: object) -> dict[str, Any]:
    if isinstance(draft, InvoiceCreate):
        return to_payload(draft)
    if isinstance(draft, WriteModel):
        raise TypeError(f"expected InvoiceCreate or a mapping, got {type(draft).__name__}")
    if isinstance(draft, Mapping):
        return payload_from_mapping(InvoiceCreate, draft)
    raise TypeError(
        f"expected a mapping of invoice fields or an InvoiceCreate, got "
        f"{type(draft).__name__}: {draft!r}"
    )


#: The smallest adaptive 409 backoff ceiling (seconds), for near-zero latencies.
_MIN_ADAPTIVE_BACKOFF: Final = 0.001

#: Invoices one read of the numbers in use covers (FreshBooks' largest page).
_NUMBERS_PAGE: Final = 100


def _retrieve(future: asyncio.Future[Any]) -> None:
    """Mark a shared task's exception retrieved (its waiters, if any, got it)."""
    if not future.cancelled():
        future.exception()


#: Re-seeds of a lost shared counter one allocation tries before giving up.
_MAX_RESEEDS: Final = 3


class _ClientNumbering:
    """Where client numbering's invoice numbers come from: the account's counter in the
    client's coordinator (shared by every client and process using it), seeded from the
    numbers in use; and where taken numbers are reported.

    Numbers are asked for a round of drafts at a time (as many as the call's concurrency,
    at most as many as drafts still need one), together: a shared coordinator answers
    them in one round trip. ``taken`` moves the counter past a number found taken and
    re-reads the numbers in use, once per round of collisions in this call: creates that
    find out at once share one read, and a number chosen before the last read never
    causes another. A counter that lost its value (a Redis restart without persistence)
    is seeded again from the numbers in use, past the last number this call saw.
    """

    def __init__(
        self,
        coordinator: Coordinator,
        account_id: str,
        read_in_use: Callable[[], Awaitable[list[str]]],
        reserved: set[str],
        wanted: Callable[[], int],
        chunk: int,
    ) -> None:
        self.coordinator = coordinator
        self.account_id = account_id
        self.read_in_use = read_in_use
        self.reserved = reserved  # the batch's own numbers: never handed out
        self.wanted = wanted  # how many drafts still need a number
        self.chunk = chunk
        self.numbers: deque[str] = deque()  # handed out by the counter, not used yet
        self.anchor: str | None = None  # the last number known, in the counter's sequence
        self.generation = 0  # re-reads after a taken number so far
        self.seeds = 0  # (re-)seedings so far
        self.lock = asyncio.Lock()
        self.fetching: asyncio.Future[None] | None = None

    async def seed(self, newest: str | None, in_use: Iterable[str]) -> None:
        """Seed the counter (or move it forward) past the highest number in use in the
        sequence of the account's newest invoice.

        Raises:
            CoordinatorError: The coordinator failed.
        """
        start = NumberAllocator.seeded(newest, in_use).last
        await self.coordinator.advance_invoice_numbers(self.account_id, start)
        self.anchor = start
        self.seeds += 1

    async def allocate(self) -> tuple[str, int]:
        """A number for a draft, and the generation it was chosen in.

        Raises:
            CoordinatorError: The coordinator failed, or its counter stayed unseeded.
            FreshBooksError: Reading the numbers in use to seed it again failed.
        """
        while True:
            if self.numbers:
                number = self.numbers.popleft()
                if number in self.reserved:
                    continue
                if len(self.numbers) < self.chunk // 2:
                    # The next round's numbers on their way before they are needed (never
                    # more than the drafts after this one need).
                    self.start_fetch(self.wanted() - 1 - len(self.numbers))
                return number, self.generation
            # One fetch for every draft that needs a number now; all wake when it ends.
            fetching = self.start_fetch(max(1, self.wanted()))
            if fetching is None:
                continue
            await asyncio.shield(fetching)

    def start_fetch(self, wanted: int) -> asyncio.Future[None] | None:
        """The fetch under way, or a new one for ``wanted`` numbers (``None`` if none
        are wanted)."""
        fetching = self.fetching
        if fetching is not None and not fetching.done():
            return fetching
        if wanted <= 0:
            return None
        fetching = self.fetching = asyncio.ensure_future(self.fetch(wanted))
        fetching.add_done_callback(_retrieve)
        return fetching

    async def fetch(self, wanted: int) -> None:
        """Ask the counter for the next round of numbers, at most ``wanted``, in one call
        (:func:`~freshbooks_async.coordination.next_invoice_numbers`: one round trip to a
        shared coordinator)."""
        count = max(1, min(self.chunk, wanted))
        reseeds = 0
        while True:
            try:
                numbers = await next_invoice_numbers(self.coordinator, self.account_id, count)
            except NumberingNotSeededError:
                if reseeds >= _MAX_RESEEDS:
                    raise
                reseeds += 1
                await self.reseed()
                continue
            self.numbers.extend(numbers)  # in the order the counter handed them out
            self.anchor = numbers[-1]  # the counter's sequence, where it was last seen
            return

    async def reseed(self) -> None:
        """The counter lost its value: seed it past the numbers in use and the last number
        this call saw (one read for every allocation that found out at once)."""
        seeds = self.seeds
        async with self.lock:
            if self.seeds != seeds:
                return  # another allocation seeded it meanwhile
            in_use = await self.read_in_use()
            logger.warning(
                "bulk create: account %s: the shared invoice counter lost its value; "
                "seeding it again from the %d numbers in use",
                self.account_id,
                len(in_use),
            )
            allocator = NumberAllocator(self.anchor)
            for used in in_use:
                allocator.jump_past(used)
            await self.coordinator.advance_invoice_numbers(self.account_id, allocator.last)
            self.seeds += 1

    async def taken(self, number: str | None, generation: int) -> None:
        """``number``, chosen in ``generation``, exists: move the counter past it, and past
        the highest number in use unless they were re-read since it was chosen."""
        try:
            await self.coordinator.advance_invoice_numbers(self.account_id, number)
        except CoordinatorError as exc:
            # The next allocation meets the same failure (and stops the call), or the
            # coordinator is back and a number still taken draws one more collision.
            logger.warning("bulk create: moving the invoice counter failed: %s", exc)
            return
        async with self.lock:
            if generation < self.generation:
                return  # a re-read already happened since this number was chosen
            self.generation += 1
            self.numbers.clear()  # handed out before the collision: may be taken too
            try:
                in_use = await self.read_in_use()
            except FreshBooksError as exc:
                logger.warning("bulk create: re-reading the invoice numbers failed: %s", exc)
                return
            allocator = NumberAllocator(number)
            for used in in_use:
                allocator.jump_past(used)
            if allocator.last != number:
                try:
                    await self.coordinator.advance_invoice_numbers(self.account_id, allocator.last)
                except CoordinatorError as exc:
                    logger.warning("bulk create: moving the invoice counter failed: %s", exc)


class _Bulk:
    """One bulk call: its workers, their queue and the bookkeeping."""

    def __init__(
        self,
        client: FreshBooksClient,
        account_id: str,
        *,
        concurrency: int,
        numbering: str,
        max_attempts: int,
        on_progress: Callable[[BulkProgress], object] | None,
        on_item: Callable[[BulkItem[Invoice]], object] | None,
        reference_field: str | None,
        backoff_base: float | None,
        backoff_max: float,
        reconcile_delay: float,
        stop: asyncio.Event | None,
        deadline: float | None,
        on_send: Callable[[BulkSend], object] | None = None,
        references: Sequence[str] | None = None,
        in_doubt: Mapping[int, BulkSend] | None = None,
        claimed_ids: frozenset[int] = frozenset(),
        post_unresolved: bool = False,
    ) -> None:
        self.client = client
        self.on_send = on_send
        self.references = references
        self.in_doubt: Mapping[int, BulkSend] = in_doubt or {}
        self.known_ids = claimed_ids  # created by earlier calls (the caller's records)
        self.post_unresolved = post_unresolved
        self.account_id = account_id
        self.path = build_path(_INVOICES, account_id=account_id)
        self.concurrency = concurrency
        self.numbering = numbering
        self.max_attempts = max_attempts
        self.on_progress = on_progress
        self.on_item = on_item
        self.reference_field = reference_field
        self.backoff_base = backoff_base
        self.latency: float | None = None  # EWMA of create round trips (client clock)
        self.backoff_max = backoff_max
        self.reconcile_delay = reconcile_delay
        self.stop = stop if stop is not None else asyncio.Event()
        self.deadline = deadline
        # The account's slots, in the client's coordinator: one is held while a POST is on
        # the wire (shared with every bulk call, and process, using that coordinator).
        self.coordinator: Coordinator = client.coordinator
        self.slot_limit = client.per_account_concurrency
        self.stop_error: BaseException | None = None  # why the call stopped by itself
        self.clock = client.clock
        self.claimed = _CLAIMED.setdefault(client, {}).setdefault(account_id, set())
        self.results: list[BulkItem[Invoice] | None] = []
        self.ready: deque[_Draft] = deque()
        self.timers: dict[asyncio.Task[None], _Draft] = {}  # drafts in 409 backoff
        # The last creates' outcomes (True: created, False: 409): a storm or not.
        self.recent: deque[bool] = deque(maxlen=max(8, 2 * concurrency))
        self.busy = 0  # workers in an attempt (or reconciling set-aside drafts)
        self.changed = asyncio.Event()  # wakes idle workers: work queued, stop, or done
        # Cancelled timers not finished yet, awaited at the end (a finished one leaves, so
        # its cancellation's traceback does not keep its draft alive).
        self.graveyard: set[asyncio.Task[None]] = set()
        self.deferred: list[_Draft] = []
        self.numbers: _ClientNumbering | None = None  # client numbering, once started
        self.to_number = 0  # queued drafts that still need a number (client numbering)
        self.reserved: set[str] = set()
        self.sort_numbers = True  # the server sorts invoices by number (until it refuses)
        self.baseline = 0
        self.baseline_read = False
        self.counts: dict[BulkStatus, int] = dict.fromkeys(BulkStatus, 0)
        self.attempts = 0
        self.requests = 0
        # The secrets of the reads whose invoices may be decoded later (look-ups,
        # reconciliation): what that decoding raises is scrubbed of them.
        self.read_secrets = NO_SECRETS
        self.conflicts = 0
        self.reconciled = 0
        self.in_flight = 0
        self.stopped = False

    # ------------------------------------------------------------ reporting

    def progress(self) -> None:
        if self.on_progress is None:
            return
        snapshot = BulkProgress(
            total=len(self.results),
            created=self.counts[BulkStatus.CREATED],
            failed=self.counts[BulkStatus.FAILED],
            invalid=self.counts[BulkStatus.INVALID],
            unknown=self.counts[BulkStatus.UNKNOWN],
            not_attempted=self.counts[BulkStatus.NOT_ATTEMPTED],
            attempts=self.attempts,
            conflicts=self.conflicts,
            in_flight=self.in_flight,
        )
        try:
            self.on_progress(snapshot)
        except Exception:  # a progress bar must not lose a half-done batch
            logger.exception("bulk create: on_progress raised; continuing")

    def settle(
        self,
        index: int,
        status: BulkStatus,
        *,
        invoice: Invoice | None = None,
        error: BaseException | None = None,
        attempts: int = 0,
        reference: str = "",
        reconciled: bool = False,
    ) -> None:
        item: BulkItem[Invoice] = BulkItem(
            index=index,
            status=status,
            invoice=invoice,
            error=error,
            attempts=attempts,
            reference=reference,
            reconciled=reconciled,
        )
        self.results[index] = item
        self.counts[status] += 1
        if invoice is not None and isinstance(invoice.id, int):
            self.claimed.add(invoice.id)
        if self.on_item is not None:
            try:
                self.on_item(item)
            except Exception:
                logger.exception("bulk create: on_item raised; continuing")
        self.progress()

    def settle_draft(self, draft: _Draft, status: BulkStatus, **kwargs: Any) -> None:
        kwargs.setdefault("error", draft.last_error)
        self.settle(
            draft.index, status, attempts=draft.attempts, reference=draft.reference, **kwargs
        )

    # ------------------------------------------------------------ requests

    async def get(self, params: list[tuple[str, object]]) -> APIResponse:
        self.requests += 1
        response = await self.client.request("GET", self.path, params=params)
        self.read_secrets = self.read_secrets.merged(response._secrets)
        return response

    async def read_latest(self) -> tuple[str | None, int]:
        """The newest invoice's number and id (default order: newest first)."""
        response = await self.get([("page", 1), ("per_page", 1)])
        page = page_from_response(response, lambda x: x, items_key="invoices", per_page=1)
        if not page.items or not isinstance(page.items[0], Mapping):
            return None, 0
        newest = page.items[0]
        number = newest.get("invoice_number")
        ident = newest.get("id", newest.get("invoiceid"))
        return (
            number if isinstance(number, str) and number else None,
            ident if isinstance(ident, int) else 0,
        )

    async def start_numbering(self) -> None:
        """Client numbering: read the newest invoice (its sequence, and the fingerprint
        baseline) and the numbers in use, together, then seed the numbering.

        Raises:
            FreshBooksError: A read failed (both are waited for).
        """
        newest, in_use = await asyncio.gather(
            self.read_latest(), self.read_numbers_in_use(), return_exceptions=True
        )
        if isinstance(newest, BaseException):
            raise newest
        if isinstance(in_use, BaseException):
            raise in_use
        latest, self.baseline = newest
        self.baseline_read = True
        self.numbers = _ClientNumbering(
            self.coordinator,
            self.account_id,
            self.read_numbers_in_use,
            self.reserved,
            wanted=lambda: self.to_number,
            chunk=self.concurrency,
        )
        try:
            await self.numbers.seed(latest, in_use)
        except CoordinatorError as exc:
            # Nothing can be numbered: no create is sent; drafts an earlier call may have
            # created are still looked up (that needs no coordinator).
            self.give_up(exc)

    async def read_numbers_in_use(self) -> list[str]:
        """Invoice numbers in use: one page, highest first (``sort=invoice_number_desc``;
        newest first from a server that refuses that sort, which is then not asked
        again). The allocator finds the highest itself: the order only decides which
        numbers the page holds."""
        params: list[tuple[str, object]] = [("page", 1), ("per_page", _NUMBERS_PAGE)]
        if not self.sort_numbers:
            response = await self.get(params)
        else:
            try:
                response = await self.get([("sort", "invoice_number_desc"), *params])
            except (ValidationError, UnprocessableEntityError) as exc:
                logger.info("bulk create: invoices cannot be sorted by number here: %s", exc)
                self.sort_numbers = False
                response = await self.get(params)
        page = page_from_response(
            response, lambda x: x, items_key="invoices", per_page=_NUMBERS_PAGE
        )
        numbers: list[str] = []
        for item in page.items:
            number = item.get("invoice_number") if isinstance(item, Mapping) else None
            if isinstance(number, str) and number:
                numbers.append(number)
        return numbers

    async def lookup(self, field: str, value: str) -> list[dict[str, Any]]:
        response = await self.get(
            [(f"search[{field}]", value), ("include[]", "lines"), ("per_page", 100)]
        )
        page = page_from_response(response, lambda x: x, items_key="invoices")
        return [
            item
            for item in page.items
            if isinstance(item, dict) and _norm(item.get(field)) == _norm(value)
        ]

    def decode_invoice(self, data: Any) -> Invoice:
        if isinstance(data, Mapping) and isinstance(data.get("invoice"), Mapping):
            data = data["invoice"]
        return decode(Invoice, data)

    # ------------------------------------------------------------ one attempt

    async def attempt_once(self, draft: _Draft, kept: list[SlotLease] | None = None) -> _Attempt:
        """One attempt, plus the re-sync a taken number calls for (in this task).

        ``kept``: the worker's slot between two drafts (see :meth:`worker`).
        """
        result = await self.attempt(draft, kept)
        if result.error is not None:
            _release_frames(result.error)
        if result.outcome is _Outcome.NUMBER_TAKEN and self.numbers is not None:
            await self.numbers.taken(draft.number, draft.number_generation)
        # Drop this frame's locals as it returns. From Python 3.12 on, a finished coroutine
        # frame that the kept error's traceback reaches (through the f_back links of the
        # frames in it) keeps its locals: self -> the run -> the error -> its traceback ->
        # this frame, a cycle per 409 that only the garbage collector would free.
        try:
            return result
        finally:
            del result, draft, self, kept

    async def attempt(self, draft: _Draft, kept: list[SlotLease] | None = None) -> _Attempt:
        """Post ``draft`` once, holding one of the account's slots while it is on the wire.

        ``kept`` holds the slot of the worker's previous create when the worker went
        straight on to this draft: it is exchanged for this create's slot in one step
        (:func:`~freshbooks_async.coordination.reacquire_slot`). A create that ends
        ``created`` leaves its slot in ``kept`` for the next draft (the worker gives it
        back if it has none at once, and one left here when the allocation failed); every
        other outcome gives it back here.
        """
        draft.attempts += 1
        self.attempts += 1
        payload = draft.payload
        try:
            if self.numbers is not None and not draft.own_number and draft.number is None:
                # A draft keeps its number across retries (no gaps in the numbering); it
                # gets a new one only when its number turned out to be taken.
                number, draft.number_generation = await self.numbers.allocate()
                payload["invoice_number"] = number
                draft.number = number
                self.to_number -= 1
                draft.number_conflicts = 0
            if kept:
                slot = await reacquire_slot(self.coordinator, kept.pop())
            else:
                slot = await self.coordinator.acquire_slot(self.account_id, self.slot_limit)
        except FreshBooksError as exc:  # the coordinator failed (or a re-seeding read): not sent
            draft.attempts -= 1
            self.attempts -= 1
            # A slot still in `kept` (the allocation failed) is the worker's to give back:
            # no await here, where the error may be shared with other workers' frames.
            return _Attempt(draft, _Outcome.NOT_SENT, error=exc)
        created = False
        try:
            if self.on_send is not None:
                try:
                    self.on_send(self.send_record(draft))
                except Exception as exc:  # the journal failed: this POST must not leave
                    draft.attempts -= 1
                    self.attempts -= 1
                    return _Attempt(draft, _Outcome.NOT_SENT, error=exc)
            self.in_flight += 1
            sent_at = self.clock.monotonic()
            try:
                response = await self.client.request(
                    "POST",
                    self.path,
                    json={"invoice": payload},
                    headers={_REFERENCE_HEADER: draft.reference},
                )
            except ConflictError as exc:
                draft.last_error = exc
                return self.conflict(draft, exc)
            except ValidationError as exc:
                draft.last_error = exc
                if self.number_exists(exc):
                    return self.conflict(draft, exc)
                return _Attempt(draft, _Outcome.FAILED, error=exc)
            except (RequestMaybeSentError, ServerError, ResponseDecodeError) as exc:
                draft.last_error = exc
                ambiguous = exc
            except FreshBooksError as exc:  # not processed (after the pipeline's retries)
                draft.last_error = exc
                return _Attempt(draft, _Outcome.FAILED, error=exc)
            else:
                try:
                    with response._secrets.guard():  # decode errors quote values
                        invoice = self.decode_invoice(response.data)
                except ResponseDecodeError as exc:
                    draft.last_error = exc
                    ambiguous = exc
                else:
                    created = True
                    return _Attempt(draft, _Outcome.CREATED, invoice=invoice)
            finally:
                self.in_flight -= 1
                self.observe(self.clock.monotonic() - sent_at)
        finally:
            if created and kept is not None:
                kept.append(slot)  # for the worker's next draft
            else:
                # Given back however the attempt ends (shielded: a cancelled attempt too).
                await asyncio.shield(self.coordinator.release_slot(slot))
        # The slot is given back: reconcile before anything is sent again.
        return await self.reconcile(draft, ambiguous)

    def send_record(self, draft: _Draft) -> BulkSend:
        number = draft.payload.get("invoice_number")
        return BulkSend(
            index=draft.index,
            reference=draft.reference,
            invoice_number=str(number) if number else None,
            attempt=draft.attempts,
            reference_field=self.reference_field if self.reference_field else None,
            baseline=self.baseline if self.baseline_read else None,
            sent_at=self.clock.time(),
        )

    def is_claimed(self, ident: object) -> bool:
        """Whether invoice ``ident`` is known to be another draft's (never ours to take)."""
        return ident in self.claimed or ident in self.known_ids

    def number_exists(self, exc: APIError) -> bool:
        if exc.errno == _NUMBER_EXISTS_ERRNO:
            return True
        return any(
            d.field == "invoice_number" and "exist" in d.message.lower() for d in exc.details
        )

    def conflict(self, draft: _Draft, exc: APIError) -> _Attempt:
        self.conflicts += 1
        self.recent.append(False)
        if draft.own_number:  # the caller's own number is taken: nothing to re-number
            if isinstance(exc, ValidationError):
                return _Attempt(draft, _Outcome.FAILED, error=exc)
            return _Attempt(draft, _Outcome.CONFLICT, error=exc)
        if self.numbers is not None:
            draft.number_conflicts += 1
            if isinstance(exc, ValidationError) or draft.number_conflicts > 1:
                # "already exists", or a second 409 for the same number: someone else
                # holds it. A first 409 ("modified by another request", DOCS:errors
                # errno 409) is retried with the same number after a backoff.
                return _Attempt(draft, _Outcome.NUMBER_TAKEN, error=exc)
        return _Attempt(draft, _Outcome.CONFLICT, error=exc)

    async def reconcile(self, draft: _Draft, error: BaseException) -> _Attempt:
        if isinstance(error, ReadTimeoutError) and self.reconcile_delay:
            await self.clock.sleep(self.reconcile_delay)
        payload = draft.payload
        if self.numbers is not None or draft.own_number:
            field, value = "invoice_number", str(payload.get("invoice_number", ""))
        elif self.reference_field is not None:
            field, value = self.reference_field, draft.reference
        else:
            return _Attempt(draft, _Outcome.DEFER, error=error)
        try:
            found = await self.lookup(field, value)
        except FreshBooksError as exc:
            exc.__context__ = error
            return _Attempt(draft, _Outcome.UNKNOWN, error=exc)
        mine = [f for f in found if matches_draft(payload, f) and not self.is_claimed(f.get("id"))]
        if mine:
            try:
                with self.read_secrets.guard():
                    invoice = decode(Invoice, mine[0])
            except ResponseDecodeError as exc:
                return _Attempt(draft, _Outcome.UNKNOWN, error=exc)
            return _Attempt(draft, _Outcome.CREATED, invoice=invoice, reconciled=True)
        if found and field == "invoice_number" and not draft.own_number:
            # Someone else holds the number: ours was not created. Re-number.
            return _Attempt(draft, _Outcome.NUMBER_TAKEN, error=error)
        return _Attempt(draft, _Outcome.RETRY, error=error)

    # ------------------------------------------------------------ fingerprints

    async def newer_invoices(self, baseline: int) -> list[dict[str, Any]]:
        """Invoices newer than ``baseline`` that no known create produced, oldest first.

        Raises:
            FreshBooksError: A page could not be read.
        """
        candidates: list[dict[str, Any]] = []
        path = self.path

        async def fetch(number: int, size: int) -> Page[Any]:
            self.requests += 1
            response = await self.client.request(
                "GET", path, params=[("include[]", "lines"), ("page", number), ("per_page", size)]
            )
            self.read_secrets = self.read_secrets.merged(response._secrets)
            return page_from_response(
                response, lambda x: x, items_key="invoices", page=number, per_page=size
            )

        async for page in Paginator(fetch, per_page=100, concurrency=4).pages():
            reached = False
            for item in page.items:
                ident = item.get("id") if isinstance(item, dict) else None
                if not isinstance(ident, int) or ident <= baseline:
                    reached = True
                    continue
                if not self.is_claimed(ident):
                    candidates.append(item)
            if reached:
                break
        candidates.sort(key=lambda c: c["id"])
        return candidates

    def match_fingerprints(
        self, drafts: Sequence[_Draft], candidates: Sequence[dict[str, Any]]
    ) -> list[tuple[_Draft, dict[str, Any] | None]]:
        """Each draft (in input order) with the oldest unclaimed invoice of its content."""
        taken: set[int] = set()
        pairs: list[tuple[_Draft, dict[str, Any] | None]] = []
        for draft in sorted(drafts, key=lambda d: d.index):
            payload = draft.sent if draft.sent is not None else draft.payload
            match = next(
                (
                    c
                    for c in candidates
                    if c["id"] not in taken
                    and not self.is_claimed(c["id"])
                    and matches_draft(payload, c)
                ),
                None,
            )
            if match is not None:
                taken.add(match["id"])
            pairs.append((draft, match))
        return pairs

    def settle_found(self, draft: _Draft, data: Mapping[str, Any]) -> None:
        """Settle ``draft`` as created by a look-up (``unknown`` if the invoice is unreadable)."""
        try:
            with self.read_secrets.guard():
                invoice = decode(Invoice, data)
        except ResponseDecodeError as exc:
            self.settle_draft(draft, BulkStatus.UNKNOWN, error=exc)
            return
        self.reconciled += 1
        self.settle_draft(draft, BulkStatus.CREATED, invoice=invoice, error=None, reconciled=True)

    async def reconcile_deferred(self) -> None:
        """Match set-aside drafts to unclaimed invoices newer than the baseline."""
        drafts, self.deferred = self.deferred, []
        try:
            candidates = await self.newer_invoices(self.baseline)
        except FreshBooksError as exc:
            for draft in drafts:
                self.settle_draft(draft, BulkStatus.UNKNOWN, error=exc)
            return
        for draft, match in self.match_fingerprints(drafts, candidates):
            if match is None:
                self.requeue(draft)
            else:
                self.settle_found(draft, match)

    # ------------------------------------------------------------ in doubt (earlier calls)

    async def wait_for_stragglers(self, drafts: Sequence[_Draft]) -> None:
        """Sleep until ``reconcile_delay`` has passed since the latest earlier send."""
        sent = [d.doubt.sent_at for d in drafts if d.doubt and d.doubt.sent_at is not None]
        if not sent or not self.reconcile_delay:
            return
        remaining = min(self.reconcile_delay, max(sent) + self.reconcile_delay - self.clock.time())
        if remaining > 0:
            await self.clock.sleep(remaining)

    async def resolve_in_doubt(self, drafts: Sequence[_Draft]) -> list[_Draft]:
        """Look up drafts an earlier call may have created; return those to post."""
        to_post: list[_Draft] = []

        def unresolved(draft: _Draft, error: BaseException) -> None:
            if self.post_unresolved:
                draft.last_error = error
                to_post.append(draft)
            else:
                self.settle_draft(draft, BulkStatus.UNKNOWN, error=error)

        keyed: list[tuple[_Draft, str, str]] = []
        by_fingerprint: list[_Draft] = []
        for draft in drafts:
            doubt = draft.doubt
            assert doubt is not None
            if doubt.invoice_number:
                keyed.append((draft, "invoice_number", doubt.invoice_number))
            elif doubt.reference_field:
                keyed.append((draft, doubt.reference_field, doubt.reference))
            elif doubt.baseline is not None:
                by_fingerprint.append(draft)
            else:
                unresolved(
                    draft,
                    LookupError(
                        f"draft {draft.index} may have been created by an earlier call, and "
                        "its send has no invoice number, reference field or baseline to "
                        "look it up by"
                    ),
                )
        gate = asyncio.Semaphore(self.concurrency)

        async def look(field: str, value: str) -> list[dict[str, Any]] | FreshBooksError:
            async with gate:
                try:
                    return await self.lookup(field, value)
                except FreshBooksError as exc:
                    return exc

        answers = await asyncio.gather(*(look(field, value) for _, field, value in keyed))
        for (draft, _, _), found in zip(keyed, answers, strict=True):
            if isinstance(found, FreshBooksError):
                unresolved(draft, found)
                continue
            sent = draft.sent if draft.sent is not None else draft.payload
            mine = [f for f in found if matches_draft(sent, f) and not self.is_claimed(f.get("id"))]
            if mine:
                self.settle_found(draft, mine[0])
            else:  # absent, or the number is someone else's: ours was not created
                to_post.append(draft)
        if by_fingerprint:
            baseline = min(d.doubt.baseline or 0 for d in by_fingerprint if d.doubt)
            try:
                candidates = await self.newer_invoices(baseline)
            except FreshBooksError as exc:
                for draft in by_fingerprint:
                    unresolved(draft, exc)
            else:
                for draft, match in self.match_fingerprints(by_fingerprint, candidates):
                    if match is None:
                        to_post.append(draft)
                    else:
                        self.settle_found(draft, match)
        for draft in to_post:
            draft.sent = None  # posted from now on: ambiguity is about this call's payload
        return to_post

    # ------------------------------------------------------------ scheduling

    def requeue(self, draft: _Draft, *, wait: bool = False, streak: int = 0) -> None:
        """Post ``draft`` again, at once or after a backoff whose ceiling doubles with
        ``streak`` (default: the draft's attempts so far)."""
        if draft.attempts >= self.max_attempts:
            self.settle_draft(draft, BulkStatus.FAILED)
        elif self.stopping():
            self.settle_draft(draft, BulkStatus.NOT_ATTEMPTED, error=self.halt_error(draft))
        elif not wait:
            self.ready.append(draft)
            self.changed.set()
        else:
            draft.backoff_mark = self.counts[BulkStatus.CREATED]
            waiting = self.backoff_wait(draft, streak or draft.attempts)
            self.timers[asyncio.ensure_future(waiting)] = draft

    def bury(self, timer: asyncio.Task[None]) -> None:
        """Cancel a backoff timer; it is awaited at the end unless it finishes first."""
        timer.cancel()
        self.graveyard.add(timer)
        timer.add_done_callback(self.graveyard.discard)

    def pull_forward(self) -> _Draft | None:
        """The draft backing off longest, taken out of its backoff, unless this is a
        409 storm; else ``None``.

        Called when a worker finds nothing ready: its slot would stay idle until a
        backoff ends. Backoff spreads retries out while creates keep failing (a 409
        storm: nothing succeeds, and every draft waits its full backoff). When creates
        succeed (most of the call's last ``max(8, 2 x concurrency)`` outcomes, or one
        since the draft's 409), a 409 was a collision among successes, and waiting on an
        idle slot only makes the batch's tail longer: the retry takes a slot that is
        free, so the call never has more creates in flight than with every slot busy.
        """
        created = self.counts[BulkStatus.CREATED]
        recent = self.recent
        succeeding = 2 * sum(recent) > len(recent)
        for timer, draft in self.timers.items():  # in the order the backoffs began
            if succeeding or created > draft.backoff_mark:
                del self.timers[timer]
                self.bury(timer)
                return draft
        return None

    def observe(self, seconds: float) -> None:
        previous = self.latency
        self.latency = seconds if previous is None else previous + 0.2 * (seconds - previous)

    async def backoff_wait(self, draft: _Draft, streak: int) -> None:
        base = self.backoff_base
        if base is None:  # adaptive: about one observed create round trip
            base = max(_MIN_ADAPTIVE_BACKOFF, self.latency or 0.0)
        ceiling = min(self.backoff_max, base * 2 ** max(0, streak - 1))
        await self.clock.sleep(backoff.full_jitter(ceiling))
        timer = asyncio.current_task()
        if timer is not None:
            self.timers.pop(timer, None)
        self.ready.append(draft)
        self.changed.set()

    def stopping(self) -> bool:
        if self.stop.is_set():
            return True
        if self.deadline is not None and self.clock.monotonic() >= self.deadline:
            self.stop.set()
            return True
        return False

    def give_up(self, error: BaseException) -> None:
        """Stop the call because nothing more can be sent (the journal or the coordinator
        failed): what has not started is ``not_attempted`` with ``error``."""
        if self.stop_error is None:
            logger.error("bulk create: %s; stopping (nothing more is sent)", error)
            self.stop_error = error
        self.stop.set()
        self.changed.set()

    def halt(self) -> None:
        """Stop requested: settle everything that has not started."""
        self.stopped = True
        while self.ready:
            draft = self.ready.popleft()
            self.settle_draft(draft, BulkStatus.NOT_ATTEMPTED, error=self.halt_error(draft))
        for timer, draft in self.timers.items():
            self.bury(timer)
            self.settle_draft(draft, BulkStatus.NOT_ATTEMPTED, error=self.halt_error(draft))
        self.timers.clear()

    def halt_error(self, draft: _Draft) -> BaseException | None:
        """The error a draft stopped before its (next) POST is reported with."""
        return draft.last_error if draft.last_error is not None else self.stop_error

    async def handle(self, result: _Attempt) -> None:
        draft = result.draft
        outcome = result.outcome
        if outcome is _Outcome.CREATED:
            if result.reconciled:
                self.reconciled += 1
            self.settle_draft(
                draft,
                BulkStatus.CREATED,
                invoice=result.invoice,
                error=None,
                reconciled=result.reconciled,
            )
            self.recent.append(True)
            if self.timers:
                self.changed.set()  # idle workers may take a backed-off draft now
        elif outcome is _Outcome.FAILED:
            self.settle_draft(draft, BulkStatus.FAILED, error=result.error)
        elif outcome is _Outcome.UNKNOWN:
            self.settle_draft(draft, BulkStatus.UNKNOWN, error=result.error)
        elif outcome is _Outcome.NOT_SENT:
            # The journal (on_send) or the coordinator failed before the POST left: the
            # drafts after it would fail alike, so the call stops.
            assert result.error is not None
            self.settle_draft(draft, BulkStatus.NOT_ATTEMPTED, error=result.error)
            self.give_up(result.error)
        elif outcome is _Outcome.DEFER:
            self.deferred.append(draft)
        elif outcome is _Outcome.NUMBER_TAKEN:  # the numbering moved on in the attempt task
            draft.number = None
            self.to_number += 1
            self.requeue(draft)
        elif outcome is _Outcome.CONFLICT and self.numbers is not None and not draft.own_number:
            # A 409 for a number this call chose is about that number, not a race with
            # this call's other creates: the backoff restarts with each new number
            # (a second 409 for the same number re-numbers the draft).
            self.requeue(draft, wait=True, streak=draft.number_conflicts)
        else:  # CONFLICT / RETRY: back off, then try again
            self.requeue(draft, wait=True)

    async def run(self, drafts: Sequence[object]) -> BulkResult[Invoice]:
        started = self.clock.monotonic()
        if self.deadline is not None:
            self.deadline += started
        self.results = [None] * len(drafts)
        prepared = self.prepare(drafts)
        self.progress()
        workers: list[asyncio.Task[None]] = []
        waker = asyncio.ensure_future(self.wake_on_stop())
        waker.add_done_callback(self.on_stop)
        try:
            if prepared:
                doubtful = [d for d in prepared if d.doubt is not None]
                if doubtful:  # a create whose client died may still be finishing
                    await self.wait_for_stragglers(doubtful)
                if self.numbering == "client":
                    await self.start_numbering()
                elif self.reference_field is None:
                    _, self.baseline = await self.read_latest()
                    self.baseline_read = True
                fresh = [d for d in prepared if d.doubt is None]
                if doubtful:  # reconciled before anything is posted
                    fresh.extend(await self.resolve_in_doubt(doubtful))
                    fresh.sort(key=lambda d: d.index)
                self.ready.extend(fresh)
                self.to_number = sum(1 for d in fresh if not d.own_number)
                # From here a draft lives only while it is queued or in flight: its
                # payload and errors are freed as soon as it is settled.
                del prepared, fresh, doubtful
            workers = [asyncio.ensure_future(self.worker()) for _ in range(self.concurrency)]
            await asyncio.gather(*workers)
        finally:
            pending: list[asyncio.Future[Any]] = [
                *workers,
                *self.timers,
                *self.graveyard,
                waker,
            ]
            for future in pending:
                future.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        items = tuple(item for item in self.results if item is not None)
        assert len(items) == len(drafts), "every draft must be accounted for"
        return BulkResult(
            items=items,
            attempts=self.attempts,
            requests=self.requests + self.attempts,
            conflicts=self.conflicts,
            reconciled=self.reconciled,
            elapsed=self.clock.monotonic() - started,
            stopped=self.stopped,
        )

    async def worker(self) -> None:
        """Post drafts one after another until none is left.

        ``concurrency`` workers share the queue: a worker handles its answer and posts the
        next draft in the same step, so no coordinator hop delays the next POST. A worker
        whose create succeeded and that has a draft to post at once keeps its account slot
        for it (exchanged in one step, which costs a shared coordinator no round trip while
        no one else waits); a worker with nothing to post at once gives its slot back
        before it waits.
        """
        kept: list[SlotLease] = []  # the slot of the last create, for the next draft
        try:
            while True:
                if kept and not self.ready:
                    await asyncio.shield(self.coordinator.release_slot(kept.pop()))
                draft = await self.next_draft()
                if draft is None:
                    return
                self.busy += 1
                try:
                    result = await self.attempt_once(draft, kept)
                finally:
                    self.busy -= 1
                await self.handle(result)
                del draft, result  # settled or queued again: not this idle worker's to keep
                if not self.busy:
                    self.changed.set()  # maybe the last one: idle workers decide what is next
        finally:
            if kept:  # cancelled, or the call ends
                await asyncio.shield(self.coordinator.release_slot(kept.pop()))

    async def next_draft(self) -> _Draft | None:
        """The next draft to post, waiting while others are in flight or backing off;
        ``None`` once every draft is settled."""
        while True:
            if not self.stopped and self.stopping():
                self.halt()
            if self.ready:
                return self.ready.popleft()
            if self.timers and not self.stopped:
                pulled = self.pull_forward()
                if pulled is not None:
                    return pulled
            if not self.busy and not self.timers:
                if not self.deferred:
                    self.changed.set()  # the other idle workers finish too
                    return None
                # Every other create has finished: match the set-aside drafts now.
                self.busy += 1
                try:
                    await self.reconcile_deferred()
                finally:
                    self.busy -= 1
                    self.changed.set()
                continue
            self.changed.clear()
            await self.changed.wait()

    def on_stop(self, waker: asyncio.Future[None]) -> None:
        """Stop requested or deadline passed: settle what has not started at once (even
        while every worker waits on a POST), and wake idle workers to finish."""
        if not waker.cancelled() and not self.stopped and self.stopping():
            self.halt()
        self.changed.set()

    async def wake_on_stop(self) -> None:
        """Ends when ``stop`` is set or the deadline passes (so idle workers wake)."""
        if self.deadline is None:
            await self.stop.wait()
            return
        remaining = self.deadline - self.clock.monotonic()
        if remaining > 0:
            stop_wait = asyncio.ensure_future(self.stop.wait())
            sleeper = asyncio.ensure_future(self.clock.sleep(remaining))
            try:
                await asyncio.wait({stop_wait, sleeper}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stop_wait.cancel()
                sleeper.cancel()
                await asyncio.gather(stop_wait, sleeper, return_exceptions=True)

    def prepare(self, drafts: Sequence[object]) -> list[_Draft]:
        run = secrets.token_hex(6)
        prepared: list[_Draft] = []
        references: dict[str, int] = {}
        for index, draft in enumerate(drafts):
            reference = (
                self.references[index] if self.references is not None else f"fbk-{run}-{index}"
            )
            injected = False
            try:
                payload = _payload_of(draft)
                own_number = bool(payload.get("invoice_number"))
                field = self.reference_field
                if field is not None:
                    given = payload.get(field)
                    if given:
                        reference = str(given)
                    else:
                        payload[field] = reference
                        injected = True
                    if reference in references:
                        raise ValueError(
                            f"{field}: {reference!r} is also draft {references[reference]}'s; "
                            "references must be unique in the batch"
                        )
                    references[reference] = index
                if own_number:
                    number = str(payload["invoice_number"])
                    if number in self.reserved:
                        raise ValueError(f"invoice_number: {number!r} appears twice in the batch")
                    self.reserved.add(number)
            except (TypeError, ValueError) as exc:
                self.settle(index, BulkStatus.INVALID, error=exc, reference=reference)
                continue
            prepared.append(
                self.with_doubt(_Draft(index, payload, reference, own_number, injected))
            )
        return prepared

    def with_doubt(self, draft: _Draft) -> _Draft:
        """Attach the earlier send of an in-doubt draft, and the payload it carried."""
        doubt = self.in_doubt.get(draft.index)
        if doubt is None:
            return draft
        sent = dict(draft.payload)
        if draft.injected and self.reference_field is not None:
            del sent[self.reference_field]  # this call's reference, not necessarily that one's
        if doubt.reference_field is not None and not sent.get(doubt.reference_field):
            sent[doubt.reference_field] = doubt.reference
        if doubt.invoice_number is not None:
            sent["invoice_number"] = doubt.invoice_number
        draft.doubt = doubt
        draft.sent = sent
        return draft


async def bulk_create_invoices(
    client: FreshBooksClient,
    account_id: str,
    drafts: Iterable[Mapping[str, Any] | InvoiceCreate],
    *,
    concurrency: int = 8,
    numbering: Literal["server", "client"] = "server",
    max_attempts: int = 30,
    on_progress: Callable[[BulkProgress], object] | None = None,
    on_item: Callable[[BulkItem[Invoice]], object] | None = None,
    reference_field: str | None = None,
    backoff_base: float | None = None,
    backoff_max: float = 5.0,
    reconcile_delay: float = 2.0,
    stop: asyncio.Event | None = None,
    deadline: float | None = None,
    on_send: Callable[[BulkSend], object] | None = None,
    references: Sequence[str] | None = None,
    in_doubt: Mapping[int, BulkSend] | None = None,
    claimed_ids: Iterable[int] = (),
    post_unresolved: bool = False,
) -> BulkResult[Invoice]:
    """Create many invoices in one account; every draft is accounted for.

    See the module documentation for numbering, 409 handling and reconciliation.

    Args:
        client: The client (its coordinator's account slots and invoice counter,
            ``per_account_concurrency``, retries and clock are used).
        account_id: The accounting account id.
        drafts: Mappings of invoice fields or :class:`~freshbooks_async.models.InvoiceCreate`
            objects (``customerid`` and ``create_date`` required).
        concurrency: The most creates this call has on the wire (the client's
            ``per_account_concurrency`` bounds all calls on the account together).
        numbering: ``"server"`` (FreshBooks numbers; 409s are retried) or ``"client"``
            (the SDK allocates numbers; no collisions within the batch).
        max_attempts: The most POSTs per draft (409 retries and re-posts included).
            A 409 creates nothing, so retrying it is safe; with server numbering at
            concurrency 16 the real numbering race plus 30% injected conflicts makes
            about 60% of attempts collide, and 30 attempts lose a draft with
            probability 0.6**30 (about 2e-7).
        on_progress: Called with :class:`BulkProgress` after every change (its
            exceptions are logged, not raised).
        on_item: Called with each :class:`BulkItem` as it settles.
        reference_field: A text field (``"po_number"``) the SDK fills with the draft's
            unique reference, to find the invoice after an ambiguous failure.
        backoff_base: The first 409 backoff ceiling in seconds. It doubles with each
            attempt of the draft; with client numbering, a 409 for a number the call
            chose restarts it with each new number (such a 409 is not a race with the
            call's other creates, and a second one re-numbers the draft).
            ``None`` (the default) adapts it to the observed create latency: a
            collision is then retried about one request-time later, which spreads the
            colliding creates without idling the account's permits. A worker with
            nothing else to post does not wait a backoff out while creates succeed
            (most of the call's recent outcomes, or one since that backoff began): it
            posts the draft that has backed off longest. In a 409 storm every backoff
            is waited out.
        backoff_max: The largest 409 backoff ceiling in seconds.
        reconcile_delay: Seconds to wait after a read timeout before looking the
            invoice up (the server may still be creating it).
        stop: Set it to stop starting creates; the call then returns a full result.
        deadline: Seconds from now (client clock) after which no create starts.
        on_send: Called with a :class:`BulkSend` right before each POST leaves (never
            for an invalid draft), on the event loop: a journal writes it durably here.
            If it raises, that POST is not sent, its draft is ``not_attempted`` with the
            exception as its error, and the call stops as if ``stop`` were set.
        references: One unique, non-empty reference per draft (aligned with ``drafts``)
            instead of random ones, so that a later call for the same input uses the same
            references. A draft that sets ``reference_field`` itself still uses its value.
        in_doubt: ``{index: BulkSend}``: drafts of this call that an earlier call sent
            without recording the outcome (its last ``on_send`` record for each). They
            are looked up before anything is posted (see the module documentation, 6).
        claimed_ids: Ids of invoices known to be other drafts' (an earlier call's created
            drafts): never taken for an in-doubt or ambiguous draft.
        post_unresolved: Post in-doubt drafts that cannot be looked up (no key, or the
            look-up failed) instead of reporting them ``unknown``. They may then exist
            twice.

    Returns:
        The result, aligned with ``drafts``.

    Raises:
        TypeError, ValueError: An argument (other than a draft) is invalid; invalid
            drafts are reported in the result instead.
        FreshBooksError: Reading the account's latest invoice (client numbering, or the
            fingerprint baseline) failed; nothing was created.
    """
    for attribute in ("request", "coordinator", "per_account_concurrency", "clock"):
        if not hasattr(client, attribute):
            raise TypeError(f"client: expected a FreshBooksClient, got {type(client).__name__}")
    check_account_id(account_id)
    if isinstance(drafts, str | bytes | Mapping) or not isinstance(drafts, Iterable):
        raise TypeError(
            f"drafts: expected an iterable of drafts, got {type(drafts).__name__}: {drafts!r}"
        )
    draft_list = list(drafts)
    _check_int("concurrency", concurrency, 1, 1000)
    if numbering not in ("server", "client"):
        raise ValueError(f"numbering: must be 'server' or 'client', got {numbering!r}")
    _check_int("max_attempts", max_attempts, 1, 1000)
    for name, callback in (("on_progress", on_progress), ("on_item", on_item)):
        if callback is not None and not callable(callback):
            raise TypeError(f"{name}: expected a callable or None, got {callback!r}")
        if callback is not None and inspect.iscoroutinefunction(callback):
            raise TypeError(f"{name}: must be a plain function, not a coroutine function")
    if reference_field is not None and reference_field not in REFERENCE_FIELDS:
        raise ValueError(
            f"reference_field: must be one of {sorted(REFERENCE_FIELDS)} or None, "
            f"got {reference_field!r}"
        )
    base = None if backoff_base is None else _check_seconds("backoff_base", backoff_base)
    ceiling = _check_seconds("backoff_max", backoff_max)
    delay = _check_seconds("reconcile_delay", reconcile_delay)
    if stop is not None and not isinstance(stop, asyncio.Event):
        raise TypeError(f"stop: expected asyncio.Event or None, got {type(stop).__name__}")
    limit = None if deadline is None else _check_seconds("deadline", deadline)
    if on_send is not None and (not callable(on_send) or inspect.iscoroutinefunction(on_send)):
        raise TypeError(f"on_send: expected a plain function or None, got {on_send!r}")
    reference_list = _check_references(references, len(draft_list))
    doubts = _check_in_doubt(in_doubt, len(draft_list))
    if isinstance(claimed_ids, str | bytes) or not isinstance(claimed_ids, Iterable):
        raise TypeError(f"claimed_ids: expected an iterable of int, got {claimed_ids!r}")
    claimed = frozenset(claimed_ids)
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in claimed):
        raise TypeError(
            f"claimed_ids: expected an iterable of int, got {sorted(claimed, key=str)!r}"
        )
    if not isinstance(post_unresolved, bool):
        raise TypeError(f"post_unresolved: expected bool, got {post_unresolved!r}")
    bulk = _Bulk(
        client,
        account_id,
        concurrency=concurrency,
        numbering=numbering,
        max_attempts=max_attempts,
        on_progress=on_progress,
        on_item=on_item,
        reference_field=reference_field,
        backoff_base=base,
        backoff_max=ceiling,
        reconcile_delay=delay,
        stop=stop,
        deadline=limit,
        on_send=on_send,
        references=reference_list,
        in_doubt=doubts,
        claimed_ids=claimed,
        post_unresolved=post_unresolved,
    )
    return await bulk.run(draft_list)


def _check_references(references: object, count: int) -> list[str] | None:
    if references is None:
        return None
    if isinstance(references, str | bytes) or not isinstance(references, Sequence):
        raise TypeError(f"references: expected a sequence of str or None, got {references!r}")
    if len(references) != count:
        raise ValueError(f"references: expected one per draft ({count}), got {len(references)}")
    seen: set[str] = set()
    for position, reference in enumerate(references):
        if not isinstance(reference, str) or not reference.strip():
            raise TypeError(
                f"references: item {position} must be a non-empty str, got {reference!r}"
            )
        if reference in seen:
            raise ValueError(f"references: {reference!r} appears twice; they must be unique")
        seen.add(reference)
    return list(references)


def _check_in_doubt(in_doubt: object, count: int) -> dict[int, BulkSend]:
    if in_doubt is None:
        return {}
    if not isinstance(in_doubt, Mapping):
        raise TypeError(f"in_doubt: expected a mapping of index to BulkSend, got {in_doubt!r}")
    checked: dict[int, BulkSend] = {}
    for index, send in in_doubt.items():
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < count:
            raise ValueError(f"in_doubt: key {index!r} is not a draft index (0..{count - 1})")
        if not isinstance(send, BulkSend):
            raise TypeError(
                f"in_doubt[{index}]: expected BulkSend, got {type(send).__name__}: {send!r}"
            )
        checked[index] = send
    return checked
