"""``/zones``: DNS zones by ID or name; create, update, delete, the zone file, zone actions.

A primary zone starts with an SOA and NS records for Hetzner's nameservers (plus ``rrsets``
or a ``zonefile``); its RRSets live in ``ZoneRecords`` and are served by ``zone_rrsets`` (a
module of its own, registered after this one). A
secondary zone has primary nameservers instead, and every RRSet operation answers
``incorrect_zone_mode``. Changes apply at once; the action that publishes them keeps the zone
``updating`` until it ends. https://docs.hetzner.cloud/reference/cloud#zones
"""

from __future__ import annotations

from aiohttp import web

from ..core import (
    Json,
    Kind,
    Project,
    Registry,
    action_routes,
    check_name,
    get_handler,
    json_response,
    list_handler,
    optional,
    path_resource,
    project_of,
    protection_handler,
    read_body,
    require,
    valid_labels,
)
from ..core.engine import Effect
from ..core.listing import one_of
from ..errors import ApiError, invalid_input
from . import zonefile
from .dns_rules import ASSIGNED, check_ttl, parse_nameservers, parse_rrset, zone_name_problem
from .zone_store import ZoneRecords, new_rrset

__all__ = ["MODES", "ZONE", "primary", "register", "secondary", "zone_action"]

ZONE = Kind(
    "zone",
    "zones",
    first_id=12_000_001,
    check_name=zone_name_problem,
    protection=("delete",),
    path_names=True,
)
MODES = ("primary", "secondary")
DEFAULT_TTL = 3600


def _updating(zone_id: int) -> tuple[str, int, str]:
    return (ZONE.name, zone_id, "updating")


def zone_action(
    project: Project,
    zone: Json,
    command: str,
    *,
    lock: bool = False,
    on_success: Effect | None = None,
) -> Json:
    """Start an action on a zone that keeps it ``updating`` until it ends."""
    ref = (ZONE.name, zone["id"])
    return project.start_action(
        command,
        [ref],
        on_success=on_success,
        locks=[ref] if lock else (),
        holds=[(_updating(zone["id"]), ref)],
    )


def _wrong_mode() -> ApiError:
    message = "This operation is not supported for this Zone's mode."
    return ApiError(422, "incorrect_zone_mode", message)


def primary(zone: Json) -> Json:
    """Return the zone if it is in primary mode, else answer ``incorrect_zone_mode``."""
    if zone["mode"] != "primary":
        raise _wrong_mode()
    return zone


def secondary(zone: Json) -> Json:
    """Return the zone if it is in secondary mode, else answer ``incorrect_zone_mode``."""
    if zone["mode"] != "secondary":
        raise _wrong_mode()
    return zone


def _initial_rrsets(body: Json, name: str) -> tuple[list[Json], int | None]:
    """Return a primary zone's RRSets from ``rrsets`` or ``zonefile``, and the file's $TTL."""
    raw: list[Json] = optional(body, "rrsets", list, [])
    text: str | None = optional(body, "zonefile", str)
    if raw and text is not None:
        raise invalid_input({"rrsets": ["must be empty when a zonefile is given"]})
    if text is not None:
        parsed = zonefile.parse(text, name)
        return parsed.rrsets, parsed.ttl
    rrsets: list[Json] = []
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(raw):
        where = f"rrsets[{index}]"
        rrset = parse_rrset(item, name, where)
        key = (rrset["name"], rrset["type"])
        if key in seen:
            raise invalid_input({where: [f"RRSet {key[0]}/{key[1]} is given twice"]})
        if rrset["type"] == "SOA":
            raise invalid_input({f"{where}.type": ["the zone's SOA record is managed by the API"]})
        ZoneRecords.check_apex(rrset["name"], rrset["type"], rrset["records"])
        seen.add(key)
        rrsets.append(rrset)
    names: dict[str, set[str]] = {}
    for rrset_name, kind in seen:
        names.setdefault(rrset_name, set()).add(kind)
    for rrset_name, kinds in names.items():
        if "CNAME" in kinds and (len(kinds) > 1 or rrset_name == "@"):
            raise invalid_input({"rrsets": [f"{rrset_name} has a CNAME and other records"]})
    return rrsets, None


def _build(zone: Json, rrsets: list[Json]) -> list[Json]:
    return [
        new_rrset(zone, r["name"], r["type"], r["records"], ttl=r["ttl"], labels=r.get("labels"))
        for r in rrsets
    ]


async def create_zone(request: web.Request) -> web.Response:
    """POST /zones: a zone with its SOA and NS records, and the ``create_zone`` action."""
    project = project_of(request)
    body = await read_body(request)
    name: str = require(body, "name", str)
    mode: str = require(body, "mode", str)
    if mode not in MODES:
        raise invalid_input({"mode": ["must be primary or secondary"]})
    ttl = check_ttl(optional(body, "ttl", int, DEFAULT_TTL))
    labels = valid_labels(body) or {}
    nameservers: list[Json] = []
    rrsets: list[Json] = []
    check_name(project, ZONE, name)
    if mode == "secondary":
        # ``rrsets`` and ``zonefile`` are ignored for secondary zones, as the API ignores them.
        nameservers = parse_nameservers(body.get("primary_nameservers"))
    else:
        # ``primary_nameservers`` is ignored for primary zones.
        rrsets, file_ttl = _initial_rrsets(body, name)
        ttl = file_ttl or ttl
    zid = project.next_id(ZONE.name)
    zone: Json = {
        "id": zid,
        "name": name,
        "mode": mode,
        "created": project.now_iso(),
        "primary_nameservers": nameservers,
        "labels": labels,
        "protection": {"delete": False},
        "ttl": ttl,
        "status": "ok",
        "record_count": 0,
        "authoritative_nameservers": {
            "assigned": list(ASSIGNED[mode]),
            # Nothing delegates to the fake: no registrar ever checked.
            "delegated": [],
            "delegation_last_check": None,
            "delegation_status": "unknown",
        },
        "registrar": "unknown",
    }
    project.tables[ZONE.name][zid] = zone
    if mode == "primary":
        project.part(ZoneRecords).start(zone, _build(zone, rrsets))
    action = zone_action(project, zone, "create_zone")
    project.refresh()
    return json_response({"zone": zone, "action": action}, status=201)


