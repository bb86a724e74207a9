"""The transport contract, run on both MockTransport and AiohttpTransport.

The mock side answers from a handler that emulates the same server the aiohttp side
talks to over 127.0.0.1: an aiohttp.web app for well-formed HTTP, and raw asyncio
servers that misbehave (close mid-headers, cut the body short, hang). Tests specific to
aiohttp's pooling (connection reuse, limits, pool timeouts, given sessions) follow.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hashlib
import json
import socket
import ssl
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import attrs
import pytest
import yarl
from aiohttp import web
from aiohttp.test_utils import TestServer

from freshbooks_async import FreshBooksClient
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
from freshbooks_async.sandbox import SandboxServer
from freshbooks_async.transports import (
    AiohttpTransport,
    Headers,
    MockTransport,
    Request,
    Response,
    StreamedResponse,
    Transport,
)

BINARY = bytes(range(256)) * 1024  # 256 KiB, every byte value
TOKEN = "s3cr3t-bearer-token-value"


# ---------------------------------------------------------------------------------------
# The emulated server: one pure function both sides answer from.
# ---------------------------------------------------------------------------------------


def answer(method: str, path: str, headers: list[tuple[str, str]], body: bytes) -> Response:
    """What the test server answers for ``path`` (well-formed routes only)."""
    if path.startswith("/status/"):
        code = int(path.rsplit("/", 1)[1])
        extra = [("Location", "/elsewhere")] if 300 <= code < 400 else []
        return Response(status=code, headers=extra, body=f"status {code}".encode())
    if path == "/bytes":
        return Response(
            status=200, headers=[("Content-Type", "application/octet-stream")], body=BINARY
        )
    if path == "/headers":
        return Response(
            status=200,
            headers=[
                ("X-Mixed-Case", "Value-Kept"),
                ("Set-Cookie", "a=1; Path=/"),
                ("Set-Cookie", "b=2; Path=/"),
                ("X-Repeat", "one"),
                ("X-Repeat", "two"),
            ],
            body=b"ok",
        )
    if path == "/echo":
        payload = {
            "method": method,
            "headers": headers,
            "length": len(body),
            "sha256": hashlib.sha256(body).hexdigest(),
            "head": body[:64].decode("latin-1"),
        }
        return Response(
            status=200,
            headers=[("Content-Type", "application/json")],
            body=json.dumps(payload).encode(),
        )
    return Response(status=404, body=b"no such route")


# ---------------------------------------------------------------------------------------
# Real servers for the aiohttp side.
# ---------------------------------------------------------------------------------------


class WebServer:
    """An aiohttp.web server on 127.0.0.1 answering from :func:`answer`.

    Attributes:
        protocols: One entry per TCP connection that carried a request.
        in_flight: Requests being handled now; ``peak`` is the most at once.
    """

    def __init__(self) -> None:
        self.protocols: list[object] = []
        self.in_flight = 0
        self.peak = 0
        self.gate_target = 0
        self.gate = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/gate", self._gate)
        app.router.add_route("*", "/chunked", self._chunked)
        app.router.add_route("*", "/gzip", self._gzip)
        app.router.add_route("*", "/{tail:.*}", self._answer)
        self.server = TestServer(app, host="127.0.0.1")

    def _seen(self, request: web.Request) -> None:
        if not any(p is request.protocol for p in self.protocols):
            self.protocols.append(request.protocol)

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        self._seen(request)
        body = await request.read()
        headers = [(k.decode(), v.decode()) for k, v in request.raw_headers]
        result = answer(request.method, request.path, headers, body)
        return web.Response(
            status=result.status, headers=list(result.headers.raw_items()), body=result.body
        )

    async def _gate(self, request: web.Request) -> web.StreamResponse:
        """Holds each request until ``gate_target`` are in flight (or 2 s pass)."""
        self._seen(request)
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        if self.in_flight >= self.gate_target:
            self.gate.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.gate.wait(), 2)
        for _ in range(3):
            await asyncio.sleep(0)
        self.in_flight -= 1
        return web.Response(body=b"gate")

    async def _chunked(self, request: web.Request) -> web.StreamResponse:
        self._seen(request)
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(BINARY), 10_000):
            await response.write(BINARY[start : start + 10_000])
        await response.write_eof()
        return response

    async def _gzip(self, request: web.Request) -> web.StreamResponse:
        self._seen(request)
        response = web.Response(body=BINARY)
        response.enable_compression(web.ContentCoding.gzip)
        return response

    def url(self, path: str) -> yarl.URL:
        return self.server.make_url(path)

    async def __aenter__(self) -> WebServer:
        await self.server.start_server()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.gate.set()
        await self.server.close()


Behaviour = Callable[["RawServer", asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def read_request_head(reader: asyncio.StreamReader) -> bytes:
    return await reader.readuntil(b"\r\n\r\n")


async def close_mid_headers(_: RawServer, r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
    await read_request_head(r)
    w.write(b"HTTP/1.1 200 OK\r\nContent-Le")
    await w.drain()


async def close_before_answer(
    _: RawServer, r: asyncio.StreamReader, w: asyncio.StreamWriter
) -> None:
    await read_request_head(r)


async def close_mid_body(_: RawServer, r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
    await read_request_head(r)
    w.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nX-Half: yes\r\n\r\n" + b"x" * 300)
    await w.drain()


async def reset_mid_body(_: RawServer, r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
    """Sends part of the body, then a TCP RST (SO_LINGER 0) instead of a clean FIN."""
    await read_request_head(r)
    w.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 300)
    await w.drain()
    sock = w.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    w.transport.abort()


async def stall_mid_body(
    server: RawServer, r: asyncio.StreamReader, w: asyncio.StreamWriter
) -> None:
    """Sends the headers and 10 of 100 body bytes, then nothing until the client leaves."""
    await read_request_head(r)
    w.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
    await w.drain()
    server.arrived.set()
    while await r.read(65536):
        pass
    server.client_gone.set()


async def hang(server: RawServer, r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
    """Reads the request, never answers, and notes when the client hangs up."""
    await read_request_head(r)
    server.arrived.set()
    while await r.read(65536):
        pass
    server.client_gone.set()


class RawServer:
    """``asyncio.start_server`` on 127.0.0.1:0, one scripted behaviour per connection."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.connections = 0
        self.arrived = asyncio.Event()
        self.client_gone = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._server: asyncio.Server | None = None
        self.port = 0

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self.behaviour(self, reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
            self._tasks.discard(task)

    def url(self, path: str = "/") -> yarl.URL:
        return yarl.URL(f"http://127.0.0.1:{self.port}{path}")

    @property
    def busy(self) -> int:
        """Connection handlers still running."""
        return len(self._tasks)

    async def __aenter__(self) -> RawServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# ---------------------------------------------------------------------------------------
# The harness: the same URLs and behaviours for both transports.
# ---------------------------------------------------------------------------------------


@attrs.define
class Harness:
    kind: str
    transport: AiohttpTransport | MockTransport
    base: yarl.URL
    refused: yarl.URL
    closed_mid_headers: yarl.URL
    closed_before_answer: yarl.URL
    closed_mid_body: yarl.URL
    reset_mid_body: yarl.URL
    hang: yarl.URL
    arrived: asyncio.Event
    client_gone: asyncio.Event
    #: How many times a request reached the closed_before_answer server.
    before_answer_hits: Callable[[], int]

    def url(self, path: str) -> yarl.URL:
        return self.base.with_path(path)


def mock_handler(h: Harness) -> Callable[[Request], Awaitable[Response]]:
    async def handle(request: Request) -> Response:
        url = request.url
        origin = url.origin()
        if origin == h.refused.origin():
            raise ConnectError("connection refused", method=request.method, url=str(url))
        if origin == h.closed_mid_headers.origin() or origin == h.closed_before_answer.origin():
            raise ServerDisconnectedError("server disconnected")
        if origin == h.closed_mid_body.origin() or origin == h.reset_mid_body.origin():
            raise ReadError("incomplete response body")
        if origin == h.hang.origin():
            h.arrived.set()
            try:
                await asyncio.Event().wait()
            finally:
                h.client_gone.set()
        return answer(request.method, url.path, list(request.headers.raw_items()), request.body)

    return handle


@pytest.fixture(params=["mock", "aiohttp"])
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    if request.param == "mock":
        hub = Harness(
            kind="mock",
            transport=MockTransport(lambda r: Response(status=500)),
            base=yarl.URL("http://server.test"),
            refused=yarl.URL("http://refused.test"),
            closed_mid_headers=yarl.URL("http://mid-headers.test"),
            closed_before_answer=yarl.URL("http://before-answer.test"),
            closed_mid_body=yarl.URL("http://mid-body.test"),
            reset_mid_body=yarl.URL("http://reset.test"),
            hang=yarl.URL("http://hang.test"),
            arrived=asyncio.Event(),
            client_gone=asyncio.Event(),
            before_answer_hits=lambda: 0,
        )
        mock = MockTransport(mock_handler(hub))
        hub.transport = mock
        hub.before_answer_hits = lambda: sum(
            r.url.origin() == hub.closed_before_answer.origin() for r in mock.requests
        )
        yield hub
        await hub.transport.aclose()
        return
    async with contextlib.AsyncExitStack() as stack:
        web_server = await stack.enter_async_context(WebServer())
        raw = {
            name: await stack.enter_async_context(RawServer(behaviour))
            for name, behaviour in (
                ("mid_headers", close_mid_headers),
                ("before_answer", close_before_answer),
                ("mid_body", close_mid_body),
                ("reset", reset_mid_body),
                ("hang", hang),
            )
        }
        transport = AiohttpTransport()
        stack.push_async_callback(transport.aclose)
        yield Harness(
            kind="aiohttp",
            transport=transport,
            base=web_server.url("/"),
            refused=yarl.URL(f"http://127.0.0.1:{closed_port()}/"),
            closed_mid_headers=raw["mid_headers"].url(),
            closed_before_answer=raw["before_answer"].url(),
            closed_mid_body=raw["mid_body"].url(),
            reset_mid_body=raw["reset"].url(),
            hang=raw["hang"].url(),
            arrived=raw["hang"].arrived,
            client_gone=raw["hang"].client_gone,
            before_answer_hits=lambda: raw["before_answer"].connections,
        )


def get(url: yarl.URL, **kwargs: Any) -> Request:
    return Request(method="GET", url=url, **kwargs)


# ---------------------------------------------------------------------------------------
# The contract.
# ---------------------------------------------------------------------------------------


async def test_both_are_transports(harness: Harness) -> None:
    assert isinstance(harness.transport, Transport)


@pytest.mark.parametrize("status", [200, 201, 204, 302, 404, 409, 429, 500, 503])
async def test_status_is_passed_through_never_raised(harness: Harness, status: int) -> None:
    request = get(harness.url(f"/status/{status}"))
    response = await harness.transport.send(request)
    assert response.status == status
    assert response.request is request or response.request == request
    assert response.elapsed >= 0
    if status != 204:
        assert response.body == f"status {status}".encode()
    if status == 302:  # redirects are not followed
        assert response.headers["location"] == "/elsewhere"


async def test_body_bytes_exact(harness: Harness) -> None:
    response = await harness.transport.send(get(harness.url("/bytes")))
    assert response.body == BINARY


async def test_response_header_case_and_repeats_kept(harness: Harness) -> None:
    response = await harness.transport.send(get(harness.url("/headers")))
    raw = response.headers.raw_items()
    assert ("X-Mixed-Case", "Value-Kept") in raw
    assert response.headers["x-mixed-case"] == "Value-Kept"
    assert response.headers.get_all("set-cookie") == ["a=1; Path=/", "b=2; Path=/"]
    assert response.headers.get_all("X-REPEAT") == ["one", "two"]


async def echo(harness: Harness, request: Request) -> dict[str, Any]:
    response = await harness.transport.send(request)
    assert response.status == 200
    data: dict[str, Any] = json.loads(response.body)
    return data


async def test_request_headers_sent_as_given(harness: Harness) -> None:
    headers = Headers(
        [
            ("X-Custom-Case", "Value"),
            ("X-Multi", "1"),
            ("X-Multi", "2"),
            ("Authorization", f"Bearer {TOKEN}"),
            ("Api-Version", "alpha"),
        ]
    )
    seen = await echo(harness, get(harness.url("/echo"), headers=headers))
    pairs = [tuple(p) for p in seen["headers"]]
    assert ("X-Custom-Case", "Value") in pairs
    assert [v for k, v in pairs if k.lower() == "x-multi"] == ["1", "2"]
    assert ("Authorization", f"Bearer {TOKEN}") in pairs
    assert ("Api-Version", "alpha") in pairs


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
async def test_no_content_type_invented_for_empty_body(harness: Harness, method: str) -> None:
    seen = await echo(harness, Request(method=method, url=harness.url("/echo")))
    assert seen["method"] == method
    assert seen["length"] == 0
    assert "content-type" not in {k.lower() for k, _ in seen["headers"]}


@pytest.mark.parametrize(("method", "streamed"), [("POST", False), ("PATCH", True), ("GET", False)])
async def test_no_content_type_invented_for_a_body_without_one(
    harness: Harness, method: str, streamed: bool
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"abc"

    request = Request(
        method=method,
        url=harness.url("/echo"),
        body=b"" if streamed else b"abc",
        stream=chunks if streamed else None,
    )
    seen = await echo(harness, request)
    assert (seen["method"], seen["length"]) == (method, 3)
    assert "content-type" not in {k.lower() for k, _ in seen["headers"]}


async def test_request_body_arrives_exactly(harness: Harness) -> None:
    body = BINARY[:100_000]
    request = Request(
        method="POST",
        url=harness.url("/echo"),
        headers={"Content-Type": "application/json"},
        body=body,
    )
    seen = await echo(harness, request)
    assert seen["length"] == len(body)
    assert seen["sha256"] == hashlib.sha256(body).hexdigest()
    assert ("Content-Type", "application/json") in [tuple(p) for p in seen["headers"]]


async def test_streamed_body_arrives_exactly(harness: Harness) -> None:
    chunk = bytes(range(256)) * 256  # 64 KiB
    count = 32  # 2 MiB, never held in memory as one piece by the sender
    calls = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal calls
        calls += 1
        for i in range(count):
            yield bytes([i]) + chunk[1:]

    expected = hashlib.sha256()
    for i in range(count):
        expected.update(bytes([i]) + chunk[1:])
    request = Request(
        method="POST",
        url=harness.url("/echo"),
        headers={"Content-Type": "application/octet-stream"},
        stream=chunks,
    )
    seen = await echo(harness, request)
    assert calls == 1
    assert seen["length"] == count * len(chunk)
    assert seen["sha256"] == expected.hexdigest()


async def test_stream_download_in_chunks(harness: Harness) -> None:
    request = get(harness.url("/bytes"))
    async with harness.transport.stream(request) as response:
        assert isinstance(response, StreamedResponse)
        assert response.status == 200
        assert response.request is request or response.request == request
        sizes = []
        received = bytearray()
        async for piece in response.iter_bytes(10_000):
            sizes.append(len(piece))
            received += piece
        with pytest.raises(RuntimeError, match="once"):
            response.iter_bytes()
    assert bytes(received) == BINARY
    assert max(sizes) <= 10_000
    assert len(sizes) >= len(BINARY) // 10_000


async def test_stream_left_early_then_transport_still_works(harness: Harness) -> None:
    async with harness.transport.stream(get(harness.url("/bytes"))) as response:
        iterator = response.iter_bytes(1000)
        first = await anext(aiter(iterator))
        assert first == BINARY[: len(first)]
        await iterator.aclose()  # type: ignore[attr-defined]
    response2 = await harness.transport.send(get(harness.url("/bytes")))
    assert response2.body == BINARY


async def test_connect_refused_is_not_sent(harness: Harness) -> None:
    request = get(harness.refused.with_path("/x"), headers={"Authorization": f"Bearer {TOKEN}"})
    with pytest.raises(ConnectError) as caught:
        await harness.transport.send(request)
    assert isinstance(caught.value, RequestNotSentError)
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(caught.value)
    if harness.kind == "aiohttp":
        assert isinstance(caught.value.__cause__, aiohttp.ClientConnectorError)
        assert caught.value.method == "GET"
        assert caught.value.url == str(request.url)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("closed_mid_headers", ServerDisconnectedError),
        ("closed_before_answer", ServerDisconnectedError),
        ("closed_mid_body", ReadError),
        ("reset_mid_body", ReadError),
    ],
)
async def test_server_failure_after_sending_is_maybe_sent(
    harness: Harness, where: str, expected: type[TransportError]
) -> None:
    url: yarl.URL = getattr(harness, where)
    request = Request(
        method="POST",
        url=url.with_path("/x"),
        headers={"Authorization": f"Bearer {TOKEN}"},
        body=b"{}",
    )
    with pytest.raises(RequestMaybeSentError) as caught:
        await harness.transport.send(request)
    assert isinstance(caught.value, expected)
    assert TOKEN not in str(caught.value)
    if harness.kind == "aiohttp":
        assert caught.value.__cause__ is not None


