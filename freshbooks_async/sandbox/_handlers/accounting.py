"""The generic accounting handlers (list, get, create, update, delete, archive) for every
table-driven resource, the payments that mark invoices paid, and the extra accounting
lists (expense summaries and vendors) and the ``systems`` object.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ..._catalogue import ResourceSpec
from .._core import Business, Ctx, Reply, Sandbox
from .._errors import SandboxAPIError
from .._objects import dec, money, next_invoice_number, template
from .._store import Record, dumps
from .common import (
    _EXTRA_ID,
    _account,
    _lookup,
    _money_amount,
    _now_acc,
    _paginate,
    _spec,
    _unwrap,
    _uuid,
)
from .contacts import _set_contacts
from .events import emit
from .filters import _accounting_filter, _sort
from .rendering import _acc_one, _bytes, _with_includes, render
from .validation import _check_refs, _validate


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
