"""The project-like families (projects, timetracking, comments): their generic CRUD,
list filters, service rates, and the team, thread and ability endpoints.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..._catalogue import Family, spec
from .._core import Business, Ctx, Reply, Sandbox
from .._errors import SandboxAPIError
from .._objects import iso_time
from .._store import Record, Table
from .common import _business, _digits, _lookup, _paginate, _spec, _unwrap
from .events import emit
from .filters import _sort
from .validation import _validate

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
