"""Expenses, expense categories, expense vendors/summaries and recurring expense profiles
(accounting family): ``.../expenses/expenses`` (``expense``/``expenses``),
``.../expenses/categories`` (``category``/``categories``), ``.../expenses/vendors``
(``vendors``), ``.../expenses/summaries`` and ``.../expense_profiles/expense_profiles``
(``expense_profile``)."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, AccountingDateTime, LenientIntEnum, Maybe, Money, Settable, VisState

__all__ = [
    "Expense",
    "ExpenseCategory",
    "ExpenseCategoryCreate",
    "ExpenseCreate",
    "ExpenseProfile",
    "ExpenseProfileCreate",
    "ExpenseStatus",
    "ExpenseSummary",
    "ExpenseSummaryAmount",
    "ExpenseSummaryGroup",
    "ExpenseUpdate",
    "ExpenseVendor",
]


class ExpenseStatus(LenientIntEnum):
    """``status`` of an expense (Node SDK ``Expense.ts``)."""

    INTERNAL = 0
    OUTSTANDING = 1
    INVOICED = 2
    RECOUPED = 4


@attrs.frozen(kw_only=True)
class ExpenseCategory(Model):
    """An expense category (read-only through the API, per the official SDKs)."""

    id: Maybe[int] = UNSET
    categoryid: Maybe[int] = UNSET
    category: Maybe[str] = UNSET
    parentid: Maybe[int] = UNSET
    is_cogs: Maybe[bool] = UNSET
    is_editable: Maybe[bool] = UNSET
    transaction_posted: Maybe[bool] = UNSET
    created_at: Maybe[AccountingDateTime] = UNSET
    updated_at: Maybe[AccountingDateTime] = UNSET
    vis_state: Maybe[VisState] = UNSET


@attrs.frozen(kw_only=True)
class Expense(Model):
    """An expense (DOCS:expenses; Node SDK ``Expense.ts``)."""

    id: Maybe[int] = UNSET
    expenseid: Maybe[int] = UNSET
    accounting_systemid: Maybe[str] = UNSET
    accountid: Maybe[int] = UNSET
    categoryid: Maybe[int] = UNSET
    staffid: Maybe[int] = UNSET
    clientid: Maybe[int] = UNSET
    projectid: Maybe[int] = UNSET
    invoiceid: Maybe[int] = UNSET
    profileid: Maybe[int] = UNSET
    transactionid: Maybe[int] = UNSET
    ext_systemid: Maybe[int] = UNSET
    ext_invoiceid: Maybe[int] = UNSET
    ext_accountid: Maybe[str] = UNSET
    amount: Maybe[Money] = UNSET
    taxAmount1: Maybe[Money] = UNSET
    taxAmount2: Maybe[Money] = UNSET
    taxName1: Maybe[str] = UNSET
    taxName2: Maybe[str] = UNSET
    taxPercent1: Maybe[Decimal] = UNSET
    taxPercent2: Maybe[Decimal] = UNSET
    compounded_tax: Maybe[bool] = UNSET
    markup_percent: Maybe[Decimal] = UNSET
    date: Maybe[_dt.date] = UNSET
    vendor: Maybe[str] = UNSET
    notes: Maybe[str] = UNSET
    status: Maybe[ExpenseStatus] = UNSET
    bank_name: Maybe[str] = UNSET
    account_name: Maybe[str] = UNSET
    has_receipt: Maybe[bool] = UNSET
    isduplicate: Maybe[bool] = UNSET
    is_cogs: Maybe[bool] = UNSET
    include_receipt: Maybe[bool] = UNSET
    potential_bill_payment: Maybe[bool] = UNSET
    updated: Maybe[AccountingDateTime] = UNSET
    vis_state: Maybe[VisState] = UNSET
    # Includes (``include[]=category|attachment|expense_profile|project|account``).
    category: Maybe[ExpenseCategory] = UNSET
    attachment: Maybe[dict[str, Any]] = UNSET
    expense_profile: Maybe[dict[str, Any]] = UNSET
    project: Maybe[dict[str, Any]] = UNSET
    account: Maybe[dict[str, Any]] = UNSET


@attrs.frozen(kw_only=True)
class ExpenseVendor(Model):
    """One row of ``GET .../expenses/vendors`` (no example response published)."""

    vendor: Maybe[str] = UNSET
    name: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class ExpenseSummaryAmount(Model):
    """The total of a group's expenses in one currency, and how many there are."""

    amount: Maybe[Decimal] = UNSET
    code: Maybe[str] = UNSET
    count: Maybe[int] = UNSET

    @property
    def money(self) -> Money | None:
        """``amount`` and ``code`` as :class:`Money` (``None`` if either is missing)."""
        if not isinstance(self.amount, Decimal) or not isinstance(self.code, str):
            return None
        return Money(amount=self.amount, code=self.code)


