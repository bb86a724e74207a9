"""The results of a bulk call as they come in: each draft's :class:`~.BulkItem` as it
settles (passed to ``on_item``), the counts passed to ``on_progress``, the invoices known
to be some draft's, and the final :class:`~.BulkResult`.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Any

from ..models import Invoice
from ..models._base import _raw_get
from ._drafts import _Draft
from ._types import BulkItem, BulkProgress, BulkResult, BulkStatus

logger = logging.getLogger("freshbooks_async.bulk")

# Invoice ids known to have been created by a bulk call, per client and account: the
# fingerprint reconciliation never attributes those to another draft.
_CLAIMED: weakref.WeakKeyDictionary[Any, dict[str, set[int]]] = weakref.WeakKeyDictionary()


def _invoice_id(invoice: Invoice) -> object:
    """``invoice.id``, read from the JSON object of a lazily decoded invoice without
    building its fields (the check let it through, so it is the id ``decode`` gives)."""
    try:
        raw = _raw_get(invoice)
    except AttributeError:  # built already, or decoded eagerly
        return invoice.id
    return raw.get("id")


class _Tally:
    """One call's outcomes and counters, and the callbacks told of them."""

    def __init__(
        self,
        client: object,
        account_id: str,
        *,
        on_progress: Callable[[BulkProgress], object] | None,
        on_item: Callable[[BulkItem[Invoice]], object] | None,
        known_ids: frozenset[int],
    ) -> None:
        self.on_progress = on_progress
        self.on_item = on_item
        self.known_ids = known_ids  # created by earlier calls (the caller's records)
        self.claimed = _CLAIMED.setdefault(client, {}).setdefault(account_id, set())
        self.results: list[BulkItem[Invoice] | None] = []  # one per draft, by index
        self.counts: dict[BulkStatus, int] = dict.fromkeys(BulkStatus, 0)
        self.attempts = 0
        self.conflicts = 0
        self.reconciled = 0
        self.in_flight = 0

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
        if invoice is not None:
            ident = _invoice_id(invoice)
            if isinstance(ident, int):
                self.claimed.add(ident)
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

    def is_claimed(self, ident: object) -> bool:
        """Whether invoice ``ident`` is known to be another draft's (never ours to take)."""
        return ident in self.claimed or ident in self.known_ids

    def result(self, *, requests: int, elapsed: float, stopped: bool) -> BulkResult[Invoice]:
        """The call's result, once every draft is settled (``requests``: the reads)."""
        items = tuple(item for item in self.results if item is not None)
        assert len(items) == len(self.results), "every draft must be accounted for"
        return BulkResult(
            items=items,
            attempts=self.attempts,
            requests=requests + self.attempts,
            conflicts=self.conflicts,
            reconciled=self.reconciled,
            elapsed=elapsed,
            stopped=stopped,
        )
