"""Request handlers: generic, table-driven CRUD per family plus the special cases.

Generic handlers are chosen from the catalogue route (family, resource, operation); the
special ones (invoice numbering and actions, estimates, callbacks, OAuth, identity,
uploads, reports, payment options, retainers) are registered in ``_SPECIAL``.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import secrets
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import yarl

from .._catalogue import Family, ResourceSpec, spec
from ._core import Business, Ctx, Handler, Reply, Route, Sandbox
from ._errors import SandboxAPIError
from ._objects import (
    SCHEMAS,
    Schema,
    _line_amount,
    accounting_time,
    dec,
    expand_invoice,
    iso_time,
    money,
    next_invoice_number,
    render_lines,
    template,
)
from ._store import Record, Table, dumps, on_undo

__all__ = ["counts_as_paid", "emit", "render", "resolve", "sync_paid"]

# The resource-specific id attribute accounting objects carry beside "id".
_EXTRA_ID = {
    "invoices": "invoiceid",
    "clients": "userid",
    "estimates": "estimateid",
    "expenses": "expenseid",
    "items": "itemid",
    "payments": "logid",
    "taxes": "taxid",
    "credit_notes": "creditid",
    "tasks": "taskid",
    "other_income": "incomeid",
    "expense_categories": "categoryid",
    "bill_vendors": "vendorid",
    "invoice_profiles": "profileid",
    "staff": "staffid",
    "contacts": "contactid",
}
# Webhook nouns per resource (events are "<noun>.<verb>").
_NOUN = {
    "invoices": "invoice",
    "estimates": "estimate",
    "clients": "client",
    "payments": "payment",
    "expenses": "expense",
    "items": "item",
    "taxes": "tax",
    "bills": "bill",
    "bill_vendors": "bill_vendor",
    "bill_payments": "bill_payment",
    "credit_notes": "credit_note",
    "expense_categories": "category",
    "other_income": "other_income",
    "invoice_profiles": "recurring",
    "projects": "project",
    "time_entries": "time_entry",
    "services": "service",
}
EVENTS = frozenset(
    {f"{n}.{v}" for n in set(_NOUN.values()) for v in ("create", "update", "delete")}
    | set(_NOUN.values())
    | {"invoice.sendByEmail", "estimate.sendByEmail", "callback.verify"}
)

_NUMERIC_ERRNO = {"int": 1015, "number": 1015, "money": 1015, "date": 1033, "bool": 1031}


# ----------------------------------------------------------------------------- helpers


def _digits(text: str) -> bool:
    """``text`` is a plain decimal integer (ASCII digits only: ``"²".isdigit()`` is true
    too) short enough to be an id; anything else names no object."""
    return text.isascii() and text.isdigit() and len(text) <= 19


def _spec(route: Route) -> ResourceSpec:
    return spec(route.resource, route.family)


def _now_acc(sb: Sandbox) -> str:
    return accounting_time(sb.clock.time())


def _account(ctx: Ctx) -> Business:
    aid = ctx.params.get("account_id", "")
    biz = ctx.sb.accounts.get(aid)
    if biz is None:
        raise SandboxAPIError(
            404,
            f"Account {aid} not found.",
            errno=1012,
            field="accountid",
            value=aid,
            object="account",
        )
    return biz


def _business(ctx: Ctx) -> Business:
    raw = ctx.params.get("business_id", "")
    biz = ctx.sb.businesses.get(int(raw)) if _digits(raw) else None
    if biz is None:
        raise SandboxAPIError(404, "Requested resource could not be found.", errno=404)
    return biz


def _item_key(ctx: Ctx) -> str:
    for name in (
        "id",
        "contact_id",
        "account_uuid",
        "identity_id",
        "team_member_uuid",
        "client_id",
        "jwt",
    ):
        if name in ctx.params:
            return ctx.params[name]
    raise SandboxAPIError(404, "Not found.", errno=1012)  # pragma: no cover


def _not_found(ctx: Ctx, singular: str, value: str) -> SandboxAPIError:
    return SandboxAPIError(
        404,
        f"{singular.replace('_', ' ').capitalize()} not found.",
        errno=1012,
        field=_EXTRA_ID.get(ctx.route.resource, "id"),
        value=value,
        object=singular,
    )


def _lookup(ctx: Ctx, table: Table, singular: str) -> Record:
    key = _item_key(ctx)
    rec = table.get(int(key)) if _digits(key) else table.get(key)
    if rec is None or rec.deleted:
        raise _not_found(ctx, singular, key)
    return rec


def _unwrap(ctx: Ctx, singular: str) -> dict[str, Any]:
    body = ctx.json_body()
    if not isinstance(body, dict) or singular not in body:
        raise SandboxAPIError(
            400 if not ctx.family.is_project_like else 422,
            f"Missing required field '{singular}'.",
            errno=1001,
            field=singular,
            object=singular,
            details=[(singular, "field required")] if ctx.family.is_project_like else None,
        )
    obj = body[singular]
    if not isinstance(obj, dict):
        raise SandboxAPIError(
            400 if not ctx.family.is_project_like else 422,
            f"'{singular}' must be an object.",
            errno=1004,
            field=singular,
            object=singular,
            details=[(singular, "must be an object")] if ctx.family.is_project_like else None,
        )
    return obj


# Integer fields are 32-bit signed; amounts, quantities and rates stay below 10**15.
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
_NUMBER_LIMIT = Decimal(10) ** 15


def _bounded(value: Any) -> Decimal:
    number = dec(value)
    if abs(number) >= _NUMBER_LIMIT:
        raise ValueError("must be less than 10**15 in magnitude")
    return number


def _check_type(tag: str, value: Any) -> Any:
    """Validate one value against a type tag; returns the normalised value."""
    nullable = tag.endswith("?")
    tag = tag.rstrip("?")
    if value is None:
        if nullable or tag == "any":
            return None
        raise ValueError("may not be null")
    if tag == "any":
        return value
    if tag == "int":
        if isinstance(value, bool):
            raise ValueError("must be an integer")
        if isinstance(value, str) and _digits(value.strip().removeprefix("-")):
            value = int(value)
        if not isinstance(value, int):
            raise ValueError("must be an integer")
        if not _INT_MIN <= value <= _INT_MAX:
            raise ValueError(f"must be between {_INT_MIN} and {_INT_MAX}")
        return value
    if tag == "str":
        if not isinstance(value, str):
            raise ValueError("must be a string")
        if len(value) > 10000:
            raise ValueError("is too long")
        return value
    if tag == "bool":
        if not isinstance(value, bool):
            raise ValueError("must be a boolean")
        return value
    if tag == "number":
        _bounded(value)
        return value
    if tag == "money":
        amount = value.get("amount") if isinstance(value, dict) else value
        _bounded(amount)
        return value
    if tag == "date":
        if not isinstance(value, str):
            raise ValueError("must be a YYYY-MM-DD date")
        dt.date.fromisoformat(value[:10])
        return value
    if tag == "list":
        if not isinstance(value, list):
            raise ValueError("must be a list")
        return value
    if tag == "dict":
        if not isinstance(value, dict):
            raise ValueError("must be an object")
        return value
    return value  # pragma: no cover


def _validate(
    ctx: Ctx, resource: str, singular: str, obj: dict[str, Any], *, create: bool
) -> dict[str, Any]:
    """Check ``obj`` against the resource's field table; returns the writable fields.

    Unknown fields, wrong types and (on create) missing required fields get the family's
    validation error; read-only fields are accepted and dropped, as FreshBooks does.
    """
    schema: Schema | None = SCHEMAS.get(resource)
    if schema is None:
        return {k: v for k, v in obj.items() if k not in ("id", _EXTRA_ID.get(resource, "id"))}
    return _check_object(ctx, schema, singular, obj, create=create)


def _bad_status(ctx: Ctx) -> int:
    return 422 if ctx.family.is_project_like or ctx.family is Family.EVENTS else 400


def _check_object(
    ctx: Ctx,
    schema: Schema,
    singular: str,
    obj: dict[str, Any],
    *,
    create: bool,
    where: str = "",
) -> dict[str, Any]:
    bad_status = _bad_status(ctx)
    detailed = bad_status == 422
    clean: dict[str, Any] = {}
    for key, value in obj.items():
        tag = schema.fields.get(key)
        if tag is None:
            if key in schema.ignored:
                continue
            if not schema.strict:
                clean[key] = value
                continue
            raise SandboxAPIError(
                bad_status,
                f"Unknown field '{key}' for {singular}{where}.",
                errno=1006,
                field=key,
                object=singular,
                details=[(key, "extra fields not permitted")] if detailed else None,
            )
        try:
            clean[key] = _check_type(tag, value)
        except ValueError as exc:
            reason = (
                str(exc)
                if str(exc) and not str(exc).startswith(("Invalid", "could"))
                else f"must be a valid {tag.rstrip('?')}"
            )
            raise SandboxAPIError(
                bad_status,
                f"Invalid value for field '{key}'{where}: {reason}.",
                errno=_NUMERIC_ERRNO.get(tag.rstrip("?"), 1004),
                field=key,
                value=value,
                object=singular,
                details=[(key, f"Invalid value: {reason}")] if detailed else None,
            ) from None
    if create:
        for key in schema.required:
            if clean.get(key) in (None, ""):
                raise SandboxAPIError(
                    bad_status,
                    f"Missing required field '{key}'{where}.",
                    errno=1001,
                    field=key,
                    object=singular,
                    details=[(key, "field required")] if detailed else None,
                )
    for key, (item_name, item_schema) in schema.nested.items():
        items = clean.get(key)
        if not items:
            continue
        checked = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise SandboxAPIError(
                    bad_status,
                    f"{item_name.capitalize()} {i} of '{key}' must be an object.",
                    errno=1004,
                    field=key,
                    object=singular,
                    details=[(key, f"item {i} must be an object")] if detailed else None,
                )
            checked.append(
                _check_object(
                    ctx, item_schema, item_name, item, create=True, where=f" on {item_name} {i}"
                )
            )
        clean[key] = checked
    return clean


# Fields naming another object of the account: (field, table, object name, scope, optional).
# A missing target is FreshBooks' UnknownResource, errno 1012; we answer HTTP 404 as for a
# missing object in the URL (the only 1012 response in the sources is a 404).
_REFS: dict[str, tuple[tuple[str, str, str, str, bool], ...]] = {
    "invoices": (("customerid", "clients", "client", "account", False),),
    "estimates": (("customerid", "clients", "client", "account", False),),
    "invoice_profiles": (("customerid", "clients", "client", "account", False),),
    "credit_notes": (("clientid", "clients", "client", "account", False),),
    "payments": (
        ("invoiceid", "invoices", "invoice", "account", False),
        ("clientid", "clients", "client", "account", True),
    ),
    "expenses": (
        ("categoryid", "expense_categories", "category", "account", False),
        ("staffid", "staff", "staff", "account", False),
        ("clientid", "clients", "client", "account", True),
        ("invoiceid", "invoices", "invoice", "account", True),
        ("projectid", "projects", "project", "business", True),
    ),
    "expense_profiles": (
        ("categoryid", "expense_categories", "category", "account", True),
        ("staffid", "staff", "staff", "account", True),
    ),
    "bills": (("vendorid", "bill_vendors", "bill_vendor", "account", False),),
    "bill_payments": (("billid", "bills", "bill", "account", False),),
}


def _check_refs(ctx: Ctx, biz: Business, resource: str, clean: dict[str, Any]) -> None:
    """404/1012 when ``clean`` names a client, invoice, ... the account does not have."""
    for field, target, singular, scope, optional in _REFS.get(resource, ()):
        if field not in clean:
            continue
        value = clean[field]
        if value is None or (optional and value == 0):
            continue
        table = ctx.sb.table(biz.account_id if scope == "account" else biz.id, target)
        found = table.peek(value) if isinstance(value, int) else None
        if found is None or found.deleted:
            raise SandboxAPIError(
                404,
                f"{singular.replace('_', ' ').capitalize()} not found.",
                errno=1012,
                field=field,
                value=value,
                object=singular,
            )
    if resource == "journal_entries":
        known = {
            sub.get("sub_accountid")
            for account in ctx.sb.table(biz.account_id, "journal_entry_accounts")
            for sub in account.data.get("sub_accounts", [])
        }
        for detail in clean.get("details", []):
            sub_id = detail.get("sub_accountid")
            if sub_id not in known:
                raise SandboxAPIError(
                    404,
                    "Sub account not found.",
                    errno=1012,
                    field="sub_accountid",
                    value=sub_id,
                    object="sub_account",
                )


def _int_param(value: str | None, default: int) -> int | None:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        return None


def _paginate(
    ctx: Ctx, items: list[Any], default_per_page: int
) -> tuple[list[Any], int, int, int, int]:
    project_like = ctx.family.is_project_like
    page = _int_param(ctx.query.get("page"), 1)
    per_page = _int_param(ctx.query.get("per_page"), default_per_page)
    if page is None or page < 0:
        if project_like:
            raise SandboxAPIError(
                422,
                "page must be a number",
                errno=2001,
                details=[("page", "Input should be a valid integer")],
            )
        raise SandboxAPIError(
            400,
            "The 'page' argument must be a positive integer.",
            errno=1014,
            field="page",
            value=ctx.query.get("page"),
        )
    if per_page is None or per_page < 1:
        if project_like:
            raise SandboxAPIError(
                422,
                "per_page must be a number",
                errno=2001,
                details=[("per_page", "Input should be a valid integer")],
            )
        raise SandboxAPIError(
            400,
            "The 'per_page' argument must be a positive integer.",
            errno=1013,
            field="per_page",
            value=ctx.query.get("per_page"),
        )
    page = max(page, 1)  # page 0 means 1 (DOCS:parameters)
    per_page = min(per_page, 100)  # silently capped at 100 (DOCS:parameters)
    total = len(items)
    pages = max(1, -(-total // per_page)) if total else 0
    start = (page - 1) * per_page
    return items[start : start + per_page], page, pages, per_page, total


# ----------------------------------------------------------------------------- rendering


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


# ----------------------------------------------------------------------------- filters


def _field(full: dict[str, Any], name: str) -> Any:
    value = full.get(name)
    if isinstance(value, dict) and "amount" in value:
        return value["amount"]
    return value


_SPECIAL_FIELDS = {
    "statusid": "status",
    "currency": "currency_code",
    "date": "create_date",
    "total": "amount",
    "updated": "updated",
    "parentid": "parent",
}

# Other names of a resource's own id in its list filters (besides "<_EXTRA_ID>s").
_OWN_ID_FILTERS = {
    "clients": ("clientid",),
    "payments": ("paymentid",),
    "bills": ("billid",),
}


def _list_filter_field(resource: str, name: str, values: list[str]) -> str:
    """The field a list filter ``search[<name>][]`` matches.

    FreshBooks' list ("In") filters are named after a field with ``ids``
    (``customerids``, ``statusids``); the resource's own id (``invoiceids`` on invoices,
    ``userids`` on clients) is ``id``. Any other name is a FilterErrorList (1034).
    """
    if not name.endswith("ids") or len(name) < 4:
        raise SandboxAPIError(
            400,
            f"Invalid filter '{name}': a list filter is a field name with 'ids' "
            "(e.g. customerids).",
            errno=1034,
            field=name,
            value=values,
        )
    base = name[:-1]
    if base == "statusid":
        return "status"
    if base == _EXTRA_ID.get(resource) or base in _OWN_ID_FILTERS.get(resource, ()):
        return "id"
    return base


def _accounting_filter(ctx: Ctx, resource: str) -> Callable[[dict[str, Any]], bool] | None:
    checks: list[Callable[[dict[str, Any]], bool]] = []
    vis_given = False
    for key, value in ctx.query.items():
        if not key.startswith("search[") or (not key.endswith("]") and not key.endswith("][]")):
            continue
        name = key[7:].split("]", 1)[0]
        if key.endswith("[]"):
            given = ctx.query.getall(key)
            base = _list_filter_field(resource, name, given)
            checks.append(lambda f, b=base, vs=set(given): str(_field(f, b)) in vs)  # type: ignore[misc]
            continue
        if name == "vis_state":
            vis_given = True
            if value not in ("0", "1", "2"):
                raise SandboxAPIError(
                    400, "Invalid vis_state filter.", errno=1034, field="vis_state", value=value
                )
            checks.append(lambda f, v=int(value): f.get("vis_state", 0) == v)  # type: ignore[misc]
        elif name.endswith("_like"):
            base = name[:-5]
            needle = value.lower()
            checks.append(lambda f, b=base, n=needle: n in str(f.get(b) or "").lower())  # type: ignore[misc]
        elif name in ("paid", "outstanding"):
            want = value.lower() in ("true", "1")
            if name == "paid":
                checks.append(lambda f, w=want: (f.get("status") == 4) == w)  # type: ignore[misc]
            else:
                checks.append(lambda f, w=want: (Decimal(_field(f, "outstanding") or 0) > 0) == w)  # type: ignore[misc]
        elif name.endswith(("_min", "_max")):
            base = _SPECIAL_FIELDS.get(name[:-4], name[:-4])
            is_min = name.endswith("_min")
            if base in ("create_date", "updated", "date", "issue_date") or name.startswith(
                ("date", "updated")
            ):
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    raise SandboxAPIError(
                        400, f"Invalid date filter '{name}'.", errno=1023, field=name, value=value
                    ) from None
                if is_min:
                    checks.append(lambda f, b=base, v=value: str(f.get(b) or "")[:10] >= v)  # type: ignore[misc]
                else:
                    checks.append(lambda f, b=base, v=value: str(f.get(b) or "")[:10] < v)  # type: ignore[misc]
            else:
                try:
                    bound = dec(value)
                except ValueError:
                    raise SandboxAPIError(
                        400, f"Invalid number filter '{name}'.", errno=1024, field=name, value=value
                    ) from None
                if name == "outstanding_min":
                    base = "outstanding"
                if is_min:
                    checks.append(lambda f, b=base, v=bound: _ge(_field(f, b), v))  # type: ignore[misc]
                else:
                    checks.append(lambda f, b=base, v=bound: _lt(_field(f, b), v))  # type: ignore[misc]
        elif name == "event" and resource == "callbacks":
            checks.append(_event_matcher(value))
        else:
            base = _SPECIAL_FIELDS.get(name, name)
            checks.append(lambda f, b=base, v=value: str(_field(f, b)) == v or _field(f, b) == v)  # type: ignore[misc]
    if not vis_given:
        checks.insert(0, lambda f: f.get("vis_state", 0) != 1)
    if len(checks) == 1 and not vis_given:
        return None
    return lambda f: all(c(f) for c in checks)


def _event_matcher(value: str) -> Callable[[dict[str, Any]], bool]:
    # search[event] matches the event and its parent event (DOCS:webhooks).
    def check(f: dict[str, Any]) -> bool:
        return bool(f.get("event") == value or value.startswith(f"{f.get('event')}."))

    return check


def _ge(value: Any, bound: Decimal) -> bool:
    try:
        return dec(value) >= bound
    except ValueError:
        return False


def _lt(value: Any, bound: Decimal) -> bool:
    try:
        return dec(value) < bound
    except ValueError:
        return False


def _sort(ctx: Ctx, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    raw = ctx.query.get("sort")
    if not raw:
        return items
    reverse = False
    key = raw
    if key.startswith("-"):
        key, reverse = key[1:], True
    elif key.endswith("_desc"):
        key, reverse = key[:-5], True
    elif key.endswith("_asc"):
        key = key[:-4]

    def sort_key(f: dict[str, Any]) -> tuple[int, Any]:
        v = _field(f, key)
        if v is None:
            return (0, "")
        try:
            return (1, dec(v))
        except ValueError:
            return (2, str(v))

    return sorted(items, key=sort_key, reverse=reverse)


# ----------------------------------------------------------------------------- accounting


async def acc_list(ctx: Ctx) -> Reply:
    s = _spec(ctx.route)
    biz = _account(ctx)
    scope = biz.account_id
    table = ctx.sb.table(scope, s.name)
    predicate = _accounting_filter(ctx, s.name)
    has_sort = bool(ctx.query.get("sort"))
    includes = ctx.query.getall("include[]", [])
    if predicate is None and not has_sort:
        recs = table.visible(lambda r: r.data.get("vis_state", 0) != 1)
        page_recs, page, pages, per_page, total = _paginate(ctx, recs, 15)
    else:
        pairs = [(render(ctx.sb, s.name, scope, r), r) for r in reversed(table.records.values())]
        if predicate is not None:
            pairs = [p for p in pairs if predicate(p[0])]
        if has_sort:
            order = _sort(ctx, [p[0] for p in pairs])
            index = {id(f): r for f, r in pairs}
            pairs = [(f, index[id(f)]) for f in order]
        page_pairs, page, pages, per_page, total = _paginate(ctx, pairs, 15)
        page_recs = [r for _, r in page_pairs]
    if includes:
        objs = [_with_includes(ctx.sb, ctx, s.name, scope, r) for r in page_recs]
        return Reply(
            200,
            {
                "response": {
                    "result": {
                        s.plural: objs,
                        "page": page,
                        "pages": pages,
                        "per_page": per_page,
                        "total": total,
                    }
                }
            },
        )
    tail = dumps({"page": page, "pages": pages, "per_page": per_page, "total": total})
    # One join builds the body: a page is ~140 kB, and each `+` of it would copy it again.
    parts = [b'{"response":{"result":{"', s.plural.encode(), b'":[']
    for i, r in enumerate(page_recs):
        if i:
            parts.append(b",")
        parts.append(_bytes(ctx.sb, s.name, scope, r))
    parts += (b"],", tail[1:], b"}}")
    return Reply(200, b"".join(parts))


async def acc_get(ctx: Ctx) -> Reply:
    s = _spec(ctx.route)
    biz = _account(ctx)
    rec = _lookup(ctx, ctx.sb.table(biz.account_id, s.name), s.singular)
    return _acc_one(ctx, s.singular, s.name, biz.account_id, rec)


def _new_accounting(ctx: Ctx, s: ResourceSpec, biz: Business, clean: dict[str, Any]) -> Record:
    table = ctx.sb.table(biz.account_id, s.name)
    now = _now_acc(ctx.sb)
    data = template(s.name)
    lines = clean.pop("lines", None)
    data.update(clean)
    rid = table.new_id()
    data["id"] = rid
    if s.name in _EXTRA_ID:
        data[_EXTRA_ID[s.name]] = rid
    if s.name not in ("invoices", "estimates"):
        data.setdefault("accounting_systemid", biz.account_id)
    data.setdefault("updated", now)
    if s.name in _CREATED_UPDATED_AT:  # also sent by FreshBooks on these objects
        data.setdefault("created_at", now)
        data.setdefault("updated_at", now)
    if s.name == "tasks":  # the legacy names of name/description, sent beside them
        data["tname"] = data.get("name", "")
        data["tdesc"] = data.get("description", "")
    if s.name in ("invoices", "estimates"):
        data["created_at"] = now
        data["updated"] = now
        data["uuid"] = str(_uuid(ctx.sb))
        data["version"] = now + ".000000"
        _copy_client(ctx.sb, biz, data)
    return table.add(Record(rid, data, {"lines": lines or []}))


_CREATED_UPDATED_AT = frozenset({"bill_vendors", "bills", "other_income", "expense_categories"})


def _uuid(sb: Sandbox) -> str:
    import uuid

    return str(uuid.UUID(int=sb.rng.getrandbits(128), version=4))


def _copy_client(sb: Sandbox, biz: Business, data: dict[str, Any]) -> None:
    cid = data.get("customerid")
    client = sb.table(biz.account_id, "clients").peek(cid) if isinstance(cid, int) else None
    if client is None:
        return
    for key in ("fname", "lname", "organization"):
        if not data.get(key):
            data[key] = client.data.get(key, "")
    data.setdefault("currency_code", client.data.get("currency_code", "USD"))


async def acc_create(ctx: Ctx) -> Reply:
    s = _spec(ctx.route)
    biz = _account(ctx)
    obj = _unwrap(ctx, s.singular)
    clean = _validate(ctx, s.name, s.singular, obj, create=True)
    _check_refs(ctx, biz, s.name, clean)
    if s.name == "estimates":
        clean.setdefault(
            "estimate_number", _next_number(ctx.sb, biz, "estimates", "estimate_number")
        )
    if s.name == "credit_notes":
        clean.setdefault(
            "credit_number", _next_number(ctx.sb, biz, "credit_notes", "credit_number")
        )
    contacts = clean.pop("contacts", None) if s.name == "clients" else None
    rec = _new_accounting(ctx, s, biz, clean)
    if contacts is not None:
        _set_contacts(ctx.sb, biz, rec, contacts)
    if s.name == "payments":
        _apply_payment(ctx, biz, rec)
    ctx.sb.record_create(
        s.name, biz.account_id, rec.id, client_reference=ctx.headers.get("X-Client-Reference")
    )
    emit(ctx.sb, biz, s.name, "create", rec.id)
    return _acc_one(ctx, s.singular, s.name, biz.account_id, rec)


def _next_number(sb: Sandbox, biz: Business, resource: str, field: str) -> str:
    last = None
    for rec in sb.table(biz.account_id, resource).records.values():  # reads only
        last = rec.data.get(field) or last
    return next_invoice_number(last)


def _apply_payment(ctx: Ctx, biz: Business, rec: Record, was_for: Any = None) -> None:
    """After a payment was created (``was_for`` is ``None``) or changed: its amount in its
    invoice's currency, and the paid amounts of its invoice and of the invoice it was for
    before the change (``was_for``) counted again."""
    inv_id = rec.data.get("invoiceid")
    invoice = (
        ctx.sb.table(biz.account_id, "invoices").peek(inv_id) if isinstance(inv_id, int) else None
    )
    if invoice is not None:
        code = render(ctx.sb, "invoices", biz.account_id, invoice)["currency_code"]
        rec.data["amount"] = money(dec(rec.data.get("amount")), code)
        if was_for is None or "clientid" not in rec.data or inv_id != was_for:
            rec.data["clientid"] = invoice.data.get("customerid")
    elif was_for is None:  # a new payment (a changed invoiceid was checked before)
        raise SandboxAPIError(
            404, "Invoice not found.", errno=1012, field="invoiceid", value=inv_id, object="invoice"
        )
    sync_paid(ctx.sb, biz.account_id, {inv_id, was_for})


def counts_as_paid(payment: dict[str, Any]) -> bool:
    """Whether a stored payment counts toward its invoice's paid amount (and is reported
    by payments_collected): every payment but a deleted one. An archived payment still
    counts: archiving hides it from the active list, it does not undo it."""
    return bool(payment.get("vis_state", 0) != 1)


def sync_paid(sb: Sandbox, account_id: str, invoice_ids: Iterable[Any]) -> None:
    """Set the paid amount and date paid of each of ``invoice_ids`` from the payments
    recorded against it (those that :func:`counts_as_paid`): the sum of their amounts and
    the latest of their dates (none without a payment). The invoice's outstanding amount,
    status and payment status follow from them when it is rendered."""
    sums = {i: Decimal(0) for i in invoice_ids if isinstance(i, int)}
    if not sums:
        return
    dates: dict[int, str] = {}
    for pay in sb.table(account_id, "payments").records.values():  # reads only
        data = pay.data
        inv_id = data.get("invoiceid")
        if inv_id in sums and counts_as_paid(data):
            sums[inv_id] += _money_amount(data.get("amount"))[0]
            day = str(data.get("date") or "")[:10]
            if day > dates.get(inv_id, ""):
                dates[inv_id] = day
    invoices = sb.table(account_id, "invoices")
    for inv_id, paid in sums.items():
        invoice = invoices.get(inv_id)
        if invoice is None:
            continue
        if paid or inv_id in dates:
            invoice.data["_paid"] = str(paid)
            invoice.data["_date_paid"] = dates.get(inv_id)
        else:
            invoice.data.pop("_paid", None)
            invoice.data.pop("_date_paid", None)
        invoice.touch()
    invoices.changed()


async def acc_update(ctx: Ctx) -> Reply:
    s = _spec(ctx.route)
    biz = _account(ctx)
    table = ctx.sb.table(biz.account_id, s.name)
    rec = _lookup(ctx, table, s.singular)
    obj = _unwrap(ctx, s.singular)
    verb = "update"
    was_for = rec.data.get("invoiceid")  # a payment's invoice, before the change
    # One phase per PUT, by precedence: vis_state > actions > fields (DOCS:active_deleted).
    if "vis_state" in obj:
        state = obj["vis_state"]
        if state not in (0, 1, 2) or isinstance(state, bool) or (state == 2 and not s.archivable):
            raise SandboxAPIError(
                400,
                "Invalid vis_state.",
                errno=1004,
                field="vis_state",
                value=state,
                object=s.singular,
            )
        rec.data["vis_state"] = state
        verb = "delete" if state == 1 else "update"
    elif any(k.startswith("action_") for k in obj):
        _apply_action(ctx, s, rec, obj)
    else:
        if rec.data.get("vis_state") == 1:
            raise SandboxAPIError(
                400,
                f"The {s.singular} is deleted.",
                errno=1011,
                field="vis_state",
                object=s.singular,
                value=rec.id,
            )
        clean = _validate(ctx, s.name, s.singular, obj, create=False)
        _check_refs(ctx, biz, s.name, clean)
        if "lines" in clean:
            # A PUT's lines replace all lines (invoices docs page).
            rec.extras["lines"] = clean.pop("lines")
        if s.name == "clients" and "contacts" in clean:
            _set_contacts(ctx.sb, biz, rec, clean.pop("contacts"))
        rec.data.update(clean)
    if s.name == "payments":
        _apply_payment(ctx, biz, rec, was_for)
    rec.data["updated"] = _now_acc(ctx.sb)
    rec.touch()
    table.changed()
    emit(ctx.sb, biz, s.name, verb, rec.id)
    return _acc_one(ctx, s.singular, s.name, biz.account_id, rec)


def _apply_action(ctx: Ctx, s: ResourceSpec, rec: Record, obj: dict[str, Any]) -> None:
    status = int(rec.data.get("status", 1))
    if obj.get("action_email"):
        recipients = obj.get("email_recipients")
        if not isinstance(recipients, list) or not recipients:
            raise SandboxAPIError(
                400,
                "Missing required field 'email_recipients'.",
                errno=1001,
                field="email_recipients",
                object=s.singular,
            )
        rec.extras.setdefault("emails", []).append(list(recipients))
        rec.data["status"] = max(status, 2)
    elif obj.get("action_mark_as_sent"):
        rec.data["status"] = max(status, 2)
    elif obj.get("action_accept") and s.name == "estimates":
        rec.data["status"] = 5
    else:
        raise SandboxAPIError(
            400, "Unknown action.", errno=1004, field=next(iter(obj)), object=s.singular
        )


async def acc_delete(ctx: Ctx) -> Reply:
    s = _spec(ctx.route)
    biz = _account(ctx)
    table = ctx.sb.table(biz.account_id, s.name)
    rec = _lookup(ctx, table, s.singular)
    emit(ctx.sb, biz, s.name, "delete", rec.id)
    if "vis_state" in rec.data and s.name not in ("taxes", "gateways", "contacts"):
        # DELETE soft-deletes and answers with the object (invoices docs page example).
        rec.data["vis_state"] = 1
        rec.data["updated"] = _now_acc(ctx.sb)
        rec.touch()
        table.changed()
        return _acc_one(ctx, s.singular, s.name, biz.account_id, rec)
    table.remove(rec.id)
    return Reply(200, {"response": {}})


# ----------------------------------------------------------------------------- contacts

_CONTACT_TEMPLATE: dict[str, Any] = {
    "email": "",
    "fname": "",
    "lname": "",
    "phone1": "",
    "phone2": "",
    "username": "",
    "faxnumber": "",
}


def _set_contacts(sb: Sandbox, biz: Business, client: Record, items: list[dict[str, Any]]) -> None:
    """A client's ``contacts`` as sent replace its secondary contacts: items naming one of
    its contacts (``contactid``) update it, the others are created, the rest are removed
    (``contacts: []`` removes them all, PM "Remove All Secondary Contacts")."""
    table = sb.table(biz.account_id, "contacts")
    mine = {r.id: r for r in table if r.data.get("userid") == client.id}
    keep: set[int | str] = set()
    stamp = _now_acc(sb)
    for item in items:
        fields = {k: v for k, v in item.items() if k != "contactid"}
        named = item.get("contactid")
        found = mine.get(named) if isinstance(named, int) else None
        if found is None:
            cid = table.new_id()
            found = table.add(
                Record(
                    cid,
                    {**_CONTACT_TEMPLATE, "id": cid, "contactid": cid, "userid": client.id},
                )
            )
        found.data.update(fields)
        found.data["updated"] = stamp
        keep.add(found.id)
    for rid in set(mine) - keep:
        table.remove(rid)
    _sync_contacts(sb, biz, client.id)


def _sync_contacts(sb: Sandbox, biz: Business, client_id: Any) -> None:
    """Re-render a client's ``contacts`` from the contact records."""
    client = sb.table(biz.account_id, "clients").get(client_id)
    if client is None:
        return
    client.data["contacts"] = [
        dict(r.data)
        for r in sb.table(biz.account_id, "contacts")
        if r.data.get("userid") == client_id
    ]
    client.touch()
    sb.table(biz.account_id, "clients").changed()


