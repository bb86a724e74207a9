"""Reports over the account's totals: profit and loss, expense details, tax summary,
balance sheet, trial balance, item sales and revenue by client.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .._core import Business, Ctx, Sandbox
from .._objects import _line_amount, dec, money
from .common import _money_amount
from .rendering import render
from .reports_invoices import _reported_invoices


def _totals(sb: Sandbox, biz: Business) -> dict[str, Decimal]:
    invoiced = outstanding = paid = expenses = Decimal(0)
    for rec in sb.table(biz.account_id, "invoices"):
        if rec.data.get("vis_state", 0) == 1 or int(rec.data.get("status", 1)) < 2:
            continue  # drafts are not recognised by reports (invoices page)
        full = render(sb, "invoices", biz.account_id, rec)
        invoiced += Decimal(full["amount"]["amount"])
        outstanding += Decimal(full["outstanding"]["amount"])
        paid += Decimal(full["paid"]["amount"])
    for rec in sb.table(biz.account_id, "expenses"):
        if rec.data.get("vis_state", 0) != 1:
            expenses += dec(rec.data.get("amount", 0))
    return {"invoiced": invoiced, "outstanding": outstanding, "paid": paid, "expenses": expenses}


# Reports in the shapes of FreshBooks' own answers (live captures, official SDK fixtures):
# every amount a money object, totals single objects, one entry per date or period.
_Totals = dict[str, Decimal]


def _pl_entry(
    description: str, kind: str, amount: Decimal, code: str, children: list[Any] | None = None
) -> dict[str, Any]:
    return {
        "children": children or [],
        "data": [money(amount, code)],
        "description": description,
        "entry_type": kind,
        "total": money(amount, code),
    }


def _profit_loss(ctx: Ctx, biz: Business, code: str, start: str, end: str) -> dict[str, Any]:
    """Income (sent invoices issued from ``start`` to ``end``, in ``code``) less expenses
    (dated in the period, in ``code``), in the shape of FreshBooks' answer."""
    income = sum(
        (
            Decimal(i["amount"]["amount"])
            for i in _reported_invoices(ctx.sb, biz, code)
            if start <= str(i["create_date"])[:10] <= end
        ),
        Decimal(0),
    )
    expenses = Decimal(_expense_details(ctx, biz, code, start, end)["total"]["amount"])
    net = income - expenses
    return {
        "cash_based": False,
        "resolution": None,
        "labels": [start],
        "dates": [{"start_date": start, "end_date": end}],
        "income": [_pl_entry("Sales", "credit", income, code)],
        "expenses": [_pl_entry("Expenses", "debit", expenses, code)],
        "total_income": _pl_entry("Gross Profit", "credit", income, code),
        "total_expenses": _pl_entry("Total Expenses", "debit", expenses, code),
        "net_profit": _pl_entry(f"Net Profit ({code})", "credit", net, code),
    }


def _expense_details(ctx: Ctx, biz: Business, code: str, start: str, end: str) -> dict[str, Any]:
    """Expenses (not deleted) dated from ``start`` to ``end``: one row each (``rows``),
    their sums per currency (``totals``) and the sum in ``code`` (``total``)."""
    sb, aid = ctx.sb, biz.account_id
    categories = sb.table(aid, "expense_categories")
    rows = []
    totals: dict[str, Decimal] = {}
    for rec in sb.table(aid, "expenses").records.values():
        data = rec.data
        if data.get("vis_state", 0) == 1 or not start <= str(data.get("date"))[:10] <= end:
            continue
        amount, currency = _money_amount(data.get("amount"))
        currency = currency or "USD"
        totals[currency] = totals.get(currency, Decimal(0)) + amount
        category = (
            categories.peek(data["categoryid"]) if isinstance(data.get("categoryid"), int) else None
        )
        rows.append(
            {
                "expenseid": rec.id,
                "date": str(data.get("date"))[:10],
                "vendor": data.get("vendor"),
                "categoryid": data.get("categoryid"),
                "category": category.data.get("category") if category else None,
                "clientid": data.get("clientid"),
                "staffid": data.get("staffid"),
                "notes": data.get("notes"),
                "amount": money(amount, currency),
            }
        )
    return {
        "rows": rows,
        "totals": [money(totals[c], c) for c in sorted(totals)],
        "total": money(totals.get(code, Decimal(0)), code),
    }


