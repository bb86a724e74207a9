"""Uploads: byte-for-byte round trips, streaming both ways, checks before sending, the
two-step receipt and logo flows."""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import attrs
import pytest
import yarl
from aiohttp import web
from aiohttp.test_utils import TestServer

from freshbooks_async import FakeClock, FreshBooksClient, RetryPolicy, errors
from freshbooks_async.auth import OAuth2Session, Token
from freshbooks_async.sandbox import Sandbox, SandboxServer
from freshbooks_async.testing import MockTransport
from freshbooks_async.transports import AiohttpTransport, Request, Response, StreamedResponse
from freshbooks_async.uploads import (
    CHUNK_SIZE,
    Attachments,
    FileTooLargeError,
    Images,
    UnsupportedFileTypeError,
    Upload,
    Uploads,
)

ACCOUNT = "ACC001"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
NO_WAIT = RetryPolicy(jitter=lambda ceiling: 0.0)


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(max_body_bytes=32 * 1024 * 1024)


@pytest.fixture
def transport(sandbox: Sandbox) -> MockTransport:
    return MockTransport(sandbox.handle)


@pytest.fixture
async def fb(sandbox: Sandbox, transport: MockTransport) -> AsyncIterator[FreshBooksClient]:
    async with FreshBooksClient(
        sandbox.token, transport=transport, retry=NO_WAIT, clock=FakeClock()
    ) as client:
        yield client


@pytest.fixture
def uploads(fb: FreshBooksClient) -> Uploads:
    return Uploads(fb)


async def chunks(data: bytes, size: int = 1000) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


# --------------------------------------------------------------------------- round trips


async def test_image_round_trip_from_bytes(uploads: Uploads, transport: MockTransport) -> None:
    image = await uploads.images.upload(ACCOUNT, PNG, filename='logo "v2".png')
    assert image.kind == "image"
    assert image.media_type == "image/png"
    assert image.filename == "logo %22v2%22.png"  # HTML form encoding of '"'
    assert image.link is not None
    assert image.link.endswith(image.jwt)
    assert image.path == f"/uploads/images/{image.jwt}"
    sent = transport.requests[-1]
    assert sent.url.path == f"/uploads/account/{ACCOUNT}/images"
    assert sent.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert int(sent.headers["Content-Length"]) == len(sent.body)
    assert b'name="content"' in sent.body
    assert await uploads.images.download(image.jwt) == PNG
    assert image.jwt[:12] in repr(image)
    assert image.jwt not in repr(image)


async def test_attachment_round_trip_from_a_path_streams_both_ways(
    uploads: Uploads, transport: MockTransport, tmp_path: Path
) -> None:
    source = tmp_path / "receipt.pdf"
    source.write_bytes(PDF)
    receipt = await uploads.attachments.upload(ACCOUNT, path=source)
    assert (receipt.filename, receipt.media_type) == ("receipt.pdf", "application/pdf")
    sent = transport.requests[-1]
    assert int(sent.headers["Content-Length"]) == len(sent.body)  # drained stream, exact
    copy = tmp_path / "copy.pdf"
    written = await uploads.attachments.download_to(receipt.jwt, copy, chunk_size=100)
    assert written == len(PDF)
    assert copy.read_bytes() == PDF
    assert await uploads.attachments.download(receipt.jwt) == PDF


async def test_upload_from_an_async_stream(uploads: Uploads) -> None:
    stored = await uploads.attachments.upload(
        ACCOUNT, stream=chunks(PDF), size=len(PDF), filename="s.pdf"
    )
    assert await uploads.attachments.download(stored.jwt) == PDF


async def test_type_is_sniffed_when_nothing_declares_it(uploads: Uploads) -> None:
    stored = await uploads.images.upload(ACCOUNT, PNG)
    assert stored.media_type == "image/png"
    assert stored.filename == "upload.png"


async def test_image_upload_without_an_account(uploads: Uploads, transport: MockTransport) -> None:
    stored = await uploads.images.upload(None, PNG, filename="app.png")
    assert transport.requests[-1].url.path == "/uploads/images"
    assert await uploads.images.download(stored.jwt) == PNG
    with pytest.raises(ValueError, match="account"):
        await uploads.attachments.upload(None, PDF, filename="x.pdf")


