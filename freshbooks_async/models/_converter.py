"""The one cattrs ``Converter`` of the SDK, with generated fast decode/encode functions.

Decoding a page is the hot path, so each model class gets a structure function generated
once (like ``cattrs.gen.make_dict_structure_fn``) that reads every key with one
``dict.get``, converts only money, timestamps, dates, decimals, enums and nested models,
and otherwise passes JSON values through untouched (no per-field validation). When that
function raises, the data is walked again slowly to build a cattrs exception group, which
``cattrs.transform_error`` turns into one line per failing field path and value inside a
:class:`~freshbooks_async.errors.ModelDecodeError`.

Round trips are exact: absent keys stay absent (``UNSET``), ``null`` stays ``null``,
unknown keys go to ``extras``, and a converted value whose canonical encoding would differ
from the wire text (a timestamp without ``Z``, an amount sent as a JSON number) keeps the
original in the model, which encoding gives back while the attribute still denotes it.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.v import format_exception as _cattrs_format_exception
from cattrs.v import transform_error

from ..errors import ModelDecodeError
from ._base import Model, WriteModel, _freeze_extras
from ._fields import FieldPlan, plans_for
from .common import (
    EASTERN,
    EMPTY_MAPPING,
    UNSET,
    DateTimeFormat,
    LenientIntEnum,
    LenientStrEnum,
    Money,
    money_from_wire,
    money_to_wire,
)

__all__ = [
    "converter",
    "decode",
    "decode_many",
    "encode",
    "format_datetime",
    "parse_datetime",
    "to_payload",
]

M = TypeVar("M")

_fromiso = datetime.fromisoformat
_date_fromiso = date.fromisoformat


class _NotCanonical(Exception):
    """Internal: the fast parser saw a shape it does not handle."""


class _LeafError(ValueError):
    """A value that failed conversion; its message already names the value."""


# --------------------------------------------------------------------------- timestamps


def _fast_naive(zone: tzinfo) -> Callable[[str], datetime]:
    """A parser of ``YYYY-MM-DD HH:MM:SS[.ffffff]`` into ``zone`` (other shapes: slow path)."""

    def parse(s: str) -> datetime:
        n = len(s)
        if (
            (n == 19 or (n == 26 and s[19] == "."))
            and s[10] == " "
            and s[4] == "-"
            and s[7] == "-"
            and s[13] == ":"
            and s[16] == ":"
        ):
            d = _fromiso(s)
            if d.tzinfo is None:
                return d.replace(tzinfo=zone)
        # A fresh instance each time: a shared one would keep its last traceback, and with
        # it the frames (and every object they reference) of the decode that raised it.
        raise _NotCanonical

    return parse


#: Accounting timestamps: US/Eastern, except the few UTC fields (docs/protocol.rst,
#: "Other wire facts").
_fast_accounting = _fast_naive(EASTERN)
_fast_accounting_utc = _fast_naive(UTC)


def _fast_iso(s: str) -> datetime:
    """``YYYY-MM-DDTHH:MM:SS[.ffffff]Z`` -> aware datetime in UTC (other shapes: slow path)."""
    n = len(s)
    if (
        (n == 20 or (n == 27 and s[19] == "."))
        and s[n - 1] == "Z"
        and s[10] == "T"
        and s[4] == "-"
        and s[7] == "-"
        and s[13] == ":"
        and s[16] == ":"
    ):
        return _fromiso(s)
    # A fresh instance each time: a shared one would keep its last traceback, and with
    # it the frames (and every object they reference) of the decode that raised it.
    raise _NotCanonical


def _fast_date(s: str) -> date:
    if len(s) == 10 and s[4] == "-" and s[7] == "-":
        return _date_fromiso(s)
    # A fresh instance each time: a shared one would keep its last traceback, and with
    # it the frames (and every object they reference) of the decode that raised it.
    raise _NotCanonical


_FAST_DT: Final[dict[DateTimeFormat, Callable[[str], datetime]]] = {
    DateTimeFormat.ACCOUNTING: _fast_accounting,
    DateTimeFormat.ACCOUNTING_UTC: _fast_accounting_utc,
    DateTimeFormat.ISO: _fast_iso,
}


def parse_datetime(value: str, fmt: DateTimeFormat = DateTimeFormat.ISO) -> datetime:
    """Parse a FreshBooks timestamp into an aware datetime.

    Any ISO 8601 shape Python accepts is read; a value without an offset is taken as
    US/Eastern wall time for ``ACCOUNTING`` and as UTC otherwise (docs/protocol.rst,
    "Other wire facts").

    Raises:
        TypeError: ``value`` is not a str or ``fmt`` not a DateTimeFormat.
        ValueError: ``value`` is not a timestamp.
    """
    if not isinstance(value, str):
        raise TypeError(f"value must be a str, got {value!r} ({type(value).__name__})")
    if not isinstance(fmt, DateTimeFormat):
        raise TypeError(f"fmt must be a DateTimeFormat, got {fmt!r}")
    d = _fromiso(value)
    if d.tzinfo is None:
        d = d.replace(tzinfo=EASTERN if fmt is DateTimeFormat.ACCOUNTING else UTC)
    return d


def format_datetime(value: datetime, fmt: DateTimeFormat = DateTimeFormat.ISO) -> str:
    """Write an aware datetime the way FreshBooks does for ``fmt``.

    ``ACCOUNTING``: ``YYYY-MM-DD HH:MM:SS`` in US/Eastern; ``ACCOUNTING_UTC``: the same in
    UTC; ``ISO``: ``YYYY-MM-DDTHH:MM:SSZ``. Microseconds are written only when non-zero.

    Raises:
        TypeError: ``value`` is not a datetime or ``fmt`` not a DateTimeFormat.
        ValueError: ``value`` is naive (no time zone).
    """
    if not isinstance(value, datetime):
        raise TypeError(f"value must be a datetime, got {value!r} ({type(value).__name__})")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"value must be timezone-aware, got the naive {value!r}")
    if fmt is DateTimeFormat.ACCOUNTING:
        return value.astimezone(EASTERN).replace(tzinfo=None).isoformat(" ")
    if fmt is DateTimeFormat.ACCOUNTING_UTC:
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if fmt is DateTimeFormat.ISO:
        return value.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"
    raise TypeError(f"fmt must be a DateTimeFormat, got {fmt!r}")


# ----------------------------------------------------------------- slow-path leaf helpers


def _add(store: dict[str, Any] | None, key: str, value: Any) -> dict[str, Any]:
    if store is None:
        store = {}
    store[key] = value
    return store


def _slow_dt(
    value: str,
    fmt: DateTimeFormat,
    key: str,
    wire: dict[str, Any] | None,
    bad: dict[str, Any] | None,
) -> tuple[Any, dict[str, Any] | None, dict[str, Any] | None]:
    try:
        parsed = parse_datetime(value, fmt)
    except ValueError:
        return UNSET, wire, _add(bad, key, value)
    return parsed, _add(wire, key, value), bad


def _slow_date(
    value: str, key: str, wire: dict[str, Any] | None, bad: dict[str, Any] | None
) -> tuple[Any, dict[str, Any] | None, dict[str, Any] | None]:
    try:
        parsed = _date_fromiso(value)
    except ValueError:
        return UNSET, wire, _add(bad, key, value)
    if parsed.isoformat() != value:
        wire = _add(wire, key, value)
    return parsed, wire, bad


def _slow_dec(
    value: Any, key: str, wire: dict[str, Any] | None, bad: dict[str, Any] | None
) -> tuple[Any, dict[str, Any] | None, dict[str, Any] | None]:
    cls = value.__class__
    if cls is str:
        try:
            return Decimal(value), _add(wire, key, value), bad
        except ArithmeticError:
            return UNSET, wire, _add(bad, key, value)
    if cls is int:
        return Decimal(value), _add(wire, key, value), bad
    if cls is float:
        return Decimal(repr(value)), _add(wire, key, value), bad
    raise _LeafError(f"expected a decimal string or number, got {_short(value)}")


def _bad_type(key: str, value: Any, expected: str) -> Any:
    raise _LeafError(f"expected {expected}, got {_short(value)}")


def _short(value: Any) -> str:
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{text} ({type(value).__name__})"


def _extras(data: Mapping[str, Any], known: frozenset[str], bad: dict[str, Any] | None) -> Any:
    out = {k: v for k, v in data.items() if k not in known}
    if bad:
        out.update(bad)
    return out or EMPTY_MAPPING


def _enum_value(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _set_wire(obj: Any, wire: dict[str, Any]) -> None:
    object.__setattr__(obj, "_wire", wire)


# ------------------------------------------------------------------------ generated code

_structure_fns: dict[type, Callable[[Any], Any]] = {}
_unstructure_fns: dict[type, Callable[[Any], dict[str, Any]]] = {}
_MISS: Final = object()
_counter = itertools.count()


def _structure_fn(cls: type) -> Callable[[Any], Any]:
    fn = _structure_fns.get(cls)
    if fn is None:
        if cls is Money:
            fn = money_from_wire
            _structure_fns[cls] = fn
        else:
            # A trampoline first, so self-referencing models terminate.
            _structure_fns[cls] = lambda data: _structure_fns[cls](data)
            fn = _make_structure(cls)
            _structure_fns[cls] = fn
    return fn


def _unstructure_fn(cls: type) -> Callable[[Any], dict[str, Any]]:
    fn = _unstructure_fns.get(cls)
    if fn is None:
        if cls is Money:
            fn = money_to_wire
            _unstructure_fns[cls] = fn
        else:
            _unstructure_fns[cls] = lambda obj: _unstructure_fns[cls](obj)
            fn = _make_unstructure(cls)
            _unstructure_fns[cls] = fn
    return fn


def _compile(name: str, lines: list[str], ns: dict[str, Any], cls: type) -> Any:
    source = "\n".join(lines)
    filename = f"<freshbooks_async generated {name} {cls.__qualname__} #{next(_counter)}>"
    exec(compile(source, filename, "exec"), ns)  # noqa: S102 - code generated from our types
    return ns[name]


def _make_structure(cls: type) -> Callable[[Any], Any]:
    plans = plans_for(cls)
    is_model = issubclass(cls, Model)
    ns: dict[str, Any] = {
        "_U": UNSET,
        "_EMPTY": EMPTY_MAPPING,
        "_MISS": _MISS,
        "_cls": cls,
        "_KNOWN": frozenset(p.key for p in plans),
        "_D": Decimal,
        "_slow_dt": _slow_dt,
        "_slow_date": _slow_date,
        "_slow_dec": _slow_dec,
        "_fast_date": _fast_date,
        "_bad_type": _bad_type,
        "_extras": _extras,
        "_add": _add,
        "_set_wire": _set_wire,
    }
    body = ["def structure(o):", "    g = o.get", "    w = None", "    bad = None"]
    kwargs: list[str] = []
    for i, p in enumerate(plans):
        key = repr(p.key)
        x = f"x{i}"
        if p.kind == "plain":
            kwargs.append(f"{p.name}=g({key}, _U)")
            continue
        kwargs.append(f"{p.name}={x}")
        code = [f"v = g({key}, _U)"]
        if p.kind in ("money", "model"):
            ns[f"s{i}"] = _structure_fn(p.arg)
            code.append(f"{x} = v if v is None or v is _U else s{i}(v)")
        elif p.kind == "model_list":
            ns[f"s{i}"] = _structure_fn(p.arg)
            code += [
                f"if v.__class__ is list: {x} = [s{i}(e) for e in v]",
                f"elif v is None or v is _U: {x} = v",
                f"else: {x} = _bad_type({key}, v, 'a list')",
            ]
        elif p.kind == "enum":
            ns[f"m{i}"] = {member.value: member for member in p.arg}
            ns[f"e{i}"] = p.arg
            base = "int" if issubclass(p.arg, int) else "str"
            code += [
                f"{x} = m{i}.get(v, _MISS) if v.__class__ is {base} else _MISS",
                f"if {x} is _MISS: {x} = v if v is None or v is _U else e{i}(v)",
            ]
        elif p.kind in ("datetime", "date"):
            if p.kind == "datetime":
                ns[f"p{i}"] = _FAST_DT[p.arg]
                ns[f"F{i}"] = p.arg
                slow = f"_slow_dt(v, F{i}, {key}, w, bad)"
                parse = f"p{i}(v)"
                what = "a date-time string"
            else:
                slow = f"_slow_date(v, {key}, w, bad)"
                parse = "_fast_date(v)"
                what = "a YYYY-MM-DD date string"
            code += [
                "if v.__class__ is str:",
                "    try:",
                f"        {x} = {parse}",
                "    except Exception:",
                f"        {x}, w, bad = {slow}",
            ]
            if p.kind == "datetime":
                # ".000000" (FreshBooks' invoice `version`) is not what encoding writes
                # for zero microseconds: keep the wire text for an exact round trip.
                code += [
                    "    else:",
                    f"        if len(v) > 20 and not {x}.microsecond: w = _add(w, {key}, v)",
                ]
            code += [
                f"elif v is None or v is _U: {x} = v",
                f"else: {x} = _bad_type({key}, v, {what!r})",
            ]
        elif p.kind == "decimal":
            code += [
                "if v.__class__ is str:",
                "    try:",
                f"        {x} = _D(v)",
                "    except Exception:",
                f"        {x}, w, bad = _slow_dec(v, {key}, w, bad)",
                "    else:",
                f"        if str({x}) != v: w = _add(w, {key}, v)",
                f"elif v is None or v is _U: {x} = v",
                f"else: {x}, w, bad = _slow_dec(v, {key}, w, bad)",
            ]
        else:  # pragma: no cover - _classify only yields the kinds above
            raise AssertionError(p.kind)
        body += ["    " + line for line in code]
    body += [
        "    if bad is None and o.keys() <= _KNOWN: ex = _EMPTY",
        "    else: ex = _extras(o, _KNOWN, bad)",
    ]
    setters = _slot_setters(cls) if is_model else None
    if setters is None:
        body.append(f"    r = _cls({', '.join([*kwargs, 'extras=ex'])})")
        if is_model:
            body.append("    if w is not None: _set_wire(r, w)")
    else:
        # The attrs __init__ of a frozen slots class parses ~80 keyword arguments and
        # calls object.__setattr__ per field; filling the slots directly is about twice
        # as fast (read models have no validators, converters or post-init hooks).
        exprs = dict(kwarg.split("=", 1) for kwarg in kwargs)
        exprs["extras"] = "ex"
        exprs["_wire"] = "_EMPTY if w is None else w"
        body.append("    r = _new(_cls)")
        ns["_new"] = object.__new__
        for j, (name, setter, default) in enumerate(setters):
            ns[f"S{j}"] = setter
            if name in exprs:
                body.append(f"    S{j}(r, {exprs[name]})")
            else:
                ns[f"D{j}"] = default
                body.append(f"    S{j}(r, D{j})")
    body.append("    return r")
    fn: Callable[[Any], Any] = _compile("structure", body, ns, cls)
    return fn


def _slot_setters(cls: type) -> list[tuple[str, Callable[[Any, Any], None], Any]] | None:
    """``(name, slot setter, default)`` per attrs field when instances of ``cls`` can be
    filled slot by slot with the same result as its ``__init__``; else ``None``."""
    if not attrs.has(cls) or "__slots__" not in cls.__dict__:
        return None
    if getattr(cls, "__attrs_post_init__", None) or getattr(cls, "__attrs_pre_init__", None):
        return None
    out: list[tuple[str, Callable[[Any, Any], None], Any]] = []
    for field in attrs.fields(cls):
        if field.validator is not None:
            return None
        if field.converter is not None and not (
            field.name == "extras" and field.converter is _freeze_extras
        ):
            return None
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            return None
        descriptor: Any = getattr(cls, field.name, None)
        if descriptor is None or type(descriptor).__name__ != "member_descriptor":
            return None
        out.append((field.name, descriptor.__set__, default))
    return out


def _make_unstructure(cls: type) -> Callable[[Any], dict[str, Any]]:
    plans = plans_for(cls)
    ns: dict[str, Any] = {
        "_U": UNSET,
        "_apply_wire": _apply_wire,
        "_plans": {p.key: p for p in plans},
    }
    body = ["def unstructure(obj):", "    out = {}"]
    for i, p in enumerate(plans):
        key = repr(p.key)
        if p.kind == "plain":
            expr = "v"
        else:
            ns[f"e{i}"] = _leaf_encoder(p)
            expr = f"v if v is None else e{i}(v)"
        body += [f"    v = obj.{p.name}", f"    if v is not _U: out[{key}] = {expr}"]
    if issubclass(cls, Model):
        body += ["    w = obj._wire", "    if w: _apply_wire(out, w, obj, _plans)"]
    body += [
        "    ex = obj.extras",
        "    if ex:",
        "        for k, v in ex.items():",
        "            if k not in out: out[k] = v",
        "    return out",
    ]
    fn: Callable[[Any], dict[str, Any]] = _compile("unstructure", body, ns, cls)
    return fn


def _leaf_encoder(plan: FieldPlan) -> Callable[[Any], Any]:
    """What ``unstructure`` does with a set, non-null value of a field of ``plan``'s kind
    (the write fast path in ``_payload`` encodes with the same functions)."""
    kind = plan.kind
    if kind in ("money", "model"):
        return _unstructure_fn(plan.arg)
    if kind == "model_list":
        item = _unstructure_fn(plan.arg)
        return lambda value: [item(e) for e in value]
    if kind == "enum":
        return _enum_value
    if kind == "datetime":
        return _formatter(plan.arg)
    if kind == "date":
        return _isoformat
    if kind == "decimal":
        return str
    if kind == "plain":
        return _identity
    raise AssertionError(kind)  # pragma: no cover


def _isoformat(value: date) -> str:
    return value.isoformat()


def _identity(value: Any) -> Any:
    return value


def _formatter(fmt: DateTimeFormat) -> Callable[[datetime], str]:
    def fmt_fn(value: datetime) -> str:
        return format_datetime(value, fmt)

    return fmt_fn


def _decode_leaf(plan: FieldPlan, raw: Any) -> Any:
    if plan.kind == "datetime":
        return parse_datetime(raw, plan.arg)
    if plan.kind == "date":
        return _date_fromiso(raw)
    if plan.kind == "decimal":
        return Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    return _MISS  # pragma: no cover - only these kinds keep wire text


def _apply_wire(out: dict[str, Any], wire: Mapping[str, Any], obj: Any, plans: Any) -> None:
    for key, raw in wire.items():
        plan: FieldPlan | None = plans.get(key)
        if plan is None or key not in out:
            continue
        current = getattr(obj, plan.name)
        if current is None or current is UNSET:
            continue
        try:
            again = _decode_leaf(plan, raw)
        except (ValueError, TypeError, ArithmeticError):  # pragma: no cover - parsed before
            continue
        if plan.kind == "decimal":
            same = again.as_tuple() == current.as_tuple()
        elif plan.kind == "datetime":
            same = again == current and again.utcoffset() == current.utcoffset()
        else:
            same = again == current
        if same:
            out[key] = raw


# ------------------------------------------------------------------------ error reporting


def _note_attr(exc: BaseException, cls: type, plan: FieldPlan) -> BaseException:
    exc.__notes__ = [
        AttributeValidationNote(
            f"Structuring class {cls.__qualname__} @ attribute {plan.key}",
            plan.key,
            plan.annotation,
        )
    ]
    return exc


def _diagnose_model(cls: type, data: Any) -> BaseException | None:
    if cls is Money:
        return _diagnose_money(data)
    if not isinstance(data, dict):
        return _LeafError(f"expected a JSON object for {cls.__name__}, got {_short(data)}")
    errors: list[BaseException] = []
    for plan in plans_for(cls):
        if plan.key not in data:
            continue
        try:
            problem = _diagnose_value(plan, data[plan.key])
        except Exception as exc:
            problem = exc
        if problem is not None:
            errors.append(_note_attr(problem, cls, plan))
    if not errors:
        return None
    return ClassValidationError(f"While structuring {cls.__name__}", errors, cls)  # type: ignore[arg-type]


def _diagnose_money(data: Any) -> BaseException | None:
    if not isinstance(data, dict):
        return _LeafError(f"expected a money object {{amount, code}}, got {_short(data)}")
    try:
        money_from_wire(data)
    except KeyError as exc:
        return _LeafError(f"money object lacks {exc.args[0]!r}: {_short(data)}")
    except (ArithmeticError, TypeError, ValueError):
        return _LeafError(f"invalid money amount {_short(data.get('amount'))}")
    return None


def _diagnose_list(item_cls: type, data: list[Any], type_: Any) -> BaseException | None:
    errors: list[BaseException] = []
    for index, item in enumerate(data):
        problem = _diagnose_model(item_cls, item)
        if problem is not None:
            problem.__notes__ = [
                IterableValidationNote(f"Structuring item @ index {index}", index, item_cls)
            ]
            errors.append(problem)
    if not errors:
        return None
    return IterableValidationError(f"While structuring {type_!r}", errors, list)  # type: ignore[arg-type]


def _diagnose_value(plan: FieldPlan, value: Any) -> BaseException | None:
    if value is None:
        return None
    kind = plan.kind
    if kind == "plain":
        return None
    if kind in ("money", "model"):
        return _diagnose_model(plan.arg, value)
    if kind == "model_list":
        if not isinstance(value, list):
            return _LeafError(f"expected a list, got {_short(value)}")
        return _diagnose_list(plan.arg, value, plan.annotation)
    if kind == "enum":
        base = int if issubclass(plan.arg, int) else str
        if type(value) is not base:
            return _LeafError(
                f"expected a {plan.arg.__name__} ({base.__name__}), got {_short(value)}"
            )
        return None
    if kind in ("datetime", "date"):
        if not isinstance(value, str):
            return _LeafError(f"expected a date/time string, got {_short(value)}")
        return None
    if kind == "decimal":
        if type(value) not in (str, int, float):
            return _LeafError(f"expected a decimal string or number, got {_short(value)}")
        return None
    return None  # pragma: no cover


def _format_exception(exc: BaseException, type_: type | None) -> str:
    if isinstance(exc, _LeafError):
        return str(exc)
    return _cattrs_format_exception(exc, type_)


def _decode_error(
    what: str, problem: BaseException | None, original: BaseException
) -> ModelDecodeError:
    if problem is None:  # the slow walk found nothing: report the fast path's error
        problem = original
    lines = transform_error(problem, "$", _format_exception)
    shown = lines[:20]
    more = f" (and {len(lines) - 20} more)" if len(lines) > 20 else ""
    error = ModelDecodeError(f"cannot decode {what}: " + "; ".join(shown) + more)
    error.__cause__ = problem if isinstance(problem, Exception) else original
    return error


# ------------------------------------------------------------------------------ public API


def _check_model_cls(model_cls: object) -> type:
    if not (
        isinstance(model_cls, type)
        and (issubclass(model_cls, Model | WriteModel) or model_cls is Money)
    ):
        raise TypeError(
            "model_cls must be a freshbooks_async model class (a Model subclass or Money), "
            f"got {model_cls!r}"
        )
    return model_cls


def decode(model_cls: type[M], data: Any) -> M:
    """Decode one JSON object (already parsed) into ``model_cls``.

    Args:
        model_cls: A :class:`Model` subclass (or :class:`Money`).
        data: The object, e.g. ``body["response"]["result"]["invoice"]``.

    Raises:
        TypeError: ``model_cls`` is not a model class.
        ModelDecodeError: ``data`` does not fit; the message lists each field path and value.
    """
    cls = _check_model_cls(model_cls)
    fn = _structure_fns.get(cls) or _structure_fn(cls)
    try:
        return fn(data)  # type: ignore[no-any-return]
    except Exception as exc:
        raise _decode_error(cls.__name__, _diagnose_model(cls, data), exc) from exc.__cause__


def decode_many(model_cls: type[M], items: Any) -> list[M]:
    """Decode a JSON list of objects (one page) into a list of ``model_cls``.

    Raises:
        TypeError: ``model_cls`` is not a model class.
        ModelDecodeError: ``items`` is not a list or an item does not fit; paths read
            ``$[index].field``.
    """
    cls = _check_model_cls(model_cls)
    fn = _structure_fns.get(cls) or _structure_fn(cls)
    if not isinstance(items, list):
        raise ModelDecodeError(f"cannot decode a list of {cls.__name__}: got {_short(items)}")
    try:
        return [fn(item) for item in items]
    except Exception as exc:
        problem = _diagnose_list(cls, items, list[cls])  # type: ignore[valid-type]
        raise _decode_error(f"list of {cls.__name__}", problem, exc) from exc.__cause__


def encode(obj: Any) -> dict[str, Any]:
    """Encode a model back to its JSON object (``encode(decode(cls, x)) == x``).

    Raises:
        TypeError: ``obj`` is not a model instance.
        ValueError: a timestamp attribute holds a naive datetime.
    """
    cls = type(obj)
    fn = _unstructure_fns.get(cls)
    if fn is None:
        _check_model_cls(cls)
        fn = _unstructure_fn(cls)
    return fn(obj)


def to_payload(obj: WriteModel) -> dict[str, Any]:
    """The JSON body fields of a create/update: only the fields that were set.

    The resource layer wraps the result in the singular key (``{"invoice": ...}``).

    Raises:
        TypeError: ``obj`` is not a :class:`WriteModel`.
    """
    if not isinstance(obj, WriteModel):
        raise TypeError(f"obj must be a write model (e.g. InvoiceCreate), got {type(obj).__name__}")
    return encode(obj)


def iter_decode(model_cls: type[M], items: Iterable[Any]) -> Iterable[M]:
    """Decode items lazily, one at a time (same errors as :func:`decode`)."""
    for item in items:
        yield decode(model_cls, item)


# --------------------------------------------------------------------------- the Converter


def _is_model_class(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, Model | WriteModel)


def _is_lenient_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, LenientIntEnum | LenientStrEnum)


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter()
    conv.register_structure_hook_factory(
        _is_model_class, lambda cls: lambda data, _t: decode(cls, data)
    )
    conv.register_unstructure_hook_factory(_is_model_class, lambda cls: encode)
    conv.register_structure_hook(Money, lambda data, _t: decode(Money, data))
    conv.register_unstructure_hook(Money, money_to_wire)
    conv.register_structure_hook_factory(_is_lenient_enum, lambda cls: lambda v, _t: cls(v))
    conv.register_unstructure_hook_factory(_is_lenient_enum, lambda cls: _enum_value)
    conv.register_structure_hook(datetime, lambda v, _t: parse_datetime(v))
    conv.register_unstructure_hook(datetime, format_datetime)
    conv.register_structure_hook(date, lambda v, _t: _date_fromiso(v))
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(Decimal, lambda v, _t: Decimal(v))
    conv.register_unstructure_hook(Decimal, str)
    return conv


converter: Final[cattrs.Converter] = _make_converter()
"""The SDK's one cattrs Converter: ``converter.structure(data, Invoice)`` and
``converter.unstructure(invoice)`` go through :func:`decode` and :func:`encode` (same
generated functions, same ``ModelDecodeError``), and it knows Money, timestamps, dates,
decimals and the lenient enums for ad-hoc use."""
