"""The scheduling of a bulk call's creates: ``concurrency`` workers share a queue of
drafts, each keeping its account slot from a create that succeeded for its next draft
(the coordinator's slot exchange) and giving it back before it waits; a 409 re-queues
its draft after a jittered exponential backoff (pulled forward when a worker would
otherwise idle while creates succeed); a stop, a deadline or a coordinator failure
settles what has not started as ``not_attempted``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Final

import backoff

from .._clock import Clock
from ..coordination import Coordinator, SlotLease
from ._create import _Creator, _Pace
from ._drafts import _Attempt, _Draft, _Outcome
from ._reconcile import _Reconciler
from ._results import _Tally
from ._types import BulkStatus

logger = logging.getLogger("freshbooks_async.bulk")

#: The smallest adaptive 409 backoff ceiling (seconds), for near-zero latencies.
_MIN_ADAPTIVE_BACKOFF: Final = 0.001


class _Scheduler:
    """The workers of one call, their queue, the drafts backing off, and stopping."""

    def __init__(
        self,
        creator: _Creator,
        reconciler: _Reconciler,
        tally: _Tally,
        pace: _Pace,
        clock: Clock,
        *,
        max_attempts: int,
        backoff_base: float | None,
        backoff_max: float,
        stop: asyncio.Event | None,
        deadline: float | None,
    ) -> None:
        self.creator = creator
        self.reconciler = reconciler
        self.tally = tally
        self.pace = pace
        self.clock = clock
        self.coordinator: Coordinator = creator.coordinator
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.stop = stop if stop is not None else asyncio.Event()
        self.deadline = deadline  # on the client's monotonic clock, once the call starts
        self.stop_error: BaseException | None = None  # why the call stopped by itself
        self.stopped = False
        self.ready: deque[_Draft] = deque()
        self.timers: dict[asyncio.Task[None], _Draft] = {}  # drafts in 409 backoff
        self.busy = 0  # workers in an attempt (or reconciling set-aside drafts)
        self.changed = asyncio.Event()  # wakes idle workers: work queued, stop, or done
        # Cancelled timers not finished yet, awaited at the end (a finished one leaves, so
        # its cancellation's traceback does not keep its draft alive).
        self.graveyard: set[asyncio.Task[None]] = set()

    def requeue(self, draft: _Draft, *, wait: bool = False, streak: int = 0) -> None:
        """Post ``draft`` again, at once or after a backoff whose ceiling doubles with
        ``streak`` (default: the draft's attempts so far)."""
        if draft.attempts >= self.max_attempts:
            self.tally.settle_draft(draft, BulkStatus.FAILED)
        elif self.stopping():
            self.tally.settle_draft(draft, BulkStatus.NOT_ATTEMPTED, error=self.halt_error(draft))
        elif not wait:
            self.ready.append(draft)
            self.changed.set()
        else:
            draft.backoff_mark = self.tally.counts[BulkStatus.CREATED]
            waiting = self.backoff_wait(streak or draft.attempts)
            self.timers[asyncio.ensure_future(waiting)] = draft

    def bury(self, timer: asyncio.Task[None]) -> None:
        """Cancel a backoff timer; it is awaited at the end unless it finishes first."""
        timer.cancel()
        self.graveyard.add(timer)
        timer.add_done_callback(self.graveyard.discard)

    def pull_forward(self) -> _Draft | None:
        """The draft backing off longest, taken out of its backoff, unless this is a
        409 storm; else ``None``.

        Called when a worker finds nothing ready: its slot would stay idle until a
        backoff ends. Backoff spreads retries out while creates keep failing (a 409
        storm: nothing succeeds, and every draft waits its full backoff). When creates
        succeed (most of the call's last ``max(8, 2 x concurrency)`` outcomes, or one
        since the draft's 409), a 409 was a collision among successes, and waiting on an
        idle slot only makes the batch's tail longer: the retry takes a slot that is
        free, so the call never has more creates in flight than with every slot busy.
        """
        created = self.tally.counts[BulkStatus.CREATED]
        recent = self.pace.recent
        succeeding = 2 * sum(recent) > len(recent)
        for timer, draft in self.timers.items():  # in the order the backoffs began
            if succeeding or created > draft.backoff_mark:
                del self.timers[timer]
                self.bury(timer)
                return draft
        return None

    async def backoff_wait(self, streak: int) -> None:
        """The backoff of the draft ``self.timers`` holds for this task: sleep, then queue
        it (unless it was taken forward or the call halted meanwhile).

        The draft is not an argument: a timer cancelled before it ever ran (taken forward
        while the workers kept the loop busy) holds its coroutine until the loop delivers
        the cancellation, and the draft, settled by then, must not live on with it.
        """
        base = self.backoff_base
        if base is None:  # adaptive: about one observed create round trip
            base = max(_MIN_ADAPTIVE_BACKOFF, self.pace.latency or 0.0)
        ceiling = min(self.backoff_max, base * 2 ** max(0, streak - 1))
        await self.clock.sleep(backoff.full_jitter(ceiling))
        timer = asyncio.current_task()
        draft = self.timers.pop(timer, None) if timer is not None else None
        if draft is not None:
            self.ready.append(draft)
            self.changed.set()

    def stopping(self) -> bool:
        if self.stop.is_set():
            return True
        if self.deadline is not None and self.clock.monotonic() >= self.deadline:
            self.stop.set()
            return True
        return False

    def give_up(self, error: BaseException) -> None:
        """Stop the call because nothing more can be sent (the journal or the coordinator
        failed): what has not started is ``not_attempted`` with ``error``."""
        if self.stop_error is None:
            logger.error("bulk create: %s; stopping (nothing more is sent)", error)
            self.stop_error = error
        self.stop.set()
        self.changed.set()

    def halt(self) -> None:
        """Stop requested: settle everything that has not started."""
        self.stopped = True
        while self.ready:
            draft = self.ready.popleft()
            self.tally.settle_draft(draft, BulkStatus.NOT_ATTEMPTED, error=self.halt_error(draft))
        for timer, draft in self.timers.items():
            self.bury(timer)
            self.tally.settle_draft(draft, BulkStatus.NOT_ATTEMPTED, error=self.halt_error(draft))
        self.timers.clear()

    def halt_error(self, draft: _Draft) -> BaseException | None:
        """The error a draft stopped before its (next) POST is reported with."""
        return draft.last_error if draft.last_error is not None else self.stop_error

    def handle(self, result: _Attempt) -> None:
        draft = result.draft
        outcome = result.outcome
        if outcome is _Outcome.CREATED:
            if result.reconciled:
                self.tally.reconciled += 1
            self.tally.settle_draft(
                draft,
                BulkStatus.CREATED,
                invoice=result.invoice,
                error=None,
                reconciled=result.reconciled,
            )
            self.pace.recent.append(True)
            if self.timers:
                self.changed.set()  # idle workers may take a backed-off draft now
        elif outcome is _Outcome.FAILED:
            self.tally.settle_draft(draft, BulkStatus.FAILED, error=result.error)
        elif outcome is _Outcome.UNKNOWN:
            self.tally.settle_draft(draft, BulkStatus.UNKNOWN, error=result.error)
        elif outcome is _Outcome.NOT_SENT:
            # The journal (on_send) or the coordinator failed before the POST left: the
            # drafts after it would fail alike, so the call stops.
            assert result.error is not None
            self.tally.settle_draft(draft, BulkStatus.NOT_ATTEMPTED, error=result.error)
            self.give_up(result.error)
        elif outcome is _Outcome.DEFER:
            self.reconciler.deferred.append(draft)
        elif outcome is _Outcome.NUMBER_TAKEN:  # the numbering moved on in the attempt task
            draft.number = None
            self.creator.to_number += 1
            self.requeue(draft)
        elif (
            outcome is _Outcome.CONFLICT
            and self.creator.numbers is not None
            and not draft.own_number
        ):
            # A 409 for a number this call chose is about that number, not a race with
            # this call's other creates: the backoff restarts with each new number
            # (a second 409 for the same number re-numbers the draft).
            self.requeue(draft, wait=True, streak=draft.number_conflicts)
        else:  # CONFLICT / RETRY: back off, then try again
            self.requeue(draft, wait=True)

    async def worker(self) -> None:
        """Post drafts one after another until none is left.

        ``concurrency`` workers share the queue: a worker handles its answer and posts the
        next draft in the same step, so no coordinator hop delays the next POST. A worker
        whose create succeeded and that has a draft to post at once keeps its account slot
        for it (exchanged in one step, which costs a shared coordinator no round trip while
        no one else waits); a worker with nothing to post at once gives its slot back
        before it waits.
        """
        kept: list[SlotLease] = []  # the slot of the last create, for the next draft
        try:
            while True:
                if kept and not self.ready:
                    await self.creator.give_back(kept.pop())
                draft = await self.next_draft()
                if draft is None:
                    return
                self.busy += 1
                try:
                    result = await self.creator.attempt_once(draft, kept)
                finally:
                    self.busy -= 1
                self.handle(result)
                del draft, result  # settled or queued again: not this idle worker's to keep
                if not self.busy:
                    self.changed.set()  # maybe the last one: idle workers decide what is next
        finally:
            if kept:  # cancelled, or the call ends
                await self.creator.give_back(kept.pop())

    async def next_draft(self) -> _Draft | None:
        """The next draft to post, waiting while others are in flight or backing off;
        ``None`` once every draft is settled."""
        while True:
            # (A stop during the call's setup halts before any draft is queued: what was
            # queued after it is settled here, never posted.)
            if (not self.stopped or self.ready) and self.stopping():
                self.halt()
            if self.ready:
                return self.ready.popleft()
            if self.timers and not self.stopped:
                pulled = self.pull_forward()
                if pulled is not None:
                    return pulled
            if not self.busy and not self.timers:
                if not self.reconciler.deferred:
                    self.changed.set()  # the other idle workers finish too
                    return None
                # Every other create has finished: match the set-aside drafts now.
                self.busy += 1
                try:
                    await self.reconciler.reconcile_deferred(self.requeue)
                finally:
                    self.busy -= 1
                    self.changed.set()
                continue
            self.changed.clear()
            await self.changed.wait()

    def on_stop(self, waker: asyncio.Future[None]) -> None:
        """Stop requested or deadline passed: settle what has not started at once (even
        while every worker waits on a POST), and wake idle workers to finish."""
        if not waker.cancelled() and not self.stopped and self.stopping():
            self.halt()
        self.changed.set()

    async def wake_on_stop(self) -> None:
        """Ends when ``stop`` is set or the deadline passes (so idle workers wake)."""
        if self.deadline is None:
            await self.stop.wait()
            return
        remaining = self.deadline - self.clock.monotonic()
        if remaining > 0:
            stop_wait = asyncio.ensure_future(self.stop.wait())
            sleeper = asyncio.ensure_future(self.clock.sleep(remaining))
            try:
                await asyncio.wait({stop_wait, sleeper}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stop_wait.cancel()
                sleeper.cancel()
                await asyncio.gather(stop_wait, sleeper, return_exceptions=True)
