"""Systems and payment gateways of the accounting family: ``.../systems/systems/{id}``
(key ``system``) and ``.../systems/gateways`` (keys ``gateway`` / ``gateways``)."""

from __future__ import annotations

from typing import Any

import attrs

from ._base import Model
from .common import AccountingDateTime, Money

__all__ = ["Gateway", "System"]


@attrs.frozen(kw_only=True)
class System(Model):
    """An accounting system (the business's FreshBooks account settings)."""

    id: int | None = None
    systemid: int | None = None
    accounting_systemid: str | None = None
    name: str | None = None
    company_name: str | None = None
    currency_code: str | None = None
    date_format: str | None = None
    language: str | None = None
    timezone: str | None = None
    country: str | None = None
    subdomain: str | None = None
    email: str | None = None
    street: str | None = None
    city: str | None = None
    province: str | None = None
    code: str | None = None
    phone: str | None = None
    logo: dict[str, Any] | None = None
    created_at: AccountingDateTime | None = None
    updated: AccountingDateTime | None = None
    # Fields of the live capture of ``GET .../systems/systems/{id}``.
    accountid: str | None = None
    active: bool | None = None
    auto_bill: int | None = None
    billing_status: str | None = None
    bus_phone: str | None = None
    mob_phone: str | None = None
    fax: str | None = None
    business_type: str | None = None
    business_uuid: str | None = None
    street2: str | None = None
    #: When the system was created (accounting wall time).
    date: AccountingDateTime | None = None
    discountid: int | None = None
    dst: bool | None = None
    duration: int | None = None
    gst_amount: Money | None = None
    payment_amount: Money | None = None
    payment_frequency: int | None = None
    heard_about_us_via: str | None = None
    info_email: str | None = None
    ip: str | None = None
    landing_url: str | None = None
    referring_url: str | None = None
    referralid: str | None = None
    masterlock_billing: bool | None = None
    migrated_to_smux_at: AccountingDateTime | None = None
    modern_system: bool | None = None
    test_system: bool | None = None
    num_clients: int | None = None
    num_staff: int | None = None
    salutation: str | None = None
    size_limit: int | None = None
    split_token: str | None = None
    timezoneid: int | None = None
    vat_name: str | None = None
    vat_number: str | None = None


@attrs.frozen(kw_only=True)
class Gateway(Model):
    """A payment gateway connected to the account."""

    id: int | None = None
    gateway_name: str | None = None
    connection_id: str | None = None
    sgid: int | None = None
    single_gateway_id: int | None = None
    account_id: str | None = None
    enabled: bool | None = None
    default: bool | None = None
