"""Run every benchmark scenario and write one report: ``nox -s bench`` (``-- --quick`` in CI).

Each scenario script runs in its own Python process (a clean client process: its CPU
and memory are its own), starts the sandbox it needs as yet another process on
loopback, and hands back JSON. This harness collects them, with the environment, into

* ``benchmarks/results/latest.json``: everything, every repetition;
* ``benchmarks/results/latest.md``: the goals and one table per scenario;
* ``benchmarks/results/latest.rst``: the goals table, also written into README.rst's
  "Performance" between the two ``.. latest.rst`` comment lines (:func:`splice_readme`);
* ``benchmarks/results/latest.png``: a chart of the medians (matplotlib; skipped with a
  warning when it is not installed).

``--quick`` runs small sizes (a smoke run that keeps the harness from rotting) and writes
``benchmarks/results/quick-latest.*`` instead (not committed).

The scenarios (issue 7): 1. per-request CPU (``bench_cpu.py``), 2. list all
(``bench_list_all.py``), 3. decode (``bench_decode.py``), 4. bulk create
(``bench_bulk.py``), 5. streaming memory (``bench_memory.py``), 6. connection reuse
(``bench_connections.py``); issue 18's 7. many workers (``bench_many_workers.py``: one
account's bulk creates shared by 1, 2 and 4 processes through Redis); plus the
transport's own CPU benchmark (``bench_transport.py``) and the headers'
(``bench_headers.py``). A script that is not in the tree is reported as missing.

Contract for scenario scripts: accept ``--quick`` and ``--output PATH`` and write the
document of ``_common.scenario_result`` (``rows`` and ``goals``). Scripts with another
shape are adapted below (:data:`ADAPTERS`); any other JSON object is kept as it is and
its ``goals``, if any, are reported.

Exit status: 0 when every present scenario ran (goals met or not), 1 when one failed.

Run: ``python benchmarks/run.py [--quick] [--only NAME ...] [--skip NAME ...]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import RESULTS_DIR, ROOT, environment, goal, row, write_json

BENCH_DIR = ROOT / "benchmarks"

Adapter = Callable[[dict[str, Any], str, bool], dict[str, Any]]


class Scenario:
    """One benchmark script and how to run it."""

    def __init__(
        self,
        key: str,
        title: str,
        script: str,
        *,
        full: list[str] | None = None,
        quick: list[str] | None = None,
        output_flag: bool = True,
        quick_flag: bool = True,
        timeout: float = 900.0,
    ) -> None:
        self.key = key
        self.title = title
        self.script = BENCH_DIR / script
        self.full = full or []
        self.quick = quick or []
        self.output_flag = output_flag
        self.quick_flag = quick_flag
        self.timeout = timeout

    def argv(self, quick: bool, output: Path) -> list[str]:
        args = [sys.executable, str(self.script)]
        args += self.quick if quick else self.full
        if quick and self.quick_flag:
            args.append("--quick")
        if self.output_flag:
            args += ["--output", str(output)]
        return args


SCENARIOS = [
    Scenario("cpu", "1. Per-request client CPU", "bench_cpu.py"),
    Scenario("list_all", "2. List all", "bench_list_all.py"),
    Scenario(
        "decode",
        "3. Decode",
        "bench_decode.py",
        full=["--rows", "100000", "--repeat", "5"],
        quick=["--rows", "5000", "--repeat", "5"],
        quick_flag=False,
    ),
    Scenario("bulk", "4. Bulk create", "bench_bulk.py"),
    Scenario("memory", "5. Streaming memory", "bench_memory.py"),
    Scenario("connections", "6. Connection reuse", "bench_connections.py"),
    Scenario("many_workers", "7. Many workers", "bench_many_workers.py"),
    Scenario(
        "transport",
        "Transport CPU (extra)",
        "bench_transport.py",
        full=["--requests", "2000", "--rounds", "5"],
        quick=["--requests", "200", "--rounds", "5"],
        output_flag=False,
        quick_flag=False,
    ),
    Scenario("headers", "Headers CPU (extra)", "bench_headers.py"),
    Scenario("import", "7. Import time", "bench_import.py"),
]


# --------------------------------------------------------------------------- adapters


def adapt_decode(data: dict[str, Any], stdout: str, quick: bool) -> dict[str, Any]:
    """``bench_decode.py``'s JSON -> rows (microseconds per row) and its goal."""
    rows_count = int(data["rows"])
    medians: dict[str, float] = data["median_seconds"]
    runs: dict[str, list[float]] = data.get("runs_seconds", {})
    hand = medians["hand"]
    rows = [
        row(
            f"{rows_count:,} invoice rows, bytes to objects",
            name,
            "time per row",
            "us",
            [s / rows_count * 1e6 for s in runs.get(name, [median])],
            ratio_vs_hand=median / hand,
        )
        for name, median in medians.items()
    ]
    ratio = float(data["ratio_ours_over_hand"])
    goals = [
        goal(
            "decode: ours / hand-written attrs",
            f"<= {data.get('goal_ratio', 1.25)}",
            ratio,
            ratio <= float(data.get("goal_ratio", 1.25)),
            f"{medians['ours']:.3f} s vs {hand:.3f} s for {rows_count:,} rows",
        )
    ]
    if "json_only" in medians:
        # Issue 20: bytes to typed objects against the stdlib parse of the same bytes.
        per_json = medians["ours"] / medians["json_only"]
        goals.append(
            goal(
                "decode one invoice row: bytes to models / stdlib json.loads of the bytes",
                "<= 1.5",
                per_json,
                per_json <= 1.5,
                f"{medians['ours'] / rows_count * 1e6:.1f} us vs "
                f"{medians['json_only'] / rows_count * 1e6:.1f} us per row",
            )
        )
    if "json_only" in medians and "ours_read_all" in medians:
        read_all = medians["ours_read_all"] / medians["json_only"]
        goals.append(
            goal(
                "decode one invoice row, then every field read / stdlib json.loads",
                "(for information)",
                read_all,
                True,
                "the lazy models' cost when a job reads everything",
            )
        )
    if "sdk" in medians:
        goals.append(
            goal(
                "decode: official SDK wrapper (lazy, not read) / ours",
                "(for information)",
                medians["sdk"] / medians["ours"],
                True,
                "the SDK's ListResult parses fields only when read; see sdk_read_all",
            )
        )
    return {"title": "Decode", "rows": rows, "goals": goals, "source": data}


