"""``/zones/{id_or_name}/rrsets``: the RRSets of primary zones and their record actions.

An RRSet is addressed by its zone, name and type. Every change goes through ``ZoneRecords``
(record counts, SOA serial, apex and CNAME rules) and starts an action on the zone, with the
commands of the spec's examples (``create_rrset``, ``add_rrset_records``, …). A
change-protected RRSet answers ``423 protected`` to every change but its labels and its
protection. https://docs.hetzner.cloud/reference/cloud#zone-rrsets
"""

from __future__ import annotations

from aiohttp import web

from ..core import (
    Json,
    Project,
    Registry,
    json_response,
    path_resource,
    project_of,
    read_body,
    require,
    valid_labels,
)
from ..core.listing import label_selector
from ..errors import invalid_input, not_found
from ..query import link_header, paginate, parse_page, sort_items
from .dns_rules import (
    MAX_RECORDS_PER_ACTION,
    check_ttl,
    check_type,
    check_values,
    parse_records,
    parse_rrset,
    rrset_name_problem,
)
from .zone_store import ZoneRecords, new_rrset, rrset_id
from .zones import ZONE, primary, zone_action

__all__ = ["RRSETS_PER_PAGE", "register"]

#: "The maximum value for per_page on this endpoint is 100 instead of 50."
RRSETS_PER_PAGE = 100
_SORTABLE = ("id", "name", "created")


def _zone(request: web.Request) -> tuple[Project, Json, ZoneRecords]:
    project = project_of(request)
    zone = primary(path_resource(request, ZONE.name))
    return project, zone, project.part(ZoneRecords)


def _key(request: web.Request, zone: Json) -> tuple[str, str]:
    """Return the (name, type) the path names, checked as the API checks them."""
    name = request.match_info["rr_name"]
    problem = rrset_name_problem(name, zone["name"])
    if problem is not None:
        raise invalid_input({"rr_name": [problem]})
    return name, check_type(request.match_info["rr_type"], "rr_type")


def _rrset(request: web.Request) -> tuple[Project, Json, ZoneRecords, Json]:
    project, zone, store = _zone(request)
    name, kind = _key(request, zone)
    rrset = store.get(zone, name, kind)
    if rrset is None:
        raise not_found("rrset", rrset_id(name, kind))
    return project, zone, store, rrset


def _changed(project: Project, zone: Json, store: ZoneRecords, command: str) -> Json:
    """Raise the serial after a change of the zone's data; return the action publishing it."""
    store.bump(zone)
    return zone_action(project, zone, command)


async def list_rrsets(request: web.Request) -> web.Response:
    """GET /zones/{id_or_name}/rrsets: name, type, label selector, sort, up to 100 a page."""
    _, zone, store = _zone(request)
    query = request.query
    items = list(store.of(zone).values())
    name = query.get("name")
    if name is not None:
        items = [r for r in items if r["name"] == name]
    types = {check_type(t, "type") for t in query.getall("type", [])}
    if types:
        items = [r for r in items if r["type"] in types]
    selector = label_selector(query)
    if selector is not None:
        items = [r for r in items if selector.matches(r["labels"])]
    # The RRSet JSON has no ``created``: sort on a wrapper that knows when each was stored.
    wrapped = [
        {"id": r["id"], "name": r["name"], "created": store.created(r), "r": r} for r in items
    ]
    ordered = sort_items(wrapped, query.getall("sort", []), _SORTABLE)
    page, per_page = parse_page(query, RRSETS_PER_PAGE)
    chunk, pagination = paginate(ordered, page, per_page)
    body = {"rrsets": [w["r"] for w in chunk], "meta": {"pagination": pagination}}
    response = json_response(body)
    link = link_header(request.url, pagination)
    if link is not None:
        response.headers["Link"] = link
    return response


async def create_rrset(request: web.Request) -> web.Response:
    """POST /zones/{id_or_name}/rrsets."""
    project, zone, store = _zone(request)
    fields = parse_rrset(await read_body(request), zone["name"])
    store.check_new(zone, fields["name"], fields["type"])
    rrset = new_rrset(
        zone,
        fields["name"],
        fields["type"],
        fields["records"],
        ttl=fields["ttl"],
        labels=fields["labels"],
    )
    store.put(zone, rrset)
    action = _changed(project, zone, store, "create_rrset")
    return json_response({"rrset": rrset, "action": action}, status=201)


async def get_rrset(request: web.Request) -> web.Response:
    """GET /zones/{id_or_name}/rrsets/{rr_name}/{rr_type}."""
    return json_response({"rrset": _rrset(request)[3]})


async def update_rrset(request: web.Request) -> web.Response:
    """PUT /zones/{id_or_name}/rrsets/{rr_name}/{rr_type}: labels (allowed while protected)."""
    _, _, _, rrset = _rrset(request)
    labels = valid_labels(await read_body(request))
    if labels is not None:
        rrset["labels"] = labels
    return json_response({"rrset": rrset})


async def delete_rrset(request: web.Request) -> web.Response:
    """DELETE /zones/{id_or_name}/rrsets/{rr_name}/{rr_type}."""
    project, zone, store, rrset = _rrset(request)
    store.ensure_changeable(rrset)
    store.check_removable(rrset)
    store.drop(zone, rrset)
    action = _changed(project, zone, store, "delete_rrset")
    return json_response({"action": action}, status=201)


