"""The README's performance table is the committed full benchmark run, as written.

``benchmarks/run.py`` writes ``benchmarks/results/latest.rst`` after a full run and copies
it into README.rst between two comment lines; these tests keep the two equal (a hand
edit of either, or a run whose README was not committed, fails here) and check the
copy itself. ``benchmarks/`` is in a checkout, not in the sdist.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"

pytestmark = pytest.mark.skipif(
    not (BENCH / "run.py").exists(), reason="benchmarks/ is in a checkout, not in the sdist"
)


@pytest.fixture(scope="module")
def run_py() -> ModuleType:
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("_bench_run", BENCH / "run.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


def test_readme_shows_the_committed_full_run(run_py: ModuleType) -> None:
    readme = (REPO / "README.rst").read_text(encoding="utf-8")
    begin = readme.index(run_py.README_BEGIN + "\n") + len(run_py.README_BEGIN) + 1
    end = readme.index(run_py.README_END + "\n")
    latest = (BENCH / "results" / "latest.rst").read_text(encoding="utf-8")
    assert readme[begin:end] == "\n" + latest + "\n"
    assert latest.startswith("Measured ")
    assert ".. list-table::" in latest


def test_splice_replaces_only_the_block(run_py: ModuleType, tmp_path: Path) -> None:
    readme = tmp_path / "README.rst"
    readme.write_text(
        f"Intro\n\n{run_py.README_BEGIN}\n\nold table\n\n{run_py.README_END}\n\nAfter\n",
        encoding="utf-8",
    )
    run_py.splice_readme(readme, "new table\n")
    assert readme.read_text(encoding="utf-8") == (
        f"Intro\n\n{run_py.README_BEGIN}\n\nnew table\n\n{run_py.README_END}\n\nAfter\n"
    )
    run_py.splice_readme(readme, "newer table\n")  # idempotent shape: replaced again
    assert "newer table\n" in readme.read_text(encoding="utf-8")
    assert "new table\n\n" not in readme.read_text(encoding="utf-8")


def test_splice_without_the_block_names_the_file(run_py: ModuleType, tmp_path: Path) -> None:
    readme = tmp_path / "README.rst"
    readme.write_text("no block here\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"README\.rst: no"):
        run_py.splice_readme(readme, "table\n")
    assert readme.read_text(encoding="utf-8") == "no block here\n"
