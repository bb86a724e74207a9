"""Event hooks: one request and one response event per attempt, retry events with the
wait and the reason, path templates, no secrets, failing hooks, streamed calls."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import pickle
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yarl

from freshbooks_async import FakeClock, FreshBooksClient, RetryPolicy, errors
from freshbooks_async._catalogue import spec
from freshbooks_async._pipeline import build_path
from freshbooks_async._route import TemplatedPath, template_for
from freshbooks_async.hooks import EventHooks, RequestEvent, ResponseEvent, RetryEvent
from freshbooks_async.models import Invoice
from freshbooks_async.sandbox import SandboxServer
from freshbooks_async.testing import MockTransport, Router, sample_json
from freshbooks_async.transports import AiohttpTransport, Request, Response

BASE = "https://api.freshbooks.com"
TOKEN = "hook-canary-token-5d1e0a9b7c"
INVOICE = "/accounting/account/{account_id}/invoices/invoices/{id}"
INVOICES = "/accounting/account/{account_id}/invoices/invoices"
EXACT = RetryPolicy(jitter=lambda ceiling: ceiling, base_delay=0.5, max_delay=8.0, max_retries=3)

Event = RequestEvent | ResponseEvent | RetryEvent


class Recorder:
    """Hooks that record every event, one sync and one async per kind."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Event]] = []

    def hooks(self) -> EventHooks:
        def on_request(event: RequestEvent) -> None:
            self.events.append(("request", event))

        async def on_response(event: ResponseEvent) -> None:
            await asyncio.sleep(0)
            self.events.append(("response", event))

        def on_retry(event: RetryEvent) -> None:
            self.events.append(("retry", event))

        return {"request": [on_request], "response": [on_response], "retry": [on_retry]}

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.events]

    def of(self, kind: str) -> list[Any]:
        return [event for k, event in self.events if k == kind]


