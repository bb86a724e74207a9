"""Believable FreshBooks objects: templates, field schemas, computed invoice fields.

Field lists follow the invoices docs page (fields, statuses, v3 statuses) and the official
Python SDK's fixtures (clients, callbacks, projects, time entries, ledger accounts).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .._numbering import next_invoice_number

__all__ = [
    "INVOICE_STATUS",
    "SCHEMAS",
    "accounting_time",
    "expand_invoice",
    "iso_time",
    "money",
    "next_invoice_number",
    "template",
]

_CENT = Decimal("0.01")
try:  # pragma: no cover - depends on the platform's tz database
    from zoneinfo import ZoneInfo

    _EASTERN: dt.tzinfo = ZoneInfo("America/New_York")
except Exception:  # pragma: no cover
    _EASTERN = dt.timezone(dt.timedelta(hours=-5))


def accounting_time(ts: float) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in US/Eastern (accounting timestamps)."""
    return dt.datetime.fromtimestamp(ts, _EASTERN).strftime("%Y-%m-%d %H:%M:%S")


def accounting_date(ts: float) -> str:
    """``YYYY-MM-DD`` in US/Eastern."""
    return dt.datetime.fromtimestamp(ts, _EASTERN).strftime("%Y-%m-%d")


def iso_time(ts: float) -> str:
    """ISO 8601 UTC with ``Z`` (project-like and auth timestamps)."""
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def dec(value: Any) -> Decimal:
    """A Decimal from a JSON number or string; raises ``ValueError`` when not numeric."""
    if isinstance(value, bool) or value is None:
        raise ValueError(value)
    if isinstance(value, dict):
        value = value.get("amount")
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError(value) from None
    if not result.is_finite():
        raise ValueError(value)
    return result


def money(amount: Decimal, code: str) -> dict[str, str]:
    """FreshBooks money: ``{"amount": "104.50", "code": "CAD"}``."""
    return {"amount": str(amount.quantize(_CENT, rounding=ROUND_HALF_UP)), "code": code}


# Invoice statuses and their v3/display names (invoices docs page).
INVOICE_STATUS = {
    0: "disputed",
    1: "draft",
    2: "sent",
    3: "viewed",
    4: "paid",
    5: "autopaid",
    6: "retry",
    7: "failed",
    8: "partial",
}

_INVOICE_DEFAULTS: dict[str, Any] = {
    "address": "",
    "auto_bill": False,
    "autobill_status": None,
    "basecampid": 0,
    "city": "",
    "code": "",
    "country": "",
    "create_date": None,
    "currency_code": "USD",
    "customerid": None,
    "deposit_amount": None,
    "deposit_percentage": None,
    "deposit_status": "none",
    "description": "",
    "discount_description": None,
    "discount_value": "0",
    "dispute_status": None,
    "due_offset_days": 0,
    "estimateid": 0,
    "ext_archive": 0,
    "fname": "",
    "fulfillment_date": None,
    "generation_date": None,
    "gmail": False,
    "invoice_number": "",
    "language": "en",
    "last_order_status": None,
    "lname": "",
    "notes": "",
    "organization": "",
    "ownerid": 1,
    "parent": 0,
    "payment_details": "",
    "po_number": None,
    "province": "",
    "return_uri": None,
    "sentid": 1,
    "show_attachments": False,
    "status": 1,
    "street": "",
    "street2": "",
    "template": "clean-grouped",
    "terms": "",
    "vat_name": None,
    "vat_number": "",
    "vis_state": 0,
}

