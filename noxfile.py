"""Developer tasks: `nox -s tests`, `nox -s lint typecheck`, `nox -s bench`, `nox -s demo`."""

from __future__ import annotations

import os
import re
import shutil
import tarfile
import tomllib
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True
# A Python that is missing fails the run in CI and is skipped (with a message) elsewhere.
nox.options.error_on_missing_interpreters = os.environ.get("CI") == "true"

PYTHON = "3.11"
#: Every Python the package supports; `nox -s tests` runs the suite on each one found.
PYTHONS = ["3.11", "3.12", "3.13"]
_CANDIDATES = ["freshbooks_async", "tests", "benchmarks", "examples", "noxfile.py", "docs/conf.py"]
LINT_PATHS = [p for p in _CANDIDATES if Path(p).exists()]
TYPED_PATHS = [p for p in LINT_PATHS if p not in ("noxfile.py", "docs/conf.py")]


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the whole test suite (unit, contract and sandbox integration tests)."""
    session.install("-e", ".[test]")
    run_pytest(session)


def run_pytest(session: nox.Session, *python_flags: str) -> None:
    """pytest, quiet, writing no caches or bytecode into the tree."""
    session.run(
        "python",
        *python_flags,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        *session.posargs,
        env={"PYTHONDONTWRITEBYTECODE": "1"},
    )


def runtime_floors() -> list[str]:
    """``name==version`` for every ``name>=version`` runtime dependency in pyproject.toml."""
    with open("pyproject.toml", "rb") as f:
        deps = tomllib.load(f)["project"]["dependencies"]
    pins = []
    for dep in deps:
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9][0-9A-Za-z.]*)", dep)
        if m:
            pins.append(f"{m[1]}=={m[2]}")
    return pins


@nox.session(python=PYTHON)
def tests_min(session: nox.Session) -> None:
    """The suite against the lowest runtime versions pyproject.toml declares."""
    pins = runtime_floors()
    # Not session.create_tmp(): it points TMPDIR into this tree, under its pyproject.toml.
    constraints = Path(session.virtualenv.location) / "floors.txt"
    constraints.write_text("\n".join(pins) + "\n")
    session.install("-c", str(constraints), "-e", ".[test]")
    # Fail loudly if the resolver did not install a floor exactly.
    session.run(
        "python",
        "-c",
        "import sys; from importlib.metadata import version; "
        "bad = [p for p in sys.argv[1:] if version(p.split('==')[0]) != p.split('==')[1]]; "
        "sys.exit(f'not at the floor: {bad}' if bad else 0)",
        *pins,
    )
    run_pytest(session)


@nox.session(python=PYTHON, reuse_venv=False)
def dist(session: nox.Session) -> None:
    """Build the sdist and the wheel, ``twine check --strict`` them, install the wheel and
    run the sdist's own test suite against the installed package (not this tree)."""
    session.install("build", "twine")
    tmp = Path(session.create_tmp()).resolve()
    out = tmp / "dist"
    shutil.rmtree(out, ignore_errors=True)
    session.run("python", "-m", "build", "--outdir", str(out), ".")
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    session.run("twine", "check", "--strict", str(wheel), str(sdist))
    session.install(f"{wheel}[test]")
    src = tmp / "sdist"
    shutil.rmtree(src, ignore_errors=True)
    with tarfile.open(sdist) as tar:
        tar.extractall(src, filter="data")
    (root,) = src.iterdir()
    session.chdir(root)
    # -P: the unpacked source tree is not on sys.path, so the tests import the wheel.
    session.run(
        "python",
        "-P",
        "-c",
        "import freshbooks_async, sys; f = freshbooks_async.__file__; "
        "sys.exit(0 if 'site-packages' in f else f'imported from the tree: {f}')",
    )
    run_pytest(session, "-P")


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff: lint rules and formatting."""
    session.install("ruff>=0.5")
    session.run("ruff", "check", *LINT_PATHS)
    session.run("ruff", "format", "--check", *LINT_PATHS)


#: Where the README's and the docs' examples are written to be type-checked (not a dot
#: directory: pyright skips those).
DOC_EXAMPLES = "build/doc-examples"


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package, the tests, the benchmarks and examples/; then the
    README's and the docs' code examples, and tests/typing_checks.py (what users' code
    must be refused), under mypy --strict and pyright strict."""
    session.install("-e", ".[test,typecheck]")
    session.run("mypy", "--strict", "--cache-dir", ".nox/.mypy_cache", *TYPED_PATHS)
    session.run("python", ".ci/doc_examples.py", DOC_EXAMPLES)
    # The docs may import an example module as users would after copying it (otel_tracing).
    session.run(
        "mypy",
        "--strict",
        "--cache-dir",
        ".nox/.mypy_cache",
        DOC_EXAMPLES,
        env={"MYPYPATH": "examples"},
    )
    python = str(Path(session.bin) / "python")
    pyright_paths = [DOC_EXAMPLES, "tests/typing_checks.py", *sorted(Path("examples").glob("*.py"))]
    session.run("pyright", "--pythonpath", python, *map(str, pyright_paths))


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """The main job: ``freshbooks-async demo`` against the embedded sandbox."""
    session.install("-e", ".[cli]")
    session.run("freshbooks-async", "demo", *session.posargs)


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the Sphinx docs with warnings as errors."""
    session.install("-e", ".[docs,pytest]")
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")
    # Every public name has one entry in the inventory just built.
    session.run(
        "python",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/test_docs_reference.py",
        env={
            "FRESHBOOKS_DOCS_INVENTORY": "docs/_build/html/objects.inv",
            "PYTHONDONTWRITEBYTECODE": "1",
        },
    )


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks against raw aiohttp and the official SDK (``-- --quick`` for CI)."""
    session.install("-e", ".[bench]")
    session.run("python", "benchmarks/run.py", *session.posargs)
