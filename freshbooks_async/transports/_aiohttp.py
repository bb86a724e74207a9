"""The default transport: :class:`AiohttpTransport`, on one pooled ``aiohttp`` session.

Every aiohttp, OS and asyncio failure is translated to our exception tree in one place,
:func:`translate_error` (the approach of aiobotocore's ``httpsession.py``). To tell
"certainly not sent" from "maybe sent", a session this transport creates uses a
connector that records how far each request got: acquiring a pooled connection,
connecting, or writing the request. (aiohttp's public ``TraceConfig`` would tell the
same, but costs about 30 microseconds of CPU per request; this costs almost nothing.)
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import enum
import math
import ssl as _ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Final

import aiohttp
import yarl
from aiohttp.client_proto import ResponseHandler
from aiohttp.client_reqrep import ClientRequest
from aiohttp.connector import Connection
from aiohttp.tracing import Trace

from .._secrets import Scrubber, header_secrets
from .._validate import check_bool as _check_bool
from .._validate import check_int as _check_int
from ..errors import (
    ConnectError,
    ConnectTimeoutError,
    PoolTimeoutError,
    ReadError,
    ReadTimeoutError,
    ServerDisconnectedError,
    TransportError,
)
from ._streamed import StreamedResponse
from ._types import Headers, Request, Response, multidict_of

__all__ = ["DEFAULT_MAX_RESPONSE_SIZE", "AiohttpTransport", "Phase", "translate_error"]

#: The largest response body :meth:`AiohttpTransport.send` reads into memory (64 MiB).
DEFAULT_MAX_RESPONSE_SIZE: Final = 64 * 1024 * 1024

_CONTENT_TYPE: Final = "Content-Type"
_CONTENT_LENGTH: Final = "Content-Length"
_CONTENT_ENCODING: Final = "Content-Encoding"
_SKIP_CONTENT_TYPE: Final = frozenset({_CONTENT_TYPE})
#: The methods aiohttp gives a ``Content-Type`` of its own when the request has none.
_POST_METHODS: Final = frozenset(ClientRequest.POST_METHODS)


class Phase(enum.IntEnum):
    """How far a request got before it failed (ordered)."""

    #: Not yet asking the pool for a connection.
    START = 0
    #: Acquiring a pooled connection (waiting for a free slot when the pool is full).
    QUEUED = 1
    #: Opening a new connection: DNS, TCP, TLS handshake.
    CONNECTING = 2
    #: Holding a connection, nothing written yet (for transports that can tell).
    CONNECTED = 3
    #: Writing or written: the server may act on the request.
    SENT = 4


#: The phases the per-request path sets, as module constants: an enum member read
#: through its class costs ~75 ns on Python 3.11, a global ~5 ns.
_START: Final = Phase.START
_QUEUED: Final = Phase.QUEUED
_CONNECTING: Final = Phase.CONNECTING
_SENT: Final = Phase.SENT


class _Progress:
    """How far one request got; set by :class:`_TrackingConnector`."""

    __slots__ = ("phase",)

    def __init__(self) -> None:
        self.phase = _START


#: The progress record of the request the current task is sending, if tracked.
_PROGRESS: contextvars.ContextVar[_Progress | None] = contextvars.ContextVar(
    "freshbooks_async_transport_progress", default=None
)


class _TrackingConnector(aiohttp.TCPConnector):
    """A ``TCPConnector`` that records each request's phase in :data:`_PROGRESS`.

    ``connect`` is entered to acquire a connection (waiting for a free slot when the
    pool is full) and ``_create_connection`` only to open a new one, so a timeout
    before the latter was waiting for the pool. Once ``connect`` returns, aiohttp
    writes the request at once: from then on the request may have been sent. If a
    future aiohttp stops calling ``_create_connection``, pool timeouts degrade to
    connect timeouts (both "not sent").
    """

    async def connect(
        self, req: ClientRequest, traces: list[Trace], timeout: aiohttp.ClientTimeout
    ) -> Connection:
        progress = _PROGRESS.get()
        if progress is None:
            return await super().connect(req, traces, timeout)
        progress.phase = _QUEUED
        connection = await super().connect(req, traces, timeout)
        progress.phase = _SENT
        return connection

    async def _create_connection(
        self, req: ClientRequest, traces: list[Trace], timeout: aiohttp.ClientTimeout
    ) -> ResponseHandler:
        progress = _PROGRESS.get()
        if progress is not None:
            progress.phase = _CONNECTING
        return await super()._create_connection(req, traces, timeout)


class _Deadline(_Progress):
    """The total timeout of one :meth:`AiohttpTransport.send` (see :class:`_Deadlines`,
    which arms it): ``asyncio.timeout``'s logic as a synchronous context manager
    (entering and leaving it builds no coroutine). It is also its exchange's
    :class:`_Progress` (one object per request, not two).

    As ``asyncio.timeout``: on leaving, a cancellation the deadline caused becomes
    ``TimeoutError``, unless the task was also cancelled from outside (``uncancel()``
    then leaves a pending request), in which case the ``CancelledError`` propagates.
    """

    __slots__ = ("_cancelling", "_handle", "_task", "done", "expired", "when")

    def __init__(self, task: asyncio.Task[Any], when: float) -> None:
        self.phase = _START  # (_Progress.__init__, inlined)
        # Dropped when the exchange ends: the queue may keep an ended deadline a while.
        self._task: asyncio.Task[Any] | None = task
        self._cancelling = task.cancelling()
        self.when = when
        self.expired = False
        self.done = False
        #: Its own timer, when it could not join the queue of :class:`_Deadlines`.
        self._handle: asyncio.TimerHandle | None = None

    def __call__(self) -> None:
        """The deadline has come: cancel the exchange (unless it is over)."""
        task = self._task
        if task is not None:
            self.expired = True
            task.cancel()

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: object,
    ) -> None:
        task, self._task = self._task, None
        self.done = True
        if self._handle is not None:
            self._handle.cancel()
        if (
            self.expired
            and task is not None
            and task.uncancel() <= self._cancelling
            and exc_type is not None
            and issubclass(exc_type, asyncio.CancelledError)
        ):
            raise TimeoutError from exc  # no other cancel request: the deadline's


#: The fewest queued deadlines that make :class:`_Deadlines` sweep out the ended ones.
_SWEEP_MIN: Final = 1024


class _Deadlines:
    """The deadlines of one transport's exchanges, in the order they come, under one
    timer handle: a timer handle per request (``loop.call_at``, then ``cancel``) is
    among the costliest steps of a request in a busy loop (measured: ~5% of the client
    CPU of a small GET).

    Requests with the same total timeout (the usual case) have deadlines in the order
    they start: each joins the end of the queue, and the one timer, set for the
    earliest deadline, expires what is due and is set again for the next one. A
    deadline earlier than the last queued one gets a timer of its own. The exchanges
    that ended are dropped from the front of the queue as new ones come, and from
    anywhere in it whenever it has doubled since it was last swept (so one slow exchange
    at the front does not keep every exchange after it queued for as long as it lasts).
    """

    __slots__ = ("_handle", "_loop", "_queue", "_sweep_at")

    def __init__(self) -> None:
        # The loop of the timer (the transport's: it sends from one loop only).
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: collections.deque[_Deadline] = collections.deque()
        # Set while the queue is not empty, for a time no later than its first deadline.
        self._handle: asyncio.TimerHandle | None = None
        self._sweep_at = _SWEEP_MIN  # the queue's length that triggers the next sweep

    def __len__(self) -> int:
        return len(self._queue)

    def arm(self, delay: float) -> _Deadline:
        """The deadline ``delay`` seconds from now of the current task's exchange."""
        loop = self._loop = asyncio.get_running_loop()
        task = asyncio.current_task(loop)
        if task is None:
            raise RuntimeError("Timeout should be used inside a task")
        deadline = _Deadline(task, loop.time() + delay)
        queue = self._queue
        while queue and queue[0].done:
            queue.popleft()
        if len(queue) >= self._sweep_at:  # amortised: the queue doubled since the last
            queue = self._queue = collections.deque(d for d in queue if not d.done)
            self._sweep_at = max(_SWEEP_MIN, 2 * len(queue))
        if queue and deadline.when < queue[-1].when:
            deadline._handle = loop.call_at(deadline.when, deadline)
            return deadline
        queue.append(deadline)
        if self._handle is None:
            self._handle = loop.call_at(deadline.when, self._expire)
        return deadline

    def _expire(self) -> None:
        loop = self._loop
        assert loop is not None  # (set by the arm() that set the timer)
        queue = self._queue
        now = loop.time()
        while queue and (queue[0].done or queue[0].when <= now):
            queue.popleft()()  # (an exchange that is over is not cancelled)
        self._handle = loop.call_at(queue[0].when, self._expire) if queue else None


