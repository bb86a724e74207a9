"""``freshbooks-async export RESOURCE``: stream a listable resource to JSON Lines or CSV.

Incremental sync: ``--checkpoint FILE`` remembers the newest ``updated`` timestamp a
completed run saw (the *high-water mark*, kept in UTC) and the objects stamped with
exactly that instant. The next run asks FreshBooks only for objects updated since then
(``search[updated_min]`` on accounting lists, which takes a US/Eastern date,
``updated_since`` on project-like lists, a UTC time) and drops locally what is older or
was already exported unchanged, so a re-run writes only what changed. ``--since`` sets
the lower bound of a first run (the checkpoint's mark takes over once it is later).

Times: ``--since`` takes a date (``2026-12-04``) or a time (``2026-12-04T20:00:50``),
with an optional UTC offset (``+11:00``, ``-05:00``, ``Z``) that is honoured. A date or
time without an offset is read the way the resource writes its own timestamps:
US/Eastern wall time on accounting lists (``/accounting/account/...``: invoices,
clients, expenses...), UTC on every other (projects, time entries, ledger). Each
object's timestamp is compared as an instant: accounting ``updated`` is US/Eastern,
``updated_at`` is UTC.

Resuming: after each page is written (and flushed to disk), the checkpoint records the
next page and the output file's size. When a run fails, the message names the page it
reached; running the same command again truncates the output to the last complete page
and continues from there. Objects inserted or deleted while a listing is being read can
shift between pages; a later incremental run picks up anything updated meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import hashlib
import inspect
import io
import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import IO, Any, BinaryIO, Final

from .._catalogue import Family
from .._json import loads as load_json
from ..client import FreshBooksClient
from ..errors import FreshBooksError, PageFetchError
from ..models import Model
from ..models.common import EASTERN
from ..pagination import Page, Paginator
from ..query import LIST_FILTERS, Query
from ..resources import Resource
from ..retry import RetryPolicy
from ._common import (
    EXIT_OK,
    EXIT_USAGE,
    CLIError,
    atomic_write_text,
    businesses,
    dumps,
    make_client,
    resolve_credentials,
    to_json_object,
)
from ._progress import Progress
from ._signals import Interrupted, StopSignals

__all__ = ["ExportTarget", "listable_resources", "run_export"]

#: 2: timestamps are UTC (``2026-12-04T09:00:50+00:00``). 1 (read, then rewritten as 2):
#: each resource's own wall time without an offset.
_CHECKPOINT_VERSION: Final = 2
_SCOPES: Final = ("account_id", "business_id", "business_uuid")
_UPDATED_FIELDS: Final = ("updated", "updated_at")


class ExportTarget:
    """A listable resource namespace of a client and the scope arguments it needs.

    Attributes:
        name: The resource name (the client attribute, e.g. ``"time_entries"``).
        namespace: The resource namespace (``client.time_entries``).
        scopes: The scope argument names of its ``list`` (``["business_id"]``).
    """

    def __init__(self, name: str, namespace: Resource[Any], scopes: list[str]) -> None:
        self.name = name
        self.namespace = namespace
        self.scopes = scopes
        spec = type(namespace)._spec
        self.family: Family = spec.family
        self.spec_name: str = spec.name
        self.accepts_query = "query" in inspect.signature(namespace.list).parameters  # type: ignore[attr-defined]

    async def fetch(
        self, scope: Mapping[str, object], query: Query | None, page: int, per_page: int
    ) -> Page[Any]:
        """One page of the listing."""
        options: dict[str, Any] = {"page": page, "per_page": per_page}
        if query is not None:
            options["query"] = query
        result: Page[Any] = await self.namespace.list(  # type: ignore[attr-defined]
            *(scope[name] for name in self.scopes), **options
        )
        return result


def listable_resources(client: FreshBooksClient) -> dict[str, ExportTarget]:
    """Every resource of ``client`` that ``export`` can stream, by name."""
    found: dict[str, ExportTarget] = {}
    for name, namespace in sorted(client._namespaces().items()):
        method = getattr(namespace, "list", None)
        if not isinstance(namespace, Resource) or not callable(method):
            continue
        params = inspect.signature(method).parameters
        positional = [
            p.name
            for p in params.values()
            if p.kind
            in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        ]
        if "page" in params and "per_page" in params and set(positional) <= set(_SCOPES):
            found[name] = ExportTarget(name, namespace, positional)
    return found


# ----------------------------------------------------------------------------- helpers


def _zone_of(family: Family) -> tzinfo:
    """The zone of a family's timestamps that carry no offset (and of such ``--since``)."""
    return EASTERN if family is Family.ACCOUNTING else UTC


