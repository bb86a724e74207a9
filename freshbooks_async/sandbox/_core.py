"""The sandbox core: routing, auth, faults, ledger and statistics around the handlers.

:meth:`Sandbox.handle` is a plain async function from our wire :class:`Request` to our
:class:`Response`; the aiohttp adapter and ``MockTransport(sandbox.handle)`` both use it.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import re
import secrets
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

import attrs
import yarl
from multidict import MultiDict, MultiDictProxy

from .._catalogue import Endpoint, Family, endpoints
from .._clock import Clock, SystemClock
from ..errors import ReadError, ServerDisconnectedError
from ..transports._types import Headers, Request, Response
from ._errors import SandboxAPIError, error_body, family_of_path
from ._faults import FaultRule, parse_fault
from ._store import (
    Journal,
    Record,
    Table,
    current_journal,
    dumps,
    on_undo,
    restore_journal,
    use_journal,
)

__all__ = ["Business", "LedgerEntry", "Outcome", "Sandbox", "SandboxStats", "TokenInfo"]

CONTROL_PREFIX = "/_sandbox"
# Methods whose requests change nothing (OAuth's GET authorize, which stores a code, is
# journaled all the same).
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
_log = logging.getLogger("freshbooks_async.sandbox")
ACCESS_TOKEN_LIFETIME = 43200  # 12 hours (DOCS:authentication)
AUTH_CODE_LIFETIME = 300  # 5 minutes (get-authenticated page mirror)


@attrs.frozen(kw_only=True)
class LedgerEntry:
    """One committed create.

    Attributes:
        resource: Resource name (``"invoices"``).
        scope: The account id or business id it was created under.
        id: The new object's id.
        invoice_number: The invoice number, for invoices.
        client_reference: The request's ``X-Client-Reference`` header, if sent.
        timestamp: Sandbox-clock time of the commit.
    """

    resource: str
    scope: str
    id: int | str
    invoice_number: str | None
    client_reference: str | None
    timestamp: float

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict."""
        return attrs.asdict(self)


@attrs.define(kw_only=True)
class SandboxStats:
    """Counters for tests and benchmarks.

    Attributes:
        requests: Requests per route (``"GET /accounting/account/{account_id}/..."``).
        statuses: Answers per HTTP status, counted after the latency (a reset or
            truncated answer counts the status it was processed with).
        faults: Faults fired per kind.
        max_concurrent_invoice_creates: Per account, the most invoice creates in flight at
            once (from arrival to answer, the latency included; refused ones too).
        inflight_invoice_creates: Per account, the invoice creates in flight now.
        connections: TCP connections accepted by the aiohttp adapter.
    """

    requests: Counter[str] = attrs.field(factory=Counter)
    statuses: Counter[int] = attrs.field(factory=Counter)
    faults: Counter[str] = attrs.field(factory=Counter)
    max_concurrent_invoice_creates: dict[str, int] = attrs.field(factory=dict)
    inflight_invoice_creates: dict[str, int] = attrs.field(factory=dict)
    connections: int = 0

    def to_json(self) -> dict[str, Any]:
        """A JSON-able snapshot."""
        return {
            "requests": dict(self.requests),
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "faults": dict(self.faults),
            "max_concurrent_invoice_creates": dict(self.max_concurrent_invoice_creates),
            "connections": self.connections,
            "total_requests": sum(self.requests.values()),
        }


@attrs.define(kw_only=True)
class Business:
    """One business with its accounting account.

    Attributes:
        id: business_id (int).
        account_id: accounting account id (str).
        uuid: business_uuid.
        name: Display name.
    """

    id: int
    account_id: str
    uuid: str
    name: str
    last_invoice_number: str | None = None
    invoice_numbers: set[str] = attrs.field(factory=set, repr=False)


@attrs.define(kw_only=True)
class TokenInfo:
    """An issued access token (never printed: ``repr`` hides the value)."""

    token: str = attrs.field(repr=False)
    identity_id: int
    scopes: frozenset[str] | None
    expires_at: float
    refresh_token: str | None = attrs.field(default=None, repr=False)
    revoked: bool = False


@attrs.frozen(kw_only=True)
class Outcome:
    """What the core decided: a response plus a transport action for the adapters.

    Attributes:
        response: The response to send (ignored for ``reset``).
        action: ``None``, ``"reset"`` (drop the connection without answering),
            ``"truncate"`` (send part of the body, then drop) or ``"hang"``.
    """

    response: Response
    action: str | None = None


@attrs.frozen
class Route:
    """A distinct method + path template, with the catalogue rows it serves."""

    method: str
    template: str
    regex: re.Pattern[str]
    family: Family
    resource: str
    op: str
    rows: tuple[Endpoint, ...]


class Reply:
    """A handler's answer before faults and serialisation."""

    __slots__ = ("body", "content_type", "headers", "status")

    def __init__(
        self,
        status: int,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
    ) -> None:
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.content_type = content_type


