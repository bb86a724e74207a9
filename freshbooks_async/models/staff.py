"""Staff (accounting family): ``.../users/staffs``, JSON keys ``staff`` / ``staffs``."""

from __future__ import annotations

import attrs

from ._base import Model, WriteModel
from .common import UNSET, AccountingDateTime, Maybe, Money, Settable, VisState

__all__ = ["Staff", "StaffUpdate"]


@attrs.frozen(kw_only=True)
class Staff(Model):
    """A staff member of the account (legacy "staff" view of team members)."""

    id: int | None = None
    staffid: int | None = None
    userid: int | None = None
    username: str | None = None
    email: str | None = None
    fname: str | None = None
    lname: str | None = None
    organization: str | None = None
    bus_phone: str | None = None
    home_phone: str | None = None
    mob_phone: str | None = None
    fax: str | None = None
    note: str | None = None
    rate: Money | None = None
    language: str | None = None
    currency_code: str | None = None
    level: int | None = None
    num_logins: int | None = None
    last_login: AccountingDateTime | None = None
    signup_date: AccountingDateTime | None = None
    updated: AccountingDateTime | None = None
    p_street: str | None = None
    p_street2: str | None = None
    p_city: str | None = None
    p_province: str | None = None
    p_code: str | None = None
    p_country: str | None = None
    vis_state: VisState | None = None


@attrs.frozen(kw_only=True)
class StaffUpdate(WriteModel):
    """Body of ``PUT .../users/staffs/{id}``."""

    email: Settable[str] = UNSET
    fname: Maybe[str] = UNSET
    lname: Maybe[str] = UNSET
    organization: Maybe[str] = UNSET
    bus_phone: Maybe[str] = UNSET
    mob_phone: Maybe[str] = UNSET
    note: Maybe[str] = UNSET
    rate: Settable[Money] = UNSET
