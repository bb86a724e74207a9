"""Account coordination and OAuth token storage shared through Redis (``[redis]`` extra).

::

    pip install "freshbooks-async[redis]"

    coordinator = RedisCoordinator.from_url("redis://cache:6379/0")
    session = OAuth2Session(client_id, client_secret, redirect_uri,
                            store=RedisTokenStore.from_url("redis://cache:6379/0",
                                                           key="freshbooks:token:42"))
    async with FreshBooksClient(token_provider=session, coordinator=coordinator) as fb:
        ...

Every process and host that uses the same Redis (and ``namespace``) shares:

* **account slots** (:meth:`RedisCoordinator.acquire_slot`): a sorted set of leases per
  account, taken and pruned by one Lua script against the Redis server's clock. Holders
  renew their leases while they hold them; a killed holder's slot frees itself within
  ``slot_lease`` seconds. Processes waiting for an account's slots form a line in Redis:
  a free slot goes to the process that waited longest, and a release is published to the
  processes it is kept for (each on its own channel), so they take it at once (and every
  ``poll_interval`` seconds anyway). A released slot goes straight to a task of the same
  process waiting for one, or lingers ``slot_linger`` seconds for its next acquire, at
  most ``handoff_limit`` times in a row: then one script call exchanges it under the
  acquire rule (a process waiting in line goes first, and that process to the back of
  the line), unless the process holds no more than its fair share (``fair_share``): then
  it keeps its slots. A holder going on to its next operation exchanges its slot
  (:meth:`RedisCoordinator.reacquire_slot`): no round trip within the handoffs, one at
  the limit;
* **invoice counters** (:meth:`RedisCoordinator.next_invoice_number`): the last number
  handed out, advanced by a Lua script with FreshBooks' increment rule (no
  read-modify-write by the client; the calls of one process that come together share one
  round trip, and :meth:`RedisCoordinator.next_invoice_numbers` takes several in one);
* **retry budgets** (:meth:`RedisCoordinator.retry_budget`): a token bucket per scope,
  brought up to date before each retry decision;
* **the token pair** (:class:`RedisTokenStore`): a hash holding the pair and the refresh
  lock (a lease with a fencing check), so one process at a time refreshes.

When Redis cannot be reached, each operation is retried for ``unavailable_timeout``
seconds, then raises :class:`~freshbooks_async.errors.CoordinatorUnavailableError`
without having had an effect that could duplicate work. See the "Running on many workers"
guide for the failure semantics (a restart, a killed holder).

The client must be used from one event loop (redis-py's asyncio connections belong to
the loop that opened them): create coordinators and stores in each worker process, after
it forks.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import logging
import math
import secrets
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Final, Literal, TypeVar, cast

import yarl

try:
    import redis.asyncio as aioredis
    from redis import exceptions as redis_errors
except ImportError as exc:  # pragma: no cover - exercised without the extra only
    raise ImportError(
        "freshbooks_async.redis needs redis-py: pip install 'freshbooks-async[redis]'"
    ) from exc

from ._numbering import NumberAllocator, next_invoice_number
from .auth import RefreshLease, RefreshOutcome, SharedTokenState, Token
from .coordination import (
    SlotLease,
    check_account_key,
    check_limit,
    numbers_one_by_one,
    release_and_acquire,
    shortcut_allowed,
)
from .errors import CoordinatorUnavailableError, LeaseLostError, NumberingNotSeededError
from .retry import RetryBudget

__all__ = ["RedisCoordinator", "RedisTokenStore"]

logger = logging.getLogger("freshbooks_async.redis")

T = TypeVar("T")

#: Seconds a slot lease lasts without renewal (a killed holder's slot frees within this).
DEFAULT_SLOT_LEASE: Final = 5.0
#: Seconds the token-refresh lock lasts without renewal.
DEFAULT_LOCK_LEASE: Final = 10.0
#: Seconds an operation keeps retrying an unreachable Redis before giving up.
DEFAULT_UNAVAILABLE_TIMEOUT: Final = 5.0
#: Seconds an unused invoice counter is kept (every use renews it).
DEFAULT_COUNTER_TTL: Final = 7 * 24 * 3600.0
#: Seconds an unused retry budget is kept (then it starts full again).
DEFAULT_BUDGET_TTL: Final = 600.0
#: Local handoffs of a released slot in a row before it goes back to Redis.
DEFAULT_HANDOFF_LIMIT: Final = 8
#: Seconds a released slot nobody here waits for is kept for this process's next acquire.
DEFAULT_SLOT_LINGER: Final = 0.005

# (A replica promoted during a failover answers READONLY until then: unavailable too.)
_UNAVAILABLE = (
    redis_errors.ConnectionError,
    redis_errors.TimeoutError,
    redis_errors.ReadOnlyError,
    OSError,
)

# Redis < 7 replicates scripts verbatim unless told otherwise, which forbids writes after
# TIME; Redis 7 always replicates effects (the call is then a no-op).
_NOW = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

_KEEP = """
local function keep(key, ttl)
  if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
end
"""

# The processes waiting for an account's slots form a line: KEYS[2] holds each waiting
# process (its coordinator instance) with the server time it joined (or was last served),
# KEYS[3] when its entry expires (each call renews it: a dead process leaves the line).
# A free slot is kept for every process ahead of the caller in the line, so the process
# that waited longest is served next, whoever asks first.
#
# _SHARE (KEYS[1] slots zset, KEYS[2] line): holders() counts the slots each process
# holds (a slot member is "<instance>:<n>"); share() is a process's fair share of the
# account's slots: the limit over the processes that hold one or wait in line, the
# caller counted either way, rounded down (holders count too: two busy holders that are
# not in line must not keep every slot from a process waiting); within_share() tells
# whether it holds no more, ``extra`` more counted.
# contend() tells every other holder that a process joined the line ("contended
# <account>" on the holder's channel): a holder keeping its slots because it held its
# share checks its share again.
_SHARE = """
local function holders()
  local count = {}
  for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    local who = string.match(m, '^([^:]+):')
    if who then count[who] = (count[who] or 0) + 1 end
  end
  return count
end
local function share(limit, me)
  local sharers = holders()
  sharers[me] = 0
  for _, who in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do sharers[who] = 0 end
  local n = 0
  for _ in pairs(sharers) do n = n + 1 end
  return math.floor(limit / n)
end
local function within_share(limit, me, extra)
  return (holders()[me] or 0) + extra <= share(limit, me)
end
local function contend(channel, account, me)
  for who in pairs(holders()) do
    if who ~= me then redis.call('PUBLISH', channel .. ':' .. who, 'contended ' .. account) end
  end
end
"""

# KEYS[1] slots zset, KEYS[2] line, KEYS[3] line expiries; ARGV: limit, lease_ms,
# instance, line_ms, channel, account, member... Grants slots to the members in order
# while fewer than limit are held and none is kept for a process ahead (a member already
# holding one, after a repeated call, counts as granted). Served in full: the caller
# leaves the line; in part or not at all: it stays (served in part: at the back), and a
# caller that joins the line tells the holders (contend). -> {granted, ms until the
# earliest lease runs out (0: every slot is held by no one or kept; try again later),
# the caller's share (see _SHARE)}.
_ACQUIRE = (
    _NOW
    + _KEEP
    + _SHARE
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
for _, who in ipairs(gone) do redis.call('ZREM', KEYS[2], who) end
if #gone > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now) end
local limit = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local me = ARGV[3]
local line = tonumber(ARGV[4])
local held = redis.call('ZCARD', KEYS[1])
local first_member = 7
local place = redis.call('ZRANK', KEYS[2], me)
local ahead = place or redis.call('ZCARD', KEYS[2])
local free = limit - held - ahead
local granted = 0
for i = first_member, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    granted = granted + 1
  elseif free > 0 then
    redis.call('ZADD', KEYS[1], now + lease, ARGV[i])
    held = held + 1
    free = free - 1
    granted = granted + 1
  else
    break
  end
end
if granted > 0 then keep(KEYS[1], lease + 1000) end
if granted == #ARGV - first_member + 1 then
  if place then
    redis.call('ZREM', KEYS[2], me)
    redis.call('ZREM', KEYS[3], me)
  end
  return {granted, 0, share(limit, me)}
end
if granted > 0 or not place then redis.call('ZADD', KEYS[2], now, me) end
if not place then contend(ARGV[5], ARGV[6], me) end
redis.call('ZADD', KEYS[3], now + line, me)
keep(KEYS[2], line + 1000)
keep(KEYS[3], line + 1000)
local mine = share(limit, me)
if held < limit then return {granted, 0, mine} end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if first[2] == nil then return {granted, 0, mine} end
return {granted, tonumber(first[2]) - now, mine}
"""
)

