"""Fault rules for the sandbox: parsing, matching and deterministic triggering.

Grammar (CLI ``--fault SPEC``, :meth:`Sandbox.configure_faults`, ``POST /_sandbox/faults``)::

    SPEC   := KIND (":" OPTION)*
    OPTION := NAME "=" VALUE

``KIND`` is one of:

* ``latency``            hold back the answer to every matching request (``ms``, ``jitter_ms``)
* ``429``                answer 429 with ``Retry-After`` (``retry_after``: seconds, or
                         ``date`` for an HTTP date ``retry_after_s`` seconds ahead; ``burst``:
                         once triggered, the next ``burst - 1`` matching requests get 429 too)
* ``rate_limit``         a per-token limit: at most ``limit`` requests per ``window`` seconds;
                         excess requests get 429 with ``Retry-After`` (sandbox clock)
* ``500`` ``502`` ``503`` ``504`` (or ``5xx`` with ``status=``)  answer that status
* ``reset_before``       drop the connection before processing (nothing happens server-side)
* ``reset_after_commit`` process the request (objects are created) then drop the connection
* ``truncate``           process, then send only part of the body and drop the connection
* ``malformed``          process, then answer 200 with a body that is not valid JSON
* ``hang``               never answer (until the sandbox closes); with ``seconds=`` answer late
* ``conflict``           answer an invoice create with 409 without creating anything

Common options: ``rate`` (probability 0..1, default 1), ``route`` (``"METHOD GLOB"`` or
``"GLOB"``; ``*`` matches any characters, so ``/accounting/account/*/invoices/invoices``
matches every account), ``count`` (trigger at most this many times), ``after`` (let the
first N matching requests through). Example::

    --fault 429:rate=0.1:retry_after=1
    --fault reset_after_commit:rate=0.05:route=POST /accounting/account/*/invoices/invoices

Randomness comes from one ``random.Random`` per rule, seeded from the sandbox seed and the
rule's position, so a run is reproducible for a given request order.
"""

from __future__ import annotations

import fnmatch
import random
from collections.abc import Mapping

import attrs

__all__ = ["FAULT_KINDS", "FaultRule", "parse_fault"]

FAULT_KINDS = frozenset(
    {
        "latency",
        "429",
        "rate_limit",
        "500",
        "502",
        "503",
        "504",
        "5xx",
        "reset_before",
        "reset_after_commit",
        "truncate",
        "malformed",
        "hang",
        "conflict",
    }
)

_INT_OPTIONS = frozenset({"count", "after", "burst", "limit", "status", "retry_after_s"})
_FLOAT_OPTIONS = frozenset({"rate", "ms", "jitter_ms", "window", "seconds"})
_STR_OPTIONS = frozenset({"route", "retry_after"})


@attrs.define(kw_only=True)
class FaultRule:
    """One configured fault. Mutable only in its counters.

    Attributes:
        kind: One of ``FAULT_KINDS``.
        rate: Probability that a matching request triggers it.
        method: HTTP method to match, or ``None`` for any.
        path_glob: ``fnmatch`` pattern over the path, or ``None`` for any.
        count: Trigger at most this many times (``None``: unlimited).
        after: Let this many matching requests through first.
        options: The remaining kind-specific options.
        triggered: How many times the rule has fired.
        seen: How many requests matched its route.
    """

    kind: str
    rate: float = 1.0
    method: str | None = None
    path_glob: str | None = None
    count: int | None = None
    after: int = 0
    options: dict[str, float | int | str] = attrs.field(factory=dict)
    triggered: int = 0
    seen: int = 0
    burst_left: int = 0
    rng: random.Random = attrs.field(factory=lambda: random.Random(0), repr=False)

    def matches(self, method: str, path: str) -> bool:
        """Whether a request falls under this rule's route."""
        if self.method is not None and self.method != method:
            return False
        return self.path_glob is None or fnmatch.fnmatchcase(path, self.path_glob)

    def roll(self) -> bool:
        """Count one matching request and decide whether the fault fires for it."""
        self.seen += 1
        if self.seen <= self.after:
            return False
        if self.count is not None and self.triggered >= self.count:
            return False
        if self.burst_left > 0:
            self.burst_left -= 1
            self.triggered += 1
            return True
        if self.rate >= 1.0 or self.rng.random() < self.rate:
            self.triggered += 1
            burst = int(self.options.get("burst", 1))
            self.burst_left = max(0, burst - 1)
            return True
        return False

    def num(self, name: str, default: float) -> float:
        """A numeric option, or ``default``."""
        value = self.options.get(name, default)
        return float(value)

    def describe(self) -> dict[str, object]:
        """A JSON-able description (for ``GET /_sandbox/faults``)."""
        return {
            "kind": self.kind,
            "rate": self.rate,
            "method": self.method,
            "path_glob": self.path_glob,
            "count": self.count,
            "after": self.after,
            "options": dict(self.options),
            "triggered": self.triggered,
            "seen": self.seen,
        }


