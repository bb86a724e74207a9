"""The FreshBooks endpoint catalogue: every known endpoint and resource, as typed data.

This module is pure data plus small lookup helpers; it performs no I/O. It mirrors the
project's endpoint table (``tests/fixtures/endpoints.tsv``, whose columns and source codes
are explained in docs/protocol.rst, "Sources"): one :class:`Endpoint` per row, and one
:class:`ResourceSpec` per ``(family, resource)`` pair describing how that resource is
addressed and deleted.

Both the SDK's resource layer and the sandbox emulator are driven from here, so a path
exists in exactly one place.

Example:
    >>> spec("invoices").item_path
    '/accounting/account/{account_id}/invoices/invoices/{id}'
    >>> spec("invoices").render_item(account_id="ACC001", id=7)
    '/accounting/account/ACC001/invoices/invoices/7'
    >>> len(endpoints(family=Family.EVENTS))
    7
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl

import attrs

from ._route import templated
from ._validate import check_path_segment

__all__ = [
    "DeleteStyle",
    "Endpoint",
    "Family",
    "ResourceSpec",
    "ScopeKind",
    "Shape",
    "endpoints",
    "find_endpoint",
    "resources",
    "spec",
]


class Family(enum.Enum):
    """An API family: decides the URL scope, the envelope and the error body."""

    ACCOUNTING = "accounting"
    ACCOUNTING_BUSINESS = "accounting-business"
    EVENTS = "events"
    PROJECTS = "projects"
    TIMETRACKING = "timetracking"
    COMMENTS = "comments"
    PAYMENTS = "payments"
    AUTH = "auth"
    OAUTH = "oauth"
    UPLOADS = "uploads"

    @property
    def is_project_like(self) -> bool:
        """True for the flat-body families (projects, timetracking, comments)."""
        return self in (Family.PROJECTS, Family.TIMETRACKING, Family.COMMENTS)


class ScopeKind(enum.Enum):
    """Which identifier scopes a resource's URL."""

    ACCOUNT_ID = "account_id"  #: str, e.g. ``"ACC001"``: /accounting/account, /events, ...
    BUSINESS_ID = "business_id"  #: int: /projects, /timetracking, /comments, auth teams
    BUSINESS_UUID = "business_uuid"  #: str UUID: /accounting/businesses
    NONE = "none"  #: unscoped (identity, OAuth, ledger types, bare uploads)


class DeleteStyle(enum.Enum):
    """How a resource is deleted on the wire."""

    VIS_STATE = "put_vis_state"  #: ``PUT {"<singular>": {"vis_state": 1}}`` (soft delete)
    DELETE = "delete"  #: HTTP ``DELETE`` on the item path
    ACTIVE_FALSE = "put_active_false"  #: ``PUT {"retainer": {"active": false}}``


class Shape(enum.Enum):
    """Response-shape codes (docs/protocol.rst, "Response-shape codes")."""

    A_LIST = "A-list"  #: accounting list ``{"response": {"result": {plural, page...}}}``
    A_ONE = "A-one"  #: accounting single ``{"response": {"result": {singular: {...}}}}``
    A = "A"  #: accounting envelope, other content
    A_REPORT = "A-report"  #: accounting envelope, ``result.<report_key>``
    L_LIST = "L-list"  #: ledger ``{"data": [...]}``
    L_ONE = "L-one"  #: ledger ``{"data": {...}}``
    P_LIST = "P-list"  #: project-like flat list with ``meta``
    P_ONE = "P-one"  #: project-like flat single ``{singular: {...}}``
    P = "P"  #: project-like flat, other content
    U_ONE = "U-one"  #: auth ``{"response": {...}}``
    U_LIST = "U-list"  #: auth ``{"response": [...], "meta": {...}}``
    U = "U"  #: auth envelope, other content
    O = "O"  #: OAuth JSON  # noqa: E741
    Y = "Y"  #: payments flat JSON
    F = "F"  #: upload JSON ``{"image": {...}, "link": "..."}``
    BINARY = "binary"  #: file body
    BINARY_PDF = "binary-pdf"  #: PDF body
    BINARY_CSV = "binary-csv"  #: CSV body
    EMPTY = "empty"  #: no body expected
    EMPTY_204 = "empty/204"  #: no body, 204
    REDIRECT = "redirect"  #: an HTTP redirect (OAuth authorize)


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@attrs.frozen(kw_only=True)
class Endpoint:
    """One row of the endpoint table: a distinct SDK operation.

    Several endpoints may share a method and path (an invoice update, send and soft
    delete are all ``PUT .../invoices/invoices/{id}`` with different bodies).

    Attributes:
        family: The API family.
        resource: The resource name as in the table's ``resource`` column.
        operation: ``list``/``get``/``create``/``update``/``delete``/``archive`` or
            ``other:<name>``; a trailing ``?`` marks a row whose sources conflict.
        method: Upper-case HTTP method.
        path: The path template exactly as in the table: relative to
            ``https://api.freshbooks.com`` unless absolute; may carry a fixed query.
        shape: The response shape code.
        source: Where the row comes from (SDKs, Postman collection, docs).
    """

    family: Family
    resource: str
    operation: str
    method: str
    path: str
    shape: Shape
    source: str = ""

    @property
    def op(self) -> str:
        """The operation without the uncertainty marker (``"delete?"`` -> ``"delete"``)."""
        return self.operation.rstrip("?")

    @property
    def uncertain(self) -> bool:
        """True when the sources disagree about this row."""
        return self.operation.endswith("?")

    @property
    def host(self) -> str | None:
        """The host of an absolute path, or ``None`` for ``api.freshbooks.com``-relative."""
        if "://" not in self.path:
            return None
        return self.path.split("://", 1)[1].split("/", 1)[0]

    @property
    def path_template(self) -> str:
        """The path template alone: no scheme, host or query."""
        path = self.path
        if "://" in path:
            path = "/" + path.split("://", 1)[1].split("/", 1)[1]
        return path.split("?", 1)[0]

    @property
    def fixed_query(self) -> Mapping[str, str]:
        """Query parameters the table fixes for this endpoint (e.g. ``share_method``)."""
        if "?" not in self.path:
            return {}
        return dict(parse_qsl(self.path.split("?", 1)[1]))

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The names of the template's ``{placeholders}``, in order."""
        return tuple(_PLACEHOLDER.findall(self.path_template))

    def render(self, **params: object) -> str:
        """Fill the path template (without host or query), one path segment per value.

        Raises:
            ValueError: A placeholder has no value, an unknown one was given, or a value
                is not an id that can be sent as given
                (a single path segment, no ``..``, ``/``, ``?`` or ``%``).
        """
        return _render(self.path_template, params)


def _render(template: str, params: Mapping[str, object]) -> str:
    names = _PLACEHOLDER.findall(template)
    missing = [n for n in names if n not in params]
    if missing:
        raise ValueError(f"params: missing {missing!r} for template {template!r}")
    extra = sorted(set(params) - set(names))
    if extra:
        raise ValueError(f"params: unknown {extra!r} for template {template!r}")
    segments = {}
    for name in names:
        value = params[name]
        if value is None:
            raise ValueError(f"{name}: must be non-empty, got {value!r}")
        segments[name] = check_path_segment(name, value)
    # The path carries its template, for event hooks (see freshbooks_async._route).
    return templated(_PLACEHOLDER.sub(lambda m: segments[m.group(1)], template), template)