# KEYS[1] slots zset, KEYS[2] line, KEYS[3] line expiries. Drops the processes whose place
# in line expired; announce() tells the processes the account's free slots are kept for
# (the first `free` of the line) that a slot is free, each on its own channel
# ("<channel>:<instance>", message "<account>"): the others need not ask, and nobody is
# told when nobody is in line (a process that is not in line waits for no slot: a waiter
# joins the line in the same script call that finds no slot for it). The calling process
# (`me`) is not sent a message: announce() returns 1 when it is among them.
_ANNOUNCE = """
local function announce(limit, channel, account, me)
  local free = limit - redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
  if free <= 0 then return 0 end
  local told_me = 0
  for _, who in ipairs(redis.call('ZRANGE', KEYS[2], 0, free - 1)) do
    if who == me then
      told_me = 1
    else
      redis.call('PUBLISH', channel .. ':' .. who, account)
    end
  end
  return told_me
end
local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
for _, who in ipairs(gone) do redis.call('ZREM', KEYS[2], who) end
if #gone > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now) end
"""

# KEYS[1] slots zset, KEYS[2] line, KEYS[3] line expiries; ARGV: member, channel,
# account, instance, back, limit. back = '1': the releasing process has had its turn (it
# handed the slot over locally as often as allowed) and goes to the back of the line.
# The free slot is announced (see _ANNOUNCE). -> {removed, 1 if it is kept for the caller,
# the caller's share (see _SHARE)}.
_RELEASE = (
    _NOW
    + _SHARE
    + _ANNOUNCE
    + """
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
if ARGV[5] == '1' and redis.call('ZSCORE', KEYS[2], ARGV[4]) then
  redis.call('ZADD', KEYS[2], 'XX', now, ARGV[4])
end
local limit = tonumber(ARGV[6])
local told_me = announce(limit, ARGV[2], ARGV[3], ARGV[4])
return {removed, told_me, share(limit, ARGV[4])}
"""
)

# A holder with no task of its process waiting goes on to its next operation: its slot
# given back and one taken again, in one call. KEYS as _RELEASE; ARGV: old member, new
# member, limit, lease_ms, instance, channel, account, fair ('1'/'0'). The new member gets
# a slot under the acquire rule, with every process in line ahead of the caller (it has
# had its turn), or, with fair = '1', when the caller keeps within its share (see _SHARE:
# a process holding its share keeps it, whoever waits); else the freed slot is announced
# (see _ANNOUNCE), the caller, if in line, goes to its back (it has had its turn), and it
# waits in line as any acquire does. A repeated call finds
# its new member held. -> {1, the caller's share (see _SHARE)} taken, {0, 1 if a free slot
# is kept for the caller} not.
_SWAP = (
    _NOW
    + _KEEP
    + _SHARE
    + _ANNOUNCE
    + """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local limit = tonumber(ARGV[3])
if redis.call('ZSCORE', KEYS[1], ARGV[2]) then return {1, share(limit, ARGV[5])} end
local lease = tonumber(ARGV[4])
local held = redis.call('ZCARD', KEYS[1])
local ahead = redis.call('ZCARD', KEYS[2])
if redis.call('ZSCORE', KEYS[2], ARGV[5]) then ahead = ahead - 1 end
if held + ahead < limit
  or (ARGV[8] == '1' and held < limit and within_share(limit, ARGV[5], 1)) then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[2])
  keep(KEYS[1], lease + 1000)
  return {1, share(limit, ARGV[5])}
end
if redis.call('ZSCORE', KEYS[2], ARGV[5]) then redis.call('ZADD', KEYS[2], 'XX', now, ARGV[5]) end
return {0, announce(limit, ARGV[6], ARGV[7], ARGV[5])}
"""
)

# KEYS[1] slots zset, KEYS[2] line, KEYS[3] line expiries; ARGV: instance, limit,
# channel, account. A process with no waiter left leaves the line, and the free slots it
# was ahead for are announced to the processes now first in line (see _ANNOUNCE): a slot
# released while kept for it would otherwise wait, unannounced, for their next poll.
_LEAVE = (
    _NOW
    + _ANNOUNCE
    + """
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return announce(tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[1])
"""
)

# KEYS[1] slots zset; ARGV: lease_ms, member... A held slot is re-added if missing (its
# holder is still working: after a Redis restart the set shows it again).
_RENEW = (
    _NOW
    + _KEEP
    + """
local lease = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + lease, ARGV[i]) end
keep(KEYS[1], lease + 1000)
return #ARGV - 1
"""
)

# FreshBooks' increment rule, as freshbooks_async._numbering.next_invoice_number has it,
# for ASCII numbers (a test checks the two agree). A number with other bytes is answered
# {2, last}: the client advances it with the Python function under a compare-and-set.
# KEYS[1] counter; ARGV: ttl_ms, first number, count. Hands out `count` numbers in a row
# (the calls of one process that came together). -> {0} not seeded, {1, next...} or
# {2, last}.
_NEXT_NUMBER = r"""
local function increment(last)
  if last == '' then return ARGV[2] end
  local chars = {}
  for i = 1, #last do chars[i] = string.sub(last, i, i) end
  local i = #chars
  while i >= 1 and string.find(chars[i], '^%w$') do
    local c = chars[i]
    if c == '9' then chars[i] = '0'
    elseif c == 'Z' then chars[i] = 'A'
    elseif c == 'z' then chars[i] = 'a'
    else
      chars[i] = string.char(string.byte(c) + 1)
      return table.concat(chars)
    end
    i = i - 1
  end
  local lead = 'A'
  if i + 1 > #chars or string.find(chars[i + 1], '^%d$') then lead = '1' end
  table.insert(chars, i + 1, lead)
  return table.concat(chars)
end
local last = redis.call('GET', KEYS[1])
if not last then return {0, ''} end
if string.find(last, '[\128-\255]') then return {2, last} end
local out = {1}
for _ = 1, tonumber(ARGV[3]) do
  last = increment(last)
  out[#out + 1] = last
end
redis.call('SET', KEYS[1], last, 'PX', ARGV[1])
return out
"""

# KEYS[1] counter; ARGV: expected, new, ttl_ms, expect_absent ('1'/'0'). -> 1 set, 0 not.
_NUMBER_CAS = """
local cur = redis.call('GET', KEYS[1])
if (ARGV[4] == '1' and not cur) or (ARGV[4] == '0' and cur == ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
"""

# KEYS[1] budget; ARGV: failures, successes, max_tokens, token_ratio, ttl_ms -> tokens.
# Refunds first: successes can be sent late (see _SharedRetryBudget.record_success), so
# they are older than the failures sent with them.
_BUDGET = """
local max = tonumber(ARGV[3])
local tokens = tonumber(redis.call('GET', KEYS[1]) or max)
tokens = math.min(max, tokens + tonumber(ARGV[2]) * tonumber(ARGV[4]))
tokens = math.max(0, tokens - tonumber(ARGV[1]))
redis.call('SET', KEYS[1], tostring(tokens), 'PX', ARGV[5])
return tostring(tokens)
"""

# The token hash: token (JSON), rt (sha256 of its refresh token), spent_rt/spent_reason
# (a refresh token not to send), pending_rt/pending_owner (a refresh begun), lock_owner,
# lock_until (server ms), lock_fence, fence (counter).

# ARGV: owner, lease_ms. -> {1, fence} held, {0, ms} the wait for the current holder.
_LOCK_ACQUIRE = (
    _NOW
    + """
local owner = redis.call('HGET', KEYS[1], 'lock_owner')
local held_until = tonumber(redis.call('HGET', KEYS[1], 'lock_until') or '0')
if owner == ARGV[1] and held_until > now then
  return {1, tonumber(redis.call('HGET', KEYS[1], 'lock_fence'))}
end
if owner and held_until > now then return {0, held_until - now} end
local pending = redis.call('HGET', KEYS[1], 'pending_rt')
if pending then
  -- The last holder began a refresh and its lease ran out: that token may be spent.
  redis.call('HSET', KEYS[1], 'spent_rt', pending, 'spent_reason', 'ambiguous')
  redis.call('HDEL', KEYS[1], 'pending_rt', 'pending_owner')
end
local fence = redis.call('HINCRBY', KEYS[1], 'fence', 1)
redis.call('HSET', KEYS[1], 'lock_owner', ARGV[1], 'lock_until', now + tonumber(ARGV[2]),
           'lock_fence', fence)
return {1, fence}
"""
)

# ARGV: owner, lease_ms -> 1 renewed, 0 lost.
_LOCK_RENEW = (
    _NOW
    + """
if redis.call('HGET', KEYS[1], 'lock_owner') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'lock_until', now + tonumber(ARGV[2]))
return 1
"""
)

# ARGV: owner -> 1 released, 0 not held.
_LOCK_RELEASE = """
if redis.call('HGET', KEYS[1], 'lock_owner') ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[1], 'lock_owner', 'lock_until', 'lock_fence')
return 1
"""

# The fencing check. ARGV: owner, rt -> 1 begun, 0 lease lost or pair changed.
_BEGIN = (
    _NOW
    + """
if redis.call('HGET', KEYS[1], 'lock_owner') ~= ARGV[1]
   or tonumber(redis.call('HGET', KEYS[1], 'lock_until') or '0') <= now then
  return 0
end
if redis.call('HGET', KEYS[1], 'rt') ~= ARGV[2] then return 0 end
if redis.call('HGET', KEYS[1], 'spent_rt') == ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'pending_rt', ARGV[2], 'pending_owner', ARGV[1])
return 1
"""
)

