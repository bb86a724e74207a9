"""The pytest plugin (entry point ``freshbooks_async``): sandbox fixtures for your tests.

Installing the package registers it with pytest. It costs unrelated test runs nothing:
importing it imports neither the sandbox nor aiohttp (each fixture imports what it needs
when a test asks for it).

* ``sandbox``: a fresh in-process :class:`~freshbooks_async.sandbox.Sandbox`;
* ``sandbox_token``: its all-scopes access token;
* ``sandbox_server``: that sandbox served on 127.0.0.1 (``.url``, ``.token``,
  ``.sandbox``). It is an async fixture and needs ``pytest-asyncio``
  (``pip install "freshbooks-async[pytest]"``); without it, a test that asks for it fails
  with that hint instead of "fixture not found".
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, NoReturn

import pytest

if TYPE_CHECKING:
    from .sandbox import Sandbox, SandboxServer

__all__ = ["sandbox", "sandbox_server", "sandbox_token"]

#: What a test that asks for ``sandbox_server`` is told when pytest-asyncio is missing.
NEEDS_PYTEST_ASYNCIO = (
    "the sandbox_server fixture is async and needs pytest-asyncio: "
    'pip install "freshbooks-async[pytest]" (or pytest-asyncio), then set '
    'asyncio_mode = "auto" in your pytest configuration or mark the test with '
    "@pytest.mark.asyncio. The sync fixtures `sandbox` and `sandbox_token` work without it."
)


@pytest.fixture
def sandbox() -> Sandbox:
    """A fresh in-process sandbox (seed 0, one business ``ACC001`` / business_id 1)."""
    from .sandbox import Sandbox

    return Sandbox()


@pytest.fixture
def sandbox_token(sandbox: Sandbox) -> str:
    """The all-scopes access token of the ``sandbox`` fixture."""
    return sandbox.token


async def _serve(sandbox: Sandbox) -> AsyncIterator[SandboxServer]:
    """The ``sandbox`` fixture served on 127.0.0.1 (an ephemeral port)."""
    from .sandbox import SandboxServer

    async with SandboxServer(sandbox) as server:
        yield server


def _needs_pytest_asyncio() -> NoReturn:
    """Stands in for ``sandbox_server`` without pytest-asyncio: says what to install."""
    pytest.fail(NEEDS_PYTEST_ASYNCIO, pytrace=False)


sandbox_server: object
try:
    import pytest_asyncio
except ImportError:
    sandbox_server = pytest.fixture(_needs_pytest_asyncio, name="sandbox_server")
else:
    sandbox_server = pytest_asyncio.fixture(_serve, name="sandbox_server")
