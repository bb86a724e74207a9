"""The "comments" family (flat bodies, ISO UTC timestamps): services, service rates,
retainers, team-member and invitation rates, project discussion threads and comments.

Paths under ``/comments/business/{business_id}/``. Only services and service rates have
published examples (PY SDK); the others are modelled from their Postman request shapes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, ISODateTime, Maybe, Settable, VisState

__all__ = [
    "InvitationRate",
    "ProjectThread",
    "ProjectThreadCreate",
    "Retainer",
    "RetainerCreate",
    "RetainerUpdate",
    "Service",
    "ServiceCreate",
    "ServiceRate",
    "ServiceRateCreate",
    "ServiceRateUpdate",
    "ServiceUpdate",
    "TeamMemberRate",
    "TeamMemberRateUpdate",
    "ThreadComment",
    "ThreadCommentCreate",
]


@attrs.frozen(kw_only=True)
class Service(Model):
    """A service (keys ``service`` / ``services``)."""

    id: int
    business_id: int
    name: str
    billable: bool
    vis_state: VisState


@attrs.frozen(kw_only=True)
class ServiceCreate(WriteModel):
    """Body of ``POST .../service``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"name"})

    name: Settable[str] = UNSET
    billable: Settable[bool] = UNSET


@attrs.frozen(kw_only=True)
class ServiceUpdate(ServiceCreate):
    """Body of ``PUT .../service/{id}``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()


@attrs.frozen(kw_only=True)
class ServiceRate(Model):
    """The hourly rate of a service (keys ``service_rate`` / ``service_rates``)."""

    service_id: int
    business_id: int
    project_id: int | None = None
    rate: Decimal
    currency_code: str | None = None


@attrs.frozen(kw_only=True)
class ServiceRateCreate(WriteModel):
    """Body of ``POST``/``PUT .../service/{service_id}/rate``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"rate"})

    rate: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    currency_code: Settable[str] = UNSET


@attrs.frozen(kw_only=True)
class ServiceRateUpdate(ServiceRateCreate):
    """Body of ``PUT .../service/{service_id}/rate`` (also the project-specific rate)."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()


@attrs.frozen(kw_only=True)
class Retainer(Model):
    """A retainer (keys ``retainer`` / ``retainers``); deleted by ``active=false``."""

    id: int | None = None
    business_id: int | None = None
    client_id: int | None = None
    name: str | None = None
    frequency: str | None = None
    amount: Decimal | None = None
    currency_code: str | None = None
    hours: Decimal | None = None
    active: bool | None = None
    start_date: str | None = None
    periods: list[Any] | None = None
    created_at: ISODateTime | None = None
    updated_at: ISODateTime | None = None


@attrs.frozen(kw_only=True)
class RetainerCreate(WriteModel):
    """Body of ``POST .../retainers``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"client_id"})

    client_id: Settable[int] = UNSET
    name: Maybe[str] = UNSET
    frequency: Settable[str] = UNSET
    amount: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    currency_code: Settable[str] = UNSET
    hours: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    start_date: Settable[str] = UNSET


@attrs.frozen(kw_only=True)
class RetainerUpdate(RetainerCreate):
    """Body of ``PUT .../retainer/{id}``; ``active=False`` deletes, ``True`` undeletes."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()

    active: Settable[bool] = UNSET


@attrs.frozen(kw_only=True)
class TeamMemberRate(Model):
    """A team member's billable/cost rate (``team_member_rates``)."""

    identity_id: int | None = None
    business_id: int | None = None
    rate: Decimal | None = None
    cost: Decimal | None = None
    currency_code: str | None = None


@attrs.frozen(kw_only=True)
class TeamMemberRateUpdate(WriteModel):
    """Body of ``PUT .../team_member_rate/{identity_id}``."""

    rate: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    cost: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    currency_code: Settable[str] = UNSET


@attrs.frozen(kw_only=True)
class InvitationRate(Model):
    """The rate of an invited (not yet joined) team member (``invitation_rates``)."""

    invitation_id: int | None = None
    email: str | None = None
    rate: Decimal | None = None
    cost: Decimal | None = None
    currency_code: str | None = None


@attrs.frozen(kw_only=True)
class ThreadComment(Model):
    """A comment in a project discussion thread (key ``comment``)."""

    id: int | None = None
    thread_id: int | None = None
    identity_id: int | None = None
    body: str | None = None
    created_at: ISODateTime | None = None
    updated_at: ISODateTime | None = None


@attrs.frozen(kw_only=True)
class ProjectThread(Model):
    """A discussion thread of a project (keys ``thread`` / ``threads``)."""

    id: int | None = None
    project_id: int | None = None
    business_id: int | None = None
    identity_id: int | None = None
    subject: str | None = None
    body: str | None = None
    comments: list[ThreadComment] | None = None
    created_at: ISODateTime | None = None
    updated_at: ISODateTime | None = None


@attrs.frozen(kw_only=True)
class ProjectThreadCreate(WriteModel):
    """Body of ``POST .../project/{project_id}/threads``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"body"})

    subject: Settable[str] = UNSET
    body: Settable[str] = UNSET


@attrs.frozen(kw_only=True)
class ThreadCommentCreate(WriteModel):
    """Body of ``POST .../threads/{thread_id}/comments``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"body"})

    body: Settable[str] = UNSET
