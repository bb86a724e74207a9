"""No secret the client knows leaves the SDK in an exception.

Access tokens, refresh tokens, the client secret, authorization codes and webhook
verifiers are scrubbed from everything an error carries: message, args, attributes
(``details``, ``field_errors``, ``body``...) and the whole ``__cause__``/``__context__``
chain, where an aiohttp exception that shows one (its ``request_info`` holds the request
headers) is replaced by a :class:`~freshbooks_async.errors.RedactedError`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import traceback
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus

import aiohttp
import pytest
import yarl
from aiohttp import web
from aiohttp.test_utils import TestServer

from freshbooks_async import FakeClock, FreshBooksClient, RetryPolicy, errors
from freshbooks_async._secrets import (
    REDACTED,
    CallSecrets,
    Scrubber,
    scoped_secrets,
    secret_scope,
)
from freshbooks_async.auth import OAuth2Session, Token
from freshbooks_async.models import Invoice
from freshbooks_async.testing import MockTransport, Router, sample_json
from freshbooks_async.transports import AiohttpTransport, Request, Response, StreamedResponse

BASE = "https://api.freshbooks.com"
CLIENTS = "/accounting/account/ABC/users/clients"
ACCESS = "access-tok-5a1f9e77c3d04b2e8c1d"
REFRESH = "refresh-tok-0b6e3f2a9d8c4e11a7f0"
# Characters that form-encoding and JSON escape differently, so every echoed form counts.
CLIENT_SECRET = "client/secret+7d2c=1b0a&9e8f"
CODE = "auth-code-3e4f5a6b7c8d9e0f1a2b"
VERIFIER = "verifier-9c8b7a6f5e4d3c2b1a00"
SECRETS = (ACCESS, REFRESH, CLIENT_SECRET, CODE, VERIFIER)


def forms(secret: str) -> list[str]:
    """How a secret can appear: as is, form-encoded, percent-encoded or JSON-escaped."""
    escaped = json.dumps(secret)[1:-1]
    return [
        secret,
        quote_plus(secret),
        quote(secret, safe=""),
        escaped,
        escaped.replace("/", "\\/"),
    ]


def everything_shown(error: BaseException) -> str:
    """Every text an error exposes: str, repr, args and attributes of each exception in
    its cause/context chain (attributes that are exceptions followed too), the API
    error's details, field errors and body, and the formatted traceback."""
    texts: list[str] = ["".join(traceback.format_exception(error))]
    seen: set[int] = set()
    todo = [error]
    while todo:
        exc = todo.pop()
        if id(exc) in seen:
            continue
        seen.add(id(exc))
        texts += [str(exc), repr(exc), repr(exc.args)]
        for name, value in getattr(exc, "__dict__", {}).items():
            texts.append(f"{name}={value!r}")
            if isinstance(value, BaseException):
                todo.append(value)
        if isinstance(exc, errors.APIError):
            texts += [repr(exc.details), repr(exc.field_errors), exc.body.decode("latin-1")]
        if isinstance(exc, errors.ResponseDecodeError):
            texts.append(exc.body.decode("latin-1"))
        todo += [link for link in (exc.__cause__, exc.__context__) if link is not None]
    return "\n".join(texts)


def assert_no_secret(error: BaseException, secrets: tuple[str, ...] = SECRETS) -> None:
    shown = everything_shown(error)
    for secret in secrets:
        for form in forms(secret):
            assert form not in shown, f"{form!r} shown by {type(error).__name__}"


# --------------------------------------------------------------------------- aiohttp causes