@attrs.frozen(kw_only=True)
class ResourceSpec:
    """How one resource of one family is addressed, wrapped and deleted.

    Attributes:
        name: The resource name as in the endpoint table.
        family: The API family.
        scope: Which identifier scopes its URLs.
        collection_path: Template of the list path (and create path, unless
            ``create_path`` says otherwise); ``None`` when there is no collection.
        item_path: Template of the single-object path; ``None`` when there is none.
        create_path: Template of the create path when it differs from the list path
            (projects: ``POST .../project``).
        alt_item_paths: Other documented spellings of the item path (accepted too).
        singular: The JSON key wrapping one object in requests and responses.
        plural: The JSON key of the list in list responses.
        id_field: The id attribute of an object (``"id"`` unless the family differs).
        delete_styles: Every documented way to delete, preferred first; empty when
            the resource cannot be deleted.
        archivable: Whether ``vis_state`` 2 (archived) applies.
        operations: The operation names that exist (``op`` of its endpoints).
    """

    name: str
    family: Family
    scope: ScopeKind
    collection_path: str | None
    item_path: str | None
    singular: str
    plural: str
    id_field: str = "id"
    create_path: str | None = None
    alt_item_paths: tuple[str, ...] = ()
    delete_styles: tuple[DeleteStyle, ...] = ()
    archivable: bool = False
    operations: frozenset[str] = frozenset()

    @property
    def delete_style(self) -> DeleteStyle | None:
        """The preferred delete style, or ``None`` when the resource is not deletable."""
        return self.delete_styles[0] if self.delete_styles else None

    def supports(self, operation: str) -> bool:
        """Whether ``operation`` (e.g. ``"list"``, ``"other:pdf"``) exists."""
        if not isinstance(operation, str):
            raise TypeError(f"operation: expected str, got {type(operation).__name__}")
        return operation.rstrip("?") in self.operations

    def render_collection(self, **params: object) -> str:
        """Fill :attr:`collection_path`.

        Raises:
            ValueError: The resource has no collection, or a parameter is missing.
        """
        if self.collection_path is None:
            raise ValueError(f"resource {self.name!r} has no collection path")
        return _render(self.collection_path, params)

    def render_create(self, **params: object) -> str:
        """Fill the create path (:attr:`create_path` or :attr:`collection_path`)."""
        template = self.create_path or self.collection_path
        if template is None:
            raise ValueError(f"resource {self.name!r} has no create path")
        return _render(template, params)

    def render_item(self, **params: object) -> str:
        """Fill :attr:`item_path`.

        Raises:
            ValueError: The resource has no item path, or a parameter is missing.
        """
        if self.item_path is None:
            raise ValueError(f"resource {self.name!r} has no item path")
        return _render(self.item_path, params)

    def endpoints(self) -> tuple[Endpoint, ...]:
        """This resource's rows of the endpoint table."""
        return tuple(e for e in _ENDPOINTS if e.family is self.family and e.resource == self.name)


