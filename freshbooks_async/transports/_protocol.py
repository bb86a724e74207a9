"""The transport seam: the only place where bytes meet sockets."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol, runtime_checkable

from ._streamed import StreamedResponse
from ._types import Request, Response

__all__ = ["Transport", "missing_methods"]


@runtime_checkable
class Transport(Protocol):
    """Sends one request and returns its response, whole (:meth:`send`) or streamed
    (:meth:`stream`).

    A transport never retries and never raises for an HTTP status: a 4xx or 5xx is a
    :class:`Response`. It raises only :class:`~freshbooks_async.errors.TransportError`
    subclasses, and keeps apart requests that were certainly not sent
    (:class:`~freshbooks_async.errors.RequestNotSentError`) from those the server may
    have acted on (:class:`~freshbooks_async.errors.RequestMaybeSentError`).

    A transport that wraps another (to log, to trace, to record) delegates all three
    methods; ``stream`` is what ``FreshBooksClient.stream`` and uploads'
    ``download_to`` use::

        class LoggingTransport:
            def __init__(self, inner: Transport) -> None:
                self.inner = inner

            async def send(self, request: Request) -> Response:
                log.info("%s %s", request.method, request.url.path)
                return await self.inner.send(request)

            @contextlib.asynccontextmanager
            async def stream(self, request: Request) -> AsyncIterator[StreamedResponse]:
                log.info("%s %s (streamed)", request.method, request.url.path)
                async with self.inner.stream(request) as response:
                    yield response

            async def aclose(self) -> None:
                await self.inner.aclose()
    """

    async def send(self, request: Request) -> Response:
        """Send ``request`` and read the whole response."""
        ...

    def stream(self, request: Request) -> AbstractAsyncContextManager[StreamedResponse]:
        """Send ``request``; the context manager's value is the response with its body
        not yet read (:class:`StreamedResponse`). Leaving the block releases what the
        response holds (the connection), whether the body was read or not. Errors are
        those of :meth:`send`, raised on entering the block, or while reading the body."""
        ...

    async def aclose(self) -> None:
        """Release what the transport owns. Idempotent."""
        ...


def missing_methods(transport: object) -> list[str]:
    """The :class:`Transport` methods ``transport`` lacks (none: it is a transport)."""
    return [
        name
        for name in ("send", "stream", "aclose")
        if not callable(getattr(transport, name, None))
    ]
