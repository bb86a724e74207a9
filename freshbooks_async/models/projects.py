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

    id: Maybe[int] = UNSET
    business_id: Maybe[int] = UNSET
    name: Maybe[str] = UNSET
    billable: Maybe[bool] = UNSET
    vis_state: Maybe[VisState] = UNSET


@attrs.frozen(kw_only=True)
class ProjectGroupMember(Model):
    """A member of a project's team."""

    id: Maybe[int] = UNSET
    identity_id: Maybe[int] = UNSET
    role: Maybe[str] = UNSET
    first_name: Maybe[str] = UNSET
    last_name: Maybe[str] = UNSET
    email: Maybe[str] = UNSET
    company: Maybe[str] = UNSET
    active: Maybe[bool] = UNSET


@attrs.frozen(kw_only=True)
class ProjectGroup(Model):
    """The team of a project."""

    id: Maybe[int] = UNSET
    members: Maybe[list[ProjectGroupMember]] = UNSET
    pending_invitations: Maybe[list[Any]] = UNSET


@attrs.frozen(kw_only=True)
class ProjectAbility(Model):
    """One ``abilities`` entry beside a project (``{"name": "can_edit", "value": true}``)."""

    name: Maybe[str] = UNSET
    value: Maybe[bool] = UNSET


@attrs.frozen(kw_only=True)
class Project(Model):
    """A project."""

    id: Maybe[int] = UNSET
    title: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    due_date: Maybe[_dt.date] = UNSET
    client_id: Maybe[int] = UNSET
    internal: Maybe[bool] = UNSET
    # A JSON int (21600) or a decimal string ("50.00").
    budget: Maybe[Decimal] = UNSET
    fixed_price: Maybe[Decimal] = UNSET
    rate: Maybe[Decimal] = UNSET
    billing_method: Maybe[str] = UNSET
    project_type: Maybe[str] = UNSET
    project_manager_id: Maybe[int] = UNSET
    active: Maybe[bool] = UNSET
    complete: Maybe[bool] = UNSET
    sample: Maybe[bool] = UNSET
    created_at: Maybe[ISODateTime] = UNSET
    updated_at: Maybe[ISODateTime] = UNSET
    logged_duration: Maybe[int] = UNSET
    services: Maybe[list[ProjectService]] = UNSET
    billed_amount: Maybe[Decimal] = UNSET
    billed_status: Maybe[str] = UNSET
    retainer_id: Maybe[int] = UNSET
    expense_markup: Maybe[Decimal] = UNSET
    group_id: Maybe[int] = UNSET
    group: Maybe[ProjectGroup] = UNSET


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
