"""Reports over invoices and payments: report parameters and their errors, the invoices
a report counts, accounts aging, invoice details (with its CSV options) and payments
collected.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from typing import Any

from .._core import Business, Ctx, Sandbox
from .._errors import SandboxAPIError
from .._objects import money
from .._store import Record, dumps
from .accounting import counts_as_paid
from .common import _digits, _money_amount
from .rendering import render

#: invoice_details lists its invoices only up to this many; beyond, the body carries the
#: summary alone and says so with ``summary_only: true`` (as when it is asked for).
REPORT_ROW_LIMIT = 1000


def _report_error(field: str, value: Any) -> SandboxAPIError:
    # The shape of FreshBooks' answer to a bad report parameter (an invalid sales_type).
    return SandboxAPIError(
        400,
        f"Invalid value '{value}' for field '{field}'.",
        errno=1004,
        field=field,
        value=value,
        object="report",
    )


def _report_date(ctx: Ctx, name: str, default: str) -> str:
    value = ctx.query.get(name)
    if value is None:
        return default
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise _report_error(name, value) from None


def _report_ids(ctx: Ctx, name: str) -> list[int]:
    """The ints of a ``name[]=`` report filter (``clientids[]=1&clientids[]=2``)."""
    out = []
    for value in ctx.query.getall(f"{name}[]", []):
        if not _digits(value):
            raise _report_error(name, value)
        out.append(int(value))
    return out


def _client_name(client: Record | None) -> str:
    if client is None:
        return ""
    data = client.data
    name = f"{data.get('fname') or ''} {data.get('lname') or ''}".strip()
    return str(data.get("organization") or name)


def _reported_invoices(sb: Sandbox, biz: Business, code: str) -> list[dict[str, Any]]:
    """The rendered invoices reports count: sent (drafts are not recognised by reports,
    invoices page), not deleted, in currency ``code``."""
    out = []
    for rec in sb.table(biz.account_id, "invoices").records.values():
        if rec.data.get("vis_state", 0) == 1 or int(rec.data.get("status", 1)) < 2:
            continue
        full = render(sb, "invoices", biz.account_id, rec)
        if full["currency_code"] == code:
            out.append(full)
    return out


_AGING = (("0-30", 30), ("31-60", 60), ("61-90", 90), ("91+", None))


def _accounts_aging(ctx: Ctx, biz: Business, code: str, end: str) -> dict[str, Any]:
    """What each client owed on ``end`` (invoices issued by then, in ``code``, less the
    payments dated by then), by days past the invoice's due date: 0-30 (not yet due
    included), 31-60, 61-90, 91+."""
    as_of = dt.date.fromisoformat(end)
    clients = ctx.sb.table(biz.account_id, "clients")
    paid_later: dict[Any, Decimal] = {}
    for pay in ctx.sb.table(biz.account_id, "payments").records.values():
        if counts_as_paid(pay.data) and str(pay.data.get("date"))[:10] > end:
            invoice_id = pay.data.get("invoiceid")
            amount = _money_amount(pay.data.get("amount"))[0]
            paid_later[invoice_id] = paid_later.get(invoice_id, Decimal(0)) + amount
    owed: dict[Any, dict[str, Decimal]] = {}
    for full in _reported_invoices(ctx.sb, biz, code):
        if str(full["create_date"])[:10] > end:
            continue
        paid = Decimal(full["paid"]["amount"]) - paid_later.get(full["id"], Decimal(0))
        outstanding = max(Decimal(full["amount"]["amount"]) - paid, Decimal(0))
        if not outstanding:
            continue
        try:
            late = (as_of - dt.date.fromisoformat(str(full["due_date"])[:10])).days
        except ValueError:
            late = 0
        bucket = next(name for name, days in _AGING if days is None or late <= days)
        mine = owed.setdefault(full.get("customerid"), {name: Decimal(0) for name, _ in _AGING})
        mine[bucket] += outstanding
    accounts = []
    totals = {name: Decimal(0) for name, _ in _AGING}
    for cid, buckets in owed.items():
        client = clients.peek(cid) if isinstance(cid, int) else None
        data = client.data if client is not None else {}
        row: dict[str, Any] = {name: money(value, code) for name, value in buckets.items()}
        row["total"] = money(sum(buckets.values(), Decimal(0)), code)
        row.update(
            {
                "userid": cid,
                "email": data.get("email", ""),
                "fname": data.get("fname", ""),
                "lname": data.get("lname", ""),
                "organization": data.get("organization", ""),
            }
        )
        accounts.append(row)
        for name, value in buckets.items():
            totals[name] += value
    summary: dict[str, Any] = {name: money(value, code) for name, value in totals.items()}
    summary["total"] = money(sum(totals.values(), Decimal(0)), code)
    return {"accounts": accounts, "totals": summary}


class _DetailOptions:
    """What an invoice_details report covers: its currency, period, date type and filters
    (the JSON report's parameters, and what its ``download_token`` carries to the CSV)."""

    __slots__ = ("clientids", "code", "date_type", "end", "start", "statusids")

    def __init__(
        self,
        code: str,
        start: str,
        end: str,
        date_type: str = "issue",
        clientids: list[int] | None = None,
        statusids: list[int] | None = None,
    ) -> None:
        self.code = code
        self.start = start
        self.end = end
        self.date_type = date_type
        self.clientids = clientids or []
        self.statusids = statusids or []

    @classmethod
    def of(cls, ctx: Ctx, code: str, start: str, end: str) -> _DetailOptions:
        """The options of a report request (400 naming a bad parameter)."""
        date_type = ctx.query.get("date_type", "issue")
        if date_type not in ("issue", "due"):
            raise _report_error("date_type", date_type)
        clientids = _report_ids(ctx, "clientids")
        statusids = _report_ids(ctx, "statusids")
        return cls(code, start, end, date_type, clientids, statusids)

    def token(self, account_id: str) -> str:
        """A download token that names these options (base64url JSON after the name)."""
        fields = [self.code, self.start, self.end, self.date_type, self.clientids, self.statusids]
        packed = base64.urlsafe_b64encode(dumps(fields)).decode().rstrip("=")
        return f"{account_id}-invoice_details-{packed}"

    @classmethod
    def from_token(cls, account_id: str, token: str, today: str) -> _DetailOptions:
        """The options a :meth:`token` names (the defaults for the bare
        ``<account>-invoice_details``); 404 for a token this account did not issue."""
        name = f"{account_id}-invoice_details"
        if token == name:
            return cls("USD", "2000-01-01", today)
        if token.startswith(name + "-"):
            packed = token[len(name) + 1 :]
            try:
                fields = json.loads(base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4)))
                code, start, end, date_type, clientids, statusids = fields
                texts = (code, start, end, date_type)
                ids = (clientids, statusids)
                if (
                    all(isinstance(t, str) for t in texts)
                    and date_type in ("issue", "due")
                    and dt.date.fromisoformat(start) <= dt.date.fromisoformat(end)
                    and all(isinstance(x, list) for x in ids)
                    and all(type(i) is int for x in ids for i in x)
                ):
                    options = cls(code, start, end, date_type, clientids, statusids)
                    if options.token(account_id) == token:  # spelled as a token spells it
                        return options
            except (ValueError, TypeError):  # not base64, not JSON, not six fields
                pass
        raise SandboxAPIError(
            404,
            "Report not found.",
            errno=1012,
            field="download_token",
            value=token,
            object="report",
        )


