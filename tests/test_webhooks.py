"""Webhooks: signatures, events, the aiohttp handler, callbacks CRUD, the live handshake."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import importlib.util
import json
import sys
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request
from hypothesis import given, settings
from hypothesis import strategies as st

from freshbooks_async import FreshBooksClient, errors
from freshbooks_async.sandbox import Sandbox, SandboxServer
from freshbooks_async.testing import MockTransport
from freshbooks_async.webhooks import (
    SIGNATURE_HEADER,
    Callback,
    Callbacks,
    VerificationRequest,
    WebhookEvent,
    WebhookPayloadError,
    compute_signature,
    parse_event,
    parse_form,
    parse_verification,
    verify_signature,
    webhook_handler,
)

VERIFIER = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
FIELDS = {
    "name": "invoice.create",
    "object_id": "1234",
    "account_id": "ACC001",
    "business_id": "77",
    "identity_id": "9",
    "user_id": "9",
}
ACCOUNT = "ACC001"


def reference_signature(fields: Mapping[str, str], key: str) -> str:
    """The recipe of the official Python SDK's docs (webhooks.md), written out longhand."""
    message = json.dumps(dict(fields)).encode("utf-8")
    return base64.b64encode(hmac.new(key.encode(), message, hashlib.sha256).digest()).decode()


# --------------------------------------------------------------------------- signatures


def test_signature_matches_the_documented_recipe() -> None:
    expected = reference_signature(FIELDS, VERIFIER)
    assert compute_signature(FIELDS, VERIFIER) == expected
    assert compute_signature(list(FIELDS.items()), VERIFIER) == expected
    assert compute_signature(urlencode(FIELDS).encode(), VERIFIER) == expected
    # Python's json.dumps spacing is part of the message: a compact dump differs.
    compact = json.dumps(FIELDS, separators=(",", ":")).encode()
    other = base64.b64encode(hmac.new(VERIFIER.encode(), compact, hashlib.sha256).digest())
    assert expected != other.decode()


def test_signature_depends_on_field_order_and_escapes_non_ascii() -> None:
    reordered = dict(reversed(list(FIELDS.items())))
    assert compute_signature(reordered, VERIFIER) != compute_signature(FIELDS, VERIFIER)
    accented = {**FIELDS, "name": "clïent.create"}
    assert compute_signature(accented, VERIFIER) == reference_signature(accented, VERIFIER)


def test_verify_signature_valid_tampered_wrong_key_missing() -> None:
    body = urlencode(FIELDS).encode()
    good = compute_signature(FIELDS, VERIFIER)
    assert verify_signature(body, good, VERIFIER)
    assert verify_signature(FIELDS, f" {good} ", VERIFIER)  # header whitespace tolerated
    tampered = bytearray(body)
    tampered[body.index(b"1234")] = ord("9")
    assert not verify_signature(bytes(tampered), good, VERIFIER)
    assert not verify_signature(body, good, VERIFIER[:-1] + "1")
    assert not verify_signature(body, None, VERIFIER)
    assert not verify_signature(body, "", VERIFIER)
    assert not verify_signature(body, "sïgnature", VERIFIER)
    assert not verify_signature(body + b"&name=x", good, VERIFIER)  # repeated field
    assert not verify_signature(b"\xff\xfe", good, VERIFIER)