def _instant(value: object, zone: tzinfo) -> datetime | None:
    """A timestamp (an aware datetime or ISO 8601 text; ``zone`` when it has no offset)
    as an aware UTC datetime, or None when it is not one."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def _updated(item: object, row: Mapping[str, Any], family: Family) -> datetime | None:
    """When an object was last updated, in UTC: the model's aware timestamp, else the
    JSON's (accounting ``updated`` is US/Eastern wall time, ``updated_at`` is UTC)."""
    for field in _UPDATED_FIELDS:
        value: object = getattr(item, field, None) if isinstance(item, Model) else None
        if not isinstance(value, datetime):
            value = row.get(field)
        zone = _zone_of(family) if field == "updated" else UTC
        stamp = _instant(value, zone)
        if stamp is not None:
            return stamp
    return None


def _text(stamp: datetime | None) -> str | None:
    return None if stamp is None else stamp.isoformat()


def _stored(value: object, version: int) -> datetime | None:
    """A timestamp read from a checkpoint (version 1 kept naive wall times: they are read
    as UTC, the earliest instant they can mean, so nothing is skipped)."""
    if value is None:
        return None
    stamp = _instant(value, UTC)
    if stamp is None or (version >= 2 and not str(value).endswith("+00:00")):
        raise ValueError(f"not a timestamp: {value!r}")
    return stamp


def _digest(item: Mapping[str, Any]) -> str:
    return hashlib.sha256(dumps(item).encode("utf-8")).hexdigest()[:16]


def _item_key(item: Mapping[str, Any]) -> str:
    for field in ("id", "uuid", "accountid"):
        if item.get(field) is not None:
            return str(item[field])
    return _digest(item)


def _parse_filter(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise CLIError(f"--filter: expected NAME=VALUE, got {text!r}", EXIT_USAGE)
    return name.strip(), value


_SINCE: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?"
)


def _check_since(text: str) -> datetime:
    """``--since`` as a datetime (naive when it has no offset: see :func:`_since`)."""
    try:
        if _SINCE.fullmatch(text) is None:
            raise ValueError
        return datetime.fromisoformat(text)
    except ValueError:
        raise CLIError(
            f"--since: expected a date or a time, e.g. 2026-12-04, 2026-12-04T20:00:50 or "
            f"2026-12-04T20:00:50+11:00, got {text!r}",
            EXIT_USAGE,
        ) from None


def _since(value: datetime, family: Family) -> datetime:
    """``--since`` as an instant: a value without an offset is wall time in the zone the
    family writes its own timestamps in (US/Eastern for accounting, else UTC)."""
    stamp = _instant(value, _zone_of(family))
    assert stamp is not None
    return stamp


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


class _Writer:
    """Writes pages of rows to a binary stream, as JSON Lines or CSV."""

    def __init__(self, stream: BinaryIO, fmt: str, columns: list[str] | None) -> None:
        self.stream = stream
        self.fmt = fmt
        self.columns = columns
        self.dropped: set[str] = set()

    def render(self, rows: Sequence[dict[str, Any]]) -> bytes:
        if self.fmt == "jsonl":
            return "".join(dumps(row) + "\n" for row in rows).encode("utf-8")
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if self.columns is None:
            columns: list[str] = []
            for row in rows:
                columns.extend(key for key in row if key not in columns)
            self.columns = columns
            writer.writerow(columns)
        for row in rows:
            self.dropped.update(key for key in row if key not in self.columns)
            writer.writerow([_csv_cell(row.get(col)) for col in self.columns])
        return buffer.getvalue().encode("utf-8")

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.stream.write(self.render(rows))
        self.stream.flush()


# ----------------------------------------------------------------------------- checkpoint


