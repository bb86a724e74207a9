"""The fast dict -> payload path gives exactly what the model path gives: the same
payload, or the same error (type and message), for every write model."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freshbooks_async import models
from freshbooks_async.models import (
    UNSET,
    InvoiceCreate,
    InvoiceLineCreate,
    Money,
    WriteModel,
    to_payload,
)
from freshbooks_async.models._fields import FieldPlan, plans_for
from freshbooks_async.models._payload import (
    _Fallback,
    _fast_fn,
    _plain_write_model,
    payload_from_mapping,
)

WRITE_MODELS = sorted(
    (
        obj
        for obj in vars(models).values()
        if isinstance(obj, type) and issubclass(obj, WriteModel) and obj is not WriteModel
    ),
    key=lambda cls: cls.__name__,
)

BULK_DRAFT = {
    "customerid": 7,
    "create_date": "2024-01-05",
    "notes": "run 0 draft 3",
    "lines": [{"name": "Work", "qty": "1", "unit_cost": {"amount": "103", "code": "USD"}}],
}


def outcome(fn: Any) -> tuple[str, Any]:
    try:
        return "ok", fn()
    except (TypeError, ValueError, ArithmeticError) as exc:
        return type(exc).__name__, str(exc)


def model_path(cls: type[WriteModel], data: dict[str, Any]) -> tuple[str, Any]:
    return outcome(lambda: to_payload(cls.from_dict(data)))


def fast_path(cls: type[WriteModel], data: dict[str, Any]) -> tuple[str, Any]:
    return outcome(lambda: payload_from_mapping(cls, data))


# ----------------------------------------------------------------------------- values

decimal_text = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
    st.integers(-5, 10_000).map(str),
    st.sampled_from(["1", "0", "-1", "1.50", "1e3", "NaN", "Infinity", "", "abc", " 1"]),
)
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
    st.text(max_size=4),
    st.just([]),
    st.just({}),
)
money_value = st.one_of(
    st.fixed_dictionaries(
        {
            "amount": st.one_of(decimal_text, st.integers(-3, 500), st.floats(0, 10)),
            "code": st.sampled_from(["USD", "CAD", "usd", 5]),
        }
    ),
    st.fixed_dictionaries({"amount": decimal_text}),
    st.fixed_dictionaries({"amount": decimal_text, "code": st.just("USD"), "x": st.just(1)}),
    st.builds(lambda a: Money(amount=a, code="USD"), st.decimals(0, 1000, places=2)),
)


def value_for(plan: FieldPlan, depth: int) -> st.SearchStrategy[Any]:
    kind = plan.kind
    if kind == "plain":
        good: st.SearchStrategy[Any]
        if plan.item_runtime is not None:
            good = st.lists(st.integers(0, 9), max_size=3)
        elif plan.runtime is not None and bool in plan.runtime:
            good = st.booleans()
        elif plan.runtime is not None and int in plan.runtime:
            good = st.integers(-2, 10_000)
        else:
            good = st.text(max_size=6)
        return st.one_of(
            good, junk, st.lists(st.one_of(st.integers(0, 3), st.text(max_size=2)), max_size=2)
        )
    if kind == "money":
        return st.one_of(money_value, junk)
    if kind in ("model", "model_list"):
        arg = plan.arg
        if not (isinstance(arg, type) and issubclass(arg, WriteModel)):
            return st.one_of(st.lists(money_value, max_size=2), junk)
        nested = drafts_for(arg, depth + 1) if depth < 2 else st.just({})
        if kind == "model":
            return st.one_of(nested, junk)
        return st.one_of(
            st.lists(nested, max_size=3),
            st.lists(nested, max_size=2).map(tuple),
            st.lists(st.one_of(nested, junk), max_size=2),
            junk,
        )
    if kind == "enum":
        members = [m.value for m in plan.arg]
        return st.one_of(st.sampled_from(members), st.sampled_from(list(plan.arg)), junk)
    if kind == "datetime":
        return st.one_of(
            st.datetimes(timezones=st.just(UTC)),
            st.datetimes(),
            st.sampled_from(["2024-01-05T10:00:00Z", "2024-01-05 10:00:00"]),
            junk,
        )
    if kind == "date":
        return st.one_of(
            st.dates().map(date.isoformat),
            st.dates(),
            st.sampled_from(["2024-1-5", "20240105", "2024-02-30", "2024-01-05T00:00:00"]),
            st.just(datetime(2024, 1, 5, tzinfo=UTC)),
            junk,
        )
    if kind == "decimal":
        return st.one_of(decimal_text, st.integers(-5, 500), st.decimals(allow_nan=True), junk)
    raise AssertionError(kind)


def drafts_for(cls: type[WriteModel], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    plans = {plan.name: plan for plan in plans_for(cls)}
    fields = st.lists(st.sampled_from(sorted(plans)), unique=True, max_size=min(6, len(plans)))

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        names = list(draw(fields))
        for name in sorted(cls.REQUIRED):
            if draw(st.integers(0, 9)) and name not in names:
                names.append(name)  # usually present, sometimes missing
        out = {name: draw(value_for(plans[name], depth)) for name in names}
        odd = draw(st.integers(0, 19))
        if odd == 0:
            out["no_such_field"] = 1
        elif odd == 1:
            out["extras"] = {"custom": 1}
        elif odd == 2 and names:
            out[names[0]] = UNSET
        return out

    return build()


@pytest.mark.parametrize("cls", WRITE_MODELS, ids=lambda cls: cls.__name__)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_fast_payload_matches_the_model_path(cls: type[WriteModel], data: st.DataObject) -> None:
    draft = data.draw(drafts_for(cls))
    assert fast_path(cls, draft) == model_path(cls, draft)


@settings(max_examples=200, deadline=None)
@given(drafts_for(InvoiceCreate))
def test_fast_invoice_payload_matches_the_model_path(draft: dict[str, Any]) -> None:
    assert fast_path(InvoiceCreate, draft) == model_path(InvoiceCreate, draft)


# ----------------------------------------------------------------------------- the cases


def test_every_write_model_but_one_takes_the_fast_path() -> None:
    # CallbackResendVerification.resend defaults to True (sent when not given): the fast
    # path, which sends only the dict's keys, leaves it to the model.
    slow = [cls.__name__ for cls in WRITE_MODELS if not _plain_write_model(cls)]
    assert len(WRITE_MODELS) > 40
    assert slow == ["CallbackResendVerification"]


def test_a_plain_draft_is_encoded_without_the_model() -> None:
    out = _fast_fn(InvoiceCreate)(BULK_DRAFT)
    assert out == to_payload(InvoiceCreate.from_dict(BULK_DRAFT))
    assert out == {
        "customerid": 7,
        "create_date": "2024-01-05",
        "notes": "run 0 draft 3",
        "lines": [{"name": "Work", "qty": "1", "unit_cost": {"amount": "103", "code": "USD"}}],
    }


MONEY_AMOUNTS = [
    *("100", "100.50", "1e2", "1E-7", "-0", "0.000", "+3", " 5 ", "5_000", "\u0661\u0662"),
    *("999999999999999999.99", "-999999999999999999.99", "1e18", "-1e18", "1E+999999"),
    *("NaN", "sNaN", "Infinity", "-inf", "", "abc", "0x10", "1,5"),
]
MONEY_CODES = ["USD", "usd", "US", "USDX", "U$D", "\u00dcSD", "123", "", "US D"]


@pytest.mark.parametrize("code", MONEY_CODES)
@pytest.mark.parametrize("amount", MONEY_AMOUNTS)
def test_a_money_object_of_two_strs_gives_what_money_gives(amount: str, code: str) -> None:
    # The shortcut for {"amount": str, "code": str} checks without building a Money:
    # the same payload, or Money's own error, for every pair.
    line = {"name": "Work", "qty": "1", "unit_cost": {"amount": amount, "code": code}}
    draft = {**BULK_DRAFT, "lines": [line]}
    fast = fast_path(InvoiceCreate, draft)
    assert fast == model_path(InvoiceCreate, draft)
    if fast[0] == "ok":  # (on the fast path: no model was built)
        assert _fast_fn(InvoiceCreate)(draft) == fast[1]


def test_values_are_normalised_as_the_model_normalises_them() -> None:
    draft = {
        "customerid": 1,
        "create_date": date(2024, 1, 5),
        "discount_value": 5,
        "lines": [{"qty": Decimal("2.50"), "unit_cost": Money(amount="10", code="CAD")}],
    }
    out = payload_from_mapping(InvoiceCreate, draft)
    assert out == to_payload(InvoiceCreate.from_dict(draft))
    assert out["create_date"] == "2024-01-05"
    assert out["discount_value"] == "5"
    assert out["lines"][0]["qty"] == "2.50"


@pytest.mark.parametrize(
    ("draft", "error"),
    [
        ({"create_date": "2024-01-05"}, "InvoiceCreate.customerid is required"),
        ({"customerid": "7", "create_date": "2024-01-05"}, "InvoiceCreate.customerid must be int"),
        ({"customerid": 7, "create_date": "2024-1-5"}, "must be a YYYY-MM-DD date, got '2024-1-5'"),
        ({"customerid": 7, "create_date": "2024-01-05", "nope": 1}, "has no field(s) 'nope'"),
        (
            {"customerid": 7, "create_date": "2024-01-05", "lines": [{"qty": "-1"}]},
            "InvoiceLineCreate.qty must be >= 0, got '-1'",
        ),
        (
            {
                "customerid": 7,
                "create_date": "2024-01-05",
                "lines": [{"unit_cost": {"amount": "x", "code": "USD"}}],
            },
            "unit_cost",
        ),
    ],
)
def test_a_bad_draft_raises_the_model_error(draft: dict[str, Any], error: str) -> None:
    with pytest.raises((TypeError, ValueError)) as fast:
        payload_from_mapping(InvoiceCreate, draft)
    assert error in str(fast.value)
    assert fast_path(InvoiceCreate, draft) == model_path(InvoiceCreate, draft)


def declined(draft: dict[str, Any]) -> bool:
    try:
        return _fast_fn(InvoiceCreate)(draft) is None
    except _Fallback:
        return True


def test_shapes_the_fast_path_leaves_to_the_model() -> None:
    line = InvoiceLineCreate(name="Work")
    base = {"customerid": 7, "create_date": "2024-01-05"}
    for draft in (
        {**base, "lines": ({"name": "a"},)},  # a tuple
        {**base, "lines": [line]},  # a model inside
        {**base, "extras": {"custom_field": 1}},
    ):
        assert declined(draft)
        assert fast_path(InvoiceCreate, draft) == model_path(InvoiceCreate, draft)
        assert fast_path(InvoiceCreate, draft)[0] == "ok"


def test_a_model_with_its_own_checks_always_takes_the_model_path() -> None:
    @attrs.frozen(kw_only=True)
    class Checked(WriteModel):
        name: str | object = UNSET

        def __attrs_post_init__(self) -> None:
            super().__attrs_post_init__()
            if self.name == "forbidden":
                raise ValueError("Checked.name: forbidden")

    assert not _plain_write_model(Checked)
    with pytest.raises(ValueError, match="forbidden"):
        payload_from_mapping(Checked, {"name": "forbidden"})
    assert payload_from_mapping(Checked, {"name": "fine"}) == {"name": "fine"}


def test_a_mapping_that_is_not_a_dict_takes_the_model_path() -> None:
    from types import MappingProxyType

    assert payload_from_mapping(InvoiceCreate, MappingProxyType(BULK_DRAFT)) == to_payload(
        InvoiceCreate.from_dict(BULK_DRAFT)
    )