def _detail_groups(
    sb: Sandbox, biz: Business, o: _DetailOptions
) -> dict[Any, list[dict[str, Any]]]:
    """The rendered invoices an invoice_details report covers, by client (in the order
    the clients first appear): sent (not draft, not deleted) invoices in ``o.code``
    issued (``date_type=issue``) or due (``due``) from ``o.start`` to ``o.end``, of
    ``o.clientids`` and in ``o.statusids`` when given."""
    date_key = "create_date" if o.date_type == "issue" else "due_date"
    groups: dict[Any, list[dict[str, Any]]] = {}
    for full in _reported_invoices(sb, biz, o.code):
        if not o.start <= str(full[date_key])[:10] <= o.end:
            continue
        if (o.clientids and full.get("customerid") not in o.clientids) or (
            o.statusids and full["status"] not in o.statusids
        ):
            continue
        groups.setdefault(full.get("customerid"), []).append(full)
    return groups


def _invoice_details(ctx: Ctx, biz: Business, o: _DetailOptions) -> dict[str, Any]:
    """The invoices of :func:`_detail_groups`, grouped by client in ``clients``, with
    their summed total, paid and outstanding amounts."""
    sb, code = ctx.sb, o.code
    clients = sb.table(biz.account_id, "clients")
    groups = _detail_groups(sb, biz, o)
    total = paid = outstanding = Decimal(0)
    rows = 0
    for invoices in groups.values():
        for full in invoices:
            total += Decimal(full["amount"]["amount"])
            paid += Decimal(full["paid"]["amount"])
            outstanding += Decimal(full["outstanding"]["amount"])
            rows += 1
    summary_only = ctx.query.get("summary_only", "").lower() in ("true", "1")
    summary_only = summary_only or rows > REPORT_ROW_LIMIT
    detail = []
    if not summary_only:
        for cid, invoices in groups.items():
            client = clients.peek(cid) if isinstance(cid, int) else None
            sums = [
                sum((Decimal(i[k]["amount"]) for i in invoices), Decimal(0))
                for k in ("amount", "paid", "outstanding")
            ]
            detail.append(
                {
                    "clientid": cid,
                    "client": _client_name(client),
                    "invoices": [
                        {
                            "invoiceid": full["id"],
                            "invoice_number": full["invoice_number"],
                            "create_date": full["create_date"],
                            "due_date": full["due_date"],
                            "status": full["status"],
                            "v3_status": full["v3_status"],
                            "amount": full["amount"],
                            "paid": full["paid"],
                            "outstanding": full["outstanding"],
                        }
                        for full in invoices
                    ],
                    "summary": {
                        "total": money(sums[0], code),
                        "paid": money(sums[1], code),
                        "outstanding": money(sums[2], code),
                    },
                }
            )
    return {
        "clientids": o.clientids,
        "statusids": o.statusids,
        "date_type": o.date_type,
        "summary_only": summary_only,
        "clients": detail,
        "summary": {
            "total": money(total, code),
            "paid": money(paid, code),
            "outstanding": money(outstanding, code),
        },
    }


