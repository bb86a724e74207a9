"""Headers: the CPU cost of what the pipeline does with headers on every request.

Variants, measured in the same process, interleaved round by round:

* ``Headers``: :class:`freshbooks_async.transports.Headers` as shipped (a read-only
  ``multidict.CIMultiDictProxy`` inside);
* ``hand-written (0.1)``: the hand-written ``Headers`` of version 0.1 (a tuple of pairs
  plus a dict of lower-cased names), copied below as it was, for comparison;
* ``raw CIMultiDict``: ``multidict`` used directly, without the ``Mapping`` API: the
  floor for any ``CIMultiDict``-backed ``Headers``.

Operations, each what one request costs:

* ``build``: the response headers from what aiohttp parsed (a ``CIMultiDictProxy`` of
  ten headers as an API response carries);
* ``merge``: the client's default headers with the bearer token and one call header;
* ``lookup``: four lookups (``Content-Type``, ``X-Request-Id``, a missing
  ``Retry-After``, ``Content-Length in``);
* ``iterate``: the request's pairs handed to aiohttp and iterated as aiohttp does;
* ``per request``: all four, one after the other.

Each sample times ``--number`` runs of an operation (``timeit``, garbage collection
off); ``--repeat`` rounds (>= 5) rotate the variants' order; the median sample is
reported in nanoseconds per operation. Goal: ``Headers`` / hand-written <= 1.0 per
request (the switch to ``CIMultiDict`` was made on that condition).

Run: ``python benchmarks/bench_headers.py [--quick] [--repeat 7] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import timeit
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from multidict import CIMultiDict, CIMultiDictProxy

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from _common import add_common_arguments, check_repeat, goal, row, scenario_result, write_json

from freshbooks_async.transports import Headers
from freshbooks_async.transports._types import multidict_of

#: Runs per timed sample: full and quick.
NUMBER = {False: 20_000, True: 2_000}
ROUNDS = 7

#: An API response's headers, as aiohttp hands them over.
RESPONSE_PAIRS = [
    ("Content-Type", "application/json; charset=utf-8"),
    ("Content-Length", "1534"),
    ("Date", "Mon, 01 Jan 2024 00:00:00 GMT"),
    ("Server", "nginx"),
    ("Connection", "keep-alive"),
    ("X-Request-Id", "4b1f0c1e-7f6c-4a5e-9a0e-0f1d2c3b4a59"),
    ("Cache-Control", "no-cache, private"),
    ("Vary", "Accept-Encoding"),
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
    ("X-Frame-Options", "DENY"),
]
DEFAULTS = {"User-Agent": "freshbooks_async/0.1 python/3.11", "Accept": "application/json"}
ADDED = {"Authorization": "Bearer 0123456789abcdef0123456789abcdef", "X-Ref": "order-7"}


# --------------------------------------------------------------------------- 0.1's Headers


def _checked_pairs(items: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    source = items.items() if isinstance(items, Mapping) else items
    for name, value in source:
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"headers: names and values must be str, got {name!r}: {value!r}")
        pairs.append((name, value))
    return pairs


def _index_of(
    pairs: Iterable[tuple[str, str]], offset: int = 0, index: dict[str, int] | None = None
) -> dict[str, int]:
    index = {} if index is None else index
    for i, (name, _) in enumerate(pairs, offset):
        index[name.lower()] = i
    return index


class HandHeaders(Mapping[str, str]):
    """Version 0.1's ``Headers`` (the parts a request uses), unchanged."""

    __slots__ = ("_index", "_items")

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] | None = None) -> None:
        pairs = _checked_pairs(items) if items is not None else []
        self._items = tuple(pairs)
        self._index = _index_of(pairs)

    @classmethod
    def from_trusted(cls, pairs: list[tuple[str, str]]) -> HandHeaders:
        return cls._wrap(tuple(pairs), _index_of(pairs))

    @classmethod
    def _wrap(cls, items: tuple[tuple[str, str], ...], index: dict[str, int]) -> HandHeaders:
        self = cls.__new__(cls)
        self._items = items
        self._index = index
        return self

    def __getitem__(self, key: str) -> str:
        return self._items[self._index[key.lower()]][1]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._index

    def __iter__(self) -> Iterator[str]:
        return (self._items[i][0] for i in self._index.values())

    def __len__(self) -> int:
        return len(self._index)

    def raw_items(self) -> tuple[tuple[str, str], ...]:
        return self._items

    def merged(self, other: Mapping[str, str]) -> HandHeaders:
        added = _checked_pairs(other)
        replaced = {name.lower() for name, _ in added}
        if replaced.isdisjoint(self._index):
            items = self._items
            return HandHeaders._wrap(
                items + tuple(added), _index_of(added, len(items), {**self._index})
            )
        kept = [(k, v) for k, v in self._items if k.lower() not in replaced]
        return HandHeaders.from_trusted([*kept, *added])


# --------------------------------------------------------------------------- operations

Op = Callable[[], object]


def _iterate(pairs: Iterable[tuple[str, str]]) -> int:
    count = 0
    for _name, _value in pairs:  # what aiohttp's ClientRequest.update_headers does
        count += 1
    return count