# Writable on create / data fields, plus read-only ones accepted and ignored, plus the
# extra keys the docs' "Create Invoice" example sends.
_INVOICE_WRITABLE = {
    "invoice_number": "str",
    "customerid": "int",
    "create_date": "date",
    "generation_date": "date?",
    "discount_value": "number",
    "discount_description": "str?",
    "po_number": "str?",
    "template": "str",
    "currency_code": "str",
    "language": "str",
    "terms": "str?",
    "notes": "str?",
    "address": "str?",
    "return_uri": "str?",
    "deposit_amount": "any",
    "deposit_percentage": "any",
    "gmail": "bool",
    "show_attachments": "bool",
    "ext_archive": "int",
    "vis_state": "int",
    "street": "str?",
    "street2": "str?",
    "city": "str?",
    "province": "str?",
    "code": "str?",
    "country": "str?",
    "organization": "str?",
    "fname": "str?",
    "lname": "str?",
    "vat_name": "str?",
    "vat_number": "str?",
    "due_offset_days": "int",
    "lines": "list",
    "presentation": "dict?",
    "ownerid": "int?",
    "estimateid": "int?",
    "sentid": "int?",
    "status": "int",
    "parent": "int?",
    "display_status": "str?",
    "autobill_status": "any",
    "payment_status": "str?",
    "last_order_status": "any",
    "dispute_status": "any",
    "deposit_status": "any",
    "auto_bill": "bool",
    "v3_status": "str?",
    "payment_details": "str?",
    "fulfillment_date": "date?",
}
_INVOICE_IGNORED = frozenset(
    {
        "invoiceid",
        "id",
        "accounting_systemid",
        "accountid",
        "amount",
        "paid",
        "outstanding",
        "discount_total",
        "created_at",
        "current_organization",
        "date_paid",
        "description",
        "due_date",
        "updated",
        "uuid",
        "version",
        "net_paid_amount",
        "basecampid",
        "allowed_gateway_name",
        "highlight_string",
        "sender_name",
        "invoice_client_id",
        "allowed_gateway_info",
        "attachments",
        "contacts",
        "direct_links",
        "async_invoice_profile",
        "late_fee",
        "late_reminders",
        "owner",
        "transactioninvoiceid",
        "payment_schedule",
        "action_email",
        "action_mark_as_sent",
        "email_recipients",
        "email_include_pdf",
        "invoice_customized_email",
        "allowed_gateways",
        "allowed_gatewayids",
    }
)

_LINE_FIELDS = {
    "type": "int?",
    "expenseid": "int?",
    "qty": "number",
    "unit_cost": "money",
    "description": "str?",
    "name": "str?",
    "modern_project_id": "int?",
    "modern_time_entries": "any",
    "taxName1": "str?",
    "taxAmount1": "number?",
    "taxName2": "str?",
    "taxAmount2": "number?",
    "amount": "any",
    "lineid": "any",
    "updated": "any",
    "retainer_id": "any",
    "retainer_period_id": "any",
    "compounded_tax": "bool",
    "invoiceid": "any",
}


class Schema:
    """Field types of a resource's request body.

    Attributes:
        fields: name -> type tag (``int``, ``str``, ``date``, ``number``, ``money``,
            ``bool``, ``list``, ``dict``, ``any``; ``?`` allows null).
        ignored: Read-only fields accepted and dropped.
        required: Fields a create must carry.
        strict: Reject fields outside ``fields`` and ``ignored``.
    """

    __slots__ = ("fields", "ignored", "required", "strict")

    def __init__(
        self,
        fields: dict[str, str],
        *,
        ignored: frozenset[str] = frozenset(),
        required: tuple[str, ...] = (),
        strict: bool = True,
    ) -> None:
        self.fields = fields
        self.ignored = ignored
        self.required = required
        self.strict = strict


_CLIENT_FIELDS = dict.fromkeys(
    [
        "email",
        "fname",
        "lname",
        "organization",
        "bus_phone",
        "fax",
        "home_phone",
        "mob_phone",
        "note",
        "p_city",
        "p_code",
        "p_country",
        "p_province",
        "p_street",
        "p_street2",
        "s_city",
        "s_code",
        "s_country",
        "s_province",
        "s_street",
        "s_street2",
        "currency_code",
        "language",
        "vat_name",
        "vat_number",
        "company_industry",
        "company_size",
        "username",
    ],
    "str?",
)
_CLIENT_FIELDS.update(
    {
        "vis_state": "int",
        "allow_late_fees": "bool",
        "allow_late_notifications": "bool",
        "allow_email_include_pdf": "bool",
        "pref_email": "bool",
        "pref_gmail": "bool",
        "contacts": "list",
        "level": "int",
        "notified": "bool",
    }
)

