"""FreshBooks' invoice-number increment rule, and a client-side number allocator.

FreshBooks numbers a new invoice by incrementing the previous invoice's number
("0005" -> "0006", "000D" -> "000E"). The sandbox numbers its invoices with this same
function, so the two cannot disagree.

Numbers form *sequences*: the numbers one reaches from a number by incrementing it.
:func:`compare_invoice_numbers` orders two numbers of one sequence and tells numbers of
different sequences apart ("INV-7" and "0000500", or "0005" and "000D", are in none
together), and :class:`NumberAllocator` is the one place where client numbering chooses
numbers: it starts after the highest number in use in the sequence of the account's
newest invoice, and jumps past numbers found taken.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "FIRST_INVOICE_NUMBER",
    "NumberAllocator",
    "compare_invoice_numbers",
    "next_invoice_number",
]

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


def _split(number: str) -> tuple[str, str]:
    """``(prefix, run)``: the trailing run of letters and digits, and what precedes it
    (which incrementing never changes)."""
    i = len(number)
    while i > 0 and number[i - 1].isalnum():
        i -= 1
    return number[:i], number[i:]


def _kind(char: str) -> str:
    """The class a character counts within: digits, upper case, lower case, other."""
    if "0" <= char <= "9":
        return "9"
    if "A" <= char <= "Z":
        return "Z"
    if "a" <= char <= "z":
        return "z"
    return "?"


def _reaches(short: str, long: str) -> bool:
    """Whether incrementing run ``short`` can make it as long as run ``long`` with the
    same shape: the carry out of a run starting with a digit prepends ``1`` (then more
    digits), out of one starting with a letter ``A`` (then more upper-case letters)."""
    extra = len(long) - len(short)
    if [_kind(c) for c in long[extra:]] != [_kind(c) for c in short]:
        return False
    lead = "9" if not short or _kind(short[0]) == "9" else "Z"
    head = long[:extra]
    if any(_kind(c) != lead for c in head):
        return False
    return not (lead == "9" and head.startswith("0"))


def compare_invoice_numbers(a: str, b: str) -> int | None:
    """Order two invoice numbers of one sequence (see the module documentation).

    Within a sequence a longer run is later (carries lengthen it: "99" -> "100",
    "ZZ" -> "AAA"); runs of one length compare character by character, digits, upper-
    and lower-case letters each in their own order, which is the order incrementing
    visits them in.

    Returns:
        -1, 0 or 1 as ``a`` comes before, is, or comes after ``b``; ``None`` when they
        are not in one sequence: different prefixes ("INV-7", "2023-0040"), or runs of
        different shapes ("0005" and "000D"; "1" and "0002": a carry never makes a
        leading zero).
    """
    prefix_a, run_a = _split(a)
    prefix_b, run_b = _split(b)
    if prefix_a != prefix_b:
        return None
    short, long = (run_a, run_b) if len(run_a) <= len(run_b) else (run_b, run_a)
    if not _reaches(short, long):
        return None
    key_a, key_b = (len(run_a), run_a), (len(run_b), run_b)
    return (key_a > key_b) - (key_a < key_b)


class NumberAllocator:
    """Where client numbering chooses invoice numbers: consecutive ones, after the
    highest number in use in the account's current sequence.

    Numbers are never handed out twice. :meth:`seeded` starts after the highest number
    in use (not the newest invoice's number, which can be lower); :meth:`jump_past`
    moves on beyond a number found taken (a collision, or a re-read of the numbers in
    use). Both keep to one sequence (:func:`compare_invoice_numbers`): a number of
    another format is ignored, not continued.

    Args:
        latest: The number to continue after (``None``: the account has none yet).

    Raises:
        TypeError: ``latest`` is not a str or ``None``.
    """

    def __init__(self, latest: str | None) -> None:
        if latest is not None and not isinstance(latest, str):
            raise TypeError(f"latest: expected str or None, got {type(latest).__name__}")
        self._last = latest or None
        self.allocated = 0

    @classmethod
    def seeded(cls, newest: str | None, in_use: Iterable[str]) -> NumberAllocator:
        """An allocator that continues the sequence of the account's newest invoice
        after the highest of ``in_use`` in it.

        Args:
            newest: The number of the account's newest invoice (``None`` if it has none:
                then the first of ``in_use`` picks the sequence).
            in_use: Numbers in use on the account, in any order.

        Raises:
            TypeError: ``newest`` is not a str or ``None``, or ``in_use`` is not an
                iterable of str.
        """
        if isinstance(in_use, str | bytes) or not isinstance(in_use, Iterable):
            raise TypeError(f"in_use: expected an iterable of str, got {in_use!r}")
        allocator = cls(newest)
        for number in in_use:
            if not isinstance(number, str):
                raise TypeError(f"in_use: expected str items, got {number!r}")
            allocator.jump_past(number)
        return allocator

    @property
    def last(self) -> str | None:
        """The last number handed out (or the starting point)."""
        return self._last

    def allocate(self) -> str:
        """The next number."""
        self._last = next_invoice_number(self._last)
        self.allocated += 1
        return self._last

    def jump_past(self, taken: str | None) -> bool:
        """Continue after ``taken`` if it lies ahead in this allocator's sequence.

        Returns:
            True if the sequence moved; False when ``taken`` is ``None`` or empty, not
            ahead, or of another sequence (the allocator is then left alone).
        """
        if not taken or not isinstance(taken, str):
            return False
        if self._last is None:
            self._last = taken
            return True
        if compare_invoice_numbers(taken, self._last) != 1:
            return False
        self._last = taken
        return True

    def __repr__(self) -> str:
        return f"NumberAllocator(last={self._last!r}, allocated={self.allocated})"
