"""The one cattrs ``Converter`` of the SDK, with generated fast decode/encode functions.

Decoding a page is the hot path, so each model class gets a structure function generated
once (like ``cattrs.gen.make_dict_structure_fn``) that reads every key with one
``dict.get``, converts only money, timestamps, dates, decimals, enums and nested models,
and otherwise passes JSON values through untouched (no per-field validation). When that
function raises, the data is walked again slowly to build a cattrs exception group, which
``cattrs.transform_error`` turns into one line per failing field path and value inside a
:class:`~freshbooks_async.errors.ModelDecodeError`.

Round trips are exact: absent keys stay absent (read models record them, see
``Model.fields_set``; write models hold ``UNSET``), ``null`` stays ``null``,
unknown keys go to ``extras``, and a converted value whose canonical encoding would differ
from the wire text (a timestamp without ``Z``, an amount sent as a JSON number, an id sent
as ``"218192"``) keeps the original in the model, which encoding gives back while the
attribute still denotes it.

Values are checked strictly (the docs' "Models and decoding" page): a value of the wrong
JSON type (``"abc"`` or ``1.5`` for an int, ``17`` for a string), money or a decimal
that is not finite or not below 10**18 in magnitude, and a malformed money object raise
:class:`~freshbooks_async.errors.ModelDecodeError` naming the field path and value. The one
lenient case is a timestamp or date string that does not parse: the field reads as absent,
the text is kept in ``extras`` and a :class:`~freshbooks_async.errors.ModelDataWarning`
names it (the official Python SDK's own fixtures carry such values).
"""

from __future__ import annotations

import contextlib
import enum
import functools
import itertools
import re
import warnings
from collections import OrderedDict
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

