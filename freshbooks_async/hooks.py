"""Event hooks: observe every attempt of every call (logging, metrics, tracing).

Give :class:`~freshbooks_async.FreshBooksClient` an ``event_hooks`` mapping, as with
httpx: each key names an event, each value is a list of callables, sync or async, that
receive that event::

    async def on_response(event: ResponseEvent) -> None:
        metrics.observe(event.request.path_template, event.status, event.elapsed)

    fb = FreshBooksClient(token, event_hooks={"response": [on_response]})

The events, each a small frozen object:

* ``"request"``: :class:`RequestEvent`, as an attempt goes out (after the client's
  in-flight limit let it through);
* ``"response"``: :class:`ResponseEvent`, once per request event, when the attempt ended:
  with the status when an answer came (a streamed call: when its headers came), or with
  the error when none did;
* ``"retry"``: :class:`RetryEvent`, when the client decided to send the call again, with
  how long it waits first and why.

They come from the one place the client sends and retries requests, so every attempt of
every call is seen exactly once: typed resources, ``fb.request``, ``fb.stream`` and
downloads, pages of a listing, bulk creates, OAuth token refreshes. No event carries a
header: the bearer token is never in one.

Hooks run in the calling task, one after the other, in the order given: keep them quick
(an async hook that waits holds up the call). A hook that raises is logged on the
``freshbooks_async.hooks`` logger with its traceback and the other hooks and the call go
on: observing a call must not change its outcome. With no hooks the client does none of
this work.
"""

from __future__ import annotations

import inspect
import itertools
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Final, TypedDict

import attrs
import yarl

__all__ = [
    "EventHooks",
    "RequestEvent",
    "RequestHook",
    "ResponseEvent",
    "ResponseHook",
    "RetryEvent",
    "RetryHook",
]

logger = logging.getLogger("freshbooks_async.hooks")


@attrs.frozen(kw_only=True, eq=False)
class RequestEvent:
    """One attempt of a call, as it goes out.

    Events compare by identity, so one can key a dict (a span per attempt).

    Attributes:
        method: The HTTP method.
        path_template: The path's template with its ids as ``{placeholders}``
            (``/accounting/account/{account_id}/invoices/invoices/{id}``): few distinct
            values, fit for span and metric names. ``None`` for a path the endpoint
            catalogue does not know (a raw ``fb.request`` to an undocumented path).
        path: The API path sent, ids included (without the query).
        url: The absolute URL sent, query included.
        attempt: 1 for the first attempt, 2 for the first retry (or the replay after a
            token refresh), and so on.
        call_id: A number unique in this process to the call: the same for each of its
            attempts (to tie an attempt to the retry event before it).
        streamed: Whether the response is streamed (``fb.stream``, ``download_to``).
    """

    method: str
    path_template: str | None
    path: str
    url: yarl.URL
    attempt: int
    call_id: int
    streamed: bool = False


@attrs.frozen(kw_only=True, eq=False)
class ResponseEvent:
    """How one attempt ended: an answer (any status) or an error.

    Attributes:
        request: The attempt's :class:`RequestEvent` (the same object).
        status: The HTTP status, or ``None`` when no answer came.
        error: What ended the attempt when no answer came: a
            :class:`~freshbooks_async.errors.TransportError` (scrubbed of secrets like
            every error the client raises), or ``asyncio.CancelledError``; else ``None``.
        request_id: The answer's ``X-Request-Id`` (or ``Request-Id``) header, if any.
        elapsed: Seconds from the request event to this one (for a streamed call, to
            the response headers), by the client's clock.
    """

    request: RequestEvent
    status: int | None
    error: BaseException | None = None
    request_id: str | None = None
    elapsed: float = 0.0


@attrs.frozen(kw_only=True, eq=False)
class RetryEvent:
    """The client will send a call again.

    Attributes:
        request: The :class:`RequestEvent` of the attempt that failed; the next
            attempt has the same ``call_id`` and the number ``request.attempt + 1``.
        status: That attempt's status (``429``, ``503``...), or ``None`` after an error.
        error: That attempt's transport error, or ``None`` after an answer.
        wait: Seconds the client waits before the next attempt (a ``Retry-After`` is
            honoured as given; ``0.0`` for the replay after a token refresh).
        reason: Why, e.g. ``"status 503"``, ``"status 429, Retry-After"``,
            ``"ConnectError"``, ``"status 401, token refreshed"``.
    """

    request: RequestEvent
    status: int | None
    error: BaseException | None
    wait: float
    reason: str


#: A hook for ``"request"`` events: sync, or async (its awaitable is awaited).
RequestHook = Callable[[RequestEvent], Awaitable[None] | None]
#: A hook for ``"response"`` events.
ResponseHook = Callable[[ResponseEvent], Awaitable[None] | None]
#: A hook for ``"retry"`` events.
RetryHook = Callable[[RetryEvent], Awaitable[None] | None]


class EventHooks(TypedDict, total=False):
    """The ``event_hooks`` argument: the hooks of each event, called in order."""

    request: Sequence[RequestHook]
    response: Sequence[ResponseHook]
    retry: Sequence[RetryHook]


_KINDS: Final = ("request", "response", "retry")

#: Numbers the calls observed by hooks (``RequestEvent.call_id``).
_CALL_IDS: Final = itertools.count(1)

_Hook = Callable[[object], "Awaitable[None] | None"]


@attrs.frozen
class _HookSet:
    """Validated hooks, by event (the client's pipeline holds one, or ``None``)."""

    request: tuple[_Hook, ...] = ()
    response: tuple[_Hook, ...] = ()
    retry: tuple[_Hook, ...] = ()


def _hook_set(event_hooks: object) -> _HookSet | None:
    """Check the ``event_hooks`` argument; ``None`` when it sets no hook at all.

    Raises:
        TypeError: It is not a mapping, a value is not a list or tuple, or an entry is
            not callable (the message names the key and the position).
        ValueError: A key is not an event name.
    """
    if event_hooks is None:
        return None
    if not isinstance(event_hooks, Mapping):
        raise TypeError(
            "event_hooks: expected a mapping such as {'response': [hook]}, got "
            f"{type(event_hooks).__name__}: {event_hooks!r}"
        )
    found: dict[str, tuple[_Hook, ...]] = {}
    for key, hooks in event_hooks.items():
        if key not in _KINDS:
            raise ValueError(
                f"event_hooks: unknown event {key!r} (the events are {', '.join(_KINDS)})"
            )
        if not isinstance(hooks, list | tuple):
            raise TypeError(
                f"event_hooks[{key!r}]: expected a list of callables, got "
                f"{type(hooks).__name__}: {hooks!r}"
            )
        for position, hook in enumerate(hooks):
            if not callable(hook):
                raise TypeError(
                    f"event_hooks[{key!r}][{position}]: expected a callable, got "
                    f"{type(hook).__name__}: {hook!r}"
                )
        found[key] = tuple(hooks)
    if not any(found.values()):
        return None
    return _HookSet(**found)


async def _emit(hooks: tuple[_Hook, ...], event: object) -> None:
    """Call each hook with ``event``, awaiting what it returns if awaitable; a hook that
    raises is logged and skipped."""
    for hook in hooks:
        try:
            result = hook(event)
            if result is not None and inspect.isawaitable(result):
                await result
        except Exception:
            logger.exception("event hook %r raised on a %s; ignored", hook, type(event).__name__)
