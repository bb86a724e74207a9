"""The OAuth2 authorization-code flow in a small aiohttp app.

Run it against a local sandbox (everything on 127.0.0.1)::

    python examples/oauth_app.py

It starts the sandbox and the app, then plays the user's browser: ``/login`` redirects
to the sandbox's authorize page, which redirects back to ``/callback`` with a code; the
app checks the ``state`` against the cookie it set, exchanges the code, and shows the
user's identity from ``/auth/api/v1/users/me``. ``/logout`` revokes the token.

The app serves one FreshBooks user (one :class:`OAuth2Session`); a multi-user backend
keeps one session per user and persists tokens with ``on_token_refreshed`` or a
:class:`~freshbooks_async.auth.TokenStore` of its own.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from aiohttp import web

from freshbooks_async import FreshBooksClient
from freshbooks_async.auth import (
    DEFAULT_AUTHORIZE_URL,
    OAuth2Session,
    TokenStore,
    check_state,
)
from freshbooks_async.errors import NotAuthorizedError

SCOPES = ("user:profile:read", "user:clients:read")
STATE_COOKIE = "fb_oauth_state"
SESSION_KEY = web.AppKey("oauth_session", OAuth2Session)
CLIENT_KEY = web.AppKey("fb_client", FreshBooksClient)


def create_app(
    *,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    api_base: str = "https://api.freshbooks.com",
    authorize_url: str = DEFAULT_AUTHORIZE_URL,
    store: TokenStore | None = None,
) -> web.Application:
    """The app: ``/login``, ``/callback``, ``/me``, ``/logout``."""
    session = OAuth2Session(
        client_id, client_secret, redirect_uri, authorize_url=authorize_url, store=store
    )
    app = web.Application()
    app[SESSION_KEY] = session

    async def client_ctx(app: web.Application) -> AsyncIterator[None]:
        async with FreshBooksClient(token_provider=session, base_url=api_base) as fb:
            app[CLIENT_KEY] = fb
            yield

    app.cleanup_ctx.append(client_ctx)
    app.router.add_get("/login", login)
    app.router.add_get("/callback", callback)
    app.router.add_get("/me", me)
    app.router.add_post("/logout", logout)
    return app


async def login(request: web.Request) -> web.Response:
    authorization = request.app[SESSION_KEY].authorization_url(SCOPES)
    response = web.HTTPFound(authorization.url)
    # The state binds the redirect to this browser (CSRF protection).
    response.set_cookie(
        STATE_COOKIE, authorization.state, httponly=True, samesite="Lax", max_age=600
    )
    raise response


async def callback(request: web.Request) -> web.Response:
    if "error" in request.query:
        return web.json_response({"error": request.query["error"]}, status=400)
    expected = request.cookies.get(STATE_COOKIE)
    code = request.query.get("code")
    if not expected or not code:
        return web.json_response({"error": "missing code or state"}, status=400)
    try:
        check_state(expected, request.query.get("state"))
    except ValueError:
        return web.json_response({"error": "state mismatch"}, status=400)
    await request.app[SESSION_KEY].exchange_code(code)
    response = await me(request)
    response.del_cookie(STATE_COOKIE)
    return response


async def me(request: web.Request) -> web.Response:
    try:
        identity = await request.app[CLIENT_KEY].me()
    except NotAuthorizedError:
        return web.json_response({"error": "not signed in: visit /login"}, status=401)
    return web.json_response(
        {
            "identity_id": identity.identity_id or identity.id,
            "email": identity.email,
            "accounts": [m.business.account_id for m in identity.business_memberships],
        }
    )


async def logout(request: web.Request) -> web.Response:
    await request.app[SESSION_KEY].revoke()
    return web.json_response({"revoked": True})


async def run_demo() -> dict[str, Any]:
    """Start the sandbox and the app on loopback, and walk through the flow."""
    from freshbooks_async.sandbox import SandboxServer

    async with SandboxServer() as server:
        sandbox = server.sandbox
        # Bind first, so the redirect URI (with its port) is known to the app.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        app = create_app(
            client_id=sandbox.client_id,
            client_secret=sandbox.client_secret,
            redirect_uri=f"http://127.0.0.1:{port}/callback",
            api_base=server.url,
            authorize_url=f"{server.url}/oauth/authorize",
        )
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        await web.SockSite(runner, sock).start()
        try:
            # unsafe=True: keep cookies for an IP-address host (127.0.0.1).
            jar = aiohttp.CookieJar(unsafe=True)
            async with aiohttp.ClientSession(cookie_jar=jar) as browser:
                base = f"http://127.0.0.1:{port}"
                async with browser.get(f"{base}/login") as response:
                    response.raise_for_status()
                    profile: dict[str, Any] = await response.json()
                async with browser.post(f"{base}/logout") as response:
                    response.raise_for_status()
                async with browser.get(f"{base}/me") as response:
                    profile["after_logout_status"] = response.status
            return profile
        finally:
            await runner.cleanup()


if __name__ == "__main__":
    print(asyncio.run(run_demo()))