from ..errors import ModelDataWarning, ModelDecodeError
from ._base import Model, WriteModel, _fillers, _freeze_extras, _raw_set
from ._fields import RESERVED, FieldPlan, plans_for
from .common import (
    EASTERN,
    EMPTY_MAPPING,
    MAX_DECIMAL,
    UNSET,
    DateTimeFormat,
    LenientIntEnum,
    LenientStrEnum,
    Money,
    check_amount,
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


def _fast_local(s: str) -> datetime:
    """``YYYY-MM-DDTHH:MM:SS[.ffffff]`` -> naive wall time (other shapes: slow path)."""
    n = len(s)
    if (n == 19 or (n == 26 and s[19] == ".")) and s[10] == "T" and s[4] == "-":
        d = _fromiso(s)
        if d.tzinfo is None:
            return d
    raise _NotCanonical


_FAST_DT: Final[dict[DateTimeFormat, Callable[[str], datetime]]] = {
    DateTimeFormat.ACCOUNTING: _fast_accounting,
    DateTimeFormat.ACCOUNTING_UTC: _fast_accounting_utc,
    DateTimeFormat.ISO: _fast_iso,
    DateTimeFormat.LOCAL: _fast_local,
}


def parse_datetime(value: str, fmt: DateTimeFormat = DateTimeFormat.ISO) -> datetime:
    """Parse a FreshBooks timestamp into an aware datetime.

    Any ISO 8601 shape Python accepts is read; a value without an offset is taken as
    US/Eastern wall time for ``ACCOUNTING``, stays naive for ``LOCAL`` (its zone is in
    another field) and is taken as UTC otherwise (docs/protocol.rst, "Other wire facts").

    Raises:
        TypeError: ``value`` is not a str or ``fmt`` not a DateTimeFormat.
        ValueError: ``value`` is not a timestamp.
    """
    if not isinstance(value, str):
        raise TypeError(f"value must be a str, got {value!r} ({type(value).__name__})")
    if not isinstance(fmt, DateTimeFormat):
        raise TypeError(f"fmt must be a DateTimeFormat, got {fmt!r}")
    d = _fromiso(value)
    if d.tzinfo is None and fmt is not DateTimeFormat.LOCAL:
        d = d.replace(tzinfo=EASTERN if fmt is DateTimeFormat.ACCOUNTING else UTC)
    return d


def format_datetime(value: datetime, fmt: DateTimeFormat = DateTimeFormat.ISO) -> str:
    """Write an aware datetime the way FreshBooks does for ``fmt``.

    ``ACCOUNTING``: ``YYYY-MM-DD HH:MM:SS`` in US/Eastern; ``ACCOUNTING_UTC``: the same in
    UTC; ``ISO``: ``YYYY-MM-DDTHH:MM:SSZ``; ``LOCAL``: ``YYYY-MM-DDTHH:MM:SS`` as given (a
    naive wall time). Microseconds are written only when non-zero.

    Raises:
        TypeError: ``value`` is not a datetime or ``fmt`` not a DateTimeFormat.
        ValueError: ``value`` is naive (no time zone) and ``fmt`` is not ``LOCAL``.
    """
    if not isinstance(value, datetime):
        raise TypeError(f"value must be a datetime, got {value!r} ({type(value).__name__})")
    if fmt is DateTimeFormat.LOCAL:
        return value.isoformat()
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


def _warn_bad(cls: type, bad: Mapping[str, Any]) -> None:
    for key, value in bad.items():
        warnings.warn(
            f"{cls.__name__}.{key}: {_short(value)} is not a valid date or timestamp; "
            f"the field reads as absent and the text is kept in extras[{key!r}]",
            ModelDataWarning,
            stacklevel=4,
        )


def _slow_dec(
    value: Any, key: str, wire: dict[str, Any] | None
) -> tuple[Decimal | None, dict[str, Any] | None]:
    cls = value.__class__
    if cls is str:
        if not value:  # "" (an item's untracked inventory): no number, written back as ""
            return None, _add(wire, key, value)
        try:
            number = Decimal(value)
        except ArithmeticError:
            raise _LeafError(f"expected a decimal number, got {_short(value)}") from None
    elif cls is int:
        number = Decimal(value)
    elif cls is float:
        number = Decimal(repr(value))
    else:
        raise _LeafError(f"expected a decimal string or number, got {_short(value)}")
    try:
        check_amount(number)
    except ValueError as exc:
        raise _LeafError(f"expected a decimal that {exc}, got {_short(value)}") from None
    return number, _add(wire, key, value)


def _bad_type(key: str, value: Any, expected: str) -> Any:
    raise _LeafError(f"expected {expected}, got {_short(value)}")


def _short(value: Any) -> str:
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{text} ({type(value).__name__})"


#: Classes the generated code tests with ``is`` (what JSON decoding produces).
_FAST_CLASSES: Final = frozenset({str, int, float, bool, dict, list})

#: Digit strings an int field accepts: the official SDKs' own fixtures send some ids as
#: ``"218192"``. At most 30 digits (no id is longer; bounds the int() conversion).
_INT_TEXT = re.compile(r"-?[0-9]{1,30}")


def _expected_plain(plan: FieldPlan) -> str:
    runtime = plan.runtime or ()
    names = sorted({_JSON_NAMES.get(t, t.__name__) for t in runtime})
    return " or ".join(names)


_JSON_NAMES: Final[dict[type, str]] = {
    dict: "an object",
    Mapping: "an object",
    list: "a list",
    tuple: "a list",
    str: "a string",
    int: "an int",
    float: "a number",
    bool: "a bool",
}


def _plain(plan: FieldPlan, value: Any, wire: dict[str, Any] | None) -> tuple[Any, Any]:
    """Check a plain value whose class is not one the fast path accepts outright.

    Returns the value to store and the updated wire dict. An int field accepts a string
    of digits (its text is kept, so the value is written back as sent); any other value
    of another type raises :class:`_LeafError` naming it.
    """
    runtime = plan.runtime
    if runtime is None:
        return value, wire
    cls = value.__class__
    if cls is bool:
        if bool in runtime:
            return value, wire
    elif isinstance(value, runtime):
        if plan.item_runtime is not None:
            _check_items(plan, value)
        return value, wire
    elif cls is str and int in runtime and _INT_TEXT.fullmatch(value):
        return int(value), _add(wire, plan.key, value)
    raise _LeafError(f"expected {_expected_plain(plan)}, got {_short(value)}")


def _check_items(plan: FieldPlan, items: Any) -> None:
    allowed = plan.item_runtime or ()
    for index, item in enumerate(items):
        if (item.__class__ is bool and bool not in allowed) or not isinstance(item, allowed):
            raise _LeafError(
                f"item {index}: expected {' or '.join(sorted(t.__name__ for t in allowed))}, "
                f"got {_short(item)}"
            )


def _absent_or_null(plan: FieldPlan, value: Any, absent: list[str] | None) -> tuple[Any, Any]:
    """A read-model field whose key is absent (``value`` is UNSET) or ``null``: the value
    to store and the list of absent field names.

    Raises:
        _LeafError: the field is required and absent, or ``null`` and not nullable.
    """
    if value is UNSET:
        if plan.required:
            raise _LeafError("required field is absent (FreshBooks always sends it)")
        if absent is None:
            absent = []
        absent.append(plan.name)
        return ([] if plan.empty_list else None), absent
    if not plan.nullable:
        raise _LeafError(f"expected {_describe(plan)}, got None (null)")
    return None, absent


def _unparsed(plan: FieldPlan, value: Any, absent: list[str] | None) -> tuple[Any, Any]:
    """A read-model timestamp or date whose text does not parse: an optional field reads
    as absent (the text goes to extras, with a warning); a required one is an error."""
    if plan.required:
        raise _LeafError(f"expected {_describe(plan)}, got {_short(value)}")
    if absent is None:
        absent = []
    absent.append(plan.name)
    return None, absent


def _keep(plan: FieldPlan, value: Any, absent: list[str] | None) -> tuple[Any, Any]:
    """Write models: an absent key stays UNSET and ``null`` stays ``None``."""
    return value, absent


def _describe(plan: FieldPlan) -> str:
    if plan.kind == "plain":
        return _expected_plain(plan) or "a value"
    return {
        "money": "a money object",
        "model": "a JSON object",
        "model_list": "a list",
        "enum": "an enum value",
        "datetime": "a date-time string",
        "date": "a YYYY-MM-DD date string",
        "decimal": "a decimal string or number",
    }[plan.kind]


#: Interned frozensets of absent field names: the rows of a page share a few shapes.
_ABSENT_SETS: dict[tuple[str, ...], frozenset[str]] = {}
_EMPTY_SET: Final[frozenset[str]] = frozenset()


def _absent_set(names: list[str] | None) -> frozenset[str]:
    if not names:
        return _EMPTY_SET
    key = tuple(names)
    found = _ABSENT_SETS.get(key)
    if found is None:
        if len(_ABSENT_SETS) >= 1024:
            _ABSENT_SETS.clear()
        found = _ABSENT_SETS[key] = frozenset(names)
    return found


def _extras(data: Mapping[str, Any], known: frozenset[str], bad: dict[str, Any] | None) -> Any:
    out = {k: _extra_value(v) for k, v in data.items() if k not in known}
    if bad:
        out.update(bad)
    return out or EMPTY_MAPPING


def _extra_value(value: Any) -> Any:
    """An unknown key's value: kept as sent, except a money object, which becomes Money."""
    if value.__class__ is dict and len(value) == 2 and "amount" in value and "code" in value:
        try:
            return money_from_wire(value)
        except (ArithmeticError, TypeError, ValueError, KeyError):
            return value
    return value


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
        "_plain": _plain,
        "_warn_bad": _warn_bad,
        "_LO": -MAX_DECIMAL,
        "_HI": MAX_DECIMAL,
        "_NotCanonical": _NotCanonical,
        "_fast_date": _fast_date,
        "_bad_type": _bad_type,
        "_extras": _extras,
        "_add": _add,
        "_set_wire": _set_wire,
    }
    ns["_an"] = _absent_or_null if is_model else _keep
    ns["_unparsed"] = _unparsed if is_model else _keep
    ns["_fs"] = _absent_set
    body = ["def structure(o):", "    g = o.get", "    w = None", "    bad = None", "    ab = []"]
    body.append("    aa = ab.append")
    kwargs: list[str] = []
    for i, p in enumerate(plans):
        key = repr(p.key)
        x = f"x{i}"
        ns[f"P{i}"] = p
        kwargs.append(f"{p.name}={x}")
        code = [f"v = g({key}, _U)"]
        # null and an absent key, inline where nothing is refused (a helper raises).
        refuse = f"{x}, ab = _an(P{i}, v, ab)"
        null = refuse if is_model and not p.nullable else f"{x} = None"
        if not is_model:
            absent = f"{x} = v"
        elif p.required:
            absent = refuse
        else:
            absent = f"{x} = {'[]' if p.empty_list else 'None'}; aa({p.name!r})"
        # Each kind tests the value's class once on the common path; anything else (an
        # absent key, null, a value to convert or to refuse) goes to a helper.
        if p.kind == "plain" and p.runtime is None:
            code += [f"if v is _U: {absent}", f"else: {x} = v"]
        elif p.kind == "plain":
            fast = [t for t in p.runtime or () if t in _FAST_CLASSES]
            if p.item_runtime is not None or not fast:
                test = "True"
            else:
                for t in fast:
                    ns[f"T{i}_{t.__name__}"] = t
                test = " and ".join(f"v.__class__ is not T{i}_{t.__name__}" for t in fast)
            code += [
                f"if {test}:",
                f"    if v is None: {null}",
                f"    elif v is _U: {absent}",
                f"    else: {x}, w = _plain(P{i}, v, w)",
                f"else: {x} = v",
            ]
        elif p.kind in ("money", "model"):
            ns[f"s{i}"] = _structure_fn(p.arg)
            code += [
                f"if v.__class__ is dict: {x} = s{i}(v)",
                f"elif v is None: {null}",
                f"elif v is _U: {absent}",
                f"else: {x} = _bad_type({key}, v, 'a JSON object')",
            ]
        elif p.kind == "model_list":
            ns[f"s{i}"] = _structure_fn(p.arg)
            code += [
                f"if v.__class__ is list: {x} = [s{i}(e) for e in v]",
                f"elif v is None: {null}",
                f"elif v is _U: {absent}",
                f"else: {x} = _bad_type({key}, v, 'a list')",
            ]
        elif p.kind == "enum":
            ns[f"m{i}"] = {member.value: member for member in p.arg}
            ns[f"e{i}"] = p.arg
            base = "int" if issubclass(p.arg, int) else "str"
            code += [
                f"{x} = m{i}.get(v, _MISS) if v.__class__ is {base} else _MISS",
                f"if {x} is _MISS:",
                f"    if v is None: {null}",
                f"    elif v is _U: {absent}",
                f"    else: {x} = e{i}(v)",
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
                f"        if {x} is _U: {x}, ab = _unparsed(P{i}, v, ab)",
            ]
            if p.kind == "datetime":
                # ".000000" (FreshBooks' invoice `version`) is not what encoding writes
                # for zero microseconds: keep the wire text for an exact round trip.
                code += [
                    "    else:",
                    f"        if len(v) > 20 and not {x}.microsecond: w = _add(w, {key}, v)",
                ]
            code += [
                f"elif v is None: {null}",
                f"elif v is _U: {absent}",
                f"else: {x} = _bad_type({key}, v, {what!r})",
            ]
        elif p.kind == "decimal":
            code += [
                "if v.__class__ is str:",
                "    try:",
                f"        {x} = _D(v)",
                f"        if not _LO < {x} < _HI: raise _NotCanonical",
                "    except Exception:",
                f"        {x}, w = _slow_dec(v, {key}, w)",
                "    else:",
                f"        if str({x}) != v: w = _add(w, {key}, v)",
                f"elif v is None: {null}",
                f"elif v is _U: {absent}",
                f"else: {x}, w = _slow_dec(v, {key}, w)",
            ]
        else:  # pragma: no cover - _classify only yields the kinds above
            raise AssertionError(p.kind)
        body += ["    " + line for line in code]
    body += [
        "    if bad is None and o.keys() <= _KNOWN: ex = _EMPTY",
        "    else:",
        "        ex = _extras(o, _KNOWN, bad)",
        "        if bad is not None: _warn_bad(_cls, bad)",
    ]
    setters = _slot_setters(cls) if is_model else None
    if setters is None:
        extra_kwargs = ["extras=ex", "_absent=_fs(ab)"] if is_model else ["extras=ex"]
        body.append(f"    r = _cls({', '.join([*kwargs, *extra_kwargs])})")
        if is_model:
            body.append("    if w is not None: _set_wire(r, w)")
    else:
        # The attrs __init__ of a frozen slots class parses ~80 keyword arguments and
        # calls object.__setattr__ per field; filling the slots directly is about twice
        # as fast (read models have no validators, converters or post-init hooks).
        exprs = dict(kwarg.split("=", 1) for kwarg in kwargs)
        exprs["extras"] = "ex"
        exprs["_wire"] = "_EMPTY if w is None else w"
        exprs["_absent"] = "_fs(ab)"
        body[0] = "def structure(o, r=None):"  # r: a lazily decoded instance to fill
        body.append("    if r is None: r = _new(_cls)")
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


