"""OAuth2: the code flow, rotation, revoke, single-flight refresh, stores, secrecy.

Against the in-process sandbox (``MockTransport(sandbox.handle)``) sharing a FakeClock
with the client, so token expiry is exact and no wall time passes.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import os
import stat
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yarl
from aiohttp.test_utils import TestClient, TestServer

from freshbooks_async import FakeClock, FreshBooksClient, RetryPolicy, errors
from freshbooks_async.auth import (
    DEFAULT_AUTHORIZE_URL,
    JSONFileTokenStore,
    MemoryTokenStore,
    OAuth2Session,
    Token,
    check_state,
)
from freshbooks_async.errors import NotAuthorizedError, RefreshAmbiguousError
from freshbooks_async.sandbox import Sandbox
from freshbooks_async.testing import MockTransport, Router
from freshbooks_async.transports import Request, Response

BASE = "https://api.freshbooks.com"
REDIRECT = "https://localhost/callback"
ME = "/auth/api/v1/users/me"
CLIENTS = "/accounting/account/ACC001/users/clients"
TOKEN_PATH = "/auth/oauth/token"
NO_WAIT = RetryPolicy(jitter=lambda ceiling: 0.0)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(clock: FakeClock) -> Sandbox:
    return Sandbox(clock=clock)


@pytest.fixture
def transport(sandbox: Sandbox) -> MockTransport:
    return MockTransport(sandbox.handle)


def make_session(sandbox: Sandbox, **options: Any) -> OAuth2Session:
    return OAuth2Session(
        sandbox.client_id,
        sandbox.client_secret,
        REDIRECT,
        authorize_url=f"{BASE}/oauth/authorize",
        **options,
    )


@pytest.fixture
def session(sandbox: Sandbox) -> OAuth2Session:
    return make_session(sandbox)


@pytest.fixture
async def fb(
    session: OAuth2Session, transport: MockTransport, clock: FakeClock
) -> AsyncIterator[FreshBooksClient]:
    async with FreshBooksClient(
        token_provider=session, transport=transport, clock=clock, retry=NO_WAIT
    ) as client:
        yield client


async def authorize(
    sandbox: Sandbox, session: OAuth2Session, scopes: list[str] | None = None
) -> str:
    """Play the user's browser: open the authorize URL, follow to the redirect, check state."""
    request = session.authorization_url(scopes or [])
    response = await sandbox.handle(Request(method="GET", url=request.url))
    assert response.status == 302
    location = yarl.URL(response.headers["Location"])
    assert str(location.with_query(None)) == REDIRECT
    check_state(request.state, location.query["state"])
    return location.query["code"]


def token_posts(transport: MockTransport) -> list[Request]:
    return [r for r in transport.requests if r.url.path == TOKEN_PATH]


def form(request: Request) -> dict[str, str]:
    return dict(yarl.URL("?" + request.body.decode()).query)


# --------------------------------------------------------------------------- authorize URL


def test_authorization_url_carries_the_app_and_a_fresh_state() -> None:
    session = OAuth2Session("cid", "secret", REDIRECT)
    first = session.authorization_url(["user:invoices:read", "user:clients:write"])
    second = session.authorization_url(["user:invoices:read"])
    url = yarl.URL(first.url)
    assert str(url.with_query(None)) == DEFAULT_AUTHORIZE_URL
    assert url.query["client_id"] == "cid"
    assert url.query["response_type"] == "code"
    assert url.query["redirect_uri"] == REDIRECT
    assert url.query["scope"] == "user:invoices:read user:clients:write"
    assert url.query["state"] == first.state
    assert len(first.state) >= 32
    assert first.state != second.state  # generated per call
    assert "secret" not in first.url


def test_authorization_url_keeps_a_given_state_and_omits_empty_scope() -> None:
    request = OAuth2Session("cid", "secret", REDIRECT).authorization_url(state="abc123")
    assert request.state == "abc123"
    assert "scope" not in yarl.URL(request.url).query


