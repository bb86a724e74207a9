"""Project-like resources scoped by ``business_id`` (``/projects``, ``/timetracking``,
``/comments``).

These families send flat bodies (``{"project": {...}}``) with a ``meta`` block on lists,
take bare ``key=value`` filters, and delete with HTTP ``DELETE`` (docs/protocol.rst,
"Filters, includes and sorting" and "Deletes and vis_state").
``business_id`` is an ``int`` (from ``client.me()``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Unpack

from .._catalogue import spec
from .._sansio import build_path
from ..models import decode_many
from ..models.comments import (
    InvitationRate,
    ProjectThread,
    ProjectThreadCreate,
    Retainer,
    RetainerCreate,
    RetainerUpdate,
    Service,
    ServiceCreate,
    ServiceRate,
    ServiceRateCreate,
    ServiceRateUpdate,
    ServiceUpdate,
    TeamMemberRate,
    TeamMemberRateUpdate,
    ThreadComment,
    ThreadCommentCreate,
)
from ..models.kwargs import (
    ProjectCreateKwargs,
    ProjectThreadCreateKwargs,
    ProjectUpdateKwargs,
    RetainerCreateKwargs,
    RetainerUpdateKwargs,
    ServiceCreateKwargs,
    ServiceRateCreateKwargs,
    ServiceRateUpdateKwargs,
    ServiceUpdateKwargs,
    TeamMemberRateUpdateKwargs,
    ThreadCommentCreateKwargs,
    TimeEntryCreateKwargs,
    TimeEntryUpdateKwargs,
)
from ..models.projects import Project, ProjectAbility, ProjectCreate, ProjectUpdate
from ..models.time_entries import TimeEntry, TimeEntryCreate, TimeEntryUpdate
from ..pagination import MAX_PER_PAGE, Page, Paginator
from ..query import Query
from ._base import (
    BusinessCreate,
    BusinessDelete,
    BusinessGet,
    BusinessList,
    BusinessUpdate,
    JSONObject,
    Resource,
    check_id,
    scope_business,
)

__all__ = [
    "InvitationRates",
    "ProjectServiceRates",
    "ProjectThreads",
    "Projects",
    "Retainers",
    "ServiceRates",
    "Services",
    "TeamMemberRates",
    "ThreadComments",
    "TimeEntries",
]


class Projects(
    BusinessList[Project],
    BusinessGet[Project],
    BusinessCreate[Project, ProjectCreate],
    BusinessUpdate[Project, ProjectUpdate],
    BusinessDelete[Project],
):
    """Projects: https://www.freshbooks.com/api/project.

    Item paths use ``/project/{id}`` and create ``POST /project`` (PY, NODE); PHP and
    Postman spell ``/projects/{id}`` (docs/protocol.rst, "What remains uncertain").
    """

    __slots__ = ()
    _spec = spec("projects", "projects")
    _model = Project
    _create_model = ProjectCreate
    _update_model = ProjectUpdate
    _doc_slug = "project"

    async def create(
        self,
        business_id: int,
        data: ProjectCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[ProjectCreateKwargs],
    ) -> Project:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.ProjectCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.ProjectCreateKwargs`).

        Args:
            business_id: The business id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_business(business_id), data, fields)

    async def update(
        self,
        business_id: int,
        id: int,
        data: ProjectUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[ProjectUpdateKwargs],
    ) -> Project:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.ProjectUpdateKwargs`).

        Args:
            business_id: The business id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_business(business_id), "id": check_id(id)}, data, fields)

    async def abilities(self, business_id: int) -> list[ProjectAbility]:
        """What the business may do with projects: one
        :class:`~freshbooks_async.models.ProjectAbility` (``name``, ``value``) each.

        https://www.freshbooks.com/api/project
        """
        path = self._collection(scope_business(business_id)).rsplit("/", 1)[0] + "/abilities"
        response = await self._call_raw("GET", path)
        data = response.data
        items = data.get("abilities") if isinstance(data, dict) else data
        return decode_many(ProjectAbility, items)

    async def delete_via_comments(self, business_id: int, id: int) -> None:
        """Delete a project through ``DELETE /comments/business/{business_id}/project/{id}``.

        The Postman collection's "Delete Project" spelling (docs/protocol.rst, "What
        remains uncertain"); prefer :meth:`delete`.
        """
        await _CommentsProjects(self._client)._delete(
            {**scope_business(business_id), "id": check_id(id)}
        )

    @property
    def plural_paths(self) -> Projects:
        """This namespace with the ``/projects/{id}`` and ``POST /projects`` spelling (PHP
        SDK, Postman "Single Project"; docs/protocol.rst, "What remains uncertain"), for
        accounts that reject ``/project/{id}``."""
        return _PluralProjects(self._client)


class _PluralProjects(Projects):
    __slots__ = ()

    def _item(self, ids: Mapping[str, object]) -> str:
        return build_path(self._spec.alt_item_paths[0], **ids)

    async def _create(
        self, ids: Mapping[str, object], data: object, fields: Mapping[str, Any], path: str = ""
    ) -> Project:
        return await super()._create(ids, data, fields, path or self._collection(ids))


class _CommentsProjects(Resource[JSONObject]):
    __slots__ = ()
    _spec = spec("projects", "comments")


class TimeEntries(
    BusinessList[TimeEntry],
    BusinessGet[TimeEntry],
    BusinessCreate[TimeEntry, TimeEntryCreate],
    BusinessUpdate[TimeEntry, TimeEntryUpdate],
    BusinessDelete[TimeEntry],
):
    """Time entries: https://www.freshbooks.com/api/time_entries."""

    __slots__ = ()
    _spec = spec("time_entries")
    _model = TimeEntry
    _create_model = TimeEntryCreate
    _update_model = TimeEntryUpdate
    _doc_slug = "time_entries"

    async def create(
        self,
        business_id: int,
        data: TimeEntryCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[TimeEntryCreateKwargs],
    ) -> TimeEntry:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.TimeEntryCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.TimeEntryCreateKwargs`).

        Args:
            business_id: The business id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_business(business_id), data, fields)

    async def update(
        self,
        business_id: int,
        id: int,
        data: TimeEntryUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[TimeEntryUpdateKwargs],
    ) -> TimeEntry:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.TimeEntryUpdateKwargs`).

        Args:
            business_id: The business id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_business(business_id), "id": check_id(id)}, data, fields)

    async def search(
        self,
        business_id: int,
        *,
        query: Query | None = None,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
    ) -> Page[TimeEntry]:
        """Time entries via ``GET .../time_entries/search`` (Postman:  Time Entries For Employee
        on Specific Project; takes the list filters, e.g. ``identity_id``, ``project_id``).

        https://www.freshbooks.com/api/time_entries
        """
        return await self._list_at(
            self._collection(scope_business(business_id)) + "/search", query, page, per_page
        )


