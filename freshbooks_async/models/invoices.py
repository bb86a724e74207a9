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

    lineid: Maybe[int] = UNSET
    invoiceid: Maybe[int] = UNSET
    type: Maybe[int] = UNSET
    name: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    qty: Maybe[Decimal] = UNSET
    unit_cost: Maybe[Money] = UNSET
    amount: Maybe[Money] = UNSET
    expenseid: Maybe[int] = UNSET
    taxName1: Maybe[str] = UNSET
    taxAmount1: Maybe[Decimal] = UNSET
    taxName2: Maybe[str] = UNSET
    taxAmount2: Maybe[Decimal] = UNSET
    compounded_tax: Maybe[bool] = UNSET
    modern_project_id: Maybe[int] = UNSET
    modern_time_entries: Maybe[list[int]] = UNSET
    retainer_id: Maybe[int] = UNSET
    retainer_period_id: Maybe[int] = UNSET
    basecampid: Maybe[int] = UNSET
    # A timestamp ("2019-11-25 15:43:26"), despite its name.
    date: Maybe[AccountingDateTime] = UNSET
    updated: Maybe[AccountingDateTime] = UNSET


@attrs.frozen(kw_only=True)
class LateFee(Model):
    """Late-fee settings of an invoice (``include[]=late_fee``)."""

    enabled: Maybe[bool] = UNSET
    type: Maybe[str] = UNSET
    calculation_type: Maybe[str] = UNSET
    value: Maybe[Decimal] = UNSET
    days: Maybe[int] = UNSET
    repeat: Maybe[bool] = UNSET
    compounded_taxes: Maybe[bool] = UNSET
    first_tax_name: Maybe[str] = UNSET
    first_tax_percent: Maybe[Decimal] = UNSET
    second_tax_name: Maybe[str] = UNSET
    second_tax_percent: Maybe[Decimal] = UNSET


@attrs.frozen(kw_only=True)
class LateReminder(Model):
    """One late-payment reminder (``include[]=late_reminders``)."""

    enabled: Maybe[bool] = UNSET
    delay: Maybe[int] = UNSET
    position: Maybe[int] = UNSET
    body: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class Presentation(Model):
    """Invoice appearance (``include[]=presentation``)."""

    id: Maybe[str | int] = UNSET
    theme_font_name: Maybe[str] = UNSET
    theme_primary_color: Maybe[str] = UNSET
    theme_layout: Maybe[str] = UNSET
    date_format: Maybe[str] = UNSET
    image_banner_position_y: Maybe[int] = UNSET
    image_logo_src: Maybe[str] = UNSET
    image_banner_src: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class InvoiceContact(Model):
    """A client contact an invoice is addressed to (``include[]=contacts``)."""

    contactid: Maybe[int | str] = UNSET
    userid: Maybe[int] = UNSET
    email: Maybe[str] = UNSET
    fname: Maybe[str] = UNSET
    lname: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class Invoice(Model):
    """An invoice as FreshBooks returns it (DOCS:invoices "Field Descriptions")."""

    id: Maybe[int] = UNSET
    invoiceid: Maybe[int] = UNSET
    accountid: Maybe[str] = UNSET
    accounting_systemid: Maybe[str] = UNSET
    uuid: Maybe[str] = UNSET
    invoice_number: Maybe[str] = UNSET
    customerid: Maybe[int] = UNSET
    ownerid: Maybe[int] = UNSET
    estimateid: Maybe[int] = UNSET
    sentid: Maybe[int] = UNSET
    basecampid: Maybe[int] = UNSET
    parent: Maybe[int] = UNSET
    status: Maybe[InvoiceStatus] = UNSET
    v3_status: Maybe[InvoiceV3Status] = UNSET
    display_status: Maybe[str] = UNSET
    payment_status: Maybe[str] = UNSET
    autobill_status: Maybe[str] = UNSET
    last_order_status: Maybe[str] = UNSET
    dispute_status: Maybe[str] = UNSET
    deposit_status: Maybe[str] = UNSET
    auto_bill: Maybe[bool] = UNSET
    vis_state: Maybe[VisState] = UNSET
    ext_archive: Maybe[int] = UNSET
    amount: Maybe[Money] = UNSET
    paid: Maybe[Money] = UNSET
    outstanding: Maybe[Money] = UNSET
    discount_total: Maybe[Money] = UNSET
    net_paid_amount: Maybe[Money] = UNSET
    discount_value: Maybe[Decimal] = UNSET
    discount_description: Maybe[str] = UNSET
    deposit_amount: Maybe[Money] = UNSET
    deposit_percentage: Maybe[Decimal] = UNSET
    currency_code: Maybe[str] = UNSET
    language: Maybe[str] = UNSET
    template: Maybe[str] = UNSET
    create_date: Maybe[date] = UNSET
    generation_date: Maybe[date] = UNSET
    fulfillment_date: Maybe[date] = UNSET
    due_date: Maybe[date] = UNSET
    due_offset_days: Maybe[int] = UNSET
    date_paid: Maybe[date] = UNSET
    created_at: Maybe[AccountingDateTime] = UNSET
    updated: Maybe[AccountingDateTime] = UNSET
    version: Maybe[AccountingDateTime] = UNSET
    current_organization: Maybe[str] = UNSET
    organization: Maybe[str] = UNSET
    fname: Maybe[str] = UNSET
    lname: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    notes: Maybe[str] = UNSET
    terms: Maybe[str] = UNSET
    po_number: Maybe[str] = UNSET
    payment_details: Maybe[str] = UNSET
    address: Maybe[str] = UNSET
    street: Maybe[str] = UNSET
    street2: Maybe[str] = UNSET
    city: Maybe[str] = UNSET
    province: Maybe[str] = UNSET
    code: Maybe[str] = UNSET
    country: Maybe[str] = UNSET
    vat_name: Maybe[str] = UNSET
    vat_number: Maybe[str] = UNSET
    return_uri: Maybe[str] = UNSET
    gmail: Maybe[bool] = UNSET
    show_attachments: Maybe[bool] = UNSET
    # Includes.
    lines: Maybe[list[InvoiceLine]] = UNSET
    late_fee: Maybe[LateFee] = UNSET
    late_reminders: Maybe[list[LateReminder]] = UNSET
    presentation: Maybe[Presentation] = UNSET
    contacts: Maybe[list[InvoiceContact]] = UNSET
    owner: Maybe[dict[str, Any]] = UNSET
    system: Maybe[dict[str, Any]] = UNSET
    allowed_gateways: Maybe[list[Any]] = UNSET
    audit_logs: Maybe[list[Any]] = UNSET
    client_audits: Maybe[list[Any]] = UNSET
    comments: Maybe[list[Any]] = UNSET
    latest_journal_entry: Maybe[Any] = UNSET
    project_total_amounts: Maybe[Any] = UNSET
    attachments: Maybe[list[Any]] = UNSET
    direct_links: Maybe[list[Any]] = UNSET
    payment_schedule: Maybe[list[Any]] = UNSET


@attrs.frozen(kw_only=True)
class InvoiceLineCreate(WriteModel):
    """A line to send in ``InvoiceCreate.lines`` / ``InvoiceUpdate.lines``.

    On update, FreshBooks keeps only the lines present in the request (DOCS:invoices).
    """

    type: Settable[int] = UNSET
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
