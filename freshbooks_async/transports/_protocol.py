"""The transport seam: the only place where bytes meet sockets."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ._types import Request, Response

__all__ = ["Transport"]


@runtime_checkable
class Transport(Protocol):
    """Sends one request and returns its response.

    A transport never retries and never raises for an HTTP status: a 4xx or 5xx is a
    :class:`Response`. It raises only :class:`~freshbooks_async.errors.TransportError`
    subclasses, and keeps apart requests that were certainly not sent
    (:class:`~freshbooks_async.errors.RequestNotSentError`) from those the server may
    have acted on (:class:`~freshbooks_async.errors.RequestMaybeSentError`).
    """

    async def send(self, request: Request) -> Response:
        """Send ``request`` and read the whole response."""
        ...

    async def aclose(self) -> None:
        """Release what the transport owns. Idempotent."""
        ...
