"""Accounting resources scoped by ``account_id`` (``/accounting/account/{account_id}/...``).

Every namespace here is mounted on the client (``client.invoices``, ``client.clients``,
...). Scope arguments are typed: ``account_id`` is a ``str`` such as ``"ABC123"``; object
ids are positive ``int``. Lists take an optional :class:`~freshbooks_async.query.Query`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, TypedDict, TypeVar, Unpack

from .._catalogue import spec
from .._sansio import build_path
from ..bulk import BulkItem, BulkProgress, BulkResult, BulkSend, bulk_create_invoices
from ..coordination import account_slot
from ..errors import ResponseDecodeError
from ..models import decode
from ..models.billable_items import BillableItem, BillableItemCreate
from ..models.bills import (
    Bill,
    BillCreate,
    BillPayment,
    BillPaymentCreate,
    BillPaymentUpdate,
    BillUpdate,
    BillVendor,
    BillVendorCreate,
    BillVendorUpdate,
)
from ..models.clients import Client, ClientCreate, ClientUpdate, Contact, ContactUpdate
from ..models.credit_notes import CreditNote, CreditNoteCreate, CreditNoteUpdate
from ..models.estimates import Estimate, EstimateCreate, EstimateUpdate
from ..models.expenses import (
    Expense,
    ExpenseCategory,
    ExpenseCategoryCreate,
    ExpenseCreate,
    ExpenseProfile,
    ExpenseProfileCreate,
    ExpenseSummary,
    ExpenseUpdate,
    ExpenseVendor,
)
from ..models.invoice_profiles import InvoiceProfile, InvoiceProfileCreate, InvoiceProfileUpdate
from ..models.invoices import Invoice, InvoiceCreate, InvoiceUpdate
from ..models.items import Item, ItemCreate, ItemUpdate
from ..models.journal_entries import (
    JournalEntry,
    JournalEntryAccount,
    JournalEntryCreate,
    JournalEntryDetail,
)
from ..models.kwargs import (
    BillableItemCreateKwargs,
    BillCreateKwargs,
    BillPaymentCreateKwargs,
    BillPaymentUpdateKwargs,
    BillUpdateKwargs,
    BillVendorCreateKwargs,
    BillVendorUpdateKwargs,
    ClientCreateKwargs,
    ClientUpdateKwargs,
    ContactUpdateKwargs,
    CreditNoteCreateKwargs,
    CreditNoteUpdateKwargs,
    EstimateCreateKwargs,
    EstimateUpdateKwargs,
    ExpenseCategoryCreateKwargs,
    ExpenseCreateKwargs,
    ExpenseProfileCreateKwargs,
    ExpenseUpdateKwargs,
    InvoiceCreateKwargs,
    InvoiceProfileCreateKwargs,
    InvoiceProfileUpdateKwargs,
    InvoiceUpdateKwargs,
    ItemCreateKwargs,
    ItemUpdateKwargs,
    JournalEntryCreateKwargs,
    OtherIncomeCreateKwargs,
    OtherIncomeUpdateKwargs,
    PaymentCreateKwargs,
    PaymentUpdateKwargs,
    StaffUpdateKwargs,
    TaskCreateKwargs,
    TaskUpdateKwargs,
    TaxCreateKwargs,
    TaxUpdateKwargs,
)
from ..models.other_income import OtherIncome, OtherIncomeCreate, OtherIncomeUpdate
from ..models.payments import Payment, PaymentCreate, PaymentUpdate
from ..models.staff import Staff, StaffUpdate
from ..models.systems import Gateway, System
from ..models.tasks import Task, TaskCreate, TaskUpdate
from ..models.taxes import Tax, TaxCreate, TaxUpdate
from ..pagination import MAX_PER_PAGE, Page, page_from_response
from ..query import Query
from ._base import (
    AccountArchive,
    AccountCreate,
    AccountDelete,
    AccountGet,
    AccountList,
    AccountUpdate,
    JSONObject,
    Resource,
    check_id,
    scope_account,
)

__all__ = [
    "BillPayments",
    "BillVendors",
    "BillableItems",
    "Bills",
    "BulkCreateOptions",
    "Clients",
    "Contacts",
    "CreditNotes",
    "Estimates",
    "ExpenseCategories",
    "ExpenseProfiles",
    "Expenses",
    "Gateways",
    "InvoiceProfiles",
    "Invoices",
    "Items",
    "JournalEntries",
    "JournalEntryAccounts",
    "JournalEntryDetails",
    "OtherIncomes",
    "Payments",
    "Staffs",
    "Systems",
    "Tasks",
    "Taxes",
]

M = TypeVar("M")


class BulkCreateOptions(TypedDict, total=False):
    """The options of :meth:`Invoices.bulk_create`: the keyword arguments of
    :func:`~freshbooks_async.bulk.bulk_create_invoices` (documented there)."""

    concurrency: int
    numbering: Literal["server", "client"]
    max_attempts: int
    on_progress: Callable[[BulkProgress], object] | None
    on_item: Callable[[BulkItem[Invoice]], object] | None
    reference_field: str | None
    backoff_base: float | None
    backoff_max: float
    reconcile_delay: float
    stop: asyncio.Event | None
    deadline: float | None
    on_send: Callable[[BulkSend], object] | None
    references: Sequence[str] | None
    in_doubt: Mapping[int, BulkSend] | None
    claimed_ids: Iterable[int]
    post_unresolved: bool


def _recipients(recipients: object) -> list[str]:
    if isinstance(recipients, str) or not isinstance(recipients, Iterable):
        raise TypeError(f"recipients: expected a list of e-mail addresses, got {recipients!r}")
    out = list(recipients)
    if not out:
        raise ValueError("recipients: at least one e-mail address is required")
    for address in out:
        if not isinstance(address, str) or "@" not in address or address != address.strip():
            raise ValueError(f"recipients: not an e-mail address: {address!r}")
    return out


def _optional_str(name: str, value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name}: expected str or None, got {type(value).__name__}: {value!r}")
    return value


def _email_action(
    recipients: object, subject: object, body: object, include_pdf: object
) -> JSONObject:
    action: JSONObject = {"action_email": True, "email_recipients": _recipients(recipients)}
    if include_pdf is not None:
        if not isinstance(include_pdf, bool):
            raise TypeError(f"include_pdf: expected bool or None, got {include_pdf!r}")
        action["email_include_pdf"] = include_pdf
    subject_text = _optional_str("subject", subject)
    body_text = _optional_str("body", body)
    if subject_text is not None or body_text is not None:
        custom: JSONObject = {}
        if subject_text is not None:
            custom["subject"] = subject_text
        if body_text is not None:
            custom["body"] = body_text
        action["invoice_customized_email"] = custom
    return action


class Clients(
    AccountList[Client],
    AccountGet[Client],
    AccountCreate[Client, ClientCreate],
    AccountUpdate[Client, ClientUpdate],
    AccountDelete[Client],
    AccountArchive[Client],
):
    """Clients: https://www.freshbooks.com/api/clients (soft delete, see docs/protocol.rst,
    "Deletes and vis_state")."""

    __slots__ = ()
    _spec = spec("clients")
    _model = Client
    _create_model = ClientCreate
    _update_model = ClientUpdate
    _doc_slug = "clients"

    async def create(
        self,
        account_id: str,
        data: ClientCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[ClientCreateKwargs],
    ) -> Client:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.ClientCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.ClientCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)

    async def update(
        self,
        account_id: str,
        id: int,
        data: ClientUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[ClientUpdateKwargs],
    ) -> Client:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.ClientUpdateKwargs`).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)

    async def remove_all_secondary_contacts(self, account_id: str, id: int) -> Client:
        """Remove every secondary contact of a client (``PUT {"client": {"contacts": []}}``).

        https://www.freshbooks.com/api/clients
        """
        # Postman: Clients/Remove All Secondary Contacts sends an empty contacts list.
        return await self._call_one(
            "PUT",
            self._item({**scope_account(account_id), "id": check_id(id)}),
            body={"client": {"contacts": []}},
        )


class Contacts(Resource[Contact]):
    """Secondary contacts of clients: https://www.freshbooks.com/api/clients."""

    __slots__ = ()
    _spec = spec("contacts")
    _model = Contact
    _update_model = ContactUpdate
    _doc_slug = "clients"

    async def update(
        self,
        account_id: str,
        contact_id: int,
        data: ContactUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[ContactUpdateKwargs],
    ) -> Contact:
        """Change a secondary contact (Postman: Clients/Edit Secondary Contact)."""
        ids = {**scope_account(account_id), "contact_id": check_id(contact_id, "contact_id")}
        return await self._update(ids, data, fields)

    async def delete(self, account_id: str, contact_id: int) -> None:
        """Delete a secondary contact (``DELETE``; Postman: Clients/Delete Secondary Contact)."""
        await self._delete(
            {**scope_account(account_id), "contact_id": check_id(contact_id, "contact_id")}
        )


