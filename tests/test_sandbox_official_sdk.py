"""The official synchronous SDK (``freshbooks``) against the sandbox over loopback."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from freshbooks_async.sandbox import Sandbox, SandboxServer

freshbooks = pytest.importorskip("freshbooks")


class _Background:
    """A sandbox server on its own event loop thread (the official SDK is blocking)."""

    def __init__(self) -> None:
        self.sandbox = Sandbox()
        self.loop = asyncio.new_event_loop()
        self.server = SandboxServer(self.sandbox)
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> _Background:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Background]:
    with _Background() as bg:
        monkeypatch.setenv("FRESHBOOKS_API_URL", bg.server.url)
        yield bg


def _client(bg: _Background) -> Any:
    return freshbooks.Client(client_id="sandbox-client-id", access_token=bg.sandbox.token)


def test_identity_clients_invoices(served: _Background) -> None:
    fb = _client(served)
    me = fb.current_user()
    business = me.business_memberships[0].business
    account_id, business_id = business.account_id, business.id
    assert account_id == "ACC001"
    assert business_id == 1

    client = fb.clients.create(account_id, {"email": "a@example.com", "organization": "Acme"})
    assert client.organization == "Acme"
    assert fb.clients.get(account_id, client.id).email == "a@example.com"
    updated = fb.clients.update(account_id, client.id, {"fname": "Ada"})
    assert updated.fname == "Ada"
    clients = fb.clients.list(account_id)
    assert clients.pages.total == 2  # the default client 1 and this one
    assert client.id == 2

    invoice = fb.invoices.create(
        account_id,
        {
            "customerid": client.id,
            "create_date": "2024-01-05",
            "due_offset_days": 30,
            "lines": [{"name": "Work", "qty": 2, "unit_cost": {"amount": "50.00", "code": "USD"}}],
        },
    )
    assert invoice.invoice_number == "0000001"
    assert invoice.amount.amount == "100.00"
    assert str(invoice.due_date) == "2024-02-04"
    assert fb.invoices.list(account_id).pages.total == 1
    deleted = fb.invoices.delete(account_id, invoice.id)  # PY deletes invoices with DELETE
    assert deleted.vis_state == 1
    assert fb.invoices.list(account_id).pages.total == 0
    fb.clients.delete(account_id, client.id)  # PUT vis_state=1
    assert fb.clients.list(account_id).pages.total == 1  # the default client remains


def test_not_found_error_parsing(served: _Background) -> None:
    fb = _client(served)
    with pytest.raises(freshbooks.errors.FreshBooksError) as info:
        fb.clients.get("ACC001", 999)
    assert info.value.status_code == 404
    assert info.value.error_code == 1012
    assert str(info.value) == "Client not found."
    with pytest.raises(freshbooks.errors.FreshBooksError) as info2:
        fb.projects.get(1, 999)
    assert info2.value.status_code == 404


def test_projects_time_entries_callbacks(served: _Background) -> None:
    fb = _client(served)
    project = fb.projects.create(1, {"title": "Sandbox project"})
    assert fb.projects.get(1, project.id).title == "Sandbox project"
    assert fb.projects.update(1, project.id, {"title": "Renamed"}).title == "Renamed"
    assert fb.projects.list(1).pages.total == 1
    fb.projects.delete(1, project.id)
    assert fb.projects.list(1).pages.total == 0

    entry = fb.time_entries.create(
        1, {"is_logged": True, "duration": 3600, "started_at": "2024-01-01T10:00:00Z"}
    )
    assert fb.time_entries.get(1, entry.id).duration == 3600
    assert fb.time_entries.update(1, entry.id, {"note": "hi"}).note == "hi"
    assert fb.time_entries.list(1).pages.total == 1
    fb.time_entries.delete(1, entry.id)
    assert fb.time_entries.list(1).pages.total == 0

    served.sandbox._deliver = _no_delivery
    cb = fb.callbacks.create("ACC001", {"event": "invoice.create", "uri": "http://127.0.0.1:9/h"})
    assert cb.verified is False
    assert fb.callbacks.get("ACC001", cb.id).event == "invoice.create"
    assert fb.callbacks.list("ACC001").pages.total == 1
    fb.callbacks.delete("ACC001", cb.id)
    assert fb.callbacks.list("ACC001").pages.total == 0


async def _no_delivery(url: str, headers: dict[str, str], body: bytes) -> int:
    return 200