async def contact_update(ctx: Ctx) -> Reply:
    biz = _account(ctx)
    table = ctx.sb.table(biz.account_id, "contacts")
    rec = _lookup(ctx, table, "contact")
    clean = _validate(ctx, "contacts", "contact", _unwrap(ctx, "contact"), create=False)
    rec.data.update(clean)
    rec.data["updated"] = _now_acc(ctx.sb)
    rec.touch()
    table.changed()
    _sync_contacts(ctx.sb, biz, rec.data.get("userid"))
    return _acc_one(ctx, "contact", "contacts", biz.account_id, rec)


async def contact_delete(ctx: Ctx) -> Reply:
    biz = _account(ctx)
    table = ctx.sb.table(biz.account_id, "contacts")
    rec = _lookup(ctx, table, "contact")
    table.remove(rec.id)
    _sync_contacts(ctx.sb, biz, rec.data.get("userid"))
    return Reply(200, {"response": {}})


# ----------------------------------------------------------------------------- invoices


async def invoice_create(ctx: Ctx) -> Reply:
    s = _spec(ctx.route)
    sb = ctx.sb
    biz = _account(ctx)
    obj = _unwrap(ctx, s.singular)
    clean = _validate(ctx, s.name, s.singular, obj, create=True)
    _check_refs(ctx, biz, s.name, clean)
    explicit = clean.get("invoice_number")
    if explicit:
        if explicit in biz.invoice_numbers:
            raise SandboxAPIError(
                400,
                f"Invoice number '{explicit}' already exists.",
                errno=1029,
                field="invoice_number",
                value=explicit,
                object="invoice",
            )
        number = str(explicit)
    else:
        # Chosen on arrival by incrementing the previous invoice's number (invoices page).
        number = next_invoice_number(biz.last_invoice_number)
    stats = sb.stats
    aid = biz.account_id
    stats.inflight_invoice_creates[aid] = stats.inflight_invoice_creates.get(aid, 0) + 1
    stats.max_concurrent_invoice_creates[aid] = max(
        stats.max_concurrent_invoice_creates.get(aid, 0), stats.inflight_invoice_creates[aid]
    )
    try:
        await sb.clock.sleep(sb.processing_latency)
        injected = sb._fire(("conflict",), ctx.method, ctx.path) is not None
        if injected or number in biz.invoice_numbers:
            # Concurrent creates took the same number: 409, nothing created (invoices page).
            raise SandboxAPIError(
                409,
                "Conflict: the resource is being modified by another request "
                f"(invoice number '{number}' was taken).",
                errno=409,
                field="invoice_number",
                value=number,
                object="invoice",
            )
        clean["invoice_number"] = number
        previous_number = biz.last_invoice_number
        biz.invoice_numbers.add(number)
        biz.last_invoice_number = number
        on_undo(lambda: _release_number(biz, number, previous_number))
        rec = _new_accounting(ctx, s, biz, clean)
    finally:
        stats.inflight_invoice_creates[aid] -= 1
    sb.record_create(
        "invoices",
        aid,
        rec.id,
        invoice_number=number,
        client_reference=ctx.headers.get("X-Client-Reference"),
    )
    emit(sb, biz, "invoices", "create", rec.id)
    return _acc_one(ctx, s.singular, s.name, aid, rec)


