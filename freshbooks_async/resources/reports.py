"""Reports: ``client.reports`` (accounting, business-uuid and time-entry reports).

Each report is one method returning a typed report model
(:mod:`freshbooks_async.models.reports`); documented query parameters are typed keyword
arguments, and ``params`` passes anything else verbatim. Reports have no includes
(DOCS:reports).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from .._catalogue import spec
from .._pipeline import APIResponse
from .._sansio import build_path, check_account_id, check_business_uuid
from ..errors import ResponseDecodeError
from ..models import decode
from ..models._registry import REPORTS
from ..models.reports import (
    AccountsAgingReport,
    BalanceSheetReport,
    CashFlowReport,
    ChartOfAccountsReport,
    GeneralLedgerReport,
    InvoiceDetailsReport,
    ItemSalesReport,
    PaymentsCollectedReport,
    ProfitLossReport,
    Report,
    RevenueByClientReport,
    TaxSummaryReport,
    TrialBalanceReport,
)
from ..models.time_entries import TimeEntry
from ..pagination import MAX_PER_PAGE, Page
from ..query import Query
from ._base import Resource, check_id, check_str_id, scope_business

__all__ = ["Reports"]

R = TypeVar("R", bound=Report)

_CURRENCY = re.compile(r"^[A-Z]{3}$")

_ACC = spec("reports", "accounting")
_BIZ = spec("reports", "accounting-business")

#: Endpoint leaf per report where it differs from the method name (endpoints.tsv).
_LEAF = {"profit_loss": "profitloss_entity", "tax_summary": "taxsummary"}

ParamValue = str | int | bool | _dt.date


def _date(name: str, value: object) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise TypeError(f"{name}: expected a datetime.date, got {type(value).__name__}: {value!r}")
    return value


def _currency(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _CURRENCY.match(value):
        raise ValueError(f"currency_code: expected an ISO 4217 code such as 'USD', got {value!r}")
    return value


def _params(
    start_date: object,
    end_date: object,
    currency_code: object,
    extra: Mapping[str, ParamValue] | None,
    **named: object,
) -> list[tuple[str, object]]:
    start = _date("start_date", start_date)
    end = _date("end_date", end_date)
    if start is not None and end is not None and start > end:
        raise ValueError(f"start_date: {start} is after end_date {end}")
    pairs: list[tuple[str, object]] = [
        ("start_date", start),
        ("end_date", end),
        ("currency_code", _currency(currency_code)),
        *named.items(),
    ]
    if extra is not None:
        if not isinstance(extra, Mapping):
            raise TypeError(f"params: expected a mapping, got {type(extra).__name__}")
        for key, value in extra.items():
            if not isinstance(key, str) or not key:
                raise TypeError(f"params: keys must be non-empty str, got {key!r}")
            pairs.append((key, value))
    return [(k, v) for k, v in pairs if v is not None]


class Reports(Resource[TimeEntry]):
    """Every FreshBooks report: https://www.freshbooks.com/api/reports.

    Account-scoped reports take ``account_id`` (str); general ledger, cash flow and
    chart of accounts take ``business_uuid`` (str); time entry details takes
    ``business_id`` (int).
    """

    __slots__ = ()
    _spec = spec("reports", "comments")
    _model = TimeEntry
    _doc_slug = "reports"
    _query_resource = "time_entries"

    # ------------------------------------------------------------------ implementation

    async def _report(
        self,
        model: type[R],
        name: str,
        *,
        account_id: str | None = None,
        business_uuid: str | None = None,
        params: list[tuple[str, object]],
    ) -> R:
        leaf = _LEAF.get(name, name)
        if account_id is not None:
            path = build_path(
                _ACC.item_path or "", account_id=check_account_id(account_id), report=leaf
            )
        else:
            path = build_path(
                _BIZ.item_path or "",
                business_uuid=check_business_uuid(business_uuid),
                report=leaf,
            )
        response = await self._client.request("GET", path, params=params or None)
        with response._secrets.guard():  # decode errors quote values: scrub the call's secrets
            return decode(model, _report_body(response.data, REPORTS[name].key, response))

    # ------------------------------------------------------------------ accounting reports

    async def accounts_aging(
        self,
        account_id: str,
        *,
        end_date: _dt.date | None = None,
        currency_code: str | None = None,
        params: Mapping[str, ParamValue] | None = None,
    ) -> AccountsAgingReport:
        """Outstanding invoices by age (``reports/accounting/accounts_aging``).

        https://www.freshbooks.com/api/accounts_aging
        """
        query = _params(None, end_date, currency_code, params)
        return await self._report(
            AccountsAgingReport, "accounts_aging", account_id=account_id, params=query
        )

    async def balance_sheet(
        self,
        account_id: str,
        *,
        dates: Sequence[_dt.date] | None = None,
        currency_code: str | None = None,
        params: Mapping[str, ParamValue] | None = None,
    ) -> BalanceSheetReport:
        """Assets, liabilities and equity at ``dates`` (``dates[]=``).

        Postman: Reports/Balance Sheet.

        https://www.freshbooks.com/api/reports
        """
        checked = None
        if dates is not None:
            if isinstance(dates, _dt.date) or not isinstance(dates, Sequence):
                raise TypeError(f"dates: expected a list of dates, got {dates!r}")
            checked = [_date("dates", d) for d in dates]
        query = _params(None, None, currency_code, params, **{"dates[]": checked})
        return await self._report(
            BalanceSheetReport, "balance_sheet", account_id=account_id, params=query
        )

    async def bank_reconciliation_summary(
        self,
        account_id: str,
        *,
        start_date: _dt.date | None = None,
        end_date: _dt.date | None = None,
        currency_code: str | None = None,
        params: Mapping[str, ParamValue] | None = None,
    ) -> Report:
        """Bank reconciliation summary (PM; no example response: fields stay in ``extras``).

        https://www.freshbooks.com/api/reports
        """
        query = _params(start_date, end_date, currency_code, params)
        return await self._report(
            Report, "bank_reconciliation_summary", account_id=account_id, params=query
        )

    async def account_statement(
        self,
        account_id: str,
        *,
        client_id: int | None = None,
        start_date: _dt.date | None = None,
        end_date: _dt.date | None = None,
        currency_code: str | None = None,
        params: Mapping[str, ParamValue] | None = None,
    ) -> Report:
        """A client's account statement (Postman: Reports/Client Account Statement).

        https://www.freshbooks.com/api/reports
        """
        client = None if client_id is None else check_id(client_id, "client_id")
        query = _params(start_date, end_date, currency_code, params, clientid=client)
        return await self._report(Report, "account_statement", account_id=account_id, params=query)

    async def expense_details(
        self,
        account_id: str,
        *,
        start_date: _dt.date | None = None,
        end_date: _dt.date | None = None,
        currency_code: str | None = None,
        params: Mapping[str, ParamValue] | None = None,
    ) -> Report:
        """Expenses in a period (https://www.freshbooks.com/api/expense-details-report)."""
        query = _params(start_date, end_date, currency_code, params)
        return await self._report(Report, "expense_details", account_id=account_id, params=query)

    async def invoice_details(
        self,
        account_id: str,
        *,
        start_date: _dt.date | None = None,
        end_date: _dt.date | None = None,
        currency_code: str | None = None,
        params: Mapping[str, ParamValue] | None = None,
    ) -> InvoiceDetailsReport:
        """Invoices in a period (https://www.freshbooks.com/api/reports)."""
        query = _params(start_date, end_date, currency_code, params)
        return await self._report(
            InvoiceDetailsReport, "invoice_details", account_id=account_id, params=query
        )

    async def item_sales(
        self,
        account_id: str,
        *,
        start_date: _dt.date | None = None,
        end_date: _dt.date | None = None,
        currency_code: str | None = None,
        params: Mapping[str, ParamValue] | None = None,
    ) -> ItemSalesReport:
        """Sales per item (Postman: Reports/Item Sales; https://www.freshbooks.com/api/reports)."""
        query = _params(start_date, end_date, currency_code, params)
        return await self._report(
            ItemSalesReport, "item_sales", account_id=account_id, params=query
        )

    async def payments_collected(
        self,
        account_id: str,
        *,
        start_date: _dt.date | None = None,
        end_date: _dt.date | None = None,
        currency_code: str | None = None,
        params: Mapping[str, ParamValue] | None = None,
    ) -> PaymentsCollectedReport:
        """Payments received in a period (https://www.freshbooks.com/api/payments_collected)."""
        query = _params(start_date, end_date, currency_code, params)
        return await self._report(
            PaymentsCollectedReport, "payments_collected", account_id=account_id, params=query
        )

    async def profit_loss(
        self,
        account_id: str,
        *,
        start_date: _dt.date | None = None,
        end_date: _dt.date | None = None,
        currency_code: str | None = None,
        params: Mapping[str, ParamValue] | None = None,
    ) -> ProfitLossReport:
        """Profit and loss (``reports/accounting/profitloss_entity``, NODE).

        https://www.freshbooks.com/api/profit_and_loss
        """
        query = _params(start_date, end_date, currency_code, params)
        return await self._report(
            ProfitLossReport, "profit_loss", account_id=account_id, params=query
        )

    async def revenue_by_client(
        self,
        account_id: str,
        *,
        start_date: _dt.date | None = None,
        end_date: _dt.date | None = None,
        currency_code: str | None = None,
        sales_type: str | None = None,
        params: Mapping[str, ParamValue] | None = None,
    ) -> RevenueByClientReport:
        """Revenue per client (``sales_type`` e.g. ``"accrual"``).

        Postman: Reports/Revenue By Client.

        https://www.freshbooks.com/api/reports
        """
        if sales_type is not None and (not isinstance(sales_type, str) or not sales_type):
            raise ValueError(f"sales_type: expected a non-empty str, got {sales_type!r}")
        query = _params(start_date, end_date, currency_code, params, sales_type=sales_type)
        return await self._report(
            RevenueByClientReport, "revenue_by_client", account_id=account_id, params=query
        )

    async def tax_summary(
        self,
        account_id: str,
        *,
        start_date: _dt.date | None = None,
        end_date: _dt.date | None = None,
        currency_code: str | None = None,
        params: Mapping[str, ParamValue] | None = None,
    ) -> TaxSummaryReport:
        """Sales tax summary (``reports/accounting/taxsummary``, NODE).

        https://www.freshbooks.com/api/taxes_summary
        """
        query = _params(start_date, end_date, currency_code, params)
        return await self._report(
            TaxSummaryReport, "tax_summary", account_id=account_id, params=query
        )

    async def trial_balance(
        self,
        account_id: str,
        *,
        start_date: _dt.date | None = None,
        end_date: _dt.date | None = None,
        currency_code: str | None = None,
        params: Mapping[str, ParamValue] | None = None,
    ) -> TrialBalanceReport:
        """Trial balance (Postman: Reports/Trial Balance; https://www.freshbooks.com/api/reports)."""
        query = _params(start_date, end_date, currency_code, params)
        return await self._report(
            TrialBalanceReport, "trial_balance", account_id=account_id, params=query
        )

    async def csv_download(self, account_id: str, download_token: str) -> bytes:
        """A report as CSV (Postman: Reports/Download CSV Report), by a report's
        ``download_token``.

        https://www.freshbooks.com/api/reports
        """
        path = build_path(
            "/accounting/account/{account_id}/links/reports/{download_token}/invoice_details.csv",
            account_id=check_account_id(account_id),
            download_token=check_str_id(download_token, "download_token"),
        )
        response = await self._client.request("GET", path, expect="bytes")
        return response.content

    # ------------------------------------------------------------------ business-uuid reports

    async def general_ledger(
        self,
        business_uuid: str,
        *,
        start_date: _dt.date | None = None,
        end_date: _dt.date | None = None,
        currency_code: str | None = None,
        params: Mapping[str, ParamValue] | None = None,
    ) -> GeneralLedgerReport:
        """General ledger (https://www.freshbooks.com/api/general-ledger-report)."""
        query = _params(start_date, end_date, currency_code, params)
        return await self._report(
            GeneralLedgerReport, "general_ledger", business_uuid=business_uuid, params=query
        )

    async def cash_flow(
        self,
        business_uuid: str,
        *,
        start_date: _dt.date | None = None,
        end_date: _dt.date | None = None,
        currency_code: str | None = None,
        params: Mapping[str, ParamValue] | None = None,
    ) -> CashFlowReport:
        """Cash flow (https://www.freshbooks.com/api/cash-flow-report)."""
        query = _params(start_date, end_date, currency_code, params)
        return await self._report(
            CashFlowReport, "cash_flow", business_uuid=business_uuid, params=query
        )

    async def chart_of_accounts(
        self,
        business_uuid: str,
        *,
        params: Mapping[str, ParamValue] | None = None,
    ) -> ChartOfAccountsReport:
        """Chart of accounts (https://www.freshbooks.com/api/chart-of-accounts)."""
        query = _params(None, None, None, params)
        return await self._report(
            ChartOfAccountsReport, "chart_of_accounts", business_uuid=business_uuid, params=query
        )

    # ------------------------------------------------------------------ time tracking

    async def time_entry_details(
        self,
        business_id: int,
        *,
        query: Query | None = None,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
    ) -> Page[TimeEntry]:
        """Time entry details (``GET /comments/business/{business_id}/time_entries/search``;
        Postman: Reports/Time Entry Details): a page of time entries matching ``query``.

        https://www.freshbooks.com/api/time_entries
        """
        path = build_path(self._spec.item_path or "", **scope_business(business_id))
        return await self._list_at(path, query, page, per_page)


def _report_body(data: Any, key: str, response: APIResponse) -> Any:
    """The report object: under ``<key>`` in the payload, or the payload itself."""
    if isinstance(data, dict) and isinstance(data.get(key), dict):
        return data[key]
    if isinstance(data, dict) and key not in data and data:
        return data
    raise ResponseDecodeError(
        f"expected the report under {key!r}", status=response.status, body=response.content
    )
