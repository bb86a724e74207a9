"""FreshBooks webhooks: callback registration, signature checks, events, and receivers for
aiohttp (:func:`webhook_handler`) and for any ASGI framework (:func:`asgi_webhook_app`).

FreshBooks delivers each event as a form-encoded POST (fields ``name``, ``object_id``,
``account_id``, ``business_id``, ``identity_id``, ``user_id``) signed in the
``X-FreshBooks-Hmac-SHA256`` header: base64 of HMAC-SHA256, keyed by the callback's
verifier, over Python's default ``json.dumps`` of the form fields in the order sent
(docs/protocol.rst, "Webhooks"). A new callback is unverified until the app echoes the
verifier that FreshBooks POSTs to it (the handshake, ``name=callback.verify``)::

    callbacks = Callbacks(fb)
    handler = webhook_handler(
        verifier=lambda fields: lookup_verifier(fields["account_id"]),
        on_event=handle_event,
        on_verification=lambda v: callbacks.verify(v.account_id, v.callback_id, v.verifier),
    )
    app.router.add_post("/webhooks/freshbooks", handler)
    await callbacks.create(account_id, "invoice.create", "https://app.example/webhooks/freshbooks")
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import inspect
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any, Final, TypeAlias
from urllib.parse import parse_qsl

import attrs
import yarl

from ._sansio import PageInfo, build_path, check_account_id
from ._secrets import secret_scope
from .errors import ResponseDecodeError

if TYPE_CHECKING:
    from aiohttp import web

    from .client import FreshBooksClient

__all__ = [
    "DEFAULT_MAX_BODY",
    "SIGNATURE_HEADER",
    "VERIFY_EVENT",
    "ASGIApp",
    "Callback",
    "CallbackPage",
    "Callbacks",
    "VerificationRequest",
    "VerifierSource",
    "WebhookEvent",
    "WebhookPayloadError",
    "asgi_webhook_app",
    "compute_signature",
    "parse_event",
    "parse_form",
    "parse_verification",
    "verify_signature",
    "webhook_handler",
]

logger = logging.getLogger("freshbooks_async.webhooks")

#: The header FreshBooks signs deliveries in (docs/protocol.rst, "Webhooks").
SIGNATURE_HEADER: Final = "X-FreshBooks-Hmac-SHA256"
#: The largest delivery body the handler reads (bytes); FreshBooks' are a few hundred.
DEFAULT_MAX_BODY: Final = 64 * 1024
#: The event name of the verification handshake.
VERIFY_EVENT: Final = "callback.verify"

_CALLBACKS: Final = "/events/account/{account_id}/events/callbacks"
_CALLBACK: Final = "/events/account/{account_id}/events/callbacks/{id}"

FormFields: TypeAlias = Mapping[str, str] | Sequence[tuple[str, str]] | bytes


class WebhookPayloadError(ValueError):
    """A delivery's fields are not a FreshBooks webhook (missing or malformed field)."""


# --------------------------------------------------------------------------- signatures


def parse_form(body: bytes) -> list[tuple[str, str]]:
    """Parse a form-encoded body into ``(name, value)`` pairs, in order.

    Raises:
        TypeError: ``body`` is not bytes.
        WebhookPayloadError: The body is not UTF-8 form data, or repeats a field.
    """
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError(f"body: expected bytes, got {type(body).__name__}")
    try:
        text = bytes(body).decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text))
    except (UnicodeDecodeError, ValueError):
        raise WebhookPayloadError("body: not UTF-8 application/x-www-form-urlencoded") from None
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names):
        raise WebhookPayloadError("body: a form field is repeated; FreshBooks sends each once")
    return pairs


def _pairs(name: str, fields: object) -> list[tuple[str, str]]:
    if isinstance(fields, bytes | bytearray | memoryview):
        return parse_form(bytes(fields))
    if isinstance(fields, Mapping):
        items = list(fields.items())
    elif isinstance(fields, Sequence) and not isinstance(fields, str):
        items = list(fields)
    else:
        raise TypeError(
            f"{name}: expected a mapping, (name, value) pairs or the raw body bytes, "
            f"got {type(fields).__name__}"
        )
    out: list[tuple[str, str]] = []
    for item in items:
        if (
            not isinstance(item, tuple)
            or len(item) != 2
            or not isinstance(item[0], str)
            or not isinstance(item[1], str)
        ):
            raise TypeError(f"{name}: fields must be str -> str, got {item!r}")
        out.append(item)
    return out