def _release_number(biz: Business, number: str, previous: str | None) -> None:
    """Undo an invoice number's claim (the create that claimed it failed)."""
    biz.invoice_numbers.discard(number)
    if biz.last_invoice_number == number:
        biz.last_invoice_number = previous


async def invoice_pdf(ctx: Ctx) -> Reply:
    biz = _account(ctx)
    rec = _lookup(ctx, ctx.sb.table(biz.account_id, "invoices"), "invoice")
    full = render(ctx.sb, "invoices", biz.account_id, rec)
    return Reply(
        200,
        make_pdf(f"Invoice {full['invoice_number']} {full['amount']['amount']}"),
        content_type="application/pdf",
    )


def make_pdf(text: str) -> bytes:
    """A small, valid one-page PDF showing ``text``."""
    safe = text.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


async def invoice_share_link(ctx: Ctx) -> Reply:
    biz = _account(ctx)
    rec = _lookup(ctx, ctx.sb.table(biz.account_id, "invoices"), "invoice")
    if int(rec.data.get("status", 1)) < 2:
        # The invoice must be sent first (API overview, "Adding a Payment Gateway").
        raise SandboxAPIError(
            400,
            "The invoice must be marked as sent before sharing.",
            errno=1004,
            field="status",
            value=rec.data.get("status"),
            object="invoice",
        )
    method = ctx.query.get("share_method", "share_link")
    link = f"{ctx.sb.base_url}/service/invoices/{biz.account_id}/{rec.id}/{rec.data.get('uuid')}"
    return Reply(
        200,
        {
            "response": {
                "result": {
                    "share_link": {"share_link": link, "share_method": method, "invoiceid": rec.id}
                }
            }
        },
    )


