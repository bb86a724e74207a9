"""The payments family (flat JSON; shapes mostly from Postman examples): invoice payment
options, checkout links, payment gateways, saved credit cards and tokenization."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, ISODateTime, Maybe, Money, Settable

__all__ = [
    "CheckoutLink",
    "CheckoutLinkCreate",
    "CheckoutLinkUpdate",
    "CreditCard",
    "GatewayConnection",
    "PaymentGateway",
    "PaymentOptions",
    "PaymentOptionsCreate",
    "StripeCapability",
    "StripeConnection",
    "TokenizedPaymentMethod",
]


@attrs.frozen(kw_only=True)
class PaymentOptions(Model):
    """Online payment options of an invoice (key ``payment_options``; Node SDK
    ``PaymentOptions.ts``)."""

    gateway_name: str
    entity_id: str | int | None
    entity_type: str
    has_credit_card: bool
    has_ach_transfer: bool
    has_bacs_debit: bool
    has_sepa_debit: bool
    has_acss_debit: bool | None = None
    has_paypal_smart_checkout: bool
    allow_partial_payments: bool


@attrs.frozen(kw_only=True)
class PaymentOptionsCreate(WriteModel):
    """Body of ``POST .../invoice/{invoice_id}/payment_options`` (sent unwrapped)."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"gateway_name"})

    gateway_name: Settable[str] = UNSET
    entity_id: Settable[str | int] = UNSET
    entity_type: Settable[str] = UNSET
    has_credit_card: Settable[bool] = UNSET
    has_ach_transfer: Settable[bool] = UNSET
    has_bacs_debit: Settable[bool] = UNSET
    has_sepa_debit: Settable[bool] = UNSET
    has_paypal_smart_checkout: Settable[bool] = UNSET
    allow_partial_payments: Settable[bool] = UNSET


@attrs.frozen(kw_only=True)
class CheckoutLink(Model):
    """A hosted checkout link (Postman "Single Checkout Link"; no example response)."""

    id: str | int | None = None
    url: str | None = None
    title: str | None = None
    description: str | None = None
    amount: Money | None = None
    price: Decimal | None = None
    currency_code: str | None = None
    active: bool | None = None
    payment_options: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class CheckoutLinkCreate(WriteModel):
    """Body of ``POST .../checkout-links``."""

    title: Settable[str] = UNSET
    description: Maybe[str] = UNSET
    price: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    currency_code: Settable[str] = UNSET
    active: Settable[bool] = UNSET


@attrs.frozen(kw_only=True)
class CheckoutLinkUpdate(CheckoutLinkCreate):
    """Body of ``PUT .../checkout-links/{id}``."""


@attrs.frozen(kw_only=True)
class PaymentGateway(Model):
    """A payments-family gateway (``GET /payments/account/{account_id}/gateway``)."""

    id: str | int | None = None
    gateway_name: str | None = None
    publishable_key: str | None = None
    connection_status: str | None = None
    enabled: bool | None = None
    currency_code: str | None = None
    capabilities: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class StripeCapability(Model):
    """One Stripe capability of the account (``card_payments``, ``transfers``...)."""

    capability: str | None = None
    is_active: bool | None = None


@attrs.frozen(kw_only=True)
class StripeConnection(Model):
    """The account's Stripe connection (``stripe_unified`` of a gateway connection)."""

    id: str | None = None
    stripe_account_id: str | None = None
    country: str | None = None
    publishable_key: str | None = None
    available_onboarding_strategies: list[str] | None = None
    stripe_requirements_current_deadline: ISODateTime | None = None
    stripe_charges_enabled: bool | None = None
    stripe_payouts_enabled: bool | None = None
    stripe_payouts_schedule_interval: str | None = None
    stripe_payouts_schedule_delay_days: int | None = None
    stripe_email: str | None = None
    has_currently_due_requirements: bool | None = None
    has_pending_verifications: bool | None = None
    charges_first_enabled_at: ISODateTime | None = None
    payouts_first_enabled_at: ISODateTime | None = None
    stripe_tos_accepted_date: ISODateTime | None = None
    account_status: str | None = None
    stripe_account_updated_at: ISODateTime | None = None
    onboarding_completion_percent: int | None = None
    configuration: dict[str, Any] | None = None
    capabilities: list[StripeCapability] | None = None


@attrs.frozen(kw_only=True)
class GatewayConnection(Model):
    """What ``GET /payments/account/{account_id}/gateway`` lists (under
    ``gateway_connections``): the account's connection to each payment processor,
    ``None`` where it has none."""

    stripe: dict[str, Any] | None = None
    stripe_unified: StripeConnection | None = None
    paypal: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class CreditCard(Model):
    """A saved card (``POST /payments/account/{account_id}/credit-card``)."""

    id: str | int | None = None
    brand: str | None = None
    last4: str | None = None
    exp_month: int | None = None
    exp_year: int | None = None
    customer_id: str | int | None = None
    setup_intent_id: str | None = None


@attrs.frozen(kw_only=True)
class TokenizedPaymentMethod(Model):
    """A payment method created on ``paid.freshbooks.com`` (tokenization calls)."""

    id: str | None = None
    type: str | None = None
    payment_method_key: str | None = attrs.field(default=None, repr=False)
