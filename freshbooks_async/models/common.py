"""Value types shared by every resource model: ``UNSET``, ``Money``, lenient enums, timestamps.

FreshBooks quirks handled here (docs/protocol.rst, "Other wire facts", from the official
Python SDK's ``models.py``):

* money is ``{"amount": "100.00", "code": "USD"}`` with the amount as a decimal *string*;
* accounting timestamps are ``YYYY-MM-DD HH:MM:SS`` wall time in US/Eastern, except a few
  fields that are UTC in the same format (client ``signup_date``, bill and bill vendor
  ``created_at``/``updated_at``, tax defaults);
* project-like, events, ledger and auth timestamps are ISO 8601 in UTC, sometimes with a
  ``Z`` and sometimes without any offset;
* ``vis_state`` is 0 active, 1 deleted, 2 archived.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Mapping
from datetime import datetime, tzinfo
from decimal import Decimal
from types import MappingProxyType
from typing import Annotated, Any, Final, Literal, TypeAlias, TypeVar

import attrs

from .._tz import eastern

__all__ = [
    "EASTERN",
    "UNSET",
    "AccountingDateTime",
    "AccountingUTCDateTime",
    "DateTimeFormat",
    "ISODateTime",
    "LenientIntEnum",
    "LenientStrEnum",
    "LocalDateTime",
    "Maybe",
    "Money",
    "Settable",
    "UnsetType",
    "VisState",
]

T = TypeVar("T")

#: Accounting wall-clock times are US/Eastern (official Python SDK ``models.py``).
#: The tz database's "America/New_York" where the platform has one, else the same rules
#: computed in code (``_tz.USEastern``): importing never fails for want of tz files.
EASTERN: Final[tzinfo] = eastern()

EMPTY_MAPPING: Final[Mapping[str, Any]] = MappingProxyType({})


class UnsetType(enum.Enum):
    """Type of :data:`UNSET`: a write-model field that was not set (so it is not sent;
    different from ``None``, sent as ``null``).

    Use it in annotations as ``int | UnsetType``; test with ``value is UNSET``. Read
    models use ``None`` and
    :attr:`Model.fields_set <freshbooks_async.models.Model.fields_set>` instead.
    """

    UNSET = "UNSET"

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    __str__ = __repr__


UNSET: Final = UnsetType.UNSET
"""The write-model field was not set (it is left out of the payload)."""

Maybe: TypeAlias = T | UnsetType | None
"""A write-model field that may be left unset (``UNSET``), sent as ``null`` (``None``)
or a ``T``."""

Settable: TypeAlias = T | UnsetType
"""A write-model field that may be left unset but is never sent as ``null``."""


class DateTimeFormat(enum.Enum):
    """How a timestamp field is written on the wire (used in ``Annotated`` field types)."""

    ACCOUNTING = "accounting"
    """``YYYY-MM-DD HH:MM:SS[.ffffff]``, wall time in US/Eastern."""
    ACCOUNTING_UTC = "accounting_utc"
    """``YYYY-MM-DD HH:MM:SS[.ffffff]``, wall time in UTC."""
    ISO = "iso"
    """ISO 8601 in UTC, written ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``."""
    LOCAL = "local"
    """``YYYY-MM-DDTHH:MM:SS``, a wall time whose zone is named by another field (time
    entries' ``local_started_at`` and ``local_timezone``): decoded to a *naive* datetime."""


#: A datetime written as :attr:`DateTimeFormat.ACCOUNTING` (US/Eastern wall time).
AccountingDateTime: TypeAlias = Annotated[datetime, DateTimeFormat.ACCOUNTING]
#: A datetime written as :attr:`DateTimeFormat.ACCOUNTING_UTC` (UTC, accounting format).
AccountingUTCDateTime: TypeAlias = Annotated[datetime, DateTimeFormat.ACCOUNTING_UTC]
#: A datetime written as :attr:`DateTimeFormat.ISO` (ISO 8601, UTC).
ISODateTime: TypeAlias = Annotated[datetime, DateTimeFormat.ISO]
#: A datetime written as :attr:`DateTimeFormat.LOCAL` (naive wall time).
LocalDateTime: TypeAlias = Annotated[datetime, DateTimeFormat.LOCAL]


#: Amounts and decimals must be smaller than this in magnitude (and finite). Nothing real
#: comes near it; it keeps values such as ``1E+999999`` (which Decimal accepts, and whose
#: ``int()`` would build a million digits) out of the models.
MAX_DECIMAL: Final = Decimal(10) ** 18


def check_amount(number: Decimal) -> Decimal:
    """Return ``number`` if it is finite and below 10**18 in magnitude.

    Raises:
        ValueError: ``number`` is NaN, infinite or too large.
    """
    if not number.is_finite():
        raise ValueError("must be finite")
    if not -MAX_DECIMAL < number < MAX_DECIMAL:
        raise ValueError("must be below 10**18 in magnitude")
    return number


def _to_amount(value: object) -> Decimal:
    """Convert a money amount given by the caller; floats are refused (binary rounding)."""
    if isinstance(value, bool):
        raise TypeError(f"Money.amount must be a Decimal, str or int, got {value!r} (bool)")
    if isinstance(value, float):
        raise TypeError(
            f"Money.amount must be a Decimal, str or int, got the float {value!r}: "
            "floats cannot hold money exactly; pass Decimal or str instead"
        )
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int | str):
        try:
            amount = Decimal(value)
        except ArithmeticError:
            raise ValueError(f"Money.amount must be a decimal number, got {value!r}") from None
    else:
        raise TypeError(
            f"Money.amount must be a Decimal, str or int, got {value!r} ({type(value).__name__})"
        )
    try:
        return check_amount(amount)
    except ValueError as exc:
        raise ValueError(f"Money.amount {exc}, got {value!r}") from None