# ARGV: owner, old rt, new token JSON, new rt -> the stored token JSON.
_COMMIT = """
local rt = redis.call('HGET', KEYS[1], 'rt')
if rt == ARGV[2] or not rt then
  redis.call('HSET', KEYS[1], 'token', ARGV[3], 'rt', ARGV[4])
end
if redis.call('HGET', KEYS[1], 'pending_owner') == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'pending_rt', 'pending_owner')
end
return redis.call('HGET', KEYS[1], 'token')
"""

# ARGV: owner, rt, outcome.
_ABORT = """
if ARGV[3] ~= 'unspent' then
  redis.call('HSET', KEYS[1], 'spent_rt', ARGV[2], 'spent_reason', ARGV[3])
end
if redis.call('HGET', KEYS[1], 'pending_owner') == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'pending_rt', 'pending_owner')
end
return 1
"""

# ARGV: token JSON, rt -> the stored token JSON.
_SAVE_IF_ABSENT = """
if not redis.call('HGET', KEYS[1], 'token') then
  redis.call('HSET', KEYS[1], 'token', ARGV[1], 'rt', ARGV[2])
end
return redis.call('HGET', KEYS[1], 'token')
"""


def _awaitable(value: Any) -> Awaitable[Any]:
    """A redis-py command's result (redis-py < 6 types some as ``Awaitable[T] | T``)."""
    return cast("Awaitable[Any]", value)


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


def _seconds(name: str, value: object, *, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name}: expected a number of seconds, got {value!r}")
    if not math.isfinite(value) or value <= minimum:
        raise ValueError(f"{name}: must be a finite number > {minimum:g}, got {value!r}")
    return float(value)


def _where(client: aioredis.Redis) -> str:
    """The server's address, for messages (never the password)."""
    kwargs = client.connection_pool.connection_kwargs
    if "path" in kwargs:
        return f"unix:{kwargs['path']}"
    return f"{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}"


def _safe_url(url: str) -> str:
    try:
        parsed = yarl.URL(url)
    except (TypeError, ValueError):
        return "<unparsable url>"
    if parsed.password is not None or parsed.user is not None:
        parsed = parsed.with_user(None)
    return str(parsed)


def _check_url(url: object) -> str:
    if not isinstance(url, str):
        raise TypeError(f"url: expected str, got {type(url).__name__}")
    scheme = url.partition("://")[0]
    if scheme not in ("redis", "rediss", "unix"):
        raise ValueError(
            f"url: expected a redis://, rediss:// or unix:// URL, got {_safe_url(url)!r}"
        )
    return url


def _rt_hash(token: Token) -> str:
    """A digest naming a refresh token in Redis (the hash compares it without the value)."""
    value = token.refresh_token or ""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


