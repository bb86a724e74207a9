"""Client numbering's invoice numbers for a bulk call (``numbering="client"``): the
account's counter in the client's coordinator, seeded from the numbers in use, and what a
taken number does to it. The increment rule itself is :mod:`freshbooks_async._numbering`'s.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Final

from .._numbering import NumberAllocator
from ..coordination import Coordinator, next_invoice_numbers
from ..errors import CoordinatorError, FreshBooksError, NumberingNotSeededError

logger = logging.getLogger("freshbooks_async.bulk")


def _retrieve(future: asyncio.Future[Any]) -> None:
    """Mark a shared task's exception retrieved (its waiters, if any, got it)."""
    if not future.cancelled():
        future.exception()


#: Re-seeds of a lost shared counter one allocation tries before giving up.
_MAX_RESEEDS: Final = 3


class _ClientNumbering:
    """Where client numbering's invoice numbers come from: the account's counter in the
    client's coordinator (shared by every client and process using it), seeded from the
    numbers in use; and where taken numbers are reported.

    Numbers are asked for a round of drafts at a time (as many as the call's concurrency,
    at most as many as drafts still need one), together: a shared coordinator answers
    them in one round trip. ``taken`` moves the counter past a number found taken and
    re-reads the numbers in use, once per round of collisions in this call: creates that
    find out at once share one read, and a number chosen before the last read never
    causes another. A counter that lost its value (a Redis restart without persistence)
    is seeded again from the numbers in use, past the last number this call saw.
    """

    def __init__(
        self,
        coordinator: Coordinator,
        account_id: str,
        read_in_use: Callable[[], Awaitable[list[str]]],
        reserved: set[str],
        wanted: Callable[[], int],
        chunk: int,
    ) -> None:
        self.coordinator = coordinator
        self.account_id = account_id
        self.read_in_use = read_in_use
        self.reserved = reserved  # the batch's own numbers: never handed out
        self.wanted = wanted  # how many drafts still need a number
        self.chunk = chunk
        self.numbers: deque[str] = deque()  # handed out by the counter, not used yet
        self.anchor: str | None = None  # the last number known, in the counter's sequence
        self.generation = 0  # re-reads after a taken number so far
        self.seeds = 0  # (re-)seedings so far
        self.lock = asyncio.Lock()
        self.fetching: asyncio.Future[None] | None = None

    async def seed(self, newest: str | None, in_use: Iterable[str]) -> None:
        """Seed the counter (or move it forward) past the highest number in use in the
        sequence of the account's newest invoice.

        Raises:
            CoordinatorError: The coordinator failed.
        """
        start = NumberAllocator.seeded(newest, in_use).last
        await self.coordinator.advance_invoice_numbers(self.account_id, start)
        self.anchor = start
        self.seeds += 1

    async def allocate(self) -> tuple[str, int]:
        """A number for a draft, and the generation it was chosen in.

        Raises:
            CoordinatorError: The coordinator failed, or its counter stayed unseeded.
            FreshBooksError: Reading the numbers in use to seed it again failed.
        """
        while True:
            if self.numbers:
                number = self.numbers.popleft()
                if number in self.reserved:
                    continue
                if len(self.numbers) < self.chunk // 2:
                    # The next round's numbers on their way before they are needed (never
                    # more than the drafts after this one need).
                    self.start_fetch(self.wanted() - 1 - len(self.numbers))
                return number, self.generation
            # One fetch for every draft that needs a number now; all wake when it ends.
            fetching = self.start_fetch(max(1, self.wanted()))
            if fetching is None:
                continue
            await asyncio.shield(fetching)

    def start_fetch(self, wanted: int) -> asyncio.Future[None] | None:
        """The fetch under way, or a new one for ``wanted`` numbers (``None`` if none
        are wanted)."""
        fetching = self.fetching
        if fetching is not None and not fetching.done():
            return fetching
        if wanted <= 0:
            return None
        fetching = self.fetching = asyncio.ensure_future(self.fetch(wanted))
        fetching.add_done_callback(_retrieve)
        return fetching

    async def fetch(self, wanted: int) -> None:
        """Ask the counter for the next round of numbers, at most ``wanted``, in one call
        (:func:`~freshbooks_async.coordination.next_invoice_numbers`: one round trip to a
        shared coordinator)."""
        count = max(1, min(self.chunk, wanted))
        reseeds = 0
        while True:
            try:
                numbers = await next_invoice_numbers(self.coordinator, self.account_id, count)
            except NumberingNotSeededError:
                if reseeds >= _MAX_RESEEDS:
                    raise
                reseeds += 1
                await self.reseed()
                continue
            self.numbers.extend(numbers)  # in the order the counter handed them out
            self.anchor = numbers[-1]  # the counter's sequence, where it was last seen
            return

    async def reseed(self) -> None:
        """The counter lost its value: seed it past the numbers in use and the last number
        this call saw (one read for every allocation that found out at once)."""
        seeds = self.seeds
        async with self.lock:
            if self.seeds != seeds:
                return  # another allocation seeded it meanwhile
            in_use = await self.read_in_use()
            logger.warning(
                "bulk create: account %s: the shared invoice counter lost its value; "
                "seeding it again from the %d numbers in use",
                self.account_id,
                len(in_use),
            )
            allocator = NumberAllocator(self.anchor)
            for used in in_use:
                allocator.jump_past(used)
            await self.coordinator.advance_invoice_numbers(self.account_id, allocator.last)
            self.seeds += 1

    async def taken(self, number: str | None, generation: int) -> None:
        """``number``, chosen in ``generation``, exists: move the counter past it, and past
        the highest number in use unless they were re-read since it was chosen."""
        try:
            await self.coordinator.advance_invoice_numbers(self.account_id, number)
        except CoordinatorError as exc:
            # The next allocation meets the same failure (and stops the call), or the
            # coordinator is back and a number still taken draws one more collision.
            logger.warning("bulk create: moving the invoice counter failed: %s", exc)
            return
        async with self.lock:
            if generation < self.generation:
                return  # a re-read already happened since this number was chosen
            self.generation += 1
            self.numbers.clear()  # handed out before the collision: may be taken too
            try:
                in_use = await self.read_in_use()
            except FreshBooksError as exc:
                logger.warning("bulk create: re-reading the invoice numbers failed: %s", exc)
                return
            allocator = NumberAllocator(number)
            for used in in_use:
                allocator.jump_past(used)
            if allocator.last != number:
                try:
                    await self.coordinator.advance_invoice_numbers(self.account_id, allocator.last)
                except CoordinatorError as exc:
                    logger.warning("bulk create: moving the invoice counter failed: %s", exc)
