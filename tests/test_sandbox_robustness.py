"""The sandbox as a service: bad input never half-commits and never answers 500.

Over real HTTP on loopback (raw aiohttp requests and raw sockets where the SDK would
refuse to send the input), plus a property test in process: whatever a request that is
refused (4xx) or fails (5xx) did, the store is as it was before.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import importlib
import io
import json
import logging
import pkgutil
import socket
import struct
from collections.abc import AsyncIterator, Iterator
from types import ModuleType
from typing import Any
from unittest import mock

import aiohttp
import pytest
import yarl
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freshbooks_async._catalogue import Family, endpoints
from freshbooks_async._clock import FakeClock
from freshbooks_async.sandbox import Sandbox, SandboxServer, _handlers, web_app
from freshbooks_async.sandbox._errors import family_of_path
from freshbooks_async.sandbox._web import _ClientGone, _copy_headers, _handler
from freshbooks_async.transports import Headers, Request, Response

ACC = "/accounting/account/ACC001"
CLIENTS = f"{ACC}/users/clients"
INVOICES = f"{ACC}/invoices/invoices"


# ----------------------------------------------------------------------------- helpers

HANDLER_MODULES = [
    importlib.import_module(f"{_handlers.__name__}.{m.name}")
    for m in pkgutil.iter_modules(_handlers.__path__)
]


def bound_in(name: str) -> list[ModuleType]:
    """The handler modules that bind ``name``: where it is defined and where it is
    imported. A function replaced in all of them is replaced for every handler."""
    modules = [m for m in HANDLER_MODULES if hasattr(m, name)]
    assert len(modules) > 1, (name, modules)  # defined in one module, called from others
    return modules


def state(sb: Sandbox) -> Any:
    """Everything a request may change, as plain comparable data."""
    tables = {
        key: (
            table.next_id,
            [
                (r.id, copy.deepcopy(r.data), copy.deepcopy(r.extras), r.deleted)
                for r in table.records.values()
            ],
        )
        for key, table in sb.tables.items()
        if len(table) or table.next_id != 1  # tables are created empty on first access
    }
    businesses = sorted(
        (b.id, b.account_id, b.uuid, b.name, b.last_invoice_number, sorted(b.invoice_numbers))
        for b in sb.businesses.values()
    )
    return {
        "tables": tables,
        "businesses": businesses,
        "accounts": sorted(sb.accounts),
        "ledger": [e.to_json() for e in sb.ledger],
        "tokens": sorted((t, i.revoked) for t, i in sb.tokens.items()),
        "refresh": sorted(sb.refresh_tokens),
        "used_refresh": sorted(sb.used_refresh_tokens),
        "codes": sorted(sb.auth_codes),
        "uploads": sorted(sb.uploads),
        "background": len(sb._background),
        "deliveries": len(sb.deliveries),
    }


def is_family_shaped(path: str, status: int, body: Any) -> bool:
    """A FreshBooks error body of the family ``path`` belongs to."""
    family = family_of_path(path)
    if family is Family.ACCOUNTING:
        errors = body["response"]["errors"]
        return bool(errors) and all("errno" in e and "message" in e for e in errors)
    if family is Family.ACCOUNTING_BUSINESS:
        return bool(body["errors"]["status"] == status)
    if family is Family.EVENTS:
        return "errno" in body and "message" in body
    if family.is_project_like:
        return "error" in body or "message" in body
    if family in (Family.AUTH, Family.OAUTH):
        return "error" in body and "error_description" in body
    if family is Family.PAYMENTS:
        return "error_type" in body and "message" in body
    return "error" in body


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(seed_clients=3, seed_invoices=4) as srv:
        yield srv


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def auth(server: SandboxServer) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token}", "Content-Type": "application/json"}


async def raw_exchange(server: SandboxServer, head: bytes, body: bytes = b"") -> bytes:
    """Send ``head`` (request line and headers, no final blank line) over a raw socket."""
    port = int(server.url.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head + b"\r\nConnection: close\r\n\r\n" + body)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()
        await writer.wait_closed()


def split(answer: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


# ----------------------------------------------------------------------------- item 11


async def test_a_lone_surrogate_is_refused_and_nothing_is_committed(
    server: SandboxServer, http: aiohttp.ClientSession
) -> None:
    before = state(server.sandbox)
    async with http.post(
        server.url + CLIENTS, data=b'{"client": {"fname": "\\ud800"}}', headers=auth(server)
    ) as r:
        assert r.status == 400
        error = (await r.json())["response"]["errors"][0]
    assert (error["errno"], error["field"], error["value"]) == (1005, "client.fname", "\\ud800")
    assert "lone UTF-16 surrogate" in error["message"]
    assert state(server.sandbox) == before
    async with http.get(server.url + CLIENTS, headers=auth(server)) as r:
        assert r.status == 200  # used to be 500 until a reset
        assert (await r.json())["response"]["result"]["total"] == len(
            server.sandbox.table("ACC001", "clients")
        )


@pytest.mark.parametrize(
    "body",
    [
        b'{"client": {"fname": "\xed\xa0\x80"}}',  # a lone surrogate, encoded in UTF-8 bytes
        '{"client": {"fname": "\ud800"}}'.encode("utf-16", "surrogatepass"),  # in UTF-16
        b'{"client": {"fname": "\xff"}}',  # not UTF-8 at all
    ],
    ids=["utf-8 encoded surrogate", "utf-16 encoded surrogate", "invalid utf-8"],
)
async def test_a_body_that_is_not_valid_unicode_is_malformed(
    server: SandboxServer, http: aiohttp.ClientSession, body: bytes
) -> None:
    # The encoded surrogates were decoded as json.loads(bytes) decodes them (letting a
    # surrogate through), and the create then answered a 500 when it rendered the name.
    before = state(server.sandbox)
    async with http.post(server.url + CLIENTS, data=body, headers=auth(server)) as r:
        assert r.status == 400
        error = (await r.json())["response"]["errors"][0]
    assert error["errno"] == 1005
    assert "malformed JSON" in error["message"]
    assert state(server.sandbox) == before


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32", "utf-8-sig"])
async def test_a_lone_surrogate_escape_is_refused_in_any_encoding(
    server: SandboxServer, http: aiohttp.ClientSession, encoding: str
) -> None:
    # The escape was looked for in the body's bytes, where UTF-16 and UTF-32 text hides
    # it: the create answered a 500 when it rendered the name.
    before = state(server.sandbox)
    body = '{"client": {"fname": "\\ud800"}}'.encode(encoding)
    async with http.post(server.url + CLIENTS, data=body, headers=auth(server)) as r:
        assert r.status == 400
        error = (await r.json())["response"]["errors"][0]
    assert (error["errno"], error["field"]) == (1005, "client.fname")
    assert "lone UTF-16 surrogate" in error["message"]
    assert state(server.sandbox) == before


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32-be"])
async def test_a_json_body_in_any_encoding_json_detects_is_read(
    server: SandboxServer, http: aiohttp.ClientSession, encoding: str
) -> None:
    body = json.dumps({"client": {"fname": "Zo\u00eb"}}, ensure_ascii=False).encode(encoding)
    async with http.post(server.url + CLIENTS, data=body, headers=auth(server)) as r:
        assert r.status == 200, await r.text()
        assert (await r.json())["response"]["result"]["client"]["fname"] == "Zo\u00eb"


async def test_a_sandbox_bug_answers_a_shaped_500_and_commits_nothing(
    server: SandboxServer,
    http: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sb = server.sandbox
    sb._deliver = _accept
    async with http.post(
        f"{server.url}/events/account/ACC001/events/callbacks",
        json={"callback": {"event": "invoice.create", "uri": "https://hooks.invalid/x"}},
        headers=auth(server),
    ) as r:
        assert r.status == 200
        callback = (await r.json())["response"]["result"]["callback"]
    sb.table("ACC001", "callbacks").get(callback["callbackid"]).data["verified"] = True  # type: ignore[union-attr]
    await sb.drain()
    before = state(sb)

    def broken(*args: Any) -> None:
        raise RuntimeError("a bug after the commit point")

    for module in bound_in("_acc_one"):  # the last step of every create
        monkeypatch.setattr(module, "_acc_one", broken)
    with caplog.at_level(logging.ERROR, logger="freshbooks_async.sandbox"):
        for path, body in (
            (INVOICES, {"invoice": {"customerid": 1, "create_date": "2024-01-01"}}),
            (CLIENTS, {"client": {"organization": "Acme"}}),
            (f"{ACC}/payments/payments", _payment(1)),
        ):
            async with http.post(server.url + path, json=body, headers=auth(server)) as r:
                assert r.status == 500
                assert r.content_type == "application/json"
                error = (await r.json())["response"]["errors"][0]
                assert error["message"] == "FreshAlchemyUnexpected: RuntimeError"
    assert "a bug after the commit point" in caplog.text
    await sb.drain()
    assert state(sb) == before  # no record, ledger entry, invoice number or webhook
    monkeypatch.undo()
    async with http.post(
        server.url + INVOICES,
        json={"invoice": {"customerid": 1, "create_date": "2024-01-01"}},
        headers=auth(server),
    ) as r:
        created = (await r.json())["response"]["result"]["invoice"]
    assert created["invoice_number"] == "0000005"  # the failed create left no gap
    assert created["id"] == 5


async def test_a_bug_in_the_web_adapter_is_a_shaped_500(
    server: SandboxServer, http: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(self: Sandbox, request: Request) -> None:
        raise KeyError("bug")

    monkeypatch.setattr(Sandbox, "process", broken)
    async with http.get(f"{server.url}/projects/business/1/projects", headers=auth(server)) as r:
        assert r.status == 500
        assert await r.json() == {"errno": 500, "error": "FreshAlchemyUnexpected: KeyError"}


async def _accept(url: str, headers: dict[str, str], body: bytes) -> int:
    return 200


def _payment(invoice_id: Any) -> dict[str, Any]:
    return {
        "payment": {
            "invoiceid": invoice_id,
            "amount": {"amount": "5.00"},
            "date": "2024-01-02",
            "type": "Check",
        }
    }


# Targets of the property test: (method, path, wrapper key, a valid object, its text
# fields, its numeric fields).
_TARGETS: list[tuple[str, str, str, dict[str, Any], list[str], list[str]]] = [
    (
        "POST",
        CLIENTS,
        "client",
        {"organization": "Acme", "email": "a@b.invalid"},
        ["fname", "lname", "organization", "note"],
        [],
    ),
    ("PUT", f"{CLIENTS}/2", "client", {"fname": "Ada"}, ["fname", "organization"], []),
    (
        "POST",
        INVOICES,
        "invoice",
        {"customerid": 1, "create_date": "2024-01-01"},
        ["notes", "terms", "po_number"],
        ["discount_value", "due_offset_days", "customerid"],
    ),
    ("PUT", f"{INVOICES}/1", "invoice", {}, ["notes", "address"], ["discount_value"]),
    ("POST", f"{ACC}/payments/payments", "payment", _payment(2)["payment"], ["note"], ["amount"]),
    (
        "POST",
        f"{ACC}/expenses/expenses",
        "expense",
        {"amount": {"amount": "3"}, "categoryid": 1, "staffid": 1, "date": "2024-01-01"},
        ["vendor", "notes"],
        ["amount", "taxPercent1"],
    ),
    (
        "POST",
        f"{ACC}/items/items",
        "item",
        {"name": "Widget"},
        ["name", "description"],
        ["unit_cost", "qty"],
    ),
    ("POST", f"{ACC}/estimates/estimates", "estimate", {"customerid": 1}, ["notes"], []),
    (
        "POST",
        "/projects/business/1/project",
        "project",
        {"title": "P"},
        ["title", "description"],
        ["budget"],
    ),
    ("PUT", "/projects/business/1/project/1", "project", {}, ["title"], ["budget"]),
    (
        "POST",
        "/timetracking/business/1/time_entries",
        "time_entry",
        {"duration": 60},
        ["note"],
        ["duration"],
    ),
    (
        "POST",
        "/events/account/ACC001/events/callbacks",
        "callback",
        {"event": "invoice.create", "uri": "https://hooks.invalid/x"},
        ["uri"],
        [],
    ),
    ("POST", "/comments/business/1/service", "service", {"name": "Design"}, ["name"], []),
]
_SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
_TEXT = st.text(st.characters(max_codepoint=0x2FF) | _SURROGATE, max_size=6)
_NUMBER = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1e30", "-1e30", "1e-30", "²", "٣", "NaN", "12.5", "7"]),
    st.fixed_dictionaries({"amount": st.sampled_from(["1e30", "2.50", "NaN", "x"])}),
)
_SCALAR = st.one_of(st.none(), st.booleans(), _NUMBER, _TEXT)
_JSON = st.recursive(
    _SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def bad_requests(draw: st.DrawFn) -> tuple[str, str, bytes]:
    """A write with a valid object made wrong (or not) in one to three places: text with
    lone surrogates, out-of-range numbers, values of the wrong type, unknown fields."""
    method, path, key, valid, texts, numbers = draw(st.sampled_from(_TARGETS))
    obj = dict(valid)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.integers(0, 9))
        if kind < 5 and texts:
            obj[draw(st.sampled_from(texts))] = draw(_TEXT)
        elif kind < 8 and numbers:
            obj[draw(st.sampled_from(numbers))] = draw(_NUMBER)
        else:
            obj[draw(st.sampled_from([*valid, *texts, *numbers, "lines", "bogus"]))] = draw(_JSON)
    if key in ("invoice", "estimate") and draw(st.booleans()):
        obj["lines"] = [
            {"name": draw(_TEXT), "qty": draw(_NUMBER), "unit_cost": {"amount": "1.5"}},
            {"qty": 1, "unit_cost": {"amount": draw(_NUMBER), "code": "USD"}},
        ]
    wrapper: Any = {key: obj} if draw(st.integers(0, 19)) else draw(_JSON)
    return method, path, json.dumps(wrapper).encode()  # surrogates as \udXXX escapes


def fresh_sandbox() -> Sandbox:
    sb = Sandbox(clock=FakeClock(), seed_clients=2, seed_invoices=2)
    sb.seed_data(projects=1)
    sb._deliver = _accept
    return sb


def _bug(*args: Any) -> None:
    raise RuntimeError("a sandbox bug after the commit point")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(bad_requests(), st.booleans())
def test_a_refused_or_failed_request_leaves_the_store_unchanged(
    case: tuple[str, str, bytes], buggy: bool
) -> None:
    """Bad bodies over several resources and families, with or without a sandbox bug
    striking after everything was committed (webhook emission, the last step of most
    writes): every 4xx and 5xx leaves the store exactly as it was; only a bug is a 500."""
    method, path, body = case
    sb = fresh_sandbox()
    before = state(sb)

    async def send() -> Response:
        response = await sb.handle(
            Request(
                method=method,
                url="https://api.freshbooks.com" + path,
                headers={"Authorization": f"Bearer {sb.token}", "Content-Type": "application/json"},
                body=body,
            )
        )
        await sb.drain()
        return response

    with contextlib.ExitStack() as bug:
        if buggy:
            for module in bound_in("emit"):
                bug.enter_context(mock.patch.object(module, "emit", _bug))
        logging.disable(logging.ERROR)  # the bug's traceback, logged by the sandbox
        try:
            response = asyncio.run(send())
        finally:
            logging.disable(logging.NOTSET)
    if response.status >= 400:
        assert state(sb) == before, (response.status, response.body)
        assert is_family_shaped(path, response.status, json.loads(response.body))
    else:
        json.loads(response.body)  # a success is always serialisable
    assert response.status < 500 or buggy, (response.status, response.body)


# ----------------------------------------------------------------------------- item 12


@pytest.mark.parametrize("bad_id", ["%C2%B2", "%D9%A3", "9" * 5000, "%ED%A0%80", "-1"])
async def test_ids_that_are_not_ascii_integers_are_404(
    server: SandboxServer, http: aiohttp.ClientSession, bad_id: str
) -> None:
    # "²".isdigit() and "٣".isdigit() are true; int("٣") is 3: neither names invoice 3.
    before = state(server.sandbox)
    for method, path in (
        ("GET", f"{INVOICES}/{bad_id}"),
        ("PUT", f"{CLIENTS}/{bad_id}"),
        ("DELETE", f"{INVOICES}/{bad_id}"),
        ("GET", f"/projects/business/1/projects/{bad_id}"),
        ("GET", f"/comments/business/{bad_id}/services"),
        ("GET", f"/payments/account/ACC001/invoice/{bad_id}/payment_options"),
    ):
        url = yarl.URL(server.url + path, encoded=True)
        async with http.request(method, url, json={}, headers=auth(server)) as r:
            assert r.status == 404, (method, path, await r.text())
            assert is_family_shaped(path, 404, await r.json())
    assert state(server.sandbox) == before


@pytest.mark.parametrize("host", [b"a b", b"[", b"x:99999", b"\xff\xfe", b"a/b"])
async def test_a_malformed_host_header_is_a_shaped_400(server: SandboxServer, host: bytes) -> None:
    head = f"GET {CLIENTS} HTTP/1.1\r\nAuthorization: Bearer {server.token}".encode()
    status, headers, body = split(await raw_exchange(server, head + b"\r\nHost: " + host))
    assert status == 400
    assert headers["content-type"] == "application/json"
    error = json.loads(body)["response"]["errors"][0]
    assert error["field"] == "Host"
    assert "Invalid Host header" in error["message"]


async def test_an_ipv6_host_header_is_served(server: SandboxServer) -> None:
    port = server.url.rsplit(":", 1)[1]
    head = f"GET {CLIENTS} HTTP/1.1\r\nHost: [::1]:{port}\r\nAuthorization: Bearer {server.token}"
    status, _, body = split(await raw_exchange(server, head.encode()))
    assert status == 200
    assert json.loads(body)["response"]["result"]["clients"]


async def test_expect_100_continue_gets_its_interim_answer_before_the_body(
    server: SandboxServer,
) -> None:
    """The sandbox serves requests without an aiohttp application (whose router answers
    ``Expect``), so it answers ``Expect: 100-continue`` itself: the client sends the body
    only after ``100 Continue`` (curl does so for large uploads)."""
    port = int(server.url.rsplit(":", 1)[1])
    body = json.dumps({"client": {"organization": "Expect Co"}}).encode()
    head = (
        f"POST {CLIENTS} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {server.token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
    )
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head.encode())
        await writer.drain()
        interim = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
        writer.write(body)
        await writer.drain()
        status, _, answer = split(await asyncio.wait_for(reader.read(), 10))
    finally:
        writer.close()
        await writer.wait_closed()
    assert status == 200
    assert json.loads(answer)["response"]["result"]["client"]["organization"] == "Expect Co"


async def test_an_unknown_expectation_is_a_shaped_417(server: SandboxServer) -> None:
    port = server.url.rsplit(":", 1)[1]
    head = (
        f"GET {CLIENTS} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {server.token}\r\nExpect: teapot"
    )
    status, headers, body = split(await raw_exchange(server, head.encode()))
    assert status == 417
    assert headers["content-type"] == "application/json"
    error = json.loads(body)["response"]["errors"][0]
    assert error["field"] == "Expect"
    assert "teapot" in error["message"]
    assert server.sandbox.stats.requests["GET <refused>"] == 1


@pytest.mark.parametrize("expect", [b"Expect:", b"Expect:   "])
async def test_an_empty_expectation_is_ignored(server: SandboxServer, expect: bytes) -> None:
    """An ``Expect`` header with no value asks for nothing: served, as an aiohttp
    application's router does (it looks only at a non-empty one)."""
    port = server.url.rsplit(":", 1)[1]
    head = (
        f"GET {CLIENTS} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {server.token}\r\n"
    ).encode()
    status, _, body = split(await raw_exchange(server, head + expect))
    assert status == 200
    assert json.loads(body)["response"]["result"]["clients"]


