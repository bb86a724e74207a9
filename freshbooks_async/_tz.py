"""US/Eastern without depending on the system's time-zone database.

FreshBooks writes accounting wall-clock times in US/Eastern. :func:`eastern` returns
``zoneinfo.ZoneInfo("America/New_York")`` where the platform has a time-zone database
(``/usr/share/zoneinfo``, or the ``tzdata`` package, which Windows installs with this
package). Where it has neither (a slim container image, ``PYTHONTZPATH`` pointing at an
empty folder), it returns :class:`USEastern`, which computes the same offsets from the US
daylight-saving rules written out below, so importing and decoding never fail for want of a
file.

:class:`USEastern` agrees with the tz database for every instant from 1967 on (the tests
compare them across every transition up to 2100); before 1967, where New York's history is
irregular, it answers standard time.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta, tzinfo
from typing import Final

__all__ = ["USEastern", "eastern"]

_STD: Final = timedelta(hours=-5)
_DST: Final = timedelta(hours=-4)
_HOUR: Final = timedelta(hours=1)
_ZERO: Final = timedelta(0)


def _nth_sunday(year: int, month: int, n: int) -> date:
    """The ``n``-th Sunday of the month (``n = -1``: the last one)."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))
    following = date(year + (month == 12), month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


@functools.lru_cache(maxsize=512)
def _dst_span(year: int) -> tuple[datetime, datetime] | None:
    """Daylight time's start and end that year, as naive local *standard* times.

    Both changes happen at 02:00 local time (Uniform Time Act of 1966 and its amendments):
    the start at 02:00 EST, the end at 02:00 EDT, which is 01:00 EST.
    """
    if year < 1967:
        return None
    if year >= 2007:  # Energy Policy Act of 2005
        start, end = _nth_sunday(year, 3, 2), _nth_sunday(year, 11, 1)
    elif year >= 1987:
        start, end = _nth_sunday(year, 4, 1), _nth_sunday(year, 10, -1)
    elif year == 1974:  # Emergency Daylight Saving Time Energy Conservation Act
        start, end = date(1974, 1, 6), _nth_sunday(year, 10, -1)
    elif year == 1975:
        start, end = date(1975, 2, 23), _nth_sunday(year, 10, -1)
    else:
        start, end = _nth_sunday(year, 4, -1), _nth_sunday(year, 10, -1)
    two = timedelta(hours=2)
    return datetime.combine(start, datetime.min.time()) + two, datetime.combine(
        end, datetime.min.time()
    ) + (two - _HOUR)


class USEastern(tzinfo):
    """US/Eastern (EST/EDT) from the US daylight-saving rules, for 1967 onwards.

    A drop-in for ``ZoneInfo("America/New_York")`` (PEP 495 ``fold`` included) where the
    platform has no time-zone database.
    """

    def _is_dst_local(self, dt: datetime) -> bool:
        span = _dst_span(dt.year)
        if span is None:
            return False
        start, end = span
        naive = dt.replace(tzinfo=None, fold=0)
        # Spring forward: 02:00-03:00 does not exist; like zoneinfo, read it with the
        # offset before the change (fold=0) or after it (fold=1).
        if start <= naive < start + _HOUR:
            return dt.fold == 1
        # Fall back: 01:00-02:00 EDT happens twice; fold=0 is the first (daylight) one.
        if end <= naive < end + _HOUR:
            return dt.fold == 0
        return start + _HOUR <= naive < end

    def utcoffset(self, dt: datetime | None) -> timedelta:
        """-4 h in daylight time, -5 h otherwise."""
        if dt is None:
            return _STD
        return _DST if self._is_dst_local(dt) else _STD

    def dst(self, dt: datetime | None) -> timedelta:
        """One hour in daylight time, zero otherwise."""
        if dt is None:
            return _ZERO
        return _HOUR if self._is_dst_local(dt) else _ZERO

    def tzname(self, dt: datetime | None) -> str:
        """``EDT`` or ``EST``."""
        return "EDT" if self.dst(dt) else "EST"

    def fromutc(self, dt: datetime) -> datetime:
        """The local time of a UTC time (``dt.tzinfo`` is ``self``), ``fold`` set."""
        if dt.tzinfo is not self:
            raise ValueError("fromutc: dt.tzinfo is not self")
        standard = dt.replace(tzinfo=None) + _STD
        span = _dst_span(standard.year)
        if span is None:
            return standard.replace(tzinfo=self)
        start, end = span
        if start <= standard < end:
            return (standard + _HOUR).replace(tzinfo=self)
        if end <= standard < end + _HOUR:
            # The second 01:00-02:00 (standard time) after falling back.
            return standard.replace(tzinfo=self, fold=1)
        return standard.replace(tzinfo=self)

    def __repr__(self) -> str:
        return "USEastern()"

    def __reduce__(self) -> tuple[type[USEastern], tuple[()]]:
        return (USEastern, ())


@functools.cache
def eastern() -> tzinfo:
    """US/Eastern: the tz database's ``America/New_York``, or :class:`USEastern` without one."""
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    except ImportError:  # pragma: no cover - zoneinfo is in every supported Python
        return USEastern()
    try:
        return ZoneInfo("America/New_York")
    except (ZoneInfoNotFoundError, OSError, ValueError):
        return USEastern()
