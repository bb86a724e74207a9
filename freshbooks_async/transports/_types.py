"""Our own wire types: :class:`Headers`, :class:`Request`, :class:`Response`.

Nothing from aiohttp appears here, so every layer above the transport (and every test
of it) works without sockets.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs
import yarl

__all__ = ["SENSITIVE_HEADERS", "BodyStream", "Headers", "Request", "Response"]

#: Header names whose values are secrets: redacted in every repr and log line.
SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})

#: A factory of async byte chunks. A factory (not an iterator) so a request whose body
#: streams can be sent again: each call must start the stream from the beginning.
BodyStream = Callable[[], AsyncIterator[bytes]]


def _checked_pairs(items: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``items`` as a list of (name, value) pairs, each checked to be two strs."""
    pairs: list[tuple[str, str]] = []
    source = items.items() if isinstance(items, Mapping) else items
    for name, value in source:
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"headers: names and values must be str, got {name!r}: {value!r}")
        pairs.append((name, value))
    return pairs


def _index_of(
    pairs: Iterable[tuple[str, str]], offset: int = 0, index: dict[str, int] | None = None
) -> dict[str, int]:
    """Lower-cased name -> position (from ``offset``), added to ``index`` if given; the
    last value of a repeated name wins."""
    index = {} if index is None else index
    for i, (name, _) in enumerate(pairs, offset):
        index[name.lower()] = i
    return index


class Headers(Mapping[str, str]):
    """An immutable, case-insensitive mapping of header names to values.

    Lookups ignore case; iteration yields names as they were given. Values of
    :data:`SENSITIVE_HEADERS` are redacted in ``repr``.
    """

    __slots__ = ("_index", "_items")

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] | None = None) -> None:
        pairs = _checked_pairs(items) if items is not None else []
        self._items = tuple(pairs)
        self._index = _index_of(pairs)

    @classmethod
    def from_trusted(cls, pairs: list[tuple[str, str]]) -> Headers:
        """Wrap pairs already known to be ``(str, str)`` (a transport's parsed response
        headers) without re-validating them: the hot path of every response."""
        return cls._wrap(tuple(pairs), _index_of(pairs))

    @classmethod
    def _wrap(cls, items: tuple[tuple[str, str], ...], index: dict[str, int]) -> Headers:
        self = cls.__new__(cls)
        self._items = items
        self._index = index
        return self

    def __getitem__(self, key: str) -> str:
        return self._items[self._index[key.lower()]][1]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._index

    def __iter__(self) -> Iterator[str]:
        return (self._items[i][0] for i in self._index.values())

    def __len__(self) -> int:
        return len(self._index)

    def get_all(self, key: str) -> list[str]:
        """Every value of a header that may repeat (``Set-Cookie``), in order."""
        lower = key.lower()
        return [v for k, v in self._items if k.lower() == lower]

    def raw_items(self) -> tuple[tuple[str, str], ...]:
        """All (name, value) pairs, repeats included, as given."""
        return self._items

    def merged(self, other: Mapping[str, str]) -> Headers:
        """A copy with ``other``'s entries added, replacing same-named ones.

        Raises:
            TypeError: A name or value of ``other`` is not a str.
        """
        added = _checked_pairs(other)  # validates only what is new
        replaced = {name.lower() for name, _ in added}
        if replaced.isdisjoint(self._index):
            # The usual case (a bearer token, a reference header): append, extending
            # this set's index instead of lower-casing every name again.
            items = self._items
            return Headers._wrap(
                items + tuple(added), _index_of(added, len(items), {**self._index})
            )
        kept = [(k, v) for k, v in self._items if k.lower() not in replaced]
        return Headers.from_trusted([*kept, *added])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Headers):
            return self._lowered() == other._lowered()
        if isinstance(other, Mapping):
            return self._lowered() == {str(k).lower(): v for k, v in other.items()}
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._lowered().items())))

    def _lowered(self) -> dict[str, str]:
        return {k.lower(): v for k, v in self.items()}

    def __repr__(self) -> str:
        shown = {
            k: ("<redacted>" if k.lower() in SENSITIVE_HEADERS else v) for k, v in self.items()
        }
        return f"Headers({shown!r})"


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

    def with_headers(self, headers: Headers) -> Request:
        """A copy with ``headers`` replaced (already a :class:`Headers`; no re-validation)."""
        if not isinstance(headers, Headers):
            raise TypeError(f"headers: expected Headers, got {type(headers).__name__}")
        clone = object.__new__(Request)
        for field in _REQUEST_FIELDS:
            object.__setattr__(clone, field, getattr(self, field))
        object.__setattr__(clone, "headers", headers)
        return clone


_REQUEST_FIELDS = tuple(f.name for f in attrs.fields(Request))


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

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased (``""`` when absent)."""
        return self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
