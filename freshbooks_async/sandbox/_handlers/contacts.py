"""Client contacts: the contacts a client carries, kept in step with the contacts table,
and the contact update and delete endpoints.
"""

from __future__ import annotations

from typing import Any

from .._core import Business, Ctx, Reply, Sandbox
from .._store import Record
from .common import _account, _lookup, _now_acc, _unwrap
from .rendering import _acc_one
from .validation import _validate

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
