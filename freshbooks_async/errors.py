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
    ├── BulkError                          bulk work left failures (``result`` has every item)
    └── CoordinatorError                   state shared between processes (coordination)
        ├── CoordinatorUnavailableError    the shared store (Redis) cannot be reached
        ├── NumberingNotSeededError        the shared invoice counter has no value yet
        └── LeaseLostError                 a lease ran out before its holder finished

Bad arguments to public functions raise the built-in ``ValueError`` / ``TypeError``
before any request is sent. ``str()`` of every error here is one short line: status,
errno, message, method and path (and, for a failure the client would have retried, why it
did not: ``retry_refused``).

No error ever carries a secret the SDK knows (access and refresh tokens, the client
secret, authorization codes, webhook verifiers): each is replaced by ``<redacted>`` in
the message, ``args``, ``details``, ``field_errors`` and ``body``, and in every
exception of the ``__cause__``/``__context__`` chain. An exception from another library
in that chain that would show one (aiohttp's response errors hold the request headers)
is replaced by a :class:`RedactedError` that keeps its type name and scrubbed message.
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
    "CoordinatorError",
    "CoordinatorUnavailableError",
    "ErrorDetail",
    "FreshBooksError",
    "InvalidGrantError",
    "InvoiceNumberConflictError",
    "LeaseLostError",
    "ModelDataWarning",
    "ModelDecodeError",
    "NotAuthorizedError",
    "NotFoundError",
    "NumberingNotSeededError",
    "OAuthError",
    "PageFetchError",
    "PermissionDeniedError",
    "PoolTimeoutError",
    "RateLimitError",
    "ReadError",
    "ReadTimeoutError",
    "RedactedError",
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
        retry_refused: Why the request was not retried (again) although its failure is
            of a kind the retry policy retries: ``"retry budget exhausted (...)"``,
            ``"max_retries (3) reached"``, ``"Retry-After 120s is longer than
            max_retry_after (60s)"``, ``"POST may have been processed: not replayed"``.
            ``None`` when the failure is not retryable at all (a 404, a 409) or did not
            come from a request.
    """

    retries_taken: int = 0
    retry_refused: str | None = None


def _where(method: str, target: str, refused: str | None) -> str:
    """`` (METHOD target; not retried: why)``, or the parts of it that are known."""
    parts = [f"{method} {target}"] if method else []
    if refused:
        parts.append(f"not retried: {refused}")
    return f" ({'; '.join(parts)})" if parts else ""


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
        where = _where(self.method, self.url, self.retry_refused)
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
        retry_refused: str | None = None,
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
        self.retry_refused = retry_refused

    @property
    def field_errors(self) -> dict[str, str]:
        """``{field: message}`` for every detail that names a field."""
        return {d.field: d.message for d in self.details if d.field}

    def __str__(self) -> str:
        errno = f" errno {self.errno}" if self.errno is not None else ""
        where = _where(self.method, self.path, self.retry_refused)
        return f"{self.status}{errno}: {self.message}{where}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status}, errno={self.errno}, "
            f"message={self.message!r}, method={self.method!r}, path={self.path!r}, "
            f"retries_taken={self.retries_taken}, retry_refused={self.retry_refused!r})"
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
        self.retry_refused = getattr(cause, "retry_refused", None)


class BulkError(FreshBooksError):
    """Raised by ``BulkResult.raise_for_failures()`` when some items were not done.

    Attributes:
        result: The whole bulk result: which items succeeded and which did not, and why.
    """

    def __init__(self, message: str, result: object) -> None:
        super().__init__(message)
        self.result = result


class RedactedError(Exception):
    """Stands in, in an error's ``__cause__``/``__context__`` chain, for an exception
    from another library (aiohttp...) that showed a secret the SDK knows.

    It is never raised on its own. ``str()`` is the original's type name and message;
    its own chain and traceback are the original's.

    Attributes:
        type_name: The original's qualified type name, such as
            ``aiohttp.client_exceptions.ClientResponseError``.
        message: ``str()`` of the original, each secret replaced by ``<redacted>``.
    """

    def __init__(self, type_name: str, message: str) -> None:
        super().__init__(type_name, message)
        self.type_name = type_name
        self.message = message

    def __str__(self) -> str:
        return f"{self.type_name}: {self.message}" if self.message else self.type_name

    def __repr__(self) -> str:
        return f"RedactedError({self.type_name!r}, {self.message!r})"


class CoordinatorError(FreshBooksError):
    """Coordination shared between processes failed (see
    :mod:`freshbooks_async.coordination`)."""


class CoordinatorUnavailableError(CoordinatorError):
    """The store that processes coordinate through (Redis) could not be reached in time.

    Nothing guarded by the coordinator was done: no slot was taken, no number handed
    out, no refresh sent. The connection error is ``__cause__``.
    """


class NumberingNotSeededError(CoordinatorError):
    """The account's shared invoice counter has no value.

    It was never seeded, or its value was lost (a Redis restart without persistence, an
    expired key). Read the highest invoice number in use and seed the counter with
    ``advance_invoice_numbers(account_id, highest)``, then allocate again.

    Attributes:
        account_id: The account whose counter is missing.
    """

    def __init__(self, message: str, *, account_id: str) -> None:
        super().__init__(message)
        self.account_id = account_id


class LeaseLostError(CoordinatorError):
    """A lease (an account slot, the token-refresh lock) expired or was taken over before
    its holder used it, so the holder must not act on it (the fencing check failed)."""


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
