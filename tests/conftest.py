"""Fixtures shared by several test modules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from redis_proc import RedisServer, running_redis


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A real ``redis-server`` on a free 127.0.0.1 port, without persistence, stopped at
    the end (skipped with an install hint when ``redis-server`` is missing; a failure
    when ``CI=true``)."""
    with running_redis(tmp_path) as server:
        yield server