class _Checkpoint:
    def __init__(self, path: Path | None, identity: dict[str, Any]) -> None:
        self.path = path
        self.identity = identity
        self.high_water: datetime | None = None
        self.boundary: dict[str, str] = {}
        self.run: dict[str, Any] | None = None

    def load(self) -> None:
        if self.path is None or not self.path.exists():
            return
        try:
            data = load_json(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CLIError(f"--checkpoint {self.path}: unreadable ({exc})") from None
        version = data.get("version") if isinstance(data, dict) else None
        if version not in (1, _CHECKPOINT_VERSION):
            raise CLIError(f"--checkpoint {self.path}: not an export checkpoint")
        stored = data.get("export")
        if stored != self.identity:
            raise CLIError(
                f"--checkpoint {self.path} belongs to another export ({stored}); use another "
                "checkpoint file or delete it"
            )
        run = data.get("run")
        try:
            self.high_water = _stored(data.get("high_water"), version)
            if isinstance(run, dict):
                for key in ("since", "high_water"):
                    run[key] = _text(_stored(run.get(key), version))
        except ValueError as exc:
            raise CLIError(f"--checkpoint {self.path}: damaged ({exc})") from None
        self.boundary = dict(data.get("boundary") or {})
        self.run = run if isinstance(run, dict) else None

    def save(self) -> None:
        if self.path is None:
            return
        data = {
            "version": _CHECKPOINT_VERSION,
            "export": self.identity,
            "high_water": _text(self.high_water),
            "boundary": self.boundary,
            "run": self.run,
        }
        atomic_write_text(self.path, json.dumps(data, indent=1, sort_keys=True) + "\n")


# ----------------------------------------------------------------------------- the command


async def _resolve_scope(
    fb: FreshBooksClient, target: ExportTarget, args: argparse.Namespace
) -> dict[str, object]:
    scope: dict[str, object] = {}
    given = {
        "account_id": args.account_id,
        "business_id": args.business_id,
        "business_uuid": args.business_uuid,
    }
    missing = [name for name in target.scopes if given[name] is None]
    if missing:
        found = await businesses(fb)
        for name in missing:
            values = sorted({str(v) for b in found if (v := getattr(b, name)) is not None})
            if len(values) != 1:
                choices = ", ".join(values) or "none"
                raise CLIError(
                    f"{target.name} needs --{name.replace('_', '-')} (this token reaches: "
                    f"{choices})",
                    EXIT_USAGE,
                )
            given[name] = int(values[0]) if name == "business_id" else values[0]
    for name in target.scopes:
        scope[name] = given[name]
    return scope


def _query(
    target: ExportTarget,
    filters: list[tuple[str, str]],
    includes: list[str],
    since: datetime | None,
) -> Query | None:
    query = Query()
    lists = LIST_FILTERS.get(target.spec_name, frozenset())
    for name, value in filters:
        if name in lists:  # a list filter: comma-separated values
            values = [v.strip() for v in value.split(",")]
            if not all(values):
                raise CLIError(
                    f"--filter {name}: expected comma-separated values, got {value!r}",
                    EXIT_USAGE,
                )
            query = query.in_(name, values)
        else:
            query = query.equals(name, value)
    if includes:
        query = query.include(*includes)
    if since is not None:
        if target.family.is_project_like:
            query = query.equals("updated_since", since.astimezone(UTC))
        else:
            # A date, compared with the US/Eastern day of ``updated``; every object
            # updated since the instant is on or after that day (UTC-stamped ones too).
            query = query.equals("updated_min", since.astimezone(EASTERN).date())
    if not query.terms and not query.includes:
        return None
    if not target.accepts_query:
        raise CLIError(f"{target.name} takes no filters, includes or --since", EXIT_USAGE)
    try:
        query.render(target.family, resource=target.spec_name)
    except ValueError as exc:
        raise CLIError(f"{target.name}: {exc}", EXIT_USAGE) from None
    return query


def _absolute(path: str) -> Path:
    return Path(path).resolve()


def _exists(path: Path) -> bool:
    return path.exists()


def _format_of(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.output and Path(args.output).suffix.lower() == ".csv":
        return "csv"
    return "jsonl"


async def run_export(
    args: argparse.Namespace, *, out: IO[str], err: IO[str], stop: StopSignals | None = None
) -> int:
    """Run ``export`` with parsed arguments (see the module docs).

    Args:
        args: The parsed arguments.
        out: Where data goes without ``--output``.
        err: Where progress and warnings go.
        stop: The signal handlers of the run, to say where a signal stopped it.

    Returns:
        The exit status.

    Raises:
        CLIError: Bad arguments, or the export failed (the message names the page reached).
        Interrupted: A signal stopped it (the message names the page reached).
    """
    if not 1 <= args.per_page <= 100:
        raise CLIError(f"--per-page: must be in 1..100, got {args.per_page}", EXIT_USAGE)
    if not 1 <= args.concurrency <= 64:
        raise CLIError(f"--concurrency: must be in 1..64, got {args.concurrency}", EXIT_USAGE)
    if args.max_retries < 0:
        raise CLIError(f"--max-retries: must be >= 0, got {args.max_retries}", EXIT_USAGE)
    filters = [_parse_filter(text) for text in args.filter]
    since_arg = _check_since(args.since) if args.since is not None else None
    fmt = _format_of(args)
    creds = resolve_credentials(
        token=args.token,
        token_file=args.token_file,
        base_url=args.base_url,
        client_id=args.client_id,
        client_secret=args.client_secret,
    )
    fb = await make_client(creds, retry=RetryPolicy(max_retries=args.max_retries))
    async with fb:
        targets = listable_resources(fb)
        if args.resource == "list":
            for name, target in targets.items():
                out.write(f"{name}\t{' '.join(target.scopes) or '-'}\n")
            return EXIT_OK
        found = targets.get(args.resource.replace("-", "_"))
        if found is None:
            raise CLIError(
                f"export: unknown or unlistable resource {args.resource!r} (try "
                f"'freshbooks-async export list')",
                EXIT_USAGE,
            )
        target = found
        scope = await _resolve_scope(fb, target, args)
        output = _absolute(args.output) if args.output else None
        identity = {
            "resource": target.name,
            "scope": scope,
            "filters": [list(f) for f in filters],
            "includes": list(args.include),
            "format": fmt,
        }
        checkpoint = _Checkpoint(Path(args.checkpoint) if args.checkpoint else None, identity)
        checkpoint.load()
        since = _since(since_arg, target.family) if since_arg is not None else None
        return await _export(
            fb, target, scope, filters, since, fmt, output, checkpoint, args, out, err, stop
        )


async def _export(
    fb: FreshBooksClient,
    target: ExportTarget,
    scope: dict[str, object],
    filters: list[tuple[str, str]],
    since_arg: datetime | None,
    fmt: str,
    output: Path | None,
    checkpoint: _Checkpoint,
    args: argparse.Namespace,
    out: IO[str],
    err: IO[str],
    stop: StopSignals | None = None,
) -> int:
    run = checkpoint.run
    resuming = run is not None
    where = str(output) if output else None
    if run is not None and run.get("output") != where:
        raise CLIError(
            f"--checkpoint {checkpoint.path}: an unfinished export to "
            f"{run.get('output') or 'stdout'} is waiting to be resumed; run it with the same "
            "--output, or delete the checkpoint to start over"
        )
    if run is None:
        # The checkpoint's high-water mark wins once it is later than --since.
        bounds = [b for b in (since_arg, checkpoint.high_water) if b is not None]
        first = max(bounds) if bounds else None
        run = {
            "since": _text(first),
            "next_page": 1,
            "rows": 0,
            "offset": 0,
            "columns": None,
            "high_water": _text(checkpoint.high_water),
            "boundary": dict(checkpoint.boundary),
            "skip": dict(checkpoint.boundary)
            if first is not None and first == checkpoint.high_water
            else {},
            "output": where,
        }
    since = _stored(run["since"], _CHECKPOINT_VERSION)
    high_water = _stored(run["high_water"], _CHECKPOINT_VERSION)
    query = _query(target, filters, list(args.include), since)
    skip: dict[str, str] = run["skip"]

    with contextlib.ExitStack() as stack:
        if output is None:
            out.flush()
            stream: BinaryIO = (
                sys.stdout.buffer if out is sys.stdout else _TextSink(out)  # type: ignore[assignment,attr-defined]
            )
        else:
            # Page-sized writes between page fetches: blocking file I/O is fine here.
            if resuming and _exists(output):
                stream = stack.enter_context(open(output, "r+b"))  # noqa: ASYNC230
                stream.truncate(run["offset"])
                stream.seek(run["offset"])
            else:
                stream = stack.enter_context(open(output, "wb"))  # noqa: ASYNC230
                run["offset"] = 0
        writer = _Writer(stream, fmt, run["columns"])
        bar = Progress(
            err, enabled=bool(args.progress), label=f"exporting {target.name}", unit="rows"
        )
        bar.update(run["rows"])  # approximately where a resumed run starts

        async def fetch(number: int, size: int) -> Page[Any]:
            return await target.fetch(scope, query, number, size)

        paginator = Paginator(
            fetch, per_page=args.per_page, start_page=run["next_page"], concurrency=args.concurrency
        )
        pages_total: int | None = None
        try:
            async with contextlib.aclosing(paginator.pages()) as pages:
                async for page in pages:
                    pages_total = page.pages
                    if page.total is not None:
                        bar.total = page.total
                    rows = []
                    for item in page.items:
                        row = to_json_object(item)
                        stamp = _updated(item, row, target.family)
                        if stamp is not None:
                            # The newest stamp seen, and what carried it (skipped or not).
                            if high_water is None or stamp > high_water:
                                high_water = stamp
                                run["high_water"] = _text(stamp)
                                run["boundary"] = {}
                            if stamp == high_water:
                                run["boundary"][_item_key(row)] = _digest(row)
                        if since is not None and stamp is not None:
                            if stamp < since:
                                continue
                            if stamp == since and skip.get(_item_key(row)) == _digest(row):
                                continue  # exported unchanged by the previous run
                        rows.append(row)
                    writer.write(rows)
                    run["rows"] += len(rows)
                    run["next_page"] = page.page + 1
                    run["columns"] = writer.columns
                    if output is not None:
                        os.fsync(stream.fileno())
                        run["offset"] = stream.tell()
                    checkpoint.run = run
                    checkpoint.save()
                    bar.update(bar.done + len(page.items))
        except (FreshBooksError, OSError, asyncio.CancelledError) as exc:
            bar.close()
            page_no = exc.page if isinstance(exc, PageFetchError) else run["next_page"]
            cause = exc.cause if isinstance(exc, PageFetchError) else exc
            of = f" of {pages_total}" if pages_total else ""
            where = f" to {output}" if output else ""
            resume = (
                "run the same command again to resume from there"
                if checkpoint.path is not None
                else "add --checkpoint FILE to be able to resume"
            )
            if isinstance(exc, asyncio.CancelledError):
                if stop is None or stop.signum is None:
                    raise
                raise Interrupted(
                    stop.signum,
                    f"export of {target.name} stopped at page {page_no}{of} after "
                    f"{run['rows']} rows{where}; {resume}",
                ) from None
            raise CLIError(
                f"export of {target.name} stopped at page {page_no}{of} after {run['rows']} rows"
                f"{where} ({type(cause).__name__}: {cause}); {resume}"
            ) from exc
        bar.close()
    checkpoint.high_water = high_water
    checkpoint.boundary = run["boundary"]
    checkpoint.run = None
    checkpoint.save()
    if writer.dropped:
        err.write(
            f"freshbooks-async: warning: {len(writer.dropped)} field(s) absent from the CSV "
            f"header were left out ({', '.join(sorted(writer.dropped)[:5])}...); use jsonl to "
            "keep everything\n"
        )
    if output is not None or args.progress:
        err.write(
            f"exported {run['rows']} {target.name}" + (f" to {output}" if output else "") + "\n"
        )
    return EXIT_OK


class _TextSink:
    """A binary-stream facade over a text stream (stdout replaced in tests)."""

    def __init__(self, text: IO[str]) -> None:
        self._text = text

    def write(self, data: bytes) -> int:
        self._text.write(data.decode("utf-8"))
        return len(data)

    def flush(self) -> None:
        self._text.flush()
