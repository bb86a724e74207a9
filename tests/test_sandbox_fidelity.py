"""Sandbox fidelity: field tables for every writable resource, referential checks, objects
the API only lists, client contacts, ledger types, overdue invoices."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from freshbooks_async._catalogue import endpoints
from freshbooks_async._clock import FakeClock
from freshbooks_async.sandbox import Sandbox
from freshbooks_async.sandbox._objects import SCHEMAS
from freshbooks_async.transports import Request, Response

BASE = "https://api.freshbooks.com"
ACC = "/accounting/account/ACC001"
INV = f"{ACC}/invoices/invoices"
MONEY = {"amount": "12.50", "code": "USD"}
# 2024-03-10 03:30 UTC is still 2024-03-09 (22:30) in US/Eastern.
EVENING = dt.datetime(2024, 3, 10, 3, 30, tzinfo=dt.UTC).timestamp()


async def call(sb: Sandbox, method: str, path: str, body: Any = None) -> Response:
    headers = {"Authorization": f"Bearer {sb.token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    data = b"" if body is None else json.dumps(body).encode()
    return await sb.handle(Request(method=method, url=BASE + path, headers=headers, body=data))


def js(resp: Response) -> Any:
    return json.loads(resp.body)


def result(resp: Response, key: str) -> Any:
    assert resp.status == 200, resp.body
    return js(resp)["response"]["result"][key]


def acc_error(resp: Response) -> dict[str, Any]:
    errors: list[dict[str, Any]] = js(resp)["response"]["errors"]
    return errors[0]


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(clock=FakeClock(EVENING))


async def _invoice(sb: Sandbox, **extra: Any) -> dict[str, Any]:
    body = {"customerid": 1, "create_date": "2024-01-01", "lines": [{"qty": 1, "unit_cost": MONEY}]}
    invoice: dict[str, Any] = result(
        await call(sb, "POST", INV, {"invoice": {**body, **extra}}), "invoice"
    )
    return invoice


async def _vendor(sb: Sandbox) -> int:
    resp = await call(
        sb, "POST", f"{ACC}/bill_vendors/bill_vendors", {"bill_vendor": {"vendor_name": "Acme"}}
    )
    return int(result(resp, "bill_vendor")["id"])


async def _bill(sb: Sandbox) -> int:
    line = {"description": "Paper", "quantity": 1, "unit_cost": MONEY, "categoryid": 1}
    body = {"bill": {"vendorid": await _vendor(sb), "issue_date": "2024-01-05", "lines": [line]}}
    return int(result(await call(sb, "POST", f"{ACC}/bills/bills", body), "bill")["id"])


# (path, singular, a valid create body) for every accounting create.
async def _creates(sb: Sandbox) -> list[tuple[str, str, dict[str, Any]]]:
    invoice = await _invoice(sb)
    return [
        (f"{ACC}/users/clients", "client", {"fname": "A", "email": "a@example.com"}),
        (INV, "invoice", {"customerid": 1, "create_date": "2024-01-02"}),
        (f"{ACC}/estimates/estimates", "estimate", {"customerid": 1, "create_date": "2024-01-02"}),
        (
            f"{ACC}/credit_notes/credit_notes",
            "credit_note",
            {"clientid": 1, "lines": [{"description": "Refund", "qty": 1, "unit_cost": MONEY}]},
        ),
        (
            f"{ACC}/expenses/expenses",
            "expense",
            {"categoryid": 1, "staffid": 1, "date": "2024-01-05", "amount": MONEY},
        ),
        (
            f"{ACC}/expense_profiles/expense_profiles",
            "expense_profile",
            {"categoryid": 2, "staffid": 1, "amount": MONEY, "frequency": "m"},
        ),
        (f"{ACC}/expenses/categories", "category", {"category": "Gadgets"}),
        (
            f"{ACC}/other_incomes/other_incomes",
            "other_income",
            {"amount": MONEY, "date": "2024-01-05", "taxes": [{"name": "GST", "percent": "5"}]},
        ),
        (
            f"{ACC}/bills/bills",
            "bill",
            {
                "vendorid": await _vendor(sb),
                "issue_date": "2024-01-05",
                "lines": [{"quantity": 2, "unit_cost": MONEY, "categoryid": 3}],
            },
        ),
        (
            f"{ACC}/bill_payments/bill_payments",
            "bill_payment",
            {"billid": await _bill(sb), "amount": MONEY, "paid_date": "2024-01-06"},
        ),
        (f"{ACC}/bill_vendors/bill_vendors", "bill_vendor", {"vendor_name": "Globex"}),
        (f"{ACC}/projects/tasks", "task", {"name": "Design", "rate": MONEY}),
        (
            f"{ACC}/invoice_profiles/invoice_profiles",
            "invoice_profile",
            {"customerid": 1, "create_date": "2024-01-02", "frequency": "m"},
        ),
        (
            f"{ACC}/journal_entries/journal_entries",
            "journal_entry",
            {
                "name": "Adjust",
                "details": [
                    {"sub_accountid": 1, "debit": MONEY},
                    {"sub_accountid": 4, "credit": MONEY},
                ],
            },
        ),
        (f"{ACC}/billable_items/billable_items", "billable_item", {"name": "Widget"}),
        (f"{ACC}/items/items", "item", {"name": "Widget", "unit_cost": MONEY}),
        (f"{ACC}/taxes/taxes", "tax", {"name": "GST", "amount": "5"}),
        (
            f"{ACC}/payments/payments",
            "payment",
            {"invoiceid": invoice["id"], "amount": MONEY, "date": "2024-01-05", "type": "Check"},
        ),
    ]


# ------------------------------------------------------------------ unknown fields


def test_every_writable_resource_has_a_field_table() -> None:
    unvalidated = {
        ("payments", "credit_cards"),  # card data goes to the gateway
        ("payments", "tokenization"),
        ("payments", "gateways"),  # provisioning and setup intents carry no object
        ("auth", "identity"),
        ("auth", "businesses"),
        ("auth", "applications"),
        ("auth", "invitations"),
        ("oauth", "oauth"),
        ("uploads", "images"),  # multipart files
        ("uploads", "attachments"),
    }
    missing = set()
    for e in endpoints():
        if e.op not in ("create", "update") or (e.family.value, e.resource) in unvalidated:
            continue
        name = {"project_service_rates": "service_rates"}.get(e.resource, e.resource)
        if name not in SCHEMAS:
            missing.add((e.family.value, e.resource))
    assert missing == set()
    assert all(schema.strict for schema in SCHEMAS.values())


async def test_accounting_creates_accept_their_fields_and_refuse_unknown_ones(
    sb: Sandbox,
) -> None:
    for path, singular, body in await _creates(sb):
        bad = await call(sb, "POST", path, {singular: {**body, "bogus": 1}})
        assert bad.status == 400, (singular, bad.body)
        err = acc_error(bad)
        assert (err["errno"], err["field"], err["object"]) == (1006, "bogus", singular)
        ok = await call(sb, "POST", path, {singular: {**body, "id": 999_999}})
        created = result(ok, singular)  # read-only fields are accepted and dropped
        assert created["id"] != 999_999, singular
        if singular in ("expense_profile", "category", "journal_entry", "billable_item"):
            continue  # no update endpoint
        key = "vendorid" if singular == "bill_vendor" else "id"
        put = await call(sb, "PUT", f"{path}/{created[key]}", {singular: {"nope": True}})
        assert put.status == 400, (singular, put.body)
        assert (acc_error(put)["errno"], acc_error(put)["field"]) == (1006, "nope")


async def test_round_trip_of_a_rendered_estimate_is_accepted(sb: Sandbox) -> None:
    path = f"{ACC}/estimates/estimates"
    body = {"estimate": {"customerid": 1, "create_date": "2024-01-02"}}
    estimate = result(await call(sb, "POST", path, body), "estimate")
    estimate["notes"] = "edited"
    del estimate["vis_state"]  # a PUT carrying vis_state drops every other field
    resp = await call(sb, "PUT", f"{path}/{estimate['id']}", {"estimate": estimate})
    assert result(resp, "estimate")["notes"] == "edited"


async def test_staff_and_contacts_updates_refuse_unknown_fields(sb: Sandbox) -> None:
    bad = await call(sb, "PUT", f"{ACC}/users/staffs/1", {"staff": {"fname": "S", "bogus": 1}})
    assert (acc_error(bad)["errno"], acc_error(bad)["field"]) == (1006, "bogus")
    created = await call(
        sb,
        "POST",
        f"{ACC}/users/clients",
        {"client": {"fname": "C", "contacts": [{"email": "x@example.com"}]}},
    )
    contact = result(created, "client")["contacts"][0]["contactid"]
    path = f"{ACC}/users/contacts/{contact}"
    bad = await call(sb, "PUT", path, {"contact": {"fax": "1"}})
    assert (acc_error(bad)["errno"], acc_error(bad)["field"]) == (1006, "fax")


@pytest.mark.parametrize(
    ("path", "singular", "item", "field"),
    [
        ("bills/bills", "bill", {"categoryid": 1, "qty": 1}, "qty"),
        ("invoices/invoices", "invoice", {"qty": 1, "colour": "red"}, "colour"),
        ("journal_entries/journal_entries", "journal_entry", {"sub_accountid": 1, "x": 1}, "x"),
        ("users/clients", "client", {"email": "a@example.com", "phone3": "1"}, "phone3"),
    ],
)
async def test_nested_items_refuse_unknown_fields(
    sb: Sandbox, path: str, singular: str, item: dict[str, Any], field: str
) -> None:
    key = {"journal_entry": "details", "client": "contacts"}.get(singular, "lines")
    bodies: dict[str, dict[str, Any]] = {
        "bill": {"vendorid": await _vendor(sb), "issue_date": "2024-01-05"},
        "invoice": {"customerid": 1, "create_date": "2024-01-05"},
        "journal_entry": {"name": "J"},
        "client": {"fname": "C"},
    }
    body = bodies[singular]
    resp = await call(sb, "POST", f"{ACC}/{path}", {singular: {**body, key: [item]}})
    assert resp.status == 400
    assert (acc_error(resp)["errno"], acc_error(resp)["field"]) == (1006, field)


async def test_other_families_refuse_unknown_fields_in_their_shape(sb: Sandbox) -> None:
    project = js(
        await call(sb, "POST", "/projects/business/1/project", {"project": {"title": "P"}})
    )
    pid = project["project"]["id"]
    service = js(await call(sb, "POST", "/comments/business/1/service", {"service": {"name": "S"}}))
    sid = service["service"]["id"]
    cases = [
        ("POST", "/comments/business/1/retainers", {"retainer": {"client_id": 1, "colour": 1}}),
        (
            "POST",
            f"/comments/business/1/project/{pid}/threads",
            {"thread": {"body": "x", "colour": 1}},
        ),
        ("PUT", "/comments/business/1/team_member_rate/1", {"team_member_rate": {"colour": 1}}),
        (
            "POST",
            f"/comments/business/1/service/{sid}/rate",
            {"service_rate": {"rate": "1", "colour": 1}},
        ),
        ("POST", "/projects/business/1/project", {"project": {"title": "T", "colour": 1}}),
    ]
    for method, path, body in cases:
        resp = await call(sb, method, path, body)
        assert resp.status == 422, (path, resp.body)
        assert js(resp) == {"errno": 2001, "error": {"colour": "extra fields not permitted"}}
    ok = await call(
        sb,
        "POST",
        "/projects/business/1/project",
        {"project": {"title": "T", "service_ids": [sid]}},
    )
    assert ok.status == 200
    link = await call(
        sb, "POST", "/payments/account/ACC001/checkout-links", {"title": "T", "colour": 1}
    )
    assert link.status == 400
    assert js(link)["errors"][0]["field"] == "colour"
    uuid = sb.default_business.uuid
    ledger = await call(
        sb,
        "POST",
        f"/accounting/businesses/{uuid}/ledger_accounts/accounts",
        {"data": {"name": "N", "sub_type": "Sales", "parent_account": None, "colour": 1}},
    )
    assert ledger.status == 400
    assert js(ledger)["errors"]["details"][0]["metadata"]["field"] == "colour"


async def test_threads_and_comments_need_their_project_and_thread(sb: Sandbox) -> None:
    missing = await call(
        sb, "POST", "/comments/business/1/project/9/threads", {"thread": {"body": "x"}}
    )
    assert missing.status == 404
    pid = js(await call(sb, "POST", "/projects/business/1/project", {"project": {"title": "P"}}))[
        "project"
    ]["id"]
    thread = js(
        await call(
            sb,
            "POST",
            f"/comments/business/1/project/{pid}/threads",
            {"thread": {"subject": "Hi", "body": "First"}},
        )
    )["thread"]
    comment = await call(
        sb,
        "POST",
        f"/comments/business/1/threads/{thread['id']}/comments",
        {"comment": {"body": "Reply"}},
    )
    assert js(comment)["comment"]["thread_id"] == thread["id"]
    listed = js(await call(sb, "GET", f"/comments/business/1/project/{pid}/threads"))["threads"]
    assert [c["body"] for c in listed[0]["comments"]] == ["Reply"]
    nothing = await call(
        sb, "POST", "/comments/business/1/threads/99/comments", {"comment": {"body": "x"}}
    )
    assert nothing.status == 404


# ------------------------------------------------------------------ referential checks


async def test_fresh_sandbox_has_client_1_and_missing_clients_are_1012(sb: Sandbox) -> None:
    assert (await _invoice(sb))["customerid"] == 1
    resp = await call(sb, "POST", INV, {"invoice": {"customerid": 42, "create_date": "2024-01-01"}})
    assert resp.status == 404
    err = acc_error(resp)
    assert (err["errno"], err["field"], err["object"], err["value"]) == (
        1012,
        "customerid",
        "client",
        "42",
    )
    assert err["message"] == "Client not found."
    assert len(sb.ledger) == 1  # nothing created, no number consumed
    assert (await _invoice(sb))["invoice_number"] == "0000002"
    inv = (await _invoice(sb))["id"]
    put = await call(sb, "PUT", f"{INV}/{inv}", {"invoice": {"customerid": 77}})
    assert (put.status, acc_error(put)["errno"]) == (404, 1012)


@pytest.mark.parametrize(
    ("path", "singular", "body", "field", "obj"),
    [
        (
            "estimates/estimates",
            "estimate",
            {"customerid": 5, "create_date": "2024-01-01"},
            "customerid",
            "client",
        ),
        ("credit_notes/credit_notes", "credit_note", {"clientid": 5}, "clientid", "client"),
        (
            "payments/payments",
            "payment",
            {"invoiceid": 5, "amount": MONEY, "date": "2024-01-01", "type": "Check"},
            "invoiceid",
            "invoice",
        ),
        (
            "expenses/expenses",
            "expense",
            {"categoryid": 1, "staffid": 1, "date": "2024-01-01", "amount": MONEY, "clientid": 5},
            "clientid",
            "client",
        ),
        (
            "expenses/expenses",
            "expense",
            {"categoryid": 500, "staffid": 1, "date": "2024-01-01", "amount": MONEY},
            "categoryid",
            "category",
        ),
        (
            "expenses/expenses",
            "expense",
            {"categoryid": 1, "staffid": 50, "date": "2024-01-01", "amount": MONEY},
            "staffid",
            "staff",
        ),
        (
            "bills/bills",
            "bill",
            {"vendorid": 5, "issue_date": "2024-01-01"},
            "vendorid",
            "bill_vendor",
        ),
        (
            "bill_payments/bill_payments",
            "bill_payment",
            {"billid": 5, "amount": MONEY, "paid_date": "2024-01-01"},
            "billid",
            "bill",
        ),
        (
            "journal_entries/journal_entries",
            "journal_entry",
            {"name": "J", "details": [{"sub_accountid": 99}]},
            "sub_accountid",
            "sub_account",
        ),
    ],
)
async def test_references_to_missing_objects_are_1012(
    sb: Sandbox, path: str, singular: str, body: dict[str, Any], field: str, obj: str
) -> None:
    resp = await call(sb, "POST", f"{ACC}/{path}", {singular: body})
    assert resp.status == 404, resp.body
    err = acc_error(resp)
    assert (err["errno"], err["field"], err["object"]) == (1012, field, obj)
    if singular != "journal_entry":  # (no list endpoint)
        listed = await call(sb, "GET", f"{ACC}/{path}")
        assert js(listed)["response"]["result"]["total"] == 0


# ------------------------------------------------------------------ listed-only objects


async def test_staff_categories_and_gateways_exist_per_business(sb: Sandbox) -> None:
    staff = result(await call(sb, "GET", f"{ACC}/users/staffs"), "staffs")
    assert [s["fname"] for s in staff] == ["Alan", "Ada", "Sandy"]  # newest first
    assert result(await call(sb, "GET", f"{ACC}/users/staffs/1"), "staff")["email"] == (
        "owner@sandbox.invalid"
    )
    renamed = await call(sb, "PUT", f"{ACC}/users/staffs/2", {"staff": {"fname": "Augusta"}})
    assert result(renamed, "staff")["fname"] == "Augusta"
    await call(sb, "PUT", f"{ACC}/users/staffs/3", {"staff": {"vis_state": 1}})
    assert js(await call(sb, "GET", f"{ACC}/users/staffs"))["response"]["result"]["total"] == 2
    categories = js(await call(sb, "GET", f"{ACC}/expenses/categories?per_page=100"))
    names = [c["category"] for c in categories["response"]["result"]["categories"]]
    assert "Travel" in names
    assert len(names) == 13
    travel = names.index("Travel")
    cid = categories["response"]["result"]["categories"][travel]["categoryid"]
    assert result(await call(sb, "GET", f"{ACC}/expenses/categories/{cid}"), "category")[
        "category"
    ] == ("Travel")
    gateways = result(await call(sb, "GET", f"{ACC}/systems/gateways"), "gateways")
    assert sorted(g["gateway_name"] for g in gateways) == ["fbpay", "stripe"]
    stripe = next(g["id"] for g in gateways if g["gateway_name"] == "stripe")
    assert (await call(sb, "DELETE", f"{ACC}/systems/gateways/{stripe}")).status == 200
    # The payments family lists one connection object, as the live API does.
    (online,) = js(await call(sb, "GET", "/payments/account/ACC001/gateway"))["gateway_connections"]
    assert online["stripe_unified"]["stripe_charges_enabled"] is True  # fbpay is Stripe's
    fbpay = next(g["id"] for g in gateways if g["gateway_name"] == "fbpay")
    assert (await call(sb, "DELETE", f"{ACC}/systems/gateways/{fbpay}")).status == 200
    (online,) = js(await call(sb, "GET", "/payments/account/ACC001/gateway"))["gateway_connections"]
    assert online == {"stripe": None, "stripe_unified": None, "paypal": None}
    other = sb.add_business(name="Other")
    theirs = await call(sb, "GET", f"/accounting/account/{other.account_id}/users/staffs")
    assert js(theirs)["response"]["result"]["total"] == 3
    theirs = await call(sb, "GET", f"/accounting/account/{other.account_id}/users/clients")
    assert js(theirs)["response"]["result"]["total"] == 0  # only the default account has one


async def test_seed_data_kinds_for_listed_only_objects() -> None:
    a, b = Sandbox(seed=3), Sandbox(seed=3)
    counts = {"staff": 2, "expense_categories": 4, "gateways": 3}
    assert a.seed_data(staff=2, expense_categories=4, gateways=3) == counts
    b.seed_data(staff=2, expense_categories=4, gateways=3)
    for resource, total in (("staff", 5), ("expense_categories", 17), ("gateways", 5)):
        ta, tb = a.table("ACC001", resource), b.table("ACC001", resource)
        assert len(ta) == total
        assert [r.data for r in ta] == [r.data for r in tb]
    other = a.add_business(name="Other")
    assert a.seed_data(business=other, clients=2) == {"clients": 2}
    assert len(a.table(other.account_id, "clients")) == 2
    with pytest.raises(TypeError, match="business"):
        a.seed_data(business=Sandbox().default_business, clients=1)
    a.reset()
    assert len(a.table("ACC001", "staff")) == 3
    assert list(a.table("ACC001", "clients").records) == [1]


# ------------------------------------------------------------------ contacts


async def test_client_contacts_are_records_reachable_through_contacts(sb: Sandbox) -> None:
    body = {
        "client": {
            "fname": "Main",
            "contacts": [
                {"email": "one@example.com", "fname": "One"},
                {"email": "two@example.com", "fname": "Two"},
            ],
        }
    }
    client = result(await call(sb, "POST", f"{ACC}/users/clients", body), "client")
    one, two = client["contacts"]
    assert (one["userid"], one["email"]) == (client["id"], "one@example.com")
    path = f"{ACC}/users/contacts"
    updated = await call(sb, "PUT", f"{path}/{one['contactid']}", {"contact": {"fname": "Uno"}})
    assert result(updated, "contact")["fname"] == "Uno"
    got = result(await call(sb, "GET", f"{ACC}/users/clients/{client['id']}"), "client")
    assert [c["fname"] for c in got["contacts"]] == ["Uno", "Two"]
    assert (await call(sb, "DELETE", f"{path}/{two['contactid']}")).status == 200
    got = result(await call(sb, "GET", f"{ACC}/users/clients/{client['id']}"), "client")
    assert [c["contactid"] for c in got["contacts"]] == [one["contactid"]]
    gone = await call(sb, "PUT", f"{path}/{two['contactid']}", {"contact": {"fname": "x"}})
    assert (gone.status, acc_error(gone)["errno"]) == (404, 1012)
    # A client PUT's contacts replace them: keep one by id, add one, drop the rest.
    replaced = await call(
        sb,
        "PUT",
        f"{ACC}/users/clients/{client['id']}",
        {"client": {"contacts": [{"contactid": one["contactid"]}, {"email": "new@example.com"}]}},
    )
    kept, new = result(replaced, "client")["contacts"]
    assert (kept["contactid"], kept["fname"]) == (one["contactid"], "Uno")
    assert new["email"] == "new@example.com"
    cleared = await call(
        sb, "PUT", f"{ACC}/users/clients/{client['id']}", {"client": {"contacts": []}}
    )
    assert result(cleared, "client")["contacts"] == []
    assert (await call(sb, "DELETE", f"{path}/{new['contactid']}")).status == 404


# ------------------------------------------------------------------ ledger types


async def test_ledger_types_and_sub_types_are_objects(sb: Sandbox) -> None:
    types = js(await call(sb, "GET", "/accounting/ledger_accounts/types"))["data"]
    assert {t["type"] for t in types} >= {"asset", "liability", "equity", "income", "expense"}
    assert all(set(t) == {"id", "name", "type", "description"} for t in types)
    subs = js(await call(sb, "GET", "/accounting/ledger_accounts/sub_types"))["data"]
    assert all(set(s) == {"id", "name", "type", "description"} for s in subs)
    payable = next(s for s in subs if s["name"] == "Accounts Payable")
    one = js(await call(sb, "GET", f"/accounting/ledger_accounts/sub_types/{payable['id']}"))
    assert one["data"] == payable
    uuid = sb.default_business.uuid
    created = await call(
        sb,
        "POST",
        f"/accounting/businesses/{uuid}/ledger_accounts/accounts",
        {"data": {"name": "Loan", "sub_type": "Accounts Payable", "parent_account": None}},
    )
    assert created.status == 201
    assert js(created)["data"]["type"] == "liability"


# ------------------------------------------------------------------ overdue


async def test_overdue_by_the_clock_in_us_eastern(sb: Sandbox) -> None:
    # Today is 2024-03-09 in US/Eastern (2024-03-10 in UTC).
    due_today = await _invoice(sb, create_date="2024-02-08", due_offset_days=30)
    due_before = await _invoice(sb, create_date="2024-02-07", due_offset_days=30)
    draft_late = await _invoice(sb, create_date="2024-01-01")
    assert (due_today["due_date"], due_before["due_date"]) == ("2024-03-09", "2024-03-08")
    for inv in (due_today, due_before):
        await call(sb, "PUT", f"{INV}/{inv['id']}", {"invoice": {"action_mark_as_sent": True}})

    async def v3(inv: dict[str, Any]) -> str:
        return str(result(await call(sb, "GET", f"{INV}/{inv['id']}"), "invoice")["v3_status"])

    assert [await v3(i) for i in (due_today, due_before, draft_late)] == [
        "sent",
        "overdue",
        "draft",
    ]
    overdue = await call(sb, "GET", f"{INV}?search[v3_status]=overdue")
    assert [i["id"] for i in result(overdue, "invoices")] == [due_before["id"]]
    assert isinstance(sb.clock, FakeClock)
    sb.clock.advance(3 * 3600)  # 01:30 on 2024-03-10 in US/Eastern: a new day
    assert await v3(due_today) == "overdue"
    pay = {"invoiceid": due_today["id"], "amount": {"amount": "5.00"}, "date": "2024-03-10"}
    await call(sb, "POST", f"{ACC}/payments/payments", {"payment": {**pay, "type": "Cash"}})
    assert await v3(due_today) == "overdue"  # partly paid and late
    rest = {**pay, "amount": {"amount": "7.50"}, "type": "Cash"}
    await call(sb, "POST", f"{ACC}/payments/payments", {"payment": rest})
    assert await v3(due_today) == "paid"