@pytest.mark.parametrize(
    ("scopes", "state", "error"),
    [
        ("user:invoices:read", None, TypeError),
        (["two words"], None, ValueError),
        ([""], None, ValueError),
        ([], "", ValueError),
        ([], "a\nb", ValueError),
        ([], 5, TypeError),
    ],
)
def test_authorization_url_validates(scopes: Any, state: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        OAuth2Session("cid", "secret", REDIRECT).authorization_url(scopes, state=state)


def test_check_state() -> None:
    check_state("s3cr3t-state", "s3cr3t-state")
    with pytest.raises(ValueError, match="does not match"):
        check_state("s3cr3t-state", "s3cr3t-statf")
    with pytest.raises(ValueError, match="does not match"):
        check_state("s3cr3t-state", None)


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        ((1, "s", REDIRECT), {}, TypeError),
        (("", "s", REDIRECT), {}, ValueError),
        (("c", "s", REDIRECT), {"refresh_margin": -1}, ValueError),
        (("c", "s", REDIRECT), {"authorize_url": "ftp://x"}, ValueError),
        (("c", "s", REDIRECT), {"store": object()}, TypeError),
        (("c", "s", REDIRECT), {"token": "tok"}, TypeError),
        (("c", "s", REDIRECT), {"on_token_refreshed": 3}, TypeError),
    ],
)
def test_session_validates_arguments(
    args: tuple[Any, ...], kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        OAuth2Session(*args, **kwargs)


async def test_a_session_belongs_to_one_client(sandbox: Sandbox, transport: MockTransport) -> None:
    session = make_session(sandbox)
    with pytest.raises(RuntimeError, match="not attached"):
        await session.exchange_code("code")
    async with FreshBooksClient(token_provider=session, transport=transport):
        with pytest.raises(RuntimeError, match="another"):
            FreshBooksClient(token_provider=session, transport=transport)


# --------------------------------------------------------------------------- code flow


async def test_full_code_flow(
    sandbox: Sandbox,
    session: OAuth2Session,
    fb: FreshBooksClient,
    transport: MockTransport,
    clock: FakeClock,
) -> None:
    code = await authorize(sandbox, session, ["user:clients:read"])
    token = await session.exchange_code(code)
    assert token.scopes == ("user:clients:read", "user:profile:read")
    assert token.expires_at == clock.time() + 43200
    assert token.refresh_token
    (post,) = token_posts(transport)
    assert post.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Authorization" not in post.headers
    assert form(post) == {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": sandbox.client_id,
        "client_secret": sandbox.client_secret,
        "redirect_uri": REDIRECT,
    }
    me = await fb.request("GET", ME)
    assert me.status == 200
    sent = transport.requests[-1]
    assert sent.headers["Authorization"] == f"Bearer {token.access_token}"
    assert await session.store.load() == token
    # The granted scopes are enforced by the sandbox: invoices were not asked for.
    with pytest.raises(errors.PermissionDeniedError):
        await fb.request("GET", "/accounting/account/ACC001/invoices/invoices")


async def test_a_code_is_single_use(
    sandbox: Sandbox, session: OAuth2Session, fb: FreshBooksClient
) -> None:
    code = await authorize(sandbox, session)
    await session.exchange_code(code)
    with pytest.raises(errors.InvalidGrantError) as caught:
        await session.exchange_code(code)
    assert caught.value.error == "invalid_grant"
    assert caught.value.status == 400
    assert "authorization again" in str(caught.value)


async def test_bad_client_secret_is_an_oauth_error(
    sandbox: Sandbox, transport: MockTransport
) -> None:
    session = OAuth2Session(
        sandbox.client_id, "wrong-secret", REDIRECT, authorize_url=f"{BASE}/oauth/authorize"
    )
    async with FreshBooksClient(token_provider=session, transport=transport):
        code = await authorize(sandbox, session)
        with pytest.raises(errors.OAuthError) as caught:
            await session.exchange_code(code)
    assert caught.value.error == "invalid_client"
    assert not isinstance(caught.value, errors.InvalidGrantError)


async def test_no_token_is_a_clear_error(fb: FreshBooksClient) -> None:
    with pytest.raises(NotAuthorizedError, match="authorization_url"):
        await fb.request("GET", ME)


# --------------------------------------------------------------------------- rotation, revoke


async def test_refresh_rotates_and_the_old_refresh_token_dies(
    sandbox: Sandbox, session: OAuth2Session, fb: FreshBooksClient, transport: MockTransport
) -> None:
    first = await session.exchange_code(await authorize(sandbox, session))
    second = await session.refresh()
    assert second.access_token != first.access_token
    assert second.refresh_token != first.refresh_token
    assert form(token_posts(transport)[-1])["refresh_token"] == first.refresh_token
    assert (await fb.request("GET", ME)).status == 200
    # Replaying the spent refresh token (e.g. from a stale copy) is refused.
    stale = make_session(sandbox, token=first)
    async with FreshBooksClient(token_provider=stale, transport=transport):
        with pytest.raises(errors.InvalidGrantError, match="authorization again"):
            await stale.refresh()
        # ...and the session will not send it again.
        before = len(token_posts(transport))
        with pytest.raises(errors.InvalidGrantError):
            await stale.refresh()
        assert len(token_posts(transport)) == before


async def test_revoke_kills_both_tokens_and_clears_the_store(
    sandbox: Sandbox, session: OAuth2Session, fb: FreshBooksClient, transport: MockTransport
) -> None:
    token = await session.exchange_code(await authorize(sandbox, session))
    await session.revoke()
    revoke = transport.requests[-1]
    assert revoke.url.path == "/auth/oauth/revoke"
    assert form(revoke)["token"] == token.refresh_token
    assert session.token is None
    assert await session.store.load() is None
    with pytest.raises(NotAuthorizedError):
        await fb.request("GET", ME)
    async with FreshBooksClient(token.access_token, transport=transport) as plain:
        with pytest.raises(errors.AuthenticationError):
            await plain.request("GET", ME)
    again = make_session(sandbox, token=token)
    async with FreshBooksClient(token_provider=again, transport=transport):
        with pytest.raises(errors.InvalidGrantError):
            await again.refresh()


# --------------------------------------------------------------------------- automatic refresh


async def test_100_concurrent_401s_cause_one_refresh(
    sandbox: Sandbox, session: OAuth2Session, fb: FreshBooksClient, transport: MockTransport
) -> None:
    token = await session.exchange_code(await authorize(sandbox, session))
    # The server expires the token early; the session still believes it is fresh.
    sandbox.tokens[token.access_token].expires_at = 0.0
    transport.requests.clear()
    results = await asyncio.gather(*(fb.request("GET", ME) for _ in range(100)))
    assert all(r.status == 200 for r in results)
    assert len(token_posts(transport)) == 1
    assert session.refresh_count == 1
    new = session.token
    assert new is not None
    assert new.access_token != token.access_token
    api_calls = [r for r in transport.requests if r.url.path == ME]
    assert len(api_calls) == 200  # each: one 401, one replay with the new token
    replays = [r for r in api_calls if r.headers["Authorization"] == f"Bearer {new.access_token}"]
    assert len(replays) == 100


async def test_a_401_for_an_already_replaced_token_replays_without_refreshing(
    sandbox: Sandbox, session: OAuth2Session, fb: FreshBooksClient
) -> None:
    old = await session.exchange_code(await authorize(sandbox, session))
    await session.refresh()
    assert await session.on_unauthorized(old.access_token, Response(status=401)) is True
    assert session.refresh_count == 1


async def test_proactive_refresh_before_expiry(
    sandbox: Sandbox,
    session: OAuth2Session,
    fb: FreshBooksClient,
    transport: MockTransport,
    clock: FakeClock,
) -> None:
    first = await session.exchange_code(await authorize(sandbox, session))
    clock.advance(43200 - 301)  # just outside the 300 s margin: no refresh
    await fb.request("GET", ME)
    assert session.refresh_count == 0
    clock.advance(2)  # inside the margin: refresh before sending
    await fb.request("GET", ME)
    assert session.refresh_count == 1
    assert sandbox.stats.statuses[401] == 0  # refreshed before, not after, a rejection
    assert transport.requests[-1].headers["Authorization"] != f"Bearer {first.access_token}"
    assert clock.sleeps == []  # nothing waited


async def test_expired_token_without_refresh_token_surfaces_the_401(
    sandbox: Sandbox, transport: MockTransport, clock: FakeClock
) -> None:
    token = Token(access_token=sandbox.issue_token(expires_in=10), expires_at=clock.time() + 10)
    session = make_session(sandbox, token=token)
    async with FreshBooksClient(token_provider=session, transport=transport, clock=clock) as fb:
        clock.advance(20)
        with pytest.raises(errors.AuthenticationError):
            await fb.request("GET", ME)
    assert session.refresh_count == 0


async def test_token_is_loaded_from_the_store(
    sandbox: Sandbox, transport: MockTransport, clock: FakeClock
) -> None:
    stored = Token(access_token=sandbox.token, expires_at=clock.time() + 3600)
    session = make_session(sandbox, store=MemoryTokenStore(stored))
    async with FreshBooksClient(token_provider=session, transport=transport, clock=clock) as fb:
        assert (await fb.request("GET", ME)).status == 200
    assert session.token == stored


async def test_hooks_see_every_new_token(
    sandbox: Sandbox, transport: MockTransport, clock: FakeClock
) -> None:
    seen: list[Token] = []
    synced: list[Token] = []

    async def save_to_db(token: Token) -> None:
        await asyncio.sleep(0)
        seen.append(token)

    store = MemoryTokenStore()
    for hook, sink in ((save_to_db, seen), (synced.append, synced)):
        session = make_session(sandbox, store=store, on_token_refreshed=hook)
        async with FreshBooksClient(token_provider=session, transport=transport, clock=clock):
            first = await session.exchange_code(await authorize(sandbox, session))
            second = await session.refresh()
        assert sink == [first, second]
        assert await store.load() == second


# --------------------------------------------------------------------------- ambiguous refresh


async def test_refresh_lost_after_commit_is_ambiguous_and_not_repeated(
    sandbox: Sandbox, session: OAuth2Session, fb: FreshBooksClient, transport: MockTransport
) -> None:
    token = await session.exchange_code(await authorize(sandbox, session))
    sandbox.configure_faults(["reset_after_commit:count=1:route=POST /auth/oauth/token"])
    with pytest.raises(RefreshAmbiguousError, match="not sent again") as caught:
        await session.refresh()
    assert isinstance(caught.value.__cause__, errors.RequestMaybeSentError)
    # The sandbox did rotate: the old refresh token is spent.
    assert token.refresh_token in sandbox.used_refresh_tokens
    posts = len(token_posts(transport))
    with pytest.raises(RefreshAmbiguousError):
        await session.refresh()
    # A 401 now surfaces the same clear error instead of replaying the spent token.
    sandbox.tokens[token.access_token].expires_at = 0.0
    with pytest.raises(RefreshAmbiguousError):
        await fb.request("GET", ME)
    assert len(token_posts(transport)) == posts
    # Recovery: a new authorization.
    await session.exchange_code(await authorize(sandbox, session))
    assert (await fb.request("GET", ME)).status == 200


async def test_a_newer_token_in_the_store_unblocks_the_session(
    sandbox: Sandbox, session: OAuth2Session, fb: FreshBooksClient
) -> None:
    await session.exchange_code(await authorize(sandbox, session))
    sandbox.configure_faults(["503:count=1:route=POST /auth/oauth/token"])
    with pytest.raises(RefreshAmbiguousError) as caught:
        await session.refresh()
    cause = caught.value.__cause__
    assert isinstance(cause, errors.APIError)
    assert cause.status == 503
    other = make_session(sandbox)
    async with FreshBooksClient(token_provider=other, transport=MockTransport(sandbox.handle)):
        fresh = await other.exchange_code(await authorize(sandbox, other))
    await session.store.save(fresh)  # e.g. another worker wrote it to the database
    assert await session.refresh() == fresh
    assert session.token == fresh


async def test_proactive_refresh_failure_keeps_using_a_still_valid_token(
    sandbox: Sandbox, session: OAuth2Session, fb: FreshBooksClient, clock: FakeClock
) -> None:
    token = await session.exchange_code(await authorize(sandbox, session))
    sandbox.configure_faults(["reset_after_commit:count=1:route=POST /auth/oauth/token"])
    clock.advance(43200 - 60)
    assert (await fb.request("GET", ME)).status == 200  # the old token still works
    assert session.token == token
    clock.advance(120)  # now it has expired: the blocked state surfaces
    with pytest.raises(RefreshAmbiguousError):
        await fb.request("GET", ME)


async def test_a_cancelled_waiter_does_not_cancel_the_shared_refresh(
    sandbox: Sandbox, clock: FakeClock
) -> None:
    gate = asyncio.Event()

    async def slow(request: Request) -> Response:
        if request.url.path == TOKEN_PATH:
            await gate.wait()
        return await sandbox.handle(request)

    transport = MockTransport(slow)
    session = make_session(sandbox)
    async with FreshBooksClient(token_provider=session, transport=transport, clock=clock):
        gate.set()
        await session.exchange_code(await authorize(sandbox, session))
        gate.clear()
        first = asyncio.create_task(session.refresh())
        second = asyncio.create_task(session.refresh())
        await asyncio.sleep(0.01)
        first.cancel()
        gate.set()
        new = await second
        with pytest.raises(asyncio.CancelledError):
            await first
    assert session.token == new
    assert session.refresh_count == 1


# --------------------------------------------------------------------------- token values


def test_token_from_response_uses_the_earlier_expiry() -> None:
    body = {
        "access_token": "a" * 20,
        "refresh_token": "r" * 20,
        "expires_in": 100,
        "created_at": 1000,
        "scope": "x:y:read user:profile:read",
        "token_type": "Bearer",
    }
    assert Token.from_response(body, now=950).expires_at == 1050  # our clock is behind
    assert Token.from_response(body, now=1200).expires_at == 1100  # ours is ahead
    token = Token.from_response({**body, "created_at": None}, now=5)
    assert token.expires_at == 105
    assert token.scopes == ("x:y:read", "user:profile:read")
    assert Token.from_json(json.loads(json.dumps(token.to_json()))) == token


def test_token_from_the_python_sdk_fixture() -> None:
    path = Path(__file__).parent / "fixtures" / "python-sdk" / "auth_token_response.json"
    token = Token.from_response(json.loads(path.read_text()), now=1287273500)
    assert token.access_token == "my_access_token"
    assert token.expires_at == 1287273600
    assert token.scopes == ("some:scope",)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"access_token": 5},
        {"access_token": "x", "expires_in": "soon"},
        [],
        {"access_token": ""},
    ],
)
def test_malformed_token_responses(body: Any) -> None:
    with pytest.raises(errors.ResponseDecodeError):
        Token.from_response(body, now=0)