# One line per row of endpoints.tsv, in its order, with the response-shape code
# (docs/protocol.rst, "The endpoint catalogue") inserted before the source column
# (tab-separated).
_TABLE = """\
accounting	clients	list	GET	/accounting/account/{account_id}/users/clients	A-list	PY; NODE; PHP; POSTMAN:Clients/List Clients
accounting	clients	get	GET	/accounting/account/{account_id}/users/clients/{id}	A-one	PY; NODE; PHP; POSTMAN:Clients/Single Client
accounting	clients	create	POST	/accounting/account/{account_id}/users/clients	A-one	PY; NODE; PHP; POSTMAN:Clients/New Client
accounting	clients	update	PUT	/accounting/account/{account_id}/users/clients/{id}	A-one	PY; NODE; PHP; POSTMAN:Clients/Update Client
accounting	clients	delete	PUT	/accounting/account/{account_id}/users/clients/{id}	A-one	PY (body client.vis_state=1); NODE; PHP
accounting	clients	other:remove_all_secondary_contacts	PUT	/accounting/account/{account_id}/users/clients/{id}	A-one	POSTMAN:Clients/Remove All Secondary Contacts (body client.contacts=[])
accounting	contacts	update	PUT	/accounting/account/{account_id}/users/contacts/{contact_id}	A-one	POSTMAN:Clients/Edit Secondary Contact ID (no example response)
accounting	contacts	delete	DELETE	/accounting/account/{account_id}/users/contacts/{contact_id}	A	POSTMAN:Clients/Delete Secondary  Contact ID
accounting	credit_notes	list	GET	/accounting/account/{account_id}/credit_notes/credit_notes	A-list	PY; NODE; POSTMAN:Clients/Credits/List Credits
accounting	credit_notes	get	GET	/accounting/account/{account_id}/credit_notes/credit_notes/{id}	A-one	PY; NODE
accounting	credit_notes	create	POST	/accounting/account/{account_id}/credit_notes/credit_notes	A-one	PY; NODE; POSTMAN:Clients/Credits/Create Credit Note + Create Prepayment Credit
accounting	credit_notes	update	PUT	/accounting/account/{account_id}/credit_notes/credit_notes/{id}	A-one	PY; NODE; POSTMAN:Clients/Credits/Update Credit Note + Update Prepayment Credit
accounting	credit_notes	delete	PUT	/accounting/account/{account_id}/credit_notes/credit_notes/{id}	A-one	PY; NODE (vis_state=1); POSTMAN:Clients/Credits/Delete Credit
accounting	estimates	list	GET	/accounting/account/{account_id}/estimates/estimates	A-list	PY; POSTMAN:Estimates/List Estimates
accounting	estimates	get	GET	/accounting/account/{account_id}/estimates/estimates/{id}	A-one	PY; POSTMAN:Estimates/Single Estimate
accounting	estimates	create	POST	/accounting/account/{account_id}/estimates/estimates	A-one	PY; POSTMAN:Estimates/Single Estimate With Estimate Lines + Create Single Proposal w/ Sections, Logos, and E-signature
accounting	estimates	update	PUT	/accounting/account/{account_id}/estimates/estimates/{id}	A-one	PY; POSTMAN:Estimates/Update Estimate
accounting	estimates	delete?	DELETE	/accounting/account/{account_id}/estimates/estimates/{id}	A	PY (delete_via_update=False) -- conflicts with PM
accounting	estimates	delete?	PUT	/accounting/account/{account_id}/estimates/estimates/{id}	A-one	POSTMAN:Estimates/Delete Estimate (body estimate.vis_state=1) -- conflicts with PY
accounting	estimates	other:accept	PUT	/accounting/account/{account_id}/estimates/estimates/{id}	A-one	POSTMAN:Estimates/Accept Estimate (body estimate.action_accept=true)
accounting	estimates	other:send_by_email	PUT	/accounting/account/{account_id}/estimates/estimates/{id}	A-one	POSTMAN:Estimates/Send Estimate by Email (body estimate.action_email=true, email_recipients)
accounting	expenses	list	GET	/accounting/account/{account_id}/expenses/expenses	A-list	PY; NODE; PHP; POSTMAN:Expenses/List Expenses
accounting	expenses	get	GET	/accounting/account/{account_id}/expenses/expenses/{id}	A-one	PY; NODE; PHP; POSTMAN:Expenses/Single Expense
accounting	expenses	create	POST	/accounting/account/{account_id}/expenses/expenses	A-one	PY; NODE; PHP; POSTMAN:Expenses/Create Expense + Create Expense with Receipt
accounting	expenses	update	PUT	/accounting/account/{account_id}/expenses/expenses/{id}	A-one	PY; NODE; PHP; POSTMAN:Expenses/Update Expense + Update Expense with Receipt
accounting	expenses	delete	PUT	/accounting/account/{account_id}/expenses/expenses/{id}	A-one	PY; NODE (vis_state=1); POSTMAN:Expenses/Delete Expense (example body has vis_state 0)
accounting	expenses	other:summaries	GET	/accounting/account/{account_id}/expenses/summaries	A	POSTMAN:Expenses/Expense Summaries
accounting	expenses	other:vendors	GET	/accounting/account/{account_id}/expenses/vendors	A-list	POSTMAN:Expenses/Expense Vendors (no example response)
accounting	expense_profiles	create	POST	/accounting/account/{account_id}/expense_profiles/expense_profiles	A-one	POSTMAN:Expenses/Create Recurring Expense (no example response)
accounting	expense_categories	list	GET	/accounting/account/{account_id}/expenses/categories	A-list	PY; NODE; PHP; POSTMAN:Expenses/List Expense Categories
accounting	expense_categories	get	GET	/accounting/account/{account_id}/expenses/categories/{id}	A-one	PY; NODE; PHP; POSTMAN:Expenses/Single Expense Category
accounting	expense_categories	create?	POST	/accounting/account/{account_id}/expenses/categories	A-one	POSTMAN:Expenses/Create Custom Expense Category -- PY/PHP mark create/update/delete as not available
accounting	invoices	list	GET	/accounting/account/{account_id}/invoices/invoices	A-list	PY; NODE; PHP; POSTMAN:Invoices/List Invoices
accounting	invoices	get	GET	/accounting/account/{account_id}/invoices/invoices/{id}	A-one	PY; NODE; PHP; POSTMAN:Invoices/Single Invoice + Single Invoice w/ Logo
accounting	invoices	create	POST	/accounting/account/{account_id}/invoices/invoices	A-one	PY; NODE; PHP; POSTMAN:Invoices/Single Invoice w/ Line Items (+3 variants)
accounting	invoices	update	PUT	/accounting/account/{account_id}/invoices/invoices/{id}	A-one	PY; NODE; PHP; POSTMAN:Invoices/Update Invoice + Update Invoice w/ Expense + Toggle Online Payments on Invoice
accounting	invoices	delete?	PUT	/accounting/account/{account_id}/invoices/invoices/{id}	A-one	NODE (body invoice.vis_state=1); POSTMAN:Invoices/Delete  Invoice -- conflicts with PY/PHP
accounting	invoices	delete?	DELETE	/accounting/account/{account_id}/invoices/invoices/{id}	A	PY; PHP (delete_via_update=False) -- conflicts with NODE/PM
accounting	invoices	other:send_by_email	PUT	/accounting/account/{account_id}/invoices/invoices/{id}	A-one	POSTMAN:Invoices/Send Invoice by Email (body invoice.action_email=true, email_recipients)
accounting	invoices	other:pdf	GET	/accounting/account/{account_id}/invoices/invoices/{id}/pdf	binary-pdf	POSTMAN:Invoices/Invoice Links/Downloads/Download Invoice PDF
accounting	invoices	other:share_link	GET	/accounting/account/{account_id}/invoices/invoices/{id}/share_link?share_method=share_link	A-one	NODE; POSTMAN:Invoices/Invoice Links/Downloads/Share Link + Share PDF
accounting	invoices	other:presentation_defaults	GET	/accounting/account/{account_id}/invoices/presentations	A	POSTMAN:Invoices/Get default invoice presentation styles
accounting	invoice_profiles	list	GET	/accounting/account/{account_id}/invoice_profiles/invoice_profiles	A-list	PY; POSTMAN:Invoices/Invoice Recurring Template/List Invoice Profiles
accounting	invoice_profiles	get	GET	/accounting/account/{account_id}/invoice_profiles/invoice_profiles/{id}	A-one	PY; POSTMAN:Invoices/Invoice Recurring Template/Get Single Invoice Profile
accounting	invoice_profiles	create	POST	/accounting/account/{account_id}/invoice_profiles/invoice_profiles	A-one	PY; POSTMAN:Invoices/Invoice Recurring Template/Create Single Invoice Profile (+ w/ Time Entry Holder)
accounting	invoice_profiles	update	PUT	/accounting/account/{account_id}/invoice_profiles/invoice_profiles/{id}	A-one	PY; POSTMAN:Invoices/Invoice Recurring Template/Update Invoice Profile
accounting	invoice_profiles	delete	PUT	/accounting/account/{account_id}/invoice_profiles/invoice_profiles/{id}	A-one	PY (vis_state=1); POSTMAN:Invoices/Invoice Recurring Template/Delete  Invoice Profile
accounting	items	list	GET	/accounting/account/{account_id}/items/items	A-list	PY; NODE; PHP; POSTMAN:Invoices/Items and Services/List Items (+ Filtered by SKU)
accounting	items	get	GET	/accounting/account/{account_id}/items/items/{id}	A-one	PY; NODE; PHP; POSTMAN:Invoices/Items and Services/Single Item
accounting	items	create	POST	/accounting/account/{account_id}/items/items	A-one	PY; NODE; PHP; POSTMAN:Invoices/Items and Services/Create Item
accounting	items	update	PUT	/accounting/account/{account_id}/items/items/{id}	A-one	PY; NODE; PHP; POSTMAN:Invoices/Items and Services/Update Item
accounting	items	delete	PUT	/accounting/account/{account_id}/items/items/{id}	A-one	PY; PHP (vis_state=1); POSTMAN:Invoices/Items and Services/Delete Item
accounting	payments	list	GET	/accounting/account/{account_id}/payments/payments	A-list	PY; NODE; PHP; POSTMAN:Invoices/Payments/List Payments
accounting	payments	get	GET	/accounting/account/{account_id}/payments/payments/{id}	A-one	PY; NODE; PHP; POSTMAN:Invoices/Payments/Single Payment
accounting	payments	create	POST	/accounting/account/{account_id}/payments/payments	A-one	PY; NODE; PHP; POSTMAN:Invoices/Payments/Make Payment
accounting	payments	update	PUT	/accounting/account/{account_id}/payments/payments/{id}	A-one	PY; NODE; PHP; POSTMAN:Invoices/Payments/Update Payment
accounting	payments	delete	PUT	/accounting/account/{account_id}/payments/payments/{id}	A-one	PY; NODE; PHP (vis_state=1); POSTMAN:Invoices/Payments/Delete Payment
accounting	other_income	list	GET	/accounting/account/{account_id}/other_incomes/other_incomes	A-list	PY; NODE; POSTMAN:Accounting/Other Income/List Other Income (list key other_income)
accounting	other_income	get	GET	/accounting/account/{account_id}/other_incomes/other_incomes/{id}	A-one	PY; NODE
accounting	other_income	create	POST	/accounting/account/{account_id}/other_incomes/other_incomes	A-one	PY; NODE; POSTMAN:Accounting/Other Income/Create Single Other Income
accounting	other_income	update	PUT	/accounting/account/{account_id}/other_incomes/other_incomes/{id}	A-one	PY; NODE; POSTMAN:Accounting/Other Income/Update Single Other Income
accounting	other_income	delete?	DELETE	/accounting/account/{account_id}/other_incomes/other_incomes/{id}	A	PY (delete_via_update=False); NODE -- IRL lib implements POSTMAN:Accounting/Other Income/Delete Single Other Income as PUT vis_state=1
accounting	taxes	list	GET	/accounting/account/{account_id}/taxes/taxes	A-list	PY; PHP; POSTMAN:Accounting/Taxes/List Taxes
accounting	taxes	get	GET	/accounting/account/{account_id}/taxes/taxes/{id}	A-one	PY; PHP; POSTMAN:Accounting/Taxes/Get Single Tax
accounting	taxes	create	POST	/accounting/account/{account_id}/taxes/taxes	A-one	PY; PHP; POSTMAN:Accounting/Taxes/Create Single Tax
accounting	taxes	update	PUT	/accounting/account/{account_id}/taxes/taxes/{id}	A-one	PY; PHP; POSTMAN:Accounting/Taxes/Update Single Tax
accounting	taxes	delete	DELETE	/accounting/account/{account_id}/taxes/taxes/{id}	A	PY (test_delete__tax_via_delete); POSTMAN:Accounting/Taxes/Delete Single Tax (PHP SDK instead sends PUT vis_state=1)
accounting	bills	list	GET	/accounting/account/{account_id}/bills/bills	A-list	PY; NODE; POSTMAN:Expenses/Bills (Beta)/Get Bills
accounting	bills	get	GET	/accounting/account/{account_id}/bills/bills/{id}	A-one	PY; NODE
accounting	bills	create	POST	/accounting/account/{account_id}/bills/bills	A-one	PY; NODE; POSTMAN:Expenses/Bills (Beta)/Add Bill from Vendor
accounting	bills	update	PUT	/accounting/account/{account_id}/bills/bills/{id}	A-one	PY
accounting	bills	delete	PUT	/accounting/account/{account_id}/bills/bills/{id}	A-one	PY; NODE (vis_state=1); POSTMAN:Expenses/Bills (Beta)/Delete Bill
accounting	bills	archive	PUT	/accounting/account/{account_id}/bills/bills/{id}	A-one	NODE (vis_state=2); POSTMAN:Expenses/Bills (Beta)/Archive Bill
accounting	bill_payments	list	GET	/accounting/account/{account_id}/bill_payments/bill_payments	A-list	PY; NODE
accounting	bill_payments	get	GET	/accounting/account/{account_id}/bill_payments/bill_payments/{id}	A-one	PY; NODE
accounting	bill_payments	create	POST	/accounting/account/{account_id}/bill_payments/bill_payments	A-one	PY; NODE; POSTMAN:Expenses/Bills (Beta)/Add Payment to Bill
accounting	bill_payments	update	PUT	/accounting/account/{account_id}/bill_payments/bill_payments/{id}	A-one	PY; NODE; POSTMAN:Expenses/Bills (Beta)/Edit Payment to Bill
accounting	bill_payments	delete	PUT	/accounting/account/{account_id}/bill_payments/bill_payments/{id}	A-one	PY; NODE (vis_state=1)
accounting	bill_vendors	list	GET	/accounting/account/{account_id}/bill_vendors/bill_vendors	A-list	PY; NODE; POSTMAN:Expenses/Vendors (Beta)/Get Vendors
accounting	bill_vendors	get	GET	/accounting/account/{account_id}/bill_vendors/bill_vendors/{id}	A-one	PY; NODE
accounting	bill_vendors	create	POST	/accounting/account/{account_id}/bill_vendors/bill_vendors	A-one	PY; NODE; POSTMAN:Expenses/Vendors (Beta)/Add Vendor
accounting	bill_vendors	update	PUT	/accounting/account/{account_id}/bill_vendors/bill_vendors/{id}	A-one	PY; NODE; POSTMAN:Expenses/Vendors (Beta)/Edit Vendor Details
accounting	bill_vendors	delete	PUT	/accounting/account/{account_id}/bill_vendors/bill_vendors/{id}	A-one	PY; NODE (vis_state=1); POSTMAN:Expenses/Vendors (Beta)/Delete Vendor
accounting	tasks	list	GET	/accounting/account/{account_id}/projects/tasks	A-list	PY; NODE; PHP; POSTMAN:Projects/Tasks/List Tasks
accounting	tasks	get	GET	/accounting/account/{account_id}/projects/tasks/{id}	A-one	PY; NODE; PHP; POSTMAN:Projects/Tasks/Single Task
accounting	tasks	create	POST	/accounting/account/{account_id}/projects/tasks	A-one	PY; NODE; PHP; POSTMAN:Projects/Tasks/Create Task
accounting	tasks	update	PUT	/accounting/account/{account_id}/projects/tasks/{id}	A-one	PY; NODE; PHP; POSTMAN:Projects/Tasks/Update Task
accounting	tasks	delete	PUT	/accounting/account/{account_id}/projects/tasks/{id}	A-one	PY; NODE; PHP (vis_state=1); POSTMAN:Projects/Tasks/Delete Task
accounting	staff	list	GET	/accounting/account/{account_id}/users/staffs	A-list	PY
accounting	staff	get	GET	/accounting/account/{account_id}/users/staffs/{id}	A-one	PY; POSTMAN:My Team/Single Staff
accounting	staff	update	PUT	/accounting/account/{account_id}/users/staffs/{id}	A-one	PY; POSTMAN:My Team/Update Staff
accounting	staff	delete	PUT	/accounting/account/{account_id}/users/staffs/{id}	A-one	PY (vis_state=1); POSTMAN:My Team/Delete Staff
accounting	systems	get	GET	/accounting/account/{account_id}/systems/systems/{id}	A-one	PY; POSTMAN:Settings/Systems/Get System (IRL lib passes business_id as {id})
accounting	gateways	list	GET	/accounting/account/{account_id}/systems/gateways	A-list	PY
accounting	gateways	delete	DELETE	/accounting/account/{account_id}/systems/gateways/{id}	A	PY (delete_via_update=False)
accounting	journal_entries	create	POST	/accounting/account/{account_id}/journal_entries/journal_entries	A-one	NODE; POSTMAN:Accounting/Journal Entries/Add Journal Entry (collection example on my.freshbooks.com host)
accounting	journal_entry_details	list	GET	/accounting/account/{account_id}/journal_entries/journal_entry_details	A-list	NODE; POSTMAN:Accounting/Journal Entries/Journal Entry Details
accounting	journal_entry_accounts	list	GET	/accounting/account/{account_id}/journal_entry_accounts/journal_entry_accounts	A-list	NODE; POSTMAN:Accounting/Journal Entries/Accounts + Reports/General Ledger
accounting	billable_items	create	POST	/accounting/account/{account_id}/billable_items/billable_items	A-one	POSTMAN:Settings/Items and Services/Create Service (no example response)
accounting	billable_items	get?	GET	/accounting/account/{account_id}/billable_items/{id}	A-one	POSTMAN:Settings/Items and Services/Single Service (path as transcribed by IRL lib; no example response)
accounting	reports	other:accounts_aging	GET	/accounting/account/{account_id}/reports/accounting/accounts_aging	A-report	POSTMAN:Reports/Accounts Aging; DOCS:reports
accounting	reports	other:balance_sheet	GET	/accounting/account/{account_id}/reports/accounting/balance_sheet	A-report	POSTMAN:Reports/Balance Sheet (dates[]=, currency_code)
accounting	reports	other:bank_reconciliation_summary	GET	/accounting/account/{account_id}/reports/accounting/bank_reconciliation_summary	A-report	POSTMAN:Reports/Bank Reconciliation Summary (no example response)
accounting	reports	other:account_statement	GET	/accounting/account/{account_id}/reports/accounting/account_statement	A-report	POSTMAN:Reports/Client Account Statement (no example response)
accounting	reports	other:expense_details	GET	/accounting/account/{account_id}/reports/accounting/expense_details	A-report	POSTMAN:Reports/Expense Details; filters on DOCS:expense-details-report
accounting	reports	other:invoice_details	GET	/accounting/account/{account_id}/reports/accounting/invoice_details	A-report	POSTMAN:Reports/Invoice Details; DOCS:reports
accounting	reports	other:item_sales	GET	/accounting/account/{account_id}/reports/accounting/item_sales	A-report	POSTMAN:Reports/Item Sales
accounting	reports	other:payments_collected	GET	/accounting/account/{account_id}/reports/accounting/payments_collected	A-report	NODE; POSTMAN:Reports/Payments Collected
accounting	reports	other:profit_loss	GET	/accounting/account/{account_id}/reports/accounting/profitloss_entity	A-report	NODE; POSTMAN:Reports/Profit/Loss Report
accounting	reports	other:revenue_by_client	GET	/accounting/account/{account_id}/reports/accounting/revenue_by_client	A-report	POSTMAN:Reports/Revenue By Client (sales_type)
accounting	reports	other:tax_summary	GET	/accounting/account/{account_id}/reports/accounting/taxsummary	A-report	NODE; POSTMAN:Reports/Sales Tax Summary
accounting	reports	other:trial_balance	GET	/accounting/account/{account_id}/reports/accounting/trial_balance	A-report	POSTMAN:Reports/Trial Balance
accounting	reports	other:csv_download	GET	/accounting/account/{account_id}/links/reports/{download_token}/invoice_details.csv	binary-csv	POSTMAN:Reports/Download CSV Report
accounting-business	ledger_accounts	list	GET	/accounting/businesses/{business_uuid}/ledger_accounts/accounts	L-list	PY; POSTMAN:Accounting/Accounts/List Accounts
accounting-business	ledger_accounts	get	GET	/accounting/businesses/{business_uuid}/ledger_accounts/accounts/{account_uuid}	L-one	PY; POSTMAN:Accounting/Accounts/Single Account; DOCS:chart-of-accounts
accounting-business	ledger_accounts	create	POST	/accounting/businesses/{business_uuid}/ledger_accounts/accounts	L-one	PY; POSTMAN:Accounting/Accounts/Create Account (201)
accounting-business	ledger_accounts	update	PUT	/accounting/businesses/{business_uuid}/ledger_accounts/accounts/{account_uuid}	L-one	PY; POSTMAN:Accounting/Accounts/Update Account
accounting-business	ledger_account_types	list	GET	/accounting/ledger_accounts/types	L-list	POSTMAN:Accounting/Accounts/List Account types
accounting-business	ledger_account_sub_types	list	GET	/accounting/ledger_accounts/sub_types	L-list	POSTMAN:Accounting/Accounts/List Sub types
accounting-business	ledger_account_sub_types	get	GET	/accounting/ledger_accounts/sub_types/{id}	L-one	POSTMAN:Accounting/Accounts/Single Sub type
accounting-business	reports	other:general_ledger	GET	/accounting/businesses/{business_uuid}/reports/general_ledger	A-report	DOCS:general-ledger-report
accounting-business	reports	other:cash_flow	GET	/accounting/businesses/{business_uuid}/reports/cash_flow	A-report	DOCS:cash-flow-report
accounting-business	reports	other:chart_of_accounts	GET	/accounting/businesses/{business_uuid}/reports/chart_of_accounts	A-report	DOCS:chart-of-accounts
events	callbacks	list	GET	/events/account/{account_id}/events/callbacks	A-list	PY; NODE; PHP; POSTMAN:Webhooks/List Webhook Callbacks
events	callbacks	get	GET	/events/account/{account_id}/events/callbacks/{id}	A-one	PY; NODE; PHP
events	callbacks	create	POST	/events/account/{account_id}/events/callbacks	A-one	PY; NODE; PHP; POSTMAN:Webhooks/Register for Callback
events	callbacks	update	PUT	/events/account/{account_id}/events/callbacks/{id}	A-one	PY; NODE; PHP
events	callbacks	delete	DELETE	/events/account/{account_id}/events/callbacks/{id}	empty/204	PY; NODE; POSTMAN:Webhooks/Delete Webhook Callback (PHP SDK instead sends PUT vis_state=1: EventsResource inherits deleteViaUpdate=true)
events	callbacks	other:verify	PUT	/events/account/{account_id}/events/callbacks/{id}	A-one	PY; NODE; PHP (body callback.verifier); POSTMAN:Webhooks/Verify Webhook Callback (also sends callback_id)
events	callbacks	other:resend_verification	PUT	/events/account/{account_id}/events/callbacks/{id}	A-one	PY; NODE; PHP (body callback.resend=true); POSTMAN:Webhooks/Resend Verification Code
projects	projects	list	GET	/projects/business/{business_id}/projects	P-list	PY; NODE; PHP; POSTMAN:Projects/List Projects
projects	projects	get	GET	/projects/business/{business_id}/project/{id}	P-one	PY; NODE
projects	projects	get	GET	/projects/business/{business_id}/projects/{id}	P-one	PHP; POSTMAN:Projects/Single Project
projects	projects	create	POST	/projects/business/{business_id}/project	P-one	PY; NODE; POSTMAN:Projects/Create Single Project
projects	projects	create?	POST	/projects/business/{business_id}/projects	P-one	PHP; a third-party collection (unceasingwaves92/freshbooks FreshBooks.postman_collection.json)
projects	projects	update	PUT	/projects/business/{business_id}/project/{id}	P-one	PY; NODE; POSTMAN:Projects/Update Project
projects	projects	update?	PUT	/projects/business/{business_id}/projects/{id}	P-one	PHP
projects	projects	delete	DELETE	/projects/business/{business_id}/project/{id}	empty/204	PY; NODE
projects	projects	delete?	DELETE	/projects/business/{business_id}/projects/{id}	empty/204	PHP
projects	projects	other:abilities	GET	/projects/business/{business_id}/abilities	P	POSTMAN:Settings/Abilities/Abilities
timetracking	time_entries	list	GET	/timetracking/business/{business_id}/time_entries	P-list	PY; NODE; POSTMAN:Time Tracking/List Entries (+ Updated Since Precise Time, for a Given Day)
timetracking	time_entries	get	GET	/timetracking/business/{business_id}/time_entries/{id}	P-one	PY; NODE
timetracking	time_entries	create	POST	/timetracking/business/{business_id}/time_entries	P-one	PY; NODE; POSTMAN:Time Tracking/Create a Time Entry
timetracking	time_entries	update	PUT	/timetracking/business/{business_id}/time_entries/{id}	P-one	PY; NODE; POSTMAN:Time Tracking/Update a Time Entry
timetracking	time_entries	delete	DELETE	/timetracking/business/{business_id}/time_entries/{id}	empty/204	PY; NODE; POSTMAN:Time Tracking/Delete a Time Entry
timetracking	time_entries	other:search	GET	/timetracking/business/{business_id}/time_entries/search	P-list	POSTMAN:Time Tracking/Time Entries For Employee on Specific Project
comments	services	list	GET	/comments/business/{business_id}/services	P-list	PY; NODE; POSTMAN:Settings/Items and Services/List Services
comments	services	get	GET	/comments/business/{business_id}/service/{id}	P-one	PY; NODE; POSTMAN:Settings/Items and Services/Get a Single Service
comments	services	create	POST	/comments/business/{business_id}/service	P-one	PY; NODE
comments	services	update	PUT	/comments/business/{business_id}/service/{id}	P-one	PY
comments	services	delete?	DELETE	/comments/business/{business_id}/service/{id}	empty/204	PY (generic CommentsResource.delete; not exercised in SDK tests)
comments	service_rates	list	GET	/comments/business/{business_id}/service_rates	P-list	PY; POSTMAN:Projects/Service Rates
comments	service_rates	get	GET	/comments/business/{business_id}/service/{service_id}/rate	P-one	PY; NODE; POSTMAN:Settings/Items and Services/Get a Single Service Rate
comments	service_rates	create	POST	/comments/business/{business_id}/service/{service_id}/rate	P-one	PY; NODE
comments	service_rates	update	PUT	/comments/business/{business_id}/service/{service_id}/rate	P-one	PY; NODE
comments	project_service_rates	update	PUT	/comments/business/{business_id}/project/{project_id}/service/{service_id}/rate	P-one	POSTMAN:Projects/Update Service Rates
comments	retainers	list	GET	/comments/business/{business_id}/retainers	P-list	POSTMAN:Invoices/Retainers/Get all retainers
comments	retainers	get	GET	/comments/business/{business_id}/retainer/{id}	P-one	POSTMAN:Invoices/Retainers/Single Retainer
comments	retainers	create	POST	/comments/business/{business_id}/retainers	P-one	POSTMAN:Invoices/Retainers/Create Retainer
comments	retainers	update	PUT	/comments/business/{business_id}/retainer/{id}	P-one	POSTMAN:Invoices/Retainers/Update Retainer
comments	retainers	delete	PUT	/comments/business/{business_id}/retainer/{id}	P-one	POSTMAN:Invoices/Retainers/Delete Retainer (body retainer.active=false, per IRL lib)
comments	retainers	other:undelete	PUT	/comments/business/{business_id}/retainer/{id}	P-one	POSTMAN:Invoices/Retainers/Undelete Retainer (body retainer.active=true, per IRL lib)
comments	team_member_rates	list	GET	/comments/business/{business_id}/team_member_rates	P-list	POSTMAN:Projects/Team Member Rates
comments	team_member_rates	update	PUT	/comments/business/{business_id}/team_member_rate/{identity_id}	P-one	POSTMAN:My Team/Update Staff Rates + Projects/Update Team Member Rate
comments	invitation_rates	list	GET	/comments/business/{business_id}/invitation_rates	P-list	POSTMAN:Projects/Invitation Rates
comments	project_threads	list	GET	/comments/business/{business_id}/project/{project_id}/threads	P-list	POSTMAN:Projects/List All Messages in Project Discussion (no example response)
comments	project_threads	create	POST	/comments/business/{business_id}/project/{project_id}/threads	P-one	POSTMAN:Projects/Create New Message in Project Discussion (no example response)
comments	thread_comments	create	POST	/comments/business/{business_id}/threads/{thread_id}/comments	P-one	POSTMAN:Projects/Add Comment to Project Discussion Message (no example response)
comments	projects	delete?	DELETE	/comments/business/{business_id}/project/{id}	empty	POSTMAN:Projects/Delete Project (collection example on my.freshbooks.com host, body project.vis_state)
comments	reports	other:time_entry_details	GET	/comments/business/{business_id}/time_entries/search	P-list	POSTMAN:Reports/Time Entry Details
auth	identity	get	GET	/auth/api/v1/users/me	U-one	PY; NODE; PHP; POSTMAN:Authorization/Identity Info Call + List User
auth	identity	other:register	POST	/auth/api/v1/smux/registrations	U-one	POSTMAN:Authorization/Register as a new user
auth	businesses	create	POST	/auth/api/v1/users/business	U	POSTMAN:Settings/Businesses/Add Business
auth	businesses	delete	DELETE	/auth/api/v1/users/business/{business_id}	empty	POSTMAN:Settings/Businesses/Delete Business
auth	businesses	other:list_business_group_members	GET	/auth/api/v1/users/business/{business_id}	U	POSTMAN:My Team/List Staff
auth	billing_subscription	delete?	DELETE	/auth/api/v1/billing/account/{account_id}/subscription	empty	POSTMAN:Settings/Businesses/Delete Business - Subscription (collection example on my.freshbooks.com host)
auth	applications	list	GET	/auth/api/v1/partners/applications	U-list	POSTMAN:Settings/Developer/Get all applications
auth	applications	create	POST	/auth/api/v1/partners/applications	U-one	POSTMAN:Settings/Developer/Create new application
auth	applications	update	PUT	/auth/api/v1/partners/applications/{client_id}	U-one	POSTMAN:Settings/Developer/Modify existing application
auth	team_members	list	GET	/auth/api/v1/businesses/{business_id}/team_members	U-list	POSTMAN:My Team/List Team Members; DOCS:team-members
auth	team_members	get	GET	/auth/api/v1/businesses/{business_id}/team_members/{team_member_uuid}	U-one	POSTMAN:My Team/Single Team Member
auth	invitations	create	POST	/auth/api/v1/users/invitation	U	POSTMAN:Projects/Invite Team Member to Project(s) (no example response)
oauth	oauth	other:authorize	GET	https://auth.freshbooks.com/oauth/authorize	redirect	PY; NODE; PHP; DOCS:get-authenticated-on-the-freshbooks-api
oauth	oauth	other:token_authorization_code	POST	https://api.freshbooks.com/auth/oauth/token	O	PY; NODE; PHP; DOCS:authentication
oauth	oauth	other:token_refresh	POST	https://api.freshbooks.com/auth/oauth/token	O	PY; NODE; PHP (grant_type=refresh_token)
oauth	oauth	other:revoke	POST	https://api.freshbooks.com/auth/oauth/revoke	O	POSTMAN:Authorization/Revoke Refresh Token (copy in Sujatha-SNN/Rest-PostmanWorkoutV2 FreshBooks.postman_collection.json)
payments	payment_options	other:defaults	GET	/payments/account/{account_id}/payment_options?entity_type=invoice	Y	PY; NODE; PHP
payments	payment_options	get	GET	/payments/account/{account_id}/invoice/{invoice_id}/payment_options	Y	PY; NODE; PHP
payments	payment_options	create	POST	/payments/account/{account_id}/invoice/{invoice_id}/payment_options	Y	PY; NODE; PHP; POSTMAN:Invoices/Enable Payment Options On Invoice; DOCS:online-payments
payments	payment_options	create	POST	/payments/account/{account_id}/invoice_profile/{id}/payment_options	Y	POSTMAN:Invoices/Invoice Recurring Template/Enable Payment Options On Invoice Profile
payments	checkout_links	create	POST	/payments/account/{account_id}/checkout-links	Y	POSTMAN:Invoices/Payments/Single Checkout Link (no example response)
payments	checkout_links	update	PUT	/payments/account/{account_id}/checkout-links/{id}	Y	POSTMAN:Invoices/Payments/Update Checkout Link
payments	checkout_links	delete	DELETE	/payments/account/{account_id}/checkout-links/{id}	empty	POSTMAN:Invoices/Payments/Delete Checkout Link
payments	checkout_links	other:payment_options	POST	/payments/account/{account_id}/checkout_link/{id}/payment_options	Y	POSTMAN:Invoices/Payments/Update Checkout Link Payment Gateway
payments	gateways	list	GET	/payments/account/{account_id}/gateway	Y	POSTMAN:Settings/Gateways/List Gateways + Settings/Businesses/Gateway Details + Tokenization/1a. [STRIPE] -  Get Publishable Key
payments	gateways	other:provision_fbpay	POST	/payments/account/{account_id}/gateway/fbpay	Y	POSTMAN:Settings/Businesses/Provision FreshBooks Payments (201)
payments	gateways	other:stripe_setup_intent	POST	/payments/account/{account_id}/gateway/stripe/credit-card/token	Y	POSTMAN:Tokenization/2. [STRIPE] - Create Setup Intent Using Payment Method Key
payments	credit_cards	create	POST	/payments/account/{account_id}/credit-card	Y	POSTMAN:Tokenization/2. [FBPAY] - Create Setup Intent Using Payment Method Key + Tokenization/3. [STRIPE] - Save Payment Method to Recurring Profile
payments	tokenization	other:fbpay_tokenize	POST	https://paid.freshbooks.com/gateway/fbpay/tokenize	Y	POSTMAN:Tokenization/1. [FBPAY] - Create Payment Method
payments	tokenization	other:stripe_payment_method	POST	https://paid.freshbooks.com/gateway/stripe/payment-method	Y	POSTMAN:Tokenization/1. [STRIPE] - Create Payment Method
uploads	images	create	POST	/uploads/account/{account_id}/images	F	PY; PHP; POSTMAN:Uploader/Upload Logo or Proposal Image (+ Invoices/Upload Logo, Expenses/Upload Receipt Image)
uploads	images	create	POST	/uploads/images	F	POSTMAN:Uploader/Upload Image Without AccountId + Settings/Developer/Upload App Logo
uploads	images	get	GET	/uploads/images/{jwt}	binary	PY; PHP
uploads	attachments	create	POST	/uploads/account/{account_id}/attachments	F	PY; PHP; POSTMAN:Uploader/Upload Expense Receipt
uploads	attachments	get	GET	/uploads/attachments/{jwt}	binary	PY; PHP
"""  # noqa: E501


