"""``freshbooks-async bulk-create invoices FILE``: create invoices from JSON Lines or CSV.

Input (see :data:`INPUT_HELP`, also shown by ``--help``): JSON Lines (one invoice object
per line, the fields of :class:`~freshbooks_async.models.InvoiceCreate`) or CSV (a header
row, then one invoice per row; columns are invoice fields, ``lines`` may hold a JSON list
of lines, and ``line_name``, ``line_description``, ``line_qty``, ``line_unit_cost`` (with
``currency_code``) describe a single line). Blank lines are skipped. The file is read as
UTF-8 (a leading byte-order mark is ignored) unless ``--encoding`` names another; a byte
that does not decode stops the run before anything is sent, naming its line. A file
without any invoice is an error. ``--dry-run`` validates every line (and checks the
results file) and sends nothing.

Results: a JSON Lines file (``--results``, default: next to the input, with its suffix
replaced by ``.results.jsonl``: ``invoices.csv`` -> ``invoices.results.jsonl``),
appended to as the run goes; the latest record of an input line is what is known about
it::

    {"line": 3, "digest": "…", "status": "pending", "batch": "5f0c2a9e41d7",
     "reference": "fbk-5f0c2a9e41d7-3-1a2b3c4d", "attempt": 1, "invoice_number": "0000812",
     "baseline": 811, "sent_at": 1767225600.123}
    {"line": 3, "status": "created", "invoice_id": 812, "invoice_number": "0000812", ...}
    {"line": 4, "status": "invalid", "error": "line 4: not JSON (...)"}

A malformed line is reported there and the others are still created.

Nothing lost, nothing duplicated, even after ``kill -9`` or a power cut: right before each
create is sent, a ``pending`` record (its reference, the invoice number it carries when
the client numbers, the newest invoice id before the run, the time) is written and
fsynced. Running again with the same results file:

* skips the lines already ``created`` (checked against a digest of each line, so an
  edited input is refused rather than silently mismatched);
* looks up, before anything is posted, the lines left ``pending`` (sent, outcome never
  recorded) or ``unknown``, after waiting until two seconds have passed since the last
  send: by invoice number when the client numbered it, else by the reference written to
  the reference field (``--reference-field``), else by content among the invoices created
  since that run began (the bulk engine's fingerprint), never taking an invoice another
  line recorded. Found: recorded ``created`` with ``"reconciled": true``; not found:
  created normally; cannot be looked up: reported ``unknown`` and not posted, unless
  ``--retry-unknown``;
* creates the rest. Each line keeps its reference (``fbk-<batch>-<line>-<digest>``, sent
  as ``X-Client-Reference``) across runs of the same results file.

A run locks the results file (a second run on it stops at once) and cuts off a torn last
line before appending.

Ctrl-C or SIGTERM stops a run cleanly: no new create starts, the creates on the wire
finish and are recorded, every other line is recorded ``not_attempted``, and the command
exits 130 (SIGINT) or 143 (SIGTERM); running it again creates the rest. A second signal
stops at once (the ``pending`` records then cover what was on the wire).
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import csv
import hashlib
import io
import math
import os
import secrets
import sys
import typing
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Final

import attrs

from .._json import loads as load_json
from ..bulk import REFERENCE_FIELDS, BulkItem, BulkProgress, BulkSend
from ..models import Invoice, InvoiceCreate, to_payload
from ..retry import RetryPolicy
from ._common import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    CLIError,
    Credentials,
    businesses,
    dumps,
    make_client,
    resolve_credentials,
)
from ._progress import Progress
from ._signals import Interrupted, StopSignals

__all__ = ["INPUT_HELP", "InputLine", "read_input", "read_results", "run_bulk_create"]

_LINE_COLUMNS: Final = ("line_name", "line_description", "line_qty", "line_unit_cost")

#: The input formats and the results file, as ``bulk-create --help`` shows them.
INPUT_HELP: Final = """\
input (UTF-8 unless --encoding; blank lines are skipped):
  JSON Lines (.jsonl, or '-' for stdin): one invoice object per line, with the
    fields of InvoiceCreate, e.g.
    {"customerid": 12, "create_date": "2026-02-01", "lines": [{"name": "Design",
     "qty": 2, "unit_cost": {"amount": "150.00", "code": "USD"}}]}
  CSV (.csv): a header row naming the columns, then one invoice per row:
    customerid, create_date   required (create_date is YYYY-MM-DD)
    any other InvoiceCreate field, e.g. invoice_number, po_number, notes, terms,
      currency_code, due_offset_days, discount_value, language, template:
      text as is; integer fields (customerid, due_offset_days, ownerid,
      estimateid, sentid, parent, ext_archive) and true/false fields (auto_bill,
      gmail, show_attachments) are converted
    lines             a JSON list of lines, as in JSON Lines
    line_name, line_description, line_qty (default 1), line_unit_cost
                      one line instead of 'lines' (the cost is in
                      currency_code, default USD)
    An empty cell leaves its field out. Fields holding objects or lists other
    than lines (contacts, presentation, late_fee...) need JSON Lines.
