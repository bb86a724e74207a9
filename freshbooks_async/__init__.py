"""freshbooks_async: an asyncio-first, typed SDK for the FreshBooks REST API.

Start with :class:`FreshBooksClient`; its namespaces (``client.invoices``,
``client.clients``, ``client.time_entries``, ...) cover every endpoint. Errors live in
:mod:`freshbooks_async.errors`, typed models in :mod:`freshbooks_async.models`, test
helpers (``MockTransport``, ``Router``, the sandbox) in :mod:`freshbooks_async.testing`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from . import coordination, errors, models, resources
    from ._clock import Clock, FakeClock, SystemClock
    from ._pipeline import APIResponse, Expect, TokenSource
    from ._sansio import PageInfo, QueryParams, build_path
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
    from .coordination import Coordinator, InProcessCoordinator
    from .pagination import Checkpoint, Page, Paginator
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
    "Checkpoint",
    "Clock",
    "Coordinator",
    "DeleteStyle",
    "Expect",
    "FakeClock",
    "FreshBooksClient",
    "Headers",
    "InProcessCoordinator",
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
    "coordination",
    "errors",
    "models",
    "resources",
    "verify_signature",
    "webhook_handler",
]

# Where each public name lives. ``import freshbooks_async`` imports none of them: each is
# imported on first use (PEP 562), so the pytest plugin and ``--version`` stay cheap.
_SUBMODULES = frozenset({"coordination", "errors", "models", "resources"})
_HOMES: dict[str, str] = {
    "Clock": "._clock",
    "FakeClock": "._clock",
    "SystemClock": "._clock",
    "APIResponse": "._pipeline",
    "PageInfo": "._sansio",
    "TokenSource": "._pipeline",
    "Expect": "._pipeline",
    "QueryParams": "._sansio",
    "build_path": "._sansio",
    "JSONFileTokenStore": ".auth",
    "MemoryTokenStore": ".auth",
    "OAuth2Session": ".auth",
    "Token": ".auth",
    "TokenStore": ".auth",
    "BulkItem": ".bulk",
    "BulkProgress": ".bulk",
    "BulkResult": ".bulk",
    "BulkSend": ".bulk",
    "BulkStatus": ".bulk",
    "bulk_create_invoices": ".bulk",
    "DEFAULT_BASE_URL": ".client",
    "FreshBooksClient": ".client",
    "StaticToken": ".client",
    "Coordinator": ".coordination",
    "InProcessCoordinator": ".coordination",
    "Checkpoint": ".pagination",
    "Page": ".pagination",
    "Paginator": ".pagination",
    "Query": ".query",
    "DeleteStyle": ".resources",
    "RetryBudget": ".retry",
    "RetryPolicy": ".retry",
    "AiohttpTransport": ".transports",
    "Headers": ".transports",
    "Request": ".transports",
    "Response": ".transports",
    "Transport": ".transports",
    "WebhookEvent": ".webhooks",
    "verify_signature": ".webhooks",
    "webhook_handler": ".webhooks",
}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        value: Any = importlib.import_module(f".{name}", __name__)
    elif name in _HOMES:
        value = getattr(importlib.import_module(_HOMES[name], __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