def _parse_table(table: str) -> tuple[Endpoint, ...]:
    rows = []
    for line in table.splitlines():
        family, resource, operation, method, path, shape, source = line.split("\t")
        rows.append(
            Endpoint(
                family=Family(family),
                resource=resource,
                operation=operation,
                method=method,
                path=path,
                shape=Shape(shape),
                source=source,
            )
        )
    return tuple(rows)


_ENDPOINTS: tuple[Endpoint, ...] = _parse_table(_TABLE)

_ACC = "/accounting/account/{account_id}"
_BIZ_UUID = "/accounting/businesses/{business_uuid}"
_V, _D, _A = DeleteStyle.VIS_STATE, DeleteStyle.DELETE, DeleteStyle.ACTIVE_FALSE


def _acc(
    name: str,
    sub: str,
    singular: str,
    plural: str,
    *,
    deletes: tuple[DeleteStyle, ...] = (_V,),
    archivable: bool = True,
    item: str | None = "",
    id_field: str = "id",
    has_collection: bool = True,
) -> tuple[str, str, dict[str, object]]:
    collection = f"{_ACC}/{sub}"
    return (
        "accounting",
        name,
        {
            "scope": ScopeKind.ACCOUNT_ID,
            "collection_path": collection if has_collection else None,
            "item_path": (collection + "/{id}") if item == "" else item,
            "singular": singular,
            "plural": plural,
            "delete_styles": deletes,
            "archivable": archivable,
            "id_field": id_field,
        },
    )