class CreditNotes(
    AccountList[CreditNote],
    AccountGet[CreditNote],
    AccountCreate[CreditNote, CreditNoteCreate],
    AccountUpdate[CreditNote, CreditNoteUpdate],
    AccountDelete[CreditNote],
    AccountArchive[CreditNote],
):
    """Credit notes: https://www.freshbooks.com/api/credit_notes."""

    __slots__ = ()
    _spec = spec("credit_notes")
    _model = CreditNote
    _create_model = CreditNoteCreate
    _update_model = CreditNoteUpdate
    _doc_slug = "credit_notes"

    async def create(
        self,
        account_id: str,
        data: CreditNoteCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[CreditNoteCreateKwargs],
    ) -> CreditNote:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.CreditNoteCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.CreditNoteCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)

    async def update(
        self,
        account_id: str,
        id: int,
        data: CreditNoteUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[CreditNoteUpdateKwargs],
    ) -> CreditNote:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.CreditNoteUpdateKwargs`).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)


class Estimates(
    AccountList[Estimate],
    AccountGet[Estimate],
    AccountCreate[Estimate, EstimateCreate],
    AccountUpdate[Estimate, EstimateUpdate],
    AccountDelete[Estimate],
    AccountArchive[Estimate],
):
    """Estimates: https://www.freshbooks.com/api/estimates.

    ``delete`` sends HTTP ``DELETE`` (PY ``delete_via_update=False``; Postman sends
    ``PUT vis_state=1`` instead: docs/protocol.rst, "Deletes and vis_state").
    """

    __slots__ = ()
    _spec = spec("estimates")
    _model = Estimate
    _create_model = EstimateCreate
    _update_model = EstimateUpdate
    _doc_slug = "estimates"

    async def create(
        self,
        account_id: str,
        data: EstimateCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[EstimateCreateKwargs],
    ) -> Estimate:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.EstimateCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.EstimateCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)

    async def update(
        self,
        account_id: str,
        id: int,
        data: EstimateUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[EstimateUpdateKwargs],
    ) -> Estimate:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.EstimateUpdateKwargs`).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)

    async def accept(self, account_id: str, id: int) -> Estimate:
        """Mark an estimate accepted (``{"estimate": {"action_accept": true}}``).

        Not retried when the request may have been processed.
        https://www.freshbooks.com/api/estimates
        """
        # Postman: Estimates/Accept Estimate.
        return await self._action(
            {**scope_account(account_id), "id": check_id(id)}, {"action_accept": True}
        )

    async def send_by_email(
        self,
        account_id: str,
        id: int,
        recipients: Sequence[str],
        *,
        subject: str | None = None,
        body: str | None = None,
        include_pdf: bool | None = None,
    ) -> Estimate:
        """E-mail an estimate (``action_email`` with ``email_recipients``).

        Not retried when the request may have been processed (it would e-mail twice).
        https://www.freshbooks.com/api/estimates

        Raises:
            ValueError: ``recipients`` is empty or holds a non-address.
        """
        # Postman: Estimates/Send Estimate by Email.
        action = _email_action(recipients, subject, body, include_pdf)
        return await self._action({**scope_account(account_id), "id": check_id(id)}, action)


