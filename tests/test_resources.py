"""Resource namespaces: wire shapes (MockTransport/Router), bad input before any request,
and CRUD round trips against the sandbox (in process and over loopback)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
import pytest_asyncio

from freshbooks_async import FreshBooksClient
from freshbooks_async._catalogue import DeleteStyle, resources
from freshbooks_async.errors import NotFoundError, ReadError
from freshbooks_async.models import Invoice, InvoiceCreate, Money
from freshbooks_async.models.identity import Business
from freshbooks_async.models.kwargs import MoneyKwargs
from freshbooks_async.query import Query
from freshbooks_async.resources import (
    Invoices,
    Resource,
)
from freshbooks_async.sandbox import Sandbox, SandboxServer
from freshbooks_async.testing import MockTransport, Router
from freshbooks_async.transports import Request

ACC = "ACC001"
# The fields FreshBooks always sends on an invoice (docs/models.rst "Required fields").
INVOICE = {
    "id": 7,
    "invoiceid": 7,
    "accountid": "ACC001",
    "customerid": 3,
    "invoice_number": "0000007",
    "organization": "Org",
    "create_date": "2024-01-05",
    "status": 1,
    "display_status": "draft",
    "vis_state": 0,
    "amount": {"amount": "10.00", "code": "USD"},
    "paid": {"amount": "0.00", "code": "USD"},
    "outstanding": {"amount": "10.00", "code": "USD"},
    "discount_total": {"amount": "0.00", "code": "USD"},
}
PROJECT = {
    "id": 4,
    "title": "P",
    "description": None,
    "due_date": None,
    "client_id": None,
    "internal": False,
    "budget": None,
    "fixed_price": None,
    "rate": None,
    "billing_method": None,
    "project_type": "fixed_price",
    "active": True,
    "complete": False,
    "sample": False,
    "created_at": "2024-01-05T10:00:00",
    "updated_at": "2024-01-05T10:00:00",
    "logged_duration": None,
    "services": [],
    "billed_amount": "0.00",
    "billed_status": "unbilled",
}
LEDGER_ACCOUNT = {
    "uuid": "u-1",
    "name": "Cash",
    "number": "1000",
    "description": "",
    "type": "asset",
    "sub_type": "Cash & Bank",
    "parent_account": "1000",
    "sub_accounts": [],
    "auto_created": False,
    "state": "active",
    "updated_at": "2024-01-05T10:00:00Z",
}
ONE = Router.json({"response": {"result": {"invoice": INVOICE}}})
PATH = "/accounting/account/{account_id}/invoices/invoices"


def _body(request: Request) -> Any:
    return json.loads(request.body)


@pytest_asyncio.fixture
async def router_client() -> AsyncIterator[tuple[Router, FreshBooksClient]]:
    router = Router()
    async with FreshBooksClient("token-123456789", transport=MockTransport(router)) as fb:
        yield router, fb


@pytest_asyncio.fixture
async def fb() -> AsyncIterator[FreshBooksClient]:
    sandbox = Sandbox()
    async with FreshBooksClient(sandbox.token, transport=MockTransport(sandbox.handle)) as client:
        yield client


# --------------------------------------------------------------------------- wire shapes


async def test_list_sends_page_query_and_filters(
    router_client: tuple[Router, FreshBooksClient],
) -> None:
    router, fb = router_client
    body = {
        "response": {
            "result": {"invoices": [INVOICE], "page": 2, "pages": 3, "per_page": 1, "total": 3}
        }
    }
    route = router.get(PATH, Router.json(body))
    page = await fb.invoices.list(
        ACC, query=Query().equals("customerid", 3).include("lines"), page=2, per_page=1
    )
    assert [i.id for i in page.items] == [7]
    assert isinstance(page.items[0], Invoice)
    assert (page.page, page.pages, page.total, page.has_next) == (2, 3, 3, True)
    query = route.calls[0].url.query
    assert query["search[customerid]"] == "3"
    assert query["include[]"] == "lines"
    assert (query["page"], query["per_page"]) == ("2", "1")


async def test_list_all_walks_every_page(router_client: tuple[Router, FreshBooksClient]) -> None:
    router, fb = router_client

    def page(request: Request, params: dict[str, str]) -> Any:
        number = int(request.url.query["page"])
        items = [{**INVOICE, "id": number * 10 + i} for i in range(2 if number < 3 else 1)]
        return Router.json(
            {
                "response": {
                    "result": {
                        "invoices": items,
                        "page": number,
                        "pages": 3,
                        "per_page": 2,
                        "total": 5,
                    }
                }
            }
        )

    router.get(PATH, page)
    ids = [i.id async for i in fb.invoices.list_all(ACC, per_page=2)]
    assert ids == [10, 11, 20, 21, 30]


async def test_create_accepts_model_mapping_or_kwargs(
    router_client: tuple[Router, FreshBooksClient],
) -> None:
    router, fb = router_client
    route = router.post(PATH, ONE)
    draft = InvoiceCreate(customerid=3, create_date=dt.date(2024, 1, 2))
    by_model = await fb.invoices.create(ACC, draft)
    by_map = await fb.invoices.create(ACC, {"customerid": 3, "create_date": "2024-01-02"})
    by_kw = await fb.invoices.create(ACC, customerid=3, create_date="2024-01-02")
    assert by_model == by_map == by_kw
    bodies = [_body(r) for r in route.calls]
    assert bodies[0] == bodies[1] == bodies[2]
    assert bodies[0] == {"invoice": {"customerid": 3, "create_date": "2024-01-02"}}


async def test_update_sends_only_set_fields(router_client: tuple[Router, FreshBooksClient]) -> None:
    router, fb = router_client
    route = router.put(PATH + "/{id}", ONE)
    await fb.invoices.update(ACC, 7, notes="Thanks")
    assert route.calls[0].method == "PUT"
    assert route.calls[0].url.path.endswith("/invoices/invoices/7")
    assert _body(route.calls[0]) == {"invoice": {"notes": "Thanks"}}


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("archive", {"invoice": {"vis_state": 2}}),
        ("restore", {"invoice": {"vis_state": 0}}),
        ("mark_as_sent", {"invoice": {"action_mark_as_sent": True}}),
    ],
)
async def test_state_changes_send_one_field(
    router_client: tuple[Router, FreshBooksClient], call: str, expected: dict[str, Any]
) -> None:
    router, fb = router_client
    route = router.put(PATH + "/{id}", ONE)
    await getattr(fb.invoices, call)(ACC, 7)
    assert _body(route.calls[0]) == expected


async def test_delete_styles(router_client: tuple[Router, FreshBooksClient]) -> None:
    router, fb = router_client
    deleted = router.delete(PATH + "/{id}", Router.json({"response": {}}))
    put = router.put(PATH + "/{id}", ONE)
    clients = router.put("/accounting/account/{account_id}/users/clients/{id}", ONE)
    retainers = router.put(
        "/comments/business/{business_id}/retainer/{id}", Router.json({"retainer": {"id": 1}})
    )
    await fb.invoices.delete(ACC, 7)  # DELETE (docs/protocol.rst, "Deletes and vis_state")
    await fb.invoices.delete(ACC, 7, style=DeleteStyle.VIS_STATE)
    await fb.clients.delete(ACC, 5)  # soft delete (docs/protocol.rst, "Deletes and vis_state")
    await fb.retainers.delete(1, 1)  # active=false
    assert deleted.call_count == 1
    assert _body(put.calls[0]) == {"invoice": {"vis_state": 1}}
    assert _body(clients.calls[0]) == {"client": {"vis_state": 1}}
    assert _body(retainers.calls[0]) == {"retainer": {"active": False}}
    with pytest.raises(ValueError, match="style"):
        await fb.clients.delete(ACC, 5, style=DeleteStyle.DELETE)


async def test_actions_are_never_replayed_after_a_maybe_sent_failure(
    router_client: tuple[Router, FreshBooksClient],
) -> None:
    router, fb = router_client
    route = router.put(PATH + "/{id}", ReadError("reset", method="PUT", url="x"), ONE)
    with pytest.raises(ReadError):
        await fb.invoices.send_by_email(ACC, 7, ["a@example.com"])
    assert route.call_count == 1
    # An ordinary update (idempotent PUT) is retried by the pipeline.
    updated = await fb.invoices.update(ACC, 7, notes="x")
    assert updated.id == 7


async def test_send_by_email_body(router_client: tuple[Router, FreshBooksClient]) -> None:
    router, fb = router_client
    route = router.put(PATH + "/{id}", ONE)
    await fb.invoices.send_by_email(
        ACC, 7, ["a@example.com"], subject="Hi", body="Thanks", include_pdf=True
    )
    assert _body(route.calls[0]) == {
        "invoice": {
            "action_email": True,
            "email_recipients": ["a@example.com"],
            "email_include_pdf": True,
            "invoice_customized_email": {"subject": "Hi", "body": "Thanks"},
        }
    }


async def test_project_like_and_ledger_shapes(
    router_client: tuple[Router, FreshBooksClient],
) -> None:
    router, fb = router_client
    project = router.post(
        "/projects/business/{business_id}/project", Router.json({"project": PROJECT})
    )
    listing = router.get(
        "/projects/business/{business_id}/projects",
        Router.json({"projects": [PROJECT], "meta": {"page": 1, "per_page": 1, "total": 1}}),
    )
    ledger = router.post(
        "/accounting/businesses/{business_uuid}/ledger_accounts/accounts",
        Router.json({"data": LEDGER_ACCOUNT}),
    )
    created = await fb.projects.create(1, title="P")
    page = await fb.projects.list(1, query=Query().flag("active"))
    account = await fb.ledger_accounts.create(
        "biz-uuid", name="Cash", sub_type="Cash & Bank", parent_account="1000"
    )
    assert created.id == 4
    assert [p.id for p in page.items] == [4]
    assert listing.calls[0].url.query["active"] == "true"
    assert _body(project.calls[0]) == {"project": {"title": "P"}}
    # Ledger bodies are flat (PY accounting_business.py).
    assert _body(ledger.calls[0]) == {
        "name": "Cash",
        "sub_type": "Cash & Bank",
        "parent_account": "1000",
    }
    assert account.uuid == "u-1"


#: Ids that would change the path (or be changed by percent-encoding) if sent as given.
BAD_PATH_IDS = [
    "", ".", "..", "A/../B", "A/B", "A?x=1", "A#frag", "A%2F", "A%41", "A B", " A", "A\t",
    "A\n", "A\x00", "A\x7f", "Ä1", "A;x", "A+B", "A@B", "A\u2028",
]  # fmt: skip


@pytest.mark.parametrize("bad", BAD_PATH_IDS)
async def test_path_ids_that_would_change_the_path_are_refused(bad: str) -> None:
    transport = MockTransport(lambda request: Router.json({}))
    async with FreshBooksClient("token-123456789", transport=transport) as fb:
        calls: list[tuple[str, Any]] = [
            ("account_id", lambda: fb.invoices.get(bad, 1)),
            ("account_id", lambda: fb.invoices.list(bad)),
            ("account_id", lambda: fb.invoices.delete(bad, 1)),
            ("account_id", lambda: fb.clients.update(bad, 1, organization="x")),
            ("account_id", lambda: fb.invoices.list_all(bad).collect()),
            ("account_id", lambda: fb.callbacks.get(bad, 1)),
            ("account_id", lambda: fb.reports.profit_loss(bad)),
            ("business_uuid", lambda: fb.ledger_accounts.list(bad)),
            ("jwt", lambda: fb.attachments.download(bad)),
        ]
        for name, call in calls:
            with pytest.raises((ValueError, TypeError)) as info:
                await call()
            message = str(info.value)
            assert message.startswith(name), message
            assert repr(bad) in message, message
        assert transport.call_count == 0


async def test_path_ids_are_sent_exactly_as_given(
    router_client: tuple[Router, FreshBooksClient],
) -> None:
    router, fb = router_client
    route = router.get(PATH + "/{id}", ONE)
    await fb.invoices.get("abc12.A-b_c~9", 7)
    assert route.calls[0].url.raw_path == "/accounting/account/abc12.A-b_c~9/invoices/invoices/7"


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda fb: fb.invoices.list(123), TypeError, "account_id"),
        (lambda fb: fb.invoices.list(" A "), ValueError, "account_id"),
        (lambda fb: fb.projects.list("1"), TypeError, "business_id"),
        (lambda fb: fb.projects.list(0), ValueError, "business_id"),
        (lambda fb: fb.ledger_accounts.list(5), TypeError, "business_uuid"),
        (lambda fb: fb.invoices.get(ACC, "7"), TypeError, "id"),
        (lambda fb: fb.invoices.get(ACC, True), TypeError, "id"),
        (lambda fb: fb.invoices.list(ACC, page=0), ValueError, "page"),
        (lambda fb: fb.invoices.list(ACC, per_page=101), ValueError, "per_page"),
        (lambda fb: fb.invoices.list(ACC, query="x"), TypeError, "query"),
        (
            lambda fb: fb.invoices.list(ACC, query=Query().equals("bogus", 1)),
            ValueError,
            "bogus",
        ),
        (lambda fb: fb.invoices.create(ACC, customerid=1), ValueError, "create_date"),
        (
            lambda fb: fb.invoices.create(ACC, customerid=1, create_date="2024-01-01", bogus=1),
            TypeError,
            "bogus",
        ),
        (
            lambda fb: fb.invoices.create(
                ACC,
                customerid=1,
                create_date="2024-01-01",
                lines=[{"name": "x", "qty": -1}],
            ),
            ValueError,
            "qty",
        ),
        (
            lambda fb: fb.invoices.create(
                ACC,
                customerid=1,
                create_date="2024-01-01",
                lines=[{"name": "x", "unit_cost": {"amount": "ten", "code": "USD"}}],
            ),
            ValueError,
            "unit_cost",
        ),
        (lambda fb: fb.invoices.update(ACC, 7), ValueError, "no fields"),
        (lambda fb: fb.invoices.update(ACC, 7, vis_state=1), TypeError, "vis_state"),
        (
            lambda fb: fb.invoices.create(
                ACC, InvoiceCreate(customerid=1, create_date=dt.date(2024, 1, 1)), notes="x"
            ),
            TypeError,
            "not both",
        ),
        (lambda fb: fb.invoices.send_by_email(ACC, 7, "a@example.com"), TypeError, "recipients"),
        (lambda fb: fb.invoices.send_by_email(ACC, 7, []), ValueError, "recipients"),
        (lambda fb: fb.invoices.share_link(ACC, 7, share_method="fax"), ValueError, "share"),
        (lambda fb: fb.reports.profit_loss(ACC, currency_code="usd"), ValueError, "currency"),
        (
            lambda fb: fb.reports.profit_loss(ACC, start_date=dt.datetime(2024, 1, 1)),
            TypeError,
            "start_date",
        ),
        (
            lambda fb: fb.reports.profit_loss(
                ACC, start_date=dt.date(2024, 2, 1), end_date=dt.date(2024, 1, 1)
            ),
            ValueError,
            "after",
        ),
        (lambda fb: fb.services.create(1, {"vis_state": 1}), TypeError, "vis_state"),
        (lambda fb: fb.credit_cards.create(ACC, {"vis_state": 1}), ValueError, "vis_state"),
        (lambda fb: fb.team_members.get(1, ""), ValueError, "team_member_uuid"),
    ],
)
async def test_bad_input_fails_before_any_request(
    router_client: tuple[Router, FreshBooksClient],
    call: Any,
    error: type[Exception],
    match: str,
) -> None:
    router, fb = router_client
    with pytest.raises(error, match=match):
        await call(fb)
    assert all(not route.called for route in router.routes)


# --------------------------------------------------------------------------- structure


def test_importing_the_client_builds_no_model_and_imports_no_aiohttp() -> None:
    # Import time: a namespace's module and the models it decodes are imported when it
    # is first used, and aiohttp when the default transport is built. A fresh
    # interpreter, as a user's program starts.
    code = (
        "import sys\n"
        "from freshbooks_async import FreshBooksClient\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('aiohttp', "
        "'freshbooks_async.models', 'freshbooks_async.resources', 'freshbooks_async.webhooks', "
        "'freshbooks_async.uploads', 'freshbooks_async.bulk')))\n"
        "print(loaded)\n"
        "fb = FreshBooksClient('token-123456789')\n"
        "assert 'freshbooks_async.models.invoices' not in sys.modules\n"
        "assert type(fb.invoices).__name__ == 'Invoices'\n"
        "assert 'freshbooks_async.models.invoices' in sys.modules\n"
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_namespaces_are_built_once_and_can_be_replaced() -> None:
    fb = FreshBooksClient("token-123456789", transport=MockTransport(Router()))
    first = fb.invoices
    assert fb.invoices is first
    assert first._client is fb
    assert fb._namespaces()["invoices"] is first


def test_namespaces_follow_the_catalogue() -> None:
    fb = FreshBooksClient("token-123456789", transport=MockTransport(Router()))
    namespaces = [v for v in fb._namespaces().values() if isinstance(v, Resource)]
    assert len(namespaces) >= 45
    for ns in namespaces:
        spec = ns._spec
        # archive/restore exactly where the catalogue says vis_state 2 applies.
        has_archive = hasattr(ns, "archive")
        assert has_archive == (spec.archivable and spec.supports("update")), spec.name
        # delete exists only on deletable resources.
        if hasattr(ns, "delete"):
            assert spec.delete_styles, spec.name
        assert ns.doc_url.startswith("https://www.freshbooks.com/api/")
    covered = {(ns._spec.family, ns._spec.name) for ns in namespaces}
    uncovered = {(s.family.value, s.name) for s in resources() if (s.family, s.name) not in covered}
    # Those live in other modules (webhooks, uploads, auth) or are out of scope.
    assert uncovered == {
        ("events", "callbacks"),
        ("auth", "billing_subscription"),
        ("comments", "projects"),
        ("accounting", "reports"),
        ("accounting-business", "reports"),
        ("oauth", "oauth"),
        ("payments", "tokenization"),
        ("uploads", "images"),
        ("uploads", "attachments"),
    }
    assert isinstance(fb.invoices, Invoices)
    assert "Invoices" in repr(fb.invoices)


# --------------------------------------------------------------------------- sandbox round trips


async def _crud(
    fb: FreshBooksClient,
    name: str,
    scope: Any,
    create: dict[str, Any],
    update: dict[str, Any],
    id_attr: str = "id",
) -> None:
    ns = getattr(fb, name)
    created = await ns.create(scope, **create)
    oid = getattr(created, id_attr)
    got = await ns.get(scope, oid)
    assert getattr(got, id_attr) == oid
    for key, value in create.items():
        if isinstance(value, str | int) and not isinstance(value, bool) and hasattr(got, key):
            assert getattr(got, key) == value, (name, key)
    updated = await ns.update(scope, oid, **update)
    for key, value in update.items():
        if isinstance(value, str | int):
            assert getattr(updated, key) == value, (name, key)
    listed = await ns.list(scope)
    assert oid in [getattr(item, id_attr) for item in listed.items]
    if hasattr(ns, "archive"):
        archived = await ns.archive(scope, oid)
        assert archived.vis_state == 2
        restored = await ns.restore(scope, oid)
        assert restored.vis_state == 0
    if hasattr(ns, "delete"):
        await ns.delete(scope, oid)
        try:
            after = await ns.get(scope, oid)
        except NotFoundError:
            return
        if ns._spec.delete_style is DeleteStyle.ACTIVE_FALSE:
            assert after.active is False, (name, after)
        else:
            assert after.vis_state == 1, (name, after)


MONEY: MoneyKwargs = {"amount": "12.50", "code": "USD"}
DAY = dt.date(2024, 1, 5)


async def test_accounting_crud_round_trips(fb: FreshBooksClient) -> None:
    client = await fb.clients.create(ACC, email="c@example.com", fname="Cora")
    customer = client.id
    vendor = await fb.bill_vendors.create(ACC, vendor_name="Acme")
    bill = await fb.bills.create(
        ACC,
        vendorid=vendor.vendorid,
        issue_date=DAY,
        lines=[{"description": "Paper", "quantity": 1, "unit_cost": MONEY, "categoryid": 1}],
    )
    invoice = await fb.invoices.create(ACC, customerid=customer, create_date=DAY)
    await _crud(fb, "clients", ACC, {"email": "d@example.com", "fname": "Dee"}, {"lname": "Lo"})
    await _crud(fb, "invoices", ACC, {"customerid": customer, "create_date": DAY}, {"notes": "n"})
    await _crud(fb, "estimates", ACC, {"customerid": customer, "create_date": DAY}, {"notes": "n"})
    await _crud(
        fb,
        "credit_notes",
        ACC,
        {
            "clientid": customer,
            "create_date": DAY,
            "currency_code": "USD",
            "lines": [{"description": "Refund", "qty": 1, "unit_cost": MONEY}],
        },
        {"notes": "n"},
    )
    await _crud(
        fb,
        "expenses",
        ACC,
        {"categoryid": 1, "staffid": 1, "date": DAY, "amount": MONEY},
        {"notes": "n"},
    )
    await _crud(
        fb,
        "invoice_profiles",
        ACC,
        {"customerid": customer, "create_date": DAY, "frequency": "m"},
        {"notes": "n"},
    )
    await _crud(fb, "items", ACC, {"name": "Widget"}, {"description": "d"})
    await _crud(
        fb,
        "other_income",
        ACC,
        {"amount": MONEY, "date": DAY, "category_name": "online_sales"},
        {"note": "n"},
    )
    await _crud(fb, "taxes", ACC, {"name": "GST"}, {"name": "HST"})
    await _crud(fb, "tasks", ACC, {"name": "Design"}, {"description": "d"})
    await _crud(
        fb,
        "bill_vendors",
        ACC,
        {"vendor_name": "Beta"},
        {"website": "https://b.example"},
        "vendorid",
    )
    await _crud(
        fb,
        "bills",
        ACC,
        {
            "vendorid": vendor.vendorid,
            "issue_date": DAY,
            "lines": [{"description": "Ink", "quantity": 1, "unit_cost": MONEY, "categoryid": 1}],
        },
        {"currency_code": "USD"},
    )
    await _crud(
        fb,
        "bill_payments",
        ACC,
        {"billid": bill.id, "amount": MONEY, "paid_date": DAY, "payment_type": "Check"},
        {"note": "n"},
    )
    await fb.invoices.mark_as_sent(ACC, _i(invoice.id))
    payment = {"invoiceid": invoice.id, "amount": MONEY, "date": DAY, "type": "Cash"}
    await _crud(fb, "payments", ACC, payment, {**payment, "note": "n"})


async def test_project_like_crud_round_trips(fb: FreshBooksClient) -> None:
    client = await fb.clients.create(ACC, email="c@example.com")
    await _crud(fb, "projects", 1, {"title": "Site"}, {"title": "Site v2"})
    await _crud(
        fb,
        "time_entries",
        1,
        {
            "started_at": dt.datetime(2024, 1, 5, 9, tzinfo=dt.UTC),
            "duration": 60,
            "is_logged": True,
        },
        {"note": "n"},
    )
    await _crud(fb, "services", 1, {"name": "Design"}, {"name": "Design+"})
    await _crud(fb, "retainers", 1, {"client_id": client.id}, {"frequency": "monthly"})


def _i(value: object) -> int:
    assert isinstance(value, int), value
    return value


async def test_invoice_lifecycle_in_the_sandbox(fb: FreshBooksClient) -> None:
    client = await fb.clients.create(ACC, email="c@example.com")
    invoice = await fb.invoices.create(
        ACC,
        customerid=_i(client.id),
        create_date=DAY,
        lines=[{"name": "Work", "qty": 2, "unit_cost": {"amount": "10.25", "code": "USD"}}],
    )
    invoice_id = _i(invoice.id)
    assert isinstance(invoice.amount, Money)
    assert invoice.amount.amount == Decimal("20.50")
    sent = await fb.invoices.send_by_email(ACC, invoice_id, ["pay@example.com"])
    assert isinstance(sent.status, int)
    assert sent.status >= 2
    assert (await fb.invoices.pdf(ACC, invoice_id)).startswith(b"%PDF")
    assert "/service/invoices/" in await fb.invoices.share_link(ACC, invoice_id)
    report = await fb.reports.invoice_details(ACC, currency_code="USD")
    assert report.currency_code == "USD"
    csv = await fb.reports.csv_download(ACC, str(report.download_token))
    assert csv.startswith(b"invoice_number")
    me = await fb.me()
    assert isinstance(me.business_memberships, list)
    membership = me.business_memberships[0]
    assert membership.role == "owner"
    business = membership.business
    assert isinstance(business, Business)
    assert business.account_id == ACC
    uuid = str(business.business_uuid)
    chart = await fb.reports.chart_of_accounts(uuid)
    assert chart.company_name
    ledger = await fb.ledger_accounts.list(uuid)
    assert ledger.items
    assert ledger.pages == 1


async def test_round_trip_over_loopback() -> None:
    async with (
        SandboxServer(Sandbox()) as server,
        FreshBooksClient(server.token, base_url=server.url) as fb,
    ):
        client = await fb.clients.create(ACC, email="loop@example.com")
        invoice = await fb.invoices.create(ACC, customerid=_i(client.id), create_date=DAY)
        invoice_id = _i(invoice.id)
        got = await fb.invoices.get(ACC, invoice_id, query=Query().include("lines"))
        assert got.id == invoice_id
        everything = await fb.invoices.list_all(ACC, per_page=1).collect()
        assert [i.id for i in everything] == [invoice_id]
        await fb.invoices.delete(ACC, invoice_id)
        project = await fb.projects.create(1, title="Loop")
        await fb.projects.delete(1, _i(project.id))
        with pytest.raises(NotFoundError):
            await fb.projects.get(1, _i(project.id))


# --------------------------------------------------------------------------- typed kwargs


def _resources_with_write_models() -> list[type[Resource[Any]]]:
    import freshbooks_async.resources as package

    return sorted(
        (
            obj
            for obj in vars(package).values()
            if isinstance(obj, type)
            and issubclass(obj, Resource)
            and (obj._create_model is not None or obj._update_model is not None)
        ),
        key=lambda cls: cls.__name__,
    )


@pytest.mark.parametrize("cls", _resources_with_write_models(), ids=lambda cls: cls.__name__)
def test_create_and_update_keyword_fields_are_typed_by_the_write_model(
    cls: type[Resource[Any]],
) -> None:
    import inspect

    for name, model in (("create", cls._create_model), ("update", cls._update_model)):
        method = getattr(cls, name, None)
        if model is None or method is None:
            continue
        fields = inspect.signature(method).parameters["fields"]
        assert fields.annotation == f"Unpack[{model.__name__}Kwargs]", (cls, name)


def test_bulk_create_options_are_the_keyword_arguments_of_bulk_create_invoices() -> None:
    import inspect

    from freshbooks_async.bulk import bulk_create_invoices
    from freshbooks_async.resources import BulkCreateOptions

    keyword_only = {
        name
        for name, parameter in inspect.signature(bulk_create_invoices).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }
    assert set(BulkCreateOptions.__annotations__) == keyword_only


async def test_unknown_keyword_fields_are_still_refused_at_run_time(
    router_client: tuple[Router, FreshBooksClient],
) -> None:
    _, fb = router_client
    with pytest.raises(TypeError, match="has no field"):
        await fb.invoices.create(ACC, customer_id=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="has no field"):
        await fb.invoices.update(ACC, 7, notez="x")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="concurency"):
        await fb.invoices.bulk_create(ACC, [], concurency=8)  # type: ignore[call-arg]
