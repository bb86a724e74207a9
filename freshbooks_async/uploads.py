"""Uploads: images and attachments, up and down, and attaching them to expenses and invoices.

::

    uploads = Uploads(fb)
    logo = await uploads.images.upload(account_id, path="logo.png")
    await uploads.set_invoice_logo(account_id, invoice_id, logo)
    receipt = await uploads.attachments.upload(account_id, data, filename="r.pdf")
    await uploads.attach_expense_receipt(account_id, expense_id, receipt)
    size = await uploads.attachments.download_to(receipt.jwt, "copy.pdf")

Files go up as ``multipart/form-data`` with the file in the field ``content``
(docs/protocol.rst, "Other wire facts"). Their size and type are checked before anything
is sent. Files given by path or as an async byte stream are streamed, never held in
memory whole, and :meth:`Images.download_to` (``Attachments.download_to`` likewise)
streams a download to disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import os
import secrets
import tempfile
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal

import attrs

from ._sansio import build_path, check_account_id
from ._validate import check_int as _check_int
from .errors import ResponseDecodeError, TransportError
from .transports import BodyStream

if TYPE_CHECKING:
    from .client import FreshBooksClient

__all__ = [
    "CHUNK_SIZE",
    "Attachments",
    "FileTooLargeError",
    "Images",
    "UnsupportedFileTypeError",
    "Upload",
    "Uploads",
]

#: Bytes read from a file or written to one per step when streaming.
CHUNK_SIZE: Final = 1024 * 1024
_ERROR_BODY_LIMIT: Final = 64 * 1024


class FileTooLargeError(ValueError):
    """The file is larger than the uploader accepts (checked before sending)."""


class UnsupportedFileTypeError(ValueError):
    """The file's type is not accepted, or its content contradicts its declared type."""


# Magic numbers of the types we accept, to catch a mislabelled file before upload.
_MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"BM", "image/bmp"),
)


def _sniff(head: bytes) -> str | None:
    for magic, media in _MAGIC:
        if head.startswith(magic):
            return media
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


@attrs.frozen(kw_only=True)
class Upload:
    """A file stored by FreshBooks.

    Attributes:
        kind: ``"image"`` or ``"attachment"``.
        jwt: The token that names the file (use it to download or attach it).
        filename: FreshBooks' stored name.
        media_type: The MIME type FreshBooks recorded.
        public_id: FreshBooks' public id (usually the JWT).
        uuid: FreshBooks' uuid of the upload.
        link: A URL of the file, when FreshBooks gave one.
        extras: Fields this SDK does not know, kept as sent.
    """

    kind: Literal["image", "attachment"]
    jwt: str = attrs.field(repr=lambda v: f"'{v[:12]}…'")
    filename: str
    media_type: str
    public_id: str | None = attrs.field(default=None, repr=False)
    uuid: str | None = None
    link: str | None = attrs.field(default=None, repr=False)
    extras: Mapping[str, Any] = attrs.field(factory=dict, repr=False)

    @classmethod
    def from_api(cls, kind: Literal["image", "attachment"], document: Any) -> Upload:
        """Decode ``{"image": {...}, "link": "..."}`` / ``{"attachment": {...}}``.

        Raises:
            ResponseDecodeError: ``document`` is not an upload response.
        """
        obj = document.get(kind) if isinstance(document, Mapping) else None
        if not isinstance(obj, Mapping) or not isinstance(obj.get("jwt"), str) or not obj["jwt"]:
            raise ResponseDecodeError(f"expected {{'{kind}': {{'jwt': ...}}}} in the response")
        known = {"jwt", "filename", "media_type", "public_id", "uuid"}
        link = document.get("link")
        return cls(
            kind=kind,
            jwt=obj["jwt"],
            filename=str(obj.get("filename") or ""),
            media_type=str(obj.get("media_type") or ""),
            public_id=obj.get("public_id") if isinstance(obj.get("public_id"), str) else None,
            uuid=obj.get("uuid") if isinstance(obj.get("uuid"), str) else None,
            link=link if isinstance(link, str) else None,
            extras={k: v for k, v in obj.items() if k not in known},
        )

    @property
    def path(self) -> str:
        """The API path of the file, ``/uploads/images/<jwt>`` (what invoices reference)."""
        return build_path(f"/uploads/{self.kind}s/{{jwt}}", jwt=self.jwt)

    def attachment_ref(self) -> dict[str, str]:
        """``{"jwt", "media_type"}``: an expense's ``attachment`` or an item of an
        invoice's ``attachments`` (DOCS:invoice_presentation_attachments)."""
        return {"jwt": self.jwt, "media_type": self.media_type}


