"""``/firewalls``: list, get, create, update, delete, set_rules, apply/remove resources.

The firewall's ``applied_to`` is the single source of truth; servers' ``public_net.firewalls``
and selectors' ``applied_to_resources`` are derived from it by ``FakeState.refresh``.
"""

from __future__ import annotations

import ipaddress
import re

from aiohttp import web

from ..errors import ApiError, invalid_input, not_found, uniqueness_error
from ..labels import LabelSelectorError, parse_selector
from ..state import FakeState
from .common import (
    Json,
    backend,
    filter_by_labels,
    int_id,
    json_response,
    list_response,
    optional,
    read_body,
    require,
    select_by_name,
    valid_labels,
)

__all__ = ["routes"]

MAX_RULES = 50
MAX_NAME = 128
_PROTOCOLS = ("tcp", "udp", "icmp", "esp", "gre")
_PORT = re.compile(r"^(\d{1,5})(?:-(\d{1,5}))?$")


def _firewall(request: web.Request) -> Json:
    state = backend(request).state
    fid = int_id(request, "firewall")
    firewall = state.firewalls.get(fid)
    if firewall is None:
        raise not_found("firewall", fid)
    return firewall


def _ips(rule: Json, name: str) -> list[str]:
    value = rule.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > 100:
        raise invalid_input({"rules": [f"{name} must be an array of at most 100 CIDRs"]})
    out = []
    for text in value:
        try:
            out.append(str(ipaddress.ip_network(text, strict=False)))
        except (TypeError, ValueError):
            raise invalid_input({"rules": [f"{name}: {text!r} is not a CIDR"]}) from None
    return out


def _port(rule: Json, protocol: str) -> str | None:
    port = rule.get("port")
    if protocol not in ("tcp", "udp"):
        if port is not None:
            raise invalid_input(
                {"rules": [f"port is only allowed for tcp and udp, not {protocol}"]}
            )
        return None
    match = _PORT.match(port) if isinstance(port, str) else None
    if match is None:
        raise invalid_input({"rules": ["port is required for tcp and udp (e.g. '80' or '80-85')"]})
    numbers = [int(p) for p in match.groups() if p is not None]
    if any(not 1 <= n <= 65535 for n in numbers) or numbers != sorted(numbers):
        raise invalid_input({"rules": [f"invalid port range {port!r}"]})
    return str(port)


def parse_rules(value: object) -> list[Json]:
    """Validate request rules and return them in response form."""
    if not isinstance(value, list):
        raise invalid_input({"rules": ["must be an array"]})
    if len(value) > MAX_RULES:
        raise invalid_input({"rules": [f"at most {MAX_RULES} rules are allowed"]})
    rules = []
    for rule in value:
        if not isinstance(rule, dict):
            raise invalid_input({"rules": ["each rule must be an object"]})
        direction = rule.get("direction")
        protocol = rule.get("protocol")
        if direction not in ("in", "out"):
            raise invalid_input({"rules": ["direction must be 'in' or 'out'"]})
        if protocol not in _PROTOCOLS:
            raise invalid_input({"rules": [f"protocol must be one of {', '.join(_PROTOCOLS)}"]})
        description = rule.get("description")
        if description is not None and (not isinstance(description, str) or len(description) > 255):
            raise invalid_input({"rules": ["description must be a string of at most 255 chars"]})
        source_ips = _ips(rule, "source_ips")
        destination_ips = _ips(rule, "destination_ips")
        if direction == "in" and not source_ips:
            raise invalid_input({"rules": ["source_ips is required for direction 'in'"]})
        if direction == "out" and not destination_ips:
            raise invalid_input({"rules": ["destination_ips is required for direction 'out'"]})
        rules.append(
            {
                "description": description,
                "direction": direction,
                "protocol": protocol,
                "port": _port(rule, str(protocol)),
                "source_ips": source_ips,
                "destination_ips": destination_ips,
            }
        )
    return rules


