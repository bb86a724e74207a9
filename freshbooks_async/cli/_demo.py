"""``freshbooks-async demo``: the SDK's main job in about ten seconds.

Starts the embedded sandbox on a free loopback port, seeds clients, bulk-creates
invoices concurrently while the sandbox answers with the real 409 numbering race and
injected faults, reads every invoice back with the concurrent paginator, and prints a
summary: created, 409s retried, lost, duplicated, throughput.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import Iterator, Sequence
from typing import IO, Any, Final, Literal

import attrs

from ..bulk import BulkProgress
from ..client import FreshBooksClient
from ..retry import RetryPolicy
from ..sandbox import SandboxServer, parse_fault
from ._common import CLIError, businesses
from ._progress import Progress

__all__ = [
    "DEFAULT_COUNT",
    "DEFAULT_FAULTS",
    "DemoSummary",
    "check_demo_args",
    "format_summary",
    "run_demo",
]

#: Invoices created by default (about ten seconds on a 2-core machine, all included).
DEFAULT_COUNT: Final = 3000
_INVOICE_POSTS: Final = "POST /accounting/account/*/invoices/invoices"
#: The faults the sandbox injects by default, on top of its natural 409 race.
DEFAULT_FAULTS: Final = (
    "503:rate=0.01",
    "429:rate=0.01:retry_after=0",
    f"reset_after_commit:rate=0.005:route={_INVOICE_POSTS}",
)
_SEED_CLIENTS: Final = 50


@attrs.frozen(kw_only=True)
class DemoSummary:
    """What the demo measured.

    Attributes:
        requested: Invoices the demo asked for.
        created: Invoices the bulk call reports created.
        conflicts: 409 answers (number collisions) that were retried.
        reconciled: Creates whose answer was lost and that were found by a look-up
            instead of being posted again.
        faults: Faults the sandbox injected, by kind.
        lost: Drafts not created, plus created invoices missing from the read-back.
        duplicated: Drafts created more than once (sandbox ledger), plus unexpected
            invoices in the read-back.
        create_seconds: Wall time of the bulk create.
        read_back: Invoices read back by the paginator.
        read_seconds: Wall time of the read-back.
        pages: Pages read back.
    """

    requested: int
    created: int
    conflicts: int
    reconciled: int
    faults: dict[str, int]
    lost: int
    duplicated: int
    create_seconds: float
    read_back: int
    read_seconds: float
    pages: int

    @property
    def ok(self) -> bool:
        """Every invoice created exactly once and read back."""
        return self.created == self.requested and self.lost == 0 and self.duplicated == 0


def _drafts(count: int, today: dt.date) -> list[dict[str, Any]]:
    drafts = []
    for i in range(count):
        lines = [
            {
                "name": f"Consulting, job {i + 1}",
                "qty": 1 + i % 3,
                "unit_cost": {"amount": f"{50 + i % 200}.00", "code": "USD"},
            }
        ]
        if i % 4 == 0:
            lines.append(
                {
                    "name": f"Expenses, job {i + 1}",
                    "qty": 1,
                    "unit_cost": {"amount": "12.50", "code": "USD"},
                }
            )
        drafts.append(
            {
                "customerid": 1 + i % _SEED_CLIENTS,
                "create_date": today.isoformat(),
                "notes": f"demo invoice {i + 1}",
                "lines": lines,
            }
        )
    return drafts


@contextlib.contextmanager
def _quiet_server_log() -> Iterator[None]:
    # The sandbox drops connections on purpose (reset faults); aiohttp's server logs each
    # one at ERROR level, which would only be noise here.
    logger = logging.getLogger("aiohttp.server")
    previous = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(previous)


def check_demo_args(count: object, concurrency: object, numbering: object, faults: object) -> None:
    """Validate the demo's options (before anything starts).

    Raises:
        CLIError: An option is out of range or a fault spec does not parse.
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise CLIError(f"--count: must be an integer >= 1, got {count!r}", 2)
    if (
        isinstance(concurrency, bool)
        or not isinstance(concurrency, int)
        or not 1 <= concurrency <= 64
    ):
        raise CLIError(f"--concurrency: must be an integer in 1..64, got {concurrency!r}", 2)
    if numbering not in ("server", "client"):
        raise CLIError(f"--numbering: must be 'server' or 'client', got {numbering!r}", 2)
    if isinstance(faults, str) or not isinstance(faults, Sequence):
        raise CLIError(f"--fault: expected a list of specs, got {faults!r}", 2)
    for spec in faults:
        try:
            parse_fault(spec)
        except (TypeError, ValueError) as exc:
            raise CLIError(f"--fault {spec!r}: {exc}", 2) from None


