"""Reconciling ambiguous creates (a POST whose outcome is unknown): the invoice is looked
up before the draft is posted again, by its number or its reference (at once), or by its
content among the invoices newer than the call's baseline (once every other create of the
call has finished: the fingerprint). Also used for an earlier call's in-doubt sends
(:mod:`._ledger`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .._clock import Clock
from ..errors import FreshBooksError, ReadTimeoutError, ResponseDecodeError
from ._drafts import _Attempt, _Draft, _Outcome, matches_draft
from ._reads import _Reads
from ._results import _Tally
from ._types import BulkStatus


class _Reconciler:
    """Finds out whether an ambiguous create happened, and settles the drafts found."""

    def __init__(
        self,
        reads: _Reads,
        tally: _Tally,
        clock: Clock,
        *,
        reference_field: str | None,
        reconcile_delay: float,
    ) -> None:
        self.reads = reads
        self.tally = tally
        self.clock = clock
        self.reference_field = reference_field
        self.reconcile_delay = reconcile_delay
        # The id of the account's newest invoice before the first create, once read.
        self.baseline: int | None = None
        self.deferred: list[_Draft] = []  # set aside for the fingerprint match

    async def reconcile(self, draft: _Draft, error: BaseException, *, numbered: bool) -> _Attempt:
        """What became of ``draft``'s ambiguous POST (``numbered``: client numbering)."""
        if isinstance(error, ReadTimeoutError) and self.reconcile_delay:
            await self.clock.sleep(self.reconcile_delay)
        payload = draft.payload
        if numbered or draft.own_number:
            field, value = "invoice_number", str(payload.get("invoice_number", ""))
        elif self.reference_field is not None:
            field, value = self.reference_field, draft.reference
        else:
            return _Attempt(draft, _Outcome.DEFER, error=error)
        try:
            found = await self.reads.lookup(field, value)
        except FreshBooksError as exc:
            exc.__context__ = error
            return _Attempt(draft, _Outcome.UNKNOWN, error=exc)
        is_claimed = self.tally.is_claimed
        mine = [f for f in found if matches_draft(payload, f) and not is_claimed(f.get("id"))]
        if mine:
            try:
                invoice = self.reads.decode_found(mine[0])
            except ResponseDecodeError as exc:
                return _Attempt(draft, _Outcome.UNKNOWN, error=exc)
            return _Attempt(draft, _Outcome.CREATED, invoice=invoice, reconciled=True)
        if found and field == "invoice_number" and not draft.own_number:
            # Someone else holds the number: ours was not created. Re-number.
            return _Attempt(draft, _Outcome.NUMBER_TAKEN, error=error)
        return _Attempt(draft, _Outcome.RETRY, error=error)

    # ------------------------------------------------------------ fingerprints

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
                    and not self.tally.is_claimed(c["id"])
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
            invoice = self.reads.decode_found(data)
        except ResponseDecodeError as exc:
            self.tally.settle_draft(draft, BulkStatus.UNKNOWN, error=exc)
            return
        self.tally.reconciled += 1
        self.tally.settle_draft(
            draft, BulkStatus.CREATED, invoice=invoice, error=None, reconciled=True
        )

    async def reconcile_deferred(self, requeue: Callable[[_Draft], object]) -> None:
        """Match set-aside drafts to unclaimed invoices newer than the baseline; those
        without a match go to ``requeue``."""
        drafts, self.deferred = self.deferred, []
        try:
            candidates = await self.reads.newer_invoices(self.baseline or 0, self.tally.is_claimed)
        except FreshBooksError as exc:
            for draft in drafts:
                self.tally.settle_draft(draft, BulkStatus.UNKNOWN, error=exc)
            return
        for draft, match in self.match_fingerprints(drafts, candidates):
            if match is None:
                requeue(draft)
            else:
                self.settle_found(draft, match)
