"""The entry point: :class:`FreshBooksClient`."""

from __future__ import annotations

import functools
import math
import sys
import warnings
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final

import yarl

from ._clock import Clock, SystemClock
from ._pipeline import APIResponse, Expect, Pipeline, QueryParams, TokenSource
from ._version import __version__
from .coordination import AccountSemaphore, Coordinator, InProcessCoordinator, retry_scope
from .errors import TransportError
from .hooks import EventHooks, _hook_set
from .retry import RetryPolicy
from .transports import BodyStream, Response, Transport
from .transports._protocol import missing_methods
from .transports._streamed import StreamedResponse

if TYPE_CHECKING:
    from .models.identity import Identity
    from .resources.accounting import (
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
    from .resources.identity import Applications, Businesses, Identities, Invitations, TeamMembers
    from .resources.ledger import LedgerAccounts, LedgerAccountSubTypes, LedgerAccountTypes
    from .resources.online_payments import (
        CheckoutLinks,
        CreditCards,
        PaymentGateways,
        PaymentOptionsResource,
    )
    from .resources.projects import (
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
    from .resources.reports import Reports
    from .uploads import Attachments, Images
    from .webhooks import Callbacks

__all__ = ["DEFAULT_BASE_URL", "FreshBooksClient", "StaticToken"]

#: Where FreshBooks serves its REST API.
DEFAULT_BASE_URL: Final = "https://api.freshbooks.com"


def _redact(secret: str) -> str:
    return f"'{secret[:4]}…'" if len(secret) > 12 else "'<redacted>'"


class StaticToken:
    """A fixed bearer token (no refresh): the simplest :class:`TokenSource`.

    Its ``repr`` shows only the first characters of the token.
    """

    __slots__ = ("_token",)

    def __init__(self, token: str) -> None:
        if not isinstance(token, str):
            raise TypeError(f"access_token: expected str, got {type(token).__name__}")
        if not token.strip() or any(c in token for c in "\r\n"):
            raise ValueError("access_token: must be a non-empty single-line string")
        self._token = token

    async def access_token(self) -> str:
        """The token."""
        return self._token

    async def on_unauthorized(self, rejected_token: str, response: Response) -> bool:
        """A static token cannot be refreshed: the 401 surfaces."""
        return False

    def __repr__(self) -> str:
        return f"StaticToken({_redact(self._token)})"


def _check_base_url(base_url: object) -> yarl.URL:
    if not isinstance(base_url, str | yarl.URL):
        raise TypeError(f"base_url: expected str or yarl.URL, got {base_url!r}")
    try:
        url = yarl.URL(base_url)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"base_url: not a URL: {base_url!r} ({exc})") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(
            f"base_url: expected an http(s) URL such as {DEFAULT_BASE_URL!r}, got {str(base_url)!r}"
        )
    if url.query_string or url.fragment or url.user or url.password:
        raise ValueError(
            f"base_url: must not carry a query, fragment or credentials, got {str(base_url)!r}"
        )
    return url


def _check_positive(name: str, value: object, *, allow_none: bool = False) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name}: expected a number, got {type(value).__name__}: {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: must be a finite number > 0, got {value!r}")
    return float(value)


def _check_raw_path(path: str) -> None:
    """Refuse a raw API path a server would read as another path: dot segments (which
    resolve to the parent), a query or fragment (those go in ``params``), and spaces
    or control characters (ids are percent-encoded already, see ``build_path``)."""
    segments = path.split("/")
    if "." in segments or ".." in segments:
        problem = "a '.' or '..' segment"
    elif "?" in path or "#" in path:
        problem = "a '?' or '#' (give the query as params=)"
    # One pass in C, not one call per character: every whitespace character but the
    # space is also unprintable.
    elif " " in path or not path.isprintable():
        problem = "a space or control character (percent-encode it)"
    else:  # good: the callers skip it next time
        if len(_CHECKED_PATHS) >= 1024:  # paths carry ids: keep the set bounded
            _CHECKED_PATHS.clear()
        _CHECKED_PATHS.add(path)
        return
    raise ValueError(f"path: {path!r} has {problem}")


#: Raw paths :func:`_check_raw_path` found good.
_CHECKED_PATHS: set[str] = set()


class FreshBooksClient:
    """An async client for the FreshBooks API.

    Use it as an async context manager, one per application (it pools connections)::

        async with FreshBooksClient(access_token=token) as fb:
            me = await fb.me()

    Args:
        access_token: A bearer token. Give this or ``token_provider``.
        token_provider: A :class:`~freshbooks_async._pipeline.TokenSource` such as an
            OAuth2 session that refreshes tokens.
        base_url: The API root; point it at the sandbox in tests.
        transport: How requests are sent; an :class:`~freshbooks_async.transports.AiohttpTransport`
            is created (and owned) when not given.
        retry: The retry policy (:class:`~freshbooks_async.retry.RetryPolicy`).
        clock: Time and sleeping; inject a :class:`~freshbooks_async.FakeClock` in tests.
        max_in_flight: The most requests this client has on the wire at once.
        per_account_concurrency: The most invoice creates in flight per account, across
            every bulk call and ``invoices.create`` of every client that shares the
            ``coordinator`` (FreshBooks' numbering races grow with it).
        timeout: Seconds allowed per attempt (connect + response). When the client
            creates its transport, also the longest wait for the next bytes of a
            response body, so a body that stalls raises
            :class:`~freshbooks_async.errors.ReadTimeoutError`; this is what bounds a
            streamed body (:meth:`stream`, ``download_to``), whose whole download may
            take longer.
        connect_timeout: Seconds allowed to open a connection (owned transport only).
        user_agent: Appended to the SDK's own ``User-Agent``.
        api_version: Sent as ``Api-Version`` when given (e.g. ``"alpha"``).
        coordinator: Where per-account state shared with other clients lives (account
            slots, invoice counters, retry budgets): a
            :class:`~freshbooks_async.redis.RedisCoordinator` shares it with every
            process using the same Redis. Default: a new
            :class:`~freshbooks_async.coordination.InProcessCoordinator` (this client
            alone). The client does not close it. Its retry budgets are the client's,
            one per account (:func:`~freshbooks_async.coordination.retry_scope`).
        event_hooks: Callables to observe every attempt of every call, by event:
            ``{"request": [...], "response": [...], "retry": [...]}``, sync or async
            (see :mod:`freshbooks_async.hooks`).
    """

    def __init__(
        self,
        access_token: str | None = None,
        *,
        token_provider: TokenSource | None = None,
        base_url: str | yarl.URL = DEFAULT_BASE_URL,
        transport: Transport | None = None,
        retry: RetryPolicy | None = None,
        clock: Clock | None = None,
        max_in_flight: int = 64,
        per_account_concurrency: int = 8,
        timeout: float | None = 60.0,
        connect_timeout: float | None = 10.0,
        user_agent: str | None = None,
        api_version: str | None = None,
        coordinator: Coordinator | None = None,
        event_hooks: EventHooks | None = None,
    ) -> None:
        if access_token is not None and token_provider is not None:
            raise ValueError("give access_token or token_provider, not both")
        tokens: TokenSource | None = (
            StaticToken(access_token) if access_token is not None else token_provider
        )
        url = _check_base_url(base_url)
        if isinstance(max_in_flight, bool) or not isinstance(max_in_flight, int):
            raise TypeError(f"max_in_flight: expected int, got {max_in_flight!r}")
        if max_in_flight < 1:
            raise ValueError(f"max_in_flight: must be >= 1, got {max_in_flight!r}")
        if isinstance(per_account_concurrency, bool) or not isinstance(
            per_account_concurrency, int
        ):
            raise TypeError(
                f"per_account_concurrency: expected int, got {per_account_concurrency!r}"
            )
        if per_account_concurrency < 1:
            raise ValueError(
                f"per_account_concurrency: must be >= 1, got {per_account_concurrency!r}"
            )
        timeout_s = _check_positive("timeout", timeout, allow_none=True)
        hooks = _hook_set(event_hooks)
        connect_s = _check_positive("connect_timeout", connect_timeout, allow_none=True)
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise TypeError(f"retry: expected RetryPolicy, got {type(retry).__name__}")
        if transport is not None and not isinstance(transport, Transport):
            raise TypeError(
                f"transport: {type(transport).__name__} does not implement Transport "
                f"(missing: {', '.join(missing_methods(transport))})"
            )
        if coordinator is not None and not isinstance(coordinator, Coordinator):
            raise TypeError(
                f"coordinator: {type(coordinator).__name__} does not implement Coordinator "
                "(acquire_slot, release_slot, next_invoice_number, advance_invoice_numbers, "
                "retry_budget, aclose)"
            )
        agent = f"freshbooks_async/{__version__} python/{sys.version_info[0]}.{sys.version_info[1]}"
        if user_agent is not None:
            if not isinstance(user_agent, str) or any(c in user_agent for c in "\r\n"):
                raise ValueError(f"user_agent: must be a single-line str, got {user_agent!r}")
            agent = f"{agent} {user_agent}"
        headers = {"User-Agent": agent, "Accept": "application/json"}
        if api_version is not None:
            if not isinstance(api_version, str) or not api_version.strip():
                raise ValueError(f"api_version: must be a non-empty str, got {api_version!r}")
            headers["Api-Version"] = api_version

        self._owns_transport = transport is None
        if transport is None:
            from .transports import AiohttpTransport

            # The per-attempt timeout bounds a streamed body's waits for data as well
            # (the whole body may take longer: large downloads).
            transport = AiohttpTransport(connect_timeout=connect_s, read_timeout=timeout_s)
        self._closed = False
        self._per_account_concurrency = per_account_concurrency
        self._coordinator: Coordinator = (
            coordinator if coordinator is not None else InProcessCoordinator()
        )
        self._account_semaphores: dict[str, AccountSemaphore] = {}
        coordinator_budget = self._coordinator.retry_budget
        self._pipeline = Pipeline(
            transport=transport,
            base_url=url,
            tokens=tokens,
            retry=retry or RetryPolicy(),
            clock=clock or SystemClock(),
            max_in_flight=max_in_flight,
            default_headers=headers,
            timeout=timeout_s,
            hooks=hooks,
            budgets=lambda path: coordinator_budget(retry_scope(path)),
        )
        # A token source that must call the API itself (OAuth2 refresh) is handed the
        # client, so token requests share its transport, retries and clock.
        attach = getattr(tokens, "attach", None)
        if callable(attach):
            attach(self)

    # ----------------------------------------------------------------- namespaces

    # One per catalogue resource, built on first access: a namespace's module, and the
    # model classes it decodes, are imported then, not when the client is imported.

    @functools.cached_property
    def invoices(self) -> Invoices:
        """The invoices namespace (:class:`~freshbooks_async.resources.Invoices`)."""
        from .resources.accounting import Invoices

        return Invoices(self)

    @functools.cached_property
    def clients(self) -> Clients:
        """The clients namespace (:class:`~freshbooks_async.resources.Clients`)."""
        from .resources.accounting import Clients

        return Clients(self)

    @functools.cached_property
    def contacts(self) -> Contacts:
        """The contacts namespace (:class:`~freshbooks_async.resources.Contacts`)."""
        from .resources.accounting import Contacts

        return Contacts(self)

    @functools.cached_property
    def credit_notes(self) -> CreditNotes:
        """The credit notes namespace (:class:`~freshbooks_async.resources.CreditNotes`)."""
        from .resources.accounting import CreditNotes

        return CreditNotes(self)

    @functools.cached_property
    def estimates(self) -> Estimates:
        """The estimates namespace (:class:`~freshbooks_async.resources.Estimates`)."""
        from .resources.accounting import Estimates

        return Estimates(self)

    @functools.cached_property
    def expenses(self) -> Expenses:
        """The expenses namespace (:class:`~freshbooks_async.resources.Expenses`)."""
        from .resources.accounting import Expenses

        return Expenses(self)

    @functools.cached_property
    def expense_profiles(self) -> ExpenseProfiles:
        """The expense profiles namespace (:class:`~freshbooks_async.resources.ExpenseProfiles`)."""
        from .resources.accounting import ExpenseProfiles

        return ExpenseProfiles(self)

    @functools.cached_property
    def expense_categories(self) -> ExpenseCategories:
        """The expense categories namespace
        (:class:`~freshbooks_async.resources.ExpenseCategories`)."""
        from .resources.accounting import ExpenseCategories

        return ExpenseCategories(self)

    @functools.cached_property
    def invoice_profiles(self) -> InvoiceProfiles:
        """The invoice profiles namespace (:class:`~freshbooks_async.resources.InvoiceProfiles`)."""
        from .resources.accounting import InvoiceProfiles

        return InvoiceProfiles(self)

    @functools.cached_property
    def items(self) -> Items:
        """The items namespace (:class:`~freshbooks_async.resources.Items`)."""
        from .resources.accounting import Items

        return Items(self)

    @functools.cached_property
    def payments(self) -> Payments:
        """The payments namespace (:class:`~freshbooks_async.resources.Payments`)."""
        from .resources.accounting import Payments

        return Payments(self)

    @functools.cached_property
    def other_income(self) -> OtherIncomes:
        """The other income namespace (:class:`~freshbooks_async.resources.OtherIncomes`)."""
        from .resources.accounting import OtherIncomes

        return OtherIncomes(self)

    @functools.cached_property
    def taxes(self) -> Taxes:
        """The taxes namespace (:class:`~freshbooks_async.resources.Taxes`)."""
        from .resources.accounting import Taxes

        return Taxes(self)

    @functools.cached_property
    def bills(self) -> Bills:
        """The bills namespace (:class:`~freshbooks_async.resources.Bills`)."""
        from .resources.accounting import Bills

        return Bills(self)

    @functools.cached_property
    def bill_payments(self) -> BillPayments:
        """The bill payments namespace (:class:`~freshbooks_async.resources.BillPayments`)."""
        from .resources.accounting import BillPayments

        return BillPayments(self)

    @functools.cached_property
    def bill_vendors(self) -> BillVendors:
        """The bill vendors namespace (:class:`~freshbooks_async.resources.BillVendors`)."""
        from .resources.accounting import BillVendors

        return BillVendors(self)

    @functools.cached_property
    def tasks(self) -> Tasks:
        """The tasks namespace (:class:`~freshbooks_async.resources.Tasks`)."""
        from .resources.accounting import Tasks

        return Tasks(self)

    @functools.cached_property
    def staff(self) -> Staffs:
        """The staff namespace (:class:`~freshbooks_async.resources.Staffs`)."""
        from .resources.accounting import Staffs

        return Staffs(self)

    @functools.cached_property
    def systems(self) -> Systems:
        """The systems namespace (:class:`~freshbooks_async.resources.Systems`)."""
        from .resources.accounting import Systems

        return Systems(self)

    @functools.cached_property
    def gateways(self) -> Gateways:
        """The gateways namespace (:class:`~freshbooks_async.resources.Gateways`)."""
        from .resources.accounting import Gateways

        return Gateways(self)

    @functools.cached_property
    def journal_entries(self) -> JournalEntries:
        """The journal entries namespace (:class:`~freshbooks_async.resources.JournalEntries`)."""
        from .resources.accounting import JournalEntries

        return JournalEntries(self)

    @functools.cached_property
    def journal_entry_details(self) -> JournalEntryDetails:
        """The journal entry details namespace
        (:class:`~freshbooks_async.resources.JournalEntryDetails`)."""
        from .resources.accounting import JournalEntryDetails

        return JournalEntryDetails(self)

    @functools.cached_property
    def journal_entry_accounts(self) -> JournalEntryAccounts:
        """The journal entry accounts namespace
        (:class:`~freshbooks_async.resources.JournalEntryAccounts`)."""
        from .resources.accounting import JournalEntryAccounts

        return JournalEntryAccounts(self)

    @functools.cached_property
    def billable_items(self) -> BillableItems:
        """The billable items namespace (:class:`~freshbooks_async.resources.BillableItems`)."""
        from .resources.accounting import BillableItems

        return BillableItems(self)

    @functools.cached_property
    def reports(self) -> Reports:
        """The reports namespace (:class:`~freshbooks_async.resources.Reports`)."""
        from .resources.reports import Reports

        return Reports(self)

    @functools.cached_property
    def ledger_accounts(self) -> LedgerAccounts:
        """The ledger accounts namespace (:class:`~freshbooks_async.resources.LedgerAccounts`)."""
        from .resources.ledger import LedgerAccounts

        return LedgerAccounts(self)

    @functools.cached_property
    def ledger_account_types(self) -> LedgerAccountTypes:
        """The ledger account types namespace
        (:class:`~freshbooks_async.resources.LedgerAccountTypes`)."""
        from .resources.ledger import LedgerAccountTypes

        return LedgerAccountTypes(self)

    @functools.cached_property
    def ledger_account_sub_types(self) -> LedgerAccountSubTypes:
        """The ledger account sub types namespace
        (:class:`~freshbooks_async.resources.LedgerAccountSubTypes`)."""
        from .resources.ledger import LedgerAccountSubTypes

        return LedgerAccountSubTypes(self)

    @functools.cached_property
    def projects(self) -> Projects:
        """The projects namespace (:class:`~freshbooks_async.resources.Projects`)."""
        from .resources.projects import Projects

        return Projects(self)

    @functools.cached_property
    def time_entries(self) -> TimeEntries:
        """The time entries namespace (:class:`~freshbooks_async.resources.TimeEntries`)."""
        from .resources.projects import TimeEntries

        return TimeEntries(self)

    @functools.cached_property
    def services(self) -> Services:
        """The services namespace (:class:`~freshbooks_async.resources.Services`)."""
        from .resources.projects import Services

        return Services(self)

    @functools.cached_property
    def service_rates(self) -> ServiceRates:
        """The service rates namespace (:class:`~freshbooks_async.resources.ServiceRates`)."""
        from .resources.projects import ServiceRates

        return ServiceRates(self)

    @functools.cached_property
    def project_service_rates(self) -> ProjectServiceRates:
        """The project service rates namespace
        (:class:`~freshbooks_async.resources.ProjectServiceRates`)."""
        from .resources.projects import ProjectServiceRates

        return ProjectServiceRates(self)

    @functools.cached_property
    def retainers(self) -> Retainers:
        """The retainers namespace (:class:`~freshbooks_async.resources.Retainers`)."""
        from .resources.projects import Retainers

        return Retainers(self)

    @functools.cached_property
    def team_member_rates(self) -> TeamMemberRates:
        """The team member rates namespace
        (:class:`~freshbooks_async.resources.TeamMemberRates`)."""
        from .resources.projects import TeamMemberRates

        return TeamMemberRates(self)

    @functools.cached_property
    def invitation_rates(self) -> InvitationRates:
        """The invitation rates namespace (:class:`~freshbooks_async.resources.InvitationRates`)."""
        from .resources.projects import InvitationRates

        return InvitationRates(self)

    @functools.cached_property
    def project_threads(self) -> ProjectThreads:
        """The project threads namespace (:class:`~freshbooks_async.resources.ProjectThreads`)."""
        from .resources.projects import ProjectThreads

        return ProjectThreads(self)

    @functools.cached_property
    def thread_comments(self) -> ThreadComments:
        """The thread comments namespace (:class:`~freshbooks_async.resources.ThreadComments`)."""
        from .resources.projects import ThreadComments

        return ThreadComments(self)

    @functools.cached_property
    def identity(self) -> Identities:
        """The identity namespace (:class:`~freshbooks_async.resources.Identities`)."""
        from .resources.identity import Identities

        return Identities(self)

    @functools.cached_property
    def businesses(self) -> Businesses:
        """The businesses namespace (:class:`~freshbooks_async.resources.Businesses`)."""
        from .resources.identity import Businesses

        return Businesses(self)

    @functools.cached_property
    def team_members(self) -> TeamMembers:
        """The team members namespace (:class:`~freshbooks_async.resources.TeamMembers`)."""
        from .resources.identity import TeamMembers

        return TeamMembers(self)

    @functools.cached_property
    def applications(self) -> Applications:
        """The applications namespace (:class:`~freshbooks_async.resources.Applications`)."""
        from .resources.identity import Applications

        return Applications(self)

    @functools.cached_property
    def invitations(self) -> Invitations:
        """The invitations namespace (:class:`~freshbooks_async.resources.Invitations`)."""
        from .resources.identity import Invitations

        return Invitations(self)

    @functools.cached_property
    def payment_options(self) -> PaymentOptionsResource:
        """The payment options namespace
        (:class:`~freshbooks_async.resources.PaymentOptionsResource`)."""
        from .resources.online_payments import PaymentOptionsResource

        return PaymentOptionsResource(self)

    @functools.cached_property
    def checkout_links(self) -> CheckoutLinks:
        """The checkout links namespace (:class:`~freshbooks_async.resources.CheckoutLinks`)."""
        from .resources.online_payments import CheckoutLinks

        return CheckoutLinks(self)

    @functools.cached_property
    def payment_gateways(self) -> PaymentGateways:
        """The payment gateways namespace (:class:`~freshbooks_async.resources.PaymentGateways`)."""
        from .resources.online_payments import PaymentGateways

        return PaymentGateways(self)

    @functools.cached_property
    def credit_cards(self) -> CreditCards:
        """The credit cards namespace (:class:`~freshbooks_async.resources.CreditCards`)."""
        from .resources.online_payments import CreditCards

        return CreditCards(self)

    @functools.cached_property
    def callbacks(self) -> Callbacks:
        """The callbacks namespace (:class:`~freshbooks_async.webhooks.Callbacks`)."""
        from .webhooks import Callbacks

        return Callbacks(self)

    @functools.cached_property
    def images(self) -> Images:
        """The images namespace (:class:`~freshbooks_async.uploads.Images`)."""
        from .uploads import Images

        return Images(self)

    @functools.cached_property
    def attachments(self) -> Attachments:
        """The attachments namespace (:class:`~freshbooks_async.uploads.Attachments`)."""
        from .uploads import Attachments

        return Attachments(self)

    def _namespaces(self) -> dict[str, object]:
        """Every namespace by attribute name (building the ones not used yet)."""
        return {
            name: getattr(self, name)
            for name, attr in vars(type(self)).items()
            if isinstance(attr, functools.cached_property)
        }

    # ----------------------------------------------------------------- lifecycle

    @property
    def base_url(self) -> yarl.URL:
        """The API root this client talks to."""
        return self._pipeline.base_url

    @property
    def transport(self) -> Transport:
        """The transport requests go through."""
        return self._pipeline.transport

    @property
    def clock(self) -> Clock:
        """The client's clock."""
        return self._pipeline.clock

    @property
    def retry_policy(self) -> RetryPolicy:
        """The client's retry policy."""
        return self._pipeline.retry

    @property
    def coordinator(self) -> Coordinator:
        """Where this client's per-account shared state lives (see ``coordinator=``)."""
        return self._coordinator

    @property
    def per_account_concurrency(self) -> int:
        """The most invoice creates in flight per account (``per_account_concurrency=``)."""
        return self._per_account_concurrency

    def account_semaphore(self, account_id: str) -> AccountSemaphore:
        """``account_id``'s invoice-create slots as a semaphore (kept for compatibility).

        ``async with fb.account_semaphore(account_id):`` holds one of the
        ``per_account_concurrency`` slots that every bulk create and ``invoices.create``
        for the account takes in the client's coordinator (so, with a shared
        coordinator, in every process). Different accounts do not block each other.
        New code: :func:`~freshbooks_async.coordination.account_slot`.
        """
        semaphore = self._account_semaphores.get(account_id)
        if semaphore is None:
            semaphore = AccountSemaphore(
                self._coordinator, account_id, self._per_account_concurrency
            )
            self._account_semaphores[account_id] = semaphore
        return semaphore

    @property
    def closed(self) -> bool:
        """True once :meth:`aclose` has run."""
        return self._closed

    async def __aenter__(self) -> FreshBooksClient:
        if self._closed:
            raise RuntimeError("FreshBooksClient: cannot reopen a closed client")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the transport if this client created it. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._owns_transport:
            await self._pipeline.transport.aclose()

    def __del__(self) -> None:
        if not getattr(self, "_closed", True) and getattr(self, "_owns_transport", False):
            warnings.warn(
                f"unclosed {self!r}: use 'async with FreshBooksClient(...)' or await aclose()",
                ResourceWarning,
                source=self,
                stacklevel=2,
            )

    def __repr__(self) -> str:
        return (
            f"FreshBooksClient(base_url={str(self.base_url)!r}, tokens={self._pipeline.tokens!r})"
        )

    async def me(self) -> Identity:
        """The token's identity: name, e-mail and every business membership
        (``account_id``, ``business_id``, ``business_uuid``, role).

        https://www.freshbooks.com/api/me_endpoint
        """
        return await self.identity.me()

    # ----------------------------------------------------------------- requests

    def stream(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        authenticated: bool = True,
    ) -> AbstractAsyncContextManager[StreamedResponse]:
        """Send one call and stream its response body (large downloads)::

            async with fb.stream("GET", "/uploads/attachments/" + jwt) as response:
                async for chunk in response.iter_bytes(1 << 20):
                    out.write(chunk)

        Auth (with a refresh on 401), the in-flight limit, retries before the body is
        handed over and error mapping are those of :meth:`request`; a failure while the
        body is being read is not retried.
        """
        if self._closed:
            raise RuntimeError("FreshBooksClient: the client is closed")
        if not isinstance(path, str) or not path.startswith("/"):
            raise ValueError(f"path: must be an API path starting with '/', got {path!r}")
        if path not in _CHECKED_PATHS:  # (a call less for a path checked before)
            _check_raw_path(path)
        if timeout is not None:
            timeout = _check_positive("timeout", timeout)
        return self._pipeline.stream(
            method.upper(),
            path,
            params=params,
            headers=headers,
            timeout=timeout,
            authenticated=authenticated,
        )

    async def before_replay(
        self,
        error: TransportError,
        *,
        method: str,
        retries_taken: int,
        idempotent: bool | None = None,
    ) -> None:
        """Wait before sending again an exchange that failed with ``error``, or re-raise it.

        For callers that replay a whole exchange themselves, e.g. a body read from
        :meth:`stream` that broke off after it was handed over (the client does not
        retry that on its own)::

            retries = 0
            while True:
                try:
                    async with fb.stream("GET", path) as response:
                        return await read_all(response)
                except TransportError as exc:
                    await fb.before_replay(exc, method="GET", retries_taken=retries)
                    retries += 1

        The client's retry policy, its shared retry budget and its clock decide, as for
        the client's own attempts: a replay that may not happen (too many retries, a
        method that is not safe to send twice, an exhausted budget) re-raises ``error``
        with ``retries_taken`` and ``retry_refused`` (why) set on it.

        Args:
            error: The failure of the last attempt.
            method: The exchange's HTTP method.
            retries_taken: Replays made so far (0 before the first).
            idempotent: Overrides the method's idempotency, as for :meth:`request`.

        Raises:
            TransportError: ``error`` itself, when no replay is allowed.
            TypeError: ``error`` is not a :class:`~freshbooks_async.errors.TransportError`,
                or ``retries_taken`` is not an int.
            ValueError: ``retries_taken`` is negative, or ``method`` is empty.
        """
        if not isinstance(error, TransportError):
            raise TypeError(
                f"error: must be a TransportError, got {error!r} ({type(error).__name__})"
            )
        if not isinstance(method, str) or not method:
            raise ValueError(f"method: must be an HTTP method, got {method!r}")
        if isinstance(retries_taken, bool) or not isinstance(retries_taken, int):
            raise TypeError(f"retries_taken: must be an int >= 0, got {retries_taken!r}")
        if retries_taken < 0:
            raise ValueError(f"retries_taken: must be an int >= 0, got {retries_taken!r}")
        await self._pipeline.before_replay(
            error, method=method.upper(), retries_taken=retries_taken, idempotent=idempotent
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        json: Any = None,
        body: bytes | None = None,
        stream: BodyStream | None = None,
        headers: Mapping[str, str] | None = None,
        expect: Expect = "json",
        idempotent: bool | None = None,
        timeout: float | None = None,
        authenticated: bool = True,
    ) -> APIResponse:
        """Send one raw API call through the client's pipeline (auth, retries, errors).

        The escape hatch for anything the typed resources do not cover. ``path`` is an
        API path whose ids are already percent-encoded (see
        :func:`~freshbooks_async.build_path`); a path with a ``.`` or ``..``
        segment, a ``?`` or ``#``, a space or a control character is refused
        (``ValueError``) before anything is sent. ``params`` is
        :data:`~freshbooks_async.QueryParams`, ``expect`` an
        :data:`~freshbooks_async.Expect`.

        Returns:
            The decoded response; ``.data`` is the payload inside the family envelope.
        """
        if self._closed:
            raise RuntimeError("FreshBooksClient: the client is closed")
        if not isinstance(method, str) or method.upper() not in {
            "GET",
            "POST",
            "PUT",
            "DELETE",
            "PATCH",
            "HEAD",
            "OPTIONS",
        }:
            raise ValueError(f"method: not an HTTP method: {method!r}")
        if not isinstance(path, str) or not path.startswith("/"):
            raise ValueError(f"path: must be an API path starting with '/', got {path!r}")
        if path not in _CHECKED_PATHS:  # (a call less for a path checked before)
            _check_raw_path(path)
        if timeout is not None:
            timeout = _check_positive("timeout", timeout)
        return await self._pipeline.call(
            method,
            path,
            params=params,
            json_body=json,
            body=body,
            stream=stream,
            headers=headers,
            expect=expect,
            idempotent=idempotent,
            timeout=timeout,
            authenticated=authenticated,
        )
