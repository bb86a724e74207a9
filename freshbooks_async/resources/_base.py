"""The shared machinery of every resource namespace.

A namespace (``client.invoices``) is a :class:`Resource` subclass that names its
:class:`~freshbooks_async._catalogue.ResourceSpec` (paths, JSON keys, delete style) and its
models, and lists the public operations it has by inheriting small mixins, one per
operation and scope kind (:class:`AccountList`, :class:`BusinessGet`, ...). Each mixin
method only validates its typed scope arguments and delegates to one private
implementation on :class:`Resource` (``_list``, ``_get``, ``_create``, ...), so every
operation has exactly one body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypedDict, TypeVar, Unpack

from .._catalogue import DeleteStyle, Family, ResourceSpec
from .._pipeline import APIResponse, Expect
from .._sansio import check_account_id, check_business_id, check_business_uuid
from .._validate import check_int as _check_int
from ..errors import ResponseDecodeError
from ..models import WriteModel, to_payload, vis_state_payload
from ..models._converter import _lazy_decoder
from ..models._payload import payload_from_mapping
from ..models.common import VisState
from ..pagination import MAX_PER_PAGE, Checkpoint, Page, Paginator, page_from_response, paginate
from ..query import Query

if TYPE_CHECKING:
    from ..client import FreshBooksClient

__all__ = [
    "AccountArchive",
    "AccountCreate",
    "AccountDelete",
    "AccountGet",
    "AccountList",
    "AccountUpdate",
    "BusinessCreate",
    "BusinessDelete",
    "BusinessGet",
    "BusinessList",
    "BusinessUpdate",
    "DeleteStyle",
    "JSONObject",
    "NoKwargs",
    "Resource",
    "check_id",
    "check_str_id",
    "raw_payload",
    "scope_account",
    "scope_business",
    "scope_uuid",
]

#: A JSON object as FreshBooks sent it, for the few endpoints without a typed model.
JSONObject = dict[str, Any]


class NoKwargs(TypedDict, total=False):
    """The keyword fields of the generic ``create``/``update``: none. Each resource
    declares its own, typed by its write model's ``...Kwargs`` (for example
    :class:`~freshbooks_async.models.kwargs.InvoiceCreateKwargs`)."""


T = TypeVar("T")
C = TypeVar("C")
U = TypeVar("U")

_DOCS = "https://www.freshbooks.com/api/"

#: Families whose single-object responses wrap the object in its singular key.
_WRAPPED = frozenset(
    {Family.ACCOUNTING, Family.EVENTS, Family.PROJECTS, Family.TIMETRACKING, Family.COMMENTS}
)


# --------------------------------------------------------------------------- arguments


def check_id(value: object, name: str = "id") -> int:
    """Validate a numeric object id (a positive ``int``).

    Raises:
        TypeError: ``value`` is not an int (bools are refused).
        ValueError: ``value`` is not positive.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}: expected int, got {type(value).__name__}: {value!r}")
    if value <= 0:
        raise ValueError(f"{name}: must be a positive int, got {value!r}")
    return value


