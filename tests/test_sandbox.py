"""The sandbox's protocol rules, in process (``sandbox.handle``) and over loopback."""

from __future__ import annotations

import asyncio
import base64
import email.utils
import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest

from freshbooks_async._catalogue import endpoints
from freshbooks_async._clock import FakeClock
from freshbooks_async.errors import ReadError, ServerDisconnectedError
from freshbooks_async.sandbox import Sandbox, SandboxServer, make_pdf, parse_fault
from freshbooks_async.transports import Request, Response

BASE = "https://api.freshbooks.com"
ACC = "/accounting/account/ACC001"
INV = f"{ACC}/invoices/invoices"


async def call(
    sb: Sandbox,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = None,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
) -> Response:
    h = {"Authorization": f"Bearer {token or sb.token}"}
    if body is not None:
        h["Content-Type"] = "application/json"
    h.update(headers or {})
    data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
    return await sb.handle(Request(method=method, url=BASE + path, headers=h, body=data))


def js(resp: Response) -> Any:
    return json.loads(resp.body)


def invoice(**extra: Any) -> dict[str, Any]:
    body = {
        "customerid": 1,
        "create_date": "2024-01-01",
        "lines": [{"qty": 1, "unit_cost": {"amount": "100", "code": "USD"}}],
    }
    body.update(extra)
    return {"invoice": body}


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(clock=FakeClock())


# ------------------------------------------------------------------ routing & envelopes


async def test_every_catalogue_row_is_routed(sb: Sandbox) -> None:
    sb._deliver = _ok
    for e in endpoints():
        params = {
            "account_id": "ACC001",
            "business_id": "1",
            "business_uuid": sb.default_business.uuid,
        }
        path = e.path_template
        for name in e.placeholders:
            path = path.replace("{" + name + "}", params.get(name, "999"))
        resp = await call(sb, e.method, path, {} if e.method in ("POST", "PUT") else None)
        assert resp.status != 500, (e, resp.body)
        assert "<unrouted>" not in " ".join(sb.stats.requests), e
    assert sum(sb.stats.requests.values()) == len(endpoints())


async def test_unknown_path_is_404_in_family_shape(sb: Sandbox) -> None:
    resp = await call(sb, "GET", f"{ACC}/nothing/here")
    assert resp.status == 404
    assert js(resp)["response"]["errors"][0]["errno"] == 1012
    resp = await call(sb, "GET", "/projects/business/1/nothing/else/x")
    assert js(resp) == {"error": "Requested resource could not be found."}


async def test_invoice_computed_fields_match_the_docs_example(sb: Sandbox) -> None:
    resp = await call(
        sb,
        "POST",
        INV,
        invoice(
            discount_value="5",
            due_offset_days=30,
            lines=[{"qty": 1, "unit_cost": {"amount": "100", "code": "USD"}, "taxAmount1": 10}],
        ),
    )
    assert resp.status == 200
    inv = js(resp)["response"]["result"]["invoice"]
    assert inv["amount"] == {"amount": "104.50", "code": "USD"}
    assert inv["discount_total"] == {"amount": "-5.00", "code": "USD"}
    assert inv["outstanding"]["amount"] == "104.50"
    assert inv["due_date"] == "2024-01-31"
    assert (inv["status"], inv["v3_status"], inv["invoice_number"]) == (1, "draft", "0000001")
    sent = await call(sb, "PUT", f"{INV}/{inv['id']}", {"invoice": {"action_mark_as_sent": True}})
    assert js(sent)["response"]["result"]["invoice"]["v3_status"] == "sent"
    pay = await call(
        sb,
        "POST",
        f"{ACC}/payments/payments",
        {
            "payment": {
                "invoiceid": inv["id"],
                "amount": {"amount": "104.50"},
                "date": "2024-01-02",
                "type": "Check",
            }
        },
    )
    assert pay.status == 200, pay.body
    got = js(await call(sb, "GET", f"{INV}/{inv['id']}"))["response"]["result"]["invoice"]
    assert (got["v3_status"], got["outstanding"]["amount"]) == ("paid", "0.00")


async def test_invoice_numbering_increment_and_explicit_duplicates(sb: Sandbox) -> None:
    await call(sb, "POST", INV, invoice(invoice_number="000D"))
    auto = js(await call(sb, "POST", INV, invoice()))["response"]["result"]["invoice"]
    assert auto["invoice_number"] == "000E"
    dup = await call(sb, "POST", INV, invoice(invoice_number="000E"))
    assert dup.status == 400
    err = js(dup)["response"]["errors"][0]
    assert (err["errno"], err["field"]) == (1029, "invoice_number")
    assert len(sb.ledger) == 2


