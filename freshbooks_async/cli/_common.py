"""Shared pieces of the command line: errors, credentials, output files, JSON helpers."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import IO, Any, Final

from ..auth import JSONFileTokenStore, OAuth2Session
from ..client import DEFAULT_BASE_URL, FreshBooksClient
from ..models import Model, encode

__all__ = [
    "ENV_ACCESS_TOKEN",
    "ENV_API_URL",
    "ENV_CLIENT_ID",
    "ENV_CLIENT_SECRET",
    "ENV_TOKEN_FILE",
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_USAGE",
    "BusinessRef",
    "CLIError",
    "Credentials",
    "atomic_write_text",
    "businesses",
    "default_token_file",
    "dumps",
    "make_client",
    "resolve_credentials",
    "stderr_is_tty",
    "to_json_object",
]

ENV_ACCESS_TOKEN: Final = "FRESHBOOKS_ACCESS_TOKEN"  # noqa: S105 - a variable name
ENV_API_URL: Final = "FRESHBOOKS_API_URL"
ENV_TOKEN_FILE: Final = "FRESHBOOKS_TOKEN_FILE"  # noqa: S105 - a variable name
ENV_CLIENT_ID: Final = "FRESHBOOKS_CLIENT_ID"
ENV_CLIENT_SECRET: Final = "FRESHBOOKS_CLIENT_SECRET"  # noqa: S105 - a variable name

#: Exit statuses of every command.
EXIT_OK: Final = 0
EXIT_FAILURE: Final = 1
EXIT_USAGE: Final = 2
EXIT_PARTIAL: Final = 3
EXIT_INTERRUPTED: Final = 130


class CLIError(Exception):
    """A failure reported as one line on stderr, with an exit status.

    Args:
        message: What went wrong and, where it helps, what to do about it.
        exit_code: The process exit status.
    """

    def __init__(self, message: str, exit_code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def default_token_file() -> Path:
    """Where ``login`` stores tokens unless told otherwise.

    ``$FRESHBOOKS_TOKEN_FILE``, else ``$XDG_CONFIG_HOME/freshbooks-async/token.json``
    (``~/.config/...`` when ``XDG_CONFIG_HOME`` is unset).
    """
    env = os.environ.get(ENV_TOKEN_FILE)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "freshbooks-async" / "token.json"


@dataclass(frozen=True)
class Credentials:
    """Where the API is and how to authenticate (the token is never printed).

    Attributes:
        base_url: The API root.
        access_token: A bearer token given directly (flag or environment), or ``None``.
        token_file: The token store used when no token was given directly.
        client_id: The OAuth app's client id (enables refreshing a stored token).
        client_secret: The OAuth app's client secret.
        source: Where the credentials came from, for messages (never the token).
    """

    base_url: str
    access_token: str | None
    token_file: Path | None
    client_id: str | None
    client_secret: str | None
    source: str

    def __repr__(self) -> str:
        return (
            f"Credentials(base_url={self.base_url!r}, source={self.source!r}, "
            f"token_file={self.token_file!r}, client_id={self.client_id!r})"
        )


def resolve_credentials(
    *,
    token: str | None,
    token_file: str | None,
    base_url: str | None,
    client_id: str | None = None,
    client_secret: str | None = None,
) -> Credentials:
    """Pick credentials: flags first, then environment variables, then the token store.

    Raises:
        CLIError: No token anywhere (the message says how to provide one).
    """
    url = base_url or os.environ.get(ENV_API_URL) or DEFAULT_BASE_URL
    cid = client_id or os.environ.get(ENV_CLIENT_ID) or None
    secret = client_secret or os.environ.get(ENV_CLIENT_SECRET) or None
    if token:
        return Credentials(url, token, None, cid, secret, "--token")
    env_token = os.environ.get(ENV_ACCESS_TOKEN)
    if env_token:
        return Credentials(url, env_token, None, cid, secret, f"${ENV_ACCESS_TOKEN}")
    path = Path(token_file).expanduser() if token_file else default_token_file()
    if not path.exists():
        raise CLIError(
            f"no credentials: pass --token, set ${ENV_ACCESS_TOKEN}, or run "
            f"'freshbooks-async login' (no token store at {path})",
            EXIT_USAGE,
        )
    return Credentials(url, None, path, cid, secret, f"token store {path}")


async def make_client(creds: Credentials, **options: Any) -> FreshBooksClient:
    """A client for ``creds``: a static token, or the stored OAuth token (refreshed
    automatically when the app's client id and secret are known).

    Raises:
        CLIError: The token store cannot be read.
    """
    if creds.access_token is not None:
        return FreshBooksClient(creds.access_token, base_url=creds.base_url, **options)
    assert creds.token_file is not None
    store = JSONFileTokenStore(creds.token_file)
    try:
        stored = await store.load()
    except ValueError as exc:
        raise CLIError(f"cannot use the token store: {exc}") from None
    if stored is None:
        raise CLIError(f"the token store {creds.token_file} is empty: run 'freshbooks-async login'")
    if creds.client_id and creds.client_secret:
        session = OAuth2Session(
            creds.client_id,
            creds.client_secret,
            "http://127.0.0.1/callback",  # only sent with refreshes; not checked there
            token=stored,
            store=store,
        )
        return FreshBooksClient(token_provider=session, base_url=creds.base_url, **options)
    return FreshBooksClient(stored.access_token, base_url=creds.base_url, **options)


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return encode(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def to_json_object(item: object) -> dict[str, Any]:
    """An API object (a model or a JSON dict) as a JSON-ready dict, as FreshBooks sent it."""
    data = _plain(item)
    if not isinstance(data, dict):
        return {"value": data}
    return data


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically (write a temporary file, then rename)."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def dumps(data: object) -> str:
    """Compact JSON for one output line."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)


def stderr_is_tty(stream: IO[str] | None = None) -> bool:
    """Whether progress output should be drawn by default."""
    stream = stream or sys.stderr
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@dataclass(frozen=True)
class BusinessRef:
    """One business the token can reach.

    Attributes:
        name: The business name.
        account_id: The accounting account id (``str``).
        business_id: The business id (``int``).
        business_uuid: The business UUID.
    """

    name: str
    account_id: str | None
    business_id: int | None
    business_uuid: str | None


async def businesses(client: FreshBooksClient) -> list[BusinessRef]:
    """The businesses of the token's identity (``users/me``)."""
    identity = await client.me()
    found: list[BusinessRef] = []
    memberships = identity.business_memberships
    for membership in memberships if isinstance(memberships, list) else []:
        biz = membership.business
        if biz is None or not hasattr(biz, "account_id"):
            continue

        def text(value: object) -> str | None:
            return value if isinstance(value, str) and value else None

        ident = getattr(biz, "id", None)
        found.append(
            BusinessRef(
                name=text(getattr(biz, "name", None)) or "?",
                account_id=text(getattr(biz, "account_id", None)),
                business_id=ident
                if isinstance(ident, int) and not isinstance(ident, bool)
                else None,
                business_uuid=text(getattr(biz, "business_uuid", None)),
            )
        )
    return found