async def invoice_presentations(ctx: Ctx) -> Reply:
    _account(ctx)
    return Reply(
        200,
        {
            "response": {
                "result": {
                    "presentations": [
                        {
                            "id": "last",
                            "theme_font_name": "modern",
                            "theme_primary_color": "#4F697A",
                            "theme_layout": "simple",
                            "date_format": "mm/dd/yyyy",
                            "image_banner_position_y": 0,
                            "image_logo_src": None,
                            "image_banner_src": None,
                        }
                    ]
                }
            }
        },
    )


async def acc_list_extra(ctx: Ctx) -> Reply:
    """Expense summaries/vendors, journal entry details/accounts, accounting gateways."""
    biz = _account(ctx)
    op = ctx.route.op
    sb = ctx.sb
    if op == "other:summaries":
        spent = sum(
            (
                dec(r.data.get("amount", 0))
                for r in sb.table(biz.account_id, "expenses")
                if r.data.get("vis_state", 0) != 1
            ),
            Decimal(0),
        )
        return Reply(
            200,
            {
                "response": {
                    "result": {
                        "expense_summaries": [
                            {
                                "amount": money(spent, "USD"),
                                "count": len(sb.table(biz.account_id, "expenses")),
                            }
                        ]
                    }
                }
            },
        )
    if op == "other:vendors":
        names = sorted(
            {
                str(r.data.get("vendor"))
                for r in sb.table(biz.account_id, "expenses")
                if r.data.get("vendor")
            }
        )
        vendors = [{"vendor": n} for n in names]
        page_items, p, pages, per_page, total = _paginate(ctx, vendors, 15)
        return Reply(
            200,
            {
                "response": {
                    "result": {
                        "vendors": page_items,
                        "page": p,
                        "pages": pages,
                        "per_page": per_page,
                        "total": total,
                    }
                }
            },
        )
    return await acc_list(ctx)


