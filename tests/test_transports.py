"""Unit tests of the transports without sockets: argument checks, the exception map,
MockTransport, Router and StreamedResponse. The socket-level contract is in
test_transport_contract.py."""

from __future__ import annotations

import asyncio
import gc
import json
import ssl
import weakref
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
import yarl
from aiohttp.client_reqrep import ConnectionKey
from hypothesis import given, settings
from hypothesis import strategies as st
from multidict import CIMultiDict, CIMultiDictProxy

from freshbooks_async.errors import (
    ConnectError,
    ConnectTimeoutError,
    PoolTimeoutError,
    ReadError,
    ReadTimeoutError,
    RequestMaybeSentError,
    RequestNotSentError,
    ServerDisconnectedError,
    TransportError,
)
from freshbooks_async.transports import (
    AiohttpTransport,
    Headers,
    MockTransport,
    Request,
    Response,
    Route,
    Router,
    StreamedResponse,
    Transport,
)
from freshbooks_async.transports._aiohttp import Phase, _Deadlines, translate_error

TOKEN = "s3cr3t-bearer-token-value"
API = "https://api.freshbooks.com"


def req(method: str = "GET", url: str = f"{API}/x", **kwargs: Any) -> Request:
    return Request(method=method, url=url, **kwargs)


# ---------------------------------------------------------------------------------------
# AiohttpTransport: arguments
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"limit": -1}, ValueError, "limit"),
        ({"limit": 1.5}, TypeError, "limit"),
        ({"limit": True}, TypeError, "limit"),
        ({"limit_per_host": -2}, ValueError, "limit_per_host"),
        ({"limit_per_host": "2"}, TypeError, "limit_per_host"),
        ({"keepalive_timeout": 0}, ValueError, "keepalive_timeout"),
        ({"keepalive_timeout": None}, TypeError, "keepalive_timeout"),
        ({"keepalive_timeout": float("inf")}, ValueError, "keepalive_timeout"),
        ({"connect_timeout": 0}, ValueError, "connect_timeout"),
        ({"connect_timeout": -1.0}, ValueError, "connect_timeout"),
        ({"connect_timeout": "10"}, TypeError, "connect_timeout"),
        ({"read_timeout": float("nan")}, ValueError, "read_timeout"),
        ({"read_timeout": False}, TypeError, "read_timeout"),
        ({"total_timeout": 0.0}, ValueError, "total_timeout"),
        ({"ssl": "yes"}, TypeError, "ssl"),
        ({"ssl": None}, TypeError, "ssl"),
        ({"trust_env": 1}, TypeError, "trust_env"),
        ({"max_response_size": 0}, ValueError, "max_response_size"),
        ({"max_response_size": 1.0}, TypeError, "max_response_size"),
        ({"session": object()}, TypeError, "session"),
    ],
)
def test_aiohttp_transport_validates_arguments(
    kwargs: dict[str, Any], error: type[Exception], name: str
) -> None:
    with pytest.raises(error, match=name):
        AiohttpTransport(**kwargs)


def test_aiohttp_transport_accepts_valid_arguments_without_a_loop() -> None:
    context = ssl.create_default_context()
    transport = AiohttpTransport(
        limit=0,
        limit_per_host=5,
        keepalive_timeout=5,
        connect_timeout=None,
        read_timeout=None,
        total_timeout=3,
        ssl=context,
        trust_env=True,
        max_response_size=1,
    )
    assert transport.session is None
    assert not transport.closed
    assert "open" in repr(transport)
    assert isinstance(transport, Transport)
    AiohttpTransport(ssl=False)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"limit": 5},
        {"limit_per_host": 1},
        {"keepalive_timeout": 1.0},
        {"ssl": False},
        {"trust_env": True},
    ],
)
async def test_given_session_rejects_connector_options(kwargs: dict[str, Any]) -> None:
    async with aiohttp.ClientSession() as session:
        name = next(iter(kwargs))
        with pytest.raises(ValueError, match=name):
            AiohttpTransport(session=session, **kwargs)
        # Timeouts and the size limit are per request: allowed.
        AiohttpTransport(session=session, read_timeout=1, max_response_size=10)


async def test_given_closed_session_rejected() -> None:
    session = aiohttp.ClientSession()
    await session.close()
    with pytest.raises(ValueError, match="session"):
        AiohttpTransport(session=session)


async def test_aiohttp_send_rejects_non_request() -> None:
    async with AiohttpTransport() as transport:
        with pytest.raises(TypeError, match="request"):
            await transport.send("GET /")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="request"):
            async with transport.stream(None):  # type: ignore[arg-type]
                pytest.fail("unreachable")  # pragma: no cover


# ---------------------------------------------------------------------------------------
# translate_error: the one exception map
# ---------------------------------------------------------------------------------------