@contextlib.asynccontextmanager
async def bad_status_line_server() -> AsyncIterator[yarl.URL]:
    """Answers every request with an unparsable status line: aiohttp raises a
    ClientResponseError whose request_info holds the request's headers."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 2x0 Bogus\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    try:
        yield yarl.URL(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}")
    finally:
        server.close()
        await server.wait_closed()


async def test_a_read_error_caused_by_aiohttp_shows_no_bearer_token() -> None:
    async with (
        bad_status_line_server() as url,
        FreshBooksClient(ACCESS, base_url=url, retry=RetryPolicy.disabled()) as fb,
    ):
        with pytest.raises(errors.ReadError) as caught:
            await fb.request("GET", CLIENTS)
    assert_no_secret(caught.value)
    cause = caught.value.__cause__
    # A stand-in keeps what the aiohttp error said, and what it was.
    assert isinstance(cause, errors.RedactedError)
    assert cause.type_name == "aiohttp.client_exceptions.ClientResponseError"
    # aiohttp's wording ("Bad status line", "Invalid status code") varies by version.
    assert "2x0 Bogus" in cause.message
    assert str(cause).startswith("aiohttp.client_exceptions.ClientResponseError: 400")
    assert cause.__traceback__ is not None
    assert caught.value.__context__ is None  # no unscrubbed context either


async def test_the_transport_alone_scrubs_the_request_credentials() -> None:
    """Used without a client, the transport keeps the values of the request's sensitive
    headers out of its errors (the chain included)."""
    async with bad_status_line_server() as url, AiohttpTransport() as transport:
        request = Request(
            method="GET",
            url=url.with_path("/x"),
            headers={"Authorization": f"Bearer {ACCESS}", "Cookie": f"session={REFRESH}"},
        )
        with pytest.raises(errors.ReadError) as caught:
            await transport.send(request)
    assert_no_secret(caught.value, (ACCESS, REFRESH))
    assert "2x0 Bogus" in str(caught.value.__cause__)


# --------------------------------------------------------------------------- echoing servers


class EchoingTokenEndpoint:
    """An aiohttp.web app on 127.0.0.1 whose token and revoke endpoints echo the form
    they were sent (every field, the secrets included) in the answer ``mode`` picks."""

    def __init__(self) -> None:
        self.mode = "oauth"
        self.forms: list[dict[str, str]] = []
        app = web.Application()
        app.router.add_post("/auth/oauth/token", self.answer)
        app.router.add_post("/auth/oauth/revoke", self.answer)
        self.server = TestServer(app, host="127.0.0.1")

    async def answer(self, request: web.Request) -> web.Response:
        raw = await request.text()
        fields = dict(parse_qsl(raw))
        self.forms.append(fields)
        if self.mode == "oauth":  # the form, as sent, in error_description
            document: Any = {"error": "invalid_grant", "error_description": f"bad: {raw}"}
            return web.json_response(document, status=400)
        if self.mode == "details":  # field by field, like a validation error
            document = {"errors": [{"field": k, "message": f"bad {v}"} for k, v in fields.items()]}
            return web.json_response(document, status=422)
        if self.mode == "server_error":
            return web.json_response({"message": f"failed on {json.dumps(fields)}"}, status=500)
        return web.Response(status=200, text=f"<html>{raw}</html>")  # "malformed"

    async def __aenter__(self) -> EchoingTokenEndpoint:
        await self.server.start_server()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.server.close()


@pytest.mark.parametrize("mode", ["oauth", "details", "server_error", "malformed"])
async def test_a_token_endpoint_echoing_the_form_leaks_no_secret(mode: str) -> None:
    """The code exchange, the refresh and the revoke each send secrets in their form; an
    endpoint that echoes the form in its answer (an OAuth error, validation details, a
    5xx, a body that is not JSON) gets none of them into the error the caller sees."""
    async with EchoingTokenEndpoint() as endpoint:
        endpoint.mode = mode
        session = OAuth2Session("client-id", CLIENT_SECRET, "https://localhost/callback")
        base = str(endpoint.server.make_url("/"))
        async with FreshBooksClient(
            token_provider=session, base_url=base, retry=RetryPolicy.disabled()
        ):
            with pytest.raises(errors.FreshBooksError) as exchange:
                await session.exchange_code(CODE)
            await session.set_token(Token(access_token=ACCESS, refresh_token=REFRESH))
            with pytest.raises(errors.FreshBooksError) as refresh:
                await session.refresh()
            await session.set_token(Token(access_token=ACCESS, refresh_token=REFRESH))
            with pytest.raises(errors.FreshBooksError) as revoke:
                await session.revoke()
    # The endpoint did get (and echo) every secret.
    sent = {value for form in endpoint.forms for value in form.values()}
    assert {CLIENT_SECRET, CODE, REFRESH} <= sent
    for caught in (exchange, refresh, revoke):
        assert_no_secret(caught.value)
    if mode == "oauth":
        assert isinstance(exchange.value, errors.InvalidGrantError)
        assert "grant_type=authorization_code" in str(exchange.value)  # the rest is kept
    if mode == "details":
        assert isinstance(exchange.value, errors.UnprocessableEntityError)
        assert exchange.value.field_errors["client_secret"] == "bad <redacted>"
        assert exchange.value.field_errors["grant_type"] == "bad authorization_code"
    if mode in ("server_error", "malformed"):
        assert isinstance(refresh.value, errors.RefreshAmbiguousError)


# --------------------------------------------------------------------------- API errors


@pytest.fixture
def router() -> Router:
    return Router(base_url=BASE)


@pytest.fixture
async def fb(router: Router) -> AsyncIterator[FreshBooksClient]:
    async with FreshBooksClient(
        ACCESS, transport=MockTransport(router), clock=FakeClock(), retry=RetryPolicy.disabled()
    ) as client:
        yield client


async def test_an_echoed_bearer_token_is_scrubbed_from_details_and_field_errors(
    fb: FreshBooksClient, router: Router
) -> None:
    router.get(
        CLIENTS,
        Router.json(
            {
                "response": {
                    "errors": [
                        {
                            "errno": 1001,
                            "field": "authorization",
                            "message": f"token Bearer {ACCESS} is not valid here",
                            "object": "client",
                            "value": ACCESS,
                        }
                    ]
                }
            },
            status=400,
        ),
    )
    with pytest.raises(errors.ValidationError) as caught:
        await fb.request("GET", CLIENTS)
    assert_no_secret(caught.value)
    (detail,) = caught.value.details
    assert detail.value == "<redacted>"
    assert detail.errno == 1001
    assert caught.value.field_errors == {
        "authorization": "token Bearer <redacted> is not valid here"
    }
    assert b"<redacted>" in caught.value.body


async def test_a_webhook_verifier_echoed_back_is_scrubbed(
    fb: FreshBooksClient, router: Router
) -> None:
    path = "/events/account/ABC/events/callbacks/7"
    router.put(
        path,
        Router.json(
            {"errno": 1019, "message": f"verifier {VERIFIER} does not match", "details": []},
            status=422,
        ),
    )
    with pytest.raises(errors.UnprocessableEntityError) as caught:
        await fb.callbacks.verify("ABC", 7, VERIFIER)
    assert_no_secret(caught.value)
    assert "does not match" in str(caught.value)


class BreakingStream:
    """A transport whose streamed body fails after one chunk with a ReadError caused by
    an exception that shows the request's Authorization header."""

    def __init__(self) -> None:
        self.inner = MockTransport(lambda r: Response(status=200, body=b"x" * 10))

    async def send(self, request: Request) -> Response:
        return await self.inner.send(request)

    @contextlib.asynccontextmanager
    async def stream(self, request: Request) -> AsyncIterator[StreamedResponse]:
        authorization = request.headers["Authorization"]

        async def chunks(size: int) -> AsyncIterator[bytes]:
            yield b"first"
            try:
                raise RuntimeError(f"lost the connection of a request with {authorization}")
            except RuntimeError as exc:
                raise errors.ReadError("body broke off", method=request.method) from exc

        yield StreamedResponse(status=200, headers=request.headers, request=request, chunks=chunks)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_streamed_body_error_is_scrubbed_before_the_caller_sees_it() -> None:
    """Caught inside the ``async with`` block, before it leaves the client."""
    async with (
        FreshBooksClient(ACCESS, transport=BreakingStream()) as fb,
        fb.stream("GET", "/uploads/images/jwt") as response,
    ):
        with pytest.raises(errors.ReadError) as caught:
            await response.read()
        assert_no_secret(caught.value)
        assert "lost the connection" in str(caught.value.__cause__)


