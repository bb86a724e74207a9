"""Estimates (accounting family): ``/accounting/account/{account_id}/estimates/estimates``,
JSON keys ``estimate`` / ``estimates``. Lines share the invoice line shape."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, AccountingDateTime, LenientIntEnum, Maybe, Money, Settable, VisState
from .invoices import InvoiceLine, InvoiceLineCreate

__all__ = ["Estimate", "EstimateCreate", "EstimateStatus", "EstimateUpdate"]


class EstimateStatus(LenientIntEnum):
    """``status`` codes of an estimate (FreshBooks estimate statuses)."""

    DISPUTED = 0
    DRAFT = 1
    SENT = 2
    VIEWED = 3
    REPLIED = 4
    ACCEPTED = 6
    INVOICED = 7


@attrs.frozen(kw_only=True)
class Estimate(Model):
    """An estimate (a quote that can be accepted and turned into an invoice)."""

    id: Maybe[int] = UNSET
    estimateid: Maybe[int] = UNSET
    accountid: Maybe[str] = UNSET
    accounting_systemid: Maybe[str] = UNSET
    uuid: Maybe[str] = UNSET
    estimate_number: Maybe[str] = UNSET
    customerid: Maybe[int] = UNSET
    ownerid: Maybe[int] = UNSET
    invoiced: Maybe[bool] = UNSET
    accepted: Maybe[bool] = UNSET
    status: Maybe[EstimateStatus] = UNSET
    ui_status: Maybe[str] = UNSET
    display_status: Maybe[str] = UNSET
    reply_status: Maybe[str] = UNSET
    vis_state: Maybe[VisState] = UNSET
    ext_archive: Maybe[int] = UNSET
    amount: Maybe[Money] = UNSET
    discount_total: Maybe[Money] = UNSET
    discount_value: Maybe[Decimal] = UNSET
    description: Maybe[str] = UNSET
    currency_code: Maybe[str] = UNSET
    language: Maybe[str] = UNSET
    template: Maybe[str] = UNSET
    create_date: Maybe[date] = UNSET
    created_at: Maybe[AccountingDateTime] = UNSET
    updated: Maybe[AccountingDateTime] = UNSET
    current_organization: Maybe[str] = UNSET
    organization: Maybe[str] = UNSET
    fname: Maybe[str] = UNSET
    lname: Maybe[str] = UNSET
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
    require_client_signature: Maybe[bool] = UNSET
    lines: Maybe[list[InvoiceLine]] = UNSET
    presentation: Maybe[dict[str, Any]] = UNSET
    attachments: Maybe[list[Any]] = UNSET


@attrs.frozen(kw_only=True)
class EstimateCreate(WriteModel):
    """Body of ``POST .../estimates/estimates``; ``customerid`` and ``create_date`` required."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"customerid", "create_date"})

    customerid: Settable[int] = UNSET
    create_date: Settable[date] = UNSET
    estimate_number: Settable[str] = UNSET
    ownerid: Settable[int] = UNSET
    status: Settable[EstimateStatus] = UNSET
    discount_value: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    description: Maybe[str] = UNSET
    currency_code: Settable[str] = UNSET
    language: Settable[str] = UNSET
    template: Settable[str] = UNSET
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
    organization: Maybe[str] = UNSET
    fname: Maybe[str] = UNSET
    lname: Maybe[str] = UNSET
    vat_name: Maybe[str] = UNSET
    vat_number: Maybe[str] = UNSET
    require_client_signature: Settable[bool] = UNSET
    lines: Settable[Sequence[InvoiceLineCreate]] = UNSET
    presentation: Maybe[Mapping[str, Any]] = UNSET


@attrs.frozen(kw_only=True)
class EstimateUpdate(EstimateCreate):
    """Body of ``PUT .../estimates/estimates/{id}``; actions ``action_accept`` and
    ``action_email`` + ``email_recipients`` (Postman "Accept Estimate", "Send by Email")."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()

    action_accept: Settable[bool] = UNSET
    action_email: Settable[bool] = UNSET
    action_mark_as_sent: Settable[bool] = UNSET
    email_recipients: Settable[Sequence[str]] = UNSET
    email_include_pdf: Settable[bool] = UNSET