# ------------------------------------------------------------------ lazy decoding


_check_fns: dict[type, Callable[[Any], bool]] = {}
_lazy_fns: dict[type, Callable[[Any], Any]] = {}
_JSON_CLASSES: Final = (str, int, float, bool, dict, list)


class _Refused(Exception):
    """Internal: a value the eager decoder must look at (it may raise or warn)."""


def _money_check(v: Any) -> None:
    """Raise unless ``money_from_wire`` takes the JSON object ``v`` on its fast path."""
    a = v.get("amount")
    if len(v) != 2 or v.get("code").__class__ is not str:
        raise _Refused
    if a.__class__ is not str:
        if a.__class__ is not int or not _LO < a < _HI:  # (an amount sent as a JSON int)
            raise _Refused
    elif a not in _GOOD_AMOUNTS and not _amount_ok(a):
        raise _Refused


def _amount_ok(a: str) -> bool:
    """Whether the amount string ``a`` is a finite decimal in range (remembered if so)."""
    if not _LO < Decimal(a) < _HI:  # NaN raises InvalidOperation
        return False
    if len(_GOOD_AMOUNTS) >= 4096:
        _GOOD_AMOUNTS.clear()
    _GOOD_AMOUNTS.add(a)  # a listing repeats the same few amounts ("0.00")
    return True


