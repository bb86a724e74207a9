"""When to retry a request, and how long to wait: the SDK's one retry layer.

The rules (DESIGN.md, "Requests, retries and errors"):

* GET, PUT, DELETE, HEAD and OPTIONS are retried on 429, 500, 502, 503, 504 and on any
  transport error.
* POST (and PATCH) is retried only when the request was certainly not sent
  (:class:`~freshbooks_async.errors.RequestNotSentError`) or was refused with 429 before
  any work was done. A POST that may have been processed is never blindly replayed.
* 409 is never retried here: an invoice-number collision needs a changed request or a
  decision, which is the bulk layer's job.
* ``Retry-After`` (delta-seconds or an HTTP date) is honoured as given: jitter never
  shortens it. A wait longer than the policy's ``max_retry_after`` (:class:`RetryPolicy`)
  is not slept: the caller gets :class:`~freshbooks_async.errors.RateLimitError` at once.
* Other waits come from ``backoff.expo`` with full jitter.
* A :class:`RetryBudget` shared by every request of a client caps retries during an
  outage, so a failing service does not see its traffic multiplied. Only answers that
  show the service failing spend it (see :meth:`RetryBudget.record_answer`): a 409
  invoice-number collision is a working service's answer and refunds it like a success.
* A failure of a retryable kind that is not retried says why:
  the ``refused`` of its :class:`RetryDecision`, which the pipeline puts on the error as
  ``retry_refused`` (:class:`~freshbooks_async.errors.FreshBooksError`).
"""

from __future__ import annotations

import email.utils
import math
from collections.abc import Callable, Iterable, Iterator
from typing import Final

import attrs
import backoff

from .errors import FreshBooksError, RequestNotSentError, TransportError

__all__ = [
    "IDEMPOTENT_METHODS",
    "RetryBudget",
    "RetryDecision",
    "RetryPolicy",
    "decide",
    "parse_retry_after",
]

#: Methods whose replay cannot change the outcome (DESIGN.md treats PUT as such).
IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})

_DEFAULT_STATUSES: Final = frozenset({429, 500, 502, 503, 504})


def _check_non_negative(name: str) -> Callable[[object, attrs.Attribute[float], float], None]:
    def check(_: object, __: attrs.Attribute[float], value: float) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{name}: expected a number, got {type(value).__name__}: {value!r}")
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{name}: must be a finite number >= 0, got {value!r}")

    return check


