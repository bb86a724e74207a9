"""Shared helpers of the handlers: ids per resource, the business a path names, lookups
and their 404s, unwrapping a request body, pagination parameters, money amounts, uuids.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..._catalogue import ResourceSpec, spec
from .._core import Business, Ctx, Route, Sandbox
from .._errors import SandboxAPIError
from .._objects import accounting_time, dec
from .._store import Record, Table

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
_NUMERIC_ERRNO = {"int": 1015, "number": 1015, "money": 1015, "date": 1033, "bool": 1031}


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


# The bits uuid.UUID(int=..., version=4) sets: variant RFC 4122, version 4.
_UUID_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_UUID_SET = (0x8000 << 48) | (4 << 76)


def _uuid(sb: Sandbox) -> str:
    """A version 4 UUID from the sandbox's seeded random numbers: the text
    ``str(uuid.UUID(int=bits, version=4))`` gives, without building the object."""
    text = f"{(sb.rng.getrandbits(128) & _UUID_CLEAR) | _UUID_SET:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _money_amount(value: Any) -> tuple[Decimal, str | None]:
    """A stored money value's amount and currency code (``None`` when it has none)."""
    if isinstance(value, dict):
        code = value.get("code")
        return dec(value.get("amount", 0)), code if isinstance(code, str) else None
    return dec(value if value is not None else 0), None
