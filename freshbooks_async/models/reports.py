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
from .common import UNSET, Maybe, Money
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

    company_name: Maybe[str] = UNSET
    currency_code: Maybe[str] = UNSET
    start_date: Maybe[_dt.date] = UNSET
    end_date: Maybe[_dt.date] = UNSET
    download_token: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class ReportPeriod(Model):
    """One column of a multi-period report (``dates`` of profit and loss)."""

    start_date: Maybe[_dt.date] = UNSET
    end_date: Maybe[_dt.date] = UNSET


@attrs.frozen(kw_only=True)
class DatedBalance(Model):
    """A balance at one date (``balances`` of the balance sheet)."""

    date: Maybe[_dt.date] = UNSET
    balance: Maybe[Money] = UNSET


@attrs.frozen(kw_only=True)
class AgingBuckets(Model):
    """Amounts outstanding by age in days (JSON keys ``"0-30"``, ``"31-60"``, ``"61-90"``,
    ``"91+"``) and their ``total``."""

    days_0_30: Maybe[Money] = attrs.field(default=UNSET, metadata={"key": "0-30"})
    days_31_60: Maybe[Money] = attrs.field(default=UNSET, metadata={"key": "31-60"})
    days_61_90: Maybe[Money] = attrs.field(default=UNSET, metadata={"key": "61-90"})
    days_91_plus: Maybe[Money] = attrs.field(default=UNSET, metadata={"key": "91+"})
    total: Maybe[Money] = UNSET


@attrs.frozen(kw_only=True)
class AccountsAgingAccount(AgingBuckets):
    """One client's row of the accounts aging report."""

    userid: Maybe[int] = UNSET
    fname: Maybe[str] = UNSET
    lname: Maybe[str] = UNSET
    organization: Maybe[str] = UNSET
    email: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class AccountsAgingReport(Report):
    """``reports/accounting/accounts_aging`` (key ``accounts_aging``)."""

    accounts: Maybe[list[AccountsAgingAccount]] = UNSET
    intervals: Maybe[list[Any]] = UNSET
    totals: Maybe[AgingBuckets] = UNSET


@attrs.frozen(kw_only=True)
class BalanceSheetSubAccount(Model):
    """A sub-account line of the balance sheet."""

    sub_account_name: Maybe[str] = UNSET
    sub_account_number: Maybe[str] = UNSET
    balances: Maybe[list[DatedBalance]] = UNSET


@attrs.frozen(kw_only=True)
class BalanceSheetAccount(Model):
    """An account line of the balance sheet, with its sub-accounts."""

    account_name: Maybe[str] = UNSET
    account_number: Maybe[str] = UNSET
    balances: Maybe[list[DatedBalance]] = UNSET
    sub_accounts: Maybe[list[BalanceSheetSubAccount]] = UNSET


@attrs.frozen(kw_only=True)
class BalanceSheetSection(Model):
    """One section (``account_type`` asset, liability or equity) of the balance sheet."""

    account_type: Maybe[str] = UNSET
    category: Maybe[str] = UNSET
    accounts: Maybe[list[BalanceSheetAccount]] = UNSET
    balances: Maybe[list[DatedBalance]] = UNSET


@attrs.frozen(kw_only=True)
class BalanceSheetReport(Report):
    """``reports/accounting/balance_sheet`` (key ``balance_sheet``): one balance per date
    of ``dates`` in every line."""

    dates: Maybe[list[str]] = UNSET
    data: Maybe[list[BalanceSheetSection]] = UNSET
    assets_total: Maybe[list[DatedBalance]] = UNSET
    liabilities_and_equity_total: Maybe[list[DatedBalance]] = UNSET
    assets: Maybe[Any] = UNSET
    liabilities: Maybe[Any] = UNSET
    equity: Maybe[Any] = UNSET


@attrs.frozen(kw_only=True)
class ProfitLossEntry(Model):
    """A line of the profit and loss report: its ``total``, one amount per period in
    ``data``, and the lines it sums in ``children``."""

    description: Maybe[str] = UNSET
    entry_type: Maybe[str] = UNSET
    total: Maybe[Money] = UNSET
    data: Maybe[list[Money]] = UNSET
    children: Maybe[list[ProfitLossEntry]] = UNSET


@attrs.frozen(kw_only=True)
class ProfitLossReport(Report):
    """``reports/accounting/profitloss_entity`` (key ``profitloss``; Node SDK
    ``ProfitLossReport.ts``). The totals (``net_profit``, ``total_income``...) are single
    lines; ``gross_margin`` amounts are percentages (code ``"%"``)."""

    resolution: Maybe[str] = UNSET
    entity: Maybe[str] = UNSET
    cash_based: Maybe[bool] = UNSET
    labels: Maybe[list[str]] = UNSET
    dates: Maybe[list[ReportPeriod]] = UNSET
    income: Maybe[list[ProfitLossEntry]] = UNSET
    expenses: Maybe[list[ProfitLossEntry]] = UNSET
    gross_margin: Maybe[ProfitLossEntry] = UNSET
    net_profit: Maybe[ProfitLossEntry] = UNSET
    total_income: Maybe[ProfitLossEntry] = UNSET
    total_expenses: Maybe[ProfitLossEntry] = UNSET
    # Shapes not seen in any body.
    cogs: Maybe[Any] = UNSET
    total_cogs: Maybe[Any] = UNSET