results (--results): JSON Lines, one record per line and outcome; default: next
  to FILE, its suffix replaced by .results.jsonl (invoices.csv ->
  invoices.results.jsonl). Run again with the same results file to skip what
  was created and look up what may have been.
exit status: 0 all created, 3 some not (see the results file), 1 none, 2 usage
  error, 130 stopped by Ctrl-C, 143 stopped by SIGTERM (creates on the wire
  finish and are recorded first; run again for the rest)."""


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
            record[key] = load_json(value)
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


def _decode(data: bytes, encoding: str, name: str) -> str:
    """``data`` as text; a byte that does not decode is an error naming its line."""
    if codecs.lookup(encoding).name == "utf-8" and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]  # a byte-order mark (spreadsheet exports)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.end].hex(" ")
        raise CLIError(
            f"bulk-create: {name} line {line}: byte {bad} is not valid {encoding} "
            f"({exc.reason}); if the file is in another encoding, pass it with --encoding "
            "(e.g. --encoding cp1252)"
        ) from None


def _check_encoding(encoding: str) -> str:
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise CLIError(f"--encoding: unknown encoding {encoding!r}", EXIT_USAGE) from None
    if not getattr(info, "_is_text_encoding", True):
        raise CLIError(f"--encoding: {encoding!r} is not a text encoding", EXIT_USAGE)
    return encoding


def _read_lines(args: argparse.Namespace, fmt: str, encoding: str) -> list[InputLine]:
    """Read, decode, parse and validate the whole input.

    Raises:
        CLIError: It cannot be read or decoded, or it holds no invoice.
    """
    name = "stdin" if args.file == "-" else str(args.file)
    try:
        if args.file == "-":
            binary = getattr(sys.stdin, "buffer", None)
            raw: bytes | str = binary.read() if binary is not None else sys.stdin.read()
        else:
            # A CLI reading its input before any request: blocking I/O is fine here.
            with open(args.file, "rb") as handle:
                raw = handle.read()
    except OSError as exc:
        raise CLIError(f"bulk-create: cannot read {name}: {exc}") from None
    text = _decode(raw, encoding, name) if isinstance(raw, bytes) else raw
    try:
        lines = list(read_input(io.StringIO(text, newline=""), fmt))
    except csv.Error as exc:
        raise CLIError(f"bulk-create: cannot read {name}: {exc}") from None
    if not lines:
        what = (
            "it is empty"
            if not text.strip()
            else "it has a header but no rows"
            if fmt == "csv"
            else "it has only blank lines"
        )
        raise CLIError(f"bulk-create: {name} has no invoices to create: {what}")
    return lines


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
                record = load_json(text)
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


@attrs.frozen(kw_only=True)
class _Results:
    """What a results file holds: the latest record and the latest send per input line."""

    latest: dict[int, dict[str, Any]]
    sends: dict[int, dict[str, Any]]  # the last ``pending`` record of each line
    batch: str | None  # the file's batch id (in its pending records), part of references
    valid_end: int  # bytes up to the end of the last complete line
    size: int


def _scan_results(path: Path) -> _Results:
    latest: dict[int, dict[str, Any]] = {}
    sends: dict[int, dict[str, Any]] = {}
    batch: str | None = None
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _Results(latest=latest, sends=sends, batch=None, valid_end=0, size=0)
    except OSError as exc:
        raise CLIError(f"--results {path}: cannot read it: {exc}") from None
    offset = 0
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        if not raw.endswith(b"\n"):
            # A torn last line (the process died mid-write): it never counted, since a
            # ``pending`` record is complete and synced before its create is sent.
            break
        offset += len(raw)
        if not raw.strip():
            continue
        try:
            record = load_json(raw)
            line = record["line"]
            if not isinstance(line, int) or isinstance(line, bool):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise CLIError(f"--results {path}: line {number} is not a results record") from None
        latest[line] = record
        if record.get("status") == "pending":
            sends[line] = record
            if batch is None and isinstance(record.get("batch"), str) and record["batch"]:
                batch = record["batch"]
    return _Results(latest=latest, sends=sends, batch=batch, valid_end=offset, size=len(data))


def read_results(path: Path) -> dict[int, dict[str, Any]]:
    """The latest record per input line of a results file (empty if there is none).

    A torn last line (no newline: the process died while writing it) is ignored.

    Raises:
        CLIError: The file exists but is not a results file.
    """
    if not isinstance(path, Path):
        raise TypeError(f"path: expected a pathlib.Path, got {type(path).__name__}: {path!r}")
    return _scan_results(path).latest


class _Journal:
    """The results file, appended to: every record is flushed, and ``pending`` records
    (written right before their create is sent) are also synced to disk, so that a create
    is never on the wire without a durable record of it.

    Opening it takes an exclusive lock (released by the OS even on ``kill -9``), so two
    runs cannot work from the same results file at once.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._new = not path.exists()
        try:
            self._file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - see close()
        except OSError as exc:
            raise CLIError(f"--results {path}: cannot open it: {exc}") from None
        try:
            _lock(self._file.fileno(), path)
        except BaseException:
            self._file.close()
            raise

    def cut(self, state: _Results) -> None:
        """Cut a torn last line off, so the next record starts on a line of its own."""
        if state.size > state.valid_end:
            os.truncate(self._path, state.valid_end)  # appends still go to the new end

    def write(self, record: Mapping[str, Any], *, durable: bool = False) -> None:
        self._file.write(dumps(record) + "\n")
        self._file.flush()
        if durable:
            _sync(self._file.fileno())
            if self._new:  # the file's directory entry must survive a power loss too
                self._new = False
                _fsync_directory(self._path.parent)

    def close(self) -> None:
        self._file.close()


