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

    amount: Maybe[Money] = UNSET


@attrs.frozen(kw_only=True)
class Contact(Model):
    """A secondary contact of a client (``include[]=contacts``)."""

    contactid: Maybe[int] = UNSET
    userid: Maybe[int] = UNSET
    email: Maybe[str] = UNSET
    fname: Maybe[str] = UNSET
    lname: Maybe[str] = UNSET
    phone1: Maybe[str] = UNSET
    phone2: Maybe[str] = UNSET
    username: Maybe[str] = UNSET
    faxnumber: Maybe[str] = UNSET
    updated: Maybe[AccountingDateTime] = UNSET


@attrs.frozen(kw_only=True)
class Client(Model):
    """A client (DOCS:clients; PY fixtures ``get_client_response.json``)."""

    id: Maybe[int] = UNSET
    userid: Maybe[int] = UNSET
    accounting_systemid: Maybe[str] = UNSET
    uuid: Maybe[str] = UNSET
    username: Maybe[str] = UNSET
    email: Maybe[str] = UNSET
    fname: Maybe[str] = UNSET
    lname: Maybe[str] = UNSET
    organization: Maybe[str] = UNSET
    role: Maybe[str] = UNSET
    level: Maybe[int] = UNSET
    language: Maybe[str] = UNSET
    currency_code: Maybe[str] = UNSET
    bus_phone: Maybe[str] = UNSET
    home_phone: Maybe[str] = UNSET
    mob_phone: Maybe[str] = UNSET
    fax: Maybe[str] = UNSET
    note: Maybe[str] = UNSET
    company_industry: Maybe[str] = UNSET
    company_size: Maybe[str] = UNSET
    direct_link_token: Maybe[str] = UNSET
    statement_token: Maybe[str] = UNSET
    subdomain: Maybe[str] = UNSET
    has_retainer: Maybe[bool] = UNSET
    retainer_id: Maybe[int] = UNSET
    allow_email_include_pdf: Maybe[bool] = UNSET
    allow_late_fees: Maybe[bool] = UNSET
    allow_late_notifications: Maybe[bool] = UNSET
    notified: Maybe[bool] = UNSET
    num_logins: Maybe[int] = UNSET
    last_activity: Maybe[AccountingDateTime] = UNSET
    last_login: Maybe[AccountingDateTime] = UNSET
    pref_email: Maybe[bool] = UNSET
    pref_gmail: Maybe[bool] = UNSET
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
    # UTC, unlike the other accounting timestamps (official Python SDK models.py).
    signup_date: Maybe[AccountingUTCDateTime] = UNSET
    updated: Maybe[AccountingDateTime] = UNSET
    vis_state: Maybe[VisState] = UNSET
    # Includes.
    outstanding_balance: Maybe[list[ClientBalance]] = UNSET
    overdue_balance: Maybe[list[ClientBalance]] = UNSET
    draft_balance: Maybe[list[ClientBalance]] = UNSET
    credit_balance: Maybe[list[ClientBalance]] = UNSET
    grand_total_balance: Maybe[list[Any]] = UNSET
    contacts: Maybe[list[Contact]] = UNSET


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
