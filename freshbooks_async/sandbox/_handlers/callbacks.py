"""The callbacks endpoints (events family): registering, listing, verifying, resending
the verification of, and deleting webhook callbacks.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

import yarl

from .._core import Business, Ctx, Reply, Sandbox
from .._errors import SandboxAPIError
from .._objects import iso_time
from .._store import Record
from .accounting import acc_get, acc_list
from .common import _account, _lookup, _unwrap
from .events import EVENTS, _send
from .rendering import _acc_one
from .validation import _validate


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