class _NoDeadline:
    """:class:`_Deadline` when there is no total timeout (one shared object)."""

    __slots__ = ()
    expired = False

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: object) -> None:
        return None


_NO_DEADLINE: Final = _NoDeadline()


def _safe_url(url: yarl.URL) -> str:
    return str(url.with_user(None)) if url.user or url.password else str(url)


def _describe(exc: BaseException) -> str:
    # str(), never repr(): aiohttp's reprs of response errors include headers.
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def translate_error(
    exc: BaseException,
    request: Request,
    phase: Phase | None = None,
    *,
    timed_out: bool = False,
) -> TransportError | None:
    """Map one aiohttp, OS or asyncio exception to our exception tree.

    This is the only place where foreign exceptions become ours. The caller raises the
    result ``from exc`` so the original stays available as ``__cause__``.

    Args:
        exc: The exception raised while sending ``request`` or reading its response.
        request: The request being sent (its method and URL go into the error).
        phase: How far the request got, when known; ``None`` means unknown, and
            ambiguous failures are then reported as maybe sent.
        timed_out: The transport's own total timeout expired.

    Returns:
        The :class:`~freshbooks_async.errors.TransportError` to raise, or ``None`` when
        ``exc`` must propagate unchanged (cancellation, ``KeyboardInterrupt``,
        programming errors such as ``TypeError``, and our own errors).
    """
    if isinstance(exc, TransportError) or not isinstance(exc, Exception):
        return None  # ours already, or CancelledError / KeyboardInterrupt / SystemExit
    method, url = request.method, _safe_url(request.url)
    not_sent = phase is not None and phase < Phase.SENT
    detail = _describe(exc)

    if isinstance(exc, aiohttp.ConnectionTimeoutError) and not timed_out:
        # aiohttp's connect timeout covers waiting for a pool slot and connecting.
        if phase is Phase.QUEUED:
            return PoolTimeoutError(
                f"timed out waiting for a free pooled connection ({detail})",
                method=method,
                url=url,
            )
        return ConnectTimeoutError(f"connect timed out ({detail})", method=method, url=url)
    if isinstance(exc, aiohttp.SocketTimeoutError) and not timed_out:
        return ReadTimeoutError(f"read timed out ({detail})", method=method, url=url)
    if timed_out or isinstance(exc, TimeoutError):
        # The total timeout (ours, or a given session's own), or another timeout.
        if phase is Phase.QUEUED:
            return PoolTimeoutError(
                "timed out waiting for a free pooled connection", method=method, url=url
            )
        if not_sent:
            return ConnectTimeoutError(
                "timed out before the request was sent", method=method, url=url
            )
        what = "request timed out" if timed_out else f"request timed out ({detail})"
        return ReadTimeoutError(what, method=method, url=url)
    if isinstance(
        exc, aiohttp.ClientConnectorError | aiohttp.ServerFingerprintMismatch | aiohttp.InvalidURL
    ):
        # Refused, DNS, TLS handshake or certificate, proxy, invalid URL. (A bare
        # ssl.SSLError happens mid-exchange, so it falls through to the phase rules.)
        return ConnectError(f"cannot connect ({detail})", method=method, url=url)
    if not isinstance(exc, aiohttp.ClientError | OSError):
        return None  # a programming error (TypeError, RuntimeError...): not ours to map
    if not_sent:
        # A pooled connection the server had already closed, before we wrote anything.
        return ConnectError(f"connection failed before sending ({detail})", method=method, url=url)
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return ServerDisconnectedError(f"server disconnected ({detail})", method=method, url=url)
    if isinstance(exc, aiohttp.ClientPayloadError):
        return ReadError(f"incomplete response body ({detail})", method=method, url=url)
    # ClientOSError, ClientConnectionResetError, ConnectionResetError, a malformed
    # response (ClientResponseError), a failing upload stream, a closed connector.
    return ReadError(f"connection failed ({detail})", method=method, url=url)


