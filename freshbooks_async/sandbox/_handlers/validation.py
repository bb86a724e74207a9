"""Validating request bodies against a resource's schema: field types and bounds,
read-only and unknown fields, and references to other objects of the account (the
errors name the field and the value, in the family's shape).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..._catalogue import Family
from .._core import Business, Ctx
from .._errors import SandboxAPIError
from .._objects import SCHEMAS, Schema, dec
from .common import _EXTRA_ID, _NUMERIC_ERRNO, _digits

# Integer fields are 32-bit signed; amounts, quantities and rates stay below 10**15.
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
_NUMBER_LIMIT = Decimal(10) ** 15


def _bounded(value: Any) -> Decimal:
    number = dec(value)
    if abs(number) >= _NUMBER_LIMIT:
        raise ValueError("must be less than 10**15 in magnitude")
    return number


def _check_int(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be an integer")
    if isinstance(value, str) and _digits(value.strip().removeprefix("-")):
        value = int(value)
    if not isinstance(value, int):
        raise ValueError("must be an integer")
    if not _INT_MIN <= value <= _INT_MAX:
        raise ValueError(f"must be between {_INT_MIN} and {_INT_MAX}")
    return value


def _check_str(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    if len(value) > 10000:
        raise ValueError("is too long")
    return value


def _check_bool(value: Any) -> Any:
    if not isinstance(value, bool):
        raise ValueError("must be a boolean")
    return value


def _check_number(value: Any) -> Any:
    _bounded(value)
    return value


def _check_money(value: Any) -> Any:
    _bounded(value.get("amount") if isinstance(value, dict) else value)
    return value


def _check_date(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("must be a YYYY-MM-DD date")
    dt.date.fromisoformat(value[:10])
    return value


def _check_list(value: Any) -> Any:
    if not isinstance(value, list):
        raise ValueError("must be a list")
    return value


def _check_dict(value: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError("must be an object")
    return value


def _check_any(value: Any) -> Any:
    return value


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "any": _check_any,
    "int": _check_int,
    "str": _check_str,
    "bool": _check_bool,
    "number": _check_number,
    "money": _check_money,
    "date": _check_date,
    "list": _check_list,
    "dict": _check_dict,
}
# Each tag of the field tables as (its check, nullable), parsed once.
_TAGS: dict[str, tuple[Callable[[Any], Any], bool]] = {}


def _parse_tag(tag: str) -> tuple[Callable[[Any], Any], bool]:
    """A type tag's (check, nullable), parsed once."""
    parsed = _TAGS.get(tag)
    if parsed is None:
        base = tag.rstrip("?")
        parsed = _TAGS[tag] = (_CHECKS.get(base, _check_any), tag.endswith("?") or base == "any")
    return parsed


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


def _invalid(
    ctx: Ctx,
    message: str,
    *,
    errno: int,
    field: str,
    singular: str,
    detail: str,
    value: Any = None,
) -> SandboxAPIError:
    """The family's validation error: 422 with details (project-like and events), else
    400."""
    detailed = ctx.family.is_project_like or ctx.family is Family.EVENTS
    return SandboxAPIError(
        422 if detailed else 400,
        message,
        errno=errno,
        field=field,
        value=value,
        object=singular,
        details=[(field, detail)] if detailed else None,
    )


def _check_object(
    ctx: Ctx,
    schema: Schema,
    singular: str,
    obj: dict[str, Any],
    *,
    create: bool,
    item: tuple[str, int] | None = None,
) -> dict[str, Any]:
    """``obj`` checked against ``schema``; ``item``: (its name, its index) when it is an
    item of a list field, named in the errors."""
    clean: dict[str, Any] = {}
    checks = schema.checks
    if checks is None:
        checks = schema.checks = {
            key: (*_parse_tag(tag), tag) for key, tag in schema.fields.items()
        }
    for key, value in obj.items():
        entry = checks.get(key)
        if entry is None:
            if key in schema.ignored:
                continue
            if not schema.strict:
                clean[key] = value
                continue
            raise _invalid(
                ctx,
                f"Unknown field '{key}' for {singular}{_where(item)}.",
                errno=1006,
                field=key,
                singular=singular,
                detail="extra fields not permitted",
            )
        check, nullable, tag = entry
        try:
            if value is not None:
                clean[key] = check(value)
            elif nullable:
                clean[key] = None
            else:
                raise ValueError("may not be null")
        except ValueError as exc:
            reason = (
                str(exc)
                if str(exc) and not str(exc).startswith(("Invalid", "could"))
                else f"must be a valid {tag.rstrip('?')}"
            )
            raise _invalid(
                ctx,
                f"Invalid value for field '{key}'{_where(item)}: {reason}.",
                errno=_NUMERIC_ERRNO.get(tag.rstrip("?"), 1004),
                field=key,
                value=value,
                singular=singular,
                detail=f"Invalid value: {reason}",
            ) from None
    if create:
        for key in schema.required:
            if clean.get(key) in (None, ""):
                raise _invalid(
                    ctx,
                    f"Missing required field '{key}'{_where(item)}.",
                    errno=1001,
                    field=key,
                    singular=singular,
                    detail="field required",
                )
    for key, (item_name, item_schema) in schema.nested.items():
        items = clean.get(key)
        if not items:
            continue
        checked = []
        for i, element in enumerate(items):
            if not isinstance(element, dict):
                raise _invalid(
                    ctx,
                    f"{item_name.capitalize()} {i} of '{key}' must be an object.",
                    errno=1004,
                    field=key,
                    singular=singular,
                    detail=f"item {i} must be an object",
                )
            checked.append(
                _check_object(
                    ctx, item_schema, item_name, element, create=True, item=(item_name, i)
                )
            )
        clean[key] = checked
    return clean


def _where(item: tuple[str, int] | None) -> str:
    return "" if item is None else f" on {item[0]} {item[1]}"


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
