"""Webhook callbacks (events family): ``/events/account/{account_id}/events/callbacks``,
JSON keys ``callback`` / ``callbacks``. ``updated_at`` is ISO 8601 UTC
(PY fixture ``get_callback_response.json``); the handshake is in docs/protocol.rst,
"Webhooks"."""

from __future__ import annotations

from typing import ClassVar

import attrs

from ._base import Model, WriteModel
from .common import UNSET, ISODateTime, Settable

__all__ = ["Callback", "CallbackCreate", "CallbackResendVerification", "CallbackVerify"]


@attrs.frozen(kw_only=True)
class Callback(Model):
    """A registered webhook (starts unverified)."""

    callbackid: int | None = None
    event: str | None = None
    uri: str | None = None
    verified: bool | None = None
    updated_at: ISODateTime | None = None


@attrs.frozen(kw_only=True)
class CallbackCreate(WriteModel):
    """Body of ``POST .../events/callbacks``: ``{"callback": {"event", "uri"}}``."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"event", "uri"})

    event: Settable[str] = UNSET
    uri: Settable[str] = UNSET


@attrs.frozen(kw_only=True)
class CallbackVerify(WriteModel):
    """Body of the verification ``PUT``: the code FreshBooks POSTed to the URI."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset({"verifier"})

    verifier: Settable[str] = attrs.field(default=UNSET, repr=False)


@attrs.frozen(kw_only=True)
class CallbackResendVerification(WriteModel):
    """Body of ``PUT`` asking FreshBooks to send the verification code again."""

    resend: Settable[bool] = True
