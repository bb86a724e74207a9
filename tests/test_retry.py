"""The retry decision function, policy validation, Retry-After parsing and the budget."""

from __future__ import annotations

import email.utils
import itertools

import pytest

from freshbooks_async.errors import (
    ConnectError,
    ConnectTimeoutError,
    FreshBooksError,
    PoolTimeoutError,
    ReadError,
    ReadTimeoutError,
    ServerDisconnectedError,
    TransportError,
)
from freshbooks_async.retry import RetryBudget, RetryPolicy, decide, parse_retry_after

EXACT = RetryPolicy(jitter=lambda ceiling: ceiling, base_delay=0.5, max_delay=4.0)

NOT_SENT: list[TransportError] = [
    ConnectError("refused"),
    ConnectTimeoutError("slow connect"),
    PoolTimeoutError("pool"),
]
MAYBE_SENT: list[TransportError] = [
    ReadError("reset"),
    ReadTimeoutError("slow read"),
    ServerDisconnectedError("closed"),
]
IDEMPOTENT = ["GET", "PUT", "DELETE"]
NON_IDEMPOTENT = ["POST", "PATCH"]


@pytest.mark.parametrize("method", IDEMPOTENT + NON_IDEMPOTENT)
@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_status_matrix(method: str, status: int) -> None:
    decision = decide(EXACT, method=method, retries_taken=0, status=status)
    expected = method in IDEMPOTENT or status == 429
    assert decision.retry is expected, decision.reason


@pytest.mark.parametrize("method", IDEMPOTENT + NON_IDEMPOTENT)
@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 501])
def test_statuses_never_retried(method: str, status: int) -> None:
    assert not decide(EXACT, method=method, retries_taken=0, status=status).retry


@pytest.mark.parametrize("method", IDEMPOTENT + NON_IDEMPOTENT)
@pytest.mark.parametrize("error", NOT_SENT + MAYBE_SENT, ids=lambda e: type(e).__name__)
def test_transport_error_matrix(method: str, error: TransportError) -> None:
    decision = decide(EXACT, method=method, retries_taken=0, error=error)
    from freshbooks_async.errors import RequestNotSentError

    expected = method in IDEMPOTENT or isinstance(error, RequestNotSentError)
    assert decision.retry is expected, decision.reason


def test_idempotent_override_protects_action_puts() -> None:
    # A PUT that sends an e-mail must not be replayed after a maybe-sent failure.
    decision = decide(EXACT, method="PUT", retries_taken=0, error=ReadError("x"), idempotent=False)
    assert not decision.retry
    assert decide(
        EXACT, method="PUT", retries_taken=0, error=ConnectError("x"), idempotent=False
    ).retry


def test_non_transport_errors_are_not_retried() -> None:
    assert not decide(EXACT, method="GET", retries_taken=0, error=FreshBooksError("x")).retry


