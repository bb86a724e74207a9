"""Uploads (flat JSON; PY fixtures ``upload_image_response.json``,
``upload_attachment_response.json``): ``{"image": {...}, "link": "..."}`` or
``{"attachment": {...}}`` with ``link`` beside the object."""

from __future__ import annotations

import attrs

from ._base import Model
from .common import UNSET, Maybe

__all__ = ["AttachmentUpload", "ImageUpload", "UploadedFile"]


@attrs.frozen(kw_only=True)
class UploadedFile(Model):
    """An uploaded image or attachment; ``jwt`` is its download key
    (``GET /uploads/images/{jwt}``)."""

    filename: Maybe[str] = UNSET
    public_id: Maybe[str] = UNSET
    jwt: Maybe[str] = UNSET
    media_type: Maybe[str] = UNSET
    uuid: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class ImageUpload(Model):
    """Response of ``POST .../uploads/account/{account_id}/images``."""

    image: Maybe[UploadedFile] = UNSET
    link: Maybe[str] = UNSET


@attrs.frozen(kw_only=True)
class AttachmentUpload(Model):
    """Response of ``POST .../uploads/account/{account_id}/attachments``."""

    attachment: Maybe[UploadedFile] = UNSET
    link: Maybe[str] = UNSET
