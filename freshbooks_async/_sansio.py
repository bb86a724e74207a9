"""The wire knowledge of the API, without I/O: bytes and JSON in, values out.

Like gidgethub's ``sansio`` module, nothing here sends, awaits or reads a clock: these
are the pure functions that know every wire shape of docs/protocol.rst -- which envelope
each API family wraps its bodies in (:func:`envelope_for_path`, :func:`unwrap`), how ids
become path segments (:func:`build_path`, the ``check_*`` functions), how query values
are written (:func:`render_query`), where the page metadata is (:func:`page_info`), what
an error body says (:func:`parse_error`) and which exception an error response is
(:func:`api_error`). :mod:`freshbooks_async._pipeline` does the sending with them; tests
call them on plain values, with no transport, client or event loop.
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final, TypeAlias

import attrs

from ._json import JSONNestingError
from ._json import loads as load_json
from ._route import templated
from ._validate import check_path_segment
from .errors import (
    APIError,
    ErrorDetail,
    InvalidGrantError,
    InvoiceNumberConflictError,
    OAuthError,
    RateLimitError,
    ResponseDecodeError,
    error_class_for_status,
)
from .transports import Response

__all__ = [
    "JSON_ENCODER",
    "Envelope",
    "PageInfo",
    "ParsedError",
    "QueryParams",
    "api_error",
    "build_path",
    "check_account_id",
    "check_business_id",
    "check_business_uuid",
    "decode_error",
    "envelope_for_path",
    "page_info",
    "parse_error",
    "render_query",
    "unwrap",
]

QueryParams: TypeAlias = Mapping[str, object] | Sequence[tuple[str, object]]
"""Query parameters of :meth:`FreshBooksClient.request <freshbooks_async.FreshBooksClient.request>`:
a mapping or a sequence of pairs (pairs allow repeated keys such as
``search[clientids][]``). Values: str, int, Decimal, bool, date or datetime."""


class Envelope(enum.Enum):
    """The body shapes of the API's families (docs/protocol.rst, "Envelopes per family")."""

    ACCOUNTING = "accounting"  # {"response": {"result": ...}} / {"response": {"errors": []}}
    LEDGER = "ledger"  # {"data": ...} / {"errors": {"message", "details"}}
    EVENTS = "events"  # accounting envelope / {"errno", "message", "details"}
    PROJECT = "project"  # flat {...} + "meta" / {"error"...}
    AUTH = "auth"  # {"response": ...} / {"error", "error_description"}
    OAUTH = "oauth"  # flat / {"error", "error_description"}
    PAYMENTS = "payments"  # flat / {"errors": [...]} | {"message"} | {"error_type", "message"}
    UPLOADS = "uploads"  # flat / {"error": "..."}


_PREFIXES: tuple[tuple[str, Envelope], ...] = (
    ("/accounting/account/", Envelope.ACCOUNTING),
    ("/accounting/businesses/", Envelope.LEDGER),
    ("/accounting/ledger_accounts/", Envelope.LEDGER),
    ("/events/", Envelope.EVENTS),
    ("/projects/", Envelope.PROJECT),
    ("/timetracking/", Envelope.PROJECT),
    ("/comments/", Envelope.PROJECT),
    ("/auth/oauth/", Envelope.OAUTH),
    ("/auth/api/", Envelope.AUTH),
    ("/payments/", Envelope.PAYMENTS),
    ("/uploads/", Envelope.UPLOADS),
)


def envelope_for_path(path: str) -> Envelope:
    """The envelope family of an API path (``/accounting/account/...`` and so on)."""
    if path.startswith("/accounting/businesses/") and "/reports/" in path:
        # Business-uuid reports answer in the accounting report shape, not the ledger one
        # (docs/protocol.rst, "Families and base paths"; DOCS:general-ledger-report).
        return Envelope.ACCOUNTING
    for prefix, envelope in _PREFIXES:
        if path.startswith(prefix):
            return envelope
    raise ValueError(f"path: no FreshBooks API family serves {path!r}")


# --------------------------------------------------------------------------- arguments


def check_account_id(account_id: object, name: str = "account_id") -> str:
    """Validate an accounting ``account_id`` (a non-empty string such as ``"ABC123"``)."""
    if not isinstance(account_id, str):
        raise TypeError(
            f"{name}: expected str (e.g. 'ABC123'), got {type(account_id).__name__}: {account_id!r}"
        )
    if not account_id.strip() or account_id != account_id.strip():
        raise ValueError(f"{name}: must be a non-empty id without spaces, got {account_id!r}")
    return account_id


