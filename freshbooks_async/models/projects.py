"""Projects (projects family, flat ``{"project": ...}`` bodies): ``/projects/business/
{business_id}/project[s]``. Timestamps are UTC, usually without an offset
("2020-09-13T01:07:51"; PY fixtures) and are written back exactly as received."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, ISODateTime, Maybe, Settable, VisState

__all__ = [
    "Project",
    "ProjectAbility",
    "ProjectCreate",
    "ProjectGroup",
    "ProjectGroupMember",
    "ProjectService",
    "ProjectUpdate",
]


@attrs.frozen(kw_only=True)
class ProjectService(Model):
    """A service attached to a project."""

    id: int
    business_id: int
    name: str
    billable: bool
    vis_state: VisState


@attrs.frozen(kw_only=True)
class ProjectGroupMember(Model):
    """A member of a project's team."""

    id: int
    identity_id: int
    role: str
    first_name: str
    last_name: str
    email: str
    company: str
    active: bool


@attrs.frozen(kw_only=True)
class ProjectGroup(Model):
    """The team of a project."""

    id: int
    members: list[ProjectGroupMember]
    pending_invitations: list[Any] | None = None


@attrs.frozen(kw_only=True)
class ProjectAbility(Model):
    """One ``abilities`` entry beside a project (``{"name": "can_edit", "value": true}``)."""

    name: str
    value: bool


@attrs.frozen(kw_only=True)
class Project(Model):
    """A project."""

    id: int
    title: str
    description: str | None
    due_date: _dt.date | None
    client_id: int | None
    internal: bool
    # A JSON int (21600) or a decimal string ("50.00").
    budget: Decimal | None
    fixed_price: Decimal | None
    rate: Decimal | None
    billing_method: str | None
    project_type: str
    project_manager_id: int | None = None
    active: bool
    complete: bool
    sample: bool
    created_at: ISODateTime | None = None
    updated_at: ISODateTime | None = None
    logged_duration: int | None
    services: list[ProjectService]
    billed_amount: Decimal
    billed_status: str
    retainer_id: int | None = None
    expense_markup: Decimal | None = None
    group_id: int | None = None
    group: ProjectGroup | None = None


@attrs.frozen(kw_only=True)
class ProjectCreate(WriteModel):
    """Body of ``POST .../project``; ``title`` is required."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"title"})

    title: Settable[str] = UNSET
    description: Maybe[str] = UNSET
    due_date: Maybe[_dt.date] = UNSET
    client_id: Maybe[int] = UNSET
    internal: Settable[bool] = UNSET
    budget: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    fixed_price: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    rate: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    billing_method: Maybe[str] = UNSET
    project_type: Settable[str] = UNSET
    project_manager_id: Maybe[int] = UNSET
    active: Settable[bool] = UNSET
    complete: Settable[bool] = UNSET
    retainer_id: Maybe[int] = UNSET
    expense_markup: Settable[Decimal] = attrs.field(default=UNSET, metadata={"min": 0})
    service_ids: Settable[Sequence[int]] = UNSET


@attrs.frozen(kw_only=True)
class ProjectUpdate(ProjectCreate):
    """Body of ``PUT .../project/{id}``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()
