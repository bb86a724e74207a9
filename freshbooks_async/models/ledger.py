"""Ledger accounts (accounting-business family, ``{"data": ...}`` envelope, no pagination):
``/accounting/businesses/{business_uuid}/ledger_accounts/accounts``,
``/accounting/ledger_accounts/types`` and ``/accounting/ledger_accounts/sub_types``.
Timestamps are ISO 8601 UTC (PY fixture ``get_ledger_account_response.json``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, ISODateTime, Maybe, Settable

__all__ = [
    "LedgerAccount",
    "LedgerAccountCreate",
    "LedgerAccountSubType",
    "LedgerAccountType",
    "LedgerAccountUpdate",
]


@attrs.frozen(kw_only=True)
class LedgerAccount(Model):
    """An account of the chart of accounts."""

    uuid: Maybe[str] = UNSET
    name: Maybe[str] = UNSET
    number: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    type: Maybe[str] = UNSET
    sub_type: Maybe[str] = UNSET
    system_account_name: Maybe[str] = UNSET
    parent_account: Maybe[str] = UNSET
    sub_accounts: Maybe[list[str]] = UNSET
    auto_created: Maybe[bool] = UNSET
    state: Maybe[str] = UNSET
    currency_code: Maybe[str] = UNSET
    updated_at: Maybe[ISODateTime] = UNSET
    created_at: Maybe[ISODateTime] = UNSET


@attrs.frozen(kw_only=True)
class LedgerAccountType(Model):
    """An account type (asset, liability, equity, income, expense)."""

    id: Maybe[int | str] = UNSET
    name: Maybe[str] = UNSET
    type: Maybe[str] = UNSET
    description: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class LedgerAccountSubType(Model):
    """An account sub type (e.g. "Cash & Bank")."""

    id: Maybe[int | str] = UNSET
    name: Maybe[str] = UNSET
    type: Maybe[str] = UNSET
    description: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class LedgerAccountCreate(WriteModel):
    """Body of ``POST .../ledger_accounts/accounts``.

    ``name``, ``sub_type`` and ``parent_account`` are required (PY fixture
    ``create_ledger_account_response__validation_errors.json``).
    """

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"name", "sub_type", "parent_account"})

    name: Settable[str] = UNSET
    number: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    sub_type: Settable[str] = UNSET
    parent_account: Settable[str] = UNSET
    sub_accounts: Settable[Sequence[str]] = UNSET
    currency_code: Settable[str] = UNSET


@attrs.frozen(kw_only=True)
class LedgerAccountUpdate(LedgerAccountCreate):
    """Body of ``PUT .../ledger_accounts/accounts/{account_uuid}``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()
