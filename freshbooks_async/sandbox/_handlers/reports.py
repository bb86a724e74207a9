"""The reports endpoints: which report a request asks for, its parameters and header,
the body in the report's own shape, and the invoice_details CSV download.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from .._core import Business, Ctx, Reply
from .._errors import SandboxAPIError
from .._objects import accounting_time, money
from .common import _account
from .ledger import _LEDGER_DEFAULTS
from .reports_accounts import (
    _balance_sheet,
    _expense_details,
    _item_sales,
    _profit_loss,
    _revenue_by_client,
    _tax_summary,
    _Totals,
    _totals,
    _trial_balance,
)
from .reports_invoices import (
    _accounts_aging,
    _client_name,
    _detail_groups,
    _DetailOptions,
    _invoice_details,
    _payments_collected,
    _report_date,
    _report_error,
)

_REPORT_KEYS = {
    "accounts_aging": "accounts_aging",
    "balance_sheet": "balance_sheet",
    "bank_reconciliation_summary": "bank_reconciliation_summary",
    "account_statement": "account_statement",
    "expense_details": "expense_details",
    "invoice_details": "invoice_details",
    "item_sales": "item_sales",
    "payments_collected": "payments_collected",
    "profitloss_entity": "profitloss",
    "revenue_by_client": "revenue_by_client",
    "taxsummary": "taxsummary",
    "trial_balance": "trial_balance",
    "general_ledger": "general_ledger",
    "cash_flow": "cash_flow",
    "chart_of_accounts": "chart_of_accounts",
}


_LIVE_SHAPES: dict[str, Callable[[Ctx, Business, _Totals, str, str, str], dict[str, Any]]] = {
    "taxsummary": _tax_summary,
    "balance_sheet": _balance_sheet,
    "trial_balance": _trial_balance,
    "item_sales": _item_sales,
    "revenue_by_client": _revenue_by_client,
}

#: Header keys that FreshBooks leaves out of these reports.
_LIVE_ABSENT = {
    "accounts_aging": ("start_date",),
    "balance_sheet": ("start_date", "end_date"),
    "taxsummary": ("company_name",),
    "revenue_by_client": ("company_name",),
}


async def report(ctx: Ctx) -> Reply:
    if "account_id" in ctx.params:
        biz = _account(ctx)
    else:
        found = ctx.sb.business_by_uuid(ctx.params.get("business_uuid", ""))
        if found is None:
            raise SandboxAPIError(404, "Not found.", errno=404)
        biz = found
    name = ctx.path.rstrip("/").rsplit("/", 1)[-1]
    key = _REPORT_KEYS.get(name, name)
    t = _totals(ctx.sb, biz)
    code = ctx.query.get("currency_code", "USD")
    if not (len(code) == 3 and code.isascii() and code.isupper()):
        raise _report_error("currency_code", code)
    start = _report_date(ctx, "start_date", "2000-01-01")
    end = _report_date(ctx, "end_date", accounting_time(ctx.sb.clock.time())[:10])
    body: dict[str, Any] = {
        "company_name": biz.name,
        "currency_code": code,
        "start_date": start,
        "end_date": end,
        "download_token": f"{biz.account_id}-{key}",
    }
    if key == "invoice_details":
        options = _DetailOptions.of(ctx, code, start, end)
        body["download_token"] = options.token(biz.account_id)
    if key == "profitloss":
        body.update(_profit_loss(ctx, biz, code, start, end))
    elif key == "accounts_aging":
        body.update(_accounts_aging(ctx, biz, code, end))
    elif key == "payments_collected":
        body.update(_payments_collected(ctx, biz, start, end))
    elif key == "expense_details":
        body.update(_expense_details(ctx, biz, code, start, end))
    elif key == "invoice_details":
        body.update(_invoice_details(ctx, biz, options))
    elif key in _LIVE_SHAPES:
        body.update(_LIVE_SHAPES[key](ctx, biz, t, code, start, end))
    elif key in ("general_ledger", "cash_flow"):
        body.update(
            {
                "assets": [
                    {"name": "Accounts Receivable", "total": money(t["outstanding"], code)},
                    {"name": "Cash", "total": money(t["paid"] - t["expenses"], code)},
                ],
                "total": money(t["outstanding"] + t["paid"] - t["expenses"], code),
            }
        )
    elif key == "chart_of_accounts":
        body.update({"accounts": _LEDGER_DEFAULTS})
    else:
        body.update({"rows": [], "total": money(t["invoiced"], code)})
    for absent in _LIVE_ABSENT.get(key, ()):
        del body[absent]
    return Reply(200, {"response": {"result": {key: body}}})


#: The columns of the invoice_details CSV download, one row per invoice.
CSV_COLUMNS = (
    "invoice_number",
    "invoiceid",
    "clientid",
    "client",
    "create_date",
    "due_date",
    "currency_code",
    "amount",
    "paid",
    "outstanding",
    "status",
)


async def report_csv(ctx: Ctx) -> Reply:
    """The invoice_details report whose ``download_token`` is in the path, as CSV: the
    invoices it covers, in its order, one row each (all of them: the row limit of the
    JSON body does not apply to a file)."""
    biz = _account(ctx)
    today = accounting_time(ctx.sb.clock.time())[:10]
    options = _DetailOptions.from_token(biz.account_id, ctx.params.get("download_token", ""), today)
    clients = ctx.sb.table(biz.account_id, "clients")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for cid, invoices in _detail_groups(ctx.sb, biz, options).items():
        name = _client_name(clients.peek(cid) if isinstance(cid, int) else None)
        for f in invoices:
            writer.writerow(
                [
                    f["invoice_number"],
                    f["id"],
                    cid,
                    name,
                    f["create_date"],
                    f["due_date"],
                    f["amount"]["code"],
                    f["amount"]["amount"],
                    f["paid"]["amount"],
                    f["outstanding"]["amount"],
                    f["v3_status"],
                ]
            )
    return Reply(200, out.getvalue().encode(), content_type="text/csv")