# ----------------------------------------------------- echoed in a success body, echoed headers

ACC = "/accounting/account/ACC001"
# A JWT-like token longer than the excerpt a decode error quotes of a value (80 chars).
LONG_TOKEN = "eyJhbGciOiJSUzI1NiJ9." + "c2VjcmV0LXBheWxvYWQ" * 6 + ".sig-9f8e7d6c5b4a"
COOKIE = "session-cookie-77e1c0d2a4b6"
PROXY_CREDENTIALS = "cHJveHk6cHJveHktcGFzcw=="
OTHER_BEARER = "caller-bearer-3c2b1a0f9e8d"


class EchoingAPI:
    """An aiohttp.web app on 127.0.0.1 that echoes what it was sent back to the client:
    its success bodies put the request's bearer token into model fields that cannot
    hold it (an invoice's status and amount, a report's total), and the clients list
    answers 400 with the values of the request's Cookie, Authorization and Proxy-Authorization
    headers in its error (message, field value and body)."""

    def __init__(self) -> None:
        app = web.Application()
        app.router.add_get(ACC + "/invoices/invoices/1", self.invoice)
        app.router.add_get(ACC + "/invoices/invoices", self.invoices)
        app.router.add_post(ACC + "/invoices/invoices", self.invoice)
        self.lookups_fail = False
        app.router.add_get(ACC + "/reports/accounting/invoice_details", self.report)
        app.router.add_get(ACC + "/users/clients", self.echo_headers)
        self.server = TestServer(app, host="127.0.0.1")

    @staticmethod
    def token(request: web.Request) -> str:
        return request.headers["Authorization"].removeprefix("Bearer ")

    def bad_invoice(self, request: web.Request) -> dict[str, Any]:
        token = self.token(request)
        money = {"amount": token, "code": "USD"}
        return sample_json(
            Invoice,
            id=1,
            status=token,
            amount=money,
            invoice_number="0000042",
            customerid=1,  # the bulk test's draft: a look-up finds it as the draft's
            create_date="2026-01-02",
        )

    async def invoice(self, request: web.Request) -> web.Response:
        result = {"invoice": self.bad_invoice(request)}
        return web.json_response({"response": {"result": result}})

    async def invoices(self, request: web.Request) -> web.Response:
        page = int(request.query.get("page", "1"))
        looked_up = "search[invoice_number]" in request.query
        if looked_up and self.lookups_fail:
            return web.json_response({"message": "look-ups are down"}, status=500)
        items = (
            [self.bad_invoice(request)] if page == 2 or looked_up else [sample_json(Invoice, id=1)]
        )
        result = {"invoices": items, "page": page, "pages": 2, "per_page": 1, "total": 2}
        return web.json_response({"response": {"result": result}})

    async def report(self, request: web.Request) -> web.Response:
        token = self.token(request)
        body = {"invoice_details": {"total_amount": {"amount": token, "code": "USD"}}}
        return web.json_response({"response": {"result": body}})

    async def echo_headers(self, request: web.Request) -> web.Response:
        shown = [
            request.headers.get(name, "")
            for name in ("Cookie", "Authorization", "Proxy-Authorization")
        ]
        error = {
            "errno": 1001,
            "field": "headers",
            "message": "refused: " + " | ".join(shown),
            "object": "client",
            "value": shown,
        }
        return web.json_response({"response": {"errors": [error]}}, status=400)

    async def __aenter__(self) -> EchoingAPI:
        await self.server.start_server()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.server.close()

    @property
    def url(self) -> str:
        return str(self.server.make_url(""))