#: Amount strings known to be finite decimals in range (bounded: cleared when full).
_GOOD_AMOUNTS: set[str] = set()

#: Date and timestamp strings known to parse (bounded: cleared when full). A listing
#: repeats the same few dates; a set lookup costs a fraction of a parse.
_GOOD_DATES: set[str] = set()
_GOOD_DATETIMES: set[str] = set()


def _date_ok(v: str) -> None:
    """Raise ``ValueError`` unless ``v`` is a date the decoder parses (remembered if so)."""
    _date_fromiso(v)
    if len(_GOOD_DATES) >= 4096:
        _GOOD_DATES.clear()
    _GOOD_DATES.add(v)


def _datetime_ok(v: str) -> None:
    """Raise ``ValueError`` unless ``v`` is a timestamp the decoder parses (remembered)."""
    _fromiso(v)
    if len(_GOOD_DATETIMES) >= 4096:
        _GOOD_DATETIMES.clear()
    _GOOD_DATETIMES.add(v)


_LO: Final = -MAX_DECIMAL
_HI: Final = MAX_DECIMAL


def _never(_data: Any) -> bool:
    return False


def _check_fn(cls: type) -> Callable[[Any], bool]:
    fn = _check_fns.get(cls)
    if fn is None:
        if cls is Money:
            fn = _money_ok
        elif not issubclass(cls, Model):
            fn = _never
        else:
            fn = _make_check(cls)
        _check_fns[cls] = fn
    return fn


