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
from ._drafts import prepare_drafts
from ._ledger import resolve_in_doubt, wait_for_stragglers, with_doubt
from ._reads import _Reads
from ._reconcile import _Reconciler
from ._results import _Tally
from ._scheduler import _Scheduler
from ._types import BulkItem, BulkProgress, BulkResult, BulkSend, BulkStatus

if TYPE_CHECKING:
    from ..client import FreshBooksClient

_INVOICES: Final = "/accounting/account/{account_id}/invoices/invoices"


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

    async def start_numbering(self) -> None:
        """Client numbering: read the newest invoice (its sequence, and the fingerprint
        baseline) and the numbers in use, together, then seed the numbering.

        Raises:
            FreshBooksError: A read failed (both are waited for).
        """
        reads = self.reads
        newest, in_use = await asyncio.gather(
            reads.read_latest(), reads.read_numbers_in_use(), return_exceptions=True
        )
        if isinstance(newest, BaseException):
            raise newest
        if isinstance(in_use, BaseException):
            raise in_use
        latest, self.reconciler.baseline = newest
        creator = self.creator
        numbers = creator.numbers = _ClientNumbering(
            creator.coordinator,
            self.account_id,
            reads.read_numbers_in_use,
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

    def invalid(self, index: int, error: BaseException, reference: str) -> None:
        """Settle an invalid draft (never sent)."""
        self.tally.settle(index, BulkStatus.INVALID, error=error, reference=reference)

    async def run(self, drafts: Sequence[object]) -> BulkResult[Invoice]:
        scheduler = self.scheduler
        started = self.clock.monotonic()
        if scheduler.deadline is not None:
            scheduler.deadline += started
        self.tally.results = [None] * len(drafts)
        prepared = [
            with_doubt(draft, self.in_doubt.get(draft.index), self.reference_field)
            for draft in prepare_drafts(
                drafts,
                references=self.references,
                reference_field=self.reference_field,
                reserved=self.reserved,
                invalid=self.invalid,
            )
        ]
        self.tally.progress()
        workers: list[asyncio.Task[None]] = []
        waker = asyncio.ensure_future(scheduler.wake_on_stop())
        waker.add_done_callback(scheduler.on_stop)
        try:
            if prepared:
                doubtful = [d for d in prepared if d.doubt is not None]
                if doubtful:  # a create whose client died may still be finishing
                    await wait_for_stragglers(doubtful, self.reconcile_delay, self.clock)
                if self.numbering == "client":
                    await self.start_numbering()
                elif self.reference_field is None:
                    _, self.reconciler.baseline = await self.reads.read_latest()
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
