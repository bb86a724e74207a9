"""Write models: validation names the field and value; payloads carry only set fields."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from freshbooks_async import models
from freshbooks_async.models import (
    UNSET,
    ClientUpdate,
    InvoiceCreate,
    InvoiceLineCreate,
    InvoiceStatus,
    InvoiceUpdate,
    Money,
    PaymentCreate,
    ProjectCreate,
    TimeEntryCreate,
    VisState,
    WriteModel,
    to_payload,
    vis_state_payload,
)
from freshbooks_async.models._fields import plans_for
from freshbooks_async.models.common import Settable

WRITE_MODELS = sorted(
    (
        obj
        for obj in vars(models).values()
        if isinstance(obj, type) and issubclass(obj, WriteModel) and obj is not WriteModel
    ),
    key=lambda cls: cls.__name__,
)


def test_update_sends_only_what_was_set() -> None:
    assert to_payload(InvoiceUpdate(due_offset_days=20)) == {"due_offset_days": 20}
    assert to_payload(InvoiceUpdate(action_mark_as_sent=True)) == {"action_mark_as_sent": True}
    assert to_payload(InvoiceUpdate(po_number=None)) == {"po_number": None}
    assert to_payload(InvoiceUpdate()) == {}


def test_create_payload_encodes_money_dates_decimals_enums() -> None:
    invoice = InvoiceCreate(
        customerid=806,
        create_date=date(2021, 7, 5),
        status=InvoiceStatus.SENT,
        discount_value=Decimal("5"),
        lines=[
            InvoiceLineCreate(
                name="Item1",
                qty=Decimal("1.5"),
                unit_cost=Money(amount=Decimal("100.00"), code="CAD"),
                taxName1="GST",
                taxAmount1=Decimal("10"),
            )
        ],
    )
    assert to_payload(invoice) == {
        "customerid": 806,
        "create_date": "2021-07-05",
        "status": 2,
        "discount_value": "5",
        "lines": [
            {
                "name": "Item1",
                "qty": "1.5",
                "unit_cost": {"amount": "100.00", "code": "CAD"},
                "taxName1": "GST",
                "taxAmount1": "10",
            }
        ],
    }


def test_timestamps_are_written_in_the_family_format() -> None:
    entry = TimeEntryCreate(started_at=datetime(2020, 10, 17, 5, tzinfo=UTC), duration=3600)
    assert to_payload(entry) == {"started_at": "2020-10-17T05:00:00Z", "duration": 3600}


def test_no_write_model_has_vis_state() -> None:
    def subclasses(cls: type) -> set[type]:
        out: set[type] = set(cls.__subclasses__())
        for sub in list(out):
            out |= subclasses(sub)
        return out

    import freshbooks_async.models  # noqa: F401 - registers every model module

    models = subclasses(WriteModel)
    assert len(models) > 40
    for cls in models:
        assert "vis_state" not in {plan.key for plan in plans_for(cls)}, cls


def test_vis_state_is_refused_everywhere_on_write_models() -> None:
    with pytest.raises(TypeError, match="vis_state is not a field"):
        InvoiceUpdate.from_kwargs(vis_state=1)
    with pytest.raises(TypeError):
        InvoiceUpdate(vis_state=1)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="vis_state"):
        InvoiceUpdate(extras={"vis_state": 1})


def test_vis_state_payload() -> None:
    assert vis_state_payload(VisState.DELETED) == {"vis_state": 1}
    assert vis_state_payload(VisState.ARCHIVED) == {"vis_state": 2}
    assert vis_state_payload(0) == {"vis_state": 0}
    with pytest.raises(ValueError, match="got 7"):
        vis_state_payload(7)
    with pytest.raises(TypeError, match="'1'"):
        vis_state_payload("1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="True"):
        vis_state_payload(True)


@pytest.mark.parametrize(
    ("build", "error", "pattern"),
    [
        (
            lambda: InvoiceLineCreate(qty=Decimal("-1")),
            ValueError,
            r"InvoiceLineCreate\.qty must be >= 0, got Decimal\('-1'\).*negative",
        ),
        (
            lambda: InvoiceLineCreate(qty=1.5),  # type: ignore[arg-type]
            TypeError,
            r"InvoiceLineCreate\.qty must be .*not float.*got 1\.5 \(float\)",
        ),
        (
            lambda: InvoiceLineCreate(qty="abc"),  # type: ignore[arg-type]
            ValueError,
            r"InvoiceLineCreate\.qty must be a decimal number, got 'abc'",
        ),
        (
            lambda: InvoiceLineCreate(unit_cost={"amount": "1", "code": "USD"}),  # type: ignore[arg-type]
            TypeError,
            r"InvoiceLineCreate\.unit_cost must be a Money, got \{",
        ),
        (
            lambda: InvoiceCreate(customerid="806", create_date=date(2021, 1, 1)),  # type: ignore[arg-type]
            TypeError,
            r"InvoiceCreate\.customerid must be int, got '806' \(str\)",
        ),
        (
            lambda: InvoiceCreate(customerid=True, create_date=date(2021, 1, 1)),
            TypeError,
            r"InvoiceCreate\.customerid must be int, got True \(bool\)",
        ),
        (
            lambda: InvoiceCreate(create_date=date(2021, 1, 1)),
            ValueError,
            r"InvoiceCreate\.customerid is required",
        ),
        (
            lambda: InvoiceCreate(customerid=1, create_date=datetime(2021, 1, 1, tzinfo=UTC)),
            TypeError,
            r"InvoiceCreate\.create_date must be a date, got datetime",
        ),
        (
            lambda: InvoiceCreate(customerid=1, create_date=date(2021, 1, 1), status=42),  # type: ignore[arg-type]
            ValueError,
            r"InvoiceCreate\.status must be one of InvoiceStatus \(0, 1, .*\), got 42",
        ),
        (
            lambda: InvoiceCreate(customerid=1, create_date=date(2021, 1, 1), status="2"),  # type: ignore[arg-type]
            TypeError,
            r"InvoiceCreate\.status must be a InvoiceStatus, got '2' \(str\)",
        ),
        (
            lambda: InvoiceCreate(customerid=1, create_date=date(2021, 1, 1), currency_code=None),  # type: ignore[arg-type]
            TypeError,
            r"InvoiceCreate\.currency_code must not be None",
        ),
        (
            lambda: InvoiceUpdate(email_recipients=["a@b.c", 3]),  # type: ignore[list-item]
            TypeError,
            r"InvoiceUpdate\.email_recipients\[1\] must be str, got 3",
        ),
        (
            lambda: InvoiceUpdate(lines=[{"name": "x"}]),  # type: ignore[list-item]
            TypeError,
            r"InvoiceUpdate\.lines\[0\] must be a InvoiceLineCreate, got \{'name': 'x'\}",
        ),
        (
            lambda: TimeEntryCreate(started_at=datetime(2020, 1, 1)),
            ValueError,
            r"TimeEntryCreate\.started_at must be timezone-aware, got the naive",
        ),
        (
            lambda: TimeEntryCreate(started_at=datetime(2020, 1, 1, tzinfo=UTC), duration=-5),
            ValueError,
            r"TimeEntryCreate\.duration must be >= 0, got -5",
        ),
        (
            lambda: ProjectCreate(title="x", fixed_price=Decimal("NaN")),
            ValueError,
            r"ProjectCreate\.fixed_price must be finite, got Decimal\('NaN'\)",
        ),
        (
            lambda: ClientUpdate(extras={"email": "x"}),
            ValueError,
            r"ClientUpdate\.extras\['email'\] duplicates the field",
        ),
    ],
)
def test_validation_names_field_and_value(build: Any, error: type[Exception], pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        build()


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"amount": 1.5, "code": "USD"}, TypeError, r"Money\.amount .* float 1\.5"),
        ({"amount": "1.2.3", "code": "USD"}, ValueError, r"Money\.amount .* got '1\.2\.3'"),
        ({"amount": "Infinity", "code": "USD"}, ValueError, r"Money\.amount must be finite"),
        ({"amount": "1", "code": "US"}, ValueError, r"Money\.code .* got 'US'"),
        ({"amount": "1", "code": 840}, TypeError, r"Money\.code must be a str, got 840"),
        ({"amount": None, "code": "USD"}, TypeError, r"Money\.amount .* got None"),
    ],
)
def test_money_validation(kwargs: dict[str, Any], error: type[Exception], pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        Money(**kwargs)


def test_money_accepts_str_int_decimal() -> None:
    assert Money(amount="1.10", code="USD").amount == Decimal("1.10")
    assert Money(amount=3, code="USD").amount == Decimal(3)
    assert str(Money(amount=Decimal("2.50"), code="EUR")) == "2.50 EUR"


def test_from_kwargs_converts_plain_values() -> None:
    invoice = InvoiceCreate.from_kwargs(
        customerid=806,
        create_date="2021-07-05",
        lines=[{"name": "Item", "qty": "2", "unit_cost": {"amount": "100", "code": "CAD"}}],
    )
    assert invoice.create_date == date(2021, 7, 5)
    assert invoice.lines is not UNSET
    line = invoice.lines[0]
    assert line.qty == Decimal(2)
    assert line.unit_cost == Money(amount=Decimal("100"), code="CAD")
    payment = PaymentCreate.from_dict(
        {"invoiceid": 1, "amount": {"amount": "10.00", "code": "USD"}, "date": "2021-07-05"}
    )
    assert to_payload(payment) == {
        "invoiceid": 1,
        "amount": {"amount": "10.00", "code": "USD"},
        "date": "2021-07-05",
    }


def test_from_kwargs_rejects_unknown_names() -> None:
    with pytest.raises(TypeError, match=r"InvoiceCreate has no field\(s\) 'colour', 'size'"):
        InvoiceCreate.from_kwargs(customerid=1, create_date="2021-01-01", colour=1, size=2)
    with pytest.raises(TypeError, match=r"InvoiceLineCreate has no field\(s\) 'price'"):
        InvoiceCreate.from_kwargs(customerid=1, create_date="2021-01-01", lines=[{"price": 1}])
    with pytest.raises(ValueError, match=r"InvoiceCreate\.create_date must be a YYYY-MM-DD"):
        InvoiceCreate.from_kwargs(customerid=1, create_date="05/07/2021")
    with pytest.raises(TypeError, match="data must be a mapping"):
        InvoiceCreate.from_dict([("customerid", 1)])  # type: ignore[arg-type]


def test_extras_escape_hatch_is_sent() -> None:
    update = InvoiceUpdate(notes="n", extras={"highlight_string": "x"})
    assert to_payload(update) == {"notes": "n", "highlight_string": "x"}


def test_to_payload_rejects_read_models() -> None:
    from freshbooks_async.models import Invoice, decode
    from freshbooks_async.testing import sample_json

    with pytest.raises(TypeError, match="obj must be a write model"):
        to_payload(decode(Invoice, sample_json(Invoice)))  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class _OneField(WriteModel):
    n: Settable[int] = UNSET


@attrs.frozen(kw_only=True)
class _NoField(WriteModel):
    pass


def test_write_models_with_one_or_no_field_validate() -> None:
    # Construction reads every field's value at once (one attrgetter per class); the
    # one-field and no-field shapes of that getter must behave like the general one.
    assert to_payload(_OneField(n=3)) == {"n": 3}
    assert to_payload(_OneField()) == {}
    with pytest.raises(TypeError, match=r"_OneField\.n must be int"):
        _OneField(n="3")  # type: ignore[arg-type]
    assert to_payload(_NoField(extras={"x": 1})) == {"x": 1}
    assert _OneField.from_dict({"n": 4}).n == 4
    with pytest.raises(TypeError, match="has no field"):
        _NoField.from_kwargs(n=1)


def test_the_kwargs_typeddicts_are_generated_from_the_write_models() -> None:
    # Run ``python -m freshbooks_async.models._kwargs_gen`` when this fails.
    from freshbooks_async.models import _kwargs_gen, kwargs

    assert Path(kwargs.__file__).read_text() == _kwargs_gen.render()


def test_every_write_model_has_its_kwargs_typeddict() -> None:
    from freshbooks_async.models import kwargs

    for cls in WRITE_MODELS:
        typed = getattr(kwargs, f"{cls.__name__}Kwargs")
        assert set(typed.__annotations__) == {p.name for p in plans_for(cls)} | {"extras"}
        assert not typed.__required_keys__  # a write model may come in ``data`` instead
