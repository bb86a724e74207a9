"""Staff (accounting family): ``.../users/staffs``, JSON keys ``staff`` / ``staffs``."""

from __future__ import annotations

import attrs

from ._base import Model, WriteModel
from .common import UNSET, AccountingDateTime, Maybe, Money, Settable, VisState

__all__ = ["Staff", "StaffUpdate"]


@attrs.frozen(kw_only=True)
class Staff(Model):
    """A staff member of the account (legacy "staff" view of team members)."""

    id: Maybe[int] = UNSET
    staffid: Maybe[int] = UNSET
    userid: Maybe[int] = UNSET
    username: Maybe[str] = UNSET
    email: Maybe[str] = UNSET
    fname: Maybe[str] = UNSET
    lname: Maybe[str] = UNSET
    organization: Maybe[str] = UNSET
    bus_phone: Maybe[str] = UNSET
    home_phone: Maybe[str] = UNSET
    mob_phone: Maybe[str] = UNSET
    fax: Maybe[str] = UNSET
    note: Maybe[str] = UNSET
    rate: Maybe[Money] = UNSET
    language: Maybe[str] = UNSET
    currency_code: Maybe[str] = UNSET
    level: Maybe[int] = UNSET
    num_logins: Maybe[int] = UNSET
    last_login: Maybe[AccountingDateTime] = UNSET
    signup_date: Maybe[AccountingDateTime] = UNSET
    updated: Maybe[AccountingDateTime] = UNSET
    p_street: Maybe[str] = UNSET
    p_street2: Maybe[str] = UNSET
    p_city: Maybe[str] = UNSET
    p_province: Maybe[str] = UNSET
    p_code: Maybe[str] = UNSET
    p_country: Maybe[str] = UNSET
    vis_state: Maybe[VisState] = UNSET


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
