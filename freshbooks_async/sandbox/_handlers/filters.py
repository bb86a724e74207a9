"""List filters and sorting of the accounting lists: ``search[...]`` filters by field,
id lists, date and amount ranges, and ``sort``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .._core import Ctx
from .._errors import SandboxAPIError
from .._objects import dec
from .common import _EXTRA_ID


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
