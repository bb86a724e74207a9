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

    id: Maybe[int] = UNSET
    logid: Maybe[int] = UNSET
    accounting_systemid: Maybe[str] = UNSET
    invoiceid: Maybe[int] = UNSET
    clientid: Maybe[int] = UNSET
    creditid: Maybe[int] = UNSET
    overpaymentid: Maybe[int] = UNSET
    orderid: Maybe[int] = UNSET
    transactionid: Maybe[int] = UNSET
    amount: Maybe[Money] = UNSET
    date: Maybe[_dt.date] = UNSET
    type: Maybe[str] = UNSET
    note: Maybe[str] = UNSET
    gateway: Maybe[str] = UNSET
    from_credit: Maybe[bool] = UNSET
    send_client_notification: Maybe[bool] = UNSET
    updated: Maybe[AccountingDateTime] = UNSET
    vis_state: Maybe[VisState] = UNSET


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