async def test_a_create_is_in_flight_until_its_answer_leaves() -> None:
    # The server's count of creates in flight runs from arrival to answer, the latency
    # included: two creates whose answers are held back are both in flight, though each
    # was committed (atomically: no processing latency) before the next arrived.
    clock = HeldClock()
    sb = Sandbox(seed_clients=2, clock=clock, latency_ms=10)
    first = asyncio.ensure_future(call(sb, "POST", INV, invoice()))
    for _ in range(5):
        await asyncio.sleep(0)
    assert len(sb.ledger) == 1  # committed, its answer held back
    assert sb.stats.inflight_invoice_creates["ACC001"] == 1
    second = asyncio.ensure_future(call(sb, "POST", INV, invoice()))
    for _ in range(5):
        await asyncio.sleep(0)
    assert len(sb.ledger) == 2
    assert sb.stats.inflight_invoice_creates["ACC001"] == 2
    clock.gate.set()
    assert [r.status for r in await asyncio.gather(first, second)] == [200, 200]
    assert sb.stats.max_concurrent_invoice_creates["ACC001"] == 2
    assert sb.stats.inflight_invoice_creates["ACC001"] == 0


async def test_the_in_flight_count_survives_a_reset_and_skips_unknown_accounts() -> None:
    clock = HeldClock()
    sb = Sandbox(seed_clients=2, clock=clock, latency_ms=10)
    held = asyncio.ensure_future(call(sb, "POST", INV, invoice()))
    unknown = asyncio.ensure_future(
        call(sb, "POST", "/accounting/account/NOPE/invoices/invoices", invoice())
    )
    for _ in range(5):
        await asyncio.sleep(0)
    assert sb.stats.inflight_invoice_creates == {"ACC001": 1}  # NOPE is no account
    old = sb.stats
    sb.reset()  # while the create's answer is held back
    clock.gate.set()
    assert (await held).status == 200  # not a KeyError in the new stats
    assert (await unknown).status == 404
    assert old.inflight_invoice_creates == {"ACC001": 0}
    assert old.max_concurrent_invoice_creates == {"ACC001": 1}
    assert sb.stats.inflight_invoice_creates == {}


async def test_creates_that_arrive_together_race_for_a_number_without_processing_latency(
    sb: Sandbox,
) -> None:
    # The numbering race needs no processing_latency: creates started in the same turn
    # of the event loop choose the same number (server numbering), and one wins.
    assert sb.processing_latency == 0
    results = await asyncio.gather(*(call(sb, "POST", INV, invoice()) for _ in range(5)))
    assert sorted(r.status for r in results) == [200, 409, 409, 409, 409]
    explicit = await asyncio.gather(
        *(call(sb, "POST", INV, invoice(invoice_number="X-1")) for _ in range(3))
    )
    assert sorted(r.status for r in explicit) == [200, 409, 409]
    assert len(sb.ledger) == 2


def numbers_of(results: Sequence[Response]) -> list[str | None]:
    """Each answer's invoice number (None for an error), in order."""
    return [
        js(r)["response"]["result"]["invoice"]["invoice_number"] if r.status == 200 else None
        for r in results
    ]


async def test_the_numbering_race_lasts_one_turn_of_the_event_loop(sb: Sandbox) -> None:
    # Creates started in one turn choose the same number; the next turn's creates number
    # from the winner's.
    first = await asyncio.gather(*(call(sb, "POST", INV, invoice()) for _ in range(3)))
    assert numbers_of(first) == ["0000001", None, None]
    await asyncio.sleep(0)  # the next turn
    second = await asyncio.gather(*(call(sb, "POST", INV, invoice()) for _ in range(2)))
    assert numbers_of(second) == ["0000002", None]
    assert all(json.loads(r.body)["response"]["errors"][0]["errno"] == 409 for r in second[1:])
    assert [entry.invoice_number for entry in sb.ledger] == ["0000001", "0000002"]


async def test_a_task_numbers_from_its_own_creates_within_a_turn(sb: Sandbox) -> None:
    # One task's creates follow each other: none races the task's own earlier ones.
    async def three() -> list[Response]:
        return [await call(sb, "POST", INV, invoice()) for _ in range(3)]

    assert numbers_of(await three()) == ["0000001", "0000002", "0000003"]
    # Beside another task's create started with its first: that one races the first.
    mine, other = await asyncio.gather(three(), call(sb, "POST", INV, invoice()))
    assert numbers_of(mine) == ["0000004", "0000005", "0000006"]
    assert other.status == 409


async def test_an_explicit_number_taken_in_this_turn_is_a_409_and_earlier_a_400(
    sb: Sandbox,
) -> None:
    await call(sb, "POST", INV, invoice(invoice_number="0000005"))
    await asyncio.sleep(0)
    # A server-numbered create of the same turn as an explicit 0000006 picks 0000006
    # too: a collision (409); the explicit 0000005 was taken a turn before (400).
    results = await asyncio.gather(
        call(sb, "POST", INV, invoice(invoice_number="0000006")),
        call(sb, "POST", INV, invoice()),
        call(sb, "POST", INV, invoice(invoice_number="0000005")),
        call(sb, "POST", INV, invoice(invoice_number="0000006")),
    )
    assert [r.status for r in results] == [200, 409, 400, 409]
    assert "'0000006' was taken" in js(results[1])["response"]["errors"][0]["message"]
    assert js(results[2])["response"]["errors"][0]["errno"] == 1029
    assert [entry.invoice_number for entry in sb.ledger] == ["0000005", "0000006"]


async def test_a_turn_race_does_not_cross_accounts(sb: Sandbox) -> None:
    other = sb.add_business(name="Other Co", default_client=True)
    results = await asyncio.gather(
        call(sb, "POST", INV, invoice()),
        call(sb, "POST", f"/accounting/account/{other.account_id}/invoices/invoices", invoice()),
    )
    assert numbers_of(results) == ["0000001", "0000001"]


