"""Rendering records as FreshBooks' JSON objects: the cached full object of a record,
bills and journal entries, ``include[]`` sub-objects, and one-object accounting replies.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .._core import Ctx, Reply, Sandbox
from .._objects import dec, expand_invoice, money, render_lines
from .._store import Record, dumps


def render(sb: Sandbox, resource: str, scope: str, rec: Record) -> dict[str, Any]:
    """The full JSON object of a record (cached)."""
    if rec.rendered is not None:
        return rec.rendered
    if resource in ("invoices", "estimates"):
        today = sb.today() if resource == "invoices" else None
        full = expand_invoice(rec.data, rec.extras.get("lines", []), scope, today)
        full["id"] = rec.id
        full["invoiceid" if resource == "invoices" else "estimateid"] = rec.id
        if resource == "estimates":
            full.pop("invoice_number", None)
            full["estimate_number"] = rec.data.get("estimate_number", "")
            full["v3_status"] = {
                1: "draft",
                2: "sent",
                3: "viewed",
                5: "accepted",
                6: "invoiced",
            }.get(int(rec.data.get("status", 1)), "draft")
            full["display_status"] = full["v3_status"]
            full["accepted"] = rec.data.get("status") == 5
    elif resource == "journal_entries":
        full = _journal_entry(rec)
    elif resource == "bills":
        return _bill(sb, scope, rec)  # not cached: its payments change it
    else:
        full = dict(rec.data)
    rec.rendered = full
    return full


def _bill(sb: Sandbox, scope: str, rec: Record) -> dict[str, Any]:
    """A bill with the amounts FreshBooks computes: its lines' amounts, the total, what
    its (not deleted) bill payments paid and what is outstanding, and the status."""
    full = dict(rec.data)
    code = str(full.get("currency_code") or "USD")
    lines = []
    subtotal = Decimal(0)
    for line in rec.data.get("lines", []):
        qty = line.get("quantity", 1)
        unit = dec((line.get("unit_cost") or {}).get("amount", 0))
        amount = unit * dec(qty)
        subtotal += amount
        lines.append(
            {
                "description": "",
                **line,
                "quantity": qty,
                "unit_cost": money(unit, code),
                "amount": money(amount, code),
            }
        )
    payments = [
        p.data
        for p in sb.table(scope, "bill_payments")
        if p.data.get("billid") == rec.id and p.data.get("vis_state", 0) != 1
    ]
    paid = sum((dec((p.get("amount") or {}).get("amount", 0)) for p in payments), Decimal(0))
    outstanding = subtotal - paid
    issue = str(full.get("issue_date") or "")
    offset = int(full.get("due_offset_days") or 0)
    try:
        due = (dt.date.fromisoformat(issue) + dt.timedelta(days=offset)).isoformat()
    except ValueError:
        due = issue
    full.update(
        {
            "bill_number": full.get("bill_number"),
            "currency_code": code,
            "due_offset_days": offset,
            "due_date": due,
            "status": "paid"
            if subtotal and outstanding <= 0
            else ("partial" if paid else "unpaid"),
            "amount": money(subtotal, code),
            "total_amount": money(subtotal, code),
            "tax_amount": money(Decimal(0), code),
            "paid": money(paid, code),
            "outstanding": money(max(outstanding, Decimal(0)), code),
            "lines": lines,
            "bill_payments": payments,
        }
    )
    return full


def _journal_entry(rec: Record) -> dict[str, Any]:
    """A journal entry as FreshBooks answers its create: each detail's debit or credit is
    a decimal string beside ``currency_code`` (the other one ``null``)."""
    full = dict(rec.data)
    day = str(full.get("user_entered_date") or str(full.get("updated", ""))[:10])
    code = str(full.get("currency_code") or "USD")
    details = []
    for index, detail in enumerate(rec.data.get("details", []), start=1):
        debit, credit = detail.get("debit"), detail.get("credit")
        line_id = int(rec.id) * 1000 + index
        details.append(
            {
                "id": line_id,
                "detailid": line_id,
                "name": full.get("name", ""),
                "description": detail.get("description") or full.get("description") or "",
                "sub_accountid": detail.get("sub_accountid"),
                "debit": str(debit["amount"]) if isinstance(debit, dict) else None,
                "credit": str(credit["amount"]) if isinstance(credit, dict) else None,
                "currency_code": code,
                "user_entered_date": day,
            }
        )
    full.setdefault("description", "")
    full.update(
        {"entryid": rec.id, "currency_code": code, "user_entered_date": day, "details": details}
    )
    return full


def _bytes(sb: Sandbox, resource: str, scope: str, rec: Record) -> bytes:
    if resource == "bills":
        return dumps(render(sb, resource, scope, rec))
    if rec.cache is None:
        rec.cache = dumps(render(sb, resource, scope, rec))
    return rec.cache


def _with_includes(
    sb: Sandbox, ctx: Ctx, resource: str, scope: str, rec: Record
) -> dict[str, Any] | None:
    wanted = ctx.query.getall("include[]", [])
    if not wanted:
        return None
    full = dict(render(sb, resource, scope, rec))
    for name in wanted:
        if name == "lines" and resource in ("invoices", "estimates"):
            code = str(full.get("currency_code") or "USD")
            full["lines"] = render_lines(
                rec.extras.get("lines", []), code, str(full.get("updated"))
            )
        elif name == "outstanding_balance" and resource == "clients":
            full["outstanding_balance"] = _client_outstanding(sb, scope, rec.id)
        elif name in rec.extras:
            full[name] = rec.extras[name]
        elif name in full:
            continue  # a stored field (e.g. a presentation set by PUT) is already rendered
        elif name in ("presentation", "owner", "system", "late_fee"):
            full[name] = rec.extras.get(name)
        else:
            full[name] = []
    return full


def _client_outstanding(sb: Sandbox, account: str, client_id: int | str) -> list[dict[str, Any]]:
    totals: dict[str, Decimal] = {}
    for inv in sb.table(account, "invoices"):
        if inv.data.get("customerid") == client_id and inv.data.get("vis_state", 0) != 1:
            full = render(sb, "invoices", account, inv)
            code = full["outstanding"]["code"]
            totals[code] = totals.get(code, Decimal(0)) + Decimal(full["outstanding"]["amount"])
    return [{"amount": money(v, k)} for k, v in totals.items()]


def _acc_one(ctx: Ctx, singular: str, resource: str, scope: str, rec: Record) -> Reply:
    full = _with_includes(ctx.sb, ctx, resource, scope, rec)
    if full is not None:
        return Reply(200, {"response": {"result": {singular: full}}})
    raw = _bytes(ctx.sb, resource, scope, rec)
    body = b'{"response":{"result":{"' + singular.encode() + b'":' + raw + b"}}}"
    return Reply(200, body)
