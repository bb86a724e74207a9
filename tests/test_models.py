"""Round trips of every stored FreshBooks body through the typed models, and the registry."""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from freshbooks_async.errors import ModelDataWarning, ModelDecodeError
from freshbooks_async.models import (
    RESOURCES,
    RESOURCES_BY_FAMILY,
    AttachmentUpload,
    Callback,
    Client,
    Identity,
    ImageUpload,
    Invoice,
    InvoiceLine,
    InvoiceLineCreate,
    InvoiceStatus,
    InvoiceUpdate,
    InvoiceV3Status,
    LedgerAccount,
    Model,
    Money,
    Project,
    ProjectAbility,
    TimeEntry,
    TokenResponse,
    UnsetType,
    VisState,
    converter,
    decode,
    decode_many,
    encode,
    resource_spec,
    vis_state_payload,
)
from freshbooks_async.models.common import AccountingDateTime, ISODateTime
from freshbooks_async.testing import sample_json

FIXTURES = Path(__file__).parent / "fixtures"
PY_SDK = FIXTURES / "python-sdk"
SEEDS = FIXTURES / "seeds"


def load(path: Path) -> Any:
    return json.loads(path.read_text())


def roundtrip_one(cls: type[Model], data: dict[str, Any]) -> Any:
    obj = decode(cls, data)
    assert encode(obj) == data
    # Same JSON text too (types preserved: 1 stays 1, "1" stays "1", null stays null).
    assert json.dumps(encode(obj), sort_keys=True) == json.dumps(data, sort_keys=True)
    return obj


def roundtrip_many(cls: type[Model], items: list[dict[str, Any]]) -> list[Any]:
    objs = decode_many(cls, items)
    assert [encode(o) for o in objs] == items
    return objs


# ------------------------------------------------------------- official SDK fixtures


def _accounting(name: str, key: str) -> Any:
    return load(PY_SDK / name)["response"]["result"][key]


@pytest.mark.parametrize(
    ("name", "cls", "unwrap"),
    [
        ("get_client_response.json", Client, lambda d: d["response"]["result"]["client"]),
        ("create_client_response.json", Client, lambda d: d["response"]["result"]["client"]),
        ("get_callback_response.json", Callback, lambda d: d["response"]["result"]["callback"]),
        ("get_project_response.json", Project, lambda d: d["project"]),
        ("create_project_response.json", Project, lambda d: d["project"]),
        ("get_time_entry_response.json", TimeEntry, lambda d: d["time_entry"]),
        ("get_ledger_account_response.json", LedgerAccount, lambda d: d["data"]),
        ("auth_me_response.json", Identity, lambda d: d["response"]),
        ("auth_token_response.json", TokenResponse, lambda d: d),
        ("upload_image_response.json", ImageUpload, lambda d: d),
        ("upload_attachment_response.json", AttachmentUpload, lambda d: d),
    ],
)
def test_single_fixture_roundtrips(name: str, cls: type[Model], unwrap: Any) -> None:
    if name in BAD_TIMESTAMPS:
        with pytest.warns(ModelDataWarning, match=BAD_TIMESTAMPS[name]):
            roundtrip_one(cls, unwrap(load(PY_SDK / name)))
    else:
        roundtrip_one(cls, unwrap(load(PY_SDK / name)))


#: Official SDK fixtures with impossible timestamps (day 219, second 74).
BAD_TIMESTAMPS = {
    "create_project_response.json": r"Project\.(created|updated)_at: '2020-11-219T",
    "list_clients_response.json": r"Client\.signup_date: '2019-09-13 08:16:74'",
}


