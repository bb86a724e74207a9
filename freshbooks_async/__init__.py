"""freshbooks_async: an asyncio-first, typed SDK for the FreshBooks REST API."""

from . import errors
from ._clock import Clock, FakeClock, SystemClock
from ._version import __version__
from .transports import Headers, Request, Response, Transport

__all__ = [
    "Clock",
    "FakeClock",
    "Headers",
    "Request",
    "Response",
    "SystemClock",
    "Transport",
    "__version__",
    "errors",
]