def parse_targets(value: object, field: str) -> list[Json]:
    """Validate ``apply_to`` / ``remove_from`` entries and return them in response form."""
    if not isinstance(value, list):
        raise invalid_input({field: ["must be an array"]})
    targets: list[Json] = []
    for entry in value:
        kind = entry.get("type") if isinstance(entry, dict) else None
        if kind == "server":
            server = entry.get("server")
            sid = server.get("id") if isinstance(server, dict) else None
            if not isinstance(sid, int) or isinstance(sid, bool):
                raise invalid_input({field: ["a server entry needs server.id"]})
            targets.append({"type": "server", "server": {"id": sid}})
        elif kind == "label_selector":
            selector = entry.get("label_selector")
            text = selector.get("selector") if isinstance(selector, dict) else None
            if not isinstance(text, str) or not text.strip():
                raise invalid_input(
                    {field: ["a label_selector entry needs label_selector.selector"]}
                )
            try:
                parse_selector(text)
            except LabelSelectorError as exc:
                raise invalid_input({field: [str(exc)]}) from None
            targets.append({"type": "label_selector", "label_selector": {"selector": text}})
        else:
            raise invalid_input({field: ["type must be 'server' or 'label_selector'"]})
    return targets


def _same(a: Json, b: Json) -> bool:
    if a["type"] != b["type"]:
        return False
    if a["type"] == "server":
        return bool(a["server"]["id"] == b["server"]["id"])
    return bool(a["label_selector"]["selector"] == b["label_selector"]["selector"])


def _servers_of(state: FakeState, target: Json) -> list[int]:
    if target["type"] == "server":
        return [target["server"]["id"]]
    return state.selector_matches(target["label_selector"]["selector"])


def _apply_actions(state: FakeState, fid: int, server_ids: list[int], command: str) -> list[Json]:
    pending = command == "apply_firewall"
    return [
        state.start_action(
            command,
            [("server", sid), ("firewall", fid)],
            pending_firewalls=[(fid, sid)] if pending else (),
        )
        for sid in dict.fromkeys(server_ids)
    ]


def _check_name(state: FakeState, name: str, own_id: int | None = None) -> None:
    if not name.strip() or len(name) > MAX_NAME:
        raise invalid_input({"name": [f"must be 1 to {MAX_NAME} characters"]})
    if state.firewalls.has_name(name, exclude=own_id):
        raise uniqueness_error("name", f"firewall name '{name}' is already used")


async def list_firewalls(request: web.Request) -> web.Response:
    """GET /firewalls."""
    state = backend(request).state
    state.refresh()
    items = select_by_name(state.firewalls, request)
    items = filter_by_labels(items, request)
    return list_response(request, "firewalls", items, ("id", "name", "created"))


async def get_firewall(request: web.Request) -> web.Response:
    """GET /firewalls/{id}."""
    firewall = _firewall(request)
    backend(request).state.refresh()
    return json_response({"firewall": firewall})


async def create_firewall(request: web.Request) -> web.Response:
    """POST /firewalls."""
    state = backend(request).state
    body = await read_body(request)
    name: str = require(body, "name", str)
    labels = valid_labels(body) or {}
    rules = parse_rules(optional(body, "rules", list, []))
    targets = parse_targets(optional(body, "apply_to", list, []), "apply_to")
    for target in targets:
        if target["type"] == "server" and target["server"]["id"] not in state.servers:
            raise ApiError(
                422,
                "firewall_resource_not_found",
                f"server {target['server']['id']} not found",
            )
    _check_name(state, name)
    fid = state.next_id("firewall")
    applied: list[Json] = []
    for target in targets:
        if not any(_same(target, t) for t in applied):
            applied.append(target)
    firewall = {
        "id": fid,
        "name": name,
        "labels": labels,
        "created": state.now_iso(),
        "rules": rules,
        "applied_to": applied,
    }
    state.firewalls[fid] = firewall
    actions: list[Json] = []
    if rules:
        actions.append(state.start_action("set_firewall_rules", [("firewall", fid)]))
    for target in applied:
        actions += _apply_actions(state, fid, _servers_of(state, target), "apply_firewall")
    state.refresh()
    return json_response({"firewall": firewall, "actions": actions}, status=201)