def _money_ok(v: Any) -> bool:
    try:
        _money_check(v)
    except (_Refused, ArithmeticError):
        return False
    return True


def _ok_classes(plan: FieldPlan) -> frozenset[type]:
    """The JSON classes a non-null value of ``plan``'s field may have without the eager
    decoder raising or warning (its value may need a further check, see ``_value_check``)."""
    kind = plan.kind
    if kind == "plain":
        runtime = plan.runtime
        if runtime is None:
            return frozenset(_JSON_CLASSES)
        return frozenset(
            c for c in _JSON_CLASSES if (bool in runtime if c is bool else issubclass(c, runtime))
        )
    if kind == "enum":
        return frozenset({int if issubclass(plan.arg, int) else str})
    if kind in ("money", "model"):
        return frozenset({dict})
    if kind == "model_list":
        return frozenset({list})
    return frozenset({str})  # datetime, date, decimal


def _value_check(plan: FieldPlan, i: int, ns: dict[str, Any]) -> list[str]:
    """Lines checking ``v``, of a class ``_ok_classes`` allows, beyond its class (they
    ``return False`` or raise what the shape check catches)."""
    kind = plan.kind
    if kind == "plain":
        if plan.item_runtime is None:
            return []
        ns[f"P{i}"] = plan
        return [f"_plain(P{i}, v, None)"]  # raises _LeafError
    if kind == "money":  # what money_from_wire takes on its fast path
        return [
            "if len(v) != 2 or type(v.get('code')) is not str: return False",
            "a = v.get('amount')",
            "if a not in _GOOD:",  # a listing repeats the same few amounts ("0.00")
            "    if type(a) is str:",
            "        if not _amount_ok(a): return False",
            "    elif type(a) is not int or not _LO < a < _HI: return False",
        ]
    if kind == "model":
        ns[f"c{i}"] = _check_fn(plan.arg)
        return [f"if not c{i}(v): return False"]
    if kind == "model_list":
        ns[f"c{i}"] = _check_fn(plan.arg)
        return ["for e in v:", f"    if type(e) is not dict or not c{i}(e): return False"]
    if kind == "datetime":
        return ["if v not in _GDT: _datetime_ok(v)"]  # raises ValueError if it does not parse
    if kind == "date":
        return ["if v not in _GD: _date_ok(v)"]
    if kind == "decimal":
        return ["if v not in _GOOD and not _amount_ok(v): return False"]  # NaN, "" raise
    return []  # enum: its class is all


