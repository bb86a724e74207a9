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

    tax_id: Maybe[int] = UNSET
    system_taxid: Maybe[int] = UNSET
    name: Maybe[str] = UNSET
    amount: Maybe[Decimal] = UNSET
    percent: Maybe[Decimal] = UNSET
    enabled: Maybe[bool] = UNSET
    tax_authorityid: Maybe[str] = UNSET
    created_at: Maybe[AccountingUTCDateTime] = UNSET
    updated_at: Maybe[AccountingUTCDateTime] = UNSET


@attrs.frozen(kw_only=True)
class BillVendor(Model):
    """A vendor that sends bills."""

    vendorid: Maybe[int] = UNSET
    vendor_name: Maybe[str] = UNSET
    account_number: Maybe[str] = UNSET
    currency_code: Maybe[str] = UNSET
    language: Maybe[str] = UNSET
    is_1099: Maybe[bool] = UNSET
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
    outstanding_balance: Maybe[list[Any]] = UNSET
    overdue_balance: Maybe[list[Any]] = UNSET
    tax_defaults: Maybe[list[BillVendorTax]] = UNSET
    created_at: Maybe[AccountingUTCDateTime] = UNSET
    updated_at: Maybe[AccountingUTCDateTime] = UNSET
    vis_state: Maybe[VisState] = UNSET


@attrs.frozen(kw_only=True)
class BillLine(Model):
    """A line of a bill (Node SDK ``BillLines.ts``)."""

    id: Maybe[int] = UNSET
    list_index: Maybe[int] = UNSET
    description: Maybe[str] = UNSET
    quantity: Maybe[Decimal] = UNSET
    unit_cost: Maybe[Money] = UNSET
    amount: Maybe[Money] = UNSET
    total_amount: Maybe[Money] = UNSET
    # The category's name ("Equipment") in every example; an object in older docs.
    category: Maybe[str | dict[str, Any]] = UNSET
    categoryid: Maybe[int] = UNSET
    tax_name1: Maybe[str] = UNSET
    tax_name2: Maybe[str] = UNSET
    tax_percent1: Maybe[Decimal] = UNSET
    tax_percent2: Maybe[Decimal] = UNSET
    tax_authorityid1: Maybe[str] = UNSET
    tax_authorityid2: Maybe[str] = UNSET
    tax_amount1: Maybe[Money] = UNSET
    tax_amount2: Maybe[Money] = UNSET


@attrs.frozen(kw_only=True)
class BillPayment(Model):
    """A payment made against a bill."""

    id: Maybe[int] = UNSET
    billid: Maybe[int] = UNSET
    amount: Maybe[Money] = UNSET
    paid_date: Maybe[_dt.date] = UNSET
    payment_type: Maybe[str] = UNSET
    note: Maybe[str] = UNSET
    matched_with_expense: Maybe[bool] = UNSET
    vis_state: Maybe[VisState] = UNSET


@attrs.frozen(kw_only=True)
class Bill(Model):
    """A bill from a vendor."""

    id: Maybe[int] = UNSET
    vendorid: Maybe[int] = UNSET
    bill_number: Maybe[str] = UNSET
    status: Maybe[str] = UNSET
    currency_code: Maybe[str] = UNSET
    language: Maybe[str] = UNSET
    issue_date: Maybe[_dt.date] = UNSET
    due_date: Maybe[_dt.date] = UNSET
    due_offset_days: Maybe[int] = UNSET
    amount: Maybe[Money] = UNSET
    outstanding: Maybe[Money] = UNSET
    paid: Maybe[Money] = UNSET
    tax_amount: Maybe[Money] = UNSET
    total_amount: Maybe[Money] = UNSET
    overall_category: Maybe[str] = UNSET
    overall_description: Maybe[str] = UNSET
    attachment: Maybe[dict[str, Any]] = UNSET
    lines: Maybe[list[BillLine]] = UNSET
    bill_payments: Maybe[list[BillPayment]] = UNSET
    vendor: Maybe[BillVendor] = UNSET
    created_at: Maybe[AccountingUTCDateTime] = UNSET
    updated_at: Maybe[AccountingUTCDateTime] = UNSET
    vis_state: Maybe[VisState] = UNSET


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