def _check_verifier(verifier: object) -> bytes:
    if not isinstance(verifier, str):
        raise TypeError(f"verifier: expected str, got {type(verifier).__name__}")
    if not verifier:
        raise ValueError("verifier: must be a non-empty string")
    return verifier.encode("utf-8")


def compute_signature(body_fields: FormFields, verifier: str) -> str:
    """The signature FreshBooks sends for ``body_fields``.

    ``base64(HMAC-SHA256(key=verifier, msg=json.dumps(dict(fields))))``, with Python's
    default ``json.dumps`` spacing and ASCII escaping, fields in the order sent.

    Args:
        body_fields: The form fields: a mapping, ``(name, value)`` pairs, or the raw
            ``application/x-www-form-urlencoded`` body.
        verifier: The callback's verifier (the signing key).

    Returns:
        The base64 signature.
    """
    key = _check_verifier(verifier)
    message = json.dumps(dict(_pairs("body_fields", body_fields))).encode("utf-8")
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode("ascii")


def verify_signature(body_fields: FormFields, signature: str | None, verifier: str) -> bool:
    """Whether ``signature`` is FreshBooks' signature of ``body_fields`` under ``verifier``.

    The comparison takes constant time. A missing, empty or non-ASCII signature, or a
    body that is not form data, is simply invalid.

    Args:
        body_fields: The form fields (see :func:`compute_signature`).
        signature: The ``X-FreshBooks-Hmac-SHA256`` header value.
        verifier: The callback's verifier.

    Raises:
        TypeError: An argument has the wrong type.
        ValueError: ``verifier`` is empty.
    """
    _check_verifier(verifier)
    if signature is None:
        return False
    if not isinstance(signature, str):
        raise TypeError(f"signature: expected str or None, got {type(signature).__name__}")
    try:
        expected = compute_signature(body_fields, verifier)
        given = signature.strip().encode("ascii")
    except (WebhookPayloadError, UnicodeEncodeError):
        return False
    return bool(given) and hmac.compare_digest(expected.encode("ascii"), given)


# --------------------------------------------------------------------------- events


def _opt_int(fields: Mapping[str, str], name: str) -> int | None:
    value = fields.get(name)
    if value is None or value == "":
        return None
    if not value.isascii() or not value.isdigit():
        raise WebhookPayloadError(f"{name}: expected an integer, got {value!r}")
    return int(value)


@attrs.frozen(kw_only=True)
class WebhookEvent:
    """One event FreshBooks delivered.

    Attributes:
        name: The event name, ``noun.verb`` (``invoice.create``).
        resource: The noun (``invoice``).
        action: The verb (``create``; ``""`` for a bare noun).
        object_id: The id of the object the event is about.
        account_id: The accounting account id.
        business_id: The business id, when sent.
        identity_id: The identity that caused the event, when sent.
        user_id: The legacy user id, when sent.
        fields: Every form field as delivered (unknown ones included).
    """

    name: str
    resource: str
    action: str
    object_id: int
    account_id: str
    business_id: int | None = None
    identity_id: int | None = None
    user_id: int | None = None
    fields: Mapping[str, str] = attrs.field(factory=dict, repr=False)


@attrs.frozen(kw_only=True)
class VerificationRequest:
    """The handshake FreshBooks sends to a new callback's URI.

    Attributes:
        callback_id: The callback to verify.
        verifier: The code to send back with :meth:`Callbacks.verify` (a secret: not in
            ``repr``).
        account_id: The account the callback belongs to.
        fields: Every form field as delivered.
    """

    callback_id: int
    verifier: str = attrs.field(repr=False)
    account_id: str | None = None
    fields: Mapping[str, str] = attrs.field(factory=dict, repr=False)


