"""The package's layout rules: where the sandbox is imported, and by whom.

* ``import freshbooks_async`` and the SDK's public modules do not import the sandbox
  (nor does the pytest plugin when pytest loads it): an application that uses the SDK
  never loads the emulator. Only :mod:`freshbooks_async.testing`, the sandbox's own
  modules and the code that serves one import it.
* Nothing outside ``freshbooks_async/sandbox/`` imports the sandbox's private modules
  (``freshbooks_async.sandbox._x``); they go through ``freshbooks_async.sandbox``.
* Imports go one way: each module sits in a layer of the package map
  (docs/contributing.rst) and imports, at module level, only from its own layer and the
  layers before it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import freshbooks_async

PACKAGE = Path(freshbooks_async.__file__).resolve().parent
REPO = Path(__file__).resolve().parent.parent
SANDBOX = "freshbooks_async.sandbox"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _private(part: str) -> bool:
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


# ----------------------------------------------------------------------------- imported where used


def public_modules() -> list[str]:
    """The modules a user imports, found on disk (importing to find them would load the
    sandbox): no ``_``-prefixed part, outside the sandbox and the testing helpers."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        if any(_private(part) or part == "__main__" for part in name.split(".")):
            continue
        if name == SANDBOX or name.startswith(SANDBOX + ".") or name.endswith(".testing"):
            continue
        names.append(name)
    return names


_PROBE = """
import importlib, json, sys
def loaded():
    return sorted(m for m in sys.modules if m == {sandbox!r} or m.startswith({sandbox!r} + "."))
steps = []
import freshbooks_async
steps.append(("import freshbooks_async", loaded()))
for name in freshbooks_async.__all__:
    getattr(freshbooks_async, name)  # the lazy names, each from its home module
steps.append(("every name of freshbooks_async.__all__", loaded()))
for module in {modules!r}:
    importlib.import_module(module)
    steps.append((module, loaded()))
print(json.dumps(steps))
"""


def imports_of_the_sandbox(modules: list[str]) -> list[tuple[str, list[str]]]:
    """In a fresh interpreter: import freshbooks_async, resolve its public names, then
    import each module in turn; after each step, the sandbox modules loaded so far."""
    code = _PROBE.format(sandbox=SANDBOX, modules=modules)
    out = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return [(step, loaded) for step, loaded in json.loads(out.stdout)]


def test_the_public_modules_are_found() -> None:
    found = public_modules()
    assert {"freshbooks_async.client", "freshbooks_async.bulk", "freshbooks_async.cli"} <= set(
        found
    )
    assert "freshbooks_async.models.invoices" in found
    assert not [m for m in found if m.startswith(SANDBOX) or m.endswith("testing")]


def test_the_sdk_does_not_import_the_sandbox() -> None:
    modules = [*public_modules(), "freshbooks_async._pytest_plugin"]
    steps = imports_of_the_sandbox(modules)
    assert len(steps) == len(modules) + 2
    first = next(((step, loaded) for step, loaded in steps if loaded), None)
    assert first is None, f"{first[0]} imports the sandbox: {first[1]}"


def test_the_probe_sees_the_sandbox_when_it_is_imported() -> None:
    # The testing helpers serve a sandbox, so they import it: the probe must say so.
    steps = imports_of_the_sandbox(["freshbooks_async.testing"])
    assert steps[0] == ("import freshbooks_async", [])
    assert SANDBOX in steps[-1][1]


# ----------------------------------------------------------------------------- private modules


def _is_private(target: str) -> bool:
    """``target`` is (or is inside) one of the sandbox's private modules."""
    parts = target.split(".")
    return target.startswith(SANDBOX + ".") and any(_private(p) for p in parts[2:])


