"""``/firewalls``: create, set_rules, apply/remove resources; generic list, get, update, delete.

The firewall's ``applied_to`` is the single source of truth; servers' ``public_net.firewalls``
and selectors' ``applied_to_resources`` are derived from it by ``firewall_links``.
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
    delete_handler,
    get_handler,
    json_response,
    list_handler,
    optional,
    path_resource,
    project_of,
    read_body,
    require,
    update_handler,
    valid_labels,
)
from ..errors import ApiError
from . import firewall_links
from .firewall_links import FirewallLinks, pending_key
from .firewall_rules import MAX_NAME, parse_rules, parse_targets, same_target

__all__ = ["FIREWALL", "register"]


def _name_problem(name: str) -> str | None:
    return None if name.strip() and len(name) <= MAX_NAME else f"must be 1 to {MAX_NAME} characters"


FIREWALL = Kind("firewall", "firewalls", first_id=3_000_001, check_name=_name_problem)


def _servers_of(project: Project, target: Json) -> list[int]:
    if target["type"] == "server":
        return [target["server"]["id"]]
    return project.part(FirewallLinks).selector_matches(target["label_selector"]["selector"])


def _apply_actions(project: Project, fid: int, server_ids: list[int], command: str) -> list[Json]:
    pending = command == "apply_firewall"
    return [
        project.start_action(
            command,
            [("server", sid), (FIREWALL.name, fid)],
            holds=[(pending_key(fid, sid), ("server", sid))] if pending else (),
        )
        for sid in dict.fromkeys(server_ids)
    ]


def _check_servers_exist(project: Project, targets: list[Json], status: int) -> None:
    servers = project.tables["server"]
    for target in targets:
        if target["type"] == "server" and target["server"]["id"] not in servers:
            sid = target["server"]["id"]
            raise ApiError(status, "firewall_resource_not_found", f"server {sid} not found")


async def create_firewall(request: web.Request) -> web.Response:
    """POST /firewalls."""
    project = project_of(request)
    body = await read_body(request)
    name: str = require(body, "name", str)
    labels = valid_labels(body) or {}
    rules = parse_rules(optional(body, "rules", list, []))
    targets = parse_targets(optional(body, "apply_to", list, []), "apply_to")
    _check_servers_exist(project, targets, 422)
    check_name(project, FIREWALL, name)
    fid = project.next_id(FIREWALL.name)
    applied: list[Json] = []
    for target in targets:
        if not any(same_target(target, t) for t in applied):
            applied.append(target)
    firewall = {
        "id": fid,
        "name": name,
        "labels": labels,
        "created": project.now_iso(),
        "rules": rules,
        "applied_to": applied,
    }
    project.tables[FIREWALL.name][fid] = firewall
    actions: list[Json] = []
    if rules:
        actions.append(project.start_action("set_firewall_rules", [(FIREWALL.name, fid)]))
    for target in applied:
        actions += _apply_actions(project, fid, _servers_of(project, target), "apply_firewall")
    project.refresh()
    return json_response({"firewall": firewall, "actions": actions}, status=201)


def _refuse_while_applied(project: Project, firewall_id: int, firewall: Json) -> None:
    if firewall["applied_to"]:
        raise ApiError(422, "resource_in_use", f"firewall {firewall_id} is still applied")


async def set_rules(request: web.Request) -> web.Response:
    """POST /firewalls/{id}/actions/set_rules."""
    project = project_of(request)
    firewall = path_resource(request, FIREWALL.name)
    body = await read_body(request)
    rules = parse_rules(require(body, "rules", list))
    firewall["rules"] = rules
    fid = firewall["id"]
    project.touch(FIREWALL.name, fid, "rules")
    project.refresh()
    servers = project.part(FirewallLinks).servers_of(firewall)
    actions = [project.start_action("set_firewall_rules", [(FIREWALL.name, fid)])]
    actions += _apply_actions(project, fid, servers, "apply_firewall")
    project.refresh()
    return json_response({"actions": actions}, status=201)


async def apply_to_resources(request: web.Request) -> web.Response:
    """POST /firewalls/{id}/actions/apply_to_resources."""
    project = project_of(request)
    firewall = path_resource(request, FIREWALL.name)
    body = await read_body(request)
    targets = parse_targets(require(body, "apply_to", list), "apply_to")
    for target in targets:
        _check_servers_exist(project, [target], 404)
        if any(same_target(target, t) for t in firewall["applied_to"]):
            raise ApiError(422, "firewall_already_applied", "firewall is already applied there")
    fid = firewall["id"]
    actions: list[Json] = []
    for target in targets:
        if any(same_target(target, t) for t in firewall["applied_to"]):
            continue
        firewall["applied_to"].append(target)
        actions += _apply_actions(project, fid, _servers_of(project, target), "apply_firewall")
    project.touch(FIREWALL.name, fid, "applied_to")
    project.refresh()
    return json_response({"actions": actions}, status=201)


async def remove_from_resources(request: web.Request) -> web.Response:
    """POST /firewalls/{id}/actions/remove_from_resources."""
    project = project_of(request)
    firewall = path_resource(request, FIREWALL.name)
    body = await read_body(request)
    targets = parse_targets(require(body, "remove_from", list), "remove_from")
    project.refresh()
    links = project.part(FirewallLinks)
    for target in targets:
        if any(same_target(target, t) for t in firewall["applied_to"]):
            continue
        if target["type"] == "server" and target["server"]["id"] in links.servers_of(firewall):
            raise ApiError(
                422,
                "firewall_managed_by_label_selector",
                "the firewall is applied to this server by a label selector",
            )
        raise ApiError(404, "firewall_resource_not_found", "the firewall is not applied there")
    fid = firewall["id"]
    actions: list[Json] = []
    for target in targets:
        affected = _servers_of(project, target)
        firewall["applied_to"] = [t for t in firewall["applied_to"] if not same_target(target, t)]
        actions += _apply_actions(project, fid, affected, "remove_firewall")
    project.touch(FIREWALL.name, fid, "applied_to")
    project.refresh()
    return json_response({"actions": actions}, status=201)


def register(registry: Registry) -> None:
    """Add firewalls, their routes, and the links between firewalls and servers."""
    registry.kind(FIREWALL)
    registry.before_delete(FIREWALL.name, _refuse_while_applied)
    firewall_links.register(registry)
    item = FIREWALL.item_path
    registry.routes(
        [
            web.get("/v1/firewalls", list_handler(FIREWALL)),
            web.post("/v1/firewalls", create_firewall),
            web.get(item, get_handler(FIREWALL)),
            web.put(item, update_handler(FIREWALL)),
            web.delete(item, delete_handler(FIREWALL)),
            web.post(f"{item}/actions/set_rules", set_rules),
            web.post(f"{item}/actions/apply_to_resources", apply_to_resources),
            web.post(f"{item}/actions/remove_from_resources", remove_from_resources),
            *action_routes(FIREWALL),
        ]
    )
