"""Sample JSON objects of read models (for tests that stub FreshBooks' answers)."""

from __future__ import annotations

from typing import Any

from ._base import Model
from ._fields import FieldPlan, plans_for
from .common import DateTimeFormat

__all__ = ["sample_json"]

_STAMPS = {
    DateTimeFormat.ACCOUNTING: "2024-01-05 10:00:00",
    DateTimeFormat.ACCOUNTING_UTC: "2024-01-05 15:00:00",
    DateTimeFormat.ISO: "2024-01-05T15:00:00Z",
    DateTimeFormat.LOCAL: "2024-01-05T10:00:00",
}
_PLAIN: dict[type, Any] = {int: 1, str: "", bool: False, float: 0, list: [], dict: {}}


def sample_json(model_cls: type[Model], /, **fields: Any) -> dict[str, Any]:
    """A JSON object that decodes into ``model_cls``: every field FreshBooks always sends
    on it (its required fields), with a sample value, then ``fields`` (JSON keys) on top.

    Use it to stub an answer with a :class:`~freshbooks_async.testing.Router`::

        invoice = sample_json(Invoice, id=7, invoice_number="0000007")
        router.get(path, Router.json({"response": {"result": {"invoice": invoice}}}))

    Args:
        model_cls: A read model class (``Invoice``, ``Client``...).
        **fields: JSON keys and values to set (they win over the samples).

    Raises:
        TypeError: ``model_cls`` is not a read model class.
    """
    if not (isinstance(model_cls, type) and issubclass(model_cls, Model)):
        raise TypeError(f"model_cls: expected a read model class, got {model_cls!r}")
    out = {plan.key: _sample(plan) for plan in plans_for(model_cls) if plan.required}
    out.update(fields)
    return out


def _sample(plan: FieldPlan) -> Any:
    kind = plan.kind
    if kind == "money":
        return {"amount": "0.00", "code": "USD"}
    if kind == "model":
        return sample_json(plan.arg)
    if kind == "model_list":
        return []
    if kind == "datetime":
        return _STAMPS[plan.arg]
    if kind == "date":
        return "2024-01-05"
    if kind == "decimal":
        return "0"
    if kind == "enum":
        return next(iter(plan.arg)).value
    for runtime in plan.runtime or ():
        if runtime in _PLAIN:
            value = _PLAIN[runtime]
            return (
                list(value)
                if isinstance(value, list)
                else dict(value)
                if isinstance(value, dict)
                else value
            )
    return None
