"""Helpers for testing code that uses freshbooks_async (ours and yours).

* :class:`MockTransport` answers requests from a function, in-process.
* :class:`Router` is such a function: routes by method and path pattern, scripted
  response sequences, a call log, and exceptions as responses.
* :class:`FakeClock` makes retries and backoff take zero wall time.

This module is also a pytest plugin (entry point ``freshbooks_async``): installing the
package makes its fixtures available to every test suite.
"""

from __future__ import annotations

from ._clock import FakeClock
from .transports._mock import MockTransport
from .transports._router import Route, Router

__all__ = ["FakeClock", "MockTransport", "Route", "Router"]
