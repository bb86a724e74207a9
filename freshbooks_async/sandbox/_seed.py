"""Deterministic seed data: clients, invoices with lines, payments, expenses, projects,
time entries, staff, expense categories and gateways. Fast enough for 100,000 invoices in
a few seconds (compact stored fields; full objects are rendered lazily and cached).

Seeded invoices and payments agree as the API's do: a paid invoice has a payment of its
total, and every seeded payment counts toward its invoice's paid amount.

Every business also starts with what the API can list but not create
(:func:`seed_defaults`): its staff (the owner first), the standard expense categories,
payment gateways and the journal entry accounts; the default account also has client 1.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ._objects import (
    accounting_date,
    accounting_time,
    expand_invoice,
    iso_time,
    money,
    next_invoice_number,
    template,
)
from ._store import Record, Table

if TYPE_CHECKING:
    from ._core import Business, Sandbox

__all__ = ["seed", "seed_defaults"]

_FIRST = ("Gordon", "Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis")
_LAST = ("Shumway", "Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson")
_ORG = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne")
_ITEMS = ("Consulting", "Design", "Photography Services", "Support plan", "Hosting")
_KINDS = frozenset(
    {
        "clients",
        "invoices",
        "payments",
        "expenses",
        "projects",
        "time_entries",
        "staff",
        "expense_categories",
        "gateways",
    }
)
# FreshBooks' standard expense categories (a new business starts with these).
_CATEGORIES = (
    "Advertising",
    "Car & Truck Expenses",
    "Contractors",
    "Education and Training",
    "Employee Benefits",
    "Meals and Entertainment",
    "Office Expenses & Postage",
    "Other Expenses",
    "Professional Services",
    "Rent or Lease",
    "Software",
    "Travel",
    "Utilities",
)
_GATEWAYS = ("fbpay", "stripe", "paypal", "wepay")
#: What one seeded payment pays of an invoice that owes more.
_PART = Decimal("10.00")
# Journal entry accounts with their sub-accounts (ids of the sub-accounts are what a
# journal entry's details name in ``sub_accountid``).
_JOURNAL_ACCOUNTS = (
    ("Cash", "1000", "asset", ("Petty Cash", "Checking")),
    ("Accounts Receivable", "1200", "asset", ("Trade Receivables",)),
    ("Sales", "4000", "income", ("Service Sales",)),
    ("Expenses", "6000", "expense", ("Office Expenses",)),
)


def _client(rid: int, aid: str, stamp: str, first: str, last: str, org: str) -> dict[str, Any]:
    data: dict[str, Any] = template("clients")
    data.update(
        {
            "id": rid,
            "userid": rid,
            "fname": first,
            "lname": last,
            "organization": org,
            "email": f"client{rid}@example.com",
            "accounting_systemid": aid,
            "updated": stamp,
            "signup_date": stamp,
        }
    )
    return data


def _staff(rid: int, aid: str, stamp: str, first: str, last: str, email: str) -> dict[str, Any]:
    return {
        "id": rid,
        "staffid": rid,
        "userid": rid,
        "username": email.split("@")[0],
        "email": email,
        "fname": first,
        "lname": last,
        "organization": "",
        "bus_phone": "",
        "home_phone": "",
        "mob_phone": "",
        "fax": "",
        "note": None,
        "rate": {"amount": "0.00", "code": "USD"},
        "language": "en",
        "currency_code": "USD",
        "level": 0 if rid == 1 else 1,
        "num_logins": 0,
        "last_login": None,
        "signup_date": stamp,
        "updated": stamp,
        "p_street": "",
        "p_street2": "",
        "p_city": "",
        "p_province": "",
        "p_code": "",
        "p_country": "",
        "accounting_systemid": aid,
        "vis_state": 0,
    }


def _category(rid: int, aid: str, name: str, stamp: str) -> dict[str, Any]:
    return {
        "id": rid,
        "categoryid": rid,
        "category": name,
        "parentid": None,
        "is_cogs": False,
        "is_editable": False,
        "transaction_posted": False,
        "accounting_systemid": aid,
        "created_at": stamp,
        "updated_at": stamp,
        "vis_state": 0,
    }


def _gateway(rid: int, aid: str, name: str) -> dict[str, Any]:
    return {
        "id": rid,
        "gateway_name": name,
        "connection_id": f"{name}-{aid}-{rid}",
        "sgid": rid,
        "single_gateway_id": rid,
        "account_id": aid,
        "enabled": True,
        "default": rid == 1,
    }


def _payment(
    rid: int,
    aid: str,
    stamp: str,
    invoice_id: int | str,
    clientid: Any,
    amount: Decimal,
    code: str,
    day: str,
) -> dict[str, Any]:
    return {
        "id": rid,
        "logid": rid,
        "invoiceid": invoice_id,
        "clientid": clientid,
        "from_credit": False,
        "amount": money(amount, code),
        "date": day,
        "type": "Check",
        "note": "",
        "vis_state": 0,
        "accounting_systemid": aid,
        "updated": stamp,
    }


class _Owed:
    """The invoices that still owe something, in turn: each call to :meth:`next` moves
    on to the next sent (not draft, not deleted) invoice with an outstanding amount and
    books a payment of up to :data:`_PART` on it."""

    def __init__(self, invoices: Table, aid: str) -> None:
        self.invoices = invoices
        self.aid = aid
        self.ids = list(invoices.records)
        self.cursor = 0

    def next(self) -> tuple[int | str, Decimal, str] | None:
        for _ in range(len(self.ids)):
            rec = self.invoices.records[self.ids[self.cursor % len(self.ids)]]
            self.cursor += 1
            data = rec.data
            if data.get("vis_state", 0) == 1 or int(data.get("status") or 1) < 2:
                continue
            full = expand_invoice(data, rec.extras.get("lines", []), self.aid)
            owed = Decimal(full["outstanding"]["amount"])
            if owed > 0:
                amount = min(owed, _PART)
                data["_paid"] = str(Decimal(data.get("_paid", 0)) + amount)  # sync_paid sets it
                return rec.id, amount, str(full["currency_code"])
        return None


def seed_defaults(sb: Sandbox, biz: Business, *, default_client: bool = False) -> None:
    """What a new business has before any create: staff (the owner is staff 1), the
    standard expense categories, two payment gateways and the journal entry accounts;
    with ``default_client``, client 1 too (so ``customerid: 1`` works on a fresh sandbox).
    """
    now = sb.clock.time()
    stamp = accounting_time(now)
    aid = biz.account_id
    staff = sb.table(aid, "staff")
    rid = staff.new_id()
    staff.add(Record(rid, _staff(rid, aid, stamp, "Sandy", "Box", "owner@sandbox.invalid")))
    for first, last in (("Ada", "Lovelace"), ("Alan", "Turing")):
        rid = staff.new_id()
        staff.add(
            Record(rid, _staff(rid, aid, stamp, first, last, f"{first.lower()}@sandbox.invalid"))
        )
    categories = sb.table(aid, "expense_categories")
    for name in _CATEGORIES:
        rid = categories.new_id()
        categories.add(Record(rid, _category(rid, aid, name, stamp)))
    gateways = sb.table(aid, "gateways")
    for name in _GATEWAYS[:2]:
        rid = gateways.new_id()
        gateways.add(Record(rid, _gateway(rid, aid, name)))
    accounts = sb.table(aid, "journal_entry_accounts")
    sub_id = 0
    for name, number, kind, subs in _JOURNAL_ACCOUNTS:
        rid = accounts.new_id()
        sub_accounts = []
        for j, sub in enumerate(subs, start=1):
            sub_id += 1
            sub_accounts.append(
                {
                    "id": sub_id,
                    "sub_accountid": sub_id,
                    "parentid": rid,
                    "account_sub_name": sub,
                    "account_sub_number": f"{number}-{j}",
                    "account_type": kind,
                    "accounting_systemid": aid,
                    "description": "",
                    "custom": False,
                    # A decimal string beside currency_code, as FreshBooks sends it.
                    "balance": "0",
                    "currency_code": "USD",
                }
            )
        data = {
            "id": rid,
            "accountid": rid,
            "account_name": name,
            "account_number": number,
            "account_type": kind,
            "accounting_systemid": aid,
            "balance": "0",
            "currency_code": "USD",
            "composite": False,
            "parentid": None,
            "sub_accounts": sub_accounts,
            "vis_state": 0,
        }
        accounts.add(Record(rid, data))
    if default_client:
        clients = sb.table(aid, "clients")
        rid = clients.new_id()
        clients.add(Record(rid, _client(rid, aid, stamp, "Gordon", "Shumway", "Sandbox Client")))


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
    from ._handlers.accounting import sync_paid
    from ._handlers.projects import _PROJECT_TEMPLATE, _TIME_TEMPLATE

    rng = random.Random(f"{sb.seed}:{biz.account_id}:{sorted(counts.items())}")
    now = sb.clock.time()
    stamp = accounting_time(now)
    aid = biz.account_id
    clients = sb.table(aid, "clients")
    n_clients = counts.get("clients", 0)
    if counts.get("invoices") and len(clients) <= 1 and not n_clients:
        n_clients = 10  # invoices for more than the default client
    for _ in range(n_clients):
        rid = clients.new_id()
        first, last, org = rng.choice(_FIRST), rng.choice(_LAST), rng.choice(_ORG)
        clients.add(Record(rid, _client(rid, aid, stamp, first, last, f"{org} {rid}")))
    client_ids = list(clients.records)
    invoices = sb.table(aid, "invoices")
    payments = sb.table(aid, "payments")
    payments_before = len(payments)
    number = biz.last_invoice_number
    day = accounting_date(now)
    paid_ids: list[int | str] = []
    for _ in range(counts.get("invoices", 0)):
        rid = invoices.new_id()
        number = next_invoice_number(number)
        cid = client_ids[rid % len(client_ids)]
        paid = rid % 4 == 3  # draft, sent, sent, paid (by a payment of its total)
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
            "status": 1 if rid % 4 == 0 else 2,
            "organization": clients.records[cid].data["organization"],
            "due_offset_days": 30,
            "uuid": f"00000000-0000-4000-8000-{rid:012d}",
            "version": stamp + ".000000",
        }
        lines = [
            {"name": rng.choice(_ITEMS), "qty": qty, "unit_cost": {"amount": unit, "code": "USD"}}
        ]
        invoices.records[rid] = Record(rid, data, {"lines": lines})
        biz.invoice_numbers.add(number)
        if paid:
            pid = payments.new_id()
            payments.records[pid] = Record(
                pid,
                _payment(pid, aid, stamp, rid, cid, Decimal(qty * int(unit[:-3])), "USD", day),
            )
            paid_ids.append(rid)
    invoices.changed()
    payments.changed()
    biz.last_invoice_number = number
    # Further payments pay part of the invoices that still owe something, one after
    # another (drafts and deleted invoices get none).
    owed = _Owed(invoices, aid)
    for _ in range(counts.get("payments", 0)):
        found = owed.next()
        if found is None:
            break  # nothing is owed
        inv_id, amount, code = found
        pid = payments.new_id()
        clientid = invoices.records[inv_id].data.get("customerid")
        payments.add(Record(pid, _payment(pid, aid, stamp, inv_id, clientid, amount, code, day)))
        paid_ids.append(inv_id)
    sync_paid(sb, aid, set(paid_ids))
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
    staff = sb.table(aid, "staff")
    for _ in range(counts.get("staff", 0)):
        rid = staff.new_id()
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        email = f"staff{rid}@example.com"
        staff.add(Record(rid, _staff(rid, aid, stamp, first, last, email)))
    categories = sb.table(aid, "expense_categories")
    for _ in range(counts.get("expense_categories", 0)):
        rid = categories.new_id()
        categories.add(Record(rid, _category(rid, aid, f"Category {rid}", stamp)))
    gateways = sb.table(aid, "gateways")
    for _ in range(counts.get("gateways", 0)):
        rid = gateways.new_id()
        gateways.add(Record(rid, _gateway(rid, aid, _GATEWAYS[(rid - 1) % len(_GATEWAYS)])))
    created = dict(counts)
    if n_clients != counts.get("clients", 0):
        created["clients"] = n_clients
    made = len(payments) - payments_before
    if made != counts.get("payments", 0):
        created["payments"] = made  # the paid invoices' payments, and as many as were owed
    return created