# --------------------------------------------------------------------------- sources


@attrs.frozen
class _Source:
    size: int
    head: bytes
    filename: str | None
    data: bytes | None = None
    path: Path | None = None
    stream: AsyncIterator[bytes] | None = None


def _check_filename(filename: object) -> str:
    if not isinstance(filename, str):
        raise TypeError(f"filename: expected str, got {type(filename).__name__}")
    if not filename or len(filename) > 255 or filename in (".", ".."):
        raise ValueError(f"filename: must be 1-255 characters, got {filename!r}")
    if any(c in filename for c in "/\\") or any(ord(c) < 32 or ord(c) == 127 for c in filename):
        raise ValueError(
            f"filename: must be a bare name without path or control characters, got {filename!r}"
        )
    return filename


def _as_path(name: str, value: object) -> Path:
    if not isinstance(value, str | os.PathLike):
        raise TypeError(f"{name}: expected str or os.PathLike, got {type(value).__name__}")
    text = os.fspath(value)
    if not isinstance(text, str) or not text:
        raise ValueError(f"{name}: must be a non-empty str path, got {value!r}")
    return Path(os.path.expanduser(text))


async def _first_chunk(iterator: AsyncIterator[bytes]) -> bytes:
    async for chunk in iterator:
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise TypeError(f"stream: chunks must be bytes, got {type(chunk).__name__}")
        if chunk:
            return bytes(chunk)
    return b""


async def _resolve(
    data: bytes | bytearray | memoryview | None,
    path: str | os.PathLike[str] | None,
    stream: AsyncIterable[bytes] | None,
    size: int | None,
) -> _Source:
    given = [n for n, v in (("data", data), ("path", path), ("stream", stream)) if v is not None]
    if len(given) != 1:
        raise ValueError(f"give exactly one of data, path or stream (got {given or 'none'})")
    if data is not None:
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError(f"data: expected bytes, got {type(data).__name__}")
        blob = bytes(data)
        return _Source(size=len(blob), head=blob[:16], filename=None, data=blob)
    if path is not None:
        file = _as_path("path", path)

        def probe() -> tuple[int, bytes]:
            if not file.is_file():
                raise ValueError(f"path: not a regular file: {str(file)!r}")
            with file.open("rb") as handle:
                return os.fstat(handle.fileno()).st_size, handle.read(16)

        length, head = await asyncio.to_thread(probe)
        return _Source(size=length, head=head, filename=file.name, path=file)
    if not isinstance(stream, AsyncIterable):
        raise TypeError(f"stream: expected an async iterable of bytes, got {type(stream).__name__}")
    if size is None:
        raise ValueError("size: required with stream (it is checked before the upload starts)")
    iterator = aiter(stream)
    head = await _first_chunk(iterator)
    return _Source(size=size, head=head, filename=None, stream=_chain(head, iterator))