async def test_concurrent_creates_collide_with_409_and_ledger_counts(sb: Sandbox) -> None:
    sb.processing_latency = 0.05
    results = await asyncio.gather(
        *[
            call(sb, "POST", INV, invoice(), headers={"X-Client-Reference": f"ref-{i}"})
            for i in range(10)
        ]
    )
    statuses = sorted(r.status for r in results)
    assert statuses.count(200) == 1
    assert statuses.count(409) == 9
    conflict = js(next(r for r in results if r.status == 409))["response"]["errors"][0]
    assert conflict["errno"] == 409
    assert "Conflict" in conflict["message"]
    assert sb.stats.max_concurrent_invoice_creates["ACC001"] == 10
    summary = sb.ledger_summary()
    assert summary["created"] == 1
    assert summary["duplicated_references"] == []
    listed = js(await call(sb, "GET", INV))["response"]["result"]
    assert listed["total"] == 1


async def test_conflict_fault_creates_nothing(sb: Sandbox) -> None:
    sb.configure_faults(["conflict:count=1"])
    assert (await call(sb, "POST", INV, invoice())).status == 409
    assert (await call(sb, "POST", INV, invoice())).status == 200
    assert sb.fault_counts() == {"conflict": 1}
    assert len(sb.ledger) == 1


# ------------------------------------------------------------------ pagination & filters


async def test_pagination_rules() -> None:
    sb = Sandbox(seed_invoices=250)
    body = js(await call(sb, "GET", f"{INV}?per_page=500&page=0"))["response"]["result"]
    assert (body["page"], body["per_page"], body["pages"], body["total"]) == (1, 100, 3, 250)
    assert len(body["invoices"]) == 100
    past = js(await call(sb, "GET", f"{INV}?per_page=100&page=9"))["response"]["result"]
    assert past["invoices"] == []
    assert past["total"] == 250
    bad = await call(sb, "GET", f"{INV}?page=abc")
    assert bad.status == 400
    assert js(bad)["response"]["errors"][0]["errno"] == 1014
    bad = await call(sb, "GET", f"{INV}?per_page=x")
    assert js(bad)["response"]["errors"][0]["errno"] == 1013
    bad = await call(sb, "GET", "/projects/business/1/projects?page=x")
    assert bad.status == 422
    assert js(bad)["errno"] == 2001


async def test_list_filters_use_freshbooks_names() -> None:
    """``search[<field>ids][]`` are FreshBooks' list filters: statusids matches the
    status, customerids the customer, invoiceids the invoice's own id; any other
    ``[]`` filter (``v3_status``) is a FilterErrorList, not a filter on "v3_statu"."""
    sb = Sandbox(clock=FakeClock(), seed=3, seed_invoices=60, seed_clients=4)
    for n in range(6):
        expense = {
            "amount": {"amount": "10.00", "code": "USD"},
            "categoryid": 1,
            "staffid": 1,
            "date": "2024-01-01",
            "clientid": 1 + n % 3,
        }
        created = await call(sb, "POST", f"{ACC}/expenses/expenses", {"expense": expense})
        assert created.status == 200, created.body
    every = js(await call(sb, "GET", f"{INV}?per_page=100"))["response"]["result"]["invoices"]

    async def ids(path: str, query: str, key: str = "invoices") -> list[int]:
        resp = await call(sb, "GET", f"{path}?per_page=100&{query}")
        assert resp.status == 200, resp.body
        return sorted(i["id"] for i in js(resp)["response"]["result"][key])

    statuses = sorted({i["status"] for i in every})
    assert len(statuses) >= 2
    want = statuses[:2]
    assert await ids(INV, "&".join(f"search[statusids][]={s}" for s in want)) == sorted(
        i["id"] for i in every if i["status"] in want
    )
    assert await ids(INV, "search[customerids][]=2&search[customerids][]=3") == sorted(
        i["id"] for i in every if i["customerid"] in (2, 3)
    )
    assert await ids(INV, "search[invoiceids][]=4&search[invoiceids][]=9") == [4, 9]
    bad = await call(sb, "GET", f"{INV}?search[v3_status][]=sent")
    assert bad.status == 400
    (error,) = js(bad)["response"]["errors"]
    assert error["errno"] == 1034
    assert error["field"] == "v3_status"
    # On expenses, clientids is the expense's client (not the expense's own id).
    path = f"{ACC}/expenses/expenses"
    expenses = js(await call(sb, "GET", f"{path}?per_page=100"))["response"]["result"]["expenses"]
    clients = sorted({e["clientid"] for e in expenses if e.get("clientid")})
    assert clients
    assert await ids(path, f"search[clientids][]={clients[0]}", "expenses") == sorted(
        e["id"] for e in expenses if e.get("clientid") == clients[0]
    )
    assert await ids(path, "search[expenseids][]=2&search[expenseids][]=5", "expenses") == [2, 5]