# --------------------------------------------------------------------------- checks before sending


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"data": b"hello", "filename": "a.txt"}, UnsupportedFileTypeError, "accept"),
        ({"data": PNG, "filename": "a.pdf"}, UnsupportedFileTypeError, "looks like image/png"),
        ({"data": PDF, "content_type": "image/png"}, UnsupportedFileTypeError, "looks like"),
        ({"data": b"\x00\x01\x02"}, UnsupportedFileTypeError, "cannot tell"),
        ({"data": b"", "filename": "a.pdf"}, ValueError, "empty"),
        ({"data": PDF, "filename": "../a.pdf"}, ValueError, "bare name"),
        ({"data": PDF, "filename": "a\r\n.pdf"}, ValueError, "control"),
        ({"data": PDF, "path": "x.pdf"}, ValueError, "exactly one"),
        ({}, ValueError, "exactly one"),
        ({"data": "text"}, TypeError, "bytes"),
        ({"stream": [b"x"], "size": 1}, TypeError, "async iterable"),
        ({"stream": "chunks()", "filename": "a.pdf"}, TypeError, "async iterable"),
        ({"data": PDF, "filename": "a.pdf", "size": -1}, ValueError, "size"),
    ],
)
async def test_bad_uploads_fail_before_any_request(
    uploads: Uploads,
    transport: MockTransport,
    kwargs: dict[str, Any],
    error: type[Exception],
    match: str,
) -> None:
    with pytest.raises(error, match=match):
        await uploads.attachments.upload(ACCOUNT, **kwargs)
    assert transport.requests == []


async def test_stream_without_size_is_refused(uploads: Uploads, transport: MockTransport) -> None:
    with pytest.raises(ValueError, match="size"):
        await uploads.attachments.upload(ACCOUNT, stream=chunks(PDF), filename="a.pdf")
    assert transport.requests == []


async def test_size_limit_is_checked_before_sending(
    fb: FreshBooksClient, transport: MockTransport, tmp_path: Path
) -> None:
    small = Attachments(fb, max_size=1000)
    big = tmp_path / "big.pdf"
    big.write_bytes(PDF)
    for kwargs in (
        {"data": PDF, "filename": "a.pdf"},
        {"path": big},
        {"stream": chunks(PDF), "size": len(PDF), "filename": "a.pdf"},
    ):
        with pytest.raises(FileTooLargeError, match="at most 1000 bytes"):
            await small.upload(ACCOUNT, **kwargs)
    assert transport.requests == []
    images = Images(fb, allowed_types={"image/png"})
    with pytest.raises(UnsupportedFileTypeError):
        await images.upload(ACCOUNT, b"GIF89a" + PNG[8:], filename="a.gif")
    with pytest.raises(TypeError):
        Images(fb, allowed_types="image/png")
    with pytest.raises(ValueError, match="max_size"):
        Images(fb, max_size=0)
    with pytest.raises(TypeError):
        Images("client")  # type: ignore[arg-type]


async def test_a_stream_that_lies_about_its_size_fails(uploads: Uploads) -> None:
    with pytest.raises(ValueError, match="declared"):
        await uploads.attachments.upload(
            ACCOUNT, stream=chunks(PDF), size=len(PDF) + 5, filename="a.pdf"
        )
    with pytest.raises(ValueError, match="longer than"):
        await uploads.attachments.upload(
            ACCOUNT, stream=chunks(PDF), size=len(PDF) - 5, filename="a.pdf"
        )


async def test_a_retried_upload_replays_a_path_but_not_a_one_shot_stream(
    sandbox: Sandbox, uploads: Uploads, tmp_path: Path
) -> None:
    source = tmp_path / "r.pdf"
    source.write_bytes(PDF)
    sandbox.configure_faults(["429:count=1:route=POST /uploads/*"])
    stored = await uploads.attachments.upload(ACCOUNT, path=source)
    assert await uploads.attachments.download(stored.jwt) == PDF
    sandbox.configure_faults(["429:count=1:route=POST /uploads/*"])
    with pytest.raises(RuntimeError, match="sent only once"):
        await uploads.attachments.upload(
            ACCOUNT, stream=chunks(PDF), size=len(PDF), filename="a.pdf"
        )


