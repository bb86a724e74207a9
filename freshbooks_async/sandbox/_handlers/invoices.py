"""Invoices beyond the generic CRUD: auto-numbered creates (with the number collision's
409), PDFs, share links and presentation defaults.
"""

from __future__ import annotations

from .._core import Business, Ctx, Reply
from .._errors import SandboxAPIError
from .._objects import next_invoice_number
from .._store import on_undo
from .accounting import _new_accounting
from .common import _account, _lookup, _spec, _unwrap
from .events import emit
from .rendering import _acc_one, render
from .validation import _check_refs, _validate


async def invoice_create(ctx: Ctx) -> Reply:
    s = _spec(ctx.route)
    sb = ctx.sb
    biz = _account(ctx)
    obj = _unwrap(ctx, s.singular)
    clean = _validate(ctx, s.name, s.singular, obj, create=True)
    _check_refs(ctx, biz, s.name, clean)
    explicit = clean.get("invoice_number")
    if explicit:
        if explicit in biz.invoice_numbers:
            raise SandboxAPIError(
                400,
                f"Invoice number '{explicit}' already exists.",
                errno=1029,
                field="invoice_number",
                value=explicit,
                object="invoice",
            )
        number = str(explicit)
    else:
        # Chosen on arrival by incrementing the previous invoice's number (invoices page).
        number = next_invoice_number(biz.last_invoice_number)
    aid = biz.account_id
    # The window between choosing the number and committing it; with no processing
    # latency, one turn of the event loop: creates that arrive together (started in the
    # same turn) choose the same number and all but one answer 409, as FreshBooks'
    # concurrent creates do.
    await sb.clock.sleep(sb.processing_latency)
    injected = sb._fire(("conflict",), ctx.method, ctx.path) is not None
    if injected or number in biz.invoice_numbers:
        # Concurrent creates took the same number: 409, nothing created (invoices page).
        raise SandboxAPIError(
            409,
            "Conflict: the resource is being modified by another request "
            f"(invoice number '{number}' was taken).",
            errno=409,
            field="invoice_number",
            value=number,
            object="invoice",
        )
    clean["invoice_number"] = number
    previous_number = biz.last_invoice_number
    biz.invoice_numbers.add(number)
    biz.last_invoice_number = number
    on_undo(lambda: _release_number(biz, number, previous_number))
    rec = _new_accounting(ctx, s, biz, clean)
    sb.record_create(
        "invoices",
        aid,
        rec.id,
        invoice_number=number,
        client_reference=ctx.headers.get("X-Client-Reference"),
    )
    emit(sb, biz, "invoices", "create", rec.id)
    return _acc_one(ctx, s.singular, s.name, aid, rec)


def _release_number(biz: Business, number: str, previous: str | None) -> None:
    """Undo an invoice number's claim (the create that claimed it failed)."""
    biz.invoice_numbers.discard(number)
    if biz.last_invoice_number == number:
        biz.last_invoice_number = previous


async def invoice_pdf(ctx: Ctx) -> Reply:
    biz = _account(ctx)
    rec = _lookup(ctx, ctx.sb.table(biz.account_id, "invoices"), "invoice")
    full = render(ctx.sb, "invoices", biz.account_id, rec)
    return Reply(
        200,
        make_pdf(f"Invoice {full['invoice_number']} {full['amount']['amount']}"),
        content_type="application/pdf",
    )


def make_pdf(text: str) -> bytes:
    """A small, valid one-page PDF showing ``text``."""
    safe = text.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


async def invoice_share_link(ctx: Ctx) -> Reply:
    biz = _account(ctx)
    rec = _lookup(ctx, ctx.sb.table(biz.account_id, "invoices"), "invoice")
    if int(rec.data.get("status", 1)) < 2:
        # The invoice must be sent first (API overview, "Adding a Payment Gateway").
        raise SandboxAPIError(
            400,
            "The invoice must be marked as sent before sharing.",
            errno=1004,
            field="status",
            value=rec.data.get("status"),
            object="invoice",
        )
    method = ctx.query.get("share_method", "share_link")
    link = f"{ctx.sb.base_url}/service/invoices/{biz.account_id}/{rec.id}/{rec.data.get('uuid')}"
    return Reply(
        200,
        {
            "response": {
                "result": {
                    "share_link": {"share_link": link, "share_method": method, "invoiceid": rec.id}
                }
            }
        },
    )


async def invoice_presentations(ctx: Ctx) -> Reply:
    _account(ctx)
    return Reply(
        200,
        {
            "response": {
                "result": {
                    "presentations": [
                        {
                            "id": "last",
                            "theme_font_name": "modern",
                            "theme_primary_color": "#4F697A",
                            "theme_layout": "simple",
                            "date_format": "mm/dd/yyyy",
                            "image_banner_position_y": 0,
                            "image_logo_src": None,
                            "image_banner_src": None,
                        }
                    ]
                }
            }
        },
    )
