"""The public testing helpers: the pytest plugin's sandbox fixtures and the in-process path."""

from __future__ import annotations

import pytest

from freshbooks_async import FreshBooksClient, errors
from freshbooks_async.testing import MockTransport, Sandbox, SandboxServer

INVOICES = "/accounting/account/ACC001/invoices/invoices"


async def test_plugin_fixture_serves_the_sandbox_over_loopback(
    sandbox_server: SandboxServer,
) -> None:
    assert sandbox_server.url.startswith("http://127.0.0.1:")
    async with FreshBooksClient(sandbox_server.token, base_url=sandbox_server.url) as fb:
        me = await fb.request("GET", "/auth/api/v1/users/me")
        memberships = me.data["business_memberships"]
        assert memberships[0]["business"]["account_id"] == "ACC001"
        created = await fb.request(
            "POST", INVOICES, json={"invoice": {"customerid": 1, "create_date": "2024-01-02"}}
        )
        number = created.data["invoice"]["invoice_number"]
        listed = await fb.request("GET", INVOICES, params={"search[invoice_number]": number})
        assert [i["id"] for i in listed.data["invoices"]] == [created.data["invoice"]["id"]]
    assert len(sandbox_server.sandbox.ledger) == 1


async def test_in_process_sandbox_behind_mock_transport(
    sandbox: Sandbox, sandbox_token: str
) -> None:
    async with FreshBooksClient(sandbox_token, transport=MockTransport(sandbox.handle)) as fb:
        with pytest.raises(errors.NotFoundError) as info:
            await fb.request("GET", INVOICES + "/999999")
    assert info.value.errno == 1012