# --------------------------------------------------------------------------- downloads


async def test_missing_download_raises_and_leaves_no_file(uploads: Uploads, tmp_path: Path) -> None:
    with pytest.raises(errors.NotFoundError):
        await uploads.images.download("no-such-jwt")
    target = tmp_path / "out.png"
    with pytest.raises(errors.NotFoundError):
        await uploads.images.download_to("no-such-jwt", target)
    assert os.listdir(tmp_path) == []
    with pytest.raises(ValueError, match="directory"):
        await uploads.images.download_to("jwt", tmp_path / "missing" / "x.png")
    with pytest.raises(ValueError, match="chunk_size"):
        await uploads.images.download_to("jwt", target, chunk_size=0)


async def test_streamed_download_refreshes_an_expired_token_once(
    sandbox: Sandbox, transport: MockTransport, tmp_path: Path
) -> None:
    clock = FakeClock()
    sandbox.clock = clock
    session = OAuth2Session(sandbox.client_id, sandbox.client_secret, "https://localhost/callback")
    async with FreshBooksClient(token_provider=session, transport=transport, clock=clock) as fb:
        # Mint a real pair through the sandbox's refresh grant.
        code = "c0de"
        sandbox.auth_codes[code] = (sandbox.client_id, "https://localhost/callback", None, 1e12)
        token = await session.exchange_code(code)
        stored = await Uploads(fb).images.upload(ACCOUNT, PNG, filename="a.png")
        sandbox.tokens[token.access_token].expires_at = 0.0  # rejected server-side
        target = tmp_path / "a.png"
        assert await Uploads(fb).images.download_to(stored.jwt, target) == len(PNG)
    assert target.read_bytes() == PNG
    assert session.refresh_count == 1
    assert isinstance(session.token, Token)


# --------------------------------------------------------------------------- two-step flows


async def test_receipt_and_logo_flows(uploads: Uploads, fb: FreshBooksClient) -> None:
    expense = await fb.request(
        "POST",
        f"/accounting/account/{ACCOUNT}/expenses/expenses",
        json={
            "expense": {
                "amount": {"amount": "10.00", "code": "USD"},
                "categoryid": 1,
                "staffid": 1,
                "date": "2024-01-01",
            }
        },
    )
    expense_id = expense.data["expense"]["id"]
    receipt = await uploads.attachments.upload(ACCOUNT, PDF, filename="r.pdf")
    updated = await uploads.attach_expense_receipt(ACCOUNT, expense_id, receipt)
    assert updated["attachment"] == {"jwt": receipt.jwt, "media_type": "application/pdf"}
    fetched = await fb.request(
        "GET", f"/accounting/account/{ACCOUNT}/expenses/expenses/{expense_id}"
    )
    assert fetched.data["expense"]["attachment"]["jwt"] == receipt.jwt

    invoice = await fb.request(
        "POST",
        f"/accounting/account/{ACCOUNT}/invoices/invoices",
        json={"invoice": {"customerid": 1, "create_date": "2024-01-01", "lines": []}},
    )
    invoice_id = invoice.data["invoice"]["id"]
    logo = await uploads.images.upload(ACCOUNT, PNG, filename="logo.png")
    updated = await uploads.set_invoice_logo(ACCOUNT, invoice_id, logo)
    assert updated["presentation"]["image_logo_src"] == f"/uploads/images/{logo.jwt}"
    with pytest.raises(ValueError, match="image"):
        await uploads.set_invoice_logo(ACCOUNT, invoice_id, receipt)
    with pytest.raises(TypeError):
        await uploads.attach_expense_receipt(ACCOUNT, expense_id, {"jwt": "x"})  # type: ignore[arg-type]