async def _chain(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    if first:
        yield first
    async for chunk in rest:
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise TypeError(f"stream: chunks must be bytes, got {type(chunk).__name__}")
        if chunk:
            yield bytes(chunk)


def _disposition_name(filename: str) -> str:
    # HTML's multipart/form-data encoding: '"' becomes %22 (CR/LF were rejected earlier).
    return filename.replace('"', "%22")


# --------------------------------------------------------------------------- uploaders


class _Uploader:
    """Uploads and downloads of one kind (images or attachments)."""

    kind: ClassVar[Literal["image", "attachment"]]
    default_types: ClassVar[frozenset[str]]
    default_max_size: ClassVar[int]

    #: The largest file accepted, in bytes (``max_size=``, else the kind's default).
    max_size: int
    #: The MIME types accepted (``allowed_types=``, else the kind's default).
    allowed_types: frozenset[str]

    def __init__(
        self,
        client: FreshBooksClient,
        *,
        max_size: int | None = None,
        allowed_types: Iterable[str] | None = None,
    ) -> None:
        from .client import FreshBooksClient

        if not isinstance(client, FreshBooksClient):
            raise TypeError(f"client: expected FreshBooksClient, got {type(client).__name__}")
        self._client = client
        self.max_size = (
            self.default_max_size if max_size is None else _check_int("max_size", max_size, 1)
        )
        if allowed_types is None:
            self.allowed_types = self.default_types
        else:
            if isinstance(allowed_types, str) or not all(  # one str is not a set of types
                isinstance(t, str) and "/" in t for t in allowed_types
            ):
                raise TypeError("allowed_types: expected a set of MIME types such as 'image/png'")
            self.allowed_types = frozenset(t.lower() for t in allowed_types)

    # ------------------------------------------------------------ upload

    async def upload(
        self,
        account_id: str | None,
        data: bytes | bytearray | memoryview | None = None,
        *,
        path: str | os.PathLike[str] | None = None,
        stream: AsyncIterable[bytes] | None = None,
        size: int | None = None,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> Upload:
        """Upload one file: ``data`` in memory, a file at ``path``, or an async ``stream``.

        Args:
            account_id: The account to upload to.
            data: The file's bytes.
            path: A file to stream from disk (its name is the default ``filename``).
            stream: Async byte chunks; needs ``size``. It can be sent only once, so an
                upload the pipeline must retry fails: prefer ``path`` for big files.
            size: The stream's exact length in bytes.
            filename: The name to store (default: the path's name, else ``upload``
                with the type's extension).
            content_type: The MIME type (default: guessed from the filename, else from
                the content).

        Returns:
            The stored file.

        Raises:
            FileTooLargeError: Larger than :attr:`max_size`.
            UnsupportedFileTypeError: Type not in :attr:`allowed_types`, unknown, or
                contradicted by the content.
            ValueError, TypeError: Bad arguments (an empty file included).
        """
        path_template = f"/uploads/account/{{account_id}}/{self.kind}s"
        if account_id is None:
            if self.kind != "image":
                raise ValueError("account_id: attachments need an account id")
            api_path = "/uploads/images"  # Postman: Uploader/Upload Image Without AccountId
        else:
            api_path = build_path(path_template, account_id=check_account_id(account_id))
        if size is not None:
            _check_int("size", size, 0)
        source = await _resolve(data, path, stream, size)
        name = _check_filename(filename) if filename is not None else source.filename
        media = self._media_type(content_type, name, source.head)
        if name is None:
            name = "upload" + (mimetypes.guess_extension(media) or "")
        if source.size == 0:
            raise ValueError("the file is empty")
        if source.size > self.max_size:
            raise FileTooLargeError(
                f"the file is {source.size} bytes; {self.kind}s may be at most "
                f"{self.max_size} bytes"
            )
        boundary = secrets.token_hex(16)
        head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="content"; '
            f'filename="{_disposition_name(name)}"\r\n'
            f"Content-Type: {media}\r\n\r\n"
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head) + source.size + len(tail)),
        }
        if source.data is not None:
            response = await self._client.request(
                "POST", api_path, body=head + source.data + tail, headers=headers
            )
        else:
            factory = self._body_factory(source, head, tail)
            response = await self._client.request("POST", api_path, stream=factory, headers=headers)
        return Upload.from_api(self.kind, response.data)

    def _media_type(self, declared: str | None, name: str | None, head: bytes) -> str:
        sniffed = _sniff(head)
        if declared is not None:
            if not isinstance(declared, str):
                raise TypeError(f"content_type: expected str, got {type(declared).__name__}")
            media = declared.split(";", 1)[0].strip().lower()
        elif name is not None and mimetypes.guess_type(name)[0]:
            media = str(mimetypes.guess_type(name)[0]).lower()
        elif sniffed is not None:
            media = sniffed
        else:
            raise UnsupportedFileTypeError(
                "cannot tell the file's type: pass content_type= or a filename with an extension"
            )
        if media not in self.allowed_types:
            raise UnsupportedFileTypeError(
                f"{self.kind}s accept {', '.join(sorted(self.allowed_types))}; got {media!r}"
            )
        if sniffed is not None and sniffed != media:
            raise UnsupportedFileTypeError(
                f"the content looks like {sniffed} but the file is declared as {media}"
            )
        return media

    def _body_factory(self, source: _Source, head: bytes, tail: bytes) -> BodyStream:
        used = False
        expected = source.size

        async def body() -> AsyncIterator[bytes]:
            nonlocal used
            if source.path is None and used:
                raise RuntimeError(
                    "upload stream: an async byte stream can be sent only once and this "
                    "upload needed another attempt; upload from a path or bytes to allow it"
                )
            used = True
            yield head
            sent = 0
            chunks = _read_file(source.path) if source.path is not None else source.stream
            assert chunks is not None
            async for chunk in chunks:
                sent += len(chunk)
                if sent > expected:
                    raise ValueError(f"upload stream: longer than the {expected} bytes declared")
                yield chunk
            if sent != expected:
                raise ValueError(f"upload stream: {sent} bytes sent, {expected} declared")
            yield tail

        return body

    # ------------------------------------------------------------ download

    def _download_path(self, jwt: str) -> str:
        if not isinstance(jwt, str):
            raise TypeError(f"jwt: expected str, got {type(jwt).__name__}")
        return build_path(f"/uploads/{self.kind}s/{{jwt}}", jwt=jwt)

    async def download(self, jwt: str) -> bytes:
        """The file named by ``jwt``, in memory (use :meth:`download_to` for big files)."""
        response = await self._client.request(
            "GET", self._download_path(jwt), expect="bytes", headers={"Accept": "*/*"}
        )
        return response.content

    async def download_to(
        self, jwt: str, destination: str | os.PathLike[str], *, chunk_size: int = CHUNK_SIZE
    ) -> int:
        """Stream the file named by ``jwt`` to ``destination``.

        The body goes to a temporary file beside ``destination``, renamed over it once
        complete, so a failed download never leaves a partial file.

        Returns:
            The number of bytes written.

        Raises:
            APIError: FreshBooks answered with an error (after one token refresh on 401).
            TransportError: The download failed, or its body broke off, on every
                attempt the client's retry policy allows (each starts afresh).
        """
        api_path = self._download_path(jwt)
        _check_int("chunk_size", chunk_size, 1)
        target = _as_path("destination", destination)
        if not await asyncio.to_thread(target.parent.is_dir):
            raise ValueError(f"destination: directory does not exist: {str(target.parent)!r}")
        return await _stream_to_file(self._client, api_path, target, chunk_size)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(max_size={self.max_size})"


