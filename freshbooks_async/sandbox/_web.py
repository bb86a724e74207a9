"""The aiohttp.web adapter: serve a :class:`Sandbox` on a loopback port."""

from __future__ import annotations

import asyncio
import logging
from types import TracebackType
from typing import Any

import yarl
from aiohttp import web

from ..transports._types import Request
from ._core import Sandbox

__all__ = ["SandboxServer", "web_app"]

_HOP = frozenset({"content-length", "transfer-encoding", "connection"})


class _InjectedReset(ConnectionResetError):
    """Raised after aborting a connection on purpose (a configured fault)."""


class _QuietInjectedResets(logging.Filter):
    """Drops aiohttp's error log for connections the sandbox aborted on purpose: an
    injected fault is not a server error, and a traceback per fault floods the output."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], _InjectedReset))


_QUIET = _QuietInjectedResets()


def web_app(sandbox: Sandbox) -> web.Application:
    """An aiohttp application answering every request from ``sandbox``.

    Transport faults become real socket behaviour: ``reset`` aborts the connection
    without a response, ``truncate`` sends the headers and half the body, then aborts.
    """
    if not isinstance(sandbox, Sandbox):
        raise TypeError(f"sandbox: expected Sandbox, got {type(sandbox).__name__}")

    async def handler(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        host = request.headers.get("Host", "127.0.0.1")
        url = yarl.URL.build(scheme="http", host=host.split(":")[0], path="/").join(
            yarl.URL(request.raw_path)
        )
        ours = Request(
            method=request.method,
            url=url,
            headers=list(request.headers.items()),
            body=body,
        )
        outcome = await sandbox.process(ours)
        transport = request.transport
        if outcome.action == "reset":
            if transport is not None:
                transport.abort()
            raise _InjectedReset("sandbox fault: reset")
        resp = outcome.response
        out = web.StreamResponse(status=resp.status)
        for name, value in resp.headers.items():
            if name.lower() not in _HOP:
                out.headers[name] = value
        out.content_length = len(resp.body)
        await out.prepare(request)
        if outcome.action == "truncate":
            await out.write(resp.body[: len(resp.body) // 2])
            if transport is not None:
                transport.abort()
            raise _InjectedReset("sandbox fault: truncate")
        await out.write(resp.body)
        await out.write_eof()
        return out

    server_log = logging.getLogger("aiohttp.server")
    if _QUIET not in server_log.filters:
        server_log.addFilter(_QUIET)
    app = web.Application(client_max_size=sandbox.max_body_bytes + 1024 * 1024)
    app.router.add_route("*", "/{tail:.*}", handler)
    return app


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
        self._runner: web.AppRunner | None = None

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
        app = web_app(self.sandbox)
        sandbox = self.sandbox
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
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
