"""The auth family (``{"response": ...}`` without ``result``; ISO 8601 UTC timestamps):
``users/me`` identity with business memberships, businesses, team members,
developer applications and invitations (PY fixture ``auth_me_response.json``;
DOCS:team-members)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, ISODateTime, Maybe, Settable

__all__ = [
    "Application",
    "ApplicationCreate",
    "Business",
    "BusinessAddress",
    "BusinessCreate",
    "BusinessGroup",
    "BusinessGroupMember",
    "BusinessMembership",
    "BusinessPhoneNumber",
    "Identity",
    "IdentityGroup",
    "Invitation",
    "InvitationCreate",
    "PhoneNumber",
    "Profession",
    "TeamMember",
]


@attrs.frozen(kw_only=True)
class BusinessAddress(Model):
    """A business's address."""

    id: Maybe[int] = UNSET
    street: Maybe[str] = UNSET
    street2: Maybe[str] = UNSET
    city: Maybe[str] = UNSET
    province: Maybe[str] = UNSET
    country: Maybe[str] = UNSET
    postal_code: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class BusinessPhoneNumber(Model):
    """A business's phone number."""

    id: Maybe[int] = UNSET
    phone_number: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class BusinessGroupMember(Model):
    """A member of a business's group: an identity and its role in the business."""

    id: Maybe[int] = UNSET
    group_id: Maybe[int] = UNSET
    role: Maybe[str] = UNSET
    identity_id: Maybe[int] = UNSET
    identity_uuid: Maybe[str] = UNSET
    first_name: Maybe[str] = UNSET
    last_name: Maybe[str] = UNSET
    language: Maybe[str] = UNSET
    email: Maybe[str] = UNSET
    company: Maybe[str] = UNSET
    business_id: Maybe[int] = UNSET
    unacknowledged_change: Maybe[bool] = UNSET
    active: Maybe[bool] = UNSET


@attrs.frozen(kw_only=True)
class BusinessGroup(Model):
    """The people of a business (``GET /auth/api/v1/users/business/{business_id}``)."""

    id: Maybe[int] = UNSET
    category: Maybe[str] = UNSET
    members: Maybe[list[BusinessGroupMember]] = UNSET


@attrs.frozen(kw_only=True)
class Business(Model):
    """A business. ``id`` is the ``business_id`` (int) of the projects-like families,
    ``account_id`` (str) scopes the accounting family, ``business_uuid`` the ledger."""

    id: Maybe[int] = UNSET
    business_uuid: Maybe[str] = UNSET
    name: Maybe[str] = UNSET
    account_id: Maybe[str] = UNSET
    date_format: Maybe[str] = UNSET
    address: Maybe[BusinessAddress] = UNSET
    phone_number: Maybe[BusinessPhoneNumber] = UNSET
    business_clients: Maybe[list[dict[str, Any]]] = UNSET
    business_group: Maybe[BusinessGroup] = UNSET
    number_format: Maybe[str] = UNSET
    first_day_of_week: Maybe[int] = UNSET
    active: Maybe[bool] = UNSET
    timezone: Maybe[str] = UNSET
    status: Maybe[str] = UNSET
    advanced_accounting_enabled: Maybe[bool] = UNSET
    industry: Maybe[str] = UNSET
    billing_country_code: Maybe[str] = UNSET
    business_type: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class BusinessMembership(Model):
    """The identity's role in one business."""

    id: Maybe[int] = UNSET
    role: Maybe[str] = UNSET
    unacknowledged_change: Maybe[bool] = UNSET
    business: Maybe[Business] = UNSET


@attrs.frozen(kw_only=True)
class Profession(Model):
    """A profession of the identity."""

    id: Maybe[int] = UNSET
    business_id: Maybe[int] = UNSET
    title: Maybe[str] = UNSET
    company: Maybe[str] = UNSET
    designation: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class PhoneNumber(Model):
    """A phone number of the identity."""

    title: Maybe[str] = UNSET
    phone_number: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class IdentityGroup(Model):
    """A group (per-business role record) of the identity."""

    id: Maybe[int] = UNSET
    group_id: Maybe[int] = UNSET
    role: Maybe[str] = UNSET
    identity_id: Maybe[int] = UNSET
    identity_uuid: Maybe[str] = UNSET
    business_id: Maybe[int] = UNSET
    active: Maybe[bool] = UNSET