class _Link:
    """A Redis client, the retry-until-unavailable rule, and who closes the client."""

    def __init__(self, client: aioredis.Redis, *, owned: bool, unavailable_timeout: float) -> None:
        self.client = client
        self.owned = owned
        self.unavailable_timeout = unavailable_timeout
        self.where = _where(client)

    async def call(self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        """``call()``, retried while Redis is unreachable, up to the timeout.

        Every call made through here is safe to repeat: the scripts recognise a repeat
        of their own effect (same lease member, same lock owner).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.unavailable_timeout
        delay = 0.02
        while True:
            try:
                return await call()
            except _UNAVAILABLE as exc:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise CoordinatorUnavailableError(
                        f"{what}: Redis at {self.where} did not answer for "
                        f"{self.unavailable_timeout:g} s ({type(exc).__name__})"
                    ) from exc
                await asyncio.sleep(min(delay, remaining))
                delay = min(delay * 2, 0.5)

    async def aclose(self) -> None:
        if self.owned:
            await self.client.aclose()


class _Waiter:
    """A task waiting for a slot; its future is resolved with the lease id it got (its
    own ``member``, granted by Redis, or a lease handed over by a local release)."""

    __slots__ = ("future", "limit", "member")

    def __init__(self, future: asyncio.Future[str], member: str, limit: int) -> None:
        self.future = future
        self.member = member
        self.limit = limit


class _Waiters:
    """One account's waiters in this process, in arrival order. One task (the pump) asks
    Redis for slots for as many of them as are waiting, in one script call; ``freed`` is
    set when a slot of the account was released anywhere."""

    __slots__ = ("freed", "in_line", "limit", "pump", "queue")

    def __init__(self) -> None:
        self.queue: deque[_Waiter] = deque()
        self.pump: asyncio.Task[None] | None = None
        self.freed = asyncio.Event()
        self.in_line = False  # this process is in the account's line in Redis
        self.limit = 0  # the slot limit this process last asked for (in line: its line's)


#: The most waiters one acquire script call serves.
_BATCH: Final = 64

#: The longest a retry decision waits for the shared retry budget (seconds).
_SYNC_TIMEOUT: Final = 0.5


class _SharedRetryBudget(RetryBudget):
    """A :class:`RetryBudget` whose bucket lives in Redis.

    Used synchronously like the in-process one; its counts are sent to Redis in the
    background (one script call at a time, the counts since the last one together), and
    each answer brings the bucket as every process left it. While Redis cannot be reached,
    the budget goes on in this process alone.
    """

    def __init__(self, link: _Link, key: str, ttl_ms: int) -> None:
        super().__init__()
        self._link = link
        self._key = key
        self._ttl_ms = ttl_ms
        self._script = link.client.register_script(_BUDGET)
        self._failures = 0
        self._successes = 0
        self._task: asyncio.Task[None] | None = None
        self._synced_at = -math.inf
        self._warned = False

    def record_success(self) -> None:
        """Refund part of a token (here and, soon after, in Redis).

        While the bucket is full as last seen and no failure waits to be sent, the refund
        is only counted: it is sent with the next exchange (a failure, or the sync before
        a retry decision). A full bucket cannot grow, so steady success costs no Redis
        traffic.
        """
        super().record_success()
        self._successes += 1
        if self.tokens >= self.max_tokens and not self._failures:
            return
        self._kick()

    def record_failure(self) -> None:
        """Spend a token (here and, soon after, in Redis)."""
        super().record_failure()
        self._failures += 1
        self._kick()

    @property
    def allows_retry(self) -> bool:
        """True while more than half of the shared bucket remains (as last seen; a view
        older than a second is refreshed in the background)."""
        self._kick(stale_after=1.0)
        return self.tokens > self.max_tokens / 2

    def _kick(self, stale_after: float | None = None) -> None:
        if self._task is not None and not self._task.done():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        if stale_after is not None and loop.time() - self._synced_at < stale_after:
            return
        self._task = loop.create_task(self._flush())

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            failures, successes = self._failures, self._successes
            self._failures = self._successes = 0
            try:
                value = await self._script(
                    keys=[self._key],
                    args=[failures, successes, self.max_tokens, self.token_ratio, self._ttl_ms],
                )
            except (*_UNAVAILABLE, redis_errors.RedisError) as exc:
                if not self._warned:
                    logger.warning(
                        "retry budget %s: Redis unreachable (%s); counting in this process",
                        self._key,
                        type(exc).__name__,
                    )
                    self._warned = True
                return
            self._warned = False
            self._synced_at = loop.time()
            tokens = float(_text(value))
            # Counts recorded while the call was out are not in Redis's answer yet.
            tokens = min(self.max_tokens, tokens + self._successes * self.token_ratio)
            self.tokens = max(0.0, tokens - self._failures)
            if not (self._failures or self._successes):
                return

    async def sync(self) -> None:
        """Send this process's counts and take the bucket as every process left it (the
        client awaits this before a retry decision). Waits at most
        ``_SYNC_TIMEOUT`` seconds: a Redis that does not answer leaves this process's
        view."""
        self._kick(stale_after=0.0)
        task = self._task
        if task is None or task.done():
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(_SYNC_TIMEOUT):
                await asyncio.shield(task)

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def __repr__(self) -> str:
        return f"SharedRetryBudget({self._key!r}, tokens={self.tokens:.1f}/{self.max_tokens:.0f})"


class RedisCoordinator:
    """A :class:`~freshbooks_async.coordination.Coordinator` shared through Redis.

    Create it with :meth:`from_url` (or around your own ``redis.asyncio.Redis``) in each
    process, and pass it as ``FreshBooksClient(..., coordinator=...)``.

    Args:
        client: A redis-py asyncio client.
        namespace: Prefix of every key and channel (processes coordinate only within a
            namespace).
        slot_lease: Seconds a slot lasts unless renewed; a killed holder's slot frees
            within this. Holders renew every third of it.
        poll_interval: Seconds a slot waiter waits between attempts when no release is
            announced (announcements make it try at once). A waiting process's place in
            the account's line lasts ``max(1, 5 x poll_interval)`` seconds unless renewed
            (a dead process keeps one free slot waiting at most that long).
        unavailable_timeout: Seconds an operation retries an unreachable Redis before
            raising :class:`~freshbooks_async.errors.CoordinatorUnavailableError`.
        counter_ttl: Seconds an unused invoice counter is kept.
        budget_ttl: Seconds an unused retry budget is kept.
        handoff_limit: A released slot goes straight to a task of this process waiting
            for one (no Redis round trip for either) at most this many times in a row;
            then one script call gives it back and takes it again for that task under
            the acquire rule (a process waiting in line goes first, and this one to the
            back of the line). The fairness rule: a process keeps a slot for at most
            ``handoff_limit + 1`` holders while others wait, unless it holds no more than
            its share (see ``fair_share``). ``0``: every release goes through Redis.
        slot_linger: Seconds a released slot that no task of this process waits for is
            kept for this process's next acquire (a handoff too) before it goes back to
            Redis: a loop that releases and takes a slot again (a bulk worker between
            two creates) does it without a round trip. ``0``: released at once.
        fair_share: A process holding no more than its fair share of an account's
            slots (the limit over the processes holding one or waiting in the account's
            line, itself counted) keeps them: its handoffs are not limited, and its exchanges keep
            the slot, whoever waits. What Redis said holds until a process joins the
            line (the holders are told on their channels) and at most a third of
            ``slot_lease`` (then the next exchange at the handoff limit asks again).
            With every process at its share, slots stay where they are and cost no
            Redis traffic. ``False`` (or ``handoff_limit=0``): the handoff limit always
            applies.
        close_client: Close ``client`` in :meth:`aclose` (``from_url`` sets it).

    Raises:
        TypeError, ValueError: An argument is invalid.
    """

    def __init__(
        self,
        client: aioredis.Redis,
        *,
        namespace: str = "freshbooks",
        slot_lease: float = DEFAULT_SLOT_LEASE,
        poll_interval: float = 0.1,
        unavailable_timeout: float = DEFAULT_UNAVAILABLE_TIMEOUT,
        counter_ttl: float = DEFAULT_COUNTER_TTL,
        budget_ttl: float = DEFAULT_BUDGET_TTL,
        handoff_limit: int = DEFAULT_HANDOFF_LIMIT,
        slot_linger: float = DEFAULT_SLOT_LINGER,
        fair_share: bool = True,
        close_client: bool = False,
    ) -> None:
        if not isinstance(client, aioredis.Redis):
            raise TypeError(f"client: expected redis.asyncio.Redis, got {type(client).__name__}")
        check_account_key("namespace", namespace)
        if isinstance(handoff_limit, bool) or not isinstance(handoff_limit, int):
            raise TypeError(f"handoff_limit: expected int, got {handoff_limit!r}")
        if handoff_limit < 0:
            raise ValueError(f"handoff_limit: must be >= 0, got {handoff_limit!r}")
        self._handoff_limit = handoff_limit
        if isinstance(slot_linger, bool) or not isinstance(slot_linger, int | float):
            raise TypeError(f"slot_linger: expected a number of seconds, got {slot_linger!r}")
        if not 0 <= slot_linger < 1:
            raise ValueError(f"slot_linger: must be >= 0 and < 1 s, got {slot_linger!r}")
        self._linger = float(slot_linger)
        if not isinstance(fair_share, bool):
            raise TypeError(f"fair_share: expected bool, got {fair_share!r}")
        self._fair_share = fair_share and handoff_limit > 0
        # account -> loop time until which this process keeps its slots of the account
        # (it held no more than its share when Redis last said; see ``fair_share``)
        self._keep_until: dict[str, float] = {}
        # account -> loop time of the last "contended" announcement: an answer sent
        # before it is out of date
        self._contended: dict[str, float] = {}
        # account -> slots this process holds in Redis in script calls not answered yet
        # (exchanged or given back): out of ``_held`` meanwhile, but still its own until
        # Redis says otherwise
        self._in_flight: dict[str, int] = {}
        # account -> lease id -> (limit, timer): released slots kept for a moment
        self._parked: dict[str, dict[str, tuple[int, asyncio.TimerHandle]]] = {}
        # lease id -> local handoffs in a row, and -> the Redis member it holds (for
        # leases handed over at least once; otherwise the lease id is the member)
        self._handoffs: dict[str, int] = {}
        self._members: dict[str, str] = {}
        self._namespace = namespace
        self._lease_ms = int(_seconds("slot_lease", slot_lease, minimum=0.05) * 1000)
        self._poll = _seconds("poll_interval", poll_interval)
        self._counter_ttl_ms = int(_seconds("counter_ttl", counter_ttl, minimum=1) * 1000)
        self._budget_ttl_ms = int(_seconds("budget_ttl", budget_ttl, minimum=1) * 1000)
        self._link = _Link(
            client,
            owned=bool(close_client),
            unavailable_timeout=_seconds("unavailable_timeout", unavailable_timeout),
        )
        self._acquire = client.register_script(_ACQUIRE)
        self._release = client.register_script(_RELEASE)
        self._swap = client.register_script(_SWAP)
        self._leave = client.register_script(_LEAVE)
        # A waiting process's place in an account's line lasts this long unless renewed
        # (its pump renews it at least every poll interval).
        self._line_ms = int(max(1.0, 5 * self._poll) * 1000)
        self._renew = client.register_script(_RENEW)
        self._next = client.register_script(_NEXT_NUMBER)
        self._cas = client.register_script(_NUMBER_CAS)
        # Release announcements: "<channel>:<instance>" names the process told.
        self._channel = f"{namespace}:slots:freed"
        self._instance = secrets.token_hex(8)
        self._ids = itertools.count(1)
        self._waiters: dict[str, _Waiters] = {}
        # lease id -> (slots key, account, loop time of the last grant or renewal, limit)
        self._held: dict[str, tuple[str, str, float, int]] = {}
        self._budgets: dict[str, _SharedRetryBudget] = {}
        self._number_calls: dict[str, list[asyncio.Future[str]]] = {}
        self._background: set[asyncio.Task[Any]] = set()
        self._renewer: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()
        self._listener_awaited = False  # a pump waited for the subscription once
        self._closed = False

    @classmethod
    def from_url(
        cls, url: str, *, namespace: str = "freshbooks", **options: Any
    ) -> RedisCoordinator:
        """A coordinator on a new client for ``url`` (closed by :meth:`aclose`).

        Args:
            url: ``redis://[:password@]host:port/db``, ``rediss://...`` (TLS, certificates
                verified) or ``unix:///path``.
            namespace: Prefix of every key and channel.
            **options: The other arguments of :class:`RedisCoordinator`.
        """
        client = aioredis.from_url(_check_url(url))  # type: ignore[no-untyped-call, unused-ignore]
        return cls(client, namespace=namespace, close_client=True, **options)

    @property
    def namespace(self) -> str:
        """The prefix of every key and channel."""
        return self._namespace

    @property
    def client(self) -> aioredis.Redis:
        """The redis-py client."""
        return self._link.client

    @property
    def slot_lease(self) -> float:
        """Seconds a slot lasts unless renewed."""
        return self._lease_ms / 1000

    def token_store(self, key: str, **options: Any) -> RedisTokenStore:
        """A :class:`RedisTokenStore` for ``key`` on this coordinator's connection.

        Args:
            key: The Redis key of the token pair (one per FreshBooks user).
            **options: The other arguments of :class:`RedisTokenStore`.
        """
        options.setdefault("unavailable_timeout", self._link.unavailable_timeout)
        return RedisTokenStore(self._link.client, key=key, **options)

    def _key(self, kind: str, name: str) -> str:
        return f"{self._namespace}:{kind}:{name}"

    def _slot_keys(self, account_id: str) -> list[str]:
        """The keys of an account's slot scripts: its slots, its line, the line's expiries."""
        return [
            self._key("slots", account_id),
            self._key("slot-line", account_id),
            self._key("slot-line-expiry", account_id),
        ]

    def _leave_line(self, account_id: str, limit: int) -> Awaitable[Any]:
        """The script call that takes this process out of an account's line and announces
        the free slots it was ahead for (see _LEAVE)."""
        return self._leave(
            keys=self._slot_keys(account_id),
            args=[self._instance, limit, self._channel, account_id],
        )

    # ------------------------------------------------------------ slots

    async def acquire_slot(self, account_id: str, limit: int) -> SlotLease:
        """See :meth:`~freshbooks_async.coordination.Coordinator.acquire_slot`.

        Raises:
            CoordinatorUnavailableError: Redis did not answer within
                ``unavailable_timeout``.
        """
        check_account_key("account_id", account_id)
        check_limit(limit)
        if self._closed:
            raise RuntimeError("RedisCoordinator: closed")
        waiters = self._waiters.get(account_id)
        if waiters is None:
            waiters = self._waiters[account_id] = _Waiters()
        if not any(not w.future.done() for w in waiters.queue):
            parked = self._take_parked(account_id, limit)
            if parked is not None:
                return SlotLease(account_id=account_id, id=parked, limit=limit)
        member = f"{self._instance}:{next(self._ids)}"
        waiter = _Waiter(asyncio.get_running_loop().create_future(), member, limit)
        waiters.queue.append(waiter)
        if waiters.pump is None or waiters.pump.done():
            waiters.pump = asyncio.get_running_loop().create_task(self._pump(account_id))
        try:
            granted = await waiter.future
        except asyncio.CancelledError:
            if waiter.future.done() and not waiter.future.cancelled():
                # Granted as the cancellation arrived: give the slot back.
                lease = SlotLease(account_id=account_id, id=waiter.future.result(), limit=limit)
                self._spawn(self.release_slot(lease))
            raise
        return SlotLease(account_id=account_id, id=granted, limit=limit)

    async def _pump(self, account_id: str) -> None:
        """Take slots for this process's waiters on ``account_id`` until none is left."""
        waiters = self._waiters[account_id]
        slot_keys = self._slot_keys(account_id)
        key = slot_keys[0]
        loop = asyncio.get_running_loop()
        queue = waiters.queue
        try:
            while True:
                while queue and queue[0].future.done():  # cancelled, or handed a slot
                    queue.popleft()
                if not queue:
                    if not waiters.in_line:
                        return
                    waiters.in_line = False  # nobody waits here now: leave the line
                    await self._link.call(
                        f"account {account_id}: leaving the slot line",
                        lambda: self._leave_line(account_id, waiters.limit),
                    )
                    continue  # a waiter may have come meanwhile
                limit = waiters.limit = queue[0].limit
                batch: list[_Waiter] = []
                for waiter in queue:
                    if len(batch) == _BATCH or waiter.limit != limit:
                        break
                    if not waiter.future.done():
                        batch.append(waiter)
                waiters.freed.clear()
                args = [limit, self._lease_ms, self._instance, self._line_ms]
                args += [self._channel, account_id]
                args += [w.member for w in batch]
                sent = loop.time()
                reply = await self._link.call(
                    f"account {account_id}: taking a slot",
                    lambda args=args: self._acquire(keys=slot_keys, args=args),  # type: ignore[misc]
                )
                granted, wait_ms = int(reply[0]), int(reply[1])
                waiters.in_line = granted < len(batch)
                now = loop.time()
                winners = batch[:granted]
                # The winners lead the queue (behind, at most, waiters cancelled before).
                index = 0
                while index < granted:
                    if queue.popleft() is winners[index]:
                        index += 1
                for waiter in winners:
                    self._held[waiter.member] = (key, account_id, now, limit)
                    if waiter.future.done():  # cancelled or handed a slot meanwhile
                        lease = SlotLease(account_id=account_id, id=waiter.member, limit=limit)
                        self._spawn(self.release_slot(lease))
                    else:
                        waiter.future.set_result(waiter.member)
                self._note_share(account_id, reply[2], sent)
                if granted:
                    self._start_renewer()
                if granted == len(batch):
                    continue
                if not self._listener_awaited and not self._listening.is_set():
                    # Waited for once per coordinator (without it, this process polls).
                    self._listener_awaited = True
                    await self._start_listener()
                    continue  # a release may have been announced before the subscription
                timeout = self._poll
                if wait_ms > 0:
                    timeout = min(timeout, wait_ms / 1000)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(timeout):
                        await waiters.freed.wait()
        except asyncio.CancelledError:
            self._fail_waiters(queue, RuntimeError("RedisCoordinator: closed"))
            raise
        except Exception as exc:
            # Redis unreachable (or a bug): every waiter gets the error, none waits forever.
            self._fail_waiters(queue, exc)

    @staticmethod
    def _fail_waiters(queue: deque[_Waiter], error: BaseException) -> None:
        while queue:
            waiter = queue.popleft()
            if not waiter.future.done():
                waiter.future.set_exception(error)

    async def release_slot(self, lease: SlotLease) -> None:
        """See :meth:`~freshbooks_async.coordination.Coordinator.release_slot`.

        Never raises for an unreachable Redis: the lease then runs out by itself within
        ``slot_lease`` seconds (a warning is logged).
        """
        if not isinstance(lease, SlotLease):
            raise TypeError(f"lease: expected SlotLease, got {type(lease).__name__}")
        if lease.id not in self._held:
            return
        handed = self._hand_over(lease)
        if handed is None:
            return
        if handed:
            await self._pass_on(lease)
            return
        if self._park(lease):
            return
        await self._give_back(lease.id, back=False)

    async def _pass_on(self, lease: SlotLease) -> None:
        """The slot had its handoffs and a task of this process waits for one: one script
        call gives it back and takes it again under the acquire rule (this process is
        behind every process in line; see ``fair_share`` for a process within its share),
        for that task; not taken, it went to the process it is kept for, and this process
        to the back of the line."""
        try:
            taken = await self._swap_slot(lease)
        except CoordinatorUnavailableError as exc:
            logger.warning("%s; the slot frees itself when its lease runs out", exc)
            waiters = self._waiters.get(lease.account_id)
            if waiters is not None:  # let this process's waiters meet the error themselves
                waiters.freed.set()
            return
        if taken is None:
            return
        again = SlotLease(account_id=lease.account_id, id=taken, limit=lease.limit)
        if self._hand_over(again, granted=True) is None or self._park(again):
            return
        await self._give_back(taken, back=False)  # the waiter went meanwhile

    async def reacquire_slot(self, lease: SlotLease) -> SlotLease:
        """See :func:`~freshbooks_async.coordination.reacquire_slot`: give ``lease``'s
        slot back and take one of the account's slots again, as one step.

        While no task of this process waits for one of the account's slots, the slot
        stays with its holder under a new lease id, with no Redis call, as a handoff (see
        ``handoff_limit``; no limit while this process holds no more than its share, see
        ``fair_share``). When its handoffs are used up (or its lease may have lapsed),
        one script call gives it back and takes one again under the acquire rule: every
        process waiting in the account's line goes first, unless this process is within
        its share. A task of this process waiting for a slot goes first too: the slot is
        released to it, and the caller waits behind it.

        Raises:
            CoordinatorUnavailableError: Redis did not answer within
                ``unavailable_timeout`` (the old slot is given back or runs out).
        """
        if not isinstance(lease, SlotLease):
            raise TypeError(f"lease: expected SlotLease, got {type(lease).__name__}")
        if self._closed:
            raise RuntimeError("RedisCoordinator: closed")
        if not shortcut_allowed(type(self), "reacquire_slot", ("acquire_slot", "release_slot")):
            return await release_and_acquire(self, lease)
        account_id = lease.account_id
        if lease.id in self._held:
            waiters = self._waiters.get(account_id)
            if waiters is None or all(w.future.done() for w in waiters.queue):
                if (
                    self._may_hand_over(lease.id, account_id)
                    and self._held[lease.id][3] == lease.limit  # else the acquire rule decides
                    and self._fresh(lease.id)
                ):
                    return SlotLease(
                        account_id=account_id, id=self._rename(lease.id), limit=lease.limit
                    )
                taken = await self._swap_slot(lease)
                if taken is not None:
                    return SlotLease(account_id=account_id, id=taken, limit=lease.limit)
            else:
                await self.release_slot(lease)
        return await self.acquire_slot(account_id, lease.limit)

    async def _swap_slot(self, lease: SlotLease) -> str | None:
        """Give the slot back and take one again in one script call: the new lease id, or
        None when processes waiting in line go first (the slot was announced to them)."""
        key, account_id, _, _ = self._held.pop(lease.id)
        limit = lease.limit
        member = self._members.pop(lease.id, lease.id)
        self._handoffs.pop(lease.id, None)
        new = f"{self._instance}:{next(self._ids)}"
        keys = self._slot_keys(account_id)
        args: list[str | int] = [
            *(member, new, limit, self._lease_ms),
            *(self._instance, self._channel, account_id, "1" if self._fair_share else "0"),
        ]
        sent = asyncio.get_running_loop().time()
        call = asyncio.ensure_future(
            self._link.call(
                f"account {account_id}: taking a slot again",
                lambda: self._swap(keys=keys, args=args),
            )
        )
        # Counted until its answer is handled (in the same step), here or, if this task is
        # cancelled, when the call ends.
        self._count_in_flight(account_id, 1)
        try:
            reply = await asyncio.shield(call)
        except asyncio.CancelledError:
            # Taken as the cancellation arrived: give it back once the call ends.
            call.add_done_callback(lambda f: self._drop_swapped(f, key, account_id, new, limit))
            raise
        except BaseException:
            self._count_in_flight(account_id, -1)
            raise
        self._count_in_flight(account_id, -1)
        if not int(reply[0]):
            self._not_taken(account_id, reply)
            return None
        self._held[new] = (key, account_id, asyncio.get_running_loop().time(), limit)
        self._note_share(account_id, reply[1], sent)
        self._start_renewer()
        return new

    def _not_taken(self, account_id: str, reply: Any) -> None:
        """A swap not taken: this process is over its share (it keeps its slots no
        more), and its waiters ask again if a free slot is kept for it."""
        self._keep_until.pop(account_id, None)
        waiters = self._waiters.get(account_id)
        if int(reply[1]) and waiters is not None:
            waiters.freed.set()

    def _drop_swapped(
        self, call: asyncio.Future[Any], key: str, account_id: str, member: str, limit: int
    ) -> None:
        self._count_in_flight(account_id, -1)
        if call.cancelled() or call.exception() is not None:
            return
        reply = call.result()
        if not int(reply[0]):
            self._not_taken(account_id, reply)
            return
        self._held[member] = (key, account_id, asyncio.get_running_loop().time(), limit)
        again = SlotLease(account_id=account_id, id=member, limit=limit)
        if self._hand_over(again, granted=True) is not None:  # else a waiter here has it
            self._spawn(self._give_back(member, back=False))

    async def _give_back(self, lease_id: str, *, back: bool) -> None:
        """Release a slot in Redis (``back``: this process goes to the back of the line)."""
        held = self._held.pop(lease_id, None)
        if held is None:
            return
        _, account_id, _, limit = held
        member = self._members.pop(lease_id, lease_id)
        self._handoffs.pop(lease_id, None)
        keys = self._slot_keys(account_id)
        args = [member, self._channel, account_id, self._instance, "1" if back else "0", limit]
        sent = asyncio.get_running_loop().time()
        self._count_in_flight(account_id, 1)
        try:
            try:
                reply = await self._link.call(
                    f"account {account_id}: releasing a slot",
                    lambda: self._release(keys=keys, args=args),
                )
            finally:
                self._count_in_flight(account_id, -1)
        except CoordinatorUnavailableError as exc:
            logger.warning("%s; the slot frees itself when its lease runs out", exc)
            kept_for_us = True  # let this process's waiters meet the error themselves
        else:
            # Announced to the processes in line it is kept for; this process's waiters
            # ask again at once only if it is one of them (else they would ask in vain).
            kept_for_us = bool(int(reply[1]))
            self._note_share(account_id, reply[2], sent)
        waiters = self._waiters.get(account_id)
        if waiters is not None and kept_for_us:
            waiters.freed.set()

    def _park(self, lease: SlotLease) -> bool:
        """Keep a released slot that no task here waits for during ``slot_linger``, for
        the next acquire of this process (a bulk worker asks again a moment after its
        release); then give it back to Redis. Reuses count as handoffs."""
        if (
            self._linger <= 0
            or self._closed
            or not self._may_hand_over(lease.id, lease.account_id)
            or not self._fresh(lease.id)
        ):
            return False
        # Kept under a new id: a second release of the lease does nothing.
        parked = self._rename(lease.id, handoff=False)
        loop = asyncio.get_running_loop()
        timer = loop.call_later(self._linger, self._unpark, lease.account_id, parked)
        self._parked.setdefault(lease.account_id, {})[parked] = (lease.limit, timer)
        return True

    def _unpark(self, account_id: str, lease_id: str) -> None:
        """The linger ran out: give the parked slot back to Redis."""
        parked = self._parked.get(account_id)
        if parked is None or parked.pop(lease_id, None) is None:
            return
        self._spawn(self._give_back(lease_id, back=False))

    def _take_parked(self, account_id: str, limit: int) -> str | None:
        """A parked slot of the account under ``limit``, as a new lease id, or None."""
        parked = self._parked.get(account_id)
        if not parked:
            return None
        for lease_id, (parked_limit, timer) in parked.items():
            if parked_limit == limit and self._fresh(lease_id):
                del parked[lease_id]
                timer.cancel()
                return self._rename(lease_id)
        return None

    def _fresh(self, lease_id: str) -> bool:
        """Whether the slot's lease surely still stands in Redis (granted or renewed less
        than 90% of ``slot_lease`` ago): only such a slot is handed over; one whose
        renewals failed (Redis unreachable) may have run out, and others may hold it."""
        held = self._held.get(lease_id)
        if held is None:
            return False
        age = asyncio.get_running_loop().time() - held[2]
        return age < 0.9 * self._lease_ms / 1000

    def _may_hand_over(self, lease_id: str, account_id: str) -> bool:
        """Whether a held slot may change holder in this process once more: within the
        handoff limit, or while this process keeps its share (see ``fair_share``)."""
        if self._handoffs.get(lease_id, 0) < self._handoff_limit:
            return True
        until = self._keep_until.get(account_id)
        return until is not None and asyncio.get_running_loop().time() < until

    def _note_share(self, account_id: str, share: object, sent: float) -> None:
        """A script's answer to a call sent at loop time ``sent``: this process's share of
        the account's slots. It keeps its slots while it holds no more (counted here,
        now: answers to calls made together may come in any order), unless a process
        joined the line since the call was sent. Kept for a third of ``slot_lease`` at
        most, and only while this process hears the announcements (a process joining the
        line says so on them)."""
        if not self._fair_share:
            return
        if self._contended.get(account_id, -math.inf) >= sent:
            self._keep_until.pop(account_id, None)
            return
        # Counted high rather than low: the slots being exchanged or given back count
        # until their answers come (another call's answer can come first).
        mine = sum(1 for held in self._held.values() if held[1] == account_id)
        mine += self._in_flight.get(account_id, 0)
        if mine > int(cast(Any, share)):
            self._keep_until.pop(account_id, None)
            return
        loop = asyncio.get_running_loop()
        if self._listening.is_set():
            self._keep_until[account_id] = loop.time() + self._lease_ms / 3000
        elif not self._closed:
            self._ensure_listener()  # from the next answer on, once subscribed

    def _count_in_flight(self, account_id: str, slots: int) -> None:
        count = self._in_flight.get(account_id, 0) + slots
        if count:
            self._in_flight[account_id] = count
        else:
            del self._in_flight[account_id]

    def _rename(self, lease_id: str, *, handoff: bool = True) -> str:
        """Move a held slot to a new lease id (``handoff``: one more handoff in a row)."""
        new = f"{self._instance}:{next(self._ids)}"
        self._held[new] = self._held.pop(lease_id)
        self._members[new] = self._members.pop(lease_id, lease_id)
        self._handoffs[new] = self._handoffs.pop(lease_id, 0) + (1 if handoff else 0)
        return new

    def _hand_over(self, lease: SlotLease, *, granted: bool = False) -> bool | None:
        """Give a released slot straight to the first task of this process waiting for
        one of the account's slots under the same limit, unless the slot was handed over
        ``handoff_limit`` times in a row already (``granted``: Redis just granted it
        again, a first holder). The slot (its Redis entry, renewed as before) changes
        holder under a new lease id, so a second release of the old lease does nothing;
        Redis is not asked.

        Returns:
            ``None`` when handed over; True when a waiter was there but the slot had its
            handoffs (it is exchanged in Redis for the waiter, see :meth:`_pass_on`);
            False when no waiter could take it.
        """
        waiters = self._waiters.get(lease.account_id)
        if waiters is None or self._closed:
            return False
        for waiter in waiters.queue:
            if waiter.future.done():
                continue
            if waiter.limit != lease.limit:
                return False  # served in order: a waiter under another limit goes first
            if not granted and (
                not self._may_hand_over(lease.id, lease.account_id) or not self._fresh(lease.id)
            ):
                return True
            waiter.future.set_result(self._rename(lease.id, handoff=not granted))
            return None
        return False

    def _start_renewer(self) -> None:
        if self._renewer is None or self._renewer.done():
            self._renewer = asyncio.get_running_loop().create_task(self._renew_leases())

    async def _renew_leases(self) -> None:
        loop = asyncio.get_running_loop()
        every = self._lease_ms / 3000
        while self._held:
            await asyncio.sleep(every)
            now = loop.time()
            due: dict[str, list[str]] = {}
            for lease_id, (key, _, since, _) in self._held.items():
                if now - since >= every:
                    due.setdefault(key, []).append(lease_id)
            for key, lease_ids in due.items():
                members = [self._members.get(i, i) for i in lease_ids]
                try:
                    await self._renew(keys=[key], args=[self._lease_ms, *members])
                except _UNAVAILABLE as exc:
                    logger.warning("renewing slot leases: Redis unreachable (%s)", exc)
                    continue
                for lease_id in lease_ids:
                    held = self._held.get(lease_id)
                    if held is not None:
                        self._held[lease_id] = (held[0], held[1], now, held[3])

    async def _start_listener(self) -> None:
        """Subscribe to release announcements (waits up to a second for the subscription;
        without it, waiters poll)."""
        self._ensure_listener()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(1.0):
                await self._listening.wait()

    def _ensure_listener(self) -> None:
        if self._listener is None:
            self._listener = asyncio.get_running_loop().create_task(self._listen())

    async def _listen(self) -> None:
        while True:
            pubsub = self._link.client.pubsub()
            try:
                # Only the releases of slots kept for this process are announced to it.
                await pubsub.subscribe(f"{self._channel}:{self._instance}")
                async for message in pubsub.listen():
                    kind = message.get("type")
                    if kind == "subscribe":  # confirmed: announcements reach us from now
                        self._listening.set()
                        continue
                    if kind != "message":
                        continue
                    data = _text(message["data"])
                    if data.startswith("contended "):  # a process joined the line
                        account = data[10:]
                        self._contended[account] = asyncio.get_running_loop().time()
                        self._keep_until.pop(account, None)
                        continue
                    waiters = self._waiters.get(data)
                    if waiters is not None:
                        waiters.freed.set()
            except _UNAVAILABLE as exc:
                logger.debug("slot announcements: Redis unreachable (%s); resubscribing", exc)
            finally:
                self._listening.clear()
                self._keep_until.clear()  # announcements may be missed until resubscribed
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call, unused-ignore]
            await asyncio.sleep(0.2)

    async def slots_in_use(self, account_id: str) -> int:
        """How many of ``account_id``'s slots are held now, by every process (for tests and
        monitoring)."""
        check_account_key("account_id", account_id)
        key = self._key("slots", account_id)
        now_s, now_us = await self._link.call("counting slots", self._link.client.time)
        now_ms = int(now_s) * 1000 + int(now_us) // 1000
        count = await self._link.call(
            "counting slots", lambda: self._link.client.zcount(key, f"({now_ms}", "+inf")
        )
        return int(count)

    # ------------------------------------------------------------ invoice numbers

    async def next_invoice_number(self, account_id: str) -> str:
        """See :meth:`~freshbooks_async.coordination.Coordinator.next_invoice_number`.

        Raises:
            NumberingNotSeededError: The counter has no value (never seeded, expired
                after ``counter_ttl`` unused, or lost with a Redis restart).
            CoordinatorUnavailableError: Redis did not answer within
                ``unavailable_timeout``.
        """
        check_account_key("account_id", account_id)
        if self._closed:
            raise RuntimeError("RedisCoordinator: closed")
        # Calls of this process that come together share one script call.
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        pending = self._number_calls.get(account_id)
        if pending is None:
            pending = self._number_calls[account_id] = []
            self._spawn(self._allocate_numbers(account_id))
        pending.append(future)
        return await future

    async def next_invoice_numbers(self, account_id: str, count: int) -> list[str]:
        """See :func:`~freshbooks_async.coordination.next_invoice_numbers`: ``count``
        numbers in a row, in one script call.

        Raises:
            NumberingNotSeededError: The counter has no value.
            CoordinatorUnavailableError: Redis did not answer within
                ``unavailable_timeout``.
        """
        check_account_key("account_id", account_id)
        check_limit(count, "count")
        if self._closed:
            raise RuntimeError("RedisCoordinator: closed")
        if not shortcut_allowed(type(self), "next_invoice_numbers", ("next_invoice_number",)):
            return await numbers_one_by_one(self, account_id, count)
        key = self._key("invoice-number", account_id)
        what = f"account {account_id}: allocating invoice numbers"
        return await self._next_numbers(what, account_id, key, count)

    async def _allocate_numbers(self, account_id: str) -> None:
        """Answer the account's pending number calls, a batch per script call, until none
        is left."""
        key = self._key("invoice-number", account_id)
        what = f"account {account_id}: allocating an invoice number"
        while True:
            calls = self._number_calls.get(account_id) or []
            if not calls:
                self._number_calls.pop(account_id, None)
                return
            batch, rest = calls[:_BATCH], calls[_BATCH:]
            self._number_calls[account_id] = rest
            try:
                numbers = await self._next_numbers(what, account_id, key, len(batch))
            except asyncio.CancelledError:  # closed: no call waits forever
                for future in batch + self._number_calls.pop(account_id, []):
                    if not future.done():
                        future.set_exception(RuntimeError("RedisCoordinator: closed"))
                raise
            except Exception as exc:  # every call of the batch gets the error
                for future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for future, number in zip(batch, numbers, strict=True):
                if not future.done():  # a cancelled caller leaves its number unused
                    future.set_result(number)

    async def _next_numbers(self, what: str, account_id: str, key: str, count: int) -> list[str]:
        reply = await self._link.call(
            what,
            lambda: self._next(
                keys=[key], args=[self._counter_ttl_ms, next_invoice_number(None), count]
            ),
        )
        status = int(reply[0])
        if status == 1:
            return [_text(number) for number in reply[1:]]
        if status == 0:
            raise NumberingNotSeededError(
                f"account {account_id!r}: the shared invoice counter has no value "
                "(never seeded, expired, or lost with a Redis restart); seed it with "
                "advance_invoice_numbers(account_id, highest_number_in_use)",
                account_id=account_id,
            )
        # Not ASCII: FreshBooks' rule in Python, one number at a time under a
        # compare-and-set.
        numbers: list[str] = []
        last = _text(reply[1])
        while len(numbers) < count:
            if await self._compare_and_set(what, key, last, next_invoice_number(last)):
                last = next_invoice_number(last)
                numbers.append(last)
                continue
            raw = await self._link.call(what, lambda: self._link.client.get(key))
            if raw is None:
                raise NumberingNotSeededError(
                    f"account {account_id!r}: the shared invoice counter lost its value",
                    account_id=account_id,
                )
            last = _text(raw)
        return numbers

    async def _compare_and_set(self, what: str, key: str, expected: str | None, new: str) -> bool:
        absent = "1" if expected is None else "0"
        done = await self._link.call(
            what,
            lambda: self._cas(keys=[key], args=[expected or "", new, self._counter_ttl_ms, absent]),
        )
        return bool(int(done))

    async def advance_invoice_numbers(self, account_id: str, past: str | None) -> bool:
        """See :meth:`~freshbooks_async.coordination.Coordinator.advance_invoice_numbers`.

        A compare-and-set: the decision is the in-process allocator's, and the counter moves
        only if nobody changed it meanwhile (else the decision is made again).

        Raises:
            CoordinatorUnavailableError: Redis did not answer within
                ``unavailable_timeout``.
        """
        check_account_key("account_id", account_id)
        if past is not None and not isinstance(past, str):
            raise TypeError(f"past: expected str or None, got {type(past).__name__}: {past!r}")
        key = self._key("invoice-number", account_id)
        what = f"account {account_id}: advancing the invoice counter"
        while True:
            raw = await self._link.call(what, lambda: self._link.client.get(key))
            if raw is None:
                if await self._compare_and_set(what, key, None, past or ""):
                    return True
                continue
            last = _text(raw)
            allocator = NumberAllocator(last or None)
            if not allocator.jump_past(past):
                # Still in use: keep the counter alive.
                await self._link.call(
                    what, lambda: self._link.client.pexpire(key, self._counter_ttl_ms)
                )
                return False
            if await self._compare_and_set(what, key, last, allocator.last or ""):
                return True

    # ------------------------------------------------------------ retry budget

    def retry_budget(self, scope: str) -> RetryBudget:
        """See :meth:`~freshbooks_async.coordination.Coordinator.retry_budget`.

        The bucket lives in Redis (``budget_ttl`` seconds after its last use); while Redis
        cannot be reached, this process counts alone.
        """
        check_account_key("scope", scope)
        budget = self._budgets.get(scope)
        if budget is None:
            budget = self._budgets[scope] = _SharedRetryBudget(
                self._link, self._key("retry-budget", scope), self._budget_ttl_ms
            )
        return budget

    # ------------------------------------------------------------ lifecycle

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def aclose(self) -> None:
        """Give back the slots still held, stop background tasks, close an owned client.
        Idempotent."""
        if self._closed:
            return
        self._closed = True
        for parked in self._parked.values():
            for _, timer in parked.values():
                timer.cancel()
        self._parked.clear()
        for member, (_, account_id, _, limit) in list(self._held.items()):
            lease = SlotLease(account_id=account_id, id=member, limit=limit)
            with contextlib.suppress(Exception):
                await self.release_slot(lease)
        tasks = [t for t in (self._renewer, self._listener) if t is not None]
        tasks += [w.pump for w in self._waiters.values() if w.pump is not None]
        tasks += list(self._background)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
        for account_id, waiters in self._waiters.items():
            if waiters.in_line:  # leave the lines this process waited in
                with contextlib.suppress(Exception):
                    await self._leave_line(account_id, waiters.limit)
        for budget in self._budgets.values():
            await budget.aclose()
        await self._link.aclose()

    def __repr__(self) -> str:
        return f"RedisCoordinator(redis={self._link.where!r}, namespace={self._namespace!r})"