def _lock(fd: int, path: Path) -> None:
    if sys.platform == "win32":  # no flock; one run per results file is up to the user
        return
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise CLIError(
            f"--results {path}: another bulk-create is running with this results file; "
            "wait for it to finish"
        ) from None
    except OSError:  # a file system without locks (some network mounts): go on
        return


#: Flush a file's data and size to disk (``fdatasync`` where there is one: the mtime
#: need not be synced, which saves a journal write per record on most file systems).
_sync: Final = getattr(os, "fdatasync", os.fsync)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # no directory handles here (Windows): nothing more to do
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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


def _plan(
    lines: list[InputLine], state: _Results, results_path: Path
) -> tuple[list[InputLine], set[int], int]:
    """What a run does with each line, given its results file: the lines to work on,
    those an earlier run may have created (looked up first), and how many are done.

    Raises:
        CLIError: A line changed since an earlier run created or sent it.
    """
    todo: list[InputLine] = []
    doubtful: set[int] = set()  # lines an earlier run may have created without a record
    skipped = 0
    for line in lines:
        before = state.latest.get(line.line)
        status = before.get("status") if before is not None else None
        if before is not None and (status == _SETTLED_CREATED or status in _IN_DOUBT):
            if before.get("digest") != line.digest:
                was = "sent (it may exist)" if status == "pending" else status
                raise CLIError(
                    f"--results {results_path}: line {line.line} changed since it was "
                    f"{was}; use a new results file for a new input"
                )
            if status == _SETTLED_CREATED:
                skipped += 1
                continue
            doubtful.add(line.line)
        todo.append(line)
    return todo, doubtful, skipped


def _batch_errors(lines: list[InputLine], reference_field: str | None) -> dict[int, str]:
    """What the bulk engine refuses across lines (a line's own fields are already
    checked): an invoice number, or a reference in ``reference_field``, given twice."""
    errors: dict[int, str] = {}
    seen: dict[tuple[str, str], int] = {}
    for line in lines:
        if line.draft is None:
            continue
        payload = to_payload(line.draft)
        for field in ("invoice_number", reference_field):
            value = payload.get(field) if field else None
            if not value:
                continue
            first = seen.setdefault((field or "", str(value)), line.line)
            if first != line.line:
                errors[line.line] = (
                    f"line {line.line}: {field}: {str(value)!r} is also line {first}'s; "
                    "it must be unique in the file"
                )
    return errors