SCHEMAS: dict[str, Schema] = {
    "invoices": Schema(
        _INVOICE_WRITABLE, ignored=_INVOICE_IGNORED, required=("customerid", "create_date")
    ),
    "estimates": Schema(
        {**_INVOICE_WRITABLE, "action_accept": "bool", "reply_status": "any"},
        ignored=_INVOICE_IGNORED | {"estimateid", "accepted", "invoiced", "rich_proposal"},
        required=("customerid", "create_date"),
        strict=False,
    ),
    "clients": Schema(
        _CLIENT_FIELDS,
        ignored=frozenset(
            {
                "id",
                "userid",
                "accounting_systemid",
                "signup_date",
                "updated",
                "last_activity",
                "last_login",
                "num_logins",
                "role",
                "has_retainer",
                "retainer_id",
                "direct_link_token",
                "grand_total_balance",
                "outstanding_balance",
                "statement",
                "subdomain",
            }
        ),
    ),
    "items": Schema(
        {
            "name": "str",
            "description": "str?",
            "qty": "number?",
            "unit_cost": "money?",
            "inventory": "any",
            "sku": "str?",
            "tax1": "int?",
            "tax2": "int?",
            "vis_state": "int",
            "accounting_systemid": "any",
        },
        ignored=frozenset({"id", "itemid", "updated"}),
        required=("name",),
    ),
    "taxes": Schema(
        {"name": "str", "amount": "number", "number": "str?", "compound": "bool"},
        ignored=frozenset({"id", "taxid", "accountid", "updated"}),
        required=("name",),
    ),
    "payments": Schema(
        {
            "invoiceid": "int",
            "amount": "money",
            "date": "date",
            "type": "str",
            "note": "str?",
            "clientid": "int?",
            "vis_state": "int",
            "send_client_notification": "bool",
            "creditid": "int?",
            "orderid": "any",
            "transactionid": "any",
            "gateway": "any",
            "from_credit": "bool",
        },
        ignored=frozenset({"id", "logid", "accounting_systemid", "updated", "bulk_paymentid"}),
        required=("invoiceid", "amount", "date", "type"),
    ),
    "expenses": Schema(
        {
            "amount": "money",
            "categoryid": "int",
            "date": "date",
            "staffid": "int",
            "vendor": "str?",
            "notes": "str?",
            "clientid": "int?",
            "projectid": "int?",
            "taxName1": "str?",
            "taxName2": "str?",
            "taxPercent1": "any",
            "taxPercent2": "any",
            "taxAmount1": "any",
            "taxAmount2": "any",
            "vis_state": "int",
            "status": "int?",
            "markup_percent": "any",
            "invoiceid": "int?",
            "attachment": "dict?",
            "is_cogs": "bool",
            "account_name": "str?",
            "bank_name": "str?",
        },
        ignored=frozenset({"id", "expenseid", "accounting_systemid", "updated", "profileid"}),
        required=("amount", "categoryid", "date", "staffid"),
        strict=False,
    ),
    "callbacks": Schema(
        {"event": "str", "uri": "str", "verifier": "str", "resend": "bool", "callback_id": "any"},
        ignored=frozenset({"callbackid", "verified", "updated_at", "id"}),
        required=("event", "uri"),
    ),
    "projects": Schema(
        {
            "title": "str",
            "description": "str?",
            "due_date": "date?",
            "client_id": "int?",
            "internal": "bool",
            "budget": "int?",
            "fixed_price": "any",
            "rate": "any",
            "billing_method": "str?",
            "project_type": "str?",
            "project_manager_id": "int?",
            "active": "bool",
            "complete": "bool",
            "sample": "bool",
            "services": "list?",
            "retainer_id": "int?",
            "expense_markup": "any",
            "vis_state": "int",
        },
        ignored=frozenset(
            {
                "id",
                "created_at",
                "updated_at",
                "logged_duration",
                "billed_amount",
                "billed_status",
                "group",
                "group_id",
            }
        ),
        required=("title",),
    ),
    "time_entries": Schema(
        {
            "identity_id": "int?",
            "is_logged": "bool",
            "started_at": "str",
            "client_id": "int?",
            "project_id": "int?",
            "pending_client": "any",
            "pending_project": "any",
            "pending_task": "any",
            "task_id": "int?",
            "service_id": "int?",
            "note": "str?",
            "active": "bool",
            "billable": "bool",
            "billed": "bool",
            "internal": "bool",
            "retainer_id": "int?",
            "duration": "int?",
            "timer": "any",
            "local_started_at": "any",
            "local_timezone": "any",
        },
        ignored=frozenset({"id", "created_at", "updated_at"}),
        required=("started_at",),
    ),
    "services": Schema(
        {"name": "str", "billable": "bool", "vis_state": "int"},
        ignored=frozenset({"id", "business_id"}),
        required=("name",),
    ),
}


