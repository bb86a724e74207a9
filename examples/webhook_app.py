"""A webhook receiver: verifies callbacks, checks signatures, collects events.

Run it against a local sandbox (everything on 127.0.0.1)::

    python examples/webhook_app.py

It starts the sandbox, serves the receiver, registers a ``client.create`` callback (the
sandbox POSTs the verifier; the receiver sends it back with ``Callbacks.verify``),
creates a client, and prints the signed event the sandbox delivers.

In your own app, mount :func:`create_app` (or just the handler from
:func:`freshbooks_async.webhooks.webhook_handler`) and keep the verifiers in your
database: each callback signs with its own verifier.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from aiohttp import web

from freshbooks_async import FreshBooksClient
from freshbooks_async.webhooks import (
    Callbacks,
    VerificationRequest,
    WebhookEvent,
    webhook_handler,
)

logger = logging.getLogger("webhook_app")

WEBHOOK_PATH = "/webhooks/freshbooks"


class Receiver:
    """The app's state: verifiers per callback, and the events received."""

    def __init__(self, fb: FreshBooksClient) -> None:
        self.callbacks = Callbacks(fb)
        self.verifiers: dict[int, str] = {}  # callback id -> verifier (persist these)
        self.verified: asyncio.Queue[int] = asyncio.Queue()
        self.events: asyncio.Queue[WebhookEvent] = asyncio.Queue()

    async def on_verification(self, request: VerificationRequest) -> None:
        if request.account_id is None:
            raise ValueError("verification without an account id")
        # FreshBooks checks the code; a forged handshake simply fails here.
        await self.callbacks.verify(request.account_id, request.callback_id, request.verifier)
        self.verifiers[request.callback_id] = request.verifier
        await self.verified.put(request.callback_id)
        logger.info("callback %d verified", request.callback_id)

    def candidates(self, fields: Mapping[str, str]) -> list[str]:
        # A delivery does not name its callback, so try each verifier we hold (a real
        # app would narrow them by fields["account_id"] and fields["name"]).
        return list(self.verifiers.values())

    async def on_event(self, event: WebhookEvent) -> None:
        logger.info("event %s for %s %d", event.name, event.resource, event.object_id)
        await self.events.put(event)


def create_app(receiver: Receiver) -> web.Application:
    """An aiohttp app with the webhook endpoint at :data:`WEBHOOK_PATH`."""
    app = web.Application()
    app.router.add_post(
        WEBHOOK_PATH,
        webhook_handler(
            verifier=receiver.candidates,
            on_event=receiver.on_event,
            on_verification=receiver.on_verification,
        ),
    )
    return app


async def serve(app: web.Application, host: str = "127.0.0.1", port: int = 0) -> web.AppRunner:
    """Start ``app`` on ``host:port`` (0: any free port); returns the runner."""
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    return runner


def bound_url(runner: web.AppRunner) -> str:
    """``http://host:port`` of the first socket ``runner`` listens on."""
    for address in runner.addresses:
        host, port = address[0], address[1]
        return f"http://{host}:{port}"
    raise RuntimeError("the app is not listening")


async def main() -> None:
    from freshbooks_async.sandbox import SandboxServer

    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    async with SandboxServer() as server:
        account = server.sandbox.default_business.account_id
        async with FreshBooksClient(server.token, base_url=server.url) as fb:
            receiver = Receiver(fb)
            runner = await serve(create_app(receiver))
            try:
                uri = bound_url(runner) + WEBHOOK_PATH
                callback = await receiver.callbacks.create(account, "client.create", uri)
                print(f"registered callback {callback.id} -> {uri}")
                await asyncio.wait_for(receiver.verified.get(), timeout=10)
                print(f"verified: {(await receiver.callbacks.get(account, callback.id)).verified}")
                created = await fb.request(
                    "POST",
                    f"/accounting/account/{account}/users/clients",
                    json={"client": {"fname": "Ada", "organization": "Webhook Demo"}},
                )
                print(f"created client {created.data['client']['id']}")
                event = await asyncio.wait_for(receiver.events.get(), timeout=10)
                print(f"received {event.name} for object {event.object_id} (signature valid)")
            finally:
                await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