class Ctx:
    """Everything a handler needs about one request."""

    __slots__ = (
        "body",
        "family",
        "headers",
        "method",
        "params",
        "path",
        "query",
        "route",
        "sb",
        "token",
    )

    def __init__(
        self,
        sb: Sandbox,
        route: Route,
        params: dict[str, str],
        request: Request,
        token: TokenInfo | None,
    ) -> None:
        self.sb = sb
        self.route = route
        self.family = route.family
        self.params = params
        self.method = request.method
        self.path = request.url.path
        self.query: MultiDictProxy[str] = request.url.query
        self.headers = request.headers
        self.body = request.body
        self.token = token

    def json_body(self) -> Any:
        """The body parsed as JSON, or form fields as a dict.

        Raises:
            SandboxAPIError: 400/1005 when the body is not JSON, nests deeper than
                :data:`MAX_JSON_DEPTH` or holds a string that is not valid Unicode (a
                lone UTF-16 surrogate such as ``"\\ud800"``), naming the field.
        """
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if ctype == "application/x-www-form-urlencoded":
            return dict(yarl.URL("?" + self.body.decode("latin-1")).query)
        if not self.body.strip():
            return {}
        return parse_json(self.body)


Handler = Callable[[Ctx], Awaitable[Reply]]

#: Request bodies nesting objects and arrays deeper than this are refused (400/1005):
#: FreshBooks bodies nest five levels at most (invoice, lines, line, unit_cost).
MAX_JSON_DEPTH = 64
# A lone surrogate can only come from a \\uD800-\\uDFFF escape (UTF-8 cannot encode one).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _malformed(message: str, *, field: str | None = None, value: Any = None) -> SandboxAPIError:
    return SandboxAPIError(
        400,
        f"The server was unable to parse your request: {message}",
        errno=1005,
        field=field,
        value=value,
    )


_OPENERS = (b"{", b"[")
_NUL_OR_NOTHING = (b"\x00", b"")


def parse_json(body: bytes) -> Any:
    """``body`` parsed as JSON, checked to nest at most :data:`MAX_JSON_DEPTH` levels and
    to hold only valid Unicode strings (keys included).

    Raises:
        SandboxAPIError: 400/1005 naming what is wrong (the field, for a bad string).
    """
    try:
        # Decoded strictly (json.loads(bytes) lets an encoded lone surrogate through),
        # as UTF-8 without json.detect_encoding when its rules give UTF-8 anyway (no BOM,
        # no NUL among the first bytes).
        if body[:1] in _OPENERS and body[1:2] not in _NUL_OR_NOTHING:
            decoded = body.decode("utf-8")
        else:
            decoded = body.decode(json.detect_encoding(body))
        value = json.loads(decoded, parse_constant=_no_constant)
    except RecursionError:
        raise _malformed(f"JSON nested more than {MAX_JSON_DEPTH} levels deep.") from None
    except (ValueError, UnicodeDecodeError):
        raise _malformed("malformed JSON.") from None
    if not isinstance(value, dict | list):
        return value
    # (Searched in the text: the body's bytes may be UTF-16 or UTF-32.)
    surrogates = _SURROGATE_ESCAPE.search(decoded) is not None
    if not surrogates and decoded.count("[") + decoded.count("{") <= MAX_JSON_DEPTH:
        return value  # cannot nest too deep, cannot hold a bad string: nothing to walk
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise _malformed(f"JSON nested more than {MAX_JSON_DEPTH} levels deep.")
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, item in items:
            where = f"{path}.{key}" if path else str(key)
            if surrogates:
                for text in (key, item):
                    if isinstance(text, str) and not _is_unicode(text):
                        raise _malformed(
                            f"field '{_printable(where)}' holds a lone UTF-16 surrogate, "
                            "which is not a Unicode character.",
                            field=_printable(where),
                            value=_printable(text),
                        )
            if isinstance(item, dict | list):
                stack.append((item, where, depth + 1))
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity, -Infinity: Python-only


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable(text: str) -> str:
    """``text`` with any lone surrogate written as its escape (``\\ud800``)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _compile(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{([a-z_]+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile(f"^{pattern}/?$")


def _build_routes(rows: Iterable[Endpoint]) -> dict[tuple[str, str], list[Route]]:
    grouped: dict[tuple[str, str], list[Endpoint]] = {}
    for e in rows:
        grouped.setdefault((e.method, e.path_template), []).append(e)
    table: dict[tuple[str, str], list[Route]] = {}
    for (method, template), group in grouped.items():
        first = group[0]
        route = Route(
            method,
            template,
            _compile(template),
            first.family,
            first.resource,
            first.op,
            tuple(group),
        )
        table.setdefault((method, _bucket(template)), []).append(route)
    for routes in table.values():
        # Literal segments first: "/time_entries/search" before "/time_entries/{id}".
        routes.sort(key=lambda r: (r.template.count("{"), -len(r.template)))
    return table


def _bucket(path: str) -> str:
    parts = path.strip("/").split("/")
    return f"{parts[0]}/{len(parts)}"


ROUTES = _build_routes(endpoints())

#: (method, path) -> what _match_route gives: a client calls the same paths again and again.
_MATCHED: dict[tuple[str, str], tuple[Route | None, dict[str, str]]] = {}
_MATCHED_MAX = 4096
_MATCHED_PATH_MAX = 256


def _match_route(method: str, path: str) -> tuple[Route | None, dict[str, str]]:
    """The route of ``method path`` and its path parameters; for a path that another
    method's route matches, no route and ``{"_any_method": that method}``."""
    bucket = _bucket(path)
    for route in ROUTES.get((method, bucket), ()):
        m = route.regex.match(path)
        if m:
            return route, m.groupdict()
    for (other_method, other_bucket), routes in ROUTES.items():
        if (
            other_bucket == bucket
            and other_method != method
            and any(r.regex.match(path) for r in routes)
        ):
            return None, {"_any_method": other_method}
    return None, {}


