"""The FastAPI app of docs/fastapi.rst, taken from the page and served for real.

uvicorn serves it on 127.0.0.1 with its lifespan; its client talks to a
:class:`SandboxServer` (``FRESHBOOKS_TOKEN`` and ``FRESHBOOKS_BASE_URL``, as the page
says); the invoice route is read over HTTP; a callback registered in the sandbox brings
the handshake (which the app answers with ``Callbacks.verify``) and then signed
deliveries to the webhook endpoint. So the page's app is what is tested, not a copy.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import importlib.util
import socket
import sys
import types
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
import uvicorn

from freshbooks_async import FreshBooksClient
from freshbooks_async.models import InvoiceCreate
from freshbooks_async.sandbox import SandboxServer
from freshbooks_async.webhooks import SIGNATURE_HEADER, Callbacks, WebhookEvent, compute_signature

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("doc_examples", ROOT / ".ci" / "doc_examples.py")
assert _spec is not None
assert _spec.loader is not None
doc_examples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(doc_examples)

#: Seconds to wait for a delivery or for the server: a safety net, not a timing assertion.
TIMEOUT = 20.0
MODULE = "fastapi_guide_app"


def guide_source() -> str:
    """The FastAPI example of docs/fastapi.rst (the one block that builds ``FastAPI(``)."""
    found = [
        code
        for _, code, _ in doc_examples.annotated(ROOT / "docs" / "fastapi.rst")
        if "FastAPI(" in code
    ]
    assert len(found) == 1, f"expected one FastAPI app in docs/fastapi.rst, found {len(found)}"
    code: str = found[0]
    return code


def load_guide_app() -> types.ModuleType:
    """The page's code as a module of its own, as a user's ``app.py`` would be."""
    module = types.ModuleType(MODULE)
    module.__file__ = str(ROOT / "docs" / "fastapi.rst")
    # pydantic and FastAPI resolve annotations through sys.modules.
    sys.modules[MODULE] = module
    exec(compile(guide_source(), "docs/fastapi.rst", "exec"), module.__dict__)  # noqa: S102
    return module


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Served:
    def __init__(self, module: types.ModuleType, url: str, sandbox: SandboxServer) -> None:
        self.module = module
        self.url = url
        self.sandbox = sandbox

    @property
    def events(self) -> asyncio.Queue[WebhookEvent]:
        queue: asyncio.Queue[WebhookEvent] = self.module.app.state.webhook_events
        return queue


@contextlib.asynccontextmanager
async def serve_guide(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Served]:
    """A sandbox, and the page's app under uvicorn on 127.0.0.1 using it."""
    async with SandboxServer() as sandbox:
        monkeypatch.setenv("FRESHBOOKS_TOKEN", sandbox.token)
        monkeypatch.setenv("FRESHBOOKS_BASE_URL", sandbox.url)
        module = load_guide_app()
        port = free_port()
        config = uvicorn.Config(
            module.app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve())
        try:
            async with asyncio.timeout(TIMEOUT):
                while not server.started:
                    if task.done():
                        task.result()
                    await asyncio.sleep(0.01)
            yield Served(module, f"http://127.0.0.1:{port}", sandbox)
        finally:
            server.should_exit = True
            await task
            sys.modules.pop(MODULE, None)


@pytest.fixture
async def served(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Served]:
    async with serve_guide(monkeypatch) as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def fb(served: Served) -> AsyncIterator[FreshBooksClient]:
    async with FreshBooksClient(served.sandbox.token, base_url=served.sandbox.url) as client:
        yield client


async def get_json(http: aiohttp.ClientSession, url: str) -> tuple[int, Any]:
    async with http.get(url) as response:
        return response.status, await response.json()


async def test_the_route_lists_invoices_through_the_lifespan_client(
    served: Served, http: aiohttp.ClientSession, fb: FreshBooksClient
) -> None:
    account = served.sandbox.sandbox.default_business.account_id
    customer = (await fb.clients.list(account, per_page=1))[0].id
    made = await fb.invoices.create(
        account, InvoiceCreate(customerid=customer, create_date=datetime.date(2026, 3, 1))
    )
    expected = await fb.invoices.list(account, page=1, per_page=25)

    status, body = await get_json(http, f"{served.url}/accounts/{account}/invoices")

    assert status == 200, body
    assert body["page"] == 1
    assert body["pages"] == expected.pages
    assert [i["id"] for i in body["invoices"]] == [i.id for i in expected]
    mine = next(i for i in body["invoices"] if i["id"] == made.id)
    assert mine == {
        "id": made.id,
        "number": made.invoice_number,
        "status": made.display_status,
        "amount": str(made.amount.amount),
        "currency": made.amount.code,
    }


async def test_one_client_per_app_closed_at_shutdown(
    monkeypatch: pytest.MonkeyPatch, http: aiohttp.ClientSession
) -> None:
    async with serve_guide(monkeypatch) as served:
        account = served.sandbox.sandbox.default_business.account_id
        client = served.module.app.state.freshbooks
        assert isinstance(client, FreshBooksClient)
        assert str(client.base_url) == served.sandbox.url  # FRESHBOOKS_BASE_URL, as documented
        for _ in range(3):
            status, _body = await get_json(http, f"{served.url}/accounts/{account}/invoices")
            assert status == 200
        assert served.module.app.state.freshbooks is client  # one client for every request
        assert not client.closed
    assert client.closed  # the lifespan's exit closed it


async def test_bad_input_and_missing_objects_are_clear_answers(
    served: Served, http: aiohttp.ClientSession
) -> None:
    account = served.sandbox.sandbox.default_business.account_id
    status, body = await get_json(http, f"{served.url}/accounts/{account}/invoices?page=0")
    assert status == 422
    assert body["detail"][0]["loc"] == ["query", "page"]
    status, body = await get_json(http, f"{served.url}/accounts/NOSUCH/invoices")
    assert (status, body) == (404, {"detail": "not found in FreshBooks"})


async def test_a_registered_callback_is_verified_and_its_deliveries_reach_the_app(
    served: Served, fb: FreshBooksClient
) -> None:
    account = served.sandbox.sandbox.default_business.account_id
    callbacks = Callbacks(fb)
    uri = f"{served.url}/webhooks/freshbooks"
    callback = await callbacks.create(account, "client.create", uri)
    # The sandbox POSTs the handshake; the app sends the verifier back with verify().
    await asyncio.wait_for(served.sandbox.sandbox.drain(), TIMEOUT)
    assert (await callbacks.get(account, callback.id)).verified
    verifiers = served.module.VERIFIERS[account]
    assert len(verifiers) == 1

    created = await fb.request(
        "POST",
        f"/accounting/account/{account}/users/clients",
        json={"client": {"fname": "Ada", "organization": "FastAPI guide"}},
    )
    await asyncio.wait_for(served.sandbox.sandbox.drain(), TIMEOUT)
    last = served.sandbox.sandbox.deliveries[-1]
    assert (last["status"], last["error"]) == (200, None)
    event = served.events.get_nowait()
    assert event.name == "client.create"
    assert event.object_id == created.data["client"]["id"]

    # A forged delivery (signed with another key) is refused before on_event.
    forged = {**dict(event.fields), "object_id": "999"}
    await served.sandbox.sandbox.deliver(
        uri,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            SIGNATURE_HEADER: compute_signature(forged, "not-the-verifier"),
        },
        urlencode(forged).encode(),
    )
    assert served.sandbox.sandbox.deliveries[-1]["status"] == 401
    assert served.events.empty()
    # No redirect to a trailing slash: the path registered is the path served.
    assert all(d["url"] == uri for d in served.sandbox.sandbox.deliveries)
