"""A response whose body is read on demand: :class:`StreamedResponse`.

Returned by ``Transport.stream()`` for downloads too large to hold in memory. Like
:class:`~freshbooks_async.transports.Response`, it holds nothing from aiohttp.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from ._types import Headers, Request

__all__ = ["DEFAULT_CHUNK_SIZE", "ChunkSource", "StreamedResponse"]

#: Default size of the chunks :meth:`StreamedResponse.iter_bytes` yields.
DEFAULT_CHUNK_SIZE = 64 * 1024

#: Called once with the maximum chunk size; yields the body's chunks.
ChunkSource = Callable[[int], AsyncIterator[bytes]]


class StreamedResponse:
    """An HTTP response whose body is read chunk by chunk.

    It is only valid inside the ``async with transport.stream(request)`` block that
    produced it; leaving the block releases the connection (and closes it when the body
    was not read to the end). The body can be iterated once.

    Attributes:
        status: HTTP status code.
        headers: Response headers, as the server sent them.
        request: The request this answers.
    """

    __slots__ = ("_chunks", "_consumed", "headers", "request", "status")

    def __init__(
        self, *, status: int, headers: Headers, request: Request, chunks: ChunkSource
    ) -> None:
        if isinstance(status, bool) or not isinstance(status, int):
            raise TypeError(f"status: expected int, got {type(status).__name__}: {status!r}")
        if not isinstance(headers, Headers):
            raise TypeError(f"headers: expected Headers, got {type(headers).__name__}")
        if not isinstance(request, Request):
            raise TypeError(f"request: expected Request, got {type(request).__name__}")
        if not callable(chunks):
            raise TypeError(f"chunks: expected a callable, got {type(chunks).__name__}")
        self.status = status
        self.headers = headers
        self.request = request
        self._chunks = chunks
        self._consumed = False

    @property
    def consumed(self) -> bool:
        """Whether the body has been (or is being) iterated."""
        return self._consumed

    def iter_bytes(self, chunk_size: int = DEFAULT_CHUNK_SIZE) -> AsyncIterator[bytes]:
        """Iterate over the body in chunks of at most ``chunk_size`` bytes.

        Args:
            chunk_size: The largest chunk to yield, in bytes (> 0).

        Returns:
            An async iterator of non-empty ``bytes`` chunks.

        Raises:
            TypeError: ``chunk_size`` is not an int.
            ValueError: ``chunk_size`` is not positive.
            RuntimeError: The body was already iterated.
            freshbooks_async.errors.RequestMaybeSentError: The connection failed or
                timed out while reading (raised by the iterator).
        """
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, int):
            raise TypeError(
                f"chunk_size: expected int, got {type(chunk_size).__name__}: {chunk_size!r}"
            )
        if chunk_size <= 0:
            raise ValueError(f"chunk_size: must be > 0, got {chunk_size!r}")
        if self._consumed:
            raise RuntimeError("the response body was already iterated; it can be read once")
        self._consumed = True
        return self._chunks(chunk_size)

    async def read(self) -> bytes:
        """Read the whole (remaining) body into memory.

        Returns:
            The body.

        Raises:
            RuntimeError: The body was already iterated.
        """
        return b"".join([chunk async for chunk in self.iter_bytes()])

    def __repr__(self) -> str:
        return (
            f"StreamedResponse(status={self.status}, "
            f"method={self.request.method!r}, url={str(self.request.url)!r})"
        )
