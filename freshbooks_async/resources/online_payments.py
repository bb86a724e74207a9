"""The payments family (``/payments/account/{account_id}/...``): online payment options,
checkout links, payment gateways and saved credit cards.

Bodies are flat JSON both ways (PY ``payments.py``; docs/protocol.rst, "Response-shape
codes", shape ``Y``). The two tokenization endpoints on ``paid.freshbooks.com`` are out of
scope (another host, called from the payer's browser).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Unpack

from .._catalogue import spec
from .._sansio import build_path
from ..models import decode
from ..models.kwargs import (
    CheckoutLinkCreateKwargs,
    CheckoutLinkUpdateKwargs,
    PaymentOptionsCreateKwargs,
)
from ..models.online_payments import (
    CheckoutLink,
    CheckoutLinkCreate,
    CheckoutLinkUpdate,
    CreditCard,
    GatewayConnection,
    PaymentGateway,
    PaymentOptions,
    PaymentOptionsCreate,
)
from ._base import (
    AccountDelete,
    AccountList,
    AccountUpdate,
    JSONObject,
    Resource,
    check_id,
    raw_payload,
    scope_account,
)

__all__ = ["CheckoutLinks", "CreditCards", "PaymentGateways", "PaymentOptionsResource"]


class PaymentOptionsResource(Resource[PaymentOptions]):
    """Online payment options of invoices: https://www.freshbooks.com/api/online-payments."""

    __slots__ = ()
    _spec = spec("payment_options")
    _model = PaymentOptions
    _create_model = PaymentOptionsCreate
    _wrap_body = False
    _doc_slug = "online-payments"

    async def defaults(self, account_id: str) -> PaymentOptions:
        """The account's default invoice payment options
        (``GET .../payment_options?entity_type=invoice``; PY ``defaults``)."""
        path = build_path(
            "/payments/account/{account_id}/payment_options", **scope_account(account_id)
        )
        return await self._call_one("GET", path, params=[("entity_type", "invoice")])

    async def get(self, account_id: str, invoice_id: int) -> PaymentOptions:
        """The payment options of one invoice."""
        return await self._get(self._ids(account_id, invoice_id), None)

    async def create(
        self,
        account_id: str,
        invoice_id: int,
        data: PaymentOptionsCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[PaymentOptionsCreateKwargs],
    ) -> PaymentOptions:
        """Enable online payments on an invoice (``gateway_name`` required, e.g.
        ``"fbpay"``, ``has_credit_card=True``)."""
        return await self._create(self._ids(account_id, invoice_id), data, fields)

    async def create_for_invoice_profile(
        self,
        account_id: str,
        invoice_profile_id: int,
        data: PaymentOptionsCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[PaymentOptionsCreateKwargs],
    ) -> PaymentOptions:
        """Enable online payments on a recurring invoice profile
        (``POST .../invoice_profile/{id}/payment_options``)."""
        path = build_path(
            "/payments/account/{account_id}/invoice_profile/{id}/payment_options",
            **scope_account(account_id),
            id=check_id(invoice_profile_id, "invoice_profile_id"),
        )
        return await self._create({}, data, fields, path)

    @staticmethod
    def _ids(account_id: str, invoice_id: int) -> dict[str, object]:
        return {**scope_account(account_id), "invoice_id": check_id(invoice_id, "invoice_id")}


class CheckoutLinks(
    AccountUpdate[CheckoutLink, CheckoutLinkUpdate],
    AccountDelete[CheckoutLink],
):
    """Checkout links (Postman: Invoices/Payments/Checkout Link)."""

    __slots__ = ()
    _spec = spec("checkout_links")
    _model = CheckoutLink
    _create_model = CheckoutLinkCreate
    _update_model = CheckoutLinkUpdate
    _wrap_body = False
    _doc_slug = "online-payments"

    async def update(
        self,
        account_id: str,
        id: int,
        data: CheckoutLinkUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[CheckoutLinkUpdateKwargs],
    ) -> CheckoutLink:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.CheckoutLinkUpdateKwargs`).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)

    async def create(
        self,
        account_id: str,
        data: CheckoutLinkCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[CheckoutLinkCreateKwargs],
    ) -> CheckoutLink:
        """Create a checkout link. Not retried once maybe sent (it would make two links)."""
        payload = self._write_body(self._create_model, data, fields, what="create")
        return await self._call_one(
            "POST",
            self._spec.render_create(**scope_account(account_id)),
            body=payload,
            idempotent=False,
        )

    async def set_payment_options(
        self, account_id: str, id: int, data: Mapping[str, Any] | None = None, **fields: Any
    ) -> JSONObject:
        """Choose the gateway of a checkout link
        (``POST .../checkout_link/{id}/payment_options``)."""
        if data is not None and fields:
            raise TypeError("set_payment_options: give a mapping or keyword fields, not both")
        body = raw_payload("set_payment_options", fields if data is None else data)
        path = build_path(
            "/payments/account/{account_id}/checkout_link/{id}/payment_options",
            **scope_account(account_id),
            id=check_id(id),
        )
        response = await self._call_raw("POST", path, body=body)
        result = response.data
        return dict(result) if isinstance(result, dict) else {"result": result}


class PaymentGateways(AccountList[GatewayConnection]):
    """Online payment gateways of the account.

    ``list`` gives the account's :class:`~freshbooks_async.models.GatewayConnection`
    objects, as FreshBooks sends them under ``gateway_connections``.
    """

    __slots__ = ()
    _spec = spec("gateways", "payments")
    _model = GatewayConnection
    _wrap_body = False
    _doc_slug = "online-payments"

    async def provision_fbpay(self, account_id: str) -> PaymentGateway:
        """Provision FreshBooks Payments for the account (``POST .../gateway/fbpay``)."""
        path = self._collection(scope_account(account_id)) + "/fbpay"
        response = await self._call_raw("POST", path, body={}, idempotent=False)
        return decode(PaymentGateway, self._unwrap(response))

    async def stripe_setup_intent(
        self, account_id: str, data: Mapping[str, Any] | None = None, **fields: Any
    ) -> JSONObject:
        """Create a Stripe setup intent from a payment method key
        (``POST .../gateway/stripe/credit-card/token``; Postman: Tokenization)."""
        if data is not None and fields:
            raise TypeError("stripe_setup_intent: give a mapping or keyword fields, not both")
        body = raw_payload("stripe_setup_intent", fields if data is None else data)
        path = self._collection(scope_account(account_id)) + "/stripe/credit-card/token"
        response = await self._call_raw("POST", path, body=body, idempotent=False)
        result = response.data
        return dict(result) if isinstance(result, dict) else {"result": result}


class CreditCards(Resource[CreditCard]):
    """Saved credit cards (Postman: Tokenization: save a payment method to a recurring profile)."""

    __slots__ = ()
    _spec = spec("credit_cards")
    _model = CreditCard
    _wrap_body = False
    _doc_slug = "online-payments"

    async def create(
        self, account_id: str, data: Mapping[str, Any] | None = None, **fields: Any
    ) -> CreditCard:
        """Save a tokenized card (``POST .../credit-card``). Not retried once maybe sent."""
        payload = self._write_body(None, data, fields, what="create")
        return await self._call_one(
            "POST",
            self._spec.render_create(**scope_account(account_id)),
            body=payload,
            idempotent=False,
        )