class Expenses(
    AccountList[Expense],
    AccountGet[Expense],
    AccountCreate[Expense, ExpenseCreate],
    AccountUpdate[Expense, ExpenseUpdate],
    AccountDelete[Expense],
    AccountArchive[Expense],
):
    """Expenses: https://www.freshbooks.com/api/expenses."""

    __slots__ = ()
    _spec = spec("expenses")
    _model = Expense
    _create_model = ExpenseCreate
    _update_model = ExpenseUpdate
    _doc_slug = "expenses"

    async def create(
        self,
        account_id: str,
        data: ExpenseCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[ExpenseCreateKwargs],
    ) -> Expense:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.ExpenseCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.ExpenseCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)

    async def update(
        self,
        account_id: str,
        id: int,
        data: ExpenseUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[ExpenseUpdateKwargs],
    ) -> Expense:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.ExpenseUpdateKwargs`).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)

    async def summaries(self, account_id: str, *, query: Query | None = None) -> ExpenseSummary:
        """Expense totals (Postman: Expenses/Expense Summaries).

        https://www.freshbooks.com/api/expenses
        """
        path = self._client_path(account_id, "summaries")
        response = await self._call_raw("GET", path, params=self._params(query))
        data = response.data
        if isinstance(data, dict) and isinstance(data.get("expense_summary"), dict):
            data = data["expense_summary"]
        with response._secrets.guard():
            return _decode(ExpenseSummary, data)

    async def vendors(
        self, account_id: str, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[ExpenseVendor]:
        """Vendors named on expenses (Postman: Expenses/Expense Vendors; no example response).

        https://www.freshbooks.com/api/expenses
        """
        path = self._client_path(account_id, "vendors")
        response = await self._call_raw(
            "GET", path, params=[("page", page), ("per_page", per_page)]
        )
        return page_from_response(
            response,
            lambda item: _decode(ExpenseVendor, item),
            page=page,
            per_page=per_page,
        )

    def _client_path(self, account_id: str, leaf: str) -> str:
        return build_path(
            "/accounting/account/{account_id}/expenses/" + leaf,
            **scope_account(account_id),
        )


def _decode(model: type[M], data: Any) -> M:
    return decode(model, data)


class ExpenseProfiles(AccountCreate[ExpenseProfile, ExpenseProfileCreate]):
    """Recurring expense profiles (create only; Postman: Expenses/Create Recurring Expense)."""

    __slots__ = ()
    _spec = spec("expense_profiles")
    _model = ExpenseProfile
    _create_model = ExpenseProfileCreate
    _doc_slug = "expenses"

    async def create(
        self,
        account_id: str,
        data: ExpenseProfileCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[ExpenseProfileCreateKwargs],
    ) -> ExpenseProfile:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.ExpenseProfileCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.ExpenseProfileCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)


class ExpenseCategories(
    AccountList[ExpenseCategory],
    AccountGet[ExpenseCategory],
    AccountCreate[ExpenseCategory, ExpenseCategoryCreate],
):
    """Expense categories: https://www.freshbooks.com/api/expense_categories.

    ``create`` is in the Postman collection only (PY/PHP say unsupported: docs/protocol.rst,
    "What remains uncertain").
    """

    __slots__ = ()
    _spec = spec("expense_categories")
    _model = ExpenseCategory
    _create_model = ExpenseCategoryCreate
    _doc_slug = "expense_categories"

    async def create(
        self,
        account_id: str,
        data: ExpenseCategoryCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[ExpenseCategoryCreateKwargs],
    ) -> ExpenseCategory:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.ExpenseCategoryCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.ExpenseCategoryCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)


class Invoices(
    AccountList[Invoice],
    AccountGet[Invoice],
    AccountCreate[Invoice, InvoiceCreate],
    AccountUpdate[Invoice, InvoiceUpdate],
    AccountDelete[Invoice],
    AccountArchive[Invoice],
):
    """Invoices: https://www.freshbooks.com/api/invoices.

    ``delete`` sends HTTP ``DELETE``, as the invoices docs page shows (PY, PHP;
    docs/protocol.rst, "Deletes and vis_state").
    A create whose invoice number collides raises
    :class:`~freshbooks_async.errors.InvoiceNumberConflictError` (409; never retried).
    """

    __slots__ = ()
    _spec = spec("invoices")
    _model = Invoice
    _create_model = InvoiceCreate
    _update_model = InvoiceUpdate
    _doc_slug = "invoices"

    async def create(
        self,
        account_id: str,
        data: InvoiceCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[InvoiceCreateKwargs],
    ) -> Invoice:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.InvoiceCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.InvoiceCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)

    async def update(
        self,
        account_id: str,
        id: int,
        data: InvoiceUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[InvoiceUpdateKwargs],
    ) -> Invoice:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.InvoiceUpdateKwargs`).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)

    async def _create(
        self, ids: Mapping[str, object], data: object, fields: Mapping[str, Any], path: str = ""
    ) -> Invoice:
        client = self._client
        account_id = str(ids["account_id"])
        async with account_slot(client.coordinator, account_id, client.per_account_concurrency):
            return await super()._create(ids, data, fields, path)

    async def mark_as_sent(self, account_id: str, id: int) -> Invoice:
        """Mark an invoice sent without e-mailing it (``action_mark_as_sent``).

        Not retried when the request may have been processed.
        https://www.freshbooks.com/api/invoices
        """
        # Invoices docs page, "Mark Invoice As Sent" (docs/protocol.rst, "Invoices").
        return await self._action(
            {**scope_account(account_id), "id": check_id(id)}, {"action_mark_as_sent": True}
        )

    async def send_by_email(
        self,
        account_id: str,
        id: int,
        recipients: Sequence[str],
        *,
        subject: str | None = None,
        body: str | None = None,
        include_pdf: bool | None = None,
    ) -> Invoice:
        """E-mail an invoice (``action_email``, ``email_recipients``,
        ``invoice_customized_email``).

        Not retried when the request may have been processed (it would e-mail twice).
        https://www.freshbooks.com/api/invoices

        Raises:
            ValueError: ``recipients`` is empty or holds a non-address.
        """
        # Invoices docs page, "Send Invoice By Email" (docs/protocol.rst, "Invoices").
        action = _email_action(recipients, subject, body, include_pdf)
        return await self._action({**scope_account(account_id), "id": check_id(id)}, action)

    async def share_link(
        self, account_id: str, id: int, *, share_method: str = "share_link"
    ) -> str:
        """The public link of a sent invoice (``GET .../share_link?share_method=...``).

        https://www.freshbooks.com/api/invoices

        Args:
            account_id: The accounting account id.
            id: The invoice id.
            share_method: ``"share_link"`` or ``"share_pdf"`` (Postman:  Share Link + Share PDF).
        """
        if share_method not in ("share_link", "share_pdf"):
            raise ValueError(
                f"share_method: expected 'share_link' or 'share_pdf', got {share_method!r}"
            )
        path = self._item({**scope_account(account_id), "id": check_id(id)}) + "/share_link"
        response = await self._call_raw("GET", path, params=[("share_method", share_method)])
        data = self._unwrap(response, "share_link")
        link = data.get("share_link") if isinstance(data, dict) else None
        if not isinstance(link, str):
            raise ResponseDecodeError(
                "expected share_link.share_link to be a URL string",
                status=response.status,
                body=response.content,
            )
        return link

    async def pdf(self, account_id: str, id: int) -> bytes:
        """The invoice as a PDF document (the raw bytes).

        https://www.freshbooks.com/api/invoices
        """
        # Postman: Invoices/Download Invoice PDF: binary body.
        path = self._item({**scope_account(account_id), "id": check_id(id)}) + "/pdf"
        response = await self._call_raw("GET", path, expect="bytes")
        return response.content

    async def presentation_defaults(self, account_id: str) -> JSONObject:
        """The account's default invoice presentation styles.

        https://www.freshbooks.com/api/invoices
        """
        # Postman: Invoices/Get default invoice presentation styles (shape A: free-form).
        path = self._collection(scope_account(account_id)).rsplit("/", 1)[0] + "/presentations"
        response = await self._call_raw("GET", path)
        data = response.data
        return dict(data) if isinstance(data, dict) else {"result": data}

    async def bulk_create(
        self,
        account_id: str,
        drafts: Iterable[InvoiceCreate | Mapping[str, Any]],
        **options: Unpack[BulkCreateOptions],
    ) -> BulkResult[Invoice]:
        """Create many invoices concurrently, accounting for every draft.

        Delegates to :func:`freshbooks_async.bulk.bulk_create_invoices`; ``options`` are
        its keyword arguments (typed: :class:`BulkCreateOptions`, so
        ``concurency=8`` or ``numbering="clinet"`` is a type error). Creates share the
        account's slots in the client's coordinator.
        """
        return await bulk_create_invoices(self._client, account_id, drafts, **options)


