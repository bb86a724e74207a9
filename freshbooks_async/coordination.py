"""Per-account state shared by every process that works on the same FreshBooks accounts.

A FreshBooks account has limits that hold across all of its callers: invoice creates
race for numbers (the more in flight, the more 409s), client-assigned numbers must not
be handed out twice, and a retry budget only protects a failing service if every caller
spends from the same one. Inside one process the SDK keeps this state in memory
(:class:`InProcessCoordinator`, the default). Several processes (gunicorn/uvicorn
workers, job-queue workers, several hosts) share it through a :class:`Coordinator`
such as :class:`freshbooks_async.redis.RedisCoordinator`::

    from freshbooks_async.redis import RedisCoordinator

    coordinator = RedisCoordinator.from_url("redis://cache:6379/0")
    async with FreshBooksClient(token_provider=session, coordinator=coordinator) as fb:
        ...

The protocol is small so that you can write your own (on Postgres advisory locks, on
etcd...): see :class:`Coordinator` and the "Running on many workers" guide. Its
operations:

* **Account slots** (:meth:`Coordinator.acquire_slot` / :meth:`Coordinator.release_slot`,
  or :func:`account_slot`): at most ``limit`` holders per account at once, all processes
  together. A slot is a *lease*: an implementation that spans processes gives it an
  expiry that its holder keeps renewing, so a holder killed with ``SIGKILL`` frees its
  slot within the lease, and never blocks the account forever. A holder that goes
  straight on to its next operation on the account (a bulk worker between two creates)
  calls :func:`reacquire_slot`: a release and an acquire as one step, which an
  implementation may make cheaper (the optional method ``reacquire_slot(lease)``).
* **Invoice numbers** (:meth:`Coordinator.next_invoice_number`,
  :meth:`Coordinator.advance_invoice_numbers`): one counter per account, seeded with the
  highest number in use and advanced with FreshBooks' increment rule
  (``"0005"`` -> ``"0006"``,
  ``"000D"`` -> ``"000E"``), so no two processes send the same number; a number found
  taken moves the counter past it. :func:`next_invoice_numbers` takes several at once
  (the optional method ``next_invoice_numbers(account_id, count)``).
* **Retry budget** (:meth:`Coordinator.retry_budget`): a
  :class:`~freshbooks_async.retry.RetryBudget` per scope, so an outage one process sees
  slows the retries of all. The client asks for one per account: every request's scope is
  :func:`retry_scope` of its path (``"account:<account_id>"``,
  ``"business:<business_id>"``, or ``"api"`` for the paths of no account).

The token refresh, the other thing processes must agree on (FreshBooks refresh tokens
are single use), is a token-store protocol:
:class:`~freshbooks_async.auth.SharedTokenStore`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
from collections import deque
from collections.abc import AsyncIterator
from typing import Protocol, runtime_checkable

import attrs

from ._numbering import NumberAllocator
from .errors import NumberingNotSeededError
from .retry import RetryBudget

__all__ = [
    "AccountSemaphore",
    "Coordinator",
    "InProcessCoordinator",
    "SlotLease",
    "account_slot",
    "check_account_key",
    "check_limit",
    "next_invoice_numbers",
    "reacquire_slot",
    "retry_scope",
]

#: The retry-budget scope of requests whose path names no account or business.
API_SCOPE = "api"

_SCOPED_PATH = re.compile(r"/(account|business)/([^/?#]+)(?:/|$)")


def retry_scope(path: str) -> str:
    """The retry-budget scope of a request to ``path`` (an API path or a URL's path).

    ``"account:<account_id>"`` for ``/accounting/account/<account_id>/...`` (and the
    events, payments and uploads paths of an account), ``"business:<business_id>"`` for
    ``/projects/business/<business_id>/...`` (time tracking, comments), and ``"api"``
    for the rest (identity, OAuth, upload downloads).

    >>> retry_scope("/accounting/account/ABC123/invoices/invoices")
    'account:ABC123'
    >>> retry_scope("/projects/business/77/projects"), retry_scope("/auth/api/v1/users/me")
    ('business:77', 'api')
    """
    match = _SCOPED_PATH.search(path)
    if match is None:
        return API_SCOPE
    return f"{match[1]}:{match[2]}"


def check_account_key(name: str, value: object) -> str:
    """Check a key naming an account (or another scope): a non-empty single word.

    Raises:
        TypeError: ``value`` is not a str.
        ValueError: It is empty or holds whitespace or control characters.
    """
    if type(value) is str and value in _CHECKED_KEYS:  # every request checks its scope
        return value
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected str, got {type(value).__name__}: {value!r}")
    if not value or any(c.isspace() or not c.isprintable() for c in value):
        raise ValueError(f"{name}: must be a non-empty word without whitespace, got {value!r}")
    if len(_CHECKED_KEYS) >= 4096:
        _CHECKED_KEYS.clear()
    _CHECKED_KEYS.add(value)
    return value


#: Keys :func:`check_account_key` found good (the same few are checked again and again).
_CHECKED_KEYS: set[str] = set()


def check_limit(value: object, name: str = "limit") -> int:
    """Check a slot limit (or another count, named ``name``): an int >= 1.

    Raises:
        TypeError, ValueError: It is not.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}: expected int, got {type(value).__name__}: {value!r}")
    if value < 1:
        raise ValueError(f"{name}: must be >= 1, got {value!r}")
    return value


