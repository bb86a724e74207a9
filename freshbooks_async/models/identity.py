"""The auth family (``{"response": ...}`` without ``result``; ISO 8601 UTC timestamps):
``users/me`` identity with business memberships, businesses, team members,
developer applications and invitations (PY fixture ``auth_me_response.json``;
DOCS:team-members)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, ISODateTime, Settable

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

    id: int
    street: str | None
    street2: str | None = None
    city: str | None
    province: str | None
    country: str
    postal_code: str | None


@attrs.frozen(kw_only=True)
class BusinessPhoneNumber(Model):
    """A business's phone number."""

    id: int
    phone_number: str


@attrs.frozen(kw_only=True)
class BusinessGroupMember(Model):
    """A member of a business's group: an identity and its role in the business."""

    id: int
    group_id: int
    role: str
    identity_id: int
    identity_uuid: str
    first_name: str
    last_name: str
    language: str
    email: str
    company: str
    business_id: int
    unacknowledged_change: bool
    active: bool


@attrs.frozen(kw_only=True)
class BusinessGroup(Model):
    """The people of a business (``GET /auth/api/v1/users/business/{business_id}``)."""

    id: int
    category: str
    members: list[BusinessGroupMember]


@attrs.frozen(kw_only=True)
class Business(Model):
    """A business. ``id`` is the ``business_id`` (int) of the projects-like families,
    ``account_id`` (str) scopes the accounting family, ``business_uuid`` the ledger."""

    id: int
    business_uuid: str | None = None
    name: str
    account_id: str
    date_format: str
    address: BusinessAddress | None
    phone_number: BusinessPhoneNumber | None
    business_clients: list[dict[str, Any]]
    business_group: BusinessGroup | None = None
    number_format: str | None = None
    first_day_of_week: int | None = None
    active: bool | None = None
    timezone: str | None = None
    status: str | None = None
    advanced_accounting_enabled: bool | None = None
    industry: str | None = None
    billing_country_code: str | None = None
    business_type: str | None = None


@attrs.frozen(kw_only=True)
class BusinessMembership(Model):
    """The identity's role in one business."""

    id: int
    role: str
    unacknowledged_change: bool
    business: Business


@attrs.frozen(kw_only=True)
class Profession(Model):
    """A profession of the identity."""

    id: int
    business_id: int | None
    title: str
    company: str
    designation: str | None


@attrs.frozen(kw_only=True)
class PhoneNumber(Model):
    """A phone number of the identity."""

    title: str
    phone_number: str | None


@attrs.frozen(kw_only=True)
class IdentityGroup(Model):
    """A group (per-business role record) of the identity."""

    id: int
    group_id: int
    role: str
    identity_id: int
    identity_uuid: str | None = None
    business_id: int
    active: bool


@attrs.frozen(kw_only=True)
class Identity(Model):
    """``GET /auth/api/v1/users/me``: who the token belongs to and their businesses."""

    id: int
    identity_id: int | None = None
    identity_uuid: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    language: str | None = None
    confirmed_at: ISODateTime | None = None
    created_at: ISODateTime | None = None
    unconfirmed_email: str | None = None
    setup_complete: bool | None = None
    profile: dict[str, Any] | None = None
    phone_numbers: list[PhoneNumber] | None = None
    addresses: list[Any] | None = None
    profession: Profession | None = None
    links: dict[str, str] | None = None
    permissions: dict[str, Any] | None = None
    groups: list[IdentityGroup] | None = None
    subscription_statuses: dict[str, str] | None = None
    integrations: dict[str, Any] | None = None
    business_memberships: list[BusinessMembership] = attrs.field(factory=list)
    identity_origin: str | None = None
    roles: list[Any] | None = None

    @property
    def full_name(self) -> str:
        """``first_name last_name`` (empty parts left out)."""
        parts = [p for p in (self.first_name, self.last_name) if isinstance(p, str) and p]
        return " ".join(parts)


@attrs.frozen(kw_only=True)
class TeamMember(Model):
    """A team member of a business (DOCS:team-members)."""

    uuid: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    job_title: str | None = None
    street_1: str | None = None
    street_2: str | None = None
    city: str | None = None
    province: str | None = None
    country: str | None = None
    postal_code: str | None = None
    phone_number: str | None = None
    business_id: int | None = None
    business_role_name: str | None = None
    active: bool | None = None
    identity_id: int | None = None
    invitation_date_accepted: ISODateTime | None = None
    created_at: ISODateTime | None = None
    updated_at: ISODateTime | None = None


@attrs.frozen(kw_only=True)
class Application(Model):
    """A developer application (Postman "Get all applications")."""

    id: int | None = None
    client_id: str | None = None
    name: str | None = None
    description: str | None = None
    website: str | None = None
    redirect_uris: list[str] | None = None
    scopes: list[str] | None = None
    app_type: str | None = None


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

    id: int | None = None
    email: str | None = None
    business_id: int | None = None
    role: str | None = None
    project_ids: list[int] | None = None


@attrs.frozen(kw_only=True)
class InvitationCreate(WriteModel):
    """Body of ``POST /auth/api/v1/users/invitation``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"email"})

    email: Settable[str] = UNSET
    business_id: Settable[int] = UNSET
    role: Settable[str] = UNSET
    project_ids: Settable[Sequence[int]] = UNSET