class InvoiceProfiles(
    AccountList[InvoiceProfile],
    AccountGet[InvoiceProfile],
    AccountCreate[InvoiceProfile, InvoiceProfileCreate],
    AccountUpdate[InvoiceProfile, InvoiceProfileUpdate],
    AccountDelete[InvoiceProfile],
    AccountArchive[InvoiceProfile],
):
    """Recurring invoice templates: https://www.freshbooks.com/api/invoice_profiles."""

    __slots__ = ()
    _spec = spec("invoice_profiles")
    _model = InvoiceProfile
    _create_model = InvoiceProfileCreate
    _update_model = InvoiceProfileUpdate
    _doc_slug = "invoice_profiles"

    async def create(
        self,
        account_id: str,
        data: InvoiceProfileCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[InvoiceProfileCreateKwargs],
    ) -> InvoiceProfile:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.InvoiceProfileCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.InvoiceProfileCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)

    async def update(
        self,
        account_id: str,
        id: int,
        data: InvoiceProfileUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[InvoiceProfileUpdateKwargs],
    ) -> InvoiceProfile:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.InvoiceProfileUpdateKwargs`).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)


class Items(
    AccountList[Item],
    AccountGet[Item],
    AccountCreate[Item, ItemCreate],
    AccountUpdate[Item, ItemUpdate],
    AccountDelete[Item],
    AccountArchive[Item],
):
    """Items: https://www.freshbooks.com/api/items."""

    __slots__ = ()
    _spec = spec("items")
    _model = Item
    _create_model = ItemCreate
    _update_model = ItemUpdate
    _doc_slug = "items"

    async def create(
        self,
        account_id: str,
        data: ItemCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[ItemCreateKwargs],
    ) -> Item:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.ItemCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.ItemCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)

    async def update(
        self,
        account_id: str,
        id: int,
        data: ItemUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[ItemUpdateKwargs],
    ) -> Item:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.ItemUpdateKwargs`).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)