def private_sandbox_imports(source: str, module: str | None) -> list[str]:
    """The private sandbox modules (or private names of the sandbox package) that
    ``source`` imports; ``module`` is its dotted name (``pkg.__init__`` for a package),
    for relative imports (``None`` for a script outside the package)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                if module is None:
                    continue
                package = module.split(".")
                package = package[: len(package) - node.level]
                base = ".".join([*package, *([base] if base else [])])
            # The module imported from, or else what it names (a submodule or a name).
            targets = [base] if _is_private(base) else [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        found += [target for target in targets if _is_private(target)]
    return sorted(set(found))


def _sources() -> list[tuple[Path, str | None]]:
    files: list[tuple[Path, str | None]] = [
        (path, _file_module(path))
        for path in sorted(PACKAGE.rglob("*.py"))
        if (PACKAGE / "sandbox") not in path.parents
    ]
    for folder in ("benchmarks", "examples"):  # in a checkout; the sdist has examples/ only
        files += [(path, None) for path in sorted((REPO / folder).rglob("*.py"))]
    return files


def _file_module(path: Path) -> str:
    # "freshbooks_async.cli.__init__" for a package: a relative import of level n is
    # resolved from the name less its last n parts, for modules and packages alike.
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("from freshbooks_async.sandbox._loop import f", None, ["freshbooks_async.sandbox._loop"]),
        ("import freshbooks_async.sandbox._core as c", None, ["freshbooks_async.sandbox._core"]),
        ("from freshbooks_async.sandbox import _web", None, ["freshbooks_async.sandbox._web"]),
        (
            "from ..sandbox._handlers.dispatch import resolve",
            "freshbooks_async.cli.x",
            ["freshbooks_async.sandbox._handlers.dispatch"],
        ),
        (
            "from .sandbox import _faults",
            "freshbooks_async.x",
            ["freshbooks_async.sandbox._faults"],
        ),
        ("from freshbooks_async.sandbox import Sandbox, SandboxServer", None, []),
        ("from ..sandbox.__main__ import main", "freshbooks_async.cli.x", []),
        ("from ._core import Sandbox", "freshbooks_async.cli.x", []),
        ("from .. import sandbox", "freshbooks_async.cli.__init__", []),
        ("from ..sandbox import _loop", "freshbooks_async.cli.__init__", [f"{SANDBOX}._loop"]),
    ],
)
def test_the_check_finds_private_sandbox_imports(
    source: str, module: str | None, expected: list[str]
) -> None:
    assert private_sandbox_imports(source, module) == expected


def test_nothing_outside_the_sandbox_imports_its_private_modules() -> None:
    sources = _sources()
    assert any(path.name == "_pytest_plugin.py" for path, _ in sources)
    offenders = {
        str(path.relative_to(REPO if REPO in path.parents else PACKAGE.parent)): found
        for path, module in sources
        if (found := private_sandbox_imports(path.read_text(encoding="utf-8"), module))
    }
    assert offenders == {}


# ----------------------------------------------------------------------------- layers

#: The layers of docs/contributing.rst ("Map of the package"), bottom up. A module or
#: subpackage of the package imports, at module level and outside ``TYPE_CHECKING``, only
#: from its own layer and the layers before it.
LAYERS: dict[str, int] = {
    **dict.fromkeys(
        [
            "__init__",
            "_version",
            "errors",
            "_clock",
            "_json",
            "_tz",
            "_validate",
            "_secrets",
            "_catalogue",
            "_route",
            "_numbering",
        ],
        1,
    ),
    "transports": 2,
    **dict.fromkeys(["_sansio", "models"], 3),
    **dict.fromkeys(["retry", "hooks", "coordination"], 4),
    "_pipeline": 5,
    **dict.fromkeys(
        ["query", "pagination", "resources", "bulk", "uploads", "webhooks", "auth", "redis"], 6
    ),
    **dict.fromkeys(["client", "sandbox"], 7),
    **dict.fromkeys(["cli", "testing", "_pytest_plugin"], 8),
}


def _unit(module: str) -> str:
    """``freshbooks_async.models._base`` -> ``models``; the package itself -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


class _ModuleLevelImports(ast.NodeVisitor):
    """Import statements that run when the module is imported: not in a function, not
    under ``if TYPE_CHECKING:``."""

    def __init__(self) -> None:
        self.found: list[ast.Import | ast.ImportFrom] = []

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        ):
            for statement in node.orelse:
                self.visit(statement)
            return
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        return

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        return

    def visit_Import(self, node: ast.Import) -> None:
        self.found.append(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.found.append(node)


def imported_units(source: str, module: str, is_package: bool) -> set[str]:
    """The package's units that ``module`` imports at module level."""
    visitor = _ModuleLevelImports()
    visitor.visit(ast.parse(source))
    package = module if is_package else module.rpartition(".")[0]
    units: set[str] = set()
    for node in visitor.found:
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            targets = [target]
            if target == "freshbooks_async":
                targets = [f"freshbooks_async.{alias.name}" for alias in node.names]
        units.update(_unit(t) for t in targets if t.split(".")[0] == "freshbooks_async")
    return units


def test_the_layer_check_sees_relative_and_absolute_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from .. import errors\n"
        "from ..client import FreshBooksClient\n"
        "import freshbooks_async.retry\n"
        "if TYPE_CHECKING:\n"
        "    from ..pagination import Page\n"
        "def later():\n"
        "    from ..cli import main\n"
    )
    found = imported_units(source, "freshbooks_async.models._base", is_package=False)
    assert found == {"errors", "client", "retry"}


def test_every_unit_has_a_layer_and_imports_only_from_layers_before_it() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        unit = _unit(module)
        if path == PACKAGE / "__init__.py":
            unit = "__init__"
        assert unit in LAYERS, f"{unit} ({path.name}) has no layer in docs/contributing.rst"
        for target in imported_units(path.read_text(), module, path.name == "__init__.py"):
            if target == unit:
                continue
            assert target in LAYERS, f"{target} has no layer in docs/contributing.rst"
            if LAYERS[target] > LAYERS[unit]:
                wrong.append(f"{module} (layer {LAYERS[unit]}) imports {target} ({LAYERS[target]})")
    assert not wrong, "\n".join(wrong)