def _dry_run(
    args: argparse.Namespace, lines: list[InputLine], results_path: Path, out: IO[str]
) -> int:
    """Validate every line (and the results file) and report; nothing is sent."""
    state = _scan_results(results_path)
    todo, doubtful, skipped = _plan(lines, state, results_path)
    errors = {line.line: line.error for line in todo if line.error is not None}
    errors.update(_batch_errors(todo, getattr(args, "reference_field", None)))
    for number in sorted(errors):
        out.write(f"invalid: {errors[number]}\n")
    valid = len(todo) - len(errors)
    found = f" (results file {results_path})" if state.latest else ""
    out.write(
        f"dry run: {len(lines)} invoice(s) read, {valid} valid, {len(errors)} invalid, "
        f"{skipped} already created{found}, {len(doubtful)} to look up first; nothing was "
        "sent\n"
    )
    if not errors:
        return EXIT_OK
    return EXIT_PARTIAL if valid or skipped else EXIT_FAILURE


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
        if item.reconciled:
            record["reconciled"] = True
        if item.error is not None:
            record["error"] = f"{type(item.error).__name__}: {item.error}"
    elif line.error is not None:
        record["error"] = line.error
    return record


def _pending_record(line: InputLine, send: BulkSend, batch: str) -> dict[str, Any]:
    """The write-ahead record of a create about to be sent."""
    record: dict[str, Any] = {
        "line": line.line,
        "digest": line.digest,
        "status": "pending",
        "batch": batch,
        "reference": send.reference,
        "attempt": send.attempt,
    }
    if send.invoice_number is not None:
        record["invoice_number"] = send.invoice_number
    if send.reference_field is not None:
        record["reference_field"] = send.reference_field
    if send.baseline is not None:
        record["baseline"] = send.baseline
    if send.sent_at is not None:
        record["sent_at"] = round(send.sent_at, 3)
    return record


def _send_of(index: int, record: Mapping[str, Any], reference: str) -> BulkSend:
    """The :class:`BulkSend` a ``pending`` (or older ``unknown``) record describes; fields
    that are missing or malformed are left out (fewer ways to look the invoice up)."""

    def whole(value: object) -> int | None:
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    number = record.get("invoice_number")
    field = record.get("reference_field")
    sent_at = record.get("sent_at")
    attempt = whole(record.get("attempt"))
    baseline = whole(record.get("baseline"))
    given = record.get("reference")
    return BulkSend(
        index=index,
        reference=given if isinstance(given, str) and given else reference,
        invoice_number=number if isinstance(number, str) and number else None,
        attempt=attempt if attempt is not None and attempt >= 1 else 1,
        reference_field=field if field in REFERENCE_FIELDS else None,
        baseline=baseline if baseline is not None and baseline >= 0 else None,
        sent_at=float(sent_at)
        if isinstance(sent_at, int | float)
        and not isinstance(sent_at, bool)
        and math.isfinite(sent_at)
        and sent_at >= 0
        else None,
    )


def _reference(batch: str, line: InputLine) -> str:
    """A draft's reference: the same for the same line of the same results file."""
    return f"fbk-{batch}-{line.line}-{line.digest[:8]}"


#: What a line's latest record says about it, for a re-run.
_SETTLED_CREATED: Final = "created"
_IN_DOUBT: Final = ("pending", "unknown")  # it may exist: look it up before posting


async def run_bulk_create(
    args: argparse.Namespace, *, out: IO[str], err: IO[str], stop: StopSignals | None = None
) -> int:
    """Run ``bulk-create`` with parsed arguments (see the module docs).

    Args:
        args: The parsed arguments.
        out: Where the summary goes.
        err: Where progress and warnings go.
        stop: The signal handlers of the run: the first signal stops it cleanly.

    Returns:
        0 when every line is created, 3 when some are not (see the results file), 1 when
        none could be.

    Raises:
        CLIError: Bad arguments, an unreadable or empty input, or a results file that
            does not match the input.
        Interrupted: A signal stopped the run (after recording every line it settled).
    """
    if not 1 <= args.concurrency <= 64:
        raise CLIError(f"--concurrency: must be in 1..64, got {args.concurrency}", EXIT_USAGE)
    if args.max_retries < 0:
        raise CLIError(f"--max-retries: must be >= 0, got {args.max_retries}", EXIT_USAGE)
    reference_field = getattr(args, "reference_field", None)
    if reference_field is not None and reference_field not in REFERENCE_FIELDS:
        raise CLIError(
            f"--reference-field: must be one of {', '.join(sorted(REFERENCE_FIELDS))}, "
            f"got {reference_field!r}",
            EXIT_USAGE,
        )
    fmt = _format_of(args)
    encoding = _check_encoding(getattr(args, "encoding", None) or "utf-8")
    results_path = _results_path(args)
    lines = _read_lines(args, fmt, encoding)
    if getattr(args, "dry_run", False):
        return _dry_run(args, lines, results_path, out)
    creds = resolve_credentials(
        token=args.token,
        token_file=args.token_file,
        base_url=args.base_url,
        client_id=args.client_id,
        client_secret=args.client_secret,
    )
    journal = _Journal(results_path)  # locked from here: the scan below stays true
    try:
        return await _run(args, lines, results_path, journal, creds, out=out, err=err, stop=stop)
    finally:
        journal.close()