class Sandbox:
    """A faithful, in-memory FreshBooks emulator.

    A fresh sandbox has one business (``business_id`` 1, ``account_id`` ``"ACC001"``)
    with client 1 (so ``customerid: 1`` works), three staff (the owner is staff 1), the
    standard expense categories, two gateways and the journal entry accounts; a default
    OAuth app (``client_id``, ``client_secret``) and one pre-issued, all-scopes
    access token (``token``). Bodies are checked against per-resource field tables
    (unknown fields get the family's error) and references to other objects (a missing
    client, invoice, category, ... is errno 1012). A request changes everything or
    nothing: unless it succeeds, whatever it changed is undone (``_store.Journal``), and
    no input answers 500 (a sandbox bug is a FreshBooks-shaped 500 that commits nothing).

    Args:
        seed: Seed of every random choice (faults, ids, seeded data).
        clock: Time source and sleeper (token expiry, latency); ``SystemClock`` default.
        processing_latency: Seconds an invoice create spends between choosing its number
            and committing it (the window in which concurrent creates collide).
        latency_ms: Fixed latency added to every request: it is processed on arrival and
            its answer is held back this long (faults included).
        jitter_ms: Uniform random extra latency per request.
        faults: Fault specs (see :ref:`testing-faults`).
        base_url: The public URL used in links (uploads, share links).
        max_body_bytes: Larger request bodies are refused (413, MaxLengthExceeded).
        deliver: ``async (url, headers, body) -> status`` that sends webhook POSTs; the
            default posts with aiohttp. Deliveries are recorded in ``deliveries``.
        seed_clients: Clients to seed in the default account.
        seed_invoices: Invoices to seed in the default account.
        client_id: The OAuth app's client id (default ``"sandbox-client-id"``).
        client_secret: The OAuth app's client secret (default
            ``"sandbox-client-secret"``): a test credential of this sandbox, not a secret.

    Raises:
        ValueError: A negative latency or size, a bad fault spec, or a client id or
            secret that is empty or holds whitespace or control characters.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: Clock | None = None,
        processing_latency: float = 0.0,
        latency_ms: float = 0.0,
        jitter_ms: float = 0.0,
        faults: Iterable[str | Mapping[str, object]] = (),
        base_url: str = "https://api.freshbooks.com",
        max_body_bytes: int = 10 * 1024 * 1024,
        deliver: Callable[[str, dict[str, str], bytes], Awaitable[int]] | None = None,
        seed_clients: int = 0,
        seed_invoices: int = 0,
        client_id: str = "sandbox-client-id",
        client_secret: str = "sandbox-client-secret",  # noqa: S107 - a public test value
    ) -> None:
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise TypeError(f"seed: expected int, got {seed!r}")
        for name, value in (
            ("processing_latency", processing_latency),
            ("latency_ms", latency_ms),
            ("jitter_ms", jitter_ms),
            ("max_body_bytes", max_body_bytes),
        ):
            if not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{name}: must be a number >= 0, got {value!r}")
        self.seed = seed
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.processing_latency = float(processing_latency)
        self.latency_ms = float(latency_ms)
        self.jitter_ms = float(jitter_ms)
        self.base_url = base_url.rstrip("/")
        self.max_body_bytes = int(max_body_bytes)
        self.client_id = _credential("client_id", client_id)
        self.client_secret = _credential("client_secret", client_secret)
        self.redirect_uris = ["https://localhost/callback"]
        self._deliver = deliver
        self.rng = random.Random(seed)
        self._hang = asyncio.Event() if _has_loop() else None
        self.reset()
        self.configure_faults(faults)
        if seed_clients or seed_invoices:
            self.seed_data(clients=seed_clients, invoices=seed_invoices)

    # ---------------------------------------------------------------- state

    def reset(self) -> None:
        """Forget every object, token, fault, ledger entry and counter; recreate defaults."""
        self.rng = random.Random(self.seed)
        self.businesses: dict[int, Business] = {}
        self.accounts: dict[str, Business] = {}
        self.tables: dict[tuple[str, str], Table] = {}
        self.tokens: dict[str, TokenInfo] = {}
        self.refresh_tokens: dict[str, TokenInfo] = {}
        self.used_refresh_tokens: set[str] = set()
        self.auth_codes: dict[str, tuple[str, str, frozenset[str] | None, float]] = {}
        self.uploads: dict[str, tuple[bytes, str, str]] = {}
        self.ledger: list[LedgerEntry] = []
        self.deliveries: list[dict[str, Any]] = []
        self.stats = SandboxStats()
        self.faults: list[FaultRule] = []
        self._rate_windows: dict[str, list[float]] = {}
        self._background: set[asyncio.Task[None]] = set()
        self._today: str | None = None
        self._day_start = self._day_end = 0.0
        self.identity_id = 1
        self.default_business = self.add_business(
            name="Sandbox Business", account_id="ACC001", business_id=1, default_client=True
        )
        self.token = self.issue_token()

    def add_business(
        self,
        *,
        name: str = "Business",
        account_id: str | None = None,
        business_id: int | None = None,
        default_client: bool = False,
    ) -> Business:
        """Create a business (with its account) the default identity belongs to.

        It starts with what the API lists but cannot create (staff, expense categories,
        gateways, journal entry accounts; see ``_seed.seed_defaults``) and, with
        ``default_client``, client 1.
        """
        if not isinstance(name, str) or not name:
            raise ValueError(f"name: must be a non-empty str, got {name!r}")
        bid = business_id if business_id is not None else max(self.businesses, default=0) + 1
        if bid in self.businesses:
            raise ValueError(f"business_id: {bid!r} already exists")
        aid = account_id or f"ACC{bid:03d}"
        if aid in self.accounts:
            raise ValueError(f"account_id: {aid!r} already exists")
        buuid = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        biz = Business(id=bid, account_id=aid, uuid=buuid, name=name)
        self.businesses[bid] = biz
        self.accounts[aid] = biz
        on_undo(lambda: self._drop_business(biz))
        from ._seed import seed_defaults

        seed_defaults(self, biz, default_client=default_client)
        return biz

    def remove_business(self, biz: Business) -> None:
        """Forget a business and its account (its objects stay until a reset)."""
        del self.businesses[biz.id]
        del self.accounts[biz.account_id]

        def restore() -> None:
            self.businesses[biz.id] = biz
            self.accounts[biz.account_id] = biz

        on_undo(restore)

    def _drop_business(self, biz: Business) -> None:
        """Undo :meth:`add_business` (the request that added it failed)."""
        if self.businesses.get(biz.id) is biz:
            del self.businesses[biz.id]
        if self.accounts.get(biz.account_id) is biz:
            del self.accounts[biz.account_id]
        for key in [k for k in self.tables if k[0] in (biz.account_id, str(biz.id), biz.uuid)]:
            del self.tables[key]

    def today(self) -> str:
        """The sandbox clock's date in US/Eastern (``YYYY-MM-DD``).

        When the day changes, cached invoice renderings are dropped, so ``v3_status``
        turns ``overdue`` on the first request of the day after the due date.
        """
        now = self.clock.time()
        if self._today is None or not self._day_start <= now < self._day_end:
            from ._objects import accounting_day

            day, self._day_start, self._day_end = accounting_day(now)
            if self._today is not None and day != self._today:
                for (_, resource), table in self.tables.items():
                    if resource == "invoices":
                        for rec in table.records.values():  # caches only: not journaled
                            rec.touch()
                        table.changed()
            self._today = day
        return self._today

    def table(self, scope: str | int, resource: str) -> Table:
        """The table of ``resource`` under an account id or business id."""
        key = (str(scope), resource)
        found = self.tables.get(key)
        if found is None:
            found = self.tables[key] = Table()
        return found

    def business_by_uuid(self, value: str) -> Business | None:
        """The business with ``business_uuid`` ``value``."""
        return next((b for b in self.businesses.values() if b.uuid == value), None)

    def record_create(
        self,
        resource: str,
        scope: str | int,
        id: int | str,
        *,
        invoice_number: str | None = None,
        client_reference: str | None = None,
    ) -> None:
        """Append a ledger entry for a committed create."""
        entry = LedgerEntry(
            resource=resource,
            scope=str(scope),
            id=id,
            invoice_number=invoice_number,
            client_reference=client_reference,
            timestamp=self.clock.time(),
        )
        self.ledger.append(entry)
        on_undo(lambda: self._forget_entry(entry))

    def _forget_entry(self, entry: LedgerEntry) -> None:
        for i in range(len(self.ledger) - 1, -1, -1):
            if self.ledger[i] is entry:
                del self.ledger[i]
                return

    def ledger_summary(self, resource: str = "invoices") -> dict[str, Any]:
        """Counts for benchmarks: creates, distinct client references, duplicates.

        ``duplicated_references`` lists references committed more than once;
        ``duplicate_numbers`` lists invoice numbers used twice in one account.
        """
        entries = [e for e in self.ledger if e.resource == resource]
        refs = Counter(e.client_reference for e in entries if e.client_reference)
        numbers = Counter((e.scope, e.invoice_number) for e in entries if e.invoice_number)
        return {
            "resource": resource,
            "created": len(entries),
            "distinct_references": len(refs),
            "duplicated_references": sorted(r for r, n in refs.items() if n > 1),
            "duplicate_numbers": sorted(f"{s}:{n}" for (s, n), c in numbers.items() if c > 1),
        }

    # ---------------------------------------------------------------- tokens

    def issue_token(
        self, scopes: Iterable[str] | None = None, expires_in: float = ACCESS_TOKEN_LIFETIME
    ) -> str:
        """Mint an access token for the default identity.

        Args:
            scopes: Granted scopes (``user:invoices:write``); ``None`` grants all.
            expires_in: Lifetime in seconds on the sandbox clock.

        Returns:
            The bearer token string.
        """
        if scopes is not None and (
            isinstance(scopes, str) or not all(isinstance(s, str) for s in scopes)
        ):
            raise TypeError(f"scopes: expected an iterable of str, got {scopes!r}")
        if not isinstance(expires_in, int | float) or expires_in <= 0:
            raise ValueError(f"expires_in: must be > 0, got {expires_in!r}")
        return self._mint(None if scopes is None else frozenset(scopes), expires_in).token

    def register_token(self, token: str, scopes: Iterable[str] | None = None) -> None:
        """Accept a fixed bearer token (CLI ``--token``); it never expires."""
        if not isinstance(token, str) or len(token) < 8:
            raise ValueError("token: must be a str of at least 8 characters")
        self.tokens[token] = TokenInfo(
            token=token,
            identity_id=self.identity_id,
            scopes=None if scopes is None else frozenset(scopes),
            expires_at=float("inf"),
        )

    def _mint(
        self, scopes: frozenset[str] | None, expires_in: float, *, refresh: bool = False
    ) -> TokenInfo:
        info = TokenInfo(
            token=secrets.token_hex(24),
            identity_id=self.identity_id,
            scopes=scopes,
            expires_at=self.clock.time() + expires_in,
            refresh_token=secrets.token_hex(24) if refresh else None,
        )
        self.tokens[info.token] = info
        if info.refresh_token:
            self.refresh_tokens[info.refresh_token] = info

        def forget() -> None:
            self.tokens.pop(info.token, None)
            if info.refresh_token:
                self.refresh_tokens.pop(info.refresh_token, None)

        on_undo(forget)
        return info

    def revoke_token(self, token: str) -> None:
        """Revoke an access or refresh token (its pair becomes unusable too)."""
        info = self.tokens.get(token) or self.refresh_tokens.get(token)
        if info is not None and not info.revoked:
            info.revoked = True
            revoked = info

            def restore() -> None:
                revoked.revoked = False

            on_undo(restore)

    # ---------------------------------------------------------------- faults

    def configure_faults(
        self, specs: Iterable[str | Mapping[str, object]], *, replace: bool = True
    ) -> list[FaultRule]:
        """Install fault rules (grammar: :func:`~freshbooks_async.sandbox.parse_fault`).

        Args:
            specs: Fault specs (strings or mappings).
            replace: Drop the current rules first.

        Returns:
            The installed rules (their ``triggered`` counters are live).
        """
        if isinstance(specs, str | bytes):
            raise TypeError("specs: expected an iterable of specs, not one string")
        base = [] if replace else list(self.faults)
        rules = [parse_fault(s, seed=self.seed, index=len(base) + i) for i, s in enumerate(specs)]
        self.faults = base + rules
        return rules

    def fault_counts(self) -> dict[str, int]:
        """How many times each fault kind fired."""
        return dict(self.stats.faults)

    def _fire(self, kinds: Iterable[str], method: str, path: str) -> FaultRule | None:
        if not self.faults:  # the usual case, several times per request
            return None
        wanted = set(kinds)
        for rule in self.faults:
            if rule.kind in wanted and rule.matches(method, path) and rule.roll():
                self.stats.faults[rule.kind] += 1
                return rule
        return None

    # ---------------------------------------------------------------- entry points

    async def handle(self, request: Request) -> Response:
        """Answer one request (the in-process adapter: ``MockTransport(sandbox.handle)``).

        Raises:
            ServerDisconnectedError: A reset fault fired (before or after processing).
            ReadError: A truncate fault fired (the body broke off).
        """
        outcome = await self.process(request)
        if outcome.action == "reset":
            raise ServerDisconnectedError(
                "sandbox: connection reset", method=request.method, url=str(request.url)
            )
        if outcome.action == "truncate":
            raise ReadError(
                "sandbox: response body truncated", method=request.method, url=str(request.url)
            )
        return outcome.response

    async def process(self, request: Request) -> Outcome:
        """Answer one request, reporting transport-level faults in its ``action``.

        The request is processed on arrival; the latency (``latency_ms``, ``jitter_ms``,
        ``latency`` rules) then holds its answer back.
        """
        if not isinstance(request, Request):
            raise TypeError(f"request: expected Request, got {type(request).__name__}")
        path = request.url.path
        matched = None if path.startswith(CONTROL_PREFIX) else self._match(request.method, path)
        # An invoice create is in flight from its arrival to its answer, the latency
        # included: what the server sees of the client's cap on creates in flight.
        # Refused ones count too (a bad token or field); creates for an account the
        # sandbox does not have do not.
        creating: str | None = None
        route, params = matched if matched is not None else (None, {})
        if route is not None and route.resource == "invoices" and route.op == "create":
            account = params.get("account_id")
            creating = account if account in self.accounts else None
        stats = self.stats  # (the one counted in, even if reset() replaces it meanwhile)
        if creating is not None:
            now = stats.inflight_invoice_creates[creating] = (
                stats.inflight_invoice_creates.get(creating, 0) + 1
            )
            if now > stats.max_concurrent_invoice_creates.get(creating, 0):
                stats.max_concurrent_invoice_creates[creating] = now
        try:
            outcome, delay = await self._process(request, matched)
            if delay:
                # Sleeping before processing instead would make every timer that expires
                # in one loop turn (epoll waits in whole milliseconds) run its handler
                # back to back: a convoy of the emulator's own CPU that no real server
                # shows, which inflated every latency benchmark (docs/performance.rst).
                await self.clock.sleep(delay)
        finally:
            if creating is not None:
                stats.inflight_invoice_creates[creating] -= 1
        if outcome.response.status:  # 0: the connection was dropped before an answer
            self.stats.statuses[outcome.response.status] += 1
        return outcome

    async def _process(
        self, request: Request, matched: tuple[Route | None, dict[str, str]] | None
    ) -> tuple[Outcome, float]:
        """The outcome of one request and the seconds its answer is held back
        (``matched``: its route and path parameters, ``None`` for a control path)."""
        path = request.url.path
        method = request.method
        if matched is None:
            try:
                response = self._response(await self._control(method, path, request), request)
            except Exception as exc:
                response = self._bug_response(Family.UPLOADS, exc, request)  # {"error": ...}
            return Outcome(response=response), 0.0
        route, params = matched
        family = route.family if route else family_of_path(path)
        self.stats.requests[f"{method} {route.template if route else '<unrouted>'}"] += 1
        delay = 0.0
        if self.faults or self.latency_ms or self.jitter_ms:
            delay = self._delay_for(method, path)
            early = await self._pre_faults(method, path, request, delay)
            if early is not None:
                return early, delay
        action: str | None = None
        # All or nothing: whatever a request changes is undone unless it succeeds (2xx/3xx
        # answered, serialised and all); see _store.Journal.
        journal = (
            Journal() if method not in _SAFE or (route and route.family is Family.OAUTH) else None
        )
        entered = use_journal(journal)
        try:
            try:
                response = self._response(await self._dispatch(route, params, request), request)
            except SandboxAPIError as err:
                response = self._error_response(family, err, request)
            except Exception as exc:
                response = self._bug_response(family, exc, request)
        except BaseException:  # cancelled (the caller gave up): as if it never came
            if journal is not None:
                journal.rollback()
            raise
        else:
            if journal is not None:
                if response.status < 400:
                    journal.commit()
                else:
                    journal.rollback()
        finally:
            restore_journal(entered)
        if self.faults:
            response, action = self._post_faults(method, path, response)
        return Outcome(response=response, action=action), delay

    async def _dispatch(
        self, route: Route | None, params: dict[str, str], request: Request
    ) -> Reply:
        """Route, check and hand one API request to its handler."""
        method = request.method
        if route is None:
            raise SandboxAPIError(
                404 if params.get("_any_method") is None else 405,
                "The requested resource could not be found."
                if params.get("_any_method") is None
                else f"Method {method} is not allowed here.",
                errno=1012,
            )
        if len(request.body) > self.max_body_bytes:
            raise SandboxAPIError(
                413,
                f"The request body is too large (more than {self.max_body_bytes} bytes).",
                errno=1017,
                field="body",
            )
        token = self._authenticate(route, request)
        self.today()  # a new day re-renders invoices (overdue)
        ctx = Ctx(self, route, params, request, token)
        handler = _resolve(route)
        return await handler(ctx)

    def _error_response(self, family: Family, err: SandboxAPIError, request: Request) -> Response:
        try:
            return self._response(
                Reply(err.status, error_body(family, err), headers=err.headers), request
            )
        except Exception as exc:  # an error the sandbox cannot even render is a bug
            return self._bug_response(family, exc, request)

    def _bug_response(self, family: Family, exc: BaseException, request: Request) -> Response:
        """A FreshBooks-shaped 500 for a sandbox bug (logged with its traceback)."""
        _log.error(
            "sandbox bug answering %s %s: %s: %s",
            request.method,
            request.url.path,
            type(exc).__name__,
            exc,
            exc_info=exc,
        )
        bug = SandboxAPIError(500, f"FreshAlchemyUnexpected: {type(exc).__name__}", errno=500)
        try:
            return self._response(Reply(500, error_body(family, bug)), request)
        except Exception:  # pragma: no cover - the error body of a bug is plain ASCII
            return Response(
                status=500,
                headers=Headers({"Content-Type": "application/json"}),
                body=b'{"error":"FreshAlchemyUnexpected"}',
                request=request,
            )

    def _refuse(self, request: Request, err: SandboxAPIError) -> Response:
        """The answer to a request refused before it could be processed (the web
        adapter's checks: an oversized body, a malformed ``Host``), in the shape of
        the family its path belongs to."""
        family = family_of_path(request.url.path)
        self.stats.requests[f"{request.method} <refused>"] += 1
        response = self._error_response(family, err, request)
        self.stats.statuses[response.status] += 1
        return response

    # ---------------------------------------------------------------- internals

    def _match(self, method: str, path: str) -> tuple[Route | None, dict[str, str]]:
        """The route of ``method path`` and its path parameters (a fresh dict)."""
        key = (method, path)
        found = _MATCHED.get(key)
        if found is None:
            found = _match_route(method, path)
            if len(path) <= _MATCHED_PATH_MAX:  # (a long, odd path is not kept)
                if len(_MATCHED) >= _MATCHED_MAX:  # paths carry ids: keep it bounded
                    _MATCHED.clear()
                _MATCHED[key] = found
        return found[0], dict(found[1])

    def _delay_for(self, method: str, path: str) -> float:
        """Seconds the answer to this request is held back (latency, jitter, rules)."""
        delay = self.latency_ms
        if self.jitter_ms:
            delay += self.rng.uniform(0, self.jitter_ms)
        rule = self._fire(("latency",), method, path)
        if rule is not None:
            delay += rule.num("ms", 0) + self.rng.uniform(0, rule.num("jitter_ms", 0))
        return delay / 1000.0

    async def _pre_faults(
        self, method: str, path: str, request: Request, delay: float
    ) -> Outcome | None:
        if not self.faults:  # each step below is a fault rule's
            return None
        rule = self._fire(("hang",), method, path)
        if rule is not None:
            if "seconds" in rule.options:
                await self.clock.sleep(rule.num("seconds", 0))
            else:
                await self._wait_forever()
        if self._fire(("reset_before",), method, path) is not None:
            return Outcome(response=Response(status=0, request=request), action="reset")
        family = family_of_path(path)
        limited = self._rate_limited(method, path, request)
        if limited is not None:
            return Outcome(response=self._response(limited, request))
        rule = self._fire(("429",), method, path)
        if rule is not None:
            seconds = int(rule.options.get("retry_after_s", 1))
            raw = str(rule.options.get("retry_after", "1"))
            if raw == "date":
                # Seconds ahead of when the answer leaves (after the latency).
                leaves = self.clock.time() + delay
                value = email.utils.formatdate(leaves + seconds, usegmt=True)
            else:
                value = raw
            err = SandboxAPIError(429, "Too many requests.", errno=429)
            reply = Reply(429, error_body(family, err), headers={"Retry-After": value})
            return Outcome(response=self._response(reply, request))
        rule = self._fire(("500", "502", "503", "504", "5xx"), method, path)
        if rule is not None:
            status = int(rule.options.get("status", 503)) if rule.kind == "5xx" else int(rule.kind)
            err = SandboxAPIError(status, "FreshAlchemyUnexpected", errno=500)
            return Outcome(response=self._response(Reply(status, error_body(family, err)), request))
        return None

    def _rate_limited(self, method: str, path: str, request: Request) -> Reply | None:
        for rule in self.faults:
            if rule.kind != "rate_limit" or not rule.matches(method, path):
                continue
            key = request.headers.get("Authorization", "anonymous")
            window = rule.num("window", 1.0)
            limit = int(rule.options.get("limit", 1))
            now = self.clock.monotonic()
            stamps = [t for t in self._rate_windows.get(key, []) if now - t < window]
            if len(stamps) >= limit:
                self._rate_windows[key] = stamps
                retry = max(1, int(window - (now - stamps[0]) + 0.999))
                self.stats.faults["rate_limit"] += 1
                rule.triggered += 1
                err = SandboxAPIError(429, "Rate limit exceeded.", errno=429)
                return Reply(
                    429,
                    error_body(family_of_path(path), err),
                    headers={"Retry-After": str(retry)},
                )
            stamps.append(now)
            self._rate_windows[key] = stamps
        return None

    def _post_faults(
        self, method: str, path: str, response: Response
    ) -> tuple[Response, str | None]:
        if self._fire(("reset_after_commit",), method, path) is not None:
            return response, "reset"
        if self._fire(("truncate",), method, path) is not None:
            return response, "truncate"
        if self._fire(("malformed",), method, path) is not None:
            broken = response.body[: max(1, len(response.body) // 2)] + b"<html>"
            headers = response.headers.merged({"Content-Length": str(len(broken))})
            return (
                Response(status=200, headers=headers, body=broken, request=response.request),
                None,
            )
        return response, None

    async def _wait_forever(self) -> None:
        if self._hang is None:
            self._hang = asyncio.Event()
        await self._hang.wait()

    def _authenticate(self, route: Route, request: Request) -> TokenInfo | None:
        if route.family is Family.OAUTH or (
            route.family is Family.PAYMENTS and route.resource == "tokenization"
        ):
            return None
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        info = self.tokens.get(value.strip()) if scheme.lower() == "bearer" else None
        if info is None or info.revoked:
            raise SandboxAPIError(
                401,
                "The request token failed to authenticate or validate."
                if route.family is Family.EVENTS
                else "This action requires authentication to continue.",
                errno=401,
            )
        if self.clock.time() >= info.expires_at:
            raise SandboxAPIError(401, "The access token has expired.", errno=401)
        needed = _scope_for(route, request.method)
        if needed and info.scopes is not None and needed not in info.scopes:
            have = " ".join(sorted(info.scopes))
            raise SandboxAPIError(
                403,
                f"The access token does not have the required scopes. "
                f"Scopes supplied: {have}. Scopes needed: {needed}.",
                errno=1003,
            )
        return info

    def _response(self, reply: Reply, request: Request) -> Response:
        if isinstance(reply.body, bytes):
            body = reply.body
        elif reply.body is None:
            body = b""
        else:
            body = dumps(reply.body)
        headers = {"Content-Type": reply.content_type} if body else {}
        headers.update(reply.headers)
        for name, value in headers.items():
            # A value HTTP cannot carry would fail only when the adapter writes it, after
            # the request committed: refuse it here, inside the request's journal.
            if not value.isprintable() or not value.isascii():
                raise ValueError(f"header {name}: cannot send {value!r}")
        return Response._trusted(reply.status, Headers(headers), body, request=request)

    def spawn(self, coro: Awaitable[None]) -> None:
        """Run a background coroutine (webhook deliveries), kept until done.

        Spawned while a request is handled, it starts once the request commits, and is
        dropped if the request fails: a failed request has no side effects.
        """
        journal = current_journal()
        if journal is not None:
            close = getattr(coro, "close", None)
            journal.defer(lambda: self._start(coro), close)
            return
        self._start(coro)

    def _start(self, coro: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def drain(self) -> None:
        """Wait for background work (webhook deliveries) to finish."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    async def aclose(self) -> None:
        """Release hung requests and cancel background work."""
        if self._hang is not None:
            self._hang.set()
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*list(self._background), return_exceptions=True)

    async def deliver(self, url: str, headers: dict[str, str], body: bytes) -> None:
        """POST one webhook (verification or event), recording the attempt."""
        entry: dict[str, Any] = {
            "url": url,
            "headers": dict(headers),
            "body": body.decode(),
            "status": None,
            "error": None,
        }
        self.deliveries.append(entry)
        try:
            if self._deliver is not None:
                entry["status"] = await self._deliver(url, headers, body)
            else:
                entry["status"] = await _post(url, headers, body)
        except Exception as exc:  # a receiver's failure is recorded, never raised
            entry["error"] = f"{type(exc).__name__}: {exc}"

    # ---------------------------------------------------------------- seeding & control

    def seed_data(self, *, business: Business | None = None, **counts: int) -> dict[str, int]:
        """Create deterministic objects (see ``_seed.seed``).

        Args:
            business: Where to create them; the default business when ``None``.
            **counts: Objects per kind: ``clients``, ``invoices``, ``payments``,
                ``expenses``, ``projects``, ``time_entries``, ``staff``,
                ``expense_categories``, ``gateways``.

        Returns:
            The number created per kind.

        Raises:
            TypeError: ``business`` is not one of this sandbox's businesses.
            ValueError: An unknown kind or a negative count.
        """
        from ._seed import seed

        if business is None:
            business = self.default_business
        elif not isinstance(business, Business) or self.businesses.get(business.id) is not business:
            raise TypeError(f"business: expected a Business of this sandbox, got {business!r}")
        return seed(self, business, **counts)

    async def _control(self, method: str, path: str, request: Request) -> Reply:
        from ._control import control

        return await control(self, method, path[len(CONTROL_PREFIX) :], request)