_TRANSPORT_LINE = re.compile(
    r"^\s+(?P<name>.+?)\s+cpu\s+(?P<cpu>[\d.]+) us/req\s+wall\s+(?P<wall>[\d.]+) us/req"
    r"\s+cpu ratio\s+(?P<ratio>[\d.]+)\s*$"
)


def adapt_transport(data: dict[str, Any], stdout: str, quick: bool) -> dict[str, Any]:
    """``bench_transport.py`` prints a table; parse it."""
    rows = []
    for line in stdout.splitlines():
        match = _TRANSPORT_LINE.match(line)
        if match:
            rows.append(
                row(
                    "sequential GETs, small body, keep-alive",
                    match["name"],
                    "client CPU per request",
                    "us",
                    [float(match["cpu"])],
                    wall_us_median=float(match["wall"]),
                    ratio_vs_raw=float(match["ratio"]),
                )
            )
    if not rows:
        raise ValueError("bench_transport.py printed no result lines")
    return {"title": "Transport CPU (extra)", "rows": rows, "goals": [], "stdout": stdout}


ADAPTERS: dict[str, Adapter] = {"decode": adapt_decode, "transport": adapt_transport}


def _supports(script: Path, flag: str) -> bool:
    """Whether ``script --help`` mentions ``flag`` (for scripts of other owners)."""
    try:
        done = subprocess.run(  # noqa: S603 - our own benchmark scripts
            [sys.executable, str(script), "--help"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return flag in done.stdout


def run_scenario(scenario: Scenario, quick: bool, workdir: Path) -> dict[str, Any]:
    """Run one script; returns its normalised result (``status``: ok, error or missing)."""
    if not scenario.script.exists():
        return {
            "scenario": scenario.key,
            "title": scenario.title,
            "status": "missing",
            "detail": f"{scenario.script.relative_to(ROOT)} is not in the tree",
            "rows": [],
            "goals": [],
        }
    if scenario.key not in ADAPTERS and scenario.key not in (
        "cpu",
        "memory",
        "connections",
        "import",
    ):
        # Another owner's script: pass the flags it understands.
        scenario.quick_flag = _supports(scenario.script, "--quick")
        scenario.output_flag = _supports(scenario.script, "--output")
    output = workdir / f"{scenario.key}.json"
    argv = scenario.argv(quick, output)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    print(f"== {scenario.title}: {' '.join(Path(a).name if a else a for a in argv[1:])}")
    sys.stdout.flush()
    started = time.perf_counter()
    try:
        done = subprocess.run(  # noqa: S603 - our own benchmark scripts
            argv,
            capture_output=True,
            text=True,
            timeout=scenario.timeout if not quick else min(scenario.timeout, 300.0),
            cwd=ROOT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        return _error(scenario, time.perf_counter() - started, f"timed out after {exc.timeout} s")
    elapsed = time.perf_counter() - started
    sys.stdout.write(done.stdout)
    if done.returncode != 0:
        return _error(scenario, elapsed, f"exit {done.returncode}: {done.stderr[-3000:]}")
    try:
        data: dict[str, Any] = json.loads(output.read_text()) if output.exists() else {}
        adapter = ADAPTERS.get(scenario.key)
        result = adapter(data, done.stdout, quick) if adapter else data
        if not isinstance(result, dict):
            raise ValueError(f"expected a JSON object, got {type(result).__name__}")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return _error(scenario, elapsed, f"unreadable result: {exc!r}")
    result.setdefault("rows", [])
    result.setdefault("goals", [])
    result["scenario"] = scenario.key
    result["title"] = scenario.title
    result["status"] = "ok"
    result["duration_seconds"] = elapsed
    result["command"] = " ".join(
        [
            "python",
            *(str(Path(a).relative_to(ROOT)) if a.startswith(str(ROOT)) else a for a in argv[1:]),
        ]
    )
    print(f"   ({elapsed:.0f} s)")
    return result


def _error(scenario: Scenario, elapsed: float, detail: str) -> dict[str, Any]:
    print(f"   FAILED: {detail}", file=sys.stderr)
    return {
        "scenario": scenario.key,
        "title": scenario.title,
        "status": "error",
        "detail": detail,
        "duration_seconds": elapsed,
        "rows": [],
        "goals": [],
    }


# --------------------------------------------------------------------------- report


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value == 0:
            return "0"
        magnitude = abs(value)
        if magnitude >= 100:
            return f"{value:,.0f}"
        if magnitude >= 10:
            return f"{value:.1f}"
        if magnitude >= 0.01:
            return f"{value:.2f}"
        return f"{value:.2g}"
    return str(value)


_EXTRA_SKIP = {"case", "variant", "metric", "unit", "median", "min", "max", "runs"}


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def _met(g: dict[str, Any], no: str) -> str:
    if str(g.get("target", "")).startswith("(for information)"):
        return "n/a"
    return "yes" if g["met"] else no


def render_markdown(report: dict[str, Any]) -> str:
    """The Markdown report: environment, goals, then one table per scenario."""
    env = report["environment"]
    out = [
        f"# Benchmarks ({'quick' if report['quick'] else 'full'} run)",
        "",
        f"- Date: {env['date']}; total time {report['duration_seconds']:.0f} s",
        f"- Machine: {env['cpu']}, {env['cpu_count']} CPUs; {env['platform']}",
        f"- Python: {env['python']}; commit {env['git_commit']}",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in env["versions"].items() if v is not None),
        "",
        "Medians over >= 5 measured repetitions after a warm-up; every baseline ran in the",
        "same run. The sandbox runs in its own process; client CPU is the client process only.",
        "",
        "## Goals",
        "",
        "| Scenario | Goal | Target | Measured | Met | Detail |",
        "|---|---|---|---:|:-:|---|",
    ]
    for g in report["goals"]:
        out.append(
            f"| {g['scenario']} | {_md_escape(g['name'])} | {_md_escape(g['target'])} | "
            f"{_fmt(g['measured'])} | {_met(g, '**NO**')} | "
            f"{_md_escape(g.get('detail', ''))} |"
        )
    for result in report["scenarios"]:
        out += ["", f"## {result['title']}", ""]
        if result["status"] != "ok":
            out.append(f"**{result['status'].upper()}**: {_md_escape(result.get('detail', ''))}")
            continue
        if result.get("notes"):
            out += [str(result["notes"]), ""]
        rows = result["rows"]
        if not rows:
            out.append("(no rows)")
            continue
        extras = sorted({k for r in rows for k in r if k not in _EXTRA_SKIP})
        header = ["Case", "Variant", "Metric", "Median", "Min", "Max", *extras]
        out.append("| " + " | ".join(header) + " |")
        out.append("|---|---|---|" + "---:|" * (3 + len(extras)))
        for r in rows:
            cells = [
                _md_escape(str(r.get("case", ""))),
                _md_escape(str(r.get("variant", ""))),
                f"{r.get('metric', '')} ({r.get('unit', '')})",
                _fmt(r.get("median")),
                _fmt(r.get("min")),
                _fmt(r.get("max")),
                *(_fmt(r.get(k, "")) for k in extras),
            ]
            out.append("| " + " | ".join(cells) + " |")
        if result.get("command"):
            out += ["", f"`{result['command']}` ({result.get('duration_seconds', 0):.0f} s)"]
    return "\n".join(out) + "\n"


def render_rst(report: dict[str, Any]) -> str:
    """The goals as an RST list-table (pasted into README.rst's "Performance")."""
    env = report["environment"]
    lines = [
        f"Measured {env['date']} on {env['cpu']} ({env['cpu_count']} CPUs), {env['python']},",
        f"commit {env['git_commit']}.",
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "",
        "   * - Scenario",
        "     - Goal",
        "     - Target",
        "     - Measured",
        "     - Met",
    ]
    for g in report["goals"]:
        lines += [
            f"   * - {g['scenario']}",
            f"     - {g['name']}",
            f"     - {g['target']}",
            f"     - {_fmt(g['measured'])}",
            f"     - {_met(g, '**no**')}",
        ]
    for result in report["scenarios"]:
        if result["status"] != "ok":
            lines += [
                f"   * - {result['scenario']}",
                f"     - {result['status']}",
                "     -",
                "     -",
                "     - **no**",
            ]
    return "\n".join(lines) + "\n"


#: The comment lines in README.rst that enclose the copy of ``latest.rst``.
README_BEGIN = ".. latest.rst begin (written by benchmarks/run.py; do not edit by hand)"
README_END = ".. latest.rst end"


def splice_readme(readme: Path, table: str) -> None:
    """Replace what README.rst has between :data:`README_BEGIN` and :data:`README_END`
    with ``table`` (the RST goals table of a full run), so the README shows that run."""
    text = readme.read_text(encoding="utf-8")
    begin = text.find(README_BEGIN + "\n")
    end = text.find(README_END + "\n")
    if begin < 0 or end < begin:
        raise ValueError(f"{readme}: no {README_BEGIN!r} ... {README_END!r} block")
    start = begin + len(README_BEGIN) + 1
    readme.write_text(text[:start] + "\n" + table + "\n" + text[end:], encoding="utf-8")


def _short(label: str, width: int = 60) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def render_chart(report: dict[str, Any], path: Path) -> bool:
    """A PNG of the medians, one bar panel per scenario and metric; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no chart (pip install '.[bench]')", file=sys.stderr)
        return False
    # One panel per (scenario, metric): bars of one unit only.
    panels: list[tuple[str, str, list[dict[str, Any]]]] = []
    for result in report["scenarios"]:
        if result["status"] != "ok":
            continue
        metrics = dict.fromkeys(str(r.get("metric", "")) for r in result["rows"])
        for metric in metrics:
            rows = [r for r in result["rows"] if str(r.get("metric", "")) == metric]
            title = result["title"] if len(metrics) == 1 else f"{result['title']}: {metric}"
            panels.append((title, metric, rows))
    if not panels:
        return False
    heights = [max(1.4, 0.26 * len(rows) + 0.9) for _, _, rows in panels]
    fig, axes = plt.subplots(
        len(panels), 1, figsize=(10, sum(heights) + 0.6), gridspec_kw={"height_ratios": heights}
    )
    axes_list = list(axes) if len(panels) > 1 else [axes]
    palette = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3"]
    for ax, (title, metric, rows) in zip(axes_list, panels, strict=True):
        variants = list(dict.fromkeys(str(r["variant"]) for r in rows))
        labels = [_short(f"{r['case']} | {r['variant']}") for r in rows]
        values = [float(r["median"]) for r in rows]
        colors = [palette[variants.index(str(r["variant"])) % len(palette)] for r in rows]
        positions = list(range(len(rows)))[::-1]
        ax.barh(positions, values, color=colors)
        ax.set_yticks(positions, labels, fontsize=7)
        units = ", ".join(sorted({str(r.get("unit", "")) for r in rows}))
        ax.set_xlabel(f"{metric} ({units}), median", fontsize=8)
        ax.set_title(title, fontsize=10, loc="left")
        if values and min(values) > 0 and max(values) / min(values) > 50:
            ax.set_xscale("log")
        for pos, value in zip(positions, values, strict=True):
            ax.text(value, pos, f" {_fmt(value)}", va="center", fontsize=6)
        ax.tick_params(axis="x", labelsize=7)
    env = report["environment"]
    fig.suptitle(
        f"freshbooks_async benchmarks, {env['date']}, {env['cpu']} ({env['cpu_count']} CPUs)",
        fontsize=10,
    )
    fig.tight_layout(rect=(0.0, 0.0, 1.0, 0.985))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def write_reports(report: dict[str, Any], out_dir: Path, prefix: str, *, chart: bool) -> bool:
    """Write ``prefix``.md, .rst and (with ``chart``) .png; True if the chart was drawn."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{prefix}.md").write_text(render_markdown(report))
    (out_dir / f"{prefix}.rst").write_text(render_rst(report))
    if prefix == "latest" and out_dir.resolve() == RESULTS_DIR.resolve():
        # A full run into the committed results: the README shows it too.
        splice_readme(ROOT / "README.rst", render_rst(report))
    return render_chart(report, out_dir / f"{prefix}.png") if chart else False


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    """Run the scenarios and write the report; returns the exit status."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, CI smoke run")
    keys = [s.key for s in SCENARIOS]
    parser.add_argument("--only", nargs="+", choices=keys, help="run only these scenarios")
    parser.add_argument("--skip", nargs="+", choices=keys, default=[], help="skip these")
    parser.add_argument("--output-dir", type=Path, default=RESULTS_DIR, help="report folder")
    parser.add_argument("--no-chart", action="store_true", help="do not draw the PNG")
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="run nothing: redraw the Markdown, RST and PNG from the existing JSON",
    )
    args = parser.parse_args(argv)
    prefix = "quick-latest" if args.quick else "latest"
    out_dir: Path = args.output_dir
    if args.render_only:
        report = json.loads((out_dir / f"{prefix}.json").read_text())
        write_reports(report, out_dir, prefix, chart=not args.no_chart)
        return 0

    selected = [s for s in SCENARIOS if (not args.only or s.key in args.only)]
    selected = [s for s in selected if s.key not in args.skip]
    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="fb-bench-") as tmp:
        for scenario in selected:
            results.append(run_scenario(scenario, args.quick, Path(tmp)))
    goals = [{"scenario": r["scenario"], **g} for r in results for g in r.get("goals", [])]
    report = {
        "quick": args.quick,
        "environment": environment(),
        "duration_seconds": time.perf_counter() - started,
        "goals": goals,
        "scenarios": results,
    }
    write_json(out_dir / f"{prefix}.json", report)
    charted = write_reports(report, out_dir, prefix, chart=not args.no_chart)

    print()
    print(f"{'scenario':<12} {'status':<8} goals")
    for result in results:
        met = sum(g["met"] for g in result["goals"])
        print(f"{result['scenario']:<12} {result['status']:<8} {met}/{len(result['goals'])} met")
    missed = [g for g in goals if not g["met"]]
    for g in missed:
        print(
            f"  MISSED [{g['scenario']}] {g['name']}: {_fmt(g['measured'])} (target {g['target']})"
        )
    written = [f"{prefix}.json", f"{prefix}.md", f"{prefix}.rst"] + (
        [f"{prefix}.png"] if charted else []
    )
    paths = ", ".join(str(out_dir / w) for w in written)
    print(f"wrote {paths} in {report['duration_seconds']:.0f} s")
    return 1 if any(r["status"] == "error" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
