"""freshbooks_async: an asyncio-first, typed SDK for the FreshBooks REST API."""

from . import errors
from ._clock import Clock, FakeClock, SystemClock
from .transports import Headers, Request, Response, Transport

__version__ = "0.1.0"

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
