"""The crash-safe journal of a bulk call: the :class:`~.BulkSend` record ``on_send`` gets
right before each POST, and, for drafts an earlier (killed) call sent without recording
the outcome (``in_doubt``), their earlier send attached to them and their look-up before
anything is posted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from .._clock import Clock
from ..errors import FreshBooksError
from ._drafts import _Draft, matches_draft
from ._reconcile import _Reconciler
from ._types import BulkSend, BulkStatus


def send_record(
    draft: _Draft, *, reference_field: str | None, baseline: int | None, now: float
) -> BulkSend:
    """What ``on_send`` is given for ``draft``'s POST about to leave."""
    number = draft.payload.get("invoice_number")
    return BulkSend(
        index=draft.index,
        reference=draft.reference,
        invoice_number=str(number) if number else None,
        attempt=draft.attempts,
        reference_field=reference_field if reference_field else None,
        baseline=baseline,
        sent_at=now,
    )


def with_doubt(draft: _Draft, doubt: BulkSend | None, reference_field: str | None) -> _Draft:
    """Attach the earlier send of an in-doubt draft, and the payload it carried."""
    if doubt is None:
        return draft
    sent = dict(draft.payload)
    if draft.injected and reference_field is not None:
        del sent[reference_field]  # this call's reference, not necessarily that one's
    if doubt.reference_field is not None and not sent.get(doubt.reference_field):
        sent[doubt.reference_field] = doubt.reference
    if doubt.invoice_number is not None:
        sent["invoice_number"] = doubt.invoice_number
    draft.doubt = doubt
    draft.sent = sent
    return draft


async def wait_for_stragglers(
    drafts: Sequence[_Draft], reconcile_delay: float, clock: Clock
) -> None:
    """Sleep until ``reconcile_delay`` has passed since the latest earlier send."""
    sent = [d.doubt.sent_at for d in drafts if d.doubt and d.doubt.sent_at is not None]
    if not sent or not reconcile_delay:
        return
    remaining = min(reconcile_delay, max(sent) + reconcile_delay - clock.time())
    if remaining > 0:
        await clock.sleep(remaining)


async def resolve_in_doubt(
    drafts: Sequence[_Draft],
    reconciler: _Reconciler,
    *,
    concurrency: int,
    post_unresolved: bool,
) -> list[_Draft]:
    """Look up drafts an earlier call may have created; return those to post."""
    reads, tally = reconciler.reads, reconciler.tally
    to_post: list[_Draft] = []

    def unresolved(draft: _Draft, error: BaseException) -> None:
        if post_unresolved:
            draft.last_error = error
            to_post.append(draft)
        else:
            tally.settle_draft(draft, BulkStatus.UNKNOWN, error=error)

    keyed: list[tuple[_Draft, str, str]] = []
    by_fingerprint: list[_Draft] = []
    for draft in drafts:
        doubt = draft.doubt
        assert doubt is not None
        if doubt.invoice_number:
            keyed.append((draft, "invoice_number", doubt.invoice_number))
        elif doubt.reference_field:
            keyed.append((draft, doubt.reference_field, doubt.reference))
        elif doubt.baseline is not None:
            by_fingerprint.append(draft)
        else:
            unresolved(
                draft,
                LookupError(
                    f"draft {draft.index} may have been created by an earlier call, and "
                    "its send has no invoice number, reference field or baseline to "
                    "look it up by"
                ),
            )
    gate = asyncio.Semaphore(concurrency)

    async def look(field: str, value: str) -> list[dict[str, Any]] | FreshBooksError:
        async with gate:
            try:
                return await reads.lookup(field, value)
            except FreshBooksError as exc:
                return exc

    answers = await asyncio.gather(*(look(field, value) for _, field, value in keyed))
    for (draft, _, _), found in zip(keyed, answers, strict=True):
        if isinstance(found, FreshBooksError):
            unresolved(draft, found)
            continue
        sent = draft.sent if draft.sent is not None else draft.payload
        mine = [f for f in found if matches_draft(sent, f) and not tally.is_claimed(f.get("id"))]
        if mine:
            reconciler.settle_found(draft, mine[0])
        else:  # absent, or the number is someone else's: ours was not created
            to_post.append(draft)
    if by_fingerprint:
        baseline = min(d.doubt.baseline or 0 for d in by_fingerprint if d.doubt)
        try:
            candidates = await reads.newer_invoices(baseline, tally.is_claimed)
        except FreshBooksError as exc:
            for draft in by_fingerprint:
                unresolved(draft, exc)
        else:
            for draft, match in reconciler.match_fingerprints(by_fingerprint, candidates):
                if match is None:
                    to_post.append(draft)
                else:
                    reconciler.settle_found(draft, match)
    for draft in to_post:
        draft.sent = None  # posted from now on: ambiguity is about this call's payload
    return to_post
