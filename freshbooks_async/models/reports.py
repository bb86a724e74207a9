"""Reports (accounting and accounting-business families; DOCS:reports).

Reports come back as ``{"response": {"result": {"<report_key>": {...}}}}`` (business-uuid
reports under ``data``). Their shapes are only partly documented: the top-level fields
known from the docs and the Node SDK are typed, everything else stays in ``extras``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import attrs

from ._base import Model
from .common import UNSET, Maybe, Money

__all__ = [
    "AccountsAgingReport",
    "BalanceSheetReport",
    "CashFlowReport",
    "ChartOfAccountsReport",
    "GeneralLedgerReport",
    "InvoiceDetailsReport",
    "PaymentsCollectedReport",
    "ProfitLossReport",
    "Report",
    "TaxSummaryReport",
]


@attrs.frozen(kw_only=True)
class Report(Model):
    """Fields common to FreshBooks reports; reports without a dedicated class use it."""

    company_name: Maybe[str] = UNSET
    currency_code: Maybe[str] = UNSET
    start_date: Maybe[_dt.date] = UNSET
    end_date: Maybe[_dt.date] = UNSET
    download_token: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class AccountsAgingReport(Report):
    """``reports/accounting/accounts_aging`` (key ``accounts_aging``)."""

    accounts: Maybe[list[dict[str, Any]]] = UNSET
    intervals: Maybe[list[dict[str, Any]]] = UNSET
    totals: Maybe[dict[str, Any]] = UNSET


@attrs.frozen(kw_only=True)
class BalanceSheetReport(Report):
    """``reports/accounting/balance_sheet`` (key ``balance_sheet``)."""

    dates: Maybe[list[Any]] = UNSET
    assets: Maybe[Any] = UNSET
    liabilities: Maybe[Any] = UNSET
    equity: Maybe[Any] = UNSET


@attrs.frozen(kw_only=True)
class ProfitLossReport(Report):
    """``reports/accounting/profitloss_entity`` (key ``profitloss``; Node SDK
    ``ProfitLossReport.ts``)."""

    resolution: Maybe[str] = UNSET
    entity: Maybe[str] = UNSET
    dates: Maybe[list[Any]] = UNSET
    income: Maybe[list[Any]] = UNSET
    expenses: Maybe[list[Any]] = UNSET
    cogs: Maybe[list[Any]] = UNSET
    gross_margin: Maybe[list[Any]] = UNSET
    net_profit: Maybe[list[Any]] = UNSET
    total_income: Maybe[list[Any]] = UNSET
    total_expenses: Maybe[list[Any]] = UNSET
    total_cogs: Maybe[list[Any]] = UNSET


@attrs.frozen(kw_only=True)
class TaxSummaryReport(Report):
    """``reports/accounting/taxsummary`` (key ``taxsummary``; Node SDK
    ``TaxSummaryReport.ts``)."""

    cash_based: Maybe[bool] = UNSET
    taxes: Maybe[list[dict[str, Any]]] = UNSET


@attrs.frozen(kw_only=True)
class PaymentsCollectedReport(Report):
    """``reports/accounting/payments_collected`` (key ``payments_collected``)."""

    clientids: Maybe[list[Any]] = UNSET
    payments: Maybe[list[dict[str, Any]]] = UNSET
    totals: Maybe[list[Any]] = UNSET


@attrs.frozen(kw_only=True)
class InvoiceDetailsReport(Report):
    """``reports/accounting/invoice_details`` (key ``invoice_details``)."""

    invoices: Maybe[list[dict[str, Any]]] = UNSET
    totals: Maybe[Any] = UNSET
    total_amount: Maybe[Money] = UNSET


@attrs.frozen(kw_only=True)
class GeneralLedgerReport(Report):
    """``/accounting/businesses/{business_uuid}/reports/general_ledger``."""

    accounts: Maybe[list[dict[str, Any]]] = UNSET
    entries: Maybe[list[dict[str, Any]]] = UNSET


@attrs.frozen(kw_only=True)
class CashFlowReport(Report):
    """``/accounting/businesses/{business_uuid}/reports/cash_flow``."""

    dates: Maybe[list[Any]] = UNSET
    cash_inflow: Maybe[Any] = UNSET
    cash_outflow: Maybe[Any] = UNSET
    net_cash_flow: Maybe[Any] = UNSET


@attrs.frozen(kw_only=True)
class ChartOfAccountsReport(Report):
    """``/accounting/businesses/{business_uuid}/reports/chart_of_accounts``."""

    accounts: Maybe[list[dict[str, Any]]] = UNSET
