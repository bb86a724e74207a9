"""Every Python example of README.rst and docs/*.rst, run against a real sandbox.

The examples are the ones ``nox -s typecheck`` type-checks (same extraction:
``.ci/doc_examples.py``). Each one runs in a fresh :class:`SandboxServer` on 127.0.0.1,
in a thread with its own event loop (so ``asyncio.run(main())`` runs as written), with
the names the prose takes for granted bound: ``fb`` a client on the sandbox,
``account_id`` ``"ACC001"``, ``business_id`` 1, ``business_uuid``, ``token``,
``sandbox`` (the served :class:`Sandbox`) and ``server_url``. An ``.. example setup:``
comment above a block runs first; a block under ``.. example: no-run (reason)`` is
skipped with its reason.

Examples written for production (``FreshBooksClient(access_token="...")``, no
``base_url``) are pointed at the sandbox: while an example runs, a client made with the
default base URL, over HTTP (no transport, or an ``AiohttpTransport``), talks to the
sandbox with its token. Each example runs in a temporary directory, which is also its
``HOME`` (a token file ``"token.json"`` or ``"~/.freshbooks-token.json"`` lands there).

The OAuth examples need a user who authorizes the app in a browser. Their setup calls
``play_the_user()``, which plays that part: when the example asks
``OAuth2Session.authorization_url`` for the page to send the user to, the harness opens
it as the user's browser would, on the sandbox (whose authorize page consents at once:
no login form), reads the redirect to ``redirect_uri`` and binds its ``code`` and
``state`` to the names the example's prose provides, ``code`` and ``received_state``.
The example's code itself runs as written.
"""

from __future__ import annotations

import ast
import asyncio
import functools
import http.client
import importlib.util
import inspect
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs
import pytest
import yarl

from freshbooks_async import AiohttpTransport, FreshBooksClient
from freshbooks_async.auth import AuthorizationRequest, OAuth2Session
from freshbooks_async.client import DEFAULT_BASE_URL
from freshbooks_async.sandbox import Sandbox, SandboxServer

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("doc_examples", ROOT / ".ci" / "doc_examples.py")
assert _spec is not None
assert _spec.loader is not None
doc_examples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(doc_examples)

#: Seconds an example may take: a safety net, not a timing assertion.
TIMEOUT = 60.0


@attrs.frozen
class Example:
    source: str
    line: int
    code: str
    context: list[str]
    setup: list[str]
    no_run: str | None

    @property
    def name(self) -> str:
        return f"{self.source}:{self.line}"


def _collect() -> list[Example]:
    found: list[Example] = []
    for path in doc_examples.sources():
        source = path.relative_to(ROOT).as_posix()
        for line, code, notes in doc_examples.annotated(path):
            reason = notes.get("no-run")
            found.append(
                Example(
                    source,
                    line,
                    code,
                    notes.get("context", []),
                    notes.get("setup", []),
                    reason[0] if reason else None,
                )
            )
    return found


EXAMPLES = _collect()


def _prelude() -> str:
    # The type-checking prelude's imports (its declarations are annotations only).
    return str(doc_examples.PRELUDE).format(source="", line=0)


async def _exec(code: str, namespace: dict[str, Any], filename: str) -> None:
    """Run ``code`` (top-level ``await`` allowed) in ``namespace``."""
    compiled = compile(
        code, filename, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True
    )
    result = eval(compiled, namespace)  # noqa: S307 - the repository's own documentation
    if inspect.isawaitable(result):
        await result


@attrs.frozen
class _Target:
    url: str
    token: str
    sandbox: Sandbox


@functools.cache
def _original_init() -> Any:
    return FreshBooksClient.__init__


def _pointed_at(target: _Target) -> Any:
    """``FreshBooksClient.__init__`` sending production-shaped clients to the sandbox."""
    original = _original_init()

    def init(self: FreshBooksClient, access_token: str | None = None, **kwargs: Any) -> None:
        transport = kwargs.get("transport")
        over_http = transport is None or isinstance(transport, AiohttpTransport)
        if over_http and kwargs.get("base_url", DEFAULT_BASE_URL) == DEFAULT_BASE_URL:
            kwargs["base_url"] = target.url
            if access_token is not None:
                access_token = target.token
        original(self, access_token, **kwargs)

    return init