@pytest.mark.parametrize(
    ("name", "cls", "unwrap"),
    [
        ("list_clients_response.json", Client, lambda d: d["response"]["result"]["clients"]),
        ("list_callbacks_response.json", Callback, lambda d: d["response"]["result"]["callbacks"]),
        ("list_projects_response.json", Project, lambda d: d["projects"]),
        ("list_time_entries_response.json", TimeEntry, lambda d: d["time_entries"]),
        ("list_ledger_accounts_response.json", LedgerAccount, lambda d: d["data"]),
        ("get_project_response.json", ProjectAbility, lambda d: d["abilities"]),
    ],
)
def test_list_fixture_roundtrips(name: str, cls: type[Model], unwrap: Any) -> None:
    items = unwrap(load(PY_SDK / name))
    assert items
    if name in BAD_TIMESTAMPS:
        with pytest.warns(ModelDataWarning, match=BAD_TIMESTAMPS[name]):
            roundtrip_many(cls, items)
    else:
        roundtrip_many(cls, items)


def test_every_success_fixture_is_covered() -> None:
    covered = {
        "get_client_response.json",
        "create_client_response.json",
        "get_callback_response.json",
        "get_project_response.json",
        "create_project_response.json",
        "get_time_entry_response.json",
        "get_ledger_account_response.json",
        "auth_me_response.json",
        "auth_token_response.json",
        "upload_image_response.json",
        "upload_attachment_response.json",
        "list_clients_response.json",
        "list_callbacks_response.json",
        "list_projects_response.json",
        "list_time_entries_response.json",
        "list_ledger_accounts_response.json",
    }
    success = {
        p.name
        for p in PY_SDK.glob("*.json")
        if "__" not in p.stem and "validation_error" not in p.stem
    }
    assert success == covered


def test_client_typed_values() -> None:
    client = decode(Client, _accounting("get_client_response.json", "client"))
    assert client.id == 12345
    assert client.vis_state is VisState.ACTIVE
    # signup_date is UTC, updated is US/Eastern (docs/protocol.rst, "Other wire facts").
    assert client.signup_date == datetime(2020, 10, 31, 15, 25, 34, tzinfo=UTC)
    assert client.updated == datetime(2020, 11, 1, 13, 11, 10, tzinfo=ZoneInfo("America/New_York"))
    assert isinstance(client.updated, datetime)
    assert client.updated.utcoffset() == timedelta(hours=-5)
    # outstanding_balance amounts are JSON ints in this fixture: typed, and kept as ints.
    assert client.outstanding_balance is not None
    assert client.outstanding_balance[1].amount == Money(amount=Decimal(11), code="CAD")
    assert encode(client)["outstanding_balance"][1]["amount"]["amount"] == 11
    # Unknown keys are kept; a money object among them is typed too.
    assert client.extras == {"test_amount": Money(amount=Decimal(10), code="CAD")}
    assert encode(client)["test_amount"] == {"amount": 10, "code": "CAD"}
    assert client.home_phone is None
    assert client.fname == "Gordon"


def _inv(**fields: Any) -> dict[str, Any]:
    return sample_json(Invoice, **fields)


def test_absent_keys_stay_absent_and_null_stays_null() -> None:
    data = _inv(id=1, po_number=None)
    invoice = decode(Invoice, data)
    assert invoice.po_number is None
    assert invoice.notes is None  # absent: None too, and...
    assert "po_number" in invoice.fields_set  # ...fields_set tells them apart
    assert "notes" not in invoice.fields_set
    assert {"id", "amount", "outstanding"} <= invoice.fields_set  # required: always set
    assert encode(invoice) == data


def test_fields_set_follows_evolve_and_models_built_in_code() -> None:
    invoice = decode(Invoice, _inv(id=1, po_number=None))
    noted = attrs.evolve(invoice, notes="hello", po_number=None)
    assert {"notes", "po_number"} <= noted.fields_set
    assert encode(noted) == {**_inv(id=1, po_number=None), "notes": "hello"}
    built = Client(
        id=1,
        userid=1,
        accounting_systemid="A",
        email="a@example.com",
        fname="A",
        lname="B",
        organization="",
        role="client",
        language="en",
        currency_code="USD",
        vis_state=VisState.ACTIVE,
        note="x",
    )
    assert "note" in built.fields_set
    assert "home_phone" not in built.fields_set  # None in code: not sent
    assert "home_phone" not in encode(built)
    assert built == decode(Client, encode(built))  # equality ignores fields_set