@pytest.mark.parametrize("token", [ACCESS, LONG_TOKEN], ids=["short", "cut-short"])
async def test_a_token_echoed_into_a_model_field_is_scrubbed_from_decode_errors(
    token: str,
) -> None:
    """A success body whose fields hold the token: the decode error quotes the values,
    the long token cut short, and is scrubbed as every error of that call is."""
    async with (
        EchoingAPI() as api,
        FreshBooksClient(token, base_url=api.url, retry=RetryPolicy.disabled()) as fb,
    ):
        with pytest.raises(errors.ModelDecodeError) as one:
            await fb.invoices.get("ACC001", 1)
        with pytest.raises(errors.ModelDecodeError) as page:
            await fb.invoices.list("ACC001", page=2, per_page=1)
        with pytest.raises(errors.PageFetchError) as scan:
            await fb.invoices.list_all("ACC001", per_page=1).collect()
        with pytest.raises(errors.ModelDecodeError) as report:
            await fb.reports.invoice_details("ACC001")
    for caught in (one, page, scan, report):
        assert_no_secret(caught.value, (token, token[:40]))
        assert REDACTED in str(caught.value), str(caught.value)
    assert isinstance(scan.value.cause, errors.ModelDecodeError)
    assert "$.status" in str(one.value)  # still says where and what