async def run_demo(
    *,
    count: int = DEFAULT_COUNT,
    concurrency: int = 4,
    numbering: Literal["server", "client"] = "server",
    faults: Sequence[str] = DEFAULT_FAULTS,
    seed: int = 0,
    progress: bool = False,
    err: IO[str],
) -> DemoSummary:
    """Run the demo scenario against an embedded sandbox and measure it.

    Args:
        count: Invoices to create (>= 1).
        concurrency: Creates in flight at once (1..64).
        numbering: ``"server"`` (FreshBooks numbers; collisions answer 409 and are
            retried) or ``"client"`` (numbers allocated locally; no collisions).
        faults: Sandbox fault specs (``python -m freshbooks_async.sandbox --help``).
        seed: The sandbox's random seed.
        progress: Draw progress lines on ``err``.
        err: Where progress lines go.

    Returns:
        The measured summary.

    Raises:
        CLIError: An argument is out of range.
    """
    check_demo_args(count, concurrency, numbering, faults)
    with _quiet_server_log():
        server = SandboxServer(seed=seed, seed_clients=_SEED_CLIENTS, faults=list(faults))
        async with (
            server,
            FreshBooksClient(
                server.token,
                base_url=server.url,
                per_account_concurrency=concurrency,
                # Short waits: the sandbox is local, and the demo should take seconds.
                retry=RetryPolicy(base_delay=0.02, max_delay=1.0, max_retries=8),
            ) as fb,
        ):
            account_id = next(b.account_id for b in await businesses(fb) if b.account_id)
            drafts = _drafts(count, dt.date.today())
            bar = Progress(err, enabled=progress, label="creating", total=count, unit="invoices")

            def on_progress(p: BulkProgress) -> None:
                bar.update(
                    p.created,
                    extra=f"409s retried: {p.conflicts}  in flight: {p.in_flight}",
                )

            started = time.perf_counter()
            result = await fb.invoices.bulk_create(
                account_id,
                drafts,
                concurrency=concurrency,
                numbering=numbering,
                on_progress=on_progress,
                backoff_base=0.005,
                backoff_max=0.5,
                reconcile_delay=0.05,
            )
            create_seconds = time.perf_counter() - started
            bar.close()

            reader = Progress(err, enabled=progress, label="reading back", unit="invoices")
            started = time.perf_counter()
            seen: dict[int, int] = {}
            pages = 0
            async for page in fb.invoices.list_all(account_id, concurrency=8).pages():
                pages += 1
                reader.total = page.total
                for invoice in page.items:
                    if isinstance(invoice.id, int):
                        seen[invoice.id] = seen.get(invoice.id, 0) + 1
                reader.update(sum(seen.values()))
            read_seconds = time.perf_counter() - started
            reader.close()

            created_ids = {
                item.invoice.id
                for item in result.items
                if item.invoice is not None and isinstance(item.invoice.id, int)
            }
            ledger = server.sandbox.ledger_summary()
            not_created = len(result.items) - len(created_ids)
            missing = len(created_ids - seen.keys())
            unexpected = len(seen.keys() - created_ids) + sum(n - 1 for n in seen.values())
            return DemoSummary(
                requested=count,
                created=len(created_ids),
                conflicts=result.conflicts,
                reconciled=result.reconciled,
                faults=dict(server.sandbox.fault_counts()),
                lost=not_created + missing,
                duplicated=len(ledger["duplicated_references"]) + unexpected,
                create_seconds=create_seconds,
                read_back=sum(seen.values()),
                read_seconds=read_seconds,
                pages=pages,
            )


def format_summary(summary: DemoSummary, *, concurrency: int, numbering: str) -> str:
    """The summary table printed by ``freshbooks-async demo``."""
    faults = ", ".join(f"{kind} x{n}" for kind, n in sorted(summary.faults.items()) if n)
    rate = summary.created / summary.create_seconds if summary.create_seconds > 0 else 0.0
    read_rate = summary.read_back / summary.read_seconds if summary.read_seconds > 0 else 0.0
    rows = [
        ("created", f"{summary.created:,} of {summary.requested:,}"),
        ("409 collisions retried", f"{summary.conflicts:,}"),
        ("faults injected", faults or "none"),
        ("ambiguous, reconciled", f"{summary.reconciled:,} (found, not re-posted)"),
        ("lost", f"{summary.lost:,}"),
        ("duplicated", f"{summary.duplicated:,}"),
        (
            "create throughput",
            f"{rate:,.0f} invoices/s ({summary.create_seconds:.1f} s, "
            f"concurrency {concurrency}, {numbering} numbering)",
        ),
        (
            "read back",
            f"{summary.read_back:,} invoices, {summary.pages} pages in "
            f"{summary.read_seconds:.2f} s ({read_rate:,.0f}/s)",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"  {name.ljust(width)}  {value}" for name, value in rows]
    verdict = (
        "every invoice created exactly once"
        if summary.ok
        else "PROBLEM: some invoices were lost or duplicated"
    )
    return "\n".join([*lines, "", f"  {verdict}"])
