"""``to_payload(cls.from_dict(data))`` without building the write model.

Bulk creation validates every draft before the first POST (thousands of them), and
building an ``InvoiceCreate`` costs for each of its ~60 fields, set or not: attrs
``__init__``, the validation pass and the encoding all walk every field. The fast path
here walks only the keys the dict has, through the same per-field functions
(``_from_plain``, ``_check_value`` and the encoder of each field's kind), so a draft is
checked and encoded exactly as the model path would, at a fraction of the cost. The usual
values of plain, decimal, date and money fields (an exact accepted type, an ISO date
string, an ``{"amount", "code"}`` dict) skip the per-kind dispatch of those steps.
Measured on the bulk benchmark's drafts: 27 us with the model, 7 us through the three
steps, 4.8 us with the shortcuts (5,000 drafts in a bulk call: 47 ms -> 32 ms).

It takes only the plain case: a ``dict`` whose keys are field names, with no ``extras``,
no ``UNSET`` and nested write models given as dicts. Anything else, and any value the
checks reject, goes through the model path, which raises the usual error naming the
field and the value. So the result and the errors are those of the model path;
``tests/test_models_payload.py`` checks that on generated drafts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from ._base import WriteModel, _check_decimal, _check_value, _from_plain, _write_meta
from ._converter import _leaf_encoder, _unstructure_fn, to_payload
from ._fields import FieldPlan
from .common import MAX_DECIMAL, UNSET, Money

__all__ = ["payload_from_mapping"]

W = TypeVar("W", bound=WriteModel)

_FastFn = Callable[[dict[str, Any]], dict[str, Any] | None]

_MONEY_KEYS = frozenset({"amount", "code"})


class _Fallback(Exception):
    """Internal: the fast path does not handle this value; use the model path.

    Raised as a fresh instance each time: a shared one would keep its last traceback,
    and with it the frames (and the draft they reference) of the call that raised it.
    """


def payload_from_mapping(cls: type[W], data: Mapping[str, Any]) -> dict[str, Any]:
    """``to_payload(cls.from_dict(data))``: the same checks, errors and result.

    Raises:
        TypeError, ValueError: What :meth:`WriteModel.from_dict` raises for ``data``.
    """
    if data.__class__ is dict:
        try:
            out = _fast_fn(cls)(data)
        except Exception:  # the model path raises the error worth showing
            out = None
        if out is not None:
            return out
    return to_payload(cls.from_dict(data))


_fast_fns: dict[type, _FastFn] = {}


def _fast_fn(cls: type) -> _FastFn:
    fn = _fast_fns.get(cls)
    if fn is None:
        fn = _fast_fns[cls] = _make_fast(cls) if _plain_write_model(cls) else _never
    return fn


def _never(data: dict[str, Any]) -> None:
    return None


def _plain_write_model(cls: type) -> bool:
    """Whether building ``cls`` does only what the fast path reproduces: the base class's
    construction and checks, fields that default to ``UNSET``, no validators/converters."""
    if not (isinstance(cls, type) and issubclass(cls, WriteModel)):
        return False
    for name in ("__attrs_post_init__", "from_kwargs", "from_dict"):
        if next(k for k in cls.__mro__ if name in k.__dict__) is not WriteModel:
            return False
    if getattr(cls, "__attrs_pre_init__", None) is not None:
        return False
    for field in attrs.fields(cls):
        if field.name in ("extras", "_wire"):
            continue
        if field.default is not UNSET or not field.init:
            return False
        if field.validator is not None or field.converter is not None:
            return False
    return True


def _make_fast(cls: type) -> _FastFn:
    meta = _write_meta(cls)
    fields: dict[str, tuple[str, bool, Callable[[Any], Any]]] = {
        plan.name: (plan.key, plan.nullable, _converter_of(cls, plan)) for plan in meta.plans
    }
    required = frozenset(cls.REQUIRED)  # type: ignore[attr-defined]

    def fast(data: dict[str, Any]) -> dict[str, Any] | None:
        if not data.keys() >= required:
            return None
        out: dict[str, Any] = {}
        for name, value in data.items():
            field = fields.get(name)
            if field is None or value is UNSET:
                return None  # an unknown name, "extras", or UNSET: the model path decides
            key, nullable, convert = field
            if value is None:
                if not nullable:
                    return None
                out[key] = None
            else:
                out[key] = convert(value)
        return out

    return fast


def _converter_of(cls: type, plan: FieldPlan) -> Callable[[Any], Any]:
    """``value -> its encoding``, as from_dict (``_from_plain``), validation
    (``_check_value``) and to_payload (the field's encoder) would do it in turn."""
    kind = plan.kind
    nested = plan.arg if kind in ("model", "model_list") else None
    if nested is not None and isinstance(nested, type) and issubclass(nested, WriteModel):
        sub = _fast_fn(nested)
        unstructure = _unstructure_fn(nested)
        if kind == "model":

            def model(value: Any) -> Any:
                if value.__class__ is dict:
                    return _nested(sub, value)
                return unstructure(_check_value(cls, plan, value))

            return model

        def model_list(value: Any) -> Any:
            if value.__class__ is not list:
                raise _Fallback  # tuples, models mixed in...: the model path
            return [_nested(sub, item) for item in value]

        return model_list
    encode = _leaf_encoder(plan)

    def leaf(value: Any) -> Any:
        return encode(_check_value(cls, plan, _from_plain(cls, plan, value)))

    # The common values of the common kinds, without the per-kind dispatch of the three
    # steps; anything else takes ``leaf`` (the same result, or the same error).
    if kind == "plain" and plan.runtime is not None and plan.item_runtime is None:
        if "min" in plan.metadata:
            return leaf
        exact = frozenset(plan.runtime)  # bool only where allowed: exact classes match

        def plain(value: Any) -> Any:
            return value if value.__class__ in exact else leaf(value)

        return plain
    if kind == "decimal":  # _from_plain passes it on; _check_value is _check_decimal

        def decimal(value: Any) -> Any:
            return encode(_check_decimal(cls, plan, value))

        return decimal
    if kind == "date":

        def iso_date(value: Any) -> Any:
            if value.__class__ is str:
                try:
                    return encode(date.fromisoformat(value))
                except ValueError:
                    pass
            return leaf(value)

        return iso_date
    if kind == "money":

        def money(value: Any) -> Any:
            if value.__class__ is dict and value.keys() == _MONEY_KEYS:
                amount = value["amount"]
                code = value["code"]
                if amount.__class__ is str and code.__class__ is str:
                    # Money's checks without building one (what money_to_wire would
                    # give: the Decimal's str); anything they refuse takes Money itself.
                    number = _plain_amount(amount)
                    if number is not None and len(code) == 3 and code.isascii() and code.isalpha():
                        return {"amount": str(number), "code": code}
                return encode(Money(amount=amount, code=code))
            return leaf(value)

        return money
    return leaf


def _plain_amount(text: str) -> Decimal | None:
    """``text`` as a Money amount, or ``None`` when Money would refuse it (not a number,
    not finite, 10**18 or more in magnitude)."""
    try:
        number = Decimal(text)
    except ArithmeticError:
        return None
    if number.is_finite() and -MAX_DECIMAL < number < MAX_DECIMAL:
        return number
    return None


def _nested(sub: _FastFn, value: Any) -> dict[str, Any]:
    if value.__class__ is not dict:
        raise _Fallback
    out = sub(value)
    if out is None:
        raise _Fallback
    return out