KEY = ConnectionKey("api.freshbooks.com", 443, True, True, None, None, None)
HEADERS = CIMultiDictProxy(CIMultiDict({"Authorization": f"Bearer {TOKEN}"}))
# real_url is positional before aiohttp 3.11.1 (our floor is 3.11.0).
INFO = aiohttp.RequestInfo(yarl.URL(f"{API}/x"), "GET", HEADERS, yarl.URL(f"{API}/x"))


def dns_error() -> Exception:
    return aiohttp.ClientConnectorDNSError(KEY, OSError(-2, "Name or service not known"))


def cert_error() -> Exception:
    return aiohttp.ClientConnectorCertificateError(KEY, ssl.SSLCertVerificationError("bad cert"))


MAP_CASES: list[tuple[str, Any, Phase | None, bool, type[TransportError]]] = [
    # (label, exception factory, phase, timed_out, expected class)
    (
        "refused",
        lambda: aiohttp.ClientConnectorError(KEY, ConnectionRefusedError(111, "refused")),
        Phase.CONNECTING,
        False,
        ConnectError,
    ),
    (
        "refused-unknown",
        lambda: aiohttp.ClientConnectorError(KEY, ConnectionRefusedError(111, "x")),
        None,
        False,
        ConnectError,
    ),
    ("dns", dns_error, Phase.CONNECTING, False, ConnectError),
    ("certificate", cert_error, Phase.CONNECTING, False, ConnectError),
    (
        "tls",
        lambda: aiohttp.ClientConnectorSSLError(KEY, ssl.SSLError("handshake")),
        None,
        False,
        ConnectError,
    ),
    ("ssl-mid-read", lambda: ssl.SSLError("bad record mac"), Phase.SENT, False, ReadError),
    ("ssl-unknown", lambda: ssl.SSLError("bad record mac"), None, False, ReadError),
    ("ssl-connecting", lambda: ssl.SSLError("handshake"), Phase.CONNECTING, False, ConnectError),
    ("invalid-url", lambda: aiohttp.InvalidURL("http://"), Phase.START, False, ConnectError),
    (
        "connect-timeout",
        lambda: aiohttp.ConnectionTimeoutError("t"),
        Phase.CONNECTING,
        False,
        ConnectTimeoutError,
    ),
    (
        "connect-timeout-unknown",
        lambda: aiohttp.ConnectionTimeoutError("t"),
        None,
        False,
        ConnectTimeoutError,
    ),
    (
        "pool-timeout",
        lambda: aiohttp.ConnectionTimeoutError("t"),
        Phase.QUEUED,
        False,
        PoolTimeoutError,
    ),
    (
        "sock-read-timeout",
        lambda: aiohttp.SocketTimeoutError("t"),
        Phase.SENT,
        False,
        ReadTimeoutError,
    ),
    (
        "sock-read-timeout-unknown",
        lambda: aiohttp.SocketTimeoutError("t"),
        None,
        False,
        ReadTimeoutError,
    ),
    (
        "server-timeout-sent",
        lambda: aiohttp.ServerTimeoutError("t"),
        Phase.SENT,
        False,
        ReadTimeoutError,
    ),
    (
        "server-timeout-connecting",
        lambda: aiohttp.ServerTimeoutError("t"),
        Phase.CONNECTING,
        False,
        ConnectTimeoutError,
    ),
    ("total-queued", asyncio.TimeoutError, Phase.QUEUED, True, PoolTimeoutError),
    ("total-start", asyncio.TimeoutError, Phase.START, True, ConnectTimeoutError),
    ("total-connecting", asyncio.TimeoutError, Phase.CONNECTING, True, ConnectTimeoutError),
    ("total-connected", asyncio.TimeoutError, Phase.CONNECTED, True, ConnectTimeoutError),
    ("total-sent", asyncio.TimeoutError, Phase.SENT, True, ReadTimeoutError),
    ("total-unknown", asyncio.TimeoutError, None, True, ReadTimeoutError),
    ("session-total-unknown", asyncio.TimeoutError, None, False, ReadTimeoutError),
    (
        "total-while-reading-payload",
        lambda: aiohttp.ClientPayloadError("x"),
        Phase.SENT,
        True,
        ReadTimeoutError,
    ),
    ("disconnected", aiohttp.ServerDisconnectedError, Phase.SENT, False, ServerDisconnectedError),
    ("disconnected-unknown", aiohttp.ServerDisconnectedError, None, False, ServerDisconnectedError),
    (
        "stale-pooled-connection",
        aiohttp.ServerDisconnectedError,
        Phase.CONNECTED,
        False,
        ConnectError,
    ),
    (
        "write-to-closing",
        lambda: aiohttp.ClientConnectionResetError("closing"),
        Phase.CONNECTED,
        False,
        ConnectError,
    ),
    ("payload", lambda: aiohttp.ClientPayloadError("cut"), Phase.SENT, False, ReadError),
    ("reset", lambda: aiohttp.ClientConnectionResetError("reset"), Phase.SENT, False, ReadError),
    ("client-os", lambda: aiohttp.ClientOSError(104, "reset by peer"), None, False, ReadError),
    ("os-reset", lambda: ConnectionResetError(104, "reset by peer"), Phase.SENT, False, ReadError),
    (
        "bad-response",
        lambda: aiohttp.ClientResponseError(
            INFO, (), status=400, message="Invalid header", headers=HEADERS
        ),
        Phase.SENT,
        False,
        ReadError,
    ),
    (
        "connection-closed",
        lambda: aiohttp.ClientConnectionError("Connector is closed."),
        Phase.SENT,
        False,
        ReadError,
    ),
]


