"""One bulk call (:class:`_Run`): its parts wired together, and the call from the input
to the result: drafts prepared, earlier sends looked up, numbering started or the
fingerprint baseline read, then the workers until every draft is settled.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from .._sansio import build_path
from ..errors import CoordinatorError
from ..models import Invoice
from ._client_numbering import _ClientNumbering
from ._create import _Creator, _Pace
from ._drafts import _Draft, iter_drafts
from ._ledger import resolve_in_doubt, wait_for_stragglers, with_doubt
from ._reads import _Reads
from ._reconcile import _Reconciler
from ._results import _Tally
from ._scheduler import _Scheduler
from ._types import BulkItem, BulkProgress, BulkResult, BulkSend, BulkStatus

if TYPE_CHECKING:
    from ..client import FreshBooksClient

_INVOICES: Final = "/accounting/account/{account_id}/invoices/invoices"
#: Drafts validated between two turns of the event loop while the reads before the
#: first POST are on the wire.
_VALIDATE_CHUNK: Final = 32


class _Run:
    """One bulk call: the parts that do its work, and the order they do it in."""

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
        self.account_id = account_id
        self.concurrency = concurrency
        self.numbering = numbering
        self.reference_field = reference_field
        self.reconcile_delay = reconcile_delay
        self.references = references
        self.in_doubt: Mapping[int, BulkSend] = in_doubt or {}
        self.post_unresolved = post_unresolved
        self.clock = client.clock
        self.reserved: set[str] = set()  # the batch's own invoice numbers
        path = build_path(_INVOICES, account_id=account_id)
        self.tally = _Tally(
            client, account_id, on_progress=on_progress, on_item=on_item, known_ids=claimed_ids
        )
        self.reads = _Reads(client, path)
        self.reconciler = _Reconciler(
            self.reads,
            self.tally,
            self.clock,
            reference_field=reference_field,
            reconcile_delay=reconcile_delay,
        )
        pace = _Pace(concurrency)
        self.creator = _Creator(
            client,
            path,
            self.tally,
            self.reconciler,
            pace,
            account_id=account_id,
            on_send=on_send,
            reference_field=reference_field,
        )
        self.scheduler = _Scheduler(
            self.creator,
            self.reconciler,
            self.tally,
            pace,
            self.clock,
            max_attempts=max_attempts,
            backoff_base=backoff_base,
            backoff_max=backoff_max,
            stop=stop,
            deadline=deadline,
        )

    def reads_needed(self) -> bool:
        """Whether the call reads the account before its first POST (once a draft is
        valid): client numbering's seed, or the fingerprint baseline."""
        return self.numbering == "client" or self.reference_field is None

    async def read_first(self) -> tuple[Any, ...]:
        """The reads before the first POST, together, their errors returned (both are
        waited for): the newest invoice (its sequence, and the fingerprint baseline),
        and for client numbering the numbers in use."""
        reads = self.reads
        if self.numbering == "client":
            return await asyncio.gather(
                reads.read_latest(), reads.read_numbers_in_use(), return_exceptions=True
            )
        return await asyncio.gather(reads.read_latest(), return_exceptions=True)

    async def start_numbering(self, answers: tuple[Any, ...]) -> None:
        """Client numbering: seed the numbering from ``answers`` (:meth:`read_first`'s).

        Raises:
            FreshBooksError: A read failed.
        """
        newest, in_use = answers
        if isinstance(newest, BaseException):
            raise newest
        if isinstance(in_use, BaseException):
            raise in_use
        latest, self.reconciler.baseline = newest
        creator = self.creator
        numbers = creator.numbers = _ClientNumbering(
            creator.coordinator,
            self.account_id,
            self.reads.read_numbers_in_use,
            self.reserved,
            wanted=lambda: creator.to_number,
            chunk=self.concurrency,
        )
        try:
            await numbers.seed(latest, in_use)
        except CoordinatorError as exc:
            # Nothing can be numbered: no create is sent; drafts an earlier call may have
            # created are still looked up (that needs no coordinator).
            self.scheduler.give_up(exc)

    async def prepare(
        self, drafts: Sequence[object]
    ) -> tuple[list[_Draft], asyncio.Future[Any] | None]:
        """The valid drafts (each with its earlier send, if in doubt), every draft
        validated before anything is posted; and the reads before the first POST, if
        they started meanwhile.

        With no draft in doubt (whose earlier send may still be finishing: the reads
        wait for it), the reads start as soon as a draft is valid, and go on while the
        rest is validated (the event loop turns every ``_VALIDATE_CHUNK`` drafts).
        """
        early = not self.in_doubt and self.reads_needed()
        reads: asyncio.Future[Any] | None = None
        prepared: list[_Draft] = []
        try:
            for position, draft in enumerate(
                iter_drafts(
                    drafts,
                    references=self.references,
                    reference_field=self.reference_field,
                    reserved=self.reserved,
                    invalid=self.invalid,
                )
            ):
                if draft is not None:
                    prepared.append(
                        with_doubt(draft, self.in_doubt.get(draft.index), self.reference_field)
                    )
                    if early and reads is None:
                        reads = asyncio.ensure_future(self.read_first())
                if reads is not None and position % _VALIDATE_CHUNK == _VALIDATE_CHUNK - 1:
                    await asyncio.sleep(0)  # the reads' turn
        except BaseException:
            if reads is not None:
                reads.cancel()
                await asyncio.gather(reads, return_exceptions=True)
            raise
        return prepared, reads

    def invalid(self, index: int, error: BaseException, reference: str) -> None:
        """Settle an invalid draft (never sent)."""
        self.tally.settle(index, BulkStatus.INVALID, error=error, reference=reference)

    async def run(self, drafts: Sequence[object]) -> BulkResult[Invoice]:
        scheduler = self.scheduler
        started = self.clock.monotonic()
        if scheduler.deadline is not None:
            scheduler.deadline += started
        self.tally.results = [None] * len(drafts)
        prepared, reads = await self.prepare(drafts)
        self.tally.progress()
        workers: list[asyncio.Task[None]] = []
        waker = asyncio.ensure_future(scheduler.wake_on_stop())
        waker.add_done_callback(scheduler.on_stop)
        try:
            if prepared:
                doubtful = [d for d in prepared if d.doubt is not None]
                if doubtful:  # a create whose client died may still be finishing
                    await wait_for_stragglers(doubtful, self.reconcile_delay, self.clock)
                if self.reads_needed():
                    answers = await (reads if reads is not None else self.read_first())
                    if self.numbering == "client":
                        await self.start_numbering(answers)
                    else:
                        (newest,) = answers
                        if isinstance(newest, BaseException):
                            raise newest
                        _, self.reconciler.baseline = newest
                fresh = [d for d in prepared if d.doubt is None]
                if doubtful:  # reconciled before anything is posted
                    fresh.extend(
                        await resolve_in_doubt(
                            doubtful,
                            self.reconciler,
                            concurrency=self.concurrency,
                            post_unresolved=self.post_unresolved,
                        )
                    )
                    fresh.sort(key=lambda d: d.index)
                scheduler.ready.extend(fresh)
                self.creator.to_number = sum(1 for d in fresh if not d.own_number)
                # From here a draft lives only while it is queued or in flight: its
                # payload and errors are freed as soon as it is settled.
                del prepared, fresh, doubtful
            workers = [asyncio.ensure_future(scheduler.worker()) for _ in range(self.concurrency)]
            await asyncio.gather(*workers)
        finally:
            pending: list[asyncio.Future[Any]] = [
                *([reads] if reads is not None else []),
                *workers,
                *scheduler.timers,
                *scheduler.graveyard,
                waker,
            ]
            for future in pending:
                future.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        return self.tally.result(
            requests=self.reads.requests,
            elapsed=self.clock.monotonic() - started,
            stopped=scheduler.stopped,
        )