def test_a_required_field_absent_or_null_is_an_error_naming_it() -> None:
    body = _inv(id=1)
    del body["outstanding"]
    with pytest.raises(ModelDecodeError, match=r"required field is absent .* @ \$\.outstanding"):
        decode(Invoice, body)
    with pytest.raises(ModelDecodeError, match=r"expected an int, got None \(null\) @ \$\.id"):
        decode(Invoice, _inv(id=None))
    with pytest.raises(ModelDecodeError, match=r"@ \$\[1\]\.business_memberships\[0\]\.role"):
        decode_many(
            Identity,
            [
                {"id": 1},
                {"id": 2, "business_memberships": [{"id": 3, "unacknowledged_change": False}]},
            ],
        )


def test_project_timestamps_without_offset_are_utc_and_written_back_verbatim() -> None:
    data = load(PY_SDK / "get_project_response.json")["project"]
    project = decode(Project, data)
    assert project.created_at == datetime(2020, 9, 13, 1, 7, 51, tzinfo=UTC)
    assert encode(project)["created_at"] == "2020-09-13T01:07:51"
    assert project.due_date == date(2021, 1, 2)
    assert project.services[0].vis_state is VisState.ACTIVE


def test_unparseable_timestamp_is_kept_in_extras_with_a_warning() -> None:
    # The official SDK's own fixture carries "2020-11-219T13:22:04".
    data = load(PY_SDK / "create_project_response.json")["project"]
    with pytest.warns(ModelDataWarning) as caught:
        project = decode(Project, data)
    assert [str(w.message).split(":")[0] for w in caught] == [
        "Project.created_at",
        "Project.updated_at",
    ]
    assert project.created_at is None
    assert "created_at" not in project.fields_set
    assert project.extras["created_at"] == "2020-11-219T13:22:04"
    assert encode(project) == data


def test_identity_business_memberships() -> None:
    identity = decode(Identity, load(PY_SDK / "auth_me_response.json")["response"])
    business = identity.business_memberships[0].business  # no narrowing needed
    assert (business.id, business.account_id, business.business_uuid) == (
        439000,
        "ABC123",
        "a_uuid1",
    )
    assert identity.business_memberships[0].role == "owner"
    assert identity.confirmed_at == datetime(2017, 5, 23, 5, 57, 24, tzinfo=UTC)
    assert identity.full_name == "Simon Kovalic"


def test_token_response_hides_secrets_in_repr() -> None:
    token = decode(TokenResponse, load(PY_SDK / "auth_token_response.json"))
    text = repr(token)
    assert "my_access_token" not in text
    assert "my_refresh_token" not in text
    assert "a_id_token" not in text
    assert token.access_token == "my_access_token"
    assert token.expires_at == datetime.fromtimestamp(1287273600, UTC)
    assert token.scopes == ("some:scope",)


def test_ledger_iso_microseconds_and_z() -> None:
    account = decode(LedgerAccount, load(PY_SDK / "get_ledger_account_response.json")["data"])
    assert account.updated_at == datetime(2023, 4, 27, 14, 33, 48, 841075, tzinfo=UTC)
    assert encode(account)["updated_at"] == "2023-04-27T14:33:48.841075Z"


# ---------------------------------------------------------- FreshBooks docs examples

SEED_FILES = sorted(SEEDS.glob("*.json"))


def test_seed_files_exist() -> None:
    assert len(SEED_FILES) == 16


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.stem for p in SEED_FILES])
def test_invoice_doc_examples_roundtrip(path: Path) -> None:
    body = load(path)
    if path.stem.endswith("__request"):  # a write body: the write model's round trip
        if path.stem == "invoices__delete_invoice__request":
            assert body["invoice"] == vis_state_payload(VisState.DELETED)
            return
        # Write models keep values, not the wire text: 806 may have been "806".
        sent = encode(decode(InvoiceUpdate, body["invoice"]))
        assert _as_text(sent) == _as_text(body["invoice"])
        return
    result = body["response"]["result"]
    if "invoices" in result:
        invoices = roundtrip_many(Invoice, result["invoices"])
        assert len(invoices) == result["total"]
    else:
        roundtrip_one(Invoice, result["invoice"])


