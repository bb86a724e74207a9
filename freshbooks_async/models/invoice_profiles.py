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

    id: Maybe[int] = UNSET
    profileid: Maybe[int] = UNSET
    accounting_systemid: Maybe[str] = UNSET
    customerid: Maybe[int] = UNSET
    ownerid: Maybe[int] = UNSET
    frequency: Maybe[str] = UNSET
    numberRecurring: Maybe[int] = UNSET
    occurrences_to_date: Maybe[int] = UNSET
    create_date: Maybe[_dt.date] = UNSET
    disable: Maybe[bool] = UNSET
    auto_bill: Maybe[bool] = UNSET
    send_email: Maybe[bool] = UNSET
    send_gmail: Maybe[bool] = UNSET
    amount: Maybe[Money] = UNSET
    discount_total: Maybe[Money] = UNSET
    discount_value: Maybe[Decimal] = UNSET
    currency_code: Maybe[str] = UNSET
    language: Maybe[str] = UNSET
    due_offset_days: Maybe[int] = UNSET
    fname: Maybe[str] = UNSET
    lname: Maybe[str] = UNSET
    organization: Maybe[str] = UNSET
    notes: Maybe[str] = UNSET
    terms: Maybe[str] = UNSET
    po_number: Maybe[str] = UNSET
    address: Maybe[str] = UNSET
    street: Maybe[str] = UNSET
    street2: Maybe[str] = UNSET
    city: Maybe[str] = UNSET
    province: Maybe[str] = UNSET
    code: Maybe[str] = UNSET
    country: Maybe[str] = UNSET
    vat_name: Maybe[str] = UNSET
    vat_number: Maybe[str] = UNSET
    include_unbilled_time: Maybe[bool] = UNSET
    updated: Maybe[AccountingDateTime] = UNSET
    vis_state: Maybe[VisState] = UNSET
    lines: Maybe[list[InvoiceLine]] = UNSET
    late_fee: Maybe[dict[str, Any]] = UNSET
    late_reminders: Maybe[list[Any]] = UNSET


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