class Services(
    BusinessList[Service],
    BusinessGet[Service],
    BusinessCreate[Service, ServiceCreate],
    BusinessUpdate[Service, ServiceUpdate],
    BusinessDelete[Service],
):
    """Services (billable work types): https://www.freshbooks.com/api/services.

    ``delete`` is the PY SDK's generic ``DELETE`` (not exercised in its tests).
    """

    __slots__ = ()
    _spec = spec("services")
    _model = Service
    _create_model = ServiceCreate
    _update_model = ServiceUpdate
    _doc_slug = "services"

    async def create(
        self,
        business_id: int,
        data: ServiceCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[ServiceCreateKwargs],
    ) -> Service:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.ServiceCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.ServiceCreateKwargs`).

        Args:
            business_id: The business id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_business(business_id), data, fields)

    async def update(
        self,
        business_id: int,
        id: int,
        data: ServiceUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[ServiceUpdateKwargs],
    ) -> Service:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.ServiceUpdateKwargs`).

        Args:
            business_id: The business id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_business(business_id), "id": check_id(id)}, data, fields)


class ServiceRates(Resource[ServiceRate]):
    """Service rates: https://www.freshbooks.com/api/services (one rate per service)."""

    __slots__ = ()
    _spec = spec("service_rates")
    _model = ServiceRate
    _create_model = ServiceRateCreate
    _update_model = ServiceRateUpdate
    _doc_slug = "services"

    async def list(
        self, business_id: int, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[ServiceRate]:
        """Every service's rate, one page (Postman: Projects/Service Rates)."""
        return await self._list(scope_business(business_id), None, page, per_page)

    def list_all(self, business_id: int, *, per_page: int = MAX_PER_PAGE) -> Paginator[ServiceRate]:
        """Every service's rate, as a paginator."""
        return self._list_all(scope_business(business_id), None, per_page, 4, None, False)

    async def get(self, business_id: int, service_id: int) -> ServiceRate:
        """The rate of one service."""
        return await self._get(self._ids(business_id, service_id), None)

    async def create(
        self,
        business_id: int,
        service_id: int,
        data: ServiceRateCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[ServiceRateCreateKwargs],
    ) -> ServiceRate:
        """Set a service's rate (``POST .../service/{service_id}/rate``)."""
        ids = self._ids(business_id, service_id)
        return await self._create(ids, data, fields, self._item(ids))

    async def update(
        self,
        business_id: int,
        service_id: int,
        data: ServiceRateUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[ServiceRateUpdateKwargs],
    ) -> ServiceRate:
        """Change a service's rate (``PUT .../service/{service_id}/rate``)."""
        return await self._update(self._ids(business_id, service_id), data, fields)

    @staticmethod
    def _ids(business_id: int, service_id: int) -> dict[str, object]:
        return {**scope_business(business_id), "service_id": check_id(service_id, "service_id")}


class ProjectServiceRates(Resource[ServiceRate]):
    """A service's rate on one project (Postman: Projects/Update Service Rates)."""

    __slots__ = ()
    _spec = spec("project_service_rates")
    _model = ServiceRate
    _update_model = ServiceRateUpdate
    _doc_slug = "project"

    async def update(
        self,
        business_id: int,
        project_id: int,
        service_id: int,
        data: ServiceRateUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[ServiceRateUpdateKwargs],
    ) -> ServiceRate:
        """Set the rate of ``service_id`` on ``project_id``."""
        ids = {
            **scope_business(business_id),
            "project_id": check_id(project_id, "project_id"),
            "service_id": check_id(service_id, "service_id"),
        }
        return await self._update(ids, data, fields)


class Retainers(
    BusinessList[Retainer],
    BusinessGet[Retainer],
    BusinessCreate[Retainer, RetainerCreate],
    BusinessUpdate[Retainer, RetainerUpdate],
    BusinessDelete[Retainer],
):
    """Retainers (Postman: Invoices/Retainers).

    ``delete``/``undelete`` send ``PUT {"retainer": {"active": false|true}}`` (IRL reading
    of the Postman collection; docs/protocol.rst, "Deletes and vis_state"). Create posts to
    ``/retainers``.
    """

    __slots__ = ()
    _spec = spec("retainers")
    _model = Retainer
    _create_model = RetainerCreate
    _update_model = RetainerUpdate
    _doc_slug = "retainers"

    async def create(
        self,
        business_id: int,
        data: RetainerCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[RetainerCreateKwargs],
    ) -> Retainer:
        """Create one from a write model, a mapping of its fields, or the fields as
        keyword arguments (:class:`~freshbooks_async.models.RetainerCreate`; typed by
        :class:`~freshbooks_async.models.kwargs.RetainerCreateKwargs`).

        Args:
            business_id: The business id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_business(business_id), data, fields)

    async def update(
        self,
        business_id: int,
        id: int,
        data: RetainerUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[RetainerUpdateKwargs],
    ) -> Retainer:
        """Change one; only the fields that are set are sent (typed keyword fields:
        :class:`~freshbooks_async.models.kwargs.RetainerUpdateKwargs`).

        Args:
            business_id: The business id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_business(business_id), "id": check_id(id)}, data, fields)

    async def undelete(self, business_id: int, id: int) -> Retainer:
        """Make a deleted retainer active again (``{"retainer": {"active": true}}``)."""
        return await self._call_one(
            "PUT",
            self._item({**scope_business(business_id), "id": check_id(id)}),
            body={"retainer": {"active": True}},
        )


