"""Lazy decoding (docs/models.rst, "Lazy decoding"): what the resources decode responses
with. The JSON object is checked as strictly as ``decode`` checks it, at decode time;
the fields are built on first access; everything else behaves as for an eager model."""

from __future__ import annotations

import copy
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from freshbooks_async import FreshBooksClient
from freshbooks_async.errors import ModelDataWarning, ModelDecodeError
from freshbooks_async.models import (
    Client,
    Identity,
    Invoice,
    InvoiceLine,
    LedgerAccount,
    Model,
    Money,
    Project,
    TimeEntry,
    _base,
    _converter,
    decode,
    encode,
)
from freshbooks_async.models._converter import _lazy_decoder
from freshbooks_async.sandbox import SandboxServer
from freshbooks_async.testing import sample_json

FIXTURES = Path(__file__).parent / "fixtures"
PY_SDK = FIXTURES / "python-sdk"
SEEDS = FIXTURES / "seeds"


def load(path: Path) -> Any:
    return json.loads(path.read_text())


def is_lazy(obj: object) -> bool:
    """Whether ``obj`` still holds its JSON object (no field built yet)."""
    try:
        _base._raw_get(obj)
    except AttributeError:
        return False
    return True


def lazy(cls: type[Any], data: Any) -> Any:
    return _lazy_decoder(cls)(data)


def _inv(**fields: Any) -> dict[str, Any]:
    return sample_json(Invoice, **fields)


def _seed_invoice() -> dict[str, Any]:
    body = load(SEEDS / "invoices__get_single_invoice__response.json")
    invoice: dict[str, Any] = body["response"]["result"]["invoice"]
    return invoice


def _bodies() -> Iterator[tuple[str, type[Model], Any]]:
    yield "seed invoice", Invoice, _seed_invoice()
    listed = load(SEEDS / "invoices__list_invoices__response.json")
    for index, row in enumerate(listed["response"]["result"]["invoices"]):
        yield f"seed invoices[{index}]", Invoice, row
    yield (
        "client",
        Client,
        load(PY_SDK / "get_client_response.json")["response"]["result"]["client"],
    )
    yield "project", Project, load(PY_SDK / "get_project_response.json")["project"]
    yield "time entry", TimeEntry, load(PY_SDK / "get_time_entry_response.json")["time_entry"]
    yield "ledger", LedgerAccount, load(PY_SDK / "get_ledger_account_response.json")["data"]
    yield "identity", Identity, load(PY_SDK / "auth_me_response.json")["response"]
    yield "sample invoice", Invoice, _inv(id=7, lines=[sample_json(InvoiceLine, qty="2")])


BODIES = list(_bodies())


# ------------------------------------------------------------------ same values, lazily


@pytest.mark.parametrize(("name", "cls", "data"), BODIES, ids=[b[0] for b in BODIES])
def test_a_lazily_decoded_model_equals_the_eager_one_and_round_trips(
    name: str, cls: type[Model], data: Any
) -> None:
    obj = lazy(cls, data)
    assert type(obj) is cls
    assert is_lazy(obj), name
    assert obj == decode(cls, data)
    assert not is_lazy(obj)  # == read the fields: built, and the JSON object dropped
    assert encode(lazy(cls, data)) == data  # exact round trip, from a never-read instance
    assert json.dumps(encode(lazy(cls, data)), sort_keys=True) == json.dumps(data, sort_keys=True)


def test_first_access_builds_every_field_once_then_reads_are_slot_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    eager = decode(Invoice, _seed_invoice())
    invoice = lazy(Invoice, _seed_invoice())
    fill = _base._fillers[Invoice]
    calls: list[object] = []

    def counting(raw: Any, obj: Any) -> Any:
        calls.append(obj)
        return fill(raw, obj)

    monkeypatch.setitem(_base._fillers, Invoice, counting)
    # Before the first read, every field slot is empty (nothing was built at decode).
    descriptor: Any = Invoice.amount  # the slot's member descriptor
    with pytest.raises(AttributeError):
        descriptor.__get__(invoice)
    assert invoice.amount == eager.amount
    assert calls == [invoice]
    # Now every slot is filled: the member descriptor reads them without __getattr__.
    for field in attrs.fields(Invoice):
        getattr(Invoice, field.name).__get__(invoice)
    _ = (invoice.id, invoice.lines, invoice.extras, invoice.fields_set, invoice.created_at)
    assert calls == [invoice]  # built once
    assert not is_lazy(invoice)


