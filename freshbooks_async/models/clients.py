"""Clients and their secondary contacts (accounting family).

Paths: ``/accounting/account/{account_id}/users/clients`` (keys ``client`` / ``clients``)
and ``/accounting/account/{account_id}/users/contacts/{contact_id}`` (key ``contact``).
Client ``signup_date`` is UTC, other timestamps US/Eastern (docs/protocol.rst,
"Other wire facts").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import attrs

from ._base import Model, WriteModel
from .common import (
    UNSET,
    AccountingDateTime,
    AccountingUTCDateTime,
    Maybe,
    Money,
    Settable,
    VisState,
)

__all__ = [
    "Client",
    "ClientBalance",
    "ClientCreate",
    "ClientUpdate",
    "Contact",
    "ContactCreate",
    "ContactUpdate",
]


@attrs.frozen(kw_only=True)
class ClientBalance(Model):
    """One currency's balance (``include[]=outstanding_balance`` and similar includes)."""

    amount: Money


@attrs.frozen(kw_only=True)
class Contact(Model):
    """A secondary contact of a client (``include[]=contacts``)."""

    contactid: int | None = None
    userid: int | None = None
    email: str | None = None
    fname: str | None = None
    lname: str | None = None
    phone1: str | None = None
    phone2: str | None = None
    username: str | None = None
    faxnumber: str | None = None
    updated: AccountingDateTime | None = None


@attrs.frozen(kw_only=True)
class Client(Model):
    """A client (DOCS:clients; PY fixtures ``get_client_response.json``)."""

    id: int
    userid: int
    accounting_systemid: str
    uuid: str | None = None
    username: str | None = None
    email: str
    fname: str
    lname: str
    organization: str
    role: str
    level: int | None = None
    language: str
    currency_code: str
    bus_phone: str | None = None
    home_phone: str | None = None
    mob_phone: str | None = None
    fax: str | None = None
    note: str | None = None
    company_industry: str | None = None
    company_size: str | None = None
    direct_link_token: str | None = None
    statement_token: str | None = None
    subdomain: str | None = None
    has_retainer: bool | None = None
    retainer_id: int | None = None
    allow_email_include_pdf: bool | None = None
    allow_late_fees: bool | None = None
    allow_late_notifications: bool | None = None
    notified: bool | None = None
    num_logins: int | None = None
    last_activity: AccountingDateTime | None = None
    last_login: AccountingDateTime | None = None
    pref_email: bool | None = None
    pref_gmail: bool | None = None
    p_street: str | None = None
    p_street2: str | None = None
    p_city: str | None = None
    p_province: str | None = None
    p_code: str | None = None
    p_country: str | None = None
    s_street: str | None = None
    s_street2: str | None = None
    s_city: str | None = None
    s_province: str | None = None
    s_code: str | None = None
    s_country: str | None = None
    vat_name: str | None = None
    vat_number: str | None = None
    # UTC, unlike the other accounting timestamps (official Python SDK models.py).
    signup_date: AccountingUTCDateTime | None = None
    updated: AccountingDateTime | None = None
    vis_state: VisState
    # Includes.
    outstanding_balance: list[ClientBalance] | None = None
    overdue_balance: list[ClientBalance] | None = None
    draft_balance: list[ClientBalance] | None = None
    credit_balance: list[ClientBalance] | None = None
    grand_total_balance: list[Any] | None = None
    contacts: list[Contact] | None = None


@attrs.frozen(kw_only=True)
class ContactCreate(WriteModel):
    """A secondary contact to send in ``ClientCreate.contacts``."""

    email: Settable[str] = UNSET
    fname: Maybe[str] = UNSET
    lname: Maybe[str] = UNSET
    phone1: Maybe[str] = UNSET
    phone2: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class ContactUpdate(ContactCreate):
    """Body of ``PUT .../users/contacts/{contact_id}``."""


@attrs.frozen(kw_only=True)
class ClientCreate(WriteModel):
    """Body of ``POST .../users/clients``. Clients need at least an email or names."""

    email: Settable[str] = UNSET
    fname: Maybe[str] = UNSET
    lname: Maybe[str] = UNSET
    organization: Maybe[str] = UNSET
    username: Settable[str] = UNSET
    language: Settable[str] = UNSET
    currency_code: Settable[str] = UNSET
    bus_phone: Maybe[str] = UNSET
    home_phone: Maybe[str] = UNSET
    mob_phone: Maybe[str] = UNSET
    fax: Maybe[str] = UNSET
    note: Maybe[str] = UNSET
    allow_late_fees: Settable[bool] = UNSET
    allow_late_notifications: Settable[bool] = UNSET
    allow_email_include_pdf: Settable[bool] = UNSET
    pref_email: Settable[bool] = UNSET
    pref_gmail: Settable[bool] = UNSET
    p_street: Maybe[str] = UNSET
    p_street2: Maybe[str] = UNSET
    p_city: Maybe[str] = UNSET
    p_province: Maybe[str] = UNSET
    p_code: Maybe[str] = UNSET
    p_country: Maybe[str] = UNSET
    s_street: Maybe[str] = UNSET
    s_street2: Maybe[str] = UNSET
    s_city: Maybe[str] = UNSET
    s_province: Maybe[str] = UNSET
    s_code: Maybe[str] = UNSET
    s_country: Maybe[str] = UNSET
    vat_name: Maybe[str] = UNSET
    vat_number: Maybe[str] = UNSET
    contacts: Settable[Sequence[ContactCreate]] = UNSET


@attrs.frozen(kw_only=True)
class ClientUpdate(ClientCreate):
    """Body of ``PUT .../users/clients/{id}``; ``contacts=[]`` removes every secondary
    contact (Postman "Remove All Secondary Contacts")."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()
