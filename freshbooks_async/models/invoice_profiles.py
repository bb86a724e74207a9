"""Invoice profiles (recurring invoice templates), accounting family:
``.../invoice_profiles/invoice_profiles``, JSON keys ``invoice_profile`` /
``invoice_profiles``."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, AccountingDateTime, Maybe, Money, Settable, VisState
from .invoices import InvoiceLine, InvoiceLineCreate

__all__ = ["InvoiceProfile", "InvoiceProfileCreate", "InvoiceProfileUpdate"]


@attrs.frozen(kw_only=True)
class InvoiceProfile(Model):
    """A recurring-invoice template."""

    id: int | None = None
    profileid: int | None = None
    accounting_systemid: str | None = None
    customerid: int | None = None
    ownerid: int | None = None
    frequency: str | None = None
    numberRecurring: int | None = None
    occurrences_to_date: int | None = None
    create_date: _dt.date | None = None
    disable: bool | None = None
    auto_bill: bool | None = None
    send_email: bool | None = None
    send_gmail: bool | None = None
    amount: Money | None = None
    discount_total: Money | None = None
    discount_value: Decimal | None = None
    currency_code: str | None = None
    language: str | None = None
    due_offset_days: int | None = None
    fname: str | None = None
    lname: str | None = None
    organization: str | None = None
    notes: str | None = None
    terms: str | None = None
    po_number: str | None = None
    address: str | None = None
    street: str | None = None
    street2: str | None = None
    city: str | None = None
    province: str | None = None
    code: str | None = None
    country: str | None = None
    vat_name: str | None = None
    vat_number: str | None = None
    include_unbilled_time: bool | None = None
    updated: AccountingDateTime | None = None
    vis_state: VisState | None = None
    lines: list[InvoiceLine] | None = None
    late_fee: dict[str, Any] | None = None
    late_reminders: list[Any] | None = None


@attrs.frozen(kw_only=True)
class InvoiceProfileCreate(WriteModel):
    """Body of ``POST .../invoice_profiles/invoice_profiles``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"customerid", "create_date", "frequency"})

    customerid: Settable[int] = UNSET
    create_date: Settable[_dt.date] = UNSET
    frequency: Settable[str] = UNSET
    numberRecurring: Settable[int] = attrs.field(default=UNSET, metadata={"min": 0})
    disable: Settable[bool] = UNSET
    auto_bill: Settable[bool] = UNSET
    send_email: Settable[bool] = UNSET
    currency_code: Settable[str] = UNSET
    language: Settable[str] = UNSET
    due_offset_days: Settable[int] = attrs.field(default=UNSET, metadata={"min": 0})
    discount_value: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    notes: Maybe[str] = UNSET
    terms: Maybe[str] = UNSET
    po_number: Maybe[str] = UNSET
    include_unbilled_time: Settable[bool] = UNSET
    lines: Settable[Sequence[InvoiceLineCreate]] = UNSET


@attrs.frozen(kw_only=True)
class InvoiceProfileUpdate(InvoiceProfileCreate):
    """Body of ``PUT .../invoice_profiles/invoice_profiles/{id}``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()