@attrs.frozen(kw_only=True)
class ExpenseSummaryGroup(Model):
    """One group of ``summaries`` (``id``: ``"grand_total"``, ``"active"``, ``"archived"``)."""

    id: Maybe[str] = UNSET
    counts: Maybe[int] = UNSET
    amounts: Maybe[list[ExpenseSummaryAmount]] = UNSET


@attrs.frozen(kw_only=True)
class ExpenseSummary(Model):
    """``GET .../expenses/summaries``: expense counts and totals per group and currency."""

    total: Maybe[Money] = UNSET
    count: Maybe[int] = UNSET
    summaries: Maybe[list[ExpenseSummaryGroup]] = UNSET


@attrs.frozen(kw_only=True)
class ExpenseProfile(Model):
    """A recurring expense template (request shape known, response shape not)."""

    id: Maybe[int] = UNSET
    categoryid: Maybe[int] = UNSET
    staffid: Maybe[int] = UNSET
    amount: Maybe[Money] = UNSET
    vendor: Maybe[str] = UNSET
    notes: Maybe[str] = UNSET
    frequency: Maybe[str] = UNSET
    numberRecurring: Maybe[int] = UNSET
    start_date: Maybe[_dt.date] = UNSET
    vis_state: Maybe[VisState] = UNSET


@attrs.frozen(kw_only=True)
class ExpenseCreate(WriteModel):
    """Body of ``POST .../expenses/expenses``; ``categoryid``, ``staffid``, ``date`` and
    ``amount`` are required."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"categoryid", "staffid", "date", "amount"})

    categoryid: Settable[int] = UNSET
    staffid: Settable[int] = UNSET
    date: Settable[_dt.date] = UNSET
    amount: Settable[Money] = UNSET
    clientid: Maybe[int] = UNSET
    projectid: Maybe[int] = UNSET
    vendor: Maybe[str] = UNSET
    notes: Maybe[str] = UNSET
    taxName1: Maybe[str] = UNSET
    taxPercent1: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    taxAmount1: Maybe[Money] = UNSET
    taxName2: Maybe[str] = UNSET
    taxPercent2: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    taxAmount2: Maybe[Money] = UNSET
    compounded_tax: Settable[bool] = UNSET
    markup_percent: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    status: Settable[ExpenseStatus] = UNSET
    attachment: Maybe[dict[str, Any]] = UNSET


@attrs.frozen(kw_only=True)
class ExpenseUpdate(ExpenseCreate):
    """Body of ``PUT .../expenses/expenses/{id}``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()


@attrs.frozen(kw_only=True)
class ExpenseProfileCreate(WriteModel):
    """Body of ``POST .../expense_profiles/expense_profiles`` (Postman "Create Recurring
    Expense")."""

    categoryid: Settable[int] = UNSET
    staffid: Settable[int] = UNSET
    amount: Settable[Money] = UNSET
    vendor: Maybe[str] = UNSET
    notes: Maybe[str] = UNSET
    frequency: Settable[str] = UNSET
    numberRecurring: Settable[int] = attrs.field(default=UNSET, metadata={"min": 0})
    start_date: Settable[_dt.date] = UNSET


@attrs.frozen(kw_only=True)
class ExpenseCategoryCreate(WriteModel):
    """Body of ``POST .../expenses/categories`` (Postman only; the SDKs say unsupported)."""

    category: Settable[str] = UNSET
    parentid: Settable[int] = UNSET
