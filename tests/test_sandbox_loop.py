"""The sandbox process's event loop: timeouts are not rounded up to whole milliseconds.

Nothing here measures time: the tests check what the selector asks the kernel for (the
timeout reaches ``select()`` unrounded, ``epoll_wait`` is only polled) and that readiness
is still reported. The effect on latency is measured in ``benchmarks/`` (see
docs/performance.rst, "How the sandbox adds latency").
"""

from __future__ import annotations

import asyncio
import select
import selectors
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from freshbooks_async.sandbox import __main__ as sandbox_main
from freshbooks_async.sandbox import _loop

pytestmark = pytest.mark.skipif(
    not hasattr(selectors, "EpollSelector"), reason="epoll only (Linux)"
)


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    a, b = socket.socketpair()
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def spy_select(monkeypatch: pytest.MonkeyPatch, calls: list[float | None]) -> None:
    real = select.select

    def recording(r: Any, w: Any, x: Any, timeout: float | None = None) -> Any:
        calls.append(timeout)
        return real(r, w, x, timeout)

    monkeypatch.setattr(select, "select", recording)


def spy_epoll(selector: selectors.EpollSelector, calls: list[float]) -> None:
    real = selector._selector  # type: ignore[attr-defined]

    class Recording:
        def poll(self, timeout: float = -1, maxevents: int = -1) -> Any:
            calls.append(timeout)
            return real.poll(timeout, maxevents)

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

    selector._selector = Recording()  # type: ignore[attr-defined]


def spied(
    monkeypatch: pytest.MonkeyPatch, sock: socket.socket
) -> tuple[_loop.PreciseEpollSelector, list[float | None], list[float]]:
    """A precise selector watching ``sock``, with the timeouts given to ``select()`` and
    to ``epoll_wait`` recorded."""
    selector = _loop.PreciseEpollSelector()
    selector.register(sock, selectors.EVENT_READ)
    waits: list[float | None] = []
    polls: list[float] = []
    spy_select(monkeypatch, waits)
    spy_epoll(selector, polls)
    return selector, waits, polls


def test_a_sub_millisecond_timeout_reaches_select_unrounded(
    monkeypatch: pytest.MonkeyPatch, pair: tuple[socket.socket, socket.socket]
) -> None:
    selector, waits, polls = spied(monkeypatch, pair[0])
    try:
        assert selector.select(0.0003) == []
        assert waits == [0.0003]  # the stock selector would wait math.ceil(0.3) = 1 ms
        assert polls == [0]  # epoll_wait only collects, never waits
    finally:
        selector.close()


def test_readiness_is_reported_at_once(pair: tuple[socket.socket, socket.socket]) -> None:
    selector = _loop.PreciseEpollSelector()
    key = selector.register(pair[0], selectors.EVENT_READ, data="reader")
    try:
        assert selector.select(0) == []
        pair[1].send(b"x")
        events = selector.select(30.0)  # returns as soon as the socket is readable
        assert events == [(key, selectors.EVENT_READ)]
    finally:
        selector.close()


def test_no_timeout_and_zero_timeout_keep_the_stock_behaviour(
    monkeypatch: pytest.MonkeyPatch, pair: tuple[socket.socket, socket.socket]
) -> None:
    selector, waits, polls = spied(monkeypatch, pair[0])
    try:
        pair[1].send(b"x")
        assert len(selector.select(None)) == 1  # blocks in epoll_wait itself (-1)
        assert len(selector.select(0)) == 1
        assert waits == []
        assert polls == [-1, 0]
    finally:
        selector.close()


def test_a_descriptor_beyond_fd_setsize_falls_back_to_epoll_wait(
    monkeypatch: pytest.MonkeyPatch, pair: tuple[socket.socket, socket.socket]
) -> None:
    def refuse(*_args: Any) -> Any:
        raise ValueError("filedescriptor out of range in select()")

    monkeypatch.setattr(select, "select", refuse)
    selector = _loop.PreciseEpollSelector()
    selector.register(pair[0], selectors.EVENT_READ)
    polls: list[float] = []
    spy_epoll(selector, polls)
    try:
        pair[1].send(b"x")
        assert len(selector.select(0.0003)) == 1
        assert polls == [0.001]  # the stock rounding, as before
    finally:
        selector.close()


def test_the_loop_runs_timers_and_io() -> None:
    factory = _loop.loop_factory()
    assert factory is not None

    async def main() -> bytes:
        loop = asyncio.get_running_loop()
        assert isinstance(loop._selector, _loop.PreciseEpollSelector)  # type: ignore[attr-defined]
        await asyncio.sleep(0.0005)
        reader_sock, writer_sock = socket.socketpair()
        reader, writer = await asyncio.open_connection(sock=reader_sock)
        try:
            loop.call_later(0.0002, writer_sock.send, b"ping")
            return await asyncio.wait_for(reader.read(4), 30)
        finally:
            writer.close()
            writer_sock.close()

    with asyncio.Runner(loop_factory=factory) as runner:
        assert runner.run(main()) == b"ping"


def test_the_sandbox_command_runs_on_that_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[type[selectors.BaseSelector]] = []

    async def serve(_args: Any) -> None:
        seen.append(type(asyncio.get_running_loop()._selector))  # type: ignore[attr-defined]

    monkeypatch.setattr(sandbox_main, "_serve", serve)
    assert sandbox_main.main(["--port", "0"]) == 0
    assert seen == [_loop.PreciseEpollSelector]
