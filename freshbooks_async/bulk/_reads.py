"""The reads of a bulk call on the account's invoices: the newest invoice (its number and
the fingerprint baseline), the numbers in use, a look-up by one field, and the invoices
newer than a baseline. It counts them for :attr:`~.BulkResult.requests` and keeps their
secrets, so decoding an invoice they returned never quotes one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

from .._pipeline import APIResponse
from .._secrets import NO_SECRETS
from ..errors import UnprocessableEntityError, ValidationError
from ..models import Invoice, decode
from ..pagination import Page, Paginator, page_from_response
from ._drafts import _norm

if TYPE_CHECKING:
    from ..client import FreshBooksClient

logger = logging.getLogger("freshbooks_async.bulk")

#: Invoices one read of the numbers in use covers (FreshBooks' largest page).
_NUMBERS_PAGE: Final = 100


class _Reads:
    """GETs of the account's invoices (``path``) for one call."""

    def __init__(self, client: FreshBooksClient, path: str) -> None:
        self.client = client
        self.path = path
        self.requests = 0
        # The secrets of the reads whose invoices may be decoded later (look-ups,
        # reconciliation): what that decoding raises is scrubbed of them.
        self.read_secrets = NO_SECRETS
        self.sort_numbers = True  # the server sorts invoices by number (until it refuses)

    async def get(self, params: list[tuple[str, object]]) -> APIResponse:
        self.requests += 1
        response = await self.client.request("GET", self.path, params=params)
        self.read_secrets = self.read_secrets.merged(response._secrets)
        return response

    async def read_latest(self) -> tuple[str | None, int]:
        """The newest invoice's number and id (default order: newest first)."""
        response = await self.get([("page", 1), ("per_page", 1)])
        page = page_from_response(response, lambda x: x, items_key="invoices", per_page=1)
        if not page.items or not isinstance(page.items[0], Mapping):
            return None, 0
        newest = page.items[0]
        number = newest.get("invoice_number")
        ident = newest.get("id", newest.get("invoiceid"))
        return (
            number if isinstance(number, str) and number else None,
            ident if isinstance(ident, int) else 0,
        )

    async def read_numbers_in_use(self) -> list[str]:
        """Invoice numbers in use: one page, highest first (``sort=invoice_number_desc``;
        newest first from a server that refuses that sort, which is then not asked
        again). The allocator finds the highest itself: the order only decides which
        numbers the page holds."""
        params: list[tuple[str, object]] = [("page", 1), ("per_page", _NUMBERS_PAGE)]
        if not self.sort_numbers:
            response = await self.get(params)
        else:
            try:
                response = await self.get([("sort", "invoice_number_desc"), *params])
            except (ValidationError, UnprocessableEntityError) as exc:
                logger.info("bulk create: invoices cannot be sorted by number here: %s", exc)
                self.sort_numbers = False
                response = await self.get(params)
        page = page_from_response(
            response, lambda x: x, items_key="invoices", per_page=_NUMBERS_PAGE
        )
        numbers: list[str] = []
        for item in page.items:
            number = item.get("invoice_number") if isinstance(item, Mapping) else None
            if isinstance(number, str) and number:
                numbers.append(number)
        return numbers

    async def lookup(self, field: str, value: str) -> list[dict[str, Any]]:
        response = await self.get(
            [(f"search[{field}]", value), ("include[]", "lines"), ("per_page", 100)]
        )
        page = page_from_response(response, lambda x: x, items_key="invoices")
        return [
            item
            for item in page.items
            if isinstance(item, dict) and _norm(item.get(field)) == _norm(value)
        ]

    async def newer_invoices(
        self, baseline: int, is_claimed: Callable[[object], bool]
    ) -> list[dict[str, Any]]:
        """Invoices newer than ``baseline`` that no known create produced (``is_claimed``),
        oldest first.

        Raises:
            FreshBooksError: A page could not be read.
        """
        candidates: list[dict[str, Any]] = []
        path = self.path

        async def fetch(number: int, size: int) -> Page[Any]:
            self.requests += 1
            response = await self.client.request(
                "GET", path, params=[("include[]", "lines"), ("page", number), ("per_page", size)]
            )
            self.read_secrets = self.read_secrets.merged(response._secrets)
            return page_from_response(
                response, lambda x: x, items_key="invoices", page=number, per_page=size
            )

        async for page in Paginator(fetch, per_page=100, concurrency=4).pages():
            reached = False
            for item in page.items:
                ident = item.get("id") if isinstance(item, dict) else None
                if not isinstance(ident, int) or ident <= baseline:
                    reached = True
                    continue
                if not is_claimed(ident):
                    candidates.append(item)
            if reached:
                break
        candidates.sort(key=lambda c: c["id"])
        return candidates

    def decode_found(self, data: Mapping[str, Any]) -> Invoice:
        """An invoice these reads returned, decoded (errors scrubbed of their secrets).

        Raises:
            ResponseDecodeError: It is not a valid invoice.
        """
        with self.read_secrets.guard():
            return decode(Invoice, data)
