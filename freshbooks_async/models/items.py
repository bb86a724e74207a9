"""Items (accounting family): ``.../items/items``, JSON keys ``item`` / ``items``."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, AccountingDateTime, Maybe, Money, Settable, VisState

__all__ = ["Item", "ItemCreate", "ItemUpdate"]


@attrs.frozen(kw_only=True)
class Item(Model):
    """A saved item (product) that can be added to invoice lines."""

    id: int
    itemid: int | None = None
    accounting_systemid: str
    name: str
    description: str
    sku: str | None
    qty: Decimal
    inventory: Decimal | None
    unit_cost: Money
    tax1: int
    tax2: int
    updated: AccountingDateTime
    vis_state: VisState


@attrs.frozen(kw_only=True)
class ItemCreate(WriteModel):
    """Body of ``POST .../items/items``; ``name`` is required."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"name"})

    name: Settable[str] = UNSET
    description: Maybe[str] = UNSET
    sku: Maybe[str] = UNSET
    qty: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    inventory: Maybe[Decimal] = UNSET
    unit_cost: Settable[Money] = UNSET
    tax1: Maybe[int] = UNSET
    tax2: Maybe[int] = UNSET


@attrs.frozen(kw_only=True)
class ItemUpdate(ItemCreate):
    """Body of ``PUT .../items/items/{id}``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()
