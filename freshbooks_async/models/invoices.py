"""Invoices and their lines (DOCS:invoices; field lists and JSON examples of that page).

Path: ``/accounting/account/{account_id}/invoices/invoices``; JSON keys ``invoice`` /
``invoices``. Includes (``include[]=``): audit_logs, client_audits, comments, contacts,
lines, owner, latest_journal_entry, allowed_gateways, late_fee, presentation,
project_total_amounts, late_reminders, system.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ._base import Model, WriteModel
from .common import (
    UNSET,
    AccountingDateTime,
    LenientIntEnum,
    LenientStrEnum,
    Maybe,
    Money,
    Settable,
    VisState,
)

__all__ = [
    "Invoice",
    "InvoiceContact",
    "InvoiceCreate",
    "InvoiceLine",
    "InvoiceLineCreate",
    "InvoiceStatus",
    "InvoiceUpdate",
    "InvoiceV3Status",
    "LateFee",
    "LateReminder",
    "Presentation",
]


class InvoiceStatus(LenientIntEnum):
    """``status`` codes of an invoice (DOCS:invoices "Invoice Statuses")."""

    DISPUTED = 0
    DRAFT = 1
    SENT = 2
    VIEWED = 3
    PAID = 4
    AUTO_PAID = 5
    RETRY = 6
    FAILED = 7
    PARTIAL = 8


class InvoiceV3Status(LenientStrEnum):
    """``v3_status`` values (DOCS:invoices "v3 Statuses"); usable in filters."""

    CREATED = "created"
    DRAFT = "draft"
    SENT = "sent"
    VIEWED = "viewed"
    FAILED = "failed"
    RETRY = "retry"
    SUCCESS = "success"
    AUTOPAID = "autopaid"
    PAID = "paid"
    PARTIAL = "partial"
    DISPUTED = "disputed"
    RESOLVED = "resolved"
    OVERDUE = "overdue"
    DEPOSIT_PARTIAL = "deposit-partial"
    DEPOSIT_PAID = "deposit-paid"
    DECLINED = "declined"
    PENDING = "pending"


@attrs.frozen(kw_only=True)
class InvoiceLine(Model):
    """One invoice line (``include[]=lines``). ``type`` 0 is an amount, 1 a rebilled expense."""

    lineid: int | None = None
    invoiceid: int | None = None
    type: int | None = None
    name: str
    description: str
    qty: Decimal
    unit_cost: Money
    amount: Money | None = None
    expenseid: int | None = None
    taxName1: str | None
    taxAmount1: Decimal | None
    taxName2: str | None
    taxAmount2: Decimal | None
    compounded_tax: bool
    modern_project_id: int | None = None
    modern_time_entries: list[int] | None = None
    retainer_id: int | None = None
    retainer_period_id: int | None = None
    basecampid: int | None = None
    # A timestamp ("2019-11-25 15:43:26"), despite its name.
    date: AccountingDateTime | None = None
    updated: AccountingDateTime | None = None


@attrs.frozen(kw_only=True)
class LateFee(Model):
    """Late-fee settings of an invoice (``include[]=late_fee``)."""

    enabled: bool | None = None
    type: str | None = None
    calculation_type: str | None = None
    value: Decimal | None = None
    days: int | None = None
    repeat: bool | None = None
    compounded_taxes: bool | None = None
    first_tax_name: str | None = None
    first_tax_percent: Decimal | None = None
    second_tax_name: str | None = None
    second_tax_percent: Decimal | None = None


@attrs.frozen(kw_only=True)
class LateReminder(Model):
    """One late-payment reminder (``include[]=late_reminders``)."""

    enabled: bool | None = None
    delay: int | None = None
    position: int | None = None
    body: str | None = None


@attrs.frozen(kw_only=True)
class Presentation(Model):
    """Invoice appearance (``include[]=presentation``)."""

    id: str | int | None = None
    theme_font_name: str | None = None
    theme_primary_color: str | None = None
    theme_layout: str | None = None
    date_format: str | None = None
    image_banner_position_y: int | None = None
    image_logo_src: str | None = None
    image_banner_src: str | None = None


@attrs.frozen(kw_only=True)
class InvoiceContact(Model):
    """A client contact an invoice is addressed to (``include[]=contacts``)."""

    contactid: int | str | None = None
    userid: int | None = None
    email: str | None = None
    fname: str | None = None
    lname: str | None = None


@attrs.frozen(kw_only=True)
class Invoice(Model):
    """An invoice as FreshBooks returns it (DOCS:invoices "Field Descriptions")."""

    id: int
    invoiceid: int
    accountid: str
    accounting_systemid: str | None = None
    uuid: str | None = None
    invoice_number: str
    customerid: int
    ownerid: int | None = None
    estimateid: int | None = None
    sentid: int | None = None
    basecampid: int | None = None
    parent: int | None = None
    status: InvoiceStatus
    v3_status: InvoiceV3Status | None = None
    display_status: str
    payment_status: str | None = None
    autobill_status: str | None = None
    last_order_status: str | None = None
    dispute_status: str | None = None
    deposit_status: str | None = None
    auto_bill: bool | None = None
    vis_state: VisState
    ext_archive: int | None = None
    amount: Money
    paid: Money
    outstanding: Money
    discount_total: Money
    net_paid_amount: Money | None = None
    discount_value: Decimal | None = None
    discount_description: str | None = None
    deposit_amount: Money | None = None
    deposit_percentage: Decimal | None = None
    currency_code: str | None = None
    language: str | None = None
    template: str | None = None
    create_date: date
    generation_date: date | None = None
    fulfillment_date: date | None = None
    due_date: date | None = None
    due_offset_days: int | None = None
    date_paid: date | None = None
    created_at: AccountingDateTime | None = None
    updated: AccountingDateTime | None = None
    version: AccountingDateTime | None = None
    current_organization: str | None = None
    organization: str
    fname: str | None = None
    lname: str | None = None
    description: str | None = None
    notes: str | None = None
    terms: str | None = None
    po_number: str | None = None
    payment_details: str | None = None
    address: str | None = None
    street: str | None = None
    street2: str | None = None
    city: str | None = None
    province: str | None = None
    code: str | None = None
    country: str | None = None
    vat_name: str | None = None
    vat_number: str | None = None
    return_uri: str | None = None
    gmail: bool | None = None
    show_attachments: bool | None = None
    # Includes.
    lines: list[InvoiceLine] | None = None
    late_fee: LateFee | None = None
    late_reminders: list[LateReminder] | None = None
    presentation: Presentation | None = None
    contacts: list[InvoiceContact] | None = None
    owner: dict[str, Any] | None = None
    system: dict[str, Any] | None = None
    allowed_gateways: list[Any] | None = None
    audit_logs: list[Any] | None = None
    client_audits: list[Any] | None = None
    comments: list[Any] | None = None
    latest_journal_entry: Any | None = None
    project_total_amounts: Any | None = None
    attachments: list[Any] | None = None
    direct_links: list[Any] | None = None
    payment_schedule: list[Any] | None = None


@attrs.frozen(kw_only=True)
class InvoiceLineCreate(WriteModel):
    """A line to send in ``InvoiceCreate.lines`` / ``InvoiceUpdate.lines``.

    On update, FreshBooks keeps only the lines present in the request (DOCS:invoices).
    """

    type: Maybe[int] = UNSET  # null in FreshBooks' own example requests
    name: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    qty: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    unit_cost: Settable[Money] = UNSET
    expenseid: Maybe[int] = UNSET
    taxName1: Maybe[str] = UNSET
    taxAmount1: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    taxName2: Maybe[str] = UNSET
    taxAmount2: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    compounded_tax: Settable[bool] = UNSET
    modern_project_id: Maybe[int] = UNSET
    modern_time_entries: Settable[list[int]] = UNSET
    retainer_id: Maybe[int] = UNSET
    retainer_period_id: Maybe[int] = UNSET


@attrs.frozen(kw_only=True)
class InvoiceCreate(WriteModel):
    """Body of ``POST .../invoices/invoices`` (DOCS:invoices "Writable" fields).

    ``customerid`` and ``create_date`` are required on creation. Leave ``invoice_number``
    unset to let FreshBooks number the invoice (concurrent creates may then collide: 409).
    """

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"customerid", "create_date"})

    customerid: Settable[int] = UNSET
    create_date: Settable[date] = UNSET
    invoice_number: Settable[str] = UNSET
    ownerid: Settable[int] = UNSET
    estimateid: Maybe[int] = UNSET
    sentid: Settable[int] = UNSET
    status: Settable[InvoiceStatus] = UNSET
    parent: Settable[int] = UNSET
    display_status: Settable[str] = UNSET
    autobill_status: Maybe[str] = UNSET
    payment_status: Settable[str] = UNSET
    last_order_status: Maybe[str] = UNSET
    dispute_status: Maybe[str] = UNSET
    deposit_status: Settable[str] = UNSET
    auto_bill: Settable[bool] = UNSET
    v3_status: Settable[InvoiceV3Status] = UNSET
    generation_date: Maybe[date] = UNSET
    discount_value: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    discount_description: Maybe[str] = UNSET
    po_number: Maybe[str] = UNSET
    template: Settable[str] = UNSET
    currency_code: Settable[str] = UNSET
    language: Settable[str] = UNSET
    terms: Maybe[str] = UNSET
    notes: Maybe[str] = UNSET
    address: Maybe[str] = UNSET
    return_uri: Maybe[str] = UNSET
    deposit_amount: Maybe[Any] = UNSET
    deposit_percentage: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    gmail: Settable[bool] = UNSET
    show_attachments: Settable[bool] = UNSET
    ext_archive: Settable[int] = UNSET
    street: Maybe[str] = UNSET
    street2: Maybe[str] = UNSET
    city: Maybe[str] = UNSET
    province: Maybe[str] = UNSET
    code: Maybe[str] = UNSET
    country: Maybe[str] = UNSET
    organization: Maybe[str] = UNSET
    fname: Maybe[str] = UNSET
    lname: Maybe[str] = UNSET
    vat_name: Maybe[str] = UNSET
    vat_number: Maybe[str] = UNSET
    due_offset_days: Settable[int] = attrs.field(default=UNSET, metadata={"min": 0})
    payment_details: Maybe[str] = UNSET
    lines: Settable[Sequence[InvoiceLineCreate]] = UNSET
    presentation: Maybe[Mapping[str, Any]] = UNSET
    late_fee: Maybe[Mapping[str, Any]] = UNSET
    late_reminders: Settable[Sequence[Mapping[str, Any]]] = UNSET
    contacts: Settable[Sequence[Mapping[str, Any]]] = UNSET
    attachments: Settable[Sequence[Mapping[str, Any]]] = UNSET
    allowed_gateway_name: Maybe[str] = UNSET
    payment_schedule: Settable[Sequence[Mapping[str, Any]]] = UNSET


@attrs.frozen(kw_only=True)
class InvoiceUpdate(InvoiceCreate):
    """Body of ``PUT .../invoices/invoices/{id}``: only the fields set are sent.

    Actions: ``action_mark_as_sent=True``, or ``action_email=True`` with
    ``email_recipients`` (DOCS:invoices "Sending An Invoice"). Delete/archive is not an
    update: use ``vis_state_payload``.
    """

    REQUIRED: ClassVar[frozenset[str]] = frozenset()

    action_mark_as_sent: Settable[bool] = UNSET
    action_email: Settable[bool] = UNSET
    email_recipients: Settable[Sequence[str]] = UNSET
    email_include_pdf: Settable[bool] = UNSET
    invoice_customized_email: Settable[Mapping[str, str]] = UNSET
