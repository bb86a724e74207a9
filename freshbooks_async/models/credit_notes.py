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

    id: Maybe[int] = UNSET
    creditid: Maybe[int] = UNSET
    accounting_systemid: Maybe[str] = UNSET
    # A string in the official Node SDK (its fixtures send "test-client-id").
    clientid: Maybe[int | str] = UNSET
    sentid: Maybe[int] = UNSET
    credit_number: Maybe[str] = UNSET
    credit_type: Maybe[CreditType] = UNSET
    amount: Maybe[Money] = UNSET
    paid: Maybe[Money] = UNSET
    create_date: Maybe[date] = UNSET
    updated: Maybe[AccountingDateTime] = UNSET
    currency_code: Maybe[str] = UNSET
    current_organization: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    display_status: Maybe[str] = UNSET
    dispute_status: Maybe[str] = UNSET
    payment_status: Maybe[str] = UNSET
    payment_type: Maybe[str] = UNSET
    last_order_status: Maybe[str] = UNSET
    status: Maybe[str] = UNSET
    ext_archive: Maybe[int] = UNSET
    fname: Maybe[str] = UNSET
    lname: Maybe[str] = UNSET
    organization: Maybe[str] = UNSET
    language: Maybe[str] = UNSET
    notes: Maybe[str] = UNSET
    terms: Maybe[str] = UNSET
    template: Maybe[str] = UNSET
    street: Maybe[str] = UNSET
    street2: Maybe[str] = UNSET
    city: Maybe[str] = UNSET
    province: Maybe[str] = UNSET
    code: Maybe[str] = UNSET
    country: Maybe[str] = UNSET
    vat_name: Maybe[str] = UNSET
    vat_number: Maybe[str] = UNSET
    vis_state: Maybe[VisState] = UNSET
    lines: Maybe[list[InvoiceLine]] = UNSET


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