@attrs.frozen(kw_only=True)
class SlotLease:
    """A slot held on an account, as :meth:`Coordinator.acquire_slot` returned it.

    Attributes:
        account_id: The account the slot belongs to.
        id: Unique among every lease of the coordinator's store (all processes).
        limit: The limit the slot was taken under.
    """

    account_id: str
    id: str
    limit: int


@runtime_checkable
class Coordinator(Protocol):
    """Per-account state shared by every client that uses the same coordinator.

    Implementations: :class:`InProcessCoordinator` (one process; the default) and
    :class:`freshbooks_async.redis.RedisCoordinator` (every process sharing a Redis).
    Every method may be called concurrently from many tasks. Methods that reach a shared
    store raise :class:`~freshbooks_async.errors.CoordinatorUnavailableError` when it
    cannot be reached; the operation is then known not to have taken effect, or to have
    taken an effect that is safe to lose (a slot that expires, a number never used).
    """

    async def acquire_slot(self, account_id: str, limit: int) -> SlotLease:
        """Wait for one of ``account_id``'s ``limit`` slots and take it.

        Waiters are served in about the order they came. A slot must be given back with
        :meth:`release_slot` (or use :func:`account_slot`); a cross-process
        implementation also frees it when its holder stops renewing it (it died).

        Raises:
            CoordinatorUnavailableError: The shared store cannot be reached.
        """
        ...

    async def release_slot(self, lease: SlotLease) -> None:
        """Give a slot back (idempotent: a second release, or one for an expired lease,
        does nothing)."""
        ...

    # Optional (not part of the protocol's required methods, so that coordinators written
    # before them still qualify): ``async def reacquire_slot(self, lease) -> SlotLease``
    # and ``async def next_invoice_numbers(self, account_id, count) -> list[str]``, see
    # the module functions of those names.

    async def next_invoice_number(self, account_id: str) -> str:
        """The account's next invoice number, never handed out before by this counter.

        Raises:
            NumberingNotSeededError: The counter has no value: seed it with
                :meth:`advance_invoice_numbers` (with the highest number in use) first.
            CoordinatorUnavailableError: The shared store cannot be reached.
        """
        ...

    async def advance_invoice_numbers(self, account_id: str, past: str | None) -> bool:
        """Seed the account's counter, or move it past a number known to be in use.

        A missing counter is created so that the next number follows ``past`` (``None``:
        the account has no invoice; the next number is ``"0000001"``). An existing one
        moves to ``past`` when ``past`` lies ahead of it in FreshBooks' numbering
        (compared as the in-process allocator compares numbers); otherwise it is
        left alone.

        Returns:
            True when the counter was created or moved.

        Raises:
            CoordinatorUnavailableError: The shared store cannot be reached.
        """
        ...

    def retry_budget(self, scope: str) -> RetryBudget:
        """The retry budget shared by every client of this coordinator for ``scope``
        (an account id, or any name for a group of requests).

        The returned object is used synchronously (``allows_retry``,
        ``record_success()``, ``record_failure()``); a cross-process implementation
        exchanges its counts with the shared store in the background.

        Return the same object every time for a given ``scope``: a client asks once per
        request path and keeps the budget for later calls to that path.
        """
        ...

    async def aclose(self) -> None:
        """Stop background work and close connections this coordinator opened."""
        ...


