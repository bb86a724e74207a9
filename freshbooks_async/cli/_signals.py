"""Ctrl-C (SIGINT) and SIGTERM while a command runs: a clean stop, the same for both.

The first signal sets :attr:`StopSignals.event`. A command inside
:meth:`StopSignals.graceful` winds down on it (``bulk-create``: no new create starts,
the creates on the wire finish and are recorded, the rest is recorded
``not_attempted``); any other command is cancelled at once (``export``: its checkpoint
already holds the last complete page). A second signal cancels in any case. The command
then exits with ``128 + the signal number`` (130 for SIGINT, 143 for SIGTERM) and a
one-line message on stderr.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterator

from ._common import CLIError

__all__ = ["Interrupted", "StopSignals"]

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(CLIError):
    """The command stopped on a signal.

    Args:
        signum: The signal (``signal.SIGTERM``...).
        detail: What was done and what is left, for the message.

    Attributes:
        signum: The signal; the exit status is ``128 + signum``.
    """

    def __init__(self, signum: int, detail: str = "") -> None:
        name = signal.Signals(signum).name
        super().__init__(f"interrupted by {name}" + (f": {detail}" if detail else ""), 128 + signum)
        self.signum = signum


class StopSignals:
    """SIGINT and SIGTERM handlers for the running event loop (see the module docs).

    Attributes:
        signum: The first signal received, or ``None``.
        event: Set on the first signal.
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self.event = asyncio.Event()
        self._graceful = False
        self._task: asyncio.Task[object] | None = None
        self._installed: list[int] = []

    def install(self) -> None:
        """Handle the signals in the running loop, for the current task. Where the loop
        cannot (Windows, a thread other than the main one) the defaults stay."""
        loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        for signum in _SIGNALS:
            try:
                loop.add_signal_handler(signum, self._on_signal, signum)
            except (NotImplementedError, RuntimeError, ValueError):
                continue
            self._installed.append(signum)

    def remove(self) -> None:
        """Restore the default handlers."""
        loop = asyncio.get_running_loop()
        while self._installed:
            loop.remove_signal_handler(self._installed.pop())

    @contextlib.contextmanager
    def graceful(self) -> Iterator[asyncio.Event]:
        """While inside, the first signal only sets the event it yields (a second one
        still cancels)."""
        self._graceful = True
        try:
            yield self.event
        finally:
            self._graceful = False

    def _on_signal(self, signum: int) -> None:
        first = self.signum is None
        if first:
            self.signum = signum
            self.event.set()
        if (not first or not self._graceful) and self._task is not None:
            self._task.cancel()