class Images(_Uploader):
    """Images (logos, banners): ``/uploads/account/{account_id}/images``.

    Accepts PNG, JPEG and GIF (FreshBooks' uploader asks for .png or .jpg) up to
    10 MiB by default; pass ``max_size``/``allowed_types`` to change that.
    """

    kind = "image"
    default_types = frozenset({"image/png", "image/jpeg", "image/gif"})
    default_max_size = 10 * 1024 * 1024


class Attachments(_Uploader):
    """Attachments (expense receipts, invoice attachments):
    ``/uploads/account/{account_id}/attachments``.

    Accepts PDF and common images up to 25 MiB by default (FreshBooks documents no
    limit; this is our guard rail); pass ``max_size``/``allowed_types`` to change it.
    """

    kind = "attachment"
    default_types = frozenset(
        {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp"}
    )
    default_max_size = 25 * 1024 * 1024


class Uploads:
    """Images, attachments and the two-step flows that use them.

    Args:
        client: The client whose pipeline sends the calls.
    """

    def __init__(self, client: FreshBooksClient) -> None:
        self.images = Images(client)
        self.attachments = Attachments(client)
        self._client = client

    async def attach_expense_receipt(
        self, account_id: str, expense_id: int, upload: Upload
    ) -> dict[str, Any]:
        """Attach an uploaded receipt to an expense (API overview: "Adding a Receipt to
        your Expense").

        Returns:
            The updated expense, as FreshBooks returned it.
        """
        if not isinstance(upload, Upload):
            raise TypeError(f"upload: expected Upload, got {type(upload).__name__}")
        path = build_path(
            "/accounting/account/{account_id}/expenses/expenses/{id}",
            account_id=check_account_id(account_id),
            id=_check_int("expense_id", expense_id, 1),
        )
        body = {"expense": {"attachment": upload.attachment_ref()}}
        response = await self._client.request("PUT", path, json=body)
        return _result(response.data, "expense")

    async def set_invoice_logo(
        self, account_id: str, invoice_id: int, upload: Upload
    ) -> dict[str, Any]:
        """Use an uploaded image as an invoice's logo (API overview: the two-step logo
        flow; ``presentation.image_logo_src`` per DOCS:invoice_presentation_attachments).

        Returns:
            The updated invoice, as FreshBooks returned it.
        """
        if not isinstance(upload, Upload):
            raise TypeError(f"upload: expected Upload, got {type(upload).__name__}")
        if upload.kind != "image":
            raise ValueError("upload: an invoice logo must be an image upload")
        path = build_path(
            "/accounting/account/{account_id}/invoices/invoices/{id}",
            account_id=check_account_id(account_id),
            id=_check_int("invoice_id", invoice_id, 1),
        )
        body = {"invoice": {"presentation": {"image_logo_src": upload.path}}}
        response = await self._client.request("PUT", path, json=body)
        return _result(response.data, "invoice")

    def __repr__(self) -> str:
        return f"Uploads({self.images!r}, {self.attachments!r})"


def _result(data: Any, singular: str) -> dict[str, Any]:
    obj = data.get(singular) if isinstance(data, Mapping) else None
    if not isinstance(obj, dict):
        raise ResponseDecodeError(f"expected {{'{singular}': {{...}}}} in the result")
    return obj


# --------------------------------------------------------------------------- file I/O


async def _read_file(path: Path, chunk_size: int = CHUNK_SIZE) -> AsyncIterator[bytes]:
    handle = await asyncio.to_thread(path.open, "rb")
    try:
        while chunk := await asyncio.to_thread(handle.read, chunk_size):
            yield chunk
    finally:
        await asyncio.to_thread(handle.close)


async def _stream_to_file(
    client: FreshBooksClient, api_path: str, target: Path, chunk_size: int
) -> int:
    """Stream the download to ``target``. A body that breaks off is downloaded again from
    the start (FreshBooks documents no ranged downloads), as the client's retry policy
    allows for a GET; what fails before the body is retried by the pipeline itself."""
    retries = 0
    while True:
        handed_over = False
        try:
            async with client.stream("GET", api_path, headers={"Accept": "*/*"}) as response:
                handed_over = True
                return await _drain_to(response.iter_bytes(chunk_size), target)
        except TransportError as exc:
            if not handed_over:
                raise
            await client.before_replay(exc, method="GET", retries_taken=retries)
            retries += 1


async def _drain_to(chunks: AsyncIterator[bytes], target: Path) -> int:
    fd, tmp = await asyncio.to_thread(
        lambda: tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    )
    written = 0
    try:
        handle = await asyncio.to_thread(os.fdopen, fd, "wb")
        try:
            async for chunk in chunks:
                await asyncio.to_thread(handle.write, chunk)
                written += len(chunk)
        finally:
            await asyncio.to_thread(handle.close)
        await asyncio.to_thread(os.replace, tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return written
