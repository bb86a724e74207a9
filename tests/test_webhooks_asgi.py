"""Webhook receivers outside aiohttp: :func:`asgi_webhook_app` in a real Starlette app
served by uvicorn on 127.0.0.1, answering exactly as the aiohttp handler does."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Mapping
from typing import Any

import aiohttp
import pytest
import uvicorn
from aiohttp import web
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from test_webhooks import FIELDS, VERIFIER, Recorder

from freshbooks_async.webhooks import (
    SIGNATURE_HEADER,
    asgi_webhook_app,
    compute_signature,
    webhook_handler,
)

MAX_BODY = 1024


async def verifiers(fields: Mapping[str, str]) -> list[str]:
    return ["someone-elses-verifier", VERIFIER] if fields.get("account_id") else []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def serve_starlette(recorder: Recorder) -> AsyncIterator[str]:
    async def health(request: Any) -> PlainTextResponse:
        return PlainTextResponse("up")

    receiver = asgi_webhook_app(
        verifier=verifiers,
        on_event=recorder.on_event,
        on_verification=recorder.on_verification,
        max_body=MAX_BODY,
    )
    app = Starlette(
        routes=[
            Route("/health", health),
            Route("/hook", receiver, methods=["POST", "GET"]),
            Mount("/mounted", app=receiver),
        ]
    )
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        server.should_exit = True
        await task


async def serve_aiohttp(recorder: Recorder) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_route(
        "*",
        "/hook",
        webhook_handler(
            verifier=verifiers,
            on_event=recorder.on_event,
            on_verification=recorder.on_verification,
            max_body=MAX_BODY,
        ),
    )
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        await runner.cleanup()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture(params=["starlette", "aiohttp"])
async def hook_url(request: pytest.FixtureRequest, recorder: Recorder) -> AsyncIterator[str]:
    serve = serve_starlette if request.param == "starlette" else serve_aiohttp
    async for url in serve(recorder):
        yield url


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def post(
    http: aiohttp.ClientSession,
    url: str,
    body: bytes | Any,
    signature: str | None,
    content_type: str = "application/x-www-form-urlencoded",
) -> tuple[int, str]:
    headers = {"Content-Type": content_type}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    async with http.post(url, data=body, headers=headers) as response:
        return response.status, await response.text()


def form(fields: Mapping[str, str]) -> bytes:
    from urllib.parse import urlencode

    return urlencode(fields).encode()


SIGNED = compute_signature(FIELDS, VERIFIER)


async def test_a_signed_event_is_delivered(
    hook_url: str, http: aiohttp.ClientSession, recorder: Recorder
) -> None:
    assert await post(http, hook_url, form(FIELDS), SIGNED) == (200, "ok")
    assert [(e.name, e.object_id, e.account_id) for e in recorder.events] == [
        ("invoice.create", 1234, "ACC001")
    ]


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        compute_signature(FIELDS, "wrong-key"),
        compute_signature({**FIELDS, "a": "b"}, VERIFIER),
    ],
)
async def test_unsigned_and_badly_signed_are_refused(
    hook_url: str, http: aiohttp.ClientSession, recorder: Recorder, signature: str | None
) -> None:
    status, _ = await post(http, hook_url, form(FIELDS), signature)
    assert status == 401
    assert recorder.events == []


async def test_the_same_status_codes_as_the_aiohttp_handler(
    hook_url: str, http: aiohttp.ClientSession, recorder: Recorder
) -> None:
    assert (await post(http, hook_url, form(FIELDS), SIGNED, "application/json"))[0] == 415
    assert (await post(http, hook_url, b"x" * 2000, SIGNED))[0] == 413
    assert (await post(http, hook_url, b"a=1&a=2", SIGNED))[0] == 400
    bad = {k: v for k, v in FIELDS.items() if k != "object_id"}
    assert (await post(http, hook_url, form(bad), compute_signature(bad, VERIFIER)))[0] == 400
    async with http.get(hook_url) as response:
        assert response.status == 405
    recorder.fail = True
    assert (await post(http, hook_url, form(FIELDS), SIGNED))[0] == 500
    assert recorder.events == []


async def test_a_chunked_body_over_the_limit_is_refused(
    hook_url: str, http: aiohttp.ClientSession, recorder: Recorder
) -> None:
    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: streamed
        for _ in range(64):
            yield b"a" * 512

    status, _ = await post(http, hook_url, chunks(), SIGNED)
    assert status == 413
    assert recorder.events == []


async def test_a_mounted_receiver_answers_too(http: aiohttp.ClientSession) -> None:
    recorder = Recorder()
    async for url in serve_starlette(recorder):
        mounted = url.replace("/hook", "/mounted/")
        assert await post(http, mounted, form(FIELDS), SIGNED) == (200, "ok")
    assert len(recorder.events) == 1


async def test_the_handshake_is_answered(
    hook_url: str, http: aiohttp.ClientSession, recorder: Recorder
) -> None:
    fields = {"name": "callback.verify", "object_id": "12", "verifier": "code-1", "account_id": "A"}
    assert await post(http, hook_url, form(fields), None) == (200, "verified")
    assert [(v.callback_id, v.verifier) for v in recorder.verifications] == [(12, "code-1")]


async def test_the_app_answers_lifespan_and_refuses_other_scopes() -> None:
    app = asgi_webhook_app(verifier=VERIFIER, on_event=Recorder().on_event)
    inbox = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[Any] = []

    async def receive() -> Any:
        return inbox.pop(0)

    async def send(message: Any) -> None:
        sent.append(message["type"])

    await app({"type": "lifespan"}, receive, send)
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    with pytest.raises(ValueError, match="websocket"):
        await app({"type": "websocket"}, receive, send)


def test_the_factory_validates_like_the_aiohttp_one() -> None:
    with pytest.raises(ValueError, match="max_body"):
        asgi_webhook_app(verifier=VERIFIER, on_event=Recorder().on_event, max_body=0)
    with pytest.raises(TypeError, match="verifier"):
        asgi_webhook_app(verifier=5, on_event=Recorder().on_event)  # type: ignore[arg-type]
