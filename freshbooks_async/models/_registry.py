"""Which model and JSON keys belong to each resource of the endpoint catalogue.

Keys are the ``resource`` column of ``endpoints.tsv``; where one name is used by two
families (``gateways``, ``reports``, ``projects``) the ``(family, resource)`` table tells
them apart and :data:`RESOURCES` holds the primary one.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

from ._base import Model, RawObject
from .billable_items import BillableItem
from .bills import Bill, BillPayment, BillVendor
from .clients import Client, Contact
from .comments import (
    InvitationRate,
    ProjectThread,
    Retainer,
    Service,
    ServiceRate,
    TeamMemberRate,
    ThreadComment,
)
from .credit_notes import CreditNote
from .estimates import Estimate
from .events import Callback
from .expenses import Expense, ExpenseCategory, ExpenseProfile, ExpenseSummary, ExpenseVendor
from .identity import Application, Business, Identity, Invitation, TeamMember
from .invoice_profiles import InvoiceProfile
from .invoices import Invoice
from .items import Item
from .journal_entries import JournalEntry, JournalEntryAccount, JournalEntryDetail
from .ledger import LedgerAccount, LedgerAccountSubType, LedgerAccountType
from .oauth import TokenResponse
from .online_payments import (
    CheckoutLink,
    CreditCard,
    GatewayConnection,
    PaymentOptions,
    TokenizedPaymentMethod,
)
from .other_income import OtherIncome
from .payments import Payment
from .projects import Project
from .reports import (
    AccountsAgingReport,
    BalanceSheetReport,
    CashFlowReport,
    ChartOfAccountsReport,
    GeneralLedgerReport,
    InvoiceDetailsReport,
    ItemSalesReport,
    PaymentsCollectedReport,
    ProfitLossReport,
    Report,
    RevenueByClientReport,
    TaxSummaryReport,
    TrialBalanceReport,
)
from .staff import Staff
from .systems import Gateway, System
from .tasks import Task
from .taxes import Tax
from .time_entries import TimeEntry
from .uploads import AttachmentUpload, ImageUpload

__all__ = [
    "REPORTS",
    "RESOURCES",
    "RESOURCES_BY_FAMILY",
    "ReportSpec",
    "ResourceSpec",
    "resource_spec",
]


@attrs.frozen(kw_only=True)
class ResourceSpec:
    """How one resource's objects travel.

    Attributes:
        name: The resource name (``endpoints.tsv`` ``resource`` column).
        family: The API family (``accounting``, ``projects``, ``comments``, ...).
        model: The read model class.
        singular: Key of one object in request and response bodies (``"invoice"``);
            ``"data"`` for the ledger family; ``None`` when the envelope *is* the object
            (auth ``{"response": {...}}``, OAuth, uploads' flat body).
        plural: Key of the list in list bodies (``"invoices"``; ``"data"`` for ledger;
            ``None`` when no list endpoint or when the list is the envelope itself).
    """

    name: str
    family: str
    model: type[Model]
    singular: str | None
    plural: str | None


@attrs.frozen(kw_only=True)
class ReportSpec:
    """A report: its model and the key under ``result`` (or ``data``) that holds it."""

    name: str
    family: str
    model: type[Report]
    key: str


def _spec(
    family: str, name: str, model: type[Model], singular: str | None, plural: str | None
) -> ResourceSpec:
    return ResourceSpec(name=name, family=family, model=model, singular=singular, plural=plural)


_SPECS: Final = (
    _spec("accounting", "clients", Client, "client", "clients"),
    _spec("accounting", "contacts", Contact, "contact", "contacts"),
    _spec("accounting", "credit_notes", CreditNote, "credit_note", "credit_notes"),
    _spec("accounting", "estimates", Estimate, "estimate", "estimates"),
    _spec("accounting", "expenses", Expense, "expense", "expenses"),
    _spec("accounting", "expense_vendors", ExpenseVendor, "vendor", "vendors"),
    _spec("accounting", "expense_summaries", ExpenseSummary, "summary", "summaries"),
    _spec("accounting", "expense_profiles", ExpenseProfile, "expense_profile", "expense_profiles"),
    _spec("accounting", "expense_categories", ExpenseCategory, "category", "categories"),
    _spec("accounting", "invoices", Invoice, "invoice", "invoices"),
    _spec("accounting", "invoice_profiles", InvoiceProfile, "invoice_profile", "invoice_profiles"),
    _spec("accounting", "items", Item, "item", "items"),
    _spec("accounting", "payments", Payment, "payment", "payments"),
    # List key is "other_income" too (docs/protocol.rst, "Envelopes per family").
    _spec("accounting", "other_income", OtherIncome, "other_income", "other_income"),
    _spec("accounting", "taxes", Tax, "tax", "taxes"),
    _spec("accounting", "bills", Bill, "bill", "bills"),
    _spec("accounting", "bill_payments", BillPayment, "bill_payment", "bill_payments"),
    _spec("accounting", "bill_vendors", BillVendor, "bill_vendor", "bill_vendors"),
    _spec("accounting", "tasks", Task, "task", "tasks"),
    _spec("accounting", "staff", Staff, "staff", "staffs"),
    _spec("accounting", "systems", System, "system", "systems"),
    _spec("accounting", "gateways", Gateway, "gateway", "gateways"),
    _spec("accounting", "journal_entries", JournalEntry, "journal_entry", "journal_entries"),
    _spec(
        "accounting",
        "journal_entry_details",
        JournalEntryDetail,
        "journal_entry_detail",
        "journal_entry_details",
    ),
    _spec(
        "accounting",
        "journal_entry_accounts",
        JournalEntryAccount,
        "journal_entry_account",
        "journal_entry_accounts",
    ),
    _spec("accounting", "billable_items", BillableItem, "billable_item", "billable_items"),
    _spec("accounting", "reports", Report, None, None),
    _spec("accounting-business", "ledger_accounts", LedgerAccount, "data", "data"),
    _spec("accounting-business", "ledger_account_types", LedgerAccountType, "data", "data"),
    _spec("accounting-business", "ledger_account_sub_types", LedgerAccountSubType, "data", "data"),
    _spec("accounting-business", "reports", Report, "data", None),
    _spec("events", "callbacks", Callback, "callback", "callbacks"),
    _spec("projects", "projects", Project, "project", "projects"),
    _spec("timetracking", "time_entries", TimeEntry, "time_entry", "time_entries"),
    _spec("comments", "services", Service, "service", "services"),
    _spec("comments", "service_rates", ServiceRate, "service_rate", "service_rates"),
    _spec("comments", "project_service_rates", ServiceRate, "service_rate", "service_rates"),
    _spec("comments", "retainers", Retainer, "retainer", "retainers"),
    _spec("comments", "team_member_rates", TeamMemberRate, "team_member_rate", "team_member_rates"),
    _spec("comments", "invitation_rates", InvitationRate, "invitation_rate", "invitation_rates"),
    _spec("comments", "project_threads", ProjectThread, "thread", "threads"),
    _spec("comments", "thread_comments", ThreadComment, "comment", "comments"),
    _spec("comments", "projects", Project, "project", "projects"),
    _spec("comments", "reports", Report, None, "time_entries"),
    _spec("auth", "identity", Identity, None, None),
    _spec("auth", "businesses", Business, "business", "businesses"),
    _spec("auth", "billing_subscription", RawObject, "subscription", None),
    _spec("auth", "applications", Application, "application", "applications"),
    _spec("auth", "team_members", TeamMember, None, None),
    _spec("auth", "invitations", Invitation, "invitation", "invitations"),
    _spec("oauth", "oauth", TokenResponse, None, None),
    _spec("payments", "payment_options", PaymentOptions, "payment_options", None),
    _spec("payments", "checkout_links", CheckoutLink, "checkout_link", "checkout_links"),
    _spec("payments", "gateways", GatewayConnection, "gateway", "gateway_connections"),
    _spec("payments", "credit_cards", CreditCard, "credit_card", "credit_cards"),
    _spec("payments", "tokenization", TokenizedPaymentMethod, None, None),
    _spec("uploads", "images", ImageUpload, None, None),
    _spec("uploads", "attachments", AttachmentUpload, None, None),
)

RESOURCES_BY_FAMILY: Final[Mapping[tuple[str, str], ResourceSpec]] = MappingProxyType(
    {(spec.family, spec.name): spec for spec in _SPECS}
)
"""Every ``(family, resource)`` pair of the endpoint catalogue."""

_primary: dict[str, ResourceSpec] = {}
for _s in _SPECS:
    _primary.setdefault(_s.name, _s)  # first listed wins: accounting gateways, projects...
RESOURCES: Final[Mapping[str, ResourceSpec]] = MappingProxyType(_primary)
"""Resource name -> spec (the primary family where a name is shared)."""


def _report(family: str, name: str, model: type[Report], key: str | None = None) -> ReportSpec:
    return ReportSpec(name=name, family=family, model=model, key=key or name)


REPORTS: Final[Mapping[str, ReportSpec]] = MappingProxyType(
    {
        spec.name: spec
        for spec in (
            _report("accounting", "accounts_aging", AccountsAgingReport),
            _report("accounting", "balance_sheet", BalanceSheetReport),
            _report("accounting", "bank_reconciliation_summary", Report),
            _report("accounting", "account_statement", Report),
            _report("accounting", "expense_details", Report),
            _report("accounting", "invoice_details", InvoiceDetailsReport),
            _report("accounting", "item_sales", ItemSalesReport),
            _report("accounting", "payments_collected", PaymentsCollectedReport),
            _report("accounting", "profit_loss", ProfitLossReport, "profitloss"),
            _report("accounting", "revenue_by_client", RevenueByClientReport),
            _report("accounting", "tax_summary", TaxSummaryReport, "taxsummary"),
            _report("accounting", "trial_balance", TrialBalanceReport),
            _report("accounting-business", "general_ledger", GeneralLedgerReport),
            _report("accounting-business", "cash_flow", CashFlowReport),
            _report("accounting-business", "chart_of_accounts", ChartOfAccountsReport),
        )
    }
)
"""Report name (``endpoints.tsv`` ``other:<name>``) -> model and result key."""


def resource_spec(resource: str, family: str | None = None) -> ResourceSpec:
    """Look up a resource's model and JSON keys.

    Args:
        resource: The ``endpoints.tsv`` resource name, e.g. ``"invoices"``.
        family: The family, to pick between same-named resources (``"payments"`` for
            the payments-family ``gateways``); ``None`` picks the primary one.

    Raises:
        TypeError: an argument is not a str.
        KeyError: no such resource (in that family).
    """
    if not isinstance(resource, str):
        raise TypeError(f"resource must be a str, got {resource!r}")
    if family is not None and not isinstance(family, str):
        raise TypeError(f"family must be a str or None, got {family!r}")
    spec = (
        RESOURCES.get(resource) if family is None else RESOURCES_BY_FAMILY.get((family, resource))
    )
    if spec is None:
        where = f" in family {family!r}" if family is not None else ""
        raise KeyError(
            f"unknown resource {resource!r}{where}; known: {', '.join(sorted(RESOURCES))}"
        )
    return spec
