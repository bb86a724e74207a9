"""The chart of accounts (``/accounting/businesses/{business_uuid}/ledger_accounts``).

The ledger family is scoped by ``business_uuid`` (a str), wraps bodies in ``{"data": ...}``
on the way back, takes flat request bodies (PY ``accounting_business.py``), and its lists
are unpaginated: ``list`` returns everything as one page (docs/protocol.rst, "Pagination").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Unpack

from .._catalogue import spec
from ..models import decode
from ..models.kwargs import (
    LedgerAccountCreateKwargs,
    LedgerAccountUpdateKwargs,
)
from ..models.ledger import (
    LedgerAccount,
    LedgerAccountCreate,
    LedgerAccountSubType,
    LedgerAccountType,
    LedgerAccountUpdate,
)
from ..pagination import MAX_PER_PAGE, Page
from ..query import Query
from ._base import Resource, check_id, check_str_id, scope_uuid

if TYPE_CHECKING:
    from ..client import FreshBooksClient

__all__ = ["LedgerAccountSubTypes", "LedgerAccountTypes", "LedgerAccounts"]


class LedgerAccounts(Resource[LedgerAccount]):
    """Ledger accounts: https://www.freshbooks.com/api/chart-of-accounts."""

    __slots__ = ()
    _spec = spec("ledger_accounts")
    _model = LedgerAccount
    _create_model = LedgerAccountCreate
    _update_model = LedgerAccountUpdate
    _wrap_body = False
    _doc_slug = "chart-of-accounts"

    async def list(
        self,
        business_uuid: str,
        *,
        query: Query | None = None,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
    ) -> Page[LedgerAccount]:
        """Every ledger account of the business (one page: the list is unpaginated).

        Args:
            business_uuid: The business uuid (from ``client.me()``).
            query: Sort (``Query().order_by("account_number")``) and filters.
            page: The page number (pages after 1 are empty).
            per_page: Accepted for symmetry with other lists.
        """
        return await self._list(scope_uuid(business_uuid), query, page, per_page)

    async def get(self, business_uuid: str, account_uuid: str) -> LedgerAccount:
        """One ledger account by its uuid."""
        return await self._get(self._ids(business_uuid, account_uuid), None)

    async def create(
        self,
        business_uuid: str,
        data: LedgerAccountCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[LedgerAccountCreateKwargs],
    ) -> LedgerAccount:
        """Create a ledger account (``name``, ``sub_type``, ``parent_account`` required)."""
        return await self._create(scope_uuid(business_uuid), data, fields)

    async def update(
        self,
        business_uuid: str,
        account_uuid: str,
        data: LedgerAccountUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[LedgerAccountUpdateKwargs],
    ) -> LedgerAccount:
        """Change a ledger account; only set fields are sent."""
        return await self._update(self._ids(business_uuid, account_uuid), data, fields)

    @staticmethod
    def _ids(business_uuid: str, account_uuid: str) -> dict[str, object]:
        return {
            **scope_uuid(business_uuid),
            "account_uuid": check_str_id(account_uuid, "account_uuid"),
        }


class LedgerAccountTypes(Resource[LedgerAccountType]):
    """Ledger account types (unscoped; Postman: Accounting/Accounts/List Account types)."""

    __slots__ = ()
    _spec = spec("ledger_account_types")
    _model = LedgerAccountType
    _doc_slug = "chart-of-accounts"

    def __init__(self, client: FreshBooksClient) -> None:
        super().__init__(client)
        self._decode = _decode_type

    async def list(self) -> Page[LedgerAccountType]:
        """Every account type (asset, liability, equity, income, expense).

        The response shape is undocumented (no Postman example): objects are decoded
        as they come, bare type names become ``LedgerAccountType(name=...)``.
        """
        return await self._list({}, None, 1, MAX_PER_PAGE)


def _decode_type(item: Any) -> LedgerAccountType:
    if isinstance(item, str):
        return LedgerAccountType(name=item)
    return decode(LedgerAccountType, item)


class LedgerAccountSubTypes(Resource[LedgerAccountSubType]):
    """Ledger account sub types (unscoped; Postman: Accounting/Accounts/List Sub types)."""

    __slots__ = ()
    _spec = spec("ledger_account_sub_types")
    _model = LedgerAccountSubType
    _doc_slug = "chart-of-accounts"

    async def list(self) -> Page[LedgerAccountSubType]:
        """Every account sub type."""
        return await self._list({}, None, 1, MAX_PER_PAGE)

    async def get(self, id: int) -> LedgerAccountSubType:
        """One sub type by id."""
        return await self._get({"id": check_id(id)}, None)