class Payments(
    AccountList[Payment],
    AccountGet[Payment],
    AccountCreate[Payment, PaymentCreate],
    AccountUpdate[Payment, PaymentUpdate],
    AccountDelete[Payment],
    AccountArchive[Payment],
):
    """Invoice payments: https://www.freshbooks.com/api/payments."""

    __slots__ = ()
    _spec = spec("payments", "accounting")
    _model = Payment
    _create_model = PaymentCreate
    _update_model = PaymentUpdate
    _doc_slug = "payments"

    async def create(
        self,
        account_id: str,
        data: PaymentCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[PaymentCreateKwargs],
    ) -> Payment:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.PaymentCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.PaymentCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)

    async def update(
        self,
        account_id: str,
        id: int,
        data: PaymentUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[PaymentUpdateKwargs],
    ) -> Payment:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.PaymentUpdateKwargs`).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)


class OtherIncomes(
    AccountList[OtherIncome],
    AccountGet[OtherIncome],
    AccountCreate[OtherIncome, OtherIncomeCreate],
    AccountUpdate[OtherIncome, OtherIncomeUpdate],
    AccountDelete[OtherIncome],
    AccountArchive[OtherIncome],
):
    """Other income: https://www.freshbooks.com/api/other_income.

    ``delete`` sends HTTP ``DELETE`` (PY, NODE; docs/protocol.rst, "Deletes and vis_state").
    """

    __slots__ = ()
    _spec = spec("other_income")
    _model = OtherIncome
    _create_model = OtherIncomeCreate
    _update_model = OtherIncomeUpdate
    _doc_slug = "other_income"

    async def create(
        self,
        account_id: str,
        data: OtherIncomeCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[OtherIncomeCreateKwargs],
    ) -> OtherIncome:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.OtherIncomeCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.OtherIncomeCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)

    async def update(
        self,
        account_id: str,
        id: int,
        data: OtherIncomeUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[OtherIncomeUpdateKwargs],
    ) -> OtherIncome:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.OtherIncomeUpdateKwargs`).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)