@pytest.mark.parametrize(
    ("fields", "signature", "verifier", "error"),
    [
        (FIELDS, "sig", "", ValueError),
        (FIELDS, "sig", None, TypeError),
        (FIELDS, 5, VERIFIER, TypeError),
        ("name=x", "sig", VERIFIER, TypeError),
        ({"name": 1}, "sig", VERIFIER, TypeError),
    ],
)
def test_verify_signature_validates_arguments(
    fields: Any, signature: Any, verifier: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        verify_signature(fields, signature, verifier)


_text = st.text(st.characters(codec="utf-8"), max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    fields=st.dictionaries(st.text(min_size=1, max_size=8), _text, min_size=1, max_size=6),
    key=st.text(min_size=1, max_size=40),
    data=st.data(),
)
def test_any_single_change_is_rejected(
    fields: dict[str, str], key: str, data: st.DataObject
) -> None:
    signature = compute_signature(fields, key)
    assert verify_signature(fields, signature, key)
    names = list(fields)
    change = data.draw(st.sampled_from(["value", "drop", "add", "key", "signature"]))
    mutated = dict(fields)
    used_key, used_signature = key, signature
    if change == "value":
        name = data.draw(st.sampled_from(names))
        mutated[name] = data.draw(_text.filter(lambda v: v != fields[name]))
    elif change == "drop":
        del mutated[data.draw(st.sampled_from(names))]
    elif change == "add":
        mutated[data.draw(st.text(min_size=1, max_size=8).filter(lambda n: n not in fields))] = (
            data.draw(_text)
        )
    elif change == "key":
        used_key = data.draw(st.text(min_size=1, max_size=40).filter(lambda k: k != key))
    else:
        raw = bytearray(base64.b64decode(signature))
        index = data.draw(st.integers(0, len(raw) - 1))
        raw[index] ^= 1 << data.draw(st.integers(0, 7))
        used_signature = base64.b64encode(bytes(raw)).decode()
    assert not verify_signature(mutated, used_signature, used_key)


# --------------------------------------------------------------------------- events


def test_parse_event() -> None:
    event = parse_event(FIELDS)
    assert event == WebhookEvent(
        name="invoice.create",
        resource="invoice",
        action="create",
        object_id=1234,
        account_id="ACC001",
        business_id=77,
        identity_id=9,
        user_id=9,
        fields=FIELDS,
    )
    legacy = parse_event({"name": "invoice", "object_id": "5", "account_id": "A"})
    assert (legacy.resource, legacy.action, legacy.business_id) == ("invoice", "", None)


@pytest.mark.parametrize(
    ("drop", "override", "message"),
    [
        ("name", {}, "name"),
        ("object_id", {}, "object_id"),
        ("account_id", {}, "account_id"),
        (None, {"object_id": "12a"}, "object_id"),
        (None, {"business_id": "-1"}, "business_id"),
    ],
)
def test_parse_event_rejects_bad_fields(
    drop: str | None, override: dict[str, str], message: str
) -> None:
    fields = {k: v for k, v in FIELDS.items() if k != drop} | override
    with pytest.raises(WebhookPayloadError, match=message):
        parse_event(fields)


def test_parse_verification() -> None:
    fields = {"name": "callback.verify", "object_id": "3", "verifier": VERIFIER, "account_id": "A"}
    request = parse_verification(fields)
    assert request == VerificationRequest(
        callback_id=3, verifier=VERIFIER, account_id="A", fields=fields
    )
    assert VERIFIER not in repr(request)
    assert parse_verification({"callback_id": "4", "verifier": "v"}) is not None
    assert parse_verification(FIELDS) is None
    with pytest.raises(WebhookPayloadError, match="callback_id"):
        parse_verification({"verifier": "v"})


def test_parse_form_rejects_repeats_and_garbage() -> None:
    assert parse_form(b"") == []
    assert parse_form(b"a=1&b=") == [("a", "1"), ("b", "")]
    with pytest.raises(WebhookPayloadError):
        parse_form(b"a=1&a=2")
    with pytest.raises(WebhookPayloadError):
        parse_form(b"\xff")
    with pytest.raises(TypeError):
        parse_form("a=1")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- handler


class Recorder:
    def __init__(self) -> None:
        self.events: list[WebhookEvent] = []
        self.verifications: list[VerificationRequest] = []
        self.fail = False

    async def on_event(self, event: WebhookEvent) -> None:
        if self.fail:
            raise RuntimeError("downstream broke")
        self.events.append(event)

    async def on_verification(self, request: VerificationRequest) -> None:
        self.verifications.append(request)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def hook_client(
    recorder: Recorder,
) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    async def verifiers(fields: Mapping[str, str]) -> list[str]:
        await asyncio.sleep(0)
        return ["someone-elses-verifier", VERIFIER] if fields.get("account_id") else []

    app = web.Application()
    app.router.add_route(
        "*",
        "/hook",
        webhook_handler(
            verifier=verifiers,
            on_event=recorder.on_event,
            on_verification=recorder.on_verification,
            max_body=1024,
        ),
    )
    async with TestClient(TestServer(app)) as client:
        yield client


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def post(
    client: TestClient[web.Request, web.Application],
    fields: Mapping[str, str] | bytes,
    signature: str | None,
    content_type: str = "application/x-www-form-urlencoded",
) -> tuple[int, str]:
    headers = {"Content-Type": content_type}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    body = fields if isinstance(fields, bytes) else urlencode(fields).encode()
    async with client.post("/hook", data=body, headers=headers) as response:
        return response.status, await response.text()


async def test_handler_accepts_a_signed_event(
    hook_client: TestClient[web.Request, web.Application], recorder: Recorder
) -> None:
    assert await post(hook_client, FIELDS, compute_signature(FIELDS, VERIFIER)) == (200, "ok")
    assert [e.object_id for e in recorder.events] == [1234]


@pytest.mark.parametrize(
    ("signature", "status"),
    [
        (None, 401),
        ("", 401),
        (compute_signature(FIELDS, "wrong-key"), 401),
        (compute_signature({**FIELDS, "object_id": "1235"}, VERIFIER), 401),
    ],
)
async def test_handler_refuses_unsigned_and_badly_signed(
    hook_client: TestClient[web.Request, web.Application],
    recorder: Recorder,
    signature: str | None,
    status: int,
) -> None:
    code, _ = await post(hook_client, FIELDS, signature)
    assert code == status
    assert recorder.events == []


async def test_handler_status_codes(
    hook_client: TestClient[web.Request, web.Application], recorder: Recorder
) -> None:
    signature = compute_signature(FIELDS, VERIFIER)
    assert (await post(hook_client, FIELDS, signature, "application/json"))[0] == 415
    assert (await post(hook_client, b"x" * 2000, signature))[0] == 413
    assert (await post(hook_client, b"a=1&a=2", signature))[0] == 400
    bad = {k: v for k, v in FIELDS.items() if k != "object_id"}
    assert (await post(hook_client, bad, compute_signature(bad, VERIFIER)))[0] == 400
    async with hook_client.get("/hook") as response:
        assert response.status == 405
    recorder.fail = True
    assert (await post(hook_client, FIELDS, signature))[0] == 500
    assert recorder.events == []


async def test_handler_answers_the_handshake(
    hook_client: TestClient[web.Request, web.Application], recorder: Recorder
) -> None:
    fields = {"name": "callback.verify", "object_id": "12", "verifier": "code-1", "account_id": "A"}
    assert await post(hook_client, fields, None) == (200, "verified")
    assert [(v.callback_id, v.verifier) for v in recorder.verifications] == [(12, "code-1")]
    assert recorder.events == []


class CountingStream:
    """A request body that records how much the handler pulled from it."""

    def __init__(self, total: int) -> None:
        self.remaining = total
        self.pulled = 0

    async def read(self, n: int = -1) -> bytes:
        size = min(self.remaining, 4096 if n < 0 else n)
        self.remaining -= size
        self.pulled += size
        return b"a" * size


async def test_handler_reads_at_most_a_bounded_body(recorder: Recorder) -> None:
    handler = webhook_handler(
        verifier=VERIFIER,
        on_event=recorder.on_event,
        on_verification=recorder.on_verification,
        max_body=1000,
    )
    stream = CountingStream(10_000_000)  # chunked: no Content-Length to refuse up front
    request = make_mocked_request(
        "POST",
        "/hook",
        headers={**FORM, SIGNATURE_HEADER: "x"},
        payload=stream,  # type: ignore[arg-type]
    )
    response = await handler(request)
    assert response.status == 413
    assert stream.pulled <= 1001
    # A declared length over the limit is refused without reading anything.
    stream = CountingStream(5000)
    request = make_mocked_request(
        "POST",
        "/hook",
        headers={**FORM, "Content-Length": "5000"},
        payload=stream,  # type: ignore[arg-type]
    )
    assert (await handler(request)).status == 413
    assert stream.pulled == 0


async def test_unsigned_delivery_is_refused_unread_without_a_handshake_hook(
    recorder: Recorder,
) -> None:
    handler = webhook_handler(verifier=[VERIFIER], on_event=recorder.on_event)
    stream = CountingStream(500)
    request = make_mocked_request("POST", "/hook", headers=FORM, payload=stream)  # type: ignore[arg-type]
    assert (await handler(request)).status == 401
    assert stream.pulled == 0


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"verifier": ""}, ValueError),
        ({"verifier": 5}, TypeError),
        ({"verifier": [VERIFIER, 3]}, TypeError),
        ({"on_event": None}, TypeError),
        ({"on_verification": "no"}, TypeError),
        ({"max_body": 0}, ValueError),
        ({"max_body": 1.5}, TypeError),
    ],
)
def test_handler_factory_validates(kwargs: dict[str, Any], error: type[Exception]) -> None:
    async def noop(event: WebhookEvent) -> None:
        return None

    options: dict[str, Any] = {"verifier": VERIFIER, "on_event": noop, **kwargs}
    with pytest.raises(error):
        webhook_handler(**options)


