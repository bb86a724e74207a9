"""In-memory tables of the sandbox: records with cached serialisations, and the journal
that makes each request's changes all-or-nothing."""

from __future__ import annotations

import contextvars
import json
from collections.abc import Callable, Iterator
from typing import Any

__all__ = [
    "Journal",
    "Record",
    "Table",
    "current_journal",
    "dumps",
    "on_undo",
    "restore_journal",
    "use_journal",
]


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def dumps(value: Any) -> bytes:
    """Compact JSON bytes (the sandbox's one serialiser)."""
    return _ENCODER.encode(value).encode()


class Record:
    """One stored object: its stored fields, extras for includes, and a cached rendering.

    Attributes:
        id: The object's id.
        data: Stored fields (for invoices only the non-computed ones).
        extras: Hidden data served through includes (``lines``) or used internally.
        deleted: Hard-hidden (project-like deletes; shown with ``include_deleted``).
        cache: Serialised full object, or ``None`` when stale.
    """

    __slots__ = ("cache", "data", "deleted", "extras", "id", "rendered", "version")

    def __init__(self, id: int | str, data: dict[str, Any], extras: dict[str, Any] | None = None):
        self.id = id
        self.data = data
        self.extras: dict[str, Any] = extras if extras is not None else {}
        self.deleted = False
        self.cache: bytes | None = None
        self.rendered: dict[str, Any] | None = None
        self.version = 0  # bumped by each committed request that changed the record

    def touch(self) -> None:
        """Drop the cached rendering after a change."""
        self.cache = None
        self.rendered = None


class Table:
    """The objects of one resource in one account or business, in insertion order."""

    __slots__ = ("_visible", "next_id", "records")

    def __init__(self, first_id: int = 1) -> None:
        self.records: dict[int | str, Record] = {}
        self.next_id = first_id
        self._visible: list[Record] | None = None

    def new_id(self) -> int:
        """Allocate the next integer id."""
        value = self.next_id
        self.next_id += 1
        journal = _JOURNAL.get()
        if journal is not None:
            journal.on_undo(lambda: self._free_id(value))
        return value

    def _free_id(self, value: int) -> None:
        if self.next_id == value + 1:  # no later request allocated one meanwhile
            self.next_id = value

    def add(self, record: Record) -> Record:
        """Insert ``record`` (replacing one with the same id)."""
        previous = self.records.get(record.id)
        self.records[record.id] = record
        self._visible = None
        journal = _JOURNAL.get()
        if journal is not None:
            journal.on_undo(lambda: self._put_back(record, previous))
        return record

    def _put_back(self, added: Record, previous: Record | None) -> None:
        if self.records.get(added.id) is added:
            if previous is None:
                del self.records[added.id]
            else:
                self.records[added.id] = previous
                previous.touch()
            self._visible = None

    def get(self, id: int | str) -> Record | None:
        """The record with ``id``, or ``None``.

        Inside a request's journal the record's state is saved first, so whatever the
        request then changes in it is undone if the request fails.
        """
        found = self.records.get(id)
        if found is not None:
            journal = _JOURNAL.get()
            if journal is not None:
                journal.save(self, found)
        return found

    def peek(self, id: int | str) -> Record | None:
        """The record with ``id``, or ``None``, for reading only (never journaled)."""
        return self.records.get(id)

    def remove(self, id: int | str) -> None:
        """Delete a record outright."""
        journal = _JOURNAL.get()
        if journal is not None and id in self.records:
            position = list(self.records).index(id)
            record = self.records[id]
            journal.on_undo(lambda: self._reinsert(position, record))
        self.records.pop(id, None)
        self._visible = None

    def _reinsert(self, position: int, record: Record) -> None:
        items = [(k, v) for k, v in self.records.items() if k != record.id]
        items.insert(position, (record.id, record))
        self.records.clear()
        self.records.update(items)
        record.touch()
        self._visible = None

    def changed(self) -> None:
        """Invalidate list caches after a change of visibility."""
        self._visible = None

    def __iter__(self) -> Iterator[Record]:
        journal = _JOURNAL.get()
        if journal is None:
            return iter(self.records.values())
        return self._journaled(journal)

    def _journaled(self, journal: Journal) -> Iterator[Record]:
        for record in list(self.records.values()):
            journal.save(self, record)
            yield record

    def __len__(self) -> int:
        return len(self.records)

    def visible(self, predicate: Callable[[Record], bool]) -> list[Record]:
        """Records passing ``predicate`` (the default visibility), newest first, cached."""
        if self._visible is None:
            self._visible = [r for r in reversed(self.records.values()) if predicate(r)]
        return self._visible


