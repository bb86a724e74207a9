"""freshbooks_async: an asyncio-first, typed SDK for the FreshBooks REST API.

Start with :class:`FreshBooksClient`; errors live in :mod:`freshbooks_async.errors`.
"""

from . import errors, resources
from ._clock import Clock, FakeClock, SystemClock
from ._pipeline import APIResponse, PageInfo, TokenSource
from ._version import __version__
from .client import DEFAULT_BASE_URL, FreshBooksClient, StaticToken
from .resources import DeleteStyle
from .retry import RetryBudget, RetryPolicy
from .transports import Headers, Request, Response, Transport

__all__ = [
    "DEFAULT_BASE_URL",
    "APIResponse",
    "Clock",
    "DeleteStyle",
    "FakeClock",
    "FreshBooksClient",
    "Headers",
    "PageInfo",
    "Request",
    "Response",
    "RetryBudget",
    "RetryPolicy",
    "StaticToken",
    "SystemClock",
    "TokenSource",
    "Transport",
    "__version__",
    "errors",
    "resources",
]