def test_upload_decoding() -> None:
    body = {"image": {"jwt": "j", "filename": "f", "media_type": "image/png", "x": 1}, "link": "L"}
    image = Upload.from_api("image", body)
    assert (image.link, image.extras) == ("L", {"x": 1})
    assert image.attachment_ref() == {"jwt": "j", "media_type": "image/png"}
    with pytest.raises(errors.ResponseDecodeError):
        Upload.from_api("attachment", body)


# --------------------------------------------------------------------------- 20 MB over loopback


class RecordingTransport:
    """Wraps the aiohttp transport and records how request bodies were produced."""

    def __init__(self, inner: AiohttpTransport) -> None:
        self.inner = inner
        self.in_memory_bodies: list[int] = []
        self.largest_chunk = 0
        self.streamed_bytes = 0

    def _watch(self, request: Request) -> Request:
        self.in_memory_bodies.append(len(request.body))
        factory = request.stream
        if factory is None:
            return request

        async def watched() -> AsyncIterator[bytes]:
            async for chunk in factory():
                self.largest_chunk = max(self.largest_chunk, len(chunk))
                self.streamed_bytes += len(chunk)
                yield chunk

        return attrs.evolve(request, stream=watched)

    async def send(self, request: Request) -> Response:
        return await self.inner.send(self._watch(request))

    @asynccontextmanager
    async def stream(self, request: Request) -> AsyncIterator[StreamedResponse]:
        async with self.inner.stream(self._watch(request)) as response:
            yield response

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_20_mb_round_trip_streamed_over_loopback(tmp_path: Path) -> None:
    size = 20 * 1024 * 1024
    source = tmp_path / "big.pdf"
    with source.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.write(os.urandom(size - 9))
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    async with SandboxServer(max_body_bytes=32 * 1024 * 1024) as server:
        transport = RecordingTransport(AiohttpTransport())
        async with FreshBooksClient(server.token, base_url=server.url, transport=transport) as fb:
            stored = await Uploads(fb).attachments.upload(ACCOUNT, path=source)
            target = tmp_path / "copy.pdf"
            written = await Uploads(fb).attachments.download_to(stored.jwt, target)
        await transport.aclose()
    # The upload streamed: nothing held in memory, chunks of at most CHUNK_SIZE.
    assert transport.in_memory_bodies == [0, 0]
    assert 0 < transport.largest_chunk <= CHUNK_SIZE
    assert transport.streamed_bytes > size
    assert written == size
    assert hashlib.sha256(target.read_bytes()).hexdigest() == digest


@pytest.mark.parametrize(("breaks", "recovers"), [(2, True), (4, False)])
async def test_a_streamed_download_that_breaks_off_starts_again(
    tmp_path: Path, breaks: int, recovers: bool
) -> None:
    """Over loopback, the sandbox sends the headers and half the body, then drops the
    connection: the body is fetched again from the start, as often as the retry policy
    allows (3 retries), and a download that never completes leaves no file."""
    clock = FakeClock()
    sandbox = Sandbox(clock=clock)
    async with (
        SandboxServer(sandbox) as server,
        FreshBooksClient(server.token, base_url=server.url, retry=NO_WAIT, clock=clock) as fb,
    ):
        stored = await Uploads(fb).attachments.upload(ACCOUNT, PDF, filename="r.pdf")
        sandbox.configure_faults([f"truncate:count={breaks}:route=GET /uploads/*"])
        target = tmp_path / "r.pdf"
        if recovers:
            written = await Uploads(fb).attachments.download_to(stored.jwt, target)
        else:
            with pytest.raises(errors.TransportError) as caught:
                await Uploads(fb).attachments.download_to(stored.jwt, target)
    truncated = sandbox.stats.faults["truncate"]
    if recovers:
        assert written == len(PDF)
        assert target.read_bytes() == PDF
        assert truncated == 2
    else:
        assert caught.value.retries_taken == 3
        assert truncated == 4
        assert not target.exists()
    assert _names(tmp_path) == (["r.pdf"] if recovers else [])  # no partial file
    assert len(clock.sleeps) == min(breaks, 3)  # one backoff before each new attempt


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


