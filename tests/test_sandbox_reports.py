"""The sandbox's reports agree with the data they summarise.

Each report is read through the SDK's typed report method over loopback and recomputed
here from the records in the sandbox's store (``encode`` gives back the report's JSON,
however the report model types its fields).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from freshbooks_async import FreshBooksClient
from freshbooks_async.errors import NotFoundError
from freshbooks_async.models import encode
from freshbooks_async.sandbox import Sandbox, SandboxServer

ACC = "/accounting/account/ACC001"
START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


def in_range(day: Any) -> bool:
    return START.isoformat() <= str(day)[:10] <= END.isoformat()


def amount_of(value: Any) -> Decimal:
    return Decimal(str(value["amount"] if isinstance(value, dict) else value))


def money(value: Decimal, code: str) -> dict[str, str]:
    return {"amount": str(value.quantize(Decimal("0.01"))), "code": code}


def live(records: Any) -> list[Any]:
    return [r for r in records if r.data.get("vis_state", 0) != 1]


class Builder:
    """Creates objects through the API, as a client of the sandbox would."""

    def __init__(self, server: SandboxServer, http: aiohttp.ClientSession) -> None:
        self.server = server
        self.http = http
        self.headers = {"Authorization": f"Bearer {server.token}"}

    async def send(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        async with self.http.request(
            method, self.server.url + ACC + path, json=body, headers=self.headers
        ) as r:
            assert r.status == 200, await r.text()
            result: dict[str, Any] = (await r.json())["response"]["result"]
            return result

    async def invoice(
        self, customer: int, day: str, *costs: str, sent: bool = True, currency: str = "USD"
    ) -> int:
        lines = [{"qty": 2, "unit_cost": {"amount": c, "code": currency}} for c in costs]
        body = {"customerid": customer, "create_date": day, "lines": lines}
        if currency != "USD":
            body["currency_code"] = currency
        created = await self.send("POST", "/invoices/invoices", {"invoice": body})
        invoice_id: int = created["invoice"]["id"]
        if sent:
            await self.send(
                "PUT",
                f"/invoices/invoices/{invoice_id}",
                {"invoice": {"action_mark_as_sent": True}},
            )
        return invoice_id

    async def payment(self, invoice_id: int, amount: str, day: str, method: str) -> None:
        body = {"invoiceid": invoice_id, "amount": {"amount": amount}, "date": day, "type": method}
        await self.send("POST", "/payments/payments", {"payment": body})

    async def expense(self, amount: str, day: str, code: str = "USD", category: int = 2) -> int:
        body = {
            "amount": {"amount": amount, "code": code},
            "categoryid": category,
            "staffid": 1,
            "date": day,
            "vendor": f"Vendor {amount}",
        }
        created = await self.send("POST", "/expenses/expenses", {"expense": body})
        expense_id: int = created["expense"]["id"]
        return expense_id


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with (
        SandboxServer(seed_clients=3) as srv,
        aiohttp.ClientSession() as http,
    ):
        make = Builder(srv, http)
        first = await make.invoice(2, "2024-02-01", "100.00", "25.50")
        second = await make.invoice(3, "2024-03-15", "40.00")
        await make.invoice(3, "2024-04-01", "70.00", sent=False)  # a draft: not reported
        gone = await make.invoice(2, "2024-05-01", "10.00")
        await make.send("DELETE", f"/invoices/invoices/{gone}")
        await make.invoice(2, "2023-06-01", "500.00")  # issued before the period
        cad = await make.invoice(4, "2024-06-01", "80.00", currency="CAD")
        await make.payment(first, "50.00", "2024-02-10", "Check")
        await make.payment(first, "12.25", "2024-03-01", "Cash")
        await make.payment(second, "80.00", "2025-01-05", "Credit")  # paid after the period
        await make.payment(cad, "30.00", "2024-06-02", "Check")
        for amount, day in (
            ("12.00", "2024-01-05"),
            ("7.50", "2024-07-01"),
            ("300.00", "2023-12-31"),
        ):
            await make.expense(amount, day)
        await make.expense("45.00", "2024-02-02", code="CAD")
        deleted = await make.expense("99.00", "2024-02-03")
        await make.send("PUT", f"/expenses/expenses/{deleted}", {"expense": {"vis_state": 1}})
        yield srv


async def report(server: SandboxServer, name: str, **params: Any) -> dict[str, Any]:
    params.setdefault("start_date", START)
    params.setdefault("end_date", END)
    async with FreshBooksClient(server.token, base_url=server.url) as fb:
        method = getattr(fb.reports, name)
        typed = await method("ACC001", **params)
    body: dict[str, Any] = encode(typed)
    return body


async def test_expense_details_sums_the_expenses(server: SandboxServer) -> None:
    sb = server.sandbox
    expenses = [r for r in live(sb.table("ACC001", "expenses")) if in_range(r.data["date"])]
    totals: dict[str, Decimal] = {}
    for r in expenses:
        code = r.data["amount"]["code"]
        totals[code] = totals.get(code, Decimal(0)) + amount_of(r.data["amount"])
    body = await report(server, "expense_details")
    assert body["total"] == money(totals["USD"], "USD")  # used to be the invoiced total
    assert body["totals"] == [money(totals[c], c) for c in sorted(totals)]
    assert [row["expenseid"] for row in body["rows"]] == [r.id for r in expenses]
    assert [row["amount"] for row in body["rows"]] == [
        money(amount_of(r.data["amount"]), r.data["amount"]["code"]) for r in expenses
    ]
    categories = sb.table("ACC001", "expense_categories")
    assert {row["category"] for row in body["rows"]} == {
        categories.records[r.data["categoryid"]].data["category"] for r in expenses
    }
    assert totals == {"USD": Decimal("19.50"), "CAD": Decimal("45.00")}  # the data is as built


async def test_payments_collected_lists_and_totals_the_payments(server: SandboxServer) -> None:
    sb = server.sandbox
    invoices = sb.table("ACC001", "invoices").records
    payments = [r for r in live(sb.table("ACC001", "payments")) if in_range(r.data["date"])]
    totals: dict[str, Decimal] = {}
    for r in payments:
        code = r.data["amount"]["code"]
        totals[code] = totals.get(code, Decimal(0)) + amount_of(r.data["amount"])
    body = await report(server, "payments_collected")
    assert "total" not in body  # the live shape has per-currency "totals"
    assert body["totals"] == [money(totals[c], c) for c in sorted(totals)]
    assert body["currency_codes"] == sorted(totals) == ["CAD", "USD"]
    assert body["payment_methods"] == sorted({r.data["type"] for r in payments})
    assert body["summary_only"] is False
    rows = body["payments"]
    assert [(p["invoiceid"], p["amount"], p["date"], p["method"]) for p in rows] == [
        (r.data["invoiceid"], r.data["amount"], r.data["date"], r.data["type"]) for r in payments
    ]
    for row in rows:
        invoice = invoices[row["invoiceid"]].data
        assert row["invoice_number"] == invoice["invoice_number"]
        assert row["clientid"] == invoice["customerid"]
    assert set(body) >= {"clientids", "currency_codes", "payment_methods", "payments", "totals"}


def expected_invoices(sb: Sandbox, code: str = "USD") -> list[tuple[int, int, Decimal, Decimal]]:
    """(invoice id, client id, total, paid) of the sent invoices issued in the period."""
    paid: dict[int, Decimal] = {}
    for p in live(sb.table("ACC001", "payments")):
        paid[p.data["invoiceid"]] = paid.get(p.data["invoiceid"], Decimal(0)) + amount_of(
            p.data["amount"]
        )
    out = []
    for r in live(sb.table("ACC001", "invoices")):
        data = r.data
        if data.get("status", 1) < 2 or data.get("currency_code", "USD") != code:
            continue
        if not in_range(data["create_date"]):
            continue
        total = sum(
            (
                Decimal(str(line["qty"])) * amount_of(line["unit_cost"])
                for line in r.extras["lines"]
            ),
            Decimal(0),
        )
        out.append((r.id, data["customerid"], total, paid.get(r.id, Decimal(0))))
    return out


async def test_invoice_details_summarises_the_sent_invoices(server: SandboxServer) -> None:
    expected = expected_invoices(server.sandbox)
    assert [e[0] for e in expected] == [1, 2]  # the data is as built
    body = await report(server, "invoice_details")
    total = sum((e[2] for e in expected), Decimal(0))
    paid = sum((e[3] for e in expected), Decimal(0))
    assert body["summary"] == {
        "total": money(total, "USD"),
        "paid": money(paid, "USD"),
        "outstanding": money(total - paid, "USD"),
    }
    assert body["summary_only"] is False
    listed = {
        (i["invoiceid"], client["clientid"], amount_of(i["amount"]), amount_of(i["paid"]))
        for client in body["clients"]
        for i in client["invoices"]
    }
    assert listed == set(expected)  # no draft, deleted, CAD or earlier invoice
    for client in body["clients"]:
        mine = [e for e in expected if e[1] == client["clientid"]]
        assert client["summary"]["total"] == money(sum((e[2] for e in mine), Decimal(0)), "USD")
    cad = await report(server, "invoice_details", currency_code="CAD")
    assert cad["summary"]["total"] == money(Decimal("160.00"), "CAD")
    only = await report(server, "invoice_details", params={"summary_only": "true"})
    assert (only["summary_only"], only["clients"], only["summary"]) == (
        True,
        [],
        body["summary"],
    )
    one = await report(server, "invoice_details", params={"clientids[]": 3})
    assert [c["clientid"] for c in one["clients"]] == [3]
    assert one["clientids"] == [3]


async def test_invoice_details_beyond_the_row_limit_says_it_is_a_summary() -> None:
    async with SandboxServer(seed_clients=5, seed_invoices=1400) as server:
        sb = server.sandbox
        sent = [r for r in live(sb.table("ACC001", "invoices")) if r.data["status"] >= 2]
        assert len(sent) == 1050
        period = {"start_date": dt.date(2000, 1, 1), "end_date": dt.date(2100, 1, 1)}
        body = await report(server, "invoice_details", **period)
        total = sum(
            (
                Decimal(str(line["qty"])) * amount_of(line["unit_cost"])
                for r in sent
                for line in r.extras["lines"]
            ),
            Decimal(0),
        )
        paid = sum((Decimal(r.data.get("_paid", "0")) for r in sent), Decimal(0))
        assert body["summary_only"] is True  # not the first 1,000 rows without a word
        assert body["clients"] == []
        assert body["summary"] == {
            "total": money(total, "USD"),
            "paid": money(paid, "USD"),
            "outstanding": money(total - paid, "USD"),
        }
        narrow = await report(server, "invoice_details", **period, params={"clientids[]": 2})
        rows = [i for c in narrow["clients"] for i in c["invoices"]]
        assert narrow["summary_only"] is False
        assert len(rows) == sum(1 for r in sent if r.data["customerid"] == 2) < 1000


async def test_report_parameters_are_checked(server: SandboxServer) -> None:
    headers = {"Authorization": f"Bearer {server.token}"}
    base = f"{server.url}{ACC}/reports/accounting"
    async with aiohttp.ClientSession() as http:
        for query, field in (
            ("invoice_details?start_date=2024-02-30", "start_date"),
            ("payments_collected?end_date=soon", "end_date"),
            ("invoice_details?date_type=paid", "date_type"),
            ("invoice_details?clientids[]=x", "clientids"),
            ("expense_details?currency_code=usd", "currency_code"),
        ):
            async with http.get(f"{base}/{query}", headers=headers) as r:
                assert r.status == 400, query
                error = (await r.json())["response"]["errors"][0]
                assert (error["errno"], error["field"], error["object"]) == (1004, field, "report")


def sent_invoices(sb: Sandbox, code: str = "USD") -> list[Any]:
    return [
        r
        for r in live(sb.table("ACC001", "invoices"))
        if r.data.get("status", 1) >= 2 and r.data.get("currency_code", "USD") == code
    ]


def total_of(record: Any) -> Decimal:
    lines = record.extras["lines"]
    return sum((Decimal(str(x["qty"])) * amount_of(x["unit_cost"]) for x in lines), Decimal(0))


async def test_accounts_aging_ages_what_was_owed_on_the_end_date(server: SandboxServer) -> None:
    sb = server.sandbox
    as_of = dt.date(2024, 3, 20)
    payments = live(sb.table("ACC001", "payments"))
    expected: dict[int, dict[str, Decimal]] = {}
    for r in sent_invoices(sb):
        issued = dt.date.fromisoformat(r.data["create_date"])
        if issued > as_of:
            continue
        paid = sum(
            (
                amount_of(p.data["amount"])
                for p in payments
                if p.data["invoiceid"] == r.id and p.data["date"] <= as_of.isoformat()
            ),
            Decimal(0),
        )
        due = issued + dt.timedelta(days=r.data.get("due_offset_days") or 0)
        late = (as_of - due).days
        bucket = (
            "0-30" if late <= 30 else "31-60" if late <= 60 else "61-90" if late <= 90 else "91+"
        )
        mine = expected.setdefault(r.data["customerid"], {})
        mine[bucket] = mine.get(bucket, Decimal(0)) + total_of(r) - paid
    async with FreshBooksClient(server.token, base_url=server.url) as fb:
        body = encode(await fb.reports.accounts_aging("ACC001", end_date=as_of))
    got = {
        row["userid"]: {
            b: amount_of(row[b]) for b in ("0-30", "31-60", "61-90", "91+") if amount_of(row[b])
        }
        for row in body["accounts"]
    }
    assert got == expected
    assert expected == {
        2: {"31-60": Decimal("188.75"), "91+": Decimal("1000.00")},
        3: {"0-30": Decimal("80.00")},
    }
    assert body["totals"]["total"] == money(Decimal("1268.75"), "USD")
    assert body["totals"]["0-30"] == money(Decimal("80.00"), "USD")  # it used to hold it all
    row = next(r for r in body["accounts"] if r["userid"] == 2)
    client = sb.table("ACC001", "clients").records[2].data
    assert (row["organization"], row["email"]) == (client["organization"], client["email"])


async def test_profit_loss_counts_the_period_only(server: SandboxServer) -> None:
    sb = server.sandbox
    income = sum(
        (total_of(r) for r in sent_invoices(sb) if in_range(r.data["create_date"])), Decimal(0)
    )
    spent = sum(
        (
            amount_of(r.data["amount"])
            for r in live(sb.table("ACC001", "expenses"))
            if in_range(r.data["date"]) and r.data["amount"]["code"] == "USD"
        ),
        Decimal(0),
    )
    body = await report(server, "profit_loss")
    assert body["income"][0]["total"] == money(income, "USD") == money(Decimal("331.00"), "USD")
    assert body["expenses"][0]["total"] == money(spent, "USD")
    assert body["net_profit"]["total"] == money(income - spent, "USD")


# ------------------------------------------------------------------ payments and invoices

WIDE: dict[str, Any] = {"start_date": dt.date(2000, 1, 1), "end_date": dt.date(2100, 1, 1)}


async def check_agreement(fb: FreshBooksClient) -> dict[int, Any]:
    """Recompute every invoice's paid amount, outstanding amount, payment status and date
    paid from the payments the SDK lists (active and archived: deleted ones are not
    listed and do not count), and check that the invoices and the payments_collected and
    invoice_details reports agree with them. Returns the invoices by id."""
    payments: list[Any] = await fb.payments.list_all("ACC001").collect()
    invoices: list[Any] = await fb.invoices.list_all("ACC001").collect()
    paid: dict[int, Decimal] = {}
    last: dict[int, dt.date] = {}
    for p in payments:
        assert isinstance(p.invoiceid, int)
        paid[p.invoiceid] = paid.get(p.invoiceid, Decimal(0)) + p.amount.amount
        last[p.invoiceid] = max(last.get(p.invoiceid, p.date), p.date)
    by_currency: dict[str, Decimal] = {}
    sent_usd = Decimal(0)
    for inv in invoices:
        expected = paid.get(inv.id, Decimal(0))
        total = inv.amount.amount
        assert inv.paid.amount == expected, (inv.id, inv.paid, expected)
        assert inv.outstanding.amount == max(total - expected, Decimal(0)), inv.id
        status = "paid" if expected and expected >= total else "partial" if expected else "unpaid"
        assert inv.payment_status == status, (inv.id, inv.payment_status, expected)
        assert inv.date_paid == last.get(inv.id), inv.id
        if expected and inv.status >= 2:
            assert inv.v3_status == ("paid" if status == "paid" else "partial"), inv.id
        if expected:
            code = inv.currency_code
            by_currency[code] = by_currency.get(code, Decimal(0)) + expected
        if inv.status >= 2 and inv.currency_code == "USD":
            sent_usd += expected
    collected = encode(await fb.reports.payments_collected("ACC001", **WIDE))
    assert {t["code"]: Decimal(t["amount"]) for t in collected["totals"]} == by_currency
    assert len(collected["payments"]) == len(payments)
    details = encode(await fb.reports.invoice_details("ACC001", **WIDE))
    assert Decimal(details["summary"]["paid"]["amount"]) == sent_usd
    return {inv.id: inv for inv in invoices}


async def test_invoices_follow_their_payments_through_every_change() -> None:
    async with (
        SandboxServer(seed_clients=3) as server,
        aiohttp.ClientSession() as http,
        FreshBooksClient(server.token, base_url=server.url) as fb,
    ):
        make = Builder(server, http)
        # Issued in 2099: not overdue, so the status shows what the payments make of it.
        a = await make.invoice(2, "2099-02-01", "100.00")  # 200.00
        b = await make.invoice(3, "2099-02-02", "40.00")  # 80.00
        cad = await make.invoice(4, "2099-02-03", "25.00", currency="CAD")  # 50.00 CAD

        def pay(invoice: int, amount: str, day: str, code: str = "USD") -> dict[str, Any]:
            money = {"amount": amount, "code": code}
            return {"invoiceid": invoice, "amount": money, "date": day, "type": "Check"}

        p1: Any = await fb.payments.create("ACC001", pay(a, "50.00", "2099-02-10"))
        assert (await check_agreement(fb))[a].payment_status == "partial"
        p2: Any = await fb.payments.create("ACC001", pay(a, "150.00", "2099-02-20"))
        invoice = (await check_agreement(fb))[a]
        assert (invoice.v3_status, invoice.outstanding.amount) == ("paid", Decimal(0))
        await fb.payments.update("ACC001", p2.id, amount={"amount": "100.00", "code": "USD"})
        assert (await check_agreement(fb))[a].paid.amount == Decimal("150.00")  # was 200
        await fb.payments.delete("ACC001", p1.id)
        invoice = (await check_agreement(fb))[a]
        assert invoice.paid.amount == Decimal("100.00")  # the deleted payment no longer counts
        assert invoice.date_paid == dt.date(2099, 2, 20)
        await fb.payments.archive("ACC001", p2.id)  # archived, still a payment received
        assert (await check_agreement(fb))[a].paid.amount == Decimal("100.00")
        await fb.payments.restore("ACC001", p1.id)
        assert (await check_agreement(fb))[a].paid.amount == Decimal("150.00")
        await fb.payments.update("ACC001", p1.id, invoiceid=b)  # moved to another invoice
        invoices = await check_agreement(fb)
        assert (invoices[a].paid.amount, invoices[b].paid.amount) == (100, 50)
        assert invoices[a].date_paid == dt.date(2099, 2, 20)
        await fb.payments.delete("ACC001", p2.id)
        invoice = (await check_agreement(fb))[a]
        assert (invoice.payment_status, invoice.v3_status, invoice.date_paid) == (
            "unpaid",
            "sent",
            None,
        )
        assert invoice.outstanding == invoice.amount
        p3: Any = await fb.payments.create("ACC001", pay(cad, "50.00", "2099-02-11", "CAD"))
        assert (await check_agreement(fb))[cad].payment_status == "paid"
        await fb.payments.update("ACC001", p3.id, amount={"amount": "20.00", "code": "CAD"})
        assert (await check_agreement(fb))[cad].outstanding.amount == Decimal("30.00")
        # A refused change changes nothing: the invoice keeps what it had.
        with pytest.raises(NotFoundError):
            await fb.payments.update("ACC001", p3.id, invoiceid=999)
        assert (await check_agreement(fb))[cad].paid.amount == Decimal("20.00")


async def test_seeded_invoices_and_payments_agree() -> None:
    async with (
        SandboxServer(seed_clients=3, seed_invoices=40) as server,
        FreshBooksClient(server.token, base_url=server.url) as fb,
    ):
        created = server.sandbox.seed_data(payments=7)
        invoices = await check_agreement(fb)
        statuses = [inv.payment_status for inv in invoices.values()]
        assert statuses.count("paid") == 10  # one seeded invoice in four is paid, in full
        assert statuses.count("partial") == 7  # each seeded payment pays part of one
        payments: list[Any] = await fb.payments.list_all("ACC001").collect()
        assert len(payments) == 17 == created["payments"] + 10
        assert all(invoices[p.invoiceid].status >= 2 for p in payments)  # no draft is paid
        more = server.sandbox.seed_data(invoices=8, payments=3)
        assert more == {"invoices": 8, "payments": 5}  # 2 paid invoices' payments, 3 more
        await check_agreement(fb)


async def test_invoice_details_csv_lists_what_the_report_lists(server: SandboxServer) -> None:
    import csv
    import io

    async with FreshBooksClient(server.token, base_url=server.url) as fb:
        for params in (
            {},
            {"currency_code": "CAD"},
            {"params": {"clientids[]": 3}},
            {"start_date": dt.date(2000, 1, 1)},
        ):
            body = await report(server, "invoice_details", **params)
            listed = [i for client in body["clients"] for i in client["invoices"]]
            assert listed
            data = await fb.reports.csv_download("ACC001", body["download_token"])
            rows = list(csv.DictReader(io.StringIO(data.decode())))
            assert [r["invoice_number"] for r in rows] == [i["invoice_number"] for i in listed]
            for row, item in zip(rows, listed, strict=True):
                for key in ("amount", "paid", "outstanding"):
                    assert row[key] == item[key]["amount"], (key, row, item)
                assert (row["currency_code"], row["status"]) == (
                    item["amount"]["code"],
                    item["v3_status"],
                )
        for bad in (
            "ACC001-invoice_details-bm90IGpzb24",  # "not json"
            "ACC001-invoice_details-WzEsMiwzLDQsNSw2XQ",  # [1,2,3,4,5,6]
            "ACC002-invoice_details",
            "ACC001-payments_collected",
        ):
            with pytest.raises(NotFoundError):
                await fb.reports.csv_download("ACC001", bad)
        bare = await fb.reports.csv_download("ACC001", "ACC001-invoice_details")
        assert bare.startswith(b"invoice_number,invoiceid,clientid,client,")  # all, in USD