def parse_event(body_fields: FormFields) -> WebhookEvent:
    """Parse a delivery's form fields into a :class:`WebhookEvent`.

    Check the signature first (:func:`verify_signature`); this only reads fields.

    Raises:
        WebhookPayloadError: A required field (``name``, ``object_id``, ``account_id``)
            is missing or a numeric field is not a number.
    """
    fields = dict(_pairs("body_fields", body_fields))
    name = fields.get("name", "")
    if not name:
        raise WebhookPayloadError("name: missing (expected an event such as 'invoice.create')")
    resource, _, action = name.partition(".")
    object_id = _opt_int(fields, "object_id")
    if object_id is None:
        raise WebhookPayloadError("object_id: missing")
    account_id = fields.get("account_id", "")
    if not account_id:
        raise WebhookPayloadError("account_id: missing")
    return WebhookEvent(
        name=name,
        resource=resource,
        action=action,
        object_id=object_id,
        account_id=account_id,
        business_id=_opt_int(fields, "business_id"),
        identity_id=_opt_int(fields, "identity_id"),
        user_id=_opt_int(fields, "user_id"),
        fields=fields,
    )


def parse_verification(body_fields: FormFields) -> VerificationRequest | None:
    """The handshake in a delivery, or ``None`` if it is not one.

    A handshake carries a ``verifier`` field; the callback id is in ``object_id``
    (``name=callback.verify``) or ``callback_id`` (docs/protocol.rst, "Webhooks").

    Raises:
        WebhookPayloadError: It carries a verifier but no usable callback id.
    """
    fields = dict(_pairs("body_fields", body_fields))
    verifier = fields.get("verifier")
    if not verifier:
        return None
    callback_id = _opt_int(fields, "callback_id")
    if callback_id is None:
        callback_id = _opt_int(fields, "object_id")
    if callback_id is None:
        raise WebhookPayloadError("callback_id: a verification request must name its callback")
    return VerificationRequest(
        callback_id=callback_id,
        verifier=verifier,
        account_id=fields.get("account_id") or None,
        fields=fields,
    )


# --------------------------------------------------------------------------- handler

#: Where the handler gets the verifiers to check a delivery with. One verifier, several
#: (one per callback), or a function of the delivery's fields returning them.
VerifierSource: TypeAlias = (
    str
    | Sequence[str]
    | Callable[
        [Mapping[str, str]], "Awaitable[str | Sequence[str] | None] | str | Sequence[str] | None"
    ]
)


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def _candidates(source: VerifierSource, fields: Mapping[str, str]) -> list[str]:
    value: Any = source
    if callable(source):
        value = await _maybe_await(source(fields))
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [v for v in value if isinstance(v, str) and v]


#: Reads at most ``limit + 1`` bytes of the body; ``None`` once it proves longer than ``limit``.
_BodyReader: TypeAlias = Callable[[int], Awaitable[bytes | None]]

# ASGI 3 types, as Starlette and FastAPI spell them (no dependency on either).
ASGIScope: TypeAlias = MutableMapping[str, Any]
ASGIMessage: TypeAlias = MutableMapping[str, Any]
ASGIReceive: TypeAlias = Callable[[], Awaitable[ASGIMessage]]
ASGISend: TypeAlias = Callable[[ASGIMessage], Awaitable[None]]
ASGIApp: TypeAlias = Callable[[ASGIScope, ASGIReceive, ASGISend], Awaitable[None]]


