"""Deterministic seed data: clients, invoices with lines, payments, expenses, projects,
time entries. Fast enough for 100,000 invoices in a few seconds (compact stored fields;
full objects are rendered lazily and cached)."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from ._objects import accounting_date, accounting_time, iso_time, next_invoice_number, template
from ._store import Record

if TYPE_CHECKING:
    from ._core import Business, Sandbox

__all__ = ["seed"]

_FIRST = ("Gordon", "Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis")
_LAST = ("Shumway", "Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson")
_ORG = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne")
_ITEMS = ("Consulting", "Design", "Photography Services", "Support plan", "Hosting")
_KINDS = frozenset({"clients", "invoices", "payments", "expenses", "projects", "time_entries"})


def seed(sb: Sandbox, biz: Business, **counts: int) -> dict[str, int]:
    """Create ``counts[kind]`` objects of each kind in ``biz``; returns what was created.

    Raises:
        ValueError: Unknown kind or a negative count.
    """
    for kind, n in counts.items():
        if kind not in _KINDS:
            raise ValueError(f"{kind}: unknown seed kind; one of {sorted(_KINDS)}")
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise ValueError(f"{kind}: count must be an int >= 0, got {n!r}")
    rng = random.Random(f"{sb.seed}:{biz.account_id}:{sorted(counts.items())}")
    now = sb.clock.time()
    stamp = accounting_time(now)
    aid = biz.account_id
    clients = sb.table(aid, "clients")
    n_clients = counts.get("clients", 0)
    if counts.get("invoices") and not len(clients) and not n_clients:
        n_clients = 10
    base_client = template("clients")
    for _ in range(n_clients):
        rid = clients.new_id()
        first, last, org = rng.choice(_FIRST), rng.choice(_LAST), rng.choice(_ORG)
        data: dict[str, Any] = dict(base_client)
        data.update(
            {
                "id": rid,
                "userid": rid,
                "fname": first,
                "lname": last,
                "organization": f"{org} {rid}",
                "email": f"client{rid}@example.com",
                "accounting_systemid": aid,
                "updated": stamp,
                "signup_date": stamp,
            }
        )
        clients.add(Record(rid, data))
    client_ids = list(clients.records)
    invoices = sb.table(aid, "invoices")
    number = biz.last_invoice_number
    day = accounting_date(now)
    for _ in range(counts.get("invoices", 0)):
        rid = invoices.new_id()
        number = next_invoice_number(number)
        cid = client_ids[rid % len(client_ids)]
        status = (1, 2, 2, 4)[rid % 4]
        qty = rng.randint(1, 5)
        unit = f"{rng.randint(10, 500)}.00"
        data = {
            "id": rid,
            "invoiceid": rid,
            "invoice_number": number,
            "customerid": cid,
            "create_date": day,
            "created_at": stamp,
            "updated": stamp,
            "status": status,
            "organization": clients.records[cid].data["organization"],
            "due_offset_days": 30,
            "uuid": f"00000000-0000-4000-8000-{rid:012d}",
            "version": stamp + ".000000",
        }
        if status == 4:
            data["_paid"] = str(qty * int(unit[:-3]))
            data["_date_paid"] = day
        lines = [
            {"name": rng.choice(_ITEMS), "qty": qty, "unit_cost": {"amount": unit, "code": "USD"}}
        ]
        invoices.records[rid] = Record(rid, data, {"lines": lines})
        biz.invoice_numbers.add(number)
    invoices.changed()
    biz.last_invoice_number = number
    payments = sb.table(aid, "payments")
    inv_ids = list(invoices.records)
    for _ in range(counts.get("payments", 0)):
        if not inv_ids:
            break
        rid = payments.new_id()
        inv = inv_ids[rid % len(inv_ids)]
        payments.add(
            Record(
                rid,
                {
                    "id": rid,
                    "logid": rid,
                    "invoiceid": inv,
                    "amount": {"amount": "10.00", "code": "USD"},
                    "date": day,
                    "type": "Check",
                    "note": "",
                    "vis_state": 0,
                    "accounting_systemid": aid,
                    "updated": stamp,
                },
            )
        )
    expenses = sb.table(aid, "expenses")
    for _ in range(counts.get("expenses", 0)):
        rid = expenses.new_id()
        expenses.add(
            Record(
                rid,
                {
                    "id": rid,
                    "expenseid": rid,
                    "categoryid": 1,
                    "staffid": 1,
                    "amount": {"amount": f"{rng.randint(5, 300)}.00", "code": "USD"},
                    "date": day,
                    "vendor": rng.choice(_ORG),
                    "notes": "",
                    "vis_state": 0,
                    "accounting_systemid": aid,
                    "updated": stamp,
                },
            )
        )
    projects = sb.table(biz.id, "projects")
    from ._handlers import _PROJECT_TEMPLATE, _TIME_TEMPLATE

    for _ in range(counts.get("projects", 0)):
        rid = projects.new_id()
        pdata = dict(_PROJECT_TEMPLATE)
        pdata.update(
            {
                "id": rid,
                "title": f"Project {rid}",
                "client_id": client_ids[0] if client_ids else None,
                "created_at": iso_time(now).rstrip("Z"),
                "updated_at": iso_time(now).rstrip("Z"),
            }
        )
        projects.add(Record(rid, pdata))
    entries = sb.table(biz.id, "time_entries")
    project_ids = list(projects.records)
    for _ in range(counts.get("time_entries", 0)):
        rid = entries.new_id()
        tdata = dict(_TIME_TEMPLATE)
        tdata.update(
            {
                "id": rid,
                "identity_id": sb.identity_id,
                "duration": 900 * rng.randint(1, 16),
                "started_at": iso_time(now - 3600 * rid),
                "created_at": iso_time(now),
                "project_id": project_ids[rid % len(project_ids)] if project_ids else None,
                "billable": rid % 2 == 0,
            }
        )
        entries.add(Record(rid, tdata))
    created = dict(counts)
    if n_clients != counts.get("clients", 0):
        created["clients"] = n_clients
    return created