async def update_firewall(request: web.Request) -> web.Response:
    """PUT /firewalls/{id}."""
    state = backend(request).state
    firewall = _firewall(request)
    body = await read_body(request)
    name: str | None = optional(body, "name", str)
    labels = valid_labels(body)
    if name is not None:
        _check_name(state, name, own_id=firewall["id"])
        state.firewalls.rename(firewall["id"], name)
    if labels is not None:
        firewall["labels"] = labels
    state.refresh()
    return json_response({"firewall": firewall})


async def delete_firewall(request: web.Request) -> web.Response:
    """DELETE /firewalls/{id}."""
    state = backend(request).state
    firewall = _firewall(request)
    if firewall["applied_to"]:
        raise ApiError(422, "resource_in_use", f"firewall {firewall['id']} is still applied")
    del state.firewalls[firewall["id"]]
    return web.Response(status=204)


async def set_rules(request: web.Request) -> web.Response:
    """POST /firewalls/{id}/actions/set_rules."""
    state = backend(request).state
    firewall = _firewall(request)
    body = await read_body(request)
    rules = parse_rules(require(body, "rules", list))
    firewall["rules"] = rules
    fid = firewall["id"]
    state.refresh()
    actions = [state.start_action("set_firewall_rules", [("firewall", fid)])]
    actions += _apply_actions(state, fid, state.firewall_servers(firewall), "apply_firewall")
    state.refresh()
    return json_response({"actions": actions}, status=201)


async def apply_to_resources(request: web.Request) -> web.Response:
    """POST /firewalls/{id}/actions/apply_to_resources."""
    state = backend(request).state
    firewall = _firewall(request)
    body = await read_body(request)
    targets = parse_targets(require(body, "apply_to", list), "apply_to")
    for target in targets:
        if target["type"] == "server" and target["server"]["id"] not in state.servers:
            raise ApiError(
                404, "firewall_resource_not_found", f"server {target['server']['id']} not found"
            )
        if any(_same(target, t) for t in firewall["applied_to"]):
            raise ApiError(422, "firewall_already_applied", "firewall is already applied there")
    fid = firewall["id"]
    actions: list[Json] = []
    for target in targets:
        if any(_same(target, t) for t in firewall["applied_to"]):
            continue
        firewall["applied_to"].append(target)
        actions += _apply_actions(state, fid, _servers_of(state, target), "apply_firewall")
    state.firewall_changed(fid)
    state.refresh()
    return json_response({"actions": actions}, status=201)


async def remove_from_resources(request: web.Request) -> web.Response:
    """POST /firewalls/{id}/actions/remove_from_resources."""
    state = backend(request).state
    firewall = _firewall(request)
    body = await read_body(request)
    targets = parse_targets(require(body, "remove_from", list), "remove_from")
    state.refresh()
    for target in targets:
        if any(_same(target, t) for t in firewall["applied_to"]):
            continue
        if target["type"] == "server" and target["server"]["id"] in state.firewall_servers(
            firewall
        ):
            raise ApiError(
                422,
                "firewall_managed_by_label_selector",
                "the firewall is applied to this server by a label selector",
            )
        raise ApiError(404, "firewall_resource_not_found", "the firewall is not applied there")
    fid = firewall["id"]
    actions: list[Json] = []
    for target in targets:
        affected = _servers_of(state, target)
        firewall["applied_to"] = [t for t in firewall["applied_to"] if not _same(target, t)]
        actions += _apply_actions(state, fid, affected, "remove_firewall")
    state.firewall_changed(fid)
    state.refresh()
    return json_response({"actions": actions}, status=201)


def routes() -> list[web.RouteDef]:
    """Return the routes of this module (under ``/v1``)."""
    item = "/v1/firewalls/{id:\\d+}"
    return [
        web.get("/v1/firewalls", list_firewalls),
        web.post("/v1/firewalls", create_firewall),
        web.get(item, get_firewall),
        web.put(item, update_firewall),
        web.delete(item, delete_firewall),
        web.post(f"{item}/actions/set_rules", set_rules),
        web.post(f"{item}/actions/apply_to_resources", apply_to_resources),
        web.post(f"{item}/actions/remove_from_resources", remove_from_resources),
    ]
