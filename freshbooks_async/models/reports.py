"""Reports (accounting and accounting-business families; DOCS:reports).

Reports come back as ``{"response": {"result": {"<report_key>": {...}}}}`` (business-uuid
reports under ``data``). Their shapes follow the live captures and the official SDKs'
fixtures: every money amount in them, however deep, is a :class:`Money`.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

import attrs

from ._base import Model
from .common import Money
from .invoices import InvoiceV3Status

__all__ = [
    "AccountsAgingAccount",
    "AccountsAgingReport",
    "AgingBuckets",
    "BalanceSheetAccount",
    "BalanceSheetReport",
    "BalanceSheetSection",
    "BalanceSheetSubAccount",
    "CashFlowReport",
    "ChartOfAccountsReport",
    "CollectedPayment",
    "DatedBalance",
    "GeneralLedgerReport",
    "InvoiceDetailsReport",
    "InvoiceDetailsSummary",
    "ItemSalesInvoice",
    "ItemSalesItem",
    "ItemSalesReport",
    "PaymentsCollectedReport",
    "ProfitLossEntry",
    "ProfitLossReport",
    "Report",
    "ReportPeriod",
    "RevenueByClientReport",
    "TaxSummaryEntry",
    "TaxSummaryReport",
    "TrialBalanceReport",
    "TrialBalanceRow",
]


@attrs.frozen(kw_only=True)
class Report(Model):
    """Fields common to FreshBooks reports; reports without a dedicated class use it."""

    company_name: str | None = None
    currency_code: str | None = None
    start_date: _dt.date | None = None
    end_date: _dt.date | None = None
    download_token: str | None = None


@attrs.frozen(kw_only=True)
class ReportPeriod(Model):
    """One column of a multi-period report (``dates`` of profit and loss)."""

    start_date: _dt.date
    end_date: _dt.date


@attrs.frozen(kw_only=True)
class DatedBalance(Model):
    """A balance at one date (``balances`` of the balance sheet)."""

    date: _dt.date | None = None
    balance: Money | None = None


@attrs.frozen(kw_only=True)
class AgingBuckets(Model):
    """Amounts outstanding by age in days (JSON keys ``"0-30"``, ``"31-60"``, ``"61-90"``,
    ``"91+"``) and their ``total``."""

    days_0_30: Money | None = attrs.field(default=None, metadata={"key": "0-30"})
    days_31_60: Money | None = attrs.field(default=None, metadata={"key": "31-60"})
    days_61_90: Money | None = attrs.field(default=None, metadata={"key": "61-90"})
    days_91_plus: Money | None = attrs.field(default=None, metadata={"key": "91+"})
    total: Money | None = None


@attrs.frozen(kw_only=True)
class AccountsAgingAccount(AgingBuckets):
    """One client's row of the accounts aging report."""

    userid: int | None = None
    fname: str | None = None
    lname: str | None = None
    organization: str | None = None
    email: str | None = None


@attrs.frozen(kw_only=True)
class AccountsAgingReport(Report):
    """``reports/accounting/accounts_aging`` (key ``accounts_aging``)."""

    accounts: list[AccountsAgingAccount] | None = None
    intervals: list[Any] | None = None
    totals: AgingBuckets | None = None


@attrs.frozen(kw_only=True)
class BalanceSheetSubAccount(Model):
    """A sub-account line of the balance sheet."""

    sub_account_name: str | None = None
    sub_account_number: str | None = None
    balances: list[DatedBalance] | None = None


@attrs.frozen(kw_only=True)
class BalanceSheetAccount(Model):
    """An account line of the balance sheet, with its sub-accounts."""

    account_name: str | None = None
    account_number: str | None = None
    balances: list[DatedBalance] | None = None
    sub_accounts: list[BalanceSheetSubAccount] | None = None


@attrs.frozen(kw_only=True)
class BalanceSheetSection(Model):
    """One section (``account_type`` asset, liability or equity) of the balance sheet."""

    account_type: str | None = None
    category: str | None = None
    accounts: list[BalanceSheetAccount] | None = None
    balances: list[DatedBalance] | None = None


@attrs.frozen(kw_only=True)
class BalanceSheetReport(Report):
    """``reports/accounting/balance_sheet`` (key ``balance_sheet``): one balance per date
    of ``dates`` in every line."""

    dates: list[str] | None = None
    data: list[BalanceSheetSection] | None = None
    assets_total: list[DatedBalance] | None = None
    liabilities_and_equity_total: list[DatedBalance] | None = None
    assets: Any | None = None
    liabilities: Any | None = None
    equity: Any | None = None


@attrs.frozen(kw_only=True)
class ProfitLossEntry(Model):
    """A line of the profit and loss report: its ``total``, one amount per period in
    ``data``, and the lines it sums in ``children``."""

    description: str
    entry_type: str
    total: Money
    data: list[Money]
    children: list[ProfitLossEntry]


@attrs.frozen(kw_only=True)
class ProfitLossReport(Report):
    """``reports/accounting/profitloss_entity`` (key ``profitloss``; Node SDK
    ``ProfitLossReport.ts``). The totals (``net_profit``, ``total_income``...) are single
    lines; ``gross_margin`` amounts are percentages (code ``"%"``)."""

    resolution: str | None
    entity: str | None = None
    cash_based: bool
    labels: list[str]
    dates: list[ReportPeriod] | None = None
    income: list[ProfitLossEntry]
    expenses: list[ProfitLossEntry]
    gross_margin: ProfitLossEntry | None = None
    net_profit: ProfitLossEntry
    total_income: ProfitLossEntry
    total_expenses: ProfitLossEntry
    # Shapes not seen in any body.
    cogs: Any | None = None
    total_cogs: Any | None = None


