"""The aiohttp.web adapter: serve a :class:`Sandbox` on a loopback port."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

import aiohttp
import yarl
from aiohttp import web

from ..transports._types import Headers, Request, Response, multidict_of
from ._core import Outcome, Sandbox
from ._errors import SandboxAPIError, family_of_path

__all__ = ["SandboxServer", "web_app"]

_HOP = frozenset({"content-length", "transfer-encoding", "connection"})


class _InjectedReset(ConnectionResetError):
    """Raised after aborting a connection on purpose (a configured fault)."""


class _ClientGone(_InjectedReset):
    """Raised when the client went away before its request was read (before or after
    ``100 Continue``, or in the middle of its body): nothing to answer, nothing processed."""


def _gone(request: web.BaseRequest, exc: ConnectionError) -> _ClientGone:
    """Drop ``request``'s connection; the quiet error that says the client left."""
    if request.transport is not None:
        request.transport.abort()
    return _ClientGone(f"the client went away before its request was read: {exc}")


class _QuietInjectedResets(logging.Filter):
    """Drops aiohttp's error log for connections the sandbox aborted on purpose or the
    client left: neither is a server error, and a traceback per fault floods the output."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], _InjectedReset))


_QUIET = _QuietInjectedResets()


# RFC 3986 host (a registered name or a bracketed IP literal) and an optional port.
_HOST = re.compile(r"^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::(\d{1,5}))?$")
_CHUNK = 256 * 1024


def _copy_headers(headers: Headers, out: web.StreamResponse) -> None:
    """The sandbox answer's headers onto aiohttp's response (aiohttp sets the framing):
    one value per name, the last given, as the answer's ``Mapping`` view reads them."""
    pairs = multidict_of(headers)
    if len(pairs) == len(headers) and not any(name in pairs for name in _HOP):
        out.headers.extend(pairs)  # the usual answer: no name twice, none framing; at once
        return
    for name, value in headers.items():
        if name.lower() not in _HOP:
            out.headers[name] = value


def _header_text(value: str) -> str:
    """A request header value as text: aiohttp hands bytes that are not UTF-8 over as
    lone surrogates (``surrogateescape``); HTTP header bytes are ISO 8859-1."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogateescape").decode("latin-1")
    return value


def _request_url(host: str, request: web.BaseRequest) -> yarl.URL | None:
    """The absolute URL of ``request`` on ``host`` (the ``Host`` header), or ``None`` when
    that is not a valid host."""
    match = _HOST.match(host)
    if match is None or (match.group(1) is not None and int(match.group(1)) > 65535):
        return None
    rel = request.rel_url
    return yarl.URL.build(
        scheme="http",
        authority=host,
        path=rel.raw_path,
        query_string=rel.raw_query_string,
        encoded=True,
    )


def _local(raw_path: str) -> yarl.URL:
    """``raw_path`` on the loopback host (for answers that do not use the Host header)."""
    return yarl.URL.build(scheme="http", host="127.0.0.1", path=raw_path, encoded=True)


async def _read_body(request: web.BaseRequest, limit: int) -> bytes | None:
    """The request body, or ``None`` as soon as it is known to exceed ``limit`` bytes
    (from ``Content-Length`` before reading anything, else while reading chunks)."""
    length = request.content_length
    if length is not None and length > limit:
        return None
    parts: list[bytes] = []
    size = 0
    content = request.content
    while True:
        chunk = await content.read(_CHUNK)
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > limit:
            return None
        parts.append(chunk)
        if content.at_eof():  # all read: no call for the empty chunk that says so
            return parts[0] if len(parts) == 1 else b"".join(parts)


def web_app(sandbox: Sandbox) -> web.Application:
    """An aiohttp application answering every request from ``sandbox``.

    Transport faults become real socket behaviour: ``reset`` aborts the connection
    without a response, ``truncate`` sends the headers and half the body, then aborts.
    What the sandbox cannot process is answered in the FreshBooks shape of the path's
    family, never with aiohttp's plain-text errors: a body over ``max_body_bytes`` (413,
    refused from ``Content-Length`` before it is read), a malformed ``Host`` header (400),
    and a sandbox bug (500, logged, nothing committed). A client that disconnects before
    its answer is sent is no error: the answer is dropped without a traceback.

    For mounting the sandbox in an aiohttp application of your own;
    :class:`SandboxServer` serves the same handler without an application's routing.
    """
    if not isinstance(sandbox, Sandbox):
        raise TypeError(f"sandbox: expected Sandbox, got {type(sandbox).__name__}")
    # The handler reads bodies itself (refusing an oversized one in the FreshBooks shape),
    # so aiohttp's own limit, which answers in plain text, is never reached.
    app = web.Application(client_max_size=2**62)

    # The application's router calls the expect handler (for a non-empty ``Expect``):
    # ``100-continue`` gets its interim answer, anything else the family's 417.
    async def expect_handler(request: web.Request) -> web.StreamResponse | None:
        try:
            early = await _expect(sandbox, request)
        except _ClientGone:
            raise
        except Exception as exc:  # a bug of the adapter: still a FreshBooks-shaped 500
            early = _adapter_bug(sandbox, request, exc)
        return None if early is None else _whole(early.response)

    app.router.add_route(
        "*", "/{tail:.*}", _handler(sandbox, expect=False), expect_handler=expect_handler
    )
    return app


def _adapter_bug(sandbox: Sandbox, request: web.BaseRequest, exc: Exception) -> Outcome:
    """A bug of the adapter, answered as the sandbox answers its own: a logged 500 in
    the family's shape."""
    path = request.rel_url.raw_path
    probe = Request(method=request.method, url=_local(path))
    return Outcome(response=sandbox._bug_response(family_of_path(path), exc, probe))


