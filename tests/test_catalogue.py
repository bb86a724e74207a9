"""The endpoint catalogue mirrors tests/fixtures/endpoints.tsv exactly."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from freshbooks_async._catalogue import (
    DeleteStyle,
    Family,
    ScopeKind,
    Shape,
    endpoints,
    find_endpoint,
    resources,
    spec,
)

TSV = Path(__file__).parent / "fixtures" / "endpoints.tsv"


def _tsv_rows() -> list[tuple[str, ...]]:
    with TSV.open(newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        assert header == ["family", "resource", "operation", "method", "path", "source"]
        return [tuple(row) for row in reader]


def test_every_tsv_row_is_represented_exactly_once_in_order() -> None:
    rows = _tsv_rows()
    ours = [
        (e.family.value, e.resource, e.operation, e.method, e.path, e.source) for e in endpoints()
    ]
    assert ours == rows
    assert len(ours) == 205


def test_family_counts_match_the_research_notes() -> None:
    counts = {f: len(endpoints(f)) for f in Family}
    assert counts == {
        Family.ACCOUNTING: 113,
        Family.COMMENTS: 24,
        Family.PAYMENTS: 14,
        Family.AUTH: 12,
        Family.ACCOUNTING_BUSINESS: 10,
        Family.PROJECTS: 10,
        Family.EVENTS: 7,
        Family.TIMETRACKING: 6,
        Family.UPLOADS: 5,
        Family.OAUTH: 4,
    }
    assert len({(e.method, e.path) for e in endpoints()}) == 182


def test_every_row_has_a_resource_spec_listing_its_operation() -> None:
    for e in endpoints():
        s = spec(e.resource, e.family)
        assert s.supports(e.operation), e


def test_spec_paths_are_the_catalogue_paths() -> None:
    for s in resources():
        paths = {e.path_template for e in s.endpoints()}
        for template in (s.collection_path, s.item_path, s.create_path, *s.alt_item_paths):
            if template is not None and s.name != "reports":
                assert template in paths, (s.name, template)


def test_invoice_spec() -> None:
    inv = spec("invoices")
    assert inv.family is Family.ACCOUNTING
    assert inv.scope is ScopeKind.ACCOUNT_ID
    assert (inv.singular, inv.plural) == ("invoice", "invoices")
    assert inv.delete_styles == (DeleteStyle.DELETE, DeleteStyle.VIS_STATE)
    assert inv.archivable
    assert (
        inv.render_item(account_id="A-b_1", id=5) == "/accounting/account/A-b_1/invoices/invoices/5"
    )
    # An id that would change the path is refused, naming the placeholder.
    for bad in ("A B", "..", "A/B", "A%20B"):
        with pytest.raises(ValueError, match=f"account_id: .*{re.escape(repr(bad))}"):
            inv.render_item(account_id=bad, id=5)
    assert inv.render_collection(account_id="X") == "/accounting/account/X/invoices/invoices"


def test_other_specs() -> None:
    assert spec("retainers").delete_style is DeleteStyle.ACTIVE_FALSE
    assert spec("clients").delete_style is DeleteStyle.VIS_STATE
    assert spec("time_entries").singular == "time_entry"
    assert spec("other_income").plural == "other_income"
    assert spec("staff").plural == "staffs"
    assert spec("expense_categories").delete_style is None
    p = spec("projects", Family.PROJECTS)
    assert p.render_create(business_id=3) == "/projects/business/3/project"
    assert p.alt_item_paths == ("/projects/business/{business_id}/projects/{id}",)
    assert spec("ledger_accounts").scope is ScopeKind.BUSINESS_UUID
    assert spec("callbacks").id_field == "callbackid"


def test_endpoint_properties() -> None:
    (share,) = find_endpoint("invoices", "other:share_link")
    assert share.fixed_query == {"share_method": "share_link"}
    assert share.path_template.endswith("/{id}/share_link")
    assert share.placeholders == ("account_id", "id")
    assert share.shape is Shape.A_ONE
    token = find_endpoint("oauth", "other:revoke")[0]
    assert token.host == "api.freshbooks.com"
    assert token.path_template == "/auth/oauth/revoke"
    deletes = find_endpoint("invoices", "delete")
    assert {e.method for e in deletes} == {"PUT", "DELETE"}
    assert all(e.uncertain for e in deletes)
    assert not find_endpoint("invoices", "list")[0].uncertain


def test_lookups_validate_arguments() -> None:
    with pytest.raises(ValueError, match="families"):
        spec("reports")
    with pytest.raises(ValueError, match="unknown resource"):
        spec("nope")
    with pytest.raises(TypeError, match="name"):
        spec(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="family"):
        endpoints("bogus")
    with pytest.raises(ValueError, match="no endpoint"):
        find_endpoint("invoices", "other:fly")
    with pytest.raises(ValueError, match="missing"):
        spec("invoices").render_item(account_id="A")
    with pytest.raises(ValueError, match="unknown"):
        spec("invoices").render_item(account_id="A", id=1, extra=2)
    with pytest.raises(ValueError, match="non-empty"):
        spec("invoices").render_item(account_id="", id=1)
    with pytest.raises(ValueError, match="no item path"):
        spec("expense_profiles").render_item(account_id="A", id=1)