def _biz(
    family: str,
    name: str,
    collection: str | None,
    item: str | None,
    singular: str,
    plural: str,
    *,
    deletes: tuple[DeleteStyle, ...] = (_D,),
    create: str | None = None,
    alt: tuple[str, ...] = (),
    scope: ScopeKind = ScopeKind.BUSINESS_ID,
    id_field: str = "id",
    archivable: bool = False,
) -> tuple[str, str, dict[str, object]]:
    return (
        family,
        name,
        {
            "scope": scope,
            "collection_path": collection,
            "item_path": item,
            "singular": singular,
            "plural": plural,
            "delete_styles": deletes,
            "create_path": create,
            "alt_item_paths": alt,
            "id_field": id_field,
            "archivable": archivable,
        },
    )


_P = "/projects/business/{business_id}"
_T = "/timetracking/business/{business_id}"
_C = "/comments/business/{business_id}"
_EV = "/events/account/{account_id}/events"
_PAY = "/payments/account/{account_id}"
_AUTH = "/auth/api/v1"
_NO_DELETE: tuple[DeleteStyle, ...] = ()

# Keys and delete verbs: PY client.py resource definitions and docs/protocol.rst,
# "Deletes and vis_state" (where sources disagree, every documented style is listed, the
# PY one first).
_SPEC_ROWS: tuple[tuple[str, str, dict[str, object]], ...] = (
    _acc("clients", "users/clients", "client", "clients"),
    _acc(
        "contacts",
        "users/contacts",
        "contact",
        "contacts",
        deletes=(_D,),
        archivable=False,
        item=f"{_ACC}/users/contacts/{{contact_id}}",
        id_field="contactid",
        has_collection=False,
    ),
    _acc("credit_notes", "credit_notes/credit_notes", "credit_note", "credit_notes"),
    _acc("estimates", "estimates/estimates", "estimate", "estimates", deletes=(_D, _V)),
    _acc("expenses", "expenses/expenses", "expense", "expenses"),
    _acc(
        "expense_profiles",
        "expense_profiles/expense_profiles",
        "expense_profile",
        "expense_profiles",
        deletes=_NO_DELETE,
        archivable=False,
        item=None,
    ),
    _acc(
        "expense_categories",
        "expenses/categories",
        "category",
        "categories",
        deletes=_NO_DELETE,
        archivable=False,
    ),
    _acc("invoices", "invoices/invoices", "invoice", "invoices", deletes=(_D, _V)),
    _acc(
        "invoice_profiles",
        "invoice_profiles/invoice_profiles",
        "invoice_profile",
        "invoice_profiles",
    ),
    _acc("items", "items/items", "item", "items"),
    _acc("payments", "payments/payments", "payment", "payments"),
    _acc(
        "other_income",
        "other_incomes/other_incomes",
        "other_income",
        "other_income",
        deletes=(_D, _V),
    ),
    _acc("taxes", "taxes/taxes", "tax", "taxes", deletes=(_D, _V), archivable=False),
    _acc("bills", "bills/bills", "bill", "bills"),
    _acc("bill_payments", "bill_payments/bill_payments", "bill_payment", "bill_payments"),
    _acc("bill_vendors", "bill_vendors/bill_vendors", "bill_vendor", "bill_vendors"),
    _acc("tasks", "projects/tasks", "task", "tasks"),
    _acc("staff", "users/staffs", "staff", "staffs", archivable=False),
    _acc(
        "systems",
        "systems/systems",
        "system",
        "systems",
        deletes=_NO_DELETE,
        archivable=False,
        has_collection=False,
    ),
    _acc("gateways", "systems/gateways", "gateway", "gateways", deletes=(_D,), archivable=False),
    _acc(
        "journal_entries",
        "journal_entries/journal_entries",
        "journal_entry",
        "journal_entries",
        deletes=_NO_DELETE,
        archivable=False,
        item=None,
    ),
    _acc(
        "journal_entry_details",
        "journal_entries/journal_entry_details",
        "journal_entry_detail",
        "journal_entry_details",
        deletes=_NO_DELETE,
        archivable=False,
        item=None,
    ),
    _acc(
        "journal_entry_accounts",
        "journal_entry_accounts/journal_entry_accounts",
        "journal_entry_account",
        "journal_entry_accounts",
        deletes=_NO_DELETE,
        archivable=False,
        item=None,
    ),
    _acc(
        "billable_items",
        "billable_items/billable_items",
        "billable_item",
        "billable_items",
        deletes=_NO_DELETE,
        archivable=False,
        item=f"{_ACC}/billable_items/{{id}}",
    ),
    _acc(
        "reports",
        "reports/accounting",
        "report",
        "reports",
        deletes=_NO_DELETE,
        archivable=False,
        item=f"{_ACC}/reports/accounting/{{report}}",
    ),
    _biz(
        "accounting-business",
        "ledger_accounts",
        f"{_BIZ_UUID}/ledger_accounts/accounts",
        f"{_BIZ_UUID}/ledger_accounts/accounts/{{account_uuid}}",
        "data",
        "data",
        deletes=_NO_DELETE,
        scope=ScopeKind.BUSINESS_UUID,
        id_field="uuid",
    ),
    _biz(
        "accounting-business",
        "ledger_account_types",
        "/accounting/ledger_accounts/types",
        None,
        "data",
        "data",
        deletes=_NO_DELETE,
        scope=ScopeKind.NONE,
    ),
    _biz(
        "accounting-business",
        "ledger_account_sub_types",
        "/accounting/ledger_accounts/sub_types",
        "/accounting/ledger_accounts/sub_types/{id}",
        "data",
        "data",
        deletes=_NO_DELETE,
        scope=ScopeKind.NONE,
    ),
    _biz(
        "accounting-business",
        "reports",
        f"{_BIZ_UUID}/reports",
        f"{_BIZ_UUID}/reports/{{report}}",
        "data",
        "data",
        deletes=_NO_DELETE,
        scope=ScopeKind.BUSINESS_UUID,
    ),
    _biz(
        "events",
        "callbacks",
        f"{_EV}/callbacks",
        f"{_EV}/callbacks/{{id}}",
        "callback",
        "callbacks",
        scope=ScopeKind.ACCOUNT_ID,
        id_field="callbackid",
    ),
    # /project/{id} (PY, NODE) and /projects/{id} (PHP, Postman): both documented.
    _biz(
        "projects",
        "projects",
        f"{_P}/projects",
        f"{_P}/project/{{id}}",
        "project",
        "projects",
        create=f"{_P}/project",
        alt=(f"{_P}/projects/{{id}}",),
    ),
    _biz(
        "timetracking",
        "time_entries",
        f"{_T}/time_entries",
        f"{_T}/time_entries/{{id}}",
        "time_entry",
        "time_entries",
    ),
    _biz(
        "comments",
        "services",
        f"{_C}/services",
        f"{_C}/service/{{id}}",
        "service",
        "services",
        create=f"{_C}/service",
    ),
    _biz(
        "comments",
        "service_rates",
        f"{_C}/service_rates",
        f"{_C}/service/{{service_id}}/rate",
        "service_rate",
        "service_rates",
        deletes=_NO_DELETE,
        create=f"{_C}/service/{{service_id}}/rate",
    ),
    _biz(
        "comments",
        "project_service_rates",
        None,
        f"{_C}/project/{{project_id}}/service/{{service_id}}/rate",
        "service_rate",
        "service_rates",
        deletes=_NO_DELETE,
    ),
    # Retainers: delete/undelete are PUT active=false/true (Postman, per the IRL reading).
    _biz(
        "comments",
        "retainers",
        f"{_C}/retainers",
        f"{_C}/retainer/{{id}}",
        "retainer",
        "retainers",
        deletes=(_A,),
    ),
    _biz(
        "comments",
        "team_member_rates",
        f"{_C}/team_member_rates",
        f"{_C}/team_member_rate/{{identity_id}}",
        "team_member_rate",
        "team_member_rates",
        deletes=_NO_DELETE,
        id_field="identity_id",
    ),
    _biz(
        "comments",
        "invitation_rates",
        f"{_C}/invitation_rates",
        None,
        "invitation_rate",
        "invitation_rates",
        deletes=_NO_DELETE,
    ),
    _biz(
        "comments",
        "project_threads",
        f"{_C}/project/{{project_id}}/threads",
        None,
        "thread",
        "threads",
        deletes=_NO_DELETE,
    ),
    _biz(
        "comments",
        "thread_comments",
        f"{_C}/threads/{{thread_id}}/comments",
        None,
        "comment",
        "comments",
        deletes=_NO_DELETE,
    ),
    _biz("comments", "projects", None, f"{_C}/project/{{id}}", "project", "projects"),
    _biz(
        "comments",
        "reports",
        None,
        f"{_C}/time_entries/search",
        "time_entries",
        "time_entries",
        deletes=_NO_DELETE,
    ),
    _biz(
        "auth",
        "identity",
        None,
        f"{_AUTH}/users/me",
        "response",
        "response",
        deletes=_NO_DELETE,
        scope=ScopeKind.NONE,
    ),
    _biz(
        "auth",
        "businesses",
        None,
        f"{_AUTH}/users/business/{{business_id}}",
        "business",
        "businesses",
        create=f"{_AUTH}/users/business",
    ),
    _biz(
        "auth",
        "billing_subscription",
        None,
        f"{_AUTH}/billing/account/{{account_id}}/subscription",
        "subscription",
        "subscriptions",
        scope=ScopeKind.ACCOUNT_ID,
    ),
    _biz(
        "auth",
        "applications",
        f"{_AUTH}/partners/applications",
        f"{_AUTH}/partners/applications/{{client_id}}",
        "application",
        "applications",
        deletes=_NO_DELETE,
        scope=ScopeKind.NONE,
        id_field="client_id",
    ),
    _biz(
        "auth",
        "team_members",
        f"{_AUTH}/businesses/{{business_id}}/team_members",
        f"{_AUTH}/businesses/{{business_id}}/team_members/{{team_member_uuid}}",
        "team_member",
        "team_members",
        deletes=_NO_DELETE,
        id_field="uuid",
    ),
    _biz(
        "auth",
        "invitations",
        None,
        None,
        "invitation",
        "invitations",
        deletes=_NO_DELETE,
        create=f"{_AUTH}/users/invitation",
        scope=ScopeKind.NONE,
    ),
    _biz("oauth", "oauth", None, None, "token", "tokens", deletes=_NO_DELETE, scope=ScopeKind.NONE),
    _biz(
        "payments",
        "payment_options",
        None,
        f"{_PAY}/invoice/{{invoice_id}}/payment_options",
        "payment_options",
        "payment_options",
        deletes=_NO_DELETE,
        scope=ScopeKind.ACCOUNT_ID,
        create=f"{_PAY}/invoice/{{invoice_id}}/payment_options",
    ),
    _biz(
        "payments",
        "checkout_links",
        None,
        f"{_PAY}/checkout-links/{{id}}",
        "checkout_link",
        "checkout_links",
        scope=ScopeKind.ACCOUNT_ID,
        create=f"{_PAY}/checkout-links",
    ),
    _biz(
        "payments",
        "gateways",
        f"{_PAY}/gateway",
        None,
        "gateway",
        "gateway_connections",
        deletes=_NO_DELETE,
        scope=ScopeKind.ACCOUNT_ID,
    ),
    _biz(
        "payments",
        "credit_cards",
        None,
        None,
        "credit_card",
        "credit_cards",
        deletes=_NO_DELETE,
        scope=ScopeKind.ACCOUNT_ID,
        create=f"{_PAY}/credit-card",
    ),
    _biz(
        "payments",
        "tokenization",
        None,
        None,
        "payment_method",
        "payment_methods",
        deletes=_NO_DELETE,
        scope=ScopeKind.NONE,
    ),
    _biz(
        "uploads",
        "images",
        None,
        "/uploads/images/{jwt}",
        "image",
        "images",
        deletes=_NO_DELETE,
        scope=ScopeKind.ACCOUNT_ID,
        create="/uploads/account/{account_id}/images",
        id_field="jwt",
    ),
    _biz(
        "uploads",
        "attachments",
        None,
        "/uploads/attachments/{jwt}",
        "attachment",
        "attachments",
        deletes=_NO_DELETE,
        scope=ScopeKind.ACCOUNT_ID,
        create="/uploads/account/{account_id}/attachments",
        id_field="jwt",
    ),
)


