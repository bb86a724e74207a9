"""OAuth2 token response (``POST /auth/oauth/token``; PY fixture
``auth_token_response.json``). Tokens never appear in ``repr``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from ._base import Model, _freeze_extras
from .common import EMPTY_MAPPING, UNSET, Maybe

__all__ = ["TokenResponse"]


@attrs.frozen(kw_only=True)
class TokenResponse(Model):
    """Access and refresh token. ``created_at`` is unix seconds; expiry is
    ``created_at + expires_in`` (both official SDKs)."""

    access_token: Maybe[str] = attrs.field(default=UNSET, repr=False)
    refresh_token: Maybe[str] = attrs.field(default=UNSET, repr=False)
    id_token: Maybe[str] = attrs.field(default=UNSET, repr=False)
    token_type: Maybe[str] = UNSET
    expires_in: Maybe[int] = UNSET
    scope: Maybe[str] = UNSET
    created_at: Maybe[int] = UNSET
    direct_buy_tokens: Maybe[dict[str, Any]] = UNSET
    # Unknown keys may be credentials too: keep them out of repr.
    extras: Mapping[str, Any] = attrs.field(
        default=EMPTY_MAPPING, converter=_freeze_extras, repr=False
    )

    @property
    def expires_at(self) -> datetime | None:
        """When the access token expires (aware UTC), if the response says."""
        if isinstance(self.created_at, int) and isinstance(self.expires_in, int):
            return datetime.fromtimestamp(self.created_at + self.expires_in, UTC)
        return None

    @property
    def scopes(self) -> tuple[str, ...]:
        """The granted scopes, split on spaces."""
        return tuple(self.scope.split()) if isinstance(self.scope, str) else ()