def _credential(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected str, got {type(value).__name__}")
    if not value or not value.isprintable() or any(c.isspace() for c in value):
        raise ValueError(
            f"{name}: must be a non-empty string without spaces or control characters, "
            f"got {value!r}"
        )
    return value


def _has_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def _post(url: str, headers: dict[str, str], body: bytes) -> int:
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=10)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.post(url, data=body, headers=headers) as resp,
    ):
        await resp.read()
        return resp.status


# Scope objects per resource (DOCS:scopes); reads need :read, writes :write.
_SCOPES = {
    "clients": "clients",
    "contacts": "clients",
    "credit_notes": "credit_notes",
    "estimates": "estimates",
    "expenses": "expenses",
    "expense_profiles": "expenses",
    "expense_categories": "expenses",
    "invoices": "invoices",
    "invoice_profiles": "invoices",
    "items": "billable_items",
    "billable_items": "billable_items",
    "payments": "payments",
    "other_income": "other_income",
    "taxes": "taxes",
    "bills": "bills",
    "bill_payments": "bill_payments",
    "bill_vendors": "bill_vendors",
    "tasks": "projects",
    "staff": "teams",
    "journal_entries": "journal_entries",
    "journal_entry_details": "journal_entries",
    "journal_entry_accounts": "journal_entries",
    "reports": "reports",
    "projects": "projects",
    "time_entries": "time_entries",
    "retainers": "retainers",
    "team_members": "teams",
    "callbacks": "notifications",
    "payment_options": "online_payments",
    "checkout_links": "online_payments",
    "identity": "profile",
}


def _scope_for(route: Route, method: str) -> str | None:
    obj = _SCOPES.get(route.resource)
    if obj is None:
        return None
    return f"user:{obj}:{'read' if method == 'GET' else 'write'}"


# Handlers by route (``id``: the routes are module constants, and hashing a frozen
# Route hashes its regex and catalogue rows): resolved once, not on every request.
_HANDLERS: dict[int, tuple[Route, Handler]] = {}


def _resolve(route: Route) -> Handler:
    known = _HANDLERS.get(id(route))
    if known is not None and known[0] is route:
        return known[1]
    from ._handlers.dispatch import resolve

    handler = resolve(route)
    _HANDLERS[id(route)] = (route, handler)
    return handler


def as_multidict(pairs: Iterable[tuple[str, str]]) -> MultiDict[str]:
    """A MultiDict from pairs (helper for handlers)."""
    return MultiDict(pairs)


def new_record(table: Table, data: dict[str, Any], extras: dict[str, Any] | None = None) -> Record:
    """Insert a new record with the next id (helper for handlers)."""
    return table.add(Record(table.new_id(), data, extras))
