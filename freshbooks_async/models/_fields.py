"""Per-class field plans: what each attrs field is on the wire and how to convert it.

A plan is computed once per model class from its resolved type hints and drives the
generated decode/encode functions (``_converter``) and write-model validation (``_base``).
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final, Literal

import attrs

from .common import DateTimeFormat, LenientIntEnum, LenientStrEnum, Money, UnsetType

__all__ = ["FieldPlan", "Kind", "plans_for"]

Kind = Literal["plain", "money", "model", "model_list", "datetime", "date", "decimal", "enum"]

#: Field names that are bookkeeping, never a wire key.
RESERVED: Final = frozenset({"extras", "_wire", "_extras", "_wire_amount", "_absent"})


@attrs.frozen
class FieldPlan:
    """How one attrs field maps to one JSON key."""

    name: str
    key: str
    kind: Kind
    #: model class (model, model_list), enum class (enum), DateTimeFormat (datetime).
    arg: Any
    nullable: bool
    unsettable: bool
    #: For plain fields: runtime types accepted by write-model validation (``None`` = any).
    runtime: tuple[type, ...] | None
    #: For plain list fields: the element types accepted (``None`` = any).
    item_runtime: tuple[type, ...] | None
    annotation: Any
    metadata: Mapping[Any, Any]
    #: Read models: the field has no default, so a JSON object without its key is an
    #: error (FreshBooks always sends it).
    required: bool = False
    #: Read models: a list field that reads as an empty list when its key is absent.
    empty_list: bool = False


_cache: dict[type, tuple[FieldPlan, ...]] = {}

_UNION_ORIGINS: Final = (typing.Union, types.UnionType)
_LIST_ORIGINS: Final = (list, Sequence, typing.Sequence)


def _is_model(tp: object) -> bool:
    return isinstance(tp, type) and attrs.has(tp) and tp is not Money


def _runtime_types(tp: Any) -> tuple[tuple[type, ...] | None, tuple[type, ...] | None]:
    """Runtime isinstance types for a plain annotation and, for lists, its elements."""
    if tp is Any or tp is object:
        return None, None
    origin = typing.get_origin(tp)
    if origin in _UNION_ORIGINS:
        out: list[type] = []
        for arg in typing.get_args(tp):
            sub, _ = _runtime_types(arg)
            if sub is None:
                return None, None
            out.extend(sub)
        return tuple(out), None
    if origin is Literal:
        return tuple({type(a) for a in typing.get_args(tp)}), None
    if origin in (list, Sequence, typing.Sequence):
        (item,) = typing.get_args(tp) or (Any,)
        item_types, _ = _runtime_types(item)
        return (list, tuple), item_types
    if origin in (dict, Mapping, typing.Mapping):
        return (dict, Mapping), None
    if isinstance(origin, type):
        return (origin,), None
    if tp is float:
        return (float, int), None
    if isinstance(tp, type):
        return (tp,), None
    return None, None


def _classify(tp: Any) -> tuple[Kind, Any]:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(tp)
        fmt = next((m for m in meta if isinstance(m, DateTimeFormat)), None)
        if base is datetime and fmt is not None:
            return "datetime", fmt
        return _classify(base)
    if tp is datetime:
        return "datetime", DateTimeFormat.ISO
    if tp is date:
        return "date", None
    if tp is Decimal:
        return "decimal", None
    if tp is Money:
        return "money", Money
    if _is_model(tp):
        return "model", tp
    if isinstance(tp, type) and issubclass(tp, LenientIntEnum | LenientStrEnum):
        return "enum", tp
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        raise TypeError(f"enum {tp.__name__} must derive from LenientIntEnum or LenientStrEnum")
    if origin in _LIST_ORIGINS:
        args = typing.get_args(tp)
        if args and (args[0] is Money or _is_model(args[0])):
            return "model_list", args[0]
    return "plain", None


def _split_optional(tp: Any) -> tuple[Any, bool, bool]:
    """Strip ``None`` and ``UnsetType`` from a union: (core type, nullable, unsettable)."""
    if typing.get_origin(tp) not in _UNION_ORIGINS:
        return tp, False, False
    args = typing.get_args(tp)
    nullable = type(None) in args
    unsettable = UnsetType in args
    rest = [a for a in args if a is not type(None) and a is not UnsetType]
    if len(rest) == 1:
        return rest[0], nullable, unsettable
    return typing.Union[tuple(rest)], nullable, unsettable  # noqa: UP007 - runtime union of types


def plans_for(cls: type) -> tuple[FieldPlan, ...]:
    """Return (and cache) the field plans of an attrs model class.

    Raises:
        TypeError: a field mixes converted types in one union (e.g. ``Money | datetime``).
    """
    cached = _cache.get(cls)
    if cached is not None:
        return cached
    hints = typing.get_type_hints(cls, include_extras=True)
    plans: list[FieldPlan] = []
    for field in attrs.fields(cls):
        if field.name in RESERVED:
            continue
        annotation = hints[field.name]
        core, nullable, unsettable = _split_optional(annotation)
        kind, arg = _classify(core)
        if kind == "plain" and typing.get_origin(core) in _UNION_ORIGINS:
            for member in typing.get_args(core):
                if _classify(member)[0] != "plain":
                    raise TypeError(
                        f"{cls.__name__}.{field.name}: unions of converted types "
                        f"are not supported ({annotation!r})"
                    )
        runtime, item_runtime = _runtime_types(core) if kind == "plain" else (None, None)
        default = field.default
        factory = getattr(default, "factory", None) if isinstance(default, attrs.Factory) else None  # type: ignore[arg-type]
        plans.append(
            FieldPlan(
                name=field.name,
                key=field.metadata.get("key", field.name),
                kind=kind,
                arg=arg,
                nullable=nullable,
                unsettable=unsettable,
                runtime=runtime,
                item_runtime=item_runtime,
                annotation=annotation,
                metadata=field.metadata,
                required=default is attrs.NOTHING,
                empty_list=factory is list,
            )
        )
    result = tuple(plans)
    _cache[cls] = result
    return result