def check_business_id(business_id: object, name: str = "business_id") -> int:
    """Validate a ``business_id`` (a positive int, as in ``users/me``)."""
    if isinstance(business_id, bool) or not isinstance(business_id, int):
        raise TypeError(f"{name}: expected int, got {type(business_id).__name__}: {business_id!r}")
    if business_id <= 0:
        raise ValueError(f"{name}: must be a positive int, got {business_id!r}")
    return business_id


def check_business_uuid(business_uuid: object, name: str = "business_uuid") -> str:
    """Validate a ``business_uuid`` (a non-empty string, usually a UUID)."""
    if not isinstance(business_uuid, str):
        raise TypeError(
            f"{name}: expected str, got {type(business_uuid).__name__}: {business_uuid!r}"
        )
    if not business_uuid.strip() or business_uuid != business_uuid.strip():
        raise ValueError(f"{name}: must be a non-empty id without spaces, got {business_uuid!r}")
    return business_uuid


def build_path(template: str, **params: object) -> str:
    """Fill ``{name}`` placeholders of a path template with ids, each one path segment.

    Each value is checked before it is used:
    an id that would change the path (``".."``, a ``/``, ``?``, ``%``...) is refused
    with a ``ValueError`` naming the placeholder, before anything is sent.

    >>> build_path("/accounting/account/{account_id}/users/clients/{id}", account_id="A1", id=7)
    '/accounting/account/A1/users/clients/7'
    """
    try:
        path = template.format_map({k: check_path_segment(k, v) for k, v in params.items()})
    except KeyError as exc:
        raise ValueError(f"path template {template!r} needs {exc.args[0]!r}") from None
    # The path carries its template, for event hooks (see freshbooks_async._route).
    return templated(path, template)


def _query_value(key: str, value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"query {key}: must be finite, got {value!r}")
        return format(value, "f")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"query {key}: must be finite, got {value!r}")
        return repr(value)
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return _query_value(key, value.value)
    raise TypeError(f"query {key}: unsupported value {type(value).__name__}: {value!r}")


def render_query(params: QueryParams | None) -> list[tuple[str, str]]:
    """Turn query parameters into ``(key, text)`` pairs, in order; ``None`` values are
    dropped and list values repeat the key. Encoding happens when the URL is built."""
    if not params:
        return []
    items: Iterable[tuple[str, object]] = params.items() if isinstance(params, Mapping) else params
    out: list[tuple[str, str]] = []
    for key, value in items:
        if not isinstance(key, str) or not key:
            raise TypeError(f"query: keys must be non-empty str, got {key!r}")
        if value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            out.extend((key, _query_value(key, v)) for v in value)
        else:
            out.append((key, _query_value(key, value)))
    return out


# --------------------------------------------------------------------------- envelopes


@attrs.frozen
class PageInfo:
    """Where a list response sits in its collection.

    Attributes:
        page: This page's number (1-based).
        pages: How many pages there are (``None`` if the API did not say).
        per_page: Items per page.
        total: Items in the whole collection.
    """

    page: int
    pages: int | None
    per_page: int
    total: int | None


def decode_error(message: str, response: Response) -> ResponseDecodeError:
    """The :class:`~freshbooks_async.errors.ResponseDecodeError` for ``response``, a body
    that is not what the API promises (``message`` says what was expected)."""
    request = response.request
    return ResponseDecodeError(
        message,
        status=response.status,
        body=response.body,
        method=request.method if request else "",
        path=request.url.path if request else "",
    )


#: The envelopes unwrap() tells apart, as module constants: an enum member read through
#: its class costs ~75 ns on Python 3.11, a global ~5 ns.
_ACCOUNTING: Final = Envelope.ACCOUNTING
_EVENTS: Final = Envelope.EVENTS
_LEDGER: Final = Envelope.LEDGER
_AUTH: Final = Envelope.AUTH


