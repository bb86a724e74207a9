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

    id: Maybe[int] = UNSET
    name: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    sku: Maybe[str] = UNSET
    qty: Maybe[Decimal] = UNSET
    inventory: Maybe[Decimal] = UNSET
    unit_cost: Maybe[Money] = UNSET
    tax1: Maybe[int] = UNSET
    tax2: Maybe[int] = UNSET
    updated: Maybe[AccountingDateTime] = UNSET
    vis_state: Maybe[VisState] = UNSET


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
