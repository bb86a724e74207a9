"""Billable items (accounting family, Postman "Create Service"):
``.../billable_items/billable_items``, key ``billable_item``. No example response is
published; the request shape defines the known fields."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, AccountingDateTime, Maybe, Money, Settable, VisState

__all__ = ["BillableItem", "BillableItemCreate"]


@attrs.frozen(kw_only=True)
class BillableItem(Model):
    """A billable item (a service with a rate)."""

    id: int | None = None
    name: str | None = None
    description: str | None = None
    sku: str | None = None
    qty: Decimal | None = None
    inventory: Decimal | None = None
    unit_cost: Money | None = None
    tax1: int | None = None
    tax2: int | None = None
    updated: AccountingDateTime | None = None
    vis_state: VisState | None = None


@attrs.frozen(kw_only=True)
class BillableItemCreate(WriteModel):
    """Body of ``POST .../billable_items/billable_items``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"name"})

    name: Settable[str] = UNSET
    description: Maybe[str] = UNSET
    sku: Maybe[str] = UNSET
    qty: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    unit_cost: Settable[Money] = UNSET
    tax1: Maybe[int] = UNSET
    tax2: Maybe[int] = UNSET
