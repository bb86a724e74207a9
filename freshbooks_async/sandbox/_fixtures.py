"""Plain pytest fixtures for the sandbox (re-exported by ``freshbooks_async.testing``).

* ``sandbox``        a fresh in-process :class:`Sandbox` (use ``MockTransport(sandbox.handle)``)
* ``sandbox_server`` a :class:`SandboxServer` on loopback (``.url``, ``.sandbox``, ``.token``)
* ``sandbox_token``  the bearer token of the ``sandbox`` fixture
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from ._core import Sandbox
from ._web import SandboxServer

__all__ = ["sandbox", "sandbox_server", "sandbox_token"]


@pytest.fixture
def sandbox() -> Sandbox:
    """A fresh in-process sandbox (seed 0, one business ``ACC001`` / business_id 1)."""
    return Sandbox()


@pytest.fixture
def sandbox_token(sandbox: Sandbox) -> str:
    """The all-scopes access token of the ``sandbox`` fixture."""
    return sandbox.token


@pytest_asyncio.fixture
async def sandbox_server(sandbox: Sandbox) -> AsyncIterator[SandboxServer]:
    """The ``sandbox`` fixture served on 127.0.0.1 (an ephemeral port)."""
    async with SandboxServer(sandbox) as server:
        yield server
