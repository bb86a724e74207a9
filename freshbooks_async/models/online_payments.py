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

    gateway_name: Maybe[str] = UNSET
    entity_id: Maybe[str | int] = UNSET
    entity_type: Maybe[str] = UNSET
    has_credit_card: Maybe[bool] = UNSET
    has_ach_transfer: Maybe[bool] = UNSET
    has_bacs_debit: Maybe[bool] = UNSET
    has_sepa_debit: Maybe[bool] = UNSET
    has_acss_debit: Maybe[bool] = UNSET
    has_paypal_smart_checkout: Maybe[bool] = UNSET
    allow_partial_payments: Maybe[bool] = UNSET


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

    id: Maybe[str | int] = UNSET
    url: Maybe[str] = UNSET
    title: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    amount: Maybe[Money] = UNSET
    price: Maybe[Decimal] = UNSET
    currency_code: Maybe[str] = UNSET
    active: Maybe[bool] = UNSET
    payment_options: Maybe[dict[str, Any]] = UNSET


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

    id: Maybe[str | int] = UNSET
    gateway_name: Maybe[str] = UNSET
    publishable_key: Maybe[str] = UNSET
    connection_status: Maybe[str] = UNSET
    enabled: Maybe[bool] = UNSET
    currency_code: Maybe[str] = UNSET
    capabilities: Maybe[dict[str, Any]] = UNSET


@attrs.frozen(kw_only=True)
class StripeCapability(Model):
    """One Stripe capability of the account (``card_payments``, ``transfers``...)."""

    capability: Maybe[str] = UNSET
    is_active: Maybe[bool] = UNSET


@attrs.frozen(kw_only=True)
class StripeConnection(Model):
    """The account's Stripe connection (``stripe_unified`` of a gateway connection)."""

    id: Maybe[str] = UNSET
    stripe_account_id: Maybe[str] = UNSET
    country: Maybe[str] = UNSET
    publishable_key: Maybe[str] = UNSET
    available_onboarding_strategies: Maybe[list[str]] = UNSET
    stripe_requirements_current_deadline: Maybe[ISODateTime] = UNSET
    stripe_charges_enabled: Maybe[bool] = UNSET
    stripe_payouts_enabled: Maybe[bool] = UNSET
    stripe_payouts_schedule_interval: Maybe[str] = UNSET
    stripe_payouts_schedule_delay_days: Maybe[int] = UNSET
    stripe_email: Maybe[str] = UNSET
    has_currently_due_requirements: Maybe[bool] = UNSET
    has_pending_verifications: Maybe[bool] = UNSET
    charges_first_enabled_at: Maybe[ISODateTime] = UNSET
    payouts_first_enabled_at: Maybe[ISODateTime] = UNSET
    stripe_tos_accepted_date: Maybe[ISODateTime] = UNSET
    account_status: Maybe[str] = UNSET
    stripe_account_updated_at: Maybe[ISODateTime] = UNSET
    onboarding_completion_percent: Maybe[int] = UNSET
    configuration: Maybe[dict[str, Any]] = UNSET
    capabilities: Maybe[list[StripeCapability]] = UNSET


@attrs.frozen(kw_only=True)
class GatewayConnection(Model):
    """What ``GET /payments/account/{account_id}/gateway`` lists (under
    ``gateway_connections``): the account's connection to each payment processor,
    ``None`` where it has none."""

    stripe: Maybe[dict[str, Any]] = UNSET
    stripe_unified: Maybe[StripeConnection] = UNSET
    paypal: Maybe[dict[str, Any]] = UNSET


@attrs.frozen(kw_only=True)
class CreditCard(Model):
    """A saved card (``POST /payments/account/{account_id}/credit-card``)."""

    id: Maybe[str | int] = UNSET
    brand: Maybe[str] = UNSET
    last4: Maybe[str] = UNSET
    exp_month: Maybe[int] = UNSET
    exp_year: Maybe[int] = UNSET
    customer_id: Maybe[str | int] = UNSET
    setup_intent_id: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class TokenizedPaymentMethod(Model):
    """A payment method created on ``paid.freshbooks.com`` (tokenization calls)."""

    id: Maybe[str] = UNSET
    type: Maybe[str] = UNSET
    payment_method_key: Maybe[str] = attrs.field(default=UNSET, repr=False)
