"""Errors raised inside sandbox handlers, and their rendering in each family's shape.

Shapes follow docs/protocol.rst, "Error bodies and status codes", and the Python SDK
fixtures.
"""

from __future__ import annotations

from typing import Any

from .._catalogue import Family

__all__ = ["SandboxAPIError", "error_body", "family_of_path"]

_PROJECT_401 = (
    "The server could not verify that you are authorized to access the URL requested. "
    "You either supplied the wrong credentials (e.g. a bad password), or your browser "
    "doesn't understand how to supply the credentials required."
)


class SandboxAPIError(Exception):
    """An API error answer, rendered by family when it leaves the sandbox.

    Attributes:
        status: HTTP status.
        errno: FreshBooks error number (accounting table; 2001 for project-like validation).
        message: Human-readable message.
        field: The field at fault, if any.
        value: The offending value, if any.
        object: The resource's singular name (accounting errors).
        details: Extra per-field messages (events/ledger/project shapes).
        error: OAuth-style error code (``invalid_grant``).
        headers: Extra response headers (``Retry-After``).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        errno: int | None = None,
        field: str | None = None,
        value: Any = None,
        object: str | None = None,
        details: list[tuple[str | None, str]] | None = None,
        error: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errno = errno if errno is not None else status
        self.field = field
        self.value = value
        self.object = object
        self.details = details or []
        self.error = error
        self.headers = headers or {}


def family_of_path(path: str) -> Family:
    """The family a path belongs to, by its leading segments."""
    parts = path.strip("/").split("/")
    head = parts[0] if parts else ""
    if head == "accounting":
        if len(parts) > 1 and parts[1] in ("businesses", "ledger_accounts"):
            return Family.ACCOUNTING_BUSINESS
        return Family.ACCOUNTING
    if head == "auth":
        return Family.OAUTH if len(parts) > 1 and parts[1] == "oauth" else Family.AUTH
    if head in ("oauth", "service"):
        return Family.OAUTH
    mapping = {
        "events": Family.EVENTS,
        "projects": Family.PROJECTS,
        "timetracking": Family.TIMETRACKING,
        "comments": Family.COMMENTS,
        "payments": Family.PAYMENTS,
        "gateway": Family.PAYMENTS,
        "uploads": Family.UPLOADS,
    }
    return mapping.get(head, Family.ACCOUNTING)


def error_body(family: Family, err: SandboxAPIError) -> dict[str, Any]:
    """The JSON body FreshBooks sends for ``err`` in ``family``."""
    status, message = err.status, err.message
    if family is Family.ACCOUNTING:
        # {"response": {"errors": [{errno, field, message, object, value}]}} (PY fixture)
        errors = [
            {
                "errno": err.errno,
                "field": err.field,
                "message": message,
                "object": err.object,
                "value": None if err.value is None else str(err.value),
            }
        ]
        for field, text in err.details:
            errors.append(
                {"errno": err.errno, "field": field, "message": text, "object": err.object}
            )
        return {"response": {"errors": errors}}
    if family is Family.ACCOUNTING_BUSINESS:
        details = err.details or [(err.field, message)]
        return {
            "errors": {
                "message": f"Request failed with status code {status}",
                "status": status,
                "details": [
                    {
                        "reason": f"{f}: {m}" if f else m,
                        "metadata": {"message": m, "field": f},
                    }
                    for f, m in details
                ],
            }
        }
    if family is Family.EVENTS:
        if status == 401:
            return {"errno": 401, "message": f"invalid_token: {message}"}
        body: dict[str, Any] = {"errno": err.errno, "message": message}
        if err.details:
            body["details"] = [f"{f}: {m}" if f else m for f, m in err.details]
        return body
    if family.is_project_like:
        if status == 401:
            return {"message": _PROJECT_401}
        if status == 404:
            return {"error": "Requested resource could not be found."}
        if status in (400, 422):
            pairs = err.details or [(err.field or "title", message)]
            return {"errno": 2001, "error": {f or "title": m for f, m in pairs}}
        return {"errno": err.errno, "error": message}
    if family in (Family.AUTH, Family.OAUTH):
        code = err.error or {401: "unauthenticated", 403: "forbidden", 404: "not_found"}.get(
            status, "invalid_request"
        )
        return {"error": code, "error_description": message}
    if family is Family.PAYMENTS:
        # PY reads errors[].message; NODE reads error_type/message: serve both.
        return {
            "error_type": err.error or ("not_found" if status == 404 else "invalid_request"),
            "message": message,
            "errors": [
                {"field": f, "message": m} for f, m in (err.details or [(err.field, message)])
            ],
        }
    return {"error": message}  # uploads