async def _run(
    args: argparse.Namespace,
    lines: list[InputLine],
    results_path: Path,
    journal: _Journal,
    creds: Credentials,
    *,
    out: IO[str],
    err: IO[str],
    stop: StopSignals | None = None,
) -> int:
    """The run itself, with the results file open and locked."""
    reference_field = getattr(args, "reference_field", None)
    state = _scan_results(results_path)
    journal.cut(state)
    todo, doubtful, skipped = _plan(lines, state, results_path)
    claimed = {
        record["invoice_id"]
        for record in state.latest.values()
        if record.get("status") == _SETTLED_CREATED
        and isinstance(record.get("invoice_id"), int)
        and not isinstance(record.get("invoice_id"), bool)
    }

    counts = {"created": 0, "failed": 0, "invalid": 0, "unknown": 0, "not_attempted": 0}
    reconciled = 0
    # Kept by the file (in its pending records) so a line keeps its reference across runs.
    batch = state.batch or secrets.token_hex(6)

    def write(record: dict[str, Any]) -> None:
        journal.write(record)
        counts[record["status"]] = counts.get(record["status"], 0) + 1

    for line in todo:
        if line.draft is None:
            if line.line in doubtful:  # valid when it was sent: it may exist
                record = _record(line, None, "unknown")
                record["error"] = f"{line.error}; an earlier run sent it, so it may exist"
                write(record)
            else:
                write(_record(line, None, "invalid"))
    valid = [line for line in todo if line.draft is not None]
    if valid:
        references = [_reference(batch, line) for line in valid]
        in_doubt = {
            index: _send_of(
                index,
                state.sends.get(line.line) or state.latest[line.line],
                references[index],
            )
            for index, line in enumerate(valid)
            if line.line in doubtful
        }
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

            def on_send(send: BulkSend) -> None:
                # Durable before the POST leaves: a re-run after a crash knows that
                # this line may exist and looks it up instead of posting it again.
                journal.write(_pending_record(valid[send.index], send, batch), durable=True)

            def on_item(item: BulkItem[Invoice]) -> None:
                nonlocal reconciled
                reconciled += item.reconciled
                write(_record(valid[item.index], item, item.status.value))

            graceful = stop.graceful() if stop is not None else contextlib.nullcontext(None)
            with graceful as stop_event:
                await fb.invoices.bulk_create(
                    account_id,
                    [line.draft for line in valid if line.draft is not None],
                    concurrency=args.concurrency,
                    numbering=args.numbering,
                    reference_field=reference_field,
                    on_progress=on_progress,
                    on_item=on_item,
                    on_send=on_send,
                    references=references,
                    in_doubt=in_doubt,
                    claimed_ids=claimed,
                    post_unresolved=bool(args.retry_unknown),
                    stop=stop_event,
                )
            bar.close()
    failed = sum(n for status, n in counts.items() if status != "created")
    found_note = f" ({reconciled} found by look-up)" if reconciled else ""
    summary = (
        f"created {counts['created']}{found_note}, already created {skipped}, "
        f"failed {counts['failed']}, invalid {counts['invalid']}, unknown {counts['unknown']}, "
        f"not attempted {counts['not_attempted']}; results in {results_path}"
    )
    out.write(summary + "\n")
    if stop is not None and stop.signum is not None:
        out.flush()
        raise Interrupted(
            stop.signum,
            f"stopped cleanly: the creates on the wire finished and were recorded, "
            f"{counts['not_attempted']} line(s) not attempted; run the same command again "
            f"to create them (results in {results_path})",
        )
    if counts["unknown"]:
        err.write(
            f"freshbooks-async: warning: {counts['unknown']} line(s) have an unknown outcome: "
            "they may exist and could not be looked up (see the results file). Run again to "
            "look them up again, or with --retry-unknown to post those that still cannot "
            "be (they may then exist twice)\n"
        )
    if failed:
        return EXIT_PARTIAL if counts["created"] or skipped else EXIT_FAILURE
    return EXIT_OK
