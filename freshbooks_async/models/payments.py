"""Invoice payments (accounting family): ``.../payments/payments``, JSON keys ``payment`` /
``payments`` (Node SDK ``Payment.ts`` response example)."""

from __future__ import annotations

import datetime as _dt
from typing import ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, AccountingDateTime, Maybe, Money, Settable, VisState

__all__ = ["Payment", "PaymentCreate", "PaymentUpdate"]


@attrs.frozen(kw_only=True)
class Payment(Model):
    """A payment recorded against an invoice."""

    id: int
    logid: int
    accounting_systemid: str
    invoiceid: int
    clientid: int
    creditid: int | None = None
    overpaymentid: int | None = None
    orderid: int | None = None
    transactionid: int | None = None
    amount: Money
    date: _dt.date
    type: str
    note: str
    gateway: str | None = None
    from_credit: bool
    send_client_notification: bool | None = None
    updated: AccountingDateTime
    vis_state: VisState


@attrs.frozen(kw_only=True)
class PaymentCreate(WriteModel):
    """Body of ``POST .../payments/payments``; ``invoiceid``, ``amount``, ``date`` required."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"invoiceid", "amount", "date"})

    invoiceid: Settable[int] = UNSET
    amount: Settable[Money] = UNSET
    date: Settable[_dt.date] = UNSET
    type: Settable[str] = UNSET
    note: Maybe[str] = UNSET
    orderid: Maybe[int] = UNSET
    transactionid: Maybe[int] = UNSET
    send_client_notification: Settable[bool] = UNSET


@attrs.frozen(kw_only=True)
class PaymentUpdate(PaymentCreate):
    """Body of ``PUT .../payments/payments/{id}``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()
