"""Bills, bill payments and bill vendors (accounting family).

Paths ``.../bills/bills`` (``bill``/``bills``), ``.../bill_payments/bill_payments``
(``bill_payment``/``bill_payments``), ``.../bill_vendors/bill_vendors``
(``bill_vendor``/``bill_vendors``). Bill and bill-vendor ``created_at``/``updated_at`` are
UTC (official Python SDK ``models.py``); Node SDK ``Bills.ts``, ``BillVendors.ts``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ._base import Model, WriteModel
from .common import (
    UNSET,
    AccountingUTCDateTime,
    Maybe,
    Money,
    Settable,
    VisState,
)

__all__ = [
    "Bill",
    "BillCreate",
    "BillLine",
    "BillLineCreate",
    "BillPayment",
    "BillPaymentCreate",
    "BillPaymentUpdate",
    "BillUpdate",
    "BillVendor",
    "BillVendorCreate",
    "BillVendorTax",
    "BillVendorUpdate",
]


@attrs.frozen(kw_only=True)
class BillVendorTax(Model):
    """A default tax of a bill vendor; its timestamps are UTC."""

    tax_id: int | None = None
    system_taxid: int | None = None
    name: str | None = None
    amount: Decimal | None = None
    percent: Decimal | None = None
    enabled: bool | None = None
    tax_authorityid: str | None = None
    created_at: AccountingUTCDateTime | None = None
    updated_at: AccountingUTCDateTime | None = None


@attrs.frozen(kw_only=True)
class BillVendor(Model):
    """A vendor that sends bills."""

    vendorid: int
    vendor_name: str
    account_number: str
    currency_code: str
    language: str
    is_1099: bool
    note: str | None = None
    phone: str
    website: str
    primary_contact_email: str
    primary_contact_first_name: str
    primary_contact_last_name: str
    street: str
    street2: str | None
    city: str
    province: str
    postal_code: str | None
    country: str
    outstanding_balance: list[Any] | None = None
    overdue_balance: list[Any] | None = None
    tax_defaults: list[BillVendorTax]
    created_at: AccountingUTCDateTime
    updated_at: AccountingUTCDateTime
    vis_state: VisState


@attrs.frozen(kw_only=True)
class BillLine(Model):
    """A line of a bill (Node SDK ``BillLines.ts``)."""

    id: int | None = None
    list_index: int | None = None
    description: str
    quantity: Decimal
    unit_cost: Money
    amount: Money
    total_amount: Money | None = None
    # The category's name ("Equipment") in every example; an object in older docs.
    category: str | dict[str, Any] | None = None
    categoryid: int
    tax_name1: str | None = None
    tax_name2: str | None = None
    tax_percent1: Decimal | None = None
    tax_percent2: Decimal | None = None
    tax_authorityid1: str | None = None
    tax_authorityid2: str | None = None
    tax_amount1: Money | None = None
    tax_amount2: Money | None = None


@attrs.frozen(kw_only=True)
class BillPayment(Model):
    """A payment made against a bill."""

    id: int
    billid: int
    amount: Money
    paid_date: _dt.date
    payment_type: str
    note: str | None
    matched_with_expense: bool | None = None
    vis_state: VisState


@attrs.frozen(kw_only=True)
class Bill(Model):
    """A bill from a vendor."""

    id: int
    vendorid: int
    bill_number: str | None
    status: str
    currency_code: str
    language: str | None = None
    issue_date: _dt.date
    due_date: _dt.date
    due_offset_days: int
    amount: Money
    outstanding: Money
    paid: Money
    tax_amount: Money
    total_amount: Money
    overall_category: str | None = None
    overall_description: str | None = None
    attachment: dict[str, Any] | None = None
    lines: list[BillLine]
    bill_payments: list[BillPayment]
    vendor: BillVendor | None = None
    created_at: AccountingUTCDateTime
    updated_at: AccountingUTCDateTime
    vis_state: VisState


@attrs.frozen(kw_only=True)
class BillLineCreate(WriteModel):
    """A line to send with a bill."""

    categoryid: Settable[int] = UNSET
    description: Maybe[str] = UNSET
    quantity: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    unit_cost: Settable[Money] = UNSET
    list_index: Settable[int] = UNSET
    tax_name1: Maybe[str] = UNSET
    tax_name2: Maybe[str] = UNSET
    tax_percent1: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    tax_percent2: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})


@attrs.frozen(kw_only=True)
class BillCreate(WriteModel):
    """Body of ``POST .../bills/bills``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"vendorid", "issue_date"})

    vendorid: Settable[int] = UNSET
    issue_date: Settable[_dt.date] = UNSET
    due_offset_days: Settable[int] = attrs.field(default=UNSET, metadata={"min": 0})
    bill_number: Maybe[str] = UNSET
    currency_code: Settable[str] = UNSET
    language: Settable[str] = UNSET
    lines: Settable[Sequence[BillLineCreate]] = UNSET
    attachment: Maybe[dict[str, Any]] = UNSET


@attrs.frozen(kw_only=True)
class BillUpdate(BillCreate):
    """Body of ``PUT .../bills/bills/{id}``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()


@attrs.frozen(kw_only=True)
class BillPaymentCreate(WriteModel):
    """Body of ``POST .../bill_payments/bill_payments``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"billid", "amount", "paid_date"})

    billid: Settable[int] = UNSET
    amount: Settable[Money] = UNSET
    paid_date: Settable[_dt.date] = UNSET
    payment_type: Settable[str] = UNSET
    note: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class BillPaymentUpdate(BillPaymentCreate):
    """Body of ``PUT .../bill_payments/bill_payments/{id}``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()


@attrs.frozen(kw_only=True)
class BillVendorCreate(WriteModel):
    """Body of ``POST .../bill_vendors/bill_vendors``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"vendor_name"})

    vendor_name: Settable[str] = UNSET
    account_number: Maybe[str] = UNSET
    currency_code: Settable[str] = UNSET
    language: Settable[str] = UNSET
    is_1099: Settable[bool] = UNSET
    note: Maybe[str] = UNSET
    phone: Maybe[str] = UNSET
    website: Maybe[str] = UNSET
    primary_contact_email: Maybe[str] = UNSET
    primary_contact_first_name: Maybe[str] = UNSET
    primary_contact_last_name: Maybe[str] = UNSET
    street: Maybe[str] = UNSET
    street2: Maybe[str] = UNSET
    city: Maybe[str] = UNSET
    province: Maybe[str] = UNSET
    postal_code: Maybe[str] = UNSET
    country: Maybe[str] = UNSET
    tax_defaults: Settable[Sequence[dict[str, Any]]] = UNSET


@attrs.frozen(kw_only=True)
class BillVendorUpdate(BillVendorCreate):
    """Body of ``PUT .../bill_vendors/bill_vendors/{id}``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()
