"""The auth family and OAuth: the identity (``/auth/api/v1/users/me``), businesses,
applications, team members and the billing subscription; and the authorization server
(authorize page, token grants with single-use refresh tokens, revocation).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

import yarl

from .._core import Ctx, Reply, Sandbox
from .._errors import SandboxAPIError
from .._store import Record, on_undo
from .common import _business, _digits


def identity(sb: Sandbox) -> dict[str, Any]:
    """The ``users/me`` body (shape of the PY fixture ``auth_me_response.json``)."""
    return {
        "id": sb.identity_id,
        "identity_id": sb.identity_id,
        "identity_uuid": "00000000-0000-4000-8000-000000000001",
        "first_name": "Sandy",
        "last_name": "Box",
        "email": "owner@sandbox.invalid",
        "language": "en",
        "confirmed_at": "2020-01-01T00:00:00Z",
        "created_at": "2020-01-01T00:00:00Z",
        "unconfirmed_email": None,
        "setup_complete": True,
        "phone_numbers": [],
        "addresses": [],
        "profile": {"setup_complete": True, "first_name": "Sandy", "last_name": "Box"},
        "business_memberships": [
            {
                "id": 100 + b.id,
                "role": "owner",
                "unacknowledged_change": False,
                "fasttrack_token": None,
                "business": {
                    "id": b.id,
                    "business_uuid": b.uuid,
                    "name": b.name,
                    "account_id": b.account_id,
                    "date_format": "mm/dd/yyyy",
                    "active": True,
                    "address": None,
                    "phone_number": None,
                    "business_clients": [],
                },
            }
            for b in sb.businesses.values()
        ],
        "roles": [
            {"id": 1, "role": "admin", "systemid": b.id, "userid": 1, "accountid": b.account_id}
            for b in sb.businesses.values()
        ],
        "links": {"me": f"/service/auth/api/v1/users?id={sb.identity_id}"},
        "permissions": {},
        "groups": [],
    }


async def auth_family(ctx: Ctx) -> Reply:
    sb = ctx.sb
    res, op = ctx.route.resource, ctx.route.op
    if res == "identity" and op == "get":
        return Reply(200, {"response": identity(sb)})
    if res == "identity":
        obj = ctx.json_body()
        return Reply(
            200,
            {
                "response": {
                    "registration": {
                        "id": sb.rng.randrange(10**6),
                        **(obj if isinstance(obj, dict) else {}),
                    }
                }
            },
        )
    if res == "businesses":
        if op == "create":
            obj = ctx.json_body()
            raw = obj.get("business", obj) if isinstance(obj, dict) else {}
            name = raw.get("name") if isinstance(raw, dict) else None
            if not isinstance(name, str) or not name:
                raise SandboxAPIError(400, "Business name is required.", error="invalid_request")
            biz = sb.add_business(name=name)
            return Reply(
                200,
                {
                    "response": {
                        "business": {
                            "id": biz.id,
                            "account_id": biz.account_id,
                            "business_uuid": biz.uuid,
                            "name": name,
                            "date_format": "mm/dd/yyyy",
                            "address": None,
                            "phone_number": None,
                            "business_clients": [],
                        }
                    }
                },
            )
        raw = ctx.params["business_id"]
        biz_found = sb.businesses.get(int(raw)) if _digits(raw) else None
        if biz_found is None:
            raise SandboxAPIError(404, "Business not found.")
        if op == "delete":
            if biz_found is sb.default_business:
                raise SandboxAPIError(
                    422, "The business has an active subscription.", error="unprocessable"
                )
            sb.remove_business(biz_found)
            return Reply(200)
        # The business with its group of people, as the live API answers.
        group_id = 50_000 + biz_found.id
        return Reply(
            200,
            {
                "response": {
                    "id": biz_found.id,
                    "business_uuid": biz_found.uuid,
                    "name": biz_found.name,
                    "account_id": biz_found.account_id,
                    "business_group": {
                        "id": group_id,
                        "category": "business",
                        "members": [
                            {
                                "id": 60_000 + biz_found.id,
                                "group_id": group_id,
                                "role": "owner",
                                "identity_id": sb.identity_id,
                                "identity_uuid": "00000000-0000-4000-8000-000000000001",
                                "first_name": "Sandy",
                                "last_name": "Box",
                                "language": "en",
                                "email": "owner@sandbox.invalid",
                                "company": biz_found.name,
                                "business_id": biz_found.id,
                                "unacknowledged_change": False,
                                "active": True,
                            }
                        ],
                    },
                    "date_format": "mm/dd/yyyy",
                    "address": None,
                    "phone_number": None,
                    "business_clients": [],
                }
            },
        )
    if res == "billing_subscription":
        return Reply(200)
    if res == "applications":
        table = sb.table("apps", "applications")
        if op == "list":
            return Reply(200, {"response": [r.data for r in table]})
        obj = ctx.json_body()
        app = obj.get("application", obj) if isinstance(obj, dict) else None
        if not isinstance(app, dict):
            raise SandboxAPIError(400, "Invalid application.", error="invalid_request")
        if op == "create":
            cid = secrets.token_hex(16)
            data = {"client_id": cid, "name": app.get("name", ""), **app}
            table.add(Record(cid, data))
            return Reply(200, {"response": data})
        rec = table.get(ctx.params["client_id"])
        if rec is None:
            raise SandboxAPIError(404, "Application not found.")
        rec.data.update(app)
        return Reply(200, {"response": rec.data})
    if res == "team_members":
        biz = _business(ctx)
        member = {
            "uuid": "00000000-0000-4000-8000-000000000001",
            "identity_id": sb.identity_id,
            "business_id": biz.id,
            "first_name": "Sandy",
            "last_name": "Box",
            "email": "owner@sandbox.invalid",
            "role": "owner",
            "active": True,
        }
        if op == "list":
            return Reply(
                200, {"response": [member], "meta": {"page": 1, "per_page": 30, "total": 1}}
            )
        if ctx.params["team_member_uuid"] != member["uuid"]:
            raise SandboxAPIError(404, "Team member not found.")
        return Reply(200, {"response": member})
    obj = ctx.json_body()
    return Reply(200, {"response": {"invitation": obj if isinstance(obj, dict) else {}}})


def _oauth_error(status: int, error: str, description: str) -> SandboxAPIError:
    return SandboxAPIError(status, description, error=error)


async def oauth(ctx: Ctx) -> Reply:
    sb = ctx.sb
    op = ctx.route.op
    if op == "other:authorize":
        q = ctx.query
        if q.get("client_id") != sb.client_id:
            raise _oauth_error(400, "invalid_client", "Unknown client_id.")
        if q.get("response_type") != "code":
            raise _oauth_error(400, "unsupported_response_type", "response_type must be code.")
        redirect = q.get("redirect_uri", "")
        if not redirect:
            raise _oauth_error(400, "invalid_request", "redirect_uri is required.")
        code = secrets.token_hex(16)
        try:
            target = yarl.URL(redirect)
            if target.scheme not in ("http", "https") or not target.host:
                raise ValueError(redirect)
            target = target.update_query({"code": code})
            if "state" in q:
                target = target.update_query({"state": q["state"]})
            location = str(target)
        except (ValueError, TypeError, UnicodeError):
            raise _oauth_error(
                400, "invalid_request", f"redirect_uri is not an absolute http(s) URL: {redirect!r}"
            ) from None
        scope = q.get("scope")
        scopes = frozenset(scope.split()) | {"user:profile:read"} if scope else None
        sb.auth_codes[code] = (sb.client_id, redirect, scopes, sb.clock.time() + 300)
        on_undo(lambda: sb.auth_codes.pop(code, None))
        return Reply(302, None, headers={"Location": location})
    form = ctx.json_body()
    if not isinstance(form, dict):
        raise _oauth_error(400, "invalid_request", "The request body must be an object.")
    form = {k: str(v) for k, v in form.items()}
    if form.get("client_id") != sb.client_id or not hmac.compare_digest(
        form.get("client_secret", ""), sb.client_secret
    ):
        raise _oauth_error(401, "invalid_client", "Client authentication failed.")
    if ctx.path.endswith("/revoke"):
        token = form.get("token", "")
        sb.revoke_token(token)
        info = sb.refresh_tokens.get(token)
        if info is not None and token not in sb.used_refresh_tokens:
            sb.used_refresh_tokens.add(token)
            on_undo(lambda: sb.used_refresh_tokens.discard(token))
        return Reply(200, {})
    grant = form.get("grant_type")
    if grant == "authorization_code":
        code = form.get("code", "")
        entry = sb.auth_codes.get(code)
        if entry is None or entry[3] < sb.clock.time():
            raise _oauth_error(
                400, "invalid_grant", "The authorization code is invalid or expired."
            )
        if form.get("redirect_uri") and form["redirect_uri"] != entry[1]:
            raise _oauth_error(400, "invalid_grant", "redirect_uri does not match.")
        # Single use: consumed by the exchange that succeeds (a refused one changes nothing).
        del sb.auth_codes[code]
        on_undo(lambda: sb.auth_codes.__setitem__(code, entry))
        info = sb._mint(entry[2], 43200, refresh=True)
    elif grant == "refresh_token":
        old = form.get("refresh_token", "")
        previous = sb.refresh_tokens.get(old)
        if previous is None or old in sb.used_refresh_tokens or previous.revoked:
            # Refresh tokens are single-use (IRL live: reuse -> 400 invalid_grant).
            raise _oauth_error(
                400, "invalid_grant", "The refresh token is invalid, revoked or already used."
            )
        sb.used_refresh_tokens.add(old)
        on_undo(lambda: sb.used_refresh_tokens.discard(old))
        info = sb._mint(previous.scopes, 43200, refresh=True)
    else:
        raise _oauth_error(400, "unsupported_grant_type", f"Unsupported grant_type {grant!r}.")
    return Reply(
        200,
        {
            "access_token": info.token,
            "refresh_token": info.refresh_token,
            "token_type": "Bearer",
            "expires_in": 43200,
            "scope": " ".join(sorted(info.scopes))
            if info.scopes is not None
            else "user:profile:read",
            "created_at": int(sb.clock.time()),
            "direct_buy_tokens": {},
        },
    )