async def systems_get(ctx: Ctx) -> Reply:
    biz = _account(ctx)
    return Reply(
        200,
        {
            "response": {
                "result": {
                    "system": {
                        "id": biz.id,
                        "systemid": biz.id,
                        "accountid": biz.account_id,
                        "name": biz.name,
                        "currency_code": "USD",
                        "country": "United States",
                        "date_format": "mm/dd/yyyy",
                        "timezone": "US/Eastern",
                    }
                }
            }
        },
    )


# ----------------------------------------------------------------------------- reports

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


def _gateway_connection(sb: Sandbox, biz: Business) -> dict[str, Any]:
    names = {
        str(g.data.get("gateway_name"))
        for g in sb.table(biz.account_id, "gateways")
        if g.data.get("enabled")
    }
    stamp = iso_time(sb.clock.time())
    stripe: dict[str, Any] | None = None
    if names & {"stripe", "fbpay"}:
        stripe = {
            "id": f"{biz.id:032d}",
            "stripe_account_id": f"acct_sandbox{biz.id}",
            "country": "US",
            "publishable_key": f"pk_test_sandbox_{biz.account_id}",
            "available_onboarding_strategies": ["hosted"],
            "stripe_requirements_current_deadline": None,
            "stripe_charges_enabled": True,
            "stripe_payouts_enabled": True,
            "stripe_payouts_schedule_interval": "daily",
            "stripe_payouts_schedule_delay_days": 2,
            "stripe_email": "owner@sandbox.example",
            "has_currently_due_requirements": False,
            "has_pending_verifications": False,
            "charges_first_enabled_at": stamp,
            "payouts_first_enabled_at": stamp,
            "stripe_tos_accepted_date": stamp,
            "account_status": "fully_enabled",
            "stripe_account_updated_at": stamp,
            "onboarding_completion_percent": 100,
            "configuration": {},
            "capabilities": [
                {"capability": "card_payments", "is_active": True},
                {"capability": "transfers", "is_active": True},
            ],
        }
    paypal = {"enabled": True} if "paypal" in names else None
    return {"stripe": None, "stripe_unified": stripe, "paypal": paypal}


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


def _money_amount(value: Any) -> tuple[Decimal, str | None]:
    """A stored money value's amount and currency code (``None`` when it has none)."""
    if isinstance(value, dict):
        code = value.get("code")
        return dec(value.get("amount", 0)), code if isinstance(code, str) else None
    return dec(value if value is not None else 0), None


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


# ----------------------------------------------------------------------------- ledger

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


# ----------------------------------------------------------------------------- callbacks


def _sign(verifier: str, fields: dict[str, str]) -> str:
    # base64(HMAC-SHA256(key=verifier, msg=json.dumps(fields))) (docs/protocol.rst,
    # "Webhooks").
    digest = hmac.new(verifier.encode(), json.dumps(fields).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _send(sb: Sandbox, uri: str, verifier: str, fields: dict[str, str]) -> None:
    body = urlencode(fields).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-FreshBooks-Hmac-SHA256": _sign(verifier, fields),
    }
    sb.spawn(sb.deliver(uri, headers, body))


def emit(sb: Sandbox, biz: Business, resource: str, verb: str, object_id: int | str) -> None:
    """Deliver ``<noun>.<verb>`` to every verified callback of the account that wants it."""
    noun = _NOUN.get(resource)
    table = sb.tables.get((biz.account_id, "callbacks"))
    if noun is None or table is None:
        return
    name = f"{noun}.{verb}"
    for cb in table:
        event = cb.data["event"]
        if cb.data.get("verified") and (event in (name, noun)):
            fields = {
                "name": name,
                "object_id": str(object_id),
                "account_id": biz.account_id,
                "business_id": str(biz.id),
                "identity_id": str(sb.identity_id),
                "user_id": str(sb.identity_id),
            }
            _send(sb, cb.data["uri"], cb.extras["verifier"], fields)


def _verify_fields(sb: Sandbox, biz: Business, rec: Record) -> dict[str, str]:
    return {
        "name": "callback.verify",
        "object_id": str(rec.id),
        "verifier": rec.extras["verifier"],
        "account_id": biz.account_id,
        "business_id": str(biz.id),
        "identity_id": str(sb.identity_id),
        "user_id": str(sb.identity_id),
    }


def _check_callback(obj: dict[str, Any]) -> None:
    problems: list[tuple[str | None, str]] = []
    if "event" in obj and obj["event"] not in EVENTS:
        problems.append(("event", "Value error, Unrecognized event."))
    if "uri" in obj:
        uri = obj["uri"]
        ok = (
            isinstance(uri, str)
            and yarl.URL(uri).scheme in ("http", "https")
            and bool(yarl.URL(uri).host)
        )
        if not ok:
            problems.append(("uri", "Input should be a valid URL, relative URL without a base"))
    if problems:
        raise SandboxAPIError(
            422,
            "The request was well-formed but was unable to be followed due to semantic errors.",
            errno=422,
            details=problems,
        )


async def callbacks(ctx: Ctx) -> Reply:
    op = ctx.route.op
    if op == "list":
        return await acc_list(ctx)
    if op == "get":
        return await acc_get(ctx)
    biz = _account(ctx)
    sb = ctx.sb
    table = sb.table(biz.account_id, "callbacks")
    if op == "create":
        obj = _unwrap(ctx, "callback")
        clean = _validate(ctx, "callbacks", "callback", obj, create=True)
        _check_callback(clean)
        rid = table.new_id()
        data = {
            "callbackid": rid,
            "id": rid,
            "event": clean["event"],
            "uri": clean["uri"],
            "verified": False,
            "updated_at": iso_time(sb.clock.time()),
        }
        rec = table.add(Record(rid, data, {"verifier": secrets.token_hex(16)}))
        sb.record_create(
            "callbacks", biz.account_id, rid, client_reference=ctx.headers.get("X-Client-Reference")
        )
        # Handshake: POST the verifier to the URI (DOCS:webhooks).
        _send(sb, rec.data["uri"], rec.extras["verifier"], _verify_fields(sb, biz, rec))
        return _acc_one(ctx, "callback", "callbacks", biz.account_id, rec)
    rec = _lookup(ctx, table, "callback")
    if op == "delete":
        table.remove(rec.id)
        return Reply(204)
    obj = _unwrap(ctx, "callback")
    clean = _validate(ctx, "callbacks", "callback", obj, create=False)
    if "verifier" in clean:
        if not hmac.compare_digest(str(clean["verifier"]), rec.extras["verifier"]):
            raise SandboxAPIError(
                422,
                "The verifier does not match.",
                errno=422,
                details=[("verifier", "Value error, invalid verifier.")],
            )
        rec.data["verified"] = True
    elif clean.get("resend"):
        _send(sb, rec.data["uri"], rec.extras["verifier"], _verify_fields(sb, biz, rec))
    else:
        _check_callback(clean)
        for key in ("event", "uri"):
            if key in clean:
                rec.data[key] = clean[key]
        if "uri" in clean:
            rec.data["verified"] = False
    rec.data["updated_at"] = iso_time(sb.clock.time())
    rec.touch()
    table.changed()
    return _acc_one(ctx, "callback", "callbacks", biz.account_id, rec)


# ----------------------------------------------------------------------------- project-like

_PROJECT_TEMPLATE: dict[str, Any] = {
    "description": None,
    "due_date": None,
    "client_id": None,
    "internal": False,
    "budget": None,
    "fixed_price": None,
    "rate": None,
    "billing_method": "project_rate",
    "project_type": "hourly_rate",
    "project_manager_id": None,
    "active": True,
    "complete": False,
    "sample": False,
    "logged_duration": None,
    "services": [],
    "billed_amount": "0.00",
    "billed_status": "unbilled",
    "retainer_id": None,
    "expense_markup": "0",
}
_TIME_TEMPLATE: dict[str, Any] = {
    "identity_id": 1,
    "is_logged": True,
    "client_id": None,
    "project_id": None,
    "pending_client": None,
    "pending_project": None,
    "pending_task": None,
    "task_id": None,
    "service_id": None,
    "note": None,
    "active": True,
    "billable": False,
    "billed": False,
    "internal": False,
    "retainer_id": None,
    "duration": 0,
    "timer": None,
}


def _p_table(ctx: Ctx, resource: str | None = None) -> tuple[Business, Table]:
    biz = _business(ctx)
    name = resource or ctx.route.resource
    return biz, ctx.sb.table(biz.id, name)


def _coerce(value: str) -> Any:
    low = value.lower()
    if low in ("true", "false"):
        return low == "true"
    if _digits(value.removeprefix("-")):
        return int(value)
    return value


def _parse_iso(name: str, value: str) -> str:
    """A project-like time filter as UTC ``YYYY-MM-DDTHH:MM:SS`` (its offset honoured;
    none means UTC), comparable with the stored timestamps as text."""
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SandboxAPIError(
            422,
            "Invalid filter",
            errno=2001,
            details=[(name, "Input should be a valid datetime or date, invalid character in year")],
        ) from None
    if when.utcoffset() is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when.isoformat()[:19]


