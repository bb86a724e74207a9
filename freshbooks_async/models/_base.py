"""Base classes: :class:`Model` (what FreshBooks sends) and :class:`WriteModel` (what we send)."""

from __future__ import annotations

import contextlib
import enum
import operator
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Self

import attrs

from ._fields import FieldPlan, plans_for
from .common import EMPTY_MAPPING, UNSET, DateTimeFormat, Money, VisState, check_amount

__all__ = ["Model", "RawObject", "WriteModel", "vis_state_payload"]


def _freeze_extras(value: Mapping[str, Any]) -> Mapping[str, Any]:
    if value is EMPTY_MAPPING:  # the decode hot path: skip the (costly) ABC check
        return value
    if not isinstance(value, Mapping):
        raise TypeError(f"extras must be a mapping, got {value!r} ({type(value).__name__})")
    return value if value else EMPTY_MAPPING


class _LazySlot:
    """The slot a lazily decoded read model keeps its JSON object in until first read.

    A plain (non-attrs) base, so the slot is no attrs field: it takes no part in ``==``,
    ``hash``, ``repr``, ``attrs.evolve``/``asdict`` or pickling (which read the fields,
    and so build them first).
    """

    __slots__ = ("_lazy_raw",)


_RAW: Any = _LazySlot.__dict__["_lazy_raw"]  # the member descriptor: no __getattr__ fallback
_raw_get: Callable[[Any], Any] = _RAW.__get__
_raw_set: Callable[[Any, Any], None] = _RAW.__set__
_raw_del: Callable[[Any], None] = _RAW.__delete__

#: Per lazily decodable class: ``fill(data, instance)``, the generated decode function
#: writing every field of ``instance`` from its checked JSON object (set by _converter).
_fillers: dict[type, Callable[[Any, Any], Any]] = {}
_attr_names: dict[type, frozenset[str]] = {}


def _lazy_names(cls: type) -> frozenset[str]:
    names = _attr_names.get(cls)
    if names is None:
        names = _attr_names[cls] = frozenset(f.name for f in attrs.fields(cls))
    return names


def _materialize(obj: Any) -> None:
    """Build every field of a lazily decoded ``obj`` (a no-op once built).

    Idempotent: two threads building the same object at once write equal values.
    """
    try:
        raw = _raw_get(obj)
    except AttributeError:
        return  # built already (or never lazy)
    _fillers[type(obj)](raw, obj)
    with contextlib.suppress(AttributeError):  # another thread may have deleted it first
        _raw_del(obj)  # drop the JSON object: every field now lives in its slot


@attrs.frozen(kw_only=True)
class Model(_LazySlot):
    """Base of every read model (an object as FreshBooks sends it).

    A field FreshBooks always sends has a plain type (``Invoice.id: int``,
    ``Invoice.outstanding: Money``): a JSON object without it does not decode
    (:class:`~freshbooks_async.errors.ModelDecodeError` names the field). Any other field
    is ``T | None``: ``None`` when its key is absent or ``null``. Which of the two it was is
    in :attr:`fields_set` (as pydantic's ``model_fields_set``), so
    ``encode(decode(cls, data)) == data`` holds exactly. Keys the model does not know are
    kept in ``extras``.

    The models the client methods return are decoded lazily: checked in full when the
    response is decoded, their fields built on the first read of any of them (the
    "Lazy decoding" section of the models docs page).

    Attributes:
        extras: JSON keys this model has no attribute for, with their raw values (a money
            object among them is decoded to :class:`Money`). A timestamp or date string
            that does not parse is also kept here, the attribute then being ``None``,
            with a :class:`~freshbooks_async.errors.ModelDataWarning`.
    """

    extras: Mapping[str, Any] = attrs.field(default=EMPTY_MAPPING, converter=_freeze_extras)
    # Original wire values of converted fields whose canonical encoding would differ
    # (e.g. "2020-09-13T01:07:51" without "Z", or a decimal sent as a JSON number).
    _wire: Mapping[str, Any] = attrs.field(
        default=EMPTY_MAPPING, init=False, eq=False, hash=False, repr=False
    )
    # Names of the optional fields whose key the JSON object did not have; ``None`` (a
    # model built in code) means "every field that is None". Kept by ``attrs.evolve``.
    _absent: frozenset[str] | None = attrs.field(
        default=None, alias="_absent", eq=False, hash=False, repr=False
    )

    if not TYPE_CHECKING:  # type checkers keep reporting a misspelt attribute

        def __getattr__(self, name: str) -> Any:
            # Only reached when normal lookup fails: for a lazily decoded model, an
            # attrs field whose slot is still empty (docs/models.rst, "Lazy decoding").
            # Building fills every slot, so later reads are plain slot reads.
            if name in _lazy_names(type(self)):
                _materialize(self)
                return object.__getattribute__(self, name)
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r}", name=name, obj=self
            )

    @property
    def fields_set(self) -> frozenset[str]:
        """The names of the fields whose key the JSON object had (``null`` included), or,
        for a model built in code, of the fields that are not ``None``.

        ``"notes" in invoice.fields_set`` tells a ``"notes": null`` (``True``) from an
        absent key (``False``); both read ``invoice.notes is None``.
        """
        absent = self._absent
        out = []
        for name, empty_list in _field_names(type(self)):
            value = getattr(self, name)
            if absent is not None and name not in absent:
                out.append(name)  # the key was there (or it is required)
            elif value is not None and not (empty_list and value == []):
                out.append(name)  # set in code (attrs.evolve, or a model built in code)
        return frozenset(out)