def test_a_misspelt_attribute_is_an_attribute_error_and_builds_nothing() -> None:
    invoice = lazy(Invoice, _seed_invoice())
    with pytest.raises(AttributeError, match="'Invoice' object has no attribute 'amout'") as info:
        invoice.amout  # noqa: B018
    assert info.value.name == "amout"
    assert info.value.obj is invoice
    assert is_lazy(invoice)
    assert not hasattr(invoice, "__deepcopy__")
    assert is_lazy(invoice)
    eager = decode(Invoice, _seed_invoice())
    with pytest.raises(AttributeError, match="has no attribute 'amout'"):
        eager.amout  # type: ignore[attr-defined]  # noqa: B018


def test_public_decode_stays_eager_and_keeps_no_reference_to_the_callers_dict() -> None:
    data = _inv(id=7, lines=[sample_json(InvoiceLine, qty="2", description="one")])
    invoice = decode(Invoice, data)
    assert not is_lazy(invoice)
    data["id"] = 8
    data["lines"][0]["description"] = "changed"
    data["amount"]["amount"] = "999.00"
    assert invoice.id == 7
    assert invoice.lines is not None
    assert invoice.lines[0].description == "one"
    assert invoice.amount.amount != 999
    assert encode(invoice)["lines"][0]["description"] == "one"


# -------------------------------------------------------- errors and warnings at decode


def _bad_invoices() -> Iterator[tuple[str, Any]]:
    base = _inv(id=7, invoice_number="0007")
    for field, value in [
        ("id", "abc"),
        ("id", 1.5),
        ("id", True),
        ("id", None),
        ("invoice_number", 17),
        ("auto_bill", "yes"),
        ("owner", []),
        ("attachments", {}),
        ("status", "two"),
        ("created_at", 5),
        ("create_date", "2021-13-45"),  # a required date that does not parse
        ("discount_value", "NaN"),
        ("discount_value", "1E+999999"),
        ("lines", {}),
        ("lines", [1]),
        ("lines", [{"qty": 1}, {"unit_cost": "free"}]),
        ("lines", [{"unit_cost": {"amount": "NaN", "code": "USD"}}]),
        ("lines", [{"qty": "Infinity"}]),
        ("presentation", "x"),
    ]:
        yield f"{field}={value!r}", {**base, field: value}
    for amount in ["NaN", "-NaN", "sNaN", "Infinity", "1E+999999", "1000000000000000000", "12x"]:
        yield f"amount={amount}", {**base, "amount": {"amount": amount, "code": "USD"}}
    for number in [10**18, -(10**18), True, float("nan"), float("inf")]:
        yield f"amount={number!r}", {**base, "amount": {"amount": number, "code": "USD"}}
    yield "money without code", {**base, "amount": {"amount": "1.00"}}
    yield "money code int", {**base, "amount": {"amount": "1.00", "code": 5}}
    absent = dict(base)
    del absent["outstanding"]
    yield "required absent", absent
    yield "not an object", [base]


BAD = list(_bad_invoices())


