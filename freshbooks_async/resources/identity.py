"""The auth family (``/auth/api/v1/...``): identity, businesses, team members,
applications, invitations and billing subscriptions.

Responses come as ``{"response": ...}`` (docs/protocol.rst, "Envelopes per family");
``business_id`` is an ``int``, team members are addressed by their ``uuid``, applications
by their OAuth ``client_id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Unpack

from .._catalogue import spec
from ..models import decode
from ..models.identity import (
    Application,
    ApplicationCreate,
    Business,
    BusinessCreate,
    Identity,
    Invitation,
    InvitationCreate,
    TeamMember,
)
from ..models.kwargs import (
    ApplicationCreateKwargs,
    BusinessCreateKwargs,
    InvitationCreateKwargs,
)
from ..pagination import MAX_PER_PAGE, Page, Paginator
from ._base import (
    BusinessList,
    JSONObject,
    Resource,
    check_str_id,
    raw_payload,
    scope_account,
    scope_business,
)

__all__ = ["Applications", "Businesses", "Identities", "Invitations", "TeamMembers"]


class Identities(Resource[Identity]):
    """The token's identity: https://www.freshbooks.com/api/me_endpoint."""

    __slots__ = ()
    _spec = spec("identity")
    _model = Identity
    _doc_slug = "me_endpoint"

    async def me(self) -> Identity:
        """Who the token belongs to, with every business membership (``account_id``,
        ``business_id``, ``business_uuid``, role)."""
        return await self._get({}, None)

    async def register(self, data: Mapping[str, Any] | None = None, **fields: Any) -> JSONObject:
        """Register a new FreshBooks user (``POST /auth/api/v1/smux/registrations``;
        Postman: Authorization/Register as a new user). Not retried once maybe sent.

        Returns:
            The ``response`` object (e.g. ``{"registration": {...}}``).
        """
        if data is not None and fields:
            raise TypeError("register: give a mapping or keyword fields, not both")
        body = raw_payload("register", fields if data is None else data)
        response = await self._call_raw(
            "POST", "/auth/api/v1/smux/registrations", body=body, idempotent=False
        )
        result = response.data
        return dict(result) if isinstance(result, dict) else {"response": result}


class Businesses(Resource[Business]):
    """Businesses of the identity (Postman: Settings/Businesses)."""

    __slots__ = ()
    _spec = spec("businesses")
    _model = Business
    _create_model = BusinessCreate
    _doc_slug = "me_endpoint"

    async def create(
        self,
        data: BusinessCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[BusinessCreateKwargs],
    ) -> Business:
        """Add a business (``POST /auth/api/v1/users/business``; ``name`` required)."""
        return await self._create({}, data, fields)

    async def delete(self, business_id: int) -> None:
        """Delete a business (``DELETE /auth/api/v1/users/business/{business_id}``)."""
        await self._delete(scope_business(business_id))

    async def list_business_group_members(self, business_id: int) -> Business:
        """The business and its people (``GET /auth/api/v1/users/business/{business_id}``):
        ``business_group.members`` lists each identity and its role."""
        response = await self._call_raw("GET", self._item(scope_business(business_id)))
        return decode(Business, response.data)

    async def delete_subscription(self, account_id: str) -> None:
        """Cancel the billing subscription of an account before deleting its business
        (``DELETE /auth/api/v1/billing/account/{account_id}/subscription``)."""
        path = spec("billing_subscription").render_item(**scope_account(account_id))
        await self._call_raw("DELETE", path)


class TeamMembers(BusinessList[TeamMember]):
    """Team members of a business: https://www.freshbooks.com/api/team-members."""

    __slots__ = ()
    _spec = spec("team_members")
    _model = TeamMember
    _doc_slug = "team-members"

    async def get(self, business_id: int, team_member_uuid: str) -> TeamMember:
        """One team member by uuid."""
        ids = {
            **scope_business(business_id),
            "team_member_uuid": check_str_id(team_member_uuid, "team_member_uuid"),
        }
        return await self._get(ids, None)


class Applications(Resource[Application]):
    """Developer applications (Postman: Settings/Developer)."""

    __slots__ = ()
    _spec = spec("applications")
    _model = Application
    _create_model = ApplicationCreate
    _update_model = ApplicationCreate
    _doc_slug = "authentication"

    async def list(self, *, page: int = 1, per_page: int = MAX_PER_PAGE) -> Page[Application]:
        """One page of the identity's applications."""
        return await self._list({}, None, page, per_page)

    def list_all(self, *, per_page: int = MAX_PER_PAGE) -> Paginator[Application]:
        """Every application, as a paginator."""
        return self._list_all({}, None, per_page, 4, None, False)

    async def create(
        self,
        data: ApplicationCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[ApplicationCreateKwargs],
    ) -> Application:
        """Create an application."""
        return await self._create({}, data, fields)

    async def update(
        self,
        client_id: str,
        data: ApplicationCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[ApplicationCreateKwargs],
    ) -> Application:
        """Change an application, addressed by its OAuth ``client_id``."""
        return await self._update({"client_id": check_str_id(client_id, "client_id")}, data, fields)


class Invitations(Resource[Invitation]):
    """Invite a team member (Postman: Projects/Invite Team Member to Project(s))."""

    __slots__ = ()
    _spec = spec("invitations")
    _model = Invitation
    _create_model = InvitationCreate
    _doc_slug = "team-members"

    async def create(
        self,
        data: InvitationCreate | Mapping[str, Any] | None = None,
        **fields: Unpack[InvitationCreateKwargs],
    ) -> Invitation:
        """Send an invitation (``email`` required). Not retried once maybe sent."""
        payload = self._write_body(self._create_model, data, fields, what="create")
        return await self._call_one(
            "POST", self._spec.render_create(), body=self._wrap(payload), idempotent=False
        )
