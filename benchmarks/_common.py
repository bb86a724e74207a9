"""Shared helpers of the benchmark scripts (not part of the SDK).

* :class:`SandboxProcess` runs ``python -m freshbooks_async.sandbox`` on a loopback port in
  its own process (so that ``time.process_time()`` in the benchmark process counts client
  work only), waits until it answers, and always stops it.
* :class:`Control` talks to the sandbox's ``/_sandbox/...`` endpoints over one kept-alive
  connection (so reading counters does not itself add TCP connects mid-measurement).
* :func:`summarize`, :func:`environment`, :func:`write_json`, :func:`peak_rss_kib`: numbers,
  machine description and output.

Every scenario script writes one JSON document with the same top level (see
:func:`scenario_result`): ``scenario``, ``title``, ``quick``, ``rows`` (one per measured
case: ``case``, ``variant``, ``metric``, ``unit``, ``median``, ``runs``, extra keys) and
``goals`` (``name``, ``target``, ``measured``, ``met``, ``detail``). ``benchmarks/run.py``
collects them into one report.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import http.client
import importlib.metadata
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = [
    "ACCOUNT_ID",
    "BENCH_TOKEN",
    "RESULTS_DIR",
    "ROOT",
    "Control",
    "SandboxProcess",
    "add_common_arguments",
    "check_repeat",
    "chunks",
    "current_rss_kib",
    "environment",
    "goal",
    "interleaved",
    "observe_sends",
    "peak_rss_kib",
    "row",
    "scenario_result",
    "stop_process",
    "summarize",
    "write_json",
]

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "benchmarks" / "results"
#: The fixed bearer token every benchmark sandbox accepts (``--token``); not a secret.
BENCH_TOKEN = "bench-token-not-a-secret-0001"
#: The sandbox's default accounting account.
ACCOUNT_ID = "ACC001"

#: Library versions recorded in every result.
_DISTRIBUTIONS = (
    "freshbooks-async",
    "aiohttp",
    "attrs",
    "cattrs",
    "yarl",
    "backoff",
    "multidict",
    "freshbooks-sdk",
    "requests",
    "urllib3",
    "matplotlib",
)


def _check_positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}: expected int, got {type(value).__name__}: {value!r}")
    if value < 1:
        raise ValueError(f"{name}: must be >= 1, got {value!r}")
    return value


# --------------------------------------------------------------------------- control client


class Control:
    """A kept-alive HTTP/1.1 connection to the sandbox's control endpoints.

    Args:
        url: The sandbox base URL (``http://127.0.0.1:PORT``).
        timeout: Seconds per control call.
    """

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        if not isinstance(url, str) or not url.startswith("http://"):
            raise ValueError(f"url: expected an http:// URL, got {url!r}")
        hostport = url[len("http://") :].rstrip("/")
        host, _, port = hostport.partition(":")
        self._conn = http.client.HTTPConnection(host, int(port or 80), timeout=timeout)

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """Send one control request and return its decoded JSON.

        Raises:
            RuntimeError: The sandbox answered with a status other than 200.
        """
        if method not in ("GET", "POST", "DELETE"):
            raise ValueError(f"method: expected GET, POST or DELETE, got {method!r}")
        if not path.startswith("/_sandbox/"):
            raise ValueError(f"path: expected a /_sandbox/ path, got {path!r}")
        payload = b"" if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "Connection": "keep-alive"}
        self._conn.request(method, path, body=payload, headers=headers)
        response = self._conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"sandbox control {method} {path}: {response.status} {data[:200]!r}")
        return json.loads(data)

    def stats(self) -> dict[str, Any]:
        """``GET /_sandbox/stats``."""
        result: dict[str, Any] = self.call("GET", "/_sandbox/stats")
        return result

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> Control:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# --------------------------------------------------------------------------- sandbox process


class SandboxProcess:
    """The sandbox in a child process on ``127.0.0.1`` (a free port), for a ``with`` block.

    Args:
        seed_invoices: Invoices seeded in the default account.
        seed_clients: Clients seeded in the default account.
        latency_ms: Latency added to every API request.
        faults: Fault specs (``--fault``), e.g. ``"conflict:rate=0.3"``.
        token: A fixed bearer token the sandbox accepts.
        startup_timeout: Seconds allowed for seeding and binding.

    Attributes:
        url: The base URL (once started).
        token: The bearer token.
        pid: The child's process id (once started).
    """

    def __init__(
        self,
        *,
        seed_invoices: int = 0,
        seed_clients: int = 0,
        latency_ms: float = 0.0,
        faults: Sequence[str] = (),
        token: str = BENCH_TOKEN,
        startup_timeout: float = 120.0,
    ) -> None:
        for name, count in (("seed_invoices", seed_invoices), ("seed_clients", seed_clients)):
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ValueError(f"{name}: expected an int >= 0, got {count!r}")
        if isinstance(latency_ms, bool) or not isinstance(latency_ms, int | float):
            raise TypeError(f"latency_ms: expected a number, got {latency_ms!r}")
        if latency_ms < 0:
            raise ValueError(f"latency_ms: must be >= 0, got {latency_ms!r}")
        if isinstance(faults, str) or not all(isinstance(f, str) for f in faults):
            raise TypeError(f"faults: expected a sequence of str, got {faults!r}")
        if not isinstance(token, str) or len(token) < 8:
            raise ValueError("token: expected a str of at least 8 characters")
        if startup_timeout <= 0:
            raise ValueError(f"startup_timeout: must be > 0, got {startup_timeout!r}")
        self.args = [
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--seed-invoices",
            str(seed_invoices),
            "--seed-clients",
            str(seed_clients),
            "--latency-ms",
            str(latency_ms),
            "--token",
            token,
        ]
        for spec in faults:
            self.args += ["--fault", spec]
        self.token = token
        self.startup_timeout = startup_timeout
        self.url = ""
        self.pid = 0
        self._process: subprocess.Popen[str] | None = None
        self._lines: list[str] = []
        self._ready = threading.Event()

    def _drain(self, stream: Any) -> None:
        for line in stream:
            self._lines.append(line.rstrip("\n"))
            if "listening on" in line:
                self._ready.set()
        self._ready.set()  # EOF: the process exited

    def start(self) -> None:
        """Start the child and wait until ``/_sandbox/stats`` answers.

        Raises:
            RuntimeError: The sandbox exited or did not become ready in time.
        """
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self._process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            [sys.executable, "-m", "freshbooks_async.sandbox", *self.args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.pid = self._process.pid
        threading.Thread(target=self._drain, args=(self._process.stdout,), daemon=True).start()
        deadline = time.monotonic() + self.startup_timeout
        if not self._ready.wait(self.startup_timeout) or self._process.poll() is not None:
            output = "\n".join(self._lines[-20:])
            self.stop()
            raise RuntimeError(f"the sandbox did not start:\n{output}")
        first = next(line for line in self._lines if "listening on" in line)
        self.url = first.rsplit(" ", 1)[-1].strip()
        while True:
            try:
                with Control(self.url, timeout=5.0) as control:
                    control.stats()
                return
            except (OSError, RuntimeError, http.client.HTTPException):
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"the sandbox at {self.url} never answered") from None
                time.sleep(0.05)

    def cpu_seconds(self) -> float:
        """The child's user + system CPU seconds so far (Linux ``/proc``; 0.0 elsewhere)."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def stop(self) -> None:
        """Terminate the child (kill it if it does not exit within 10 s). Idempotent."""
        process, self._process = self._process, None
        if process is not None:
            stop_process(process)

    def control(self) -> Control:
        """A new :class:`Control` connection to this sandbox."""
        if not self.url:
            raise RuntimeError("the sandbox is not started")
        return Control(self.url)

    def __enter__(self) -> SandboxProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def stop_process(process: subprocess.Popen[str]) -> None:
    """Terminate a child process (kill it if it does not exit within 10 s)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


def observe_sends(client: Any, observe: Callable[[Any], Callable[[], None] | None]) -> None:
    """Wrap the transport ``client`` built for itself (the client as users get it):
    ``observe(request)`` runs as each request leaves, and the callable it returns (if
    any) once that send has ended."""
    pipeline = client._pipeline
    inner = pipeline.transport

    class Observed:
        async def send(self, request: Any) -> Any:
            done = observe(request)
            try:
                return await inner.send(request)
            finally:
                if done is not None:
                    done()

        def stream(self, request: Any) -> Any:
            return inner.stream(request)

        def aclose(self) -> Awaitable[None]:
            return inner.aclose()  # type: ignore[no-any-return]

    pipeline.transport = Observed()


# --------------------------------------------------------------------------- numbers


def summarize(samples: Sequence[float]) -> dict[str, Any]:
    """Median, min, max and the samples themselves.

    Raises:
        ValueError: ``samples`` is empty.
    """
    if not samples:
        raise ValueError("samples: need at least one value")
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "runs": list(samples),
    }


def row(
    case: str, variant: str, metric: str, unit: str, samples: Sequence[float], **extra: Any
) -> dict[str, Any]:
    """One measured row of a scenario result (median over ``samples``)."""
    return {
        "case": case,
        "variant": variant,
        "metric": metric,
        "unit": unit,
        **summarize(samples),
        **extra,
    }


def goal(name: str, target: str, measured: float, met: bool, detail: str = "") -> dict[str, Any]:
    """One goal of a scenario: the target as text, the measured figure, met or not."""
    return {
        "name": name,
        "target": target,
        "measured": measured,
        "met": bool(met),
        "detail": detail,
    }


def scenario_result(
    scenario: str,
    title: str,
    *,
    quick: bool,
    rows: list[dict[str, Any]],
    goals: list[dict[str, Any]],
    **extra: Any,
) -> dict[str, Any]:
    """The JSON document a scenario script writes (see the module docs)."""
    return {
        "scenario": scenario,
        "title": title,
        "quick": quick,
        "rows": rows,
        "goals": goals,
        **extra,
    }


def peak_rss_kib() -> int:
    """This process's peak resident set size in KiB (``ru_maxrss``; Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def current_rss_kib() -> int:
    """This process's current resident set size in KiB (Linux ``/proc``; else the peak)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return peak_rss_kib()


# --------------------------------------------------------------------------- environment


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - developer tool
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in _DISTRIBUTIONS:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def environment() -> dict[str, Any]:
    """Where and with what the numbers were measured."""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "git_commit": _git_commit(),
        "versions": _versions(),
    }


# --------------------------------------------------------------------------- output


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as indented JSON, creating the folder (atomic rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")
    tmp.replace(path)


def add_common_arguments(parser: argparse.ArgumentParser, default_repeat: int = 5) -> None:
    """``--quick``, ``--repeat`` and ``--output`` (every scenario script has them)."""
    parser.add_argument("--quick", action="store_true", help="small sizes (CI smoke run)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=default_repeat,
        help=f"measured repetitions after the warm-up, >= 5 (default {default_repeat})",
    )
    parser.add_argument("--output", type=Path, help="write the JSON result here")


def check_repeat(parser: argparse.ArgumentParser, repeat: int) -> int:
    """``--repeat`` must be >= 5 (the issue asks medians over at least 5 repetitions)."""
    if repeat < 5:
        parser.error(f"--repeat must be >= 5, got {repeat}")
    return _check_positive_int("repeat", repeat)


def interleaved(variants: Sequence[str], rounds: int) -> Iterator[tuple[int, str]]:
    """``(round, variant)`` for ``rounds`` rounds of every variant, the order rotated each
    round so that drift on a shared machine falls on every variant alike. The garbage is
    collected before each run: no run collects another's garbage on its clock (and a
    previous run's results, if still alive, are not traversed by it)."""
    for run in range(rounds):
        shift = run % len(variants)
        for variant in (*variants[shift:], *variants[:shift]):
            gc.collect()
            yield run, variant


def chunks(total: int, parts: int) -> Iterator[int]:
    """Split ``total`` into ``parts`` near-equal non-negative counts."""
    _check_positive_int("parts", parts)
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise ValueError(f"total: expected an int >= 0, got {total!r}")
    base, extra = divmod(total, parts)
    for i in range(parts):
        yield base + (1 if i < extra else 0)
