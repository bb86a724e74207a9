"""Every exception the SDK raises on purpose.

::

    FreshBooksError
    ├── TransportError                     the HTTP exchange itself failed
    │   ├── RequestNotSentError            certainly not processed: always safe to retry
    │   │   ├── ConnectError
    │   │   ├── ConnectTimeoutError
    │   │   └── PoolTimeoutError
    │   └── RequestMaybeSentError          the server may have acted on it
    │       ├── ReadError
    │       ├── ReadTimeoutError
    │       └── ServerDisconnectedError
    ├── APIError                           FreshBooks answered with an error status
    │   ├── ValidationError                400
    │   ├── AuthenticationError            401
    │   │   └── OAuthError                 error/error_description from the token endpoint
    │   │       └── InvalidGrantError      code or refresh token used, expired or revoked
    │   ├── PermissionDeniedError          403
    │   ├── NotFoundError                  404
    │   ├── ConflictError                  409
    │   │   └── InvoiceNumberConflictError concurrent invoice creates took the same number
    │   ├── UnprocessableEntityError       422
    │   ├── RateLimitError                 429 (``retry_after``)
    │   └── ServerError                    5xx
    ├── ResponseDecodeError                a body that is not what the API promises
    │   └── ModelDecodeError               JSON that does not fit the typed model
    ├── NotAuthorizedError                 an OAuth2 session holds no token yet
    ├── RefreshAmbiguousError              a token refresh may have been spent: not repeated
    ├── PageFetchError                     a page of a listing failed (``page``; cause chained)
    └── BulkError                          bulk work left failures (``result`` has every item)

Bad arguments to public functions raise the built-in ``ValueError`` / ``TypeError``
before any request is sent. ``str()`` of every error here is one short line: status,
errno, message, method and path. No error ever carries a bearer token or secret.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = [
    "APIError",
    "AuthenticationError",
    "BulkError",
    "ConflictError",
    "ConnectError",
    "ConnectTimeoutError",
    "ErrorDetail",
    "FreshBooksError",
    "InvalidGrantError",
    "InvoiceNumberConflictError",
    "ModelDecodeError",
    "NotAuthorizedError",
    "NotFoundError",
    "OAuthError",
    "PageFetchError",
    "PermissionDeniedError",
    "PoolTimeoutError",
    "RateLimitError",
    "ReadError",
    "ReadTimeoutError",
    "RefreshAmbiguousError",
    "RequestMaybeSentError",
    "RequestNotSentError",
    "ResponseDecodeError",
    "ServerDisconnectedError",
    "ServerError",
    "TransportError",
    "UnprocessableEntityError",
    "ValidationError",
    "error_class_for_status",
]


@attrs.frozen(kw_only=True)
class ErrorDetail:
    """One problem reported by FreshBooks, normalised across the family error shapes.

    Attributes:
        message: Human-readable text.
        field: The request field at fault, when named.
        errno: FreshBooks' numeric error code, when given.
        object: The resource type the error is about (accounting errors).
        value: The offending value, as FreshBooks echoed it.
        reason: The machine-readable reason (google.rpc ``ErrorInfo.reason``).
    """

    message: str
    field: str | None = None
    errno: int | None = None
    object: str | None = None
    value: str | None = None
    reason: str | None = None


class FreshBooksError(Exception):
    """Base class of every error this SDK raises on purpose.

    Attributes:
        retries_taken: How many times the request was retried before this error.
    """

    retries_taken: int = 0


class TransportError(FreshBooksError):
    """The HTTP exchange failed before a complete response was read.

    Attributes:
        method: The request's method.
        url: The request's URL (query included; it never holds a token).
    """

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url

    def __str__(self) -> str:
        where = f" ({self.method} {self.url})" if self.method else ""
        return f"{type(self).__name__}: {self.message}{where}"


class RequestNotSentError(TransportError):
    """The request certainly did not reach the server: retrying cannot duplicate work."""


class ConnectError(RequestNotSentError):
    """The connection could not be opened (refused, DNS, TLS handshake)."""


class ConnectTimeoutError(RequestNotSentError):
    """Opening the connection took too long."""


class PoolTimeoutError(RequestNotSentError):
    """No pooled connection became free in time."""


class RequestMaybeSentError(TransportError):
    """The request may have been processed: a POST must not be blindly replayed."""


class ReadError(RequestMaybeSentError):
    """The connection failed while the response was being read."""


class ReadTimeoutError(RequestMaybeSentError):
    """The response did not arrive in time."""


class ServerDisconnectedError(RequestMaybeSentError):
    """The server closed the connection before answering in full."""


class APIError(FreshBooksError):
    """FreshBooks answered with an error status.

    Attributes:
        status: HTTP status code.
        errno: FreshBooks' error number, when the body had one.
        message: The first (or only) error message.
        details: Every problem the body listed, field by field.
        request_id: The request id header FreshBooks sent back, if any.
        method: The request's method.
        path: The request's path.
        body: The raw response body, for diagnosis.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        errno: int | None = None,
        details: Sequence[ErrorDetail] = (),
        request_id: str | None = None,
        method: str = "",
        path: str = "",
        body: bytes = b"",
        retries_taken: int = 0,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.errno = errno
        self.details = tuple(details)
        self.request_id = request_id
        self.method = method
        self.path = path
        self.body = body
        self.retries_taken = retries_taken

    @property
    def field_errors(self) -> dict[str, str]:
        """``{field: message}`` for every detail that names a field."""
        return {d.field: d.message for d in self.details if d.field}

    def __str__(self) -> str:
        errno = f" errno {self.errno}" if self.errno is not None else ""
        where = f" ({self.method} {self.path})" if self.method else ""
        return f"{self.status}{errno}: {self.message}{where}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status}, errno={self.errno}, "
            f"message={self.message!r}, method={self.method!r}, path={self.path!r}, "
            f"retries_taken={self.retries_taken})"
        )


