"""The verbs every resource collection shares: get, get by name, delete, actions, protection.

A collection lives at one path (``/volumes``) whose items live at ``/volumes/{id}``, with the
item under one JSON key (``volume``) and a page of them under another (``volumes``). A group
declares those three and its model; it then writes only what is particular to it: its list
filters, its create and update fields, and its actions.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from .._validate import check_id
from ..errors import (
    NotFoundError,
    UniquenessError,
    ValidationError,
)
from ..models import Action, ActionStatus
from ._base import CREATE_MARKER, ResourceGroup, Sort, query

__all__ = ["ActionListings", "Collection"]

M = TypeVar("M")
R = TypeVar("R")

#: An action status to filter by, or several.
StatusFilter = ActionStatus | str | Sequence[ActionStatus | str]


class Collection(ResourceGroup, Generic[M]):
    """A resource collection at ``path``: one item per ``{path}/{id}``."""

    #: Where the collection lives, e.g. ``"/volumes"``.
    path: ClassVar[str]
    #: The JSON key of one item (``"volume"``) and of a page of items (``"volumes"``).
    item_key: ClassVar[str]
    page_key: ClassVar[str]
    #: The model an item is read as.
    model: ClassVar[type[Any]]

    def _item_path(self, resource_id: int, *rest: str) -> str:
        """Return ``{path}/{id}`` (and further segments), checking the ID first."""
        checked = check_id(f"{self.item_key}_id", resource_id)
        return "/".join((f"{self.path}/{checked}", *rest))

    def _iter(self, params: list[tuple[str, str]]) -> AsyncIterator[M]:
        """Iterate over the collection's pages with these query parameters."""
        return self._pages(self.path, self.page_key, self.model, params)

    def _item(self, data: Mapping[str, Any]) -> M:
        """Read the item out of a response that carries it under ``item_key``."""
        # .get: an answer without the key is an unexpected response, not a KeyError.
        item: M = self._structure(data.get(self.item_key), self.model)
        return item

    async def get(self, resource_id: int, /) -> M:
        """Return the resource with this ID; raise ``NotFoundError`` if there is none."""
        return self._item(await self._call("GET", self._item_path(resource_id)))

    async def get_by_name(self, name: str) -> M | None:
        """Return the resource with this exact name, or None."""
        async for item in self._iter(query(name=name)):
            return item
        return None

    async def _create_named(
        self,
        body: dict[str, Any],
        *,
        read: Callable[[dict[str, Any]], R],
        adopted: Callable[[M, builtins.list[Action]], R],
    ) -> R:
        """POST a create of a resource whose ``name`` is unique in the project, exactly once.

        ``body`` carries ``name`` and ``labels`` with a create marker (``self._marked``). After
        an ambiguous failure the resource is looked up by name; if it carries this call's
        marker, ``adopted(resource, its actions oldest first)`` builds the result the create
        would have returned; if another resource holds the name, ``UniquenessError``. A 2xx
        whose answer cannot be read is rebuilt the same way from ``GET {path}/{id}``. See
        ``ResourceGroup._create_exactly_once``.
        """
        name, marker = body["name"], body["labels"][CREATE_MARKER]

        async def with_actions(found: M) -> R:
            actions: builtins.list[Action] = []
            if isinstance(self, ActionListings):
                actions = await self.list_actions(found.id, sort="id")  # type: ignore[attr-defined]
            return adopted(found, actions)

        async def adopt() -> R | None:
            found = await self.get_by_name(name)
            if found is None:
                return None
            labels = getattr(found, "labels", None) or {}
            if labels.get(CREATE_MARKER) != marker:
                raise UniquenessError(
                    status=409,
                    code="uniqueness_error",
                    message=f"name {name!r} is taken by {self.item_key} {found.id}, "  # type: ignore[attr-defined]
                    "which this call did not create",
                    details={"fields": [{"name": "name"}]},
                    method="POST",
                    path=self.path,
                )
            return await with_actions(found)

        async def fetch(resource_id: int) -> R:
            return await with_actions(await self.get(resource_id))

        return await self._create_exactly_once(
            self.path, body, read=read, adopt=adopt, fetch=fetch, item_key=self.item_key
        )

    async def _update(self, resource_id: int, **fields: object) -> M:
        """Send ``PUT {path}/{id}`` with the fields that are not None; return the new state."""
        body = self._body(**fields)
        return self._item(await self._call("PUT", self._item_path(resource_id), body=body))

    async def _delete(self, resource_id: int) -> None:
        """Delete a resource (204); safe to repeat after a failure that may have deleted it."""
        try:
            await self._call("DELETE", self._item_path(resource_id))
        except NotFoundError as error:
            if not error.after_ambiguous:
                raise

    async def _run(
        self, resource_id: int, command: str, body: Mapping[str, Any] | None = None
    ) -> Action:
        """Start ``POST {path}/{id}/actions/{command}`` and return the action it answers with."""
        return await self._post_action(self._item_path(resource_id, "actions", command), body)


class ActionListings(Collection[M]):
    """The action listings of a collection: ``{path}/actions`` and ``{path}/{id}/actions``."""

    def iter_actions(
        self,
        resource_id: int | None = None,
        *,
        id: Sequence[int] | None = None,
        status: StatusFilter | None = None,
        sort: Sort | None = None,
    ) -> AsyncIterator[Action]:
        """Iterate over the actions of one resource, or of every resource of this kind.

        ``id`` filters the kind-wide listing by action IDs.
        """
        if resource_id is None:
            ids = None if id is None else [check_id("id", action_id) for action_id in id]
            path = f"{self.path}/actions"
        else:
            ids = None
            if id is not None:
                raise ValidationError("id", "filters the kind-wide listing; leave out resource_id")
            path = self._item_path(resource_id, "actions")
        params = query(id=ids, status=status, sort=sort)
        return self._pages(path, "actions", Action, params)

    async def list_actions(
        self,
        resource_id: int | None = None,
        *,
        id: Sequence[int] | None = None,
        status: StatusFilter | None = None,
        sort: Sort | None = None,
    ) -> builtins.list[Action]:
        """Return the actions of one resource, or of every resource of this kind (all pages)."""
        actions = self.iter_actions(resource_id, id=id, status=status, sort=sort)
        return [action async for action in actions]

    async def get_action(self, action_id: int) -> Action:
        """Return one action of this kind of resource by its ID."""
        path = f"{self.path}/actions/{check_id('action_id', action_id)}"
        data = await self._call("GET", path)
        return self._structure(data["action"], Action)