def _tax_summary(
    ctx: Ctx, biz: Business, t: _Totals, code: str, start: str, end: str
) -> dict[str, Any]:
    return {"cash_based": False, "taxes": [], "total_invoiced": money(t["invoiced"], code)}


def _balance_sheet(
    ctx: Ctx, biz: Business, t: _Totals, code: str, start: str, end: str
) -> dict[str, Any]:
    cash = t["paid"] - t["expenses"]
    assets = t["outstanding"] + cash

    def balances(amount: Decimal) -> list[dict[str, Any]]:
        return [{"balance": money(amount, code), "date": end}]

    def account(name: str, number: str, amount: Decimal) -> dict[str, Any]:
        return {
            "account_name": name,
            "account_number": number,
            "balances": balances(amount),
            "sub_accounts": [],
        }

    return {
        "dates": [end],
        "data": [
            {
                "account_type": "asset",
                "category": "current",
                "accounts": [
                    account("Cash", "1000", cash),
                    account("Accounts Receivable", "1200", t["outstanding"]),
                ],
                "balances": balances(assets),
            },
            {
                "account_type": "equity",
                "category": None,
                "accounts": [],
                "balances": balances(assets),
            },
        ],
        "assets_total": balances(assets),
        "liabilities_and_equity_total": balances(assets),
    }


def _trial_balance(
    ctx: Ctx, biz: Business, t: _Totals, code: str, start: str, end: str
) -> dict[str, Any]:
    zero = money(Decimal(0), code)
    rows = (
        ("Cash", "1000", "Petty Cash", t["paid"] - t["expenses"], None),
        ("Accounts Receivable", "1200", "Accounts Receivable", t["outstanding"], None),
        ("Sales", "4000", "Sales", None, t["invoiced"]),
        ("Expenses", "6000", "Office Expenses", t["expenses"], None),
    )
    return {
        "data": [
            {
                "account_name": name,
                "account_number": number,
                "account_sub_name": sub,
                "account_sub_number": "1",
                "sub_accountid": index,
                "debit": zero if debit is None else money(debit, code),
                "credit": zero if credit is None else money(credit, code),
            }
            for index, (name, number, sub, debit, credit) in enumerate(rows, start=1)
        ]
    }


def _item_sales(
    ctx: Ctx, biz: Business, t: _Totals, code: str, start: str, end: str
) -> dict[str, Any]:
    items: dict[str, dict[str, Any]] = {}
    qty_all = Decimal(0)
    for rec in ctx.sb.table(biz.account_id, "invoices"):
        if rec.data.get("vis_state", 0) == 1 or int(rec.data.get("status", 1)) < 2:
            continue
        full = render(ctx.sb, "invoices", biz.account_id, rec)
        for line in rec.extras.get("lines", []):
            name = str(line.get("name") or "")
            qty = dec(line.get("qty") or 0)
            amount = _line_amount(line)
            unit = dec((line.get("unit_cost") or {}).get("amount", 0))
            item = items.setdefault(
                name, {"name": name, "invoices": [], "qty": Decimal(0), "total": Decimal(0)}
            )
            item["qty"] += qty
            item["total"] += amount
            qty_all += qty
            item["invoices"].append(
                {
                    "amount": money(amount, code),
                    "create_date": full.get("create_date"),
                    "discount": money(Decimal(0), code),
                    "fname": full.get("fname", ""),
                    "invoice_number": full.get("invoice_number"),
                    "invoiceid": rec.id,
                    "lname": full.get("lname", ""),
                    "organization": full.get("organization", ""),
                    "qty": str(qty),
                    "unit_cost": money(unit, code),
                    "v3_status": full.get("v3_status"),
                }
            )
    zero = money(Decimal(0), code)
    return {
        "clientids": [],
        "item_names": [],
        "statusids": [],
        "items": [
            {
                "name": item["name"],
                "invoices": item["invoices"],
                "total": money(item["total"], code),
                "total_discount": zero,
                "total_qty": str(item["qty"]),
            }
            for item in items.values()
        ],
        "total": money(sum((i["total"] for i in items.values()), Decimal(0)), code),
        "total_discount": zero,
        "total_qty": str(qty_all),
    }


def _revenue_by_client(
    ctx: Ctx, biz: Business, t: _Totals, code: str, start: str, end: str
) -> dict[str, Any]:
    return {
        "clientids": [],
        "clients": [],
        "labels": [start],
        "sales_type": ctx.query.get("sales_type", "accrual"),
        "total_sales": money(t["invoiced"], code),
        "total_sales_data": [money(t["invoiced"], code)],
    }
