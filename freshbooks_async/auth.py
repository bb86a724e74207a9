"""OAuth2 for FreshBooks: authorize URL, code exchange, refresh, revoke, token storage.

::

    session = OAuth2Session(client_id, client_secret, "https://app.example/callback",
                            store=JSONFileTokenStore("~/.freshbooks-token.json"))
    async with FreshBooksClient(token_provider=session) as fb:
        request = session.authorization_url(["user:profile:read", "user:invoices:read"])
        # ... send the user to request.url; on the redirect, check the state:
        check_state(request.state, received_state)
        await session.exchange_code(code)
        me = await fb.request("GET", "/auth/api/v1/users/me")

An :class:`OAuth2Session` is the client's :class:`~freshbooks_async._pipeline.TokenSource`:
it refreshes the access token shortly before it expires, and on a 401 it refreshes once
and lets the pipeline replay the request. Refreshes are single-flight: however many
coroutines find the token stale at once, one refresh request is sent and all of them
continue with its result.

FreshBooks refresh tokens are single use (docs/protocol.rst, "OAuth2"): a refresh that may have
reached FreshBooks but whose answer was lost cannot be retried with the same refresh
token, so it raises :class:`RefreshAmbiguousError` and the session refuses further
refreshes until it is given a token again. Tokens and secrets never appear in a
``repr``, a log line or an error message.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import inspect
import json
import logging
import math
import os
import secrets
import tempfile
from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, Protocol, runtime_checkable
from urllib.parse import urlencode

import attrs
import yarl

from ._json import loads as load_json
from ._secrets import secret_scope
from .errors import (
    APIError,
    FreshBooksError,
    InvalidGrantError,
    LeaseLostError,
    NotAuthorizedError,
    RefreshAmbiguousError,
    RequestMaybeSentError,
    RequestNotSentError,
    ResponseDecodeError,
)
from .transports import Response

if TYPE_CHECKING:
    from .client import FreshBooksClient

__all__ = [
    "DEFAULT_AUTHORIZE_URL",
    "DEFAULT_REFRESH_MARGIN",
    "AuthorizationRequest",
    "JSONFileTokenStore",
    "MemoryTokenStore",
    "OAuth2Session",
    "RefreshLease",
    "RefreshOutcome",
    "SharedTokenState",
    "SharedTokenStore",
    "Token",
    "TokenRefreshedHook",
    "TokenStore",
    "check_state",
]

logger = logging.getLogger("freshbooks_async.auth")

#: Where users authorize an app (docs/protocol.rst, "OAuth2"; the sandbox serves
#: ``/oauth/authorize``).
DEFAULT_AUTHORIZE_URL: Final = "https://auth.freshbooks.com/oauth/authorize"
#: Seconds before expiry at which :meth:`OAuth2Session.access_token` refreshes.
DEFAULT_REFRESH_MARGIN: Final = 300.0

_TOKEN_PATH: Final = "/auth/oauth/token"  # noqa: S105 - a path, not a secret
_REVOKE_PATH: Final = "/auth/oauth/revoke"
_FORM: Final = {"Content-Type": "application/x-www-form-urlencoded"}
#: The form fields of token requests that are secrets.
_SECRET_FIELDS: Final = ("client_secret", "code", "refresh_token")


def _issued_secrets(data: object) -> list[str]:
    """The tokens in a token response, whatever else is wrong with it."""
    if not isinstance(data, Mapping):
        return []
    values = (data.get("access_token"), data.get("refresh_token"))
    return [value for value in values if isinstance(value, str)]


def _redacted(secret: str | None) -> str:
    return "None" if secret is None else "'<redacted>'"


def _check_str(name: str, value: object, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected str, got {type(value).__name__}")
    if not allow_empty and not value.strip():
        raise ValueError(f"{name}: must be a non-empty string")
    if any(c in value for c in "\r\n\x00"):
        raise ValueError(f"{name}: must be a single line without NUL characters")
    return value


def _check_secret(name: str, value: object, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    # Never echo the value: it is a secret.
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected str, got {type(value).__name__}")
    if not value.strip() or any(c.isspace() for c in value):
        raise ValueError(f"{name}: must be a non-empty token without whitespace")


# --------------------------------------------------------------------------- errors


def _ambiguous(what: str) -> RefreshAmbiguousError:
    return RefreshAmbiguousError(
        f"the token refresh {what}; the single-use refresh token may already be spent, "
        "so it is not sent again. Give the session a newer token (set_token(), or save "
        "one to its store) or send the user through authorization again"
    )


def _spent_elsewhere(reason: str) -> FreshBooksError:
    if reason == "invalid_grant":
        return InvalidGrantError(
            "another process's refresh of this token was rejected (invalid_grant): the "
            "user must authorize the app again",
            status=400,
            error="invalid_grant",
        )
    return _ambiguous("by another process failed after it may have been processed")


#: Times the shared refresh lock may be lost before a refresh is sent, before giving up.
_SHARED_REFRESH_ROUNDS: Final = 5


# --------------------------------------------------------------------------- token


def _scopes(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, Iterable):
        out = []
        for item in value:
            if not isinstance(item, str) or not item or any(c.isspace() for c in item):
                raise ValueError(f"scopes: each scope must be a non-empty word, got {item!r}")
            out.append(item)
        return tuple(out)
    raise TypeError(f"scopes: expected str or an iterable of str, got {type(value).__name__}")


def _opt_number(name: str, value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name}: expected a number or None, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name}: must be finite, got {value!r}")
    return float(value)


def _expires_at(value: object) -> float | None:
    return _opt_number("expires_at", value)


def _created_at(value: object) -> float | None:
    return _opt_number("created_at", value)


def _check_access(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    _check_secret(attribute.name, value)


def _check_refresh(
    _instance: object, attribute: attrs.Attribute[str | None], value: object
) -> None:
    _check_secret(attribute.name, value, optional=True)


@attrs.frozen(kw_only=True, repr=False)
class Token:
    """An OAuth2 token pair, as FreshBooks issued it.

    ``repr`` and ``str`` never show the access or refresh token.

    Attributes:
        access_token: The bearer token.
        refresh_token: The single-use token that buys the next pair (``None`` if absent).
        expires_at: Unix time at which the access token expires (``None`` if unknown).
        scopes: The scopes granted.
        token_type: Always ``"Bearer"`` for FreshBooks.
        created_at: Unix time FreshBooks says it issued the token, if it said.
    """

    access_token: str = attrs.field(validator=_check_access)
    refresh_token: str | None = attrs.field(default=None, validator=_check_refresh)
    expires_at: float | None = attrs.field(default=None, converter=_expires_at)
    scopes: tuple[str, ...] = attrs.field(default=(), converter=_scopes)
    token_type: str = "Bearer"  # noqa: S105 - the scheme name
    created_at: float | None = attrs.field(default=None, converter=_created_at)

    @classmethod
    def from_response(cls, data: Mapping[str, Any], *, now: float) -> Token:
        """Build a token from the token endpoint's JSON (docs/protocol.rst, "OAuth2").

        The expiry is the earlier of ``created_at + expires_in`` (what the official
        SDKs compute) and ``now + expires_in`` (so a server clock ahead of ours cannot
        make the token look fresher than it is).

        Args:
            data: The decoded response body.
            now: The local Unix time the response arrived.

        Raises:
            ResponseDecodeError: The body lacks an ``access_token`` or has bad fields.
        """
        if not isinstance(data, Mapping) or not isinstance(data.get("access_token"), str):
            keys = sorted(data) if isinstance(data, Mapping) else type(data).__name__
            raise ResponseDecodeError(f"token response has no access_token (keys: {keys})")
        try:
            expires_in = _opt_number("expires_in", data.get("expires_in"))
            created_at = _opt_number("created_at", data.get("created_at"))
            expires_at: float | None = None
            if expires_in is not None:
                expires_at = now + expires_in
                if created_at is not None:
                    expires_at = min(expires_at, created_at + expires_in)
            refresh = data.get("refresh_token")
            return cls(
                access_token=data["access_token"],
                refresh_token=refresh if isinstance(refresh, str) and refresh else None,
                expires_at=expires_at,
                scopes=data.get("scope") or (),
                token_type=str(data.get("token_type") or "Bearer"),
                created_at=created_at,
            )
        except (TypeError, ValueError) as exc:
            # The message names the field, never its value.
            raise ResponseDecodeError(f"token response is malformed: {exc}") from None

    def expires_in(self, now: float) -> float | None:
        """Seconds until the access token expires (negative once it has)."""
        return None if self.expires_at is None else self.expires_at - now

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict (with the secrets: store it with care)."""
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at,
            "scopes": list(self.scopes),
            "token_type": self.token_type,
            "created_at": self.created_at,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Token:
        """The inverse of :meth:`to_json`.

        Raises:
            TypeError, ValueError: ``data`` is not a stored token.
        """
        if not isinstance(data, Mapping):
            raise TypeError(f"data: expected a mapping, got {type(data).__name__}")
        return cls(
            access_token=data.get("access_token"),  # type: ignore[arg-type]
            refresh_token=data.get("refresh_token"),
            expires_at=data.get("expires_at"),
            scopes=data.get("scopes") or (),
            token_type=str(data.get("token_type") or "Bearer"),
            created_at=data.get("created_at"),
        )

    def __repr__(self) -> str:
        return (
            f"Token(access_token={_redacted(self.access_token)}, "
            f"refresh_token={_redacted(self.refresh_token)}, expires_at={self.expires_at!r}, "
            f"scopes={self.scopes!r})"
        )

    __str__ = __repr__