def test_token_validation_never_echoes_the_secret() -> None:
    with pytest.raises(ValueError, match="without whitespace") as caught:
        Token(access_token="has space-canary-secret")
    assert "canary" not in str(caught.value)


# --------------------------------------------------------------------------- stores


async def test_json_file_store_round_trip_and_mode(tmp_path: Path) -> None:
    store = JSONFileTokenStore(tmp_path / "token.json")
    assert await store.load() is None
    token = Token(access_token="a" * 20, refresh_token="r" * 20, expires_at=5.0, scopes=["s:t"])
    await store.save(token)
    assert await store.load() == token
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    await store.clear()
    assert await store.load() is None
    await store.clear()  # idempotent


@pytest.mark.parametrize("crash_in", ["fsync", "replace"])
async def test_json_file_store_crash_mid_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crash_in: str
) -> None:
    store = JSONFileTokenStore(tmp_path / "token.json")
    old = Token(access_token="old" * 8, refresh_token="oldr" * 6)
    await store.save(old)
    before = store.path.read_bytes()

    def crash(*args: object) -> None:
        raise OSError("simulated crash")

    monkeypatch.setattr(os, crash_in, crash)
    with pytest.raises(OSError, match="simulated crash"):
        await store.save(Token(access_token="new" * 8, refresh_token="newr" * 6))
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    assert await store.load() == old
    assert sorted(os.listdir(tmp_path)) == ["token.json"]  # no temp file left behind


