"""The ``freshbooks-async`` command line, run against the sandbox over loopback."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import hashlib
import io
import json
import logging
import os
import re
import signal
import socket
import stat
import struct
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from freshbooks_async import FakeClock, FreshBooksClient
from freshbooks_async._catalogue import Family
from freshbooks_async.cli import CLIError, build_parser, main
from freshbooks_async.cli._bulk import _scan_results, read_input, run_bulk_create
from freshbooks_async.cli._export import _Checkpoint
from freshbooks_async.cli._login import run_login
from freshbooks_async.sandbox import Sandbox, SandboxServer

INVOICE_GETS = "GET /accounting/account/*/invoices/invoices"


@pytest.fixture(autouse=True)
def _no_ambient_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "FRESHBOOKS_ACCESS_TOKEN",
        "FRESHBOOKS_API_URL",
        "FRESHBOOKS_CLIENT_ID",
        "FRESHBOOKS_CLIENT_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FRESHBOOKS_TOKEN_FILE", str(tmp_path / "no-such-token.json"))


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


async def arun_cli(*argv: str) -> tuple[int, str, str]:
    """Run the CLI in a thread (it has its own event loop) while the sandbox serves here."""
    return await asyncio.to_thread(run_cli, *argv)


def creds(server: SandboxServer) -> list[str]:
    return ["--token", server.token, "--base-url", server.url]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


# ----------------------------------------------------------------------------- demo


def test_demo_runs_to_completion_and_reports_nothing_lost() -> None:
    code, out, err = run_cli("demo", "--count", "120", "--no-progress")
    assert code == 0, err
    assert re.search(r"created\s+120 of 120", out)
    assert re.search(r"^\s+lost\s+0$", out, re.M)
    assert re.search(r"^\s+duplicated\s+0$", out, re.M)
    assert re.search(r"409 collisions retried\s+\d+", out)
    assert re.search(r"create throughput\s+[\d,]+ invoices/s", out)
    assert "every invoice created exactly once" in out
    assert err == ""  # no progress unless asked, no server noise


def test_demo_progress_goes_to_stderr_only() -> None:
    code, out, err = run_cli("demo", "--count", "30", "--no-faults", "--progress")
    assert code == 0
    assert "\r" in err
    assert "creating" in err
    assert "reading back" in err
    assert "\r" not in out
    assert "faults: none" in out


def test_demo_client_numbering_has_no_collisions() -> None:
    code, out, _ = run_cli("demo", "--count", "40", "--numbering", "client", "--no-faults")
    assert code == 0
    assert re.search(r"409 collisions retried\s+0$", out, re.M)


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["demo", "--count", "0"], "--count"),
        (["demo", "--concurrency", "500"], "--concurrency"),
        (["demo", "--fault", "nonsense"], "--fault"),
        (["demo", "--count", "x"], "invalid int value"),
        (["no-such-command"], "invalid choice"),
    ],
)
def test_usage_errors_are_one_line_with_status_2(argv: list[str], needle: str) -> None:
    code, out, err = run_cli(*argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("freshbooks-async")
    assert needle in err


def test_debug_adds_the_traceback() -> None:
    code, _, err = run_cli("--debug", "demo", "--fault", "nonsense")
    assert code == 2
    assert "Traceback" in err
    assert err.splitlines()[-1].startswith("freshbooks-async: error: --fault")


def test_version_and_help_exit_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert main(["sandbox", "--help"]) == 0
    text = capsys.readouterr().out
    assert "--seed-invoices" in text
    assert "--fault" in text


# ----------------------------------------------------------------------------- sandbox


def test_sandbox_subcommand_serves_until_stopped(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "freshbooks_async.cli",
            "sandbox",
            "--port",
            "0",
            "--seed-invoices",
            "5",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", first)
        assert match, first
        with urllib.request.urlopen(match.group(1) + "/_sandbox/stats", timeout=10) as resp:  # noqa: S310
            assert resp.status == 200
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


def test_sandbox_subcommand_prints_its_oauth_app_and_ignores_client_disconnects() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "freshbooks_async.cli",
            "sandbox",
            "--port",
            "0",
            "--latency-ms",
            "150",
            "--seed-invoices",
            "120",
            "--token",
            "fixed-test-token",
            "--client-id",
            "my-app",
            "--client-secret",
            "my-test-secret",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        banner = [proc.stdout.readline()]
        while banner[-1] and not banner[-1].startswith("  control:"):
            banner.append(proc.stdout.readline())
        text = "".join(banner)
        match = re.search(r"listening on (http://127\.0\.0\.1:(\d+))", text)
        assert match, text
        url, port = match.group(1), int(match.group(2))
        assert "  oauth app: client_id=my-app client_secret=my-test-secret\n" in text
        assert "/auth/oauth/authorize?client_id=my-app&response_type=code" in text

        def token_status(secret: str) -> int:
            form = f"client_id=my-app&client_secret={secret}&grant_type=refresh_token"
            request = urllib.request.Request(  # noqa: S310 - a loopback http URL
                url + "/auth/oauth/token",
                data=form.encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            try:
                with urllib.request.urlopen(request, timeout=10):  # noqa: S310
                    return 200
            except urllib.error.HTTPError as exc:
                exc.close()
                return exc.code

        assert token_status("wrong") == 401  # invalid_client
        assert token_status("my-test-secret") == 400  # the app is known: invalid_grant

        listing = (
            b"GET /accounting/account/ACC001/invoices/invoices?per_page=100&include[]=lines "
            b"HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer fixed-test-token\r\n\r\n"
        )
        for _ in range(3):  # gone before the answer is due (it is held back 150 ms)
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall(listing)
        for _ in range(2):  # gone in the middle of a large answer, with a reset
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.sendall(listing)
                assert sock.recv(64).startswith(b"HTTP/1.1 200")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(b"GET /not valid HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert sock.recv(64).startswith(b"HTTP/1.0 400")  # aiohttp's parser: quiet too
        for _ in range(2):  # later requests are served (after the abandoned ones)
            with urllib.request.urlopen(url + "/_sandbox/stats", timeout=10) as resp:  # noqa: S310
                stats = json.loads(resp.read())
            assert stats["statuses"]["200"] >= 5
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "Traceback" not in err, err
    assert "Error handling request" not in err, err


@pytest.mark.parametrize("flag", ["--client-id", "--client-secret"])
def test_sandbox_subcommand_refuses_a_blank_or_spaced_credential(
    flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for value in ("", "two words"):
        assert main(["sandbox", "--port", "0", flag, value]) == 2
        err = capsys.readouterr().err
        assert f"{flag[2:].replace('-', '_')}: must be a non-empty string" in err


# ----------------------------------------------------------------------------- export


async def test_export_jsonl_to_file_matches_the_listing(tmp_path: Path) -> None:
    async with SandboxServer(seed_invoices=230, seed_clients=5) as server:
        out_file = tmp_path / "invoices.jsonl"
        code, out, err = await arun_cli("export", "invoices", "-o", str(out_file), *creds(server))
        assert code == 0, err
        rows = read_jsonl(out_file)
        assert len(rows) == 230
        assert len({r["id"] for r in rows}) == 230
        assert out == ""
        assert "exported 230 invoices" in err
        assert server.token not in err


async def test_export_csv_to_stdout_with_filter(tmp_path: Path) -> None:
    async with SandboxServer(seed_invoices=60, seed_clients=3) as server:
        async with FreshBooksClient(server.token, base_url=server.url) as fb:
            expected = [i.id async for i in fb.invoices.list_all("ACC001") if i.customerid == 2]
        code, out, err = await arun_cli(
            "export", "invoices", "--format", "csv", "--filter", "customerid=2", *creds(server)
        )
        assert code == 0, err
        table = list(csv.DictReader(io.StringIO(out)))
        assert [int(r["id"]) for r in table] == expected
        assert expected
        assert all(r["customerid"] == "2" for r in table)


async def test_export_lists_resources_and_refuses_unknown_ones() -> None:
    async with SandboxServer() as server:
        code, out, _ = await arun_cli("export", "list", *creds(server))
        assert code == 0
        names = dict(line.split("\t") for line in out.splitlines())
        assert names["invoices"] == "account_id"
        assert names["projects"] == "business_id"
        code, _, err = await arun_cli("export", "nope", *creds(server))
        assert code == 2
        assert "unknown or unlistable resource 'nope'" in err


async def test_export_undocumented_filter_is_a_usage_error() -> None:
    async with SandboxServer() as server:
        code, _, err = await arun_cli(
            "export", "invoices", "--filter", "colour=red", *creds(server)
        )
        assert code == 2
        assert "colour" in err


async def test_export_interrupted_run_resumes_where_it_stopped(tmp_path: Path) -> None:
    async with SandboxServer(seed_invoices=250, seed_clients=5) as server:
        clean = tmp_path / "clean.jsonl"
        code, _, _ = await arun_cli("export", "invoices", "-o", str(clean), *creds(server))
        assert code == 0
        # Let page 1 and 2 through, then fail every page read (no retries).
        server.sandbox.configure_faults([f"503:route={INVOICE_GETS}:after=2"])
        out_file, checkpoint = tmp_path / "out.jsonl", tmp_path / "state.json"
        argv = [
            "export", "invoices", "-o", str(out_file), "--checkpoint", str(checkpoint),
            "--per-page", "20", "--concurrency", "1", "--max-retries", "0", *creds(server),
        ]  # fmt: skip
        code, _, err = await arun_cli(*argv)
        assert code == 1
        assert err.count("\n") == 1
        assert "stopped at page 3 of 13 after 40 rows" in err
        assert "run the same command again to resume" in err
        assert server.token not in err
        assert len(read_jsonl(out_file)) == 40
        # A torn write after the checkpoint is cut off on resume.
        out_file.write_bytes(out_file.read_bytes() + b'{"id": 99999, "partial')
        server.sandbox.configure_faults([])
        code, _, err = await arun_cli(*argv)
        assert code == 0, err
        assert out_file.read_text() == clean.read_text()


async def test_export_since_with_checkpoint_fetches_only_changes(tmp_path: Path) -> None:
    clock = FakeClock()
    sandbox = Sandbox(clock=clock, seed_invoices=40, seed_clients=3)
    async with SandboxServer(sandbox) as server:
        checkpoint = tmp_path / "sync.json"

        async def sync(name: str) -> list[dict[str, Any]]:
            path = tmp_path / name
            code, _, err = await arun_cli(
                "export", "invoices", "-o", str(path), "--checkpoint", str(checkpoint),
                "--since", "2000-01-01", *creds(server),
            )  # fmt: skip
            assert code == 0, err
            return read_jsonl(path)

        assert len(await sync("first.jsonl")) == 40
        assert await sync("second.jsonl") == []  # nothing changed
        clock.advance(3600)
        async with FreshBooksClient(server.token, base_url=server.url) as fb:
            await fb.invoices.update("ACC001", 7, notes="changed")
            await fb.invoices.update("ACC001", 21, notes="changed too")
        changed = await sync("third.jsonl")
        assert sorted(r["id"] for r in changed) == [7, 21]
        assert await sync("fourth.jsonl") == []
        state = json.loads(checkpoint.read_text())
        assert state["run"] is None
        assert state["high_water"]


#: 2026-12-04 09:00:50 UTC, i.e. 04:00:50 US/Eastern (EST, -05:00) and 20:00:50 at +11:00.
STAMP = dt.datetime(2026, 12, 4, 9, 0, 50, tzinfo=dt.UTC).timestamp()


@pytest.mark.parametrize(
    ("since", "rows"),
    [
        ("2026-12-04T20:00:50+11:00", 30),  # the same instant in three notations
        ("2026-12-04T04:00:50-05:00", 30),
        ("2026-12-04T09:00:50Z", 30),
        ("2026-12-04T20:00:51+11:00", 0),  # a second later
        ("2026-12-04T09:00:51+00:00", 0),
        ("2026-12-04T04:00:50", 30),  # no offset: accounting times are US/Eastern
        ("2026-12-04 04:00:51", 0),
        ("2026-12-04T09:00:00", 0),  # 09:00 Eastern is after 04:00:50 Eastern
        ("2026-12-04", 30),  # midnight, US/Eastern
        ("2026-12-05", 0),
    ],
)
async def test_export_since_honours_offsets_on_accounting_lists(
    tmp_path: Path, since: str, rows: int
) -> None:
    sandbox = Sandbox(clock=FakeClock(STAMP), seed_invoices=30, seed_clients=2)
    async with SandboxServer(sandbox) as server:
        out_file = tmp_path / "out.jsonl"
        code, _, err = await arun_cli(
            "export", "invoices", "-o", str(out_file), "--since", since, *creds(server)
        )
    assert code == 0, err
    exported = read_jsonl(out_file)
    assert {r["updated"] for r in exported} <= {"2026-12-04 04:00:50"}
    assert len(exported) == rows


@pytest.mark.parametrize(
    ("since", "rows"),
    [
        ("2026-12-04T20:00:50+11:00", 12),
        ("2026-12-04T20:00:51+11:00", 0),
        ("2026-12-04T09:00:50", 12),  # no offset: project-like times are UTC
        ("2026-12-04T09:00:51", 0),
        ("2026-12-04T04:00:51-05:00", 0),
    ],
)
async def test_export_since_honours_offsets_on_project_like_lists(
    tmp_path: Path, since: str, rows: int
) -> None:
    sandbox = Sandbox(clock=FakeClock(STAMP))
    sandbox.seed_data(projects=12)
    async with SandboxServer(sandbox) as server:
        out_file = tmp_path / "out.jsonl"
        code, _, err = await arun_cli(
            "export", "projects", "-o", str(out_file), "--since", since, *creds(server)
        )
    assert code == 0, err
    assert len(read_jsonl(out_file)) == rows


async def test_export_reads_a_version_1_checkpoint_without_losing_anything(
    tmp_path: Path,
) -> None:
    """Version 1 kept wall times without an offset; they are read as the earliest
    instant they can mean, so a change is exported again rather than missed."""
    sandbox = Sandbox(clock=FakeClock(STAMP), seed_invoices=5, seed_clients=2)
    checkpoint = tmp_path / "sync.json"
    identity = {
        "resource": "invoices",
        "scope": {"account_id": "ACC001"},
        "filters": [],
        "includes": [],
        "format": "jsonl",
    }
    checkpoint.write_text(
        json.dumps(
            {
                "version": 1,
                "export": identity,
                "high_water": "2026-12-04 04:00:50",  # US/Eastern, as version 1 wrote it
                "boundary": {},
                "run": None,
            }
        )
    )
    async with SandboxServer(sandbox) as server:

        async def sync() -> list[dict[str, Any]]:
            path = tmp_path / "out.jsonl"
            code, _, err = await arun_cli(
                "export", "invoices", "-o", str(path), "--checkpoint", str(checkpoint),
                *creds(server),
            )  # fmt: skip
            assert code == 0, err
            return read_jsonl(path)

        assert len(await sync()) == 5
        state = json.loads(checkpoint.read_text())
        assert state["version"] == 2
        assert state["high_water"] == "2026-12-04T09:00:50+00:00"
        assert await sync() == []


async def test_export_since_is_sent_in_each_familys_terms() -> None:
    """updated_min is a US/Eastern day (one that cannot miss anything); updated_since a
    UTC instant with its Z."""
    from freshbooks_async.cli._export import _query, listable_resources

    since = dt.datetime(2026, 12, 4, 20, 0, 50, tzinfo=dt.timezone(dt.timedelta(hours=11)))
    async with FreshBooksClient("token-123456789", base_url="https://api.invalid") as fb:
        targets = listable_resources(fb)
    invoices = _query(targets["invoices"], [], [], since)
    assert invoices is not None
    assert invoices.render(Family.ACCOUNTING, resource="invoices") == [
        ("search[updated_min]", "2026-12-04")  # 04:00:50 US/Eastern
    ]
    late = dt.datetime(2026, 12, 5, 3, 0, tzinfo=dt.UTC)  # still Dec 4 in US/Eastern
    query = _query(targets["invoices"], [], [], late)
    assert query is not None
    assert query.render(Family.ACCOUNTING, resource="invoices") == [
        ("search[updated_min]", "2026-12-04")
    ]
    projects = _query(targets["projects"], [], [], since)
    assert projects is not None
    assert projects.render(Family.PROJECTS, resource="projects") == [
        ("updated_since", "2026-12-04T09:00:50Z")
    ]


@pytest.mark.parametrize(
    "since", ["2026-12-04T25:00", "04/12/2026", "2026-12-04T20:00:50+25:00", "yesterday", ""]
)
async def test_export_since_refuses_what_is_not_a_time(since: str) -> None:
    code, _, err = await arun_cli("export", "invoices", "--since", since, "--token", "t")
    assert code == 2
    assert "--since" in err
    assert repr(since) in err


async def test_export_list_filter_takes_comma_separated_values(tmp_path: Path) -> None:
    async with SandboxServer(seed_invoices=40, seed_clients=4) as server:
        async with FreshBooksClient(server.token, base_url=server.url) as fb:
            expected = sorted(
                [
                    i.id
                    async for i in fb.invoices.list_all("ACC001")
                    if isinstance(i.id, int) and i.customerid in (2, 3)
                ]
            )
        code, out, err = await arun_cli(
            "export", "invoices", "--filter", "customerids=2,3", *creds(server)
        )
        assert code == 0, err
        assert sorted(json.loads(line)["id"] for line in out.splitlines()) == expected
        code, _, err = await arun_cli(
            "export", "invoices", "--filter", "v3_status=sent,draft", *creds(server)
        )
        assert code == 0, err  # one value (with a comma) for a single-value filter
        code, _, err = await arun_cli(
            "export", "invoices", "--filter", "statusids=", *creds(server)
        )
        assert code == 2
        assert "statusids" in err


async def test_export_without_credentials_says_how_to_get_them() -> None:
    code, _out, err = await arun_cli("export", "invoices")
    assert code == 2
    assert "no credentials" in err
    assert "login" in err
    assert "FRESHBOOKS_ACCESS_TOKEN" in err


async def test_export_reads_the_token_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with SandboxServer(seed_invoices=3) as server:
        monkeypatch.setenv("FRESHBOOKS_ACCESS_TOKEN", server.token)
        monkeypatch.setenv("FRESHBOOKS_API_URL", server.url)
        code, out, _ = await arun_cli("export", "invoices")
        assert code == 0
        assert len(out.splitlines()) == 3


# ----------------------------------------------------------------------------- bulk-create


def _draft(n: int) -> dict[str, object]:
    return {
        "customerid": 1 + n % 3,
        "create_date": "2026-02-01",
        "lines": [{"name": f"Line {n}", "qty": 1, "unit_cost": {"amount": "5.00", "code": "USD"}}],
    }


async def test_bulk_create_reports_a_malformed_line_and_rerun_skips_created(
    tmp_path: Path,
) -> None:
    source = tmp_path / "drafts.jsonl"
    lines = [json.dumps(_draft(n)) for n in range(6)]
    lines.insert(2, "{not json")
    lines.insert(4, json.dumps({"create_date": "2026-02-01"}))  # no customerid
    source.write_text("\n".join(lines) + "\n\n")
    async with SandboxServer(seed_clients=3) as server:
        argv = ["bulk-create", "invoices", str(source), "--concurrency", "4", *creds(server)]
        code, out, err = await arun_cli(*argv)
        assert code == 3, err
        assert "created 6" in out
        assert "invalid 2" in out
        results = read_jsonl(tmp_path / "drafts.results.jsonl")
        by_line = {r["line"]: r for r in results}
        assert sorted(by_line) == list(range(1, 9))
        assert by_line[3]["status"] == "invalid"
        assert "not JSON" in str(by_line[3]["error"])
        assert by_line[5]["status"] == "invalid"
        assert "customerid" in str(by_line[5]["error"])
        created = [r for r in results if r["status"] == "created"]
        assert len(created) == 6
        assert server.sandbox.ledger_summary()["created"] == 6
        async with FreshBooksClient(server.token, base_url=server.url) as fb:
            ids = {i.id async for i in fb.invoices.list_all("ACC001")}
        assert ids == {r["invoice_id"] for r in created}

        code, out, err = await arun_cli(*argv)
        assert code == 3
        assert "created 0, already created 6" in out
        assert server.sandbox.ledger_summary()["created"] == 6  # nothing posted twice


async def test_bulk_create_from_csv_with_line_columns(tmp_path: Path) -> None:
    source = tmp_path / "drafts.csv"
    source.write_text(
        "customerid,create_date,currency_code,line_name,line_qty,line_unit_cost,auto_bill\n"
        "1,2026-03-01,USD,Design,2,100.00,false\n"
        "2,2026-03-02,USD,Build,1,250.50,true\n"
        "abc,2026-03-02,USD,Broken,1,1.00,false\n"
    )
    results = tmp_path / "out.jsonl"
    async with SandboxServer(seed_clients=3) as server:
        code, _out, err = await arun_cli(
            "bulk-create", "invoices", str(source), "--results", str(results), *creds(server)
        )
        assert code == 3, err
        records = {r["line"]: r for r in read_jsonl(results)}
        assert records[2]["status"] == "created"
        assert records[3]["status"] == "created"
        assert records[4]["status"] == "invalid"
        assert "customerid" in str(records[4]["error"])
        async with FreshBooksClient(server.token, base_url=server.url) as fb:
            invoice = await fb.invoices.get("ACC001", int(str(records[3]["invoice_id"])))
        assert invoice.customerid == 2


def test_json_nested_too_deeply_is_reported_never_a_crash(tmp_path: Path) -> None:
    """Deep JSON in an input line, a CSV ``lines`` cell, a results file or a checkpoint
    is reported like any other malformed JSON (no RecursionError)."""
    deep = "[" * 100_000 + "]" * 100_000
    (line,) = read_input(io.StringIO(deep + "\n"), "jsonl")
    assert line.draft is None
    assert line.error is not None
    assert "line 1: not JSON" in line.error
    rows = io.StringIO()
    cell = "[" * 50_000 + "]" * 50_000  # within the csv module's field size limit
    csv.writer(rows).writerows([["customerid", "create_date", "lines"], ["1", "2026-01-01", cell]])
    (row,) = read_input(io.StringIO(rows.getvalue()), "csv")
    assert row.error is not None
    assert "nested too deeply" in row.error
    results = tmp_path / "r.results.jsonl"
    results.write_text(deep + "\n")
    with pytest.raises(CLIError, match="not a results record"):
        _scan_results(results)
    checkpoint = tmp_path / "export.checkpoint"
    checkpoint.write_text(deep)
    with pytest.raises(CLIError, match="unreadable"):
        _Checkpoint(checkpoint, {}).load()


def test_bulk_create_help_describes_the_input_columns_and_the_results_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from freshbooks_async.cli._bulk import _scalar_types

    assert main(["bulk-create", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for column in ("customerid", "create_date", "lines", "line_name", "line_description"):
        assert column in text
    assert "line_qty (default 1), line_unit_cost" in text
    # The converted columns are exactly the int and bool fields of InvoiceCreate.
    ints = sorted(name for name, kind in _scalar_types().items() if kind is int)
    bools = sorted(name for name, kind in _scalar_types().items() if kind is bool)
    listed = re.search(r"integer fields \(([^)]*)\) and true/false fields \(([^)]*)\)", text)
    assert listed is not None
    assert sorted(listed.group(1).split(", ")) == ints
    assert sorted(listed.group(2).split(", ")) == bools
    assert "invoices.csv -> invoices.results.jsonl" in text
    assert "--encoding" in text
    assert "--dry-run" in text


async def test_bulk_create_writes_the_results_file_the_help_names(tmp_path: Path) -> None:
    source = tmp_path / "invoices.csv"
    source.write_text("customerid,create_date\n1,2026-03-01\n")
    async with SandboxServer(seed_clients=1) as server:
        code, out, err = await arun_cli("bulk-create", "invoices", str(source), *creds(server))
    assert code == 0, err
    results = tmp_path / "invoices.results.jsonl"
    assert f"results in {results}" in out
    assert read_jsonl(results)[-1]["status"] == "created"


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("empty.jsonl", b"", "it is empty"),
        ("empty.csv", b"", "it is empty"),
        ("blank.jsonl", b"\n  \n\n", "it is empty"),
        ("header.csv", b"customerid,create_date\n", "it has a header but no rows"),
        ("header-blank.csv", b"customerid,create_date\n,\n\n", "it has a header but no rows"),
    ],
)
async def test_bulk_create_with_an_empty_input_is_a_clear_error(
    tmp_path: Path, name: str, content: bytes, why: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    code, out, err = await arun_cli(
        "bulk-create", "invoices", str(source), "--token", "t", "--base-url", "http://127.0.0.1:9"
    )
    assert code == 1
    assert out == ""
    assert (
        err == f"freshbooks-async: error: bulk-create: {source} has no invoices to create: {why}\n"
    )
    assert not (tmp_path / f"{source.stem}.results.jsonl").exists()


async def test_bulk_create_names_the_line_that_is_not_utf8_and_takes_encoding(
    tmp_path: Path,
) -> None:
    source = tmp_path / "drafts.csv"
    source.write_bytes(
        "customerid,create_date,notes,line_name,line_unit_cost\n"
        "1,2026-03-01,plain,Design,10.00\n"
        "2,2026-03-02,Caf\u00e9 cr\u00e8me,Build,20.00\n".encode("cp1252")
    )
    async with SandboxServer(seed_clients=2) as server:
        code, out, err = await arun_cli("bulk-create", "invoices", str(source), *creds(server))
        assert code == 1
        assert out == ""
        assert err.count("\n") == 1
        assert f"{source} line 3: byte e9 is not valid utf-8" in err
        assert "--encoding" in err
        assert not (tmp_path / "drafts.results.jsonl").exists()
        assert sum(server.sandbox.stats.requests.values()) == 0
        code, _out, err = await arun_cli(
            "bulk-create", "invoices", str(source), "--encoding", "cp1252", *creds(server)
        )
        assert code == 0, err
        async with FreshBooksClient(server.token, base_url=server.url) as fb:
            notes = {i.notes async for i in fb.invoices.list_all("ACC001")}
    assert "Caf\u00e9 cr\u00e8me" in notes
    code, _, err = await arun_cli(
        "bulk-create", "invoices", str(source), "--encoding", "klingon", "--token", "t"
    )
    assert code == 2
    assert "--encoding: unknown encoding 'klingon'" in err


async def test_bulk_create_reads_utf8_with_a_byte_order_mark(tmp_path: Path) -> None:
    source = tmp_path / "excel.csv"
    source.write_bytes(b"\xef\xbb\xbfcustomerid,create_date,notes\n1,2026-03-01,na\xc3\xafve\n")
    async with SandboxServer(seed_clients=1) as server:
        code, _, err = await arun_cli("bulk-create", "invoices", str(source), *creds(server))
    assert code == 0, err


async def test_bulk_create_dry_run_validates_every_line_and_sends_nothing(
    tmp_path: Path,
) -> None:
    source = tmp_path / "drafts.jsonl"
    lines = [json.dumps(_draft(n)) for n in range(4)]
    lines.insert(1, "{not json")
    lines.append(json.dumps({**_draft(9), "invoice_number": "A-1"}))
    lines.append(json.dumps({"create_date": "2026-02-01"}))  # no customer
    lines.append(json.dumps({**_draft(10), "invoice_number": "A-1"}))  # the number again
    source.write_text("\n".join(lines) + "\n")
    async with SandboxServer(seed_clients=3) as server:
        code, out, err = await arun_cli(
            "bulk-create", "invoices", str(source), "--dry-run", *creds(server)
        )
        assert sum(server.sandbox.stats.requests.values()) == 0
    assert code == 3, err
    assert err == ""
    report = out.splitlines()
    assert report[0].startswith("invalid: line 2: not JSON")
    assert report[1].startswith("invalid: line 7: ")
    assert "customerid" in report[1]
    assert report[2] == (
        "invalid: line 8: invoice_number: 'A-1' is also line 6's; it must be unique in the file"
    )
    assert report[3] == (
        "dry run: 8 invoice(s) read, 5 valid, 3 invalid, 0 already created, 0 to look up "
        "first; nothing was sent"
    )
    assert not (tmp_path / "drafts.results.jsonl").exists()
    # No credentials needed; a clean file exits 0.
    source.write_text("\n".join(json.dumps(_draft(n)) for n in range(3)) + "\n")
    code, out, err = await arun_cli("bulk-create", "invoices", str(source), "--dry-run")
    assert code == 0, err
    assert "3 valid, 0 invalid" in out


async def test_bulk_create_refuses_a_results_file_of_another_input(tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps(_draft(1)) + "\n")
    async with SandboxServer(seed_clients=3) as server:
        code, _, _ = await arun_cli("bulk-create", "invoices", str(source), *creds(server))
        assert code == 0
        source.write_text(json.dumps(_draft(2)) + "\n")
        code, _, err = await arun_cli("bulk-create", "invoices", str(source), *creds(server))
        assert code == 1
        assert "line 1 changed" in err


# ----------------------------------------------------------------------------- login


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_login_code_flow_stores_the_token_and_export_uses_it(tmp_path: Path) -> None:
    async with SandboxServer(seed_invoices=4) as server:
        sandbox = server.sandbox
        token_file = tmp_path / "cfg" / "token.json"
        redirect = f"http://127.0.0.1:{_free_port()}/callback"
        args = build_parser().parse_args(
            [
                "login", "--client-id", sandbox.client_id, "--client-secret",
                sandbox.client_secret, "--redirect-uri", redirect, "--authorize-url",
                f"{server.url}/oauth/authorize", "--base-url", server.url,
                "--token-file", str(token_file), "--scope", "user:invoices:read",
            ]
        )  # fmt: skip
        visited: list[str] = []

        def browser(url: str) -> None:
            # A forged redirect first (wrong state): ignored, the flow keeps waiting.
            forged = f"{redirect}?code=stolen&state=forged"
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(forged, timeout=10)  # noqa: S310
            # The real one: the sandbox redirects to the listener.
            with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310
                visited.append(resp.geturl())

        out, err = io.StringIO(), io.StringIO()
        code = await run_login(args, out=out, err=err, opener=browser)
        assert code == 0
        assert visited
        assert visited[0].startswith(redirect)
        assert "ignored a redirect with a wrong state" in err.getvalue()
        stored = json.loads(token_file.read_text())
        assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
        for secret in (stored["access_token"], stored["refresh_token"], sandbox.client_secret):
            assert secret not in out.getvalue()
            assert secret not in err.getvalue()
        assert "account_id=ACC001" in out.getvalue()

        code, rows, err_text = await arun_cli(
            "export", "invoices", "--token-file", str(token_file), "--base-url", server.url
        )
        assert code == 0, err_text
        assert len(rows.splitlines()) == 4


async def test_login_requires_app_credentials_and_a_loopback_redirect() -> None:
    code, _, err = await arun_cli("login")
    assert code == 2
    assert "--client-id" in err
    code, _, err = await arun_cli(
        "login",
        "--client-id",
        "x",
        "--client-secret",
        "y",
        "--redirect-uri",
        "https://example.com/cb",
    )
    assert code == 2
    assert "loopback" in err


async def test_login_times_out_cleanly(tmp_path: Path) -> None:
    code, _, err = await arun_cli(
        "login", "--client-id", "x", "--client-secret", "y", "--no-browser", "--timeout", "0.2",
        "--redirect-uri", f"http://127.0.0.1:{_free_port()}/cb",
        "--token-file", str(tmp_path / "t.json"),
    )  # fmt: skip
    assert code == 1
    assert err.splitlines()[-1] == "freshbooks-async: error: login: no redirect within 0.2 s"


# ----------------------------------------------------------------------------- bulk-create: crashes


def latest_records(path: Path) -> dict[int, dict[str, Any]]:
    return {r["line"]: r for r in read_jsonl(path)}


def held_by_server(sandbox: Sandbox) -> int:
    """Requests that reached the sandbox and are not answered yet."""
    return sum(sandbox.stats.requests.values()) - sum(sandbox.stats.statuses.values())


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("numbering", ["client", "server"])
async def test_bulk_create_killed_mid_run_then_rerun_creates_each_line_exactly_once(
    tmp_path: Path, numbering: str, caplog: pytest.LogCaptureFixture
) -> None:
    """SIGKILL the CLI while creates are on the wire (the server still commits them),
    run it again: every line is created exactly once, and the results file says so."""
    caplog.set_level(logging.CRITICAL, logger="aiohttp.server")  # answers to a dead client
    count = 24
    source = tmp_path / "drafts.jsonl"
    source.write_text("".join(json.dumps(_draft(n)) + "\n" for n in range(count)))
    results = tmp_path / "drafts.results.jsonl"
    sandbox = Sandbox(seed=7, seed_clients=3, latency_ms=60, jitter_ms=60, processing_latency=0.01)
    async with SandboxServer(sandbox) as server:
        argv = [
            sys.executable, "-m", "freshbooks_async.cli", "bulk-create", "invoices",
            str(source), "--numbering", numbering, "--concurrency", "4", "--no-progress",
            *creds(server),
        ]  # fmt: skip
        first = await asyncio.create_subprocess_exec(
            *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        held = 0
        for _ in range(3000):  # polls; the server runs in this loop between them
            await asyncio.sleep(0.005)
            records = latest_records(results) if results.exists() else {}
            created = [r for r in records.values() if r["status"] == "created"]
            held = held_by_server(sandbox)
            if len(created) >= 6 and held >= 2 and len(records) < count:
                first.kill()  # nothing runs in the server between the check and the kill
                break
        else:
            pytest.fail(
                "the first run never had 6 lines created, 2 creates in flight and lines left"
            )
        await first.communicate()
        assert first.returncode == -signal.SIGKILL
        left = latest_records(results)
        pending = [line for line, r in left.items() if r["status"] == "pending"]
        assert len(pending) >= held  # every create on the wire has its pending record
        assert len(left) < count

        rerun = await asyncio.create_subprocess_exec(
            *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        out, err = await rerun.communicate()
        assert rerun.returncode == 0, err.decode()

    summary = sandbox.ledger_summary()
    assert summary["created"] == count
    assert summary["duplicated_references"] == []
    assert summary["duplicate_numbers"] == []
    final = latest_records(results)
    assert sorted(final) == list(range(1, count + 1))
    assert all(r["status"] == "created" for r in final.values())
    assert {r["invoice_id"] for r in final.values()} == {e.id for e in sandbox.ledger}
    # Stable references: the ledger's (from both runs) are exactly the lines' own.
    batches = {r["batch"] for r in read_jsonl(results) if r["status"] == "pending"}
    assert len(batches) == 1
    (batch,) = batches
    assert sorted(e.client_reference or "" for e in sandbox.ledger) == sorted(
        r["reference"] for r in final.values()
    )
    assert all(r["reference"].startswith(f"fbk-{batch}-{line}-") for line, r in final.items())
    found = [line for line, r in final.items() if r.get("reconciled")]
    assert set(found) <= set(pending)
    text = out.decode()
    assert f"already created {count - len(pending) - (count - len(left))}" in text
    if numbering == "client":  # the creates held by the server at the kill all committed
        assert len(found) >= held
        assert f"({len(found)} found by look-up)" in text


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
async def test_bulk_create_stops_cleanly_on_sigterm_or_sigint_then_rerun_finishes(
    tmp_path: Path, signum: signal.Signals, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    """A signal while creates are on the wire: no new create starts, those on the wire
    finish and are recorded, the rest is recorded not_attempted, the exit status is
    128 + the signal; the results file is whole and a re-run creates the rest once."""
    caplog.set_level(logging.CRITICAL, logger="aiohttp.server")
    count = 40
    source = tmp_path / "drafts.jsonl"
    source.write_text("".join(json.dumps(_draft(n)) + "\n" for n in range(count)))
    results = tmp_path / "drafts.results.jsonl"
    sandbox = Sandbox(seed=7, seed_clients=3, latency_ms=60, jitter_ms=60, processing_latency=0.01)
    async with SandboxServer(sandbox) as server:
        argv = [
            sys.executable, "-m", "freshbooks_async.cli", "bulk-create", "invoices",
            str(source), "--concurrency", "4", "--no-progress", *creds(server),
        ]  # fmt: skip
        first = await asyncio.create_subprocess_exec(
            *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        held = 0
        for _ in range(3000):  # polls; the server runs in this loop between them
            await asyncio.sleep(0.005)
            records = latest_records(results) if results.exists() else {}
            created = [r for r in records.values() if r["status"] == "created"]
            held = held_by_server(sandbox)
            if len(created) >= 6 and held >= 2 and len(records) < count - 8:
                first.send_signal(signum)
                break
        else:
            pytest.fail("the first run never had 6 lines created, 2 in flight and lines left")
        out, err = await first.communicate()
        assert first.returncode == status, err.decode()
        text = results.read_text()
        assert text.endswith("\n")  # no torn record
        final = latest_records(results)
        assert sorted(final) == list(range(1, count + 1))  # every line accounted for
        statuses = [r["status"] for r in final.values()]
        assert set(statuses) == {"created", "not_attempted"}  # nothing left pending
        created_ids = {r["invoice_id"] for r in final.values() if r["status"] == "created"}
        # The creates on the wire at the signal finished and were recorded.
        assert created_ids == {e.id for e in sandbox.ledger}
        assert len(created_ids) >= 6 + held
        left = statuses.count("not_attempted")
        name = signal.Signals(signum).name
        assert err.decode() == (
            f"freshbooks-async: interrupted by {name}: stopped cleanly: the creates on the "
            f"wire finished and were recorded, {left} line(s) not attempted; run the same "
            f"command again to create them (results in {results})\n"
        )
        assert f"not attempted {left};" in out.decode()

        rerun = await asyncio.create_subprocess_exec(
            *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        out, err = await rerun.communicate()
        assert rerun.returncode == 0, err.decode()
        assert f"created {left}, already created {count - left}" in out.decode()
    summary = sandbox.ledger_summary()
    assert summary["created"] == count
    assert summary["duplicated_references"] == []
    assert summary["duplicate_numbers"] == []
    assert all(r["status"] == "created" for r in latest_records(results).values())


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
async def test_export_stops_on_sigterm_at_a_page_and_resumes(tmp_path: Path) -> None:
    sandbox = Sandbox(seed=3, seed_invoices=300, seed_clients=5, latency_ms=30)
    async with SandboxServer(sandbox) as server:
        clean = tmp_path / "clean.jsonl"
        code, _, err = await arun_cli("export", "invoices", "-o", str(clean), *creds(server))
        assert code == 0, err
        out_file, checkpoint = tmp_path / "out.jsonl", tmp_path / "state.json"
        argv = [
            sys.executable, "-m", "freshbooks_async.cli", "export", "invoices",
            "-o", str(out_file), "--checkpoint", str(checkpoint), "--per-page", "10",
            "--concurrency", "1", "--no-progress", *creds(server),
        ]  # fmt: skip
        first = await asyncio.create_subprocess_exec(
            *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        for _ in range(3000):
            await asyncio.sleep(0.005)
            if out_file.exists() and out_file.read_text().count("\n") >= 40:
                first.send_signal(signal.SIGTERM)
                break
        else:
            pytest.fail("the export never wrote 4 pages")
        _, stderr = await first.communicate()
        assert first.returncode == 143, stderr.decode()
        state = json.loads(checkpoint.read_text())
        rows, page = state["run"]["rows"], state["run"]["next_page"]
        assert 40 <= rows < 300
        assert rows == 10 * (page - 1)
        assert stderr.decode() == (
            f"freshbooks-async: interrupted by SIGTERM: export of invoices stopped at page "
            f"{page} of 30 after {rows} rows to {out_file}; run the same command again to "
            "resume from there\n"
        )
        assert out_file.read_text().count("\n") == rows
        rerun = await asyncio.create_subprocess_exec(
            *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        _, stderr = await rerun.communicate()
        assert rerun.returncode == 0, stderr.decode()
    assert out_file.read_text() == clean.read_text()


def pending(line: int, text: str, **fields: Any) -> dict[str, Any]:
    """A pending record as a killed run leaves it (sent long ago: no wait)."""
    digest = hashlib.sha256(text.strip().encode()).hexdigest()[:16]
    return {
        "line": line,
        "digest": digest,
        "status": "pending",
        "batch": "feedc0ffee00",
        "reference": f"fbk-feedc0ffee00-{line}-{digest[:8]}",
        "attempt": 1,
        "sent_at": 1000.0,
        **fields,
    }


async def test_bulk_create_reconciles_pending_lines_before_posting(tmp_path: Path) -> None:
    """A results file left by a killed run: lines sent without a recorded outcome are looked
    up by number, by reference field or by fingerprint; found ones are recorded, absent ones
    posted, and one that cannot be looked up is reported, not posted."""
    texts = [json.dumps(_draft(n)) for n in range(1, 7)]
    source = tmp_path / "drafts.jsonl"
    source.write_text("\n".join(texts) + "\n")
    results = tmp_path / "drafts.results.jsonl"
    records = [
        pending(1, texts[0], invoice_number="0000001"),  # landed: found by number
        pending(2, texts[1], invoice_number="0000009"),  # never arrived: not found
        pending(3, texts[2]),  # nothing to look it up by: unknown
        # line 4: no record (never sent)
        pending(5, texts[4], baseline=1),  # server-numbered, landed: found by fingerprint
        pending(6, texts[5], reference_field="po_number"),  # landed: found by reference
    ]
    async with SandboxServer(seed_clients=3) as server:
        sandbox = server.sandbox
        path = "/accounting/account/ACC001/invoices/invoices"
        async with FreshBooksClient(server.token, base_url=server.url) as fb:
            landed = {}
            for record, extra in (
                (records[0], {"invoice_number": "0000001"}),
                (records[3], {}),
                (records[4], {"po_number": records[4]["reference"]}),
            ):
                body = {**json.loads(texts[record["line"] - 1]), **extra}
                response = await fb.request(
                    "POST",
                    path,
                    json={"invoice": body},
                    headers={"X-Client-Reference": record["reference"]},
                )
                landed[record["line"]] = response.data["invoice"]["id"]
        torn = b'{"line": 4, "status": "crea'  # the kill tore the last write
        results.write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in records) + torn)

        argv = ["bulk-create", "invoices", str(source), "--numbering", "client", *creds(server)]
        code, out, err = await arun_cli(*argv)
        assert code == 3, err
        assert "created 5 (3 found by look-up), already created 0" in out
        assert "unknown 1" in out
        assert "1 line(s) have an unknown outcome" in err
        assert "--retry-unknown" in err
        assert torn not in results.read_bytes()  # cut before appending
        final = latest_records(results)
        for line in (1, 5, 6):
            assert final[line]["status"] == "created"
            assert final[line]["reconciled"] is True
            assert final[line]["invoice_id"] == landed[line]
            assert final[line]["attempts"] == 0
        for line in (2, 4):
            assert final[line]["status"] == "created"
            assert "reconciled" not in final[line]
        assert final[3]["status"] == "unknown"
        assert "no invoice number, reference field or baseline" in final[3]["error"]
        assert len(sandbox.ledger) == 5  # 3 that landed before + lines 2 and 4
        refs = {e.client_reference for e in sandbox.ledger}
        assert records[2]["reference"] not in refs  # line 3 was not posted
        assert records[1]["reference"] in refs  # line 2 kept its reference

        # Asked to: the line that cannot be looked up is posted; the rest is skipped.
        code, out, err = await arun_cli(*argv, "--retry-unknown")
        assert code == 0, err
        assert "created 1, already created 5" in out
        assert latest_records(results)[3]["status"] == "created"
        summary = sandbox.ledger_summary()
        assert summary["created"] == 6
        assert summary["duplicated_references"] == []
        assert summary["duplicate_numbers"] == []


async def test_bulk_create_refuses_a_changed_line_that_may_exist(tmp_path: Path) -> None:
    source = tmp_path / "drafts.jsonl"
    source.write_text(json.dumps(_draft(2)) + "\n")
    results = tmp_path / "drafts.results.jsonl"
    results.write_text(json.dumps(pending(1, json.dumps(_draft(1)), invoice_number="7")) + "\n")
    async with SandboxServer(seed_clients=3) as server:
        code, _, err = await arun_cli("bulk-create", "invoices", str(source), *creds(server))
        assert code == 1
        assert "line 1 changed since it was sent (it may exist)" in err
        assert server.sandbox.ledger == []


async def test_bulk_create_writes_the_reference_to_the_reference_field(tmp_path: Path) -> None:
    source = tmp_path / "drafts.jsonl"
    source.write_text("".join(json.dumps(_draft(n)) + "\n" for n in range(3)))
    async with SandboxServer(seed_clients=3) as server:
        args = build_parser().parse_args(
            ["bulk-create", "invoices", str(source), "--no-progress", *creds(server)]
        )
        args.reference_field = "po_number"  # not a parser option (yet): set it directly
        out, err = io.StringIO(), io.StringIO()
        code = await asyncio.to_thread(lambda: asyncio.run(run_bulk_create(args, out=out, err=err)))
        assert code == 0, err.getvalue()
        records = latest_records(tmp_path / "drafts.results.jsonl")
        async with FreshBooksClient(server.token, base_url=server.url) as fb:
            for record in records.values():
                invoice = await fb.invoices.get("ACC001", record["invoice_id"])
                assert invoice.po_number == record["reference"]
        sends = [
            r for r in read_jsonl(tmp_path / "drafts.results.jsonl") if r["status"] == "pending"
        ]
        assert all(r["reference_field"] == "po_number" for r in sends)
        args.reference_field = "lines"
        with pytest.raises(CLIError, match="--reference-field"):
            await run_bulk_create(args, out=out, err=err)


async def test_bulk_create_refuses_a_results_file_another_run_is_using(tmp_path: Path) -> None:
    fcntl = pytest.importorskip("fcntl")
    source = tmp_path / "drafts.jsonl"
    source.write_text(json.dumps(_draft(1)) + "\n")
    results = tmp_path / "drafts.results.jsonl"
    async with SandboxServer(seed_clients=3) as server:
        with open(results, "a") as other:  # noqa: ASYNC230 - another run holds it
            fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            code, _, err = await arun_cli("bulk-create", "invoices", str(source), *creds(server))
            assert code == 1
            assert "another bulk-create is running with this results file" in err
            assert server.sandbox.ledger == []
        code, _, err = await arun_cli("bulk-create", "invoices", str(source), *creds(server))
        assert code == 0, err  # the lock went with the other run
        assert len(server.sandbox.ledger) == 1