@pytest.mark.parametrize(
    ("factory", "phase", "timed_out", "expected"),
    [case[1:] for case in MAP_CASES],
    ids=[case[0] for case in MAP_CASES],
)
def test_translate_error(
    factory: Any, phase: Phase | None, timed_out: bool, expected: type[TransportError]
) -> None:
    request = req("POST", headers={"Authorization": f"Bearer {TOKEN}"})
    exc = factory()
    mapped = translate_error(exc, request, phase, timed_out=timed_out)
    assert type(mapped) is expected
    assert mapped.method == "POST"
    assert mapped.url == f"{API}/x"
    assert TOKEN not in str(mapped)
    assert TOKEN not in repr(mapped)
    not_sent = (ConnectError, ConnectTimeoutError, PoolTimeoutError)
    assert isinstance(mapped, RequestNotSentError) == (expected in not_sent)
    assert isinstance(mapped, RequestMaybeSentError) == (expected not in not_sent)


@pytest.mark.parametrize(
    "exc",
    [
        asyncio.CancelledError(),
        KeyboardInterrupt(),
        ValueError("bug"),
        TypeError("bug"),
        RuntimeError("closed"),
        ConnectError("already ours"),
    ],
    ids=lambda e: type(e).__name__,
)
@pytest.mark.parametrize("phase", [None, Phase.START, Phase.SENT])
def test_translate_error_leaves_other_exceptions_alone(
    exc: BaseException, phase: Phase | None
) -> None:
    assert translate_error(exc, req(), phase) is None


def test_translate_error_hides_url_credentials() -> None:
    request = req(url="https://user:pw@api.freshbooks.com/x?page=2")
    mapped = translate_error(aiohttp.ServerDisconnectedError(), request, Phase.SENT)
    assert mapped is not None
    assert "pw" not in str(mapped)
    assert mapped.url == "https://api.freshbooks.com/x?page=2"


# ---------------------------------------------------------------------------------------
# AiohttpTransport: the total timeout of send() (_Deadlines), against asyncio.timeout
# ---------------------------------------------------------------------------------------


async def _guarded(mechanism: str, *, expire: bool, cancel: bool, swallow: bool) -> str:
    """What a task blocked under a one-hour total timeout ends with, and its
    ``cancelling()`` count then, after the deadline (``expire``) and/or an outer
    ``task.cancel()`` (``cancel``) come, in that order, in the same loop turn; with
    ``swallow`` the block catches the cancellation and goes on."""
    loop = asyncio.get_running_loop()
    entered: asyncio.Future[Callable[[], object]] = loop.create_future()
    blocker: asyncio.Future[None] = loop.create_future()
    cancelling: list[int] = []

    async def blocked() -> None:
        try:
            await blocker
        except asyncio.CancelledError:
            if not swallow:
                raise

    async def body() -> str:
        task = asyncio.current_task()
        assert task is not None
        try:
            if mechanism == "asyncio.timeout":
                async with asyncio.timeout(3600) as timeout:
                    # (reschedule to now: the deadline comes on the next loop turn)
                    entered.set_result(lambda: timeout.reschedule(loop.time()))
                    await blocked()
            else:
                # A deadline due now: the queue's timer expires it on the next loop turn.
                with _Deadlines().arm(0 if expire else 3600):
                    entered.set_result(lambda: None)
                    await blocked()
            return "completed"
        except TimeoutError:
            return "TimeoutError"
        finally:
            cancelling.append(task.cancelling())

    task = asyncio.create_task(body())
    fire = await entered
    if expire:
        fire()
    if cancel:
        task.cancel()
    if not expire and not cancel:
        blocker.set_result(None)
    try:
        outcome = await task
    except asyncio.CancelledError:
        outcome = "CancelledError"
    return f"{outcome}, cancelling={cancelling[0]}"


