"""The drafts of a bulk call: each draft's record while it is queued or in flight
(:class:`_Draft`), how the input becomes those records (validated, its reference and own
number checked against the batch's), what one attempt to create it came to
(:class:`_Attempt`), and whether an invoice found on the account has its content
(:func:`matches_draft`).
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import attrs

from ..models import Invoice, InvoiceCreate, WriteModel, to_payload
from ..models._payload import payload_from_mapping
from ._types import BulkSend

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


def _payload_of(draft: object) -> dict[str, Any]:
    if draft.__class__ is dict:  # the usual draft, before the ABC checks below
        return payload_from_mapping(InvoiceCreate, draft)
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


def prepare_drafts(
    drafts: Sequence[object],
    *,
    references: Sequence[str] | None,
    reference_field: str | None,
    reserved: set[str],
    invalid: Callable[[int, BaseException, str], object],
) -> list[_Draft]:
    """The valid drafts of ``drafts`` as records, in input order; ``invalid(index, error,
    reference)`` is called for each invalid one, in input order. The drafts' own invoice
    numbers are added to ``reserved``."""
    return [
        draft
        for draft in iter_drafts(
            drafts,
            references=references,
            reference_field=reference_field,
            reserved=reserved,
            invalid=invalid,
        )
        if draft is not None
    ]


def iter_drafts(
    drafts: Sequence[object],
    *,
    references: Sequence[str] | None,
    reference_field: str | None,
    reserved: set[str],
    invalid: Callable[[int, BaseException, str], object],
) -> Iterator[_Draft | None]:
    """:func:`prepare_drafts` one input at a time: per input draft, in input order, its
    record, or ``None`` once ``invalid`` was called for it."""
    run = secrets.token_hex(6)
    seen: dict[str, int] = {}
    for index, draft in enumerate(drafts):
        reference = references[index] if references is not None else f"fbk-{run}-{index}"
        injected = False
        try:
            payload = _payload_of(draft)
            own_number = bool(payload.get("invoice_number"))
            field = reference_field
            if field is not None:
                given = payload.get(field)
                if given:
                    reference = str(given)
                else:
                    payload[field] = reference
                    injected = True
                if reference in seen:
                    raise ValueError(
                        f"{field}: {reference!r} is also draft {seen[reference]}'s; "
                        "references must be unique in the batch"
                    )
                seen[reference] = index
            if own_number:
                number = str(payload["invoice_number"])
                if number in reserved:
                    raise ValueError(f"invoice_number: {number!r} appears twice in the batch")
                reserved.add(number)
        except (TypeError, ValueError) as exc:
            invalid(index, exc, reference)
            yield None
            continue
        yield _Draft(index, payload, reference, own_number, injected)
