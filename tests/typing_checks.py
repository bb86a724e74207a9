"""Type-checked, never run (not a test module): what ``mypy --strict`` and pyright strict
must accept and refuse in code that uses the SDK (``nox -s typecheck``).

Each call marked ``# type: ignore[...]`` must be a type error: mypy (``warn_unused_ignores``,
on under ``--strict``) and pyright (``reportUnnecessaryTypeIgnoreComment``) fail the
session if one of them stops being one. The runtime checks refuse the same calls
(tests/test_resources.py).
"""

# pyright: strict, reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

import datetime
from decimal import Decimal

from freshbooks_async import FreshBooksClient, Page
from freshbooks_async.models import Invoice, InvoiceCreate


async def typos_are_type_errors(
    fb: FreshBooksClient, account_id: str, drafts: list[InvoiceCreate]
) -> None:
    day = datetime.date(2024, 1, 5)
    await fb.invoices.create(account_id, customer_id=1, create_date=day)  # type: ignore[call-arg]
    await fb.invoices.create(account_id, customerid="one", create_date=day)  # type: ignore[arg-type]
    await fb.invoices.update(account_id, 7, notez="x")  # type: ignore[call-arg]
    await fb.invoices.bulk_create(account_id, drafts, concurency=8)  # type: ignore[call-arg]
    await fb.invoices.bulk_create(account_id, drafts, numbering="clinet")  # type: ignore[arg-type]
    # The same calls, spelt right, are accepted:
    await fb.invoices.create(account_id, customerid=1, create_date=day, notes="n")
    await fb.invoices.update(account_id, 7, notes="x")
    await fb.invoices.bulk_create(account_id, drafts, concurrency=8, numbering="client")


async def fields_freshbooks_always_sends_need_no_narrowing(
    fb: FreshBooksClient, account_id: str
) -> None:
    invoice: Invoice = await fb.invoices.get(account_id, 7)
    outstanding: Decimal = invoice.outstanding.amount
    ident: int = invoice.id
    me = await fb.me()
    account: str = me.business_memberships[0].business.account_id
    page: Page[Invoice] = await fb.invoices.list(account)
    for item in page:  # a page is iterable
        total: Decimal = item.amount.amount
        del total
    # An optional field still needs narrowing:
    notes: str = invoice.notes  # type: ignore[assignment]
    # Read models build their fields on first access (Model.__getattr__, hidden from type
    # checkers): a misspelt attribute is still a type error.
    misspelt = invoice.outstandng  # type: ignore[attr-defined]
    del outstanding, ident, notes, misspelt
