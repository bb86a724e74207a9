"""An event loop whose timers fire when they are due, for the sandbox's own process.

asyncio's epoll selector rounds every wait up to a whole millisecond
(``selectors.EpollSelector.select``): ``epoll_wait`` counts milliseconds. With many
answers held back at once (``latency_ms``), the next timer is usually due a fraction of a
millisecond later, and each wait for it overshoots by up to a millisecond: measured, 16
concurrent 10 ms delays ended 0.5-0.8 ms late on average, 5-8% more latency than asked
for, added to every request of a latency benchmark. :class:`PreciseEpollSelector` waits
on the epoll descriptor itself with ``select()``, whose timeout has microsecond
resolution (measured: 0.1 ms late, the kernel's timer slack), then collects the events
with a non-blocking ``epoll_wait``.

Only ``python -m freshbooks_async.sandbox`` uses it: a library must not replace its
caller's loop, so an in-process :class:`~freshbooks_async.sandbox.SandboxServer` runs on
whatever loop the caller has.
"""

from __future__ import annotations

import asyncio
import select
import selectors
from collections.abc import Callable

__all__ = ["loop_factory"]


if hasattr(selectors, "EpollSelector"):

    class PreciseEpollSelector(selectors.EpollSelector):
        """An epoll selector whose timeouts are not rounded up to whole milliseconds."""

        def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
            if timeout is not None and timeout > 0:
                try:
                    # The epoll descriptor is readable once any registered one is ready.
                    select.select([self.fileno()], [], [], timeout)
                except ValueError:  # a descriptor number beyond select()'s FD_SETSIZE
                    return super().select(timeout)
                timeout = 0
            return super().select(timeout)


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """A factory of loops with precise timers where the platform needs one (epoll), or
    ``None`` for the default loop (kqueue and Windows wait with finer timeouts).

    For a process of its own that serves a sandbox holding answers back
    (``latency_ms``), as ``python -m freshbooks_async.sandbox`` does::

        with asyncio.Runner(loop_factory=loop_factory()) as runner:
            runner.run(serve())

    An in-process :class:`~freshbooks_async.sandbox.SandboxServer` runs on whatever loop
    its caller has: a library does not replace it.
    """
    if not hasattr(selectors, "EpollSelector"):
        return None
    return lambda: asyncio.SelectorEventLoop(PreciseEpollSelector())