async def test_get_is_not_silently_resent_on_disconnect(harness: Harness) -> None:
    with pytest.raises(ServerDisconnectedError):
        await harness.transport.send(get(harness.closed_before_answer.with_path("/x")))
    assert harness.before_answer_hits() == 1
    response = await harness.transport.send(get(harness.url("/status/200")))
    assert response.status == 200


async def test_read_timeout(harness: Harness) -> None:
    request = get(harness.hang.with_path("/slow"), timeout=0.2)
    with pytest.raises(ReadTimeoutError) as caught:
        await harness.transport.send(request)
    assert isinstance(caught.value, RequestMaybeSentError)
    assert harness.arrived.is_set()


def pending_tasks(before: set[asyncio.Task[Any]]) -> list[asyncio.Task[Any]]:
    current = asyncio.current_task()
    return [t for t in asyncio.all_tasks() if t not in before and t is not current and not t.done()]


async def test_cancellation_propagates_and_leaks_nothing(harness: Harness) -> None:
    before = set(asyncio.all_tasks())
    task = asyncio.create_task(harness.transport.send(get(harness.hang.with_path("/slow"))))
    await asyncio.wait_for(harness.arrived.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # The server sees the client hang up: the connection was closed, not leaked.
    await asyncio.wait_for(harness.client_gone.wait(), 5)
    for _ in range(5):
        await asyncio.sleep(0)
    assert pending_tasks(before) == []
    response = await harness.transport.send(get(harness.url("/status/200")))
    assert response.status == 200
    gc.collect()


async def test_send_after_aclose_raises_and_aclose_is_idempotent(harness: Harness) -> None:
    await harness.transport.send(get(harness.url("/status/200")))
    await harness.transport.aclose()
    await harness.transport.aclose()
    assert harness.transport.closed
    with pytest.raises(RuntimeError, match="closed"):
        await harness.transport.send(get(harness.url("/status/200")))


async def test_concurrent_sends(harness: Harness) -> None:
    responses = await asyncio.gather(
        *(harness.transport.send(get(harness.url(f"/status/{200 + i}"))) for i in range(20))
    )
    assert [r.status for r in responses] == [200 + i for i in range(20)]


# ---------------------------------------------------------------------------------------
# aiohttp only: pooling, limits, sessions, timeouts, bodies.
# ---------------------------------------------------------------------------------------


@pytest.fixture
async def web_server() -> AsyncIterator[WebServer]:
    async with WebServer() as server:
        yield server


async def test_one_connection_reused_for_sequential_requests(web_server: WebServer) -> None:
    async with AiohttpTransport() as transport:
        await transport.send(get(web_server.url("/status/200")))
        session = transport.session
        for _ in range(30):
            response = await transport.send(get(web_server.url("/bytes")))
            assert len(response.body) == len(BINARY)
        assert transport.session is session
    assert len(web_server.protocols) == 1
    assert session is not None
    assert session.closed


@pytest.mark.parametrize("limit", [1, 2, 3])
async def test_connection_limit_respected(web_server: WebServer, limit: int) -> None:
    web_server.gate_target = limit
    async with AiohttpTransport(limit=limit) as transport:
        responses = await asyncio.gather(
            *(transport.send(get(web_server.url("/gate"))) for _ in range(3 * limit + 1))
        )
    assert all(r.body == b"gate" for r in responses)
    assert web_server.peak == limit
    assert len(web_server.protocols) == limit


async def test_limit_per_host_respected(web_server: WebServer) -> None:
    web_server.gate_target = 2
    async with AiohttpTransport(limit=10, limit_per_host=2) as transport:
        await asyncio.gather(*(transport.send(get(web_server.url("/gate"))) for _ in range(6)))
    assert web_server.peak == 2


async def test_concurrent_first_sends_create_one_session(
    web_server: WebServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    created: list[aiohttp.ClientSession] = []
    original = aiohttp.ClientSession

    def counting_session(*args: Any, **kwargs: Any) -> aiohttp.ClientSession:
        session = original(*args, **kwargs)
        created.append(session)
        return session

    monkeypatch.setattr(aiohttp, "ClientSession", counting_session)
    transport = AiohttpTransport()
    assert transport.session is None  # lazy: nothing before the first send
    try:
        await asyncio.gather(
            *(transport.send(get(web_server.url("/status/200"))) for _ in range(8))
        )
    finally:
        await transport.aclose()
    assert len(created) == 1
    assert created[0].closed


async def test_given_session_is_used_and_left_open(web_server: WebServer) -> None:
    async with aiohttp.ClientSession() as session:
        transport = AiohttpTransport(session=session)
        response = await transport.send(get(web_server.url("/bytes")))
        assert response.body == BINARY
        assert transport.session is session
        echoed = await transport.send(Request(method="POST", url=web_server.url("/echo")))
        sent = [k.lower() for k, _ in json.loads(echoed.body)["headers"]]
        assert "content-type" not in sent
        typed = await transport.send(
            Request(method="POST", url=web_server.url("/echo"), headers={"Content-Type": "a/b"})
        )
        assert ["Content-Type", "a/b"] in json.loads(typed.body)["headers"]
        await transport.aclose()
        assert not session.closed
        with pytest.raises(RuntimeError, match="closed"):
            await transport.send(get(web_server.url("/bytes")))
        async with session.get(web_server.url("/status/200")) as raw:
            assert raw.status == 200


async def test_given_session_still_maps_errors() -> None:
    async with RawServer(close_mid_body) as raw, aiohttp.ClientSession() as session:
        transport = AiohttpTransport(session=session)
        with pytest.raises(ConnectError):
            await transport.send(get(yarl.URL(f"http://127.0.0.1:{closed_port()}/")))
        with pytest.raises(ReadError):
            await transport.send(get(raw.url("/x")))


async def test_aclose_before_any_send_creates_nothing() -> None:
    transport = AiohttpTransport()
    await transport.aclose()
    assert transport.session is None
    with pytest.raises(RuntimeError, match="closed"):
        await transport.send(get(yarl.URL("http://127.0.0.1:9/")))


async def test_pool_timeout_when_all_connections_busy() -> None:
    async with RawServer(hang) as raw:
        transport = AiohttpTransport(limit=1, connect_timeout=0.2)
        try:
            holder = asyncio.create_task(transport.send(get(raw.url("/a"))))
            await asyncio.wait_for(raw.arrived.wait(), 5)
            with pytest.raises(PoolTimeoutError) as caught:
                await transport.send(Request(method="POST", url=raw.url("/b"), body=b"{}"))
            assert isinstance(caught.value, RequestNotSentError)
            assert raw.connections == 1
            # The request's own total timeout while queued is a pool timeout too.
            with pytest.raises(PoolTimeoutError):
                await transport.send(get(raw.url("/c"), timeout=0.1))
            holder.cancel()
            with pytest.raises(asyncio.CancelledError):
                await holder
        finally:
            await transport.aclose()


async def test_cancelled_request_frees_its_pool_slot(web_server: WebServer) -> None:
    async with RawServer(hang) as raw, AiohttpTransport(limit=1, connect_timeout=2) as transport:
        task = asyncio.create_task(transport.send(get(raw.url("/slow"))))
        await asyncio.wait_for(raw.arrived.wait(), 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        response = await transport.send(get(web_server.url("/status/200")))
        assert response.status == 200


async def test_socket_read_timeout(web_server: WebServer) -> None:
    async with RawServer(hang) as raw, AiohttpTransport(read_timeout=0.2) as transport:
        with pytest.raises(ReadTimeoutError) as caught:
            await transport.send(get(raw.url("/slow")))
        assert isinstance(caught.value.__cause__, aiohttp.SocketTimeoutError)


async def test_socket_read_timeout_under_a_longer_total(web_server: WebServer) -> None:
    """A total timeout longer than ``read_timeout`` leaves the per-read timer on."""
    async with RawServer(stall_mid_body) as raw, AiohttpTransport(read_timeout=0.2) as transport:
        with pytest.raises(ReadTimeoutError) as caught:
            await transport.send(get(raw.url("/slow"), timeout=30))
        assert isinstance(caught.value.__cause__, aiohttp.SocketTimeoutError)


async def test_a_stall_under_a_shorter_total_is_the_total_timeout() -> None:
    """A total no longer than ``read_timeout`` ends a stalled body first."""
    async with RawServer(stall_mid_body) as raw, AiohttpTransport(read_timeout=60) as transport:
        with pytest.raises(ReadTimeoutError, match="request timed out") as caught:
            await transport.send(get(raw.url("/slow"), timeout=0.2))
        assert type(caught.value.__cause__) is TimeoutError


@pytest.mark.parametrize("given", [False, True], ids=["own session", "given session"])
async def test_send_under_a_total_no_longer_than_read_timeout_times_no_reads(
    given: bool,
) -> None:
    """send() passes aiohttp no per-read timeout (a timer rearmed for every chunk) when
    its total timeout would always expire first; otherwise ``read_timeout`` is passed."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as session:
        transport = AiohttpTransport(session=session if given else None, read_timeout=1.0)
        url = yarl.URL("http://127.0.0.1:9/")

        def sock_read(total: float | None) -> float | None:
            kwargs = transport._request_kwargs(get(url), total)
            timeout = kwargs.get("timeout", transport._client_timeout)
            assert isinstance(timeout, aiohttp.ClientTimeout)
            if given:
                assert timeout.total == 300  # the session's own total is kept
            return timeout.sock_read

        assert sock_read(1.0) is None
        assert sock_read(0.5) is None
        assert sock_read(1.5) == 1.0
        assert sock_read(None) == 1.0
        await transport.aclose()


@pytest.mark.parametrize("given", [False, True], ids=["own session", "given session"])
async def test_send_passes_the_options_request_kwargs_gives(given: bool) -> None:
    """send() takes its session options from four sets prepared once (_prepare_send);
    each is what _request_kwargs gives for such a request, headers and body aside. A
    session we created is sent through without its context manager object; a given
    one through its public request()."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as session:
        transport = AiohttpTransport(session=session if given else None, read_timeout=1.0)
        ours = transport._get_session()
        url = yarl.URL("http://127.0.0.1:9/")
        requests = {
            False: [get(url), Request(method="POST", url=url, headers={"Content-Type": "a/b"})],
            True: [Request(method="POST", url=url), Request(method="PUT", url=url, body=b"x")],
        }
        assert transport._options is not None
        for total in (None, 0.5, 1.5):
            per_read = total is None or total > 1.0
            for skip, examples in requests.items():
                for request in examples:
                    kwargs = transport._request_kwargs(request, total)
                    del kwargs["headers"], kwargs["data"]
                    assert transport._options[per_read][skip] == kwargs
        assert transport._send_request == (ours.request if given else ours._request)
        await transport.aclose()


@pytest.mark.parametrize("streamed", [False, True], ids=["send", "stream"])
async def test_read_timeout_applies_to_a_given_session(streamed: bool) -> None:
    """``read_timeout`` bounds each wait for body bytes on a session passed in too (whose
    own timeouts set none), streamed or not; the session's own total still applies."""
    async with RawServer(stall_mid_body) as raw, aiohttp.ClientSession() as session:
        transport = AiohttpTransport(session=session, read_timeout=0.2)

        async def read() -> bytes:
            if not streamed:
                return (await transport.send(get(raw.url("/slow")))).body
            async with transport.stream(get(raw.url("/slow"))) as response:
                return await response.read()

        with pytest.raises(ReadTimeoutError) as caught:
            await asyncio.wait_for(read(), 30)
        assert isinstance(caught.value.__cause__, aiohttp.SocketTimeoutError)
        await asyncio.wait_for(raw.client_gone.wait(), 5)  # the stalled connection closed
        assert not session.closed


async def test_total_timeout_default_and_request_override(web_server: WebServer) -> None:
    async with RawServer(hang) as raw, AiohttpTransport(total_timeout=0.2) as transport:
        with pytest.raises(ReadTimeoutError):
            await transport.send(get(raw.url("/slow")))
        # A generous per-request timeout overrides the short default.
        response = await transport.send(get(web_server.url("/bytes"), timeout=30))
        assert response.body == BINARY


@pytest.mark.skipif(sys.platform != "linux", reason="relies on Linux's listen backlog")
async def test_connect_timeout() -> None:
    # A listening socket that never accepts, its backlog full: SYNs go unanswered.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    fillers: list[socket.socket] = []
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        for _ in range(3):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        async with AiohttpTransport(connect_timeout=0.3) as transport:
            with pytest.raises(ConnectTimeoutError) as caught:
                await transport.send(
                    Request(method="POST", url=f"http://127.0.0.1:{port}/", body=b"{}")
                )
        assert isinstance(caught.value, RequestNotSentError)
        assert not isinstance(caught.value, PoolTimeoutError)
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


async def test_chunked_and_gzip_bodies_read_whole(web_server: WebServer) -> None:
    async with AiohttpTransport() as transport:
        chunked = await transport.send(get(web_server.url("/chunked")))
        assert chunked.body == BINARY
        assert chunked.headers["Transfer-Encoding"] == "chunked"
        gzipped = await transport.send(
            get(web_server.url("/gzip"), headers={"Accept-Encoding": "gzip"})
        )
        assert gzipped.headers["Content-Encoding"] == "gzip"
        assert gzipped.body == BINARY


@pytest.mark.parametrize("path", ["/bytes", "/chunked", "/gzip"])
async def test_max_response_size(web_server: WebServer, path: str) -> None:
    async with AiohttpTransport(max_response_size=len(BINARY) - 1) as transport:
        with pytest.raises(ReadError, match="max_response_size"):
            await transport.send(get(web_server.url(path)))
        # The connection was dropped, not returned dirty: the next request is fine.
        ok = await transport.send(get(web_server.url("/status/200")))
        assert ok.status == 200
    async with AiohttpTransport(max_response_size=len(BINARY)) as transport:
        assert (await transport.send(get(web_server.url(path)))).body == BINARY


async def test_stream_has_no_size_limit_and_maps_read_errors(web_server: WebServer) -> None:
    async with (
        AiohttpTransport(max_response_size=10) as transport,
        transport.stream(get(web_server.url("/chunked"))) as response,
    ):
        assert await response.read() == BINARY
    async with (
        RawServer(close_mid_body) as raw,
        AiohttpTransport() as transport,
        transport.stream(get(raw.url("/x"))) as response,
    ):
        assert response.status == 200
        assert response.headers["X-Half"] == "yes"
        with pytest.raises(ReadError):
            await response.read()


async def test_stream_connect_errors_are_mapped() -> None:
    async with AiohttpTransport() as transport:
        with pytest.raises(ConnectError):
            async with transport.stream(get(yarl.URL(f"http://127.0.0.1:{closed_port()}/"))):
                pytest.fail("unreachable")  # pragma: no cover


async def test_upload_stream_failure_is_maybe_sent(web_server: WebServer) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield b"x" * 1000
        raise OSError("disk vanished")

    async with AiohttpTransport() as transport:
        request = Request(method="POST", url=web_server.url("/echo"), stream=broken)
        with pytest.raises(RequestMaybeSentError):
            await transport.send(request)


async def test_transport_bound_to_its_loop(web_server: WebServer) -> None:
    transport = AiohttpTransport()
    try:
        await transport.send(get(web_server.url("/status/200")))
        url = web_server.url("/status/200")

        def other_loop() -> None:
            async def attempt() -> None:
                with pytest.raises(RuntimeError, match="event loop"):
                    await transport.send(get(url))

            asyncio.run(attempt())

        await asyncio.to_thread(other_loop)
    finally:
        await transport.aclose()


@pytest.fixture
async def tls_server() -> AsyncIterator[tuple[yarl.URL, ssl.SSLContext]]:
    """An HTTPS server on 127.0.0.1 with a certificate from a throwaway CA.

    Yields the server's URL and a client context that trusts that CA.
    """
    trustme = pytest.importorskip("trustme")
    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server_context)
    client_context = ssl.create_default_context()
    authority.configure_trust(client_context)

    async def hello(_: web.Request) -> web.Response:
        return web.Response(body=b"secure")

    app = web.Application()
    app.router.add_get("/", hello)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    await web.SockSite(runner, sock, ssl_context=server_context).start()
    try:
        yield yarl.URL(f"https://127.0.0.1:{port}/"), client_context
    finally:
        await runner.cleanup()


async def test_tls_verified_by_default(tls_server: tuple[yarl.URL, ssl.SSLContext]) -> None:
    url, trusted = tls_server
    async with AiohttpTransport() as transport:
        with pytest.raises(ConnectError) as caught:
            await transport.send(get(url))
    assert isinstance(caught.value, RequestNotSentError)
    assert isinstance(caught.value.__cause__, aiohttp.ClientConnectorCertificateError)
    async with AiohttpTransport(ssl=trusted) as transport:
        assert (await transport.send(get(url))).body == b"secure"
    async with AiohttpTransport(ssl=False) as transport:  # verification off, explicitly
        assert (await transport.send(get(url))).body == b"secure"


async def test_failing_stream_factory_is_not_mapped(web_server: WebServer) -> None:
    def factory() -> AsyncIterator[bytes]:
        raise FileNotFoundError("upload.pdf")

    async with AiohttpTransport() as transport:
        request = Request(method="POST", url=web_server.url("/echo"), stream=factory)
        with pytest.raises(FileNotFoundError):
            await transport.send(request)
        with pytest.raises(FileNotFoundError):
            async with transport.stream(request):
                pytest.fail("unreachable")  # pragma: no cover
    assert web_server.protocols == []


# ---------------------------------------------------------------------------------------
# A user's wrapping transport, under the client, over loopback.
# ---------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"


class LoggingTransport:
    """What a user writes to log every exchange: all three methods delegate."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self.log: list[str] = []

    async def send(self, request: Request) -> Response:
        self.log.append(f"send {request.method} {request.url.path}")
        return await self.inner.send(request)

    @contextlib.asynccontextmanager
    async def stream(self, request: Request) -> AsyncIterator[StreamedResponse]:
        self.log.append(f"stream {request.method} {request.url.path}")
        async with self.inner.stream(request) as response:
            yield response

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_wrapping_transport_keeps_stream_and_downloads(tmp_path: Path) -> None:
    async with SandboxServer() as server:
        wrapper = LoggingTransport(AiohttpTransport())
        assert isinstance(wrapper, Transport)
        async with FreshBooksClient(server.token, base_url=server.url, transport=wrapper) as fb:
            stored = await fb.attachments.upload("ACC001", PDF, filename="receipt.pdf")
            async with fb.stream("GET", stored.path, headers={"Accept": "*/*"}) as response:
                assert response.status == 200
                streamed = b"".join([chunk async for chunk in response.iter_bytes(1000)])
            target = tmp_path / "receipt.pdf"
            written = await fb.attachments.download_to(stored.jwt, target, chunk_size=1000)
        await wrapper.aclose()
    assert streamed == PDF
    assert written == len(PDF)
    assert target.read_bytes() == PDF
    assert wrapper.log == [
        "send POST /uploads/account/ACC001/attachments",
        f"stream GET {stored.path}",
        f"stream GET {stored.path}",  # download_to streams through the wrapper too
    ]


class SendOnly:
    """A wrapper written against the 0.1 protocol (no ``stream``)."""

    async def send(self, request: Request) -> Response:
        raise AssertionError("never called")  # pragma: no cover

    async def aclose(self) -> None:
        pass


def test_a_transport_without_stream_is_refused_naming_what_it_lacks() -> None:
    assert not isinstance(SendOnly(), Transport)
    with pytest.raises(
        TypeError, match=r"transport: SendOnly does not implement Transport \(missing: stream\)"
    ):
        FreshBooksClient("token", transport=SendOnly())  # type: ignore[arg-type]