@contextlib.asynccontextmanager
async def account_slot(
    coordinator: Coordinator, account_id: str, limit: int
) -> AsyncIterator[SlotLease]:
    """Hold one of ``account_id``'s slots for the ``async with`` block::

        async with account_slot(coordinator, "ABC123", 4):
            await fb.invoices.create("ABC123", draft)

    The slot is given back however the block ends, cancellation included.
    """
    lease = await coordinator.acquire_slot(account_id, limit)
    try:
        yield lease
    finally:
        # A cancelled holder still gives its slot back (shielded: the release must run).
        await asyncio.shield(coordinator.release_slot(lease))


async def reacquire_slot(coordinator: Coordinator, lease: SlotLease) -> SlotLease:
    """Give ``lease``'s slot back and take one of the same account's slots again, under
    the same limit: what ``release_slot(lease)`` then ``acquire_slot(account_id, limit)``
    do, as one step.

    For a holder that goes straight on to its next operation on the account (a bulk
    worker between two creates). The coordinator's own ``reacquire_slot(lease)`` is used
    when it has one (an optional method of the :class:`Coordinator` protocol): it may
    keep the slot with its holder, under a new lease id, while nobody else waits for one
    (:class:`InProcessCoordinator`), or make the exchange one round trip to its store
    (:class:`~freshbooks_async.redis.RedisCoordinator`). Otherwise the two calls are
    made. Either way the old lease is spent: releasing it again does nothing.

    Raises:
        CoordinatorUnavailableError: The shared store cannot be reached (the old slot is
            given back, or runs out).
    """
    method = getattr(coordinator, "reacquire_slot", None)
    if method is not None:
        again: SlotLease = await method(lease)
        return again
    return await release_and_acquire(coordinator, lease)


async def release_and_acquire(coordinator: Coordinator, lease: SlotLease) -> SlotLease:
    """:func:`reacquire_slot` made of the protocol's two calls."""
    await coordinator.release_slot(lease)
    return await coordinator.acquire_slot(lease.account_id, lease.limit)


#: (class, method) -> whether the class's `method` stands for its own parts (see shortcut_allowed).
_SHORTCUTS: dict[tuple[type, str], bool] = {}


def shortcut_allowed(cls: type, method: str, parts: tuple[str, ...]) -> bool:
    """Whether ``cls``'s ``method`` (a shortcut for calls of ``parts``) may be used: it is
    defined no higher in the class's MRO than each of ``parts``. A subclass that overrides
    a part (``acquire_slot``, say, to count calls or to fail on purpose) without
    overriding the shortcut (``reacquire_slot``) gets the parts called instead, so its
    override is honoured."""
    key = (cls, method)
    allowed = _SHORTCUTS.get(key)
    if allowed is None:
        mro = cls.__mro__

        def where(name: str) -> int:
            return next(i for i, k in enumerate(mro) if name in vars(k))

        allowed = _SHORTCUTS[key] = all(where(method) <= where(part) for part in parts)
    return allowed


async def next_invoice_numbers(coordinator: Coordinator, account_id: str, count: int) -> list[str]:
    """``count`` numbers from the account's counter, in the order it handed them out.

    The coordinator's own ``next_invoice_numbers(account_id, count)`` is used when it has
    one (an optional method of the :class:`Coordinator` protocol): one call, one round
    trip to a shared store. Otherwise ``count`` calls of
    :meth:`Coordinator.next_invoice_number` are made together; then the numbers of the
    calls that succeeded are returned (a failed call hands out no number), or, when none
    did, the first call's error is raised.

    Raises:
        TypeError, ValueError: ``count`` is not an int >= 1.
        NumberingNotSeededError: The counter has no value.
        CoordinatorUnavailableError: The shared store cannot be reached.
    """
    check_limit(count, "count")
    method = getattr(coordinator, "next_invoice_numbers", None)
    if method is not None:
        numbers: list[str] = await method(account_id, count)
        return numbers
    return await numbers_one_by_one(coordinator, account_id, count)


