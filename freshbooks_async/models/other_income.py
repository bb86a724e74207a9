"""Other income (accounting family): ``.../other_incomes/other_incomes``; JSON keys
``other_income`` for both one and many (docs/protocol.rst, "Envelopes per family")."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Decimal
from typing import ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, AccountingDateTime, Maybe, Money, Settable, VisState

__all__ = [
    "OtherIncome",
    "OtherIncomeCreate",
    "OtherIncomeTax",
    "OtherIncomeTaxCreate",
    "OtherIncomeUpdate",
]


@attrs.frozen(kw_only=True)
class OtherIncomeTax(Model):
    """A tax applied to an other-income entry."""

    name: str
    amount: Decimal
    percent: Decimal | None = None


@attrs.frozen(kw_only=True)
class OtherIncome(Model):
    """Income that is not from an invoice (sales through other channels)."""

    id: int | None = None
    incomeid: int
    amount: Money
    category_name: str
    date: _dt.date
    note: str | None
    payment_type: str | None
    source: str
    taxes: list[OtherIncomeTax]
    created_at: AccountingDateTime
    updated_at: AccountingDateTime
    vis_state: VisState


@attrs.frozen(kw_only=True)
class OtherIncomeTaxCreate(WriteModel):
    """A tax to send with an other-income entry."""

    name: Settable[str] = UNSET
    amount: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    percent: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})


@attrs.frozen(kw_only=True)
class OtherIncomeCreate(WriteModel):
    """Body of ``POST .../other_incomes/other_incomes``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"amount", "date"})

    amount: Settable[Money] = UNSET
    category_name: Settable[str] = UNSET
    date: Settable[_dt.date] = UNSET
    note: Maybe[str] = UNSET
    payment_type: Settable[str] = UNSET
    source: Maybe[str] = UNSET
    taxes: Settable[Sequence[OtherIncomeTaxCreate]] = UNSET


@attrs.frozen(kw_only=True)
class OtherIncomeUpdate(OtherIncomeCreate):
    """Body of ``PUT .../other_incomes/other_incomes/{id}``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()