def _authorize_in_the_sandbox(target: _Target, url: str) -> tuple[str, str]:
    """What the user's browser does with an authorization URL: open it (on the sandbox,
    which consents at once) and land on the redirect. Returns its ``code`` and ``state``.

    Blocking: it runs in the example's thread while the sandbox serves on the test's loop.
    """
    asked = yarl.URL(url)
    redirect_uri = asked.query["redirect_uri"]
    sandbox = yarl.URL(target.url)
    connection = http.client.HTTPConnection(sandbox.host or "127.0.0.1", sandbox.port, timeout=10)
    try:
        connection.request("GET", asked.raw_path_qs)
        response = connection.getresponse()
        response.read()
        location = response.getheader("Location")
    finally:
        connection.close()
    assert response.status == 302, f"authorize answered {response.status}, not a redirect"
    assert location is not None
    landed = yarl.URL(location)
    assert str(landed.with_query(None)) == redirect_uri, f"redirected to {location}"
    return landed.query["code"], landed.query["state"]


def _user_in_a_browser(
    target: _Target, namespace: dict[str, Any], restore: list[Callable[[], None]]
) -> Callable[[], None]:
    """``play_the_user()`` for an example's setup (see the module docstring)."""

    def play_the_user() -> None:
        original = OAuth2Session.authorization_url

        def authorization_url(
            self: OAuth2Session, scopes: Iterable[str] = (), *, state: str | None = None
        ) -> AuthorizationRequest:
            request = original(self, scopes, state=state)
            code, received = _authorize_in_the_sandbox(target, request.url)
            namespace.update(code=code, received_state=received)
            return request

        OAuth2Session.authorization_url = authorization_url  # type: ignore[method-assign]
        restore.append(lambda: setattr(OAuth2Session, "authorization_url", original))

    return play_the_user


def _run_in_thread(example: Example, target: _Target) -> None:
    """Run one example in this (worker) thread, on its own event loop."""
    namespace: dict[str, Any] = {"__name__": "__doc_example__"}
    exec(compile(_prelude(), "<prelude>", "exec"), namespace)  # noqa: S102
    business = target.sandbox.default_business
    restore: list[Callable[[], None]] = []
    namespace.update(
        account_id=business.account_id,
        business_id=business.id,
        business_uuid=business.uuid,
        token=target.token,
        sandbox=target.sandbox,
        server_url=target.url,
        play_the_user=_user_in_a_browser(target, namespace, restore),
    )
    context = "\n".join(example.context)
    setup = "\n".join(example.setup)
    needs_loop = doc_examples._needs_async(example.code) or doc_examples._needs_async(setup)

    own: FreshBooksClient | None = None

    async def main() -> None:
        nonlocal own
        async with FreshBooksClient(target.token, base_url=target.url) as fb:
            namespace["fb"] = own = fb
            await _exec(context, namespace, f"{example.name} (context)")
            await _exec(setup, namespace, f"{example.name} (setup)")
            await _exec(example.code, namespace, example.name)

    try:
        if needs_loop:
            asyncio.run(main())
        else:
            # Synchronous code (it may call asyncio.run itself).
            exec(compile(context, f"{example.name} (context)", "exec"), namespace)  # noqa: S102
            exec(compile(setup, f"{example.name} (setup)", "exec"), namespace)  # noqa: S102
            exec(compile(example.code, example.name, "exec"), namespace)  # noqa: S102
    finally:
        for undo in reversed(restore):
            undo()
        # Clients an example makes and keeps (``fb = FreshBooksClient(...)`` at module
        # level, as an application would) are closed, as the application would at exit.
        left = [v for v in namespace.values() if isinstance(v, FreshBooksClient) and v is not own]
        if left:
            asyncio.run(_close(left))


async def _close(clients: list[FreshBooksClient]) -> None:
    for client in clients:
        await client.aclose()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
async def test_example_runs_against_the_sandbox(
    example: Example, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if example.no_run is not None:
        pytest.skip(f"no-run: {example.no_run}")
    # Files an example writes (a token file, an export) land here, not in the tree or ~.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    async with SandboxServer() as server:
        target = _Target(server.url, server.token, server.sandbox)
        monkeypatch.setattr(FreshBooksClient, "__init__", _pointed_at(target))
        # The docs import example modules as users would after copying them (otel_tracing).
        monkeypatch.syspath_prepend(str(ROOT / "examples"))
        await asyncio.wait_for(asyncio.to_thread(_run_in_thread, example, target), TIMEOUT)


def test_most_examples_run_and_every_skip_says_why() -> None:
    skipped = [e for e in EXAMPLES if e.no_run is not None]
    ran = len(EXAMPLES) - len(skipped)
    summary = "\n".join(f"  {e.name}: {e.no_run}" for e in skipped)
    print(f"doc examples: {ran} run, {len(skipped)} not run:\n{summary}")
    assert all(e.no_run and e.no_run.strip() for e in skipped)
    assert ran >= 3 * len(skipped), f"too few examples run ({ran} of {len(EXAMPLES)})"