@attrs.frozen
class _Receiver:
    """What every webhook endpoint does, whatever the web framework: a delivery in, a status
    and a text out. The aiohttp handler and the ASGI app are thin adapters around it."""

    verifier: VerifierSource
    on_event: Callable[[WebhookEvent], Awaitable[None]]
    on_verification: Callable[[VerificationRequest], Awaitable[object]] | None
    max_body: int

    @classmethod
    def checked(
        cls,
        verifier: VerifierSource,
        on_event: Callable[[WebhookEvent], Awaitable[None]],
        on_verification: Callable[[VerificationRequest], Awaitable[object]] | None,
        max_body: int,
    ) -> _Receiver:
        if isinstance(verifier, str):
            _check_verifier(verifier)
        elif not callable(verifier) and not (
            isinstance(verifier, Sequence) and all(isinstance(v, str) and v for v in verifier)
        ):
            raise TypeError("verifier: expected a str, a sequence of str or a callable")
        if not callable(on_event):
            raise TypeError(f"on_event: expected an async callable, got {type(on_event).__name__}")
        if on_verification is not None and not callable(on_verification):
            raise TypeError("on_verification: expected an async callable or None")
        if isinstance(max_body, bool) or not isinstance(max_body, int):
            raise TypeError(f"max_body: expected int, got {type(max_body).__name__}")
        if max_body < 1:
            raise ValueError(f"max_body: must be >= 1, got {max_body!r}")
        return cls(verifier, on_event, on_verification, max_body)

    async def respond(
        self,
        *,
        method: str,
        content_type: str,
        signature: str | None,
        content_length: int | None,
        read: _BodyReader,
    ) -> tuple[int, str]:
        """The status and text to answer a delivery with (the body read through ``read``)."""
        if method != "POST":
            return 405, "method not allowed"
        if not signature and self.on_verification is None:
            return 401, "missing signature"
        if content_type != "application/x-www-form-urlencoded":
            return 415, "expected application/x-www-form-urlencoded"
        if content_length is not None and content_length > self.max_body:
            return 413, "body too large"
        body = await read(self.max_body)
        if body is None or len(body) > self.max_body:
            return 413, "body too large"
        try:
            fields = parse_form(body)
            handshake = parse_verification(fields)
        except WebhookPayloadError as exc:
            return 400, str(exc)
        if handshake is not None:
            if self.on_verification is None:
                return 401, "verification not handled here"
            try:
                await self.on_verification(handshake)
            except Exception:
                logger.exception(
                    "webhook verification hook failed (callback %d)", handshake.callback_id
                )
                return 500, "verification failed"
            return 200, "verified"
        if not signature:
            return 401, "missing signature"
        mapping = dict(fields)
        keys = await _candidates(self.verifier, mapping)
        if not any(verify_signature(fields, signature, key) for key in keys):
            logger.info("webhook delivery with a bad signature refused (%s)", mapping.get("name"))
            return 401, "bad signature"
        try:
            event = parse_event(fields)
        except WebhookPayloadError as exc:
            return 400, str(exc)
        try:
            await self.on_event(event)
        except Exception:
            logger.exception("webhook event handler failed for %s %s", event.name, event.object_id)
            return 500, "event handler failed"
        return 200, "ok"