class Taxes(
    AccountList[Tax],
    AccountGet[Tax],
    AccountCreate[Tax, TaxCreate],
    AccountUpdate[Tax, TaxUpdate],
    AccountDelete[Tax],
):
    """Taxes: https://www.freshbooks.com/api/taxes (``delete`` is HTTP ``DELETE``, PY)."""

    __slots__ = ()
    _spec = spec("taxes")
    _model = Tax
    _create_model = TaxCreate
    _update_model = TaxUpdate
    _doc_slug = "taxes"

    async def create(
        self,
        account_id: str,
        data: TaxCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[TaxCreateKwargs],
    ) -> Tax:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.TaxCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.TaxCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)

    async def update(
        self,
        account_id: str,
        id: int,
        data: TaxUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[TaxUpdateKwargs],
    ) -> Tax:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.TaxUpdateKwargs`).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)


class Bills(
    AccountList[Bill],
    AccountGet[Bill],
    AccountCreate[Bill, BillCreate],
    AccountUpdate[Bill, BillUpdate],
    AccountDelete[Bill],
    AccountArchive[Bill],
):
    """Bills: https://www.freshbooks.com/api/bills (archive: NODE, PM "Archive Bill")."""

    __slots__ = ()
    _spec = spec("bills")
    _model = Bill
    _create_model = BillCreate
    _update_model = BillUpdate
    _doc_slug = "bills"

    async def create(
        self,
        account_id: str,
        data: BillCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[BillCreateKwargs],
    ) -> Bill:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.BillCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.BillCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)

    async def update(
        self,
        account_id: str,
        id: int,
        data: BillUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[BillUpdateKwargs],
    ) -> Bill:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.BillUpdateKwargs`).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)


