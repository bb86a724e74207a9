"""``freshbooks-async bulk-create invoices FILE``: create invoices from JSON Lines or CSV.

Input: JSON Lines (one invoice object per line, the fields of
:class:`~freshbooks_async.models.InvoiceCreate`) or CSV (one invoice per row; columns are
invoice fields, ``lines`` may hold a JSON list of lines, and ``line_name``,
``line_description``, ``line_qty``, ``line_unit_cost`` (with ``currency_code``) describe
a single line). Blank lines are skipped.

Results: a JSON Lines file with one record per input line, appended as each line
settles::

    {"line": 3, "status": "created", "invoice_id": 812, "invoice_number": "0000812", ...}
    {"line": 4, "status": "invalid", "error": "line 4: not JSON (...)"}

A malformed line is reported there and the others are still created. Running again with
the same results file skips the lines already created (checked against a digest of each
line, so an edited input is refused rather than silently mismatched); ``unknown`` lines
(the outcome of their create could not be established) are skipped too unless
``--retry-unknown`` is given, since they may exist.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Final

import attrs

from ..bulk import BulkItem, BulkProgress
from ..models import Invoice, InvoiceCreate
from ..retry import RetryPolicy
from ._common import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    CLIError,
    businesses,
    dumps,
    make_client,
    resolve_credentials,
)
from ._progress import Progress

__all__ = ["InputLine", "read_input", "read_results", "run_bulk_create"]

_LINE_COLUMNS: Final = ("line_name", "line_description", "line_qty", "line_unit_cost")


@attrs.frozen(kw_only=True)
class InputLine:
    """One line (or CSV row) of the input.

    Attributes:
        line: Its line number in the file (1-based).
        digest: A digest of its text, to match it with an earlier run's results.
        draft: The validated invoice, or ``None`` when the line is invalid.
        error: Why the line is invalid.
    """

    line: int
    digest: str
    draft: InvoiceCreate | None = None
    error: str | None = None


def _digest(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


def _scalar_types() -> dict[str, type]:
    """InvoiceCreate fields whose CSV text must become an int or a bool."""
    hints = typing.get_type_hints(InvoiceCreate)
    found: dict[str, type] = {}
    for name, hint in hints.items():
        args = typing.get_args(hint) or (hint,)
        if bool in args:
            found[name] = bool
        elif int in args:
            found[name] = int
    return found


def _csv_record(row: dict[str, str], types: dict[str, type]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key, raw in row.items():
        if key is None:
            raise ValueError("more cells than header columns")
        value = (raw or "").strip()
        if not value or key in _LINE_COLUMNS:
            continue
        kind = types.get(key)
        if key == "lines":
            record[key] = json.loads(value)
        elif kind is bool:
            if value.lower() not in ("true", "false", "1", "0"):
                raise ValueError(f"{key}: expected true or false, got {value!r}")
            record[key] = value.lower() in ("true", "1")
        elif kind is int:
            try:
                record[key] = int(value)
            except ValueError:
                raise ValueError(f"{key}: expected an integer, got {value!r}") from None
        else:
            record[key] = value
    if any((row.get(col) or "").strip() for col in _LINE_COLUMNS):
        if "lines" in record:
            raise ValueError("give either a lines column or line_* columns, not both")
        line: dict[str, Any] = {"name": (row.get("line_name") or "").strip()}
        if (row.get("line_description") or "").strip():
            line["description"] = row["line_description"].strip()
        line["qty"] = (row.get("line_qty") or "1").strip()
        cost = (row.get("line_unit_cost") or "").strip()
        if cost:
            line["unit_cost"] = {"amount": cost, "code": record.get("currency_code", "USD")}
        record["lines"] = [line]
    return record


def _validate(line: int, text: str, record: object) -> InputLine:
    digest = _digest(text)
    if not isinstance(record, dict):
        return InputLine(line=line, digest=digest, error=f"line {line}: expected a JSON object")
    try:
        draft = InvoiceCreate.from_dict(record)
    except (TypeError, ValueError) as exc:
        return InputLine(line=line, digest=digest, error=f"line {line}: {exc}")
    return InputLine(line=line, digest=digest, draft=draft)


def read_input(stream: IO[str], fmt: str) -> Iterator[InputLine]:
    """Parse and validate every invoice of the input; bad lines come back with an error.

    Args:
        stream: The input text.
        fmt: ``"jsonl"`` or ``"csv"``.
    """
    if fmt == "jsonl":
        for number, text in enumerate(stream, start=1):
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except ValueError as exc:
                yield InputLine(
                    line=number, digest=_digest(text), error=f"line {number}: not JSON ({exc})"
                )
                continue
            yield _validate(number, text, record)
        return
    types = _scalar_types()
    reader = csv.DictReader(stream)
    for row in reader:
        number = reader.line_num
        text = dumps(row)
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        try:
            record = _csv_record(row, types)
        except ValueError as exc:
            yield InputLine(line=number, digest=_digest(text), error=f"line {number}: {exc}")
            continue
        yield _validate(number, text, record)


def read_results(path: Path) -> dict[int, dict[str, Any]]:
    """The latest record per input line of a results file (empty if there is none).

    Raises:
        CLIError: The file exists but is not a results file.
    """
    latest: dict[int, dict[str, Any]] = {}
    if not path.exists():
        return latest
    with open(path, encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                record = json.loads(text)
                line = record["line"]
                if not isinstance(line, int):
                    raise TypeError
            except (ValueError, KeyError, TypeError):
                # A torn last line (the process was killed mid-write) is ignored.
                if text.endswith("\n"):
                    raise CLIError(
                        f"--results {path}: line {number} is not a results record"
                    ) from None
                continue
            latest[line] = record
    return latest


def _format_of(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    return "csv" if Path(args.file).suffix.lower() == ".csv" else "jsonl"


def _results_path(args: argparse.Namespace) -> Path:
    if args.results:
        return Path(args.results)
    if args.file == "-":
        raise CLIError("bulk-create: reading stdin needs --results FILE", EXIT_USAGE)
    source = Path(args.file)
    return source.with_name(source.stem + ".results.jsonl")


def _record(line: InputLine, item: BulkItem[Invoice] | None, status: str) -> dict[str, Any]:
    record: dict[str, Any] = {"line": line.line, "digest": line.digest, "status": status}
    if item is not None:
        invoice = item.invoice
        if invoice is not None:
            if isinstance(invoice.id, int):
                record["invoice_id"] = invoice.id
            if isinstance(invoice.invoice_number, str):
                record["invoice_number"] = invoice.invoice_number
        record["attempts"] = item.attempts
        record["reference"] = item.reference
        if item.error is not None:
            record["error"] = f"{type(item.error).__name__}: {item.error}"
    elif line.error is not None:
        record["error"] = line.error
    return record


async def run_bulk_create(args: argparse.Namespace, *, out: IO[str], err: IO[str]) -> int:
    """Run ``bulk-create`` with parsed arguments (see the module docs).

    Returns:
        0 when every line is created, 3 when some are not (see the results file), 1 when
        none could be.

    Raises:
        CLIError: Bad arguments, an unreadable input, or a results file that does not
            match the input.
    """
    if not 1 <= args.concurrency <= 64:
        raise CLIError(f"--concurrency: must be in 1..64, got {args.concurrency}", EXIT_USAGE)
    if args.max_retries < 0:
        raise CLIError(f"--max-retries: must be >= 0, got {args.max_retries}", EXIT_USAGE)
    fmt = _format_of(args)
    results_path = _results_path(args)
    if args.file == "-":
        lines = list(read_input(sys.stdin, fmt))
    else:
        try:
            # A CLI reading its input before any request: blocking I/O is fine here.
            with open(args.file, encoding="utf-8", newline="") as handle:  # noqa: ASYNC230
                lines = list(read_input(handle, fmt))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise CLIError(f"bulk-create: cannot read {args.file}: {exc}") from None
    previous = read_results(results_path)
    todo: list[InputLine] = []
    skipped = unknown_skipped = 0
    for line in lines:
        before = previous.get(line.line)
        if before is not None and before.get("status") in ("created", "unknown"):
            if before.get("digest") != line.digest:
                raise CLIError(
                    f"--results {results_path}: line {line.line} changed since it was "
                    f"{before.get('status')}; use a new results file for a new input"
                )
            if before["status"] == "created":
                skipped += 1
                continue
            if not args.retry_unknown:
                unknown_skipped += 1
                continue
        todo.append(line)

    creds = resolve_credentials(
        token=args.token,
        token_file=args.token_file,
        base_url=args.base_url,
        client_id=args.client_id,
        client_secret=args.client_secret,
    )
    counts = {"created": 0, "failed": 0, "invalid": 0, "unknown": 0, "not_attempted": 0}
    # Small appends, one per settled line, flushed at once so a crash loses nothing.
    with open(results_path, "a", encoding="utf-8") as results:  # noqa: ASYNC230

        def write(record: dict[str, Any]) -> None:
            results.write(dumps(record) + "\n")
            results.flush()
            counts[record["status"]] = counts.get(record["status"], 0) + 1

        for line in todo:
            if line.draft is None:
                write(_record(line, None, "invalid"))
        valid = [line for line in todo if line.draft is not None]
        if valid:
            fb = await make_client(creds, retry=RetryPolicy(max_retries=args.max_retries))
            async with fb:
                account_id = args.account_id
                if account_id is None:
                    found = sorted({b.account_id for b in await businesses(fb) if b.account_id})
                    if len(found) != 1:
                        raise CLIError(
                            f"bulk-create needs --account-id (this token reaches: "
                            f"{', '.join(found) or 'none'})",
                            EXIT_USAGE,
                        )
                    account_id = found[0]
                bar = Progress(
                    err,
                    enabled=bool(args.progress),
                    label="creating",
                    total=len(valid),
                    unit="invoices",
                )

                def on_progress(p: BulkProgress) -> None:
                    bar.update(p.done, extra=f"created {p.created}  409s retried {p.conflicts}")

                def on_item(item: BulkItem[Invoice]) -> None:
                    write(_record(valid[item.index], item, item.status.value))

                await fb.invoices.bulk_create(
                    account_id,
                    [line.draft for line in valid if line.draft is not None],
                    concurrency=args.concurrency,
                    numbering=args.numbering,
                    on_progress=on_progress,
                    on_item=on_item,
                )
                bar.close()
    failed = sum(n for status, n in counts.items() if status != "created")
    summary = (
        f"created {counts['created']}, already created {skipped}, failed {counts['failed']}, "
        f"invalid {counts['invalid']}, unknown {counts['unknown'] + unknown_skipped}, "
        f"not attempted {counts['not_attempted']}; results in {results_path}"
    )
    out.write(summary + "\n")
    if unknown_skipped:
        err.write(
            f"freshbooks-async: warning: {unknown_skipped} line(s) with an unknown outcome were "
            "skipped (they may exist; check, then use --retry-unknown)\n"
        )
    if failed or unknown_skipped:
        return EXIT_PARTIAL if counts["created"] or skipped else EXIT_FAILURE
    return EXIT_OK