def webhook_handler(
    *,
    verifier: VerifierSource,
    on_event: Callable[[WebhookEvent], Awaitable[None]],
    on_verification: Callable[[VerificationRequest], Awaitable[object]] | None = None,
    max_body: int = DEFAULT_MAX_BODY,
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """An aiohttp request handler for FreshBooks webhook deliveries.

    * A body longer than ``max_body`` gets 413 and no more of it is read; a body that is
      not form data gets 400 (415 for another content type, 405 for another method).
    * A handshake (a ``verifier`` field) is handed to ``on_verification``, whose job is
      to call :meth:`Callbacks.verify`; 200 on success.
    * Any other delivery must carry a valid ``X-FreshBooks-Hmac-SHA256`` signature from
      one of the verifiers (compared in constant time), else 401 (a missing header is
      refused before the body is read). A verified event is parsed and awaited in
      ``on_event``; 200 when it returns, 500 if it raises (FreshBooks may then deliver
      it again).

    For Starlette, FastAPI or any other ASGI framework, :func:`asgi_webhook_app` does
    the same.

    Args:
        verifier: The verifier(s) to check signatures with, or a function of the
            delivery's fields (sync or async) returning them, e.g. looked up by
            ``fields["account_id"]`` and ``fields["name"]``.
        on_event: ``async (WebhookEvent) -> None``.
        on_verification: ``async (VerificationRequest) -> object``; without it a
            handshake is refused with 401.
        max_body: The largest body accepted, in bytes.

    Returns:
        ``async (aiohttp.web.Request) -> aiohttp.web.Response``.

    Raises:
        TypeError, ValueError: An argument is invalid.
    """
    from aiohttp import web

    receiver = _Receiver.checked(verifier, on_event, on_verification, max_body)

    async def handle(request: web.Request) -> web.Response:
        async def read(limit: int) -> bytes | None:
            chunks: list[bytes] = []
            size = 0
            while True:
                chunk = await request.content.read(min(64 * 1024, limit + 1 - size))
                if not chunk:
                    return b"".join(chunks)
                size += len(chunk)
                if size > limit:
                    return None
                chunks.append(chunk)

        status, text = await receiver.respond(
            method=request.method,
            content_type=request.content_type,
            signature=request.headers.get(SIGNATURE_HEADER),
            content_length=request.content_length,
            read=read,
        )
        return web.Response(status=status, text=text)

    return handle


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


class _Disconnected(Exception):
    """The ASGI client went away before its body was read."""


@attrs.frozen
class _ASGIReceiver:
    """The ASGI app :func:`asgi_webhook_app` returns: a callable object, not a function, so
    that Starlette's ``Route`` serves it as an ASGI app (a function there is taken for a
    request-response endpoint)."""

    receiver: _Receiver

    async def __call__(self, scope: ASGIScope, receive: ASGIReceive, send: ASGISend) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            raise ValueError(f"scope type {scope['type']!r}: this app answers http only")
        headers: dict[str, str] = {}
        for name, value in scope.get("headers", ()):
            headers[bytes(name).decode("latin-1").lower()] = bytes(value).decode("latin-1")
        length_text = headers.get("content-length")
        length = int(length_text) if length_text and _is_digits(length_text) else None

        async def read(limit: int) -> bytes | None:
            chunks: list[bytes] = []
            size = 0
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise _Disconnected
                chunk = bytes(message.get("body", b""))
                more = bool(message.get("more_body", False))
                size += len(chunk)
                if size > limit:
                    return None
                chunks.append(chunk)
            return b"".join(chunks)

        try:
            status, text = await self.receiver.respond(
                method=scope.get("method", ""),
                content_type=headers.get("content-type", "").partition(";")[0].strip().lower(),
                signature=headers.get(SIGNATURE_HEADER.lower()),
                content_length=length,
                read=read,
            )
        except _Disconnected:
            return
        body = text.encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode("ascii")),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def asgi_webhook_app(
    *,
    verifier: VerifierSource,
    on_event: Callable[[WebhookEvent], Awaitable[None]],
    on_verification: Callable[[VerificationRequest], Awaitable[object]] | None = None,
    max_body: int = DEFAULT_MAX_BODY,
) -> ASGIApp:
    """An ASGI 3 app receiving FreshBooks webhook deliveries (Starlette, FastAPI, ...).

    The same checks and answers as :func:`webhook_handler`, with no dependency on any
    framework. Mount it at the callback's URI::

        from starlette.applications import Starlette
        from starlette.routing import Route

        receiver = asgi_webhook_app(verifier=lookup_verifier, on_event=handle_event)
        app = Starlette(routes=[Route("/webhooks/freshbooks", receiver, methods=["POST"])])
        # FastAPI: FastAPI(routes=[Route("/webhooks/freshbooks", receiver, methods=["POST"])])

    (``Mount`` works too, but redirects ``/webhooks/freshbooks`` to a trailing slash.)

    Args:
        verifier: As for :func:`webhook_handler`.
        on_event: ``async (WebhookEvent) -> None``.
        on_verification: ``async (VerificationRequest) -> object``; without it a
            handshake is refused with 401.
        max_body: The largest body accepted, in bytes.

    Returns:
        ``async (scope, receive, send) -> None``; it answers ``http`` requests and the
        ``lifespan`` protocol (when served on its own).

    Raises:
        TypeError, ValueError: An argument is invalid.
    """
    return _ASGIReceiver(_Receiver.checked(verifier, on_event, on_verification, max_body))


# --------------------------------------------------------------------------- callbacks API