@pytest.mark.parametrize(("name", "data"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_object_raises_at_decode_with_the_eager_message(name: str, data: Any) -> None:
    with pytest.raises(ModelDecodeError) as eager:
        decode(Invoice, data)
    with pytest.raises(ModelDecodeError) as lazily:
        lazy(Invoice, data)
    assert str(lazily.value) == str(eager.value)


def test_an_unparseable_timestamp_warns_at_decode_and_reads_as_absent() -> None:
    data = load(PY_SDK / "create_project_response.json")["project"]
    with pytest.warns(ModelDataWarning) as caught:
        project = lazy(Project, data)
    assert [str(w.message).split(":")[0] for w in caught] == [
        "Project.created_at",
        "Project.updated_at",
    ]
    assert project.created_at is None
    assert project.extras["created_at"] == "2020-11-219T13:22:04"
    assert encode(project) == data


def test_unusual_but_valid_values_decode_the_same() -> None:
    # Shapes the check leaves to the eager decoder: ids as digit text, decimals as JSON
    # numbers, "" decimals, timestamps with an offset, money with extra keys.
    data = _inv(
        id="218192",
        customerid="-3",
        discount_value=5,
        deposit_percentage="",
        created_at="2021-07-01T10:00:00+02:00",
        amount={"amount": "1.00", "code": "USD", "rate": 1},
    )
    obj = lazy(Invoice, data)
    assert obj == decode(Invoice, data)
    assert encode(obj) == data


def test_unknown_enum_values_and_extra_keys_stay_lazy_and_exact() -> None:
    data = {**_inv(id=7, status=99), "brand_new_key": {"amount": "2.00", "code": "EUR"}}
    obj = lazy(Invoice, data)
    assert is_lazy(obj)
    assert obj.extras["brand_new_key"] == Money(amount="2.00", code="EUR")
    assert obj == decode(Invoice, data)
    assert encode(obj) == data


# ------------------------------------------------- everything else on a never-read model


def _fresh() -> Any:
    obj = lazy(Invoice, _seed_invoice())
    assert is_lazy(obj)
    return obj


@pytest.mark.parametrize(
    ("name", "operation"),
    [
        ("repr", repr),
        ("evolve", lambda obj: attrs.evolve(obj, notes="n")),
        ("asdict", attrs.asdict),
        ("astuple", attrs.astuple),
        ("copy", copy.copy),
        ("fields_set", lambda obj: obj.fields_set),
        ("extras", lambda obj: obj.extras),
        ("encode", encode),
        ("encode evolved", lambda obj: encode(attrs.evolve(obj, notes="n"))),
        ("eq self", lambda obj: obj == obj),
        ("ne", lambda obj: obj != decode(Invoice, _inv(id=1))),
    ],
)
def test_a_never_read_model_behaves_as_the_eager_one(
    name: str, operation: Callable[[Any], Any]
) -> None:
    eager = decode(Invoice, _seed_invoice())
    assert operation(_fresh()) == operation(eager), name


def test_hash_and_pickle_behave_as_for_an_eager_model() -> None:
    # (extras is a read-only mapping proxy: read models are neither hashable nor
    # picklable, lazily decoded or not.)
    import pickle

    eager = decode(Invoice, _seed_invoice())
    for operation in (hash, pickle.dumps):
        with pytest.raises(TypeError) as from_eager:
            operation(eager)
        with pytest.raises(TypeError) as from_lazy:
            operation(_fresh())
        assert str(from_lazy.value) == str(from_eager.value)


def test_building_from_many_threads_at_once_is_harmless() -> None:
    eager = decode(Invoice, _seed_invoice())
    names = [field.name for field in attrs.fields(Invoice)]
    for _ in range(20):
        obj = _fresh()
        barrier = threading.Barrier(8)
        seen: list[tuple[str, Any]] = []

        def read(
            name: str,
            obj: Any = obj,
            barrier: threading.Barrier = barrier,
            seen: list[tuple[str, Any]] = seen,
        ) -> None:
            barrier.wait(timeout=30)
            seen.append((name, getattr(obj, name)))

        threads = [threading.Thread(target=read, args=(names[i * 7],)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert len(seen) == 8
        for name, value in seen:
            assert value == getattr(eager, name), name
        assert obj == eager
        assert not is_lazy(obj)


# --------------------------------------------------------------- the SDK's own responses


async def test_listed_and_fetched_invoices_are_lazy_and_exact_over_loopback() -> None:
    async with (
        SandboxServer(seed_invoices=30) as server,
        FreshBooksClient(server.token, base_url=server.url) as fb,
    ):
        page = await fb.invoices.list("ACC001", per_page=25)
        assert len(page.items) == 25
        assert all(is_lazy(item) for item in page.items)
        assert [decode(Invoice, encode(item)) for item in page.items] == list(page.items)
        one = await fb.invoices.get("ACC001", page.items[3].id)
        assert is_lazy(one)
        assert one == page.items[3]
        listed = [invoice async for invoice in fb.invoices.list_all("ACC001", per_page=7)]
        assert len({invoice.id for invoice in listed}) == len(listed) == 30
        assert all(encode(decode(Invoice, encode(i))) == encode(i) for i in listed)


# ------------------------------------------------- the generated check per row shape


def _line(**fields: Any) -> dict[str, Any]:
    return sample_json(InvoiceLine, **fields)


def _invalid_rows() -> Iterator[tuple[str, dict[str, Any]]]:
    base = _inv(id=7, lines=[_line(qty="2")], notes="n", created_at="2021-07-01 10:00:00")
    yield "money string", {**base, "paid": {"amount": "12x", "code": "USD"}}
    yield "date", {**base, "create_date": "2021-02-30"}
    yield "type in a nested list", {**base, "lines": [_line(), _line(qty=["2"])]}
    missing = dict(base)
    del missing["invoice_number"]
    yield "required absent", missing


INVALID = list(_invalid_rows())


@pytest.fixture
def fresh_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    """No shape seen yet: an empty shape cache, and checks and decoders made anew (each
    remembers the last shape it saw)."""
    monkeypatch.setattr(_converter, "_shape_fns", OrderedDict())
    monkeypatch.setattr(_converter, "_check_fns", {})
    monkeypatch.setattr(_converter, "_lazy_fns", {})


@pytest.mark.parametrize(("name", "data"), INVALID, ids=[i[0] for i in INVALID])
def test_a_shape_met_first_and_a_shape_seen_before_give_the_same_errors(
    name: str, data: dict[str, Any], fresh_shapes: None
) -> None:
    decoder = _lazy_decoder(Invoice)
    shape = (Invoice, frozenset(data))
    with pytest.raises(ModelDecodeError) as eager:
        decode(Invoice, data)
    with pytest.raises(ModelDecodeError) as first:  # a miss: its check is generated
        decoder(data)
    generated = _converter._shape_fns[shape]
    # Hits: right after a row of the same keys, then after a row of another shape.
    same_keys = {**data, "paid": _inv()["paid"], "create_date": "2021-02-28", "lines": []}
    assert frozenset(same_keys) == frozenset(data)
    if name == "required absent":
        with pytest.raises(ModelDecodeError):
            decoder(same_keys)
    else:
        assert is_lazy(decoder(same_keys))
    with pytest.raises(ModelDecodeError) as after_same:
        decoder(data)
    assert is_lazy(decoder(_inv(id=8)))
    with pytest.raises(ModelDecodeError) as after_other:
        decoder(data)
    assert _converter._shape_fns[shape] is generated  # found, not generated again
    assert {str(e.value) for e in (first, after_same, after_other)} == {str(eager.value)}


def test_a_valid_row_decodes_the_same_whether_its_shape_is_new_or_known(
    fresh_shapes: None,
) -> None:
    decoder = _lazy_decoder(Invoice)
    rows = [_inv(id=i, lines=[_line(qty=str(i))], created_at="2021-07-01 10:00:00") for i in (1, 2)]
    other = _inv(id=3, notes=None)
    got = [decoder(row) for row in [rows[0], other, rows[1], rows[0]]]
    assert all(is_lazy(obj) for obj in got)
    assert got == [decode(Invoice, row) for row in [rows[0], other, rows[1], rows[0]]]
    assert [encode(obj) for obj in got] == [rows[0], other, rows[1], rows[0]]


def test_a_row_with_as_many_keys_but_another_one_is_checked_under_its_own_shape() -> None:
    decoder = _lazy_decoder(Invoice)
    seen = {**_inv(id=1), "zz_unknown": 1}
    assert is_lazy(decoder(seen))
    # Same number of keys: the unknown one swapped for a known key with a bad value.
    swapped = {**_inv(id=1), "auto_bill": "yes"}
    with pytest.raises(ModelDecodeError) as eager:
        decode(Invoice, swapped)
    with pytest.raises(ModelDecodeError) as lazily:
        decoder(swapped)
    assert str(lazily.value) == str(eager.value)
    assert "auto_bill" in str(eager.value)


def test_the_shape_cache_is_bounded_and_keeps_the_shapes_in_use(
    fresh_shapes: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_converter, "_SHAPES_SIZE", 8)
    decoder = _lazy_decoder(Invoice)
    common = _inv(id=1)
    for i in range(40):  # a payload of ever new shapes (a new unknown key per row)
        assert is_lazy(decoder(common))
        adversarial = {**_inv(id=2), f"unknown_{i}": i}
        assert decoder(adversarial).extras == {f"unknown_{i}": i}
        assert len(_converter._shape_fns) <= 8
    assert (Invoice, frozenset(common)) in _converter._shape_fns  # the least recent go
    assert (Invoice, frozenset({**_inv(id=2), "unknown_0": 0})) not in _converter._shape_fns


def test_dates_known_to_parse_are_remembered_and_bad_ones_never_are(
    fresh_shapes: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_converter, "_GOOD_DATES", set())
    monkeypatch.setattr(_converter, "_GOOD_DATETIMES", set())
    decoder = _lazy_decoder(Invoice)
    good = _inv(id=1, create_date="2021-07-01", created_at="2021-07-01 10:00:00")
    assert is_lazy(decoder(good))
    assert "2021-07-01" in _converter._GOOD_DATES
    assert "2021-07-01 10:00:00" in _converter._GOOD_DATETIMES
    assert is_lazy(decoder(dict(good)))  # the same dates again: found, the same answer
    for bad in ("2021-02-30", "2021-07-01 10:00:00"):  # a timestamp is not a date
        with pytest.raises(ModelDecodeError) as eager:
            decode(Invoice, {**good, "create_date": bad})
        with pytest.raises(ModelDecodeError) as lazily:
            decoder({**good, "create_date": bad})
        assert str(lazily.value) == str(eager.value)
        assert bad not in _converter._GOOD_DATES
    for day in range(1, 29):  # bounded: cleared when full
        for month in range(1, 13):
            for year in range(2000, 2013):
                decoder({**good, "create_date": f"{year}-{month:02d}-{day:02d}"})
    assert 0 < len(_converter._GOOD_DATES) <= 4096