@pytest.mark.parametrize(
    ("since", "found"),
    [
        ("2026-12-04T20:00:50+11:00", 4),
        ("2026-12-04T20:00:51+11:00", 0),
        ("2026-12-04T04:00:50-05:00", 4),
        ("2026-12-04T09:00:50Z", 4),
        ("2026-12-04T09:00:51", 0),  # no offset: UTC
    ],
)
async def test_updated_since_honours_the_offset(since: str, found: int) -> None:
    sb = Sandbox(clock=FakeClock(1796374850.0))  # 2026-12-04 09:00:50 UTC
    sb.seed_data(projects=4)
    query = urlencode({"updated_since": since})
    resp = await call(sb, "GET", f"/projects/business/{sb.default_business.id}/projects?{query}")
    assert resp.status == 200, resp.body
    assert len(js(resp)["projects"]) == found


async def test_accounting_filters_sort_and_include(sb: Sandbox) -> None:
    for i, amount in enumerate(("10", "20", "30")):
        await call(
            sb,
            "POST",
            INV,
            invoice(
                create_date=f"2024-01-0{i + 1}",
                notes=f"note {i}",
                lines=[{"qty": 1, "unit_cost": {"amount": amount, "code": "USD"}}],
            ),
        )

    async def numbers(query: str) -> list[str]:
        resp = await call(sb, "GET", f"{INV}?{query}")
        assert resp.status == 200, resp.body
        return [i["invoice_number"] for i in js(resp)["response"]["result"]["invoices"]]

    assert await numbers("") == ["0000003", "0000002", "0000001"]
    assert await numbers("search[invoice_number]=0000002") == ["0000002"]
    assert await numbers("search[invoiceids][]=1&search[invoiceids][]=3") == ["0000003", "0000001"]
    assert await numbers("search[notes_like]=NOTE 1") == ["0000002"]
    assert await numbers("search[total_min]=20&search[total_max]=30") == ["0000002"]
    assert await numbers("search[date_min]=2024-01-02") == ["0000003", "0000002"]
    assert await numbers("sort=invoice_number_asc") == ["0000001", "0000002", "0000003"]
    bad = await call(sb, "GET", f"{INV}?search[date_min]=yesterday")
    assert js(bad)["response"]["errors"][0]["errno"] == 1023
    resp = await call(sb, "GET", f"{INV}?include[]=lines")
    lines = js(resp)["response"]["result"]["invoices"][0]["lines"]
    assert lines[0]["amount"] == {"amount": "30.00", "code": "USD"}


async def test_vis_state_soft_delete_archive_and_put_precedence(sb: Sandbox) -> None:
    created = js(await call(sb, "POST", f"{ACC}/users/clients", {"client": {"fname": "A"}}))
    cid = created["response"]["result"]["client"]["id"]
    # A PUT carrying vis_state ignores its other fields (DOCS:active_deleted).
    resp = await call(
        sb, "PUT", f"{ACC}/users/clients/{cid}", {"client": {"vis_state": 2, "fname": "ignored"}}
    )
    client = js(resp)["response"]["result"]["client"]
    assert (client["vis_state"], client["fname"]) == (2, "A")
    listed = js(await call(sb, "GET", f"{ACC}/users/clients"))["response"]["result"]
    assert listed["total"] == 2  # archived objects are listed by default (+ default client 1)
    await call(sb, "PUT", f"{ACC}/users/clients/{cid}", {"client": {"vis_state": 1}})
    assert js(await call(sb, "GET", f"{ACC}/users/clients"))["response"]["result"]["total"] == 1
    deleted = await call(sb, "GET", f"{ACC}/users/clients?search[vis_state]=1")
    assert js(deleted)["response"]["result"]["total"] == 1
    resp = await call(sb, "PUT", f"{ACC}/users/clients/{cid}", {"client": {"fname": "B"}})
    assert js(resp)["response"]["errors"][0]["errno"] == 1011
    # Invoices: both documented delete forms work.
    a = js(await call(sb, "POST", INV, invoice()))["response"]["result"]["invoice"]["id"]
    b = js(await call(sb, "POST", INV, invoice()))["response"]["result"]["invoice"]["id"]
    assert (
        js(await call(sb, "DELETE", f"{INV}/{a}"))["response"]["result"]["invoice"]["vis_state"]
        == 1
    )
    await call(sb, "PUT", f"{INV}/{b}", {"invoice": {"vis_state": 1}})
    assert js(await call(sb, "GET", INV))["response"]["result"]["total"] == 0


@pytest.mark.parametrize(
    ("raw", "errno", "field"),
    [
        (b"{not json", 1005, None),
        (b"[" * 100_000 + b"]" * 100_000, 1005, None),
        (b'{"other": {}}', 1001, "invoice"),
        (b'{"invoice": []}', 1004, "invoice"),
        (b'{"invoice": {"create_date": "2024-01-01"}}', 1001, "customerid"),
        (b'{"invoice": {"customerid": "x", "create_date": "2024-01-01"}}', 1015, "customerid"),
        (b'{"invoice": {"customerid": 1, "create_date": "soon"}}', 1033, "create_date"),
        (b'{"invoice": {"customerid": 1, "create_date": "2024-01-01", "bogus": 1}}', 1006, "bogus"),
    ],
)
async def test_bad_input_gets_accounting_errors(
    sb: Sandbox, raw: bytes, errno: int, field: str | None
) -> None:
    resp = await call(sb, "POST", INV, raw=raw, headers={"Content-Type": "application/json"})
    assert resp.status == 400
    err = js(resp)["response"]["errors"][0]
    assert (err["errno"], err["field"]) == (errno, field)


