"""The API reference documents every public name exactly once.

"Public" is what a user can import: the names in ``__all__`` of every module of the
package whose path has no ``_``-prefixed part, and the methods and properties of those
classes (including what a resource namespace inherits from the private mixins in
``freshbooks_async/resources/_base.py``). Each must have an indexed entry, and no object
two (a second copy belongs in the reference with ``:no-index:``, or better in a link).

Two checks of the same rule:

* the directives of ``docs/api/*.rst``, read by a cheap parser that expands
  ``automodule``/``autoclass`` the way autodoc does (always runs, no Sphinx needed);
* the ``objects.inv`` of a real build, which is the truth: ``nox -s docs`` runs this file
  after building, with ``FRESHBOOKS_DOCS_INVENTORY`` naming the inventory. Without it the
  inventory check uses ``docs/_build/html/objects.inv`` if present, else it is skipped.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import re
import types
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

import freshbooks_async
from freshbooks_async.resources import Resource

DOCS = Path(__file__).resolve().parent.parent / "docs"
API = DOCS / "api"

# ---------------------------------------------------------------------------- the public API


def _private(dotted: str) -> bool:
    return any(part.startswith("_") for part in dotted.split("."))


def public_modules() -> dict[str, types.ModuleType]:
    names = [freshbooks_async.__name__]
    for info in pkgutil.walk_packages(freshbooks_async.__path__, "freshbooks_async."):
        if not _private(info.name):
            names.append(info.name)
    return {name: importlib.import_module(name) for name in names}


def _ours(obj: object) -> bool:
    return getattr(obj, "__module__", "").split(".")[0] == "freshbooks_async"


def public_objects() -> dict[int, tuple[object, list[str]]]:
    """id -> (class or function, the public names it is exported as)."""
    out: dict[int, tuple[object, list[str]]] = {}
    for modname, module in public_modules().items():
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and _ours(obj):
                out.setdefault(id(obj), (obj, []))[1].append(f"{modname}.{name}")
    return out


_METHODS = (types.FunctionType, classmethod, staticmethod, property)


def public_members(cls: type) -> Iterator[tuple[str, type]]:
    """(name, the class that defines it) for each public method and property of ``cls``
    defined in this package (not those of ``Exception``, ``dict``, ``Enum``...)."""
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        definer = next((k for k in cls.__mro__ if name in vars(k)), None)
        if definer is None or not _ours(definer):
            continue
        if isinstance(vars(definer)[name], _METHODS):
            yield name, definer


def _lookup(dotted: str) -> object | None:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            try:
                obj = (
                    inspect.getattr_static(obj, name)
                    if inspect.isclass(obj)
                    else getattr(obj, name)
                )
            except AttributeError:
                return None
        return obj
    return None


def check_entries(entries: set[str], *, built: bool = False) -> list[str]:
    """What is wrong with a set of indexed entry names (empty: nothing); ``built``: they
    come from an inventory, with autodoc's ``:canonical:`` aliases."""
    problems: list[str] = []
    by_object: dict[int, list[str]] = defaultdict(list)
    # autodoc also indexes a class under the path it is defined at (``:canonical:``, e.g.
    # freshbooks_async.transports._types.Headers): an alias of the entry, not a second one.
    entries = {name for name in entries if not _private(name)}
    for name in sorted(entries):
        obj = _lookup(name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            by_object[id(obj)].append(name)
    for names in by_object.values():
        # Likewise where it is defined in a public module (models.invoices.Invoice for
        # models.Invoice): the inventory cannot tell that alias from an entry.
        obj = _lookup(names[0])
        canonical = f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', '')}"
        if built and len(names) > 1 and canonical in names:
            names.remove(canonical)
    for modname, module in public_modules().items():
        parent = importlib.import_module(modname.rpartition(".")[0] or modname)
        # A module whose names its package all re-exports (models.invoices) is documented
        # with the package; it needs no entry of its own.
        folded = parent is not module and set(getattr(module, "__all__", ())) <= set(
            getattr(parent, "__all__", ())
        )
        if modname not in entries and not folded:
            problems.append(f"module {modname}: no entry")
    for key, (obj, exported) in sorted(public_objects().items(), key=lambda kv: kv[1][1][0]):
        names = by_object.get(key, [])
        if len(names) != 1:
            what = "no entry" if not names else f"{len(names)} entries: {', '.join(names)}"
            problems.append(f"{exported[0]}: {what}")
            continue
        if not inspect.isclass(obj):
            continue
        (entry,) = names
        for member, definer in public_members(obj):
            if f"{entry}.{member}" in entries:
                continue
            # Inherited from a documented public class: its entry serves every subclass,
            # except on resource namespaces, whose pages list each operation they offer.
            owner = by_object.get(id(definer), [])
            if owner and not issubclass(obj, Resource) and f"{owner[0]}.{member}" in entries:
                continue
            problems.append(f"{entry}.{member}: no entry")
    return problems


# ---------------------------------------------------------------------------- rst sources

_DIRECTIVE = re.compile(r"^(?P<indent> *)\.\. (?P<kind>[\w:]+):: *(?P<arg>.*)$")
_OPTION = re.compile(r"^ +:(?P<name>[\w-]+):(?: *(?P<value>.*))?$")
_DEFAULT_MEMBERS = True  # docs/conf.py: autodoc_default_options = {"members": True, ...}


def _class_entries(cls: type, entry: str, options: dict[str, str]) -> Iterator[str]:
    """The methods and properties autodoc documents on ``cls``: its own, plus inherited
    ones with ``:inherited-members:`` (but not those of the classes that option names);
    members without a docstring are left out, as autodoc does without ``undoc-members``."""
    if "no-members" in options or not (_DEFAULT_MEMBERS or "members" in options):
        return
    wanted = {m.strip() for m in options.get("members", "").split(",") if m.strip()}
    inherited = "inherited-members" in options
    stop = {s.strip() for s in options.get("inherited-members", "").split(",") if s.strip()}
    stop.add("object")
    for name in dir(cls):
        if name.startswith("_") or (wanted and name not in wanted):
            continue
        definer = next((k for k in cls.__mro__ if name in vars(k)), None)
        if definer is None or (definer is not cls and not inherited) or definer.__name__ in stop:
            continue
        value = vars(definer)[name]
        if isinstance(value, _METHODS) and inspect.getdoc(getattr(cls, name, None)):
            yield f"{entry}.{name}"


def _expand(kind: str, arg: str, options: dict[str, str], module: str | None) -> Iterator[str]:
    if "no-index" in options or "noindex" in options:
        return
    full = arg if "." in arg or module is None else f"{module}.{arg}"
    if kind == "automodule":
        yield arg
        mod = importlib.import_module(arg)
        if "no-members" in options:
            return
        wanted = [m.strip() for m in options.get("members", "").split(",") if m.strip()]
        for name in wanted or list(getattr(mod, "__all__", [])):
            obj = getattr(mod, name)
            if inspect.ismodule(obj):
                continue
            yield f"{arg}.{name}"
            if inspect.isclass(obj):
                yield from _class_entries(obj, f"{arg}.{name}", options)
    elif kind in ("autoclass", "autoexception"):
        yield arg
        cls = _lookup(arg)
        assert inspect.isclass(cls), arg
        yield from _class_entries(cls, arg, options)
    elif kind.startswith(("auto", "py:")):
        yield full


def rst_entries(folder: Path = API) -> set[str]:
    """The entries the ``.. auto*::`` and ``.. py:*::`` directives of ``folder`` make."""
    entries: set[str] = set()
    for path in sorted(folder.glob("*.rst")):
        lines = path.read_text(encoding="utf-8").splitlines()
        module: str | None = None
        for i, line in enumerate(lines):
            m = _DIRECTIVE.match(line)
            if not m:
                continue
            kind, arg = m["kind"], m["arg"].strip()
            options: dict[str, str] = {}
            for following in lines[i + 1 :]:
                o = _OPTION.match(following)
                if not o:
                    break
                options[o["name"]] = (o["value"] or "").strip()
            if kind in ("py:currentmodule", "py:module", "automodule", "currentmodule"):
                module = arg
            entries.update(_expand(kind, arg, options, module))
    return entries


def _inventory() -> Path | None:
    given = os.environ.get("FRESHBOOKS_DOCS_INVENTORY")
    if given:
        return Path(given)
    built = DOCS / "_build" / "html" / "objects.inv"
    return built if built.exists() else None


# ---------------------------------------------------------------------------- tests


def test_the_walk_finds_the_api() -> None:
    """The walk itself: it sees the client, a resource's inherited CRUD and no private name."""
    exported = {n for _, names in public_objects().values() for n in names}
    assert "freshbooks_async.client.FreshBooksClient" in exported
    assert "freshbooks_async.resources.Invoices" in exported
    assert not any(_private(n) for n in exported)
    members = dict(public_members(freshbooks_async.resources.Invoices))
    assert {"list", "list_all", "get", "create", "update", "delete", "archive", "restore"} <= set(
        members
    )
    assert members["archive"].__module__ == "freshbooks_async.resources._base"


def test_the_check_reports_what_is_missing_or_doubled() -> None:
    entries = rst_entries()
    entries.discard("freshbooks_async.resources.Invoices.archive")
    client = next(e for e in entries if e.endswith(".FreshBooksClient"))
    problems = check_entries(entries | {"freshbooks_async.FreshBooksClient"})
    assert "freshbooks_async.resources.Invoices.archive: no entry" in problems
    assert any(p.startswith("freshbooks_async.FreshBooksClient: 2 entries") for p in problems)
    assert client


def test_rst_sources_document_every_public_name_once() -> None:
    assert check_entries(rst_entries()) == []


def test_built_inventory_documents_every_public_name_once() -> None:
    path = _inventory()
    if path is None:
        pytest.skip("no built docs: `nox -s docs` runs this test on the inventory it builds")
    inventory = pytest.importorskip("sphinx.util.inventory")
    with path.open("rb") as f:
        data = inventory.InventoryFile.load(f, "", lambda base, uri: uri)
    entries = {name for kind, names in data.items() if kind.startswith("py:") for name in names}
    assert check_entries(entries, built=True) == []

    # The rst parse above agrees with the build (else it would check the wrong thing).
    def checked(name: str) -> bool:
        obj = _lookup(name)
        return inspect.isclass(obj) or inspect.isfunction(obj) or isinstance(obj, _METHODS)

    assert {n for n in rst_entries() if checked(n)} - entries == set()
