"""One request pipeline: build -> send -> retry -> decode -> raise.

:class:`Pipeline` is the only code that sends requests, and the only place where
requests are retried. What it knows of the wire (paths, queries, envelopes, error
bodies, page metadata) is in :mod:`freshbooks_async._sansio`, without I/O; the names
are re-exported here for the modules that import them from the pipeline.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import functools
import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any, Final, Literal, NamedTuple, Protocol, TypeAlias

import attrs
import yarl

from ._clock import Clock
from ._json import JSONNestingError
from ._json import loads as load_json
from ._route import template_for
from ._sansio import (
    JSON_ENCODER,
    Envelope,
    PageInfo,
    QueryParams,
    api_error,
    build_path,
    check_account_id,
    check_business_id,
    check_business_uuid,
    decode_error,
    envelope_for_path,
    page_info,
    parse_error,
    render_query,
    unwrap,
)
from ._secrets import NO_SECRETS, CallSecrets, scoped_secrets
from .errors import FreshBooksError, TransportError
from .hooks import _CALL_IDS, RequestEvent, ResponseEvent, RetryEvent, _emit, _HookSet
from .retry import RetryBudget, RetryDecision, RetryPolicy, decide, parse_retry_after
from .transports import BodyStream, Headers, Request, Response, Transport
from .transports._streamed import StreamedResponse
from .transports._types import multidict_of

__all__ = [
    "RESPONSE_ARRIVED",
    "APIResponse",
    "Envelope",
    "PageInfo",
    "Pipeline",
    "QueryParams",
    "TokenSource",
    "build_path",
    "check_account_id",
    "check_business_id",
    "check_business_uuid",
    "envelope_for_path",
    "page_info",
    "parse_error",
    "render_query",
    "unwrap",
]

logger = logging.getLogger("freshbooks_async")

#: Whether an attempt is logged (``logger.isEnabledFor(DEBUG)``, cached by logging).
_debug_logged: Callable[[], bool] = functools.partial(logger.isEnabledFor, logging.DEBUG)

Expect: TypeAlias = Literal["json", "bytes"]
"""What :meth:`FreshBooksClient.request <freshbooks_async.FreshBooksClient.request>`
makes of a response body: ``"json"`` (decode the family's envelope into ``.data``) or
``"bytes"`` (``.data`` is the raw body, e.g. a PDF)."""


# --------------------------------------------------------------------------- pipeline


class TokenSource(Protocol):
    """Where the pipeline gets bearer tokens (a static token or an OAuth2 session)."""

    async def access_token(self) -> str:
        """The token to send now (refreshing first if it is about to expire)."""
        ...

    async def on_unauthorized(self, rejected_token: str, response: Response) -> bool:
        """Called on a 401. Return True if a new token is ready (the request is then
        replayed once), False to let the 401 surface."""
        ...


@attrs.frozen(kw_only=True)
class APIResponse:
    """A successful, decoded response.

    Attributes:
        status: HTTP status.
        headers: Response headers.
        data: The payload inside the family envelope (``None`` for an empty body).
        document: The whole decoded JSON document (``None`` for bytes or empty bodies).
        content: The raw body.
        page: Page metadata for list responses.
        retries_taken: Retries before this success.
        elapsed: Seconds from the first attempt to this response, waits included.
    """

    status: int
    headers: Headers
    data: Any = attrs.field(repr=False)
    document: Any = attrs.field(repr=False)
    content: bytes = attrs.field(repr=lambda b: f"<{len(b)} bytes>")
    page: PageInfo | None = None
    retries_taken: int = 0
    elapsed: float = 0.0
    #: The call's secrets: what decoding this response raises is scrubbed of them
    #: (``with response._secrets.guard(): ...``). Private; shows none of them.
    _secrets: CallSecrets = attrs.field(default=NO_SECRETS, repr=False, eq=False)

    @classmethod
    def _trusted(
        cls,
        status: int,
        headers: Headers,
        data: Any,
        document: Any,
        content: bytes,
        page: PageInfo | None,
        retries_taken: int,
        elapsed: float,
        secrets: CallSecrets,
    ) -> APIResponse:
        """What ``APIResponse(...)`` builds (it has no converters or validators), each
        field set through its slot's own setter: the pipeline's per-call constructor
        (a third of the keyword ``__init__``'s CPU)."""
        response = _new(cls)
        _RESPONSE_SET[0](response, status)
        _RESPONSE_SET[1](response, headers)
        _RESPONSE_SET[2](response, data)
        _RESPONSE_SET[3](response, document)
        _RESPONSE_SET[4](response, content)
        _RESPONSE_SET[5](response, page)
        _RESPONSE_SET[6](response, retries_taken)
        _RESPONSE_SET[7](response, elapsed)
        _RESPONSE_SET[8](response, secrets)
        return response


_new = object.__new__
#: The slot setters of APIResponse's fields, in the order APIResponse._trusted sets them.
_RESPONSE_SET: Final = tuple(
    APIResponse.__dict__[field.name].__set__ for field in attrs.fields(APIResponse)
)


_JSON_HEADERS = {"Content-Type": "application/json"}


class _Route(NamedTuple):
    """What every call to one path needs besides its query (see :meth:`Pipeline._route`)."""

    url: yarl.URL
    envelope: Envelope | None  # None: no API family serves the path
    budget: RetryBudget


#: Called once (then cleared) when a call in this context gets its success response,
#: before the body is decoded. The paginator sets it in each page task so a page's window
#: slot is freed, and the next page requested, before this page's JSON is parsed and
#: decoded. If it returns True (it started a request) the call yields one loop turn, so
#: that request goes out first; otherwise the body is decoded at once.
RESPONSE_ARRIVED: contextvars.ContextVar[Callable[[], bool | None] | None] = contextvars.ContextVar(
    "freshbooks_async_response_arrived", default=None
)

#: How much of an error body a streamed call reads to describe the error.
_ERROR_BODY_LIMIT = 64 * 1024


class _InFlight:
    """At most ``limit`` holders at once, served first come first served: what
    ``asyncio.Semaphore`` does, with a free slot taken and given back in two attribute
    updates (the semaphore's uncontended path is five Python calls per request).

    A waiter is handed the slot of the holder that leaves (``_free`` is not raised in
    between, so a newcomer cannot overtake it); a waiter cancelled after it was handed
    a slot passes it on.
    """

    __slots__ = ("_free", "_waiters")

    def __init__(self, limit: int) -> None:
        self._free = limit
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    async def __aenter__(self) -> None:
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return
        await self.wait()

    async def wait(self) -> None:
        """Wait for a slot (none is free, or others wait first) and take it."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self._release()  # handed a slot, then cancelled: pass it on
            else:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
            raise

    async def __aexit__(self, *exc_info: object) -> None:
        self.release()

    def release(self) -> None:
        """Give a slot back (to the first waiter, if any)."""
        if self._waiters:
            self._release()
        else:
            self._free += 1

    def _release(self) -> None:
        waiters = self._waiters
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot goes to the first waiter
                return
        self._free += 1


class Pipeline:
    """Sends API calls: auth header, limits, retries, logging, decoding, errors.

    Owned by :class:`~freshbooks_async.client.FreshBooksClient`; not public API.
    """

    def __init__(
        self,
        *,
        transport: Transport,
        base_url: yarl.URL,
        tokens: TokenSource | None,
        retry: RetryPolicy,
        clock: Clock,
        max_in_flight: int,
        default_headers: Mapping[str, str],
        timeout: float | None,
        hooks: _HookSet | None = None,
        budgets: Callable[[str], RetryBudget] | None = None,
    ) -> None:
        self.transport = transport
        #: The client's event hooks; ``None`` when it has none (then no event is built).
        self.hooks = hooks
        self.base_url = base_url
        self.tokens = tokens
        self.retry = retry
        self.budget = RetryBudget()
        # The retry budget of a request, by its URL path (the client's coordinator keeps
        # one per account); without it, one budget for every request.
        self.budgets: Callable[[str], RetryBudget] = budgets or (lambda path: self.budget)
        self.clock = clock
        self.limiter = _InFlight(max_in_flight)
        self.default_headers = Headers(default_headers)
        self.json_headers = self.default_headers.merged(_JSON_HEADERS)
        self.timeout = timeout
        # (which shared header set, token) -> those headers with the bearer token: the
        # common calls then build no Headers at all (measured: ~20 us per call).
        self._authorized: dict[tuple[int, str], Headers] = {}
        # path -> what a call to it needs besides the query (see _route).
        self._routes: dict[str, _Route] = {}

    def _route(self, path: str) -> _Route:
        """``path``'s URL (without a query), envelope family and retry budget, worked out
        on its first call and kept: a client calls the same few paths again and again.

        Keeping the budget assumes that the coordinator answers a scope with the same
        :class:`RetryBudget` every time (the protocol's rule: see
        :meth:`Coordinator.retry_budget <freshbooks_async.coordination.Coordinator.retry_budget>`).
        """
        route = self._routes.get(path)
        if route is None:
            base = self.base_url.raw_path.rstrip("/")
            url = self.base_url.with_path(base + path, encoded=True)
            try:
                envelope: Envelope | None = envelope_for_path(path)
            except ValueError:
                envelope = None  # refused by call() unless it is given an envelope
            route = _Route(url, envelope, self.budgets(url.path))
            if len(self._routes) >= 1024:  # paths carry ids: keep the cache bounded
                self._routes.clear()
            self._routes[path] = route
        return route

    def authorize(self, headers: Headers, token: str) -> Headers:
        """``headers`` plus ``Authorization: Bearer <token>``, cached for the shared sets."""
        shared = headers is self.default_headers or headers is self.json_headers
        key = (id(headers), token)
        if shared:
            cached = self._authorized.get(key)
            if cached is not None:
                return cached
        authorized = headers._with("Authorization", f"Bearer {token}")
        if shared:
            if len(self._authorized) >= 4:  # tokens rotate: keep only the current ones
                self._authorized.clear()
            self._authorized[key] = authorized
        return authorized

    def url(self, path: str, query: Sequence[tuple[str, str]] = ()) -> yarl.URL:
        """The absolute URL of ``path`` (already encoded, see :func:`build_path`)."""
        url = self._route(path).url
        return url.with_query(query) if query else url

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        json_body: Any = None,
        body: bytes | None = None,
        stream: BodyStream | None = None,
        headers: Mapping[str, str] | None = None,
        expect: Expect = "json",
        idempotent: bool | None = None,
        timeout: float | None = None,
        authenticated: bool = True,
        envelope: Envelope | None = None,
    ) -> APIResponse:
        """Send one API call, retrying per the policy, and decode its response.

        Raises:
            APIError: An error status (after retries).
            TransportError: The exchange failed (after retries).
            ResponseDecodeError: A success response that is not what the API promises.
        """
        route = self._routes.get(path) or self._route(path)
        if envelope is None:
            envelope = route.envelope or envelope_for_path(path)  # (raises for that path)
        url = route.url.with_query(render_query(params)) if params else route.url
        request_headers = self.default_headers
        payload = body if body is not None else b""
        if json_body is not None:
            payload = JSON_ENCODER.encode(json_body).encode()
            request_headers = self.json_headers
        if headers:
            request_headers = request_headers.merged(headers)
        request = Request._trusted(
            method.upper(),
            url,
            request_headers,
            payload,
            stream,
            timeout if timeout is not None else self.timeout,
        )
        # The send loop, in this coroutine (one frame less per call than a helper), with
        # _Attempts.prepare and the limiter's ``async with`` inlined (three coroutines
        # less per attempt).
        attempts = _Attempts(self, request, envelope, idempotent, authenticated, path, route.budget)
        tokens = self.tokens if authenticated else None
        limiter = self.limiter
        try:
            while True:
                if attempts.prepared:  # a later attempt (the first one's start is .started)
                    attempts.attempt_started = self.clock.monotonic()
                attempts.prepared = True
                if tokens is None:
                    attempt_request, token = request, ""
                else:
                    token = await tokens.access_token()
                    attempt_request = attempts.authorized(token)
                try:
                    if limiter._free > 0 and not limiter._waiters:  # (_InFlight.__aenter__)
                        limiter._free -= 1
                    else:
                        await limiter.wait()
                    try:
                        if attempts.hooks is None:
                            response = await self.transport.send(attempt_request)
                        else:
                            response = await attempts.observed_send(attempt_request)
                    finally:
                        limiter.release()
                except TransportError as exc:
                    await attempts.failed(exc)
                    continue
                if _debug_logged():
                    attempts.log(response.status)
                if response.status < 300:
                    attempts.budget.record_success()
                    arrived = RESPONSE_ARRIVED.get()
                    if arrived is not None:
                        RESPONSE_ARRIVED.set(None)
                        if arrived():
                            await asyncio.sleep(0)  # let what it started go out first
                    return self._decode(
                        response,
                        envelope,
                        expect,
                        attempts.retries,
                        self.clock.monotonic() - attempts.started,
                        attempts.secrets(),
                    )
                await attempts.rejected(response, token)
        except FreshBooksError as exc:
            attempts.scrub(exc)  # the one place a call's errors leave the pipeline
            raise

    async def before_replay(
        self,
        error: TransportError,
        *,
        method: str,
        retries_taken: int,
        idempotent: bool | None = None,
        budget: RetryBudget | None = None,
    ) -> None:
        """Sleep before sending an exchange that failed with ``error`` again, or re-raise
        ``error``: the retry policy, the retry budget and the clock decide, as for every
        attempt. Also for callers that replay a whole exchange themselves, e.g. a
        streamed download whose body broke off after it was handed over. ``budget``:
        the request's (default: the one of ``error.url``'s path)."""
        decision = await self.replay_decision(
            error,
            method=method,
            retries_taken=retries_taken,
            idempotent=idempotent,
            budget=budget,
        )
        await self.clock.sleep(decision.wait)

    async def replay_decision(
        self,
        error: TransportError,
        *,
        method: str,
        retries_taken: int,
        idempotent: bool | None = None,
        budget: RetryBudget | None = None,
    ) -> RetryDecision:
        """:meth:`before_replay` without the sleep: the decision to replay, or ``error``
        re-raised."""
        error.retries_taken = retries_taken
        if budget is None:
            try:
                path = yarl.URL(error.url).path
            except (TypeError, ValueError):
                path = ""
            budget = self.budgets(path)
        budget.record_failure()
        await budget.sync()  # a shared budget: as every process left it
        decision = decide(
            self.retry,
            method=method,
            retries_taken=retries_taken,
            error=error,
            idempotent=idempotent,
            budget=budget,
        )
        if not decision.retry:
            error.retry_refused = decision.refused
            raise error
        return decision

    @contextlib.asynccontextmanager
    async def stream(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        authenticated: bool = True,
    ) -> AsyncIterator[StreamedResponse]:
        """Send a call and yield its successful response before reading the body.

        Authentication, the in-flight limit, retries (before any body byte is handed
        over) and error mapping are those of :meth:`call`. The body is read by the
        caller inside the ``async with`` block; a failure then is not retried.
        """
        opener = self.transport.stream
        envelope = envelope_for_path(path)
        route = self._route(path)
        request_headers = self.default_headers.merged(headers) if headers else self.default_headers
        request = Request(
            method=method,
            url=route.url.with_query(render_query(params)) if params else route.url,
            headers=request_headers,
            timeout=timeout if timeout is not None else self.timeout,
        )
        attempts = _Attempts(
            self, request, envelope, None, authenticated, path, route.budget, streamed=True
        )
        try:
            while True:
                attempt_request, token = await attempts.prepare()
                stack = contextlib.AsyncExitStack()
                try:
                    await stack.enter_async_context(self.limiter)
                    if attempts.hooks is None:
                        streamed: StreamedResponse = await stack.enter_async_context(
                            opener(attempt_request)
                        )
                    else:
                        streamed = await attempts.observed_open(stack, opener, attempt_request)
                except TransportError as exc:
                    await stack.aclose()
                    await attempts.failed(exc)
                    continue
                except BaseException:
                    await stack.aclose()
                    raise
                attempts.log(streamed.status)
                if streamed.status < 300:
                    attempts.budget.record_success()
                    async with stack:
                        yield _scrubbing(streamed, attempts)
                    return
                async with stack:  # enough of the error body to map the error
                    body = b""
                    async for chunk in streamed.iter_bytes(_ERROR_BODY_LIMIT):
                        body = chunk
                        break
                response = Response(
                    status=streamed.status,
                    headers=streamed.headers,
                    body=body,
                    request=attempt_request,
                )
                await attempts.rejected(response, token)
        except FreshBooksError as exc:
            attempts.scrub(exc)
            raise

    def _decode(
        self,
        response: Response,
        envelope: Envelope,
        expect: Expect,
        retries: int,
        elapsed: float,
        secrets: CallSecrets = NO_SECRETS,
    ) -> APIResponse:
        content = response.body
        document: Any = None
        data: Any = None
        page: PageInfo | None = None
        if expect == "bytes":
            data = content
        elif content and not content.isspace():  # content.strip(), without copying it
            try:
                document = load_json(content)
            except JSONNestingError:
                raise decode_error(
                    "response JSON is nested too deeply to decode", response
                ) from None
            except ValueError as exc:
                raise decode_error(f"response is not JSON: {exc}", response) from None
            data = unwrap(envelope, document, response)
            page = page_info(document, data)
        elif response.status not in (200, 201, 202, 204):
            raise decode_error("empty response body", response)
        return APIResponse._trusted(
            response.status,
            response.headers,
            data,
            document,
            content,
            page,
            retries,
            elapsed,
            secrets,
        )


class _Attempts:
    """The retry state of one call: what the send loops of :class:`Pipeline` share."""

    __slots__ = (
        "attempt",
        "attempt_started",
        "auth_replayed",
        "authenticated",
        "budget",
        "call_id",
        "envelope",
        "event",
        "event_started",
        "hooks",
        "idempotent",
        "path",
        "pipeline",
        "prepared",
        "request",
        "retries",
        "started",
        "streamed",
        "template",
        "tokens",
    )

    def __init__(
        self,
        pipeline: Pipeline,
        request: Request,
        envelope: Envelope,
        idempotent: bool | None,
        authenticated: bool,
        path: str,
        budget: RetryBudget,
        *,
        streamed: bool = False,
    ) -> None:
        self.pipeline = pipeline
        self.request = request
        self.envelope = envelope
        self.idempotent = idempotent
        self.authenticated = authenticated
        self.retries = 0
        self.auth_replayed = False
        self.tokens: list[str] = []  # the bearer tokens sent: secrets to scrub
        self.started = pipeline.clock.monotonic()
        self.attempt_started = self.started  # (the first attempt starts now)
        self.prepared = False
        self.hooks = pipeline.hooks
        if self.hooks is not None:  # what events need, only when there are hooks
            self.path = path
            self.template = template_for(path)
            self.streamed = streamed
            self.attempt = 0
            self.call_id = next(_CALL_IDS)
            self.event: RequestEvent | None = None  # the attempt on the wire, or last
        self.budget = budget

    async def prepare(self) -> tuple[Request, str]:
        """The request for the next attempt, with a fresh bearer token, and the token."""
        if self.prepared:  # a later attempt (the first one's start is self.started)
            self.attempt_started = self.pipeline.clock.monotonic()
        self.prepared = True
        tokens = self.pipeline.tokens
        if not self.authenticated or tokens is None:
            return self.request, ""
        token = await tokens.access_token()
        return self.authorized(token), token

    def authorized(self, token: str) -> Request:
        """The call's request with ``token`` as its bearer token (one of its secrets)."""
        self.tokens.append(token)
        r = self.request
        headers = self.pipeline.authorize(r.headers, token)
        # r.with_headers(headers), without its check (authorize returns Headers).
        return Request._trusted(r.method, r.url, headers, r.body, r.stream, r.timeout, r.extensions)

    def secrets(self) -> CallSecrets:
        """The call's secrets: the tokens sent, those of its :func:`secret_scope` and
        the values of the sensitive headers it was given (a caller's ``Cookie``, say)."""
        scoped = scoped_secrets()
        return CallSecrets(
            (*self.tokens, *scoped) if scoped else self.tokens,
            multidict_of(self.request.headers).items(),  # read only when scrubbing
        )

    def scrub(self, error: BaseException) -> None:
        """Scrub ``error`` (and its chain) of the call's secrets."""
        self.secrets().scrub(error)

    def log(self, status: int | None, error: FreshBooksError | None = None) -> None:
        if not _debug_logged():
            return  # no clock read when nothing is logged
        elapsed = self.pipeline.clock.monotonic() - self.attempt_started
        _log_attempt(self.request, status, elapsed, self.retries, error)

    # Event hooks: only called when the pipeline has some (self.hooks is not None).

    async def _sending(self, request: Request) -> RequestEvent:
        assert self.hooks is not None
        self.attempt += 1
        event = RequestEvent(
            method=request.method,
            path_template=self.template,
            path=self.path,
            url=request.url,
            attempt=self.attempt,
            call_id=self.call_id,
            streamed=self.streamed,
        )
        self.event = event
        self.event_started = self.pipeline.clock.monotonic()
        await _emit(self.hooks.request, event)
        return event

    async def _ended(
        self,
        event: RequestEvent,
        status: int | None,
        headers: Headers | None = None,
        error: BaseException | None = None,
    ) -> None:
        assert self.hooks is not None
        if isinstance(error, FreshBooksError):
            self.scrub(error)  # hooks see errors as the caller would
        request_id = None
        if headers is not None:
            request_id = headers.get("X-Request-Id") or headers.get("Request-Id")
        await _emit(
            self.hooks.response,
            ResponseEvent(
                request=event,
                status=status,
                error=error,
                request_id=request_id,
                elapsed=self.pipeline.clock.monotonic() - self.event_started,
            ),
        )

    async def observed_send(self, request: Request) -> Response:
        """``transport.send(request)`` between its request and response events."""
        event = await self._sending(request)
        try:
            response = await self.pipeline.transport.send(request)
        except BaseException as exc:
            await self._ended(event, None, error=exc)
            raise
        await self._ended(event, response.status, response.headers)
        return response

    async def observed_open(
        self,
        stack: contextlib.AsyncExitStack,
        opener: Callable[[Request], contextlib.AbstractAsyncContextManager[StreamedResponse]],
        request: Request,
    ) -> StreamedResponse:
        """``transport.stream(request)`` entered on ``stack``, between its request and
        response events (the response event comes with the headers)."""
        event = await self._sending(request)
        try:
            streamed = await stack.enter_async_context(opener(request))
        except BaseException as exc:
            await self._ended(event, None, error=exc)
            raise
        await self._ended(event, streamed.status, streamed.headers)
        return streamed

    async def _retrying(
        self,
        wait: float,
        reason: str,
        status: int | None = None,
        error: BaseException | None = None,
    ) -> None:
        if self.hooks is None or self.event is None:
            return
        event = RetryEvent(request=self.event, status=status, error=error, wait=wait, reason=reason)
        await _emit(self.hooks.retry, event)

    async def failed(self, exc: TransportError) -> None:
        """Sleep before retrying after a transport error, or re-raise it."""
        self.log(None, exc)
        decision = await self.pipeline.replay_decision(
            exc,
            method=self.request.method,
            retries_taken=self.retries,
            idempotent=self.idempotent,
            budget=self.budget,
        )
        await self._retrying(decision.wait, decision.reason, error=exc)
        await self.pipeline.clock.sleep(decision.wait)
        self.retries += 1

    async def rejected(self, response: Response, token: str) -> None:
        """After an error status: replay once with a refreshed token, sleep before a
        retry, or raise the mapped :class:`APIError`."""
        pipeline = self.pipeline
        status = response.status
        if (
            status == 401
            and token
            and not self.auth_replayed
            and pipeline.tokens is not None
            and await pipeline.tokens.on_unauthorized(token, response)
        ):
            self.auth_replayed = True  # one replay with the fresh token; not a retry
            await self._retrying(0.0, "status 401, token refreshed", status=status)
            return
        retry_after = parse_retry_after(
            response.headers.get("Retry-After"), now=pipeline.clock.time()
        )
        self.budget.record_answer(
            status, retry_after=retry_after, retry_statuses=pipeline.retry.retry_statuses
        )
        if status in pipeline.retry.retry_statuses:
            await self.budget.sync()  # a shared budget: as every process left it
        decision = decide(
            pipeline.retry,
            method=self.request.method,
            retries_taken=self.retries,
            status=status,
            retry_after=retry_after,
            idempotent=self.idempotent,
            budget=self.budget,
        )
        if not decision.retry:
            raise api_error(response, self.envelope, self.retries, retry_after, decision.refused)
        await self._retrying(decision.wait, decision.reason, status=status)
        await pipeline.clock.sleep(decision.wait)
        self.retries += 1


def _scrubbing(streamed: StreamedResponse, attempts: _Attempts) -> StreamedResponse:
    """``streamed``, its body's errors scrubbed as they are raised (before the caller,
    inside its ``async with`` block, can see them)."""

    async def chunks(size: int) -> AsyncIterator[bytes]:
        source = streamed.iter_bytes(size)
        try:
            async for chunk in source:
                yield chunk
        except FreshBooksError as exc:
            attempts.scrub(exc)
            raise
        finally:
            close = getattr(source, "aclose", None)  # a generator left early: close it now
            if close is not None:
                await close()

    return StreamedResponse(
        status=streamed.status, headers=streamed.headers, request=streamed.request, chunks=chunks
    )


def _log_attempt(
    request: Request,
    status: int | None,
    elapsed: float,
    retries: int,
    error: FreshBooksError | None,
) -> None:
    if not logger.isEnabledFor(logging.DEBUG):
        return
    outcome = str(status) if status is not None else type(error).__name__
    # Path only: headers (the token) are never logged; queries hold no secrets but can be long.
    logger.debug(
        "%s %s -> %s in %.1f ms (attempt %d)",
        request.method,
        request.url.path,
        outcome,
        elapsed * 1000,
        retries + 1,
        extra={
            "fb_method": request.method,
            "fb_path": request.url.path,
            "fb_status": status,
            "fb_elapsed": elapsed,
            "fb_attempt": retries + 1,
        },
    )