async def p_list(ctx: Ctx) -> Reply:
    res = ctx.route.resource
    if res in ("reports", "time_entries") and ctx.route.op in (
        "other:search",
        "other:time_entry_details",
    ):
        res = "time_entries"
    _biz, table = _p_table(ctx, res)
    s = spec(res, Family.TIMETRACKING if res == "time_entries" else ctx.family)
    include_deleted = ctx.query.get("include_deleted", "").lower() == "true"
    items = [r.data for r in table if include_deleted or not r.deleted]
    reserved = {
        "page",
        "per_page",
        "sort",
        "include_deleted",
        "team",
        "include_unlogged",
        "complete",
        "skip_group",
    }
    for key, value in ctx.query.items():
        if key in reserved or key.startswith(("search[", "include")):
            continue  # bracketed filters are silently ignored here (IRL live check)
        if key == "updated_since":
            since = _parse_iso(key, value)
            items = [
                i for i in items if str(i.get("updated_at") or i.get("created_at"))[:19] >= since
            ]
        elif key == "started_from":
            lo = _parse_iso(key, value)
            items = [i for i in items if str(i.get("started_at"))[:19] >= lo]
        elif key == "started_to":
            hi = _parse_iso(key, value)
            items = [i for i in items if str(i.get("started_at"))[:19] <= hi]
        elif items and key in items[0]:
            want = _coerce(value)
            items = [i for i in items if i.get(key) == want]
    items = _sort(ctx, items)
    page_items, page, pages, per_page, total = _paginate(ctx, items, 30)
    meta: dict[str, Any] = {"total": total, "per_page": per_page, "page": page, "pages": pages}
    if res == "projects":
        sort = ctx.query.get("sort")
        meta["sort"] = [sort] if sort else []
    if res == "time_entries":
        logged = sum(int(i.get("duration") or 0) for i in items)
        unbilled = sum(int(i.get("duration") or 0) for i in items if not i.get("billed"))
        meta.update(
            {
                "total_logged": logged,
                "total_unbilled": unbilled,
                "total_logged_per_team_member": {},
                "total_logged_per_client": {},
            }
        )
    return Reply(200, {s.plural: page_items, "meta": meta})


def _p_new(ctx: Ctx, resource: str, singular: str, clean: dict[str, Any]) -> dict[str, Any]:
    now = ctx.sb.clock.time()
    if resource == "projects":
        data = dict(_PROJECT_TEMPLATE)
        data["created_at"] = data["updated_at"] = iso_time(now).rstrip("Z")
        data["group"] = {"id": 1, "members": [], "pending_invitations": []}
    elif resource == "time_entries":
        data = dict(_TIME_TEMPLATE)
        data["created_at"] = iso_time(now)
        data["identity_id"] = ctx.sb.identity_id
    elif resource == "retainers":
        data = {"active": True, "created_at": iso_time(now), "updated_at": iso_time(now)}
    else:
        data = {"vis_state": 0, "billable": True} if resource == "services" else {}
    data.update(clean)
    return data


async def p_get(ctx: Ctx) -> Reply:
    _, table = _p_table(ctx)
    s = _spec(ctx.route)
    rec = _lookup(ctx, table, s.singular)
    return Reply(200, {s.singular: rec.data})


async def p_create(ctx: Ctx) -> Reply:
    biz, table = _p_table(ctx)
    s = _spec(ctx.route)
    obj = _unwrap(ctx, s.singular)
    clean = _validate(ctx, s.name, s.singular, obj, create=True)
    if s.name == "time_entries" and "started_at" in clean:
        _parse_iso("started_at", str(clean["started_at"]))
    data = _p_new(ctx, s.name, s.singular, clean)
    rid = table.new_id()
    data["id"] = rid
    if s.name == "services":
        data["business_id"] = biz.id
    table.add(Record(rid, data))
    ctx.sb.record_create(
        s.name, biz.id, rid, client_reference=ctx.headers.get("X-Client-Reference")
    )
    emit(ctx.sb, biz, s.name, "create", rid)
    return Reply(200, {s.singular: data})


async def p_update(ctx: Ctx) -> Reply:
    biz, table = _p_table(ctx)
    s = _spec(ctx.route)
    rec = _lookup(ctx, table, s.singular)
    obj = _unwrap(ctx, s.singular)
    if s.name == "retainers" and "active" in obj and len(obj) == 1:
        # Retainer delete/undelete: PUT {"retainer": {"active": false|true}} (Postman).
        rec.data["active"] = bool(obj["active"])
        return Reply(200, {s.singular: rec.data})
    clean = _validate(ctx, s.name, s.singular, obj, create=False)
    rec.data.update(clean)
    if "updated_at" in rec.data:
        stamp = iso_time(ctx.sb.clock.time())
        rec.data["updated_at"] = stamp.rstrip("Z") if s.name == "projects" else stamp
    emit(ctx.sb, biz, s.name, "update", rec.id)
    return Reply(200, {s.singular: rec.data})


async def p_delete(ctx: Ctx) -> Reply:
    res = "projects" if ctx.route.resource == "projects" else ctx.route.resource
    biz, table = _p_table(ctx, res)
    s = spec(res, Family.PROJECTS if res == "projects" else ctx.family)
    rec = _lookup(ctx, table, s.singular)
    rec.deleted = True
    emit(ctx.sb, biz, s.name, "delete", rec.id)
    return Reply(204)


async def service_rates(ctx: Ctx) -> Reply:
    biz = _business(ctx)
    table = ctx.sb.table(biz.id, "service_rates")
    if ctx.route.op == "list":
        items = [r.data for r in table]
        page_items, page, pages, per_page, total = _paginate(ctx, items, 30)
        return Reply(
            200,
            {
                "service_rates": page_items,
                "meta": {"total": total, "per_page": per_page, "page": page, "pages": pages},
            },
        )
    key = f"{ctx.params.get('project_id', '')}:{ctx.params['service_id']}"
    if ctx.route.op == "get":
        rec = table.get(key)
        if rec is None:
            raise SandboxAPIError(404, "Requested resource could not be found.")
        return Reply(200, {"service_rate": rec.data})
    rec = table.get(key)
    creating = ctx.route.op == "create" or rec is None
    obj = _unwrap(ctx, "service_rate")
    clean = _validate(ctx, "service_rates", "service_rate", obj, create=creating)
    sid = ctx.params["service_id"]
    service = ctx.sb.table(biz.id, "services").get(int(sid)) if _digits(sid) else None
    if service is None or service.deleted:
        raise SandboxAPIError(404, "Requested resource could not be found.")
    if rec is None:
        if ctx.route.op != "create" and ctx.route.resource == "service_rates":
            raise SandboxAPIError(404, "Requested resource could not be found.")
        data: dict[str, Any] = {
            "business_id": biz.id,
            "service_id": service.id,
            "rate": str(clean["rate"]),
            "currency_code": clean.get("currency_code", "USD"),
            "vis_state": 0,
        }
        if "project_id" in ctx.params:
            pid = ctx.params["project_id"]
            project = ctx.sb.table(biz.id, "projects").get(int(pid)) if _digits(pid) else None
            if project is None or project.deleted:
                raise SandboxAPIError(404, "Requested resource could not be found.")
            data["project_id"] = project.id
        rec = table.add(Record(key, data))
        ctx.sb.record_create("service_rates", biz.id, key)
    else:
        if "rate" in clean:
            rec.data["rate"] = str(clean["rate"])
        if "currency_code" in clean:
            rec.data["currency_code"] = clean["currency_code"]
    return Reply(200, {"service_rate": rec.data})


def _project(sb: Sandbox, biz: Business, raw: str) -> Record:
    found = sb.table(biz.id, "projects").get(int(raw)) if _digits(raw) else None
    if found is None or found.deleted:
        raise SandboxAPIError(404, "Requested resource could not be found.")
    return found


async def p_misc(ctx: Ctx) -> Reply:
    """Team member and invitation rates, threads and comments, project abilities."""
    biz = _business(ctx)
    res, op = ctx.route.resource, ctx.route.op
    sb = ctx.sb
    if op == "other:abilities":
        return Reply(
            200,
            {
                "abilities": [
                    {"name": n, "value": True}
                    for n in ("projects", "time_tracking", "team", "retainers")
                ]
            },
        )
    s = _spec(ctx.route)
    # Threads and comments have business-wide ids; a thread belongs to one project.
    table = sb.table(biz.id, res)
    if op == "list":
        if res == "project_threads":
            pid = _project(sb, biz, ctx.params["project_id"]).id
            items = [r.data for r in table if r.data.get("project_id") == pid]
        else:
            items = [r.data for r in table]
        if res == "team_member_rates" and not items:
            items = [{"identity_id": sb.identity_id, "rate": "0.00", "business_id": biz.id}]
        page_items, page, pages, per_page, total = _paginate(ctx, items, 30)
        return Reply(
            200,
            {
                s.plural: page_items,
                "meta": {"total": total, "per_page": per_page, "page": page, "pages": pages},
            },
        )
    obj = _unwrap(ctx, s.singular)
    if op == "update":  # team_member_rate
        clean = _validate(ctx, res, s.singular, obj, create=False)
        key = ctx.params["identity_id"]
        if key != str(sb.identity_id):
            raise SandboxAPIError(404, "Requested resource could not be found.")
        rec = table.get(key) or table.add(
            Record(key, {"identity_id": sb.identity_id, "business_id": biz.id})
        )
        rec.data.update({k: str(v) if k in ("rate", "cost") else v for k, v in clean.items()})
        return Reply(200, {s.singular: rec.data})
    clean = _validate(ctx, res, s.singular, obj, create=True)
    now = iso_time(sb.clock.time())
    if res == "project_threads":
        project = _project(sb, biz, ctx.params["project_id"])
        parent = None
    else:
        tid = ctx.params["thread_id"]
        threads = sb.table(biz.id, "project_threads")
        parent = threads.get(int(tid)) if _digits(tid) else None
        if parent is None:
            raise SandboxAPIError(404, "Requested resource could not be found.")
    rid = table.new_id()
    data: dict[str, Any] = {"id": rid, **clean, "identity_id": sb.identity_id}
    if parent is None:
        data.update({"project_id": project.id, "business_id": biz.id, "comments": []})
    else:
        data["thread_id"] = parent.id
    data.update({"created_at": now, "updated_at": now})
    table.add(Record(rid, data))
    if parent is not None:
        parent.data.setdefault("comments", []).append(data)
        parent.data["updated_at"] = now
    sb.record_create(res, biz.id, rid, client_reference=ctx.headers.get("X-Client-Reference"))
    return Reply(200, {s.singular: data})


