"""Round trips of every stored FreshBooks body through the typed models, and the registry."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from freshbooks_async.errors import ModelDecodeError
from freshbooks_async.models import (
    RESOURCES,
    RESOURCES_BY_FAMILY,
    UNSET,
    AttachmentUpload,
    Callback,
    Client,
    Identity,
    ImageUpload,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    InvoiceV3Status,
    LedgerAccount,
    Model,
    Money,
    Project,
    ProjectAbility,
    TimeEntry,
    TokenResponse,
    VisState,
    converter,
    decode,
    decode_many,
    encode,
    resource_spec,
)
from freshbooks_async.models.common import AccountingDateTime, ISODateTime, Maybe

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
    roundtrip_one(cls, unwrap(load(PY_SDK / name)))


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
    assert client.outstanding_balance is not UNSET
    assert client.outstanding_balance is not None
    assert client.outstanding_balance[1].amount == Money(amount=Decimal(11), code="CAD")
    assert encode(client)["outstanding_balance"][1]["amount"]["amount"] == 11
    # Unknown keys are kept.
    assert client.extras == {"test_amount": {"amount": 10, "code": "CAD"}}
    assert client.home_phone is None
    assert client.fname == "Gordon"


def test_absent_keys_stay_absent_and_null_stays_null() -> None:
    data = {"id": 1, "po_number": None}
    invoice = decode(Invoice, data)
    assert invoice.po_number is None
    assert invoice.notes is UNSET
    assert encode(invoice) == data


def test_project_timestamps_without_offset_are_utc_and_written_back_verbatim() -> None:
    data = load(PY_SDK / "get_project_response.json")["project"]
    project = decode(Project, data)
    assert project.created_at == datetime(2020, 9, 13, 1, 7, 51, tzinfo=UTC)
    assert encode(project)["created_at"] == "2020-09-13T01:07:51"
    assert project.due_date == date(2021, 1, 2)
    assert project.services is not UNSET
    assert project.services is not None
    assert project.services[0].vis_state is VisState.ACTIVE


def test_unparseable_timestamp_is_kept_in_extras() -> None:
    # The official SDK's own fixture carries "2020-11-219T13:22:04".
    data = load(PY_SDK / "create_project_response.json")["project"]
    project = decode(Project, data)
    assert project.created_at is UNSET
    assert project.extras["created_at"] == "2020-11-219T13:22:04"
    assert encode(project) == data


def test_identity_business_memberships() -> None:
    identity = decode(Identity, load(PY_SDK / "auth_me_response.json")["response"])
    memberships = identity.business_memberships
    assert memberships is not UNSET
    assert memberships is not None
    business = memberships[0].business
    assert business is not UNSET
    assert business is not None
    assert (business.id, business.account_id, business.business_uuid) == (
        439000,
        "ABC123",
        "a_uuid1",
    )
    assert memberships[0].role == "owner"
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
    if path.stem.endswith("__request"):
        roundtrip_one(Invoice, body["invoice"])
        return
    result = body["response"]["result"]
    if "invoices" in result:
        invoices = roundtrip_many(Invoice, result["invoices"])
        assert len(invoices) == result["total"]
    else:
        roundtrip_one(Invoice, result["invoice"])


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
    invoice = roundtrip_one(Invoice, body["invoice"])
    lines = invoice.lines
    assert lines is not UNSET
    assert lines is not None
    assert all(isinstance(line, InvoiceLine) for line in lines)
    assert lines[1].expenseid == 567
    assert lines[0].qty == Decimal(1)
    assert lines[0].unit_cost == Money(amount=Decimal("100"), code="CAD")
    assert invoice.late_fee is not UNSET
    assert invoice.late_fee is not None
    assert invoice.late_fee.value == Decimal(10)
    # JSON numbers in decimal fields come back as the same JSON numbers.
    assert encode(invoice)["lines"][0]["taxAmount1"] == 10


# ------------------------------------------------------------- evolve keeps it honest


def test_evolved_money_encodes_the_new_amount() -> None:
    money = decode(Money, {"amount": "100", "code": "USD"})
    assert encode(money) == {"amount": "100", "code": "USD"}
    changed = attrs.evolve(money, amount=Decimal("100.00"))
    assert encode(changed) == {"amount": "100.00", "code": "USD"}
    assert money == changed  # equal amounts compare equal; the wire text is not identity


def test_evolved_timestamp_encodes_the_new_value() -> None:
    project = decode(Project, {"created_at": "2020-09-13T01:07:51"})
    later = attrs.evolve(project, created_at=datetime(2021, 1, 1, tzinfo=UTC))
    assert encode(later) == {"created_at": "2021-01-01T00:00:00Z"}
    assert encode(project) == {"created_at": "2020-09-13T01:07:51"}


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
    data = {"id": 7, "amount": {"amount": "1.50", "code": "EUR"}, "status": 4}
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
        {
            "id": n,
            "invoiceid": n,
            "version": "2021-07-05 08:17:47.000000",
            "updated": "2021-07-05T08:17:47",
        }
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

    obj = decode(cls, {"unknown_key": 1})
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
        {"id": 1, "amount": {"amount": "0.00", "code": "USD"}},
        {"id": 2, "amount": {"amount": "0.00", "code": "USD"}},
        {"id": 3, "amount": {"amount": "0.0", "code": "USD"}},
        {"id": 4, "amount": {"amount": 0, "code": "USD"}},
        {"id": 5, "amount": {"amount": "0.00", "code": "USD", "note": "x"}},
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
    version: Maybe[AccountingDateTime] = UNSET
    updated: Maybe[ISODateTime] = UNSET


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