@attrs.frozen(kw_only=True)
class Callback:
    """A webhook registration (``callback`` in the events API).

    Attributes:
        id: ``callbackid``.
        event: The event (``invoice.create``) or noun (``invoice``) it listens to.
        uri: Where deliveries go.
        verified: Whether the handshake completed (events flow only then).
        updated_at: When it last changed (ISO 8601, as sent).
        extras: Fields this SDK does not know, kept as sent.
    """

    id: int
    event: str
    uri: str
    verified: bool
    updated_at: str | None = None
    extras: Mapping[str, Any] = attrs.field(factory=dict, repr=False)

    @classmethod
    def from_api(cls, data: Any) -> Callback:
        """Decode the API's ``callback`` object.

        Raises:
            ResponseDecodeError: ``data`` is not a callback.
        """
        if not isinstance(data, Mapping):
            raise ResponseDecodeError(f"callback: expected an object, got {type(data).__name__}")
        raw_id = data.get("callbackid", data.get("id"))
        if isinstance(raw_id, bool) or not isinstance(raw_id, int | str):
            raise ResponseDecodeError("callback: no callbackid")
        try:
            ident = int(raw_id)
        except ValueError:
            raise ResponseDecodeError(f"callback: callbackid is not a number: {raw_id!r}") from None
        known = {"callbackid", "id", "event", "uri", "verified", "updated_at"}
        return cls(
            id=ident,
            event=str(data.get("event", "")),
            uri=str(data.get("uri", "")),
            verified=bool(data.get("verified", False)),
            updated_at=data.get("updated_at") if isinstance(data.get("updated_at"), str) else None,
            extras={k: v for k, v in data.items() if k not in known},
        )


@attrs.frozen(kw_only=True)
class CallbackPage:
    """One page of callbacks.

    Attributes:
        items: The callbacks on this page.
        page: Where the page sits (``None`` if the API sent no page metadata).
    """

    items: tuple[Callback, ...]
    page: PageInfo | None


def _check_event(event: object) -> str:
    if not isinstance(event, str):
        raise TypeError(f"event: expected str such as 'invoice.create', got {event!r}")
    if not event or any(c.isspace() for c in event) or event.startswith(".") or event.endswith("."):
        raise ValueError(f"event: expected 'noun' or 'noun.verb', got {event!r}")
    return event


