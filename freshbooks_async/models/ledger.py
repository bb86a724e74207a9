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

    uuid: str
    name: str
    number: str
    description: str
    type: str
    sub_type: str
    system_account_name: str | None = None
    parent_account: str | None
    sub_accounts: list[str]
    auto_created: bool
    state: str
    currency_code: str | None = None
    updated_at: ISODateTime
    created_at: ISODateTime | None = None


@attrs.frozen(kw_only=True)
class LedgerAccountType(Model):
    """An account type (asset, liability, equity, income, expense)."""

    id: int | str | None = None
    name: str | None = None
    type: str | None = None
    description: str | None = None


@attrs.frozen(kw_only=True)
class LedgerAccountSubType(Model):
    """An account sub type (e.g. "Cash & Bank")."""

    id: int | str | None = None
    name: str | None = None
    type: str | None = None
    description: str | None = None


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
