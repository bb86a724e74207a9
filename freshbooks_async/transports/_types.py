"""Our own wire types: :class:`Headers`, :class:`Request`, :class:`Response`.

Nothing from aiohttp appears here, so every layer above the transport (and every test
of it) works without sockets.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from typing import Any, Final, TypeVar, overload

import attrs
import yarl
from multidict import CIMultiDict, CIMultiDictProxy

__all__ = ["SENSITIVE_HEADERS", "BodyStream", "Headers", "Request", "Response"]

#: Header names whose values are secrets: redacted in every repr and log line.
SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})

#: A factory of async byte chunks. A factory (not an iterator) so a request whose body
#: streams can be sent again: each call must start the stream from the beginning.
BodyStream = Callable[[], AsyncIterator[bytes]]

_T = TypeVar("_T")


def _checked_pairs(items: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``items`` as a list of (name, value) pairs, each checked to be two strs."""
    pairs: list[tuple[str, str]] = []
    # (A dict first: isinstance against the Mapping ABC costs a few hundred ns a call.)
    source = items.items() if items.__class__ is dict or isinstance(items, Mapping) else items
    for name, value in source:
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"headers: names and values must be str, got {name!r}: {value!r}")
        pairs.append((name, value))
    return pairs


class Headers(Mapping[str, str]):
    """An immutable, case-insensitive mapping of header names to values.

    Lookups ignore case; iteration yields each name once, as it was given. A name given
    more than once (``Set-Cookie``) keeps every value (:meth:`get_all`,
    :meth:`raw_items`); a lookup returns its last value. Values of
    ``SENSITIVE_HEADERS`` are redacted in ``repr``.

    The pairs are held in a read-only ``multidict.CIMultiDictProxy`` (the structure
    aiohttp parses responses into), so a transport's response headers are wrapped
    without copying.
    """

    __slots__ = ("_md", "_names")

    _md: CIMultiDictProxy[str]
    #: Lower-cased name -> the name as last given, in first-seen order (built lazily).
    _names: dict[str, str] | None

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] | None = None) -> None:
        pairs = _checked_pairs(items) if items is not None else []
        self._md = CIMultiDictProxy(CIMultiDict(pairs))
        self._names = None

    @classmethod
    def from_trusted(cls, pairs: Iterable[tuple[str, str]] | CIMultiDictProxy[str]) -> Headers:
        """Wrap headers already known to be ``(str, str)`` pairs (a transport's parsed
        response headers) without re-validating them: the hot path of every response.

        A ``CIMultiDictProxy`` (aiohttp's ``ClientResponse.headers``) is wrapped as it
        is, without a copy: the caller must not change the dict it views.
        """
        if isinstance(pairs, CIMultiDictProxy):
            return cls._wrap(pairs)
        return cls._wrap(CIMultiDictProxy(CIMultiDict(pairs)))

    @classmethod
    def _wrap(cls, md: CIMultiDictProxy[str]) -> Headers:
        self = cls.__new__(cls)
        self._md = md
        self._names = None
        return self

    def _unique(self) -> dict[str, str]:
        names = self._names
        if names is None:
            names = {}
            for name, _ in self._md.items():  # every pair (keys() may skip repeats)
                names[name.lower()] = name
            self._names = names
        return names

    def __getitem__(self, key: str) -> str:
        return self._md.getall(key)[-1]

    @overload
    def get(self, key: str, /) -> str | None: ...

    @overload
    def get(self, key: str, /, default: str | _T) -> str | _T: ...

    def get(self, key: str, /, default: object = None) -> object:
        """The last value of ``key``, or ``default`` when it is absent."""
        values = self._md.getall(key, None)
        return default if values is None else values[-1]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._md

    def __iter__(self) -> Iterator[str]:
        return iter(self._unique().values())

    def __len__(self) -> int:
        return len(self._unique())

    def get_all(self, key: str) -> list[str]:
        """Every value of a header that may repeat (``Set-Cookie``), in order."""
        return self._md.getall(key, [])

    def raw_items(self) -> tuple[tuple[str, str], ...]:
        """All (name, value) pairs, repeats included, as given."""
        return tuple(self._md.items())

    def merged(self, other: Mapping[str, str]) -> Headers:
        """A copy with ``other``'s entries added, replacing same-named ones.

        Raises:
            TypeError: A name or value of ``other`` is not a str.
        """
        added = _checked_pairs(other)  # validates only what is new
        md = self._md.copy()
        for name, _ in added:
            md.popall(name, None)
        md.extend(added)
        return Headers._wrap(CIMultiDictProxy(md))

    def _with(self, name: str, value: str) -> Headers:
        """:meth:`merged` of one pair known to be two strs (the SDK's own headers)."""
        md = self._md.copy()
        md.popall(name, None)
        md.add(name, value)
        return Headers._wrap(CIMultiDictProxy(md))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Headers):
            return self._lowered() == other._lowered()
        if isinstance(other, Mapping):
            return self._lowered() == {str(k).lower(): v for k, v in other.items()}
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._lowered().items())))

    def __reduce__(self) -> tuple[type[Headers], tuple[tuple[tuple[str, str], ...]]]:
        return (Headers, (self.raw_items(),))

    def _lowered(self) -> dict[str, str]:
        return {k.lower(): v for k, v in self.items()}

    def __repr__(self) -> str:
        shown = {
            k: ("<redacted>" if k.lower() in SENSITIVE_HEADERS else v) for k, v in self.items()
        }
        return f"Headers({shown!r})"


