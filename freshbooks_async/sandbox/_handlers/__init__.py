"""Request handlers: generic, table-driven CRUD per family plus the special cases.

Generic handlers are chosen from the catalogue route (family, resource, operation); the
special ones (invoice numbering and actions, estimates, callbacks, OAuth, identity,
uploads, reports, payment options, retainers) are registered in ``_SPECIAL``.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import secrets
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import yarl

from .._catalogue import Family, ResourceSpec, spec
from ._core import Business, Ctx, Handler, Reply, Route, Sandbox
from ._errors import SandboxAPIError
from ._objects import (
    SCHEMAS,
    Schema,
    _line_amount,
    accounting_time,
    dec,
    expand_invoice,
    iso_time,
    money,
    next_invoice_number,
    render_lines,
    template,
)
from ._store import Record, Table, dumps, on_undo

__all__ = ["counts_as_paid", "emit", "render", "resolve", "sync_paid"]