@pytest.mark.parametrize("lookups_fail", [False, True], ids=["found", "lookup-fails"])
async def test_a_token_echoed_into_bulk_created_invoices_is_scrubbed(lookups_fail: bool) -> None:
    """Bulk creation decodes the invoice a create answers, then, that failing, the one a
    look-up by its number finds: what the first decoding raises is the context of a
    failed look-up's error, what the second raises the draft's error."""
    async with (
        EchoingAPI() as api,
        FreshBooksClient(ACCESS, base_url=api.url, retry=RetryPolicy.disabled()) as fb,
    ):
        api.lookups_fail = lookups_fail
        draft = {"customerid": 1, "create_date": "2026-01-02", "invoice_number": "0000042"}
        result = await fb.invoices.bulk_create("ACC001", [draft])
    (item,) = result.items
    assert item.status == "unknown"
    assert item.error is not None
    decoding = item.error.__context__ if lookups_fail else item.error
    assert isinstance(decoding, errors.ModelDecodeError)
    assert_no_secret(item.error, (ACCESS,))
    assert REDACTED in str(decoding)


async def test_sensitive_headers_given_to_a_call_are_scrubbed_from_its_api_error() -> None:
    """Cookie, Proxy-Authorization and (unauthenticated) Authorization values a caller
    passes to ``fb.request`` are secrets of that call, as the bearer token is."""
    async with (
        EchoingAPI() as api,
        FreshBooksClient(ACCESS, base_url=api.url, retry=RetryPolicy.disabled()) as fb,
    ):
        headers = {"Cookie": f"sid={COOKIE}", "Proxy-Authorization": f"Basic {PROXY_CREDENTIALS}"}
        with pytest.raises(errors.ValidationError) as authenticated:
            await fb.request("GET", ACC + "/users/clients", headers=headers)
        with pytest.raises(errors.ValidationError) as own_bearer:
            await fb.request(
                "GET",
                ACC + "/users/clients",
                headers={**headers, "Authorization": f"Bearer {OTHER_BEARER}"},
                authenticated=False,
            )
    for caught in (authenticated, own_bearer):
        assert_no_secret(caught.value, (ACCESS, COOKIE, PROXY_CREDENTIALS, OTHER_BEARER))
        assert "refused: " in str(caught.value)
    assert b"<redacted>" in own_bearer.value.body
    (detail,) = own_bearer.value.details
    assert str(detail.value).count(REDACTED) == 3


# --------------------------------------------------------------------------- the scrubber


def test_every_form_of_a_secret_is_replaced_in_text_and_bytes() -> None:
    scrub = Scrubber([CLIENT_SECRET, None, ""])
    for form in forms(CLIENT_SECRET):
        assert scrub.text(f"a {form} b") == f"a {REDACTED} b"
        assert scrub.data(f"a {form} b".encode()) == f"a {REDACTED} b".encode()
    assert scrub.text("nothing here") == "nothing here"


def test_values_too_short_to_be_credentials_are_not_searched_for() -> None:
    scrub = Scrubber(["a", "token"])
    assert not scrub
    error = errors.ReadError("a token was lost")
    assert scrub.error(error) is error
    assert error.message == "a token was lost"


def test_a_secret_cut_short_by_an_excerpt_is_replaced() -> None:
    """An excerpt shows a long value's first characters and "...": a secret's start
    (8 characters or more) cut there is replaced; a shorter start, or one not cut, is
    not a secret's."""
    scrub = Scrubber([LONG_TOKEN])
    excerpt = repr("Bearer " + LONG_TOKEN)[:77] + "..."
    assert scrub.shows(excerpt)
    assert scrub.text(f"got {excerpt} (str)") == f"got 'Bearer {REDACTED}... (str)"
    assert scrub.text(f"got {LONG_TOKEN[:30]}… and more") == f"got {REDACTED}… and more"
    assert scrub.text(LONG_TOKEN[:7] + "...") == LONG_TOKEN[:7] + "..."  # too short to tell
    assert scrub.text(LONG_TOKEN[:30] + " then ...") == LONG_TOKEN[:30] + " then ..."
    assert not scrub.shows(LONG_TOKEN[:30])
    assert scrub.text(f"{LONG_TOKEN} and {LONG_TOKEN[:20]}...") == (f"{REDACTED} and {REDACTED}...")


def test_call_secrets_name_none_and_pick_header_values_when_scrubbing() -> None:
    headers = [("Cookie", f"a=1; sid={COOKIE}"), ("Accept", "application/json")]
    secrets = CallSecrets([ACCESS, None, ""], headers)
    assert ACCESS not in repr(secrets)
    assert ACCESS in secrets.values()
    assert COOKIE in secrets.values()  # the cookie's value, and the header's
    assert f"a=1; sid={COOKIE}" in secrets.values()
    assert "application/json" not in secrets.values()
    both = secrets.merged(CallSecrets([ACCESS, REFRESH])).values()
    assert both == (*secrets.values(), REFRESH)  # each once
    error = errors.ResponseDecodeError(f"bad {COOKIE} for {ACCESS}")
    with pytest.raises(errors.ResponseDecodeError), secrets.guard():
        raise error
    assert str(error) == f"bad {REDACTED} for {REDACTED}"


