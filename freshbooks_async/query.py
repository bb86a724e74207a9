"""Typed, composable list queries: filters, includes and sort, rendered per family.

Accounting and events lists (``/accounting/...``, ``/events/...``) take
``search[key]=value``, ``search[keys][]=v`` lists, ``include[]=name`` and
``sort=field_asc|field_desc``; project-like families (``/projects``, ``/timetracking``,
``/comments``) take bare ``key=value``, ``key=true`` includes and ``sort=field`` /
``sort=-field`` (docs/protocol.rst, "Filters, includes and sorting"). One :class:`Query`
renders to either::

    q = (
        Query()
        .equals("customerid", 806)
        .in_("statusids", [1, 2])
        .like("invoice_number", "00")
        .between("date", min=date(2024, 1, 1), max=date(2024, 2, 1))
        .include("lines")
        .order_by("create_date", descending=True)
    )
    q.render(Family.ACCOUNTING, resource="invoices")

A filter the resource does not document raises ``ValueError`` before any request;
:meth:`Query.raw` is the explicit escape hatch for parameters this table lacks.

Only a resource's list filters (:data:`LIST_FILTERS`: FreshBooks' "In" filters, named
after their field with ``ids``, such as ``statusids``, ``customerids`` and
``invoiceids`` on invoices) take several values with :meth:`Query.in_`; ``in_`` on a
single-value filter such as ``v3_status`` raises ``ValueError`` naming the filter, the
resource and its list filters (FreshBooks would not apply it), and ``equals`` on a list
filter points to ``in_``. ``in_("customerid", ...)`` is sent as ``customerids``.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Final

import attrs

from ._catalogue import Family
from ._sansio import render_query

__all__ = ["FILTERS", "INCLUDES", "LIST_FILTERS", "Query"]

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

_ACCOUNTING_FAMILIES: Final = frozenset(
    {Family.ACCOUNTING, Family.EVENTS, Family.ACCOUNTING_BUSINESS}
)


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Filters every accounting list accepts (DOCS:active_deleted, DOCS:parameters).
_ACCOUNTING_COMMON: Final = frozenset({"vis_state", "updated_min", "updated_max"})

#: Documented filter names per resource (the key inside ``search[...]`` for accounting,
#: the bare key for project-like families). Sources: DOCS:invoices, the official SDKs'
#: docs and builders, DOCS:time_entries (docs/protocol.rst, "Filters, includes and
#: sorting").
FILTERS: Final[Mapping[str, frozenset[str]]] = {
    # DOCS:invoices, "Filters" table (docs/protocol.rst, "Filters, includes and sorting").
    "invoices": _ACCOUNTING_COMMON
    | _names(
        "currency currency_code customerid customerids date_max date_min "
        "invoice_number invoice_number_like invoiceid invoiceids "
        "item_description item_name modern_projectid notes outstanding "
        "outstanding_min paid parentid po_number projectid statusid statusids "
        "total_max total_min v3_status"
    ),
    "clients": _ACCOUNTING_COMMON
    | _names(
        "address_like currency_code email email_like fname fname_like lname "
        "lname_like note_like organization organization_like phone_like userid "
        "userids username"
    ),
    "estimates": _ACCOUNTING_COMMON
    | _names(
        "currency_code customerid customerids date_max date_min estimate_number "
        "estimate_number_like estimateid estimateids statusid statusids "
        "ui_status"
    ),
    "expenses": _ACCOUNTING_COMMON
    | _names(
        "amount_max amount_min categoryid categoryids clientid clientids "
        "date_max date_min expenseid expenseids invoiceid invoiceids notes_like "
        "projectid vendor_like"
    ),
    "payments": _ACCOUNTING_COMMON
    | _names("clientid date_max date_min invoiceid invoiceids paymentid paymentids type"),
    "credit_notes": _ACCOUNTING_COMMON | _names("clientid clientids creditid creditids"),
    "other_income": _ACCOUNTING_COMMON | _names("date_max date_min incomeid incomeids"),
    "items": _ACCOUNTING_COMMON | _names("itemid itemids name name_like sku sku_like"),
    "taxes": _ACCOUNTING_COMMON | _names("name name_like taxid taxids"),
    "bills": _ACCOUNTING_COMMON
    | _names("billid billids issue_date_max issue_date_min status vendorid vendorids"),
    "bill_payments": _ACCOUNTING_COMMON | _names("billid billids paid_date_max paid_date_min"),
    "bill_vendors": _ACCOUNTING_COMMON | _names("vendor_name_like vendorid vendorids"),
    "tasks": _ACCOUNTING_COMMON | _names("billable name name_like taskid taskids"),
    "staff": _ACCOUNTING_COMMON | _names("email email_like staffid staffids"),
    "invoice_profiles": _ACCOUNTING_COMMON | _names("customerid customerids profileid"),
    "expense_categories": _ACCOUNTING_COMMON | _names("category_like categoryid categoryids"),
    "journal_entry_details": _names("accountid date_max date_min source_type sub_accountid"),
    # search[event] matches the event and its parent event (docs/protocol.rst, "Webhooks").
    "callbacks": _names("event uri"),
    # DOCS:time_entries filter table: bare keys on project-like lists (docs/protocol.rst,
    # "Filters, includes and sorting").
    "time_entries": _names(
        "billable billed client_id identity_id include_deleted include_unlogged "
        "project_id service_id started_from started_to task_id team "
        "updated_since"
    ),
    "projects": _names(
        "active client_id complete include_archived include_deleted skip_group "
        "sort_by team updated_since"
    ),
    "services": _names("billable include_deleted"),
    "retainers": _names("client_id include_deleted"),
}

#: The filters that take a list, per accounting resource. FreshBooks' "In" filters, each
#: named after its field with ``ids`` (``customerids``, ``statusids``), rendered as
#: ``search[name][]=v1&search[name][]=v2``. Every other filter takes one value
#: (``v3_status`` too). Project-like lists have none.
LIST_FILTERS: Final[Mapping[str, frozenset[str]]] = {
    resource: frozenset(name for name in names if name.endswith("ids"))
    for resource, names in FILTERS.items()
    if any(name.endswith("ids") for name in names)
}

#: Documented includes per resource (docs/protocol.rst, "Filters, includes and sorting").
INCLUDES: Final[Mapping[str, frozenset[str]]] = {
    "invoices": _names(
        "allowed_gateway_info allowed_gateways attachments audit_logs "
        "client_audits comments contacts direct_links late_fee late_reminders "
        "latest_journal_entry lines owner presentation project_total_amounts "
        "system"
    ),
    "clients": _names("contacts credit_balance draft_balance outstanding_balance overdue_balance"),
    "estimates": _names("contacts lines owner presentation system"),
    "expenses": _names("account attachment category expense_profile project"),
    "projects": _names("include_deleted include_services include_team"),
    "time_entries": _names("include_deleted include_unlogged"),
}


class _Kind(enum.Enum):
    EQUALS = "equals"
    IN = "in"
    LIKE = "like"
    MIN = "min"
    MAX = "max"
    FLAG = "flag"
    RAW = "raw"


FilterValue = str | int | Decimal | bool | _dt.date | _dt.datetime | enum.Enum


@attrs.frozen
class _Term:
    kind: _Kind
    name: str
    value: object


def _check_name(what: str, name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"{what}: expected str, got {type(name).__name__}: {name!r}")
    if not _NAME.match(name):
        raise ValueError(f"{what}: must be a field name like 'customerid', got {name!r}")
    return name


def _check_value(name: str, value: object) -> None:
    if value is None:
        raise ValueError(f"filter {name}: value must not be None")
    if isinstance(value, float):
        raise TypeError(f"filter {name}: use Decimal or int, not float ({value!r})")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"filter {name}: must be finite, got {value!r}")
    if not isinstance(value, str | int | Decimal | bool | _dt.date | enum.Enum):
        raise TypeError(f"filter {name}: unsupported value {type(value).__name__}: {value!r}")


def _accounting_value(value: object) -> object:
    # Accounting date filters have day granularity: YYYY-MM-DD (docs/protocol.rst,
    # "Filters, includes and sorting").
    if isinstance(value, _dt.datetime):
        return value.date()
    return value


def _project_value(value: object) -> object:
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            raise ValueError(f"datetime filter {value!r}: must be timezone-aware")
        return value.astimezone(_dt.UTC).isoformat().replace("+00:00", "Z")
    return value


@attrs.frozen
class Query:
    """Filters, includes and sort for a list call; immutable, each method returns a copy.

    Queries compose with ``&`` (terms and includes are concatenated; the right-hand sort
    wins).
    """

    terms: tuple[_Term, ...] = ()
    includes: tuple[str, ...] = ()
    sort: tuple[str, bool] | None = None

    def _with(self, term: _Term) -> Query:
        return attrs.evolve(self, terms=(*self.terms, term))

    def equals(self, name: str, value: FilterValue) -> Query:
        """``name`` equals ``value`` (``search[name]=value`` / ``name=value``)."""
        _check_name("filter name", name)
        _check_value(name, value)
        return self._with(_Term(_Kind.EQUALS, name, value))

    def where(self, **equals: FilterValue) -> Query:
        """Several :meth:`equals` at once: ``Query().where(customerid=806, paid=True)``."""
        query = self
        for name, value in equals.items():
            query = query.equals(name, value)
        return query

    def in_(self, name: str, values: Iterable[FilterValue]) -> Query:
        """``name`` is one of ``values`` (``search[name][]=v1&search[name][]=v2``).

        Only the resource's list filters (:data:`LIST_FILTERS`, e.g. ``statusids``,
        ``customerids`` on invoices) take a list; FreshBooks binds them to the plural
        name, so ``in_("customerid", ...)`` is sent as ``customerids``. Any other filter
        (``v3_status``) is refused when the query is rendered for its resource, naming
        the filter, the resource and its list filters.
        """
        _check_name("filter name", name)
        if isinstance(values, str | bytes):
            raise TypeError(f"filter {name}: values must be a list, not a single string")
        items = tuple(values)
        if not items:
            raise ValueError(f"filter {name}: values must not be empty")
        for value in items:
            _check_value(name, value)
        return self._with(_Term(_Kind.IN, name, items))

    def like(self, name: str, value: str) -> Query:
        """``name`` contains ``value`` (accounting ``search[name_like]=value``)."""
        _check_name("filter name", name)
        if not isinstance(value, str) or not value:
            raise ValueError(f"filter {name}: like needs a non-empty str, got {value!r}")
        return self._with(_Term(_Kind.LIKE, name, value))

    def between(
        self,
        name: str,
        min: FilterValue | None = None,
        max: FilterValue | None = None,
    ) -> Query:
        """``min <= name`` and/or ``name < max`` (``search[name_min]``/``search[name_max]``).

        Zero bounds are kept (unlike the official SDK, which drops a bound of 0).
        """
        _check_name("filter name", name)
        if min is None and max is None:
            raise ValueError(f"filter {name}: between needs min or max")
        query = self
        for kind, bound in ((_Kind.MIN, min), (_Kind.MAX, max)):
            if bound is not None:
                _check_value(name, bound)
                query = query._with(_Term(kind, name, bound))
        return query

    def flag(self, name: str, value: bool = True) -> Query:
        """A boolean filter (``billable=true`` on project-like lists)."""
        _check_name("filter name", name)
        if not isinstance(value, bool):
            raise TypeError(f"filter {name}: expected bool, got {value!r}")
        return self._with(_Term(_Kind.FLAG, name, value))

    def raw(self, key: str, value: FilterValue) -> Query:
        """An undocumented query parameter, sent as given and never validated."""
        if not isinstance(key, str) or not key:
            raise ValueError(f"raw key: must be a non-empty str, got {key!r}")
        _check_value(key, value)
        return self._with(_Term(_Kind.RAW, key, value))

    def include(self, *names: str) -> Query:
        """Ask for extra data (``include[]=lines`` / ``include_services=true``)."""
        for name in names:
            _check_name("include", name)
        return attrs.evolve(self, includes=(*self.includes, *names))

    def order_by(self, field: str, *, descending: bool = False) -> Query:
        """Sort by ``field`` (``sort=field_desc`` / ``sort=-field``)."""
        _check_name("sort field", field)
        return attrs.evolve(self, sort=(field, bool(descending)))

    def __and__(self, other: Query) -> Query:
        if not isinstance(other, Query):
            return NotImplemented
        return Query(
            terms=(*self.terms, *other.terms),
            includes=(*self.includes, *other.includes),
            sort=other.sort or self.sort,
        )

    # ------------------------------------------------------------------ rendering

    def render(self, family: Family, *, resource: str | None = None) -> list[tuple[str, str]]:
        """The query parameters for ``resource`` in ``family``, in order.

        Raises:
            ValueError: A filter or include the resource does not document, or a filter
                kind the family does not have (``like`` on project-like lists).
        """
        accounting = family in _ACCOUNTING_FAMILIES
        allowed = FILTERS.get(resource or "")
        if allowed is None and accounting:
            allowed = _ACCOUNTING_COMMON
        pairs: list[tuple[str, object]] = []
        for term in self.terms:
            if term.kind is _Kind.RAW:
                pairs.append((term.name, term.value))
                continue
            key = self._filter_key(term, accounting, allowed, resource)
            if accounting and term.kind in (_Kind.IN, _Kind.EQUALS):
                key = self._check_list_filter(term, key, allowed, resource or family.value)
            if allowed is not None and key not in allowed:
                known = ", ".join(sorted(allowed)) or "none"
                raise ValueError(
                    f"filter {key!r} is not supported by {resource or family.value} "
                    f"(supported: {known}); use Query.raw() for undocumented parameters"
                )
            if accounting:
                if term.kind is _Kind.IN:
                    pairs.extend(
                        (f"search[{key}][]", _accounting_value(v))
                        for v in term.value  # type: ignore[attr-defined]
                    )
                else:
                    pairs.append((f"search[{key}]", _accounting_value(term.value)))
            else:
                pairs.append((key, _project_value(term.value)))
        documented = INCLUDES.get(resource or "")
        for name in self.includes:
            if documented is not None and name not in documented:
                raise ValueError(
                    f"include {name!r} is not supported by {resource} "
                    f"(supported: {', '.join(sorted(documented))})"
                )
            pairs.append(("include[]", name) if accounting else (name, True))
        if self.sort is not None:
            field, descending = self.sort
            if accounting:
                pairs.append(("sort", f"{field}_{'desc' if descending else 'asc'}"))
            else:
                pairs.append(("sort", f"-{field}" if descending else field))
        return render_query(pairs)

    @staticmethod
    def _check_list_filter(
        term: _Term, key: str, allowed: frozenset[str] | None, resource: str
    ) -> str:
        """The key of an accounting equals or in-list term, checked against the
        resource's list filters (an unknown name is left to the caller's check)."""
        if allowed is None or (key not in allowed and f"{key}s" not in allowed):
            return key
        lists = LIST_FILTERS.get(resource, frozenset())
        if term.kind is _Kind.EQUALS:
            if key in lists:
                raise ValueError(
                    f"filter {key!r} of {resource} takes a list: use in_({key!r}, [...])"
                )
            return key
        if key in lists:
            return key
        if f"{key}s" in lists:
            return f"{key}s"  # FreshBooks binds list filters to the plural name
        raise ValueError(
            f"filter {key!r} of {resource} takes one value, not a list: use equals() "
            f"(list filters of {resource}: {', '.join(sorted(lists)) or 'none'})"
        )

    @staticmethod
    def _filter_key(
        term: _Term, accounting: bool, allowed: frozenset[str] | None, resource: str | None
    ) -> str:
        name = term.name
        if term.kind is _Kind.LIKE:
            if not accounting:
                raise ValueError(f"filter {name}: like filters exist only on accounting lists")
            # Most like filters are named "<field>_like"; a few (invoice "notes") are not.
            if name.endswith("_like"):
                return name
            if allowed is not None and f"{name}_like" not in allowed and name in allowed:
                return name
            return f"{name}_like"
        if term.kind in (_Kind.MIN, _Kind.MAX):
            if not accounting:
                raise ValueError(
                    f"filter {name}: ranges on {resource or 'project-like'} lists use named "
                    "bounds (e.g. equals('started_from', ...))"
                )
            if name.endswith(("_min", "_max", "_date")):
                return name
            return f"{name}_{term.kind.value}"
        if term.kind is _Kind.IN and not accounting:
            raise ValueError(f"filter {name}: list filters exist only on accounting lists")
        return name