# --------------------------------------------------------------------------- stores


@runtime_checkable
class TokenStore(Protocol):
    """Where a session keeps its token between runs (a file, your database...).

    ``save`` is called with every new token (after a code exchange or a refresh) before
    the token is used; ``load`` when the session needs a token it does not hold.
    """

    async def load(self) -> Token | None:
        """The stored token, or ``None``."""
        ...

    async def save(self, token: Token) -> None:
        """Persist ``token``, replacing the previous one."""
        ...


#: How a refresh that was begun ended, for :meth:`RefreshLease.abort`: ``"unspent"`` (the
#: refresh token certainly was not used: the request was not sent, or was refused before
#: the grant was looked at), ``"ambiguous"`` (it may have been spent) or
#: ``"invalid_grant"`` (FreshBooks rejected it: it is dead).
RefreshOutcome = Literal["unspent", "ambiguous", "invalid_grant"]


@attrs.frozen(kw_only=True)
class SharedTokenState:
    """What a :class:`SharedTokenStore` holds, as read under the refresh lock.

    Attributes:
        token: The stored token pair (``None``: the store is empty).
        spent: Set when the stored token's refresh token must not be sent: an earlier
            refresh of it ended ``"ambiguous"`` (or its holder's lease ran out while it was
            sending it) or ``"invalid_grant"``.
    """

    token: Token | None
    spent: Literal["ambiguous", "invalid_grant"] | None = None


