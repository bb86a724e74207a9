"""The uploads family: multipart uploads of images and attachments and their download."""

from __future__ import annotations

import base64
import json
import secrets
from typing import Any

from .._core import Ctx, Reply
from .._errors import SandboxAPIError
from .._store import on_undo
from .common import _account, _uuid


def _multipart(ctx: Ctx) -> tuple[bytes, str, str]:
    ctype = ctx.headers.get("Content-Type", "")
    if not ctype.lower().startswith("multipart/form-data") or "boundary=" not in ctype:
        raise SandboxAPIError(400, "Expected multipart/form-data with a 'content' file.")
    boundary = ctype.split("boundary=", 1)[1].split(";")[0].strip().strip('"').encode()
    for part in ctx.body.split(b"--" + boundary):
        head, sep, rest = part.partition(b"\r\n\r\n")
        if not sep:
            continue
        headers = head.decode("latin-1").lower()
        if 'name="content"' not in headers:
            continue
        data = rest[:-2] if rest.endswith(b"\r\n") else rest
        filename = "upload"
        raw_head = head.decode("latin-1")
        if 'filename="' in raw_head:
            filename = raw_head.split('filename="', 1)[1].split('"', 1)[0]
        media = "application/octet-stream"
        for line in raw_head.split("\r\n"):
            if line.lower().startswith("content-type:"):
                media = line.split(":", 1)[1].strip()
        return data, filename, media
    raise SandboxAPIError(400, "Missing file field 'content'.")


async def uploads(ctx: Ctx) -> Reply:
    sb = ctx.sb
    kind = ctx.route.resource  # images / attachments
    singular = "image" if kind == "images" else "attachment"
    if ctx.route.op == "get":
        found = sb.uploads.get(ctx.params["jwt"])
        if found is None or found[2] != kind:
            raise SandboxAPIError(404, "File not found.")
        return Reply(200, found[0], content_type=found[1])
    if "account_id" in ctx.params:
        _account(ctx)
    data, filename, media = _multipart(ctx)
    if kind == "images" and not media.startswith("image/"):
        raise SandboxAPIError(400, f"Unsupported media type {media}.")
    jwt = ".".join(
        base64.urlsafe_b64encode(p).decode().rstrip("=")
        for p in (
            b'{"alg":"HS256","typ":"JWT"}',
            json.dumps({"uuid": _uuid(sb)}).encode(),
            secrets.token_bytes(16),
        )
    )
    sb.uploads[jwt] = (data, media, kind)
    on_undo(lambda: sb.uploads.pop(jwt, None))
    obj = {
        "filename": filename,
        "public_id": jwt,
        "jwt": jwt,
        "media_type": media,
        "uuid": _uuid(sb),
    }
    body: dict[str, Any] = {singular: obj}
    if kind == "images":
        body["link"] = f"{sb.base_url}/uploads/images/{jwt}"
    else:
        body["link"] = f"{sb.base_url}/uploads/attachments/{jwt}"
    sb.record_create(kind, ctx.params.get("account_id", ""), jwt)
    return Reply(200, body)
