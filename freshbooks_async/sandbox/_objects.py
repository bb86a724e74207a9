"""Believable FreshBooks objects: templates, field schemas, computed invoice fields.

Field lists follow the invoices docs page (fields, statuses, v3 statuses) and the official
Python SDK's fixtures (clients, callbacks, projects, time entries, ledger accounts).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any

from .._numbering import next_invoice_number
from .._tz import eastern

__all__ = [
    "INVOICE_STATUS",
    "SCHEMAS",
    "accounting_date",
    "accounting_day",
    "accounting_time",
    "expand_invoice",
    "iso_time",
    "money",
    "next_invoice_number",
    "template",
]

_CENT = Decimal("0.01")
_WIDE = Context(prec=100)
_EASTERN: dt.tzinfo = eastern()


#: The last second accounting_time formatted, and its text: creates come many a second.
_last_second: tuple[int, str] = (-1, "")


def accounting_time(ts: float) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in US/Eastern (accounting timestamps)."""
    global _last_second
    second = int(ts)
    # (A fraction this close to 1 may round up to the next second in fromtimestamp.)
    cacheable = 0 <= ts - second < 0.999
    if cacheable:
        last = _last_second
        if last[0] == second:
            return last[1]
    # isoformat, not strftime("%Y-%m-%d %H:%M:%S"): the same text (years 1000-9999), in
    # half the time, on every create's path.
    text = dt.datetime.fromtimestamp(ts, _EASTERN).isoformat(" ", "seconds")[:19]
    if cacheable:
        _last_second = (second, text)
    return text


def accounting_date(ts: float) -> str:
    """``YYYY-MM-DD`` in US/Eastern."""
    return dt.datetime.fromtimestamp(ts, _EASTERN).strftime("%Y-%m-%d")


def accounting_day(ts: float) -> tuple[str, float, float]:
    """The US/Eastern day of ``ts``: ``(YYYY-MM-DD, start, end)`` as epoch seconds."""
    day = dt.datetime.fromtimestamp(ts, _EASTERN).date()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=_EASTERN).timestamp()
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=_EASTERN).timestamp()
    return day.isoformat(), start, end


def iso_time(ts: float) -> str:
    """ISO 8601 UTC with ``Z`` (project-like and auth timestamps)."""
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def dec(value: Any) -> Decimal:
    """A Decimal from a JSON number or string (or a money object's amount); raises
    ``ValueError`` when not numeric."""
    if isinstance(value, dict):
        value = value.get("amount")  # (once: a nested money object is not numeric)
    cls = value.__class__
    if cls is str:  # the usual case: Decimal(str(value)) without the str()
        text = value
    elif cls is int:  # (not a bool); JSON ints have at most 4300 digits
        return Decimal(value)
    elif isinstance(value, bool) or value is None:
        raise ValueError(value)
    else:
        text = str(value)
    try:
        result = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValueError(value) from None
    if not result.is_finite():
        raise ValueError(value)
    return result


