"""FreshBooks' invoice-number increment rule, and a client-side number allocator.

FreshBooks numbers a new invoice "by incrementing the invoice_number of the previous
invoice (for example, "0005" -> "0006", "000D" -> "000E")" (invoices docs page). The
sandbox numbers its invoices with this same function, so the two cannot disagree.
"""

from __future__ import annotations

import re

__all__ = ["FIRST_INVOICE_NUMBER", "NumberAllocator", "next_invoice_number"]

_DIGITS = re.compile(r"(.*?)([0-9]+)")

#: The number FreshBooks gives an account's first invoice.
FIRST_INVOICE_NUMBER = "0000001"


def next_invoice_number(previous: str | None) -> str:
    """The number FreshBooks gives the invoice after one numbered ``previous``.

    The trailing run of letters and digits counts like an odometer: ``9`` becomes
    ``0`` and ``Z``/``z`` become ``A``/``a``, carrying into the character before. A carry
    out of the whole run prepends ``1`` (digits) or ``A`` (letters); a prefix that is not
    alphanumeric (``"INV-"``) is kept.

    >>> next_invoice_number("0005"), next_invoice_number("000D"), next_invoice_number("0009")
    ('0006', '000E', '0010')
    >>> next_invoice_number("INV-99"), next_invoice_number(None)
    ('INV-100', '0000001')

    Args:
        previous: The previous invoice's number; ``None`` or ``""`` for none.

    Raises:
        TypeError: ``previous`` is not a str or ``None``.
    """
    if previous is not None and not isinstance(previous, str):
        raise TypeError(
            f"previous: expected str or None, got {type(previous).__name__}: {previous!r}"
        )
    if not previous:
        return FIRST_INVOICE_NUMBER
    chars = list(previous)
    i = len(chars) - 1
    while i >= 0 and chars[i].isalnum():
        c = chars[i]
        if c == "9":
            chars[i] = "0"
        elif c == "Z":
            chars[i] = "A"
        elif c == "z":
            chars[i] = "a"
        else:
            chars[i] = chr(ord(c) + 1)
            return "".join(chars)
        i -= 1
    # Carried out of the run: "99" -> "100", "ZZ" -> "AAA", "INV-9" -> "INV-10".
    lead = "1" if not chars[i + 1 :] or chars[i + 1].isdigit() else "A"
    chars.insert(i + 1, lead)
    return "".join(chars)


class NumberAllocator:
    """Hands out consecutive invoice numbers after a known latest one.

    Numbers are never handed out twice; :meth:`skip_past` moves the sequence beyond a
    number someone else took (after a re-read of the account's latest invoice).

    Args:
        latest: The account's latest invoice number (``None`` if it has none yet).

    Raises:
        TypeError: ``latest`` is not a str or ``None``.
    """

    def __init__(self, latest: str | None) -> None:
        if latest is not None and not isinstance(latest, str):
            raise TypeError(f"latest: expected str or None, got {type(latest).__name__}")
        self._last = latest or None
        self.allocated = 0

    @property
    def last(self) -> str | None:
        """The last number handed out (or the starting point)."""
        return self._last

    def allocate(self) -> str:
        """The next number."""
        self._last = next_invoice_number(self._last)
        self.allocated += 1
        return self._last

    def skip_past(self, taken: str | None, *, limit: int = 10_000) -> bool:
        """Continue after ``taken`` if it lies ahead in this sequence.

        Numbers ending in digits with the same prefix (``"0000123"``, ``"INV-77"``) are
        compared by value; others are looked for up to ``limit`` increments ahead.

        Returns:
            True if the sequence moved; False when ``taken`` is ``None``, not ahead, or
            not comparable (a number in another format: the sequence is left alone).
        """
        if taken is None or not isinstance(taken, str) or taken == self._last:
            return False
        if self._last is None:
            self._last = taken
            return True
        mine, theirs = _DIGITS.fullmatch(self._last), _DIGITS.fullmatch(taken)
        if mine is not None and theirs is not None and mine.group(1) == theirs.group(1):
            if int(theirs.group(2)) > int(mine.group(2)):
                self._last = taken
                return True
            return False
        probe = self._last
        for _ in range(limit):
            probe = next_invoice_number(probe)
            if probe == taken:
                self._last = taken
                return True
            if len(probe) > len(taken):
                break
        return False

    def __repr__(self) -> str:
        return f"NumberAllocator(last={self._last!r}, allocated={self.allocated})"