class BillPayments(
    AccountList[BillPayment],
    AccountGet[BillPayment],
    AccountCreate[BillPayment, BillPaymentCreate],
    AccountUpdate[BillPayment, BillPaymentUpdate],
    AccountDelete[BillPayment],
    AccountArchive[BillPayment],
):
    """Bill payments: https://www.freshbooks.com/api/bill_payments."""

    __slots__ = ()
    _spec = spec("bill_payments")
    _model = BillPayment
    _create_model = BillPaymentCreate
    _update_model = BillPaymentUpdate
    _doc_slug = "bill_payments"

    async def create(
        self,
        account_id: str,
        data: BillPaymentCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[BillPaymentCreateKwargs],
    ) -> BillPayment:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.BillPaymentCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.BillPaymentCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)

    async def update(
        self,
        account_id: str,
        id: int,
        data: BillPaymentUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[BillPaymentUpdateKwargs],
    ) -> BillPayment:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.BillPaymentUpdateKwargs`).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)


class BillVendors(
    AccountList[BillVendor],
    AccountGet[BillVendor],
    AccountCreate[BillVendor, BillVendorCreate],
    AccountUpdate[BillVendor, BillVendorUpdate],
    AccountDelete[BillVendor],
    AccountArchive[BillVendor],
):
    """Bill vendors: https://www.freshbooks.com/api/bill_vendors."""

    __slots__ = ()
    _spec = spec("bill_vendors")
    _model = BillVendor
    _create_model = BillVendorCreate
    _update_model = BillVendorUpdate
    _doc_slug = "bill_vendors"

    async def create(
        self,
        account_id: str,
        data: BillVendorCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[BillVendorCreateKwargs],
    ) -> BillVendor:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.BillVendorCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.BillVendorCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)

    async def update(
        self,
        account_id: str,
        id: int,
        data: BillVendorUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[BillVendorUpdateKwargs],
    ) -> BillVendor:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.BillVendorUpdateKwargs`).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)