def _make_shape_check(cls: type, keys: frozenset[str]) -> Callable[[Any], bool | None]:
    """``check(o)`` for the JSON objects of ``cls`` whose keys are exactly ``keys``:
    ``None`` if ``o`` has other keys, else whether its values pass. Generated code that
    checks just those keys' values, one after the other, with no per-field dispatch
    (like ``_make_structure``)."""
    all_plans = plans_for(cls)
    plans = [p for p in all_plans if p.key in keys]
    missing = any(p.required and p.key not in keys for p in all_plans)
    ns: dict[str, Any] = {
        "_plain": _plain,
        "_GOOD": _GOOD_AMOUNTS,
        "_amount_ok": _amount_ok,
        "_LO": _LO,
        "_HI": _HI,
        "_GD": _GOOD_DATES,
        "_GDT": _GOOD_DATETIMES,
        "_date_ok": _date_ok,
        "_datetime_ok": _datetime_ok,
        "_Refused": _Refused,
        "_LeafError": _LeafError,
        "NoneType": type(None),
    }
    # Each key of the shape is read (a KeyError: another shape) or looked up, so that
    # with the same number of keys, ``o`` has exactly these keys.
    body = ["def check(o):", "    try:", f"        if len(o) != {len(keys)}: return None"]
    unread = sorted(keys - {p.key for p in plans})
    everything = frozenset(_JSON_CLASSES)
    for i, p in enumerate(plans):
        ok = _ok_classes(p)
        more = _value_check(p, i, ns)
        key = repr(p.key)
        names = sorted(c.__name__ for c in ok)
        if missing or (ok == everything and not more):
            if p.nullable or missing:
                unread.append(p.key)  # any JSON value (and null where allowed) is kept
            else:
                body.append(f"        if o[{key}] is None: return False")
        elif not more:
            if len(names) == 1 and not p.nullable:
                body.append(f"        if type(o[{key}]) is not {names[0]}: return False")
            elif len(names) == 1:
                body += [
                    f"        v = o[{key}]",
                    f"        if type(v) is not {names[0]} and v is not None: return False",
                ]
            else:
                if p.nullable:
                    names.append("NoneType")
                test = " and ".join(f"t is not {n}" for n in names)
                body += [f"        t = type(o[{key}])", f"        if {test}: return False"]
        else:
            (name,) = names  # kinds with a value check accept one JSON class
            lines = [f"if type(v) is not {name}: return False", *more]
            body.append(f"        v = o[{key}]")
            if p.nullable:
                body.append("        if v is not None:")
                body += ["            " + line for line in lines]
            else:
                body += ["        " + line for line in lines]
    body += [f"        if {k!r} not in o: return None" for k in unread]
    body += [
        f"        return {not missing}",
        "    except KeyError:",
        "        return None",
        "    except (_Refused, _LeafError, ArithmeticError, ValueError, TypeError):",
        "        return False",
    ]
    fn: Callable[[Any], bool | None] = _compile("check", body, ns, cls)
    return fn