async def test_json_file_store_rejects_garbage(tmp_path: Path) -> None:
    path = tmp_path / "token.json"
    path.write_text('{"access_token": 3}')
    with pytest.raises(ValueError, match="not a stored token"):
        await JSONFileTokenStore(path).load()
    with pytest.raises(TypeError):
        JSONFileTokenStore(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        await MemoryTokenStore().save("token")  # type: ignore[arg-type]


async def test_json_file_store_rejects_json_nested_too_deeply(tmp_path: Path) -> None:
    path = tmp_path / "token.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ValueError, match="not a stored token") as caught:
        await JSONFileTokenStore(path).load()
    assert str(path) in str(caught.value)


DEEP_JSON = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("status", [200, 400])
async def test_a_token_response_nested_too_deeply_is_a_decode_error(
    clock: FakeClock, status: int
) -> None:
    """A code exchange whose answer cannot be decoded raises ResponseDecodeError. A
    refresh answered that way may have spent the single-use refresh token (a 200 means
    the grant went through), so it is ambiguous: not sent again. A 4xx is a refusal."""
    router = Router(base_url=BASE)
    router.post(
        TOKEN_PATH,
        Response(status=status, headers={"Content-Type": "application/json"}, body=DEEP_JSON),
    )
    session = OAuth2Session("cid", "client-secret-value", REDIRECT)
    async with FreshBooksClient(
        token_provider=session, transport=MockTransport(router), clock=clock, retry=NO_WAIT
    ):
        with pytest.raises(errors.ResponseDecodeError, match="nested too deeply") as caught:
            await session.exchange_code("authorization-code-value")
        assert caught.value.status == status
        await session.set_token(Token(access_token="access-token-1", refresh_token="refresh-1"))
        if status == 200:
            with pytest.raises(RefreshAmbiguousError) as ambiguous:
                await session.refresh()
            assert isinstance(ambiguous.value.__cause__, errors.ResponseDecodeError)
            with pytest.raises(RefreshAmbiguousError):
                await session.refresh()
            assert session.refresh_count == 1  # the spent refresh token was not re-sent
        else:
            with pytest.raises(errors.ResponseDecodeError):
                await session.refresh()
            with pytest.raises(errors.ResponseDecodeError):
                await session.refresh()
            assert session.refresh_count == 2


async def test_session_persists_rotations_to_a_file(
    sandbox: Sandbox, transport: MockTransport, clock: FakeClock, tmp_path: Path
) -> None:
    store = JSONFileTokenStore(tmp_path / "t.json")
    session = make_session(sandbox, store=store)
    async with FreshBooksClient(token_provider=session, transport=transport, clock=clock):
        await session.exchange_code(await authorize(sandbox, session))
        rotated = await session.refresh()
    restarted = make_session(sandbox, store=JSONFileTokenStore(tmp_path / "t.json"))
    async with FreshBooksClient(token_provider=restarted, transport=transport, clock=clock) as fb:
        assert (await fb.request("GET", ME)).status == 200
        assert restarted.token == rotated


# --------------------------------------------------------------------------- secrecy

CANARY_ACCESS = "canary-access-5a1f9e77c3d04b2e"
CANARY_REFRESH = "canary-refresh-0b6e3f2a9d8c4e11"
CANARY_SECRET = "canary-secret-7d2c1b0a9e8f4a33"
CANARY_CODE = "canary-code-3e4f5a6b7c8d9e0f"


async def test_canaries_never_reach_logs_reprs_or_errors(
    caplog: pytest.LogCaptureFixture, clock: FakeClock
) -> None:
    caplog.set_level(logging.DEBUG)
    router = Router(base_url=BASE)
    router.post(
        TOKEN_PATH,
        Router.json(
            {
                "access_token": CANARY_ACCESS,
                "refresh_token": CANARY_REFRESH,
                "expires_in": 43200,
                "created_at": int(clock.time()),
                "scope": "user:profile:read",
            }
        ),
        Router.json(
            {
                "error": "invalid_grant",
                "error_description": "The refresh token is invalid, revoked or already used.",
            },
            status=400,
        ),
        Router.json({"error": "server_error", "error_description": "boom"}, status=503),
    )
    router.get(ME, Router.json({"response": {"id": 1}}, status=401))
    session = OAuth2Session("cid", CANARY_SECRET, REDIRECT)
    texts: list[str] = []
    async with FreshBooksClient(
        token_provider=session, transport=MockTransport(router), clock=clock, retry=NO_WAIT
    ) as fb:
        token = await session.exchange_code(CANARY_CODE)
        texts += [repr(token), str(token), repr(session), repr(fb), repr(session.store)]
        with pytest.raises(errors.InvalidGrantError) as caught:
            await fb.request("GET", ME)  # 401 -> refresh -> invalid_grant
        texts += [str(caught.value), repr(caught.value)]
        await session.set_token(token)
        with pytest.raises(RefreshAmbiguousError) as ambiguous:
            await session.refresh()
        texts += [str(ambiguous.value), repr(ambiguous.value), str(ambiguous.value.__cause__)]
    texts.append(caplog.text)
    texts += [repr(r.__dict__) for r in caplog.records]
    blob = "\n".join(texts)
    for canary in (CANARY_ACCESS, CANARY_REFRESH, CANARY_SECRET, CANARY_CODE):
        assert canary not in blob
    assert any(r.name == "freshbooks_async.auth" for r in caplog.records)  # it did log


# --------------------------------------------------------------------------- example app


def load_example(name: str) -> ModuleType:
    path = Path(__file__).parent.parent / "examples" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"examples_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


async def test_example_app_runs_the_code_flow_against_the_sandbox_on_loopback() -> None:
    profile = await load_example("oauth_app").run_demo()
    assert profile == {
        "identity_id": 1,
        "email": "owner@sandbox.invalid",
        "accounts": ["ACC001"],
        "after_logout_status": 401,
    }


async def test_example_app_refuses_a_forged_callback(sandbox: Sandbox) -> None:
    example = load_example("oauth_app")
    app = example.create_app(
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        redirect_uri=REDIRECT,
    )
    async with TestClient(TestServer(app)) as browser:
        async with browser.get("/login", allow_redirects=False) as response:
            assert response.status == 302
            location = yarl.URL(response.headers["Location"])
            assert location.query["state"] == response.cookies[example.STATE_COOKIE].value
        async with browser.get("/callback", params={"code": "c", "state": "forged"}) as response:
            assert response.status == 400
            assert await response.json() == {"error": "state mismatch"}
        async with browser.get("/callback", params={"error": "access_denied"}) as response:
            assert response.status == 400