_names_cache: dict[type, tuple[tuple[str, bool], ...]] = {}


def _field_names(cls: type) -> tuple[tuple[str, bool], ...]:
    names = _names_cache.get(cls)
    if names is None:
        names = _names_cache[cls] = tuple((p.name, p.empty_list) for p in plans_for(cls))
    return names


def _type_error(cls: type, plan: FieldPlan, value: object, expected: str) -> TypeError:
    return TypeError(
        f"{cls.__name__}.{plan.name} must be {expected}, got {value!r} ({type(value).__name__})"
    )


def _check_value(cls: type, plan: FieldPlan, value: Any) -> Any:
    """Validate (and normalise) one write-model field value; return the value to store."""
    kind = plan.kind
    if kind == "plain":
        runtime = plan.runtime
        if runtime is not None:
            if isinstance(value, bool) and bool not in runtime:
                raise _type_error(cls, plan, value, _expected(runtime))
            if not isinstance(value, runtime):
                raise _type_error(cls, plan, value, _expected(runtime))
            if plan.item_runtime is not None:
                items: Any = value
                for index, item in enumerate(items):
                    bad_bool = isinstance(item, bool) and bool not in plan.item_runtime
                    if bad_bool or not isinstance(item, plan.item_runtime):
                        raise TypeError(
                            f"{cls.__name__}.{plan.name}[{index}] must be "
                            f"{_expected(plan.item_runtime)}, got {item!r}"
                        )
        minimum = plan.metadata.get("min")
        if minimum is not None and isinstance(value, int | float) and value < minimum:
            raise ValueError(f"{cls.__name__}.{plan.name} must be >= {minimum}, got {value!r}")
        return value
    if kind == "money":
        if not isinstance(value, Money):
            raise _type_error(cls, plan, value, "a Money")
        return value
    if kind == "model":
        if not isinstance(value, plan.arg):
            raise _type_error(cls, plan, value, f"a {plan.arg.__name__}")
        return value
    if kind == "model_list":
        if not isinstance(value, list | tuple):
            raise _type_error(cls, plan, value, f"a list of {plan.arg.__name__}")
        for index, item in enumerate(value):
            if not isinstance(item, plan.arg):
                raise TypeError(
                    f"{cls.__name__}.{plan.name}[{index}] must be a {plan.arg.__name__}, "
                    f"got {item!r} ({type(item).__name__})"
                )
        return list(value)
    if kind == "datetime":
        if not isinstance(value, datetime):
            raise _type_error(cls, plan, value, "a timezone-aware datetime")
        if plan.arg is not DateTimeFormat.LOCAL and (
            value.tzinfo is None or value.utcoffset() is None
        ):
            raise ValueError(
                f"{cls.__name__}.{plan.name} must be timezone-aware, got the naive {value!r}"
            )
        return value
    if kind == "date":
        if isinstance(value, datetime) or not isinstance(value, date):
            raise _type_error(cls, plan, value, "a date")
        return value
    if kind == "decimal":
        return _check_decimal(cls, plan, value)
    if kind == "enum":
        enum_cls: type[enum.Enum] = plan.arg
        if isinstance(value, bool) or not isinstance(value, type(next(iter(enum_cls)).value)):
            raise _type_error(cls, plan, value, f"a {enum_cls.__name__}")
        member = enum_cls(value)
        if not getattr(member, "is_known", True):
            known = ", ".join(repr(m.value) for m in enum_cls)
            raise ValueError(
                f"{cls.__name__}.{plan.name} must be one of {enum_cls.__name__} ({known}), "
                f"got {value!r}"
            )
        return member
    raise AssertionError(kind)  # pragma: no cover


