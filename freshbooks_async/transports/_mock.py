"""A transport that answers from a function, in process: :class:`MockTransport`.

Used by the SDK's tests, by users' tests (through :mod:`freshbooks_async.testing`), and
to run the client against the sandbox without sockets: ``MockTransport(sandbox.handle)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import attrs

from ..errors import ReadTimeoutError
from ._streamed import StreamedResponse
from ._types import Request, Response

__all__ = ["MockHandler", "MockTransport"]

#: What a :class:`MockTransport` calls: a request in, a response out (awaitable or not).
MockHandler = Callable[[Request], "Awaitable[Response] | Response"]


async def _drain(request: Request) -> Request:
    """The request with its streamed body read into ``body`` (``stream`` cleared)."""
    if request.stream is None:
        return request
    parts: list[bytes] = []
    async for chunk in request.stream():
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise TypeError(
                f"request.stream: chunks must be bytes, got {type(chunk).__name__}: {chunk!r}"
            )
        parts.append(bytes(chunk))
    return attrs.evolve(request, body=b"".join(parts), stream=None)


class MockTransport:
    """A transport that hands each request to a function instead of the network.

    The handler receives every request (a streamed body already drained into
    ``request.body``) and returns a :class:`Response`, directly or as an awaitable. To
    simulate a network failure it raises a
    :class:`~freshbooks_async.errors.TransportError` subclass (``ConnectError``,
    ``ServerDisconnectedError``...), which propagates to the caller unchanged; so does
    any other exception, so bugs in a handler are not hidden.

    ``Request.timeout`` is honoured: a handler slower than it raises
    :class:`~freshbooks_async.errors.ReadTimeoutError`. The returned response gets
    ``request`` set to the request sent, and ``elapsed`` measured unless the handler set
    a non-zero one.

    Args:
        handler: ``(Request) -> Response | Awaitable[Response]``; a
            :class:`~freshbooks_async.testing.Router` or ``sandbox.handle`` fit.

    Attributes:
        requests: Every request sent, in order (streamed bodies drained).

    Raises:
        TypeError: ``handler`` is not callable.
    """

    def __init__(self, handler: MockHandler) -> None:
        if not callable(handler):
            raise TypeError(
                f"handler: expected a callable (Request) -> Response, got "
                f"{type(handler).__name__}: {handler!r}"
            )
        self._handler = handler
        self._closed = False
        self.requests: list[Request] = []

    @property
    def call_count(self) -> int:
        """How many requests were sent."""
        return len(self.requests)

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` has been called."""
        return self._closed

    async def _call_handler(self, request: Request) -> Response:
        result = self._handler(request)
        if inspect.isawaitable(result):
            result = await result
        if not isinstance(result, Response):
            raise TypeError(
                f"handler: must return a Response, returned {type(result).__name__}: {result!r}"
            )
        return result

    async def send(self, request: Request) -> Response:
        """Record ``request``, pass it to the handler and return its response.

        Args:
            request: The request.

        Returns:
            The handler's response, with ``request`` (and ``elapsed``) filled in.

        Raises:
            TypeError: ``request`` is not a :class:`Request`, or the handler returned
                something other than a :class:`Response`.
            RuntimeError: The transport is closed.
            freshbooks_async.errors.ReadTimeoutError: The handler took longer than
                ``request.timeout``.
            freshbooks_async.errors.TransportError: Whatever the handler raised.
        """
        if not isinstance(request, Request):
            raise TypeError(f"request: expected Request, got {type(request).__name__}")
        if self._closed:
            raise RuntimeError("MockTransport is closed: create a new transport to send")
        request = await _drain(request)
        self.requests.append(request)
        started = time.monotonic()
        timeout = asyncio.timeout(request.timeout)
        try:
            async with timeout:
                response = await self._call_handler(request)
        except TimeoutError as exc:
            if not timeout.expired():
                raise
            raise ReadTimeoutError(
                "request timed out", method=request.method, url=str(request.url)
            ) from exc
        elapsed = response.elapsed or (time.monotonic() - started)
        return attrs.evolve(response, request=request, elapsed=elapsed)

    @contextlib.asynccontextmanager
    async def stream(self, request: Request) -> AsyncIterator[StreamedResponse]:
        """Like :meth:`send`, but yield the response as a :class:`StreamedResponse`.

        The body the handler returned is served in chunks of the requested size.

        Args:
            request: The request.

        Yields:
            The response.

        Raises:
            TypeError, RuntimeError, freshbooks_async.errors.TransportError: As for
                :meth:`send`.
        """
        response = await self.send(request)
        body = response.body

        async def chunks(size: int) -> AsyncIterator[bytes]:
            for start in range(0, len(body), size):
                yield body[start : start + size]
                await asyncio.sleep(0)

        assert response.request is not None
        yield StreamedResponse(
            status=response.status,
            headers=response.headers,
            request=response.request,
            chunks=chunks,
        )

    async def aclose(self) -> None:
        """Mark the transport closed; later sends raise ``RuntimeError``. Idempotent."""
        self._closed = True

    async def __aenter__(self) -> MockTransport:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"MockTransport({state}, requests={len(self.requests)}, handler={self._handler!r})"
