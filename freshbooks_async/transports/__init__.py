"""Transports: the I/O seam under the client.

:class:`Transport` is the protocol (``send``, ``stream`` and ``aclose``: a transport that
wraps another delegates all three, so ``fb.stream`` and downloads keep working);
:class:`AiohttpTransport` the default implementation; :class:`MockTransport` answers
from a function, for tests, and :class:`Router` is a handler for it that scripts answers
per route.
"""

from typing import TYPE_CHECKING, Any

from ._mock import MockHandler, MockTransport
from ._protocol import Transport
from ._router import Route, RouteCallback, Router, RouteResponse
from ._streamed import StreamedResponse
from ._types import BodyStream, Headers, Request, Response

if TYPE_CHECKING:
    from ._aiohttp import DEFAULT_MAX_RESPONSE_SIZE, AiohttpTransport

__all__ = [
    "DEFAULT_MAX_RESPONSE_SIZE",
    "AiohttpTransport",
    "BodyStream",
    "Headers",
    "MockHandler",
    "MockTransport",
    "Request",
    "Response",
    "Route",
    "RouteCallback",
    "RouteResponse",
    "Router",
    "StreamedResponse",
    "Transport",
]


def __getattr__(name: str) -> Any:
    # The aiohttp transport (and aiohttp itself) is imported on first use, not with the
    # package: a client given another transport never imports aiohttp.
    if name in ("AiohttpTransport", "DEFAULT_MAX_RESPONSE_SIZE"):
        from . import _aiohttp

        value = getattr(_aiohttp, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
