"""Helpers for testing code that uses freshbooks_async (ours and yours).

* :class:`MockTransport` answers requests from a function, in-process.
* :class:`Router` is such a function: routes by method and path pattern, scripted
  response sequences, a call log, and exceptions as responses.
* :class:`FakeClock` makes retries and backoff take zero wall time.
* :func:`sample_json` builds a JSON object that decodes into a given model (every field
  FreshBooks always sends, with sample values), to stub answers with.
* The sandbox (:mod:`freshbooks_async.sandbox`) is a faithful FreshBooks emulator:
  ``MockTransport(Sandbox().handle)`` in-process, or ``SandboxServer()`` on loopback.

Installing the package also registers a pytest plugin (entry point ``freshbooks_async``)
with the fixtures ``sandbox``, ``sandbox_token`` and ``sandbox_server``; see
:doc:`/testing`. Example (``asyncio_mode = "auto"``, or mark it ``@pytest.mark.asyncio``)::

    async def test_my_sync(sandbox_server):
        async with FreshBooksClient(sandbox_server.token, base_url=sandbox_server.url) as fb:
            ...
"""

from __future__ import annotations

from ._clock import FakeClock
from .models._samples import sample_json
from .sandbox import Sandbox, SandboxServer
from .transports._mock import MockTransport
from .transports._router import Route, Router

__all__ = [
    "FakeClock",
    "MockTransport",
    "Route",
    "Router",
    "Sandbox",
    "SandboxServer",
    "sample_json",
]
