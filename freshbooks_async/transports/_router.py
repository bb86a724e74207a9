"""A small request router for :class:`MockTransport`: :class:`Router` and :class:`Route`.

::

    router = Router()
    clients = router.get(
        "/accounting/account/{account_id}/users/clients/{id}",
        Router.json({"response": {"result": {"client": {"id": 1}}}}),
    )
    async with FreshBooksClient(transport=MockTransport(router)) as client:
        ...
    assert clients.call_count == 1
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeAlias
from urllib.parse import unquote

import attrs
import yarl

from ._types import Headers, Request, Response

__all__ = ["Route", "RouteCallback", "RouteResponse", "Router"]

#: A callable answer: ``(request, path_params) -> Response`` (or an awaitable of one).
RouteCallback: TypeAlias = Callable[[Request, dict[str, str]], "Response | Awaitable[Response]"]
#: One scripted answer: a response, an exception to raise, or a callable.
RouteResponse: TypeAlias = "Response | BaseException | RouteCallback"

_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _compile(pattern: str) -> re.Pattern[str]:
    parts: list[str] = []
    literals: list[str] = []
    names: set[str] = set()
    position = 0
    for match in _PLACEHOLDER.finditer(pattern):
        name = match.group(1)
        if name in names:
            raise ValueError(f"path_pattern: placeholder {{{name}}} repeated in {pattern!r}")
        names.add(name)
        literals.append(pattern[position : match.start()])
        parts.append(re.escape(literals[-1]))
        parts.append(f"(?P<{name}>[^/]+)")
        position = match.end()
    literals.append(pattern[position:])
    parts.append(re.escape(literals[-1]))
    if any("{" in literal or "}" in literal for literal in literals):
        raise ValueError(f"path_pattern: placeholders must look like {{name}}, got {pattern!r}")
    return re.compile("".join(parts))


def _check_response(index: int, value: object) -> None:
    if isinstance(value, Response | BaseException) or callable(value):
        return
    raise TypeError(
        f"responses[{index}]: expected a Response, an exception instance or a callable "
        f"(request, params) -> Response, got {type(value).__name__}: {value!r}"
    )


class Route:
    """One registered route and the requests it answered.

    Attributes:
        method: The HTTP method matched.
        pattern: The path pattern, with ``{name}`` placeholders.
        repeat_last: Whether the last scripted response repeats once reached.
        calls: Every request this route answered, in order.
    """

    def __init__(
        self,
        method: str,
        pattern: str,
        regex: re.Pattern[str],
        responses: tuple[RouteResponse, ...],
        *,
        repeat_last: bool,
    ) -> None:
        self.method = method
        self.pattern = pattern
        self.repeat_last = repeat_last
        self.calls: list[Request] = []
        self._regex = regex
        self._responses = responses

    @property
    def called(self) -> bool:
        """Whether the route answered at least one request."""
        return bool(self.calls)

    @property
    def call_count(self) -> int:
        """How many requests the route answered."""
        return len(self.calls)

    def match(self, method: str, path: str) -> dict[str, str] | None:
        """The path parameters when ``method`` and ``path`` match, else ``None``."""
        if method != self.method:
            return None
        found = self._regex.fullmatch(path)
        if found is None:
            return None
        return {name: unquote(value) for name, value in found.groupdict().items()}

    async def respond(self, request: Request, params: dict[str, str]) -> Response:
        """Record ``request`` and produce the next scripted answer.

        Raises:
            LookupError: Every scripted response was used and ``repeat_last`` is false.
            BaseException: The scripted exception, when the answer is one.
        """
        index = len(self.calls)
        self.calls.append(request)
        if index >= len(self._responses):
            if not self.repeat_last:
                raise LookupError(
                    f"route {self.method} {self.pattern} has no response left: "
                    f"{len(self._responses)} scripted, this is call {index + 1}"
                )
            index = len(self._responses) - 1
        answer = self._responses[index]
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, Response):
            return answer
        result = answer(request, params)
        if inspect.isawaitable(result):
            result = await result
        if not isinstance(result, Response):
            raise TypeError(
                f"route {self.method} {self.pattern}: the callable must return a Response, "
                f"returned {type(result).__name__}: {result!r}"
            )
        return result

    def __repr__(self) -> str:
        return f"Route({self.method} {self.pattern}, calls={len(self.calls)})"


class Router:
    """Routes requests to scripted responses; itself a :class:`MockTransport` handler.

    Requests are matched on method and path only (the query string is ignored for
    matching; a callable answer sees it in ``request.url.query``). When ``base_url`` is
    given, the request's scheme, host and port must match it and its path is the
    prefix of every pattern. The first registered route that matches answers.

    Args:
        base_url: The API origin (and path prefix), or ``None`` to match any origin.

    Attributes:
        calls: Every request the router received, matched or not, in order.

    Raises:
        TypeError: ``base_url`` is not a str, ``yarl.URL`` or ``None``.
        ValueError: ``base_url`` is not absolute, or has a query or fragment.
    """

    def __init__(self, base_url: str | yarl.URL | None = "https://api.freshbooks.com") -> None:
        if base_url is not None and not isinstance(base_url, str | yarl.URL):
            raise TypeError(
                f"base_url: expected str, yarl.URL or None, got {type(base_url).__name__}: "
                f"{base_url!r}"
            )
        url = yarl.URL(base_url) if isinstance(base_url, str) else base_url
        if url is not None:
            if not url.is_absolute():
                raise ValueError(f"base_url: must be absolute, got {str(url)!r}")
            if url.query_string or url.fragment:
                raise ValueError(f"base_url: must not have a query or fragment, got {str(url)!r}")
        self._origin = url.origin() if url is not None else None
        self._prefix = url.raw_path.rstrip("/") if url is not None else ""
        self._routes: list[Route] = []
        self.calls: list[Request] = []

    @property
    def routes(self) -> tuple[Route, ...]:
        """The registered routes, in matching order."""
        return tuple(self._routes)

    @staticmethod
    def json(
        data: Any,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """A JSON response, to script as an answer.

        Args:
            data: Anything :func:`json.dumps` accepts.
            status: The HTTP status.
            headers: Extra headers (``Content-Type`` defaults to ``application/json``).

        Returns:
            The response.

        Raises:
            TypeError: ``data`` is not JSON-serialisable, or ``status``/``headers`` have
                the wrong type.
            ValueError: ``status`` is not in 100..599.
        """
        if isinstance(status, bool) or not isinstance(status, int):
            raise TypeError(f"status: expected int, got {type(status).__name__}: {status!r}")
        if not 100 <= status <= 599:
            raise ValueError(f"status: must be in 100..599, got {status!r}")
        if headers is not None and not isinstance(headers, Mapping):
            raise TypeError(f"headers: expected a mapping, got {type(headers).__name__}")
        try:
            body = json.dumps(data).encode()
        except (TypeError, ValueError) as exc:
            raise TypeError(f"data: not JSON-serialisable: {exc}") from exc
        merged = Headers({"Content-Type": "application/json"}).merged(headers or {})
        return Response(status=status, headers=merged, body=body)

    def add(
        self,
        method: str,
        path_pattern: str,
        *responses: RouteResponse,
        repeat_last: bool = True,
    ) -> Route:
        """Register a route answering ``responses`` in order.

        Args:
            method: The HTTP method (case-insensitive).
            path_pattern: The path below ``base_url``, starting with ``/``; ``{name}``
                matches one path segment and is passed to callables as ``params[name]``.
            *responses: The answers, in order: a :class:`Response` (see :meth:`json`),
                an exception instance to raise (``ConnectError("refused")``), or a
                callable ``(request, params) -> Response`` (sync or async).
            repeat_last: Repeat the last answer once all were used; when false, a
                further request raises ``LookupError``.

        Returns:
            The route, to inspect its calls.

        Raises:
            TypeError: An argument has the wrong type.
            ValueError: The method is unknown, the pattern malformed, no response was
                given, or the same method and pattern are already registered.
        """
        if not isinstance(method, str):
            raise TypeError(f"method: expected str, got {type(method).__name__}: {method!r}")
        upper = method.upper()
        if upper not in _METHODS:
            raise ValueError(f"method: must be one of {sorted(_METHODS)}, got {method!r}")
        if not isinstance(path_pattern, str):
            raise TypeError(
                f"path_pattern: expected str, got {type(path_pattern).__name__}: {path_pattern!r}"
            )
        if not path_pattern.startswith("/"):
            raise ValueError(f"path_pattern: must start with '/', got {path_pattern!r}")
        if "?" in path_pattern or "#" in path_pattern:
            raise ValueError(
                f"path_pattern: match on the path only (no query), got {path_pattern!r}"
            )
        if not isinstance(repeat_last, bool):
            raise TypeError(f"repeat_last: expected bool, got {type(repeat_last).__name__}")
        if not responses:
            raise ValueError(f"responses: give at least one answer for {upper} {path_pattern}")
        for index, value in enumerate(responses):
            _check_response(index, value)
        for route in self._routes:
            if route.method == upper and route.pattern == path_pattern:
                raise ValueError(f"route {upper} {path_pattern} is already registered")
        route = Route(
            upper,
            path_pattern,
            _compile(self._prefix + path_pattern),
            tuple(responses),
            repeat_last=repeat_last,
        )
        self._routes.append(route)
        return route

    def get(self, path_pattern: str, *responses: RouteResponse, repeat_last: bool = True) -> Route:
        """:meth:`add` for ``GET``."""
        return self.add("GET", path_pattern, *responses, repeat_last=repeat_last)

    def post(self, path_pattern: str, *responses: RouteResponse, repeat_last: bool = True) -> Route:
        """:meth:`add` for ``POST``."""
        return self.add("POST", path_pattern, *responses, repeat_last=repeat_last)

    def put(self, path_pattern: str, *responses: RouteResponse, repeat_last: bool = True) -> Route:
        """:meth:`add` for ``PUT``."""
        return self.add("PUT", path_pattern, *responses, repeat_last=repeat_last)

    def delete(
        self, path_pattern: str, *responses: RouteResponse, repeat_last: bool = True
    ) -> Route:
        """:meth:`add` for ``DELETE``."""
        return self.add("DELETE", path_pattern, *responses, repeat_last=repeat_last)

    async def __call__(self, request: Request) -> Response:
        """Answer ``request`` from the first matching route.

        Raises:
            TypeError: ``request`` is not a :class:`Request`.
            LookupError: No route matches (the message lists the registered routes), or
                the matching route ran out of answers.
        """
        if not isinstance(request, Request):
            raise TypeError(f"request: expected Request, got {type(request).__name__}")
        self.calls.append(request)
        path = request.url.raw_path
        if self._origin is None or request.url.origin() == self._origin:
            for route in self._routes:
                params = route.match(request.method, path)
                if params is not None:
                    response = await route.respond(request, params)
                    if response.request is None:
                        response = attrs.evolve(response, request=request)
                    return response
        registered = "\n".join(f"  {r.method} {r.pattern}" for r in self._routes) or "  (none)"
        where = str(self._origin) if self._origin is not None else "any origin"
        raise LookupError(
            f"no route matches {request.method} {request.url.origin()}{path}; "
            f"routes registered for {where}{self._prefix}:\n{registered}"
        )

    def __repr__(self) -> str:
        base = f"{self._origin}{self._prefix}" if self._origin is not None else None
        return f"Router(base_url={base!r}, routes={len(self._routes)}, calls={len(self.calls)})"