def multidict_of(headers: Headers) -> CIMultiDictProxy[str]:
    """The pairs of ``headers`` as the read-only ``CIMultiDictProxy`` that holds them (no
    copy): what aiohttp takes as request headers."""
    return headers._md


def _upper(value: str) -> str:
    return value.upper()


def _to_headers(value: Any) -> Headers:
    return value if isinstance(value, Headers) else Headers(value)


def _to_url(value: Any) -> yarl.URL:
    if isinstance(value, yarl.URL):
        return value
    if isinstance(value, str):
        return yarl.URL(value)
    raise TypeError(f"url: expected yarl.URL or str, got {type(value).__name__}: {value!r}")


@attrs.frozen(kw_only=True)
class Request:
    """One HTTP request, as a transport sends it.

    Attributes:
        method: Upper-case HTTP method.
        url: Absolute URL, query included.
        headers: Request headers.
        body: The body when it is held in memory (JSON, forms, small uploads).
        stream: A factory of body chunks for bodies too large to hold in memory; when
            set, ``body`` is ignored. Each call must restart the stream.
        timeout: Total seconds for this request, or ``None`` for the transport's default.
        extensions: Free-form per-request data for transports and tests (never sent).
    """

    method: str = attrs.field(converter=_upper)
    url: yarl.URL = attrs.field(converter=_to_url)
    headers: Headers = attrs.field(factory=Headers, converter=_to_headers)
    body: bytes = b""
    stream: BodyStream | None = attrs.field(default=None, repr=False)
    timeout: float | None = None
    extensions: Mapping[str, Any] = attrs.field(factory=dict, repr=False)

    @url.validator
    def _check_url(self, _: attrs.Attribute[yarl.URL], value: yarl.URL) -> None:
        if not value.is_absolute():
            raise ValueError(f"url: must be absolute, got {str(value)!r}")

    @classmethod
    def _trusted(
        cls,
        method: str,
        url: yarl.URL,
        headers: Headers,
        body: bytes = b"",
        stream: BodyStream | None = None,
        timeout: float | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> Request:
        """A request from values known to be right (an upper-case method, an absolute
        ``yarl.URL``, :class:`Headers`): the pipeline's per-call path, without the
        converters and validators of ``Request(...)``."""
        request = _new(cls)
        # Each field through its slot's own setter: object.__setattr__ (a frozen class
        # has no other way in) first looks the name up, for every field.
        _REQUEST_SET[0](request, method)
        _REQUEST_SET[1](request, url)
        _REQUEST_SET[2](request, headers)
        _REQUEST_SET[3](request, body)
        _REQUEST_SET[4](request, stream)
        _REQUEST_SET[5](request, timeout)
        _REQUEST_SET[6](request, {} if extensions is None else extensions)
        return request

    def with_headers(self, headers: Headers) -> Request:
        """A copy with ``headers`` replaced (already a :class:`Headers`; no re-validation)."""
        if not isinstance(headers, Headers):
            raise TypeError(f"headers: expected Headers, got {type(headers).__name__}")
        return Request._trusted(
            self.method, self.url, headers, self.body, self.stream, self.timeout, self.extensions
        )


_new = object.__new__


def _slot_setters(cls: type, names: tuple[str, ...]) -> tuple[Callable[[Any, Any], None], ...]:
    """The ``__set__`` of each named slot of ``cls`` (an attrs class with slots)."""
    return tuple(cls.__dict__[name].__set__ for name in names)


#: The slot setters of Request's fields, in the order Request._trusted sets them.
_REQUEST_SET: Final = _slot_setters(
    Request, ("method", "url", "headers", "body", "stream", "timeout", "extensions")
)


@attrs.frozen(kw_only=True)
class Response:
    """One HTTP response, whatever its status (a transport never raises for a status).

    Attributes:
        status: HTTP status code.
        headers: Response headers.
        body: The whole body.
        elapsed: Seconds from sending the request to reading the last body byte.
        request: The request this answers.
    """

    status: int
    headers: Headers = attrs.field(factory=Headers, converter=_to_headers)
    body: bytes = attrs.field(default=b"", repr=lambda b: f"<{len(b)} bytes>")
    elapsed: float = 0.0
    request: Request | None = attrs.field(default=None, repr=False, eq=False)

    @classmethod
    def _trusted(
        cls,
        status: int,
        headers: Headers,
        body: bytes,
        elapsed: float = 0.0,
        request: Request | None = None,
    ) -> Response:
        """A response from values known to be right (a transport's parsed status,
        :class:`Headers` and body bytes), without the converters of ``Response(...)``."""
        response = _new(cls)
        _RESPONSE_SET[0](response, status)  # (see Request._trusted)
        _RESPONSE_SET[1](response, headers)
        _RESPONSE_SET[2](response, body)
        _RESPONSE_SET[3](response, elapsed)
        _RESPONSE_SET[4](response, request)
        return response

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased (``""`` when absent)."""
        return self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()


#: The slot setters of Response's fields, in the order Response._trusted sets them.
_RESPONSE_SET: Final = _slot_setters(Response, ("status", "headers", "body", "elapsed", "request"))
