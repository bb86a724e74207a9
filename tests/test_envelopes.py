"""Success envelopes, error bodies and page metadata of every family, on real bodies.

The bodies are the official Python SDK's fixtures (tests/fixtures/README.md).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from freshbooks_async import errors
from freshbooks_async._pipeline import (
    Envelope,
    PageInfo,
    build_path,
    envelope_for_path,
    page_info,
    parse_error,
    render_query,
    unwrap,
)
from freshbooks_async.transports import Request, Response

FIXTURES = Path(__file__).parent / "fixtures" / "python-sdk"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def response_for(body: Any, status: int = 200) -> Response:
    return Response(
        status=status,
        body=json.dumps(body).encode(),
        request=Request(method="GET", url="https://api.freshbooks.com/x"),
    )


SUCCESS = [
    ("auth_me_response.json", Envelope.AUTH, lambda d: d["id"]),
    ("auth_token_response.json", Envelope.OAUTH, lambda d: d["token_type"]),
    ("create_client_response.json", Envelope.ACCOUNTING, lambda d: d["client"]["id"]),
    ("create_project_response.json", Envelope.PROJECT, lambda d: d["project"]["id"]),
    ("get_callback_response.json", Envelope.EVENTS, lambda d: d["callback"]["callbackid"]),
    ("get_client_response.json", Envelope.ACCOUNTING, lambda d: d["client"]["id"]),
    ("get_ledger_account_response.json", Envelope.LEDGER, lambda d: d["name"]),
    ("get_project_response.json", Envelope.PROJECT, lambda d: d["project"]["id"]),
    ("get_time_entry_response.json", Envelope.PROJECT, lambda d: d["time_entry"]["id"]),
    ("list_callbacks_response.json", Envelope.EVENTS, lambda d: d["callbacks"][0]["callbackid"]),
    ("list_clients_response.json", Envelope.ACCOUNTING, lambda d: d["clients"][0]["id"]),
    ("list_ledger_accounts_response.json", Envelope.LEDGER, lambda d: d[0]["name"]),
    ("list_projects_response.json", Envelope.PROJECT, lambda d: d["projects"][0]["id"]),
    ("list_time_entries_response.json", Envelope.PROJECT, lambda d: d["time_entries"][0]["id"]),
    ("upload_attachment_response.json", Envelope.UPLOADS, lambda d: d["attachment"]["jwt"]),
    ("upload_image_response.json", Envelope.UPLOADS, lambda d: d["link"]),
]


@pytest.mark.parametrize(("name", "envelope", "probe"), SUCCESS, ids=[s[0] for s in SUCCESS])
def test_every_success_fixture_unwraps(name: str, envelope: Envelope, probe: Any) -> None:
    document = load(name)
    assert probe(unwrap(envelope, document, response_for(document))) is not None


def test_success_fixture_list_is_complete() -> None:
    on_disk = {p.name for p in FIXTURES.glob("*.json") if "__" not in p.name}
    assert on_disk == {s[0] for s in SUCCESS}


@pytest.mark.parametrize(
    ("envelope", "document"),
    [
        (Envelope.ACCOUNTING, {"result": {}}),
        (Envelope.ACCOUNTING, {"response": {"errors": []}}),
        (Envelope.EVENTS, {"response": []}),
        (Envelope.LEDGER, {"response": {"result": {}}}),
        (Envelope.AUTH, {"data": {}}),
        (Envelope.PROJECT, "a string"),
    ],
)
def test_unexpected_envelope_raises_decode_error_with_body(
    envelope: Envelope, document: Any
) -> None:
    response = response_for(document)
    with pytest.raises(errors.ResponseDecodeError) as info:
        unwrap(envelope, document, response)
    assert info.value.body == response.body
    assert envelope.value in str(info.value)


ERRORS: list[tuple[str, str, int | None, dict[str, str]]] = [
    (
        "auth_me_response__no_auth.json",
        "This action requires authentication to continue.",
        None,
        {},
    ),
    (
        "create_callback_response__validation_error.json",
        "The request was well-formed but was unable to be followed due to semantic errors.",
        422,
        {
            "event": "Value error, Unrecognized event.",
            "uri": "Input should be a valid URL, relative URL without a base",
        },
    ),
    (
        "create_ledger_account_response__validation_errors.json",
        "name: This field is required.",
        None,
        {
            "name": "This field is required.",
            "sub_type": "This field is required.",
            "parent_account": "This field is required.",
        },
    ),
    ("create_project__validation_errors.json", "field required", 2001, {}),
    (
        "get_callback_response__no_auth.json",
        "invalid_token: The request token failed to authenticate or validate.",
        401,
        {},
    ),
    ("get_callback_response__not_found.json", "Requested resource could not be found.", 404, {}),
    (
        "get_client_response__not_found.json",
        "Client not found.",
        1012,
        {"userid": "Client not found."},
    ),
    ("get_ledger_account_response__not_found.json", "Not found.", None, {}),
    (
        "get_project_response__no_auth.json",
        "The server could not verify that you are authorized to access the URL requested.",
        None,
        {},
    ),
    ("get_project_response__not_found.json", "Requested resource could not be found.", None, {}),
]


@pytest.mark.parametrize(("name", "message", "errno", "fields"), ERRORS, ids=[e[0] for e in ERRORS])
def test_every_error_fixture_parses(
    name: str, message: str, errno: int | None, fields: dict[str, str]
) -> None:
    parsed = parse_error(load(name))
    assert parsed is not None
    assert parsed.message.startswith(message)
    assert parsed.errno == errno
    assert {d.field: d.message for d in parsed.details if d.field} == fields


def test_error_fixture_list_is_complete() -> None:
    on_disk = {p.name for p in FIXTURES.glob("*__*.json")}
    assert on_disk == {e[0] for e in ERRORS}


def test_accounting_error_keeps_object_and_value() -> None:
    parsed = parse_error(load("get_client_response__not_found.json"))
    assert parsed is not None
    (detail,) = parsed.details
    assert (detail.object, detail.value, detail.errno) == ("client", "12345", 1012)


def test_google_rpc_style_error() -> None:
    # NODE Error.ts: accounting "new style" errors.
    parsed = parse_error(
        {
            "code": 3,
            "message": "Invalid argument",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "1004",
                    "metadata": {
                        "message": "Bad email",
                        "field": "email",
                        "object": "client",
                        "value": "x",
                    },
                }
            ],
        }
    )
    assert parsed is not None
    assert parsed.errno == 1004
    assert parsed.details[0].field == "email"
    assert parsed.details[0].message == "Bad email"
    # The body's own message is generic: the first detail's is the one users see, as the
    # official SDKs report it.
    assert parsed.message == "Bad email"


def test_google_rpc_style_error_without_a_detail_message_keeps_its_own() -> None:
    parsed = parse_error(
        {"code": 5, "message": "Request failed with status_code: 404", "details": []}
    )
    assert parsed is not None
    assert (parsed.message, parsed.errno) == ("Request failed with status_code: 404", 5)


def test_events_field_violations() -> None:
    parsed = parse_error(
        {
            "errno": 422,
            "message": "Invalid",
            "details": [{"fieldViolations": [{"field": "uri", "description": "must be https"}]}],
        }
    )
    assert parsed is not None
    assert parsed.details[0].field == "uri"
    assert parsed.details[0].message == "must be https"


@pytest.mark.parametrize(
    ("document", "message", "fields"),
    [
        ({"errors": [{"field": "amount", "message": "too big"}]}, "too big", {"amount": "too big"}),
        ({"message": "Gateway not set up"}, "Gateway not set up", {}),
        ({"error_type": "gateway_error", "message": "declined"}, "declined", {}),
        ({"error": "File too large"}, "File too large", {}),
        (
            {"errno": 2001, "error": {"updated_since": "bad datetime"}},
            "updated_since: bad datetime",
            {"updated_since": "bad datetime"},
        ),
    ],
)
def test_payments_uploads_and_project_field_errors(
    document: Any, message: str, fields: dict[str, str]
) -> None:
    parsed = parse_error(document)
    assert parsed is not None
    assert parsed.message == message
    assert {d.field: d.message for d in parsed.details if d.field} == fields
    if "error_type" in document:  # the machine-readable code is kept as the reason
        assert parsed.details[0].reason == document["error_type"]


@pytest.mark.parametrize("document", [None, [], "text", {"unrelated": 1}])
def test_unknown_error_shapes(document: Any) -> None:
    assert parse_error(document) is None


def test_page_info_per_family() -> None:
    accounting = load("list_clients_response.json")
    assert page_info(accounting, accounting["response"]["result"]) == PageInfo(1, 1, 15, 3)
    projects = load("list_projects_response.json")
    assert page_info(projects, projects) == PageInfo(1, 1, 30, 3)
    ledger = load("list_ledger_accounts_response.json")
    assert page_info(ledger, ledger["data"]) is None
    team = {"response": [], "meta": {"page": 2, "per_page": 10, "total": 25}}
    assert page_info(team, team["response"]) == PageInfo(2, 3, 10, 25)


@pytest.mark.parametrize(
    ("path", "envelope"),
    [
        ("/accounting/account/A/users/clients", Envelope.ACCOUNTING),
        ("/accounting/businesses/u/ledger_accounts/accounts", Envelope.LEDGER),
        ("/accounting/ledger_accounts/types", Envelope.LEDGER),
        ("/accounting/businesses/u/reports/general_ledger", Envelope.ACCOUNTING),
        ("/events/account/A/events/callbacks", Envelope.EVENTS),
        ("/projects/business/1/projects", Envelope.PROJECT),
        ("/timetracking/business/1/time_entries", Envelope.PROJECT),
        ("/comments/business/1/services", Envelope.PROJECT),
        ("/payments/account/A/gateway", Envelope.PAYMENTS),
        ("/uploads/account/A/images", Envelope.UPLOADS),
        ("/auth/api/v1/users/me", Envelope.AUTH),
        ("/auth/oauth/token", Envelope.OAUTH),
    ],
)
def test_envelope_for_every_family_scope(path: str, envelope: Envelope) -> None:
    assert envelope_for_path(path) is envelope


def test_envelope_for_unknown_path() -> None:
    with pytest.raises(ValueError, match="/nope"):
        envelope_for_path("/nope")


def test_build_path_sends_ids_as_given_and_refuses_path_changers() -> None:
    assert build_path("/a/{account_id}/b/{id}", account_id="AB.c-1_~", id=7) == "/a/AB.c-1_~/b/7"
    # A slash, query, dot segment or escape in an id cannot reach another endpoint.
    for bad in ("1/../2?x=1", "..", ".", "AB C", "A%2F", "A#b", "A\x00"):
        with pytest.raises(ValueError, match=f"^id: .*{re.escape(repr(bad))}"):
            build_path("/a/{id}", id=bad)
    with pytest.raises(ValueError, match="id: must be >= 0"):
        build_path("/a/{id}", id=-1)
    with pytest.raises(ValueError, match="needs 'id'"):
        build_path("/a/{id}")
    with pytest.raises(ValueError, match="account_id"):
        build_path("/a/{account_id}", account_id="")
    with pytest.raises(TypeError, match="id"):
        build_path("/a/{id}", id=1.5)
    with pytest.raises(TypeError, match="id"):
        build_path("/a/{id}", id=True)


def test_render_query_values() -> None:
    import datetime as dt
    from decimal import Decimal

    assert render_query(
        [
            ("search[clientids][]", [1, 2]),
            ("billable", True),
            ("search[amount_min]", Decimal("0")),
            ("search[date_min]", dt.date(2024, 1, 31)),
            ("skipped", None),
        ]
    ) == [
        ("search[clientids][]", "1"),
        ("search[clientids][]", "2"),
        ("billable", "true"),
        ("search[amount_min]", "0"),
        ("search[date_min]", "2024-01-31"),
    ]
    with pytest.raises(TypeError, match="search\\[x\\]"):
        render_query({"search[x]": object()})
    with pytest.raises(ValueError, match="finite"):
        render_query({"x": float("nan")})
