"""``freshbooks-async login``: the OAuth2 authorization-code flow from a terminal.

Listens on the host and port of ``--redirect-uri`` (a loopback address), opens the
authorization page in a browser (or prints it with ``--no-browser``), waits for the
redirect, checks its ``state`` in constant time, exchanges the code and saves the token
to the token store (a ``0600`` JSON file). Only the identity's e-mail and businesses
are printed: never a token or the client secret.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Final

import yarl
from aiohttp import web

from ..auth import DEFAULT_AUTHORIZE_URL, JSONFileTokenStore, OAuth2Session, check_state
from ..client import DEFAULT_BASE_URL, FreshBooksClient
from ..errors import FreshBooksError
from ._common import (
    ENV_API_URL,
    ENV_CLIENT_ID,
    ENV_CLIENT_SECRET,
    EXIT_OK,
    EXIT_USAGE,
    CLIError,
    businesses,
    default_token_file,
)

__all__ = ["DEFAULT_SCOPES", "run_login"]

#: Asked for when no ``--scope`` is given: read access to what ``export`` reads, and
#: invoice writes for ``bulk-create``.
DEFAULT_SCOPES: Final = (
    "user:profile:read",
    "user:clients:read",
    "user:invoices:read",
    "user:invoices:write",
)

_PAGE: Final = (
    "<!doctype html><title>freshbooks-async</title>"
    "<p>{message}</p><p>You can close this tab and return to the terminal.</p>"
)

#: Opens the authorization URL (``webbrowser.open`` by default; tests inject a fake browser).
Opener = Callable[[str], Any]


def _redirect_target(uri: str) -> yarl.URL:
    try:
        url = yarl.URL(uri)
    except (TypeError, ValueError):
        raise CLIError(f"--redirect-uri: not a URL: {uri!r}", EXIT_USAGE) from None
    if url.scheme != "http" or url.host not in ("127.0.0.1", "localhost", "::1") or not url.port:
        raise CLIError(
            "--redirect-uri: must be http://127.0.0.1:PORT/PATH (a loopback listener), "
            f"got {uri!r}",
            EXIT_USAGE,
        )
    return url


def _prepare_token_file(given: str | None) -> Path:
    path = Path(given).expanduser() if given else default_token_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


async def run_login(
    args: argparse.Namespace,
    *,
    out: IO[str],
    err: IO[str],
    opener: Opener | None = None,
) -> int:
    """Run ``login`` with parsed arguments (see the module docs).

    Args:
        args: The parsed arguments.
        out: Where the result is printed.
        err: Where instructions are printed.
        opener: Opens the authorization URL; ``webbrowser.open`` unless ``--no-browser``.

    Returns:
        The exit status.

    Raises:
        CLIError: Missing app credentials, a refused or forged redirect, a timeout.
    """
    client_id = args.client_id or os.environ.get(ENV_CLIENT_ID)
    client_secret = args.client_secret or os.environ.get(ENV_CLIENT_SECRET)
    if not client_id or not client_secret:
        raise CLIError(
            f"login needs the app's --client-id and --client-secret (or ${ENV_CLIENT_ID} and "
            f"${ENV_CLIENT_SECRET})",
            EXIT_USAGE,
        )
    if not args.timeout > 0:
        raise CLIError(f"--timeout: must be > 0, got {args.timeout}", EXIT_USAGE)
    redirect = _redirect_target(args.redirect_uri)
    base_url = args.base_url or os.environ.get(ENV_API_URL) or DEFAULT_BASE_URL
    token_file = _prepare_token_file(args.token_file)
    store = JSONFileTokenStore(token_file)
    session = OAuth2Session(
        client_id,
        client_secret,
        args.redirect_uri,
        store=store,
        authorize_url=args.authorize_url or DEFAULT_AUTHORIZE_URL,
    )
    request = session.authorization_url(args.scope or DEFAULT_SCOPES)
    loop = asyncio.get_running_loop()
    arrived: asyncio.Future[str] = loop.create_future()

    async def callback(req: web.Request) -> web.Response:
        if arrived.done():
            return web.Response(
                text=_PAGE.format(message="Already handled."), content_type="text/html"
            )
        query = req.query
        if "error" in query:
            reason = f"{query.get('error')} {query.get('error_description', '')}".strip()
            arrived.set_exception(CLIError(f"authorization refused: {reason}"))
            return web.Response(
                status=400,
                text=_PAGE.format(message="Authorization was refused."),
                content_type="text/html",
            )
        try:
            check_state(request.state, query.get("state"))
        except ValueError:
            # A forged or stale redirect: keep waiting for the real one.
            err.write("freshbooks-async: warning: ignored a redirect with a wrong state\n")
            return web.Response(
                status=400,
                text=_PAGE.format(message="State mismatch; ignored."),
                content_type="text/html",
            )
        code = query.get("code")
        if not code:
            return web.Response(
                status=400,
                text=_PAGE.format(message="No code in the redirect."),
                content_type="text/html",
            )
        arrived.set_result(code)
        return web.Response(text=_PAGE.format(message="Authorized."), content_type="text/html")

    app = web.Application()
    app.router.add_get(redirect.path or "/", callback)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, redirect.host, redirect.port)
        try:
            await site.start()
        except OSError as exc:
            raise CLIError(
                f"cannot listen on {redirect.host}:{redirect.port}: {exc.strerror}"
            ) from None
        err.write(f"Open this URL to authorize the app:\n  {request.url}\n")
        err.write(f"Waiting for the redirect to {args.redirect_uri} ...\n")
        err.flush()
        open_url = opener if opener is not None else (None if args.no_browser else webbrowser.open)
        browser = (
            asyncio.ensure_future(asyncio.to_thread(open_url, request.url)) if open_url else None
        )
        try:
            code = await asyncio.wait_for(arrived, args.timeout)
        except TimeoutError:
            raise CLIError(f"login: no redirect within {args.timeout:g} s") from None
        finally:
            if browser is not None:
                await asyncio.gather(browser, return_exceptions=True)
    finally:
        await runner.cleanup()
    async with FreshBooksClient(token_provider=session, base_url=base_url) as fb:
        try:
            token = await session.exchange_code(code)
        except FreshBooksError as exc:
            raise CLIError(
                f"login: the code exchange failed: {type(exc).__name__}: {exc}"
            ) from None
        found = await businesses(fb)
        identity = await fb.me()
    email = identity.email if isinstance(identity.email, str) else "?"
    out.write(f"Logged in as {email}; token saved to {token_file}")
    if token.scopes:
        out.write(f" (scopes: {' '.join(token.scopes)})")
    out.write("\n")
    for biz in found:
        out.write(
            f"  {biz.name}: account_id={biz.account_id} business_id={biz.business_id} "
            f"business_uuid={biz.business_uuid}\n"
        )
    return EXIT_OK
