"""In-memory tables of the sandbox: records with cached serialisations."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Record", "Table", "dumps"]


def dumps(value: Any) -> bytes:
    """Compact JSON bytes (the sandbox's one serialiser)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


class Record:
    """One stored object: its stored fields, extras for includes, and a cached rendering.

    Attributes:
        id: The object's id.
        data: Stored fields (for invoices only the non-computed ones).
        extras: Hidden data served through includes (``lines``) or used internally.
        deleted: Hard-hidden (project-like deletes; shown with ``include_deleted``).
        cache: Serialised full object, or ``None`` when stale.
    """

    __slots__ = ("cache", "data", "deleted", "extras", "id", "rendered")

    def __init__(self, id: int | str, data: dict[str, Any], extras: dict[str, Any] | None = None):
        self.id = id
        self.data = data
        self.extras: dict[str, Any] = extras if extras is not None else {}
        self.deleted = False
        self.cache: bytes | None = None
        self.rendered: dict[str, Any] | None = None

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
        return value

    def add(self, record: Record) -> Record:
        """Insert ``record`` (replacing one with the same id)."""
        self.records[record.id] = record
        self._visible = None
        return record

    def get(self, id: int | str) -> Record | None:
        """The record with ``id``, or ``None``."""
        return self.records.get(id)

    def remove(self, id: int | str) -> None:
        """Delete a record outright."""
        self.records.pop(id, None)
        self._visible = None

    def changed(self) -> None:
        """Invalidate list caches after a change of visibility."""
        self._visible = None

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records.values())

    def __len__(self) -> int:
        return len(self.records)

    def visible(self, predicate: Callable[[Record], bool]) -> list[Record]:
        """Records passing ``predicate`` (the default visibility), newest first, cached."""
        if self._visible is None:
            self._visible = [r for r in reversed(self.records.values()) if predicate(r)]
        return self._visible