#: Generated checks by (read-model class, the keys of the JSON object): at most
#: ``_SHAPES_SIZE``, the least recently used dropped first, so that payloads of ever new
#: shapes cannot grow it without limit.
_shape_fns: OrderedDict[tuple[type, frozenset[str]], Callable[[Any], bool | None]] = OrderedDict()
_SHAPES_SIZE: Final = 256


def _shape_check(cls: type, keys: frozenset[str]) -> Callable[[Any], bool | None]:
    shape = (cls, keys)
    fn = _shape_fns.get(shape)
    if fn is None:
        fn = _make_shape_check(cls, keys)
        _shape_fns[shape] = fn
        while len(_shape_fns) > _SHAPES_SIZE:
            with contextlib.suppress(KeyError):  # (another thread dropped it first)
                _shape_fns.popitem(last=False)
    else:
        with contextlib.suppress(KeyError):
            _shape_fns.move_to_end(shape)
    return fn


def _other_shape(_o: Any) -> bool | None:
    return None


def _make_check(cls: type) -> Callable[[Any], bool]:
    """``check(o) -> bool`` of one read-model class: whether its generated decode function
    takes the JSON object ``o`` on its fast path, so that building it later cannot raise
    nor warn (a ``False`` sends ``o`` to the eager decoder, which raises or warns as
    ``decode`` does, or decodes a rarer shape, such as an id sent as a digit string).

    It builds nothing. The rows of a page share their keys: the check generated for
    their shape (``_shape_check``) is looked up once, then tried first on the next row
    (it answers ``None`` for an object of other keys).
    """
    last: list[Callable[[Any], bool | None]] = [_other_shape]  # one item: atomic

    def check(o: dict[str, Any]) -> bool:
        ok = last[0](o)
        if ok is None:
            fn = _shape_check(cls, frozenset(o))
            last[0] = fn
            ok = fn(o)
        return ok is True

    return check


def _lazy_decoder(cls: type[M]) -> Callable[[Any], M]:
    """The SDK's decode of its own parsed JSON (a response body): like ``decode(cls, o)``
    (same errors, same warnings, raised here) but, for a read model whose object passes
    the check, returning an instance whose fields are built on first access
    (docs/models.rst, "Lazy decoding"). The object must not change afterwards.
    """
    fn = _lazy_fns.get(cls)
    if fn is not None:
        return fn
    _check_model_cls(cls)
    if cls is Money or not issubclass(cls, Model) or _slot_setters(cls) is None:
        fn = functools.partial(decode, cls)
    else:
        check = _check_fn(cls)
        _fillers[cls] = _deferred_fill(cls)
        new = object.__new__

        def lazy(data: Any) -> Any:
            if data.__class__ is dict and check(data):
                r = new(cls)
                _raw_set(r, data)
                return r
            return decode(cls, data)

        fn = lazy
    _lazy_fns[cls] = fn
    return fn