#: (expire, cancel, swallow) -> what the task ends with (asyncio.timeout's behaviour).
DEADLINE_OUTCOMES = {
    (False, False, False): "completed, cancelling=0",
    (True, False, False): "TimeoutError, cancelling=0",
    (False, True, False): "CancelledError, cancelling=1",
    # An outer cancel is never turned into a timeout, even when the deadline came too.
    (True, True, False): "CancelledError, cancelling=1",
    # A swallowed deadline leaves no pending cancellation behind; an outer one stays.
    (True, False, True): "completed, cancelling=0",
    (False, True, True): "completed, cancelling=1",
    (True, True, True): "completed, cancelling=1",
}


@pytest.mark.parametrize("mechanism", ["asyncio.timeout", "_Deadlines"])
@pytest.mark.parametrize(("expire", "cancel", "swallow"), list(DEADLINE_OUTCOMES))
async def test_send_deadline_cancels_as_asyncio_timeout_does(
    mechanism: str, expire: bool, cancel: bool, swallow: bool
) -> None:
    outcome = await _guarded(mechanism, expire=expire, cancel=cancel, swallow=swallow)
    assert outcome == DEADLINE_OUTCOMES[expire, cancel, swallow]


async def test_send_deadline_is_disarmed_when_the_block_ends() -> None:
    deadlines = _Deadlines()
    deadline = deadlines.arm(0.01)
    with deadline:
        pass
    await asyncio.sleep(0.05)  # past the deadline: the queue's timer cancels nothing
    assert not deadline.expired
    task = asyncio.current_task()
    assert task is not None
    assert task.cancelling() == 0
    assert len(deadlines) == 0


async def _held(deadlines: _Deadlines, delay: float, release: asyncio.Event) -> str:
    try:
        with deadlines.arm(delay):
            await release.wait()
    except TimeoutError:
        return "TimeoutError"
    return "completed"


async def test_send_deadlines_expire_in_order_under_one_timer() -> None:
    deadlines = _Deadlines()
    release = asyncio.Event()
    first = asyncio.create_task(_held(deadlines, 0, release))
    second = asyncio.create_task(_held(deadlines, 0, release))
    third = asyncio.create_task(_held(deadlines, 3600, release))
    await asyncio.sleep(0)  # each armed, in order; the first two are due
    assert len(deadlines) == 3
    assert await first == "TimeoutError"
    assert await second == "TimeoutError"
    assert not third.done()
    assert len(deadlines) == 1
    release.set()
    assert await third == "completed"


async def test_send_deadline_earlier_than_the_queued_ones_has_its_own_timer() -> None:
    deadlines = _Deadlines()
    release = asyncio.Event()
    long = asyncio.create_task(_held(deadlines, 3600, release))
    await asyncio.sleep(0)
    short = asyncio.create_task(_held(deadlines, 0, release))  # sooner than the queue's
    assert await asyncio.wait_for(short, 30) == "TimeoutError"
    assert not long.done()
    assert len(deadlines) == 1  # only the long one queued
    release.set()
    assert await long == "completed"


async def test_send_deadlines_of_ended_exchanges_leave_the_queue() -> None:
    deadlines = _Deadlines()
    release = asyncio.Event()
    held = asyncio.create_task(_held(deadlines, 3600, release))
    await asyncio.sleep(0)
    for _ in range(100):
        with deadlines.arm(3600):
            pass
    assert len(deadlines) == 101  # behind an exchange still on: kept until it ends

    async def ended() -> None:
        with deadlines.arm(3600):
            await asyncio.sleep(0)

    task = asyncio.create_task(ended())
    await task
    for _ in range(3):
        await asyncio.sleep(0)  # the loop lets go of the task's last callbacks
    gone = weakref.ref(task)
    del task
    gc.collect()
    assert gone() is None  # a queued deadline keeps nothing of an exchange that ended
    release.set()
    assert await held == "completed"
    with deadlines.arm(3600):
        assert len(deadlines) == 1  # the ended ones dropped from the front


async def test_send_deadlines_behind_a_slow_exchange_are_swept_out() -> None:
    """One exchange that lasts keeps the ended ones behind it queued only until the
    queue doubles: its length stays bounded however many exchanges end meanwhile."""
    deadlines = _Deadlines()
    release = asyncio.Event()
    held = asyncio.create_task(_held(deadlines, 3600, release))
    await asyncio.sleep(0)
    longest = 0
    for _ in range(20_000):
        with deadlines.arm(3600):
            longest = max(longest, len(deadlines))
    assert longest <= 2 * 1024
    assert 1 <= len(deadlines) <= 2 * 1024
    release.set()
    assert await held == "completed"


# ---------------------------------------------------------------------------------------
# StreamedResponse
# ---------------------------------------------------------------------------------------


def streamed(body: bytes) -> StreamedResponse:
    async def chunks(size: int) -> AsyncIterator[bytes]:
        for start in range(0, len(body), size):
            yield body[start : start + size]

    return StreamedResponse(status=200, headers=Headers(), request=req(), chunks=chunks)


