"""Scenario 5: peak RSS while streaming a large invoice listing vs while collecting it.

The sandbox (its own process) is seeded with the largest total; each case runs in a
fresh Python process that lists ``N`` invoices with ``client.invoices.list_all(...,
max_items=N)`` (typed :class:`~freshbooks_async.models.Invoice` models, 100 per page,
4 pages in flight) and either

* ``stream``: iterates them one by one, keeping only a running total, or
* ``collect``: ``await paginator.collect()`` (every model held in a list).

The child reports its peak RSS (``ru_maxrss``) and its RSS before the listing started
(after imports and one warm-up page), for ``N`` = 10,000 and 100,000 (quick: 1,000 and
5,000). Each case is repeated ``--repeat`` times (fresh processes) and the median taken.
Goal: streaming stays flat as the total grows: the streaming peak's growth over the
baseline at the large total is at most 1.25 x that at the small total (+ 4 MiB slack),
while collecting grows with the total.

Run: ``python benchmarks/bench_memory.py [--quick] [--repeat 5] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from _common import (
    ACCOUNT_ID,
    ROOT,
    SandboxProcess,
    add_common_arguments,
    check_repeat,
    current_rss_kib,
    goal,
    peak_rss_kib,
    row,
    scenario_result,
    write_json,
)

TOTALS = {False: (10_000, 100_000), True: (1_000, 5_000)}
MODES = ("stream", "collect")
CONCURRENCY = 4
#: Slack on the streaming goal: allocator and page-buffer noise.
SLACK_KIB = 4 * 1024


async def _child(url: str, token: str, mode: str, total: int) -> dict[str, Any]:
    from freshbooks_async import FreshBooksClient

    async with FreshBooksClient(token, base_url=url) as client:
        first = await client.invoices.list(ACCOUNT_ID, per_page=100)  # warm-up
        assert first.total is None or first.total >= total, (first.total, total)
        baseline = current_rss_kib()
        started = time.perf_counter()
        paginator = client.invoices.list_all(
            ACCOUNT_ID, per_page=100, concurrency=CONCURRENCY, max_items=total
        )
        amount = Decimal(0)
        if mode == "stream":
            count = 0
            async for invoice in paginator:
                count += 1
                amount += invoice.amount.amount if invoice.amount else Decimal(0)
        else:
            invoices = await paginator.collect()
            count = len(invoices)
            for invoice in invoices:
                amount += invoice.amount.amount if invoice.amount else Decimal(0)
        wall = time.perf_counter() - started
    return {
        "mode": mode,
        "total": total,
        "count": count,
        "baseline_kib": baseline,
        "peak_kib": peak_rss_kib(),
        "wall_seconds": wall,
        "amount": str(amount),
    }


def _run_child(url: str, token: str, mode: str, total: int) -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(  # noqa: S603 - this very script
        [sys.executable, __file__, "--child", mode, str(total), "--url", url, "--token", token],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"memory case {mode} {total} failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if result["count"] != total:
        raise RuntimeError(f"memory case {mode} {total}: got {result['count']} invoices")
    return result


def run(url: str, token: str, *, quick: bool, repeat: int) -> dict[str, Any]:
    """Every case in fresh processes; returns the scenario result."""
    small, large = TOTALS[quick]
    samples: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for _ in range(repeat):  # interleaved
        for mode in MODES:
            for total in (small, large):
                samples.setdefault((mode, total), []).append(_run_child(url, token, mode, total))
    rows: list[dict[str, Any]] = []
    growth: dict[tuple[str, int], float] = {}
    for (mode, total), runs in samples.items():
        peaks = [r["peak_kib"] / 1024 for r in runs]
        deltas = [(r["peak_kib"] - r["baseline_kib"]) / 1024 for r in runs]
        rows.append(
            row(
                f"{total:,} invoices",
                mode,
                "peak RSS",
                "MiB",
                peaks,
                total=total,
                growth_mib_median=sorted(deltas)[len(deltas) // 2],
                baseline_mib_median=sorted(r["baseline_kib"] / 1024 for r in runs)[len(runs) // 2],
                wall_seconds_median=sorted(r["wall_seconds"] for r in runs)[len(runs) // 2],
            )
        )
        growth[mode, total] = sorted(deltas)[len(deltas) // 2]
    stream_small, stream_large = growth["stream", small], growth["stream", large]
    limit = 1.25 * stream_small + SLACK_KIB / 1024
    peak = {(r["variant"], r["total"]): r["median"] for r in rows}
    goals = [
        goal(
            f"streaming growth over baseline, {large:,} vs {small:,} invoices",
            f"<= 1.25 x {stream_small:.1f} + 4 MiB = {limit:.1f} MiB",
            stream_large,
            stream_large <= limit,
            f"peak {peak['stream', large]:.1f} vs {peak['stream', small]:.1f} MiB; collecting: "
            f"{peak['collect', large]:.1f} vs {peak['collect', small]:.1f} MiB",
        )
    ]
    return scenario_result(
        "memory",
        "Streaming memory",
        quick=quick,
        rows=rows,
        goals=goals,
        notes=(
            "Peak RSS (ru_maxrss) of a fresh client process listing N invoices as typed "
            "models, 4 pages in flight; growth = peak minus RSS before the listing."
        ),
    )


def main(argv: list[str] | None = None) -> dict[str, Any] | None:
    """Command line entry point; returns the result it writes."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_common_arguments(parser)
    parser.add_argument("--url", help="use this running sandbox (seeded with enough invoices)")
    parser.add_argument("--token", help="its bearer token (with --url)")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "TOTAL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, total = args.child[0], int(args.child[1])
        if mode not in MODES or total < 1:
            parser.error(f"--child: bad mode or total: {args.child}")
        print(json.dumps(asyncio.run(_child(args.url, args.token, mode, total))))
        return None
    repeat = check_repeat(parser, args.repeat)
    if args.url:
        if not args.token:
            parser.error("--token is required with --url")
        result = run(args.url, args.token, quick=args.quick, repeat=repeat)
    else:
        with SandboxProcess(seed_invoices=TOTALS[args.quick][1]) as sandbox:
            result = run(sandbox.url, sandbox.token, quick=args.quick, repeat=repeat)
    for r in result["rows"]:
        print(
            f"{r['case']:<20} {r['variant']:<8} peak {r['median']:7.1f} MiB "
            f"(+{r['growth_mib_median']:.1f} over baseline) in {r['wall_seconds_median']:.1f} s"
        )
    for g in result["goals"]:
        print(f"  goal {g['name']}: {g['measured']:.1f} MiB {g['target']}: ", end="")
        print("met" if g["met"] else "MISSED")
    if args.output:
        write_json(args.output, result)
    return result


if __name__ == "__main__":
    main()
