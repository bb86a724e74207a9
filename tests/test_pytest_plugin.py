"""The pytest plugin (``freshbooks_async._pytest_plugin``) as users' test suites meet it.

Each case runs a real pytest in a child process on a small test file, as a user's suite
would: with pytest-asyncio in auto and in strict mode, and with pytest alone.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import freshbooks_async

USES_THE_FIXTURES = """
    import pytest
    from freshbooks_async import FreshBooksClient

    def test_sync_fixtures(sandbox, sandbox_token):
        assert sandbox_token == sandbox.token

    {marker}
    async def test_server(sandbox_server):
        sandbox_server.sandbox.seed_data(invoices=3)
        async with FreshBooksClient(sandbox_server.token, base_url=sandbox_server.url) as fb:
            assert len(await fb.invoices.list_all("ACC001").collect()) == 3
"""


def run_pytest(
    tmp_path: Path, test_file: str, *args: str, without_pytest_asyncio: bool = False
) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_user.py").write_text(textwrap.dedent(test_file))
    # The user's own (empty) configuration: none of a parent folder's applies.
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    prelude = "import sys\n"
    if without_pytest_asyncio:
        # As on a machine where only pytest is installed: pytest_asyncio cannot be found.
        prelude += (
            "class Hide:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name.partition('.')[0] == 'pytest_asyncio':\n"
            "            raise ModuleNotFoundError(name)\n"
            "sys.meta_path.insert(0, Hide())\n"
        )
        # (pytest's assertion rewriter would import it past the finder above.)
        args = ("-p", "no:asyncio", "--assert=plain", *args)
    code = prelude + "import pytest\nsys.exit(pytest.main(sys.argv[1:]))\n"
    return subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", code, "-q", "-p", "no:cacheprovider", str(tmp_path), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_documented_tests_pass_in_auto_mode(tmp_path: Path) -> None:
    out = run_pytest(tmp_path, USES_THE_FIXTURES.format(marker=""), "-o", "asyncio_mode=auto")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 passed" in out.stdout


def test_the_documented_tests_pass_in_strict_mode_when_marked(tmp_path: Path) -> None:
    out = run_pytest(
        tmp_path,
        USES_THE_FIXTURES.format(marker="@pytest.mark.asyncio"),
        "-o",
        "asyncio_mode=strict",
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 passed" in out.stdout


def test_with_pytest_alone_the_sync_fixtures_work_and_the_async_one_says_what_to_install(
    tmp_path: Path,
) -> None:
    test_file = """
        def test_sync_fixtures(sandbox, sandbox_token):
            assert sandbox_token == sandbox.token

        def test_server(sandbox_server):
            pass
    """
    out = run_pytest(tmp_path, test_file, without_pytest_asyncio=True)
    assert "1 passed, 1 error" in out.stdout, out.stdout + out.stderr
    assert "fixture 'sandbox" not in out.stdout  # never "fixture not found"
    assert "needs pytest-asyncio" in out.stdout
    assert 'asyncio_mode = "auto"' in out.stdout


def test_loading_the_plugin_imports_neither_the_sandbox_nor_aiohttp() -> None:
    code = (
        "import sys\n"
        "import freshbooks_async._pytest_plugin\n"
        "heavy = sorted(m for m in sys.modules if m.startswith("
        "('aiohttp', 'freshbooks_async.sandbox', 'freshbooks_async.client', 'cattrs')))\n"
        "print(heavy)\n"
    )
    out = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_every_public_name_resolves_lazily() -> None:
    for name in freshbooks_async.__all__:
        assert getattr(freshbooks_async, name) is not None, name
    assert set(dir(freshbooks_async)) >= set(freshbooks_async.__all__)
    homes = set(freshbooks_async._HOMES) | freshbooks_async._SUBMODULES | {"__version__"}
    assert homes == set(freshbooks_async.__all__)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchThing"):
        freshbooks_async.NoSuchThing  # noqa: B018