def _payments_collected(ctx: Ctx, biz: Business, start: str, end: str) -> dict[str, Any]:
    """Payments (not deleted) dated from ``start`` to ``end``, in every currency, with
    their sums per currency (``totals``)."""
    sb, aid = ctx.sb, biz.account_id
    clientids = _report_ids(ctx, "clientids")
    invoices = sb.table(aid, "invoices")
    clients = sb.table(aid, "clients")
    rows = []
    totals: dict[str, Decimal] = {}
    methods: set[str] = set()
    for rec in sb.table(aid, "payments").records.values():
        data = rec.data
        if not counts_as_paid(data) or not start <= str(data.get("date"))[:10] <= end:
            continue
        invoice = (
            invoices.peek(data["invoiceid"]) if isinstance(data.get("invoiceid"), int) else None
        )
        cid = data.get("clientid") or (invoice.data.get("customerid") if invoice else None)
        if clientids and cid not in clientids:
            continue
        amount, currency = _money_amount(data.get("amount"))
        if currency is None:
            currency = render(sb, "invoices", aid, invoice)["currency_code"] if invoice else "USD"
        totals[currency] = totals.get(currency, Decimal(0)) + amount
        method = str(data.get("type") or "")
        methods.add(method)
        rows.append(
            {
                "amount": money(amount, currency),
                "client": _client_name(clients.peek(cid) if isinstance(cid, int) else None),
                "clientid": cid,
                "credit_number": None,
                "creditid": data.get("creditid"),
                "date": str(data.get("date"))[:10],
                "description": data.get("note") or "",
                "from_credit": bool(data.get("from_credit", False)),
                "invoice_number": invoice.data.get("invoice_number") if invoice else None,
                "invoiceid": data.get("invoiceid"),
                "method": method,
            }
        )
    return {
        "clientids": clientids,
        "currency_codes": sorted(totals),
        "payment_methods": sorted(methods),
        "summary_only": False,
        "payments": rows,
        "totals": [money(totals[c], c) for c in sorted(totals)],
    }
