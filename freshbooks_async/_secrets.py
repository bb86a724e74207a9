"""Keeping secrets out of exceptions: :class:`Scrubber` and :func:`secret_scope`.

One mechanism for the whole SDK. Whoever knows a secret scrubs the errors that leave
its hands:

* the pipeline, every error of a call (the bearer tokens it sent, the values of the
  sensitive headers it was given, ``Cookie`` or ``Proxy-Authorization`` say, and the
  secrets of the enclosing :func:`secret_scope`), including errors raised while a
  streamed body is read;
* whoever decodes a call's response, what the decoding raises (a value that does not
  fit its model is quoted in the error): the response carries the call's
  :class:`CallSecrets`, and :meth:`CallSecrets.guard` scrubs with them;
* code that sends a secret of its own (an OAuth grant's client secret, code or refresh
  token; a webhook verifier) marks it with :func:`secret_scope` around the call, so the
  pipeline scrubs it too;
* the aiohttp transport, its own errors (the values of the request's sensitive headers),
  for callers that use it without a client.

Scrubbing an error replaces every form of every secret (as is, form- or
percent-encoded, JSON-escaped, or cut short by an excerpt: its first characters and
``...``) by ``<redacted>`` in its message, ``args``, attributes
(``details``, ``field_errors``, ``body``...) and in each exception of its
``__cause__``/``__context__`` chain. Our own exceptions are scrubbed in place; another
library's exception that shows a secret anywhere (``str``, ``repr``, ``args``,
attributes: aiohttp's response errors hold the request headers in ``request_info``) is
replaced in the chain by a :class:`~freshbooks_async.errors.RedactedError` that keeps
its type name, scrubbed message, chain and traceback. One that shows none is kept as
it is, so ``isinstance(error.__cause__, aiohttp.SocketTimeoutError)`` still works.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any, Final, TypeVar
from urllib.parse import quote, quote_plus

import attrs

from .errors import FreshBooksError, RedactedError

__all__ = [
    "MIN_SECRET_LENGTH",
    "NO_SECRETS",
    "REDACTED",
    "CallSecrets",
    "Scrubber",
    "header_secrets",
    "scoped_secrets",
    "secret_scope",
]

#: What a secret is replaced with.
REDACTED: Final = "<redacted>"
_REDACTED_BYTES: Final = REDACTED.encode()

#: Shorter values are not searched for: no real credential is that short, and replacing
#: every occurrence of a few common characters would make every message unreadable.
MIN_SECRET_LENGTH: Final = 8

#: How deep into containers (tuples, lists, dicts, attrs instances) attributes are
#: scrubbed: an ErrorDetail in a tuple is two levels.
_MAX_DEPTH: Final = 4

#: How an excerpt marks where it cut a value short (``repr(value)[:77] + "..."``).
_ELLIPSES: Final = ("...", "\u2026")

E = TypeVar("E", bound=BaseException)

#: The secrets of the enclosing :func:`secret_scope` blocks.
_SCOPED: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "freshbooks_async_secrets", default=()
)


def _forms(secret: str) -> set[str]:
    """The ways ``secret`` can appear in an echoed request: as is, form-encoded,
    percent-encoded, JSON-escaped (with and without ``\\/``), and inside a repr."""
    escaped = json.dumps(secret)[1:-1]
    return {
        secret,
        quote_plus(secret),
        quote(secret, safe=""),
        escaped,
        escaped.replace("/", "\\/"),
        repr(secret)[1:-1],
    }


def _type_name(exc: BaseException) -> str:
    cls = type(exc)
    return (
        cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
    )


def _str(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:
        return ""


class Scrubber:
    """Replaces a set of secrets, in every form, by ``<redacted>``.

    Args:
        secrets: The values to hide; ``None``, empty and short ones
            (< :data:`MIN_SECRET_LENGTH`) are ignored.
    """

    __slots__ = ("_bytes", "_texts")

    def __init__(self, secrets: Iterable[str | None]) -> None:
        found: set[str] = set()
        for secret in secrets:
            if isinstance(secret, str) and len(secret) >= MIN_SECRET_LENGTH:
                found |= _forms(secret)
        # Longest first: a form that contains another is replaced whole.
        self._texts = tuple(sorted(found, key=len, reverse=True))
        self._bytes = tuple(form.encode("utf-8") for form in self._texts)

    def __bool__(self) -> bool:
        return bool(self._texts)

    def shows(self, text: str) -> bool:
        """Whether ``text`` contains a secret (or the start of one, cut short)."""
        return any(form in text for form in self._texts) or bool(self._cut_short(text))

    def text(self, text: str) -> str:
        """``text`` with every secret replaced."""
        for form in self._texts:
            if form in text:
                text = text.replace(form, REDACTED)
        for start, end in reversed(self._cut_short(text)):
            text = text[:start] + REDACTED + text[end:]
        return text

    def _cut_short(self, text: str) -> list[tuple[int, int]]:
        """Where ``text`` shows the start of a secret (:data:`MIN_SECRET_LENGTH`
        characters or more) cut short by an ellipsis, as excerpts of long values do:
        the spans to replace, in order, not overlapping."""
        if not self._texts or not any(mark in text for mark in _ELLIPSES):
            return []
        spans: list[tuple[int, int]] = []
        for form in self._texts:
            head = form[:MIN_SECRET_LENGTH]
            start = text.find(head)
            while start != -1:
                end = start + MIN_SECRET_LENGTH
                limit = min(len(text), start + len(form) - 1)  # whole forms are done
                while end < limit and text[end] == form[end - start]:
                    end += 1
                cut = next(
                    (
                        at
                        for at in range(end, start + MIN_SECRET_LENGTH - 1, -1)
                        if text.startswith(_ELLIPSES, at)
                    ),
                    None,
                )
                if cut is not None:
                    spans.append((start, cut))
                start = text.find(head, start + 1)
        spans.sort()
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def data(self, data: bytes) -> bytes:
        """``data`` with every secret (UTF-8 encoded) replaced."""
        for form in self._bytes:
            if form in data:
                data = data.replace(form, _REDACTED_BYTES)
        return data

    def error(self, error: E) -> E:
        """Scrub ``error``, one of ours, in place, with its whole cause/context chain.

        Returns:
            ``error`` itself.
        """
        if self._texts:
            self._own(error, {})
        return error

    # ------------------------------------------------------------ internals

    def _link(self, exc: BaseException, done: dict[int, BaseException]) -> BaseException:
        """What stands for ``exc`` in a chain: ``exc`` (scrubbed in place when it is
        ours), or a :class:`RedactedError` for a foreign one showing a secret."""
        key = id(exc)
        if key in done:
            return done[key]
        done[key] = exc
        if isinstance(exc, FreshBooksError | RedactedError):
            self._own(exc, done)
            return exc
        cause = exc.__cause__
        context = exc.__context__
        new_cause = self._link(cause, done) if cause is not None else None
        new_context = self._link(context, done) if context is not None else None
        if new_cause is cause and new_context is context and not self._foreign_shows(exc):
            return exc  # foreign objects are never modified
        stand_in = RedactedError(_type_name(exc), self.text(_str(exc)))
        stand_in.__cause__ = new_cause
        stand_in.__context__ = new_context
        stand_in.__suppress_context__ = exc.__suppress_context__
        stand_in.__traceback__ = exc.__traceback__
        done[key] = stand_in
        return stand_in

    def _foreign_shows(self, exc: BaseException) -> bool:
        try:
            texts = [str(exc), repr(exc), *map(repr, exc.args)]
            texts += map(repr, getattr(exc, "__dict__", {}).values())
        except Exception:
            return True  # cannot tell what it holds: do not keep it
        return any(self.shows(text) for text in texts)

    def _own(self, exc: BaseException, done: dict[int, BaseException]) -> None:
        exc.args = self._value(exc.args, done, 0)
        for name, value in list(getattr(exc, "__dict__", {}).items()):
            scrubbed = self._value(value, done, 0)
            if scrubbed is not value:
                setattr(exc, name, scrubbed)
        suppress = exc.__suppress_context__  # setting __cause__ would set it
        cause = exc.__cause__
        if cause is not None:
            replacement = self._link(cause, done)
            if replacement is not cause:
                exc.__cause__ = replacement
        context = exc.__context__
        if context is not None:
            replacement = self._link(context, done)
            if replacement is not context:
                exc.__context__ = replacement
        exc.__suppress_context__ = suppress

    def _value(self, value: Any, done: dict[int, BaseException], depth: int) -> Any:
        """``value`` scrubbed: the same object when nothing changed."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, bytes):
            return self.data(value)
        if isinstance(value, bytearray):
            data = self.data(bytes(value))
            return value if data == value else bytearray(data)
        if isinstance(value, BaseException):
            return self._link(value, done)
        if depth >= _MAX_DEPTH:
            return value
        if type(value) in (tuple, list):
            items = [self._value(item, done, depth + 1) for item in value]
            if all(new is old for new, old in zip(items, value, strict=True)):
                return value
            return type(value)(items)
        if type(value) is dict:
            pairs = [
                (self._value(k, done, depth + 1), self._value(v, done, depth + 1))
                for k, v in value.items()
            ]
            if all(
                nk is k and nv is v for (nk, nv), (k, v) in zip(pairs, value.items(), strict=True)
            ):
                return value
            return dict(pairs)
        if attrs.has(type(value)):
            changes = {}
            for field in attrs.fields(type(value)):
                old = getattr(value, field.name)
                new = self._value(old, done, depth + 1)
                if new is not old:
                    changes[field.alias or field.name] = new
            if changes:
                with contextlib.suppress(TypeError, ValueError):
                    return attrs.evolve(value, **changes)
        return value