def check_str_id(value: object, name: str) -> str:
    """Validate a string id (a uuid, a JWT, an OAuth client id).

    Raises:
        TypeError: ``value`` is not a str.
        ValueError: ``value`` is empty or has surrounding spaces.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected str, got {type(value).__name__}: {value!r}")
    if not value.strip() or value != value.strip():
        raise ValueError(f"{name}: must be a non-empty id without spaces, got {value!r}")
    return value


def _as_object(data: Any) -> JSONObject:
    if not isinstance(data, dict):
        raise ResponseDecodeError(f"expected a JSON object, got {type(data).__name__}")
    return data


def raw_payload(owner: str, data: object) -> JSONObject:
    """Check a JSON write body given as a mapping (endpoints without a write model).

    Raises:
        TypeError: ``data`` is not a mapping with str keys.
        ValueError: it carries ``vis_state`` (use delete/archive/restore instead).
    """
    if not isinstance(data, Mapping):
        raise TypeError(f"{owner}: expected a mapping of fields, got {type(data).__name__}")
    for key in data:
        if not isinstance(key, str) or not key:
            raise TypeError(f"{owner}: field names must be non-empty str, got {key!r}")
    if "vis_state" in data:
        raise ValueError(
            f"{owner}: vis_state is not a field: FreshBooks drops every other field of a PUT "
            "that carries it; use delete(), archive() or restore()"
        )
    return dict(data)


# --------------------------------------------------------------------------- the base


class Resource(Generic[T]):
    """Base of every resource namespace: the client, the spec and one private
    implementation per operation.

    Subclasses set:

    * ``_spec``: the catalogue entry (paths, JSON keys, delete style, family).
    * ``_model``: the read model class, or ``None`` to return plain JSON objects (``dict``).
    * ``_create_model`` / ``_update_model``: the write models, or ``None`` to send a
      mapping, checked to be a JSON object of string keys.
    * ``_doc_slug``: the page under https://www.freshbooks.com/api/.
    """

    _spec: ClassVar[ResourceSpec]
    _model: ClassVar[type[Any] | None] = None
    _create_model: ClassVar[type[WriteModel] | None] = None
    _update_model: ClassVar[type[WriteModel] | None] = None
    _doc_slug: ClassVar[str] = ""
    #: Whether write bodies are wrapped in the singular key (ledger and payments bodies
    #: are flat, as the PY SDK sends them).
    _wrap_body: ClassVar[bool] = True
    #: The resource whose documented filters a Query is checked against (default: own).
    _query_resource: ClassVar[str | None] = None

    __slots__ = ("_client", "_decode")

    def __init__(self, client: FreshBooksClient) -> None:
        if not hasattr(client, "request"):
            raise TypeError(f"client: expected a FreshBooksClient, got {type(client).__name__}")
        self._client = client
        model = type(self)._model
        self._decode: Callable[[Any], Any] = _as_object if model is None else _lazy_decoder(model)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._spec.family.value}/{self._spec.name}>"

    @property
    def doc_url(self) -> str:
        """The FreshBooks documentation page of this resource."""
        return _DOCS + (self._doc_slug or self._spec.name)

    # ------------------------------------------------------------------ helpers

    def _params(
        self, query: Query | None, extra: Sequence[tuple[str, object]] = ()
    ) -> list[tuple[str, object]]:
        if query is None:
            return list(extra)
        if not isinstance(query, Query):
            raise TypeError(f"query: expected Query or None, got {type(query).__name__}")
        resource = self._query_resource or self._spec.name
        return [*query.render(self._spec.family, resource=resource), *extra]

    def _unwrap(self, response: APIResponse, key: str | None = None) -> Any:
        """The object of a single-object response, out of its singular key if wrapped."""
        data = response.data
        key = key or self._spec.singular
        if isinstance(data, dict) and isinstance(data.get(key), dict):
            return data[key]
        plural = self._spec.plural
        if (
            key == self._spec.singular
            and plural
            and isinstance(data, dict)
            and isinstance(data.get(plural), dict)
        ):
            # One object under the plural key: the Node SDK's fixtures answer a single
            # credit note with {"credit_notes": {...}}; accept both spellings.
            return data[plural]
        if self._spec.family in _WRAPPED:
            raise ResponseDecodeError(
                f"expected the object under {key!r}, got keys "
                f"{sorted(data) if isinstance(data, dict) else type(data).__name__}",
                status=response.status,
                body=response.content,
            )
        return data

    def _write_body(
        self,
        model_cls: type[WriteModel] | None,
        data: object,
        fields: Mapping[str, Any],
        *,
        what: str,
    ) -> JSONObject:
        """The fields of a create/update body from a write model, a mapping or kwargs."""
        if data is not None and fields:
            raise TypeError(
                f"{what}: give a write model (or mapping) or keyword fields, not both "
                f"(got data and {sorted(fields)})"
            )
        source: object = fields if data is None else data
        if model_cls is None:
            payload = raw_payload(what, source)
        elif isinstance(source, model_cls):
            payload = to_payload(source)
        elif isinstance(source, WriteModel):
            raise TypeError(f"data: expected {model_cls.__name__}, got {type(source).__name__}")
        elif isinstance(source, Mapping):
            payload = payload_from_mapping(model_cls, source)
        else:
            raise TypeError(
                f"data: expected {model_cls.__name__} or a mapping, got {type(source).__name__}"
            )
        return payload

    def _wrap(self, payload: JSONObject) -> JSONObject:
        return {self._spec.singular: payload} if self._wrap_body else payload

    async def _call_one(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, object]] | None = None,
        body: JSONObject | None = None,
        idempotent: bool | None = None,
        key: str | None = None,
    ) -> T:
        response = await self._client.request(
            method, path, params=params or None, json=body, idempotent=idempotent
        )
        with response._secrets.guard():  # decode errors quote values: scrub the call's secrets
            return self._decode(self._unwrap(response, key))  # type: ignore[no-any-return]

    async def _call_raw(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, object]] | None = None,
        body: JSONObject | None = None,
        idempotent: bool | None = None,
        expect: Expect = "json",
    ) -> APIResponse:
        return await self._client.request(
            method, path, params=params or None, json=body, idempotent=idempotent, expect=expect
        )

    # ------------------------------------------------------------------ one implementation per op

    def _collection(self, ids: Mapping[str, object]) -> str:
        return self._spec.render_collection(**ids)

    def _item(self, ids: Mapping[str, object]) -> str:
        return self._spec.render_item(**ids)

    async def _list(
        self, ids: Mapping[str, object], query: Query | None, page: int, per_page: int
    ) -> Page[T]:
        return await self._list_at(self._collection(ids), query, page, per_page)

    async def _list_at(self, path: str, query: Query | None, page: int, per_page: int) -> Page[T]:
        _check_int("page", page, 1)
        _check_int("per_page", per_page, 1, MAX_PER_PAGE)
        params = self._params(query, (("page", page), ("per_page", per_page)))
        response = await self._client.request("GET", path, params=params)
        return page_from_response(
            response, self._decode, items_key=self._spec.plural, page=page, per_page=per_page
        )

    def _list_all(
        self,
        ids: Mapping[str, object],
        query: Query | None,
        per_page: int,
        concurrency: int,
        max_items: int | None,
        dedupe: bool,
        start_page: int = 1,
        resume: Checkpoint | None = None,
    ) -> Paginator[T]:
        path = self._collection(ids)
        return paginate(
            self._client,
            path,
            decode=self._decode,
            items_key=self._spec.plural,
            params=self._params(query),
            per_page=per_page,
            concurrency=concurrency,
            max_items=max_items,
            dedupe=dedupe,
            start_page=start_page,
            resume=resume,
        )

    async def _get(self, ids: Mapping[str, object], query: Query | None) -> T:
        return await self._call_one("GET", self._item(ids), params=self._params(query))

    async def _create(
        self, ids: Mapping[str, object], data: object, fields: Mapping[str, Any], path: str = ""
    ) -> T:
        payload = self._write_body(self._create_model, data, fields, what="create")
        return await self._call_one(
            "POST",
            path or self._spec.render_create(**ids),
            body=self._wrap(payload),
        )

    async def _update(
        self, ids: Mapping[str, object], data: object, fields: Mapping[str, Any], path: str = ""
    ) -> T:
        payload = self._write_body(self._update_model, data, fields, what="update")
        if not payload:
            raise ValueError("update: no fields to send (every field is UNSET)")
        return await self._call_one("PUT", path or self._item(ids), body=self._wrap(payload))

    async def _delete(self, ids: Mapping[str, object], style: DeleteStyle | None = None) -> None:
        if style is None:
            style = self._spec.delete_style
        elif not isinstance(style, DeleteStyle):
            raise TypeError(f"style: expected DeleteStyle or None, got {style!r}")
        elif style not in self._spec.delete_styles:
            documented = [s.name for s in self._spec.delete_styles]
            raise ValueError(
                f"style: {self._spec.name} is not deleted with {style.name} "
                f"(documented: {documented})"
            )
        path = self._item(ids)
        if style is DeleteStyle.DELETE:
            # The body of a DELETE answer is ignored: FreshBooks sends 204, an empty 200
            # or an envelope without ``result`` (docs/protocol.rst, "Response-shape codes").
            await self._call_raw("DELETE", path, expect="bytes")
        elif style is DeleteStyle.VIS_STATE:
            await self._call_raw(
                "PUT", path, body={self._spec.singular: vis_state_payload(VisState.DELETED)}
            )
        elif style is DeleteStyle.ACTIVE_FALSE:
            await self._call_raw("PUT", path, body={self._spec.singular: {"active": False}})
        else:  # pragma: no cover - the mixin is only mounted on deletable resources
            raise TypeError(f"{self._spec.name} cannot be deleted")

    async def _set_vis_state(self, ids: Mapping[str, object], state: VisState) -> T:
        # Only vis_state: FreshBooks drops every other field of such a PUT
        # (docs/protocol.rst, "Deletes and vis_state").
        return await self._call_one(
            "PUT", self._item(ids), body={self._spec.singular: vis_state_payload(state)}
        )

    async def _action(self, ids: Mapping[str, object], body: JSONObject) -> T:
        # Actions e-mail or change state: a maybe-sent failure is never replayed.
        return await self._call_one(
            "PUT", self._item(ids), body={self._spec.singular: body}, idempotent=False
        )


def scope_account(account_id: object) -> dict[str, object]:
    """``{"account_id": ...}`` for path rendering, after validating it (a str)."""
    return {"account_id": check_account_id(account_id)}


def scope_business(business_id: object) -> dict[str, object]:
    """``{"business_id": ...}`` for path rendering, after validating it (an int)."""
    return {"business_id": check_business_id(business_id)}


def scope_uuid(business_uuid: object) -> dict[str, object]:
    """``{"business_uuid": ...}`` for path rendering, after validating it (a str)."""
    return {"business_uuid": check_business_uuid(business_uuid)}


# --------------------------------------------------------------------------- account_id mixins


class AccountList(Resource[T]):
    """``list``/``list_all`` for a resource scoped by ``account_id``."""

    __slots__ = ()

    async def list(
        self,
        account_id: str,
        *,
        query: Query | None = None,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
    ) -> Page[T]:
        """One page of the listing.

        Args:
            account_id: The accounting account id (``"ABC123"``).
            query: Filters, includes and sort (:class:`~freshbooks_async.query.Query`).
            page: The page number, from 1.
            per_page: Items per page, 1..100.

        Raises:
            TypeError, ValueError: A bad argument or an undocumented filter (no request
                is sent).
        """
        return await self._list(scope_account(account_id), query, page, per_page)

    def list_all(
        self,
        account_id: str,
        *,
        query: Query | None = None,
        per_page: int = MAX_PER_PAGE,
        concurrency: int = 4,
        max_items: int | None = None,
        dedupe: bool = False,
        start_page: int = 1,
        resume: Checkpoint | None = None,
    ) -> Paginator[T]:
        """Every item, as a :class:`~freshbooks_async.pagination.Paginator` (nothing is
        sent until it is awaited or iterated).

        Args:
            account_id: The accounting account id.
            query: Filters, includes and sort.
            per_page: Items per page, 1..100.
            concurrency: Pages fetched at once.
            max_items: Stop after this many items.
            dedupe: Drop repeated ids (items shifted by concurrent inserts).
            start_page: The first page to read.
            resume: Go on from a :meth:`~freshbooks_async.pagination.Paginator.checkpoint`
                of an earlier scan of the same listing (not with ``start_page``).
        """
        return self._list_all(
            scope_account(account_id),
            query,
            per_page,
            concurrency,
            max_items,
            dedupe,
            start_page=start_page,
            resume=resume,
        )


class AccountGet(Resource[T]):
    """``get`` for a resource scoped by ``account_id``."""

    __slots__ = ()

    async def get(self, account_id: str, id: int, *, query: Query | None = None) -> T:
        """One object by id.

        Args:
            account_id: The accounting account id.
            id: The object's id.
            query: Includes (e.g. ``Query().include("lines")``).

        Raises:
            NotFoundError: No such object.
        """
        return await self._get({**scope_account(account_id), "id": check_id(id)}, query)


class AccountCreate(Resource[T], Generic[T, C]):
    """``create`` for a resource scoped by ``account_id``."""

    __slots__ = ()

    async def create(
        self, account_id: str, data: C | Mapping[str, Any] | None = None, **fields: Unpack[NoKwargs]
    ) -> T:
        """Create an object from a write model, a mapping, or keyword fields.

        Args:
            account_id: The accounting account id.
            data: The write model (e.g. ``InvoiceCreate``) or a mapping of its fields.
            **fields: The fields, instead of ``data`` (validated by the write model;
                unknown names are refused).

        Raises:
            TypeError, ValueError: A bad argument or field, before any request.
        """
        return await self._create(scope_account(account_id), data, fields)


class AccountUpdate(Resource[T], Generic[T, U]):
    """``update`` for a resource scoped by ``account_id``."""

    __slots__ = ()

    async def update(
        self,
        account_id: str,
        id: int,
        data: U | Mapping[str, Any] | None = None,
        **fields: Unpack[NoKwargs],
    ) -> T:
        """Change an object; only the fields that are set are sent.

        Args:
            account_id: The accounting account id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.

        Raises:
            TypeError, ValueError: A bad argument or field, or nothing to update.
        """
        return await self._update({**scope_account(account_id), "id": check_id(id)}, data, fields)


class AccountDelete(Resource[T]):
    """``delete`` for a resource scoped by ``account_id`` (in its preferred style)."""

    __slots__ = ()

    async def delete(self, account_id: str, id: int, *, style: DeleteStyle | None = None) -> None:
        """Delete an object (soft deletes can be undone with ``restore`` where offered).

        Args:
            account_id: The accounting account id.
            id: The object's id.
            style: Where sources disagree on the verb (invoices, estimates, other
                income: docs/protocol.rst, "Deletes and vis_state"), pick another
                documented style than the default, e.g. ``DeleteStyle.VIS_STATE`` for
                ``PUT {"vis_state": 1}``.

        Raises:
            ValueError: ``style`` is not documented for this resource.
        """
        await self._delete({**scope_account(account_id), "id": check_id(id)}, style)


class AccountArchive(Resource[T]):
    """``archive``/``restore`` (``vis_state`` 2 / 0) for a resource scoped by ``account_id``."""

    __slots__ = ()

    async def archive(self, account_id: str, id: int) -> T:
        """Archive an object (``PUT {"<singular>": {"vis_state": 2}}``, nothing else)."""
        return await self._set_vis_state(
            {**scope_account(account_id), "id": check_id(id)}, VisState.ARCHIVED
        )

    async def restore(self, account_id: str, id: int) -> T:
        """Make an archived or soft-deleted object active again (``vis_state`` 0)."""
        return await self._set_vis_state(
            {**scope_account(account_id), "id": check_id(id)}, VisState.ACTIVE
        )


# --------------------------------------------------------------------------- business_id mixins


class BusinessList(Resource[T]):
    """``list``/``list_all`` for a resource scoped by ``business_id``."""

    __slots__ = ()

    async def list(
        self,
        business_id: int,
        *,
        query: Query | None = None,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
    ) -> Page[T]:
        """One page of the listing.

        Args:
            business_id: The business id (an int, from ``client.me()``).
            query: Filters, includes and sort.
            page: The page number, from 1.
            per_page: Items per page, 1..100.
        """
        return await self._list(scope_business(business_id), query, page, per_page)

    def list_all(
        self,
        business_id: int,
        *,
        query: Query | None = None,
        per_page: int = MAX_PER_PAGE,
        concurrency: int = 4,
        max_items: int | None = None,
        dedupe: bool = False,
        start_page: int = 1,
        resume: Checkpoint | None = None,
    ) -> Paginator[T]:
        """Every item, as a :class:`~freshbooks_async.pagination.Paginator`.

        Args:
            business_id: The business id.
            query: Filters, includes and sort.
            per_page: Items per page, 1..100.
            concurrency: Pages fetched at once.
            max_items: Stop after this many items.
            dedupe: Drop repeated ids.
            start_page: The first page to read.
            resume: Go on from a :meth:`~freshbooks_async.pagination.Paginator.checkpoint`
                of an earlier scan of the same listing (not with ``start_page``).
        """
        return self._list_all(
            scope_business(business_id),
            query,
            per_page,
            concurrency,
            max_items,
            dedupe,
            start_page=start_page,
            resume=resume,
        )


class BusinessGet(Resource[T]):
    """``get`` for a resource scoped by ``business_id``."""

    __slots__ = ()

    async def get(self, business_id: int, id: int, *, query: Query | None = None) -> T:
        """One object by id.

        Args:
            business_id: The business id.
            id: The object's id.
            query: Includes.
        """
        return await self._get({**scope_business(business_id), "id": check_id(id)}, query)


class BusinessCreate(Resource[T], Generic[T, C]):
    """``create`` for a resource scoped by ``business_id``."""

    __slots__ = ()

    async def create(
        self,
        business_id: int,
        data: C | Mapping[str, Any] | None = None,
        **fields: Unpack[NoKwargs],
    ) -> T:
        """Create an object from a write model, a mapping, or keyword fields.

        Args:
            business_id: The business id.
            data: The write model or a mapping of its fields.
            **fields: The fields, instead of ``data``.
        """
        return await self._create(scope_business(business_id), data, fields)


class BusinessUpdate(Resource[T], Generic[T, U]):
    """``update`` for a resource scoped by ``business_id``."""

    __slots__ = ()

    async def update(
        self,
        business_id: int,
        id: int,
        data: U | Mapping[str, Any] | None = None,
        **fields: Unpack[NoKwargs],
    ) -> T:
        """Change an object; only the fields that are set are sent.

        Args:
            business_id: The business id.
            id: The object's id.
            data: The update model or a mapping of its fields.
            **fields: The fields, instead of ``data``.
        """
        return await self._update({**scope_business(business_id), "id": check_id(id)}, data, fields)


class BusinessDelete(Resource[T]):
    """``delete`` for a resource scoped by ``business_id``."""

    __slots__ = ()

    async def delete(self, business_id: int, id: int) -> None:
        """Delete an object (HTTP ``DELETE`` for project-like resources; docs/protocol.rst,
        "Deletes and vis_state").

        Args:
            business_id: The business id.
            id: The object's id.
        """
        await self._delete({**scope_business(business_id), "id": check_id(id)})
