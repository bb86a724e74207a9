"""Webhook emission: the event names, the signature of a delivery, and ``emit``, which
every writer calls after its commit to deliver ``<noun>.<verb>`` to the account's
verified callbacks.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from urllib.parse import urlencode

from .._core import Business, Sandbox

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