def unwrap(envelope: Envelope, document: Any, response: Response) -> Any:
    """The payload of a successful response: what the family's envelope wraps.

    Raises:
        ResponseDecodeError: The document is not in the family's success shape.
    """
    if envelope is _ACCOUNTING or envelope is _EVENTS:
        inner = document.get("response") if isinstance(document, dict) else None
        if isinstance(inner, dict) and "result" in inner:
            return inner["result"]
        raise decode_error(
            f"expected {{'response': {{'result': ...}}}} ({envelope.value})", response
        )
    if envelope is _LEDGER:
        if isinstance(document, dict) and "data" in document:
            return document["data"]
        raise decode_error("expected {'data': ...} (ledger)", response)
    if envelope is _AUTH:
        if isinstance(document, dict) and "response" in document:
            return document["response"]
        raise decode_error("expected {'response': ...} (auth)", response)
    if not isinstance(document, dict | list):
        raise decode_error(f"expected a JSON object ({envelope.value})", response)
    return document


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def page_info(document: Any, payload: Any) -> PageInfo | None:
    """Page metadata from a list response, whatever the family.

    Accounting and events carry ``page/pages/per_page/total`` beside the list in
    ``result``; project-like families and team members carry a ``meta`` block; ledger
    lists are unpaginated (``None``).
    """
    block: Any = None
    if isinstance(payload, dict) and "page" in payload:
        block = payload
    elif isinstance(document, dict) and isinstance(document.get("meta"), dict):
        block = document["meta"]
    if block is None:
        return None
    page = _int(block.get("page"))
    per_page = _int(block.get("per_page"))
    if page is None or per_page is None:
        return None
    total = _int(block.get("total"))
    pages = _int(block.get("pages"))
    if pages is None and total is not None and per_page > 0:
        pages = max(1, math.ceil(total / per_page))
    return PageInfo(page=page, pages=pages, per_page=per_page, total=total)


@attrs.frozen
class ParsedError:
    """An error body, normalised across families."""

    message: str
    errno: int | None = None
    details: tuple[ErrorDetail, ...] = ()
    oauth_error: str | None = None


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, default=str)


def _detail_from_accounting(item: Mapping[str, Any]) -> ErrorDetail:
    return ErrorDetail(
        message=_text(item.get("message")) or "",
        field=_text(item.get("field")),
        errno=_int(item.get("errno")),
        object=_text(item.get("object")),
        value=_text(item.get("value")),
    )


def _details_from_rpc(details: Sequence[Any]) -> list[ErrorDetail]:
    out: list[ErrorDetail] = []
    for item in details:
        if isinstance(item, str):  # events: "field: message"
            field, sep, message = item.partition(": ")
            out.append(ErrorDetail(message=message if sep else item, field=field if sep else None))
        elif isinstance(item, dict):
            meta: dict[str, Any] = (
                item["metadata"] if isinstance(item.get("metadata"), dict) else {}
            )
            reason = _text(item.get("reason"))
            for violation in item.get("fieldViolations") or ():
                if isinstance(violation, dict):
                    out.append(
                        ErrorDetail(
                            message=_text(violation.get("description")) or "",
                            field=_text(violation.get("field")),
                        )
                    )
            if meta or reason:
                out.append(
                    ErrorDetail(
                        message=_text(meta.get("message")) or reason or "",
                        field=_text(meta.get("field")),
                        errno=_int(reason),
                        object=_text(meta.get("object")),
                        value=_text(meta.get("value")),
                        reason=reason,
                    )
                )
    return out


def parse_error(document: Any) -> ParsedError | None:
    """Normalise any family's error body; ``None`` if unrecognised.

    Shapes are tried from the most to the least specific, so a body is understood even
    when it comes back on a family that does not usually use it, as the auth 401 body
    does (docs/protocol.rst, "Error bodies and status codes").
    """
    if not isinstance(document, dict):
        return None
    # accounting: {"response": {"errors": [{"errno", "field", "message", "object", "value"}]}}
    response = document.get("response")
    if isinstance(response, dict) and isinstance(response.get("errors"), list):
        details = [_detail_from_accounting(e) for e in response["errors"] if isinstance(e, dict)]
        first = details[0] if details else ErrorDetail(message="")
        return ParsedError(first.message or "unknown error", first.errno, tuple(details))
    # oauth/auth: {"error": "invalid_grant", "error_description": "..."}
    if isinstance(document.get("error"), str) and "error_description" in document:
        code = document["error"]
        return ParsedError(
            _text(document.get("error_description")) or code, None, (), oauth_error=code
        )
    errors = document.get("errors")
    # ledger: {"errors": {"message", "status", "details": [{"reason", "metadata"}]}}
    if isinstance(errors, dict):
        details = _details_from_rpc(errors.get("details") or ())
        # The first detail's reason ("name: This field is required.") says more than the
        # generic "Request failed with status code 400".
        lead = details[0] if details else None
        message = (lead.reason or lead.message) if lead else _text(errors.get("message")) or ""
        return ParsedError(message or "unknown error", _int(errors.get("errno")), tuple(details))
    # payments: {"errors": [{"field", "message"}]}
    if isinstance(errors, list):
        details = [_detail_from_accounting(e) for e in errors if isinstance(e, dict)]
        first = details[0] if details else ErrorDetail(message="")
        return ParsedError(first.message or "unknown error", first.errno, tuple(details))
    error = document.get("error")
    # projects validation: {"errno": 2001, "error": {"field": "message"}} or {title, description}
    if isinstance(error, dict):
        if "title" in error or "description" in error:
            message = _text(error.get("description")) or _text(error.get("title")) or ""
            details = [ErrorDetail(message=message)]
        else:
            details = [ErrorDetail(message=_text(v) or "", field=k) for k, v in error.items()]
            message = "; ".join(f"{d.field}: {d.message}" for d in details)
        return ParsedError(message or "unknown error", _int(document.get("errno")), tuple(details))
    # projects / uploads: {"error": "Requested resource could not be found."}
    if isinstance(error, str):
        return ParsedError(error, _int(document.get("errno")))
    # google.rpc style {"code", "message", "details"} and events {"errno", "message", "details"}
    if "message" in document:
        details = _details_from_rpc(document.get("details") or ())
        errno = _int(document.get("errno"))
        if errno is None:
            errno = next((d.errno for d in details if d.errno is not None), None)
        if errno is None:
            errno = _int(document.get("code"))
        message = _text(document.get("message")) or ""
        # The google.rpc body's own message is generic ("Request failed with status_code:
        # 404"); its first detail says what failed ("Client not found."), as the official
        # SDKs report it.
        specific = next((d.message for d in details if d.message), None)
        if specific and "code" in document and "errno" not in document:
            message = specific
        if "error_type" in document:  # payments (NODE): {"error_type", "message"}
            code = _text(document["error_type"]) or ""
            details = [ErrorDetail(message=message, reason=code or None), *details]
        return ParsedError(message or "unknown error", errno, tuple(details))
    return None