async def test_streamed_response_chunks_and_single_use() -> None:
    response = streamed(b"abcdefghij")
    states = [response.consumed]
    assert [c async for c in response.iter_bytes(3)] == [b"abc", b"def", b"ghi", b"j"]
    states.append(response.consumed)
    assert states == [False, True]
    with pytest.raises(RuntimeError, match="once"):
        await response.read()
    assert await streamed(b"xyz").read() == b"xyz"
    assert "200" in repr(response)


@pytest.mark.parametrize(
    ("size", "error"), [(0, ValueError), (-5, ValueError), (1.5, TypeError), (True, TypeError)]
)
def test_streamed_response_validates_chunk_size(size: Any, error: type[Exception]) -> None:
    response = streamed(b"abc")
    with pytest.raises(error, match="chunk_size"):
        response.iter_bytes(size)
    assert not response.consumed


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"status": "200"}, "status"),
        ({"headers": {}}, "headers"),
        ({"request": None}, "request"),
        ({"chunks": b"abc"}, "chunks"),
    ],
)
def test_streamed_response_validates_arguments(kwargs: dict[str, Any], name: str) -> None:
    base: dict[str, Any] = {
        "status": 200,
        "headers": Headers(),
        "request": req(),
        "chunks": lambda n: None,
    }
    with pytest.raises(TypeError, match=name):
        StreamedResponse(**(base | kwargs))


# ---------------------------------------------------------------------------------------
# MockTransport
# ---------------------------------------------------------------------------------------


def test_mock_requires_a_callable() -> None:
    with pytest.raises(TypeError, match="handler"):
        MockTransport("not callable")  # type: ignore[arg-type]


async def test_mock_sync_and_async_handlers_and_records() -> None:
    sync = MockTransport(lambda r: Response(status=201, body=r.body))

    async def handler(request: Request) -> Response:
        return Response(status=202, body=request.method.encode())

    asynchronous = MockTransport(handler)
    first = req("POST", body=b"one")
    response = await sync.send(first)
    assert (response.status, response.body) == (201, b"one")
    assert response.request is first
    assert response.elapsed >= 0
    assert (await asynchronous.send(req("PUT"))).body == b"PUT"
    await sync.send(req("DELETE"))
    assert sync.call_count == 2
    assert [r.method for r in sync.requests] == ["POST", "DELETE"]
    assert isinstance(sync, Transport)


async def test_mock_keeps_handler_elapsed() -> None:
    mock = MockTransport(lambda r: Response(status=200, elapsed=1.25))
    assert (await mock.send(req())).elapsed == 1.25


async def test_mock_drains_streamed_bodies() -> None:
    async def chunks() -> AsyncIterator[Any]:  # bytes-like chunks are accepted
        yield b"ab"
        yield bytearray(b"cd")
        yield memoryview(b"ef")

    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        return Response(status=200)

    mock = MockTransport(handler)
    original = req("POST", stream=chunks)
    await mock.send(original)
    assert seen[0].body == b"abcdef"
    assert seen[0].stream is None
    assert mock.requests == seen
    assert original.stream is chunks  # the caller's request is untouched


async def test_mock_rejects_non_bytes_chunks() -> None:
    async def chunks() -> AsyncIterator[Any]:
        yield "text"

    mock = MockTransport(lambda r: Response(status=200))
    with pytest.raises(TypeError, match=r"request\.stream"):
        await mock.send(req("POST", stream=chunks))


async def test_mock_handler_must_return_a_response() -> None:
    mock = MockTransport(lambda r: {"status": 200})  # type: ignore[arg-type, return-value]
    with pytest.raises(TypeError, match="Response"):
        await mock.send(req())


@pytest.mark.parametrize(
    "error",
    [ConnectError("refused"), ServerDisconnectedError("reset"), ValueError("handler bug")],
    ids=lambda e: type(e).__name__,
)
async def test_mock_propagates_handler_errors_unchanged(error: Exception) -> None:
    def handler(request: Request) -> Response:
        raise error

    mock = MockTransport(handler)
    with pytest.raises(type(error)) as caught:
        await mock.send(req())
    assert caught.value is error
    assert mock.call_count == 1


async def test_mock_request_timeout() -> None:
    async def slow(request: Request) -> Response:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")  # pragma: no cover

    mock = MockTransport(slow)
    with pytest.raises(ReadTimeoutError) as caught:
        await mock.send(req(timeout=0.01))
    assert isinstance(caught.value.__cause__, TimeoutError)


async def test_mock_handler_own_timeout_error_propagates() -> None:
    def handler(request: Request) -> Response:
        raise TimeoutError("handler's own")

    with pytest.raises(TimeoutError, match="handler's own"):
        await MockTransport(handler).send(req(timeout=10))