# --------------------------------------------------------------------------- stalled bodies


class StallingServer:
    """An aiohttp.web server on 127.0.0.1 that answers every request with its headers
    (``Content-Length: 100``) and the first 10 bytes of the body, then sends nothing more
    (optionally: trickles the rest in ``pieces`` separated by ``gap`` seconds)."""

    def __init__(self, *, pieces: int = 0, gap: float = 0.0) -> None:
        self.requests = 0
        self.pieces = pieces
        self.gap = gap
        self.released = asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._answer)
        self.server = TestServer(app, host="127.0.0.1")

    @property
    def size(self) -> int:
        return 10 + 10 * self.pieces if self.pieces else 100

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        response.content_length = self.size
        await response.prepare(request)
        await response.write(b"0123456789")
        for _ in range(self.pieces):
            await asyncio.sleep(self.gap)
            await response.write(b"abcdefghij")
        if self.pieces:
            await response.write_eof()
            return response
        await self.released.wait()  # stalls until the test ends
        return response

    @property
    def url(self) -> yarl.URL:
        return self.server.make_url("/")

    async def __aenter__(self) -> StallingServer:
        await self.server.start_server()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.released.set()
        await self.server.close()


JWT = "eyJhbGciOiJIUzI1NiJ9.stalled.jwt"


async def _read_streamed(fb: FreshBooksClient) -> bytes:
    async with fb.stream("GET", f"/uploads/images/{JWT}") as response:
        return await response.read()


def _stalled_reads(tmp_path: Path) -> dict[str, Callable[[FreshBooksClient], Awaitable[Any]]]:
    return {
        "request": lambda fb: fb.request("GET", f"/uploads/images/{JWT}", expect="bytes"),
        "stream": _read_streamed,
        "images.download_to": lambda fb: fb.images.download_to(JWT, tmp_path / "logo.png"),
    }


@pytest.mark.parametrize("how", ["request", "stream", "images.download_to"])
async def test_a_body_that_stalls_mid_way_raises_a_read_timeout(tmp_path: Path, how: str) -> None:
    """Headers and 10 bytes, then silence: every way of reading the body ends in our
    maybe-sent ReadTimeoutError once ``timeout`` passes without a byte (the safety
    timeout only keeps a regression from hanging the suite). A download is an idempotent
    GET, so it starts again once (the policy's one retry) before the error surfaces."""
    retry = RetryPolicy(max_retries=1, jitter=lambda ceiling: 0.0)
    async with (
        StallingServer() as server,
        FreshBooksClient(
            "token-123456789", base_url=server.url, timeout=0.3, retry=retry, clock=FakeClock()
        ) as fb,
    ):
        with pytest.raises(errors.TransportError) as caught:
            await asyncio.wait_for(_stalled_reads(tmp_path)[how](fb), 30)
    assert type(caught.value) is errors.ReadTimeoutError
    assert isinstance(caught.value, errors.RequestMaybeSentError)
    assert caught.value.method == "GET"
    # The pipeline retries what fails before the body is handed over; a streamed body
    # that fails once handed over is only replayed by download_to.
    assert server.requests == (1 if how == "stream" else 2)
    assert caught.value.retries_taken == (0 if how == "stream" else 1)
    assert _names(tmp_path) == []  # download_to left no partial file


async def test_a_slow_body_that_keeps_arriving_is_not_cut_off(tmp_path: Path) -> None:
    """The timeout bounds each wait for the next bytes of a streamed body, not the whole
    download: a body arriving in pieces over longer than ``timeout`` completes."""
    async with (
        StallingServer(pieces=5, gap=0.15) as server,
        FreshBooksClient(
            "token-123456789", base_url=server.url, timeout=0.5, retry=RetryPolicy.disabled()
        ) as fb,
    ):
        body, written = await asyncio.wait_for(
            asyncio.gather(_read_streamed(fb), fb.images.download_to(JWT, tmp_path / "a.png")),
            30,
        )
    assert body == b"0123456789" + b"abcdefghij" * 5
    assert written == len(body)
    assert (tmp_path / "a.png").read_bytes() == body