def header_secrets(headers: Iterable[tuple[str, str]]) -> list[str]:
    """The secrets in request headers: the value of each sensitive one
    (``Authorization``, ``Proxy-Authorization``, ``Cookie``, ``Set-Cookie``), its
    credentials without the scheme (``Bearer <token>``), and each cookie's value."""
    from .transports._types import SENSITIVE_HEADERS

    found: list[str] = []
    for name, value in headers:
        if name.lower() in SENSITIVE_HEADERS:
            found.append(value)
            scheme, _, credentials = value.partition(" ")
            if scheme and credentials:
                found.append(credentials.strip())
            if "=" in value:
                found += [pair.partition("=")[2].strip() for pair in value.split(";")]
    return found


class CallSecrets:
    """The secrets of one API call: the bearer tokens it sent, the secrets of its
    :func:`secret_scope` and the values of the sensitive headers it was given.

    A call's response carries them (never shown: ``repr`` names none) so that what
    decoding the response raises is scrubbed as the call's own errors are.

    Args:
        values: The secrets themselves.
        headers: The call's request headers, ``(name, value)`` pairs; their secrets
            (:func:`header_secrets`) are picked out only when an error is scrubbed.
    """

    __slots__ = ("_headers", "_values")

    def __init__(
        self, values: Iterable[str | None] = (), headers: Iterable[tuple[str, str]] = ()
    ) -> None:
        self._values = tuple(filter(None, values))  # (no generator frame per call)
        self._headers = headers

    def __repr__(self) -> str:
        return "CallSecrets(<redacted>)"

    def values(self) -> tuple[str, ...]:
        """Every secret of the call."""
        return (*self._values, *header_secrets(self._headers))

    def merged(self, other: CallSecrets) -> CallSecrets:
        """The secrets of both (each once): for data read by several calls."""
        return CallSecrets(dict.fromkeys((*self.values(), *other.values())))

    def scrub(self, error: E) -> E:
        """Scrub ``error``, one of ours, with its chain (see :meth:`Scrubber.error`)."""
        return Scrubber(self.values()).error(error)

    def guard(self) -> CallSecrets:
        """A context manager that scrubs an SDK error raised in its block (while
        decoding the call's response) and lets it propagate.

        The object itself: a ``with`` costs no generator (``contextlib``'s) on every
        decoded response.
        """
        return self

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if isinstance(exc, FreshBooksError):
            self.scrub(exc)


#: A call without secrets (an unauthenticated one, or a response built by hand).
NO_SECRETS: Final = CallSecrets()


def scoped_secrets() -> tuple[str, ...]:
    """The secrets marked by the enclosing :func:`secret_scope` blocks."""
    return _SCOPED.get()


@contextlib.contextmanager
def secret_scope(*secrets: str | None) -> Iterator[None]:
    """Mark ``secrets`` as such for every call made inside the block.

    The pipeline scrubs them from the errors of those calls, and an SDK error leaving
    the block (raised after a call, say) is scrubbed on the way out.
    """
    token = _SCOPED.set(_SCOPED.get() + tuple(s for s in secrets if s))
    try:
        yield
    except FreshBooksError as exc:
        Scrubber(_SCOPED.get()).error(exc)
        raise
    finally:
        _SCOPED.reset(token)
