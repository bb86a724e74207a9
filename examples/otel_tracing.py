"""OpenTelemetry tracing from the client's event hooks: one span per request attempt.

Run it against a local sandbox (everything on 127.0.0.1; spans printed to the console)::

    pip install opentelemetry-sdk
    python examples/otel_tracing.py

In your app, pass :func:`tracing_hooks` to the client; spans go wherever your
``TracerProvider`` exports them::

    fb = FreshBooksClient(token, event_hooks=tracing_hooks())

Each attempt is a ``CLIENT`` span named ``"{method} {template}"``, e.g.
``GET /accounting/account/{account_id}/invoices/invoices/{id}`` (the ids are not in the
name, so there are few distinct names), with the HTTP semantic-convention attributes:
``http.request.method``, ``url.template``, ``url.full`` (without the query, which can
hold search terms), ``server.address``, ``server.port``, ``http.response.status_code``,
``http.request.resend_count`` (from the second attempt on) and ``error.type``. A retry
is recorded on the attempt it leads to: ``freshbooks.retry.reason`` and
``freshbooks.retry.wait`` (seconds). FreshBooks' request id, when it sends one, is
``freshbooks.request_id``.

A span starts when the attempt goes out and ends when it is answered (for a streamed
download, when its headers arrive) or fails. Spans are started without making them
current, so they have the caller's current span (your request handler's, say) as parent.
"""

from __future__ import annotations

import asyncio
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from freshbooks_async import FreshBooksClient
from freshbooks_async.hooks import EventHooks, RequestEvent, ResponseEvent, RetryEvent

__all__ = ["tracing_hooks"]


def tracing_hooks(tracer: trace.Tracer | None = None) -> EventHooks:
    """Event hooks that trace each request attempt as an OpenTelemetry span.

    Args:
        tracer: Where spans go; by default the global tracer provider's tracer for
            ``freshbooks_async``.

    Returns:
        The hooks, for ``FreshBooksClient(..., event_hooks=...)``.
    """
    spans: dict[RequestEvent, trace.Span] = {}  # attempts on the wire (events hash by id)
    retries: dict[int, RetryEvent] = {}  # call_id -> the retry its next attempt follows

    def tracer_now() -> trace.Tracer:
        return tracer if tracer is not None else trace.get_tracer("freshbooks_async")

    def on_request(event: RequestEvent) -> None:
        url = event.url
        attributes: dict[str, Any] = {
            "http.request.method": event.method,
            "url.full": str(url.with_query(None).with_fragment(None)),
            "server.address": url.host or "",
            "server.port": url.port or 0,
        }
        name = event.method
        if event.path_template is not None:
            attributes["url.template"] = event.path_template
            name = f"{event.method} {event.path_template}"
        if event.attempt > 1:
            attributes["http.request.resend_count"] = event.attempt - 1
        retry = retries.pop(event.call_id, None)
        if retry is not None:
            attributes["freshbooks.retry.reason"] = retry.reason
            attributes["freshbooks.retry.wait"] = retry.wait
        spans[event] = tracer_now().start_span(name, kind=SpanKind.CLIENT, attributes=attributes)

    def on_response(event: ResponseEvent) -> None:
        span = spans.pop(event.request, None)
        if span is None:
            return
        if event.request_id is not None:
            span.set_attribute("freshbooks.request_id", event.request_id)
        if event.status is not None:
            span.set_attribute("http.response.status_code", event.status)
            if event.status >= 400:
                span.set_attribute("error.type", str(event.status))
                span.set_status(Status(StatusCode.ERROR))
        else:
            error = event.error
            kind = type(error).__qualname__ if error is not None else "_OTHER"
            span.set_attribute("error.type", kind)
            span.set_status(Status(StatusCode.ERROR, kind))
            if isinstance(error, Exception):
                span.record_exception(error)  # its message is scrubbed of secrets
        span.end()

    def on_retry(event: RetryEvent) -> None:
        retries[event.request.call_id] = event

    return {"request": [on_request], "response": [on_response], "retry": [on_retry]}


async def main() -> None:
    """Trace a few calls against a sandbox that answers the first invoice read 503."""
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor

    from freshbooks_async.sandbox import SandboxServer

    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
    tracer = provider.get_tracer("freshbooks_async.example")
    async with SandboxServer(seed_invoices=3) as server:
        server.sandbox.configure_faults(
            ["503:count=1:route=GET /accounting/account/*/invoices/invoices/*"]
        )
        async with FreshBooksClient(
            server.token, base_url=server.url, event_hooks=tracing_hooks(tracer)
        ) as fb:
            await fb.me()
            account_id = server.sandbox.default_business.account_id
            page = await fb.invoices.list(account_id, per_page=2)
            first = page.items[0].id
            assert isinstance(first, int)
            await fb.invoices.get(account_id, first)  # 503, retried, 200
    provider.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