async def test_control_endpoint_refuses_json_nested_too_deeply(sb: Sandbox) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    resp = await call(sb, "POST", "/_sandbox/faults", raw=deep)
    assert resp.status == 400
    assert js(resp) == {"error": "body must be JSON"}


async def test_oversized_body_and_family_error_shapes(sb: Sandbox) -> None:
    sb.max_body_bytes = 100
    resp = await call(sb, "POST", INV, raw=b"x" * 200)
    assert resp.status == 413
    assert js(resp)["response"]["errors"][0]["errno"] == 1017
    sb.max_body_bytes = 10**6
    bad = await call(sb, "POST", "/projects/business/1/project", {"project": {}})
    assert bad.status == 422
    assert js(bad) == {"errno": 2001, "error": {"title": "field required"}}
    bad = await call(
        sb,
        "POST",
        "/events/account/ACC001/events/callbacks",
        {"callback": {"event": "nope", "uri": "not a url"}},
    )
    assert bad.status == 422
    assert js(bad)["details"] == [
        "event: Value error, Unrecognized event.",
        "uri: Input should be a valid URL, relative URL without a base",
    ]
    uuid = sb.default_business.uuid
    bad = await call(
        sb, "POST", f"/accounting/businesses/{uuid}/ledger_accounts/accounts", {"data": {}}
    )
    assert bad.status == 400
    assert js(bad)["errors"]["details"][0]["metadata"]["field"] == "name"


# ------------------------------------------------------------------ auth


async def test_auth_failures_per_family(sb: Sandbox) -> None:
    cases: dict[str, Callable[[Any], bool]] = {
        f"{ACC}/users/clients": lambda b: b["response"]["errors"][0]["errno"] == 401,
        "/projects/business/1/projects": lambda b: "could not verify" in b["message"],
        "/events/account/ACC001/events/callbacks": lambda b: b["message"].startswith(
            "invalid_token"
        ),
        "/auth/api/v1/users/me": lambda b: b["error"] == "unauthenticated",
    }
    for path, check in cases.items():
        resp = await sb.handle(Request(method="GET", url=BASE + path))
        assert resp.status == 401, path
        assert check(js(resp)), path
    short = sb.issue_token(expires_in=10)
    assert (await call(sb, "GET", INV, token=short)).status == 200
    assert isinstance(sb.clock, FakeClock)
    sb.clock.advance(11)
    assert (await call(sb, "GET", INV, token=short)).status == 401
    narrow = sb.issue_token(scopes=["user:clients:read"])
    resp = await call(sb, "GET", INV, token=narrow)
    assert resp.status == 403
    assert "user:invoices:read" in js(resp)["response"]["errors"][0]["message"]
    assert (await call(sb, "GET", f"{ACC}/users/clients", token=narrow)).status == 200