def parse_fault(spec: str | Mapping[str, object], *, seed: int = 0, index: int = 0) -> FaultRule:
    """Parse one fault ``SPEC`` or an equivalent mapping.

    The grammar (``KIND(:NAME=VALUE)*``, the kinds and their options) is in the Testing
    guide of the documentation ("Fault specs") and in this module's docstring.

    Args:
        spec: ``"429:rate=0.1:retry_after=1"``, or ``{"kind": "429", "rate": 0.1, ...}``.
        seed: The sandbox seed (makes the rule's randomness reproducible).
        index: The rule's position (so two identical rules draw different numbers).

    Raises:
        ValueError: Unknown kind or option, or a value out of range.
        TypeError: ``spec`` is neither a string nor a mapping.
    """
    if isinstance(spec, str):
        head, *parts = spec.strip().split(":")
        raw: dict[str, object] = {"kind": head.strip()}
        for part in parts:
            name, sep, value = part.partition("=")
            if not sep:
                raise ValueError(f"spec: option {part!r} is not NAME=VALUE in {spec!r}")
            raw[name.strip()] = value.strip()
    elif isinstance(spec, Mapping):
        raw = dict(spec)
    else:
        raise TypeError(f"spec: expected str or mapping, got {type(spec).__name__}")
    kind = str(raw.pop("kind", ""))
    if kind not in FAULT_KINDS:
        raise ValueError(f"spec: unknown fault kind {kind!r}; one of {sorted(FAULT_KINDS)}")
    options: dict[str, float | int | str] = {}
    for opt, opt_value in raw.items():
        try:
            if opt in _INT_OPTIONS:
                options[opt] = int(str(opt_value))
            elif opt in _FLOAT_OPTIONS:
                options[opt] = float(str(opt_value))
            elif opt in _STR_OPTIONS:
                options[opt] = str(opt_value)
            else:
                raise ValueError(f"spec: unknown option {opt!r} for fault {kind!r}")
        except (TypeError, ValueError) as exc:
            if "unknown option" in str(exc):
                raise
            raise ValueError(f"spec: option {opt}={opt_value!r} is not a valid number") from None
    rate = float(options.pop("rate", 1.0))
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"spec: rate must be within 0..1, got {rate!r}")
    for name in ("count", "after", "burst", "ms", "jitter_ms", "seconds", "limit"):
        if name in options and float(options[name]) < 0:
            raise ValueError(f"spec: {name} must be >= 0, got {options[name]!r}")
    if kind == "5xx":
        status = int(options.get("status", 503))
        if not 500 <= status <= 599:
            raise ValueError(f"spec: status must be 5xx, got {status!r}")
    if kind == "rate_limit" and int(options.get("limit", 0)) < 1:
        raise ValueError("spec: rate_limit needs limit >= 1")
    method: str | None = None
    glob: str | None = None
    route = options.pop("route", None)
    if route is not None:
        text = str(route).strip()
        first, _, rest = text.partition(" ")
        if rest and first.isalpha() and first.isupper():
            method, glob = first, rest.strip()
        else:
            glob = text
        if not glob.startswith("/"):
            raise ValueError(f"spec: route path must start with '/', got {route!r}")
    count = options.pop("count", None)
    after = options.pop("after", 0)
    return FaultRule(
        kind=kind,
        rate=rate,
        method=method,
        path_glob=glob,
        count=None if count is None else int(count),
        after=int(after),
        options=options,
        rng=random.Random(f"{seed}:{index}:{kind}"),
    )