def money(amount: Decimal, code: str) -> dict[str, str]:
    """FreshBooks money: ``{"amount": "104.50", "code": "CAD"}``."""
    # Quantized with room for any total of in-range amounts (the default 28 digits of
    # precision would make quantize() raise for a total of 10**26 or more).
    cents = amount.quantize(_CENT, rounding=ROUND_HALF_UP, context=_WIDE)
    return {"amount": str(cents), "code": code}


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
        nested: For list fields whose items are objects (invoice ``lines``, journal entry
            ``details``): the item's name and its own ``Schema``.
        checks: ``fields`` parsed by the validation (name -> its check, whether it may
            be null, its tag), on first use.
    """

    __slots__ = ("checks", "fields", "ignored", "nested", "required", "strict")

    def __init__(
        self,
        fields: dict[str, str],
        *,
        ignored: frozenset[str] = frozenset(),
        required: tuple[str, ...] = (),
        strict: bool = True,
        nested: dict[str, tuple[str, Schema]] | None = None,
    ) -> None:
        self.fields = fields
        self.ignored = ignored
        self.required = required
        self.checks: dict[str, tuple[Callable[[Any], Any], bool, str]] | None = None
        self.strict = strict
        self.nested = nested or {}


def _tags(spec: str) -> dict[str, str]:
    """``"name:str notes:str? qty:number"`` -> ``{"name": "str", ...}`` (table shorthand)."""
    out: dict[str, str] = {}
    for token in spec.split():
        name, _, tag = token.partition(":")
        out[name] = tag
    return out


def _names(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


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

# Everything the sandbox itself renders on an invoice-like object is accepted back and
# ignored (a GET -> edit -> PUT round trip must work), as for invoices.
_INVOICE_RENDERED = frozenset(_INVOICE_DEFAULTS) | {
    "v3_status",
    "display_status",
    "payment_status",
    "amount",
    "paid",
    "net_paid_amount",
    "outstanding",
    "discount_total",
    "accountid",
    "accounting_systemid",
    "current_organization",
    "date_paid",
    "due_date",
    "fulfillment_date",
    "created_at",
    "updated",
    "uuid",
    "version",
    "id",
}
_LINE = ("line", Schema(_LINE_FIELDS))

_ESTIMATE_WRITABLE = _tags(
    "customerid:int create_date:date estimate_number:str ownerid:int? status:int "
    "discount_value:number description:str? currency_code:str language:str template:str "
    "notes:str? terms:str? po_number:str? address:str? street:str? street2:str? city:str? "
    "province:str? code:str? country:str? organization:str? fname:str? lname:str? "
    "vat_name:str? vat_number:str? require_client_signature:bool lines:list "
    "presentation:dict? vis_state:int ext_archive:int"
)
_ESTIMATE_IGNORED = (
    _INVOICE_RENDERED
    | _names(
        "estimateid invoiced accepted ui_status reply_status attachments action_accept "
        "action_email action_mark_as_sent email_recipients email_include_pdf"
    )
) - set(_ESTIMATE_WRITABLE)

_CONTACT_FIELDS = _tags("email:str? fname:str? lname:str? phone1:str? phone2:str?")
_CONTACT_IGNORED = _names("id contactid userid username faxnumber updated")
# A client's ``contacts`` items may name an existing contact to keep and update it.
_CLIENT_CONTACT = (
    "contact",
    Schema({**_CONTACT_FIELDS, "contactid": "int?"}, ignored=_CONTACT_IGNORED),
)

_BILL_LINE = (
    "line",
    Schema(
        _tags(
            "categoryid:int description:str? quantity:number unit_cost:money list_index:int "
            "tax_name1:str? tax_name2:str? tax_percent1:number? tax_percent2:number?"
        ),
        ignored=_names(
            "id amount total_amount category tax_authorityid1 tax_authorityid2 tax_amount1 "
            "tax_amount2"
        ),
        required=("categoryid", "unit_cost"),
    ),
)
_JOURNAL_DETAIL = (
    "detail",
    Schema(
        _tags("sub_accountid:int debit:money credit:money description:str?"),
        ignored=_names(
            "id detailid detail_type accounting_systemid name balance user_entered_date "
            "account sub_account entry"
        ),
        required=("sub_accountid",),
    ),
)
_INCOME_TAX = ("tax", Schema(_tags("name:str amount:number percent:number")))

SCHEMAS: dict[str, Schema] = {
    "invoices": Schema(
        _INVOICE_WRITABLE,
        ignored=_INVOICE_IGNORED,
        required=("customerid", "create_date"),
        nested={"lines": _LINE},
    ),
    "estimates": Schema(
        _ESTIMATE_WRITABLE,
        ignored=frozenset(_ESTIMATE_IGNORED),
        required=("customerid", "create_date"),
        nested={"lines": _LINE},
    ),
    "credit_notes": Schema(
        _tags(
            "clientid:int create_date:date credit_number:str credit_type:str currency_code:str "
            "description:str? language:str notes:str? terms:str? template:str "
            "organization:str? fname:str? lname:str? street:str? street2:str? city:str? "
            "province:str? code:str? country:str? vat_name:str? vat_number:str? lines:list "
            "vis_state:int"
        ),
        ignored=_names(
            "id creditid accounting_systemid sentid amount paid updated current_organization "
            "display_status dispute_status payment_status payment_type last_order_status "
            "status ext_archive"
        ),
        required=("clientid",),
        nested={"lines": _LINE},
    ),
    "clients": Schema(
        _CLIENT_FIELDS,
        ignored=frozenset(
            {
                "id",
                "userid",
                "uuid",
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
                "statement_token",
                "grand_total_balance",
                "outstanding_balance",
                "overdue_balance",
                "draft_balance",
                "credit_balance",
                "statement",
                "subdomain",
            }
        ),
        nested={"contacts": _CLIENT_CONTACT},
    ),
    "contacts": Schema(_CONTACT_FIELDS, ignored=_CONTACT_IGNORED),
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
    "billable_items": Schema(
        _tags(
            "name:str description:str? sku:str? qty:number unit_cost:money tax1:int? tax2:int? "
            "inventory:number? vis_state:int"
        ),
        ignored=_names("id itemid accounting_systemid updated"),
        required=("name",),
    ),
    "taxes": Schema(
        {"name": "str", "amount": "number", "number": "str?", "compound": "bool"},
        ignored=frozenset({"id", "taxid", "accountid", "accounting_systemid", "updated"}),
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
        ignored=frozenset(
            {"id", "logid", "accounting_systemid", "updated", "bulk_paymentid", "overpaymentid"}
        ),
        required=("invoiceid", "amount", "date", "type"),
    ),
    "expenses": Schema(
        _tags(
            "amount:money categoryid:int date:date staffid:int vendor:str? notes:str? "
            "clientid:int? projectid:int? taxName1:str? taxName2:str? taxPercent1:number? "
            "taxPercent2:number? taxAmount1:money? taxAmount2:money? compounded_tax:bool "
            "vis_state:int status:int? markup_percent:number? invoiceid:int? attachment:dict? "
            "is_cogs:bool account_name:str? bank_name:str?"
        ),
        ignored=_names(
            "id expenseid accounting_systemid accountid updated profileid transactionid "
            "ext_systemid ext_invoiceid ext_accountid has_receipt isduplicate include_receipt "
            "potential_bill_payment category expense_profile project account"
        ),
        required=("amount", "categoryid", "date", "staffid"),
    ),
    "expense_profiles": Schema(
        _tags(
            "categoryid:int staffid:int amount:money vendor:str? notes:str? frequency:str "
            "numberRecurring:int start_date:date vis_state:int"
        ),
        ignored=_names("id profileid accounting_systemid updated"),
    ),
    "expense_categories": Schema(
        _tags("category:str parentid:int? is_cogs:bool vis_state:int"),
        ignored=_names(
            "id categoryid is_editable transaction_posted created_at updated_at updated "
            "accounting_systemid"
        ),
        required=("category",),
    ),
    "other_income": Schema(
        _tags(
            "amount:money category_name:str date:date note:str? payment_type:str source:str? "
            "taxes:list vis_state:int"
        ),
        ignored=_names("id incomeid created_at updated_at updated accounting_systemid"),
        required=("amount", "date"),
        nested={"taxes": _INCOME_TAX},
    ),
    "bills": Schema(
        _tags(
            "vendorid:int issue_date:date due_offset_days:int bill_number:str? "
            "currency_code:str language:str lines:list attachment:dict? vis_state:int"
        ),
        ignored=_names(
            "id billid status due_date amount outstanding paid tax_amount total_amount "
            "overall_category overall_description bill_payments vendor created_at updated_at "
            "updated accounting_systemid"
        ),
        required=("vendorid", "issue_date"),
        nested={"lines": _BILL_LINE},
    ),
    "bill_payments": Schema(
        _tags("billid:int amount:money paid_date:date payment_type:str note:str? vis_state:int"),
        ignored=_names("id matched_with_expense updated accounting_systemid"),
        required=("billid", "amount", "paid_date"),
    ),
    "bill_vendors": Schema(
        _tags(
            "vendor_name:str account_number:str? currency_code:str language:str is_1099:bool "
            "note:str? phone:str? website:str? primary_contact_email:str? "
            "primary_contact_first_name:str? primary_contact_last_name:str? street:str? "
            "street2:str? city:str? province:str? postal_code:str? country:str? "
            "tax_defaults:list vis_state:int"
        ),
        ignored=_names(
            "id vendorid outstanding_balance overdue_balance created_at updated_at updated "
            "accounting_systemid"
        ),
        required=("vendor_name",),
    ),
    "tasks": Schema(
        _tags(
            "name:str description:str? billable:bool rate:money tax1:int? tax2:int? vis_state:int"
        ),
        ignored=_names("id taskid tname tdesc updated accounting_systemid"),
        required=("name",),
    ),
    "staff": Schema(
        _tags(
            "email:str fname:str? lname:str? organization:str? bus_phone:str? mob_phone:str? "
            "note:str? rate:money vis_state:int"
        ),
        ignored=_names(
            "id staffid userid username home_phone fax language currency_code level "
            "num_logins last_login signup_date updated p_street p_street2 p_city p_province "
            "p_code p_country accounting_systemid"
        ),
    ),
    "invoice_profiles": Schema(
        _tags(
            "customerid:int create_date:date frequency:str numberRecurring:int disable:bool "
            "auto_bill:bool send_email:bool send_gmail:bool currency_code:str language:str "
            "due_offset_days:int discount_value:number notes:str? terms:str? po_number:str? "
            "include_unbilled_time:bool lines:list vis_state:int"
        ),
        ignored=_names(
            "id profileid accounting_systemid ownerid occurrences_to_date amount "
            "discount_total fname lname organization address street street2 city province "
            "code country vat_name vat_number updated late_fee late_reminders"
        ),
        required=("customerid", "create_date", "frequency"),
        nested={"lines": _LINE},
    ),
    "journal_entries": Schema(
        _tags("name:str description:str? currency_code:str user_entered_date:date details:list"),
        ignored=_names("id entryid created_at accounting_systemid"),
        required=("name", "details"),
        nested={"details": _JOURNAL_DETAIL},
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
            "service_ids": "list",
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
    "service_rates": Schema(
        _tags("rate:number currency_code:str"),
        ignored=_names("service_id business_id project_id vis_state"),
        required=("rate",),
    ),
    "retainers": Schema(
        _tags(
            "client_id:int name:str? frequency:str amount:number currency_code:str "
            "hours:number? start_date:str active:bool"
        ),
        ignored=_names("id business_id periods created_at updated_at"),
        required=("client_id",),
    ),
    "team_member_rates": Schema(
        _tags("rate:number cost:number currency_code:str"),
        ignored=_names("identity_id business_id"),
    ),
    "project_threads": Schema(
        _tags("subject:str body:str"),
        ignored=_names("id project_id business_id identity_id comments created_at updated_at"),
        required=("body",),
    ),
    "thread_comments": Schema(
        _tags("body:str"),
        ignored=_names("id thread_id identity_id created_at updated_at"),
        required=("body",),
    ),
    "checkout_links": Schema(
        _tags("title:str description:str? price:number currency_code:str active:bool"),
        ignored=_names("id url amount payment_options"),
    ),
    "payment_options": Schema(
        _tags(
            "gateway_name:str entity_id:any entity_type:str has_credit_card:bool "
            "has_ach_transfer:bool has_bacs_debit:bool has_sepa_debit:bool has_acss_debit:bool "
            "has_paypal_smart_checkout:bool allow_partial_payments:bool"
        ),
        required=("gateway_name",),
    ),
    "ledger_accounts": Schema(
        _tags(
            "name:str number:str? description:str? sub_type:str parent_account:str? "
            "sub_accounts:list currency_code:str"
        ),
        ignored=_names("uuid type system_account_name auto_created state updated_at created_at"),
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
    defaults = _TEMPLATES.get(resource)
    if defaults is not None:
        return copy.deepcopy(defaults)
    return {"vis_state": 0}


#: The fields FreshBooks always returns on these objects (the real bodies of the
#: project's peer payloads), with what it returns when nothing was given for them.
_TEMPLATES: dict[str, dict[str, Any]] = {
    "bill_vendors": {
        "account_number": "",
        "currency_code": "USD",
        "language": "en",
        "is_1099": False,
        "phone": "",
        "website": "",
        "primary_contact_email": "",
        "primary_contact_first_name": "",
        "primary_contact_last_name": "",
        "street": "",
        "street2": None,
        "city": "",
        "province": "",
        "postal_code": None,
        "country": "",
        "tax_defaults": [],
        "vis_state": 0,
    },
    "bill_payments": {"note": None, "vis_state": 0},
    "credit_notes": {"credit_type": "prepayment", "notes": "", "vis_state": 0},
    "expense_categories": {
        "parentid": None,
        "is_cogs": False,
        "is_editable": True,
        "transaction_posted": False,
        "vis_state": 0,
    },
    "expenses": {
        "accountid": None,
        "account_name": "",
        "bank_name": "",
        "ext_invoiceid": 0,
        "ext_systemid": 0,
        "has_receipt": False,
        "notes": "",
        "status": 0,
        "vendor": None,
        "vis_state": 0,
    },
    "items": {
        "description": "",
        "sku": None,
        "qty": "0",
        "inventory": None,
        "unit_cost": {"amount": "0.00", "code": "USD"},
        "tax1": 0,
        "tax2": 0,
        "vis_state": 0,
    },
    "other_income": {
        "category_name": "other_income",
        "note": None,
        "payment_type": None,
        "source": "",
        "taxes": [],
        "vis_state": 0,
    },
    "payments": {"note": "", "from_credit": False, "vis_state": 0},
    "tasks": {
        "description": "",
        "billable": True,
        "rate": {"amount": "0.00", "code": "USD"},
        "vis_state": 0,
    },
    "taxes": {"amount": "0", "number": "", "compound": False, "vis_state": 0},
}


def _line_amount(line: dict[str, Any]) -> Decimal:
    return dec(line.get("qty", 1)) * dec(line.get("unit_cost", 0))


def expand_invoice(
    data: dict[str, Any],
    lines: list[dict[str, Any]],
    account_id: str,
    today: str | None = None,
) -> dict[str, Any]:
    """The full invoice as FreshBooks returns it, computed from stored fields and lines.

    amount = (sum of lines - discount%) + line taxes on the discounted amounts (docs
    example: 100.00 with 5% discount and 10% tax -> 104.50); paid = the payments against
    it (``_paid``, kept by ``sync_paid``); outstanding = amount - paid; paid and partial
    statuses come from paid alone;
    due_date = create_date + due_offset_days; v3/display/payment status from status. With
    ``today`` (``YYYY-MM-DD``, US/Eastern), a sent, viewed or partly paid invoice whose
    due date is before it has v3_status ``overdue`` (invoices page, v3 statuses).
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
    elif status in (4, 8):  # paid or partial by its payments only: it has none (left)
        status = 2
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
    except (ValueError, OverflowError):  # not a date, or the due date is past year 9999
        full["due_date"] = create_date
    if today is not None and status in (2, 3, 8) and str(full["due_date"]) < today:
        full["v3_status"] = "overdue"
    if status >= 2 and not full.get("fulfillment_date"):
        full["fulfillment_date"] = create_date
    for key in data:  # private bookkeeping (``_paid``): only stored fields have any
        if key[:1] == "_":
            full.pop(key, None)
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
            "compounded_tax": False,
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
