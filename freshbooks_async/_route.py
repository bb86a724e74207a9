"""API paths that remember their template: :class:`TemplatedPath` and :func:`template_for`.

A resource method renders its path from a catalogue template
(``/accounting/account/{account_id}/invoices/invoices/{id}``). The path it passes down
is a :class:`TemplatedPath`: a ``str`` (so every layer treats it as the path it is) that
also carries that template, for event hooks to name an exchange with few distinct
values (span and metric names) without the ids in it. Nothing is looked up per request:
the template rides along with the path.

A path built by hand (``fb.request("GET", "/accounting/account/ABC/...")``) has no
template attached; :func:`template_for` then finds the catalogue template it matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

__all__ = ["TemplatedPath", "template_for", "templated"]

_PLACEHOLDER: Final = re.compile(r"\{[a-z_]+\}")


class TemplatedPath(str):
    """An API path (a ``str``) that knows the template it was rendered from; made by
    :func:`templated`.

    Any operation that makes a new string (``path + "/x"``, ``path.rstrip("/")``)
    returns a plain ``str``: the template goes only with the path it describes.
    """

    __slots__ = ("template",)

    template: str

    def __reduce__(self) -> tuple[Callable[[str, str], TemplatedPath], tuple[str, str]]:
        return (templated, (str(self), self.template))


def templated(path: str, template: str) -> TemplatedPath:
    """``path`` as a :class:`TemplatedPath` rendered from ``template``.

    (A function rather than a ``__new__``: str's own constructor is several times
    faster than one written in Python, and every resource call renders a path.)
    """
    marked = TemplatedPath(path)
    marked.template = template
    return marked


class _Node:
    """One path segment of the catalogue's templates: literal children, a placeholder
    child, and the template that ends here."""

    __slots__ = ("literal", "placeholder", "template")

    def __init__(self) -> None:
        self.literal: dict[str, _Node] = {}
        self.placeholder: _Node | None = None
        self.template: str | None = None

    def add(self, template: str) -> None:
        node = self
        for segment in template.split("/"):
            if _PLACEHOLDER.fullmatch(segment):
                if node.placeholder is None:
                    node.placeholder = _Node()
                node = node.placeholder
            else:
                node = node.literal.setdefault(segment, _Node())
        node.template = template

    def match(self, segments: list[str], index: int = 0) -> str | None:
        if index == len(segments):
            return self.template
        segment = segments[index]
        child = self.literal.get(segment)
        if child is not None:  # a literal segment wins over a placeholder
            found = child.match(segments, index + 1)
            if found is not None:
                return found
        if self.placeholder is not None and segment:
            return self.placeholder.match(segments, index + 1)
        return None


_ROOT: _Node | None = None
#: Raw path -> its template (or None): listings and retries repeat paths.
_MATCHED: dict[str, str | None] = {}
_MATCHED_MAX: Final = 1024


def _root() -> _Node:
    global _ROOT
    if _ROOT is None:
        from ._catalogue import endpoints

        root = _Node()
        for endpoint in endpoints():
            root.add(endpoint.path_template)
        _ROOT = root
    return _ROOT


def template_for(path: str) -> str | None:
    """The template ``path`` was rendered from, or the catalogue template it matches
    (a literal segment wins over a placeholder), or ``None`` for a path the catalogue
    does not know."""
    template = getattr(path, "template", None)
    if template is not None:
        return str(template)
    try:
        return _MATCHED[path]
    except KeyError:
        pass
    found = _root().match(path.split("/"))
    if len(_MATCHED) >= _MATCHED_MAX:  # paths carry ids: keep the cache bounded
        _MATCHED.clear()
    _MATCHED[path] = found
    return found
