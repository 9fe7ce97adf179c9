"""The read-only catalog: ``/server_types``, ``/images``, ``/locations``, ``/datacenters``, ISOs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from ..errors import not_found
from .common import (
    Json,
    backend,
    filter_by_labels,
    filter_by_name,
    int_id,
    json_response,
    list_response,
)

__all__ = ["routes"]

Handler = Callable[[web.Request], Awaitable[web.Response]]

# (URL segment, Catalog attribute, singular key, sortable fields)
_TABLES: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("server_types", "server_types", "server_type", ()),
    ("images", "images", "image", ("id", "name", "created")),
    ("locations", "locations", "location", ("id", "name")),
    ("datacenters", "datacenters", "datacenter", ("id", "name")),
    ("isos", "isos", "iso", ()),
]


def _list(segment: str, attr: str, sortable: tuple[str, ...]) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        items: list[Json] = list(getattr(backend(request).state.catalog, attr).values())
        items = filter_by_name(items, request)
        architecture = request.query.get("architecture")
        if architecture is not None:
            items = [i for i in items if i.get("architecture") == architecture]
        if segment == "images":
            items = filter_by_labels(items, request)
        return list_response(request, segment, items, sortable)

    handler.__doc__ = f"GET /{segment}."
    return handler


def _get(segment: str, attr: str, key: str) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        ident = int_id(request, key.replace("_", " "))
        item = getattr(backend(request).state.catalog, attr).get(ident)
        if item is None:
            raise not_found(key.replace("_", " "), ident)
        return json_response({key: item})

    handler.__doc__ = f"GET /{segment}/{{id}}."
    return handler


def routes() -> list[web.RouteDef]:
    """Return the routes of this module (under ``/v1``)."""
    table: list[web.RouteDef] = []
    for segment, attr, key, sortable in _TABLES:
        table.append(web.get(f"/v1/{segment}", _list(segment, attr, sortable)))
        table.append(web.get(f"/v1/{segment}/{{id:\\d+}}", _get(segment, attr, key)))
    return table
