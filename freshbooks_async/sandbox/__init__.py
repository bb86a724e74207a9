"""A faithful FreshBooks emulator for tests, benchmarks and users' test suites.

Every endpoint of the SDK's endpoint catalogue is served with the
right envelope and error body for its family, pagination and filter rules, vis_state soft
delete, invoice auto-numbering with the real 409 race, OAuth with single-use refresh
tokens, webhooks with verification and signed deliveries, uploads, and seeded,
deterministic fault injection. The two tokenization endpoints on ``paid.freshbooks.com``
are served too, on their paths (``/gateway/fbpay/tokenize``,
``/gateway/stripe/payment-method``).

In process::

    sandbox = Sandbox()
    transport = MockTransport(sandbox.handle)

Over loopback::

    async with SandboxServer() as server:
        ...  # server.url, server.token, server.sandbox

From a shell: ``python -m freshbooks_async.sandbox --port 8080 --seed-invoices 1000``
(a process of its own, on the loop of :func:`loop_factory`: timers that fire when due).
Fault specs (``"429:rate=0.1:retry_after=1"``): see :func:`parse_fault` and the Testing
guide ("Fault specs"); control endpoints under ``/_sandbox``: the Testing guide.
"""

from ._core import Business, LedgerEntry, Outcome, Sandbox, SandboxStats, TokenInfo
from ._faults import FAULT_KINDS, FaultRule, parse_fault
from ._handlers.invoices import make_pdf
from ._loop import loop_factory
from ._web import SandboxServer, web_app

__all__ = [
    "FAULT_KINDS",
    "Business",
    "FaultRule",
    "LedgerEntry",
    "Outcome",
    "Sandbox",
    "SandboxServer",
    "SandboxStats",
    "TokenInfo",
    "loop_factory",
    "make_pdf",
    "parse_fault",
    "web_app",
]