def test_answer_headers_go_out_once_per_name_framing_left_to_aiohttp() -> None:
    """One value per name (the last given, whatever the case) and never a framing header
    of the answer's own: aiohttp frames the body it writes."""
    out = web.StreamResponse()
    _copy_headers(Headers([("X-A", "1"), ("Retry-After", "2"), ("x-a", "3")]), out)
    assert out.headers.getall("X-A") == ["3"]
    assert out.headers["Retry-After"] == "2"
    out = web.StreamResponse()
    _copy_headers(Headers({"Content-Length": "99", "X-B": "b"}), out)
    assert "Content-Length" not in out.headers
    assert out.headers["X-B"] == "b"
    out = web.StreamResponse()
    _copy_headers(Headers({"Content-Type": "application/json", "X-C": "c"}), out)
    assert list(out.headers.items()) == [("Content-Type", "application/json"), ("X-C", "c")]


@contextlib.asynccontextmanager
async def served(kind: str, sb: Sandbox) -> AsyncIterator[tuple[int, web.BaseRunner]]:
    """``sb`` on a loopback port, by ``SandboxServer`` or mounted with ``web_app``: the
    port and the runner (whose server lists the open connections)."""
    if kind == "web_app":
        runner: web.BaseRunner = web.AppRunner(web_app(sb), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        try:
            yield site._server.sockets[0].getsockname()[1], runner  # type: ignore[union-attr]
        finally:
            await runner.cleanup()
        return
    async with SandboxServer(sb) as server:
        assert server._runner is not None
        yield int(server.url.rsplit(":", 1)[1]), server._runner


async def test_web_app_mounted_in_an_application_answers_expect_once() -> None:
    """``web_app`` answers ``Expect`` through the application's router: one interim answer."""
    sb = Sandbox()
    async with served("web_app", sb) as (port, _):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        body = json.dumps({"client": {"organization": "Mounted"}}).encode()
        writer.write(
            (
                f"POST {CLIENTS} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Authorization: Bearer {sb.token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n"
                "Connection: close\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        assert await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10) == (
            b"HTTP/1.1 100 Continue\r\n\r\n"
        )
        writer.write(body)
        await writer.drain()
        status, _, answer = split(await asyncio.wait_for(reader.read(), 10))
        writer.close()
        await writer.wait_closed()
    assert status == 200
    assert json.loads(answer)["response"]["result"]["client"]["organization"] == "Mounted"


async def test_web_app_answers_an_unknown_expectation_in_the_family_shape() -> None:
    sb = Sandbox()
    async with served("web_app", sb) as (port, _):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            (
                f"GET {CLIENTS} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Authorization: Bearer {sb.token}\r\nExpect: teapot\r\n"
                "Connection: close\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        status, headers, body = split(await asyncio.wait_for(reader.read(), 10))
        writer.close()
        await writer.wait_closed()
    assert status == 417
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["response"]["errors"][0]["field"] == "Expect"


async def test_a_client_gone_before_100_continue_is_no_sandbox_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The interim answer cannot be written (the client left): the connection is dropped
    quietly, not answered as a sandbox bug, and nothing is processed."""
    sb = Sandbox()
    transport = mock.Mock()
    writer = mock.Mock()
    writer.write = mock.AsyncMock(side_effect=ConnectionResetError("peer gone"))
    request = make_mocked_request(
        "POST",
        CLIENTS,
        headers={"Host": "127.0.0.1:1", "Expect": "100-continue"},
        writer=writer,
        transport=transport,
    )
    before = state(sb)
    with caplog.at_level(logging.DEBUG), pytest.raises(_ClientGone):
        await _handler(sb, expect=True)(request)
    transport.abort.assert_called_once()
    assert state(sb) == before
    assert sb.stats.requests == {}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("kind", ["SandboxServer", "web_app"])
@pytest.mark.parametrize("stage", ["after 100 Continue", "mid-body"])
async def test_a_client_that_resets_before_its_body_is_read_is_no_sandbox_error(
    kind: str, stage: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A client that resets its connection (``SO_LINGER`` 0) before its body is all sent:
    nothing is processed or counted, nothing is logged as an error, on both servers."""
    sb = Sandbox()
    body = json.dumps({"client": {"organization": "Gone"}}).encode()
    expect = "Expect: 100-continue\r\n" if stage == "after 100 Continue" else ""
    before = state(sb)
    with caplog.at_level(logging.DEBUG):
        async with served(kind, sb) as (port, runner):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(
                (
                    f"POST {CLIENTS} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                    f"Authorization: Bearer {sb.token}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n{expect}\r\n"
                ).encode()
            )
            if expect:
                assert await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10) == (
                    b"HTTP/1.1 100 Continue\r\n\r\n"
                )
            else:
                writer.write(body[: len(body) // 2])
            await writer.drain()
            await asyncio.sleep(0.05)  # the server is reading the body
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()  # RST, not FIN
            server = runner.server
            assert server is not None
            for _ in range(500):  # the server has dropped the connection
                if not server.connections:
                    break
                await asyncio.sleep(0.01)
            assert not server.connections
    assert state(sb) == before
    assert sb.stats.requests == {}
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


async def test_a_100k_deep_json_body_is_a_shaped_400(
    server: SandboxServer, http: aiohttp.ClientSession
) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    before = state(server.sandbox)
    for path in (CLIENTS, "/projects/business/1/projects", "/auth/oauth/token"):
        async with http.post(server.url + path, data=deep, headers=auth(server)) as r:
            assert r.status == 400, path
            assert is_family_shaped(path, 400, await r.json())
    async with http.post(
        server.url + CLIENTS, data=b"[" * 65 + b"]" * 65, headers=auth(server)
    ) as r:
        assert r.status == 400
        assert "nested more than 64 levels" in await r.text()
    async with http.post(server.url + "/_sandbox/seed", data=deep) as r:
        assert r.status == 400
        assert await r.json() == {"error": "body must be JSON"}
    assert state(server.sandbox) == before


async def test_a_50_mb_body_gets_the_shaped_413(
    server: SandboxServer, http: aiohttp.ClientSession
) -> None:
    body = io.BytesIO(b"x" * (50 * 1024 * 1024))
    async with http.post(server.url + INVOICES, data=body, headers=auth(server)) as r:
        assert r.status == 413
        assert r.content_type == "application/json"
        error = (await r.json())["response"]["errors"][0]
    assert (error["errno"], error["field"]) == (1017, "body")
    assert "more than 10485760 bytes" in error["message"]


async def test_a_chunked_body_over_the_limit_gets_the_shaped_413(
    server: SandboxServer, http: aiohttp.ClientSession
) -> None:
    server.sandbox.max_body_bytes = 100_000

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(40):
            yield b"y" * 10_000  # no Content-Length: refused while reading

    path = "/projects/business/1/projects"
    async with http.post(server.url + path, data=chunks(), headers=auth(server)) as r:
        assert r.status == 413
        assert "error" in await r.json()
    async with http.post(server.url + path, data=b"z" * 99_000, headers=auth(server)) as r:
        assert r.status == 400  # at the limit: read and parsed (not JSON)


async def test_header_bytes_that_are_not_utf8_are_served(server: SandboxServer) -> None:
    body = b'{"invoice":{"customerid":1,"create_date":"2024-01-01"}}'
    head = (
        f"POST {INVOICES} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {server.token}"
        f"\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    ).encode() + b"X-Client-Reference: caf\xe9-\xff"
    status, _, _ = split(await raw_exchange(server, head, body))
    assert status == 200
    assert server.sandbox.ledger[-1].client_reference == "caf\xe9-\xff"  # ISO 8859-1
    status, _, ledger = split(
        await raw_exchange(server, b"GET /_sandbox/ledger HTTP/1.1\r\nHost: 127.0.0.1")
    )
    assert status == 200
    assert json.loads(ledger)["summary"]["created"] == 1


async def test_non_json_numbers_and_out_of_range_values_are_400(
    server: SandboxServer, http: aiohttp.ClientSession
) -> None:
    before = state(server.sandbox)
    cases = [
        (
            b'{"invoice": {"customerid": 1, "create_date": "2024-01-01", "discount_value": NaN}}',
            None,
        ),
        (
            b'{"invoice": {"customerid": 1, "create_date": "2024-01-01", '
            b'"due_offset_days": 1e400}}',
            "due_offset_days",
        ),
        (
            b'{"invoice": {"customerid": 1, "create_date": "2024-01-01", '
            b'"due_offset_days": 100000000000000000000}}',
            "due_offset_days",
        ),
        (
            b'{"invoice": {"customerid": 1, "create_date": "2024-01-01", '
            b'"lines": [{"qty": 1, "unit_cost": {"amount": "1e30", "code": "USD"}}]}}',
            "unit_cost",
        ),
    ]
    for raw, field in cases:
        async with http.post(server.url + INVOICES, data=raw, headers=auth(server)) as r:
            assert r.status == 400, raw
            error = (await r.json())["response"]["errors"][0]
            assert error["field"] == field, raw
    assert state(server.sandbox) == before


def _bad_variants(template: str, placeholders: tuple[str, ...], uuid: str) -> Iterator[str]:
    good = {"account_id": "ACC001", "business_id": "1", "business_uuid": uuid}
    for bad in ("%C2%B2", "%D9%A3", "%ED%A0%80", "%00", "9" * 400, "1"):
        path = template
        for name in placeholders:
            path = path.replace("{" + name + "}", good.get(name, bad) if bad != "1" else "1")
        yield path
    if "{business_id}" in template:
        yield template.replace("{business_id}", "%C2%B2").replace("{account_id}", "ACC001")


_BAD_QUERIES = [
    "page=%C2%B2",
    "per_page=%D9%A3",
    "page=99999999999999999999999999",
    "sort=amount",
    "search[amount_min]=NaN",
    "search[amount_min]=1e999999",
    "search[date_min]=x",
    "include[]=lines",
    "started_from=x",
    "updated_since=%ED%A0%80",
    "active=%C2%B2",
    "start_date=x",
    "currency_code=%ED%A0%80",
    "date_type=x",
    "clientids[]=%C2%B2",
    "redirect_uri=http://[&client_id=sandbox-client-id&response_type=code",
]
_BAD_BODIES = [
    b"[" * 100_000,
    b"null",
    b"[]",
    b'"x"',
    b"\xff\xfe",
    b'{"x": NaN}',
    b'{"client": {"fname": "\\udfff"}, "invoice": {"notes": "\\ud800"}}',
]


async def test_no_request_input_answers_500_over_loopback(
    server: SandboxServer, http: aiohttp.ClientSession
) -> None:
    """Every catalogue route, with bad ids, queries and bodies: no 500, every error in its
    family's JSON shape, and a refused write changes nothing."""
    sb = server.sandbox
    sb._deliver = _accept
    sb.seed_data(payments=1, expenses=1, projects=1, time_entries=1)
    uuid = sb.default_business.uuid
    seen = 0
    for e in endpoints():
        requests: list[tuple[str, bytes]] = [
            (path, b"{}") for path in _bad_variants(e.path_template, e.placeholders, uuid)
        ]
        good = next(iter(_bad_variants(e.path_template, e.placeholders, uuid)))
        if e.method == "GET":
            requests += [(f"{good}?{q}", b"") for q in _BAD_QUERIES]
        else:
            requests += [(good, body) for body in _BAD_BODIES]
        for path, body in requests:
            before = state(sb) if e.method != "GET" else None
            url = yarl.URL(server.url + path, encoded=True)
            async with http.request(
                e.method, url, data=body, headers=auth(server), allow_redirects=False
            ) as r:
                seen += 1
                text = await r.text()
                assert r.status < 500, (e.method, path, body[:80], text)
                if r.status >= 400 and text:
                    assert r.content_type == "application/json", (path, text)
                    assert is_family_shaped(path.split("?")[0], r.status, json.loads(text)), text
                    if before is not None:
                        await sb.drain()
                        assert state(sb) == before, (e.method, path, body[:80])
    assert seen > 2000
