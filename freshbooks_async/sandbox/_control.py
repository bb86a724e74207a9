"""Control endpoints under ``/_sandbox`` (no auth, no faults).

* ``GET  /_sandbox/ledger[?resource=invoices]`` -> ``{"entries": [...], "summary": {...}}``
* ``GET  /_sandbox/stats``                       -> counters (see :class:`SandboxStats`)
* ``GET  /_sandbox/faults`` / ``POST`` ``{"faults": [SPEC, ...], "replace": true}`` /
  ``DELETE``
* ``POST /_sandbox/seed`` ``{"clients": N, "invoices": N, ...}``
* ``POST /_sandbox/reset``
* ``POST /_sandbox/tokens`` ``{"scopes": [...] | null, "expires_in": 43200}``
* ``POST /_sandbox/config`` ``{"processing_latency": s, "latency_ms": n, "jitter_ms": n}``
* ``POST /_sandbox/clock/advance`` ``{"seconds": s}`` (only with a ``FakeClock``)
* ``GET  /_sandbox/deliveries``                  -> recorded webhook deliveries
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .._json import loads as load_json
from ..transports._types import Request

if TYPE_CHECKING:
    from ._core import Reply, Sandbox

__all__ = ["control"]


def _err(status: int, message: str) -> Reply:
    from ._core import Reply

    return Reply(status, {"error": message})


def _non_negative(value: Any) -> bool:
    """A JSON number that is finite and >= 0 (true/false are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        number = float(value)
    except OverflowError:
        return False
    return math.isfinite(number) and number >= 0


async def control(sb: Sandbox, method: str, sub: str, request: Request) -> Reply:
    """Serve one control request."""
    from ._core import Reply

    try:
        body: Any = load_json(request.body) if request.body.strip() else {}
    except ValueError:
        return _err(400, "body must be JSON")
    if not isinstance(body, dict):
        return _err(400, "body must be a JSON object")
    try:
        if sub == "/ledger" and method == "GET":
            resource = request.url.query.get("resource", "invoices")
            return Reply(
                200,
                {
                    "entries": [e.to_json() for e in sb.ledger],
                    "summary": sb.ledger_summary(resource),
                },
            )
        if sub == "/stats" and method == "GET":
            return Reply(200, sb.stats.to_json())
        if sub == "/faults":
            if method == "POST":
                faults = body.get("faults", [])
                if not isinstance(faults, list):
                    return _err(400, "faults must be a list")
                sb.configure_faults(faults, replace=bool(body.get("replace", True)))
            elif method == "DELETE":
                sb.configure_faults([])
            return Reply(
                200, {"faults": [r.describe() for r in sb.faults], "counts": sb.fault_counts()}
            )
        if sub == "/seed" and method == "POST":
            return Reply(200, {"created": sb.seed_data(**body)})
        if sub == "/reset" and method == "POST":
            sb.reset()
            return Reply(200, {"token": sb.token})
        if sub == "/tokens" and method == "POST":
            token = sb.issue_token(body.get("scopes"), body.get("expires_in", 43200))
            return Reply(200, {"access_token": token})
        if sub == "/config" and method == "POST":
            names = ("processing_latency", "latency_ms", "jitter_ms")
            for name in names:  # all checked before any is set
                if name in body and not _non_negative(body[name]):
                    return _err(400, f"{name} must be a finite number >= 0")
            for name in names:
                if name in body:
                    setattr(sb, name, float(body[name]))
            return Reply(
                200,
                {
                    "processing_latency": sb.processing_latency,
                    "latency_ms": sb.latency_ms,
                    "jitter_ms": sb.jitter_ms,
                },
            )
        if sub == "/clock/advance" and method == "POST":
            advance = getattr(sb.clock, "advance", None)
            if advance is None:
                return _err(400, "the sandbox clock cannot be advanced")
            seconds = body.get("seconds", 0)
            if not _non_negative(seconds):
                return _err(400, "seconds must be a finite number >= 0")
            advance(float(seconds))
            return Reply(200, {"time": sb.clock.time()})
        if sub == "/deliveries" and method == "GET":
            return Reply(200, {"deliveries": sb.deliveries})
    except (TypeError, ValueError) as exc:
        return _err(400, str(exc))
    return _err(404, f"unknown control endpoint {method} {sub}")