async def test_mock_send_validates_and_closes() -> None:
    mock = MockTransport(lambda r: Response(status=200))
    with pytest.raises(TypeError, match="request"):
        await mock.send(b"GET")  # type: ignore[arg-type]
    async with mock:
        await mock.send(req())
    assert mock.closed
    await mock.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await mock.send(req())
    assert mock.call_count == 1
    assert "closed" in repr(mock)


async def test_mock_stream() -> None:
    mock = MockTransport(lambda r: Response(status=206, headers={"X-A": "1"}, body=b"0123456789"))
    async with mock.stream(req()) as response:
        assert response.status == 206
        assert response.headers["x-a"] == "1"
        assert [c async for c in response.iter_bytes(4)] == [b"0123", b"4567", b"89"]
    assert mock.call_count == 1


# ---------------------------------------------------------------------------------------
# Router
# ---------------------------------------------------------------------------------------

CLIENT_PATH = "/accounting/account/{account_id}/users/clients/{id}"


async def test_router_matches_placeholders_and_passes_params() -> None:
    router = Router()
    seen: list[tuple[str, dict[str, str]]] = []

    def client(request: Request, params: dict[str, str]) -> Response:
        seen.append((request.url.query.get("include", ""), params))
        return Router.json({"id": params["id"]})

    route = router.get(CLIENT_PATH, client)
    response = await router(req(url=f"{API}/accounting/account/AB%2012/users/clients/42?include=x"))
    assert json.loads(response.body) == {"id": "42"}
    assert seen == [("x", {"account_id": "AB 12", "id": "42"})]
    assert route.called
    assert route.call_count == 1
    assert response.request is route.calls[0]


async def test_router_placeholder_is_one_segment_and_path_is_exact() -> None:
    router = Router()
    router.get(CLIENT_PATH, Response(status=200))
    for path in (
        "/accounting/account/A/users/clients/1/extra",
        "/accounting/account/A/B/users/clients/1",
        "/accounting/account/A/users/clients/",
        "/prefix/accounting/account/A/users/clients/1",
    ):
        with pytest.raises(LookupError):
            await router(req(url=f"{API}{path}"))


async def test_router_scripted_sequence_repeats_last() -> None:
    router = Router()
    route = router.post(
        "/things",
        Router.json({"n": 1}),
        ConnectError("refused"),
        Router.json({"n": 3}, status=201),
    )
    first = await router(req("POST", f"{API}/things"))
    assert json.loads(first.body) == {"n": 1}
    with pytest.raises(ConnectError, match="refused"):
        await router(req("POST", f"{API}/things"))
    for _ in range(3):
        last = await router(req("POST", f"{API}/things"))
        assert last.status == 201
    assert route.call_count == 5


async def test_router_exhausted_without_repeat_raises() -> None:
    router = Router()
    router.get("/once", Response(status=204), repeat_last=False)
    assert (await router(req(url=f"{API}/once"))).status == 204
    with pytest.raises(LookupError, match="no response left"):
        await router(req(url=f"{API}/once"))


async def test_router_async_callable_and_bad_return() -> None:
    router = Router()

    async def good(request: Request, params: dict[str, str]) -> Response:
        await asyncio.sleep(0)
        return Response(status=202)

    router.put("/good", good)
    router.delete("/bad", lambda r, p: "nope")  # type: ignore[arg-type, return-value]
    assert (await router(req("PUT", f"{API}/good"))).status == 202
    with pytest.raises(TypeError, match="must return a Response"):
        await router(req("DELETE", f"{API}/bad"))


async def test_router_unmatched_lists_routes() -> None:
    router = Router()
    router.get("/a", Response(status=200))
    router.post("/b/{id}", Response(status=200))
    with pytest.raises(LookupError) as caught:
        await router(req("PUT", f"{API}/a"))
    message = str(caught.value)
    assert "PUT https://api.freshbooks.com/a" in message
    assert "GET /a" in message
    assert "POST /b/{id}" in message
    with pytest.raises(LookupError, match="none"):
        await Router()(req())
    assert len(router.calls) == 1  # the global log holds unmatched requests too


async def test_router_checks_origin_and_prefix() -> None:
    router = Router(base_url="https://api.example.test/v2/")
    router.get("/items", Response(status=200))
    assert (await router(req(url="https://api.example.test/v2/items"))).status == 200
    with pytest.raises(LookupError):
        await router(req(url="https://other.test/v2/items"))
    with pytest.raises(LookupError):
        await router(req(url="https://api.example.test/items"))
    anywhere = Router(base_url=None)
    anywhere.get("/items", Response(status=200))
    assert (await anywhere(req(url="http://127.0.0.1:9/items"))).status == 200
    assert "v2" in repr(router)


async def test_router_first_registered_match_wins() -> None:
    router = Router()
    router.get("/items/special", Response(status=201))
    router.get("/items/{id}", Response(status=200))
    assert (await router(req(url=f"{API}/items/special"))).status == 201
    assert (await router(req(url=f"{API}/items/7"))).status == 200
    assert [r.pattern for r in router.routes] == ["/items/special", "/items/{id}"]


