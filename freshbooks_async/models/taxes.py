"""Taxes (accounting family): ``.../taxes/taxes``, JSON keys ``tax`` / ``taxes``."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, AccountingDateTime, Maybe, Settable

__all__ = ["Tax", "TaxCreate", "TaxUpdate"]


@attrs.frozen(kw_only=True)
class Tax(Model):
    """A saved tax rate."""

    id: int
    taxid: int
    accounting_systemid: str
    name: str
    amount: Decimal
    number: str
    compound: bool
    updated: AccountingDateTime


@attrs.frozen(kw_only=True)
class TaxCreate(WriteModel):
    """Body of ``POST .../taxes/taxes``; ``name`` is required, ``amount`` is a percent."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"name"})

    name: Settable[str] = UNSET
    amount: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    number: Maybe[str] = UNSET
    compound: Settable[bool] = UNSET


@attrs.frozen(kw_only=True)
class TaxUpdate(TaxCreate):
    """Body of ``PUT .../taxes/taxes/{id}``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()