class _RedisRefreshLease:
    """:class:`~freshbooks_async.auth.RefreshLease` of a :class:`RedisTokenStore`."""

    def __init__(self, store: RedisTokenStore, owner: str, fence: int) -> None:
        self._store = store
        self._owner = owner
        self._fence = fence

    @property
    def fence(self) -> int:
        """The fencing token (larger for every later holder)."""
        return self._fence

    async def load(self) -> SharedTokenState:
        """See :meth:`~freshbooks_async.auth.RefreshLease.load`."""
        return await self._store._state()

    async def begin(self, token: Token) -> bool:
        """See :meth:`~freshbooks_async.auth.RefreshLease.begin`."""
        store = self._store
        done = await store._link.call(
            "token refresh: fencing check",
            lambda: store._begin(keys=[store.key], args=[self._owner, _rt_hash(token)]),
        )
        return bool(int(done))

    async def commit(self, spent: Token, new: Token) -> Token:
        """See :meth:`~freshbooks_async.auth.RefreshLease.commit`."""
        store = self._store
        data = json.dumps(new.to_json(), sort_keys=True)
        stored = await store._link.call(
            "token refresh: saving the new token",
            lambda: store._commit(
                keys=[store.key], args=[self._owner, _rt_hash(spent), data, _rt_hash(new)]
            ),
        )
        if stored is None:
            return new
        text = _text(stored)
        return new if text == data else store._decode(text)

    async def abort(self, spent: Token, outcome: RefreshOutcome) -> None:
        """See :meth:`~freshbooks_async.auth.RefreshLease.abort`."""
        store = self._store
        await store._link.call(
            "token refresh: recording its failure",
            lambda: store._abort(keys=[store.key], args=[self._owner, _rt_hash(spent), outcome]),
        )

    def __repr__(self) -> str:
        return f"RefreshLease(key={self._store.key!r}, fence={self._fence})"