# ----------------------------------------------------------------------------- journal


def _copy(value: Any) -> Any:
    """A deep copy of JSON-like data (dicts, lists, scalars), several times faster than
    ``copy.deepcopy``; other mutable values are shared (the sandbox stores none)."""
    if type(value) is dict:
        return {k: _copy(v) for k, v in value.items()}
    if type(value) is list:
        return [_copy(v) for v in value]
    return value


class Journal:
    """What one request changed, to undo it when the request does not succeed.

    The sandbox opens a journal around every request that may change state (see
    ``Sandbox._process``) and makes it current for that request's task. Tables report
    to it: a record read through :meth:`Table.get` or iteration is saved before the
    handler can change it; :meth:`Table.add`, :meth:`Table.remove` and
    :meth:`Table.new_id` log their undo; other state (ledger entries, tokens, invoice
    numbers) registers undo actions with :func:`on_undo`. Side effects that must not
    happen for a failed request (webhook deliveries) wait in :meth:`defer` until
    :meth:`commit`.

    On :meth:`rollback` the undo actions run newest first and saved records get their
    state back, unless another request committed a change to that record meanwhile (its
    ``version`` moved on): a request's own changes happen after its last ``await``, so
    the record then holds the other request's committed state, which must stay.
    """

    __slots__ = ("_deferred", "_saved", "_undo")

    def __init__(self) -> None:
        self._undo: list[Callable[[], object]] = []
        self._saved: dict[int, tuple[Table, Record, int, Any, Any, bool]] = {}
        self._deferred: list[tuple[Callable[[], None], Callable[[], None] | None]] = []

    def save(self, table: Table, record: Record) -> None:
        """Remember ``record``'s state (once per request)."""
        key = id(record)
        if key not in self._saved:
            self._saved[key] = (
                table,
                record,
                record.version,
                _copy(record.data),
                _copy(record.extras),
                record.deleted,
            )

    def on_undo(self, action: Callable[[], object]) -> None:
        """Run ``action`` if the request is rolled back (newest first)."""
        self._undo.append(action)

    def defer(self, action: Callable[[], None], discard: Callable[[], None] | None = None) -> None:
        """Run ``action`` when the request commits; ``discard`` when it is rolled back."""
        self._deferred.append((action, discard))

    def commit(self) -> None:
        """Keep the request's changes and run its deferred actions."""
        for _, record, version, data, extras, deleted in self._saved.values():
            if record.version == version and (
                record.data != data or record.extras != extras or record.deleted != deleted
            ):
                record.version += 1
        self._saved.clear()
        self._undo.clear()
        deferred, self._deferred = self._deferred, []
        for action, _ in deferred:
            action()

    def rollback(self) -> None:
        """Undo the request's changes and drop its deferred actions."""
        for table, record, version, data, extras, deleted in self._saved.values():
            if record.version != version:
                continue
            if record.data != data or record.extras != extras or record.deleted != deleted:
                record.data = data
                record.extras = extras
                record.deleted = deleted
                record.touch()
                table.changed()
        self._saved.clear()
        undo, self._undo = self._undo, []
        for action in reversed(undo):
            action()
        deferred, self._deferred = self._deferred, []
        for _, discard in deferred:
            if discard is not None:
                discard()


_JOURNAL: contextvars.ContextVar[Journal | None] = contextvars.ContextVar(
    "freshbooks_async_sandbox_journal", default=None
)


def use_journal(journal: Journal | None) -> contextvars.Token[Journal | None]:
    """Make ``journal`` current for this task (``None``: no journaling); returns the
    token that :func:`restore_journal` takes to put the previous one back."""
    return _JOURNAL.set(journal)


def restore_journal(token: contextvars.Token[Journal | None]) -> None:
    """Undo a :func:`use_journal`."""
    _JOURNAL.reset(token)


def current_journal() -> Journal | None:
    """The journal of the request being handled in this task, if any."""
    return _JOURNAL.get()


def on_undo(action: Callable[[], object]) -> None:
    """Register ``action`` with the current request's journal (no-op outside one)."""
    journal = _JOURNAL.get()
    if journal is not None:
        journal.on_undo(action)
