"""Import time: ``from freshbooks_async import FreshBooksClient`` against ``import freshbooks``.

Each measurement is a fresh interpreter that times its own import with
``time.perf_counter`` (interpreter start-up excluded), the two SDKs in alternating order.
Both import from compiled bytecode, as an installed package does: the runs write and
read it under a temporary ``PYTHONPYCACHEPREFIX`` (nothing is written into the tree),
after a warm-up run of each. For information, the cost of the first namespace used
(``FreshBooksClient(...).invoices``: the resource module and the models it decodes) and
of building the default transport (aiohttp) are reported too.

Goal (issue 20): ours / official SDK <= 1.5.

Run: ``python benchmarks/bench_import.py [--quick] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, goal, row, scenario_result, write_json

_TIMED = "import time\nt = time.perf_counter()\n{code}\nprint(time.perf_counter() - t)\n"

CASES = {
    "ours: from freshbooks_async import FreshBooksClient": (
        "from freshbooks_async import FreshBooksClient"
    ),
    "official SDK: import freshbooks": "import freshbooks",
}

# After the import (not timed): what the first use of the client costs.
FIRST_USE = (
    "from freshbooks_async import FreshBooksClient\n"
    "import time\n"
    "fb = FreshBooksClient('token-123456789')\n"
    "t = time.perf_counter()\n"
    "fb.invoices\n"
    "print(time.perf_counter() - t)\n"
)


def _run(code: str, env: dict[str, str]) -> float:
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--output", type=Path, help="JSON result path")
    args = parser.parse_args()
    repeat = 5 if args.quick else 21
    rows = []
    goals = []
    with tempfile.TemporaryDirectory(prefix="fb-import-") as cache:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = cache
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        codes = {name: _TIMED.format(code=code) for name, code in CASES.items()}
        for code in [*codes.values(), FIRST_USE]:
            _run(code, env)  # warm-up: writes the bytecode
        samples: dict[str, list[float]] = {name: [] for name in codes}
        names = list(codes)
        for i in range(repeat):
            for name in names if i % 2 == 0 else names[::-1]:
                samples[name].append(_run(codes[name], env))
        first_use = [_run(FIRST_USE, env) for _ in range(max(3, repeat // 3))]
    ours_name, sdk_name = names
    ratios = [a / b for a, b in zip(samples[ours_name], samples[sdk_name], strict=True)]
    ratio = statistics.median(ratios)
    for name, values in samples.items():
        rows.append(
            row("import, fresh interpreter", name, "import time", "ms", [v * 1e3 for v in values])
        )
    rows.append(
        row(
            "first use, after the import",
            "ours: FreshBooksClient(...).invoices",
            "time",
            "ms",
            [v * 1e3 for v in first_use],
        )
    )
    ours_ms = statistics.median(samples[ours_name]) * 1e3
    sdk_ms = statistics.median(samples[sdk_name]) * 1e3
    goals.append(
        goal(
            "import time: ours / official SDK",
            "<= 1.5",
            ratio,
            ratio <= 1.5,
            f"{ours_ms:.1f} ms vs {sdk_ms:.1f} ms (paired median of {repeat})",
        )
    )
    for name, values in samples.items():
        print(f"{name:<55} {statistics.median(values) * 1e3:7.1f} ms")
    print(f"{'first use: fb.invoices':<55} {statistics.median(first_use) * 1e3:7.1f} ms")
    print(f"ours / official SDK = {ratio:.2f} (goal <= 1.5)")
    result = scenario_result("import", "Import time", quick=args.quick, rows=rows, goals=goals)
    if args.output:
        write_json(args.output, result)


if __name__ == "__main__":
    main()