@runtime_checkable
class RefreshLease(Protocol):
    """The cross-process refresh lock, held (see :meth:`SharedTokenStore.refresh_lock`).

    The holder reads the stored pair (:meth:`load`); if it still needs refreshing, it
    marks the refresh as begun (:meth:`begin`, a fencing check: only while the lease is
    still this holder's), sends it, then records the new pair (:meth:`commit`) or how it
    failed (:meth:`abort`). A lease that runs out while a refresh is marked begun (its
    holder died or stalled) leaves the stored refresh token ``spent="ambiguous"``: no
    other process sends it again.
    """

    @property
    def fence(self) -> int:
        """The fencing token, larger for every later holder of the lock."""
        ...

    async def load(self) -> SharedTokenState:
        """The stored pair and whether its refresh token may be sent."""
        ...

    async def begin(self, token: Token) -> bool:
        """Mark a refresh of ``token`` (the stored pair) as begun.

        Returns:
            True when marked (send the refresh now); False when the lease is no longer
            this holder's or the stored pair changed meanwhile (do not send; look again).
        """
        ...

    async def commit(self, spent: Token, new: Token) -> Token:
        """Store ``new``, the pair a refresh of ``spent`` returned, unless another pair
        replaced ``spent`` meanwhile; valid even after the lease ran out (``spent`` is
        used up either way).

        Returns:
            The pair the store holds now (``new``, or the one that replaced ``spent``).
        """
        ...

    async def abort(self, spent: Token, outcome: RefreshOutcome) -> None:
        """Record that the refresh of ``spent`` failed, and how."""
        ...


@runtime_checkable
class SharedTokenStore(TokenStore, Protocol):
    """A :class:`TokenStore` that several processes share, with a refresh lock.

    :class:`OAuth2Session` refreshes through it so that one process at a time refreshes
    and the others use the pair it saved (refresh tokens are single use). The stored pair
    is the truth: a session given ``token=`` only seeds an empty store with it.
    :class:`freshbooks_async.redis.RedisTokenStore` implements it; see the "Running on
    many workers" guide to write your own.
    """

    async def save_if_absent(self, token: Token) -> Token:
        """Store ``token`` if the store holds none.

        Returns:
            The stored pair (``token``, or the one already there).
        """
        ...

    def refresh_lock(self) -> AbstractAsyncContextManager[RefreshLease]:
        """Wait for the refresh lock and hold it for the ``async with`` block.

        The lock is a lease that the implementation renews while the block runs and that
        runs out if its holder dies.
        """
        ...


