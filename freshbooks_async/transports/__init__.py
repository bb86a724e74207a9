"""Transports: the I/O seam under the client.

:class:`Transport` is the protocol (``send``, ``stream`` and ``aclose``: a transport that
wraps another delegates all three, so ``fb.stream`` and downloads keep working);
:class:`AiohttpTransport` the default implementation; :class:`MockTransport` answers
from a function, for tests, and :class:`Router` is a handler for it that scripts answers
per route.
"""

from ._aiohttp import DEFAULT_MAX_RESPONSE_SIZE, AiohttpTransport
from ._mock import MockHandler, MockTransport
from ._protocol import Transport
from ._router import Route, RouteCallback, Router, RouteResponse
from ._streamed import StreamedResponse
from ._types import BodyStream, Headers, Request, Response

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
