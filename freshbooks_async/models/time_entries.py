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

    id: int | None = None
    is_running: bool | None = None


@attrs.frozen(kw_only=True)
class TimeEntry(Model):
    """Logged (or running) time; ``duration`` is in seconds."""

    id: int
    identity_id: int
    is_logged: bool
    started_at: ISODateTime
    #: ``started_at`` as wall time in ``local_timezone`` (a naive datetime).
    local_started_at: LocalDateTime | None = None
    local_timezone: str | None = None
    created_at: ISODateTime
    client_id: int | None
    project_id: int | None
    pending_client: str | None = None
    pending_project: str | None = None
    pending_task: str | None = None
    task_id: int | None
    service_id: int | None
    note: str | None
    active: bool
    billable: bool
    billed: bool
    internal: bool
    retainer_id: int | None
    duration: int
    timer: Timer | None


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
