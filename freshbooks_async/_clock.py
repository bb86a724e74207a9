"""Time and sleeping, behind one seam so tests run in zero wall time."""

from __future__ import annotations

import asyncio
import time
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "FakeClock", "SystemClock"]


@runtime_checkable
class Clock(Protocol):
    """Where the SDK reads time and sleeps."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (for durations)."""
        ...

    def time(self) -> float:
        """Wall-clock Unix time (for HTTP dates and token expiry)."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""
        ...


class SystemClock:
    """The real clock: :func:`time.monotonic`, :func:`time.time`, :func:`asyncio.sleep`."""

    def monotonic(self) -> float:
        """See :meth:`Clock.monotonic`."""
        return time.monotonic()

    def time(self) -> float:
        """See :meth:`Clock.time`."""
        return time.time()

    async def sleep(self, seconds: float) -> None:
        """See :meth:`Clock.sleep`."""
        await asyncio.sleep(seconds)

    def __repr__(self) -> str:
        return "SystemClock()"


class FakeClock:
    """A clock for tests: sleeping advances time at once and records the wait.

    Every ``sleep`` still yields to the event loop once, so concurrent tasks interleave
    as they would for real, but no wall time passes.

    Attributes:
        sleeps: Every duration passed to :meth:`sleep`, in call order.
    """

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        if start < 0:
            raise ValueError(f"start: must be >= 0, got {start!r}")
        self._now = float(start)
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        """See :meth:`Clock.monotonic`."""
        return self._now

    def time(self) -> float:
        """See :meth:`Clock.time`."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward without sleeping."""
        if seconds < 0:
            raise ValueError(f"seconds: must be >= 0, got {seconds!r}")
        self._now += seconds

    async def sleep(self, seconds: float) -> None:
        """Record ``seconds``, advance time by it, and yield once to the loop."""
        if seconds < 0:
            raise ValueError(f"seconds: must be >= 0, got {seconds!r}")
        self.sleeps.append(seconds)
        self._now += seconds
        await asyncio.sleep(0)

    def __repr__(self) -> str:
        return f"FakeClock(now={self._now!r}, sleeps={len(self.sleeps)})"
