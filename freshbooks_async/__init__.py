"""freshbooks_async: an asyncio-first, typed SDK for the FreshBooks REST API.

Start with :class:`FreshBooksClient`; its namespaces (``client.invoices``,
``client.clients``, ``client.time_entries``, ...) cover every endpoint. Errors live in
:mod:`freshbooks_async.errors`, typed models in :mod:`freshbooks_async.models`, test
helpers (``MockTransport``, ``Router``, the sandbox) in :mod:`freshbooks_async.testing`.
"""

from . import errors, models, resources
from ._clock import Clock, FakeClock, SystemClock
from ._pipeline import APIResponse, Expect, PageInfo, QueryParams, TokenSource, build_path
from ._version import __version__
from .auth import JSONFileTokenStore, MemoryTokenStore, OAuth2Session, Token, TokenStore
from .bulk import (
    BulkItem,
    BulkProgress,
    BulkResult,
    BulkSend,
    BulkStatus,
    bulk_create_invoices,
)
from .client import DEFAULT_BASE_URL, FreshBooksClient, StaticToken
from .pagination import Page, Paginator
from .query import Query
from .resources import DeleteStyle
from .retry import RetryBudget, RetryPolicy
from .transports import AiohttpTransport, Headers, Request, Response, Transport
from .webhooks import WebhookEvent, verify_signature, webhook_handler

__all__ = [
    "DEFAULT_BASE_URL",
    "APIResponse",
    "AiohttpTransport",
    "BulkItem",
    "BulkProgress",
    "BulkResult",
    "BulkSend",
    "BulkStatus",
    "Clock",
    "DeleteStyle",
    "Expect",
    "FakeClock",
    "FreshBooksClient",
    "Headers",
    "JSONFileTokenStore",
    "MemoryTokenStore",
    "OAuth2Session",
    "Page",
    "PageInfo",
    "Paginator",
    "Query",
    "QueryParams",
    "Request",
    "Response",
    "RetryBudget",
    "RetryPolicy",
    "StaticToken",
    "SystemClock",
    "Token",
    "TokenSource",
    "TokenStore",
    "Transport",
    "WebhookEvent",
    "__version__",
    "build_path",
    "bulk_create_invoices",
    "errors",
    "models",
    "resources",
    "verify_signature",
    "webhook_handler",
]
