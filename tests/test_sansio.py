"""The wire knowledge without I/O (:mod:`freshbooks_async._sansio`): plain values in,
values out. No transport, no client, no event loop: every test here is synchronous.

Real bodies of each family are checked in tests/test_envelopes.py; these tests pin the
edges of each function: the exact messages, the odd values, the malformed bodies.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from decimal import Decimal
from typing import Any

import pytest

from freshbooks_async import _pipeline, _sansio, errors
from freshbooks_async._route import TemplatedPath
from freshbooks_async._sansio import (
    JSON_ENCODER,
    Envelope,
    PageInfo,
    ParsedError,
    api_error,
    build_path,
    check_account_id,
    check_business_id,
    check_business_uuid,
    decode_error,
    envelope_for_path,
    page_info,
    parse_error,
    render_query,
    unwrap,
)
from freshbooks_async.transports import Headers, Request, Response


def response(
    body: bytes | Any,
    status: int = 200,
    *,
    method: str = "GET",
    path: str = "/accounting/account/A1/users/clients",
    headers: dict[str, str] | None = None,
) -> Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Response(
        status=status,
        headers=Headers(headers or {}),
        body=raw,
        request=Request(method=method, url=f"https://api.freshbooks.com{path}"),
    )


class Colour(enum.Enum):
    RED = "red"
    SIZE = 3


def test_the_pipeline_reexports_the_same_objects() -> None:
    # Code that imports from the pipeline gets the very objects of the sans-I/O module.
    for name in _sansio.__all__:
        if name in _pipeline.__all__:
            assert getattr(_pipeline, name) is getattr(_sansio, name)
    assert {"build_path", "parse_error", "unwrap", "PageInfo"} <= set(_pipeline.__all__)


# ----------------------------------------------------------------------------- ids and paths


@pytest.mark.parametrize(
    ("check", "value", "error", "message"),
    [
        (check_account_id, 7, TypeError, "account_id: expected str (e.g. 'ABC123'), got int: 7"),
        (check_account_id, "", ValueError, "account_id: must be a non-empty id without spaces"),
        (check_account_id, " AB", ValueError, "got ' AB'"),
        (check_account_id, "AB\n", ValueError, "got 'AB\\n'"),
        (check_business_id, "12", TypeError, "business_id: expected int, got str: '12'"),
        (check_business_id, True, TypeError, "business_id: expected int, got bool: True"),
        (check_business_id, 0, ValueError, "business_id: must be a positive int, got 0"),
        (check_business_id, -4, ValueError, "got -4"),
        (check_business_uuid, None, TypeError, "business_uuid: expected str, got NoneType: None"),
        (check_business_uuid, "  ", ValueError, "business_uuid: must be a non-empty id"),
    ],
)
def test_id_checks_name_the_field_and_the_value(
    check: Any, value: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        check(value)
    assert message in str(info.value)


def test_id_checks_return_the_id_and_use_the_callers_name() -> None:
    assert check_account_id("ABC123") == "ABC123"
    assert check_business_id(42) == 42
    assert check_business_uuid("6b1c-44") == "6b1c-44"
    with pytest.raises(ValueError, match=r"^owner: must be a positive int, got 0$"):
        check_business_id(0, name="owner")
    with pytest.raises(TypeError, match=r"^account: expected str"):
        check_account_id(1.5, name="account")


def test_build_path_fills_each_placeholder_and_keeps_the_template() -> None:
    template = "/accounting/account/{account_id}/invoices/invoices/{id}"
    path = build_path(template, account_id="xZ9", id=0)
    assert path == "/accounting/account/xZ9/invoices/invoices/0"
    assert isinstance(path, TemplatedPath)
    assert path.template == template
    # A name the template does not use is checked, not sent.
    assert build_path("/a/{id}", id=3, unused="ok") == "/a/3"
    with pytest.raises(ValueError, match=r"^unused: "):
        build_path("/a/{id}", id=3, unused="a/b")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("a/b", "id: '/' cannot be in an id sent in a URL path"),
        ("a?b", "id: '?' cannot be in an id"),
        ("..", "id: '..' is not an id: as a path segment it changes the path"),
        ("", "id: must be a non-empty id, got ''"),
        (-1, "id: must be >= 0, got -1"),
    ],
)
def test_build_path_refusals_name_the_placeholder_and_the_value(
    value: object, message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
        build_path("/x/{id}", id=value)


# ----------------------------------------------------------------------------- queries


def test_render_query_writes_each_kind_of_value() -> None:
    moment = dt.datetime(2024, 2, 29, 13, 5, 7, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert render_query(
        {
            "search[name]": "Acme & Co",
            "page": 3,
            "active": False,
            "search[amount]": Decimal("1E+2"),
            "search[rate]": Decimal("-0.50"),
            "ratio": 0.1,
            "updated_since": moment,
            "date_min": dt.date(2024, 1, 1),
            "colour": Colour.RED,
            "size": Colour.SIZE,
        }
    ) == [
        ("search[name]", "Acme & Co"),  # encoded later, with the URL
        ("page", "3"),
        ("active", "false"),
        ("search[amount]", "100"),  # plain notation, never an exponent
        ("search[rate]", "-0.50"),
        ("ratio", "0.1"),
        ("updated_since", "2024-02-29T13:05:07-05:00"),
        ("date_min", "2024-01-01"),
        ("colour", "red"),
        ("size", "3"),
    ]


def test_render_query_repeats_the_key_of_each_collection_and_drops_none() -> None:
    assert render_query(
        [
            ("search[ids][]", (5, 6)),
            ("search[flags][]", [True, False]),
            ("search[one][]", frozenset({"only"})),
            ("search[none][]", []),
            ("dropped", None),
            ("search[ids][]", 7),  # pairs may repeat a key
        ]
    ) == [
        ("search[ids][]", "5"),
        ("search[ids][]", "6"),
        ("search[flags][]", "true"),
        ("search[flags][]", "false"),
        ("search[one][]", "only"),
        ("search[ids][]", "7"),
    ]
    assert render_query(None) == []
    assert render_query({}) == []


@pytest.mark.parametrize(
    ("params", "error", "message"),
    [
        ({"": 1}, TypeError, "query: keys must be non-empty str, got ''"),
        ([(1, "x")], TypeError, "query: keys must be non-empty str, got 1"),
        (
            {"amount": Decimal("NaN")},
            ValueError,
            "query amount: must be finite, got Decimal('NaN')",
        ),
        ({"ratio": float("inf")}, ValueError, "query ratio: must be finite, got inf"),
        ({"ids[]": [1, object]}, TypeError, "query ids[]: unsupported value type"),
        ({"filter": {"a": 1}}, TypeError, "query filter: unsupported value dict: {'a': 1}"),
        ({"blob": b"x"}, TypeError, "query blob: unsupported value bytes"),
    ],
)
def test_render_query_refusals_name_the_key(
    params: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        render_query(params)
    assert str(info.value).startswith(message)


# ----------------------------------------------------------------------------- envelopes


@pytest.mark.parametrize(
    ("path", "envelope"),
    [
        ("/accounting/account/A1/invoices/invoices/1", Envelope.ACCOUNTING),
        ("/accounting/account/A1/reports/accounting/profitloss", Envelope.ACCOUNTING),
        ("/accounting/businesses/u-1/reports/accounting/general_ledger", Envelope.ACCOUNTING),
        ("/accounting/businesses/u-1/ledger_accounts/accounts/9", Envelope.LEDGER),
        ("/accounting/ledger_accounts/sub_types", Envelope.LEDGER),
        ("/events/account/A1/events/callbacks/3", Envelope.EVENTS),
        ("/projects/business/7/project/2", Envelope.PROJECT),
        ("/timetracking/business/7/timers", Envelope.PROJECT),
        ("/comments/business/7/service/1/rate", Envelope.PROJECT),
        ("/auth/api/v1/users/me", Envelope.AUTH),
        ("/auth/oauth/token", Envelope.OAUTH),
        ("/payments/account/A1/invoice/4/payment_options", Envelope.PAYMENTS),
        ("/uploads/account/A1/attachments", Envelope.UPLOADS),
    ],
)
def test_envelope_for_path(path: str, envelope: Envelope) -> None:
    assert envelope_for_path(path) is envelope


@pytest.mark.parametrize(
    "path", ["", "/", "accounting/account/A1/x", "/accounting/other/x", "/auth/x", "/payments"]
)
def test_envelope_for_a_path_no_family_serves(path: str) -> None:
    message = f"path: no FreshBooks API family serves {path!r}"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        envelope_for_path(path)


@pytest.mark.parametrize(
    ("envelope", "document", "payload"),
    [
        (
            Envelope.ACCOUNTING,
            {"response": {"result": {"client": {"id": 1}}}},
            {"client": {"id": 1}},
        ),
        (Envelope.ACCOUNTING, {"response": {"result": None}}, None),
        (Envelope.EVENTS, {"response": {"result": {"callbacks": []}}}, {"callbacks": []}),
        (Envelope.LEDGER, {"data": [{"name": "Cash"}]}, [{"name": "Cash"}]),
        (Envelope.LEDGER, {"data": None, "meta": {}}, None),
        (Envelope.AUTH, {"response": {"id": 5}}, {"id": 5}),
        (Envelope.PROJECT, {"project": {"id": 2}, "meta": {}}, {"project": {"id": 2}, "meta": {}}),
        (Envelope.OAUTH, {"access_token": "t"}, {"access_token": "t"}),
        (Envelope.PAYMENTS, [{"gateway": "stripe"}], [{"gateway": "stripe"}]),
        (Envelope.UPLOADS, {"link": "https://x"}, {"link": "https://x"}),
    ],
)
def test_unwrap_returns_what_each_envelope_wraps(
    envelope: Envelope, document: Any, payload: Any
) -> None:
    assert unwrap(envelope, document, response(document)) == payload


@pytest.mark.parametrize(
    ("envelope", "document", "message"),
    [
        (
            Envelope.ACCOUNTING,
            {"response": {}},
            "expected {'response': {'result': ...}} (accounting)",
        ),
        (Envelope.EVENTS, ["not", "a dict"], "expected {'response': {'result': ...}} (events)"),
        (Envelope.LEDGER, {"result": {}}, "expected {'data': ...} (ledger)"),
        (Envelope.AUTH, [], "expected {'response': ...} (auth)"),
        (Envelope.OAUTH, "token", "expected a JSON object (oauth)"),
        (Envelope.PAYMENTS, 12, "expected a JSON object (payments)"),
        (Envelope.UPLOADS, None, "expected a JSON object (uploads)"),
    ],
)
def test_unwrap_refuses_another_shape_with_the_request_and_body(
    envelope: Envelope, document: Any, message: str
) -> None:
    answer = response(document, path="/x/y")
    with pytest.raises(errors.ResponseDecodeError) as info:
        unwrap(envelope, document, answer)
    error = info.value
    assert message in str(error)
    assert (error.status, error.body, error.method, error.path) == (200, answer.body, "GET", "/x/y")


def test_decode_error_without_a_request() -> None:
    error = decode_error("empty response body", Response(status=502, body=b""))
    assert (error.status, error.method, error.path, error.body) == (502, "", "", b"")
    assert "empty response body" in str(error)


# ----------------------------------------------------------------------------- pages


@pytest.mark.parametrize(
    ("document", "payload", "expected"),
    [
        # accounting and events: beside the list, in result
        (None, {"clients": [], "page": 2, "pages": 5, "per_page": 10, "total": 45}, (2, 5, 10, 45)),
        # numbers sent as text are read; pages is worked out from total when missing
        (None, {"page": "3", "per_page": "25", "total": "51"}, (3, 3, 25, 51)),
        (None, {"page": 1, "per_page": 100, "total": 0}, (1, 1, 100, 0)),
        (None, {"page": 1, "per_page": 0, "total": 9}, (1, None, 0, 9)),
        (None, {"page": 1, "per_page": 20}, (1, None, 20, None)),
        # projects, time entries, team members: a meta block beside the payload
        (
            {"projects": [], "meta": {"page": 1, "pages": 2, "per_page": 3, "total": 6}},
            {},
            (1, 2, 3, 6),
        ),
        ({"response": [], "meta": {"page": 4, "per_page": 5, "total": 16}}, [], (4, 4, 5, 16)),
    ],
)
def test_page_info_from_each_familys_metadata(
    document: Any, payload: Any, expected: tuple[int, int | None, int, int | None]
) -> None:
    assert page_info(document, payload) == PageInfo(*expected)


@pytest.mark.parametrize(
    ("document", "payload"),
    [
        ({"data": [{"name": "Cash"}]}, [{"name": "Cash"}]),  # ledger lists: unpaginated
        ({}, {"client": {"id": 1}}),  # a single object
        (None, {"page": True, "per_page": 10}),  # a bool is not a page number
        (None, {"page": 1}),  # no page size
        (None, {"page": "one", "per_page": 10}),
        ({"meta": "page 1"}, {}),
        ({"meta": {"total": 3}}, {}),
    ],
)
def test_page_info_is_none_without_usable_metadata(document: Any, payload: Any) -> None:
    assert page_info(document, payload) is None


# ----------------------------------------------------------------------------- error bodies


def details(parsed: ParsedError | None) -> list[tuple[str | None, str]]:
    assert parsed is not None
    return [(d.field, d.message) for d in parsed.details]


def test_accounting_errors_keep_every_detail_as_text() -> None:
    parsed = parse_error(
        {
            "response": {
                "errors": [
                    {"errno": "1001", "field": "email", "message": "Bad email", "value": 5},
                    "not a detail",
                    {"errno": 2, "message": {"nested": True}, "object": "client"},
                ]
            }
        }
    )
    assert parsed is not None
    assert (parsed.message, parsed.errno) == ("Bad email", 1001)
    first, second = parsed.details
    assert (first.field, first.value, first.errno) == ("email", "5", 1001)
    assert (second.message, second.object, second.errno) == ('{"nested": true}', "client", 2)


def test_accounting_errors_that_list_nothing() -> None:
    assert parse_error({"response": {"errors": []}}) == ParsedError("unknown error")
    assert parse_error({"response": {"errors": [{"errno": 5}]}}) == ParsedError(
        "unknown error", 5, (errors.ErrorDetail(message="", errno=5),)
    )


def test_oauth_errors_keep_their_code() -> None:
    parsed = parse_error({"error": "invalid_grant", "error_description": "Code expired."})
    assert parsed == ParsedError("Code expired.", None, (), oauth_error="invalid_grant")
    # An empty description falls back to the code.
    parsed = parse_error({"error": "invalid_client", "error_description": None})
    assert parsed == ParsedError("invalid_client", None, (), oauth_error="invalid_client")


def test_ledger_errors_lead_with_the_first_reason() -> None:
    parsed = parse_error(
        {
            "errors": {
                "message": "Request failed with status code 400",
                "errno": 400,
                "details": [
                    {"reason": "name: This field is required.", "metadata": {"field": "name"}},
                    {"reason": "1010", "metadata": {"message": "Too long", "field": "code"}},
                ],
            }
        }
    )
    assert parsed is not None
    assert (parsed.message, parsed.errno) == ("name: This field is required.", 400)
    assert details(parsed) == [
        ("name", "name: This field is required."),
        ("code", "Too long"),
    ]
    assert parsed.details[1].errno == 1010
    assert parsed.details[1].reason == "1010"


def test_ledger_errors_without_details_keep_their_message() -> None:
    assert parse_error({"errors": {"message": "Not found."}}) == ParsedError("Not found.")
    assert parse_error({"errors": {}}) == ParsedError("unknown error")


def test_events_details_as_field_colon_message_strings() -> None:
    parsed = parse_error(
        {"errno": 422, "message": "Invalid", "details": ["uri: must be https", "plain text"]}
    )
    assert parsed is not None
    assert (parsed.message, parsed.errno) == ("Invalid", 422)
    assert details(parsed) == [("uri", "must be https"), (None, "plain text")]


def test_rpc_error_code_is_the_errno_when_no_detail_has_one() -> None:
    parsed = parse_error({"code": 16, "message": "Unauthenticated", "details": [{"x": 1}]})
    assert parsed == ParsedError("Unauthenticated", 16, ())
    # The detail's reason, a number, wins over the code.
    parsed = parse_error({"code": 3, "message": "Bad", "details": [{"reason": "7"}]})
    assert parsed is not None
    assert (parsed.errno, parsed.message) == (7, "7")


def test_payments_error_type_is_kept_as_the_first_details_reason() -> None:
    parsed = parse_error({"error_type": "card_declined", "message": "Declined"})
    assert parsed is not None
    assert parsed.message == "Declined"
    assert [(d.message, d.reason) for d in parsed.details] == [("Declined", "card_declined")]


def test_project_error_objects() -> None:
    parsed = parse_error({"errno": "2001", "error": {"title": "Bad", "description": "Too long"}})
    assert parsed == ParsedError("Too long", 2001, (errors.ErrorDetail(message="Too long"),))
    assert details(parse_error({"error": {"title": "Only a title"}})) == [(None, "Only a title")]
    parsed = parse_error({"error": {"description": "Only a description"}})
    assert details(parsed) == [(None, "Only a description")]
    parsed = parse_error({"error": {"a": "one", "b": ["two"]}})
    assert parsed is not None
    assert parsed.message == 'a: one; b: ["two"]'
    assert parse_error({"error": {}}) == ParsedError("unknown error")


@pytest.mark.parametrize(
    "document",
    [
        {"response": {"errors": "not a list"}},  # and nothing else it could be
        {"error": 404},
        {"errors": "text"},
        {"errno": 1},
        {"error_description": "no code"},
        42,
        b"{}",
    ],
)
def test_malformed_error_bodies_are_not_understood(document: Any) -> None:
    assert parse_error(document) is None


# ----------------------------------------------------------------------------- error mapping


@pytest.mark.parametrize(
    ("status", "cls"),
    # (every status through a client: tests/test_pipeline.py)
    [(409, errors.ConflictError), (500, errors.ServerError), (599, errors.ServerError)],
)
def test_api_error_class_by_status(status: int, cls: type[errors.APIError]) -> None:
    body = {"response": {"errors": [{"errno": 1012, "field": "userid", "message": "Nope."}]}}
    answer = response(body, status, headers={"X-Request-Id": "req-9"})
    error = api_error(answer, Envelope.ACCOUNTING, 2, None, "budget spent")
    assert type(error) is cls
    assert isinstance(error, errors.APIError)
    assert (error.status, error.errno, error.message) == (status, 1012, "Nope.")
    assert error.field_errors == {"userid": "Nope."}
    assert (error.request_id, error.retries_taken, error.retry_refused) == (
        "req-9",
        2,
        "budget spent",
    )
    assert (error.method, error.path, error.body) == (
        "GET",
        "/accounting/account/A1/users/clients",
        answer.body,
    )


def test_api_error_rate_limit_carries_retry_after() -> None:
    answer = response(b"", 429, headers={"Request-Id": "r-1"})
    error = api_error(answer, Envelope.PROJECT, 0, 12.5)
    assert isinstance(error, errors.RateLimitError)
    assert (error.retry_after, error.request_id, error.message) == (
        12.5,
        "r-1",
        "HTTP 429 (empty body)",
    )


def test_api_error_oauth_on_the_token_endpoint_only() -> None:
    body = {"error": "invalid_grant", "error_description": "Bad code."}
    error = api_error(
        response(body, 400, method="POST", path="/auth/oauth/token"), Envelope.OAUTH, 0, None
    )
    assert isinstance(error, errors.InvalidGrantError)
    assert error.error == "invalid_grant"
    assert error.message.startswith("Bad code. (the code or refresh token was already used")
    other = {"error": "invalid_client", "error_description": "Who?"}
    error = api_error(response(other, 401, path="/auth/oauth/token"), Envelope.OAUTH, 0, None)
    assert type(error) is errors.OAuthError
    assert (error.error, error.message) == ("invalid_client", "Who?")
    # The same body on another family (or a 5xx) is a plain status error.
    error = api_error(response(body, 401), Envelope.ACCOUNTING, 0, None)
    assert type(error) is errors.AuthenticationError
    error = api_error(response(body, 502, path="/auth/oauth/token"), Envelope.OAUTH, 0, None)
    assert type(error) is errors.ServerError


@pytest.mark.parametrize(
    ("method", "path", "cls"),
    [
        ("POST", "/accounting/account/A1/invoices/invoices", errors.InvoiceNumberConflictError),
        ("POST", "/accounting/account/A1/invoices/invoices/", errors.InvoiceNumberConflictError),
        ("PUT", "/accounting/account/A1/invoices/invoices", errors.ConflictError),
        ("POST", "/accounting/account/A1/users/clients", errors.ConflictError),
    ],
)
def test_api_error_invoice_number_conflict(method: str, path: str, cls: type[Exception]) -> None:
    body = {"response": {"errors": [{"errno": 2002, "message": "Invoice number taken"}]}}
    error = api_error(response(body, 409, method=method, path=path), Envelope.ACCOUNTING, 0, None)
    assert type(error) is cls


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "HTTP 404 (empty body)"),
        (b"  \n", "HTTP 404 (empty body)"),
        (b"<html>Not Found</html>", "HTTP 404 (body is not a known error shape)"),
        (b'{"unrelated": true}', "HTTP 404 (body is not a known error shape)"),
    ],
)
def test_api_error_on_a_body_that_is_not_an_error_body(body: bytes, message: str) -> None:
    error = api_error(response(body, 404), Envelope.ACCOUNTING, 1, None)
    assert isinstance(error, errors.NotFoundError)
    assert (error.message, error.errno, error.details, error.body) == (message, None, (), body)


def test_api_error_on_a_body_nested_too_deeply_is_a_decode_error() -> None:
    body = b'{"error":' * 10_000 + b"1" + b"}" * 10_000
    error = api_error(response(body, 400), Envelope.PROJECT, 3, None)
    assert type(error) is errors.ResponseDecodeError
    assert "error response (HTTP 400) JSON is nested too deeply to decode" in str(error)
    assert (error.status, error.retries_taken) == (400, 3)


# ----------------------------------------------------------------------------- request bodies


def test_json_bodies_are_compact_and_write_the_sdks_values() -> None:
    body = {
        "amount": Decimal("10.50"),
        "big": Decimal("1E+3"),
        "date": dt.date(2024, 3, 1),
        "at": dt.datetime(2024, 3, 1, 9, 30),
        "colour": Colour.RED,
        "lines": [1, None, True],
    }
    assert JSON_ENCODER.encode(body) == (
        '{"amount":"10.50","big":"1000","date":"2024-03-01","at":"2024-03-01T09:30:00",'
        '"colour":"red","lines":[1,null,true]}'
    )
    with pytest.raises(TypeError, match=r"^request body: set is not JSON serialisable: \{1\}$"):
        JSON_ENCODER.encode({"ids": {1}})


# --------------------------------------------------------------------------- JSON


@pytest.mark.parametrize(
    "data",
    [
        b'{"a": 1, "b": "\xc3\xa9"}',
        b'{"a": "\\ud800"}',  # a lone surrogate escape, as json.loads takes it
        '{"a": 1}'.encode("utf-16-le"),  # no BOM: json.loads detects UTF-16
        '{"a": 1}'.encode("utf-16"),
        '{"a": 1}'.encode("utf-8-sig"),
        b' {"a": 1}',
        b"[1, 2]",
        b"{}",
        bytearray(b'{"a": 1}'),
        '{"a": 1}',
        b'{"a": "\xff"}',  # not UTF-8
        b'{"a": 1} trailing',
        b'{"a": 1}  \n',
        b'{"a": 1',
        b'{"a": }',
        b"{",
    ],
)
def test_json_loads_reads_what_json_loads_reads(data: str | bytes | bytearray) -> None:
    """_json.loads reads a UTF-8 object's bytes without json.loads's detection; whatever
    it is given, it returns or raises what json.loads does."""
    from freshbooks_async._json import loads

    def outcome(load: Any) -> object:
        try:
            return load(data)
        except ValueError as exc:
            return type(exc), str(exc)

    assert outcome(loads) == outcome(json.loads)


def test_json_loads_refuses_nesting_too_deep_as_a_value_error() -> None:
    from freshbooks_async._json import JSONNestingError, loads

    for data in (b'{"a":' * 100_000, b"[" * 100_000):
        with pytest.raises(JSONNestingError):
            loads(data)