def _check_code(instance: Money, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"Money.code must be a str, got {value!r} ({type(value).__name__})")
    if len(value) != 3 or not value.isascii() or not value.isalpha():
        raise ValueError(f"Money.code must be a 3-letter currency code, got {value!r}")


@attrs.frozen(kw_only=True)
class Money:
    """An amount of money in one currency, exact to the cent and beyond.

    FreshBooks sends ``{"amount": "104.50", "code": "CAD"}``. Decoded values keep the exact
    wire text of the amount, so ``"100"`` is written back as ``"100"`` and ``"104.50"`` as
    ``"104.50"``.

    Attributes:
        amount: The amount, a finite ``Decimal`` (``str`` and ``int`` are converted; ``float``
            is refused because it cannot represent cents exactly).
        code: ISO 4217 currency code, three letters (e.g. ``"USD"``).

    Raises:
        TypeError: ``amount`` is a float or another non-number, or ``code`` is not a str.
        ValueError: ``amount`` is not a finite decimal, or ``code`` is not three letters.
    """

    amount: Decimal = attrs.field(converter=_to_amount)
    code: str = attrs.field(validator=_check_code)
    # The amount exactly as received (str or int), so encoding gives the same JSON back.
    _wire_amount: object = attrs.field(
        default=None, init=False, eq=False, hash=False, repr=False, alias="_wire_amount"
    )
    # Unknown keys of the money object (none are known to exist; kept so nothing is lost).
    _extras: Mapping[str, Any] = attrs.field(
        default=EMPTY_MAPPING, init=False, eq=False, hash=False, repr=False, alias="_extras"
    )

    def __str__(self) -> str:
        return f"{self.amount} {self.code}"


_new = object.__new__
_set = object.__setattr__


def money_from_wire(data: Mapping[str, Any]) -> Money:
    """Build a :class:`Money` from its JSON object without validation (hot decode path).

    Raises:
        TypeError: ``data`` is not a JSON object, the amount is not a number or string,
            or the code is not a string.
        KeyError: ``amount`` or ``code`` is missing.
        ArithmeticError: the amount string is not a decimal number.
        ValueError: the amount is NaN, infinite or not below 10**18 in magnitude (money
            is never lenient about that).
    """
    raw = data["amount"]
    cls = raw.__class__
    code = data["code"]
    if cls is str and code.__class__ is str and len(data) == 2:
        # Money is immutable, and a listing repeats the same few amounts ("0.00 USD" on
        # every unpaid invoice): equal wire objects share one instance.
        key = (raw, code)
        cached = _MONEY_CACHE.get(key)
        if cached is not None:
            return cached
        if len(_MONEY_CACHE) >= _MONEY_CACHE_SIZE:
            _MONEY_CACHE.clear()
        cached = _MONEY_CACHE[key] = _money_from_wire(data, raw, cls)
        return cached
    return _money_from_wire(data, raw, cls)


