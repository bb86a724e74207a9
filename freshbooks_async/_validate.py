"""Argument checks shared by the public functions: each error names the argument and value."""

from __future__ import annotations

import math
import re

__all__ = ["check_bool", "check_int", "check_path_segment", "check_seconds"]

# RFC 3986 "unreserved" characters: the only ones percent-encoding leaves alone.
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]+")


def check_int(name: str, value: object, low: int, high: int | None = None) -> int:
    """``value`` as an int in ``low..high`` (``high`` ``None``: no upper bound).

    Raises:
        TypeError: ``value`` is not an int (bools are refused).
        ValueError: ``value`` is out of range.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}: expected int, got {type(value).__name__}: {value!r}")
    if value < low or (high is not None and value > high):
        bound = f"in {low}..{high}" if high is not None else f">= {low}"
        raise ValueError(f"{name}: must be {bound}, got {value!r}")
    return value


def check_bool(name: str, value: object) -> bool:
    """``value`` as a bool (no truthy stand-ins).

    Raises:
        TypeError: ``value`` is not a bool.
    """
    if not isinstance(value, bool):
        raise TypeError(f"{name}: expected bool, got {type(value).__name__}: {value!r}")
    return value


def check_seconds(name: str, value: object) -> float:
    """``value`` as a finite number of seconds >= 0.

    Raises:
        TypeError: ``value`` is not a number.
        ValueError: ``value`` is negative, NaN or infinite.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name}: expected a number, got {type(value).__name__}: {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name}: must be a finite number >= 0, got {value!r}")
    return float(value)


def check_path_segment(name: str, value: object) -> str:
    """``value`` (an id) as one URL path segment, exactly as it will be sent.

    An id is an int >= 0 or a string of letters, digits, ``-``, ``_``, ``.`` and ``~``
    other than ``.`` and ``..``: the characters percent-encoding leaves alone, so the id
    FreshBooks receives is the id given, and no id can reach another endpoint (a ``/``,
    ``?``, ``#``, ``%``, space, control character or dot segment would).

    Raises:
        TypeError: ``value`` is neither a str nor an int (bools are refused).
        ValueError: ``value`` is empty, ``.`` or ``..``, a negative int, or has another
            character.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"{name}: expected str or int, got {type(value).__name__}: {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"{name}: must be >= 0, got {value!r}")
        return str(value)
    if not value:
        raise ValueError(f"{name}: must be a non-empty id, got {value!r}")
    if value in (".", ".."):
        raise ValueError(f"{name}: {value!r} is not an id: as a path segment it changes the path")
    if _UNRESERVED.fullmatch(value) is None:
        bad = next(c for c in value if _UNRESERVED.fullmatch(c) is None)
        raise ValueError(
            f"{name}: {bad!r} cannot be in an id sent in a URL path (only letters, digits, "
            f"'-', '_', '.' and '~'), got {value!r}"
        )
    return value
