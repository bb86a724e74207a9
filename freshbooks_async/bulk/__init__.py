"""Bulk invoice creation that accounts for every draft: :func:`bulk_create_invoices`.

The package's parts (private modules; this one holds the public names and the entry
point): ``_types`` the public result types; ``_run`` one call, its parts wired together;
``_drafts`` preparing the input and matching an invoice to a draft; ``_scheduler`` the
workers, their queue, 409 backoff and stopping; ``_create`` one attempt (number, slot,
journal record, POST, the answer's meaning); ``_client_numbering`` client numbering
through the coordinator's counter; ``_reconcile`` looking up ambiguous creates;
``_ledger`` the ``on_send`` journal and an earlier call's in-doubt sends; ``_reads`` the
GETs of the account's invoices; ``_results`` each draft's outcome, the counts, the result.

::

    result = await bulk_create_invoices(client, "ABC123", drafts, concurrency=8)
    result.raise_for_failures()          # BulkError unless every valid draft was created
    for item in result.items:            # aligned with ``drafts``
        print(item.index, item.status, item.invoice, item.error)

What happens, in order:

1. **Validation.** Every draft (a mapping of invoice fields or an
   :class:`~freshbooks_async.models.InvoiceCreate`) is checked before the first request;
   an invalid draft is reported as ``invalid`` and never sent.
2. **Creates** run at most ``concurrency`` at a time for this call, and every create for
   the account also holds one of the account's ``per_account_concurrency`` *slots* in
   the client's coordinator (:func:`~freshbooks_async.coordination.account_slot`), which
   every bulk call and ``invoices.create`` of every client sharing that coordinator
   respect: with a :class:`~freshbooks_async.redis.RedisCoordinator`, every process. A
   slot is held while a POST is on the wire, and from a create that succeeded to the
   next POST of a worker that has a draft to post at once (the slot is exchanged for it
   in one step: :func:`~freshbooks_async.coordination.reacquire_slot`); never while
   waiting for a draft, a backoff or a reconciliation.
   Each POST carries ``X-Client-Reference: <unique per draft>`` (recorded by the sandbox's
   ledger, ignored by FreshBooks).
3. **Numbering.**

   * ``numbering="server"``: drafts without ``invoice_number`` are posted as they are and
     FreshBooks numbers them. Concurrent creates can take the same number and get 409
     (invoices docs page, "Creating Multiple Invoices"); such a draft is re-queued after a
     jittered exponential backoff (``backoff.expo`` + full jitter, on the client's
     clock) and retried, up to ``max_attempts`` posts per draft. Other drafts keep the
     permits busy meanwhile; when none is left to post, an idle worker takes the draft
     that has backed off longest, provided creates are succeeding (most of the call's
     recent outcomes, or one since that draft's 409): the batch's tail does not wait
     out long backoffs, and in a 409 storm every backoff runs its course.
   * ``numbering="client"`` (what FreshBooks recommends for concurrent creation): before
     the first create, the account's newest invoice and the numbers in use (one page of
     100, ``sort=invoice_number_desc``) are read. Numbers continue the newest invoice's
     sequence after the *highest* number in use in it (the newest invoice's number can
     be lower), with FreshBooks' increment rule
     (``"0005"`` -> ``"0006"``, ``"000D"`` -> ``"000E"``), and are posted
     explicitly, so the batch does not collide with itself. They come from the
     account's counter in the client's coordinator, seeded (or moved forward) with the
     highest number in use: bulk calls, and processes, sharing the coordinator never
     send the same number. If a number turns out to be taken (400 "already exists", a
     second 409 for it, or a look-up finds someone else's invoice with it), the counter
     moves past it, the numbers in use are re-read (one read however many creates found
     out at once) and it moves past the highest; the draft is posted with a fresh
     number. A counter that lost its value (a Redis restart without persistence) is
     seeded again the same way. Drafts that carry their own ``invoice_number`` keep it,
     and no other draft of the call gets it.

4. **Ambiguous failures.** A POST whose outcome is unknown (the connection broke after
   sending: :class:`~freshbooks_async.errors.RequestMaybeSentError`; a 5xx; a success
   whose body could not be read) may have created the invoice. It is never replayed
   blindly; it is *reconciled* first, and re-posted only if the invoice does not exist:

   * with client numbering, by looking the number up (``search[invoice_number]``) and
     checking the invoice found is this draft's (customer, date, lines...);
   * with ``reference_field`` (e.g. ``"po_number"``), the SDK writes the draft's unique
     reference into that field (unless the draft sets it: then its value, which must be
     unique in the batch, is the reference) and looks it up (``search[<field>]``, exact
     match checked locally since FreshBooks' filter may be a "contains");
   * otherwise (server numbering, no reference) by **fingerprint**: before the first
     create, the id of the account's newest invoice is read (the *baseline*). Ambiguous
     drafts are set aside until every other create of the call has finished; then the
     invoices newer than the baseline are listed (newest first, with lines) and those
     that no create on this client is known to have produced are matched to the set-aside
     drafts by content (customer, dates, numbers, notes, lines), each invoice to at most
     one draft. Drafts left without a match are posted again. This is sound as long as
     nobody else creates identical invoices for the same customer on the account during
     the call; when that cannot be ruled out, use ``reference_field`` or client
     numbering.

   A ``ReadTimeoutError`` (the server may still be working on it) waits
   ``reconcile_delay`` seconds before the look-up. If the look-up itself fails, the draft
   is reported ``unknown`` (it may exist: its reference is in the result) and is not
   re-posted. Nothing is created twice, nothing is dropped silently.

5. **Result.** :class:`BulkResult` lists every draft as ``created`` (with its
   :class:`~freshbooks_async.models.Invoice`), ``failed`` (with the final error; not
   created), ``invalid`` (never sent), ``unknown`` (see above) or ``not_attempted``
   (stopped before it could be created; not created, safe to submit again).

6. **Surviving a crash.** A bulk call cannot know what a killed process had on the wire,
   so the caller keeps a *journal*: ``on_send`` is called synchronously with a
   :class:`BulkSend` (draft, reference, invoice number, attempt, baseline, time) right
   before each POST leaves, and a caller that writes it durably (flush + fsync) before
   returning knows afterwards which drafts may have been created without a recorded
   outcome. The next call passes those as ``in_doubt={index: BulkSend}`` (with
   ``references`` so each draft keeps its reference, and ``claimed_ids``: the invoices
   already recorded as created). Before anything is posted, it waits until
   ``reconcile_delay`` seconds have passed since the latest of those sends (the server
   may still be finishing a create whose client died), then looks each one up as in 4:
   by the invoice number it was sent with, else by its reference in the field it was
   written to, else by fingerprint against that call's baseline. Found: ``created``
   with ``reconciled=True``, nothing posted. Not found: posted like any other draft.
   Cannot be looked up (no key; the look-up failed): ``unknown``, not posted, unless
   ``post_unresolved=True``. ``freshbooks-async bulk-create`` does exactly this with
   its results file.

7. **The coordinator failing.** A coordinator that cannot be reached (Redis down longer
   than its ``unavailable_timeout``:
   :class:`~freshbooks_async.errors.CoordinatorUnavailableError`) before a POST means the
   POST is not sent: that draft is ``not_attempted`` with the error, and the call stops
   as if ``stop`` were set (every draft not started is ``not_attempted`` with the same
   error; creates on the wire finish). Nothing is sent without a slot and a number, so
   nothing is created twice.

Stopping early: set ``stop`` (an :class:`asyncio.Event`) or pass ``deadline`` (seconds
on the client's clock). No new create starts; creates on the wire finish, set-aside
drafts are still reconciled, and everything left is ``not_attempted``: the call returns a
complete result. Cancelling the task instead propagates :class:`asyncio.CancelledError`
at once (POSTs on the wire are abandoned, so their drafts' fate is unknown); drafts
already settled were passed to ``on_item`` as they settled, so a caller can keep them.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal

# The library the scheduler's 409 backoff jitter comes from: tests patch
# ``freshbooks_async.bulk.backoff.full_jitter``.
import backoff as backoff

from .._sansio import check_account_id
from .._validate import check_int as _check_int
from .._validate import check_seconds as _check_seconds
from ..models import Invoice, InvoiceCreate

# _Draft: tests count the drafts a call keeps alive by this type; matches_draft has
# always been importable from here.
from ._drafts import _Draft as _Draft
from ._drafts import matches_draft as matches_draft
from ._run import _Run
from ._types import REFERENCE_FIELDS as _REFERENCE_FIELDS
from ._types import (
    BulkItem,
    BulkProgress,
    BulkResult,
    BulkSend,
    BulkStatus,
)

if TYPE_CHECKING:
    from ..client import FreshBooksClient

__all__ = [
    "REFERENCE_FIELDS",
    "BulkItem",
    "BulkProgress",
    "BulkResult",
    "BulkSend",
    "BulkStatus",
    "bulk_create_invoices",
]

# The same object as _types.REFERENCE_FIELDS, named here with its doc comment (the
# docs read the comment from this module's source).
#: Text fields that can carry a draft's reference (``reference_field``).
REFERENCE_FIELDS: Final = _REFERENCE_FIELDS

# The public types are defined in _types and belong here: their reprs, pickles and
# the API reference name them freshbooks_async.bulk.X, as before the package split.
for _public in (BulkItem, BulkProgress, BulkResult, BulkSend, BulkStatus):
    _public.__module__ = __name__
del _public

#: Every part of the package logs under this one name.
logger = logging.getLogger("freshbooks_async.bulk")


async def bulk_create_invoices(
    client: FreshBooksClient,
    account_id: str,
    drafts: Iterable[Mapping[str, Any] | InvoiceCreate],
    *,
    concurrency: int = 8,
    numbering: Literal["server", "client"] = "server",
    max_attempts: int = 30,
    on_progress: Callable[[BulkProgress], object] | None = None,
    on_item: Callable[[BulkItem[Invoice]], object] | None = None,
    reference_field: str | None = None,
    backoff_base: float | None = None,
    backoff_max: float = 5.0,
    reconcile_delay: float = 2.0,
    stop: asyncio.Event | None = None,
    deadline: float | None = None,
    on_send: Callable[[BulkSend], object] | None = None,
    references: Sequence[str] | None = None,
    in_doubt: Mapping[int, BulkSend] | None = None,
    claimed_ids: Iterable[int] = (),
    post_unresolved: bool = False,
) -> BulkResult[Invoice]:
    """Create many invoices in one account; every draft is accounted for.

    See the module documentation for numbering, 409 handling and reconciliation.

    Args:
        client: The client (its coordinator's account slots and invoice counter,
            ``per_account_concurrency``, retries and clock are used).
        account_id: The accounting account id.
        drafts: Mappings of invoice fields or :class:`~freshbooks_async.models.InvoiceCreate`
            objects (``customerid`` and ``create_date`` required).
        concurrency: The most creates this call has on the wire (the client's
            ``per_account_concurrency`` bounds all calls on the account together).
        numbering: ``"server"`` (FreshBooks numbers; 409s are retried) or ``"client"``
            (the SDK allocates numbers; no collisions within the batch).
        max_attempts: The most POSTs per draft (409 retries and re-posts included).
            A 409 creates nothing, so retrying it is safe; with server numbering at
            concurrency 16 the real numbering race plus 30% injected conflicts makes
            about 60% of attempts collide, and 30 attempts lose a draft with
            probability 0.6**30 (about 2e-7).
        on_progress: Called with :class:`BulkProgress` after every change (its
            exceptions are logged, not raised).
        on_item: Called with each :class:`BulkItem` as it settles.
        reference_field: A text field (``"po_number"``) the SDK fills with the draft's
            unique reference, to find the invoice after an ambiguous failure.
        backoff_base: The first 409 backoff ceiling in seconds. It doubles with each
            attempt of the draft; with client numbering, a 409 for a number the call
            chose restarts it with each new number (such a 409 is not a race with the
            call's other creates, and a second one re-numbers the draft).
            ``None`` (the default) adapts it to the observed create latency: a
            collision is then retried about one request-time later, which spreads the
            colliding creates without idling the account's permits. A worker with
            nothing else to post does not wait a backoff out while creates succeed
            (most of the call's recent outcomes, or one since that backoff began): it
            posts the draft that has backed off longest. In a 409 storm every backoff
            is waited out.
        backoff_max: The largest 409 backoff ceiling in seconds.
        reconcile_delay: Seconds to wait after a read timeout before looking the
            invoice up (the server may still be creating it).
        stop: Set it to stop starting creates; the call then returns a full result.
        deadline: Seconds from now (client clock) after which no create starts.
        on_send: Called with a :class:`BulkSend` right before each POST leaves (never
            for an invalid draft), on the event loop: a journal writes it durably here.
            If it raises, that POST is not sent, its draft is ``not_attempted`` with the
            exception as its error, and the call stops as if ``stop`` were set.
        references: One unique, non-empty reference per draft (aligned with ``drafts``)
            instead of random ones, so that a later call for the same input uses the same
            references. A draft that sets ``reference_field`` itself still uses its value.
        in_doubt: ``{index: BulkSend}``: drafts of this call that an earlier call sent
            without recording the outcome (its last ``on_send`` record for each). They
            are looked up before anything is posted (see the module documentation, 6).
        claimed_ids: Ids of invoices known to be other drafts' (an earlier call's created
            drafts): never taken for an in-doubt or ambiguous draft.
        post_unresolved: Post in-doubt drafts that cannot be looked up (no key, or the
            look-up failed) instead of reporting them ``unknown``. They may then exist
            twice.

    Returns:
        The result, aligned with ``drafts``.

    Raises:
        TypeError, ValueError: An argument (other than a draft) is invalid; invalid
            drafts are reported in the result instead.
        FreshBooksError: Reading the account's latest invoice (client numbering, or the
            fingerprint baseline) failed; nothing was created.
    """
    for attribute in ("request", "coordinator", "per_account_concurrency", "clock"):
        if not hasattr(client, attribute):
            raise TypeError(f"client: expected a FreshBooksClient, got {type(client).__name__}")
    check_account_id(account_id)
    if isinstance(drafts, str | bytes | Mapping) or not isinstance(drafts, Iterable):
        raise TypeError(
            f"drafts: expected an iterable of drafts, got {type(drafts).__name__}: {drafts!r}"
        )
    draft_list = list(drafts)
    _check_int("concurrency", concurrency, 1, 1000)
    if numbering not in ("server", "client"):
        raise ValueError(f"numbering: must be 'server' or 'client', got {numbering!r}")
    _check_int("max_attempts", max_attempts, 1, 1000)
    for name, callback in (("on_progress", on_progress), ("on_item", on_item)):
        if callback is not None and not callable(callback):
            raise TypeError(f"{name}: expected a callable or None, got {callback!r}")
        if callback is not None and inspect.iscoroutinefunction(callback):
            raise TypeError(f"{name}: must be a plain function, not a coroutine function")
    if reference_field is not None and reference_field not in REFERENCE_FIELDS:
        raise ValueError(
            f"reference_field: must be one of {sorted(REFERENCE_FIELDS)} or None, "
            f"got {reference_field!r}"
        )
    base = None if backoff_base is None else _check_seconds("backoff_base", backoff_base)
    ceiling = _check_seconds("backoff_max", backoff_max)
    delay = _check_seconds("reconcile_delay", reconcile_delay)
    if stop is not None and not isinstance(stop, asyncio.Event):
        raise TypeError(f"stop: expected asyncio.Event or None, got {type(stop).__name__}")
    limit = None if deadline is None else _check_seconds("deadline", deadline)
    if on_send is not None and (not callable(on_send) or inspect.iscoroutinefunction(on_send)):
        raise TypeError(f"on_send: expected a plain function or None, got {on_send!r}")
    reference_list = _check_references(references, len(draft_list))
    doubts = _check_in_doubt(in_doubt, len(draft_list))
    if isinstance(claimed_ids, str | bytes) or not isinstance(claimed_ids, Iterable):
        raise TypeError(f"claimed_ids: expected an iterable of int, got {claimed_ids!r}")
    claimed = frozenset(claimed_ids)
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in claimed):
        raise TypeError(
            f"claimed_ids: expected an iterable of int, got {sorted(claimed, key=str)!r}"
        )
    if not isinstance(post_unresolved, bool):
        raise TypeError(f"post_unresolved: expected bool, got {post_unresolved!r}")
    bulk = _Run(
        client,
        account_id,
        concurrency=concurrency,
        numbering=numbering,
        max_attempts=max_attempts,
        on_progress=on_progress,
        on_item=on_item,
        reference_field=reference_field,
        backoff_base=base,
        backoff_max=ceiling,
        reconcile_delay=delay,
        stop=stop,
        deadline=limit,
        on_send=on_send,
        references=reference_list,
        in_doubt=doubts,
        claimed_ids=claimed,
        post_unresolved=post_unresolved,
    )
    return await bulk.run(draft_list)


def _check_references(references: object, count: int) -> list[str] | None:
    if references is None:
        return None
    if isinstance(references, str | bytes) or not isinstance(references, Sequence):
        raise TypeError(f"references: expected a sequence of str or None, got {references!r}")
    if len(references) != count:
        raise ValueError(f"references: expected one per draft ({count}), got {len(references)}")
    seen: set[str] = set()
    for position, reference in enumerate(references):
        if not isinstance(reference, str) or not reference.strip():
            raise TypeError(
                f"references: item {position} must be a non-empty str, got {reference!r}"
            )
        if reference in seen:
            raise ValueError(f"references: {reference!r} appears twice; they must be unique")
        seen.add(reference)
    return list(references)


def _check_in_doubt(in_doubt: object, count: int) -> dict[int, BulkSend]:
    if in_doubt is None:
        return {}
    if not isinstance(in_doubt, Mapping):
        raise TypeError(f"in_doubt: expected a mapping of index to BulkSend, got {in_doubt!r}")
    checked: dict[int, BulkSend] = {}
    for index, send in in_doubt.items():
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < count:
            raise ValueError(f"in_doubt: key {index!r} is not a draft index (0..{count - 1})")
        if not isinstance(send, BulkSend):
            raise TypeError(
                f"in_doubt[{index}]: expected BulkSend, got {type(send).__name__}: {send!r}"
            )
        checked[index] = send
    return checked