def operations(parsed: CIMultiDictProxy[str]) -> dict[str, dict[str, Op]]:
    """variant -> operation -> a callable doing it once."""
    ours_defaults = Headers(DEFAULTS)
    ours_request = ours_defaults.merged(ADDED)
    ours_response = Headers.from_trusted(parsed)
    hand_defaults = HandHeaders(DEFAULTS)
    hand_request = hand_defaults.merged(ADDED)
    hand_response = HandHeaders.from_trusted(list(parsed.items()))
    raw_defaults = CIMultiDictProxy(CIMultiDict(DEFAULTS))
    raw_request = raw_defaults.copy()
    raw_request.update(ADDED)
    raw_response = parsed

    def ours_lookup(h: Headers = ours_response) -> object:
        return (
            h.get("Content-Type"),
            h.get("X-Request-Id"),
            h.get("Retry-After"),
            "Content-Length" in h,
        )

    def hand_lookup(h: HandHeaders = hand_response) -> object:
        return (
            h.get("Content-Type"),
            h.get("X-Request-Id"),
            h.get("Retry-After"),
            "Content-Length" in h,
        )

    def raw_lookup(h: CIMultiDictProxy[str] = raw_response) -> object:
        return (
            h.get("Content-Type"),
            h.get("X-Request-Id"),
            h.get("Retry-After"),
            "Content-Length" in h,
        )

    def raw_merge() -> object:
        merged = raw_defaults.copy()
        merged.update(ADDED)
        return CIMultiDictProxy(merged)

    ours: dict[str, Op] = {
        # The transport wraps aiohttp's parsed headers (see AiohttpTransport.send).
        "build": lambda: Headers.from_trusted(parsed),
        "merge": lambda: ours_defaults.merged(ADDED),
        "lookup": ours_lookup,
        # The transport hands aiohttp the CIMultiDictProxy itself.
        "iterate": lambda: _iterate(multidict_of(ours_request).items()),
    }
    hand: dict[str, Op] = {
        # 0.1's transport copied aiohttp's headers into a list first.
        "build": lambda: HandHeaders.from_trusted(list(parsed.items())),
        "merge": lambda: hand_defaults.merged(ADDED),
        "lookup": hand_lookup,
        "iterate": lambda: _iterate(hand_request.raw_items()),
    }
    raw: dict[str, Op] = {
        "build": lambda: CIMultiDictProxy(parsed),
        "merge": raw_merge,
        "lookup": raw_lookup,
        "iterate": lambda: _iterate(raw_request.items()),
    }
    variants = {"Headers": ours, "hand-written (0.1)": hand, "raw CIMultiDict": raw}
    for ops in variants.values():
        steps = tuple(ops.values())

        def per_request(steps: tuple[Op, ...] = steps) -> object:
            for step in steps:
                step()
            return None

        ops["per request"] = per_request
    return variants


def check_equivalent(parsed: CIMultiDictProxy[str]) -> None:
    """The variants compute the same things (a benchmark of different work is void)."""
    ours = Headers.from_trusted(parsed)
    hand = HandHeaders.from_trusted(list(parsed.items()))
    assert dict(ours.items()) == dict(hand.items())
    assert (
        Headers(DEFAULTS).merged(ADDED).raw_items()
        == HandHeaders(DEFAULTS).merged(ADDED).raw_items()
    )


def run(*, quick: bool, repeat: int) -> dict[str, Any]:
    """Measure every variant and operation; returns the scenario result."""
    parsed = CIMultiDictProxy(CIMultiDict(RESPONSE_PAIRS))
    check_equivalent(parsed)
    variants = operations(parsed)
    number = NUMBER[quick]
    names = list(variants)
    ops = list(variants[names[0]])
    samples: dict[tuple[str, str], list[float]] = {(v, o): [] for v in names for o in ops}
    timer = timeit.Timer  # garbage collection is off while timeit runs
    for op in ops:
        for variant in names:  # warm-up
            timer(variants[variant][op]).timeit(number // 10 or 1)
        for round_number in range(repeat):
            shift = round_number % len(names)
            for variant in names[shift:] + names[:shift]:
                seconds = timer(variants[variant][op]).timeit(number)
                samples[variant, op].append(seconds / number * 1e9)
    rows = []
    for op in ops:
        hand = samples["hand-written (0.1)", op]
        for variant in names:
            mine = samples[variant, op]
            ratio = statistics.median(a / b for a, b in zip(mine, hand, strict=True))
            rows.append(
                row(
                    op, variant, "CPU per operation", "ns", mine, ratio_vs_hand=ratio, number=number
                )
            )
    per = {r["variant"]: r for r in rows if r["case"] == "per request"}
    ratio = per["Headers"]["ratio_vs_hand"]
    goals = [
        goal(
            "Headers (CIMultiDict) / hand-written (0.1), per request",
            "<= 1.00",
            ratio,
            ratio <= 1.0,
            f"{per['Headers']['median']:.0f} ns vs {per['hand-written (0.1)']['median']:.0f} ns",
        )
    ]
    return scenario_result(
        "headers",
        "Headers",
        quick=quick,
        rows=rows,
        goals=goals,
        notes=(
            "CPU per operation in one process (timeit, GC off); median of the rounds, "
            "variants interleaved; ratios are medians of per-round ratios."
        ),
    )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Command line entry point; returns the result it writes."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_common_arguments(parser, default_repeat=ROUNDS)
    args = parser.parse_args(argv)
    repeat = check_repeat(parser, args.repeat)
    result = run(quick=args.quick, repeat=repeat)
    for r in result["rows"]:
        print(
            f"{r['case']:<12} {r['variant']:<20} {r['median']:8.0f} ns "
            f"(x{r['ratio_vs_hand']:.2f} hand-written)"
        )
    for g in result["goals"]:
        verdict = "met" if g["met"] else "MISSED"
        print(f"  goal {g['name']}: {g['measured']:.2f} {g['target']} {verdict}")
    if args.output:
        write_json(args.output, result)
    return result


if __name__ == "__main__":
    main()