def _check_max_retries(_: object, __: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_retries: expected int, got {type(value).__name__}: {value!r}")
    if value < 0:
        raise ValueError(f"max_retries: must be >= 0, got {value!r}")


def _to_statuses(value: Iterable[int]) -> frozenset[int]:
    statuses = frozenset(value)
    for status in statuses:
        if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
            raise ValueError(f"retry_statuses: {status!r} is not an HTTP status code")
    if 409 in statuses:
        raise ValueError("retry_statuses: 409 is never retried generically (see bulk_create)")
    return statuses


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How a client retries failed requests.

    Attributes:
        max_retries: Retries after the first attempt (0 disables retrying).
        base_delay: The first backoff ceiling, in seconds; it doubles per retry.
        max_delay: The largest backoff ceiling, in seconds.
        max_retry_after: The longest ``Retry-After`` the client will sleep; a longer one
            raises :class:`~freshbooks_async.errors.RateLimitError` instead.
        retry_statuses: Statuses that idempotent requests retry (POST retries only 429).
        jitter: Maps a backoff ceiling to the actual wait; full jitter by default. Tests
            pass ``lambda ceiling: ceiling`` for exact waits.
    """

    max_retries: int = attrs.field(default=3, validator=_check_max_retries)
    base_delay: float = attrs.field(default=0.5, validator=_check_non_negative("base_delay"))
    max_delay: float = attrs.field(default=30.0, validator=_check_non_negative("max_delay"))
    max_retry_after: float = attrs.field(
        default=60.0, validator=_check_non_negative("max_retry_after")
    )
    retry_statuses: frozenset[int] = attrs.field(default=_DEFAULT_STATUSES, converter=_to_statuses)
    jitter: Callable[[float], float] = attrs.field(default=backoff.full_jitter, repr=False)

    @classmethod
    def disabled(cls) -> RetryPolicy:
        """A policy that never retries."""
        return cls(max_retries=0)

    def backoff_ceilings(self) -> Iterator[float]:
        """The un-jittered wait ceilings for retry 1, 2, ... (from ``backoff.expo``)."""
        gen = backoff.expo(base=2, factor=self.base_delay, max_value=self.max_delay)
        next(gen)  # backoff's generators are primed with one None
        return gen

    def backoff_wait(self, retry_number: int) -> float:
        """The jittered wait before retry ``retry_number`` (1-based)."""
        if retry_number < 1:
            raise ValueError(f"retry_number: must be >= 1, got {retry_number!r}")
        ceilings = self.backoff_ceilings()
        ceiling = 0.0
        for _ in range(retry_number):
            ceiling = next(ceilings)
        return max(0.0, float(self.jitter(ceiling)))


@attrs.frozen
class RetryDecision:
    """The outcome of :func:`decide`.

    Attributes:
        retry: Whether to send the request again.
        wait: Seconds to wait first (0 when not retrying).
        reason: A short description for logs ("status 503", "ConnectError", ...).
        retry_after_exceeded: True when the server asked for a wait beyond the cap.
        refused: Why a failure of a kind the policy retries is not retried (the budget
            is exhausted, ``max_retries`` is reached, ``Retry-After`` is too long, or the
            request may have been processed); ``None`` when retrying, or when the failure
            is never retried (a 404, a 409).
    """

    retry: bool
    wait: float = 0.0
    reason: str = ""
    retry_after_exceeded: bool = False
    refused: str | None = None


class RetryBudget:
    """A token bucket shared by every request of one client (gRPC retry throttling).

    Each attempt that shows the service failing costs one token and each answer that
    shows it working refunds ``token_ratio`` (:meth:`record_answer` says which is
    which); retries are allowed only while more than half the tokens remain. In steady
    operation the bucket stays full; during an outage retries stop after a few
    failures, so the outage does not multiply traffic.
    """

    def __init__(self, max_tokens: float = 20.0, token_ratio: float = 0.1) -> None:
        for name, value in (("max_tokens", max_tokens), ("token_ratio", token_ratio)):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"{name}: expected a number, got {value!r}")
            if not math.isfinite(value) or value <= 0:
                raise ValueError(f"{name}: must be a finite number > 0, got {value!r}")
        self.max_tokens = float(max_tokens)
        self.token_ratio = float(token_ratio)
        self.tokens = float(max_tokens)

    def record_success(self) -> None:
        """Refund part of a token after a successful attempt."""
        self.tokens = min(self.max_tokens, self.tokens + self.token_ratio)

    def record_failure(self) -> None:
        """Spend a token for a failed attempt."""
        self.tokens = max(0.0, self.tokens - 1.0)

    def record_answer(
        self,
        status: int,
        *,
        retry_after: float | None = None,
        retry_statuses: frozenset[int] = _DEFAULT_STATUSES,
    ) -> None:
        """Account one HTTP answer by what it says about the service.

        * A status the policy retries (``retry_statuses``: 5xx, 429) shows the service
          failing or overloaded: one token is spent. Except a 429 with a
          ``Retry-After``: the service is pacing its clients and says when to come back,
          so a retry then is what it asked for, not amplification; it spends nothing,
          and :func:`decide` retries it whatever the budget (``max_retries`` and
          ``max_retry_after`` still bound such retries).
        * Any other status below 500 (2xx, and 4xx such as a 409 invoice-number
          collision, a 400 "number already exists", a 404) is a working service's
          answer: ``token_ratio`` is refunded, as for a success. Collisions are not
          overload and must not starve the retries that overload needs.
        * Other 5xx (not retried by the policy): nothing either way.

        Args:
            status: The HTTP status of the answer.
            retry_after: Seconds from its ``Retry-After`` header, if it had a valid one.
            retry_statuses: The statuses the client's policy retries.
        """
        if status in retry_statuses:
            if status != 429 or retry_after is None:
                self.record_failure()
        elif status < 500:
            self.record_success()

    @property
    def allows_retry(self) -> bool:
        """True while more than half of the bucket remains."""
        return self.tokens > self.max_tokens / 2

    async def sync(self) -> None:
        """Bring the bucket up to date before a retry decision (awaited by the client
        before it asks :attr:`allows_retry` about a failure).

        Nothing to do here; a budget shared between processes (see
        :meth:`Coordinator.retry_budget
        <freshbooks_async.coordination.Coordinator.retry_budget>`) exchanges its counts
        with the shared store, so the decision sees what every process spent.
        """

    def __repr__(self) -> str:
        return f"RetryBudget(tokens={self.tokens:.1f}/{self.max_tokens:.0f})"


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header, or ``None`` if absent or invalid.

    Args:
        value: The header value: delta-seconds (``"120"``) or an HTTP date.
        now: Current Unix time, to turn an HTTP date into a delay.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT
        return None
    return max(0.0, when.timestamp() - now)


def decide(
    policy: RetryPolicy,
    *,
    method: str,
    retries_taken: int,
    status: int | None = None,
    error: FreshBooksError | None = None,
    retry_after: float | None = None,
    idempotent: bool | None = None,
    budget: RetryBudget | None = None,
) -> RetryDecision:
    """Decide whether to retry one failed attempt. Pure: no I/O, no sleeping.

    Args:
        policy: The client's policy.
        method: The request's HTTP method.
        retries_taken: Retries already made for this request.
        status: The response status, when a response arrived.
        error: The transport error, when none did.
        retry_after: Seconds from the response's ``Retry-After``, if any.
        idempotent: Overrides the method's idempotency (e.g. ``False`` for a PUT that
            sends an e-mail).
        budget: The client's shared retry budget.
    """
    if (status is None) == (error is None):
        raise ValueError("decide: give exactly one of status and error")
    method = method.upper()
    safe_to_replay = method in IDEMPOTENT_METHODS if idempotent is None else idempotent

    def refuse(refused: str, **kwargs: bool) -> RetryDecision:
        return RetryDecision(False, reason=f"{reason}: {refused}", refused=refused, **kwargs)

    not_replayed = f"{method} may have been processed: not replayed"
    if error is not None:
        if not isinstance(error, TransportError):
            return RetryDecision(False, reason=type(error).__name__)
        reason = type(error).__name__
        if not (isinstance(error, RequestNotSentError) or safe_to_replay):
            return refuse(not_replayed)
    else:
        assert status is not None
        reason = f"status {status}"
        if status == 409 or status not in policy.retry_statuses:
            return RetryDecision(False, reason=reason)
        if status != 429 and not safe_to_replay:
            return refuse(not_replayed)

    if retry_after is not None and retry_after > policy.max_retry_after:
        return refuse(
            f"Retry-After {retry_after:g}s is longer than max_retry_after "
            f"({policy.max_retry_after:g}s)",
            retry_after_exceeded=True,
        )
    if retries_taken >= policy.max_retries:
        if policy.max_retries == 0:
            return refuse("retries are disabled (max_retries=0)")
        return refuse(f"max_retries ({policy.max_retries}) reached")
    # A 429 that says when to come back is paced by the service itself: the budget (which
    # guards a failing service against amplified traffic) neither pays for nor gates it.
    paced = status == 429 and retry_after is not None
    if budget is not None and not paced and not budget.allows_retry:
        return refuse(
            f"retry budget exhausted ({budget.tokens:.1f} of {budget.max_tokens:g} tokens "
            f"left; a retry needs more than {budget.max_tokens / 2:g})"
        )
    if retry_after is not None:
        # Honour the server's wait exactly: jitter may lengthen a wait, never shorten it.
        return RetryDecision(True, wait=retry_after, reason=f"{reason}, Retry-After")
    return RetryDecision(True, wait=policy.backoff_wait(retries_taken + 1), reason=reason)