class Tasks(
    AccountList[Task],
    AccountGet[Task],
    AccountCreate[Task, TaskCreate],
    AccountUpdate[Task, TaskUpdate],
    AccountDelete[Task],
    AccountArchive[Task],
):
    """Tasks: https://www.freshbooks.com/api/task."""

    __slots__ = ()
    _spec = spec("tasks")
    _model = Task
    _create_model = TaskCreate
    _update_model = TaskUpdate
    _doc_slug = "task"

    async def create(
        self,
        account_id: str,
        data: TaskCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[TaskCreateKwargs],
    ) -> Task:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.TaskCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.TaskCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)

    async def update(
        self,
        account_id: str,
        id: int,
        data: TaskUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[TaskUpdateKwargs],
    ) -> Task:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.TaskUpdateKwargs`).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)


class Staffs(
    AccountList[Staff],
    AccountGet[Staff],
    AccountUpdate[Staff, StaffUpdate],
    AccountDelete[Staff],
):
    """Staff: https://www.freshbooks.com/api/staff (no create: invite team members)."""

    __slots__ = ()
    _spec = spec("staff")
    _model = Staff
    _update_model = StaffUpdate
    _doc_slug = "staff"

    async def update(
        self,
        account_id: str,
        id: int,
        data: StaffUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[StaffUpdateKwargs],
    ) -> Staff:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.StaffUpdateKwargs`).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)


class Systems(AccountGet[System]):
    """Account systems: https://www.freshbooks.com/api/systems.

    The id is a system id (IRL passes the business id: docs/protocol.rst, "What remains
    uncertain").
    """

    __slots__ = ()
    _spec = spec("systems")
    _model = System
    _doc_slug = "systems"


class Gateways(AccountList[Gateway], AccountDelete[Gateway]):
    """Payment gateways of the account (``/systems/gateways``): https://www.freshbooks.com/api/gateways."""

    __slots__ = ()
    _spec = spec("gateways", "accounting")
    _model = Gateway
    _doc_slug = "gateways"


class JournalEntries(AccountCreate[JournalEntry, JournalEntryCreate]):
    """Manual journal entries (create only): https://www.freshbooks.com/api/journal_entries."""

    __slots__ = ()
    _spec = spec("journal_entries")
    _model = JournalEntry
    _create_model = JournalEntryCreate
    _doc_slug = "journal_entries"

    async def create(
        self,
        account_id: str,
        data: JournalEntryCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[JournalEntryCreateKwargs],
    ) -> JournalEntry:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.JournalEntryCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.JournalEntryCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)


class JournalEntryDetails(AccountList[JournalEntryDetail]):
    """Journal entry lines: https://www.freshbooks.com/api/journal_entry_details."""

    __slots__ = ()
    _spec = spec("journal_entry_details")
    _model = JournalEntryDetail
    _doc_slug = "journal_entry_details"


class JournalEntryAccounts(AccountList[JournalEntryAccount]):
    """Accounts usable in journal entries: https://www.freshbooks.com/api/journal_entry_accounts."""

    __slots__ = ()
    _spec = spec("journal_entry_accounts")
    _model = JournalEntryAccount
    _doc_slug = "journal_entry_accounts"


class BillableItems(AccountGet[BillableItem], AccountCreate[BillableItem, BillableItemCreate]):
    """Services as billable items (Postman: Settings/Items and Services).

    The item path ``/billable_items/{id}`` is as transcribed by IRL (docs/protocol.rst,
    "What remains uncertain").
    """

    __slots__ = ()
    _spec = spec("billable_items")
    _model = BillableItem
    _create_model = BillableItemCreate
    _doc_slug = "items"

    async def create(
        self,
        account_id: str,
        data: BillableItemCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[BillableItemCreateKwargs],
    ) -> BillableItem:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.BillableItemCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.BillableItemCreateKwargs`).

        Args:
            account_id: The accounting account id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)
