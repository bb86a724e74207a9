"""Systems and payment gateways of the accounting family: ``.../systems/systems/{id}``
(key ``system``) and ``.../systems/gateways`` (keys ``gateway`` / ``gateways``)."""

from __future__ import annotations

from typing import Any

import attrs

from ._base import Model
from .common import UNSET, AccountingDateTime, Maybe, Money

__all__ = ["Gateway", "System"]


@attrs.frozen(kw_only=True)
class System(Model):
    """An accounting system (the business's FreshBooks account settings)."""

    id: Maybe[int] = UNSET
    systemid: Maybe[int] = UNSET
    accounting_systemid: Maybe[str] = UNSET
    name: Maybe[str] = UNSET
    company_name: Maybe[str] = UNSET
    currency_code: Maybe[str] = UNSET
    date_format: Maybe[str] = UNSET
    language: Maybe[str] = UNSET
    timezone: Maybe[str] = UNSET
    country: Maybe[str] = UNSET
    subdomain: Maybe[str] = UNSET
    email: Maybe[str] = UNSET
    street: Maybe[str] = UNSET
    city: Maybe[str] = UNSET
    province: Maybe[str] = UNSET
    code: Maybe[str] = UNSET
    phone: Maybe[str] = UNSET
    logo: Maybe[dict[str, Any]] = UNSET
    created_at: Maybe[AccountingDateTime] = UNSET
    updated: Maybe[AccountingDateTime] = UNSET
    # Fields of the live capture of ``GET .../systems/systems/{id}``.
    accountid: Maybe[str] = UNSET
    active: Maybe[bool] = UNSET
    auto_bill: Maybe[int] = UNSET
    billing_status: Maybe[str] = UNSET
    bus_phone: Maybe[str] = UNSET
    mob_phone: Maybe[str] = UNSET
    fax: Maybe[str] = UNSET
    business_type: Maybe[str] = UNSET
    business_uuid: Maybe[str] = UNSET
    street2: Maybe[str] = UNSET
    #: When the system was created (accounting wall time).
    date: Maybe[AccountingDateTime] = UNSET
    discountid: Maybe[int] = UNSET
    dst: Maybe[bool] = UNSET
    duration: Maybe[int] = UNSET
    gst_amount: Maybe[Money] = UNSET
    payment_amount: Maybe[Money] = UNSET
    payment_frequency: Maybe[int] = UNSET
    heard_about_us_via: Maybe[str] = UNSET
    info_email: Maybe[str] = UNSET
    ip: Maybe[str] = UNSET
    landing_url: Maybe[str] = UNSET
    referring_url: Maybe[str] = UNSET
    referralid: Maybe[str] = UNSET
    masterlock_billing: Maybe[bool] = UNSET
    migrated_to_smux_at: Maybe[AccountingDateTime] = UNSET
    modern_system: Maybe[bool] = UNSET
    test_system: Maybe[bool] = UNSET
    num_clients: Maybe[int] = UNSET
    num_staff: Maybe[int] = UNSET
    salutation: Maybe[str] = UNSET
    size_limit: Maybe[int] = UNSET
    split_token: Maybe[str] = UNSET
    timezoneid: Maybe[int] = UNSET
    vat_name: Maybe[str] = UNSET
    vat_number: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class Gateway(Model):
    """A payment gateway connected to the account."""

    id: Maybe[int] = UNSET
    gateway_name: Maybe[str] = UNSET
    connection_id: Maybe[str] = UNSET
    sgid: Maybe[int] = UNSET
    single_gateway_id: Maybe[int] = UNSET
    account_id: Maybe[str] = UNSET
    enabled: Maybe[bool] = UNSET
    default: Maybe[bool] = UNSET
