"""The ``freshbooks-async`` command line (install the ``cli`` extra).

Commands:

* ``demo``: the SDK's main job against an embedded sandbox, in about ten seconds.
* ``sandbox``: run the FreshBooks emulator on a port (every option of
  ``python -m freshbooks_async.sandbox``).
* ``login``: the OAuth authorization-code flow for a real app; tokens go to the token store.
* ``export RESOURCE``: stream a listable resource to JSON Lines or CSV, incrementally with
  ``--since``/``--checkpoint``, resuming where a failed run stopped.
* ``bulk-create invoices FILE``: create invoices from JSON Lines or CSV, with a results
  file that makes a re-run skip what was already created.

Credentials come from ``--token``, ``$FRESHBOOKS_ACCESS_TOKEN`` or the token store that
``login`` writes (``--token-file``, ``$FRESHBOOKS_TOKEN_FILE``, default
``~/.config/freshbooks-async/token.json``); the API root from ``--base-url`` or
``$FRESHBOOKS_API_URL``. Secrets are never printed. Every failure is one line on stderr
(``--debug`` adds the traceback). Exit statuses: 0 success, 1 failure, 2 usage error,
3 partial success (some lines or items failed; see the results), 130 interrupted by
Ctrl-C (SIGINT), 143 stopped by SIGTERM. Both signals stop ``demo``, ``login``,
``export`` and ``bulk-create`` cleanly (``bulk-create`` lets the creates on the wire
finish and records them, ``export`` keeps its checkpoint at the last complete page); a
second signal stops at once.

Progress lines go to stderr, only when stderr is a terminal (or with ``--progress``);
data goes to stdout or ``--output``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import traceback
from collections.abc import Awaitable, Callable, Sequence
from typing import IO, Any, TypeVar

from .._version import __version__
from ..bulk import REFERENCE_FIELDS
from ..errors import FreshBooksError
from ._common import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    CLIError,
    stderr_is_tty,
)
from ._signals import Interrupted, StopSignals

__all__ = ["CLIError", "build_parser", "main"]

PROG = "freshbooks-async"

_T = TypeVar("_T")


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors raise instead of exiting."""

    def error(self, message: str) -> Any:
        raise CLIError(f"{self.prog}: {message}", EXIT_USAGE)


def _add_progress(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="draw progress on stderr even when it is not a terminal",
    )
    group.add_argument(
        "--no-progress", dest="progress", action="store_false", help="never draw progress"
    )