def _build_specs() -> dict[tuple[Family, str], ResourceSpec]:
    built: dict[tuple[Family, str], ResourceSpec] = {}
    for family_name, name, kwargs in _SPEC_ROWS:
        family = Family(family_name)
        ops = frozenset(e.op for e in _ENDPOINTS if e.family is family and e.resource == name)
        built[(family, name)] = ResourceSpec(
            name=name,
            family=family,
            operations=ops,
            **kwargs,  # type: ignore[arg-type]
        )
    return built


_SPECS: dict[tuple[Family, str], ResourceSpec] = _build_specs()
# By name: the families' specs of each resource name, in table order (``spec()`` is on
# every sandbox request's path; a scan of the whole table cost 10 us there).
_BY_NAME: dict[str, tuple[ResourceSpec, ...]] = {}
for (_family, _name), _spec in _SPECS.items():
    _BY_NAME[_name] = (*_BY_NAME.get(_name, ()), _spec)
del _family, _name, _spec


def _coerce_family(family: Family | str | None) -> Family | None:
    if family is None or isinstance(family, Family):
        return family
    if isinstance(family, str):
        try:
            return Family(family)
        except ValueError:
            raise ValueError(f"family: unknown family {family!r}") from None
    raise TypeError(f"family: expected Family or str, got {type(family).__name__}")