def test_router_json_helper() -> None:
    response = Router.json({"a": [1, 2]}, status=422, headers={"X-Request-Id": "r1"})
    assert response.status == 422
    assert response.content_type == "application/json"
    assert response.headers["x-request-id"] == "r1"
    assert json.loads(response.body) == {"a": [1, 2]}
    custom = Router.json([], headers={"content-type": "application/vnd.api+json"})
    assert custom.headers.get_all("Content-Type") == ["application/vnd.api+json"]


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"data": object()}, TypeError, "data"),
        ({"data": {}, "status": 99}, ValueError, "status"),
        ({"data": {}, "status": "200"}, TypeError, "status"),
        ({"data": {}, "headers": [("a", "b")]}, TypeError, "headers"),
    ],
)
def test_router_json_validates(kwargs: dict[str, Any], error: type[Exception], name: str) -> None:
    with pytest.raises(error, match=name):
        Router.json(**kwargs)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (("FETCH", "/a", Response(status=200)), {}, ValueError, "method"),
        ((1, "/a", Response(status=200)), {}, TypeError, "method"),
        (("GET", "a", Response(status=200)), {}, ValueError, "path_pattern"),
        (("GET", b"/a", Response(status=200)), {}, TypeError, "path_pattern"),
        (("GET", "/a?x=1", Response(status=200)), {}, ValueError, "path_pattern"),
        (("GET", "/a/{id", Response(status=200)), {}, ValueError, "path_pattern"),
        (("GET", "/a/{1x}", Response(status=200)), {}, ValueError, "path_pattern"),
        (("GET", "/a/{id}/{id}", Response(status=200)), {}, ValueError, "repeated"),
        (("GET", "/a"), {}, ValueError, "responses"),
        (("GET", "/a", {"status": 200}), {}, TypeError, r"responses\[0\]"),
        (("GET", "/a", Response(status=200)), {"repeat_last": "no"}, TypeError, "repeat_last"),
    ],
)
def test_router_add_validates(
    args: tuple[Any, ...], kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        Router().add(*args, **kwargs)


def test_router_rejects_duplicates_and_bad_base_url() -> None:
    router = Router()
    router.add("get", "/a", Response(status=200))
    with pytest.raises(ValueError, match="already registered"):
        router.get("/a", Response(status=200))
    router.post("/a", Response(status=200))  # another method is another route
    with pytest.raises(TypeError, match="base_url"):
        Router(base_url=42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="base_url"):
        Router(base_url="/relative")
    with pytest.raises(ValueError, match="base_url"):
        Router(base_url="https://api.freshbooks.com/?a=1")


async def test_router_behind_mock_transport() -> None:
    router = Router()
    route = router.get(
        "/accounting/account/{account_id}/users/clients/{id}",
        ServerDisconnectedError("reset"),
        Router.json({"response": {"errors": [{"errno": 1012}]}}, status=404),
    )
    async with MockTransport(router) as transport:
        url = f"{API}/accounting/account/abc/users/clients/9"
        with pytest.raises(ServerDisconnectedError):
            await transport.send(req(url=url))
        response = await transport.send(req(url=url))
        assert response.status == 404
        assert response.request is transport.requests[1]
        with pytest.raises(LookupError):
            await transport.send(req(url=f"{API}/elsewhere"))
    assert isinstance(route, Route)
    assert route.call_count == 2
    assert len(router.calls) == 3


# ----------------------------------------------------------------------------- Headers

_NAMES = st.sampled_from(["Accept", "accept", "X-Ref", "x-ref", "Set-Cookie", "Authorization"])
_PAIRS = st.lists(st.tuples(_NAMES, st.text(max_size=3)), max_size=6)


def _reference_merge(
    base: list[tuple[str, str]], other: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    replaced = {k.lower() for k, _ in other}
    return [(k, v) for k, v in base if k.lower() not in replaced] + other


@settings(max_examples=300, deadline=None)
@given(base=_PAIRS, other=_PAIRS)
def test_headers_merged_matches_replace_then_append(
    base: list[tuple[str, str]], other: list[tuple[str, str]]
) -> None:
    added = Headers(other)  # a Mapping: one entry per name, its last value
    merged = Headers(base).merged(added)
    expected = Headers(_reference_merge(base, list(added.items())))
    assert merged.raw_items() == expected.raw_items()
    assert list(merged.items()) == list(expected.items())  # lookups: the last value wins
    assert len(merged) == len(expected)
    for name in {k for k, _ in base + other}:  # repeated names of the base are kept
        assert merged.get_all(name) == expected.get_all(name)
    assert Headers(base).raw_items() == tuple(base)  # the original is unchanged


def test_headers_merged_validates_only_the_new_entries() -> None:
    with pytest.raises(TypeError, match=r"headers: names and values must be str, got 'X': 1"):
        Headers({"A": "1"}).merged({"X": 1})  # type: ignore[dict-item]


def _reference(pairs: list[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Lower-cased name -> (name as last given, last value), in first-seen order: the
    Mapping view Headers has always had."""
    view: dict[str, tuple[str, str]] = {}
    for name, value in pairs:
        view[name.lower()] = (name, value)
    return view


@settings(max_examples=300, deadline=None)
@given(pairs=_PAIRS)
def test_headers_mapping_view_of_repeated_names(pairs: list[tuple[str, str]]) -> None:
    headers = Headers(pairs)
    view = _reference(pairs)
    assert list(headers) == [name for name, _ in view.values()]
    assert len(headers) == len(view)
    assert dict(headers.items()) == dict(view.values())
    for lower, (_, value) in view.items():
        for key in (lower, lower.upper()):
            assert key in headers
            assert headers[key] == value  # the last value wins
            assert headers.get(key) == value
            assert headers.get_all(key) == [v for k, v in pairs if k.lower() == lower]
    assert headers.raw_items() == tuple(pairs)
    assert headers == dict(view.values())
    assert headers == Headers([(n.upper(), v) for n, v in view.values()])
    assert "X-Absent" not in headers
    assert headers.get("X-Absent", "d") == "d"
    assert headers.get_all("X-Absent") == []
    with pytest.raises(KeyError):
        headers["X-Absent"]


def test_headers_from_a_cimultidictproxy_keep_case_and_repeats() -> None:
    parsed = CIMultiDictProxy(
        CIMultiDict([("Set-Cookie", "a=1"), ("X-Ref", "r"), ("set-cookie", "b=2")])
    )
    for headers in (Headers.from_trusted(parsed), Headers(parsed)):
        assert headers.raw_items() == (("Set-Cookie", "a=1"), ("X-Ref", "r"), ("set-cookie", "b=2"))
        assert headers["SET-COOKIE"] == "b=2"
        assert list(headers) == ["set-cookie", "X-Ref"]
        assert "b=2" not in repr(headers)
        assert "<redacted>" in repr(headers)
    assert Headers.from_trusted([("A", "1")]) == {"a": "1"}


def test_headers_are_immutable_hashable_and_pickle() -> None:
    import pickle

    headers = Headers(
        [("Authorization", "Bearer secret-token"), ("X-Repeat", "1"), ("x-repeat", "2")]
    )
    copy = pickle.loads(pickle.dumps(headers))  # noqa: S301 - our own bytes
    assert copy.raw_items() == headers.raw_items()
    assert copy == headers
    assert hash(copy) == hash(headers)
    assert repr(copy) == repr(headers)
    assert "secret-token" not in repr(headers)
    with pytest.raises(TypeError):
        headers["X-New"] = "1"  # type: ignore[index]
    with pytest.raises(AttributeError):
        headers.add("X-New", "1")  # type: ignore[attr-defined]
    merged = headers.merged({"x-repeat": "3"})
    assert merged.get_all("X-Repeat") == ["3"]
    assert headers.get_all("X-Repeat") == ["1", "2"]  # the original is unchanged


def test_a_request_built_on_the_fast_path_sets_every_field() -> None:
    # Request._trusted (the pipeline's per-call constructor) and with_headers skip
    # attrs' __init__: a field they forget would be missing, not defaulted.
    import attrs

    async def chunks() -> AsyncIterator[bytes]:
        yield b"x"

    headers = Headers({"Accept": "application/json"})
    url = yarl.URL("https://api.example.com/a?b=1")
    built = Request(method="PUT", url=url, headers=headers, body=b"{}", stream=chunks, timeout=2.5)
    fast = Request._trusted("PUT", url, headers, b"{}", chunks, 2.5)
    assert fast == built
    copy = fast.with_headers(Headers({"X": "y"}))
    for field in attrs.fields(Request):
        assert getattr(fast, field.name) == getattr(built, field.name), field.name
        if field.name != "headers":
            assert getattr(copy, field.name) is getattr(fast, field.name), field.name
    assert copy.headers == {"X": "y"}


def test_a_response_built_on_the_fast_path_sets_every_field() -> None:
    # Response._trusted (the transport's per-response constructor) sets each slot
    # through its own setter: a field it forgets or mixes up would show here.
    import attrs

    request = Request(method="GET", url=yarl.URL("https://api.example.com/a"))
    headers = Headers({"Content-Type": "application/json"})
    built = Response(status=201, headers=headers, body=b"{}", elapsed=0.25, request=request)
    fast = Response._trusted(201, headers, b"{}", 0.25, request)
    for field in attrs.fields(Response):
        assert getattr(fast, field.name) is getattr(built, field.name), field.name