def template(resource: str) -> dict[str, Any]:
    """Default fields of a freshly created accounting object (beyond its id)."""
    if resource == "clients":
        base: dict[str, Any] = {k: "" for k in _CLIENT_FIELDS if _CLIENT_FIELDS[k] == "str?"}
        base.update(
            {
                "currency_code": "USD",
                "language": "en",
                "allow_late_fees": True,
                "allow_late_notifications": True,
                "allow_email_include_pdf": False,
                "pref_email": True,
                "pref_gmail": False,
                "level": 0,
                "notified": False,
                "num_logins": 0,
                "role": "client",
                "vis_state": 0,
                "has_retainer": None,
                "retainer_id": None,
                "last_activity": None,
                "last_login": None,
                "direct_link_token": None,
                "company_industry": None,
                "company_size": None,
                "note": None,
                "home_phone": None,
            }
        )
        return base
    return {"vis_state": 0}


def _line_amount(line: dict[str, Any]) -> Decimal:
    return dec(line.get("qty", 1)) * dec(line.get("unit_cost", 0))


def expand_invoice(
    data: dict[str, Any], lines: list[dict[str, Any]], account_id: str
) -> dict[str, Any]:
    """The full invoice as FreshBooks returns it, computed from stored fields and lines.

    amount = (sum of lines - discount%) + line taxes on the discounted amounts (docs
    example: 100.00 with 5% discount and 10% tax -> 104.50); outstanding = amount - paid;
    due_date = create_date + due_offset_days; v3/display/payment status from status.
    """
    full = dict(_INVOICE_DEFAULTS)
    full.update(data)
    code = str(full.get("currency_code") or "USD")
    discount_pct = dec(full.get("discount_value") or 0)
    full["discount_value"] = str(full.get("discount_value") or 0)  # a string on the wire
    subtotal = Decimal(0)
    taxes = Decimal(0)
    factor = (Decimal(100) - discount_pct) / Decimal(100)
    for line in lines:
        amount = _line_amount(line)
        subtotal += amount
        for key in ("taxAmount1", "taxAmount2"):
            pct = line.get(key)
            if pct not in (None, "", 0):
                taxes += amount * factor * dec(pct) / Decimal(100)
    discount = subtotal * discount_pct / Decimal(100)
    total = subtotal - discount + taxes
    paid = dec(data.get("_paid", 0))
    outstanding = total - paid
    status = int(full.get("status") or 1)
    if status in (1, 2, 3, 4, 8) and paid > 0:
        status = 4 if outstanding <= 0 else 8
    full["status"] = status
    v3 = INVOICE_STATUS.get(status, "draft")
    full["v3_status"] = v3
    full["display_status"] = v3 if v3 in ("draft", "sent", "viewed", "paid", "partial") else "sent"
    full["payment_status"] = "paid" if status == 4 else ("partial" if status == 8 else "unpaid")
    full["amount"] = money(total, code)
    full["paid"] = money(paid, code)
    full["net_paid_amount"] = money(paid, code)
    full["outstanding"] = money(max(outstanding, Decimal(0)), code)
    full["discount_total"] = money(-discount, code)
    full["accountid"] = account_id
    full["accounting_systemid"] = account_id
    full["current_organization"] = full.get("organization") or ""
    full["date_paid"] = data.get("_date_paid")
    create_date = str(full.get("create_date") or "")
    try:
        due = dt.date.fromisoformat(create_date) + dt.timedelta(
            days=int(full.get("due_offset_days") or 0)
        )
        full["due_date"] = due.isoformat()
    except ValueError:
        full["due_date"] = create_date
    if status >= 2 and not full.get("fulfillment_date"):
        full["fulfillment_date"] = create_date
    for key in [k for k in full if k.startswith("_")]:
        del full[key]
    return full


def render_lines(lines: list[dict[str, Any]], code: str, updated: str) -> list[dict[str, Any]]:
    """Invoice lines as returned by ``include[]=lines`` (with computed ``amount``)."""
    out = []
    for i, line in enumerate(lines, start=1):
        item = {
            "lineid": i,
            "type": 0,
            "name": "",
            "description": "",
            "qty": "1",
            "taxName1": None,
            "taxAmount1": None,
            "taxName2": None,
            "taxAmount2": None,
            "expenseid": 0,
            "updated": updated,
        }
        item.update({k: v for k, v in line.items() if k not in ("amount", "unit_cost", "qty")})
        item["qty"] = str(line.get("qty", 1))
        unit = line.get("unit_cost", 0)
        item["unit_cost"] = money(dec(unit), code)
        item["amount"] = money(_line_amount(line), code)
        out.append(item)
    return out
