"""Request handlers: generic, table-driven CRUD per family plus the special cases.

Generic handlers are chosen from the catalogue route (family, resource, operation); the
special ones (invoice numbering and actions, estimates, callbacks, OAuth, identity,
uploads, reports, payment options, retainers) are registered in the route table
(:mod:`.dispatch`). One module per family, over shared helpers:

- ``dispatch``: the route table, ``resolve(route) -> handler``;
- families: ``accounting`` (generic accounting CRUD, payments marking invoices paid),
  ``contacts``, ``invoices``, ``reports`` (with ``reports_accounts`` and
  ``reports_invoices``), ``ledger``, ``callbacks``, ``projects`` (projects, timetracking,
  comments), ``auth`` (identity and OAuth), ``payments``, ``uploads``;
- shared: ``common`` (ids, lookups, pagination), ``validation`` (request bodies),
  ``rendering`` (records as JSON), ``filters`` (list filters and sorting), ``events``
  (webhook emission, called by every writer).

Imports go one way: ``dispatch`` -> families -> shared helpers -> the sandbox core
(``.._core``, ``.._objects``, ``.._store``, ``.._errors``); ``_core`` imports ``dispatch``
inside the function that resolves a route, since every handler module imports ``_core``.
"""
