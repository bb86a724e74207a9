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

    id: Maybe[int] = UNSET
    sub_accountid: Maybe[int] = UNSET
    parentid: Maybe[int] = UNSET
    account_sub_name: Maybe[str] = UNSET
    account_sub_number: Maybe[str] = UNSET
    account_type: Maybe[str] = UNSET
    accounting_systemid: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    custom: Maybe[bool] = UNSET
    balance: Maybe[Decimal] = UNSET
    currency_code: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class JournalEntryAccount(Model):
    """An account of the chart of accounts as the journal-entry API shows it.

    ``balance`` is a decimal string in ``currency_code`` (``"-500"``), not a money object.
    """

    id: Maybe[int] = UNSET
    accountid: Maybe[int] = UNSET
    account_name: Maybe[str] = UNSET
    account_number: Maybe[str] = UNSET
    account_type: Maybe[str] = UNSET
    accounting_systemid: Maybe[str] = UNSET
    balance: Maybe[Decimal] = UNSET
    currency_code: Maybe[str] = UNSET
    composite: Maybe[bool] = UNSET
    parentid: Maybe[int] = UNSET
    sub_accounts: Maybe[list[JournalEntrySubAccount]] = UNSET


@attrs.frozen(kw_only=True)
class JournalEntryEntry(Model):
    """The entry a journal-entry detail belongs to."""

    id: Maybe[int] = UNSET
    entryid: Maybe[int] = UNSET
    name: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    clientid: Maybe[int] = UNSET
    invoiceid: Maybe[int] = UNSET
    expenseid: Maybe[int] = UNSET
    paymentid: Maybe[int] = UNSET
    creditid: Maybe[int] = UNSET
    incomeid: Maybe[int] = UNSET
    billid: Maybe[int] = UNSET
    date: Maybe[_dt.date] = UNSET


@attrs.frozen(kw_only=True)
class JournalEntryDetail(Model):
    """One debit or credit line of the general journal."""

    id: Maybe[int] = UNSET
    detailid: Maybe[int] = UNSET
    detail_type: Maybe[str] = UNSET
    accounting_systemid: Maybe[str] = UNSET
    name: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    balance: Maybe[Money] = UNSET
    credit: Maybe[Money] = UNSET
    debit: Maybe[Money] = UNSET
    user_entered_date: Maybe[_dt.date] = UNSET
    account: Maybe[JournalEntryAccount] = UNSET
    sub_account: Maybe[JournalEntrySubAccount] = UNSET
    entry: Maybe[JournalEntryEntry] = UNSET


@attrs.frozen(kw_only=True)
class JournalEntryLine(Model):
    """A debit or credit line of a created journal entry (``journal_entry.details``).

    Unlike the general journal's :class:`JournalEntryDetail`, ``debit`` and ``credit`` are
    decimal strings in ``currency_code`` (``"200"``), one of them ``null``.
    """

    id: Maybe[int] = UNSET
    detailid: Maybe[int] = UNSET
    name: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    sub_accountid: Maybe[int] = UNSET
    categoryid: Maybe[int] = UNSET
    debit: Maybe[Decimal] = UNSET
    credit: Maybe[Decimal] = UNSET
    currency_code: Maybe[str] = UNSET
    user_entered_date: Maybe[_dt.date] = UNSET


@attrs.frozen(kw_only=True)
class JournalEntry(Model):
    """A manual journal entry (response shape from the create example)."""

    id: Maybe[int] = UNSET
    entryid: Maybe[int] = UNSET
    name: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    currency_code: Maybe[str] = UNSET
    user_entered_date: Maybe[_dt.date] = UNSET
    created_at: Maybe[AccountingDateTime] = UNSET
    details: Maybe[list[JournalEntryLine]] = UNSET


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
