"""Systems and payment gateways of the accounting family: ``.../systems/systems/{id}``
(key ``system``) and ``.../systems/gateways`` (keys ``gateway`` / ``gateways``)."""

from __future__ import annotations

from typing import Any

import attrs

from ._base import Model
from .common import UNSET, AccountingDateTime, Maybe

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