async def numbers_one_by_one(coordinator: Coordinator, account_id: str, count: int) -> list[str]:
    """:func:`next_invoice_numbers` made of ``count`` calls of ``next_invoice_number``."""
    answers = await asyncio.gather(
        *(coordinator.next_invoice_number(account_id) for _ in range(count)),
        return_exceptions=True,
    )
    got = [answer for answer in answers if isinstance(answer, str)]
    if got:
        return got
    error = next(answer for answer in answers if isinstance(answer, BaseException))
    raise error


class AccountSemaphore:
    """An account's slots seen as a semaphore (:meth:`FreshBooksClient.account_semaphore
    <freshbooks_async.FreshBooksClient.account_semaphore>`, kept for code written when
    the cap was an :class:`asyncio.Semaphore` of the client).

    ``async with sem:`` holds one of the account's slots in the client's coordinator, so
    the cap is the one every bulk call and every process sharing the coordinator
    respects. :meth:`acquire` / :meth:`release` work too (a release gives back the slot
    this object took last). New code: :func:`account_slot`.
    """

    __slots__ = ("_coordinator", "_held", "_tasks", "account_id", "limit")

    def __init__(self, coordinator: Coordinator, account_id: str, limit: int) -> None:
        self._coordinator = coordinator
        self.account_id = check_account_key("account_id", account_id)
        self.limit = check_limit(limit)
        self._held: list[SlotLease] = []
        self._tasks: set[asyncio.Task[None]] = set()

    async def acquire(self) -> bool:
        """Take a slot (waits while ``limit`` are held). Returns True, as
        :meth:`asyncio.Semaphore.acquire` does."""
        self._held.append(await self._coordinator.acquire_slot(self.account_id, self.limit))
        return True

    def release(self) -> None:
        """Give back the slot taken last (the release runs in a task).

        Raises:
            ValueError: No slot is held through this object.
        """
        if not self._held:
            raise ValueError(f"account {self.account_id}: release() without acquire()")
        task = asyncio.get_running_loop().create_task(
            self._coordinator.release_slot(self._held.pop())
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.shield(self._coordinator.release_slot(self._held.pop()))

    def __repr__(self) -> str:
        return f"AccountSemaphore({self.account_id!r}, limit={self.limit}, held={len(self._held)})"


class _Slots:
    """One account's slots in one process: a FIFO semaphore whose limit comes with each
    acquire (as a shared store's would)."""

    __slots__ = ("held", "in_use", "waiters")

    def __init__(self) -> None:
        self.in_use = 0
        self.held: set[str] = set()
        self.waiters: deque[tuple[int, asyncio.Future[None]]] = deque()

    def wake(self) -> None:
        while self.waiters:
            limit, future = self.waiters[0]
            if future.done():  # a cancelled waiter
                self.waiters.popleft()
                continue
            if self.in_use >= limit:
                return
            self.waiters.popleft()
            self.in_use += 1
            future.set_result(None)


class InProcessCoordinator:
    """A :class:`Coordinator` that holds its state in this process's memory.

    The default: every :class:`~freshbooks_async.FreshBooksClient` without a
    ``coordinator`` gets its own. Share one between clients of a process to share their
    account slots, invoice counters and retry budgets. Leases never expire (a process
    cannot lose one of its tasks without losing the whole state).
    """

    def __init__(self) -> None:
        self._slots: dict[str, _Slots] = {}
        self._numbers: dict[str, NumberAllocator] = {}
        self._budgets: dict[str, RetryBudget] = {}
        self._ids = itertools.count(1)

    async def acquire_slot(self, account_id: str, limit: int) -> SlotLease:
        """See :meth:`Coordinator.acquire_slot`."""
        check_account_key("account_id", account_id)
        check_limit(limit)
        slots = self._slots.get(account_id)
        if slots is None:
            slots = self._slots[account_id] = _Slots()
        if slots.in_use < limit and not slots.waiters:
            slots.in_use += 1
        else:
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            slots.waiters.append((limit, future))
            try:
                await future
            except asyncio.CancelledError:
                if future.done() and not future.cancelled():
                    # Granted as the cancellation arrived: pass the slot on.
                    slots.in_use -= 1
                    slots.wake()
                raise
        lease = SlotLease(account_id=account_id, id=f"local-{next(self._ids)}", limit=limit)
        slots.held.add(lease.id)
        return lease

    async def release_slot(self, lease: SlotLease) -> None:
        """See :meth:`Coordinator.release_slot`."""
        if not isinstance(lease, SlotLease):
            raise TypeError(f"lease: expected SlotLease, got {type(lease).__name__}")
        slots = self._slots.get(lease.account_id)
        if slots is None or lease.id not in slots.held:
            return
        slots.held.discard(lease.id)
        slots.in_use -= 1
        slots.wake()

    async def reacquire_slot(self, lease: SlotLease) -> SlotLease:
        """See :func:`reacquire_slot`: while no task waits for one of the account's
        slots (and the limit still allows it), the slot stays taken, under a new lease id;
        otherwise it goes to the first waiter and the caller waits behind the others."""
        if not isinstance(lease, SlotLease):
            raise TypeError(f"lease: expected SlotLease, got {type(lease).__name__}")
        if not shortcut_allowed(type(self), "reacquire_slot", ("acquire_slot", "release_slot")):
            return await release_and_acquire(self, lease)
        slots = self._slots.get(lease.account_id)
        if (
            slots is None
            or lease.id not in slots.held
            or slots.waiters
            or slots.in_use > lease.limit
        ):
            await self.release_slot(lease)
            return await self.acquire_slot(lease.account_id, lease.limit)
        slots.held.discard(lease.id)
        again = SlotLease(
            account_id=lease.account_id, id=f"local-{next(self._ids)}", limit=lease.limit
        )
        slots.held.add(again.id)
        return again

    def slots_in_use(self, account_id: str) -> int:
        """How many of ``account_id``'s slots are held now."""
        slots = self._slots.get(account_id)
        return 0 if slots is None else slots.in_use

    async def next_invoice_number(self, account_id: str) -> str:
        """See :meth:`Coordinator.next_invoice_number`."""
        check_account_key("account_id", account_id)
        allocator = self._numbers.get(account_id)
        if allocator is None:
            raise NumberingNotSeededError(
                f"account {account_id!r}: the invoice counter is not seeded; call "
                "advance_invoice_numbers(account_id, highest_number_in_use) first",
                account_id=account_id,
            )
        return allocator.allocate()

    async def next_invoice_numbers(self, account_id: str, count: int) -> list[str]:
        """See :func:`next_invoice_numbers`: ``count`` numbers in a row."""
        check_limit(count, "count")
        if not shortcut_allowed(type(self), "next_invoice_numbers", ("next_invoice_number",)):
            return await numbers_one_by_one(self, account_id, count)
        first = await self.next_invoice_number(account_id)
        allocator = self._numbers[account_id]
        return [first, *(allocator.allocate() for _ in range(count - 1))]

    async def advance_invoice_numbers(self, account_id: str, past: str | None) -> bool:
        """See :meth:`Coordinator.advance_invoice_numbers`."""
        check_account_key("account_id", account_id)
        if past is not None and not isinstance(past, str):
            raise TypeError(f"past: expected str or None, got {type(past).__name__}: {past!r}")
        allocator = self._numbers.get(account_id)
        if allocator is None:
            self._numbers[account_id] = NumberAllocator(past or None)
            return True
        return allocator.jump_past(past)

    def retry_budget(self, scope: str) -> RetryBudget:
        """See :meth:`Coordinator.retry_budget`."""
        check_account_key("scope", scope)
        budget = self._budgets.get(scope)
        if budget is None:
            budget = self._budgets[scope] = RetryBudget()
        return budget

    async def aclose(self) -> None:
        """Nothing to close (see :meth:`Coordinator.aclose`)."""

    def __repr__(self) -> str:
        return f"InProcessCoordinator(accounts={sorted(set(self._slots) | set(self._numbers))})"
