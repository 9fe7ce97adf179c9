"""The read-only catalog: server types, locations, datacenters, ISOs, load balancer types, prices.

Each is a kind with its own table, filled when a project is made, so that "ID or name" fields
resolve against it like against any other resource (``Project.resolve("server_type", 104, ...)``).
"""

from __future__ import annotations

from functools import partial

from aiohttp import web
from multidict import MultiMapping

from ..core import (
    Json,
    Kind,
    Project,
    Registry,
    get_handler,
    json_response,
    list_handler,
    project_of,
)
from ..core.listing import equals
from . import catalog_data

__all__ = [
    "DATACENTER",
    "ISO",
    "LOAD_BALANCER_TYPE",
    "LOCATION",
    "SERVER_TYPE",
    "datacenter_in",
    "register",
    "type_locations",
]

# Sorting is documented for locations and datacenters only; the hcloud CLI sends ``sort=id:asc``
# to every list, and the real API serves it.
_READ_ONLY = partial(Kind, sortable=("id", "name"), labels=False, snapshot=False)
SERVER_TYPE = _READ_ONLY("server_type", "server_types")
LOCATION = _READ_ONLY("location", "locations")
DATACENTER = _READ_ONLY("datacenter", "datacenters")
ISO = _READ_ONLY("iso", "isos", title="ISO")
LOAD_BALANCER_TYPE = _READ_ONLY("load_balancer_type", "load_balancer_types")
_KINDS = (SERVER_TYPE, LOCATION, DATACENTER, ISO, LOAD_BALANCER_TYPE)

type_locations = catalog_data.type_locations


class Catalog:
    """Fills a project's catalog tables (a state part: one per project)."""

    def __init__(self, project: Project) -> None:
        for kind, items in (
            (LOCATION, catalog_data.locations()),
            (SERVER_TYPE, catalog_data.server_types()),
            (DATACENTER, catalog_data.datacenters()),
            (ISO, catalog_data.isos()),
            (LOAD_BALANCER_TYPE, catalog_data.load_balancer_types()),
        ):
            table = project.tables[kind.name]
            for item in items:
                table[item["id"]] = item
        self.pricing = catalog_data.pricing()


def datacenter_in(project: Project, location_name: str) -> Json:
    """Return the datacenter of a location."""
    for datacenter in project.tables[DATACENTER.name].values():
        if datacenter["location"]["name"] == location_name:
            return datacenter
    raise KeyError(location_name)


def _recommendation(project: Project) -> Json:
    """Return the datacenter the API recommends for new servers (the first one)."""
    return {"recommendation": next(iter(project.tables[DATACENTER.name]))}


def _isos_for_architecture(query: MultiMapping[str], items: list[Json]) -> list[Json]:
    """``architecture``, and with ``include_architecture_wildcard=true`` also ISOs for any."""
    wanted = query.get("architecture")
    if wanted is None:
        return items
    wildcard = query.get("include_architecture_wildcard", "").lower() == "true"
    return [
        i
        for i in items
        if i.get("architecture") == wanted or (wildcard and i.get("architecture") is None)
    ]


async def get_pricing(request: web.Request) -> web.Response:
    """GET /pricing."""
    return json_response({"pricing": project_of(request).part(Catalog).pricing})


def register(registry: Registry) -> None:
    """Add the catalog's kinds, their tables and their routes."""
    for kind in _KINDS:
        registry.kind(kind)
    registry.part(Catalog)
    filters = {SERVER_TYPE: (equals("architecture"),), ISO: (_isos_for_architecture,)}
    routes = [web.get("/v1/pricing", get_pricing)]
    for kind in _KINDS:
        extra = _recommendation if kind is DATACENTER else None
        listing = list_handler(kind, *filters.get(kind, ()), extra=extra)
        routes.append(web.get(f"/v1/{kind.collection}", listing))
        routes.append(web.get(kind.item_path, get_handler(kind)))
    registry.routes(routes)