def _whole(resp: Response) -> web.Response:
    """``resp`` as one aiohttp response: headers and body in one write (a
    ``StreamResponse`` sends its headers apart)."""
    whole = web.Response(status=resp.status, body=resp.body)
    _copy_headers(resp.headers, whole)
    return whole


async def _expect(sandbox: Sandbox, request: web.BaseRequest) -> Outcome | None:
    """What an application's router does for ``Expect`` (HTTP/1.1 only): ``100-continue``
    gets its interim answer, anything else a 417, here in the family's shape."""
    expect = request.headers.get("Expect", "")
    if request.version != aiohttp.HttpVersion11:
        return None
    if expect.lower() == "100-continue":
        writer = request.writer
        try:
            await writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            writer.output_size = 0  # the answer proper has not started
            await writer.drain()
        except ConnectionError as exc:  # the client left first: no answer, no sandbox bug
            raise _gone(request, exc) from exc
        return None
    path = request.rel_url.raw_path
    refused = Request(method=request.method, url=_local(path))
    err = SandboxAPIError(
        417, f"Unknown Expect: {_header_text(expect)!r}.", errno=417, field="Expect"
    )
    return Outcome(response=sandbox._refuse(refused, err))


def _handler(
    sandbox: Sandbox, *, expect: bool
) -> Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]:
    """The request handler serving ``sandbox`` (``expect``: it answers ``Expect``
    itself, for aiohttp's low-level server; an application's router does otherwise)."""
    server_log = logging.getLogger("aiohttp.server")
    if _QUIET not in server_log.filters:
        server_log.addFilter(_QUIET)

    async def answer(request: web.BaseRequest) -> Outcome:
        headers = Headers.from_trusted(
            [
                (name, value if value.isascii() else _header_text(value))
                for name, value in request.headers.items()
            ]
        )
        host = _header_text(request.headers.get("Host", "") or "127.0.0.1")
        url = _request_url(host, request)
        if url is None:
            path = request.rel_url.raw_path
            refused = Request(method=request.method, url=_local(path), headers=headers)
            err = SandboxAPIError(
                400, f"Invalid Host header: {host!r}.", errno=400, field="Host", value=host
            )
            return Outcome(response=sandbox._refuse(refused, err))
        try:
            body = await _read_body(request, sandbox.max_body_bytes)
        except ConnectionError as exc:  # the client left mid-body: no answer, no sandbox bug
            raise _gone(request, exc) from exc
        # (Request(...) without its converters: these values are already of their types.)
        ours = Request._trusted(request.method.upper(), url, headers, body or b"")
        if body is None:
            err = SandboxAPIError(
                413,
                f"The request body is too large (more than {sandbox.max_body_bytes} bytes).",
                errno=1017,
                field="body",
            )
            return Outcome(response=sandbox._refuse(ours, err))
        return await sandbox.process(ours)

    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        try:
            early = (
                await _expect(sandbox, request)
                if expect and request.headers.get("Expect")
                else None
            )
            outcome = early if early is not None else await answer(request)
        except _ClientGone:
            raise
        except Exception as exc:  # a bug of the adapter: still a FreshBooks-shaped 500
            outcome = _adapter_bug(sandbox, request, exc)
        transport = request.transport
        if outcome.action == "reset":
            if transport is not None:
                transport.abort()
            raise _InjectedReset("sandbox fault: reset")
        resp = outcome.response
        if outcome.action != "truncate":
            return _whole(resp)
        out = web.StreamResponse(status=resp.status)
        _copy_headers(resp.headers, out)
        out.content_length = len(resp.body)
        try:
            await out.prepare(request)
            await out.write(resp.body[: len(resp.body) // 2])
        except ConnectionError:
            # The client went away before its answer was written (it timed out, was
            # cancelled, or was killed): the answer is dropped, nothing to report.
            pass
        if transport is not None:
            transport.abort()
        raise _InjectedReset("sandbox fault: truncate")

    return handler


class SandboxServer:
    """Run a sandbox on ``127.0.0.1`` (port 0 by default) for the ``async with`` block.

    Attributes:
        sandbox: The served :class:`Sandbox`.
        url: Base URL, e.g. ``http://127.0.0.1:54321``.
        token: The sandbox's pre-issued access token.

    Example:
        >>> async def demo() -> None:  # doctest: +SKIP
        ...     async with SandboxServer() as server:
        ...         print(server.url)
    """

    def __init__(
        self,
        sandbox: Sandbox | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        **options: Any,
    ) -> None:
        if sandbox is not None and options:
            raise ValueError("options: pass either a sandbox or Sandbox options, not both")
        if not isinstance(port, int) or not 0 <= port <= 65535:
            raise ValueError(f"port: must be 0..65535, got {port!r}")
        self.sandbox = sandbox if sandbox is not None else Sandbox(**options)
        self.host = host
        self.port = port
        self._runner: web.ServerRunner | None = None

    @property
    def url(self) -> str:
        """The base URL (valid once started)."""
        if self._runner is None:
            raise RuntimeError("SandboxServer is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def token(self) -> str:
        """The sandbox's default bearer token."""
        return self.sandbox.token

    async def start(self) -> None:
        """Bind and start serving."""
        sandbox = self.sandbox
        # aiohttp's low-level server: the sandbox routes requests itself, so an
        # application's router, middleware chain and match info would only cost CPU on
        # the sandbox's one thread (the CPU every benchmark's requests queue for).
        handler = _handler(sandbox, expect=True)
        runner = web.ServerRunner(web.Server(handler, access_log=None), handle_signals=False)
        await runner.setup()
        server = runner.server
        if server is not None:
            original = server.connection_made

            def counting(handler: Any, transport: asyncio.Transport) -> None:
                sandbox.stats.connections += 1
                original(handler, transport)

            server.connection_made = counting  # type: ignore[method-assign]
        site = web.TCPSite(runner, self.host, self.port, reuse_address=True)
        await site.start()
        sockets = getattr(site._server, "sockets", None)
        if sockets:
            self.port = sockets[0].getsockname()[1]
        self.sandbox.base_url = f"http://{self.host}:{self.port}"
        self._runner = runner

    async def close(self) -> None:
        """Stop serving and release hung requests."""
        await self.sandbox.aclose()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