def test_own_errors_are_scrubbed_in_place_attributes_args_and_containers() -> None:
    detail = errors.ErrorDetail(message=f"bad {ACCESS}", field="token", value=ACCESS, errno=7)
    error = errors.ValidationError(
        f"rejected {ACCESS}", status=400, details=[detail], body=f'{{"t": "{ACCESS}"}}'.encode()
    )
    error.add_note(f"note {ACCESS}")
    page = errors.PageFetchError(2, error)
    assert Scrubber([ACCESS]).error(page) is page
    assert_no_secret(page, (ACCESS,))
    assert page.cause is error  # scrubbed in place, not replaced
    assert error.details[0] == errors.ErrorDetail(
        message=f"bad {REDACTED}", field="token", value=REDACTED, errno=7
    )
    assert error.args == (f"rejected {REDACTED}",)
    assert error.body == f'{{"t": "{REDACTED}"}}'.encode()


def test_a_foreign_cause_is_kept_unless_it_shows_a_secret() -> None:
    quiet = aiohttp.SocketTimeoutError("Timeout on reading data from socket")
    timed_out = errors.ReadTimeoutError("read timed out")
    timed_out.__cause__ = quiet
    Scrubber([ACCESS]).error(timed_out)
    assert timed_out.__cause__ is quiet  # isinstance checks on the cause keep working
    assert timed_out.__suppress_context__

    telling = ValueError(f"header Authorization: Bearer {ACCESS}")
    telling.__context__ = quiet
    error = errors.ReadError("connection failed")
    error.__cause__ = telling
    error.__suppress_context__ = False  # as set: replacing the cause must not change it
    Scrubber([ACCESS]).error(error)
    stand_in = error.__cause__
    assert isinstance(stand_in, errors.RedactedError)
    assert stand_in.type_name == "ValueError"
    assert str(stand_in) == f"ValueError: header Authorization: Bearer {REDACTED}"
    assert (
        repr(stand_in) == f"RedactedError('ValueError', 'header Authorization: Bearer {REDACTED}')"
    )
    assert stand_in.__context__ is quiet
    assert not error.__suppress_context__  # setting a link did not change what is shown
    assert ACCESS in str(telling)  # the foreign object itself is not modified


def test_a_cause_that_hides_a_secret_in_an_attribute_is_replaced() -> None:
    class ForeignError(Exception):
        def __init__(self) -> None:
            super().__init__("request failed")
            self.headers = {"Authorization": f"Bearer {ACCESS}"}

    error = errors.ReadError("connection failed")
    error.__cause__ = ForeignError()
    Scrubber([ACCESS]).error(error)
    assert isinstance(error.__cause__, errors.RedactedError)
    assert error.__cause__.type_name.endswith("ForeignError")
    assert error.__cause__.message == "request failed"


def test_cyclic_chains_are_scrubbed_once() -> None:
    first = errors.ReadError(f"first {ACCESS}")
    second = errors.ReadError(f"second {ACCESS}")
    first.__context__ = second
    second.__context__ = first
    Scrubber([ACCESS]).error(first)
    assert (first.message, second.message) == (f"first {REDACTED}", f"second {REDACTED}")


def test_secret_scope_marks_secrets_for_the_block_and_scrubs_what_leaves_it() -> None:
    def answer() -> None:
        with secret_scope(CODE, None):
            with secret_scope(VERIFIER):
                assert scoped_secrets() == (CODE, VERIFIER)
            assert scoped_secrets() == (CODE,)
            raise errors.ResponseDecodeError(f"bad answer to {CODE}")

    assert scoped_secrets() == ()
    with pytest.raises(errors.ResponseDecodeError) as caught:
        answer()
    assert str(caught.value) == f"bad answer to {REDACTED}"
    assert scoped_secrets() == ()
    with pytest.raises(KeyError, match=CODE), secret_scope(CODE):  # not ours: untouched
        raise KeyError(CODE)