def _add_credentials(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("credentials")
    group.add_argument(
        "--token",
        help="access token (prefer $FRESHBOOKS_ACCESS_TOKEN: flags show up in process lists)",
    )
    group.add_argument("--token-file", help="token store written by 'login'")
    group.add_argument(
        "--base-url", help="API root (default $FRESHBOOKS_API_URL or https://api.freshbooks.com)"
    )
    group.add_argument("--client-id", help="OAuth app id, to refresh a stored token")
    group.add_argument(
        "--client-secret", help="OAuth app secret (prefer $FRESHBOOKS_CLIENT_SECRET)"
    )
    group.add_argument(
        "--max-retries", type=int, default=3, help="retries per request on 429/5xx/network errors"
    )


def _add_scope(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("scope (default: the token's only business)")
    group.add_argument("--account-id", help="accounting account id, e.g. ABC123")
    group.add_argument("--business-id", type=int, help="business id (projects, time entries)")
    group.add_argument("--business-uuid", help="business UUID (ledger resources)")


def build_parser() -> argparse.ArgumentParser:
    """The ``freshbooks-async`` argument parser."""
    from ..sandbox.__main__ import build_parser as sandbox_parser
    from ._bulk import INPUT_HELP
    from ._demo import DEFAULT_COUNT, DEFAULT_FAULTS

    debug = _Parser(add_help=False)
    debug.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the traceback of a failure",
    )
    parser = _Parser(
        prog=PROG,
        description="Command line for the freshbooks_async SDK and its sandbox.",
        epilog="Run 'freshbooks-async COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of a failure")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    demo = commands.add_parser(
        "demo",
        parents=[debug],
        help="bulk-create and read back invoices against an embedded sandbox",
        description="Start the sandbox on a free loopback port, create invoices "
        "concurrently through the 409 numbering race and injected faults, read them all "
        "back with the concurrent paginator, and print what happened.",
    )
    demo.add_argument("--count", type=int, default=DEFAULT_COUNT, help="invoices to create")
    demo.add_argument("--concurrency", type=int, default=4, help="creates in flight (1..64)")
    demo.add_argument("--numbering", choices=("server", "client"), default="server")
    demo.add_argument(
        "--fault",
        action="append",
        metavar="SPEC",
        help=f"sandbox fault spec, repeatable (default: {' '.join(DEFAULT_FAULTS)})",
    )
    demo.add_argument("--no-faults", action="store_true", help="inject no faults")
    demo.add_argument("--seed", type=int, default=0, help="the sandbox's random seed")
    _add_progress(demo)

    sandbox = sandbox_parser()
    sandbox_parents: list[Any] = [sandbox, debug]
    commands.add_parser(
        "sandbox",
        parents=sandbox_parents,
        add_help=False,
        help="run the FreshBooks emulator on a port",
        description=sandbox.description,
    )

    login = commands.add_parser(
        "login",
        parents=[debug],
        help="authorize an app (OAuth code flow) and store its token",
        description="Open FreshBooks' authorization page, receive the redirect on a local "
        "listener (the state is checked), exchange the code and save the token.",
    )
    login.add_argument("--client-id", help="the app's client id ($FRESHBOOKS_CLIENT_ID)")
    login.add_argument(
        "--client-secret", help="the app's client secret ($FRESHBOOKS_CLIENT_SECRET)"
    )
    login.add_argument(
        "--redirect-uri",
        default="http://127.0.0.1:8976/callback",
        help="the app's registered redirect URI; its host and port are listened on",
    )
    login.add_argument("--scope", action="append", default=[], help="scope to ask for (repeat)")
    login.add_argument("--token-file", help="where to store the token")
    login.add_argument("--base-url", help="API root ($FRESHBOOKS_API_URL)")
    login.add_argument("--authorize-url", help="authorization page (default FreshBooks')")
    login.add_argument("--no-browser", action="store_true", help="print the URL, do not open it")
    login.add_argument(
        "--timeout", type=float, default=300.0, help="seconds to wait for the redirect"
    )

    export = commands.add_parser(
        "export",
        parents=[debug],
        help="stream a resource to JSON Lines or CSV",
        description="Stream every object of a listable resource (invoices, clients, "
        "expenses, projects, time_entries, ...) to JSON Lines or CSV.",
    )
    export.add_argument("resource", help="resource name, e.g. invoices ('list' lists them)")
    export.add_argument("-o", "--output", help="output file (default stdout)")
    export.add_argument(
        "--format", choices=("jsonl", "csv"), help="default: from --output's suffix, else jsonl"
    )
    export.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="filter, e.g. customerid=12 (repeat; documented filters only); a list filter "
        "takes comma-separated values, e.g. statusids=2,3",
    )
    export.add_argument("--include", action="append", default=[], help="include, e.g. lines")
    export.add_argument(
        "--since",
        metavar="TIME",
        help="only objects updated at or after TIME: YYYY-MM-DD[THH:MM[:SS]] with an optional "
        "offset (+11:00, -05:00, Z), which is honoured; without one it is US/Eastern on "
        "accounting lists (invoices, clients...) and UTC on the others (projects, "
        "time entries...)",
    )
    export.add_argument(
        "--checkpoint",
        help="state file: a re-run fetches only what changed, or resumes a failed run",
    )
    export.add_argument("--concurrency", type=int, default=4, help="pages in flight")
    export.add_argument("--per-page", type=int, default=100, help="page size (1..100)")
    _add_scope(export)
    _add_credentials(export)
    _add_progress(export)

    bulk = commands.add_parser(
        "bulk-create",
        parents=[debug],
        help="create invoices from JSON Lines or CSV",
        description="Create invoices from a JSON Lines or CSV file with the bulk engine. "
        "The results file pairs every input line with its invoice id or its error; run "
        "again with the same results file to skip what was already created.",
        epilog=INPUT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bulk.add_argument("kind", choices=("invoices",), help="what to create")
    bulk.add_argument("file", help="input file (.jsonl or .csv; '-' for JSON Lines on stdin)")
    bulk.add_argument(
        "--results",
        help="results file (JSON Lines; default: FILE with its suffix replaced by "
        ".results.jsonl, e.g. invoices.csv -> invoices.results.jsonl)",
    )
    bulk.add_argument("--format", choices=("jsonl", "csv"), help="default: from FILE's suffix")
    bulk.add_argument(
        "--encoding",
        default="utf-8",
        help="the input's text encoding, e.g. cp1252 or latin-1 (default utf-8; a leading "
        "byte-order mark is ignored)",
    )
    bulk.add_argument(
        "--dry-run",
        action="store_true",
        help="validate every line (and check the results file), report, and send nothing; "
        "needs no credentials",
    )
    bulk.add_argument("--concurrency", type=int, default=8, help="creates in flight")
    bulk.add_argument(
        "--numbering",
        choices=("server", "client"),
        default="client",
        help="who numbers invoices (default client: no 409 race, and a line cut off by a "
        "crash is looked up by its number)",
    )
    bulk.add_argument(
        "--reference-field",
        choices=sorted(REFERENCE_FIELDS),
        help="a text field (e.g. po_number) that gets each line's reference, to find it "
        "after a crash",
    )
    bulk.add_argument(
        "--retry-unknown",
        action="store_true",
        help="post lines whose outcome stays unknown after the look-up (they may exist)",
    )
    _add_scope(bulk)
    _add_credentials(bulk)
    _add_progress(bulk)
    return parser


def _sub_argv(argv: Sequence[str], command: str) -> list[str]:
    """The arguments after the sub-command (global options take no values)."""
    index = next(i for i, token in enumerate(argv) if token == command)
    return [arg for arg in argv[index + 1 :] if arg != "--debug"]


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """Run the command line.

    Args:
        argv: The arguments (default ``sys.argv[1:]``).
        stdout: Where data and summaries go (default ``sys.stdout``).
        stderr: Where progress and errors go (default ``sys.stderr``).

    Returns:
        The exit status.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    debug = "--debug" in args_list
    try:
        args = build_parser().parse_args(args_list)
        debug = bool(getattr(args, "debug", False))
        if getattr(args, "progress", False) is None:
            args.progress = stderr_is_tty(err)
        return _dispatch(args, args_list, out, err)
    except SystemExit as exc:  # --help, --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except KeyboardInterrupt:
        err.write(f"{PROG}: interrupted\n")
        return EXIT_INTERRUPTED
    except Interrupted as exc:
        err.write(f"{PROG}: {exc}\n")
        err.flush()
        return exc.exit_code
    except BaseException as exc:  # every failure becomes one line
        if isinstance(exc, CLIError):
            message, code = str(exc), exc.exit_code
        elif isinstance(exc, FreshBooksError):
            message, code = f"{type(exc).__name__}: {exc}", EXIT_FAILURE
        elif isinstance(exc, OSError):
            message, code = str(exc), EXIT_FAILURE
        elif isinstance(exc, Exception):
            message = f"unexpected {type(exc).__name__}: {exc}"
            code = EXIT_FAILURE
            if not debug:
                message += " (run with --debug for the traceback)"
        else:
            raise
        if debug:
            traceback.print_exception(exc, file=err)
        err.write(f"{PROG}: error: {message}\n")
        err.flush()
        return code


def _dispatch(args: argparse.Namespace, argv: list[str], out: IO[str], err: IO[str]) -> int:
    runners: dict[str, Callable[[], int]] = {
        "demo": lambda: _cmd_demo(args, out, err),
        "sandbox": lambda: _cmd_sandbox(argv),
        "login": lambda: _run(lambda stop: _login_main(args, out, err)),
        "export": lambda: _run(lambda stop: _export_main(args, out, err, stop)),
        "bulk-create": lambda: _run(lambda stop: _bulk_main(args, out, err, stop)),
    }
    return runners[args.command]()


def _run(command: Callable[[StopSignals], Awaitable[_T]]) -> _T:
    """Run a command in an event loop that turns SIGINT and SIGTERM into a clean stop.

    Raises:
        Interrupted: A signal stopped the command (exit status 128 + its number).
    """

    async def run() -> _T:
        stop = StopSignals()
        stop.install()
        try:
            code = await command(stop)
        except asyncio.CancelledError:
            if stop.signum is None:
                raise
            raise Interrupted(stop.signum) from None
        finally:
            stop.remove()
        if stop.signum is not None:  # stopped early, but cleanly
            raise Interrupted(stop.signum)
        return code

    return asyncio.run(run())


def _cmd_demo(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ._demo import DEFAULT_FAULTS, check_demo_args, format_summary, run_demo

    faults: list[str] = [] if args.no_faults else list(args.fault or DEFAULT_FAULTS)
    check_demo_args(args.count, args.concurrency, args.numbering, faults)
    out.write(
        f"freshbooks-async demo: {args.count:,} invoices against an embedded sandbox "
        f"(faults: {', '.join(faults) or 'none'})\n"
    )
    out.flush()
    summary = _run(
        lambda stop: run_demo(
            count=args.count,
            concurrency=args.concurrency,
            numbering=args.numbering,
            faults=faults,
            seed=args.seed,
            progress=bool(args.progress),
            err=err,
        )
    )
    out.write(format_summary(summary, concurrency=args.concurrency, numbering=args.numbering))
    out.write("\n")
    out.flush()
    return EXIT_OK if summary.ok else EXIT_FAILURE


def _cmd_sandbox(argv: list[str]) -> int:
    from ..sandbox.__main__ import main as sandbox_main

    return sandbox_main(_sub_argv(argv, "sandbox"))


async def _login_main(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ._login import run_login

    code: int = await run_login(args, out=out, err=err)
    return code


async def _export_main(
    args: argparse.Namespace, out: IO[str], err: IO[str], stop: StopSignals
) -> int:
    from ._export import run_export

    code: int = await run_export(args, out=out, err=err, stop=stop)
    return code


async def _bulk_main(
    args: argparse.Namespace, out: IO[str], err: IO[str], stop: StopSignals
) -> int:
    from ._bulk import run_bulk_create

    code: int = await run_bulk_create(args, out=out, err=err, stop=stop)
    return code
