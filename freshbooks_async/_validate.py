"""Argument checks shared by the public functions: each error names the argument and value."""

from __future__ import annotations

import math

__all__ = ["check_bool", "check_int", "check_seconds"]


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