@attrs.frozen(kw_only=True)
class TaxSummaryEntry(Model):
    """One tax of the sales tax summary."""

    tax_name: Maybe[str] = UNSET
    taxable_amount_collected: Maybe[Money] = UNSET
    tax_collected: Maybe[Money] = UNSET
    taxable_amount_paid: Maybe[Money] = UNSET
    tax_paid: Maybe[Money] = UNSET
    net_taxable_amount: Maybe[Money] = UNSET
    net_tax: Maybe[Money] = UNSET


@attrs.frozen(kw_only=True)
class TaxSummaryReport(Report):
    """``reports/accounting/taxsummary`` (key ``taxsummary``; Node SDK
    ``TaxSummaryReport.ts``)."""

    cash_based: Maybe[bool] = UNSET
    taxes: Maybe[list[TaxSummaryEntry]] = UNSET
    total_invoiced: Maybe[Money] = UNSET


@attrs.frozen(kw_only=True)
class CollectedPayment(Model):
    """One payment of the payments collected report."""

    amount: Maybe[Money] = UNSET
    client: Maybe[str] = UNSET
    clientid: Maybe[int] = UNSET
    credit_number: Maybe[str] = UNSET
    creditid: Maybe[int] = UNSET
    date: Maybe[_dt.date] = UNSET
    description: Maybe[str] = UNSET
    from_credit: Maybe[bool] = UNSET
    invoice_number: Maybe[str] = UNSET
    invoiceid: Maybe[int] = UNSET
    method: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class PaymentsCollectedReport(Report):
    """``reports/accounting/payments_collected`` (key ``payments_collected``): the
    payments, and one total per currency in ``totals``."""

    clientids: Maybe[list[int]] = UNSET
    currency_codes: Maybe[list[str]] = UNSET
    payment_methods: Maybe[list[str]] = UNSET
    payments: Maybe[list[CollectedPayment]] = UNSET
    totals: Maybe[list[Money]] = UNSET
    summary_only: Maybe[bool] = UNSET


@attrs.frozen(kw_only=True)
class InvoiceDetailsSummary(Model):
    """The totals of the invoice details report."""

    total: Maybe[Money] = UNSET
    paid: Maybe[Money] = UNSET
    outstanding: Maybe[Money] = UNSET


@attrs.frozen(kw_only=True)
class InvoiceDetailsReport(Report):
    """``reports/accounting/invoice_details`` (key ``invoice_details``)."""

    clientids: Maybe[list[int]] = UNSET
    clients: Maybe[list[Any]] = UNSET
    statusids: Maybe[list[int]] = UNSET
    date_type: Maybe[str] = UNSET
    summary_only: Maybe[bool] = UNSET
    summary: Maybe[InvoiceDetailsSummary] = UNSET
    invoices: Maybe[list[dict[str, Any]]] = UNSET
    totals: Maybe[Any] = UNSET
    total_amount: Maybe[Money] = UNSET


@attrs.frozen(kw_only=True)
class ItemSalesInvoice(Model):
    """One invoice line of an item in the item sales report."""

    invoiceid: Maybe[int] = UNSET
    invoice_number: Maybe[str] = UNSET
    create_date: Maybe[_dt.date] = UNSET
    fname: Maybe[str] = UNSET
    lname: Maybe[str] = UNSET
    organization: Maybe[str] = UNSET
    qty: Maybe[Decimal] = UNSET
    unit_cost: Maybe[Money] = UNSET
    amount: Maybe[Money] = UNSET
    discount: Maybe[Money] = UNSET
    v3_status: Maybe[InvoiceV3Status] = UNSET


@attrs.frozen(kw_only=True)
class ItemSalesItem(Model):
    """One item of the item sales report and the invoices that sold it."""

    name: Maybe[str] = UNSET
    total: Maybe[Money] = UNSET
    total_discount: Maybe[Money] = UNSET
    total_qty: Maybe[Decimal] = UNSET
    invoices: Maybe[list[ItemSalesInvoice]] = UNSET


@attrs.frozen(kw_only=True)
class ItemSalesReport(Report):
    """``reports/accounting/item_sales`` (key ``item_sales``)."""

    clientids: Maybe[list[int]] = UNSET
    item_names: Maybe[list[str]] = UNSET
    statusids: Maybe[list[int]] = UNSET
    items: Maybe[list[ItemSalesItem]] = UNSET
    total: Maybe[Money] = UNSET
    total_discount: Maybe[Money] = UNSET
    total_qty: Maybe[Decimal] = UNSET


@attrs.frozen(kw_only=True)
class RevenueByClientReport(Report):
    """``reports/accounting/revenue_by_client`` (key ``revenue_by_client``): one amount
    per period of ``labels``."""

    clientids: Maybe[list[int]] = UNSET
    clients: Maybe[list[dict[str, Any]]] = UNSET
    labels: Maybe[list[str]] = UNSET
    sales_type: Maybe[str] = UNSET
    total_sales: Maybe[Money] = UNSET
    total_sales_data: Maybe[list[Money]] = UNSET


@attrs.frozen(kw_only=True)
class TrialBalanceRow(Model):
    """One sub-account line of the trial balance."""

    account_name: Maybe[str] = UNSET
    account_number: Maybe[str] = UNSET
    account_sub_name: Maybe[str] = UNSET
    account_sub_number: Maybe[str] = UNSET
    sub_accountid: Maybe[int] = UNSET
    debit: Maybe[Money] = UNSET
    credit: Maybe[Money] = UNSET


@attrs.frozen(kw_only=True)
class TrialBalanceReport(Report):
    """``reports/accounting/trial_balance`` (key ``trial_balance``)."""

    data: Maybe[list[TrialBalanceRow]] = UNSET


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