# --------------------------------------------------------------------------- callbacks CRUD


@pytest.fixture
def delivered() -> list[tuple[str, dict[str, str], bytes]]:
    return []


@pytest.fixture
def sandbox(delivered: list[tuple[str, dict[str, str], bytes]]) -> Sandbox:
    async def deliver(url: str, headers: dict[str, str], body: bytes) -> int:
        delivered.append((url, headers, body))
        return 200

    return Sandbox(deliver=deliver)


@pytest.fixture
async def fb(sandbox: Sandbox) -> AsyncIterator[FreshBooksClient]:
    async with FreshBooksClient(sandbox.token, transport=MockTransport(sandbox.handle)) as client:
        yield client


async def test_callbacks_crud_and_verification(
    sandbox: Sandbox, fb: FreshBooksClient, delivered: list[tuple[str, dict[str, str], bytes]]
) -> None:
    callbacks = Callbacks(fb)
    created = await callbacks.create(ACCOUNT, "invoice.create", "https://hooks.example/a")
    assert isinstance(created, Callback)
    assert (created.event, created.uri, created.verified) == (
        "invoice.create",
        "https://hooks.example/a",
        False,
    )
    await sandbox.drain()
    (url, headers, body) = delivered[-1]
    assert url == "https://hooks.example/a"
    handshake = parse_verification(body)
    assert handshake is not None
    assert handshake.callback_id == created.id
    # The handshake is signed like every delivery, with the verifier it carries.
    assert verify_signature(body, headers[SIGNATURE_HEADER], handshake.verifier)

    with pytest.raises(errors.UnprocessableEntityError):
        await callbacks.verify(ACCOUNT, created.id, "not-the-verifier")
    verified = await callbacks.verify(ACCOUNT, created.id, handshake.verifier)
    assert verified.verified
    assert (await callbacks.get(ACCOUNT, created.id)).verified

    await callbacks.resend_verification(ACCOUNT, created.id)
    await sandbox.drain()
    assert parse_verification(delivered[-1][2]) == handshake

    second = await callbacks.create(ACCOUNT, "client", "https://hooks.example/b")
    page = await callbacks.list(ACCOUNT, per_page=1)
    assert page.page is not None
    assert (page.page.total, page.page.pages, len(page.items)) == (2, 2, 1)
    every = [c.id async for c in callbacks.iterate(ACCOUNT, per_page=1)]
    assert sorted(every) == sorted([created.id, second.id])
    filtered = await callbacks.list(ACCOUNT, event="client")
    assert [c.id for c in filtered.items] == [second.id]

    moved = await callbacks.update(ACCOUNT, created.id, uri="https://hooks.example/c")
    assert moved.uri == "https://hooks.example/c"
    assert not moved.verified  # a new URI must be verified again
    await callbacks.delete(ACCOUNT, second.id)
    with pytest.raises(errors.NotFoundError):
        await callbacks.get(ACCOUNT, second.id)
    with pytest.raises(errors.UnprocessableEntityError):
        await callbacks.create(ACCOUNT, "nonsense.event", "https://hooks.example/d")