class TeamMemberRates(Resource[TeamMemberRate]):
    """Team members' billable rates (Postman: Projects/Team Member Rates)."""

    __slots__ = ()
    _spec = spec("team_member_rates")
    _model = TeamMemberRate
    _update_model = TeamMemberRateUpdate
    _doc_slug = "project"

    async def list(
        self, business_id: int, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[TeamMemberRate]:
        """One page of team member rates."""
        return await self._list(scope_business(business_id), None, page, per_page)

    async def update(
        self,
        business_id: int,
        identity_id: int,
        data: TeamMemberRateUpdate | Mapping[str, Any] | None = None,
        **fields: Unpack[TeamMemberRateUpdateKwargs],
    ) -> TeamMemberRate:
        """Set the rate of the team member ``identity_id`` (e.g. ``rate="75.00"``)."""
        ids = {**scope_business(business_id), "identity_id": check_id(identity_id, "identity_id")}
        return await self._update(ids, data, fields)


class InvitationRates(Resource[InvitationRate]):
    """Rates of pending invitations (Postman: Projects/Invitation Rates)."""

    __slots__ = ()
    _spec = spec("invitation_rates")
    _model = InvitationRate
    _doc_slug = "project"

    async def list(
        self, business_id: int, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[InvitationRate]:
        """One page of invitation rates."""
        return await self._list(scope_business(business_id), None, page, per_page)


class ProjectThreads(Resource[ProjectThread]):
    """Project discussion messages (Postman: Projects/Project Discussion; no example response)."""

    __slots__ = ()
    _spec = spec("project_threads")
    _model = ProjectThread
    _create_model = ProjectThreadCreate
    _doc_slug = "project"

    async def list(
        self,
        business_id: int,
        project_id: int,
        *,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
    ) -> Page[ProjectThread]:
        """One page of a project's discussion threads."""
        return await self._list(self._ids(business_id, project_id), None, page, per_page)

    async def create(
        self,
        business_id: int,
        project_id: int,
        data: ProjectThreadCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[ProjectThreadCreateKwargs],
    ) -> ProjectThread:
        """Post a new message in a project's discussion (e.g. ``subject=..., body=...``)."""
        return await self._create(self._ids(business_id, project_id), data, fields)

    @staticmethod
    def _ids(business_id: int, project_id: int) -> dict[str, object]:
        return {**scope_business(business_id), "project_id": check_id(project_id, "project_id")}


class ThreadComments(Resource[ThreadComment]):
    """Comments on a discussion thread (Postman: Projects/Add Comment; no example response)."""

    __slots__ = ()
    _spec = spec("thread_comments")
    _model = ThreadComment
    _create_model = ThreadCommentCreate
    _doc_slug = "project"

    async def create(
        self,
        business_id: int,
        thread_id: int,
        data: ThreadCommentCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[ThreadCommentCreateKwargs],
    ) -> ThreadComment:
        """Add a comment to ``thread_id`` (e.g. ``body="..."``)."""
        ids = {**scope_business(business_id), "thread_id": check_id(thread_id, "thread_id")}
        return await self._create(ids, data, fields)
