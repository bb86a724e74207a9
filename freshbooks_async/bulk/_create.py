"""One create of a bulk call: the draft's number (client numbering), one of the
account's slots (taken, or exchanged for the slot of the worker's previous create), the
``on_send`` journal record, the POST, and what its answer means; an ambiguous answer is
reconciled before the attempt ends. Also what the answers say about the pace of creates
(:class:`_Pace`), for the backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections import deque
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from ..coordination import Coordinator, InProcessCoordinator, SlotLease, release_and_acquire
from ..errors import (
    APIError,
    ConflictError,
    FreshBooksError,
    RequestMaybeSentError,
    ResponseDecodeError,
    ServerError,
    ValidationError,
)
from ..models import Invoice
from ..models._converter import _lazy_decoder
from ._client_numbering import _ClientNumbering
from ._drafts import _Attempt, _Draft, _Outcome
from ._ledger import send_record
from ._reconcile import _Reconciler
from ._results import _Tally
from ._types import BulkSend

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from ..client import FreshBooksClient

_REFERENCE_HEADER: Final = "X-Client-Reference"
#: Errno FreshBooks uses for "invoice number already exists" (as the sandbox answers).
_NUMBER_EXISTS_ERRNO: Final = 1029

#: Where this package's modules live (``_release_frames`` clears only their frames):
#: freshbooks_async/, the parent of this bulk/ folder.
_PACKAGE_DIR: Final = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


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


class _Pace:
    """How the call's creates are going: the latency the adaptive backoff starts from,
    and the last outcomes (``True``: created, ``False``: 409), a storm or not."""

    def __init__(self, concurrency: int) -> None:
        self.latency: float | None = None  # EWMA of create round trips (client clock)
        self.recent: deque[bool] = deque(maxlen=max(8, 2 * concurrency))

    def observe(self, seconds: float) -> None:
        previous = self.latency
        self.latency = seconds if previous is None else previous + 0.2 * (seconds - previous)


class _Creator:
    """Posts drafts, one attempt at a time, for one call."""

    def __init__(
        self,
        client: FreshBooksClient,
        path: str,
        tally: _Tally,
        reconciler: _Reconciler,
        pace: _Pace,
        *,
        account_id: str,
        on_send: Callable[[BulkSend], object] | None,
        reference_field: str | None,
    ) -> None:
        self.client = client
        self.path = path
        self.tally = tally
        self.reconciler = reconciler
        self.pace = pace
        self.account_id = account_id
        self.on_send = on_send
        self.reference_field = reference_field
        self.clock = client.clock
        # The account's slots, in the client's coordinator: one is held while a POST is on
        # the wire (shared with every bulk call, and process, using that coordinator).
        self.coordinator: Coordinator = client.coordinator
        self.slot_limit = client.per_account_concurrency
        # InProcessCoordinator's own release_slot never suspends: awaited directly, it
        # ends before a cancellation could be delivered, as a shielded one would, without
        # the task a shield starts and the two turns of the event loop it costs the slot.
        # The coordinator's own exchange of a kept slot (what reacquire_slot() would
        # call), bound once: a coroutine less per create.
        self.reacquire: Callable[[SlotLease], Awaitable[SlotLease]] | None = getattr(
            self.coordinator, "reacquire_slot", None
        )
        self.release_at_once = (
            getattr(self.coordinator.release_slot, "__func__", None)
            is InProcessCoordinator.release_slot
        )
        self.numbers: _ClientNumbering | None = None  # client numbering, once started
        self.to_number = 0  # queued drafts that still need a number (client numbering)
        # ``decode(Invoice, data)``, lazily (docs/models.rst, "Lazy decoding").
        self._decode_invoice = _lazy_decoder(Invoice)

    def decode_invoice(self, data: Any) -> Invoice:
        """The created invoice, decoded lazily (as the resources decode their answers:
        checked as strictly as ``decode`` now, its fields built on first read), so a
        worker spends no time building fields the caller may never read before it
        posts its next draft."""
        if data.__class__ is dict and data.get("invoice").__class__ is dict:
            data = data["invoice"]  # (what the pipeline parses: no Mapping ABC check)
        elif isinstance(data, Mapping) and isinstance(data.get("invoice"), Mapping):
            data = data["invoice"]
        return self._decode_invoice(data)

    async def attempt_once(self, draft: _Draft, kept: list[SlotLease] | None = None) -> _Attempt:
        """One attempt, plus the re-sync a taken number calls for (in this task).

        ``kept``: the worker's slot between two drafts (see ``_Scheduler.worker``).
        """
        result = await self.attempt(draft, kept)
        if result.error is not None:
            _release_frames(result.error)
        if result.outcome is _Outcome.NUMBER_TAKEN and self.numbers is not None:
            await self.numbers.taken(draft.number, draft.number_generation)
        # Drop this frame's locals as it returns. From Python 3.12 on, a finished coroutine
        # frame that the kept error's traceback reaches (through the f_back links of the
        # frames in it) keeps its locals: self -> the tally -> the error -> its traceback ->
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
        self.tally.attempts += 1
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
                if self.reacquire is not None:
                    slot = await self.reacquire(kept.pop())
                else:  # (what reacquire_slot does for a coordinator without the method)
                    slot = await release_and_acquire(self.coordinator, kept.pop())
            else:
                slot = await self.coordinator.acquire_slot(self.account_id, self.slot_limit)
        except FreshBooksError as exc:  # the coordinator failed (or a re-seeding read): not sent
            draft.attempts -= 1
            self.tally.attempts -= 1
            # A slot still in `kept` (the allocation failed) is the worker's to give back:
            # no await here, where the error may be shared with other workers' frames.
            return _Attempt(draft, _Outcome.NOT_SENT, error=exc)
        created = False
        try:
            if self.on_send is not None:
                try:
                    self.on_send(
                        send_record(
                            draft,
                            reference_field=self.reference_field,
                            baseline=self.reconciler.baseline,
                            now=self.clock.time(),
                        )
                    )
                except Exception as exc:  # the journal failed: this POST must not leave
                    draft.attempts -= 1
                    self.tally.attempts -= 1
                    return _Attempt(draft, _Outcome.NOT_SENT, error=exc)
            self.tally.in_flight += 1
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
                self.tally.in_flight -= 1
                self.pace.observe(self.clock.monotonic() - sent_at)
        finally:
            if created and kept is not None:
                kept.append(slot)  # for the worker's next draft
            else:
                # Given back however the attempt ends (shielded: a cancelled attempt too).
                await self.give_back(slot)
        # The slot is given back: reconcile before anything is sent again.
        return await self.reconciler.reconcile(draft, ambiguous, numbered=self.numbers is not None)

    async def give_back(self, slot: SlotLease) -> None:
        """Release ``slot``, to the end even if the caller is cancelled meanwhile."""
        if self.release_at_once:
            await self.coordinator.release_slot(slot)
        else:
            await asyncio.shield(self.coordinator.release_slot(slot))

    def number_exists(self, exc: APIError) -> bool:
        if exc.errno == _NUMBER_EXISTS_ERRNO:
            return True
        return any(
            d.field == "invoice_number" and "exist" in d.message.lower() for d in exc.details
        )

    def conflict(self, draft: _Draft, exc: APIError) -> _Attempt:
        self.tally.conflicts += 1
        self.pace.recent.append(False)
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
