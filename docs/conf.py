"""Sphinx configuration: ``sphinx-build -W -b html docs docs/_build/html``."""

from __future__ import annotations

import importlib
import inspect
import shutil
import sys
import typing
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docutils.nodes import Element
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from freshbooks_async import __version__  # noqa: E402

project = "freshbooks_async"
author = "freshbooks_async developers"
copyright = "2026, freshbooks_async developers"
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
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
# Every reference must resolve: ``nox -s docs`` fails on a link to nothing.
nitpicky = True
# Types for the parameters the docstring describes, and the return type: an undescribed
# parameter list (the attrs models' generated ``__init__``) is not repeated with types.
autodoc_typehints_description_target = "documented_params"
# Field types shown by the alias that names them (``AccountingDateTime | None``), not as the
# ``Annotated[datetime, ...]`` they stand for.
autodoc_type_aliases = {
    name: f"freshbooks_async.models.common.{name}"
    for name in ("AccountingDateTime", "AccountingUTCDateTime", "ISODateTime", "LocalDateTime")
}
nitpick_ignore_regex = [
    # Type variables (``T`` of ``Page[T]``, ``Resource[T]``, ...): module-level helpers of the
    # generic classes, not part of the API, so they have no entry to link to.
    (r"py:(class|obj)", r"(freshbooks_async(\.\w+)*\.)?_?[TUCMK]"),
    # The sandbox's in-memory table, returned by ``Sandbox.table`` for tests that inspect
    # the store directly: an internal class with no entry of its own.
    (r"py:class", r"freshbooks_async\.sandbox\._store\.Table"),
]

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


# --------------------------------------------------------------------------- intersphinx
# No network here or in CI: the inventories of the projects we link to are written from
# the committed table in docs/_inventories.py into docs/_generated/ at every build.
sys.path.insert(0, str(Path(__file__).parent))

import _inventories  # noqa: E402


def _write_inventories() -> dict[str, tuple[str, str]]:
    mapping: dict[str, tuple[str, str]] = {}
    for project, base in _inventories.PROJECTS.items():
        rows = list(_inventories.NAMES[project])
        urls = {name: (role, url) for name, role, url in rows}
        rows += [
            (alias, *urls[target])
            for alias, target in _inventories.ALIASES.items()
            if target in urls
        ]
        lines = []
        for name, role, url in rows:
            if not url.startswith(base):
                raise ValueError(f"docs/_inventories.py: {name}: {url!r} is not under {base!r}")
            lines.append(f"{name} py:{role} 1 {url.removeprefix(base)} -\n")
        header = (
            "# Sphinx inventory version 2\n"
            f"# Project: {project}\n"
            "# Version: \n"
            "# The remainder of this file is compressed using zlib.\n"
        )
        path = _GENERATED / f"{project}.inv"
        path.write_bytes(header.encode() + zlib.compress("".join(lines).encode()))
        mapping[project] = (base, str(path))
    return mapping


intersphinx_mapping = _write_inventories()


# --------------------------------------------------------------------------- own names
# Annotations and docstrings name our objects as the code sees them: by the module they
# are defined in (``freshbooks_async._pipeline.APIResponse``), through a re-export
# (``freshbooks_async.FreshBooksClient``) or by a name imported into the module
# (``Clock.time`` in freshbooks_async.testing). Each object has one entry, under its public
# path; a reference that Sphinx cannot find by name is resolved to the entry of the very
# object the name denotes in the code (imported and compared by identity), never by a
# guess on the name.


def _lookup(dotted: str) -> tuple[object, object | None, str] | None:
    """``(object, owner class or None, last name)`` of a dotted Python name, or None."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        owner: object | None = None
        try:
            for name in parts[cut:]:
                owner = obj
                obj = (
                    inspect.getattr_static(obj, name)
                    if isinstance(obj, type)
                    else getattr(obj, name)
                )
        except AttributeError:
            return None
        return obj, (owner if isinstance(owner, type) else None), parts[-1]
    return None


def _identity(obj: object) -> object:
    return obj.__func__ if isinstance(obj, (classmethod, staticmethod)) else obj


# Values that are not one object of their own (an equal int may be another name's).
_PLAIN = (str, bytes, int, float, bool, type(None))


def _entries(env: BuildEnvironment) -> dict[int, str]:
    """id(object) -> the name of its entry, for the modules, classes and functions."""
    cache: dict[int, str] | None = getattr(env, "_fb_entries", None)
    if cache is None:
        cache = {}
        for name, entry in env.get_domain("py").objects.items():
            if entry.aliased:
                continue
            found = _lookup(name)
            if found is not None and found[1] is None and not isinstance(found[0], _PLAIN):
                cache.setdefault(id(_identity(found[0])), name)
        env._fb_entries = cache  # type: ignore[attr-defined]
    return cache


def _resolve_own(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: Element
) -> Element | None:
    if node.get("refdomain") != "py" or not node.get("reftarget", "").strip():
        return None
    target = node["reftarget"].lstrip("~.")
    module, cls = node.get("py:module"), node.get("py:class")
    candidates = [target]
    if module:
        candidates[:0] = [f"{module}.{cls}.{target}"] if cls else []
        candidates.append(f"{module}.{target}")
        # A name the module imports only for type checking: its package exports it.
        while "." in module:
            module = module.rpartition(".")[0]
            candidates.append(f"{module}.{target}")
    objects = env.get_domain("py").objects
    entries = _entries(env)
    for candidate in candidates:
        found = _lookup(candidate)
        if found is None:
            continue
        obj, owner, last = found
        if owner is not None and id(owner) in entries:
            name: str | None = f"{entries[id(owner)]}.{last}"
            if name not in objects:
                # Inherited: the entry of the class that defines it.
                definer = next((k for k in owner.__mro__ if last in vars(k)), None)
                name = f"{entries.get(id(definer), '')}.{last}"
        else:
            name = entries.get(id(_identity(obj)))
        if name in objects:
            return env.get_domain("py").resolve_xref(
                env, node["refdoc"], app.builder, node["reftype"], name, node, contnode
            )
    return None


def _public_bases(
    app: Sphinx, name: str, obj: object, options: object, bases: list[object]
) -> None:
    """Show a private mixin base (``AccountList[Client]``) as its first public ancestor."""
    shown: list[object] = []
    for base in bases:
        origin = typing.get_origin(base) or base
        module = getattr(origin, "__module__", "")
        if isinstance(origin, type) and any(
            p.startswith("_") for p in [*module.split("."), origin.__name__]
        ):
            public = getattr(importlib.import_module(module.rsplit(".", 1)[0]), "__all__", ())
            if origin.__name__ not in public:
                base = next(
                    (k for k in origin.__mro__[1:] if k.__name__ in public and k is not object),
                    object,
                )
        if base not in shown:
            shown.append(base)
    bases[:] = [b for b in shown if b is not object] or [object]


def setup(app: Sphinx) -> None:
    app.connect("missing-reference", _resolve_own)
    app.connect("autodoc-process-bases", _public_bases)
