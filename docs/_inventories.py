"""The external names the API reference links to, for intersphinx without network.

The build machines have no internet, so ``docs/conf.py`` does not download the
``objects.inv`` of Python, aiohttp, attrs, yarl, multidict and redis-py: it writes small
ones into ``docs/_generated/`` from the table below, and intersphinx reads those. Each
row is ``(name, role, URL)``; the URL is the page and anchor of the name in that
project's published documentation. Add a row when a docstring or an annotation refers
to an outside name the nitpicky build reports as missing.

``ALIASES`` maps the spellings autodoc produces from runtime objects (the module a class
is really defined in, such as ``aiohttp.client.ClientSession``) to the documented name.
"""

from __future__ import annotations

#: project -> the base URL of its documentation (every row's URL starts with it).
PROJECTS: dict[str, str] = {
    "python": "https://docs.python.org/3/",
    "aiohttp": "https://docs.aiohttp.org/en/stable/",
    "attrs": "https://www.attrs.org/en/stable/",
    "yarl": "https://yarl.aio-libs.org/en/stable/",
    "multidict": "https://multidict.aio-libs.org/en/stable/",
    "redis": "https://redis.readthedocs.io/en/stable/",
}

_PY = "https://docs.python.org/3/library/"
_ABC = _PY + "collections.abc.html#collections.abc."
_AIOHTTP = "https://docs.aiohttp.org/en/stable/"

#: project -> rows of (name, role, URL).
NAMES: dict[str, list[tuple[str, str, str]]] = {
    "python": [
        *(
            (f"collections.abc.{n}", "class", _ABC + n)
            for n in (
                "AsyncGenerator",
                "AsyncIterable",
                "AsyncIterator",
                "Awaitable",
                "Callable",
                "Coroutine",
                "Hashable",
                "Iterable",
                "Iterator",
                "Mapping",
                "MutableMapping",
                "Sequence",
            )
        ),
        ("collections.Counter", "class", _PY + "collections.html#collections.Counter"),
        ("datetime.date", "class", _PY + "datetime.html#datetime.date"),
        ("datetime.datetime", "class", _PY + "datetime.html#datetime.datetime"),
        ("datetime.timedelta", "class", _PY + "datetime.html#datetime.timedelta"),
        ("datetime.timezone", "class", _PY + "datetime.html#datetime.timezone"),
        ("datetime.tzinfo", "class", _PY + "datetime.html#datetime.tzinfo"),
        ("decimal.Decimal", "class", _PY + "decimal.html#decimal.Decimal"),
        ("enum.Enum", "class", _PY + "enum.html#enum.Enum"),
        ("enum.IntEnum", "class", _PY + "enum.html#enum.IntEnum"),
        ("enum.StrEnum", "class", _PY + "enum.html#enum.StrEnum"),
        ("asyncio.Event", "class", _PY + "asyncio-sync.html#asyncio.Event"),
        (
            "asyncio.AbstractEventLoop",
            "class",
            _PY + "asyncio-eventloop.html#asyncio.AbstractEventLoop",
        ),
        ("asyncio.Semaphore", "class", _PY + "asyncio-sync.html#asyncio.Semaphore"),
        (
            "asyncio.Semaphore.acquire",
            "method",
            _PY + "asyncio-sync.html#asyncio.Semaphore.acquire",
        ),
        (
            "asyncio.Semaphore.release",
            "method",
            _PY + "asyncio-sync.html#asyncio.Semaphore.release",
        ),
        ("asyncio.Lock", "class", _PY + "asyncio-sync.html#asyncio.Lock"),
        ("asyncio.Task", "class", _PY + "asyncio-task.html#asyncio.Task"),
        ("asyncio.sleep", "function", _PY + "asyncio-task.html#asyncio.sleep"),
        (
            "asyncio.CancelledError",
            "exception",
            _PY + "asyncio-exceptions.html#asyncio.CancelledError",
        ),
        (
            "contextlib.AbstractAsyncContextManager",
            "class",
            _PY + "contextlib.html#contextlib.AbstractAsyncContextManager",
        ),
        ("pathlib.Path", "class", _PY + "pathlib.html#pathlib.Path"),
        ("os.PathLike", "class", _PY + "os.html#os.PathLike"),
        ("ssl.SSLContext", "class", _PY + "ssl.html#ssl.SSLContext"),
        ("time.time", "function", _PY + "time.html#time.time"),
        ("time.monotonic", "function", _PY + "time.html#time.monotonic"),
        ("json.dumps", "function", _PY + "json.html#json.dumps"),
        ("re.Pattern", "class", _PY + "re.html#re.Pattern"),
        ("random.Random", "class", _PY + "random.html#random.Random"),
        ("argparse.ArgumentParser", "class", _PY + "argparse.html#argparse.ArgumentParser"),
        ("warnings", "module", _PY + "warnings.html#module-warnings"),
        ("logging", "module", _PY + "logging.html#module-logging"),
        ("logging.Logger", "class", _PY + "logging.html#logging.Logger"),
    ],
    "aiohttp": [
        (
            "aiohttp.ClientSession",
            "class",
            _AIOHTTP + "client_reference.html#aiohttp.ClientSession",
        ),
        (
            "aiohttp.ClientTimeout",
            "class",
            _AIOHTTP + "client_reference.html#aiohttp.ClientTimeout",
        ),
        ("aiohttp.TCPConnector", "class", _AIOHTTP + "client_reference.html#aiohttp.TCPConnector"),
        (
            "aiohttp.web.Application",
            "class",
            _AIOHTTP + "web_reference.html#aiohttp.web.Application",
        ),
        ("aiohttp.web.Request", "class", _AIOHTTP + "web_reference.html#aiohttp.web.Request"),
        ("aiohttp.web.Response", "class", _AIOHTTP + "web_reference.html#aiohttp.web.Response"),
    ],
    "attrs": [
        ("attrs.define", "function", "https://www.attrs.org/en/stable/api.html#attrs.define"),
        ("attrs.frozen", "function", "https://www.attrs.org/en/stable/api.html#attrs.frozen"),
    ],
    "yarl": [
        ("yarl.URL", "class", "https://yarl.aio-libs.org/en/stable/api/#yarl.URL"),
    ],
    "multidict": [
        (
            "multidict.CIMultiDict",
            "class",
            "https://multidict.aio-libs.org/en/stable/multidict/#multidict.CIMultiDict",
        ),
        (
            "multidict.CIMultiDictProxy",
            "class",
            "https://multidict.aio-libs.org/en/stable/multidict/#multidict.CIMultiDictProxy",
        ),
    ],
    "redis": [
        (
            "redis.asyncio.client.Redis",
            "class",
            "https://redis.readthedocs.io/en/stable/connections.html#redis.asyncio.client.Redis",
        ),
    ],
}

