"""Tasks (accounting family): ``.../projects/tasks``, JSON keys ``task`` / ``tasks``."""

from __future__ import annotations

from typing import ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, AccountingDateTime, Maybe, Money, Settable, VisState

__all__ = ["Task", "TaskCreate", "TaskUpdate"]


@attrs.frozen(kw_only=True)
class Task(Model):
    """A billable task."""

    id: int
    taskid: int
    name: str
    tname: str
    description: str
    tdesc: str
    billable: bool
    rate: Money
    tax1: int | None = None
    tax2: int | None = None
    updated: AccountingDateTime
    vis_state: VisState | None = None


@attrs.frozen(kw_only=True)
class TaskCreate(WriteModel):
    """Body of ``POST .../projects/tasks``; ``name`` is required."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"name"})

    name: Settable[str] = UNSET
    description: Maybe[str] = UNSET
    billable: Settable[bool] = UNSET
    rate: Settable[Money] = UNSET
    tax1: Maybe[int] = UNSET
    tax2: Maybe[int] = UNSET


@attrs.frozen(kw_only=True)
class TaskUpdate(TaskCreate):
    """Body of ``PUT .../projects/tasks/{id}``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()
