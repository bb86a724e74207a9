"""Time entries (timetracking family, flat bodies, keys ``time_entry`` / ``time_entries``;
list ``meta`` adds totals). Timestamps are ISO 8601 UTC (PY fixtures)."""

from __future__ import annotations

from typing import ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, ISODateTime, LocalDateTime, Maybe, Settable

__all__ = ["TimeEntry", "TimeEntryCreate", "TimeEntryUpdate", "Timer"]


@attrs.frozen(kw_only=True)
class Timer(Model):
    """A running timer attached to a time entry."""

    id: Maybe[int] = UNSET
    is_running: Maybe[bool] = UNSET


@attrs.frozen(kw_only=True)
class TimeEntry(Model):
    """Logged (or running) time; ``duration`` is in seconds."""

    id: Maybe[int] = UNSET
    identity_id: Maybe[int] = UNSET
    is_logged: Maybe[bool] = UNSET
    started_at: Maybe[ISODateTime] = UNSET
    #: ``started_at`` as wall time in ``local_timezone`` (a naive datetime).
    local_started_at: Maybe[LocalDateTime] = UNSET
    local_timezone: Maybe[str] = UNSET
    created_at: Maybe[ISODateTime] = UNSET
    client_id: Maybe[int] = UNSET
    project_id: Maybe[int] = UNSET
    pending_client: Maybe[str] = UNSET
    pending_project: Maybe[str] = UNSET
    pending_task: Maybe[str] = UNSET
    task_id: Maybe[int] = UNSET
    service_id: Maybe[int] = UNSET
    note: Maybe[str] = UNSET
    active: Maybe[bool] = UNSET
    billable: Maybe[bool] = UNSET
    billed: Maybe[bool] = UNSET
    internal: Maybe[bool] = UNSET
    retainer_id: Maybe[int] = UNSET
    duration: Maybe[int] = UNSET
    timer: Maybe[Timer] = UNSET


@attrs.frozen(kw_only=True)
class TimeEntryCreate(WriteModel):
    """Body of ``POST .../time_entries``; ``started_at`` and ``duration`` (seconds) are
    needed for a logged entry."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"started_at"})

    started_at: Settable[ISODateTime] = UNSET
    duration: Settable[int] = attrs.field(default=UNSET, metadata={"min": 0})
    is_logged: Settable[bool] = UNSET
    identity_id: Settable[int] = UNSET
    client_id: Maybe[int] = UNSET
    project_id: Maybe[int] = UNSET
    service_id: Maybe[int] = UNSET
    task_id: Maybe[int] = UNSET
    retainer_id: Maybe[int] = UNSET
    note: Maybe[str] = UNSET
    billable: Settable[bool] = UNSET
    internal: Settable[bool] = UNSET


@attrs.frozen(kw_only=True)
class TimeEntryUpdate(TimeEntryCreate):
    """Body of ``PUT .../time_entries/{id}``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()