def test_exact_backoff_waits_double_and_cap() -> None:
    waits = [decide(EXACT, method="GET", retries_taken=n, status=503).wait for n in range(3)]
    assert waits == [0.5, 1.0, 2.0]
    capped = RetryPolicy(jitter=lambda c: c, base_delay=0.5, max_delay=4.0, max_retries=10)
    assert [capped.backoff_wait(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_full_jitter_stays_within_ceiling() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0, max_retries=10)
    for n in range(1, 6):
        ceiling = min(8.0, 2 ** (n - 1))
        for _ in range(50):
            assert 0.0 <= policy.backoff_wait(n) <= ceiling


def test_max_retries_stops() -> None:
    policy = RetryPolicy(max_retries=2, jitter=lambda c: c)
    assert decide(policy, method="GET", retries_taken=1, status=503).retry
    decision = decide(policy, method="GET", retries_taken=2, status=503)
    assert not decision.retry
    assert decision.refused == "max_retries (2) reached"


def test_retry_after_is_honoured_exactly_without_jitter() -> None:
    policy = RetryPolicy(jitter=lambda c: 0.0)  # jitter would make the wait 0
    decision = decide(policy, method="POST", retries_taken=0, status=429, retry_after=7.0)
    assert decision.retry
    assert decision.wait == 7.0


def test_retry_after_over_cap_is_not_slept() -> None:
    policy = RetryPolicy(max_retry_after=30.0)
    decision = decide(policy, method="GET", retries_taken=0, status=429, retry_after=31.0)
    assert not decision.retry
    assert decision.retry_after_exceeded


def test_decide_needs_exactly_one_outcome() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        decide(EXACT, method="GET", retries_taken=0)
    with pytest.raises(ValueError, match="exactly one"):
        decide(EXACT, method="GET", retries_taken=0, status=500, error=ConnectError("x"))


def test_parse_retry_after_seconds_and_http_date() -> None:
    now = 1_700_000_000.0
    assert parse_retry_after("120", now=now) == 120.0
    assert parse_retry_after(" 1.5 ", now=now) == 1.5
    date = email.utils.formatdate(now + 42, usegmt=True)
    assert parse_retry_after(date, now=now) == pytest.approx(42.0)
    past = email.utils.formatdate(now - 100, usegmt=True)
    assert parse_retry_after(past, now=now) == 0.0
    for bad in (None, "", "soon", "-3", "nan", "inf"):
        assert parse_retry_after(bad, now=now) is None


@pytest.mark.parametrize(
    ("kwargs", "exc", "needle"),
    [
        ({"max_retries": -1}, ValueError, "max_retries"),
        ({"max_retries": 1.5}, TypeError, "max_retries"),
        ({"base_delay": -0.1}, ValueError, "base_delay"),
        ({"max_delay": float("inf")}, ValueError, "max_delay"),
        ({"max_retry_after": "5"}, TypeError, "max_retry_after"),
        ({"retry_statuses": {409}}, ValueError, "409"),
        ({"retry_statuses": {99}}, ValueError, "retry_statuses"),
    ],
)
def test_policy_validation(kwargs: dict[str, object], exc: type[Exception], needle: str) -> None:
    with pytest.raises(exc, match=needle):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_budget_stops_retries_during_an_outage_and_recovers() -> None:
    budget = RetryBudget(max_tokens=10, token_ratio=0.5)
    policy = RetryPolicy(max_retries=100, jitter=lambda c: c)
    allowed = 0
    for n in itertools.count():
        budget.record_failure()
        if not decide(policy, method="GET", retries_taken=n, status=503, budget=budget).retry:
            break
        allowed += 1
    assert allowed == 4  # 10 tokens, retries while more than 5 remain
    for _ in range(4):
        budget.record_success()
    assert budget.allows_retry
    with pytest.raises(ValueError, match="token_ratio"):
        RetryBudget(token_ratio=0)


# --------------------------------------------------------------------------- why not retried


def test_a_refused_retry_says_why() -> None:
    drained = RetryBudget(max_tokens=20)
    for _ in range(10):
        drained.record_failure()
    cases = [
        (
            decide(EXACT, method="GET", retries_taken=0, status=503, budget=drained),
            "retry budget exhausted (10.0 of 20 tokens left; a retry needs more than 10)",
        ),
        (
            decide(EXACT, method="GET", retries_taken=3, status=503),
            "max_retries (3) reached",
        ),
        (
            decide(RetryPolicy.disabled(), method="GET", retries_taken=0, status=503),
            "retries are disabled (max_retries=0)",
        ),
        (
            decide(EXACT, method="GET", retries_taken=0, status=429, retry_after=61.0),
            "Retry-After 61s is longer than max_retry_after (60s)",
        ),
        (
            decide(EXACT, method="POST", retries_taken=0, status=503),
            "POST may have been processed: not replayed",
        ),
        (
            decide(EXACT, method="POST", retries_taken=0, error=ReadError("reset")),
            "POST may have been processed: not replayed",
        ),
    ]
    for decision, refused in cases:
        assert not decision.retry
        assert decision.refused == refused
        assert refused in decision.reason


@pytest.mark.parametrize("status", [400, 404, 409, 422, 501])
def test_a_failure_of_a_kind_never_retried_has_no_refusal(status: int) -> None:
    decision = decide(EXACT, method="GET", retries_taken=0, status=status)
    assert not decision.retry
    assert decision.refused is None
    assert decide(EXACT, method="GET", retries_taken=0, status=503).refused is None  # retried


# --------------------------------------------------------------------------- budget accounting


@pytest.mark.parametrize(
    ("status", "retry_after", "change"),
    [
        (200, None, +0.5),
        (201, None, +0.5),
        (400, None, +0.5),  # "invoice number already exists": the service works
        (404, None, +0.5),
        (409, None, +0.5),  # an invoice-number collision is not overload
        (422, None, +0.5),
        (429, 2.0, 0.0),  # the service says when to come back: honouring it is not amplifying
        (429, None, -1.0),  # no Retry-After: a guess, like a 503
        (500, None, -1.0),
        (503, 5.0, -1.0),  # a failing service, whatever it asks
        (501, None, 0.0),  # a failure the policy does not retry: no evidence either way
    ],
)
def test_budget_accounts_each_answer_by_what_it_says_about_the_service(
    status: int, retry_after: float | None, change: float
) -> None:
    budget = RetryBudget(max_tokens=10, token_ratio=0.5)
    for _ in range(4):
        budget.record_failure()
    budget.record_answer(status, retry_after=retry_after, retry_statuses=EXACT.retry_statuses)
    assert budget.tokens == 6 + change


def test_collisions_keep_the_budget_for_the_retries_that_need_it() -> None:
    # An outage spent the budget down to its floor; a run of collisions then shows the
    # service working again, like successes would: a 503 may be retried again.
    budget = RetryBudget(max_tokens=20, token_ratio=0.1)
    for _ in range(10):
        budget.record_failure()
    assert not budget.allows_retry
    for _ in range(20):
        budget.record_answer(409)
    budget.record_answer(503)
    assert decide(EXACT, method="GET", retries_taken=0, status=503, budget=budget).retry


def test_a_429_that_says_when_to_come_back_is_not_gated_by_the_budget() -> None:
    drained = RetryBudget(max_tokens=20)
    for _ in range(15):
        drained.record_failure()
    paced = decide(
        EXACT, method="POST", retries_taken=0, status=429, retry_after=2.0, budget=drained
    )
    assert (paced.retry, paced.wait, paced.refused) == (True, 2.0, None)
    guessed = decide(EXACT, method="POST", retries_taken=0, status=429, budget=drained)
    assert not guessed.retry
    assert guessed.refused is not None
    assert guessed.refused.startswith("retry budget exhausted")
    capped = decide(EXACT, method="GET", retries_taken=3, status=429, retry_after=2.0)
    assert capped.refused == "max_retries (3) reached"  # still bounded per request
