"""Decode speed: JSON bytes of an invoice page -> typed models.

Compares, on the same bytes (``--rows`` invoices generated from the FreshBooks docs'
"List Invoices" example with varied ids, numbers, amounts and dates):

* ``ours``: ``json.loads`` + the decoder ``fb.invoices.list()``/``get()`` and
  ``list_all()`` apply to each row of a response (lazy: the row is checked as strictly as
  ``decode`` checks it, and its fields are built on first access; docs/models.rst,
  "Lazy decoding"), one call per row as the paginator makes them;
* ``ours_read_all``: the same, then reading every field of every row (the cost when all
  of it is used);
* ``ours_eager``: ``json.loads`` + ``freshbooks_async.models.decode_many(Invoice, rows)``
  (the public ``decode``/``decode_many`` build every field at once);
* ``hand``: ``json.loads`` + a hand-written function that builds the same ``Invoice`` /
  ``Money`` objects directly (``Decimal()``, ``datetime.fromisoformat()``, enum calls);
* ``sdk``: ``json.loads`` + the official SDK's ``ListResult`` wrapper, iterated (it is
  lazy: fields are parsed only when read);
* ``sdk_read_all``: the same, then reading every field of every row through the wrapper.

Prints a table of medians over ``--repeat`` runs (>= 5) and writes
``benchmarks/results/decode.json``. Goal: ours/hand <= 1.25.

Run: ``python benchmarks/bench_decode.py [--rows N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from freshbooks_async.models import (  # noqa: E402
    Invoice,
    InvoiceStatus,
    InvoiceV3Status,
    Money,
    VisState,
    decode_many,
)
from freshbooks_async.models._converter import _lazy_decoder  # noqa: E402
from freshbooks_async.models.common import EASTERN  # noqa: E402

SEED = ROOT / "tests" / "fixtures" / "seeds" / "invoices__list_invoices__response.json"
RESULTS = ROOT / "benchmarks" / "results" / "decode.json"


def make_rows(n: int) -> bytes:
    """``n`` invoice rows as one accounting list body, serialised to JSON bytes."""
    template = json.loads(SEED.read_text())["response"]["result"]["invoices"]
    rows = []
    for i in range(n):
        row = dict(template[i % len(template)])
        cents = 1000 + (i * 7919) % 9_000_000
        amount = f"{cents // 100}.{cents % 100:02d}"
        row["id"] = row["invoiceid"] = 1000 + i
        row["invoice_number"] = f"{i + 1:07d}"
        row["customerid"] = 800 + i % 97
        row["amount"] = {"amount": amount, "code": row["currency_code"]}
        row["outstanding"] = {"amount": amount, "code": row["currency_code"]}
        row["status"] = (1, 2, 4, 8)[i % 4]
        day = 1 + i % 28
        row["create_date"] = row["due_date"] = f"2021-07-{day:02d}"
        row["created_at"] = f"2021-07-{day:02d} {i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}"
        row["updated"] = row["created_at"]
        row["version"] = f"{row['created_at']}.{(i * 7919) % 999_999 + 1:06d}"
        rows.append(row)
    result = {"invoices": rows, "page": 1, "pages": 1, "per_page": n, "total": n}
    body = {"response": {"result": result}}
    return json.dumps(body).encode()


# ------------------------------------------------------------------ hand-written baseline


def _money(v: Any) -> Any:
    if v is None:
        return v
    return Money(amount=Decimal(v["amount"]), code=v["code"])


def _acct(v: Any) -> Any:
    if v is None:
        return v
    return datetime.fromisoformat(v).replace(tzinfo=EASTERN)


def _date(v: Any) -> Any:
    if v is None:
        return v
    return date.fromisoformat(v)


def _dec(v: Any) -> Any:
    if v is None:
        return v
    return Decimal(v)


def _enum(cls: Any, v: Any) -> Any:
    if v is None:
        return v
    return cls(v)


def hand_invoice(d: dict[str, Any]) -> Invoice:
    """What one would write by hand for the typed Invoice (no extras, no checks, and
    absent keys not told apart from nulls)."""
    g = d.get
    u = None
    return Invoice(
        id=d["id"],
        invoiceid=d["invoiceid"],
        accountid=d["accountid"],
        accounting_systemid=g("accounting_systemid", u),
        uuid=g("uuid", u),
        invoice_number=d["invoice_number"],
        customerid=d["customerid"],
        ownerid=g("ownerid", u),
        estimateid=g("estimateid", u),
        sentid=g("sentid", u),
        basecampid=g("basecampid", u),
        parent=g("parent", u),
        status=_enum(InvoiceStatus, d["status"]),
        v3_status=_enum(InvoiceV3Status, g("v3_status", u)),
        display_status=d["display_status"],
        payment_status=g("payment_status", u),
        autobill_status=g("autobill_status", u),
        last_order_status=g("last_order_status", u),
        dispute_status=g("dispute_status", u),
        deposit_status=g("deposit_status", u),
        auto_bill=g("auto_bill", u),
        vis_state=_enum(VisState, d["vis_state"]),
        ext_archive=g("ext_archive", u),
        amount=_money(d["amount"]),
        paid=_money(d["paid"]),
        outstanding=_money(d["outstanding"]),
        discount_total=_money(d["discount_total"]),
        net_paid_amount=_money(g("net_paid_amount", u)),
        discount_value=_dec(g("discount_value", u)),
        discount_description=g("discount_description", u),
        deposit_amount=g("deposit_amount", u),
        deposit_percentage=_dec(g("deposit_percentage", u)),
        currency_code=g("currency_code", u),
        language=g("language", u),
        template=g("template", u),
        create_date=_date(d["create_date"]),
        generation_date=_date(g("generation_date", u)),
        fulfillment_date=_date(g("fulfillment_date", u)),
        due_date=_date(g("due_date", u)),
        due_offset_days=g("due_offset_days", u),
        date_paid=_date(g("date_paid", u)),
        created_at=_acct(g("created_at", u)),
        updated=_acct(g("updated", u)),
        version=_acct(g("version", u)),
        current_organization=g("current_organization", u),
        organization=d["organization"],
        fname=g("fname", u),
        lname=g("lname", u),
        description=g("description", u),
        notes=g("notes", u),
        terms=g("terms", u),
        po_number=g("po_number", u),
        payment_details=g("payment_details", u),
        address=g("address", u),
        street=g("street", u),
        street2=g("street2", u),
        city=g("city", u),
        province=g("province", u),
        code=g("code", u),
        country=g("country", u),
        vat_name=g("vat_name", u),
        vat_number=g("vat_number", u),
        return_uri=g("return_uri", u),
        gmail=g("gmail", u),
        show_attachments=g("show_attachments", u),
    )


# ------------------------------------------------------------------------------- runners


#: What the invoices resource decodes each row of a response with.
_resource_decode = _lazy_decoder(Invoice)
_FIELDS = tuple(field.name for field in attrs.fields(Invoice))


def run_ours(body: bytes) -> int:
    rows = json.loads(body)["response"]["result"]["invoices"]
    decode = _resource_decode
    return len([decode(row) for row in rows])


def run_ours_read_all(body: bytes) -> int:
    rows = json.loads(body)["response"]["result"]["invoices"]
    decode = _resource_decode
    invoices = [decode(row) for row in rows]
    for invoice in invoices:
        for name in _FIELDS:
            getattr(invoice, name)
    return len(invoices)


def run_ours_eager(body: bytes) -> int:
    rows = json.loads(body)["response"]["result"]["invoices"]
    return len(decode_many(Invoice, rows))


def run_hand(body: bytes) -> int:
    rows = json.loads(body)["response"]["result"]["invoices"]
    return len([hand_invoice(row) for row in rows])


def run_sdk(body: bytes) -> int:
    from freshbooks.models import ListResult

    result = ListResult("invoices", "invoice", json.loads(body)["response"]["result"])
    return len(list(result))


def run_sdk_read_all(body: bytes) -> int:
    from freshbooks.models import ListResult

    result = ListResult("invoices", "invoice", json.loads(body)["response"]["result"])
    count = 0
    for item in result:
        for key in item.data:
            getattr(item, key)
        count += 1
    return count


def run_json_only(body: bytes) -> int:
    return len(json.loads(body)["response"]["result"]["invoices"])


def measure(fn: Callable[[bytes], int], body: bytes, rows: int, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        count = fn(body)
        times.append(time.perf_counter() - start)
        assert count == rows, (fn.__name__, count, rows)
    return times


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="invoice rows (default 100000)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions, >= 5 (default 5)")
    parser.add_argument("--skip-sdk", action="store_true", help="skip the official SDK rows")
    parser.add_argument("--output", type=Path, default=RESULTS, help="JSON results path")
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error(f"--rows must be >= 1, got {args.rows}")
    if args.repeat < 5:
        parser.error(f"--repeat must be >= 5, got {args.repeat}")

    body = make_rows(args.rows)
    sample = json.loads(body)["response"]["result"]["invoices"][:50]
    assert decode_many(Invoice, sample) == [hand_invoice(r) for r in sample]
    assert [_resource_decode(r) for r in sample] == [hand_invoice(r) for r in sample]

    runners: dict[str, Callable[[bytes], int]] = {
        "json_only": run_json_only,
        "hand": run_hand,
        "ours": run_ours,
        "ours_read_all": run_ours_read_all,
        "ours_eager": run_ours_eager,
    }
    if not args.skip_sdk:
        runners["sdk"] = run_sdk
        runners["sdk_read_all"] = run_sdk_read_all
    medians: dict[str, float] = {}
    runs: dict[str, list[float]] = {}
    warm_up = make_rows(10)
    for name, fn in runners.items():
        fn(warm_up)
        runs[name] = measure(fn, body, args.rows, args.repeat)
        medians[name] = statistics.median(runs[name])

    ratio = medians["ours"] / medians["hand"]
    print(
        f"rows={args.rows} bytes={len(body)} repeat={args.repeat} "
        f"python={platform.python_version()}"
    )
    print(f"{'variant':<14}{'median s':>10}{'us/row':>9}{'vs hand':>9}")
    for name, med in medians.items():
        print(f"{name:<14}{med:>10.3f}{med / args.rows * 1e6:>9.2f}{med / medians['hand']:>9.2f}")
    print(f"ours/hand = {ratio:.3f} (goal <= 1.25): {'met' if ratio <= 1.25 else 'NOT met'}")

    result = {
        "rows": args.rows,
        "bytes": len(body),
        "repeat": args.repeat,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "median_seconds": medians,
        "runs_seconds": runs,
        "ratio_ours_over_hand": ratio,
        "goal_ratio": 1.25,
        "goal_met": ratio <= 1.25,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
