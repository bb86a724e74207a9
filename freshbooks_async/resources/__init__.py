"""Resource namespaces: one class per FreshBooks resource, mounted on the client.

Use them through the client (``client.invoices.list(account_id)``); the classes are
exported for type annotations. Webhook callbacks (:class:`freshbooks_async.webhooks.Callbacks`)
and uploads (:mod:`freshbooks_async.uploads`) live in their own modules and are mounted
as ``client.callbacks``, ``client.images`` and ``client.attachments``.
"""

from ._base import DeleteStyle, JSONObject, Resource
from .accounting import (
    BillableItems,
    BillPayments,
    Bills,
    BillVendors,
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