def _deferred_fill(cls: type) -> Callable[[Any, Any], Any]:
    """``cls``'s filler, generated on its first use: a caller that never reads a field
    (a bulk create keeps only the id) never pays for generating it."""

    def fill(data: Any, obj: Any) -> Any:
        real: Callable[..., Any] = _structure_fn(cls)
        _fillers[cls] = real  # (two threads may both generate it: the same function)
        return real(data, obj)

    return fill


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
        if isinstance(default, attrs.Factory) and field.name in RESERVED:  # type: ignore[arg-type]
            return None  # (a field's own default is never used: decoding sets every field)
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
        "_Money": Money,
        "_mw": money_to_wire,
    }
    is_model = issubclass(cls, Model)
    body = ["def unstructure(obj):", "    out = {}"]
    if is_model:
        body.append("    ab = obj._absent")
    for i, p in enumerate(plans):
        key = repr(p.key)
        name = repr(p.name)
        body.append(f"    v = obj.{p.name}")
        if p.kind == "plain":
            value = "v"
        else:
            ns[f"e{i}"] = _leaf_encoder(p)
            value = f"e{i}(v)"
        if not is_model:
            expr = "v" if p.kind == "plain" else f"v if v is None else {value}"
            body.append(f"    if v is not _U: out[{key}] = {expr}")
        elif p.required:
            body.append(f"    out[{key}] = None if v is None else {value}")
        elif p.empty_list:
            # Absent reads as []: written only if set, or if the key was there.
            body += [
                f"    if v or (ab is not None and {name} not in ab):",
                f"        out[{key}] = None if v is None else {value}",
            ]
        else:
            # None is written as null only when the key was there (fields_set).
            body += [
                f"    if v is not None: out[{key}] = {value}",
                f"    elif ab is not None and {name} not in ab: out[{key}] = None",
            ]
    if is_model:
        body += ["    w = obj._wire", "    if w: _apply_wire(out, w, obj, _plans)"]
    body += [
        "    ex = obj.extras",
        "    if ex:",
        "        for k, v in ex.items():",
        "            if k not in out: out[k] = _mw(v) if v.__class__ is _Money else v",
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
    if plan.kind == "plain":
        return int(raw)
    return _MISS  # pragma: no cover - only these kinds keep wire text


def _apply_wire(out: dict[str, Any], wire: Mapping[str, Any], obj: Any, plans: Any) -> None:
    for key, raw in wire.items():
        plan: FieldPlan | None = plans.get(key)
        if plan is None or key not in out:
            continue
        current = getattr(obj, plan.name)
        if current is None:
            if raw == "" and plan.kind == "decimal":
                out[key] = raw
            continue
        try:
            again = _decode_leaf(plan, raw)
        except (ValueError, TypeError, ArithmeticError):  # pragma: no cover - parsed before
            continue
        if plan.kind == "decimal":
            same = again.as_tuple() == current.as_tuple()
        elif plan.kind == "plain":
            same = again == current and current.__class__ is int
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
    is_model = issubclass(cls, Model)
    for plan in plans_for(cls):
        problem: BaseException | None
        if plan.key not in data:
            if not (is_model and plan.required):
                continue
            problem = _LeafError("required field is absent (FreshBooks always sends it)")
        elif data[plan.key] is None and is_model and not plan.nullable:
            problem = _LeafError(f"expected {_describe(plan)}, got None (null)")
        else:
            try:
                problem = _diagnose_value(plan, data[plan.key])
            except Exception as exc:
                problem = exc
            if problem is None and is_model and plan.required:
                problem = _diagnose_required_text(plan, data[plan.key])
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
    except (ArithmeticError, TypeError, ValueError) as exc:
        why = f" (an amount {exc})" if isinstance(exc, ValueError) and str(exc) else ""
        return _LeafError(f"invalid money amount {_short(data.get('amount'))}{why}")
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
    try:
        if kind == "plain":
            _plain(plan, value, None)
        elif kind in ("money", "model"):
            return _diagnose_model(plan.arg, value)
        elif kind == "model_list":
            if not isinstance(value, list):
                return _LeafError(f"expected a list, got {_short(value)}")
            return _diagnose_list(plan.arg, value, plan.annotation)
        elif kind == "enum":
            base = int if issubclass(plan.arg, int) else str
            if type(value) is not base:
                return _LeafError(
                    f"expected a {plan.arg.__name__} ({base.__name__}), got {_short(value)}"
                )
        elif kind in ("datetime", "date"):
            if not isinstance(value, str):
                return _LeafError(f"expected a date/time string, got {_short(value)}")
        elif kind == "decimal":
            _slow_dec(value, plan.key, None)
    except _LeafError as exc:
        return exc
    return None


def _diagnose_required_text(plan: FieldPlan, value: Any) -> BaseException | None:
    """A required timestamp or date must parse (an optional one is lenient)."""
    if plan.kind not in ("datetime", "date") or not isinstance(value, str):
        return None
    _, _, bad = (
        _slow_dt(value, plan.arg, plan.key, None, None)
        if plan.kind == "datetime"
        else _slow_date(value, plan.key, None, None)
    )
    if bad:
        return _LeafError(f"expected {_describe(plan)}, got {_short(value)}")
    return None


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
    except ModelDataWarning:  # warnings turned into errors by the caller's filters
        raise
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
    except ModelDataWarning:
        raise
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
