"""The route table: which handler answers a catalogue route (family, resource,
operation), the generic ones per family and the special cases.
"""

from __future__ import annotations

from ..._catalogue import Family
from .._core import Handler, Route
from .accounting import (
    acc_create,
    acc_delete,
    acc_get,
    acc_list,
    acc_list_extra,
    acc_update,
    systems_get,
)
from .auth import auth_family, oauth
from .callbacks import callbacks
from .contacts import contact_delete, contact_update
from .invoices import invoice_create, invoice_pdf, invoice_presentations, invoice_share_link
from .ledger import ledger
from .payments import payments_family
from .projects import p_create, p_delete, p_get, p_list, p_misc, p_update, service_rates
from .reports import report, report_csv
from .uploads import uploads

_ACC_GENERIC: dict[str, Handler] = {
    "list": acc_list,
    "get": acc_get,
    "create": acc_create,
    "update": acc_update,
    "delete": acc_delete,
    "archive": acc_update,
}
_P_GENERIC: dict[str, Handler] = {
    "list": p_list,
    "get": p_get,
    "create": p_create,
    "update": p_update,
    "delete": p_delete,
    "other:search": p_list,
}
_SPECIAL: dict[tuple[str, str], Handler] = {
    ("invoices", "create"): invoice_create,
    ("invoices", "other:pdf"): invoice_pdf,
    ("invoices", "other:share_link"): invoice_share_link,
    ("invoices", "other:presentation_defaults"): invoice_presentations,
    ("expenses", "other:summaries"): acc_list_extra,
    ("expenses", "other:vendors"): acc_list_extra,
    ("systems", "get"): systems_get,
    ("contacts", "update"): contact_update,
    ("contacts", "delete"): contact_delete,
    ("reports", "other:csv_download"): report_csv,
}


def resolve(route: Route) -> Handler:
    """The handler for a catalogue route."""
    fam, res, op = route.family, route.resource, route.op
    special = _SPECIAL.get((res, op))
    if special is not None and fam is Family.ACCOUNTING:
        return special
    if fam is Family.ACCOUNTING:
        if res == "reports":
            return report
        return _ACC_GENERIC[op]
    if fam is Family.ACCOUNTING_BUSINESS:
        return report if res == "reports" else ledger
    if fam is Family.EVENTS:
        return callbacks
    if fam is Family.AUTH:
        return auth_family
    if fam is Family.OAUTH:
        return oauth
    if fam is Family.PAYMENTS:
        return payments_family
    if fam is Family.UPLOADS:
        return uploads
    if res in ("service_rates", "project_service_rates"):
        return service_rates
    if (
        res in ("team_member_rates", "invitation_rates", "project_threads", "thread_comments")
        or op == "other:abilities"
    ):
        return p_misc
    if res == "reports":
        return p_list
    return _P_GENERIC[op]