#: Decoded Money by (amount text, code); cleared when full, so memory stays bounded.
_MONEY_CACHE: dict[tuple[str, str], Money] = {}
_MONEY_CACHE_SIZE: Final = 4096


def _money_from_wire(data: Mapping[str, Any], raw: Any, cls: type) -> Money:
    if cls is str or cls is int:
        amount = Decimal(raw)
    elif cls is float:
        amount = Decimal(repr(raw))
    else:
        raise TypeError(f"money amount must be a string or number, got {raw!r}")
    code = data["code"]
    if code.__class__ is not str:
        raise TypeError(f"money code must be a string, got {code!r}")
    check_amount(amount)
    m = _new(Money)
    _set(m, "amount", amount)
    _set(m, "code", code)
    _set(m, "_wire_amount", raw)
    if len(data) != 2:
        extras = {k: v for k, v in data.items() if k != "amount" and k != "code"}
        _set(m, "_extras", extras or EMPTY_MAPPING)
    else:
        _set(m, "_extras", EMPTY_MAPPING)
    return m


def money_to_wire(money: Money) -> dict[str, Any]:
    """Encode a :class:`Money` as FreshBooks' JSON object (amount as received, else a str)."""
    raw = money._wire_amount
    amount: object = str(money.amount)
    if raw is not None:
        # Only reuse the wire text when it still denotes exactly this Decimal (the object
        # may have been rebuilt with attrs.evolve).
        try:
            again = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)  # type: ignore[arg-type]
        except (ArithmeticError, TypeError, ValueError):  # pragma: no cover - set by us only
            again = None
        if again is not None and again.as_tuple() == money.amount.as_tuple():
            amount = raw
    out: dict[str, Any] = {"amount": amount, "code": money.code}
    for key, value in money._extras.items():
        out.setdefault(key, value)
    return out


_E = TypeVar("_E", bound="enum.Enum")

_MAX_UNKNOWN_CACHED: Final = 256
_unknown_lock = threading.Lock()


def _unknown_member(cls: type[_E], value: object, base: Any) -> Any:
    if type(value) is not base:  # bool is refused for int enums; str subclasses too
        return None
    cached = cls._value2member_map_.get(value)
    if cached is not None:
        return cached
    new: Any = base.__new__
    member: Any = new(cls, value)
    member._name_ = f"UNKNOWN_{value}" if base is int else "UNKNOWN"
    member._value_ = value
    with _unknown_lock:
        if len(cls._value2member_map_) - len(cls._member_map_) < _MAX_UNKNOWN_CACHED:
            member = cls._value2member_map_.setdefault(value, member)
    return member


class LenientIntEnum(enum.IntEnum):
    """An ``IntEnum`` that accepts values it does not know.

    ``Status(42)`` returns a pseudo-member named ``UNKNOWN_42`` whose ``value`` is 42, so
    a status FreshBooks adds later never fails a listing, and encoding gives 42 back.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        return _unknown_member(cls, value, int)

    @property
    def is_known(self) -> bool:
        """Whether this value is one of the documented members."""
        return self._name_ in type(self)._member_map_


class LenientStrEnum(enum.StrEnum):
    """A ``StrEnum`` that accepts values it does not know (see :class:`LenientIntEnum`)."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        return _unknown_member(cls, value, str)

    @property
    def is_known(self) -> bool:
        """Whether this value is one of the documented members."""
        return self._name_ in type(self)._member_map_


class VisState(LenientIntEnum):
    """Visibility state of an accounting object (DOCS:active_deleted)."""

    ACTIVE = 0
    DELETED = 1
    ARCHIVED = 2
