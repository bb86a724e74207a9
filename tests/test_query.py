"""Query rendering per family, validation, and URL encoding of what it renders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import parse_qsl

import pytest
import yarl
from hypothesis import given
from hypothesis import strategies as st

from freshbooks_async import FreshBooksClient
from freshbooks_async._catalogue import Family
from freshbooks_async.models import InvoiceStatus
from freshbooks_async.query import FILTERS, LIST_FILTERS, Query
from freshbooks_async.sandbox import SandboxServer


def test_accounting_rendering() -> None:
    query = (
        Query()
        .equals("customerid", 806)
        .in_("statusids", [1, 2])
        .like("invoice_number", "00")
        .like("notes", "discount")
        .between("date", min=dt.date(2024, 1, 1), max=dt.datetime(2024, 2, 1, 13, 0))
        .between("total", min=0)
        .flag("paid", False)
        .include("lines", "presentation")
        .order_by("create_date", descending=True)
    )
    assert query.render(Family.ACCOUNTING, resource="invoices") == [
        ("search[customerid]", "806"),
        ("search[statusids][]", "1"),
        ("search[statusids][]", "2"),
        ("search[invoice_number_like]", "00"),
        ("search[notes]", "discount"),  # the invoices page names this like filter "notes"
        ("search[date_min]", "2024-01-01"),
        ("search[date_max]", "2024-02-01"),  # day granularity
        ("search[total_min]", "0"),  # zero bound kept
        ("search[paid]", "false"),
        ("include[]", "lines"),
        ("include[]", "presentation"),
        ("sort", "create_date_desc"),
    ]


def test_project_family_rendering() -> None:
    since = dt.datetime(2024, 3, 1, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    query = (
        Query()
        .equals("client_id", 7)
        .flag("billable")
        .equals("updated_since", since)
        .include("include_unlogged")
        .order_by("started_at", descending=True)
    )
    assert query.render(Family.TIMETRACKING, resource="time_entries") == [
        ("client_id", "7"),
        ("billable", "true"),
        ("updated_since", "2024-03-01T17:30:00Z"),
        ("include_unlogged", "true"),
        ("sort", "-started_at"),
    ]


def test_unsupported_filter_is_an_error_before_any_request() -> None:
    with pytest.raises(ValueError, match="'amount_min' is not supported by invoices"):
        Query().between("amount", min=1).render(Family.ACCOUNTING, resource="invoices")
    with pytest.raises(ValueError, match="'colour' is not supported by clients"):
        Query().equals("colour", "red").render(Family.ACCOUNTING, resource="clients")
    with pytest.raises(ValueError, match="include 'sparkles'"):
        Query().include("sparkles").render(Family.ACCOUNTING, resource="invoices")
    with pytest.raises(ValueError, match="like filters exist only on accounting"):
        Query().like("note", "x").render(Family.PROJECTS, resource="projects")
    with pytest.raises(ValueError, match="list filters"):
        Query().in_("client_id", [1]).render(Family.PROJECTS, resource="projects")
    with pytest.raises(ValueError, match="named bounds"):
        Query().between("started", min=1).render(Family.TIMETRACKING, resource="time_entries")


def test_list_filters_are_the_documented_in_filters_per_resource() -> None:
    # The invoices page's "In" filters; v3_status is an equals filter there.
    assert LIST_FILTERS["invoices"] == {"customerids", "invoiceids", "statusids"}
    assert LIST_FILTERS["clients"] == {"userids"}
    assert all(
        name in FILTERS[resource] for resource, names in LIST_FILTERS.items() for name in names
    )


def test_in_on_a_filter_that_takes_one_value_names_the_filter_and_resource() -> None:
    with pytest.raises(ValueError, match="takes one value") as info:
        Query().in_("v3_status", ["sent"]).render(Family.ACCOUNTING, resource="invoices")
    message = str(info.value)
    assert "'v3_status'" in message
    assert "invoices" in message
    assert "customerids, invoiceids, statusids" in message  # what does take a list
    assert "equals" in message
    with pytest.raises(ValueError, match=r"'vis_state' .* gateways .*none"):
        Query().in_("vis_state", [0, 2]).render(Family.ACCOUNTING, resource="gateways")
    with pytest.raises(ValueError, match="'colour' is not supported by invoices"):
        Query().in_("colour", ["red"]).render(Family.ACCOUNTING, resource="invoices")


def test_in_binds_to_the_plural_list_filter() -> None:
    rendered = Query().in_("customerid", [1, 2]).render(Family.ACCOUNTING, resource="invoices")
    assert rendered == [("search[customerids][]", "1"), ("search[customerids][]", "2")]
    rendered = Query().in_("customerids", [3]).render(Family.ACCOUNTING, resource="invoices")
    assert rendered == [("search[customerids][]", "3")]


def test_equals_on_a_list_filter_points_to_in() -> None:
    with pytest.raises(ValueError, match=r"'statusids' of invoices takes a list: use in_"):
        Query().equals("statusids", 2).render(Family.ACCOUNTING, resource="invoices")


async def test_list_filters_find_what_they_name_in_the_sandbox() -> None:
    server = SandboxServer(seed=5, seed_invoices=80, seed_clients=4)
    async with server, FreshBooksClient(server.token, base_url=server.url) as fb:
        every = await fb.invoices.list_all("ACC001").collect()
        statuses = sorted({i.status.value for i in every if isinstance(i.status, InvoiceStatus)})
        query = Query().in_("statusids", statuses[:2]).in_("customerid", [1, 2])
        found = await fb.invoices.list_all("ACC001", query=query).collect()
    expected = [
        i.id
        for i in every
        if isinstance(i.status, InvoiceStatus)
        and i.status.value in statuses[:2]
        and i.customerid in (1, 2)
    ]
    assert expected
    assert sorted(str(i.id) for i in found) == sorted(str(i) for i in expected)


def test_undocumented_resources_accept_the_common_accounting_filters() -> None:
    rendered = Query().equals("vis_state", 1).render(Family.ACCOUNTING, resource="gateways")
    assert rendered == [("search[vis_state]", "1")]
    with pytest.raises(ValueError, match="not supported"):
        Query().equals("x", 1).render(Family.ACCOUNTING, resource="gateways")


def test_raw_escape_hatch() -> None:
    rendered = (
        Query().raw("share_method", "share_link").render(Family.ACCOUNTING, resource="invoices")
    )
    assert rendered == [("share_method", "share_link")]


@pytest.mark.parametrize(
    ("build", "exc", "needle"),
    [
        (lambda: Query().equals("a b", 1), ValueError, "filter name"),
        (lambda: Query().equals("x", None), ValueError, "None"),  # type: ignore[arg-type]
        (lambda: Query().equals("x", 1.5), TypeError, "Decimal"),  # type: ignore[arg-type]
        (lambda: Query().equals("x", Decimal("NaN")), ValueError, "finite"),
        (lambda: Query().in_("ids", "123"), TypeError, "list"),
        (lambda: Query().in_("ids", []), ValueError, "empty"),
        (lambda: Query().like("x", ""), ValueError, "non-empty"),
        (lambda: Query().between("x"), ValueError, "min or max"),
        (lambda: Query().flag("x", 1), TypeError, "bool"),  # type: ignore[arg-type]
        (lambda: Query().order_by("x;drop"), ValueError, "sort field"),
    ],
)
def test_argument_validation(build: object, exc: type[Exception], needle: str) -> None:
    with pytest.raises(exc, match=needle):
        build()  # type: ignore[operator]


def test_naive_datetime_rejected_on_project_lists() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Query().equals("updated_since", dt.datetime(2024, 1, 1)).render(
            Family.TIMETRACKING, resource="time_entries"
        )


def test_queries_compose() -> None:
    a = Query().equals("customerid", 1).order_by("create_date")
    b = Query().include("lines").order_by("amount", descending=True)
    assert (a & b).render(Family.ACCOUNTING, resource="invoices") == [
        ("search[customerid]", "1"),
        ("include[]", "lines"),
        ("sort", "amount_desc"),
    ]


def test_every_documented_filter_name_is_a_plain_identifier() -> None:
    for resource, names in FILTERS.items():
        for name in names:
            query = (
                Query().in_(name, [1, 2])
                if name in LIST_FILTERS.get(resource, ())
                else Query().equals(name, 1)
            )
            query.render(
                Family.ACCOUNTING
                if resource not in {"time_entries", "projects", "services", "retainers"}
                else Family.PROJECTS,
                resource=resource,
            )


@given(st.text(min_size=1, max_size=40))
def test_like_values_round_trip_through_url_encoding(value: str) -> None:
    pairs = Query().like("invoice_number", value).render(Family.ACCOUNTING, resource="invoices")
    url = yarl.URL("https://api.freshbooks.com/x").with_query(pairs)
    decoded = parse_qsl(url.raw_query_string, keep_blank_values=True)
    assert decoded == [("search[invoice_number_like]", value)]
    assert "[" not in url.raw_query_string  # brackets are percent-encoded


@given(
    st.one_of(
        st.integers(min_value=0, max_value=10**12),
        st.decimals(allow_nan=False, allow_infinity=False, places=2),
    )
)
def test_numeric_bounds_render_exactly(bound: int | Decimal) -> None:
    ((key, text),) = (
        Query().between("total", min=bound).render(Family.ACCOUNTING, resource="invoices")
    )
    assert key == "search[total_min]"
    assert Decimal(text) == Decimal(bound)


@given(st.dates())
def test_dates_render_as_iso_days(day: dt.date) -> None:
    ((_, text),) = Query().between("date", max=day).render(Family.ACCOUNTING, resource="invoices")
    assert dt.date.fromisoformat(text) == day
    assert len(text) == 10 or day.year > 9999