def spec(name: str, family: Family | str | None = None) -> ResourceSpec:
    """The :class:`ResourceSpec` of resource ``name``.

    Args:
        name: The resource name as in the endpoint table (``"invoices"``).
        family: Needed only when the name exists in several families (``"reports"``,
            ``"projects"``); a :class:`Family` or its value.

    Raises:
        TypeError: ``name`` is not a string.
        ValueError: No such resource, or the name is ambiguous without ``family``.
    """
    if not isinstance(name, str):
        raise TypeError(f"name: expected str, got {type(name).__name__}: {name!r}")
    fam = _coerce_family(family)
    matches = [s for s in _BY_NAME.get(name, ()) if fam is None or s.family is fam]
    if not matches:
        raise ValueError(f"name: unknown resource {name!r} (family={family!r})")
    if len(matches) > 1:
        families = sorted(s.family.value for s in matches)
        raise ValueError(f"name: {name!r} exists in families {families}; pass family=")
    return matches[0]


def resources(family: Family | str | None = None) -> tuple[ResourceSpec, ...]:
    """Every :class:`ResourceSpec`, optionally of one family, in table order."""
    fam = _coerce_family(family)
    return tuple(s for s in _SPECS.values() if fam is None or s.family is fam)


def endpoints(
    family: Family | str | None = None, resource: str | None = None
) -> tuple[Endpoint, ...]:
    """Every :class:`Endpoint` (one per table row), optionally filtered.

    Args:
        family: Keep only this family.
        resource: Keep only this resource name.
    """
    fam = _coerce_family(family)
    if resource is not None and not isinstance(resource, str):
        raise TypeError(f"resource: expected str, got {type(resource).__name__}")
    return tuple(
        e
        for e in _ENDPOINTS
        if (fam is None or e.family is fam) and (resource is None or e.resource == resource)
    )


def find_endpoint(
    resource: str, operation: str, family: Family | str | None = None
) -> tuple[Endpoint, ...]:
    """The endpoints of ``resource`` for ``operation`` (``?`` markers ignored).

    Several rows may match where sources disagree (the invoice delete verb).

    Raises:
        ValueError: Nothing matches.
    """
    if not isinstance(operation, str):
        raise TypeError(f"operation: expected str, got {type(operation).__name__}")
    found = tuple(e for e in endpoints(family, resource) if e.op == operation.rstrip("?"))
    if not found:
        raise ValueError(f"operation: no endpoint {resource!r}/{operation!r} ({family!r})")
    return found


def _check(items: Iterable[Endpoint]) -> None:
    # Every endpoint belongs to a spec (import-time self-check of this data).
    for e in items:
        if (e.family, e.resource) not in _SPECS:  # pragma: no cover - data error
            raise RuntimeError(f"no ResourceSpec for {e.family.value}/{e.resource}")


_check(_ENDPOINTS)