async def test_events_are_signed_with_the_callback_verifier(
    sandbox: Sandbox, fb: FreshBooksClient, delivered: list[tuple[str, dict[str, str], bytes]]
) -> None:
    callbacks = Callbacks(fb)
    created = await callbacks.create(ACCOUNT, "client.create", "https://hooks.example/a")
    await sandbox.drain()
    handshake = parse_verification(delivered[-1][2])
    assert handshake is not None
    await callbacks.verify(ACCOUNT, created.id, handshake.verifier)
    await fb.request(
        "POST", f"/accounting/account/{ACCOUNT}/users/clients", json={"client": {"fname": "A"}}
    )
    await sandbox.drain()
    _, headers, body = delivered[-1]
    assert verify_signature(body, headers[SIGNATURE_HEADER], handshake.verifier)
    assert not verify_signature(body, headers[SIGNATURE_HEADER], "another-verifier")
    event = parse_event(body)
    assert (event.name, event.account_id, event.business_id) == ("client.create", ACCOUNT, 1)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda c: c.create("", "invoice.create", "https://x.example"), ValueError),
        (lambda c: c.create(ACCOUNT, "bad event", "https://x.example"), ValueError),
        (lambda c: c.create(ACCOUNT, "invoice.create", "/relative"), ValueError),
        (lambda c: c.get(ACCOUNT, "7"), TypeError),
        (lambda c: c.get(ACCOUNT, 0), ValueError),
        (lambda c: c.update(ACCOUNT, 1), ValueError),
        (lambda c: c.verify(ACCOUNT, 1, ""), ValueError),
        (lambda c: c.list(ACCOUNT, page=0), ValueError),
    ],
)
async def test_callbacks_validate_before_sending(
    fb: FreshBooksClient, sandbox: Sandbox, call: Any, error: type[Exception]
) -> None:
    transport = fb.transport
    assert isinstance(transport, MockTransport)
    with pytest.raises(error):
        await call(Callbacks(fb))
    assert transport.requests == []