async def update_zone(request: web.Request) -> web.Response:
    """PUT /zones/{id_or_name}: labels only (a zone's name and mode never change)."""
    project = project_of(request)
    zone = path_resource(request, ZONE.name)
    labels = valid_labels(await read_body(request))
    if labels is not None:
        zone["labels"] = labels
        project.touch(ZONE.name, zone["id"], "labels")
    project.refresh()
    return json_response({"zone": zone})


async def delete_zone(request: web.Request) -> web.Response:
    """DELETE /zones/{id_or_name}: an action; the zone and its RRSets go when it ends."""
    project = project_of(request)
    zone = path_resource(request, ZONE.name)
    zid = zone["id"]
    if zone["protection"]["delete"]:
        raise ApiError(423, "protected", f"zone {zid} is protected against deletion")
    project.ensure_unlocked(ZONE.name, zid)
    project.check_delete(ZONE.name, zid)

    def remove() -> None:
        project.remove(ZONE.name, zid)

    action = zone_action(project, zone, "delete_zone", lock=True, on_success=remove)
    return json_response({"action": action}, status=201)


async def export_zonefile(request: web.Request) -> web.Response:
    """GET /zones/{id_or_name}/zonefile: the zone in BIND format."""
    project = project_of(request)
    zone = primary(path_resource(request, ZONE.name))
    rrsets = list(project.part(ZoneRecords).of(zone).values())
    return json_response({"zonefile": zonefile.render(zone["name"], zone["ttl"], rrsets)})


async def import_zonefile(request: web.Request) -> web.Response:
    """POST /zones/{id_or_name}/actions/import_zonefile: replace every RRSet."""
    project = project_of(request)
    zone = primary(path_resource(request, ZONE.name))
    text: str = require(await read_body(request), "zonefile", str)
    parsed = zonefile.parse(text, zone["name"])
    project.ensure_unlocked(ZONE.name, zone["id"])
    store = project.part(ZoneRecords)
    for rrset in store.of(zone).values():
        store.ensure_changeable(rrset)
    store.replace_all(zone, _build(zone, parsed.rrsets))
    if parsed.ttl is not None:
        zone["ttl"] = parsed.ttl
        project.touch(ZONE.name, zone["id"], "ttl")
    action = zone_action(project, zone, "import_zonefile", lock=True)
    return json_response({"action": action}, status=201)


async def change_ttl(request: web.Request) -> web.Response:
    """POST /zones/{id_or_name}/actions/change_ttl: the default TTL of a primary zone."""
    project = project_of(request)
    zone = primary(path_resource(request, ZONE.name))
    ttl = check_ttl(require(await read_body(request), "ttl", int))
    project.ensure_unlocked(ZONE.name, zone["id"])
    zone["ttl"] = ttl
    project.touch(ZONE.name, zone["id"], "ttl")
    project.part(ZoneRecords).bump(zone)
    return json_response({"action": zone_action(project, zone, "change_ttl")}, status=201)


async def change_primary_nameservers(request: web.Request) -> web.Response:
    """POST /zones/{id_or_name}/actions/change_primary_nameservers: secondary zones only."""
    project = project_of(request)
    zone = secondary(path_resource(request, ZONE.name))
    body = await read_body(request)
    servers = parse_nameservers(require(body, "primary_nameservers", list))
    project.ensure_unlocked(ZONE.name, zone["id"])
    zone["primary_nameservers"] = servers
    project.touch(ZONE.name, zone["id"], "primary_nameservers")
    action = zone_action(project, zone, "change_primary_nameservers")
    return json_response({"action": action}, status=201)


def _derive_status(project: Project, zone_id: int, zone: Json) -> None:
    zone["status"] = "updating" if project.engine.holding(_updating(zone_id)) else "ok"


def _forget_records(project: Project, zone_id: int, zone: Json) -> None:
    project.part(ZoneRecords).forget(zone_id)


def register(registry: Registry) -> None:
    """Add zones and their routes (their RRSets' routes: ``zone_rrsets``)."""
    registry.kind(ZONE)
    registry.part(ZoneRecords)
    registry.derive(ZONE.name, _derive_status)
    registry.on_delete(ZONE.name, _forget_records)
    item = ZONE.item_path
    registry.routes(
        [
            web.get("/v1/zones", list_handler(ZONE, one_of("mode", MODES))),
            web.post("/v1/zones", create_zone),
            web.get(item, get_handler(ZONE)),
            web.put(item, update_zone),
            web.delete(item, delete_zone),
            web.get(f"{item}/zonefile", export_zonefile),
            web.post(f"{item}/actions/import_zonefile", import_zonefile),
            web.post(f"{item}/actions/change_ttl", change_ttl),
            web.post(f"{item}/actions/change_primary_nameservers", change_primary_nameservers),
            web.post(f"{item}/actions/change_protection", protection_handler(ZONE)),
            *action_routes(ZONE),
        ]
    )
