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

    id: int
    categoryid: int
    category: str
    parentid: int | None
    is_cogs: bool
    is_editable: bool
    transaction_posted: bool | None = None
    created_at: AccountingDateTime
    updated_at: AccountingDateTime
    vis_state: VisState


@attrs.frozen(kw_only=True)
class Expense(Model):
    """An expense (DOCS:expenses; Node SDK ``Expense.ts``)."""

    id: int
    expenseid: int
    accounting_systemid: str
    accountid: int | None
    categoryid: int
    staffid: int | None = None
    clientid: int | None = None
    projectid: int | None = None
    invoiceid: int | None = None
    profileid: int | None = None
    transactionid: int | None = None
    ext_systemid: int
    ext_invoiceid: int
    ext_accountid: str | None = None
    amount: Money
    taxAmount1: Money | None = None
    taxAmount2: Money | None = None
    taxName1: str | None = None
    taxName2: str | None = None
    taxPercent1: Decimal | None = None
    taxPercent2: Decimal | None = None
    compounded_tax: bool | None = None
    markup_percent: Decimal | None = None
    date: _dt.date
    vendor: str | None
    notes: str
    status: ExpenseStatus
    bank_name: str
    account_name: str
    has_receipt: bool
    isduplicate: bool | None = None
    is_cogs: bool | None = None
    include_receipt: bool | None = None
    potential_bill_payment: bool | None = None
    updated: AccountingDateTime | None = None
    vis_state: VisState
    # Includes (``include[]=category|attachment|expense_profile|project|account``).
    category: ExpenseCategory | None = None
    attachment: dict[str, Any] | None = None
    expense_profile: dict[str, Any] | None = None
    project: dict[str, Any] | None = None
    account: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class ExpenseVendor(Model):
    """One row of ``GET .../expenses/vendors`` (no example response published)."""

    vendor: str
    name: str | None = None


@attrs.frozen(kw_only=True)
class ExpenseSummaryAmount(Model):
    """The total of a group's expenses in one currency, and how many there are."""

    amount: Decimal | None = None
    code: str | None = None
    count: int | None = None

    @property
    def money(self) -> Money | None:
        """``amount`` and ``code`` as :class:`Money` (``None`` if either is missing)."""
        if not isinstance(self.amount, Decimal) or not isinstance(self.code, str):
            return None
        return Money(amount=self.amount, code=self.code)


@attrs.frozen(kw_only=True)
class ExpenseSummaryGroup(Model):
    """One group of ``summaries`` (``id``: ``"grand_total"``, ``"active"``, ``"archived"``)."""

    id: str | None = None
    counts: int | None = None
    amounts: list[ExpenseSummaryAmount] | None = None


@attrs.frozen(kw_only=True)
class ExpenseSummary(Model):
    """``GET .../expenses/summaries``: expense counts and totals per group and currency."""

    total: Money | None = None
    count: int | None = None
    summaries: list[ExpenseSummaryGroup] | None = None


@attrs.frozen(kw_only=True)
class ExpenseProfile(Model):
    """A recurring expense template (request shape known, response shape not)."""

    id: int | None = None
    categoryid: int | None = None
    staffid: int | None = None
    amount: Money | None = None
    vendor: str | None = None
    notes: str | None = None
    frequency: str | None = None
    numberRecurring: int | None = None
    start_date: _dt.date | None = None
    vis_state: VisState | None = None


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