class ValidationError(APIError):
    """400: the request was malformed or a field value was rejected."""


class AuthenticationError(APIError):
    """401: the token is missing, expired or revoked."""


class OAuthError(AuthenticationError):
    """The OAuth token endpoint refused a grant (``error``/``error_description``).

    Attributes:
        error: The OAuth ``error`` code, such as ``invalid_client``.
    """

    def __init__(self, message: str, *, error: str = "", **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.error = error


class InvalidGrantError(OAuthError):
    """The authorization code or refresh token is used, expired or revoked.

    Refresh tokens are single use: the user must authorize the app again.
    """


class PermissionDeniedError(APIError):
    """403: the token lacks a scope or the user lacks access."""


class NotFoundError(APIError):
    """404: no such resource (or not visible to this token)."""


class ConflictError(APIError):
    """409: the resource is being modified by another request."""


class InvoiceNumberConflictError(ConflictError):
    """409 on an invoice create: a concurrent create took the same invoice number.

    Retrying the create (or giving an explicit ``invoice_number``) resolves it; the
    bulk layer does this for you.
    """


class UnprocessableEntityError(APIError):
    """422: the request was understood but its content was rejected."""


class RateLimitError(APIError):
    """429: too many requests.

    Attributes:
        retry_after: Seconds the server asked us to wait, if it said.
    """

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: object):
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after


class ServerError(APIError):
    """5xx: FreshBooks failed to process the request."""


class ResponseDecodeError(FreshBooksError):
    """A response body was not what the API promises (not JSON, wrong envelope).

    Attributes:
        status: HTTP status code of the response.
        body: The raw body, kept for diagnosis.
        method: The request's method.
        path: The request's path.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        body: bytes = b"",
        method: str = "",
        path: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body
        self.method = method
        self.path = path

    def __str__(self) -> str:
        where = f" ({self.method} {self.path})" if self.method else ""
        status = f"{self.status}: " if self.status else ""
        return f"{status}{self.message}{where}"


class ModelDecodeError(ResponseDecodeError):
    """A JSON body did not fit its typed model; ``message`` lists each field at fault."""


class ModelDataWarning(UserWarning):
    """An optional timestamp or date field held text that is not a valid timestamp or
    date (such as ``"2019-09-13 08:16:74"``): the field reads ``None``, the text is kept
    in the model's ``extras`` under its key (so encoding gives it back), and this warning
    names the model, the field and the value."""


class NotAuthorizedError(FreshBooksError):
    """The OAuth2 session holds no token: authorize the app
    (``OAuth2Session.exchange_code``) or give it a token first."""


class RefreshAmbiguousError(FreshBooksError):
    """A token refresh may have reached FreshBooks but its answer was lost.

    FreshBooks refresh tokens are single use: if the lost refresh succeeded, the old
    refresh token is spent, and repeating it would fail (or, worse, be taken as token
    theft). The session therefore refuses to refresh again until it is given a token
    (``OAuth2Session.set_token``, a newer token in its store, or a new
    ``exchange_code``). The original failure is ``__cause__``.
    """


class PageFetchError(FreshBooksError):
    """A page of a listing failed after the client's retries.

    The pages before it were already yielded; the original error is ``__cause__``.

    Attributes:
        page: The page number that failed.
        cause: The error that ended it.
    """

    def __init__(self, page: int, cause: BaseException) -> None:
        super().__init__(f"page {page} failed: {cause}")
        self.page = page
        self.cause = cause
        self.retries_taken = getattr(cause, "retries_taken", 0)


class BulkError(FreshBooksError):
    """Raised by ``BulkResult.raise_for_failures()`` when some items were not done.

    Attributes:
        result: The whole bulk result: which items succeeded and which did not, and why.
    """

    def __init__(self, message: str, result: object) -> None:
        super().__init__(message)
        self.result = result


_BY_STATUS: dict[int, type[APIError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class_for_status(status: int) -> type[APIError]:
    """The :class:`APIError` subclass that represents ``status``."""
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, APIError)
