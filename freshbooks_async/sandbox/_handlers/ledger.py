"""The ledger (accounting_business family): ledger accounts (the chart of accounts, with its
default accounts), and the account types and sub-types.
"""

from __future__ import annotations

from typing import Any

from .._core import Business, Ctx, Reply
from .._errors import SandboxAPIError
from .._objects import iso_time
from .._store import Record
from .common import _uuid
from .validation import _validate

_LEDGER_DEFAULTS: list[dict[str, Any]] = [
    {
        "uuid": "00000000-0000-4000-8000-000000001000",
        "name": "Cash",
        "number": "1000",
        "description": "Cash on hand",
        "type": "asset",
        "sub_type": "Cash & Bank",
        "system_account_name": "Cash",
        "parent_account": None,
        "sub_accounts": [],
        "auto_created": True,
        "state": "active",
        "updated_at": "2023-04-27T14:33:48.841075Z",
    },
    {
        "uuid": "00000000-0000-4000-8000-000000001200",
        "name": "Accounts Receivable",
        "number": "1200",
        "description": "Money owed by clients",
        "type": "asset",
        "sub_type": "Accounts Receivable",
        "system_account_name": "Accounts Receivable",
        "parent_account": None,
        "sub_accounts": [],
        "auto_created": True,
        "state": "active",
        "updated_at": "2023-04-27T14:33:48.841075Z",
    },
]
# Account types and sub-types as objects (``id``, ``name``, ``type``, ``description``: the
# fields of the SDK's LedgerAccountType/SubType models and the chart-of-accounts docs).
_TYPES: list[dict[str, Any]] = [
    {"id": 1, "name": "Assets", "type": "asset", "description": "What the business owns."},
    {"id": 2, "name": "Liabilities", "type": "liability", "description": "What it owes."},
    {"id": 3, "name": "Equity", "type": "equity", "description": "The owners' stake."},
    {"id": 4, "name": "Income", "type": "income", "description": "Money earned."},
    {
        "id": 5,
        "name": "Cost of Goods Sold",
        "type": "cost_of_goods_sold",
        "description": "Direct costs of what was sold.",
    },
    {"id": 6, "name": "Expenses", "type": "expense", "description": "Costs of operating."},
]
_SUB_TYPES: list[dict[str, Any]] = [
    {"id": i, "name": name, "type": kind, "description": text}
    for i, (name, kind, text) in enumerate(
        [
            ("Cash & Bank", "asset", "Cash on hand and bank accounts."),
            ("Accounts Receivable", "asset", "Money owed by clients."),
            ("Other Current Asset", "asset", "Assets used within a year."),
            ("Fixed Asset", "asset", "Long-lived property and equipment."),
            ("Accounts Payable", "liability", "Money owed to vendors."),
            ("Credit Card", "liability", "Credit card balances."),
            ("Other Current Liability", "liability", "Debts due within a year."),
            ("Long Term Liability", "liability", "Debts due after a year."),
            ("Owner's Equity", "equity", "Owner investments and draws."),
            ("Retained Earnings", "equity", "Accumulated profit."),
            ("Sales", "income", "Revenue from sales."),
            ("Other Income", "income", "Income outside normal operations."),
            ("Cost of Goods Sold", "cost_of_goods_sold", "Direct costs of goods and services."),
            ("Operating Expense", "expense", "Day-to-day costs."),
            ("Other Expense", "expense", "Costs outside normal operations."),
        ],
        start=1,
    )
]
_TYPE_OF_SUB_TYPE = {str(st["name"]).lower(): str(st["type"]) for st in _SUB_TYPES}


def _ledger_business(ctx: Ctx) -> Business:
    biz = ctx.sb.business_by_uuid(ctx.params.get("business_uuid", ""))
    if biz is None:
        raise SandboxAPIError(404, "Not found.", errno=404)
    table = ctx.sb.table(biz.uuid, "ledger_accounts")
    if not len(table):
        for row in _LEDGER_DEFAULTS:
            table.add(Record(str(row["uuid"]), dict(row)))
    return biz


async def ledger(ctx: Ctx) -> Reply:
    res, op = ctx.route.resource, ctx.route.op
    if res == "ledger_account_types":
        return Reply(200, {"data": _TYPES})
    if res == "ledger_account_sub_types":
        if op == "list":
            return Reply(200, {"data": _SUB_TYPES})
        found = [s for s in _SUB_TYPES if str(s["id"]) == ctx.params["id"]]
        if not found:
            raise SandboxAPIError(404, "Not found.", errno=404)
        return Reply(200, {"data": found[0]})
    biz = _ledger_business(ctx)
    table = ctx.sb.table(biz.uuid, "ledger_accounts")
    if op == "list":
        return Reply(200, {"data": [r.data for r in table]})
    if op == "get":
        rec = table.get(ctx.params["account_uuid"])
        if rec is None:
            raise SandboxAPIError(404, "Not found.", errno=404)
        return Reply(200, {"data": rec.data})
    body = ctx.json_body()
    obj = body.get("data", body) if isinstance(body, dict) else None
    if not isinstance(obj, dict):
        raise SandboxAPIError(400, "Invalid body.", errno=400, details=[(None, "Invalid body.")])
    if op == "create":
        missing = [f for f in ("name", "sub_type", "parent_account") if f not in obj]
        if missing:
            raise SandboxAPIError(
                400,
                "This field is required.",
                errno=400,
                details=[(f, "This field is required.") for f in missing],
            )
    clean = _validate(ctx, "ledger_accounts", "account", obj, create=op == "create")
    now = iso_time(ctx.sb.clock.time())
    if op == "create":
        uid = _uuid(ctx.sb)
        data = {
            "uuid": uid,
            "name": clean["name"],
            "number": clean.get("number") or "",
            "description": clean.get("description") or "",
            "type": _TYPE_OF_SUB_TYPE.get(str(clean["sub_type"]).lower(), "asset"),
            "sub_type": clean["sub_type"],
            "system_account_name": None,
            "parent_account": clean["parent_account"],
            "sub_accounts": clean.get("sub_accounts", []),
            "auto_created": False,
            "state": "active",
            "currency_code": clean.get("currency_code", "USD"),
            "created_at": now,
            "updated_at": now,
        }
        table.add(Record(uid, data))
        ctx.sb.record_create("ledger_accounts", biz.uuid, uid)
        return Reply(201, {"data": data})
    rec = table.get(ctx.params["account_uuid"])
    if rec is None:
        raise SandboxAPIError(404, "Not found.", errno=404)
    rec.data.update(clean)
    if "sub_type" in clean:
        rec.data["type"] = _TYPE_OF_SUB_TYPE.get(str(clean["sub_type"]).lower(), rec.data["type"])
    rec.data["updated_at"] = now
    return Reply(200, {"data": rec.data})
