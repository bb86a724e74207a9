"""Journal entries, their details and the chart of journal-entry accounts (accounting
family; Node SDK ``JournalEntry*.ts``): ``.../journal_entries/journal_entries`` (key
``journal_entry``), ``.../journal_entries/journal_entry_details`` (``journal_entry_details``)
and ``.../journal_entry_accounts/journal_entry_accounts`` (``journal_entry_accounts``)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Decimal
from typing import ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, AccountingDateTime, Maybe, Money, Settable

__all__ = [
    "JournalEntry",
    "JournalEntryAccount",
    "JournalEntryCreate",
    "JournalEntryDetail",
    "JournalEntryDetailCreate",
    "JournalEntryEntry",
    "JournalEntryLine",
    "JournalEntrySubAccount",
]


@attrs.frozen(kw_only=True)
class JournalEntrySubAccount(Model):
    """A sub-account of a journal-entry account.

    ``balance`` is a decimal string in ``currency_code`` (``"340.54"``), not a money object.
    """

    id: int
    sub_accountid: int
    parentid: int
    account_sub_name: str
    account_sub_number: str
    account_type: str | None = None
    accounting_systemid: str | None = None
    description: str | None = None
    custom: bool | None = None
    balance: Decimal | None = None
    currency_code: str | None = None


@attrs.frozen(kw_only=True)
class JournalEntryAccount(Model):
    """An account of the chart of accounts as the journal-entry API shows it.

    ``balance`` is a decimal string in ``currency_code`` (``"-500"``), not a money object.
    """

    id: int
    accountid: int
    account_name: str
    account_number: str
    account_type: str
    accounting_systemid: str | None = None
    balance: Decimal | None = None
    currency_code: str | None = None
    composite: bool | None = None
    parentid: int | None = None
    sub_accounts: list[JournalEntrySubAccount] | None = None


@attrs.frozen(kw_only=True)
class JournalEntryEntry(Model):
    """The entry a journal-entry detail belongs to."""

    id: int
    entryid: int
    name: str | None = None
    description: str | None = None
    clientid: int | None
    invoiceid: int | None
    expenseid: int | None
    paymentid: int | None
    creditid: int | None
    incomeid: int | None
    billid: int | None = None
    date: _dt.date | None = None


@attrs.frozen(kw_only=True)
class JournalEntryDetail(Model):
    """One debit or credit line of the general journal."""

    id: int
    detailid: int
    detail_type: str
    accounting_systemid: str
    name: str
    description: str
    balance: Money
    credit: Money | None
    debit: Money | None
    user_entered_date: _dt.date
    account: JournalEntryAccount
    sub_account: JournalEntrySubAccount
    entry: JournalEntryEntry


@attrs.frozen(kw_only=True)
class JournalEntryLine(Model):
    """A debit or credit line of a created journal entry (``journal_entry.details``).

    Unlike the general journal's :class:`JournalEntryDetail`, ``debit`` and ``credit`` are
    decimal strings in ``currency_code`` (``"200"``), one of them ``null``.
    """

    id: int
    detailid: int
    name: str
    description: str
    sub_accountid: int
    categoryid: int | None = None
    debit: Decimal | None
    credit: Decimal | None
    currency_code: str
    user_entered_date: _dt.date


@attrs.frozen(kw_only=True)
class JournalEntry(Model):
    """A manual journal entry (response shape from the create example)."""

    id: int
    entryid: int
    name: str
    description: str
    currency_code: str
    user_entered_date: _dt.date
    created_at: AccountingDateTime | None = None
    details: list[JournalEntryLine]


@attrs.frozen(kw_only=True)
class JournalEntryDetailCreate(WriteModel):
    """A debit or credit line of a new journal entry (set one of them)."""

    sub_accountid: Settable[int] = UNSET
    debit: Settable[Money] = UNSET
    credit: Settable[Money] = UNSET
    description: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class JournalEntryCreate(WriteModel):
    """Body of ``POST .../journal_entries/journal_entries``; debits must equal credits."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"name", "details"})

    name: Settable[str] = UNSET
    description: Maybe[str] = UNSET
    currency_code: Settable[str] = UNSET
    user_entered_date: Settable[_dt.date] = UNSET
    details: Settable[Sequence[JournalEntryDetailCreate]] = UNSET
