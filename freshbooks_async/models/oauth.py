"""OAuth2 token response (``POST /auth/oauth/token``; PY fixture
``auth_token_response.json``). Tokens never appear in ``repr``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from ._base import Model, _freeze_extras
from .common import EMPTY_MAPPING

__all__ = ["TokenResponse"]


@attrs.frozen(kw_only=True)
class TokenResponse(Model):
    """Access and refresh token. ``created_at`` is unix seconds; expiry is
    ``created_at + expires_in`` (both official SDKs)."""

    access_token: str = attrs.field(repr=False)
    refresh_token: str = attrs.field(repr=False)
    id_token: str | None = attrs.field(default=None, repr=False)
    token_type: str
    expires_in: int
    scope: str
    created_at: int
    direct_buy_tokens: dict[str, Any] | None = None
    # Unknown keys may be credentials too: keep them out of repr.
    extras: Mapping[str, Any] = attrs.field(
        default=EMPTY_MAPPING, converter=_freeze_extras, repr=False
    )

    @property
    def expires_at(self) -> datetime:
        """When the access token expires (aware UTC)."""
        return datetime.fromtimestamp(self.created_at + self.expires_in, UTC)

    @property
    def scopes(self) -> tuple[str, ...]:
        """The granted scopes, split on spaces."""
        return tuple(self.scope.split())