@attrs.frozen(kw_only=True)
class Identity(Model):
    """``GET /auth/api/v1/users/me``: who the token belongs to and their businesses."""

    id: Maybe[int] = UNSET
    identity_id: Maybe[int] = UNSET
    identity_uuid: Maybe[str] = UNSET
    first_name: Maybe[str] = UNSET
    last_name: Maybe[str] = UNSET
    email: Maybe[str] = UNSET
    language: Maybe[str] = UNSET
    confirmed_at: Maybe[ISODateTime] = UNSET
    created_at: Maybe[ISODateTime] = UNSET
    unconfirmed_email: Maybe[str] = UNSET
    setup_complete: Maybe[bool] = UNSET
    profile: Maybe[dict[str, Any]] = UNSET
    phone_numbers: Maybe[list[PhoneNumber]] = UNSET
    addresses: Maybe[list[Any]] = UNSET
    profession: Maybe[Profession] = UNSET
    links: Maybe[dict[str, str]] = UNSET
    permissions: Maybe[dict[str, Any]] = UNSET
    groups: Maybe[list[IdentityGroup]] = UNSET
    subscription_statuses: Maybe[dict[str, str]] = UNSET
    integrations: Maybe[dict[str, Any]] = UNSET
    business_memberships: Maybe[list[BusinessMembership]] = UNSET
    identity_origin: Maybe[str] = UNSET
    roles: Maybe[list[Any]] = UNSET

    @property
    def full_name(self) -> str:
        """``first_name last_name`` (empty parts left out)."""
        parts = [p for p in (self.first_name, self.last_name) if isinstance(p, str) and p]
        return " ".join(parts)


@attrs.frozen(kw_only=True)
class TeamMember(Model):
    """A team member of a business (DOCS:team-members)."""

    uuid: Maybe[str] = UNSET
    first_name: Maybe[str] = UNSET
    middle_name: Maybe[str] = UNSET
    last_name: Maybe[str] = UNSET
    email: Maybe[str] = UNSET
    job_title: Maybe[str] = UNSET
    street_1: Maybe[str] = UNSET
    street_2: Maybe[str] = UNSET
    city: Maybe[str] = UNSET
    province: Maybe[str] = UNSET
    country: Maybe[str] = UNSET
    postal_code: Maybe[str] = UNSET
    phone_number: Maybe[str] = UNSET
    business_id: Maybe[int] = UNSET
    business_role_name: Maybe[str] = UNSET
    active: Maybe[bool] = UNSET
    identity_id: Maybe[int] = UNSET
    invitation_date_accepted: Maybe[ISODateTime] = UNSET
    created_at: Maybe[ISODateTime] = UNSET
    updated_at: Maybe[ISODateTime] = UNSET


@attrs.frozen(kw_only=True)
class Application(Model):
    """A developer application (Postman "Get all applications")."""

    id: Maybe[int] = UNSET
    client_id: Maybe[str] = UNSET
    name: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    website: Maybe[str] = UNSET
    redirect_uris: Maybe[list[str]] = UNSET
    scopes: Maybe[list[str]] = UNSET
    app_type: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class ApplicationCreate(WriteModel):
    """Body of ``POST``/``PUT /auth/api/v1/partners/applications``."""

    name: Settable[str] = UNSET
    description: Settable[str] = UNSET
    website: Settable[str] = UNSET
    redirect_uris: Settable[Sequence[str]] = UNSET
    scopes: Settable[Sequence[str]] = UNSET
    app_type: Settable[str] = UNSET


@attrs.frozen(kw_only=True)
class BusinessCreate(WriteModel):
    """Body of ``POST /auth/api/v1/users/business`` (Postman "Add Business")."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"name"})

    name: Settable[str] = UNSET
    country: Settable[str] = UNSET
    currency_code: Settable[str] = UNSET


@attrs.frozen(kw_only=True)
class Invitation(Model):
    """An invitation to join a business or project."""

    id: Maybe[int] = UNSET
    email: Maybe[str] = UNSET
    business_id: Maybe[int] = UNSET
    role: Maybe[str] = UNSET
    project_ids: Maybe[list[int]] = UNSET


@attrs.frozen(kw_only=True)
class InvitationCreate(WriteModel):
    """Body of ``POST /auth/api/v1/users/invitation``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"email"})

    email: Settable[str] = UNSET
    business_id: Settable[int] = UNSET
    role: Settable[str] = UNSET
    project_ids: Settable[Sequence[int]] = UNSET
