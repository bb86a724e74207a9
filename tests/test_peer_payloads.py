"""Every real FreshBooks body written by other people, through the typed client method of
its endpoint.

The 216 bodies (live captures and the official Node, PHP and Java SDKs' test fixtures;
tests/fixtures/peer-payloads/README.md) are served by a MockTransport with their HTTP
status. A success body must decode with the right Python types (Money and Decimal where
FreshBooks sends money and decimal strings, aware datetimes, ints) and encode back to
exactly the JSON it came from; an error body must raise the exception of its status with
the body's errno and message.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Awaitable, Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from freshbooks_async import FreshBooksClient
from freshbooks_async.auth import OAuth2Session, Token
from freshbooks_async.errors import (
    APIError,
    AuthenticationError,
    InvalidGrantError,
    ModelDataWarning,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnprocessableEntityError,
    ValidationError,
)
from freshbooks_async.models import (
    UNSET,
    DateTimeFormat,
    Model,
    Money,
    TokenResponse,
    decode,
    encode,
)
from freshbooks_async.models._fields import plans_for
from freshbooks_async.pagination import Page
from freshbooks_async.retry import RetryPolicy
from freshbooks_async.testing import MockTransport
from freshbooks_async.transports import Request, Response
from freshbooks_async.uploads import Upload
from freshbooks_async.webhooks import Callback, CallbackPage

PEER = Path(__file__).parent / "fixtures" / "peer-payloads"

A = "ABC123"  # account id
B = 12345  # business id
U = "6f2d2c39-3b0f-4b5e-8a8e-6a4e2e1b5c11"  # business uuid
ID = 218192
DAY = dt.date(2024, 1, 5)
WHEN = dt.datetime(2024, 1, 5, 9, 30, tzinfo=dt.UTC)


def _manifest() -> dict[str, tuple[str, int]]:
    with (PEER / "MANIFEST.tsv").open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return {row["file"]: (row["endpoint_resource"], int(row["http_status"])) for row in rows}


MANIFEST = _manifest()

#: Error bodies whose source did not record their status (the manifest says 200): served
#: with the status the source's own test uses (Java: ``buildMockHttpRequest(404|401)``)
#: or the capture recorded (the 422 of a bare ``updated_since`` filter).
STATUS = {
    "infiniteroomlabs/seed_auth_error_401.json": 401,
    "infiniteroomlabs/seed_time_entries_error_422_bare_filter.json": 422,
    "java-sdk/auth_response__no_auth.json": 401,
    "java-sdk/get_client_response__no_auth.json": 401,
    "java-sdk/get_client_response__not_found_new.json": 404,
    "java-sdk/get_client_response__not_found_old.json": 404,
}

# ----------------------------------------------------------------------------- the calls

Call = Callable[[FreshBooksClient], Awaitable[Any]]


async def _token(fb: FreshBooksClient) -> Token:
    session = OAuth2Session("app-id", "app-secret", "https://app.example/callback")
    session.attach(fb)
    return await session.exchange_code("the-code")


CALLS: dict[str, Call] = {
    # accounting
    "bill_payments.create": lambda fb: fb.bill_payments.create(
        A, billid=1, amount=Money(amount="10.00", code="USD"), paid_date=DAY
    ),
    "bill_payments.get": lambda fb: fb.bill_payments.get(A, 122334455),
    "bill_payments.list": lambda fb: fb.bill_payments.list(A),
    "bill_payments.update": lambda fb: fb.bill_payments.update(A, 122334455, note="paid"),
    "bill_payments.archive": lambda fb: fb.bill_payments.archive(A, 122334455),
    "bill_vendors.create": lambda fb: fb.bill_vendors.create(A, vendor_name="Vendor"),
    "bill_vendors.get": lambda fb: fb.bill_vendors.get(A, 1563),
    "bill_vendors.list": lambda fb: fb.bill_vendors.list(A),
    "bill_vendors.archive": lambda fb: fb.bill_vendors.archive(A, 1563),
    "bills.create": lambda fb: fb.bills.create(A, vendorid=1, issue_date=DAY),
    "bills.get": lambda fb: fb.bills.get(A, 43221133),
    "bills.list": lambda fb: fb.bills.list(A),
    "bills.archive": lambda fb: fb.bills.archive(A, 43221133),
    "clients.create": lambda fb: fb.clients.create(A, organization="Org"),
    "clients.get": lambda fb: fb.clients.get(A, ID),
    "clients.list": lambda fb: fb.clients.list(A),
    "clients.archive": lambda fb: fb.clients.archive(A, ID),
    "contacts.update": lambda fb: fb.contacts.update(A, 5, fname="Ann"),
    "credit_notes.create": lambda fb: fb.credit_notes.create(A, clientid=1),
    "credit_notes.get": lambda fb: fb.credit_notes.get(A, 31313),
    "credit_notes.list": lambda fb: fb.credit_notes.list(A),
    "credit_notes.archive": lambda fb: fb.credit_notes.archive(A, 31313),
    "estimates.get": lambda fb: fb.estimates.get(A, ID),
    "estimates.list": lambda fb: fb.estimates.list(A),
    "expense_categories.get": lambda fb: fb.expense_categories.get(A, 12345678),
    "expense_categories.list": lambda fb: fb.expense_categories.list(A),
    "expenses.get": lambda fb: fb.expenses.get(A, 43221133),
    "expenses.list": lambda fb: fb.expenses.list(A),
    "expenses.archive": lambda fb: fb.expenses.archive(A, 43221133),
    "expenses.summaries": lambda fb: fb.expenses.summaries(A),
    "expenses.vendors": lambda fb: fb.expenses.vendors(A),
    "invoice_profiles.get": lambda fb: fb.invoice_profiles.get(A, ID),
    "invoice_profiles.list": lambda fb: fb.invoice_profiles.list(A),
    "invoices.get": lambda fb: fb.invoices.get(A, 217506),
    "invoices.list": lambda fb: fb.invoices.list(A),
    "invoices.archive": lambda fb: fb.invoices.archive(A, 217506),
    "invoices.share_link": lambda fb: fb.invoices.share_link(A, 217506),
    "items.get": lambda fb: fb.items.get(A, 201225),
    "items.list": lambda fb: fb.items.list(A),
    "items.update": lambda fb: fb.items.update(A, 201225, name="Item"),
    "items.archive": lambda fb: fb.items.archive(A, 201225),
    "journal_entries.create": lambda fb: fb.journal_entries.create(
        A,
        name="Entry",
        details=[
            {"sub_accountid": 1, "debit": {"amount": "5", "code": "USD"}},
            {"sub_accountid": 2, "credit": {"amount": "5", "code": "USD"}},
        ],
    ),
    "journal_entry_accounts.list": lambda fb: fb.journal_entry_accounts.list(A),
    "journal_entry_details.list": lambda fb: fb.journal_entry_details.list(A),
    "other_income.create": lambda fb: fb.other_income.create(
        A, amount=Money(amount="10", code="USD"), date=DAY
    ),
    "other_income.get": lambda fb: fb.other_income.get(A, 12345),
    "other_income.list": lambda fb: fb.other_income.list(A),
    "payments.get": lambda fb: fb.payments.get(A, 115804),
    "payments.list": lambda fb: fb.payments.list(A),
    "payments.archive": lambda fb: fb.payments.archive(A, 115804),
    "staff.get": lambda fb: fb.staff.get(A, 1),
    "staff.list": lambda fb: fb.staff.list(A),
    "systems.get": lambda fb: fb.systems.get(A, 1),
    "tasks.get": lambda fb: fb.tasks.get(A, 43221133),
    "tasks.list": lambda fb: fb.tasks.list(A),
    "tasks.update": lambda fb: fb.tasks.update(A, 43221133, name="Task"),
    "tasks.archive": lambda fb: fb.tasks.archive(A, 43221133),
    "taxes.get": lambda fb: fb.taxes.get(A, 7840),
    "taxes.list": lambda fb: fb.taxes.list(A),
    # reports
    "reports.accounts_aging": lambda fb: fb.reports.accounts_aging(A),
    "reports.balance_sheet": lambda fb: fb.reports.balance_sheet(A),
    "reports.invoice_details": lambda fb: fb.reports.invoice_details(A),
    "reports.item_sales": lambda fb: fb.reports.item_sales(A),
    "reports.payments_collected": lambda fb: fb.reports.payments_collected(A),
    "reports.profit_loss": lambda fb: fb.reports.profit_loss(A),
    "reports.revenue_by_client": lambda fb: fb.reports.revenue_by_client(A),
    "reports.tax_summary": lambda fb: fb.reports.tax_summary(A),
    "reports.trial_balance": lambda fb: fb.reports.trial_balance(A),
    "reports.time_entry_details": lambda fb: fb.reports.time_entry_details(B),
    # events
    "callbacks.get": lambda fb: fb.callbacks.get(A, 80001),
    "callbacks.list": lambda fb: fb.callbacks.list(A),
    "callbacks.create": lambda fb: fb.callbacks.create(
        A, "invoice.create", "https://app.example/hook"
    ),
    # identity and OAuth
    "me": lambda fb: fb.me(),
    "oauth.exchange_code": _token,
    "businesses.list_business_group_members": lambda fb: fb.businesses.list_business_group_members(
        B
    ),
    "team_members.get": lambda fb: fb.team_members.get(B, "c5a2b3f0-uuid"),
    "team_members.list": lambda fb: fb.team_members.list(B),
    # ledger
    "ledger_accounts.get": lambda fb: fb.ledger_accounts.get(U, "a2c6b1c0-uuid"),
    "ledger_accounts.list": lambda fb: fb.ledger_accounts.list(U),
    "ledger_account_types.list": lambda fb: fb.ledger_account_types.list(),
    "ledger_account_sub_types.get": lambda fb: fb.ledger_account_sub_types.get(3),
    "ledger_account_sub_types.list": lambda fb: fb.ledger_account_sub_types.list(),
    # projects, time tracking, comments
    "projects.abilities": lambda fb: fb.projects.abilities(B),
    "projects.delete": lambda fb: fb.projects.delete(B, ID),
    "projects.get": lambda fb: fb.projects.get(B, ID),
    "projects.list": lambda fb: fb.projects.list(B),
    "projects.update": lambda fb: fb.projects.update(B, ID, title="Project"),
    "time_entries.create": lambda fb: fb.time_entries.create(B, started_at=WHEN),
    "time_entries.get": lambda fb: fb.time_entries.get(B, ID),
    "time_entries.list": lambda fb: fb.time_entries.list(B),
    "time_entries.update": lambda fb: fb.time_entries.update(B, ID, note="n"),
    "services.get": lambda fb: fb.services.get(B, ID),
    "services.list": lambda fb: fb.services.list(B),
    "service_rates.get": lambda fb: fb.service_rates.get(B, ID),
    "service_rates.list": lambda fb: fb.service_rates.list(B),
    "retainers.get": lambda fb: fb.retainers.get(B, ID),
    "retainers.list": lambda fb: fb.retainers.list(B),
    "team_member_rates.list": lambda fb: fb.team_member_rates.list(B),
    "invitation_rates.list": lambda fb: fb.invitation_rates.list(B),
    # payments family
    "payment_options.get": lambda fb: fb.payment_options.get(A, 6463),
    "payment_options.defaults": lambda fb: fb.payment_options.defaults(A),
    "payment_options.create": lambda fb: fb.payment_options.create(
        A, 6463, gateway_name="fbpay", has_credit_card=True
    ),
    "payment_gateways.list": lambda fb: fb.payment_gateways.list(A),
    # uploads
    "attachments.upload": lambda fb: fb.attachments.upload(A, b"%PDF-1.4\n", filename="a.pdf"),
    "images.upload": lambda fb: fb.images.upload(A, b"\x89PNG\r\n\x1a\n", filename="a.png"),
}

#: Each body and the call that receives it.
OPS: dict[str, str] = {
    "infiniteroomlabs/acc_bill_payments_create.json": "bill_payments.create",
    "infiniteroomlabs/acc_bill_vendors_create.json": "bill_vendors.create",
    "infiniteroomlabs/acc_bill_vendors_list.json": "bill_vendors.list",
    "infiniteroomlabs/acc_bills_create.json": "bills.create",
    "infiniteroomlabs/acc_bills_list.json": "bills.list",
    "infiniteroomlabs/acc_clients_create.json": "clients.create",
    "infiniteroomlabs/acc_clients_get.json": "clients.get",
    "infiniteroomlabs/acc_clients_list.json": "clients.list",
    "infiniteroomlabs/acc_contacts_update.json": "contacts.update",
    "infiniteroomlabs/acc_credit_notes_create.json": "credit_notes.create",
    "infiniteroomlabs/acc_credit_notes_list.json": "credit_notes.list",
    "infiniteroomlabs/acc_error_404.json": "clients.get",
    "infiniteroomlabs/acc_error_422.json": "clients.create",
    "infiniteroomlabs/acc_error_429.json": "clients.list",
    "infiniteroomlabs/acc_estimates_get.json": "estimates.get",
    "infiniteroomlabs/acc_estimates_list.json": "estimates.list",
    "infiniteroomlabs/acc_expense_categories_get.json": "expense_categories.get",
    "infiniteroomlabs/acc_expense_categories_list.json": "expense_categories.list",
    "infiniteroomlabs/acc_expenses_get.json": "expenses.get",
    "infiniteroomlabs/acc_expenses_list.json": "expenses.list",
    "infiniteroomlabs/acc_expenses_summaries.json": "expenses.summaries",
    "infiniteroomlabs/acc_expenses_vendors.json": "expenses.vendors",
    "infiniteroomlabs/acc_taxes_get.json": "taxes.get",
    "infiniteroomlabs/acc_taxes_list.json": "taxes.list",
    "infiniteroomlabs/attachments_upload.json": "attachments.upload",
    "infiniteroomlabs/auth_token.json": "oauth.exchange_code",
    "infiniteroomlabs/auth_token_error.json": "oauth.exchange_code",
    "infiniteroomlabs/auth_users_me.json": "me",
    "infiniteroomlabs/callbacks_id_field.json": "callbacks.get",
    "infiniteroomlabs/callbacks_list.json": "callbacks.list",
    "infiniteroomlabs/callbacks_register.json": "callbacks.create",
    "infiniteroomlabs/images_upload.json": "images.upload",
    "infiniteroomlabs/invitation_rates_list.json": "invitation_rates.list",
    "infiniteroomlabs/invoice_profiles_list.json": "invoice_profiles.list",
    "infiniteroomlabs/invoice_profiles_profile.json": "invoice_profiles.get",
    "infiniteroomlabs/invoices_invoice.json": "invoices.get",
    "infiniteroomlabs/invoices_list.json": "invoices.list",
    "infiniteroomlabs/items_item.json": "items.get",
    "infiniteroomlabs/items_list.json": "items.list",
    "infiniteroomlabs/journal_entries_create.json": "journal_entries.create",
    "infiniteroomlabs/journal_entry_accounts_list.json": "journal_entry_accounts.list",
    "infiniteroomlabs/journal_entry_details.json": "journal_entry_details.list",
    "infiniteroomlabs/ledger_accounts_get.json": "ledger_accounts.get",
    "infiniteroomlabs/other_income_create.json": "other_income.create",
    "infiniteroomlabs/other_income_list.json": "other_income.list",
    "infiniteroomlabs/payments_list.json": "payments.list",
    "infiniteroomlabs/payments_payment.json": "payments.get",
    "infiniteroomlabs/projects_abilities.json": "projects.abilities",
    "infiniteroomlabs/projects_delete_error_404.json": "projects.delete",
    "infiniteroomlabs/projects_error_404.json": "projects.get",
    "infiniteroomlabs/projects_list_full.json": "projects.list",
    "infiniteroomlabs/projects_single.json": "projects.get",
    "infiniteroomlabs/reports_accounts_aging.json": "reports.accounts_aging",
    "infiniteroomlabs/reports_balance_sheet.json": "reports.balance_sheet",
    "infiniteroomlabs/reports_invoice_details.json": "reports.invoice_details",
    "infiniteroomlabs/reports_item_sales.json": "reports.item_sales",
    "infiniteroomlabs/reports_payments_collected.json": "reports.payments_collected",
    "infiniteroomlabs/reports_profit_loss.json": "reports.profit_loss",
    "infiniteroomlabs/reports_revenue_by_client.json": "reports.revenue_by_client",
    "infiniteroomlabs/reports_revenue_by_client_error.json": "reports.revenue_by_client",
    "infiniteroomlabs/reports_sales_tax_summary.json": "reports.tax_summary",
    "infiniteroomlabs/reports_time_entry_details.json": "reports.time_entry_details",
    "infiniteroomlabs/reports_trial_balance.json": "reports.trial_balance",
    "infiniteroomlabs/retainers_list.json": "retainers.list",
    "infiniteroomlabs/retainers_retainer.json": "retainers.get",
    "infiniteroomlabs/seed_auth_error_401.json": "me",
    "infiniteroomlabs/seed_callbacks_list.json": "callbacks.list",
    "infiniteroomlabs/seed_expenses_list.json": "expenses.list",
    "infiniteroomlabs/seed_expenses_vendors.json": "expenses.vendors",
    "infiniteroomlabs/seed_gateways_get.json": "payment_gateways.list",
    "infiniteroomlabs/seed_ledger_accounts_list.json": "ledger_accounts.list",
    "infiniteroomlabs/seed_ledger_accounts_sub_type.json": "ledger_account_sub_types.get",
    "infiniteroomlabs/seed_ledger_accounts_sub_types.json": "ledger_account_sub_types.list",
    "infiniteroomlabs/seed_ledger_accounts_types.json": "ledger_account_types.list",
    "infiniteroomlabs/seed_projects_list.json": "projects.list",
    "infiniteroomlabs/seed_projects_list_sort_minus.json": "projects.list",
    "infiniteroomlabs/seed_projects_list_sort_suffix.json": "projects.list",
    "infiniteroomlabs/seed_projects_list_v1.json": "projects.list",
    "infiniteroomlabs/seed_staff_list.json": "businesses.list_business_group_members",
    "infiniteroomlabs/seed_time_entries_error_422_bare_filter.json": "time_entries.list",
    "infiniteroomlabs/seed_time_entries_list.json": "time_entries.list",
    "infiniteroomlabs/service_rates_list.json": "service_rates.list",
    "infiniteroomlabs/service_rates_single.json": "service_rates.get",
    "infiniteroomlabs/services_list.json": "services.list",
    "infiniteroomlabs/services_single.json": "services.get",
    "infiniteroomlabs/staff_error_403.json": "staff.list",
    "infiniteroomlabs/staff_list_business.json": "businesses.list_business_group_members",
    "infiniteroomlabs/staff_single.json": "staff.get",
    "infiniteroomlabs/systems_get.json": "systems.get",
    "infiniteroomlabs/tasks_list.json": "tasks.list",
    "infiniteroomlabs/tasks_single.json": "tasks.get",
    "infiniteroomlabs/team_member_rates_list.json": "team_member_rates.list",
    "infiniteroomlabs/team_members_list.json": "team_members.list",
    "infiniteroomlabs/team_members_single.json": "team_members.get",
    "infiniteroomlabs/time_entries_list.json": "time_entries.list",
    "infiniteroomlabs/time_entries_list_with_totals.json": "time_entries.list",
    "infiniteroomlabs/time_entries_single.json": "time_entries.get",
    "nodejs-sdk/APIClient_1_post_200.json": "oauth.exchange_code",
    "nodejs-sdk/APIClient_2_get_401.json": "me",
    "nodejs-sdk/APIClient_3_get_401.json": "invoices.list",
    "nodejs-sdk/APIClient_4_get_404.json": "invoices.get",
    "nodejs-sdk/APIClient_5_get_500.json": "me",
    "nodejs-sdk/APIClient_6_get_200.json": "me",
    "nodejs-sdk/APIClient_7_get_200.json": "invoices.list",
    "nodejs-sdk/BillPayments_1_get_200.json": "bill_payments.get",
    "nodejs-sdk/BillPayments_2_get_200.json": "bill_payments.list",
    "nodejs-sdk/BillPayments_3_put_200.json": "bill_payments.update",
    "nodejs-sdk/BillPayments_4_put_200.json": "bill_payments.archive",
    "nodejs-sdk/BillVendors_1_get_200.json": "bill_vendors.list",
    "nodejs-sdk/BillVendors_2_get_200.json": "bill_vendors.get",
    "nodejs-sdk/BillVendors_3_put_200.json": "bill_vendors.archive",
    "nodejs-sdk/Bills_1_get_200.json": "bills.get",
    "nodejs-sdk/Bills_2_get_200.json": "bills.list",
    "nodejs-sdk/Bills_3_put_200.json": "bills.archive",
    "nodejs-sdk/Bills_4_put_200.json": "bills.archive",
    "nodejs-sdk/Callback_1_get_200.json": "callbacks.get",
    "nodejs-sdk/Client_1_get_200.json": "clients.list",
    "nodejs-sdk/Client_2_get_200.json": "clients.get",
    "nodejs-sdk/Client_3_post_200.json": "clients.create",
    "nodejs-sdk/Client_4_put_200.json": "clients.archive",
    "nodejs-sdk/CreditNote_1_get_200.json": "credit_notes.get",
    "nodejs-sdk/CreditNote_2_get_200.json": "credit_notes.list",
    "nodejs-sdk/CreditNote_3_get_200.json": "credit_notes.list",
    "nodejs-sdk/CreditNote_4_post_200.json": "credit_notes.create",
    "nodejs-sdk/CreditNote_5_put_200.json": "credit_notes.archive",
    "nodejs-sdk/ExpenseCategory_1_get_200.json": "expense_categories.get",
    "nodejs-sdk/ExpenseCategory_2_get_200.json": "expense_categories.list",
    "nodejs-sdk/Expense_1_get_200.json": "expenses.get",
    "nodejs-sdk/Expense_2_get_200.json": "expenses.list",
    "nodejs-sdk/Expense_3_get_200.json": "expenses.list",
    "nodejs-sdk/Expense_4_put_200.json": "expenses.archive",
    "nodejs-sdk/Invoice_1_get_200.json": "invoices.get",
    "nodejs-sdk/Invoice_2_get_200.json": "invoices.list",
    "nodejs-sdk/Invoice_3_get_200.json": "invoices.list",
    "nodejs-sdk/Invoice_4_put_200.json": "invoices.archive",
    "nodejs-sdk/Item_1_get_200.json": "items.get",
    "nodejs-sdk/Item_2_get_200.json": "items.list",
    "nodejs-sdk/Item_3_put_200.json": "items.update",
    "nodejs-sdk/Item_4_put_200.json": "items.archive",
    "nodejs-sdk/JournalEntryAccount_1_get_200.json": "journal_entry_accounts.list",
    "nodejs-sdk/JournalEntryDetail_1_get_200.json": "journal_entry_details.list",
    "nodejs-sdk/JournalEntry_1_post_200.json": "journal_entries.create",
    "nodejs-sdk/OtherIncome_1_get_200.json": "other_income.get",
    "nodejs-sdk/OtherIncome_2_get_200.json": "other_income.list",
    "nodejs-sdk/PaymentOptions_1_get_200.json": "payment_options.get",
    "nodejs-sdk/PaymentOptions_2_get_400.json": "payment_options.get",
    "nodejs-sdk/PaymentOptions_3_get_200.json": "payment_options.defaults",
    "nodejs-sdk/PaymentOptions_4_post_200.json": "payment_options.create",
    "nodejs-sdk/Payment_1_get_200.json": "payments.get",
    "nodejs-sdk/Payment_2_get_200.json": "payments.list",
    "nodejs-sdk/Payment_3_put_200.json": "payments.archive",
    "nodejs-sdk/PaymentsCollectedReport_1_get_200.json": "reports.payments_collected",
    "nodejs-sdk/ProfitLossReport_1_get_200.json": "reports.profit_loss",
    "nodejs-sdk/ProfitLossReport_2_get_404.json": "reports.profit_loss",
    "nodejs-sdk/Project_1_get_200.json": "projects.list",
    "nodejs-sdk/Project_2_get_200.json": "projects.get",
    "nodejs-sdk/Project_3_put_200.json": "projects.update",
    "nodejs-sdk/ServiceRate_1_get_200.json": "service_rates.get",
    "nodejs-sdk/Service_1_get_200.json": "services.list",
    "nodejs-sdk/Service_2_get_200.json": "services.get",
    "nodejs-sdk/ShareLink_1_get_200.json": "invoices.share_link",
    "nodejs-sdk/Tasks_1_get_200.json": "tasks.list",
    "nodejs-sdk/Tasks_2_get_200.json": "tasks.get",
    "nodejs-sdk/Tasks_3_put_200.json": "tasks.update",
    "nodejs-sdk/Tasks_4_put_200.json": "tasks.archive",
    "nodejs-sdk/TaxSummaryReport_1_get_200.json": "reports.tax_summary",
    "nodejs-sdk/TimeEntry_1_get_200.json": "time_entries.list",
    "nodejs-sdk/TimeEntry_2_get_200.json": "time_entries.get",
    "nodejs-sdk/TimeEntry_3_post_200.json": "time_entries.create",
    "nodejs-sdk/TimeEntry_4_put_200.json": "time_entries.update",
    "nodejs-sdk/User_1_get_200.json": "me",
    "php-sdk/Callback.json": "callbacks.get",
    "php-sdk/Client.json": "clients.get",
    "php-sdk/ClientList.json": "clients.list",
    "php-sdk/Expense.json": "expenses.get",
    "php-sdk/ExpenseCategory.json": "expense_categories.get",
    "php-sdk/Identity.json": "me",
    "php-sdk/Invoice.json": "invoices.get",
    "php-sdk/InvoicePaymentOptions.json": "payment_options.get",
    "php-sdk/Item.json": "items.get",
    "php-sdk/Payment.json": "payments.get",
    "php-sdk/Project.json": "projects.get",
    "php-sdk/ProjectList.json": "projects.list",
    "php-sdk/Task.json": "tasks.get",
    "php-sdk/Tax.json": "taxes.get",
    "java-sdk/auth_me_response.json": "me",
    "java-sdk/auth_response__no_auth.json": "me",
    "java-sdk/auth_token_response.json": "oauth.exchange_code",
    "java-sdk/create_client_response.json": "clients.create",
    "java-sdk/get_client_response.json": "clients.get",
    "java-sdk/get_client_response__no_auth.json": "clients.get",
    "java-sdk/get_client_response__not_found_new.json": "clients.get",
    "java-sdk/get_client_response__not_found_old.json": "clients.get",
    "java-sdk/get_expense_response.json": "expenses.get",
    "java-sdk/get_invoice_response.json": "invoices.get",
    "java-sdk/get_item_response.json": "items.get",
    "java-sdk/get_other_income_response.json": "other_income.get",
    "java-sdk/get_payment_response.json": "payments.get",
    "java-sdk/get_project_response.json": "projects.get",
    "java-sdk/get_service_rate_response.json": "service_rates.get",
    "java-sdk/get_service_response.json": "services.get",
    "java-sdk/get_task_response.json": "tasks.get",
    "java-sdk/get_tax_response.json": "taxes.get",
    "java-sdk/get_time_entry_response.json": "time_entries.get",
    "java-sdk/list_clients_response.json": "clients.list",
    "java-sdk/list_expenses_response.json": "expenses.list",
    "java-sdk/list_invoices_response.json": "invoices.list",
    "java-sdk/list_items_response.json": "items.list",
    "java-sdk/list_other_incomes_response.json": "other_income.list",
    "java-sdk/list_payments_response.json": "payments.list",
    "java-sdk/list_service_rates_response.json": "service_rates.list",
    "java-sdk/list_services_response.json": "services.list",
    "java-sdk/list_tasks_response.json": "tasks.list",
    "java-sdk/list_taxes_response.json": "taxes.list",
    "java-sdk/list_time_entries_response.json": "time_entries.list",
    "java-sdk/report_profit_and_loss.json": "reports.profit_loss",
}

#: Error bodies: the exception, its errno and its message (the body's most specific one,
#: which is what the official SDKs' own tests expect).
ERRORS: dict[str, tuple[type[APIError], int | None, str]] = {
    "infiniteroomlabs/acc_error_404.json": (NotFoundError, 1012, "Client not found."),
    "infiniteroomlabs/acc_error_422.json": (UnprocessableEntityError, 2001, "Validation failed."),
    "infiniteroomlabs/acc_error_429.json": (RateLimitError, 429, "Rate limit exceeded."),
    "infiniteroomlabs/auth_token_error.json": (
        InvalidGrantError,
        None,
        "The provided authorization grant is invalid, expired, or revoked.",
    ),
    "infiniteroomlabs/projects_delete_error_404.json": (
        NotFoundError,
        None,
        "The requested resource was not found.",
    ),
    "infiniteroomlabs/projects_error_404.json": (
        NotFoundError,
        None,
        "Requested resource could not be found.",
    ),
    "infiniteroomlabs/reports_revenue_by_client_error.json": (
        ValidationError,
        1004,
        "Invalid value '' for field 'sales_type'.",
    ),
    "infiniteroomlabs/seed_auth_error_401.json": (
        AuthenticationError,
        None,
        "This action requires authentication to continue.",
    ),
    "infiniteroomlabs/seed_time_entries_error_422_bare_filter.json": (
        UnprocessableEntityError,
        2001,
        "updated_since: Input should be a valid datetime or date, input is too short",
    ),
    "infiniteroomlabs/staff_error_403.json": (PermissionDeniedError, 1003, "Permission Denied."),
    "nodejs-sdk/APIClient_2_get_401.json": (
        AuthenticationError,
        None,
        "This action requires authentication to continue.",
    ),
    "nodejs-sdk/APIClient_3_get_401.json": (
        AuthenticationError,
        1003,
        "The server could not verify that you are authorized to access the URL requested.",
    ),
    "nodejs-sdk/APIClient_4_get_404.json": (NotFoundError, 1012, "Client not found."),
    "nodejs-sdk/APIClient_5_get_500.json": (ServerError, None, "internal server error"),
    "nodejs-sdk/PaymentOptions_2_get_400.json": (ValidationError, None, "Invalid CC type"),
    "nodejs-sdk/ProfitLossReport_2_get_404.json": (NotFoundError, 404, "Account not found"),
    "java-sdk/auth_response__no_auth.json": (
        AuthenticationError,
        None,
        "This action requires authentication to continue.",
    ),
    "java-sdk/get_client_response__no_auth.json": (
        AuthenticationError,
        1003,
        "The server could not verify that you are authorized to access the URL requested.",
    ),
    "java-sdk/get_client_response__not_found_new.json": (NotFoundError, 1012, "Client not found."),
    "java-sdk/get_client_response__not_found_old.json": (NotFoundError, 1012, "Client not found."),
}

#: Bodies with an impossible timestamp (second 74): the field reads as absent, the text
#: stays in ``extras`` and a ModelDataWarning names it (docs/models.rst).
BAD_TIMESTAMPS: dict[str, tuple[str, ...]] = {
    "java-sdk/list_clients_response.json": ("signup_date",),
}

# ----------------------------------------------------------------------------- serving


def status_of(name: str) -> int:
    return STATUS.get(name, MANIFEST[name][1])


def served_body(name: str) -> bytes:
    """The body as served: PHP fixtures are result-level objects, wrapped here in the
    envelope of their family."""
    raw = (PEER / name).read_bytes()
    if not name.startswith("php-sdk/"):
        return raw
    text = raw.decode()
    if name in ("php-sdk/Project.json", "php-sdk/ProjectList.json"):
        return raw
    if name == "php-sdk/InvoicePaymentOptions.json":
        return raw
    if name == "php-sdk/Identity.json":
        return ('{"response": ' + text + "}").encode()
    return ('{"response": {"result": ' + text + "}}").encode()


def _node_route(name: str) -> tuple[str, str] | None:
    """``(method, path)`` of a Node fixture's request, ids replaced by placeholders."""
    if not name.startswith("nodejs-sdk/"):
        return None
    method, _, rest = MANIFEST[name][0].partition(" ")
    return method, _normalise(rest.split(" -> ")[0].split("?")[0])


