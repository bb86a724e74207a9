"""A stdlib-only progress line for stderr: counts, rate, and a bar when the total is known."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO

__all__ = ["Progress"]

_CLEAR = "\r\x1b[K"


class Progress:
    """One self-updating status line (ANSI ``\\r`` + erase line), redrawn at most
    ``interval`` seconds apart. Disabled, it prints nothing at all.

    Args:
        stream: Where to draw (stderr).
        enabled: Draw at all (the CLI enables it when stderr is a TTY or with
            ``--progress``).
        label: The text before the bar.
        total: The number of units when known (draws a bar and a percentage).
        unit: What is counted (``"invoices"``).
        interval: The least time between two redraws, in seconds.
        clock: Monotonic seconds (injectable for tests).
    """

    def __init__(
        self,
        stream: IO[str],
        *,
        enabled: bool,
        label: str,
        total: int | None = None,
        unit: str = "items",
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if total is not None and (isinstance(total, bool) or total < 0):
            raise ValueError(f"total: must be None or >= 0, got {total!r}")
        self.stream = stream
        self.enabled = enabled
        self.label = label
        self.total = total
        self.unit = unit
        self.interval = interval
        self._clock = clock
        self._started = clock()
        self._last_draw = float("-inf")
        self._drawn = False
        self.done = 0
        self.extra = ""

    @property
    def elapsed(self) -> float:
        """Seconds since the line was created."""
        return self._clock() - self._started

    @property
    def rate(self) -> float:
        """Units per second so far."""
        elapsed = self.elapsed
        return self.done / elapsed if elapsed > 0 else 0.0

    def render(self, width: int = 24) -> str:
        """The status text (without control characters)."""
        parts = [self.label]
        if self.total:
            filled = min(width, int(width * self.done / self.total))
            parts.append("[" + "#" * filled + "." * (width - filled) + "]")
            parts.append(
                f"{self.done}/{self.total} {self.unit} ({100 * self.done / self.total:.0f}%)"
            )
        else:
            parts.append(f"{self.done} {self.unit}")
        parts.append(f"{self.rate:,.0f}/s")
        if self.extra:
            parts.append(self.extra)
        return "  ".join(parts)

    def update(
        self, done: int | None = None, *, extra: str | None = None, force: bool = False
    ) -> None:
        """Set the count (and the trailing text) and redraw if it is time to."""
        if done is not None:
            self.done = done
        if extra is not None:
            self.extra = extra
        if not self.enabled:
            return
        now = self._clock()
        if not force and now - self._last_draw < self.interval:
            return
        self._last_draw = now
        self.stream.write(_CLEAR + self.render())
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """Draw the final state and end the line."""
        if not self.enabled:
            return
        self.update(force=True)
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
