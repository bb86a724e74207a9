"""The payments family: invoices' payment options and their defaults, checkout links,
gateways and their connections, and the tokenization endpoints.
"""

from __future__ import annotations

import secrets
from typing import Any

from .._core import Business, Ctx, Reply, Sandbox
from .._errors import SandboxAPIError
from .._objects import dec, iso_time, money
from .._store import Record
from .common import _account, _digits
from .validation import _validate


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