class MemoryTokenStore:
    """A :class:`TokenStore` in memory (the default; lost when the process exits)."""

    def __init__(self, token: Token | None = None) -> None:
        if token is not None and not isinstance(token, Token):
            raise TypeError(f"token: expected Token or None, got {type(token).__name__}")
        self._token = token

    async def load(self) -> Token | None:
        """See :meth:`TokenStore.load`."""
        return self._token

    async def save(self, token: Token) -> None:
        """See :meth:`TokenStore.save`."""
        if not isinstance(token, Token):
            raise TypeError(f"token: expected Token, got {type(token).__name__}")
        self._token = token

    async def clear(self) -> None:
        """Forget the token (called after :meth:`OAuth2Session.revoke`)."""
        self._token = None

    def __repr__(self) -> str:
        return f"MemoryTokenStore(token={self._token!r})"


class JSONFileTokenStore:
    """A :class:`TokenStore` in a JSON file, written atomically with mode ``0600``.

    Each save writes a temporary file in the same directory (created ``0600``),
    flushes it to disk, then renames it over the old file, so a crash at any point
    leaves either the old token or the new one, never a torn file.

    Args:
        path: The file (``~`` is expanded). Its directory must exist.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        if not isinstance(path, str | os.PathLike):
            raise TypeError(f"path: expected str or os.PathLike, got {type(path).__name__}")
        if not os.fspath(path):
            raise ValueError("path: must not be empty")
        self._path = Path(os.fspath(path)).expanduser()

    @property
    def path(self) -> Path:
        """The file the token lives in."""
        return self._path

    async def load(self) -> Token | None:
        """See :meth:`TokenStore.load`.

        Raises:
            ValueError: The file exists but does not hold a token.
        """
        return await asyncio.to_thread(self._load)

    def _load(self) -> Token | None:
        try:
            text = self._path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            return Token.from_json(load_json(text))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{self._path}: not a stored token ({type(exc).__name__})") from None

    async def save(self, token: Token) -> None:
        """See :meth:`TokenStore.save`."""
        if not isinstance(token, Token):
            raise TypeError(f"token: expected Token, got {type(token).__name__}")
        data = json.dumps(token.to_json(), indent=2, sort_keys=True).encode("utf-8")
        await asyncio.to_thread(self._write, data)

    def _write(self, data: bytes) -> None:
        directory = self._path.parent
        fd, tmp = tempfile.mkstemp(prefix=f".{self._path.name}.", suffix=".tmp", dir=directory)
        try:
            os.fchmod(fd, 0o600)  # mkstemp already uses 0600; be explicit
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self._path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        with contextlib.suppress(OSError):  # make the rename itself durable
            dir_fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    async def clear(self) -> None:
        """Delete the file (called after :meth:`OAuth2Session.revoke`)."""
        await asyncio.to_thread(self._path.unlink, True)

    def __repr__(self) -> str:
        return f"JSONFileTokenStore({str(self._path)!r})"


# --------------------------------------------------------------------------- session

#: Called with every new token, as ``(token) -> None`` or a coroutine function.
TokenRefreshedHook = Callable[[Token], "Awaitable[None] | None"]


class AuthorizationRequest(NamedTuple):
    """Where to send the user, and the ``state`` to expect back on the redirect."""

    url: str
    state: str


def check_state(expected: str, received: object) -> None:
    """Check the ``state`` of an authorization redirect, in constant time.

    Args:
        expected: The state :meth:`OAuth2Session.authorization_url` returned.
        received: The ``state`` query parameter of the redirect.

    Raises:
        ValueError: They differ (a forged or stale redirect: do not exchange the code).
    """
    _check_str("expected", expected)
    if not isinstance(received, str) or not hmac.compare_digest(
        expected.encode("utf-8"), received.encode("utf-8")
    ):
        raise ValueError("state: the redirect's state does not match the one issued")


class OAuth2Session:
    """OAuth2 authorization-code flow and automatic refresh for one FreshBooks user.

    Give it to a client as ``FreshBooksClient(token_provider=session)``: the client
    hands itself over (:meth:`attach`), so token requests share its transport, retry
    policy and clock.

    Args:
        client_id: The app's client id.
        client_secret: The app's client secret (never printed).
        redirect_uri: The redirect URI registered for the app.
        token: A token to start with (else the store is asked when one is needed).
        store: Where tokens are kept; a :class:`MemoryTokenStore` by default.
        on_token_refreshed: Called with each new token after the store saved it, e.g.
            to write it to your own database.
        authorize_url: The authorization page (the sandbox serves
            ``<sandbox>/oauth/authorize``).
        refresh_margin: Refresh this many seconds before the access token expires.

    Raises:
        TypeError, ValueError: An argument is invalid.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        *,
        token: Token | None = None,
        store: TokenStore | None = None,
        on_token_refreshed: TokenRefreshedHook | None = None,
        authorize_url: str = DEFAULT_AUTHORIZE_URL,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
    ) -> None:
        self._client_id = _check_str("client_id", client_id)
        self._client_secret = _check_str("client_secret", client_secret)
        self._redirect_uri = _check_str("redirect_uri", redirect_uri)
        if token is not None and not isinstance(token, Token):
            raise TypeError(f"token: expected Token or None, got {type(token).__name__}")
        if store is not None and not isinstance(store, TokenStore):
            raise TypeError(f"store: {type(store).__name__} does not implement TokenStore")
        if on_token_refreshed is not None and not callable(on_token_refreshed):
            raise TypeError("on_token_refreshed: expected a callable (Token) -> None")
        url = yarl.URL(_check_str("authorize_url", authorize_url))
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"authorize_url: expected an http(s) URL, got {authorize_url!r}")
        margin = _opt_number("refresh_margin", refresh_margin)
        if margin is None or margin < 0:
            raise ValueError(f"refresh_margin: must be a number >= 0, got {refresh_margin!r}")
        self._authorize_url = url
        self._refresh_margin = margin
        self._token = token
        self._store: TokenStore = store if store is not None else MemoryTokenStore(token)
        self._hook = on_token_refreshed
        self._client: FreshBooksClient | None = None
        self._lock = asyncio.Lock()
        # The refresh in flight, keyed by the refresh token it spends (single-flight).
        self._inflight: dict[str, asyncio.Future[Token]] = {}
        # Set when the current refresh token must not be used again, and why.
        self._blocked: FreshBooksError | None = None
        self._refresh_count = 0
        # A store shared by processes: refreshes go through its lock, and the stored pair
        # is the truth (read once before first use; a token= only seeds an empty store).
        self._shared = isinstance(self._store, SharedTokenStore)
        self._synced = False
        # A refreshed pair the shared store could not record yet: (lease, spent, new).
        self._unsaved: tuple[RefreshLease, Token, Token] | None = None

    # ------------------------------------------------------------ wiring

    def attach(self, client: FreshBooksClient) -> None:
        """Bind the session to the client that sends its token requests.

        :class:`~freshbooks_async.FreshBooksClient` calls this when given the session
        as ``token_provider``.

        Raises:
            RuntimeError: The session is already bound to another client.
        """
        from .client import FreshBooksClient

        if not isinstance(client, FreshBooksClient):
            raise TypeError(f"client: expected FreshBooksClient, got {type(client).__name__}")
        if self._client is not None and self._client is not client:
            raise RuntimeError("OAuth2Session: already attached to another FreshBooksClient")
        self._client = client

    def _require_client(self) -> FreshBooksClient:
        if self._client is None:
            raise RuntimeError(
                "OAuth2Session: not attached; create FreshBooksClient(token_provider=session)"
            )
        return self._client

    def _now(self) -> float:
        return self._require_client().clock.time()

    @property
    def token(self) -> Token | None:
        """The token in use (``None`` before authorization or a store load)."""
        return self._token

    @property
    def refresh_count(self) -> int:
        """How many refresh requests this session has sent."""
        return self._refresh_count

    @property
    def store(self) -> TokenStore:
        """Where tokens are kept."""
        return self._store

    async def set_token(self, token: Token) -> None:
        """Adopt ``token`` (saved to the store), e.g. after an ambiguous refresh was
        resolved elsewhere. Clears a blocked state."""
        if not isinstance(token, Token):
            raise TypeError(f"token: expected Token, got {type(token).__name__}")
        await self._adopt(token, notify=False)

    # ------------------------------------------------------------ authorization

    def authorization_url(
        self, scopes: Iterable[str] = (), *, state: str | None = None
    ) -> AuthorizationRequest:
        """The URL to send the user to, to authorize the app.

        Args:
            scopes: Scopes to ask for (``user:invoices:read``...); none asks for the
                app's registered scopes.
            state: An opaque value the redirect carries back; a random one is made
                when not given. Check it with :func:`check_state`.

        Returns:
            The URL and the state.
        """
        if isinstance(scopes, str):
            raise TypeError("scopes: expected an iterable of scope strings, not one string")
        wanted = _scopes(scopes)
        if state is None:
            state = secrets.token_urlsafe(32)
        else:
            _check_str("state", state)
        query = {
            "client_id": self._client_id,
            "response_type": "code",
            "redirect_uri": self._redirect_uri,
            "state": state,
        }
        if wanted:
            query["scope"] = " ".join(wanted)
        return AuthorizationRequest(str(self._authorize_url.update_query(query)), state)

    async def exchange_code(self, code: str) -> Token:
        """Trade the code from the authorization redirect for a token.

        Returns:
            The new token (also saved to the store and passed to the hook).

        Raises:
            InvalidGrantError: The code was already used, expired (5 minutes) or is not
                this app's.
            OAuthError: The token endpoint refused otherwise (``error`` says why).
            TransportError: The exchange failed; a code is single use, so on a
                maybe-sent failure send the user through authorization again.
        """
        _check_str("code", code)
        token = await self._token_request(
            {
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self._client_id,
                "client_secret": self._client_secret,
                "redirect_uri": self._redirect_uri,
            }
        )
        await self._adopt(token, notify=True)
        logger.debug("authorization code exchanged (token expires in %s s)", self._ttl(token))
        return token

    async def refresh(self) -> Token:
        """Refresh now (single-flight with any refresh already in flight).

        Returns:
            The new token.

        Raises:
            NotAuthorizedError: No token or no refresh token.
            InvalidGrantError: The refresh token was used, revoked or is unknown: the
                user must authorize the app again.
            RefreshAmbiguousError: This or an earlier refresh may have succeeded without
                its answer arriving.
        """
        token = await self._current()
        return await self._refresh_from(token)

    async def revoke(self) -> None:
        """Revoke the refresh token (and with it the access token) and forget both.

        The store is cleared when it has a ``clear()`` method.

        Raises:
            NotAuthorizedError: No token to revoke.
            OAuthError: FreshBooks refused.
        """
        token = await self._current()
        client = self._require_client()
        value = token.refresh_token or token.access_token
        with secret_scope(self._client_secret, token.access_token, token.refresh_token):
            await client.request(
                "POST",
                _REVOKE_PATH,
                body=urlencode(
                    {
                        "client_id": self._client_id,
                        "client_secret": self._client_secret,
                        "token": value,
                    }
                ).encode(),
                headers=_FORM,
                authenticated=False,
            )
        self._token = None
        self._blocked = None
        clear = getattr(self._store, "clear", None)
        if callable(clear):
            result = clear()
            if inspect.isawaitable(result):
                await result
        logger.debug("token revoked")

    # ------------------------------------------------------------ TokenSource

    async def access_token(self) -> str:
        """The access token to send now, refreshed first if it expires within the
        margin (see :class:`~freshbooks_async._pipeline.TokenSource`).

        Raises:
            NotAuthorizedError: No token yet.
        """
        token = await self._current()
        remaining = token.expires_in(self._now())
        if (
            remaining is not None
            and remaining < self._refresh_margin
            and token.refresh_token is not None
        ):
            try:
                token = await self._refresh_from(token)
            except (RefreshAmbiguousError, InvalidGrantError):
                if remaining <= 0:
                    raise
                # The current access token still works until it expires; the error
                # surfaces then (the session stays blocked meanwhile).
                logger.warning("proactive token refresh failed; using the current token")
        return token.access_token

    async def on_unauthorized(self, rejected_token: str, response: Response) -> bool:
        """On a 401: refresh once (single-flight) and ask for a replay.

        A 401 for a token that was already replaced returns ``True`` at once; FreshBooks
        401 bodies differ by family (docs/protocol.rst, "Error bodies and status codes")
        and none reliably says "expired", so any 401 of the current token counts as a
        stale token.

        Returns:
            True when a new token is ready, False when there is nothing to refresh with.

        Raises:
            InvalidGrantError, RefreshAmbiguousError: The refresh failed; the request's
                401 is the ``__context__``.
        """
        current = self._token
        if current is None:
            return False
        if not hmac.compare_digest(current.access_token.encode(), rejected_token.encode()):
            return True  # someone already replaced the rejected token
        if current.refresh_token is None:
            return False
        await self._refresh_from(current)
        return True

    # ------------------------------------------------------------ internals

    async def _current(self) -> Token:
        if self._shared and (not self._synced or self._unsaved is not None):
            await self._sync_shared()
        if self._token is None:
            async with self._lock:
                if self._token is None:
                    stored = await self._store.load()
                    if stored is not None:
                        self._token = stored
        if self._token is None:
            raise NotAuthorizedError(
                "no OAuth token: send the user to authorization_url() and call "
                "exchange_code(), or give the session a token"
            )
        return self._token

    async def _refresh_from(self, stale: Token) -> Token:
        current = self._token
        if current is not None and current.access_token != stale.access_token:
            return current  # already refreshed past the stale token
        refresh_token = stale.refresh_token
        if refresh_token is None:
            raise NotAuthorizedError("the token has no refresh token; authorize the app again")
        if self._blocked is not None:
            # A newer token may have been saved by another process: adopt it.
            stored = await self._store.load()
            if stored is not None and stored.refresh_token != refresh_token:
                await self._adopt(stored, notify=False)
                return stored
            raise self._blocked
        future = self._inflight.get(refresh_token)
        if future is None:
            future = asyncio.ensure_future(self._do_refresh(refresh_token))
            self._inflight[refresh_token] = future
            future.add_done_callback(lambda _f: self._inflight.pop(refresh_token, None))
        # shield: a cancelled caller must not cancel the refresh others are waiting on.
        return await asyncio.shield(future)

    async def _sync_shared(self) -> None:
        store = self._store
        assert isinstance(store, SharedTokenStore)
        async with self._lock:
            if not self._synced:
                if self._token is not None:
                    stored: Token | None = await store.save_if_absent(self._token)
                else:
                    stored = await store.load()
                if stored is not None:
                    self._token = stored
                self._synced = True
            if self._unsaved is not None:
                lease, spent, new = self._unsaved
                try:
                    stored = await lease.commit(spent, new)
                except FreshBooksError as exc:
                    logger.warning("refreshed token still not saved to the shared store: %s", exc)
                    return
                self._unsaved = None
                if stored is not new:
                    self._token = stored

    def _refresh_form(self, refresh_token: str) -> dict[str, str]:
        """The token endpoint's form for a refresh (the same in both refresh paths)."""
        return {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": self._client_id,
            "client_secret": self._client_secret,
            "redirect_uri": self._redirect_uri,
        }

    async def _do_refresh(self, refresh_token: str) -> Token:
        if isinstance(self._store, SharedTokenStore):
            return await self._do_shared_refresh(self._store, refresh_token)
        self._refresh_count += 1
        try:
            token = await self._token_request(self._refresh_form(refresh_token))
        except InvalidGrantError as exc:
            self._blocked = exc
            logger.warning("token refresh rejected (invalid_grant): authorization needed")
            raise
        except asyncio.CancelledError:
            self._blocked = _ambiguous("was cancelled while in flight")
            raise
        except (RequestMaybeSentError, APIError, ResponseDecodeError) as exc:
            # A POST is never replayed once maybe sent (the pipeline's rule), a 5xx may
            # come after the grant was consumed, and an answer that cannot be decoded
            # (a 2xx above all) may be the new token: each leaves the refresh token's
            # fate unknown. A 4xx is a refusal. (A 5xx with an OAuth body arrives as
            # OAuthError, so test status.)
            if isinstance(exc, APIError | ResponseDecodeError) and 400 <= exc.status < 500:
                raise
            error = _ambiguous(f"failed after it may have been processed ({type(exc).__name__})")
            self._blocked = error
            logger.warning("token refresh ambiguous: %s", type(exc).__name__)
            raise error from exc
        await self._adopt(token, notify=True)
        logger.debug("token refreshed (expires in %s s)", self._ttl(token))
        return token

    async def _do_shared_refresh(self, store: SharedTokenStore, refresh_token: str) -> Token:
        """Refresh under the shared store's lock: one process sends the refresh, the
        others find its pair in the store."""
        for _ in range(_SHARED_REFRESH_ROUNDS):
            async with store.refresh_lock() as lease:
                state = await lease.load()
                stored = state.token
                if stored is None:
                    # The store lost the pair (cleared, or Redis restarted without
                    # persistence): the pair in memory may be spent by another process.
                    error = _ambiguous(
                        "cannot be coordinated: the shared token store holds no token "
                        "(cleared, or its data was lost)"
                    )
                    self._blocked = error
                    raise error
                if stored.refresh_token != refresh_token:
                    # Another process refreshed, or a new pair was saved: use it.
                    self._token = stored
                    self._blocked = None
                    return stored
                if state.spent is not None:
                    shared_error = _spent_elsewhere(state.spent)
                    self._blocked = shared_error
                    raise shared_error
                if not await lease.begin(stored):
                    continue  # the lease ran out, or the pair changed: look again
                return await self._send_shared_refresh(lease, stored, refresh_token)
        raise LeaseLostError(
            f"the token refresh lock was lost {_SHARED_REFRESH_ROUNDS} times in a row "
            "before the refresh could be sent; nothing was sent"
        )

    async def _send_shared_refresh(
        self, lease: RefreshLease, stored: Token, refresh_token: str
    ) -> Token:
        self._refresh_count += 1
        outcome: RefreshOutcome = "ambiguous"
        try:
            token = await self._token_request(self._refresh_form(refresh_token))
        except InvalidGrantError as exc:
            outcome = "invalid_grant"
            self._blocked = exc
            logger.warning("token refresh rejected (invalid_grant): authorization needed")
            await self._abort_shared(lease, stored, outcome)
            raise
        except asyncio.CancelledError:
            self._blocked = _ambiguous("was cancelled while in flight")
            await self._abort_shared(lease, stored, outcome)
            raise
        except (RequestNotSentError, APIError) as exc:
            # Not sent, or refused before the grant was used (a 4xx other than
            # invalid_grant): the refresh token is intact. A 5xx may follow a used grant.
            if isinstance(exc, RequestNotSentError) or exc.status < 500:
                await self._abort_shared(lease, stored, "unspent")
                raise
            error = _ambiguous(f"failed after it may have been processed ({type(exc).__name__})")
            self._blocked = error
            logger.warning("token refresh ambiguous: %s", type(exc).__name__)
            await self._abort_shared(lease, stored, outcome)
            raise error from exc
        except Exception as exc:
            # Maybe sent (RequestMaybeSentError), or a success whose body was unreadable:
            # the refresh token may be spent.
            error = _ambiguous(f"failed after it may have been processed ({type(exc).__name__})")
            self._blocked = error
            logger.warning("token refresh ambiguous: %s", type(exc).__name__)
            await self._abort_shared(lease, stored, outcome)
            raise error from exc
        # The new pair is this process's at once; recording it may fail (the store is
        # down): then it is recorded on the next use of the session.
        self._token = token
        self._blocked = None
        try:
            saved = await lease.commit(stored, token)
        except FreshBooksError as exc:
            logger.error(
                "token refreshed, but the shared store could not record it (%s); "
                "retrying on the next use",
                type(exc).__name__,
            )
            self._unsaved = (lease, stored, token)
            saved = token
        if saved is not token:
            self._token = saved  # someone saved a newer pair meanwhile: theirs wins
        elif self._hook is not None:
            result = self._hook(token)
            if inspect.isawaitable(result):
                await result
        logger.debug("token refreshed (expires in %s s)", self._ttl(saved))
        return saved

    async def _abort_shared(
        self, lease: RefreshLease, stored: Token, outcome: RefreshOutcome
    ) -> None:
        try:
            await lease.abort(stored, outcome)
        except FreshBooksError as exc:
            # The mark stays: once the lease runs out, the next holder treats the refresh
            # token as maybe spent (safe).
            logger.warning("could not record the refresh outcome (%s): %s", outcome, exc)

    async def _adopt(self, token: Token, *, notify: bool) -> None:
        self._token = token
        self._blocked = None
        await self._store.save(token)
        if notify and self._hook is not None:
            result = self._hook(token)
            if inspect.isawaitable(result):
                await result

    def _ttl(self, token: Token) -> str:
        remaining = token.expires_in(self._now())
        return "?" if remaining is None else f"{remaining:.0f}"

    async def _token_request(self, fields: Mapping[str, str]) -> Token:
        client = self._require_client()
        # The client secret and the code or refresh token are scrubbed from any error,
        # should the endpoint echo the form; so is the token it may have issued.
        with secret_scope(*(fields.get(name) for name in _SECRET_FIELDS)):
            response = await client.request(
                "POST",
                _TOKEN_PATH,
                body=urlencode(fields).encode(),
                headers=_FORM,
                authenticated=False,
            )
            with secret_scope(*_issued_secrets(response.data)):
                return Token.from_response(response.data, now=client.clock.time())

    def __repr__(self) -> str:
        return (
            f"OAuth2Session(client_id={self._client_id!r}, client_secret='<redacted>', "
            f"redirect_uri={self._redirect_uri!r}, token={self._token!r})"
        )
