"""Sphinx configuration: ``sphinx-build -W -b html docs docs/_build/html``."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from freshbooks_async import __version__  # noqa: E402

project = "freshbooks_async"
author = "freshbooks_async developers"
copyright = "2026, freshbooks_async developers"
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]
templates_path: list[str] = []
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = f"freshbooks_async {release}"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True
nitpicky = False

# The performance page shows the newest benchmark results the repository holds:
# benchmarks/results/latest.* (full run) or quick-latest.* (CI's quick run).
_GENERATED = Path(__file__).parent / "_generated"


def _copy_benchmarks() -> None:
    _GENERATED.mkdir(exist_ok=True)
    results = ROOT / "benchmarks" / "results"
    for stem in ("latest", "quick-latest"):
        table = results / f"{stem}.rst"
        if table.exists():
            text = table.read_text(encoding="utf-8")
            chart = results / f"{stem}.png"
            if chart.exists():
                shutil.copyfile(chart, _GENERATED / "benchmarks.png")
                text += "\n\n.. image:: /_generated/benchmarks.png\n   :alt: benchmark chart\n"
            (_GENERATED / "benchmarks.inc").write_text(
                f"*Source:* ``benchmarks/results/{stem}.rst``.\n\n{text}", encoding="utf-8"
            )
            return
    (_GENERATED / "benchmarks.inc").write_text(
        "No benchmark results are checked in yet: run ``nox -s bench``.\n", encoding="utf-8"
    )


_copy_benchmarks()