@attrs.frozen(kw_only=True)
class TaxSummaryEntry(Model):
    """One tax of the sales tax summary."""

    tax_name: str
    taxable_amount_collected: Money
    tax_collected: Money
    taxable_amount_paid: Money
    tax_paid: Money
    net_taxable_amount: Money
    net_tax: Money


@attrs.frozen(kw_only=True)
class TaxSummaryReport(Report):
    """``reports/accounting/taxsummary`` (key ``taxsummary``; Node SDK
    ``TaxSummaryReport.ts``)."""

    cash_based: bool
    taxes: list[TaxSummaryEntry]
    total_invoiced: Money


@attrs.frozen(kw_only=True)
class CollectedPayment(Model):
    """One payment of the payments collected report."""

    amount: Money | None = None
    client: str | None = None
    clientid: int | None = None
    credit_number: str | None = None
    creditid: int | None = None
    date: _dt.date | None = None
    description: str | None = None
    from_credit: bool | None = None
    invoice_number: str | None = None
    invoiceid: int | None = None
    method: str | None = None


@attrs.frozen(kw_only=True)
class PaymentsCollectedReport(Report):
    """``reports/accounting/payments_collected`` (key ``payments_collected``): the
    payments, and one total per currency in ``totals``."""

    clientids: list[int]
    currency_codes: list[str]
    payment_methods: list[str]
    payments: list[CollectedPayment]
    totals: list[Money]
    summary_only: bool | None = None


@attrs.frozen(kw_only=True)
class InvoiceDetailsSummary(Model):
    """The totals of the invoice details report."""

    total: Money | None = None
    paid: Money | None = None
    outstanding: Money | None = None


@attrs.frozen(kw_only=True)
class InvoiceDetailsReport(Report):
    """``reports/accounting/invoice_details`` (key ``invoice_details``)."""

    clientids: list[int] | None = None
    clients: list[Any] | None = None
    statusids: list[int] | None = None
    date_type: str | None = None
    summary_only: bool | None = None
    summary: InvoiceDetailsSummary | None = None
    invoices: list[dict[str, Any]] | None = None
    totals: Any | None = None
    total_amount: Money | None = None


@attrs.frozen(kw_only=True)
class ItemSalesInvoice(Model):
    """One invoice line of an item in the item sales report."""

    invoiceid: int | None = None
    invoice_number: str | None = None
    create_date: _dt.date | None = None
    fname: str | None = None
    lname: str | None = None
    organization: str | None = None
    qty: Decimal | None = None
    unit_cost: Money | None = None
    amount: Money | None = None
    discount: Money | None = None
    v3_status: InvoiceV3Status | None = None


@attrs.frozen(kw_only=True)
class ItemSalesItem(Model):
    """One item of the item sales report and the invoices that sold it."""

    name: str | None = None
    total: Money | None = None
    total_discount: Money | None = None
    total_qty: Decimal | None = None
    invoices: list[ItemSalesInvoice] | None = None


@attrs.frozen(kw_only=True)
class ItemSalesReport(Report):
    """``reports/accounting/item_sales`` (key ``item_sales``)."""

    clientids: list[int] | None = None
    item_names: list[str] | None = None
    statusids: list[int] | None = None
    items: list[ItemSalesItem] | None = None
    total: Money | None = None
    total_discount: Money | None = None
    total_qty: Decimal | None = None


@attrs.frozen(kw_only=True)
class RevenueByClientReport(Report):
    """``reports/accounting/revenue_by_client`` (key ``revenue_by_client``): one amount
    per period of ``labels``."""

    clientids: list[int] | None = None
    clients: list[dict[str, Any]] | None = None
    labels: list[str] | None = None
    sales_type: str | None = None
    total_sales: Money | None = None
    total_sales_data: list[Money] | None = None


@attrs.frozen(kw_only=True)
class TrialBalanceRow(Model):
    """One sub-account line of the trial balance."""

    account_name: str | None = None
    account_number: str | None = None
    account_sub_name: str | None = None
    account_sub_number: str | None = None
    sub_accountid: int | None = None
    debit: Money | None = None
    credit: Money | None = None


@attrs.frozen(kw_only=True)
class TrialBalanceReport(Report):
    """``reports/accounting/trial_balance`` (key ``trial_balance``)."""

    data: list[TrialBalanceRow] | None = None


@attrs.frozen(kw_only=True)
class GeneralLedgerReport(Report):
    """``/accounting/businesses/{business_uuid}/reports/general_ledger``."""

    accounts: list[dict[str, Any]] | None = None
    entries: list[dict[str, Any]] | None = None


@attrs.frozen(kw_only=True)
class CashFlowReport(Report):
    """``/accounting/businesses/{business_uuid}/reports/cash_flow``."""

    dates: list[Any] | None = None
    cash_inflow: Any | None = None
    cash_outflow: Any | None = None
    net_cash_flow: Any | None = None


@attrs.frozen(kw_only=True)
class ChartOfAccountsReport(Report):
    """``/accounting/businesses/{business_uuid}/reports/chart_of_accounts``."""

    accounts: list[dict[str, Any]] | None = None
