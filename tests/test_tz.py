"""US/Eastern without a time-zone database (``freshbooks_async._tz``)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from freshbooks_async._tz import USEastern, eastern

NEW_YORK = ZoneInfo("America/New_York")
FALLBACK = USEastern()


def _transitions(start_year: int, end_year: int) -> list[datetime]:
    """Every UTC instant where New York's offset changes, from the tz database."""
    found: list[datetime] = []
    t = datetime(start_year, 1, 1, tzinfo=UTC)
    end = datetime(end_year, 1, 1, tzinfo=UTC)
    step = timedelta(days=1)
    while t < end:
        if t.astimezone(NEW_YORK).utcoffset() != (t + step).astimezone(NEW_YORK).utcoffset():
            lo, hi = t, t + step
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(NEW_YORK).utcoffset() == lo.astimezone(NEW_YORK).utcoffset():
                    lo = mid
                else:
                    hi = mid
            found.append(hi.replace(second=0, microsecond=0))
        t += step
    return found


def test_the_fallback_agrees_with_the_tz_database_around_every_transition() -> None:
    transitions = _transitions(1967, 2100)
    assert len(transitions) == 2 * (2100 - 1967)
    for instant in transitions:
        for delta_minutes in (-61, -60, -59, -1, 0, 1, 59, 60, 61):
            utc = instant + timedelta(minutes=delta_minutes)
            ours, theirs = utc.astimezone(FALLBACK), utc.astimezone(NEW_YORK)
            assert ours.replace(tzinfo=None) == theirs.replace(tzinfo=None), utc
            assert ours.fold == theirs.fold, utc
            assert ours.utcoffset() == theirs.utcoffset(), utc
            assert ours.tzname() == theirs.tzname(), utc
            # Local wall time -> UTC, both folds (the repeated and the skipped hour).
            for fold in (0, 1):
                wall = theirs.replace(tzinfo=None, fold=fold)
                assert (
                    wall.replace(tzinfo=FALLBACK).utcoffset()
                    == wall.replace(tzinfo=NEW_YORK).utcoffset()
                ), (wall, fold)


def test_naive_accounting_times_read_the_same_in_both() -> None:
    for text in (
        "2026-03-08 01:59:59",
        "2026-03-08 02:30:00",
        "2026-11-01 01:30:00",
        "2019-07-04 12:00:00",
    ):
        wall = datetime.fromisoformat(text)
        assert wall.replace(tzinfo=FALLBACK).astimezone(UTC) == wall.replace(
            tzinfo=NEW_YORK
        ).astimezone(UTC)


def test_fromutc_rejects_a_foreign_tzinfo() -> None:
    with pytest.raises(ValueError, match="fromutc"):
        FALLBACK.fromutc(datetime(2026, 1, 1, tzinfo=UTC))


def test_eastern_is_the_tz_database_zone_where_there_is_one() -> None:
    assert eastern() is eastern()
    assert isinstance(eastern(), ZoneInfo)


def test_the_package_imports_and_decodes_without_a_tz_database(tmp_path: Path) -> None:
    """``PYTHONTZPATH`` at an empty folder and no ``tzdata``: import and decode still work."""
    script = (
        "import sys\n"
        "sys.modules['tzdata'] = None\n"  # as on a machine without the tzdata package
        "from zoneinfo import ZoneInfo, ZoneInfoNotFoundError\n"
        "try:\n"
        "    ZoneInfo('America/New_York')\n"
        "except ZoneInfoNotFoundError:\n"
        "    pass\n"
        "else:\n"
        "    raise SystemExit('the tz database is still reachable')\n"
        "import freshbooks_async\n"
        "from freshbooks_async.models import Invoice, converter\n"
        "from freshbooks_async.testing import sample_json\n"
        "from freshbooks_async.models.common import EASTERN\n"
        "print(type(EASTERN).__name__)\n"
        "body = sample_json(Invoice, created_at='2026-07-01 09:30:00')\n"
        "inv = converter.structure(body, Invoice)\n"
        "print(inv.created_at.isoformat())\n"
    )
    env = {**os.environ, "PYTHONTZPATH": str(tmp_path)}
    out = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["USEastern", "2026-07-01T09:30:00-04:00"]
