"""Property tests: money, timestamps and lenient enums round-trip exactly."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from freshbooks_async.errors import ModelDecodeError
from freshbooks_async.models import (
    Client,
    DateTimeFormat,
    Invoice,
    InvoiceStatus,
    InvoiceV3Status,
    Money,
    Project,
    VisState,
    decode,
    encode,
    format_datetime,
    parse_datetime,
)
from freshbooks_async.models._fields import plans_for
from freshbooks_async.testing import sample_json

EASTERN = ZoneInfo("America/New_York")
_INVOICE_KEYS = frozenset(plan.key for plan in plans_for(Invoice))

# Amounts are finite and below 10**18 in magnitude (larger ones are refused: see below).
finite_decimals = st.decimals(
    min_value=Decimal("-999999999999999999.99"),
    max_value=Decimal("999999999999999999.99"),
    allow_nan=False,
    allow_infinity=False,
)
codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3)
zones = st.sampled_from([UTC, EASTERN, ZoneInfo("Asia/Kolkata"), ZoneInfo("Pacific/Chatham")])
# Real instants only: a UTC time viewed in some zone (a wall time inside a DST gap is
# not an instant, and PEP 495 makes such values compare unequal to everything).
aware = st.builds(
    lambda naive, zone: naive.replace(tzinfo=UTC).astimezone(zone),
    st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2200, 12, 30)),
    zones,
)


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


@given(finite_decimals, codes)
def test_money_decimal_strings_roundtrip(amount: Decimal, code: str) -> None:
    wire = {"amount": str(amount), "code": code}
    money = decode(Money, wire)
    assert money.amount == amount
    assert money.amount.as_tuple() == amount.as_tuple()
    assert encode(money) == wire
    built = Money(amount=str(amount), code=code)
    assert encode(built) == wire


@given(
    st.one_of(
        st.builds(
            lambda digit, exponent, sign: Decimal(f"{sign}{digit}E+{exponent}"),
            st.integers(1, 9),
            st.integers(18, 999_999),
            st.sampled_from(["", "-"]),
        ),
        st.sampled_from([Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")]),
    ),
    codes,
)
def test_money_outside_the_finite_range_never_decodes(amount: Decimal, code: str) -> None:
    with pytest.raises(ModelDecodeError, match="invalid money amount"):
        decode(Money, {"amount": str(amount), "code": code})


@given(st.from_regex(r"\A-?[0-9]{1,12}(\.[0-9]{1,6})?\Z"), codes)
def test_money_any_numeric_text_is_kept_verbatim(text: str, code: str) -> None:
    wire = {"amount": text, "code": code}
    assert encode(decode(Money, wire)) == wire


@given(st.integers(min_value=-(10**15), max_value=10**15), codes)
def test_money_json_integers_stay_integers(amount: int, code: str) -> None:
    wire = {"amount": amount, "code": code}
    money = decode(Money, wire)
    assert money.amount == amount
    assert encode(money) == wire


@given(aware)
def test_iso_datetimes_roundtrip(value: datetime) -> None:
    text = format_datetime(value, DateTimeFormat.ISO)
    assert text.endswith("Z")
    back = parse_datetime(text, DateTimeFormat.ISO)
    assert utc(back) == utc(value)
    # Through a model too, with the exact same string back.
    data = sample_json(Project, updated_at=text)
    assert encode(decode(Project, data)) == data


@given(aware)
def test_accounting_datetimes_roundtrip(value: datetime) -> None:
    # The wire format is Eastern wall time without an offset: the repeated hour when
    # daylight saving ends cannot be told apart, so that hour's second pass is excluded.
    assume(value.astimezone(EASTERN).fold == 0)
    text = format_datetime(value, DateTimeFormat.ACCOUNTING)
    back = parse_datetime(text, DateTimeFormat.ACCOUNTING)
    assert utc(back) == utc(value)
    data = sample_json(Invoice, updated=text)
    invoice = decode(Invoice, data)
    assert isinstance(invoice.updated, datetime)
    assert utc(invoice.updated) == utc(value)
    assert encode(invoice) == data


@given(aware)
def test_accounting_utc_datetimes_roundtrip(value: datetime) -> None:
    text = format_datetime(value, DateTimeFormat.ACCOUNTING_UTC)
    data = sample_json(Client, signup_date=text)
    client = decode(Client, data)
    assert isinstance(client.signup_date, datetime)
    assert utc(client.signup_date) == utc(value)
    assert encode(client) == data


@given(
    st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2200, 12, 30)),
    st.sampled_from(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S+00:00"]),
)
def test_non_canonical_timestamp_text_is_written_back_verbatim(
    value: datetime, pattern: str
) -> None:
    text = value.strftime(pattern)
    for cls in (Project, Invoice):
        data = sample_json(cls, created_at=text)
        assert encode(decode(cls, data)) == data


known_status = {m.value for m in InvoiceStatus}


@given(st.integers(min_value=-(2**40), max_value=2**40))
def test_unknown_int_statuses_roundtrip(value: int) -> None:
    data = sample_json(Invoice, status=value, vis_state=value)
    invoice = decode(Invoice, data)
    assert invoice.status == value
    assert isinstance(invoice.status, InvoiceStatus)
    assert invoice.status.is_known is (value in known_status)
    assert isinstance(invoice.vis_state, VisState)
    assert encode(invoice) == data


@given(st.text(max_size=30))
def test_unknown_str_statuses_roundtrip(value: str) -> None:
    data = sample_json(Invoice, v3_status=value)
    invoice = decode(Invoice, data)
    assert isinstance(invoice.v3_status, InvoiceV3Status)
    assert invoice.v3_status == value
    assert encode(invoice) == data


# Keys Invoice does not know: a generated "paid" or "notes" would be a field, not extras.
_UNKNOWN_KEYS = st.text(max_size=10).filter(lambda k: k not in _INVOICE_KEYS)


@given(st.dictionaries(_UNKNOWN_KEYS, st.integers() | st.text() | st.none(), max_size=5))
def test_unknown_keys_roundtrip(extra: dict[str, object]) -> None:
    data = {**extra, **sample_json(Invoice, id=1)}
    invoice = decode(Invoice, data)
    assert invoice.id == 1
    assert encode(invoice) == data
    assert invoice.notes is None
    assert "notes" not in invoice.fields_set