# --------------------------------------------------------------------------- request bodies


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"request body: {type(value).__name__} is not JSON serialisable: {value!r}")


#: One encoder for every JSON body (``json.dumps`` with options builds one per call).
JSON_ENCODER: Final = json.JSONEncoder(separators=(",", ":"), default=_json_default)


# --------------------------------------------------------------------------- errors


def api_error(
    response: Response,
    envelope: Envelope,
    retries: int,
    retry_after: float | None,
    retry_refused: str | None = None,
) -> APIError | ResponseDecodeError:
    """The exception for an error ``response`` of the ``envelope`` family, by its status
    and body: the status's :class:`~freshbooks_async.errors.APIError` subclass, OAuth
    errors (:class:`~freshbooks_async.errors.InvalidGrantError`) for the token endpoint,
    :class:`~freshbooks_async.errors.InvoiceNumberConflictError` for a 409 on an invoice
    create; a :class:`~freshbooks_async.errors.ResponseDecodeError` for a body nested too
    deeply to read. ``retries``, ``retry_after`` and ``retry_refused`` are recorded on it.
    Returned, not raised: the caller raises it (and scrubs it of the call's secrets)."""
    request = response.request
    method = request.method if request else ""
    path = request.url.path if request else ""
    parsed: ParsedError | None = None
    try:
        parsed = parse_error(load_json(response.body)) if response.body.strip() else None
    except (JSONNestingError, RecursionError):
        # Not an error body FreshBooks sends: refuse it as one would a success body.
        # (RecursionError: a document just shallow enough to decode can still be too
        # deep to re-encode a field of, in _text.)
        refused = decode_error(
            f"error response (HTTP {response.status}) JSON is nested too deeply to decode",
            response,
        )
        refused.retries_taken = retries
        return refused
    except ValueError:
        parsed = None
    if parsed is None:
        reason = "empty body" if not response.body.strip() else "body is not a known error shape"
        parsed = ParsedError(f"HTTP {response.status} ({reason})")
    status = response.status
    cls = error_class_for_status(status)
    kwargs: dict[str, Any] = {
        "status": status,
        "errno": parsed.errno,
        "details": parsed.details,
        "request_id": response.headers.get("X-Request-Id") or response.headers.get("Request-Id"),
        "method": method,
        "path": path,
        "body": response.body,
        "retries_taken": retries,
        "retry_refused": retry_refused,
    }
    message = parsed.message  # secrets are scrubbed from the whole error by the caller
    if parsed.oauth_error is not None and envelope is Envelope.OAUTH and status < 500:
        oauth_cls = InvalidGrantError if parsed.oauth_error == "invalid_grant" else OAuthError
        if oauth_cls is InvalidGrantError:
            message += (
                " (the code or refresh token was already used, expired or was revoked:"
                " send the user through authorization again)"
            )
        return oauth_cls(message, error=parsed.oauth_error, **kwargs)
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=retry_after, **kwargs)
    if status == 409 and method == "POST" and path.rstrip("/").endswith("/invoices/invoices"):
        # FreshBooks answers 409 when concurrent creates take the same invoice number
        # (docs/protocol.rst, "Invoice numbering and the 409 race").
        return InvoiceNumberConflictError(message, **kwargs)
    return cls(message, **kwargs)