def _failure(
    exc: BaseException, request: Request, phase: Phase | None, *, timed_out: bool = False
) -> TransportError | None:
    """:func:`translate_error`'s error with ``exc`` as its cause, scrubbed of the
    request's credentials (an aiohttp response error's ``request_info`` holds the
    request headers: such a cause is replaced by a stand-in), or ``None``.

    The caller raises it outside its ``except`` block: raised inside, it would get the
    unscrubbed ``exc`` as its ``__context__``.
    """
    mapped = translate_error(exc, request, phase, timed_out=timed_out)
    if mapped is None:
        return None
    mapped.__cause__ = exc  # as "raise mapped from exc" (which also suppresses context)
    return Scrubber(_request_secrets(request)).error(mapped)


def _request_secrets(request: Request) -> list[str]:
    """The secrets a request carries in its headers and URL: each sensitive header's
    value, its credentials without the scheme (``Bearer <token>``), and each cookie's
    value."""
    found = header_secrets(request.headers.raw_items())
    if request.url.password:
        found.append(request.url.password)
    return found


def _check_timeout(name: str, value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name}: expected a number or None, got {type(value).__name__}: {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: must be a finite number > 0 or None, got {value!r}")
    return float(value)


class AiohttpTransport:
    """The default transport: HTTP/1.1 over one pooled, keep-alive ``aiohttp`` session.

    The session is created lazily, inside the running event loop, on the first
    :meth:`send` (so the transport can be built outside any loop), and is bound to that
    loop. :meth:`aclose` closes a session the transport created; a session passed in is
    the caller's to close.

    Timeouts: ``connect_timeout`` bounds getting a usable connection (waiting for a pool
    slot, DNS, TCP and TLS); when it expires while waiting for a slot the error is
    :class:`~freshbooks_async.errors.PoolTimeoutError`, otherwise
    :class:`~freshbooks_async.errors.ConnectTimeoutError`. ``read_timeout`` bounds each
    wait for response bytes, from the headers to the last byte of the body, streamed or
    not: a body that stalls raises
    :class:`~freshbooks_async.errors.ReadTimeoutError` once no byte came for that long.
    The total timeout (``Request.timeout``, else ``total_timeout``) bounds the whole
    exchange; in :meth:`stream` it bounds getting the response headers, and the body is
    then governed by ``read_timeout``. A given ``session`` gets ``connect_timeout`` and
    ``read_timeout`` per request; its own total timeout still applies as well.

    Bodies: a gzip or deflate response is decoded, so ``Response.body`` is the content
    while ``Content-Encoding`` and ``Content-Length`` are passed through as sent. No
    redirect is followed and no cookie is stored: the response is passed through.

    Args:
        session: A session to use instead of creating one. The connector options
            (``limit``, ``limit_per_host``, ``keepalive_timeout``, ``ssl``,
            ``trust_env``) belong to that session and must then be left at their
            defaults. Errors on such a session cannot always tell "not sent" from
            "maybe sent", so ambiguous ones are reported as maybe sent.
        limit: Most connections open at once (``0``: no limit).
        limit_per_host: Most connections to one host (``0``: no limit).
        keepalive_timeout: Seconds an idle connection stays in the pool.
        connect_timeout: Seconds to get a usable connection, or ``None``.
        read_timeout: Seconds to wait for each read from the socket, or ``None``.
        total_timeout: Default seconds for a whole exchange, or ``None``.
        ssl: ``True`` verifies TLS certificates (the default); an ``ssl.SSLContext`` is
            used as given; ``False`` disables verification and must be explicit.
        trust_env: Read proxy settings and ``.netrc`` from the environment.
        max_response_size: The largest body :meth:`send` reads into memory, in bytes;
            a larger one raises :class:`~freshbooks_async.errors.ReadError`.

    Raises:
        TypeError: An argument has the wrong type.
        ValueError: An argument is out of range, or connector options were given with
            a ``session``.
    """

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession | None = None,
        limit: int = 100,
        limit_per_host: int = 0,
        keepalive_timeout: float = 30.0,
        connect_timeout: float | None = 10.0,
        read_timeout: float | None = 60.0,
        total_timeout: float | None = None,
        ssl: bool | _ssl.SSLContext = True,
        trust_env: bool = False,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
    ) -> None:
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise TypeError(
                f"session: expected aiohttp.ClientSession or None, got {type(session).__name__}"
            )
        if session is not None and session.closed:
            raise ValueError("session: the given aiohttp.ClientSession is already closed")
        self._limit = _check_int("limit", limit, 0)
        self._limit_per_host = _check_int("limit_per_host", limit_per_host, 0)
        keepalive = _check_timeout("keepalive_timeout", keepalive_timeout)
        if keepalive is None:
            raise TypeError("keepalive_timeout: expected a number > 0, got None")
        self._keepalive_timeout = keepalive
        self._connect_timeout = _check_timeout("connect_timeout", connect_timeout)
        self._read_timeout = _check_timeout("read_timeout", read_timeout)
        self._total_timeout = _check_timeout("total_timeout", total_timeout)
        if not isinstance(ssl, bool | _ssl.SSLContext):
            raise TypeError(
                f"ssl: expected bool or ssl.SSLContext, got {type(ssl).__name__}: {ssl!r}"
            )
        self._ssl = ssl
        self._trust_env = _check_bool("trust_env", trust_env)
        self._max_response_size = _check_int("max_response_size", max_response_size, 1)
        if session is not None:
            custom = {
                name: value
                for name, value, default in (
                    ("limit", limit, 100),
                    ("limit_per_host", limit_per_host, 0),
                    ("keepalive_timeout", keepalive_timeout, 30.0),
                    ("ssl", ssl, True),
                    ("trust_env", trust_env, False),
                )
                if value is not default and value != default
            }
            if custom:
                raise ValueError(
                    "session: connector options belong to the given session; "
                    f"do not also pass {', '.join(f'{k}={v!r}' for k, v in custom.items())}"
                )
        self._session = session
        self._owns_session = session is None
        # A given session's timeouts with ours, by whether reads are timed one by one.
        self._given_timeouts: dict[bool, aiohttp.ClientTimeout] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._deadlines = _Deadlines()  # of send()'s total timeouts
        # What send() passes the session, set with the loop (see _prepare_send).
        self._options: list[list[dict[str, Any]]] | None = None
        self._send_request: Callable[..., Awaitable[aiohttp.ClientResponse]] | None = None
        self._closed = False
        # sock_read applies per read; the total is enforced by us (see _total_for).
        self._client_timeout = aiohttp.ClientTimeout(
            total=None, connect=self._connect_timeout, sock_read=self._read_timeout
        )
        # For a send() whose total timeout is no longer than read_timeout (see
        # _request_kwargs).
        self._untimed_reads = aiohttp.ClientTimeout(
            total=None, connect=self._connect_timeout, sock_read=None
        )

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` has been called."""
        return self._closed

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The session in use (``None`` before the first request of an owned one)."""
        return self._session

    def _get_session(self) -> aiohttp.ClientSession:
        if self._closed:
            raise RuntimeError("AiohttpTransport is closed: create a new transport to send")
        loop = asyncio.get_running_loop()
        session = self._session
        if session is None:
            # No await between the check and the assignment: concurrent first sends in
            # one loop cannot create two sessions.
            connector = _TrackingConnector(
                limit=self._limit,
                limit_per_host=self._limit_per_host,
                keepalive_timeout=self._keepalive_timeout,
                ssl=self._ssl,
            )
            session = aiohttp.ClientSession(
                connector=connector,
                timeout=self._client_timeout,
                trust_env=self._trust_env,
                cookie_jar=aiohttp.DummyCookieJar(),
                # No skip_auto_headers here: each request that needs it gets it (see
                # _request_kwargs), so a GET is not charged for it.
            )
            # aiohttp silently re-sends an idempotent request once when a connection
            # drops; the retry layer above us must be the only one.
            if hasattr(session, "_retry_connection"):
                session._retry_connection = False
            self._session = session
            self._loop = loop
            self._prepare_send(session)
        elif self._loop is None:
            self._loop = loop
            self._prepare_send(session)
        elif self._loop is not loop:
            raise RuntimeError(
                "AiohttpTransport is bound to the event loop it first sent from; "
                "create one transport per loop"
            )
        return session

    def _prepare_send(self, session: aiohttp.ClientSession) -> None:
        """Prepare what :meth:`send` passes ``session`` besides each request's own
        values: ``_request_kwargs``'s options, by whether each read is timed and whether
        a Content-Type must not be added (``[per_read][skip]``); and the function that
        sends."""
        options: list[list[dict[str, Any]]] = []
        for per_read in (False, True):
            base: dict[str, Any] = {"allow_redirects": False}
            if not self._owns_session:
                base["timeout"] = self._given_session_timeout(per_read)
            elif not per_read:
                base["timeout"] = self._untimed_reads
            options.append([base, {**base, "skip_auto_headers": _SKIP_CONTENT_TYPE}])
        self._options = options
        # Awaiting session.request(...) awaits session._request(...) through a context
        # manager object; a session we created (a plain ClientSession) is called
        # without it. A given session, perhaps of a subclass, is called as documented.
        direct = getattr(session, "_request", None) if self._owns_session else None
        self._send_request = direct if callable(direct) else session.request

    def _total_for(self, request: Request) -> float | None:
        return request.timeout if request.timeout is not None else self._total_timeout

    def _request_kwargs(self, request: Request, total: float | None = None) -> dict[str, Any]:
        """What ``session.request`` gets besides the method and URL. ``total``: the
        total timeout that bounds the whole exchange, body included (:meth:`send`)."""
        data: Any = request.stream() if request.stream is not None else (request.body or None)
        kwargs: dict[str, Any] = {
            "headers": multidict_of(request.headers),
            "data": data,
            "allow_redirects": False,
        }
        read = self._read_timeout
        # Each wait for bytes starts after the exchange did, so a total no longer than
        # read_timeout always ends it first: aiohttp's per-read timer (rearmed for every
        # chunk, a timer handle each time) could never fire, and is left off.
        per_read = total is None or read is None or total > read
        if not self._owns_session:
            # Our own session has our timeouts; a given one gets them per request.
            kwargs["timeout"] = self._given_session_timeout(per_read)
        elif not per_read:
            kwargs["timeout"] = self._untimed_reads
        if (data is not None or request.method in _POST_METHODS) and (
            _CONTENT_TYPE not in request.headers
        ):
            # Never invent a Content-Type (aiohttp would add application/octet-stream
            # to a bodiless POST, or its payload's type to a body); one the request
            # carries is still sent. aiohttp adds one only to these requests.
            kwargs["skip_auto_headers"] = _SKIP_CONTENT_TYPE
        return kwargs

    def _given_session_timeout(self, per_read: bool = True) -> aiohttp.ClientTimeout:
        """A given session's timeouts with ours for connecting and for each read (none
        unless ``per_read``); its own total (and socket connect) timeout is kept."""
        timeout = self._given_timeouts.get(per_read)
        if timeout is None:
            assert self._session is not None
            own = self._session.timeout
            timeout = aiohttp.ClientTimeout(
                total=own.total,
                connect=self._connect_timeout,
                sock_read=self._read_timeout if per_read else None,
                sock_connect=own.sock_connect,
                ceil_threshold=own.ceil_threshold,
            )
            self._given_timeouts[per_read] = timeout
        return timeout

    async def _open(
        self,
        session: aiohttp.ClientSession,
        request: Request,
        kwargs: dict[str, Any],
        progress: _Progress | None,
    ) -> aiohttp.ClientResponse:
        """Send ``request`` and read the status line and headers (no timeout here)."""
        if progress is None:
            return await session.request(request.method, request.url, **kwargs)
        token = _PROGRESS.set(progress)
        try:
            return await session.request(request.method, request.url, **kwargs)
        finally:
            _PROGRESS.reset(token)

    async def _read_body(self, resp: aiohttp.ClientResponse, request: Request) -> bytes:
        limit = self._max_response_size
        length = resp.content_length
        plain = _CONTENT_ENCODING not in resp.headers
        if length is not None and plain:
            if length > limit:
                raise self._too_large(request, length)
            return await resp.read()
        body = bytearray()
        async for chunk in resp.content.iter_any():
            body += chunk
            if len(body) > limit:
                raise self._too_large(request, len(body))
        return bytes(body)

    def _too_large(self, request: Request, size: int) -> ReadError:
        return ReadError(
            f"response body of at least {size} bytes exceeds "
            f"max_response_size={self._max_response_size}; use stream() for large downloads",
            method=request.method,
            url=_safe_url(request.url),
        )

    def _progress_for(self) -> _Progress | None:
        return _Progress() if self._owns_session else None

    async def send(self, request: Request) -> Response:
        """Send ``request`` and read the whole response.

        Args:
            request: The request; ``request.stream`` (when set) is called once and its
                chunks are sent with chunked transfer encoding unless the request has a
                ``Content-Length`` header.

        Returns:
            The response, whatever its status.

        Raises:
            TypeError: ``request`` is not a :class:`Request`.
            RuntimeError: The transport is closed, or used from another event loop.
            freshbooks_async.errors.RequestNotSentError: The request certainly did not
                reach the server.
            freshbooks_async.errors.RequestMaybeSentError: The exchange failed after the
                request may have been sent, or the body exceeded ``max_response_size``.
        """
        if not isinstance(request, Request):
            raise TypeError(f"request: expected Request, got {type(request).__name__}")
        if self._session is None or asyncio.get_running_loop() is not self._loop:
            self._get_session()  # the first send, or closed, or from another loop
        send_request = self._send_request
        options = self._options
        assert send_request is not None  # (both set by _get_session)
        assert options is not None
        # Built outside the error mapping: a failing stream factory is the caller's.
        total = request.timeout if request.timeout is not None else self._total_timeout
        method = request.method
        data: Any = request.stream() if request.stream is not None else (request.body or None)
        read = self._read_timeout
        # _request_kwargs's options without building them per request: one of four
        # prepared sets (see _send_options), by whether each read is timed and whether
        # aiohttp must be kept from inventing a Content-Type.
        per_read = total is None or read is None or total > read
        skip = (data is not None or method in _POST_METHODS) and (
            _CONTENT_TYPE not in request.headers
        )
        extra = options[per_read][skip]
        started = time.monotonic()
        # No total timeout: no deadline at all. Armed here, ended by leaving the block.
        # The deadline is also the request's progress record, for a session we created.
        progress: _Progress | None
        deadline: _Deadline | _NoDeadline
        if total is not None:
            armed = self._deadlines.arm(total)
            deadline, progress = armed, (armed if self._owns_session else None)
        else:
            deadline = _NO_DEADLINE
            progress = _Progress() if self._owns_session else None
        headers = multidict_of(request.headers)
        failure: TransportError | None = None
        try:
            with deadline:
                # _open inlined: one coroutine less per request.
                if progress is None:
                    resp = await send_request(
                        method, request.url, headers=headers, data=data, **extra
                    )
                else:
                    token = _PROGRESS.set(progress)
                    try:
                        resp = await send_request(
                            method, request.url, headers=headers, data=data, **extra
                        )
                    finally:
                        _PROGRESS.reset(token)
                try:
                    # _read_body's usual case inlined: a known length, no encoding.
                    headers = resp.headers
                    length = headers.get(_CONTENT_LENGTH)
                    if length is not None and _CONTENT_ENCODING not in headers:
                        if int(length) > self._max_response_size:
                            raise self._too_large(request, int(length))
                        body = await resp.read()
                    else:
                        body = await self._read_body(resp, request)
                except BaseException:
                    resp.close()
                    raise
                resp.release()
        except Exception as exc:
            failure = _failure(
                exc,
                request,
                progress.phase if progress is not None else None,
                timed_out=deadline.expired,
            )
            if failure is None:
                raise
        if failure is not None:
            raise failure  # outside the except block: see _failure
        return Response._trusted(
            resp.status,
            # aiohttp's parsed headers keep each name's case and every repeated value;
            # they are a read-only CIMultiDictProxy, wrapped without a copy.
            Headers._wrap(headers),
            body,
            time.monotonic() - started,
            request,
        )

    @contextlib.asynccontextmanager
    async def stream(self, request: Request) -> AsyncIterator[StreamedResponse]:
        """Send ``request`` and yield the response before reading its body.

        Use it to download large files without holding them in memory::

            async with transport.stream(request) as response:
                async for chunk in response.iter_bytes(1 << 20):
                    file.write(chunk)

        Leaving the block releases the connection, closing it if the body was not read
        to the end. The total timeout bounds getting the headers; each read of the body
        is bounded by ``read_timeout``.

        Args:
            request: The request to send.

        Yields:
            The response, with its body not yet read.

        Raises:
            TypeError: ``request`` is not a :class:`Request`.
            RuntimeError: The transport is closed, or used from another event loop.
            freshbooks_async.errors.TransportError: As for :meth:`send`.
        """
        if not isinstance(request, Request):
            raise TypeError(f"request: expected Request, got {type(request).__name__}")
        session = self._get_session()
        # Built outside the error mapping: a failing stream factory is the caller's.
        kwargs = self._request_kwargs(request)
        progress = self._progress_for()
        timeout = asyncio.timeout(self._total_for(request))
        failure: TransportError | None = None
        try:
            async with timeout:
                resp = await self._open(session, request, kwargs, progress)
        except Exception as exc:
            failure = _failure(
                exc,
                request,
                progress.phase if progress is not None else None,
                timed_out=timeout.expired(),
            )
            if failure is None:
                raise
        if failure is not None:
            raise failure

        async def chunks(size: int) -> AsyncIterator[bytes]:
            failure: TransportError | None = None
            try:
                async for chunk in resp.content.iter_chunked(size):
                    yield chunk
            except Exception as exc:
                failure = _failure(exc, request, Phase.SENT)
                if failure is None:
                    raise
            if failure is not None:
                raise failure

        try:
            yield StreamedResponse(
                status=resp.status,
                headers=Headers.from_trusted(resp.headers),
                request=request,
                chunks=chunks,
            )
        finally:
            if resp.content.is_eof():
                resp.release()
            else:
                resp.close()

    async def aclose(self) -> None:
        """Close the session if this transport created it. Idempotent.

        A session passed to the constructor is left open. After this, :meth:`send`
        raises ``RuntimeError``.
        """
        if self._closed:
            return
        self._closed = True
        session, self._session = self._session, None
        if session is not None and self._owns_session:
            await session.close()

    async def __aenter__(self) -> AiohttpTransport:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        owner = "own session" if self._owns_session else "given session"
        return f"AiohttpTransport({state}, {owner}, limit={self._limit})"