class RedisTokenStore:
    """A :class:`~freshbooks_async.auth.SharedTokenStore` in a Redis hash.

    Every process that gives its :class:`~freshbooks_async.auth.OAuth2Session` a store
    on the same ``key`` shares one token pair, and their refreshes are single-flight
    across processes: one holds the refresh lock (a lease, renewed while it works) and
    sends the refresh; the others wait and use the pair it saved. Before sending, the
    holder marks the refresh as begun under a fencing check (only while the lease is still
    its own), so a holder that dies mid-refresh leaves the refresh token marked *maybe
    spent*: the others then raise :class:`~freshbooks_async.errors.RefreshAmbiguousError`
    instead of sending it again.

    The hash holds the token pair in clear (as a token file does): protect the Redis
    (``requirepass``/ACLs, ``rediss://``), and run it with persistence (``appendonly
    yes``) so a restart does not lose the pair. A Redis that lost it makes a refresh
    raise :class:`~freshbooks_async.errors.RefreshAmbiguousError` (the pair held in
    memory may have been spent by another process) until a pair is saved again.

    Args:
        client: A redis-py asyncio client.
        key: The Redis key (one per FreshBooks user, e.g. ``"freshbooks:token:<user>"``).
        lock_lease: Seconds the refresh lock lasts unless renewed (a dead holder blocks
            the others at most this long).
        poll_interval: Seconds between tries for a held lock.
        unavailable_timeout: Seconds an operation retries an unreachable Redis before
            raising :class:`~freshbooks_async.errors.CoordinatorUnavailableError`.
        close_client: Close ``client`` in :meth:`aclose` (``from_url`` sets it).
    """

    def __init__(
        self,
        client: aioredis.Redis,
        *,
        key: str,
        lock_lease: float = DEFAULT_LOCK_LEASE,
        poll_interval: float = 0.05,
        unavailable_timeout: float = DEFAULT_UNAVAILABLE_TIMEOUT,
        close_client: bool = False,
    ) -> None:
        if not isinstance(client, aioredis.Redis):
            raise TypeError(f"client: expected redis.asyncio.Redis, got {type(client).__name__}")
        self.key = check_account_key("key", key)
        self._lease_ms = int(_seconds("lock_lease", lock_lease, minimum=0.05) * 1000)
        self._poll = _seconds("poll_interval", poll_interval)
        self._link = _Link(
            client,
            owned=bool(close_client),
            unavailable_timeout=_seconds("unavailable_timeout", unavailable_timeout),
        )
        self._lock_acquire = client.register_script(_LOCK_ACQUIRE)
        self._lock_renew = client.register_script(_LOCK_RENEW)
        self._lock_release = client.register_script(_LOCK_RELEASE)
        self._begin = client.register_script(_BEGIN)
        self._commit = client.register_script(_COMMIT)
        self._abort = client.register_script(_ABORT)
        self._save_if_absent = client.register_script(_SAVE_IF_ABSENT)

    @classmethod
    def from_url(cls, url: str, *, key: str, **options: Any) -> RedisTokenStore:
        """A store on a new client for ``url`` (closed by :meth:`aclose`).

        Args:
            url: ``redis://[:password@]host:port/db``, ``rediss://...`` or ``unix:///path``.
            key: The Redis key of the token pair.
            **options: The other arguments of :class:`RedisTokenStore`.
        """
        client = aioredis.from_url(_check_url(url))  # type: ignore[no-untyped-call, unused-ignore]
        return cls(client, key=key, close_client=True, **options)

    @property
    def lock_lease(self) -> float:
        """Seconds the refresh lock lasts unless renewed."""
        return self._lease_ms / 1000

    def _decode(self, text: str) -> Token:
        try:
            return Token.from_json(json.loads(text))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{self.key}: not a stored token ({type(exc).__name__})") from None

    async def _state(self) -> SharedTokenState:
        token_raw, rt, spent_rt, reason = await self._link.call(
            "reading the token",
            lambda: _awaitable(
                self._link.client.hmget(self.key, ["token", "rt", "spent_rt", "spent_reason"])
            ),
        )
        if token_raw is None:
            return SharedTokenState(token=None)
        token = self._decode(_text(token_raw))
        spent: Literal["ambiguous", "invalid_grant"] | None = None
        if spent_rt is not None and rt is not None and _text(spent_rt) == _text(rt):
            spent = "invalid_grant" if _text(reason or b"") == "invalid_grant" else "ambiguous"
        return SharedTokenState(token=token, spent=spent)

    async def load(self) -> Token | None:
        """See :meth:`~freshbooks_async.auth.TokenStore.load`.

        Raises:
            ValueError: The key holds something that is not a token.
            CoordinatorUnavailableError: Redis did not answer in time.
        """
        return (await self._state()).token

    async def save(self, token: Token) -> None:
        """See :meth:`~freshbooks_async.auth.TokenStore.save`.

        Raises:
            CoordinatorUnavailableError: Redis did not answer in time.
        """
        if not isinstance(token, Token):
            raise TypeError(f"token: expected Token, got {type(token).__name__}")
        data = json.dumps(token.to_json(), sort_keys=True)
        await self._link.call(
            "saving the token",
            lambda: _awaitable(
                self._link.client.hset(self.key, mapping={"token": data, "rt": _rt_hash(token)})
            ),
        )

    async def save_if_absent(self, token: Token) -> Token:
        """See :meth:`~freshbooks_async.auth.SharedTokenStore.save_if_absent`."""
        if not isinstance(token, Token):
            raise TypeError(f"token: expected Token, got {type(token).__name__}")
        data = json.dumps(token.to_json(), sort_keys=True)
        stored = await self._link.call(
            "saving the token",
            lambda: self._save_if_absent(keys=[self.key], args=[data, _rt_hash(token)]),
        )
        text = _text(stored)
        return token if text == data else self._decode(text)

    async def clear(self) -> None:
        """Delete the pair (after :meth:`OAuth2Session.revoke
        <freshbooks_async.auth.OAuth2Session.revoke>`), and with it any lock state."""
        await self._link.call("clearing the token", lambda: self._link.client.delete(self.key))

    @contextlib.asynccontextmanager
    async def refresh_lock(self) -> AsyncIterator[RefreshLease]:
        """See :meth:`~freshbooks_async.auth.SharedTokenStore.refresh_lock`.

        Waits (polling every ``poll_interval``) while another process holds the lock, at
        most until its lease runs out if it stopped renewing it.

        Raises:
            CoordinatorUnavailableError: Redis did not answer in time.
        """
        owner = secrets.token_hex(16)
        fence = await self._acquire_lock(owner)
        renewer = asyncio.get_running_loop().create_task(self._renew_lock(owner))
        try:
            yield _RedisRefreshLease(self, owner, fence)
        finally:
            renewer.cancel()
            with contextlib.suppress(BaseException):
                await renewer
            try:
                await asyncio.shield(
                    self._link.call(
                        "token refresh: releasing the lock",
                        lambda: self._lock_release(keys=[self.key], args=[owner]),
                    )
                )
            except CoordinatorUnavailableError as exc:
                logger.warning("%s; the lock frees itself when its lease runs out", exc)

    async def _acquire_lock(self, owner: str) -> int:
        while True:
            call = asyncio.ensure_future(
                self._link.call(
                    "token refresh: taking the lock",
                    lambda: self._lock_acquire(keys=[self.key], args=[owner, self._lease_ms]),
                )
            )
            try:
                reply = await asyncio.shield(call)
            except asyncio.CancelledError:
                call.add_done_callback(lambda f: self._release_orphan(f, owner))
                raise
            if int(reply[0]):
                return int(reply[1])
            wait = min(self._poll, max(int(reply[1]), 1) / 1000)
            await asyncio.sleep(wait * (0.5 + secrets.randbelow(1000) / 1000))

    def _release_orphan(self, future: asyncio.Future[Any], owner: str) -> None:
        if future.cancelled() or future.exception() is not None or not int(future.result()[0]):
            return

        async def release() -> None:
            with contextlib.suppress(Exception):
                await self._lock_release(keys=[self.key], args=[owner])

        task = asyncio.ensure_future(release())
        _ORPHANS.add(task)
        task.add_done_callback(_ORPHANS.discard)

    async def _renew_lock(self, owner: str) -> None:
        every = self._lease_ms / 3000
        while True:
            await asyncio.sleep(every)
            try:
                held = await self._lock_renew(keys=[self.key], args=[owner, self._lease_ms])
            except _UNAVAILABLE as exc:
                logger.warning("token refresh lock: renewal failed (%s)", type(exc).__name__)
                continue
            if not int(held):
                logger.warning("token refresh lock %s: lease lost to another process", self.key)
                raise LeaseLostError(f"{self.key}: the refresh lock's lease was lost")

    async def aclose(self) -> None:
        """Close the client if this store opened it (``from_url``)."""
        await self._link.aclose()

    def __repr__(self) -> str:
        return f"RedisTokenStore(redis={self._link.where!r}, key={self.key!r})"


# Releases of locks granted to cancelled waiters (kept referenced until they finish).
_ORPHANS: set[asyncio.Task[None]] = set()