def _check_decimal(cls: type, plan: FieldPlan, value: Any) -> Decimal:
    if isinstance(value, bool | float):
        raise _type_error(cls, plan, value, "a Decimal, int or decimal str (not float)")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | str):
        try:
            number = Decimal(value)
        except ArithmeticError:
            raise ValueError(
                f"{cls.__name__}.{plan.name} must be a decimal number, got {value!r}"
            ) from None
    else:
        raise _type_error(cls, plan, value, "a Decimal, int or decimal str")
    try:
        check_amount(number)
    except ValueError as exc:
        raise ValueError(f"{cls.__name__}.{plan.name} {exc}, got {value!r}") from None
    minimum = plan.metadata.get("min")
    if minimum is not None and number < minimum:
        raise ValueError(
            f"{cls.__name__}.{plan.name} must be >= {minimum}, got {value!r}"
            + (" (negative quantities are not allowed)" if minimum == 0 else "")
        )
    return number


def _expected(types_: tuple[type, ...]) -> str:
    names = sorted({t.__name__ for t in types_})
    return " or ".join(names)


_VIS_STATE_HINT = (
    "vis_state is not a field of write models: FreshBooks drops every other field of a PUT "
    "that carries vis_state; use vis_state_payload(VisState.DELETED) (or ARCHIVED/ACTIVE) "
    "in a separate request"
)


