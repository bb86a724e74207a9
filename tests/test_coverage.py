"""Every row of endpoints.tsv is reachable through a typed SDK method.

For each row a *driver* calls one public method against the in-process sandbox; the
test asserts that the method sent exactly that HTTP method to a path matching the row's
template (with the row's fixed query, if any) and that the call succeeded. Rows the SDK
deliberately leaves to other modules or hosts are listed in ``OUT_OF_SCOPE`` with the
reason, and nothing else may be missing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

from freshbooks_async import FreshBooksClient
from freshbooks_async.models.identity import Business
from freshbooks_async.models.kwargs import MoneyKwargs
from freshbooks_async.resources import DeleteStyle
from freshbooks_async.sandbox import Sandbox
from freshbooks_async.sandbox._core import new_record
from freshbooks_async.testing import MockTransport
from freshbooks_async.transports import Request, Response

TSV = Path(__file__).parent / "fixtures" / "endpoints.tsv"
ACC = "ACC001"
BID = 1

#: Rows no typed resource method covers, with the reason.
OUT_OF_SCOPE: dict[str, str] = {
    "oauth oauth other:authorize": "OAuth: freshbooks_async.auth builds the authorize URL",
    "oauth oauth other:token_authorization_code": "OAuth: freshbooks_async.auth exchanges codes",
    "oauth oauth other:token_refresh": "OAuth: freshbooks_async.auth refreshes tokens",
    "oauth oauth other:revoke": "OAuth: freshbooks_async.auth revokes tokens",
    "payments tokenization other:fbpay_tokenize": (
        "paid.freshbooks.com (another host), called from the payer's browser"
    ),
    "payments tokenization other:stripe_payment_method": (
        "paid.freshbooks.com (another host), called from the payer's browser"
    ),
}


@attrs.frozen
class Row:
    family: str
    resource: str
    operation: str
    method: str
    path: str

    @property
    def key(self) -> str:
        return f"{self.family} {self.resource} {self.operation}"

    @property
    def full_key(self) -> str:
        return f"{self.key} {self.method} {self.path}"

    @property
    def template(self) -> str:
        path = self.path
        if "://" in path:
            path = "/" + path.split("://", 1)[1].split("/", 1)[1]
        return path.split("?", 1)[0]

    @property
    def fixed_query(self) -> dict[str, str]:
        if "?" not in self.path:
            return {}
        return dict(p.split("=", 1) for p in self.path.split("?", 1)[1].split("&"))

    def matches(self, request: Request) -> bool:
        pattern = re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(self.template))
        if request.method != self.method or not re.fullmatch(pattern, request.url.path):
            return False
        return all(request.url.query.get(k) == v for k, v in self.fixed_query.items())


def _rows() -> list[Row]:
    rows = []
    lines = TSV.read_text().splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        if not line.strip():
            continue
        cells = dict(zip(header, line.split("\t"), strict=False))
        rows.append(
            Row(
                cells["family"],
                cells["resource"],
                cells["operation"],
                cells["method"],
                cells["path"],
            )
        )
    return rows


ROWS = _rows()
_ROW_KEYS = {row.full_key for row in ROWS}


class World:
    """A sandbox, a client on it, and lazily created objects the drivers need."""

    def __init__(self) -> None:
        self.sandbox = Sandbox()
        self.requests: list[Request] = []

        async def record(request: Request) -> Response:
            self.requests.append(request)
            return await self.sandbox.handle(request)

        self.fb = FreshBooksClient(self.sandbox.token, transport=MockTransport(record))
        self._cache: dict[str, Any] = {}

    async def once(self, key: str, make: Callable[[], Awaitable[Any]]) -> Any:
        if key not in self._cache:
            self._cache[key] = await make()
        return self._cache[key]

    async def uuid(self) -> str:
        async def make() -> str:
            me = await self.fb.me()
            memberships = me.business_memberships
            assert isinstance(memberships, list)
            business = memberships[0].business
            assert isinstance(business, Business)
            return str(business.business_uuid)

        return str(await self.once("uuid", make))

    async def client_id(self) -> int:
        async def make() -> int:
            return _i((await self.fb.clients.create(ACC, email="c@example.com", fname="C")).id)

        return int(await self.once("client", make))

    async def invoice_id(self) -> int:
        async def make() -> int:
            customer = await self.client_id()
            invoice = await self.fb.invoices.create(
                ACC,
                customerid=customer,
                create_date="2024-01-02",
                lines=[{"name": "Work", "qty": 1, "unit_cost": {"amount": "10", "code": "USD"}}],
            )
            await self.fb.invoices.mark_as_sent(ACC, _i(invoice.id))
            return _i(invoice.id)

        return int(await self.once("invoice", make))

    async def new_invoice_id(self) -> int:
        invoice = await self.fb.invoices.create(
            ACC, customerid=await self.client_id(), create_date="2024-01-03"
        )
        return _i(invoice.id)

    async def estimate_id(self) -> int:
        estimate = await self.fb.estimates.create(
            ACC, customerid=await self.client_id(), create_date="2024-01-02"
        )
        return _i(estimate.id)

    async def project_id(self) -> int:
        async def make() -> int:
            return _i((await self.fb.projects.create(BID, title="P")).id)

        return int(await self.once("project", make))

    async def service_id(self) -> int:
        async def make() -> int:
            return _i((await self.fb.services.create(BID, name="Design")).id)

        return int(await self.once("service", make))


Driver = Callable[[World], Awaitable[Any]]


def _i(value: object) -> int:
    """An id the SDK returned, checked to be an int."""
    assert isinstance(value, int), value
    assert not isinstance(value, bool), value
    return value


MONEY: MoneyKwargs = {"amount": "12.50", "code": "USD"}
DAY = dt.date(2024, 1, 5)


def _insert(w: World, resource: str, data: dict[str, Any]) -> int:
    """Put an object the API cannot create (staff, contacts...) into the sandbox."""
    record = new_record(w.sandbox.table(ACC, resource), data)
    record.data.setdefault("id", record.id)
    if resource == "expense_categories":
        record.data.setdefault("categoryid", record.id)
    return int(record.id)


async def _contact_id(w: World) -> int:
    return _insert(w, "contacts", {"email": "s@example.com", "fname": "S", "userid": 1})


async def _expense(w: World) -> int:
    expense = await w.fb.expenses.create(
        ACC, categoryid=1, staffid=1, date=DAY, amount=MONEY, vendor="V"
    )
    return _i(expense.id)


async def _bill_vendor(w: World) -> int:
    return _i((await w.fb.bill_vendors.create(ACC, vendor_name="Acme")).vendorid)


async def _bill(w: World) -> int:
    vendor = await _bill_vendor(w)
    bill = await w.fb.bills.create(
        ACC,
        vendorid=vendor,
        issue_date=DAY,
        lines=[{"description": "Paper", "quantity": 1, "unit_cost": MONEY, "categoryid": 1}],
    )
    return _i(bill.id)


async def _bill_payment(w: World) -> int:
    payment = await w.fb.bill_payments.create(
        ACC, billid=await _bill(w), amount=MONEY, paid_date=DAY, payment_type="Check"
    )
    return _i(payment.id)


async def _payment(w: World) -> int:
    payment = await w.fb.payments.create(
        ACC,
        invoiceid=await w.invoice_id(),
        amount={"amount": "1.00", "code": "USD"},
        date=DAY,
        type="Cash",
    )
    return _i(payment.id)


async def _callback(w: World) -> int:
    return int((await w.fb.callbacks.create(ACC, "invoice.create", "https://example.com/hook")).id)


async def _time_entry(w: World) -> int:
    entry = await w.fb.time_entries.create(
        BID, started_at=dt.datetime(2024, 1, 5, 9, tzinfo=dt.UTC), duration=3600, is_logged=True
    )
    return _i(entry.id)


async def _retainer(w: World) -> int:
    return _i((await w.fb.retainers.create(BID, client_id=await w.client_id())).id)


async def _thread(w: World) -> int:
    thread = await w.fb.project_threads.create(
        BID, await w.project_id(), subject="Hi", body="First"
    )
    return _i(thread.id)


async def _ledger_account(w: World) -> str:
    account = await w.fb.ledger_accounts.create(
        await w.uuid(), name="Petty cash", sub_type="Cash & Bank", parent_account="1000"
    )
    return str(account.uuid)


async def _checkout_link(w: World) -> int | str:
    link = await w.fb.checkout_links.create(ACC, title="T", price="5.00", currency_code="USD")
    return link.id  # type: ignore[return-value]


async def _upload(w: World, kind: str) -> str:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    uploader = w.fb.images if kind == "image" else w.fb.attachments
    upload = await uploader.upload(ACC, png, filename="x.png")
    return str(upload.jwt)


async def _report_token(w: World) -> str:
    report = await w.fb.reports.invoice_details(ACC)
    return str(report.download_token)


A = "/accounting/account/{account_id}"
DRIVERS: dict[str, Driver] = {}


def driver(*keys: str) -> Callable[[Driver], Driver]:
    def register(fn: Driver) -> Driver:
        for key in keys:
            assert key not in DRIVERS, key
            DRIVERS[key] = fn
        return fn

    return register


# Generic accounting CRUD, data-driven: (resource, namespace, create kwargs factory).
async def _crud_create(w: World, resource: str) -> Any:
    ns = getattr(w.fb, _NS[resource])
    created = await ns.create(ACC, **await _CREATE[resource](w))
    return _Created(_object_id(created))


@attrs.frozen
class _Created:
    id: int


def _object_id(obj: Any) -> int:
    for name in ("id", "vendorid"):
        value = getattr(obj, name, None)
        if isinstance(value, int):
            return value
    raise AssertionError(f"no id on {obj!r}")


_NS = {
    "clients": "clients",
    "credit_notes": "credit_notes",
    "estimates": "estimates",
    "expenses": "expenses",
    "invoices": "invoices",
    "invoice_profiles": "invoice_profiles",
    "items": "items",
    "payments": "payments",
    "other_income": "other_income",
    "taxes": "taxes",
    "bills": "bills",
    "bill_payments": "bill_payments",
    "bill_vendors": "bill_vendors",
    "tasks": "tasks",
    "staff": "staff",
}


async def _kw_client(w: World) -> dict[str, Any]:
    return {"email": "n@example.com", "organization": "Org"}


async def _kw_credit(w: World) -> dict[str, Any]:
    return {
        "clientid": await w.client_id(),
        "create_date": DAY,
        "currency_code": "USD",
        "lines": [{"description": "Refund", "qty": 1, "unit_cost": MONEY}],
    }


async def _kw_customer(w: World) -> dict[str, Any]:
    return {"customerid": await w.client_id(), "create_date": DAY}


async def _kw_profile(w: World) -> dict[str, Any]:
    return {"customerid": await w.client_id(), "create_date": DAY, "frequency": "m"}


async def _kw_expense(w: World) -> dict[str, Any]:
    return {"categoryid": 1, "staffid": 1, "date": DAY, "amount": MONEY}


async def _kw_payment(w: World) -> dict[str, Any]:
    return {
        "invoiceid": await w.invoice_id(),
        "amount": {"amount": "1.00", "code": "USD"},
        "date": DAY,
        "type": "Cash",
    }


async def _kw_other_income(w: World) -> dict[str, Any]:
    return {"amount": MONEY, "date": DAY, "category_name": "online_sales"}


async def _kw_name(w: World) -> dict[str, Any]:
    return {"name": "Thing"}


async def _kw_bill(w: World) -> dict[str, Any]:
    return {
        "vendorid": await _bill_vendor(w),
        "issue_date": DAY,
        "lines": [{"description": "Paper", "quantity": 1, "unit_cost": MONEY, "categoryid": 1}],
    }


async def _kw_bill_payment(w: World) -> dict[str, Any]:
    return {"billid": await _bill(w), "amount": MONEY, "paid_date": DAY, "payment_type": "Check"}


async def _kw_vendor(w: World) -> dict[str, Any]:
    return {"vendor_name": "Acme"}


_CREATE: dict[str, Callable[[World], Awaitable[dict[str, Any]]]] = {
    "clients": _kw_client,
    "credit_notes": _kw_credit,
    "estimates": _kw_customer,
    "expenses": _kw_expense,
    "invoices": _kw_customer,
    "invoice_profiles": _kw_profile,
    "items": _kw_name,
    "payments": _kw_payment,
    "other_income": _kw_other_income,
    "taxes": _kw_name,
    "bills": _kw_bill,
    "bill_payments": _kw_bill_payment,
    "bill_vendors": _kw_vendor,
    "tasks": _kw_name,
}

_UPDATE: dict[str, dict[str, Any]] = {
    "clients": {"organization": "Renamed"},
    "credit_notes": {"notes": "n"},
    "estimates": {"notes": "n"},
    "expenses": {"notes": "n"},
    "invoices": {"notes": "n"},
    "invoice_profiles": {"notes": "n"},
    "items": {"description": "d"},
    "other_income": {"note": "n"},
    "taxes": {"name": "T2"},
    "bills": {"currency_code": "USD"},
    "bill_payments": {"note": "n"},
    "bill_vendors": {"website": "https://example.com"},
    "tasks": {"description": "d"},
}


def _acc_path(resource: str, sub: str) -> None:
    collection = f"{A}/{sub}"
    item = f"{collection}/{{id}}"

    async def do_list(w: World) -> Any:
        return await getattr(w.fb, _NS[resource]).list(ACC)

    async def do_get(w: World) -> Any:
        created = await _crud_create(w, resource)
        return await getattr(w.fb, _NS[resource]).get(ACC, created.id)

    async def do_create(w: World) -> Any:
        return await _crud_create(w, resource)

    async def do_update(w: World) -> Any:
        created = await _crud_create(w, resource)
        changes = _UPDATE.get(resource) or await _CREATE[resource](w)
        return await getattr(w.fb, _NS[resource]).update(ACC, created.id, **changes)

    async def do_delete_put(w: World) -> Any:
        created = await _crud_create(w, resource)
        ns = getattr(w.fb, _NS[resource])
        style = (
            DeleteStyle.VIS_STATE if ns._spec.delete_style is not DeleteStyle.VIS_STATE else None
        )
        return await ns.delete(ACC, created.id, style=style)

    async def do_delete(w: World) -> Any:
        created = await _crud_create(w, resource)
        return await getattr(w.fb, _NS[resource]).delete(ACC, created.id)

    async def do_archive(w: World) -> Any:
        created = await _crud_create(w, resource)
        return await getattr(w.fb, _NS[resource]).archive(ACC, created.id)

    family = "accounting"
    for op, method, path, fn in (
        ("list", "GET", collection, do_list),
        ("get", "GET", item, do_get),
        ("create", "POST", collection, do_create),
        ("update", "PUT", item, do_update),
        ("delete", "PUT", item, do_delete_put),
        ("delete?", "PUT", item, do_delete_put),
        ("delete", "DELETE", item, do_delete),
        ("delete?", "DELETE", item, do_delete),
        ("archive", "PUT", item, do_archive),
    ):
        key = f"{family} {resource} {op} {method} {path}"
        if key in _ROW_KEYS:
            DRIVERS.setdefault(key, fn)


for _resource, _sub in {
    "clients": "users/clients",
    "credit_notes": "credit_notes/credit_notes",
    "estimates": "estimates/estimates",
    "expenses": "expenses/expenses",
    "invoices": "invoices/invoices",
    "invoice_profiles": "invoice_profiles/invoice_profiles",
    "items": "items/items",
    "payments": "payments/payments",
    "other_income": "other_incomes/other_incomes",
    "taxes": "taxes/taxes",
    "bills": "bills/bills",
    "bill_payments": "bill_payments/bill_payments",
    "bill_vendors": "bill_vendors/bill_vendors",
    "tasks": "projects/tasks",
}.items():
    _acc_path(_resource, _sub)


# ----------------------------------------------------------------- accounting specials

DRIVERS[f"accounting payments update PUT {A}/payments/payments/{{id}}"] = lambda w: _pay_update(w)


async def _pay_update(w: World) -> Any:
    payment = await _payment(w)
    return await w.fb.payments.update(ACC, payment, **await _kw_payment(w), note="n")


@driver(f"accounting clients other:remove_all_secondary_contacts PUT {A}/users/clients/{{id}}")
async def _d_remove_contacts(w: World) -> Any:
    return await w.fb.clients.remove_all_secondary_contacts(ACC, await w.client_id())


@driver(f"accounting contacts update PUT {A}/users/contacts/{{contact_id}}")
async def _d_contact_update(w: World) -> Any:
    return await w.fb.contacts.update(ACC, await _contact_id(w), fname="Renamed")


@driver(f"accounting contacts delete DELETE {A}/users/contacts/{{contact_id}}")
async def _d_contact_delete(w: World) -> Any:
    return await w.fb.contacts.delete(ACC, await _contact_id(w))


@driver(f"accounting estimates other:accept PUT {A}/estimates/estimates/{{id}}")
async def _d_estimate_accept(w: World) -> Any:
    return await w.fb.estimates.accept(ACC, await w.estimate_id())


@driver(f"accounting estimates other:send_by_email PUT {A}/estimates/estimates/{{id}}")
async def _d_estimate_send(w: World) -> Any:
    return await w.fb.estimates.send_by_email(ACC, await w.estimate_id(), ["a@example.com"])


@driver(f"accounting expenses other:summaries GET {A}/expenses/summaries")
async def _d_summaries(w: World) -> Any:
    return await w.fb.expenses.summaries(ACC)


@driver(f"accounting expenses other:vendors GET {A}/expenses/vendors")
async def _d_vendors(w: World) -> Any:
    return await w.fb.expenses.vendors(ACC)


@driver(f"accounting expense_profiles create POST {A}/expense_profiles/expense_profiles")
async def _d_expense_profile(w: World) -> Any:
    return await w.fb.expense_profiles.create(
        ACC, categoryid=1, staffid=1, amount=MONEY, frequency="m", start_date=DAY
    )


@driver(f"accounting expense_categories list GET {A}/expenses/categories")
async def _d_categories(w: World) -> Any:
    return await w.fb.expense_categories.list(ACC)


@driver(f"accounting expense_categories get GET {A}/expenses/categories/{{id}}")
async def _d_category(w: World) -> Any:
    category = _insert(
        w,
        "expense_categories",
        {
            "category": "Travel",
            "parentid": None,
            "is_cogs": False,
            "is_editable": True,
            "created_at": "2024-01-05 10:00:00",
            "updated_at": "2024-01-05 10:00:00",
            "vis_state": 0,
        },
    )
    return await w.fb.expense_categories.get(ACC, category)


@driver(f"accounting expense_categories create? POST {A}/expenses/categories")
async def _d_category_create(w: World) -> Any:
    return await w.fb.expense_categories.create(ACC, category="Travel extras")


@driver(f"accounting invoices other:send_by_email PUT {A}/invoices/invoices/{{id}}")
async def _d_invoice_send(w: World) -> Any:
    return await w.fb.invoices.send_by_email(
        ACC, await w.new_invoice_id(), ["a@example.com"], subject="Hi"
    )


@driver(f"accounting invoices other:pdf GET {A}/invoices/invoices/{{id}}/pdf")
async def _d_pdf(w: World) -> Any:
    pdf = await w.fb.invoices.pdf(ACC, await w.invoice_id())
    assert pdf.startswith(b"%PDF")
    return pdf


@driver(
    f"accounting invoices other:share_link GET "
    f"{A}/invoices/invoices/{{id}}/share_link?share_method=share_link"
)
async def _d_share(w: World) -> Any:
    link = await w.fb.invoices.share_link(ACC, await w.invoice_id())
    assert link.startswith("http")
    return link


@driver(f"accounting invoices other:presentation_defaults GET {A}/invoices/presentations")
async def _d_presentations(w: World) -> Any:
    return await w.fb.invoices.presentation_defaults(ACC)


@driver(f"accounting staff list GET {A}/users/staffs")
async def _d_staff_list(w: World) -> Any:
    return await w.fb.staff.list(ACC)


async def _staff_id(w: World) -> int:
    return _insert(w, "staff", {"email": "staff@example.com", "fname": "S", "vis_state": 0})


@driver(f"accounting staff get GET {A}/users/staffs/{{id}}")
async def _d_staff_get(w: World) -> Any:
    return await w.fb.staff.get(ACC, await _staff_id(w))


@driver(f"accounting staff update PUT {A}/users/staffs/{{id}}")
async def _d_staff_update(w: World) -> Any:
    return await w.fb.staff.update(ACC, await _staff_id(w), fname="Renamed")


@driver(f"accounting staff delete PUT {A}/users/staffs/{{id}}")
async def _d_staff_delete(w: World) -> Any:
    return await w.fb.staff.delete(ACC, await _staff_id(w))


@driver(f"accounting systems get GET {A}/systems/systems/{{id}}")
async def _d_system(w: World) -> Any:
    return await w.fb.systems.get(ACC, BID)


@driver(f"accounting gateways list GET {A}/systems/gateways")
async def _d_gateways(w: World) -> Any:
    return await w.fb.gateways.list(ACC)


@driver(f"accounting gateways delete DELETE {A}/systems/gateways/{{id}}")
async def _d_gateway_delete(w: World) -> Any:
    gateway = _insert(w, "gateways", {"gateway_name": "stripe", "enabled": True})
    return await w.fb.gateways.delete(ACC, gateway)


@driver(f"accounting journal_entries create POST {A}/journal_entries/journal_entries")
async def _d_journal(w: World) -> Any:
    return await w.fb.journal_entries.create(
        ACC,
        name="Adjust",
        currency_code="USD",
        user_entered_date=DAY,
        details=[{"sub_accountid": 1, "debit": MONEY}, {"sub_accountid": 2, "credit": MONEY}],
    )


@driver(f"accounting journal_entry_details list GET {A}/journal_entries/journal_entry_details")
async def _d_journal_details(w: World) -> Any:
    return await w.fb.journal_entry_details.list(ACC)


@driver(
    f"accounting journal_entry_accounts list GET {A}/journal_entry_accounts/journal_entry_accounts"
)
async def _d_journal_accounts(w: World) -> Any:
    return await w.fb.journal_entry_accounts.list(ACC)


@driver(f"accounting billable_items create POST {A}/billable_items/billable_items")
async def _d_billable_create(w: World) -> Any:
    return await w.fb.billable_items.create(ACC, name="Consulting")


@driver(f"accounting billable_items get? GET {A}/billable_items/{{id}}")
async def _d_billable_get(w: World) -> Any:
    item = await w.fb.billable_items.create(ACC, name="Consulting")
    return await w.fb.billable_items.get(ACC, _i(item.id))


_REPORT_LEAF = {"profit_loss": "profitloss_entity", "tax_summary": "taxsummary"}
for _name in (
    "accounts_aging",
    "balance_sheet",
    "bank_reconciliation_summary",
    "account_statement",
    "expense_details",
    "invoice_details",
    "item_sales",
    "payments_collected",
    "profit_loss",
    "revenue_by_client",
    "tax_summary",
    "trial_balance",
):

    async def _d_report(w: World, name: str = _name) -> Any:
        return await getattr(w.fb.reports, name)(ACC)

    _leaf = _REPORT_LEAF.get(_name, _name)
    DRIVERS[f"accounting reports other:{_name} GET {A}/reports/accounting/{_leaf}"] = _d_report


@driver(
    f"accounting reports other:csv_download GET "
    f"{A}/links/reports/{{download_token}}/invoice_details.csv"
)
async def _d_csv(w: World) -> Any:
    return await w.fb.reports.csv_download(ACC, await _report_token(w))


# ----------------------------------------------------------------- accounting-business

B = "/accounting/businesses/{business_uuid}"


@driver(f"accounting-business ledger_accounts list GET {B}/ledger_accounts/accounts")
async def _d_ledger_list(w: World) -> Any:
    return await w.fb.ledger_accounts.list(await w.uuid())


@driver(
    f"accounting-business ledger_accounts get GET {B}/ledger_accounts/accounts/{{account_uuid}}"
)
async def _d_ledger_get(w: World) -> Any:
    return await w.fb.ledger_accounts.get(await w.uuid(), await _ledger_account(w))


@driver(f"accounting-business ledger_accounts create POST {B}/ledger_accounts/accounts")
async def _d_ledger_create(w: World) -> Any:
    return await _ledger_account(w)


@driver(
    f"accounting-business ledger_accounts update PUT {B}/ledger_accounts/accounts/{{account_uuid}}"
)
async def _d_ledger_update(w: World) -> Any:
    return await w.fb.ledger_accounts.update(
        await w.uuid(), await _ledger_account(w), description="Moved"
    )


@driver("accounting-business ledger_account_types list GET /accounting/ledger_accounts/types")
async def _d_types(w: World) -> Any:
    return await w.fb.ledger_account_types.list()


@driver(
    "accounting-business ledger_account_sub_types list GET /accounting/ledger_accounts/sub_types"
)
async def _d_sub_types(w: World) -> Any:
    return await w.fb.ledger_account_sub_types.list()


@driver(
    "accounting-business ledger_account_sub_types get GET "
    "/accounting/ledger_accounts/sub_types/{id}"
)
async def _d_sub_type(w: World) -> Any:
    page = await w.fb.ledger_account_sub_types.list()
    return await w.fb.ledger_account_sub_types.get(_i(page.items[0].id))


for _name in ("general_ledger", "cash_flow", "chart_of_accounts"):

    async def _d_biz_report(w: World, name: str = _name) -> Any:
        return await getattr(w.fb.reports, name)(await w.uuid())

    DRIVERS[f"accounting-business reports other:{_name} GET {B}/reports/{_name}"] = _d_biz_report


# ----------------------------------------------------------------- events

E = "/events/account/{account_id}/events/callbacks"


@driver(f"events callbacks list GET {E}")
async def _d_cb_list(w: World) -> Any:
    return await w.fb.callbacks.list(ACC)


@driver(f"events callbacks get GET {E}/{{id}}")
async def _d_cb_get(w: World) -> Any:
    return await w.fb.callbacks.get(ACC, await _callback(w))


@driver(f"events callbacks create POST {E}")
async def _d_cb_create(w: World) -> Any:
    return await _callback(w)


@driver(f"events callbacks update PUT {E}/{{id}}")
async def _d_cb_update(w: World) -> Any:
    return await w.fb.callbacks.update(ACC, await _callback(w), uri="https://example.com/other")


@driver(f"events callbacks delete DELETE {E}/{{id}}")
async def _d_cb_delete(w: World) -> Any:
    return await w.fb.callbacks.delete(ACC, await _callback(w))


@driver(f"events callbacks other:verify PUT {E}/{{id}}")
async def _d_cb_verify(w: World) -> Any:
    callback_id = await _callback(w)
    await w.sandbox.drain()
    return await w.fb.callbacks.verify(ACC, callback_id, _verifier(w, callback_id))


def _verifier(w: World, callback_id: int) -> str:
    table = w.sandbox.table(ACC, "callbacks")
    record = table.get(callback_id)
    assert record is not None
    value = record.extras.get("verifier") or record.data.get("verifier")
    assert isinstance(value, str), record
    return value


@driver(f"events callbacks other:resend_verification PUT {E}/{{id}}")
async def _d_cb_resend(w: World) -> Any:
    return await w.fb.callbacks.resend_verification(ACC, await _callback(w))


# ----------------------------------------------------------------- projects family

P = "/projects/business/{business_id}"


@driver(f"projects projects list GET {P}/projects")
async def _d_projects(w: World) -> Any:
    return await w.fb.projects.list(BID)


@driver(f"projects projects get GET {P}/project/{{id}}")
async def _d_project_get(w: World) -> Any:
    return await w.fb.projects.get(BID, await w.project_id())


@driver(f"projects projects get GET {P}/projects/{{id}}")
async def _d_project_get_plural(w: World) -> Any:
    return await w.fb.projects.plural_paths.get(BID, await w.project_id())


@driver(f"projects projects create POST {P}/project")
async def _d_project_create(w: World) -> Any:
    return await w.fb.projects.create(BID, title="New")


@driver(f"projects projects create? POST {P}/projects")
async def _d_project_create_plural(w: World) -> Any:
    return await w.fb.projects.plural_paths.create(BID, title="New")


@driver(f"projects projects update PUT {P}/project/{{id}}")
async def _d_project_update(w: World) -> Any:
    return await w.fb.projects.update(BID, await w.project_id(), title="Renamed")


@driver(f"projects projects update? PUT {P}/projects/{{id}}")
async def _d_project_update_plural(w: World) -> Any:
    return await w.fb.projects.plural_paths.update(BID, await w.project_id(), title="Again")


@driver(f"projects projects delete DELETE {P}/project/{{id}}")
async def _d_project_delete(w: World) -> Any:
    project = await w.fb.projects.create(BID, title="Doomed")
    return await w.fb.projects.delete(BID, _i(project.id))


@driver(f"projects projects delete? DELETE {P}/projects/{{id}}")
async def _d_project_delete_plural(w: World) -> Any:
    project = await w.fb.projects.create(BID, title="Doomed")
    return await w.fb.projects.plural_paths.delete(BID, _i(project.id))


@driver(f"projects projects other:abilities GET {P}/abilities")
async def _d_abilities(w: World) -> Any:
    return await w.fb.projects.abilities(BID)


T = "/timetracking/business/{business_id}/time_entries"


@driver(f"timetracking time_entries list GET {T}")
async def _d_te_list(w: World) -> Any:
    return await w.fb.time_entries.list(BID)


@driver(f"timetracking time_entries get GET {T}/{{id}}")
async def _d_te_get(w: World) -> Any:
    return await w.fb.time_entries.get(BID, await _time_entry(w))


@driver(f"timetracking time_entries create POST {T}")
async def _d_te_create(w: World) -> Any:
    return await _time_entry(w)


@driver(f"timetracking time_entries update PUT {T}/{{id}}")
async def _d_te_update(w: World) -> Any:
    return await w.fb.time_entries.update(BID, await _time_entry(w), note="Edited")


@driver(f"timetracking time_entries delete DELETE {T}/{{id}}")
async def _d_te_delete(w: World) -> Any:
    return await w.fb.time_entries.delete(BID, await _time_entry(w))


@driver(f"timetracking time_entries other:search GET {T}/search")
async def _d_te_search(w: World) -> Any:
    return await w.fb.time_entries.search(BID)


C = "/comments/business/{business_id}"


@driver(f"comments services list GET {C}/services")
async def _d_services(w: World) -> Any:
    return await w.fb.services.list(BID)


@driver(f"comments services get GET {C}/service/{{id}}")
async def _d_service_get(w: World) -> Any:
    return await w.fb.services.get(BID, await w.service_id())


@driver(f"comments services create POST {C}/service")
async def _d_service_create(w: World) -> Any:
    return await w.fb.services.create(BID, name="Another")


@driver(f"comments services update PUT {C}/service/{{id}}")
async def _d_service_update(w: World) -> Any:
    return await w.fb.services.update(BID, await w.service_id(), name="Renamed")


@driver(f"comments services delete? DELETE {C}/service/{{id}}")
async def _d_service_delete(w: World) -> Any:
    service = await w.fb.services.create(BID, name="Doomed")
    return await w.fb.services.delete(BID, _i(service.id))


@driver(f"comments service_rates list GET {C}/service_rates")
async def _d_rates(w: World) -> Any:
    return await w.fb.service_rates.list(BID)


@driver(f"comments service_rates create POST {C}/service/{{service_id}}/rate")
async def _d_rate_create(w: World) -> Any:
    return await w.fb.service_rates.create(BID, await w.service_id(), rate="80.00")


@driver(f"comments service_rates get GET {C}/service/{{service_id}}/rate")
async def _d_rate_get(w: World) -> Any:
    service = await w.service_id()
    await w.fb.service_rates.create(BID, service, rate="80.00")
    return await w.fb.service_rates.get(BID, service)


@driver(f"comments service_rates update PUT {C}/service/{{service_id}}/rate")
async def _d_rate_update(w: World) -> Any:
    service = await w.service_id()
    await w.fb.service_rates.create(BID, service, rate="80.00")
    return await w.fb.service_rates.update(BID, service, rate="90.00")


@driver(
    f"comments project_service_rates update PUT "
    f"{C}/project/{{project_id}}/service/{{service_id}}/rate"
)
async def _d_project_rate(w: World) -> Any:
    return await w.fb.project_service_rates.update(
        BID, await w.project_id(), await w.service_id(), rate="70.00"
    )


@driver(f"comments retainers list GET {C}/retainers")
async def _d_retainers(w: World) -> Any:
    return await w.fb.retainers.list(BID)


@driver(f"comments retainers get GET {C}/retainer/{{id}}")
async def _d_retainer_get(w: World) -> Any:
    return await w.fb.retainers.get(BID, await _retainer(w))


@driver(f"comments retainers create POST {C}/retainers")
async def _d_retainer_create(w: World) -> Any:
    return await _retainer(w)


@driver(f"comments retainers update PUT {C}/retainer/{{id}}")
async def _d_retainer_update(w: World) -> Any:
    return await w.fb.retainers.update(BID, await _retainer(w), frequency="monthly")


@driver(f"comments retainers delete PUT {C}/retainer/{{id}}")
async def _d_retainer_delete(w: World) -> Any:
    return await w.fb.retainers.delete(BID, await _retainer(w))


@driver(f"comments retainers other:undelete PUT {C}/retainer/{{id}}")
async def _d_retainer_undelete(w: World) -> Any:
    retainer = await _retainer(w)
    await w.fb.retainers.delete(BID, retainer)
    return await w.fb.retainers.undelete(BID, retainer)


@driver(f"comments team_member_rates list GET {C}/team_member_rates")
async def _d_tm_rates(w: World) -> Any:
    return await w.fb.team_member_rates.list(BID)


@driver(f"comments team_member_rates update PUT {C}/team_member_rate/{{identity_id}}")
async def _d_tm_rate(w: World) -> Any:
    me = await w.fb.me()
    return await w.fb.team_member_rates.update(BID, _i(me.identity_id), rate="60.00")


@driver(f"comments invitation_rates list GET {C}/invitation_rates")
async def _d_inv_rates(w: World) -> Any:
    return await w.fb.invitation_rates.list(BID)


@driver(f"comments project_threads list GET {C}/project/{{project_id}}/threads")
async def _d_threads(w: World) -> Any:
    return await w.fb.project_threads.list(BID, await w.project_id())


@driver(f"comments project_threads create POST {C}/project/{{project_id}}/threads")
async def _d_thread_create(w: World) -> Any:
    return await _thread(w)


@driver(f"comments thread_comments create POST {C}/threads/{{thread_id}}/comments")
async def _d_comment(w: World) -> Any:
    return await w.fb.thread_comments.create(BID, await _thread(w), body="Reply")


@driver(f"comments projects delete? DELETE {C}/project/{{id}}")
async def _d_comments_project_delete(w: World) -> Any:
    project = await w.fb.projects.create(BID, title="Doomed")
    return await w.fb.projects.delete_via_comments(BID, _i(project.id))


@driver(f"comments reports other:time_entry_details GET {C}/time_entries/search")
async def _d_te_details(w: World) -> Any:
    return await w.fb.reports.time_entry_details(BID)


# ----------------------------------------------------------------- auth

U = "/auth/api/v1"


@driver(f"auth identity get GET {U}/users/me")
async def _d_me(w: World) -> Any:
    return await w.fb.me()


@driver(f"auth identity other:register POST {U}/smux/registrations")
async def _d_register(w: World) -> Any:
    return await w.fb.identity.register(email="new@example.com", password="correct horse")


@driver(f"auth businesses create POST {U}/users/business")
async def _d_biz_create(w: World) -> Any:
    return await w.fb.businesses.create(name="Second Co")


@driver(f"auth businesses delete DELETE {U}/users/business/{{business_id}}")
async def _d_biz_delete(w: World) -> Any:
    business = await w.fb.businesses.create(name="Short-lived Co")
    return await w.fb.businesses.delete(_i(business.id))


@driver(f"auth businesses other:list_business_group_members GET {U}/users/business/{{business_id}}")
async def _d_biz_members(w: World) -> Any:
    return await w.fb.businesses.list_business_group_members(BID)


@driver(f"auth billing_subscription delete? DELETE {U}/billing/account/{{account_id}}/subscription")
async def _d_subscription(w: World) -> Any:
    return await w.fb.businesses.delete_subscription(ACC)


@driver(f"auth applications list GET {U}/partners/applications")
async def _d_apps(w: World) -> Any:
    return await w.fb.applications.list()


@driver(f"auth applications create POST {U}/partners/applications")
async def _d_app_create(w: World) -> Any:
    return await w.fb.applications.create(name="App", redirect_uris=["https://x.example/cb"])


@driver(f"auth applications update PUT {U}/partners/applications/{{client_id}}")
async def _d_app_update(w: World) -> Any:
    app = await w.fb.applications.create(name="App")
    return await w.fb.applications.update(str(app.client_id), name="Renamed")


@driver(f"auth team_members list GET {U}/businesses/{{business_id}}/team_members")
async def _d_team(w: World) -> Any:
    return await w.fb.team_members.list(BID)


@driver(
    f"auth team_members get GET {U}/businesses/{{business_id}}/team_members/{{team_member_uuid}}"
)
async def _d_team_get(w: World) -> Any:
    page = await w.fb.team_members.list(BID)
    return await w.fb.team_members.get(BID, str(page.items[0].uuid))


@driver(f"auth invitations create POST {U}/users/invitation")
async def _d_invite(w: World) -> Any:
    return await w.fb.invitations.create(email="friend@example.com", business_id=BID)


# ----------------------------------------------------------------- payments

Y = "/payments/account/{account_id}"


@driver(f"payments payment_options other:defaults GET {Y}/payment_options?entity_type=invoice")
async def _d_po_defaults(w: World) -> Any:
    return await w.fb.payment_options.defaults(ACC)


@driver(f"payments payment_options get GET {Y}/invoice/{{invoice_id}}/payment_options")
async def _d_po_get(w: World) -> Any:
    return await w.fb.payment_options.get(ACC, await w.invoice_id())


@driver(f"payments payment_options create POST {Y}/invoice/{{invoice_id}}/payment_options")
async def _d_po_create(w: World) -> Any:
    return await w.fb.payment_options.create(
        ACC, await w.invoice_id(), gateway_name="fbpay", has_credit_card=True
    )


@driver(f"payments payment_options create POST {Y}/invoice_profile/{{id}}/payment_options")
async def _d_po_profile(w: World) -> Any:
    profile = await w.fb.invoice_profiles.create(ACC, **await _kw_profile(w))
    return await w.fb.payment_options.create_for_invoice_profile(
        ACC, _i(profile.id), gateway_name="fbpay"
    )


@driver(f"payments checkout_links create POST {Y}/checkout-links")
async def _d_cl_create(w: World) -> Any:
    return await _checkout_link(w)


@driver(f"payments checkout_links update PUT {Y}/checkout-links/{{id}}")
async def _d_cl_update(w: World) -> Any:
    return await w.fb.checkout_links.update(ACC, int(await _checkout_link(w)), title="Renamed")


@driver(f"payments checkout_links delete DELETE {Y}/checkout-links/{{id}}")
async def _d_cl_delete(w: World) -> Any:
    return await w.fb.checkout_links.delete(ACC, int(await _checkout_link(w)))


@driver(
    f"payments checkout_links other:payment_options POST {Y}/checkout_link/{{id}}/payment_options"
)
async def _d_cl_options(w: World) -> Any:
    return await w.fb.checkout_links.set_payment_options(
        ACC, int(await _checkout_link(w)), gateway_name="fbpay"
    )


@driver(f"payments gateways list GET {Y}/gateway")
async def _d_pg_list(w: World) -> Any:
    return await w.fb.payment_gateways.list(ACC)


@driver(f"payments gateways other:provision_fbpay POST {Y}/gateway/fbpay")
async def _d_pg_fbpay(w: World) -> Any:
    return await w.fb.payment_gateways.provision_fbpay(ACC)


@driver(f"payments gateways other:stripe_setup_intent POST {Y}/gateway/stripe/credit-card/token")
async def _d_pg_stripe(w: World) -> Any:
    return await w.fb.payment_gateways.stripe_setup_intent(ACC, payment_method_key="pm_123")


@driver(f"payments credit_cards create POST {Y}/credit-card")
async def _d_card(w: World) -> Any:
    return await w.fb.credit_cards.create(ACC, payment_method_key="pm_123")


# ----------------------------------------------------------------- uploads


@driver("uploads images create POST /uploads/account/{account_id}/images")
async def _d_img(w: World) -> Any:
    return await _upload(w, "image")


@driver("uploads images create POST /uploads/images")
async def _d_img_bare(w: World) -> Any:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    return await w.fb.images.upload(None, png, filename="logo.png")


@driver("uploads images get GET /uploads/images/{jwt}")
async def _d_img_get(w: World) -> Any:
    return await w.fb.images.download(await _upload(w, "image"))


@driver("uploads attachments create POST /uploads/account/{account_id}/attachments")
async def _d_att(w: World) -> Any:
    return await _upload(w, "attachment")


@driver("uploads attachments get GET /uploads/attachments/{jwt}")
async def _d_att_get(w: World) -> Any:
    return await w.fb.attachments.download(await _upload(w, "attachment"))


# ----------------------------------------------------------------- the tests


def test_every_row_has_a_driver_or_a_reason() -> None:
    missing = [
        row.full_key
        for row in ROWS
        if row.full_key not in DRIVERS and row.key.rstrip("?") not in OUT_OF_SCOPE
    ]
    assert missing == []
    stale = sorted(set(DRIVERS) - {row.full_key for row in ROWS})
    assert stale == []
    listed = {row.key for row in ROWS}
    assert set(OUT_OF_SCOPE) <= listed
    for key in OUT_OF_SCOPE:
        family = key.split()[0]
        assert family == "oauth" or "tokenization" in key


@pytest.mark.parametrize(
    "row",
    [row for row in ROWS if row.full_key in DRIVERS],
    ids=lambda row: row.full_key,
)
async def test_row_is_reachable_through_a_typed_method(row: Row) -> None:
    world = World()
    async with world.fb:
        result = await DRIVERS[row.full_key](world)
    assert result is not None or row.method in ("DELETE", "PUT")
    hits = [r for r in world.requests if row.matches(r)]
    assert hits, (row.full_key, [(r.method, str(r.url)) for r in world.requests])
    assert world.sandbox.stats.requests[f"{row.method} {row.template}"] >= 1
    failed = {k: v for k, v in world.sandbox.stats.statuses.items() if k >= 400}
    assert not failed, failed
