"""Developer tasks: `nox -s tests`, `nox -s lint typecheck`, `nox -s bench`, `nox -s demo`."""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

PYTHON = "3.11"
_CANDIDATES = ["freshbooks_async", "tests", "benchmarks", "examples", "noxfile.py", "docs/conf.py"]
LINT_PATHS = [p for p in _CANDIDATES if Path(p).exists()]
TYPED_PATHS = [p for p in LINT_PATHS if p not in ("noxfile.py", "docs/conf.py")]


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the whole test suite (unit, contract and sandbox integration tests)."""
    session.install("-e", ".[test]")
    session.run(
        "python",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        *session.posargs,
        env={"PYTHONDONTWRITEBYTECODE": "1"},
    )


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
    session.run("mypy", "--strict", "--cache-dir", ".nox/.mypy_cache", DOC_EXAMPLES)
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
    session.install("-e", ".[docs]")
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks against raw aiohttp and the official SDK (``-- --quick`` for CI)."""
    session.install("-e", ".[bench]")
    session.run("python", "benchmarks/run.py", *session.posargs)