def invoice(number: int = 7) -> Response:
    return Router.json(
        {"response": {"result": {"invoice": sample_json(Invoice, id=number, invoiceid=number)}}},
        headers={"X-Request-Id": f"req-{number}"},
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def router() -> Router:
    return Router(base_url=BASE)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def fb(
    router: Router, clock: FakeClock, recorder: Recorder
) -> AsyncIterator[FreshBooksClient]:
    async with FreshBooksClient(
        TOKEN,
        transport=MockTransport(router),
        clock=clock,
        retry=EXACT,
        event_hooks=recorder.hooks(),
    ) as client:
        yield client


# --------------------------------------------------------------------------- events


async def test_one_request_and_one_response_event_per_attempt_and_a_retry_between(
    fb: FreshBooksClient, router: Router, clock: FakeClock, recorder: Recorder
) -> None:
    unavailable = Router.json({"message": "down"}, status=503, headers={"Retry-After": "2"})

    def slow(request: Request, params: dict[str, str]) -> Response:
        clock.advance(0.25)  # the attempt takes 250 ms on the client's clock
        return invoice(7)

    router.get(INVOICE, unavailable, slow)
    await fb.invoices.get("ACC001", 7)
    assert recorder.kinds() == ["request", "response", "retry", "request", "response"]
    first, second = recorder.of("request")
    assert (first.attempt, second.attempt) == (1, 2)
    assert first.call_id == second.call_id
    for event in (first, second):
        assert event.method == "GET"
        assert event.path_template == INVOICE
        assert event.path == "/accounting/account/ACC001/invoices/invoices/7"
        assert str(event.url) == f"{BASE}/accounting/account/ACC001/invoices/invoices/7"
        assert event.streamed is False
    failed, answered = recorder.of("response")
    assert failed.request is first
    assert (failed.status, failed.error, failed.request_id) == (503, None, None)
    assert answered.request is second
    assert (answered.status, answered.request_id) == (200, "req-7")
    assert answered.elapsed == 0.25
    (retry,) = recorder.of("retry")
    assert retry.request is first
    assert (retry.status, retry.error, retry.wait) == (503, None, 2.0)
    assert retry.reason == "status 503, Retry-After"
    assert clock.sleeps == [2.0]


async def test_a_transport_error_ends_the_attempt_and_the_retry_says_why(
    fb: FreshBooksClient, router: Router, recorder: Recorder
) -> None:
    router.get(INVOICE, errors.ConnectError("refused"), invoice(7))
    await fb.invoices.get("ACC001", 7)
    failed = recorder.of("response")[0]
    assert failed.status is None
    assert isinstance(failed.error, errors.ConnectError)
    (retry,) = recorder.of("retry")
    assert retry.error is failed.error
    assert (retry.status, retry.wait, retry.reason) == (None, 0.5, "ConnectError")


async def test_the_last_failure_has_its_response_event_and_no_retry_event(
    fb: FreshBooksClient, router: Router, recorder: Recorder
) -> None:
    router.post(INVOICES, errors.ServerDisconnectedError("reset"))
    with pytest.raises(errors.ServerDisconnectedError):
        await fb.request("POST", "/accounting/account/ACC001/invoices/invoices", json={})
    assert recorder.kinds() == ["request", "response"]  # a POST that may be sent: no retry
    (request,) = recorder.of("request")
    assert request.path_template == INVOICES  # matched from the catalogue


async def test_a_token_refresh_replay_is_a_retry_event_with_no_wait(
    router: Router, clock: FakeClock, recorder: Recorder
) -> None:
    class Refreshing:
        token = "old-token-aaaaaaaaaaaa"

        async def access_token(self) -> str:
            return self.token

        async def on_unauthorized(self, rejected_token: str, response: Response) -> bool:
            self.token = "new-token-bbbbbbbbbbbb"
            return True

    unauthorized = Router.json({"error": "unauthenticated", "error_description": "x"}, 401)
    router.get("/auth/api/v1/users/me", unauthorized, Router.json({"response": {"id": 1}}))
    async with FreshBooksClient(
        token_provider=Refreshing(),
        transport=MockTransport(router),
        clock=clock,
        event_hooks=recorder.hooks(),
    ) as fb:
        await fb.request("GET", "/auth/api/v1/users/me")
    assert recorder.kinds() == ["request", "response", "retry", "request", "response"]
    (retry,) = recorder.of("retry")
    assert (retry.status, retry.wait, retry.reason) == (401, 0.0, "status 401, token refreshed")
    assert [e.attempt for e in recorder.of("request")] == [1, 2]
    assert recorder.of("request")[0].path_template == "/auth/api/v1/users/me"


async def test_no_event_carries_a_secret(
    fb: FreshBooksClient, router: Router, recorder: Recorder
) -> None:
    leaky = errors.ConnectError(f"refused a request with Authorization: Bearer {TOKEN}")
    router.get(INVOICE, leaky, invoice(7))
    await fb.invoices.get("ACC001", 7)
    assert len(recorder.events) == 5
    for _, event in recorder.events:
        assert not hasattr(event, "headers")
        for field in ("request", "url", "path", "error", "reason", "request_id"):
            assert TOKEN not in repr(getattr(event, field, None))
        assert TOKEN not in repr(event)
    assert "<redacted>" in str(recorder.of("response")[0].error)


async def test_paths_without_a_known_template(
    fb: FreshBooksClient, router: Router, recorder: Recorder
) -> None:
    router.get("/accounting/account/ACC001/not/documented", invoice(1))
    await fb.request("GET", "/accounting/account/ACC001/not/documented")
    assert recorder.of("request")[0].path_template is None
    await fb.request("GET", "/accounting/account/ACC001/not/documented")
    first, second = recorder.of("request")
    assert second.call_id != first.call_id  # another call


async def test_every_page_of_a_listing_is_observed(
    fb: FreshBooksClient, router: Router, recorder: Recorder
) -> None:
    def page(request: Request, params: dict[str, str]) -> Response:
        number = int(request.url.query.get("page", "1"))
        items = [
            sample_json(Invoice, id=number * 10 + i, invoiceid=number * 10 + i) for i in range(2)
        ]
        result = {"invoices": items, "page": number, "pages": 3, "per_page": 2, "total": 6}
        return Router.json({"response": {"result": result}})

    route = router.get(INVOICES, page)
    found = [item async for item in fb.invoices.list_all("ACC001", per_page=2)]
    assert len(found) == 6
    requests = recorder.of("request")
    assert len(requests) == len(route.calls) == 3
    assert {e.path_template for e in requests} == {INVOICES}
    assert len(recorder.of("response")) == 3


# --------------------------------------------------------------------------- hooks


async def test_a_failing_hook_is_logged_and_the_call_and_other_hooks_go_on(
    router: Router, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[str] = []

    def broken(event: RequestEvent) -> None:
        raise RuntimeError("exporter down")

    async def broken_async(event: ResponseEvent) -> None:
        raise ValueError("bad metric")

    router.get(INVOICE, invoice(7))
    hooks: EventHooks = {
        "request": [broken, lambda event: seen.append("request")],
        "response": [broken_async, lambda event: seen.append("response")],
    }
    with caplog.at_level(logging.ERROR, logger="freshbooks_async.hooks"):
        async with FreshBooksClient(
            TOKEN, transport=MockTransport(router), clock=clock, event_hooks=hooks
        ) as fb:
            found = await fb.invoices.get("ACC001", 7)
    assert found.id == 7
    assert seen == ["request", "response"]
    messages = [r for r in caplog.records if r.name == "freshbooks_async.hooks"]
    assert len(messages) == 2
    assert "RequestEvent" in messages[0].getMessage()
    assert messages[0].exc_info is not None
    assert isinstance(messages[0].exc_info[1], RuntimeError)
    assert isinstance(messages[1].exc_info[1], ValueError)  # type: ignore[index]


async def test_a_cancelled_call_ends_its_attempt(
    router: Router, clock: FakeClock, recorder: Recorder
) -> None:
    started = asyncio.Event()

    async def hang(request: Request, params: dict[str, str]) -> Response:
        started.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")  # pragma: no cover

    router.get(INVOICE, hang)
    async with FreshBooksClient(
        TOKEN, transport=MockTransport(router), clock=clock, event_hooks=recorder.hooks()
    ) as fb:
        task = asyncio.create_task(fb.invoices.get("ACC001", 7))
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert recorder.kinds() == ["request", "response"]
    assert isinstance(recorder.of("response")[0].error, asyncio.CancelledError)


@pytest.mark.parametrize(
    ("hooks", "error", "message"),
    [
        ([], TypeError, r"event_hooks: expected a mapping"),
        ({"responses": []}, ValueError, r"unknown event 'responses' \(the events are request"),
        ({"request": print}, TypeError, r"event_hooks\['request'\]: expected a list"),
        ({"retry": [print, "log"]}, TypeError, r"event_hooks\['retry'\]\[1\]: expected a call"),
    ],
)
def test_bad_event_hooks_are_refused_naming_the_entry(
    hooks: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        FreshBooksClient(TOKEN, transport=MockTransport(Router()), event_hooks=hooks)


async def test_no_hooks_no_event_work(router: Router) -> None:
    empty: list[EventHooks | None] = [None, {}, {"request": [], "response": ()}]
    for hooks in empty:
        async with FreshBooksClient(
            TOKEN, transport=MockTransport(router), event_hooks=hooks
        ) as fb:
            assert fb._pipeline.hooks is None


# --------------------------------------------------------------------------- templates


def test_rendered_paths_carry_their_template() -> None:
    path = spec("invoices").render_item(account_id="ACC001", id=7)
    assert path == "/accounting/account/ACC001/invoices/invoices/7"
    assert isinstance(path, TemplatedPath)
    assert template_for(path) == INVOICE
    built = build_path("/uploads/images/{jwt}", jwt="abc.def")
    assert (built, template_for(built)) == ("/uploads/images/abc.def", "/uploads/images/{jwt}")
    assert type(built + "/x") is str  # a new path does not keep the old template
    copy = pickle.loads(pickle.dumps(built))  # noqa: S301 - our own bytes
    assert (copy, template_for(copy)) == (built, "/uploads/images/{jwt}")


def test_raw_paths_match_the_catalogue_literal_segments_first() -> None:
    assert template_for("/accounting/account/A1/invoices/invoices/9") == INVOICE
    assert template_for("/accounting/account/A1/invoices/invoices") == INVOICES
    assert template_for("/auth/api/v1/users/me") == "/auth/api/v1/users/me"
    assert template_for("/nowhere/at/all") is None


# --------------------------------------------------------------------------- streamed, loopback


async def test_streamed_calls_and_downloads_fire_events_over_loopback(tmp_path: Path) -> None:
    recorder = Recorder()
    data = b"%PDF-1.4\n" + bytes(range(256)) * 16 + b"\n%%EOF\n"
    async with (
        SandboxServer() as server,
        FreshBooksClient(
            server.token,
            base_url=server.url,
            transport=AiohttpTransport(),
            event_hooks=recorder.hooks(),
        ) as fb,
    ):
        stored = await fb.attachments.upload("ACC001", data, filename="r.pdf")
        server.sandbox.configure_faults(["503:count=1:route=GET /uploads/*"])
        target = tmp_path / "r.pdf"
        assert await fb.attachments.download_to(stored.jwt, target) == len(data)
        await fb.aclose()
        await fb.transport.aclose()
    assert target.read_bytes() == data
    assert recorder.kinds() == [
        "request",  # the upload
        "response",
        "request",  # the download: 503, then 200
        "response",
        "retry",
        "request",
        "response",
    ]
    upload, first, second = recorder.of("request")
    assert (upload.method, upload.path_template, upload.streamed) == (
        "POST",
        "/uploads/account/{account_id}/attachments",
        False,
    )
    for event, attempt in ((first, 1), (second, 2)):
        assert (event.path_template, event.path) == ("/uploads/attachments/{jwt}", stored.path)
        assert (event.streamed, event.attempt) == (True, attempt)
    assert [e.status for e in recorder.of("response")] == [200, 503, 200]
    assert recorder.of("retry")[0].reason == "status 503"


def test_a_literal_segment_wins_over_a_placeholder() -> None:
    from freshbooks_async._route import _Node

    root = _Node()

    def match(path: str) -> str | None:
        return root.match(path.split("/"))

    for template in ("/items/{id}/{part}", "/items/{id}/lines", "/items/all/{part}"):
        root.add(template)
    assert match("/items/7/lines") == "/items/{id}/lines"
    assert match("/items/7/notes") == "/items/{id}/{part}"
    assert match("/items/all/lines") == "/items/all/{part}"
    assert match("/items/all") is None
    assert match("/items//lines") is None  # a placeholder is never empty


# --------------------------------------------------------------------------- OpenTelemetry example


def load_example(name: str) -> ModuleType:
    path = Path(__file__).parent.parent / "examples" / f"{name}.py"
    module_spec = importlib.util.spec_from_file_location(f"examples_{name}", path)
    assert module_spec is not None
    assert module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_spec.name] = module
    module_spec.loader.exec_module(module)
    return module


async def test_otel_example_traces_each_attempt_against_the_sandbox_on_loopback() -> None:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.trace import SpanKind, StatusCode

    example = load_example("otel_tracing")
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    hooks = example.tracing_hooks(provider.get_tracer("test"))
    async with SandboxServer(seed_invoices=2) as server:
        base = yarl.URL(server.url)
        server.sandbox.configure_faults(
            [
                "503:count=1:route=GET /accounting/account/*/invoices/invoices/*",
                "reset_before:count=1:route=GET /accounting/account/*/users/clients",
            ]
        )
        async with FreshBooksClient(
            server.token,
            base_url=server.url,
            retry=RetryPolicy(jitter=lambda ceiling: 0.0),
            event_hooks=hooks,
        ) as fb:
            await fb.invoices.get("ACC001", 1)
            await fb.clients.list("ACC001")
    spans = exporter.get_finished_spans()
    assert [span.name for span in spans] == [
        f"GET {INVOICE}",
        f"GET {INVOICE}",
        "GET /accounting/account/{account_id}/users/clients",
        "GET /accounting/account/{account_id}/users/clients",
    ]
    unavailable, answered, reset, listed = (dict(span.attributes or {}) for span in spans)
    assert unavailable == {
        "http.request.method": "GET",
        "url.full": str(base.with_path("/accounting/account/ACC001/invoices/invoices/1")),
        "url.template": INVOICE,
        "server.address": "127.0.0.1",
        "server.port": base.port,
        "http.response.status_code": 503,
        "error.type": "503",
    }
    assert spans[0].status.status_code is StatusCode.ERROR
    assert answered["http.response.status_code"] == 200
    assert answered["http.request.resend_count"] == 1
    assert answered["freshbooks.retry.reason"] == "status 503"
    assert answered["freshbooks.retry.wait"] == 0.0
    assert "http.request.resend_count" not in unavailable
    assert spans[1].status.status_code is StatusCode.UNSET
    assert reset["error.type"] == "ServerDisconnectedError"  # dropped before an answer
    assert "http.response.status_code" not in reset
    assert spans[2].status.status_code is StatusCode.ERROR
    assert [e.name for e in spans[2].events] == ["exception"]
    assert listed["http.response.status_code"] == 200
    assert listed["http.request.resend_count"] == 1
    assert listed["freshbooks.retry.reason"] == reset["error.type"]
    assert all(span.kind is SpanKind.CLIENT for span in spans)
    assert all(span.end_time is not None for span in spans)
    provider.shutdown()