def _normalise(path: str) -> str:
    path = re.sub(r"/(account|business)/[^/]+", r"/\1/{scope}", path)
    return re.sub(r"/\d+(?=/|$)", "/{id}", path)


async def run(name: str) -> tuple[Any, list[Request]]:
    body = served_body(name)
    status = status_of(name)

    def answer(request: Request) -> Response:
        return Response(status=status, headers={"Content-Type": "application/json"}, body=body)

    transport = MockTransport(answer)
    async with FreshBooksClient(
        "token-for-peer-payloads", transport=transport, retry=RetryPolicy.disabled()
    ) as fb:
        result = await CALLS[OPS[name]](fb)
    return result, transport.requests


# ----------------------------------------------------------------------------- checks


def _nodes(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from _nodes(item)


def assert_in_body(encoded: Any, document: Any) -> None:
    """``encoded`` is exactly one node of the body (same keys, values and JSON types)."""
    text = json.dumps(encoded, sort_keys=True)
    assert any(json.dumps(node, sort_keys=True) == text for node in _nodes(document)), (
        f"encoding differs from every object of the body: {text[:400]}"
    )


def assert_typed(value: Any, where: str = "$", parked_ok: frozenset[str] = frozenset()) -> None:
    """No money left as a raw ``{amount, code}`` dict, no naive datetime (but the wall
    times of ``LOCAL`` fields), nothing a model has a field for parked in its ``extras``
    (but the malformed timestamps of ``parked_ok``), and plain fields of their type."""
    if isinstance(value, Model):
        plans = plans_for(type(value))
        keys = {plan.key for plan in plans}
        parked = keys & set(value.extras) - parked_ok
        assert not parked, f"{where}: {sorted(parked)} kept in extras, not in their fields"
        for plan in plans:
            item = getattr(value, plan.name)
            if plan.kind == "datetime" and plan.arg is DateTimeFormat.LOCAL and item:
                assert isinstance(item, dt.datetime)
                assert item.tzinfo is None, f"{where}.{plan.key}: a wall time has no zone"
                continue
            if (
                plan.kind == "plain"
                and plan.runtime is not None
                and item is not None
                and item is not UNSET
            ):
                assert isinstance(item, plan.runtime), f"{where}.{plan.key}: {item!r}"
                assert bool in plan.runtime or not isinstance(item, bool), f"{where}.{plan.key}"
            assert_typed(item, f"{where}.{plan.key}", parked_ok)
        for key, item in value.extras.items():
            assert_typed(item, f"{where}.extras[{key!r}]", parked_ok)
    elif isinstance(value, Money):
        assert isinstance(value.amount, Decimal)
        assert value.amount.is_finite()
    elif isinstance(value, dict):
        assert not {"amount", "code"} <= value.keys(), f"{where}: untyped money {value!r}"
        for key, item in value.items():
            assert_typed(item, f"{where}[{key!r}]", parked_ok)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            assert_typed(item, f"{where}[{index}]", parked_ok)
    elif isinstance(value, dt.datetime):
        assert value.tzinfo is not None, f"{where}: naive"
        assert value.utcoffset() is not None, f"{where}: naive"
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            assert_typed(getattr(value, field.name), f"{where}.{field.name}", parked_ok)


def check_success(name: str, result: Any) -> None:
    document = json.loads(served_body(name))
    assert_typed(result, parked_ok=frozenset(BAD_TIMESTAMPS.get(name, ())))
    if isinstance(result, Page):
        assert result.items or "[]" in json.dumps(document).replace(" ", "")
        assert_in_body([encode(item) for item in result.items], document)
    elif isinstance(result, list):
        assert_in_body([encode(item) for item in result], document)
    elif isinstance(result, Model):
        assert_in_body(encode(result), document)
    elif isinstance(result, CallbackPage):
        raw = document["response"]["result"]["callbacks"]
        assert [c.id for c in result.items] == [c.get("callbackid", c.get("id")) for c in raw]
    elif isinstance(result, Callback):
        raw = document["response"]["result"]["callback"]
        assert result.id == raw.get("callbackid", raw.get("id"))
        assert (result.event, result.uri, result.verified) == (
            raw["event"],
            raw["uri"],
            raw["verified"],
        )
    elif isinstance(result, Token):
        assert result.access_token == document["access_token"]
        assert result.refresh_token == document["refresh_token"]
        assert encode(decode(TokenResponse, document)) == document
    elif isinstance(result, Upload):
        raw = document[result.kind]
        rebuilt = {
            **{k: getattr(result, k) for k in ("jwt", "filename", "media_type") if k in raw},
            **({"public_id": result.public_id} if "public_id" in raw else {}),
            **({"uuid": result.uuid} if "uuid" in raw else {}),
            **result.extras,
        }
        assert rebuilt == raw
    elif isinstance(result, str):  # share link
        assert result == document["response"]["result"]["share_link"]["share_link"]
    else:  # pragma: no cover - a call the table does not know how to check
        raise AssertionError(f"unchecked result type {type(result).__name__}")


# ----------------------------------------------------------------------------- the tests


def test_every_payload_has_a_call() -> None:
    on_disk = {str(p.relative_to(PEER)) for p in PEER.rglob("*.json")}
    assert len(on_disk) == 216
    assert on_disk == set(MANIFEST) == set(OPS)
    assert set(OPS.values()) <= set(CALLS)
    assert set(ERRORS) <= set(OPS)
    for name in OPS:
        assert (status_of(name) >= 400) == (name in ERRORS), name


@pytest.mark.parametrize("name", sorted(OPS))
async def test_peer_payload(name: str) -> None:
    if name in ERRORS:
        cls, errno, message = ERRORS[name]
        with pytest.raises(APIError) as info:
            await run(name)
        error = info.value
        assert type(error) is cls
        assert error.status == status_of(name)
        assert error.errno == errno
        if cls is InvalidGrantError:  # the SDK adds what to do about it
            assert error.message.startswith(message + " (the code or refresh token")
        else:
            assert error.message == message
        return
    if name in BAD_TIMESTAMPS:
        with pytest.warns(ModelDataWarning, match="is not a valid date or timestamp"):
            result, requests = await run(name)
    else:
        result, requests = await run(name)
    check_success(name, result)
    route = _node_route(name)
    if route is not None:
        assert len(requests) == 1
        assert (requests[0].method, _normalise(requests[0].url.path)) == route


# ----------------------------------------------------------------------------- the sandbox


def _shape(value: Any) -> Any:
    """The JSON structure of ``value``: keys and value types, the first item of lists."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__


def assert_same_shape(ours: Any, theirs: list[Any], where: str = "$") -> None:
    """Every key the sandbox sends is in a real body, with the same JSON type, and every
    key all real bodies have is in the sandbox's (``None`` and empty lists match all)."""
    if ours in ("NoneType", []) or any(t in ("NoneType", []) for t in theirs):
        return
    if isinstance(ours, dict):
        real = [t for t in theirs if isinstance(t, dict)]
        assert real, f"{where}: an object where real bodies have {theirs}"
        known = set().union(*real)
        assert set(ours) <= known, f"{where}: keys no real body has: {set(ours) - known}"
        common = set.intersection(*(set(t) for t in real))
        assert common <= set(ours), f"{where}: keys every real body has: {common - set(ours)}"
        for key, item in ours.items():
            assert_same_shape(item, [t[key] for t in real if key in t], f"{where}.{key}")
    elif isinstance(ours, list):
        real_items = [t[0] for t in theirs if isinstance(t, list) and t]
        assert all(isinstance(t, list) for t in theirs), f"{where}: a list where real bodies not"
        if real_items:
            assert_same_shape(ours[0], real_items, f"{where}[0]")
    else:
        assert ours in theirs, f"{where}: {ours} where real bodies have {theirs}"


#: The sandbox's answer, its call, and the real bodies of the same endpoint.
SANDBOX_SHAPES: dict[str, tuple[str, list[str]]] = {
    "reports.profit_loss": (
        "profitloss",
        [
            "infiniteroomlabs/reports_profit_loss.json",
            "nodejs-sdk/ProfitLossReport_1_get_200.json",
            "java-sdk/report_profit_and_loss.json",
        ],
    ),
    "reports.accounts_aging": ("accounts_aging", ["infiniteroomlabs/reports_accounts_aging.json"]),
    "reports.balance_sheet": ("balance_sheet", ["infiniteroomlabs/reports_balance_sheet.json"]),
    "reports.trial_balance": ("trial_balance", ["infiniteroomlabs/reports_trial_balance.json"]),
    "reports.tax_summary": (
        "taxsummary",
        [
            "infiniteroomlabs/reports_sales_tax_summary.json",
            "nodejs-sdk/TaxSummaryReport_1_get_200.json",
        ],
    ),
    "reports.item_sales": ("item_sales", ["infiniteroomlabs/reports_item_sales.json"]),
    "reports.revenue_by_client": (
        "revenue_by_client",
        ["infiniteroomlabs/reports_revenue_by_client.json"],
    ),
    "payment_gateways.list": ("gateway_connections", ["infiniteroomlabs/seed_gateways_get.json"]),
}


@pytest.mark.parametrize("op", sorted(SANDBOX_SHAPES))
async def test_the_sandbox_answers_in_the_shape_of_the_real_bodies(op: str) -> None:
    from freshbooks_async.models import InvoiceCreate, InvoiceLineCreate, InvoiceStatus
    from freshbooks_async.sandbox import Sandbox

    key, names = SANDBOX_SHAPES[op]
    sandbox = Sandbox()
    answers: list[Response] = []

    async def record(request: Request) -> Response:
        answers.append(await sandbox.handle(request))
        return answers[-1]

    transport = MockTransport(record)
    async with FreshBooksClient(sandbox.token, transport=transport) as fb:
        account = "ACC001"
        await fb.invoices.create(
            account,
            InvoiceCreate(
                customerid=1,
                create_date=DAY,
                status=InvoiceStatus.SENT,
                lines=[
                    InvoiceLineCreate(
                        name="Work", qty=Decimal(2), unit_cost=Money(amount="50", code="USD")
                    )
                ],
            ),
        )
        if op.startswith("reports."):
            result = await getattr(fb.reports, op.split(".")[1])(account)
        else:
            result = await fb.payment_gateways.list(account)
    body = json.loads(answers[-1].body)
    theirs = [_find(json.loads(served_body(name)), key) for name in names]
    assert_same_shape(_shape(_find(body, key)), [_shape(t) for t in theirs])
    assert_typed(result)
    if isinstance(result, Model):
        assert_in_body(encode(result), body)


def _find(document: Any, key: str) -> Any:
    for node in _nodes(document):
        if isinstance(node, dict) and key in node:
            return node[key]
    raise AssertionError(f"no {key!r} in the body")
