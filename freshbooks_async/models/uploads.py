"""Uploads (flat JSON; PY fixtures ``upload_image_response.json``,
``upload_attachment_response.json``): ``{"image": {...}, "link": "..."}`` or
``{"attachment": {...}}`` with ``link`` beside the object."""

from __future__ import annotations

import attrs

from ._base import Model

__all__ = ["AttachmentUpload", "ImageUpload", "UploadedFile"]


@attrs.frozen(kw_only=True)
class UploadedFile(Model):
    """An uploaded image or attachment; ``jwt`` is its download key
    (``GET /uploads/images/{jwt}``)."""

    filename: str | None = None
    public_id: str | None = None
    jwt: str | None = None
    media_type: str | None = None
    uuid: str | None = None


@attrs.frozen(kw_only=True)
class ImageUpload(Model):
    """Response of ``POST .../uploads/account/{account_id}/images``."""

    image: UploadedFile | None = None
    link: str | None = None


@attrs.frozen(kw_only=True)
class AttachmentUpload(Model):
    """Response of ``POST .../uploads/account/{account_id}/attachments``."""

    attachment: UploadedFile | None = None
    link: str | None = None
