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

    id: int | None = None
    estimateid: int | None = None
    accountid: str | None = None
    accounting_systemid: str | None = None
    uuid: str | None = None
    estimate_number: str | None = None
    customerid: int | None = None
    ownerid: int | None = None
    invoiced: bool | None = None
    accepted: bool | None = None
    status: EstimateStatus | None = None
    ui_status: str | None = None
    display_status: str | None = None
    reply_status: str | None = None
    vis_state: VisState | None = None
    ext_archive: int | None = None
    amount: Money | None = None
    discount_total: Money | None = None
    discount_value: Decimal | None = None
    description: str | None = None
    currency_code: str | None = None
    language: str | None = None
    template: str | None = None
    create_date: date | None = None
    created_at: AccountingDateTime | None = None
    updated: AccountingDateTime | None = None
    current_organization: str | None = None
    organization: str | None = None
    fname: str | None = None
    lname: str | None = None
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
    require_client_signature: bool | None = None
    lines: list[InvoiceLine] | None = None
    presentation: dict[str, Any] | None = None
    attachments: list[Any] | None = None


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
