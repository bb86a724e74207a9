"""The bulk package's public types: each draft's outcome (:class:`BulkItem`,
:class:`BulkStatus`), the whole call's (:class:`BulkResult`), the ``on_progress`` counts
(:class:`BulkProgress`) and the ``on_send`` journal record (:class:`BulkSend`).

Re-exported, and documented, by :mod:`freshbooks_async.bulk`.
"""

from __future__ import annotations

import enum
from typing import Final, Generic, TypeVar

import attrs

from .._validate import check_int as _check_int
from .._validate import check_seconds as _check_seconds
from ..errors import BulkError

__all__ = ["REFERENCE_FIELDS", "BulkItem", "BulkProgress", "BulkResult", "BulkSend", "BulkStatus"]

T = TypeVar("T")

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