def _as_text(value: Any) -> Any:
    return json.loads(json.dumps(value), parse_int=str, parse_float=str)


def test_invoice_typed_values_from_docs() -> None:
    result = load(SEEDS / "invoices__list_invoices__response.json")["response"]["result"]
    invoice = decode(Invoice, result["invoices"][0])
    assert invoice.amount == Money(amount=Decimal("104.50"), code="CAD")
    assert invoice.discount_total == Money(amount=Decimal("-5.00"), code="CAD")
    assert invoice.status is InvoiceStatus.DRAFT
    assert invoice.v3_status is InvoiceV3Status.DRAFT
    assert invoice.create_date == date(2021, 7, 5)
    eastern = ZoneInfo("America/New_York")
    assert invoice.version == datetime(2021, 7, 5, 8, 17, 47, 399872, tzinfo=eastern)
    assert invoice.discount_value == Decimal("5")
    assert invoice.extras == {}


def test_invoice_lines_from_create_request() -> None:
    body = load(SEEDS / "invoices__create_invoice_with_an_unbilled_expense__request.json")
    invoice = decode(InvoiceUpdate, body["invoice"])
    lines = invoice.lines
    assert not isinstance(lines, UnsetType)
    assert all(isinstance(line, InvoiceLineCreate) for line in lines)
    assert lines[1].expenseid == 567
    assert lines[0].qty == Decimal(1)
    assert lines[0].unit_cost == Money(amount=Decimal("100"), code="CAD")
    assert lines[0].taxAmount1 == Decimal(10)


# ------------------------------------------------------------- evolve keeps it honest


def test_evolved_money_encodes_the_new_amount() -> None:
    money = decode(Money, {"amount": "100", "code": "USD"})
    assert encode(money) == {"amount": "100", "code": "USD"}
    changed = attrs.evolve(money, amount=Decimal("100.00"))
    assert encode(changed) == {"amount": "100.00", "code": "USD"}
    assert money == changed  # equal amounts compare equal; the wire text is not identity


def test_evolved_timestamp_encodes_the_new_value() -> None:
    data = sample_json(Project, created_at="2020-09-13T01:07:51")
    project = decode(Project, data)
    later = attrs.evolve(project, created_at=datetime(2021, 1, 1, tzinfo=UTC))
    assert encode(later) == {**data, "created_at": "2021-01-01T00:00:00Z"}
    assert encode(project) == data


# ---------------------------------------------------------------------------- errors


def test_decode_error_lists_every_field_path_and_value() -> None:
    good = load(SEEDS / "invoices__get_single_invoice__response.json")["response"]["result"]
    bad = dict(good["invoice"])
    bad["amount"] = {"amount": "12x", "code": "USD"}
    bad["status"] = "two"
    bad["created_at"] = 5
    bad["lines"] = [{"qty": 1}, {"unit_cost": "free"}]
    with pytest.raises(ModelDecodeError) as info:
        decode_many(Invoice, [good["invoice"], bad])
    message = str(info.value)
    assert "$[1].amount" in message
    assert "'12x'" in message
    assert "$[1].status" in message
    assert "'two'" in message
    assert "$[1].created_at" in message
    assert "5 (int)" in message
    assert "$[1].lines[1].unit_cost" in message
    assert "'free'" in message
    assert "$[0]" not in message