# --------------------------------------------------------------------------- end to end


def load_example(name: str) -> ModuleType:
    path = Path(__file__).parent.parent / "examples" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"examples_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


async def test_handshake_and_delivery_end_to_end_on_loopback() -> None:
    example = load_example("webhook_app")
    async with SandboxServer() as server, FreshBooksClient(server.token, base_url=server.url) as fb:
        receiver = example.Receiver(fb)
        runner = await example.serve(example.create_app(receiver))
        try:
            uri = example.bound_url(runner) + example.WEBHOOK_PATH
            callback = await receiver.callbacks.create(ACCOUNT, "client.create", uri)
            assert await asyncio.wait_for(receiver.verified.get(), 10) == callback.id
            assert (await receiver.callbacks.get(ACCOUNT, callback.id)).verified
            created = await fb.request(
                "POST",
                f"/accounting/account/{ACCOUNT}/users/clients",
                json={"client": {"fname": "Ada"}},
            )
            event = await asyncio.wait_for(receiver.events.get(), 10)
            assert event.name == "client.create"
            assert event.object_id == created.data["client"]["id"]
            # A forged delivery to the same endpoint is refused.
            forged = {**dict(event.fields), "object_id": "999"}
            await server.sandbox.deliver(
                uri,
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    SIGNATURE_HEADER: compute_signature(
                        event.fields, receiver.verifiers[callback.id]
                    ),
                },
                urlencode(forged).encode(),
            )
            assert server.sandbox.deliveries[-1]["status"] == 401
            assert receiver.events.empty()
        finally:
            await runner.cleanup()
