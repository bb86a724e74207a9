"""Credit notes (accounting family): ``.../credit_notes/credit_notes``, JSON keys
``credit_note`` / ``credit_notes`` (official Python SDK ``client.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, AccountingDateTime, LenientStrEnum, Maybe, Money, Settable, VisState
from .invoices import InvoiceLine, InvoiceLineCreate

__all__ = ["CreditNote", "CreditNoteCreate", "CreditNoteUpdate", "CreditType"]


class CreditType(LenientStrEnum):
    """``credit_type`` of a credit note (Node SDK ``CreditNote.ts``)."""

    GOODWILL = "goodwill"
    OVERPAYMENT = "overpayment"
    PREPAYMENT = "prepayment"


@attrs.frozen(kw_only=True)
class CreditNote(Model):
    """A credit note (a client credit)."""

    id: int | None = None
    creditid: int | None = None
    accounting_systemid: str | None = None
    # A string in the official Node SDK (its fixtures send "test-client-id").
    clientid: int | str
    sentid: int | None = None
    credit_number: str
    credit_type: CreditType
    amount: Money | None = None
    paid: Money | None = None
    create_date: date
    updated: AccountingDateTime | None = None
    currency_code: str
    current_organization: str | None = None
    description: str | None = None
    display_status: str | None = None
    dispute_status: str | None = None
    payment_status: str | None = None
    payment_type: str | None = None
    last_order_status: str | None = None
    status: str | None = None
    ext_archive: int | None = None
    fname: str | None = None
    lname: str | None = None
    organization: str | None = None
    language: str | None = None
    notes: str
    terms: str | None = None
    template: str | None = None
    street: str | None = None
    street2: str | None = None
    city: str | None = None
    province: str | None = None
    code: str | None = None
    country: str | None = None
    vat_name: str | None = None
    vat_number: str | None = None
    vis_state: VisState | None = None
    lines: list[InvoiceLine] | None = None


@attrs.frozen(kw_only=True)
class CreditNoteCreate(WriteModel):
    """Body of ``POST .../credit_notes/credit_notes``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"clientid"})

    clientid: Settable[int] = UNSET
    create_date: Settable[date] = UNSET
    credit_number: Settable[str] = UNSET
    credit_type: Settable[CreditType] = UNSET
    currency_code: Settable[str] = UNSET
    description: Maybe[str] = UNSET
    language: Settable[str] = UNSET
    notes: Maybe[str] = UNSET
    terms: Maybe[str] = UNSET
    template: Settable[str] = UNSET
    organization: Maybe[str] = UNSET
    fname: Maybe[str] = UNSET
    lname: Maybe[str] = UNSET
    street: Maybe[str] = UNSET
    street2: Maybe[str] = UNSET
    city: Maybe[str] = UNSET
    province: Maybe[str] = UNSET
    code: Maybe[str] = UNSET
    country: Maybe[str] = UNSET
    vat_name: Maybe[str] = UNSET
    vat_number: Maybe[str] = UNSET
    lines: Settable[Sequence[InvoiceLineCreate]] = UNSET


@attrs.frozen(kw_only=True)
class CreditNoteUpdate(CreditNoteCreate):
    """Body of ``PUT .../credit_notes/credit_notes/{id}``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()