# ----------------------------------------------------------------------------- auth & oauth


def identity(sb: Sandbox) -> dict[str, Any]:
    """The ``users/me`` body (shape of the PY fixture ``auth_me_response.json``)."""
    return {
        "id": sb.identity_id,
        "identity_id": sb.identity_id,
        "identity_uuid": "00000000-0000-4000-8000-000000000001",
        "first_name": "Sandy",
        "last_name": "Box",
        "email": "owner@sandbox.invalid",
        "language": "en",
        "confirmed_at": "2020-01-01T00:00:00Z",
        "created_at": "2020-01-01T00:00:00Z",
        "unconfirmed_email": None,
        "setup_complete": True,
        "phone_numbers": [],
        "addresses": [],
        "profile": {"setup_complete": True, "first_name": "Sandy", "last_name": "Box"},
        "business_memberships": [
            {
                "id": 100 + b.id,
                "role": "owner",
                "unacknowledged_change": False,
                "fasttrack_token": None,
                "business": {
                    "id": b.id,
                    "business_uuid": b.uuid,
                    "name": b.name,
                    "account_id": b.account_id,
                    "date_format": "mm/dd/yyyy",
                    "active": True,
                    "address": None,
                    "phone_number": None,
                    "business_clients": [],
                },
            }
            for b in sb.businesses.values()
        ],
        "roles": [
            {"id": 1, "role": "admin", "systemid": b.id, "userid": 1, "accountid": b.account_id}
            for b in sb.businesses.values()
        ],
        "links": {"me": f"/service/auth/api/v1/users?id={sb.identity_id}"},
        "permissions": {},
        "groups": [],
    }


async def auth_family(ctx: Ctx) -> Reply:
    sb = ctx.sb
    res, op = ctx.route.resource, ctx.route.op
    if res == "identity" and op == "get":
        return Reply(200, {"response": identity(sb)})
    if res == "identity":
        obj = ctx.json_body()
        return Reply(
            200,
            {
                "response": {
                    "registration": {
                        "id": sb.rng.randrange(10**6),
                        **(obj if isinstance(obj, dict) else {}),
                    }
                }
            },
        )
    if res == "businesses":
        if op == "create":
            obj = ctx.json_body()
            raw = obj.get("business", obj) if isinstance(obj, dict) else {}
            name = raw.get("name") if isinstance(raw, dict) else None
            if not isinstance(name, str) or not name:
                raise SandboxAPIError(400, "Business name is required.", error="invalid_request")
            biz = sb.add_business(name=name)
            return Reply(
                200,
                {
                    "response": {
                        "business": {
                            "id": biz.id,
                            "account_id": biz.account_id,
                            "business_uuid": biz.uuid,
                            "name": name,
                            "date_format": "mm/dd/yyyy",
                            "address": None,
                            "phone_number": None,
                            "business_clients": [],
                        }
                    }
                },
            )
        raw = ctx.params["business_id"]
        biz_found = sb.businesses.get(int(raw)) if _digits(raw) else None
        if biz_found is None:
            raise SandboxAPIError(404, "Business not found.")
        if op == "delete":
            if biz_found is sb.default_business:
                raise SandboxAPIError(
                    422, "The business has an active subscription.", error="unprocessable"
                )
            sb.remove_business(biz_found)
            return Reply(200)
        # The business with its group of people, as the live API answers.
        group_id = 50_000 + biz_found.id
        return Reply(
            200,
            {
                "response": {
                    "id": biz_found.id,
                    "business_uuid": biz_found.uuid,
                    "name": biz_found.name,
                    "account_id": biz_found.account_id,
                    "business_group": {
                        "id": group_id,
                        "category": "business",
                        "members": [
                            {
                                "id": 60_000 + biz_found.id,
                                "group_id": group_id,
                                "role": "owner",
                                "identity_id": sb.identity_id,
                                "identity_uuid": "00000000-0000-4000-8000-000000000001",
                                "first_name": "Sandy",
                                "last_name": "Box",
                                "language": "en",
                                "email": "owner@sandbox.invalid",
                                "company": biz_found.name,
                                "business_id": biz_found.id,
                                "unacknowledged_change": False,
                                "active": True,
                            }
                        ],
                    },
                    "date_format": "mm/dd/yyyy",
                    "address": None,
                    "phone_number": None,
                    "business_clients": [],
                }
            },
        )
    if res == "billing_subscription":
        return Reply(200)
    if res == "applications":
        table = sb.table("apps", "applications")
        if op == "list":
            return Reply(200, {"response": [r.data for r in table]})
        obj = ctx.json_body()
        app = obj.get("application", obj) if isinstance(obj, dict) else None
        if not isinstance(app, dict):
            raise SandboxAPIError(400, "Invalid application.", error="invalid_request")
        if op == "create":
            cid = secrets.token_hex(16)
            data = {"client_id": cid, "name": app.get("name", ""), **app}
            table.add(Record(cid, data))
            return Reply(200, {"response": data})
        rec = table.get(ctx.params["client_id"])
        if rec is None:
            raise SandboxAPIError(404, "Application not found.")
        rec.data.update(app)
        return Reply(200, {"response": rec.data})
    if res == "team_members":
        biz = _business(ctx)
        member = {
            "uuid": "00000000-0000-4000-8000-000000000001",
            "identity_id": sb.identity_id,
            "business_id": biz.id,
            "first_name": "Sandy",
            "last_name": "Box",
            "email": "owner@sandbox.invalid",
            "role": "owner",
            "active": True,
        }
        if op == "list":
            return Reply(
                200, {"response": [member], "meta": {"page": 1, "per_page": 30, "total": 1}}
            )
        if ctx.params["team_member_uuid"] != member["uuid"]:
            raise SandboxAPIError(404, "Team member not found.")
        return Reply(200, {"response": member})
    obj = ctx.json_body()
    return Reply(200, {"response": {"invitation": obj if isinstance(obj, dict) else {}}})


def _oauth_error(status: int, error: str, description: str) -> SandboxAPIError:
    return SandboxAPIError(status, description, error=error)


async def oauth(ctx: Ctx) -> Reply:
    sb = ctx.sb
    op = ctx.route.op
    if op == "other:authorize":
        q = ctx.query
        if q.get("client_id") != sb.client_id:
            raise _oauth_error(400, "invalid_client", "Unknown client_id.")
        if q.get("response_type") != "code":
            raise _oauth_error(400, "unsupported_response_type", "response_type must be code.")
        redirect = q.get("redirect_uri", "")
        if not redirect:
            raise _oauth_error(400, "invalid_request", "redirect_uri is required.")
        code = secrets.token_hex(16)
        try:
            target = yarl.URL(redirect)
            if target.scheme not in ("http", "https") or not target.host:
                raise ValueError(redirect)
            target = target.update_query({"code": code})
            if "state" in q:
                target = target.update_query({"state": q["state"]})
            location = str(target)
        except (ValueError, TypeError, UnicodeError):
            raise _oauth_error(
                400, "invalid_request", f"redirect_uri is not an absolute http(s) URL: {redirect!r}"
            ) from None
        scope = q.get("scope")
        scopes = frozenset(scope.split()) | {"user:profile:read"} if scope else None
        sb.auth_codes[code] = (sb.client_id, redirect, scopes, sb.clock.time() + 300)
        on_undo(lambda: sb.auth_codes.pop(code, None))
        return Reply(302, None, headers={"Location": location})
    form = ctx.json_body()
    if not isinstance(form, dict):
        raise _oauth_error(400, "invalid_request", "The request body must be an object.")
    form = {k: str(v) for k, v in form.items()}
    if form.get("client_id") != sb.client_id or not hmac.compare_digest(
        form.get("client_secret", ""), sb.client_secret
    ):
        raise _oauth_error(401, "invalid_client", "Client authentication failed.")
    if ctx.path.endswith("/revoke"):
        token = form.get("token", "")
        sb.revoke_token(token)
        info = sb.refresh_tokens.get(token)
        if info is not None and token not in sb.used_refresh_tokens:
            sb.used_refresh_tokens.add(token)
            on_undo(lambda: sb.used_refresh_tokens.discard(token))
        return Reply(200, {})
    grant = form.get("grant_type")
    if grant == "authorization_code":
        code = form.get("code", "")
        entry = sb.auth_codes.get(code)
        if entry is None or entry[3] < sb.clock.time():
            raise _oauth_error(
                400, "invalid_grant", "The authorization code is invalid or expired."
            )
        if form.get("redirect_uri") and form["redirect_uri"] != entry[1]:
            raise _oauth_error(400, "invalid_grant", "redirect_uri does not match.")
        # Single use: consumed by the exchange that succeeds (a refused one changes nothing).
        del sb.auth_codes[code]
        on_undo(lambda: sb.auth_codes.__setitem__(code, entry))
        info = sb._mint(entry[2], 43200, refresh=True)
    elif grant == "refresh_token":
        old = form.get("refresh_token", "")
        previous = sb.refresh_tokens.get(old)
        if previous is None or old in sb.used_refresh_tokens or previous.revoked:
            # Refresh tokens are single-use (IRL live: reuse -> 400 invalid_grant).
            raise _oauth_error(
                400, "invalid_grant", "The refresh token is invalid, revoked or already used."
            )
        sb.used_refresh_tokens.add(old)
        on_undo(lambda: sb.used_refresh_tokens.discard(old))
        info = sb._mint(previous.scopes, 43200, refresh=True)
    else:
        raise _oauth_error(400, "unsupported_grant_type", f"Unsupported grant_type {grant!r}.")
    return Reply(
        200,
        {
            "access_token": info.token,
            "refresh_token": info.refresh_token,
            "token_type": "Bearer",
            "expires_in": 43200,
            "scope": " ".join(sorted(info.scopes))
            if info.scopes is not None
            else "user:profile:read",
            "created_at": int(sb.clock.time()),
            "direct_buy_tokens": {},
        },
    )


# ----------------------------------------------------------------------------- payments


