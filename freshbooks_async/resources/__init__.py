"""Resource namespaces: one class per FreshBooks resource, mounted on the client.

Use them through the client (``client.invoices.list(account_id)``); the classes are
exported for type annotations. Webhook callbacks (:class:`freshbooks_async.webhooks.Callbacks`)
and uploads (:mod:`freshbooks_async.uploads`) live in their own modules and are mounted
as ``client.callbacks``, ``client.images`` and ``client.attachments``.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._base import DeleteStyle, JSONObject, NoKwargs, Resource
    from .accounting import (
        BillableItems,
        BillPayments,
        Bills,
        BillVendors,
        BulkCreateOptions,
        Clients,
        Contacts,
        CreditNotes,
        Estimates,
        ExpenseCategories,
        ExpenseProfiles,
        Expenses,
        Gateways,
        InvoiceProfiles,
        Invoices,
        Items,
        JournalEntries,
        JournalEntryAccounts,
        JournalEntryDetails,
        OtherIncomes,
        Payments,
        Staffs,
        Systems,
        Tasks,
        Taxes,
    )
    from .identity import Applications, Businesses, Identities, Invitations, TeamMembers
    from .ledger import LedgerAccounts, LedgerAccountSubTypes, LedgerAccountTypes
    from .online_payments import CheckoutLinks, CreditCards, PaymentGateways, PaymentOptionsResource
    from .projects import (
        InvitationRates,
        Projects,
        ProjectServiceRates,
        ProjectThreads,
        Retainers,
        ServiceRates,
        Services,
        TeamMemberRates,
        ThreadComments,
        TimeEntries,
    )
    from .reports import Reports

__all__ = [
    "Applications",
    "BillPayments",
    "BillVendors",
    "BillableItems",
    "Bills",
    "BulkCreateOptions",
    "Businesses",
    "CheckoutLinks",
    "Clients",
    "Contacts",
    "CreditCards",
    "CreditNotes",
    "DeleteStyle",
    "Estimates",
    "ExpenseCategories",
    "ExpenseProfiles",
    "Expenses",
    "Gateways",
    "Identities",
    "InvitationRates",
    "Invitations",
    "InvoiceProfiles",
    "Invoices",
    "Items",
    "JSONObject",
    "JournalEntries",
    "JournalEntryAccounts",
    "JournalEntryDetails",
    "LedgerAccountSubTypes",
    "LedgerAccountTypes",
    "LedgerAccounts",
    "NoKwargs",
    "OtherIncomes",
    "PaymentGateways",
    "PaymentOptionsResource",
    "Payments",
    "ProjectServiceRates",
    "ProjectThreads",
    "Projects",
    "Reports",
    "Resource",
    "Retainers",
    "ServiceRates",
    "Services",
    "Staffs",
    "Systems",
    "Tasks",
    "Taxes",
    "TeamMemberRates",
    "TeamMembers",
    "ThreadComments",
    "TimeEntries",
]

# Each name is imported on first use (PEP 562): importing this package builds no resource
# class and no model; the client builds a namespace when it is first used.
_HOMES: dict[str, str] = {
    "Applications": ".identity",
    "BillPayments": ".accounting",
    "BillVendors": ".accounting",
    "BillableItems": ".accounting",
    "Bills": ".accounting",
    "BulkCreateOptions": ".accounting",
    "Businesses": ".identity",
    "CheckoutLinks": ".online_payments",
    "Clients": ".accounting",
    "Contacts": ".accounting",
    "CreditCards": ".online_payments",
    "CreditNotes": ".accounting",
    "DeleteStyle": "._base",
    "Estimates": ".accounting",
    "ExpenseCategories": ".accounting",
    "ExpenseProfiles": ".accounting",
    "Expenses": ".accounting",
    "Gateways": ".accounting",
    "Identities": ".identity",
    "InvitationRates": ".projects",
    "Invitations": ".identity",
    "InvoiceProfiles": ".accounting",
    "Invoices": ".accounting",
    "Items": ".accounting",
    "JSONObject": "._base",
    "JournalEntries": ".accounting",
    "JournalEntryAccounts": ".accounting",
    "JournalEntryDetails": ".accounting",
    "LedgerAccountSubTypes": ".ledger",
    "LedgerAccountTypes": ".ledger",
    "LedgerAccounts": ".ledger",
    "NoKwargs": "._base",
    "OtherIncomes": ".accounting",
    "PaymentGateways": ".online_payments",
    "PaymentOptionsResource": ".online_payments",
    "Payments": ".accounting",
    "ProjectServiceRates": ".projects",
    "ProjectThreads": ".projects",
    "Projects": ".projects",
    "Reports": ".reports",
    "Resource": "._base",
    "Retainers": ".projects",
    "ServiceRates": ".projects",
    "Services": ".projects",
    "Staffs": ".accounting",
    "Systems": ".accounting",
    "Tasks": ".accounting",
    "Taxes": ".accounting",
    "TeamMemberRates": ".projects",
    "TeamMembers": ".identity",
    "ThreadComments": ".projects",
    "TimeEntries": ".projects",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