# ------------------------------------------------- wrong plain types and money (strict)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("id", "abc", "$.id: expected an int, got 'abc' (str)"),
        ("id", 1.5, "$.id: expected an int, got 1.5 (float)"),
        ("id", True, "$.id: expected an int, got True (bool)"),
        ("id", "12.0", "$.id: expected an int, got '12.0' (str)"),
        ("invoice_number", 17, "$.invoice_number: expected a string, got 17 (int)"),
        ("auto_bill", "yes", "$.auto_bill: expected a bool, got 'yes' (str)"),
        ("owner", [], "$.owner: expected an object, got [] (list)"),
        ("attachments", {}, "$.attachments: expected a list, got {} (dict)"),
    ],
)
def test_a_wrong_plain_type_is_an_error_naming_field_and_value(
    field: str, value: object, expected: str
) -> None:
    with pytest.raises(ModelDecodeError) as info:
        decode(Invoice, {**_inv(id=7, invoice_number="0007"), field: value})
    message = str(info.value)
    path, _, rest = expected.partition(": ")
    assert f"{rest} @ {path}" in message, message


def test_a_wrong_item_type_in_a_typed_list_is_an_error() -> None:
    with pytest.raises(ModelDecodeError, match=r"item 1: expected int, got 'x' \(str\)"):
        decode(InvoiceLine, sample_json(InvoiceLine, modern_time_entries=[1, "x"]))


def test_an_int_sent_as_digit_text_is_an_int_written_back_as_text() -> None:
    # The official Node SDK's fixtures send ids as strings ("218192").
    data = _inv(id="218192", customerid="-3", invoice_number="218192")
    invoice = decode(Invoice, data)
    assert (invoice.id, invoice.customerid, invoice.invoice_number) == (218192, -3, "218192")
    assert encode(invoice) == data
    assert encode(attrs.evolve(invoice, id=5))["id"] == 5