#: Spelling autodoc produces -> the documented name (both resolve to the same page).
ALIASES: dict[str, str] = {
    # Where the classes are defined; their documentation names the public import path.
    "_ssl.SSLContext": "ssl.SSLContext",
    "asyncio.locks.Semaphore": "asyncio.Semaphore",
    "asyncio.locks.Event": "asyncio.Event",
    "asyncio.events.AbstractEventLoop": "asyncio.AbstractEventLoop",
    "asyncio.exceptions.CancelledError": "asyncio.CancelledError",
    "aiohttp.client.ClientSession": "aiohttp.ClientSession",
    "aiohttp.web_app.Application": "aiohttp.web.Application",
    "aiohttp.web_request.Request": "aiohttp.web.Request",
    "aiohttp.web_response.Response": "aiohttp.web.Response",
    "multidict._multidict.CIMultiDict": "multidict.CIMultiDict",
    "multidict._multidict.CIMultiDictProxy": "multidict.CIMultiDictProxy",
    "redis.asyncio.Redis": "redis.asyncio.client.Redis",
    # Annotations on names imported under ``if TYPE_CHECKING:`` (autodoc cannot evaluate
    # them, so it shows the source spelling).
    "web.Request": "aiohttp.web.Request",
    "web.Response": "aiohttp.web.Response",
    "aioredis.Redis": "redis.asyncio.client.Redis",
    "tzinfo": "datetime.tzinfo",
}