_PAYMENT_DEFAULTS: dict[str, Any] = {
    "gateway_name": "fbpay",
    "has_credit_card": True,
    "has_ach_transfer": False,
    "has_bacs_debit": False,
    "has_sepa_debit": False,
    "has_acss_debit": False,
    "has_paypal_smart_checkout": False,
    "allow_partial_payments": False,
}


def _flat_body(ctx: Ctx) -> dict[str, Any]:
    """A payments-family body: a flat JSON object (400 in the family's shape otherwise)."""
    body = ctx.json_body()
    if not isinstance(body, dict):
        raise SandboxAPIError(400, "The request body must be a JSON object.", field="body")
    return body


def _payment_options_body(ctx: Ctx) -> dict[str, Any]:
    body = _flat_body(ctx)
    obj = body.get("payment_options", body)
    if not isinstance(obj, dict):
        raise SandboxAPIError(400, "'payment_options' must be an object.", field="payment_options")
    clean = _validate(ctx, "payment_options", "payment_options", obj, create=True)
    clean.pop("entity_id", None)
    clean.pop("entity_type", None)
    return clean


async def payments_family(ctx: Ctx) -> Reply:
    sb = ctx.sb
    res, op = ctx.route.resource, ctx.route.op
    if res == "tokenization":
        body = ctx.json_body()
        return Reply(
            200,
            {
                "payment_method": {
                    "id": f"pm_{secrets.token_hex(8)}",
                    "card": body.get("card", {}) if isinstance(body, dict) else {},
                }
            },
        )
    biz = _account(ctx)
    if res == "payment_options":
        entity = "invoice_profile" if "/invoice_profile/" in ctx.path else "invoice"
        eid = ctx.params.get("invoice_id") or ctx.params.get("id")
        table = sb.table(biz.account_id, "payment_options")
        default = {**_PAYMENT_DEFAULTS, "entity_type": entity, "entity_id": None}
        if op == "other:defaults":
            return Reply(200, {"payment_options": default})
        owner = "invoices" if entity == "invoice" else "invoice_profiles"
        found = sb.table(biz.account_id, owner).get(int(eid)) if eid and _digits(eid) else None
        if found is None or found.data.get("vis_state") == 1:
            raise SandboxAPIError(
                404,
                f"{'Invoice' if entity == 'invoice' else 'Invoice profile'} not found.",
                error="not_found",
                field="invoice_id" if entity == "invoice" else "id",
            )
        eid = str(found.id)
        key = f"{entity}:{eid}"
        if op == "get":
            rec = table.get(key)
            return Reply(
                200, {"payment_options": rec.data if rec else {**default, "entity_id": eid}}
            )
        data = {**default, **_payment_options_body(ctx), "entity_id": eid, "entity_type": entity}
        table.add(Record(key, data))
        return Reply(200, {"payment_options": data})
    if res == "checkout_links":
        table = sb.table(biz.account_id, "checkout_links")
        if op == "create":
            clean = _validate(ctx, "checkout_links", "checkout_link", _flat_body(ctx), create=True)
            rid = table.new_id()
            data = {
                "id": rid,
                "url": f"{sb.base_url}/checkout/{rid}",
                "title": "",
                "description": None,
                "currency_code": "USD",
                "active": True,
                **clean,
                "payment_options": None,
            }
            if "price" in clean:
                data["price"] = str(clean["price"])
                data["amount"] = money(dec(clean["price"]), str(data["currency_code"]))
            table.add(Record(rid, data))
            sb.record_create("checkout_links", biz.account_id, rid)
            return Reply(200, {"checkout_link": data})
        rec = table.get(int(ctx.params["id"])) if _digits(ctx.params["id"]) else None
        if rec is None:
            raise SandboxAPIError(404, "Checkout link not found.", error="not_found")
        if op == "delete":
            table.remove(rec.id)
            return Reply(200)
        if op == "other:payment_options":
            rec.data["payment_options"] = {
                **_PAYMENT_DEFAULTS,
                **_payment_options_body(ctx),
                "entity_id": rec.id,
                "entity_type": "checkout_link",
            }
            return Reply(200, {"payment_options": rec.data["payment_options"]})
        clean = _validate(ctx, "checkout_links", "checkout_link", _flat_body(ctx), create=False)
        rec.data.update(clean)
        if "price" in clean or "currency_code" in clean:
            rec.data["price"] = str(rec.data.get("price") or "0")
            rec.data["amount"] = money(dec(rec.data["price"]), str(rec.data["currency_code"]))
        return Reply(200, {"checkout_link": rec.data})
    if res == "gateways":
        if op == "list":
            # One connection object, as the live API answers: the account's processors
            # (from the records /systems/gateways lists and deletes), null where none.
            return Reply(200, {"gateway_connections": [_gateway_connection(sb, biz)]})
        if op == "other:provision_fbpay":
            return Reply(201, {"gateway": {"gateway_name": "fbpay", "status": "provisioned"}})
        return Reply(
            200,
            {
                "setup_intent": {
                    "id": f"seti_{secrets.token_hex(8)}",
                    "client_secret": "seti_secret_sandbox",
                }
            },
        )
    body = ctx.json_body()
    return Reply(
        200,
        {
            "credit_card": {
                "id": secrets.token_hex(6),
                "status": "saved",
                **(body if isinstance(body, dict) else {}),
            }
        },
    )


# ----------------------------------------------------------------------------- uploads


def _multipart(ctx: Ctx) -> tuple[bytes, str, str]:
    ctype = ctx.headers.get("Content-Type", "")
    if not ctype.lower().startswith("multipart/form-data") or "boundary=" not in ctype:
        raise SandboxAPIError(400, "Expected multipart/form-data with a 'content' file.")
    boundary = ctype.split("boundary=", 1)[1].split(";")[0].strip().strip('"').encode()
    for part in ctx.body.split(b"--" + boundary):
        head, sep, rest = part.partition(b"\r\n\r\n")
        if not sep:
            continue
        headers = head.decode("latin-1").lower()
        if 'name="content"' not in headers:
            continue
        data = rest[:-2] if rest.endswith(b"\r\n") else rest
        filename = "upload"
        raw_head = head.decode("latin-1")
        if 'filename="' in raw_head:
            filename = raw_head.split('filename="', 1)[1].split('"', 1)[0]
        media = "application/octet-stream"
        for line in raw_head.split("\r\n"):
            if line.lower().startswith("content-type:"):
                media = line.split(":", 1)[1].strip()
        return data, filename, media
    raise SandboxAPIError(400, "Missing file field 'content'.")


async def uploads(ctx: Ctx) -> Reply:
    sb = ctx.sb
    kind = ctx.route.resource  # images / attachments
    singular = "image" if kind == "images" else "attachment"
    if ctx.route.op == "get":
        found = sb.uploads.get(ctx.params["jwt"])
        if found is None or found[2] != kind:
            raise SandboxAPIError(404, "File not found.")
        return Reply(200, found[0], content_type=found[1])
    if "account_id" in ctx.params:
        _account(ctx)
    data, filename, media = _multipart(ctx)
    if kind == "images" and not media.startswith("image/"):
        raise SandboxAPIError(400, f"Unsupported media type {media}.")
    jwt = ".".join(
        base64.urlsafe_b64encode(p).decode().rstrip("=")
        for p in (
            b'{"alg":"HS256","typ":"JWT"}',
            json.dumps({"uuid": _uuid(sb)}).encode(),
            secrets.token_bytes(16),
        )
    )
    sb.uploads[jwt] = (data, media, kind)
    on_undo(lambda: sb.uploads.pop(jwt, None))
    obj = {
        "filename": filename,
        "public_id": jwt,
        "jwt": jwt,
        "media_type": media,
        "uuid": _uuid(sb),
    }
    body: dict[str, Any] = {singular: obj}
    if kind == "images":
        body["link"] = f"{sb.base_url}/uploads/images/{jwt}"
    else:
        body["link"] = f"{sb.base_url}/uploads/attachments/{jwt}"
    sb.record_create(kind, ctx.params.get("account_id", ""), jwt)
    return Reply(200, body)


# ----------------------------------------------------------------------------- dispatch

_ACC_GENERIC: dict[str, Handler] = {
    "list": acc_list,
    "get": acc_get,
    "create": acc_create,
    "update": acc_update,
    "delete": acc_delete,
    "archive": acc_update,
}
_P_GENERIC: dict[str, Handler] = {
    "list": p_list,
    "get": p_get,
    "create": p_create,
    "update": p_update,
    "delete": p_delete,
    "other:search": p_list,
}
_SPECIAL: dict[tuple[str, str], Handler] = {
    ("invoices", "create"): invoice_create,
    ("invoices", "other:pdf"): invoice_pdf,
    ("invoices", "other:share_link"): invoice_share_link,
    ("invoices", "other:presentation_defaults"): invoice_presentations,
    ("expenses", "other:summaries"): acc_list_extra,
    ("expenses", "other:vendors"): acc_list_extra,
    ("systems", "get"): systems_get,
    ("contacts", "update"): contact_update,
    ("contacts", "delete"): contact_delete,
    ("reports", "other:csv_download"): report_csv,
}


def resolve(route: Route) -> Handler:
    """The handler for a catalogue route."""
    fam, res, op = route.family, route.resource, route.op
    special = _SPECIAL.get((res, op))
    if special is not None and fam is Family.ACCOUNTING:
        return special
    if fam is Family.ACCOUNTING:
        if res == "reports":
            return report
        return _ACC_GENERIC[op]
    if fam is Family.ACCOUNTING_BUSINESS:
        return report if res == "reports" else ledger
    if fam is Family.EVENTS:
        return callbacks
    if fam is Family.AUTH:
        return auth_family
    if fam is Family.OAUTH:
        return oauth
    if fam is Family.PAYMENTS:
        return payments_family
    if fam is Family.UPLOADS:
        return uploads
    if res in ("service_rates", "project_service_rates"):
        return service_rates
    if (
        res in ("team_member_rates", "invitation_rates", "project_threads", "thread_comments")
        or op == "other:abilities"
    ):
        return p_misc
    if res == "reports":
        return p_list
    return _P_GENERIC[op]