@pytest.mark.parametrize(
    "amount", ["NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "1E+999999", "1000000000000000000"]
)
def test_money_that_is_not_finite_or_too_large_is_always_an_error(amount: str) -> None:
    body = _inv(id=7, amount={"amount": amount, "code": "USD"})
    pattern = rf"invalid money amount '{re.escape(amount)}' .* @ \$\.amount"
    with pytest.raises(ModelDecodeError, match=pattern):
        decode(Invoice, body)
    with pytest.raises(ModelDecodeError, match=r"@ \$\[0\]\.lines\[0\]\.unit_cost"):
        decode_many(Invoice, [_inv(lines=[{"unit_cost": {"amount": amount, "code": "USD"}}])])
    with pytest.raises(ValueError, match=r"Money\.amount must be"):
        Money(amount=amount, code="USD")


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1E+999999", float("nan"), float("inf")])
def test_a_decimal_that_is_not_finite_or_too_large_is_an_error(value: object) -> None:
    with pytest.raises(ModelDecodeError, match=r"expected a decimal that must be .* @ \$\.qty"):
        decode(InvoiceLine, sample_json(InvoiceLine, qty=value))


def test_the_largest_amounts_still_decode() -> None:
    money = decode(Money, {"amount": "999999999999999999.99", "code": "USD"})
    assert money.amount == Decimal("999999999999999999.99")
    line = decode(InvoiceLine, sample_json(InvoiceLine, qty="-999999999999999999"))
    assert line.qty == Decimal("-999999999999999999")


def test_decode_error_for_non_object() -> None:
    with pytest.raises(ModelDecodeError, match=r"expected a JSON object for Invoice"):
        decode(Invoice, ["not", "an", "object"])
    with pytest.raises(ModelDecodeError, match="list of Invoice"):
        decode_many(Invoice, {"invoices": []})


def test_decode_rejects_non_model_class() -> None:
    with pytest.raises(TypeError, match="model_cls"):
        decode(dict, {})
    with pytest.raises(TypeError, match="model_cls"):
        encode({"a": 1})


def test_converter_uses_the_same_hooks() -> None:
    data = _inv(id=7, amount={"amount": "1.50", "code": "EUR"}, status=4)
    invoice = converter.structure(data, Invoice)
    assert invoice == decode(Invoice, data)
    assert converter.unstructure(invoice) == data
    assert converter.structure("2020-01-01T00:00:00Z", datetime) == datetime(2020, 1, 1, tzinfo=UTC)


# -------------------------------------------------------------------------- registry


def test_registry_covers_every_catalogue_resource() -> None:
    with (FIXTURES / "endpoints.tsv").open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    pairs = {(row["family"], row["resource"]) for row in rows}
    missing = pairs - set(RESOURCES_BY_FAMILY)
    assert not missing
    for family, resource in pairs:
        spec = resource_spec(resource, family)
        assert issubclass(spec.model, Model)
        assert spec.family == family


@pytest.mark.parametrize(
    ("resource", "singular", "plural", "model"),
    [
        ("invoices", "invoice", "invoices", Invoice),
        ("clients", "client", "clients", Client),
        ("time_entries", "time_entry", "time_entries", TimeEntry),
        ("callbacks", "callback", "callbacks", Callback),
        ("ledger_accounts", "data", "data", LedgerAccount),
        ("other_income", "other_income", "other_income", RESOURCES["other_income"].model),
    ],
)
def test_registry_keys(resource: str, singular: str, plural: str, model: type[Model]) -> None:
    spec = resource_spec(resource)
    assert (spec.singular, spec.plural, spec.model) == (singular, plural, model)


def test_registry_lookup_errors() -> None:
    with pytest.raises(KeyError, match="unknown resource 'nope'"):
        resource_spec("nope")
    with pytest.raises(KeyError, match="in family 'events'"):
        resource_spec("invoices", "events")
    with pytest.raises(TypeError, match="resource must be a str"):
        resource_spec(3)  # type: ignore[arg-type]
    assert resource_spec("gateways", "payments").model is not resource_spec("gateways").model


def test_zoneinfo_database_is_available() -> None:
    eastern = ZoneInfo("America/New_York")
    winter = datetime(2021, 1, 15, 12, tzinfo=eastern)
    summer = datetime(2021, 7, 15, 12, tzinfo=eastern)
    assert winter.utcoffset() == timedelta(hours=-5)
    assert summer.utcoffset() == timedelta(hours=-4)


def test_decoded_objects_are_freed_after_a_slow_path_parse() -> None:
    # Regression: the fast timestamp parser used to raise one shared exception instance,
    # whose traceback kept the frames (and so every object) of the last decode alive.
    import gc
    import weakref

    from freshbooks_async.models import Invoice, decode_many

    rows = [
        _inv(
            id=n,
            invoiceid=n,
            version="2021-07-05 08:17:47.000000",
            updated="2021-07-05T08:17:47",
        )
        for n in range(50)
    ]
    decoded = decode_many(Invoice, rows)
    refs = [weakref.ref(obj) for obj in decoded]
    del decoded
    gc.collect()
    assert all(ref() is None for ref in refs)


# ------------------------------------------------------------ decode fast paths


def _read_models() -> list[type[Model]]:
    import freshbooks_async.models as models

    found = {
        obj
        for obj in vars(models).values()
        if isinstance(obj, type) and issubclass(obj, Model) and obj is not Model
    }
    return sorted(found, key=lambda cls: cls.__name__)


@pytest.mark.parametrize("cls", _read_models(), ids=lambda cls: cls.__name__)
def test_slot_filled_decode_equals_attrs_init(cls: type[Model]) -> None:
    # Read models are filled slot by slot (not through attrs __init__); every slot must
    # be set, and the result must be what __init__ builds from the same values.
    from freshbooks_async.models._converter import _slot_setters

    obj = decode(cls, sample_json(cls, unknown_key=1))
    values = {f.name: getattr(obj, f.name) for f in attrs.fields(cls)}  # no unset slot
    assert values["extras"] == {"unknown_key": 1}
    init = {f.alias: values[f.name] for f in attrs.fields(cls) if f.init}
    assert cls(**init) == obj
    assert repr(cls(**init)) == repr(obj)
    if "__slots__" in cls.__dict__ and not getattr(cls, "__attrs_post_init__", None):
        assert _slot_setters(cls) is not None  # the fast path is in use


def test_slot_filling_is_refused_where_init_does_more() -> None:
    from freshbooks_async.models import InvoiceCreate
    from freshbooks_async.models._converter import _slot_setters

    assert _slot_setters(Money) is None  # validators and converters
    assert _slot_setters(InvoiceCreate) is None  # __attrs_post_init__ validates

    @attrs.frozen(kw_only=True)
    class Checked(Model):
        n: int = attrs.field(default=0, validator=attrs.validators.ge(0))

    assert _slot_setters(Checked) is None


def test_equal_money_objects_share_one_instance_and_keep_their_wire_form() -> None:
    from freshbooks_async.models import common

    rows = [
        _inv(id=1, amount={"amount": "0.00", "code": "USD"}),
        _inv(id=2, amount={"amount": "0.00", "code": "USD"}),
        _inv(id=3, amount={"amount": "0.0", "code": "USD"}),
        _inv(id=4, amount={"amount": 0, "code": "USD"}),
        _inv(id=5, amount={"amount": "0.00", "code": "USD", "note": "x"}),
    ]
    a, b, c, d, e = decode_many(Invoice, rows)
    assert a.amount is b.amount
    assert c.amount is not a.amount  # another wire text...
    assert c.amount == a.amount  # ...for an equal amount
    assert [encode(x) for x in (a, b, c, d, e)] == rows  # "0.0", 0 and extras kept
    assert e.amount is not a.amount
    for n in range(common._MONEY_CACHE_SIZE + 10):  # bounded
        common.money_from_wire({"amount": f"{n}.00", "code": "CAD"})
    assert len(common._MONEY_CACHE) <= common._MONEY_CACHE_SIZE


@attrs.frozen(kw_only=True)
class _Stamped(Model):
    version: AccountingDateTime | None = None
    updated: ISODateTime | None = None


def test_zero_microsecond_timestamps_take_the_fast_path_and_round_trip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # FreshBooks sends invoice `version` as "... .000000": read without the slow path
    # (an exception per row), and still written back with its ".000000".
    from freshbooks_async.models import _converter

    def no_slow_path(*args: object) -> None:
        raise AssertionError(f"slow path taken for {args[0]!r}")

    monkeypatch.setattr(_converter, "_slow_dt", no_slow_path)
    rows = [
        {"version": "2021-07-05 08:17:47.000000", "updated": "2021-07-05T12:17:47.000000Z"},
        {"version": "2021-07-05 08:17:47.250000", "updated": "2021-07-05T12:17:47Z"},
        {"version": "2021-07-05 08:17:47", "updated": "2021-07-05T12:17:47.000001Z"},
    ]
    objs = decode_many(_Stamped, rows)
    assert [encode(o) for o in objs] == rows
    assert objs[0].version == datetime(2021, 7, 5, 8, 17, 47, tzinfo=ZoneInfo("US/Eastern"))
    assert objs[0].updated == datetime(2021, 7, 5, 12, 17, 47, tzinfo=UTC)


def test_the_docs_list_exactly_the_required_fields_of_every_model() -> None:
    import importlib
    import pkgutil
    import re

    import freshbooks_async.models as package
    from freshbooks_async.models._fields import plans_for

    text = (Path(__file__).parent.parent / "docs" / "models.rst").read_text()
    block = text.split(".. required-fields-start")[1].split(".. required-fields-end")[0]
    documented: dict[str, set[str]] = {}
    for line in block.strip().splitlines():
        name, _, rest = line.removeprefix("* ``").partition("``")
        fields = rest.split("): ", 1)[1].split("; ")[0]
        documented[name] = set(re.findall(r"``([^`]+)``", fields))
    actual: dict[str, set[str]] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"freshbooks_async.models.{info.name}")
        for obj in vars(module).values():
            if not (isinstance(obj, type) and issubclass(obj, Model)):
                continue
            required = {p.key for p in plans_for(obj) if p.required}
            if required and obj.__module__ == module.__name__:
                actual[obj.__name__] = required
    assert documented == actual