async def change_protection(request: web.Request) -> web.Response:
    """POST .../actions/change_protection."""
    project, zone, _, rrset = _rrset(request)
    change: bool = require(await read_body(request), "change", bool)
    rrset["protection"]["change"] = change
    action = zone_action(project, zone, "change_rrset_protection")
    return json_response({"action": action}, status=201)


async def change_ttl(request: web.Request) -> web.Response:
    """POST .../actions/change_ttl: a TTL, or null for the zone's default."""
    project, zone, store, rrset = _rrset(request)
    body = await read_body(request)
    if "ttl" not in body:
        raise invalid_input({"ttl": ["is required (null for the zone's default TTL)"]})
    ttl = check_ttl(body["ttl"], nullable=True)
    store.ensure_changeable(rrset)
    rrset["ttl"] = ttl
    return json_response({"action": _changed(project, zone, store, "change_rrset_ttl")}, 201)


def _records(body: Json, *, need_comment: bool = False) -> list[Json]:
    raw = require(body, "records", list)
    return parse_records(raw, limit=MAX_RECORDS_PER_ACTION, need_comment=need_comment)


async def set_records(request: web.Request) -> web.Response:
    """POST .../actions/set_records: replace every record of an existing RRSet."""
    project, zone, store, rrset = _rrset(request)
    records = _records(await read_body(request))
    check_values(rrset["type"], records)
    store.ensure_changeable(rrset)
    store.check_apex(rrset["name"], rrset["type"], records)
    store.set_records(zone, rrset, records)
    return json_response({"action": _changed(project, zone, store, "set_rrset_records")}, 201)


async def add_records(request: web.Request) -> web.Response:
    """POST .../actions/add_records: append records, creating the RRSet if there is none."""
    project, zone, store = _zone(request)
    name, kind = _key(request, zone)
    body = await read_body(request)
    records = _records(body)
    ttl = check_ttl(body.get("ttl"), nullable=True)
    rrset = store.get(zone, name, kind)
    if rrset is None:
        check_values(kind, records)
        store.check_new(zone, name, kind)
        store.put(zone, new_rrset(zone, name, kind, records, ttl=ttl))
    else:
        store.ensure_changeable(rrset)
        if ttl is not None and rrset["ttl"] is not None and ttl != rrset["ttl"]:
            message = f"must equal the RRSet's TTL ({rrset['ttl']}) when given"
            raise invalid_input({"ttl": [message]})
        known = {r["value"] for r in rrset["records"]}
        # Values it already holds are left as they are: a repeated add changes nothing.
        merged = rrset["records"] + [r for r in records if r["value"] not in known]
        check_values(kind, merged)
        store.set_records(zone, rrset, merged)
        if ttl is not None:
            rrset["ttl"] = ttl
    return json_response({"action": _changed(project, zone, store, "add_rrset_records")}, 201)


async def remove_records(request: web.Request) -> web.Response:
    """POST .../actions/remove_records: an RRSet left without records is deleted."""
    project, zone, store, rrset = _rrset(request)
    gone = {r["value"] for r in _records(await read_body(request))}
    store.ensure_changeable(rrset)
    # Values it does not hold are ignored: a repeated remove changes nothing.
    left = [r for r in rrset["records"] if r["value"] not in gone]
    if left:
        store.check_apex(rrset["name"], rrset["type"], left)
        store.set_records(zone, rrset, left)
    else:
        store.check_removable(rrset)
        store.drop(zone, rrset)
    return json_response({"action": _changed(project, zone, store, "remove_rrset_records")}, 201)


async def update_records(request: web.Request) -> web.Response:
    """POST .../actions/update_records: new comments for records found by value (200)."""
    project, zone, store, rrset = _rrset(request)
    updates = _records(await read_body(request), need_comment=True)
    store.ensure_changeable(rrset)
    by_value = {r["value"]: r for r in rrset["records"]}
    for index, update in enumerate(updates):
        if update["value"] not in by_value:
            raise invalid_input({f"records[{index}].value": ["the RRSet has no such record"]})
    for update in updates:
        by_value[update["value"]]["comment"] = update["comment"]
    # Comments are not DNS data: the serial stays.
    return json_response({"action": zone_action(project, zone, "update_rrset_records")})


def register(registry: Registry) -> None:
    """Add the RRSet routes of zones (after ``zones``, which declares the kind and the store)."""
    base = f"{ZONE.item_path}/rrsets"
    item = f"{base}/{{rr_name}}/{{rr_type}}"
    actions = f"{item}/actions"
    registry.routes(
        [
            web.get(base, list_rrsets),
            web.post(base, create_rrset),
            web.get(item, get_rrset),
            web.put(item, update_rrset),
            web.delete(item, delete_rrset),
            web.post(f"{actions}/change_protection", change_protection),
            web.post(f"{actions}/change_ttl", change_ttl),
            web.post(f"{actions}/set_records", set_records),
            web.post(f"{actions}/add_records", add_records),
            web.post(f"{actions}/remove_records", remove_records),
            web.post(f"{actions}/update_records", update_records),
        ]
    )