async def test_oauth_code_refresh_rotation_and_revoke(sb: Sandbox) -> None:
    resp = await sb.handle(
        Request(
            method="GET",
            url=BASE + "/oauth/authorize?client_id=sandbox-client-id"
            "&response_type=code&redirect_uri=https://app.test/cb&state=xyz",
        )
    )
    assert resp.status == 302
    location = resp.headers["Location"]
    params = dict(parse_qsl(location.split("?", 1)[1]))
    assert params["state"] == "xyz"
    assert location.startswith("https://app.test/cb?")
    creds = {
        "client_id": sb.client_id,
        "client_secret": sb.client_secret,
        "redirect_uri": "https://app.test/cb",
    }
    tok = js(
        await call(
            sb,
            "POST",
            "/auth/oauth/token",
            {"grant_type": "authorization_code", "code": params["code"], **creds},
        )
    )
    assert tok["expires_in"] == 43200
    assert tok["token_type"] == "Bearer"
    assert (await call(sb, "GET", "/auth/api/v1/users/me", token=tok["access_token"])).status == 200
    again = await call(
        sb,
        "POST",
        "/auth/oauth/token",
        {"grant_type": "authorization_code", "code": params["code"], **creds},
    )
    assert again.status == 400
    assert js(again)["error"] == "invalid_grant"
    new = js(
        await call(
            sb,
            "POST",
            "/auth/oauth/token",
            {"grant_type": "refresh_token", "refresh_token": tok["refresh_token"], **creds},
        )
    )
    reuse = await call(
        sb,
        "POST",
        "/auth/oauth/token",
        {"grant_type": "refresh_token", "refresh_token": tok["refresh_token"], **creds},
    )
    assert reuse.status == 400
    assert js(reuse)["error"] == "invalid_grant"
    form = f"client_id={sb.client_id}&client_secret={sb.client_secret}&token={new['refresh_token']}"
    revoked = await call(
        sb,
        "POST",
        "/auth/oauth/revoke",
        raw=form.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert revoked.status == 200
    assert js(revoked) == {}
    assert (await call(sb, "GET", "/auth/api/v1/users/me", token=new["access_token"])).status == 401
    me = js(await call(sb, "GET", "/auth/api/v1/users/me"))["response"]
    business = me["business_memberships"][0]["business"]
    assert (business["id"], business["account_id"]) == (1, "ACC001")


# ------------------------------------------------------------------ webhooks & uploads


async def _ok(url: str, headers: dict[str, str], body: bytes) -> int:
    return 200


async def test_webhook_handshake_and_signed_events(sb: Sandbox) -> None:
    sb._deliver = _ok
    resp = await call(
        sb,
        "POST",
        "/events/account/ACC001/events/callbacks",
        {"callback": {"event": "invoice", "uri": "https://hooks.test/fb"}},
    )
    cb = js(resp)["response"]["result"]["callback"]
    await sb.drain()
    verify = dict(parse_qsl(sb.deliveries[0]["body"]))
    assert verify["name"] == "callback.verify"
    path = f"/events/account/ACC001/events/callbacks/{cb['callbackid']}"
    wrong = await call(sb, "PUT", path, {"callback": {"verifier": "nope"}})
    assert wrong.status == 422
    await call(sb, "PUT", path, {"callback": {"resend": True}})
    await sb.drain()
    assert len(sb.deliveries) == 2
    ok = await call(sb, "PUT", path, {"callback": {"verifier": verify["verifier"]}})
    assert js(ok)["response"]["result"]["callback"]["verified"] is True
    await call(sb, "POST", INV, invoice())
    await sb.drain()
    event = sb.deliveries[-1]
    fields = dict(parse_qsl(event["body"]))
    assert fields["name"] == "invoice.create"
    assert fields["account_id"] == "ACC001"
    expected = base64.b64encode(
        hmac.new(verify["verifier"].encode(), json.dumps(fields).encode(), hashlib.sha256).digest()
    )
    assert event["headers"]["X-FreshBooks-Hmac-SHA256"] == expected.decode()


async def test_upload_and_download_round_trip(sb: Sandbox) -> None:
    boundary = "XyZ"
    payload = bytes(range(256)) * 4
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="content"; '
            f'filename="logo.png"\r\nContent-Type: image/png\r\n\r\n'
        ).encode()
        + payload
        + (f"\r\n--{boundary}--\r\n").encode()
    )
    resp = await call(
        sb,
        "POST",
        "/uploads/account/ACC001/images",
        raw=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    up = js(resp)
    jwt = up["image"]["jwt"]
    assert up["link"].endswith(jwt)
    got = await call(sb, "GET", f"/uploads/images/{jwt}")
    assert got.body == payload
    assert got.content_type == "image/png"
    assert (await call(sb, "GET", "/uploads/attachments/nope")).status == 404


async def test_pdf_and_share_link(sb: Sandbox) -> None:
    iid = js(await call(sb, "POST", INV, invoice()))["response"]["result"]["invoice"]["id"]
    pdf = await call(sb, "GET", f"{INV}/{iid}/pdf")
    assert pdf.body.startswith(b"%PDF-1.4")
    assert pdf.body.rstrip().endswith(b"%%EOF")
    assert make_pdf("x").count(b"obj") >= 5
    early = await call(sb, "GET", f"{INV}/{iid}/share_link?share_method=share_link")
    assert early.status == 400
    await call(sb, "PUT", f"{INV}/{iid}", {"invoice": {"action_mark_as_sent": True}})
    link = js(await call(sb, "GET", f"{INV}/{iid}/share_link?share_method=share_link"))
    assert link["response"]["result"]["share_link"]["share_link"].startswith(BASE)


# ------------------------------------------------------------------ faults


def test_fault_grammar() -> None:
    rule = parse_fault(
        "reset_after_commit:rate=0.05:route=POST /accounting/account/*/invoices/invoices"
    )
    assert (rule.kind, rule.rate, rule.method) == ("reset_after_commit", 0.05, "POST")
    assert rule.matches("POST", "/accounting/account/A1/invoices/invoices")
    assert not rule.matches("GET", "/accounting/account/A1/invoices/invoices")
    for bad in ("boom", "429:rate=2", "429:nope=1", "429:rate", "5xx:status=404", "rate_limit"):
        with pytest.raises(ValueError, match="spec"):
            parse_fault(bad)
    with pytest.raises(TypeError):
        parse_fault(3)  # type: ignore[arg-type]


async def test_429_burst_retry_after_and_5xx(sb: Sandbox) -> None:
    sb.configure_faults(["429:count=2:burst=2:retry_after=7", "503:count=1"])
    first, second, third, fourth = [await call(sb, "GET", INV) for _ in range(4)]
    assert (first.status, second.status) == (429, 429)
    assert first.headers["Retry-After"] == "7"
    assert third.status == 503
    assert fourth.status == 200
    sb.configure_faults(["429:count=1:retry_after=date:retry_after_s=30"])
    dated = await call(sb, "GET", INV)
    assert dated.headers["Retry-After"].endswith("GMT")
    assert sb.fault_counts() == {"429": 3, "503": 1}


async def test_retry_after_date_counts_from_when_the_answer_leaves() -> None:
    clock = FakeClock()  # its sleeps move its time
    fault = "429:count=1:retry_after=date:retry_after_s=2"
    sb = Sandbox(clock=clock, latency_ms=1500, faults=[fault])
    before = clock.time()
    answer = await call(sb, "GET", INV)
    assert answer.status == 429
    assert clock.time() - before == 1.5  # the latency was slept before the answer left
    ahead = email.utils.parsedate_to_datetime(answer.headers["Retry-After"]).timestamp()
    assert 1 < ahead - clock.time() <= 2  # whole seconds in an HTTP date


async def test_rate_limit_per_token(sb: Sandbox) -> None:
    sb.configure_faults(["rate_limit:limit=2:window=1"])
    other = sb.issue_token()
    statuses = [(await call(sb, "GET", INV)).status for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert (await call(sb, "GET", INV, token=other)).status == 200
    assert isinstance(sb.clock, FakeClock)
    sb.clock.advance(1.5)
    assert (await call(sb, "GET", INV)).status == 200


async def test_resets_truncation_and_malformed_in_process(sb: Sandbox) -> None:
    sb.configure_faults(["reset_before:count=1"])
    with pytest.raises(ServerDisconnectedError):
        await call(sb, "POST", INV, invoice())
    assert sb.ledger == []
    sb.configure_faults(["reset_after_commit:count=1"])
    with pytest.raises(ServerDisconnectedError):
        await call(sb, "POST", INV, invoice(), headers={"X-Client-Reference": "r1"})
    assert [e.client_reference for e in sb.ledger] == ["r1"]  # the ambiguous case
    sb.configure_faults(["truncate:count=1"])
    with pytest.raises(ReadError):
        await call(sb, "GET", INV)
    sb.configure_faults(["malformed:count=1"])
    bad = await call(sb, "GET", INV)
    with pytest.raises(json.JSONDecodeError):
        json.loads(bad.body)


async def test_latency_and_hang_use_the_clock() -> None:
    clock = FakeClock()
    sb = Sandbox(clock=clock, latency_ms=100, faults=["hang:count=1:seconds=5"])
    await call(sb, "GET", INV)
    assert clock.sleeps[:2] == [5.0, 0.1]  # the hang before processing, the latency after
    sb.configure_faults(["hang:count=1"])
    task = asyncio.ensure_future(call(sb, "GET", INV))
    await asyncio.sleep(0.01)
    assert not task.done()
    await sb.aclose()
    assert (await task).status == 200


class HeldClock(FakeClock):
    """A fake clock whose non-zero sleeps last until :attr:`gate` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        if seconds:
            self.sleeps.append(seconds)
            await self.gate.wait()


@pytest.mark.parametrize("fault", [None, "reset_after_commit:count=1", "503:count=1"])
async def test_latency_holds_the_answer_back_after_processing(fault: str | None) -> None:
    """The request is processed on arrival; the latency delays only its answer, which is
    counted in ``stats.statuses`` when it leaves."""
    clock = HeldClock()
    sb = Sandbox(clock=clock, latency_ms=40, seed_clients=1, faults=[fault] if fault else [])
    request = Request(
        method="POST",
        url=BASE + INV,
        headers={"Authorization": f"Bearer {sb.token}", "Content-Type": "application/json"},
        body=json.dumps(invoice()).encode(),
    )
    task = asyncio.ensure_future(sb.process(request))
    for _ in range(5):
        await asyncio.sleep(0)
    assert not task.done()
    assert clock.sleeps == [0.04]
    assert len(sb.ledger) == (0 if fault and fault.startswith("503") else 1)
    assert sum(sb.stats.statuses.values()) == 0  # nothing has left yet
    clock.gate.set()
    outcome = await task
    expected = 503 if fault and fault.startswith("503") else 200
    assert outcome.response.status == expected
    assert outcome.action == ("reset" if fault and fault.startswith("reset") else None)
    assert dict(sb.stats.statuses) == {expected: 1}


def test_constructor_validates() -> None:
    with pytest.raises(ValueError, match="latency_ms"):
        Sandbox(latency_ms=-1)
    with pytest.raises(TypeError, match="seed"):
        Sandbox(seed="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="expires_in"):
        Sandbox().issue_token(expires_in=0)
    with pytest.raises(ValueError, match="unknown seed kind"):
        Sandbox().seed_data(widgets=3)


def test_seeding_is_deterministic_and_fast() -> None:
    import time

    a, b = Sandbox(seed=7), Sandbox(seed=7)
    start = time.perf_counter()
    a.seed_data(invoices=100_000, projects=3, time_entries=10, payments=5, expenses=5)
    assert time.perf_counter() - start < 10
    b.seed_data(invoices=100_000, projects=3, time_entries=10, payments=5, expenses=5)
    ta, tb = a.table("ACC001", "invoices"), b.table("ACC001", "invoices")
    assert len(ta) == 100_000
    assert ta.records[99_999].extras == tb.records[99_999].extras
    assert a.default_business.last_invoice_number == "0100000"


# ------------------------------------------------------------------ loopback


async def test_loopback_server_control_endpoints_and_faults() -> None:
    async with SandboxServer(seed_invoices=120) as server, aiohttp.ClientSession() as http:
        auth = {"Authorization": f"Bearer {server.token}"}
        async with http.get(f"{server.url}{INV}?per_page=100", headers=auth) as r:
            assert r.status == 200
            assert len((await r.json())["response"]["result"]["invoices"]) == 100
        async with http.post(
            f"{server.url}/_sandbox/faults", json={"faults": ["reset_after_commit:count=1"]}
        ) as r:
            assert r.status == 200
        with pytest.raises(aiohttp.ClientError):
            async with http.post(f"{server.url}{INV}", json=invoice(), headers=auth) as r:
                await r.read()
        async with http.post(
            f"{server.url}/_sandbox/faults", json={"faults": ["truncate:count=1"]}
        ):
            pass
        with pytest.raises(aiohttp.ClientError):
            async with http.get(f"{server.url}{INV}", headers=auth) as r:
                await r.read()
        async with http.get(f"{server.url}/_sandbox/ledger") as r:
            ledger = await r.json()
            assert ledger["summary"]["created"] == 1
        async with http.get(f"{server.url}/_sandbox/stats") as r:
            stats = await r.json()
            assert stats["faults"] == {"reset_after_commit": 1, "truncate": 1}
            assert stats["connections"] >= 1
        async with http.post(f"{server.url}/_sandbox/seed", json={"clients": 3}) as r:
            assert (await r.json())["created"] == {"clients": 3}
        async with http.post(f"{server.url}/_sandbox/reset") as r:
            new_token = (await r.json())["token"]
        async with http.get(
            f"{server.url}{INV}", headers={"Authorization": f"Bearer {new_token}"}
        ) as r:
            assert (await r.json())["response"]["result"]["total"] == 0


async def test_loopback_concurrent_creates_really_collide() -> None:
    async with SandboxServer(processing_latency=0.02) as server, aiohttp.ClientSession() as http:
        auth = {"Authorization": f"Bearer {server.token}"}

        async def create(i: int) -> int:
            async with http.post(
                f"{server.url}{INV}", json=invoice(), headers={**auth, "X-Client-Reference": str(i)}
            ) as r:
                await r.read()
                return r.status

        statuses = await asyncio.gather(*[create(i) for i in range(8)])
        assert 409 in statuses
        assert 200 in statuses
        assert server.sandbox.ledger_summary()["created"] == statuses.count(200)
        assert server.sandbox.ledger_summary()["duplicate_numbers"] == []


async def test_include_does_not_hide_a_stored_presentation() -> None:
    # Regression: include[]=presentation used to overwrite the presentation set by a PUT.
    sb = Sandbox()
    path = "/accounting/account/ACC001/invoices/invoices"
    created = await sb.handle(
        Request(
            method="POST",
            url=f"https://api.freshbooks.com{path}",
            headers={"Authorization": f"Bearer {sb.token}"},
            body=b'{"invoice": {"customerid": 1, "create_date": "2024-01-01"}}',
        )
    )
    invoice_id = json.loads(created.body)["response"]["result"]["invoice"]["id"]
    logo = {"image_logo_src": "/uploads/images/jwt"}
    await sb.handle(
        Request(
            method="PUT",
            url=f"https://api.freshbooks.com{path}/{invoice_id}",
            headers={"Authorization": f"Bearer {sb.token}"},
            body=json.dumps({"invoice": {"presentation": logo}}).encode(),
        )
    )
    got = await sb.handle(
        Request(
            method="GET",
            url=f"https://api.freshbooks.com{path}/{invoice_id}?include%5B%5D=presentation",
            headers={"Authorization": f"Bearer {sb.token}"},
        )
    )
    assert json.loads(got.body)["response"]["result"]["invoice"]["presentation"] == logo


@pytest.mark.parametrize("base", [1_700_000_000, 1_710_054_000, 1_730_613_600, -86_400, 0])
def test_accounting_times_read_as_the_uncached_formatting_gives(base: int) -> None:
    """accounting_time keeps the text of the last second it formatted: every fraction of
    a second (those that round up to the next second included), around the US/Eastern
    DST changes of 2024 and before 1970, reads as formatting it afresh would."""
    import datetime as dt
    import random

    from freshbooks_async.sandbox import _objects

    rng = random.Random(base)
    fractions = [0.0, 0.25, 0.5, 0.998, 0.999, 0.9995, 0.9999994, 0.9999996, 1e-7]
    for second in range(base - 3, base + 4):
        for fraction in [*fractions, *(rng.random() for _ in range(5))]:
            ts = second + fraction
            expected = dt.datetime.fromtimestamp(ts, _objects._EASTERN)
            assert _objects.accounting_time(ts) == expected.isoformat(" ", "seconds")[:19], ts


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("104.50", "104.50"),
        (" 7 ", "7"),
        (3, "3"),
        (2.5, "2.5"),
        ({"amount": "9.99", "code": "USD"}, "9.99"),
        ({"amount": 4}, "4"),
        (True, None),
        (None, None),
        ("NaN", None),
        ("Infinity", None),
        ("abc", None),
        ({"amount": None}, None),
        ({"amount": {"amount": "5"}}, None),  # a money object's amount is read once
        ([1], None),
    ],
)
def test_sandbox_numbers_read_as_decimals_or_refuse(value: object, expected: str | None) -> None:
    from decimal import Decimal

    from freshbooks_async.sandbox._objects import dec

    if expected is not None:
        assert dec(value) == Decimal(expected)
        return
    try:
        got = dec(value)
    except ValueError:  # (its message is the value, whatever it is)
        return
    pytest.fail(f"dec({value!r}) gave {got!r}, expected ValueError")