def _check_uri(uri: object) -> str:
    if not isinstance(uri, str):
        raise TypeError(f"uri: expected str, got {type(uri).__name__}")
    try:
        url = yarl.URL(uri)
    except ValueError:
        raise ValueError(f"uri: not a URL: {uri!r}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"uri: expected an absolute http(s) URL, got {uri!r}")
    return uri


def _check_id(callback_id: object) -> int:
    if isinstance(callback_id, bool) or not isinstance(callback_id, int):
        raise TypeError(f"callback_id: expected int, got {type(callback_id).__name__}")
    if callback_id <= 0:
        raise ValueError(f"callback_id: must be a positive int, got {callback_id!r}")
    return callback_id


class Callbacks:
    """Webhook callbacks of an account (``/events/account/{account_id}/events/callbacks``).

    Args:
        client: The client whose pipeline sends the calls.
    """

    def __init__(self, client: FreshBooksClient) -> None:
        from .client import FreshBooksClient

        if not isinstance(client, FreshBooksClient):
            raise TypeError(f"client: expected FreshBooksClient, got {type(client).__name__}")
        self._client = client

    def _one(self, data: Any) -> Callback:
        if not isinstance(data, Mapping) or "callback" not in data:
            raise ResponseDecodeError("expected {'callback': {...}} in the result")
        return Callback.from_api(data["callback"])

    async def create(self, account_id: str, event: str, uri: str) -> Callback:
        """Register ``uri`` for ``event``; FreshBooks then sends it the verifier.

        The new callback is unverified until :meth:`verify` (DOCS:webhooks).
        """
        path = build_path(_CALLBACKS, account_id=check_account_id(account_id))
        body = {"callback": {"event": _check_event(event), "uri": _check_uri(uri)}}
        response = await self._client.request("POST", path, json=body)
        return self._one(response.data)

    async def get(self, account_id: str, callback_id: int) -> Callback:
        """One callback."""
        path = build_path(
            _CALLBACK, account_id=check_account_id(account_id), id=_check_id(callback_id)
        )
        return self._one((await self._client.request("GET", path)).data)

    async def list(
        self,
        account_id: str,
        *,
        page: int = 1,
        per_page: int | None = None,
        event: str | None = None,
    ) -> CallbackPage:
        """One page of callbacks, optionally those of ``event`` (and its sub-events).

        Args:
            account_id: The account.
            page: 1-based page number.
            per_page: Items per page (FreshBooks caps it at 100).
            event: ``search[event]`` filter.
        """
        path = build_path(_CALLBACKS, account_id=check_account_id(account_id))
        for name, value in (("page", page), ("per_page", per_page)):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name}: expected int, got {type(value).__name__}")
            if value < 1:
                raise ValueError(f"{name}: must be >= 1, got {value!r}")
        params: dict[str, object] = {"page": page, "per_page": per_page}
        if event is not None:
            params["search[event]"] = _check_event(event)
        response = await self._client.request("GET", path, params=params)
        data = response.data
        raw = data.get("callbacks") if isinstance(data, Mapping) else None
        if not isinstance(raw, list):
            raise ResponseDecodeError("expected {'callbacks': [...]} in the result")
        return CallbackPage(items=tuple(Callback.from_api(c) for c in raw), page=response.page)

    async def iterate(
        self, account_id: str, *, per_page: int = 100, event: str | None = None
    ) -> AsyncIterator[Callback]:
        """Every callback of the account, page by page."""
        page = 1
        while True:
            result = await self.list(account_id, page=page, per_page=per_page, event=event)
            for item in result.items:
                yield item
            info = result.page
            if not result.items or info is None or info.pages is None or page >= info.pages:
                return
            page += 1

    async def update(
        self, account_id: str, callback_id: int, *, event: str | None = None, uri: str | None = None
    ) -> Callback:
        """Change a callback's event or URI (a new URI needs verifying again)."""
        fields: dict[str, str] = {}
        if event is not None:
            fields["event"] = _check_event(event)
        if uri is not None:
            fields["uri"] = _check_uri(uri)
        if not fields:
            raise ValueError("update: give event and/or uri")
        path = build_path(
            _CALLBACK, account_id=check_account_id(account_id), id=_check_id(callback_id)
        )
        response = await self._client.request("PUT", path, json={"callback": fields})
        return self._one(response.data)

    async def delete(self, account_id: str, callback_id: int) -> None:
        """Delete a callback (HTTP DELETE; docs/protocol.rst, "Deletes and vis_state")."""
        path = build_path(
            _CALLBACK, account_id=check_account_id(account_id), id=_check_id(callback_id)
        )
        await self._client.request("DELETE", path)

    async def verify(self, account_id: str, callback_id: int, verifier: str) -> Callback:
        """Complete the handshake: send back the verifier FreshBooks POSTed to the URI.

        Raises:
            UnprocessableEntityError: The verifier is wrong.
        """
        _check_verifier(verifier)
        path = build_path(
            _CALLBACK, account_id=check_account_id(account_id), id=_check_id(callback_id)
        )
        # The Postman example also sends callback_id in the body (docs/protocol.rst,
        # "Webhooks").
        body = {"callback": {"callback_id": callback_id, "verifier": verifier}}
        with secret_scope(verifier):  # scrubbed from an error that echoes it
            return self._one((await self._client.request("PUT", path, json=body)).data)

    async def resend_verification(self, account_id: str, callback_id: int) -> Callback:
        """Ask FreshBooks to POST the verifier to the callback's URI again."""
        path = build_path(
            _CALLBACK, account_id=check_account_id(account_id), id=_check_id(callback_id)
        )
        body = {"callback": {"resend": True}}
        return self._one((await self._client.request("PUT", path, json=body)).data)

    def __repr__(self) -> str:
        return f"Callbacks({self._client!r})"
