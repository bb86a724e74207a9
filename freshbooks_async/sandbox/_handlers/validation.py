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


#: id(schema) -> (the schema, its fields as name -> (check, nullable, tag)), parsed once
#: (the schema is kept so that its id is never reused).
_SCHEMA_CHECKS: dict[int, tuple[Schema, dict[str, tuple[Callable[[Any], Any], bool, str]]]] = {}


def _checks_of(schema: Schema) -> dict[str, tuple[Callable[[Any], Any], bool, str]]:
    entry = _SCHEMA_CHECKS.get(id(schema))
    if entry is None or entry[0] is not schema:
        checks = {key: (*_parse_tag(tag), tag) for key, tag in schema.fields.items()}
        entry = _SCHEMA_CHECKS[id(schema)] = (schema, checks)
    return entry[1]


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
    checks = _checks_of(schema)
    for key, value in obj.items():
        entry = checks.get(key)
        if entry is None:
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