@attrs.frozen(kw_only=True)
class WriteModel:
    """Base of create/update payloads: every field defaults to ``UNSET`` and only set
    fields are sent (see :func:`~freshbooks_async.models.to_payload`).

    Construction validates each set field (type, timezone-awareness, decimals, ranges)
    and raises ``TypeError``/``ValueError`` naming the field and value.

    Attributes:
        extras: Additional JSON keys to send verbatim (an escape hatch for fields the
            model does not list). ``vis_state`` is refused here too.
    """

    #: Fields that must be set when creating (checked at construction).
    REQUIRED: ClassVar[frozenset[str]] = frozenset()

    extras: Mapping[str, Any] = attrs.field(default=EMPTY_MAPPING, converter=_freeze_extras)

    def __attrs_post_init__(self) -> None:
        cls = type(self)
        meta = _write_meta(cls)
        plans = meta.plans
        for plan, value in zip(plans, meta.values(self), strict=True):
            if value is UNSET:
                if plan.name in cls.REQUIRED:
                    raise ValueError(f"{cls.__name__}.{plan.name} is required")
                continue
            if value is None:
                if not plan.nullable:
                    raise TypeError(f"{cls.__name__}.{plan.name} must not be None")
                continue
            checked = _check_value(cls, plan, value)
            if checked is not value:
                object.__setattr__(self, plan.name, checked)
        if self.extras:
            keys = meta.keys
            for key in self.extras:
                if not isinstance(key, str):
                    raise TypeError(f"{cls.__name__}.extras keys must be str, got {key!r}")
                if key == "vis_state":
                    raise ValueError(f"{cls.__name__}.extras: {_VIS_STATE_HINT}")
                if key in keys:
                    raise ValueError(
                        f"{cls.__name__}.extras[{key!r}] duplicates the field {key!r}; "
                        "set the field instead"
                    )

    @classmethod
    def from_kwargs(cls, **kwargs: Any) -> Self:
        """Build the payload from plain values, converting nested JSON-like values.

        Nested write models may be given as dicts, ``Money`` as ``{"amount", "code"}``
        dicts, dates as ``"YYYY-MM-DD"`` strings, decimals as strings or ints.

        Raises:
            TypeError: an unknown field name, or a value of the wrong type.
            ValueError: a value out of range or malformed.
        """
        plans = _write_meta(cls).by_name
        unknown = sorted(kwargs.keys() - plans.keys() - {"extras"})
        if unknown:
            if "vis_state" in unknown:
                raise TypeError(f"{cls.__name__}: {_VIS_STATE_HINT}")
            raise TypeError(
                f"{cls.__name__} has no field(s) {', '.join(map(repr, unknown))}; "
                f"valid fields: {', '.join(sorted(plans))}"
            )
        converted: dict[str, Any] = {}
        for name, value in kwargs.items():
            plan = plans.get(name)
            converted[name] = value if plan is None else _from_plain(cls, plan, value)
        return cls(**converted)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Like :meth:`from_kwargs`, from a mapping (e.g. parsed JSON).

        Raises:
            TypeError: ``data`` is not a mapping with str keys, or see :meth:`from_kwargs`.
            ValueError: see :meth:`from_kwargs`.
        """
        if not isinstance(data, Mapping):
            raise TypeError(f"data must be a mapping, got {data!r} ({type(data).__name__})")
        for key in data:
            if not isinstance(key, str):
                raise TypeError(f"data keys must be str, got {key!r}")
        return cls.from_kwargs(**data)


class _WriteMeta:
    """Per write-model class lookups that construction needs (built once per class)."""

    __slots__ = ("by_name", "keys", "plans", "values")

    def __init__(self, cls: type) -> None:
        self.plans = plans_for(cls)
        self.by_name = {plan.name: plan for plan in self.plans}
        self.keys = frozenset(plan.key for plan in self.plans)
        names = [plan.name for plan in self.plans]
        if len(names) == 1:  # attrgetter returns a bare value for one name
            one = operator.attrgetter(names[0])
            self.values: Callable[[Any], tuple[Any, ...]] = lambda obj: (one(obj),)
        elif names:
            self.values = operator.attrgetter(*names)
        else:
            self.values = lambda obj: ()


_write_metas: dict[type, _WriteMeta] = {}


def _write_meta(cls: type) -> _WriteMeta:
    meta = _write_metas.get(cls)
    if meta is None:
        meta = _write_metas[cls] = _WriteMeta(cls)
    return meta


def _from_plain(cls: type, plan: FieldPlan, value: Any) -> Any:
    if value is UNSET or value is None:
        return value
    kind = plan.kind
    if kind == "money" and isinstance(value, Mapping):
        extra = set(value) - {"amount", "code"}
        if extra:
            raise TypeError(f"{cls.__name__}.{plan.name}: unknown money keys {sorted(extra)}")
        try:
            return Money(amount=value["amount"], code=value["code"])
        except KeyError as exc:
            raise ValueError(f"{cls.__name__}.{plan.name}: money needs {exc.args[0]!r}") from None
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"{cls.__name__}.{plan.name}: {exc}") from None
    if kind == "model" and isinstance(value, Mapping) and issubclass(plan.arg, WriteModel):
        return plan.arg.from_dict(value)
    if kind == "model_list" and isinstance(value, list | tuple):
        if issubclass(plan.arg, WriteModel):
            return [plan.arg.from_dict(v) if isinstance(v, Mapping) else v for v in value]
        if plan.arg is Money:
            return [_from_plain(cls, _money_plan(plan), v) for v in value]
    if kind == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"{cls.__name__}.{plan.name} must be a YYYY-MM-DD date, got {value!r}"
            ) from None
    return value


def _money_plan(plan: FieldPlan) -> FieldPlan:
    return attrs.evolve(plan, kind="money", arg=Money)


def vis_state_payload(state: VisState | int) -> dict[str, int]:
    """The body fields of a delete / archive / restore request: ``{"vis_state": N}``.

    The resource layer wraps it in the resource's singular key, e.g.
    ``{"invoice": vis_state_payload(VisState.DELETED)}``. Keep it out of other updates:
    FreshBooks applies ``vis_state`` alone and silently drops the other fields of that PUT
    (DOCS:active_deleted; docs/protocol.rst, "Deletes and vis_state").

    Args:
        state: ``VisState.ACTIVE`` (restore), ``DELETED`` or ``ARCHIVED``, or 0/1/2.

    Raises:
        TypeError: ``state`` is not an int.
        ValueError: ``state`` is not 0, 1 or 2.
    """
    if isinstance(state, bool) or not isinstance(state, int):
        raise TypeError(f"state must be a VisState, got {state!r} ({type(state).__name__})")
    member = VisState(state)
    if not member.is_known:
        raise ValueError(f"state must be VisState.ACTIVE, DELETED or ARCHIVED, got {state!r}")
    return {"vis_state": int(member)}


@attrs.frozen(kw_only=True)
class RawObject(Model):
    """An object whose shape no source documents: every key is kept in ``extras``."""
