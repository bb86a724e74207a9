"""Smoke run: the client against the embedded sandbox over real loopback HTTP.

Starts the sandbox on a free 127.0.0.1 port, seeds it, and drives FreshBooksClient through
identity, creates, a 404, and a concurrent read of every page, then checks the sandbox's
ledger. ``nox -s demo`` runs this until the CLI demo replaces it.
"""

from __future__ import annotations

import asyncio
import time

from freshbooks_async import FreshBooksClient, errors
from freshbooks_async.sandbox import SandboxServer


async def main() -> None:
    """Run the smoke scenario and print a short summary."""
    started = time.perf_counter()
    async with (
        SandboxServer(seed_invoices=2_000, seed_clients=50) as server,
        FreshBooksClient(server.token, base_url=server.url) as fb,
    ):
        me = await fb.request("GET", "/auth/api/v1/users/me")
        business = me.data["business_memberships"][0]["business"]
        account_id = business["account_id"]
        invoices = f"/accounting/account/{account_id}/invoices/invoices"
        print(f"sandbox at {server.url}; identity {me.data['email']}, account {account_id}")

        created = []
        for n in range(20):  # sequential: concurrent server-numbered creates collide (409)
            response = await fb.request(
                "POST",
                invoices,
                json={
                    "invoice": {
                        "customerid": 1,
                        "create_date": "2026-11-21",
                        "lines": [
                            {
                                "name": f"Item {n}",
                                "qty": 1,
                                "unit_cost": {"amount": "10.00", "code": "USD"},
                            }
                        ],
                    }
                },
            )
            created.append(response.data["invoice"]["invoice_number"])
        print(f"created 20 invoices, numbers {created[0]}..{created[-1]}")

        try:
            await fb.request("GET", f"{invoices}/99999999")
        except errors.NotFoundError as exc:
            print(f"404 mapped to {type(exc).__name__}: {exc}")

        first = await fb.request("GET", invoices, params={"per_page": 100})
        assert first.page is not None
        assert first.page.pages is not None
        pages = await asyncio.gather(
            *(
                fb.request("GET", invoices, params={"per_page": 100, "page": p})
                for p in range(2, first.page.pages + 1)
            )
        )
        total = len(first.data["invoices"]) + sum(len(p.data["invoices"]) for p in pages)
        print(f"read {total} invoices over {first.page.pages} pages concurrently")
        summary = server.sandbox.ledger_summary()
        print(f"sandbox ledger: {summary}")
        assert total == first.page.total
    print(f"done in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
