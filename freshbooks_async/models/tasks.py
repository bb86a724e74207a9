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

    id: Maybe[int] = UNSET
    taskid: Maybe[int] = UNSET
    name: Maybe[str] = UNSET
    tname: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    tdesc: Maybe[str] = UNSET
    billable: Maybe[bool] = UNSET
    rate: Maybe[Money] = UNSET
    tax1: Maybe[int] = UNSET
    tax2: Maybe[int] = UNSET
    updated: Maybe[AccountingDateTime] = UNSET
    vis_state: Maybe[VisState] = UNSET


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
