"""JSON decoding for every document the package reads: :func:`loads`.

Python's decoder recurses once per nesting level, so a document nested deeper than the
interpreter's recursion limit (``[[[[...]]]]`` 100,000 levels deep, a few hundred
kilobytes) raises ``RecursionError``. :func:`loads` turns that into
:class:`JSONNestingError`, a ``ValueError`` like every other malformed JSON, so callers
handle both in one ``except ValueError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

__all__ = ["JSONNestingError", "loads"]


#: The scanner of json.loads's own decoder when given no options (json._default_decoder).
_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_whitespace: Callable[[str, int], re.Match[str]] = json.decoder.WHITESPACE.match  # type: ignore[attr-defined]
_OPEN_BRACE = ord("{")


class JSONNestingError(ValueError):
    """A JSON document nested too deeply to decode."""


def loads(data: str | bytes | bytearray) -> Any:
    """``json.loads(data)``, with nesting too deep to decode a :class:`JSONNestingError`.

    Raises:
        JSONNestingError: The document is nested too deeply to decode.
        ValueError: It is not JSON (``json.JSONDecodeError``) or not UTF-8/16/32.
    """
    try:
        if type(data) is bytes and len(data) > 1 and data[0] == _OPEN_BRACE and data[1]:
            # What json.loads does with such bytes (an object, no BOM, not UTF-16/32:
            # UTF-8 by RFC 8259's detection), without its detection and option checks.
            # Then JSONDecoder().decode's steps (raw_decode's, and the check for extra
            # data), without its two calls and the match of leading whitespace (none).
            text = data.decode("utf-8", "surrogatepass")
            try:
                document, end = _scan(text, 0)
            except StopIteration as err:  # (as raw_decode)
                raise json.JSONDecodeError("Expecting value", text, err.value) from None
            if end != len(text):
                end = _whitespace(text, end).end()
                if end != len(text):
                    raise json.JSONDecodeError("Extra data", text, end)
            return document
        return json.loads(data)
    except RecursionError:
        # The decoder's stack is unwound by now and it holds no state: nothing is left
        # half-done. ``from None``: the RecursionError's traceback is thousands of frames.
        raise JSONNestingError("JSON nested too deeply to decode") from None
