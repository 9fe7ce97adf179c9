"""``/servers``: list, get, create, update, delete, and the server actions."""

from __future__ import annotations

import copy
import ipaddress
import re
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

from ..errors import ApiError, invalid_input, not_found, uniqueness_error
from ..state import FakeState, ServerSecrets
from .common import (
    Json,
    backend,
    filter_by_labels,
    int_id,
    json_response,
    label_selector,
    list_response,
    optional,
    read_body,
    require,
    select_by_name,
    status_filter,
    valid_labels,
)

__all__ = ["routes"]

STATUSES = (
    "running",
    "initializing",
    "starting",
    "stopping",
    "off",
    "deleting",
    "migrating",
    "rebuilding",
    "unknown",
)
USER_DATA_LIMIT = 32 * 1024
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_IPV4_BASE = ipaddress.IPv4Address("100.64.0.0")


def valid_hostname(name: str) -> bool:
    """Tell whether a name is a hostname under RFC 1123 (letters, digits, dots, dashes)."""
    return 0 < len(name) <= 253 and all(_HOST_LABEL.match(part) for part in name.split("."))


def _password() -> str:
    return secrets.token_urlsafe(15)


def _check_name(state: FakeState, name: str, own_id: int | None = None) -> None:
    if not valid_hostname(name):
        raise invalid_input({"name": ["must be a valid hostname (RFC 1123)"]})
    if state.servers.has_name(name, exclude=own_id):
        raise uniqueness_error("name", f"server name '{name}' is already used")


def _check_user_data(body: Json) -> str | None:
    user_data: str | None = optional(body, "user_data", str)
    if user_data is not None and len(user_data.encode()) > USER_DATA_LIMIT:
        raise invalid_input({"user_data": [f"must be at most {USER_DATA_LIMIT} bytes"]})
    return user_data


def _resolve_ssh_keys(state: FakeState, values: object, field: str = "ssh_keys") -> list[int]:
    if not isinstance(values, list):
        raise invalid_input({field: ["must be an array"]})
    ids: list[int] = []
    for value in values:
        key = _ssh_key(state, value)
        if key is None:
            raise invalid_input({field: [f"SSH key {value!r} not found"]})
        ids.append(key["id"])
    return ids


def _ssh_key(state: FakeState, value: object) -> Json | None:
    """Return the first SSH key whose id (as text) or name is ``value``."""
    keys = state.ssh_keys
    found: list[Json] = []
    text = str(value)
    try:
        by_id = keys.get(int(text)) if text.isascii() else None
    except ValueError:
        by_id = None
    if by_id is not None and str(by_id["id"]) == text:
        found.append(by_id)
    if isinstance(value, str):
        found += keys.named(value)
    if len(found) > 1:
        order = {kid: n for n, kid in enumerate(keys)}
        found.sort(key=lambda k: order[k["id"]])
    return found[0] if found else None


def _server(request: web.Request) -> Json:
    state = backend(request).state
    sid = int_id(request, "server")
    server = state.servers.get(sid)
    if server is None:
        raise not_found("server", sid)
    return server


# --- list, get, create, update, delete -----------------------------------------------------


async def list_servers(request: web.Request) -> web.Response:
    """GET /servers."""
    state = backend(request).state
    state.refresh()
    selector = label_selector(request)
    if selector is not None and "name" not in request.query:
        items = state.servers_matching(selector)
    else:
        items = filter_by_labels(select_by_name(state.servers, request), request)
    items = status_filter(items, request, STATUSES)
    return list_response(request, "servers", items, ("id", "name", "created"))


async def get_server(request: web.Request) -> web.Response:
    """GET /servers/{id}."""
    server = _server(request)
    backend(request).state.refresh()
    return json_response({"server": server})


def _new_server(
    state: FakeState,
    name: str,
    server_type: Json,
    image: Json,
    location: Json,
    labels: dict[str, str],
    public_net: Json,
) -> Json:
    sid = state.next_id("server")
    n = sid % 1_000_000
    ipv4 = ipv6 = None
    if public_net.get("enable_ipv4", True):
        ip = str(_IPV4_BASE + n)
        ipv4 = {
            "id": state.next_id("primary_ip"),
            "ip": ip,
            "blocked": False,
            "dns_ptr": f"static.{ip}.clients.your-server.de",
        }
    if public_net.get("enable_ipv6", True):
        ipv6 = {
            "id": state.next_id("primary_ip"),
            "ip": f"2001:db8:{n >> 16:x}:{n & 0xFFFF:x}::/64",
            "blocked": False,
            "dns_ptr": [],
        }
    price = next(p for p in server_type["prices"] if p["location"] == location["name"])
    return {
        "id": sid,
        "name": name,
        "status": "initializing",
        "created": state.now_iso(),
        "public_net": {"ipv4": ipv4, "ipv6": ipv6, "floating_ips": [], "firewalls": []},
        "private_net": [],
        "server_type": copy.deepcopy(server_type),
        "datacenter": copy.deepcopy(state.catalog.datacenter_in(location["name"])),
        "location": copy.deepcopy(location),
        "image": copy.deepcopy(image),
        "iso": None,
        "rescue_enabled": False,
        "locked": False,
        "backup_window": None,
        "outgoing_traffic": 0,
        "ingoing_traffic": 0,
        "included_traffic": price["included_traffic"],
        "protection": {"delete": False, "rebuild": False},
        "labels": labels,
        "volumes": [],
        "load_balancers": [],
        "primary_disk_size": server_type["disk"],
        "placement_group": None,
    }


async def create_server(request: web.Request) -> web.Response:
    """POST /servers."""
    state = backend(request).state
    body = await read_body(request)
    name: str = require(body, "name", str)
    if not valid_hostname(name):
        raise invalid_input({"name": ["must be a valid hostname (RFC 1123)"]})
    server_type = state.catalog.server_type(require(body, "server_type", str))
    if server_type is None:
        raise invalid_input({"server_type": ["server type not found"]})
    image = state.catalog.image(require(body, "image", str), server_type["architecture"])
    if image is None:
        raise invalid_input({"image": ["image not found"]})
    if image["architecture"] != server_type["architecture"]:
        raise invalid_input({"image": ["image architecture does not match the server type"]})
    location_ref: str | None = optional(body, "location", str)
    datacenter_ref: str | None = optional(body, "datacenter", str)
    if location_ref is not None and datacenter_ref is not None:
        raise invalid_input({"location": ["location and datacenter are mutually exclusive"]})
    if datacenter_ref is not None:
        datacenter = state.catalog.datacenter(datacenter_ref)
        if datacenter is None:
            raise invalid_input({"datacenter": ["datacenter not found"]})
        location_ref = datacenter["location"]["name"]
    location = state.catalog.location(location_ref or state.catalog.type_locations(server_type)[0])
    if location is None:
        raise invalid_input({"location": ["location not found"]})
    if location["name"] not in state.catalog.type_locations(server_type):
        raise invalid_input(
            {"server_type": [f"server type is not available in {location['name']}"]}
        )
    ssh_keys = _resolve_ssh_keys(state, optional(body, "ssh_keys", list, []))
    firewall_ids: list[int] = []
    for entry in optional(body, "firewalls", list, []):
        fw_id = entry.get("firewall") if isinstance(entry, dict) else None
        if not isinstance(fw_id, int) or isinstance(fw_id, bool):
            raise invalid_input({"firewalls": ["each entry must be {firewall: <id>}"]})
        if fw_id not in state.firewalls:
            raise invalid_input({"firewalls": [f"firewall {fw_id} not found"]})
        firewall_ids.append(fw_id)
    for unsupported in ("volumes", "networks"):
        if optional(body, unsupported, list, []):
            raise invalid_input({unsupported: ["not supported by the fake Hetzner Cloud"]})
    if optional(body, "placement_group", int) is not None:
        raise invalid_input({"placement_group": ["not supported by the fake Hetzner Cloud"]})
    user_data = _check_user_data(body)
    labels = valid_labels(body) or {}
    start_after_create: bool = optional(body, "start_after_create", bool, True)
    public_net: Json = optional(body, "public_net", dict, {})
    optional(body, "automount", bool)
    if state.servers.has_name(name):
        raise uniqueness_error("name", f"server name '{name}' is already used")

    server = _new_server(state, name, server_type, image, location, labels, public_net)
    sid = server["id"]
    state.servers[sid] = server
    state.server_secrets[sid] = ServerSecrets(ssh_keys=ssh_keys, user_data=user_data)
    for fw_id in dict.fromkeys(firewall_ids):
        state.attach_firewall(fw_id, sid)

    def set_status(status: str) -> Callable[[], None]:
        def effect() -> None:
            if sid in state.servers:
                state.servers[sid]["status"] = status

        return effect

    action = state.start_action(
        "create_server",
        [("server", sid)],
        on_success=set_status("starting" if start_after_create else "off"),
        on_error=set_status("off"),
        locks=[sid],
    )
    next_actions = []
    if start_after_create:
        next_actions.append(
            state.start_action(
                "start_server",
                [("server", sid)],
                after=action,
                on_success=set_status("running"),
                on_error=set_status("off"),
                locks=[sid],
            )
        )
    state.refresh()
    body_out = {
        "server": server,
        "action": action,
        "next_actions": next_actions,
        "root_password": None if ssh_keys else _password(),
    }
    return json_response(body_out, status=201)


async def update_server(request: web.Request) -> web.Response:
    """PUT /servers/{id}."""
    state = backend(request).state
    server = _server(request)
    body = await read_body(request)
    name: str | None = optional(body, "name", str)
    labels = valid_labels(body)
    if name is not None:
        _check_name(state, name, own_id=server["id"])
        state.servers.rename(server["id"], name)
    if labels is not None:
        server["labels"] = labels
        state.server_changed(server["id"])
    state.refresh()
    return json_response({"server": server})


def _ensure_unlocked(state: FakeState, server: Json) -> None:
    if state.server_locked(server["id"]):
        raise ApiError(423, "locked", f"server {server['id']} is locked by a running action")


async def delete_server(request: web.Request) -> web.Response:
    """DELETE /servers/{id}."""
    state = backend(request).state
    server = _server(request)
    if server["protection"]["delete"]:
        raise ApiError(423, "protected", f"server {server['id']} is protected against deletion")
    _ensure_unlocked(state, server)
    sid = server["id"]
    previous = server["status"]
    server["status"] = "deleting"

    def remove() -> None:
        state.remove_server(sid)

    def restore() -> None:
        if sid in state.servers:
            state.servers[sid]["status"] = previous

    action = state.start_action(
        "delete_server", [("server", sid)], on_success=remove, on_error=restore, locks=[sid]
    )
    return json_response({"action": action})


# --- server actions --------------------------------------------------------------------------


def _run(
    state: FakeState,
    server: Json,
    command: str,
    *,
    during: str | None = None,
    after: str | None = None,
    effect: Callable[[Json], None] | None = None,
) -> Json:
    """Start an action on a server: status ``during`` it, ``after`` it, plus an effect."""
    _ensure_unlocked(state, server)
    sid = server["id"]
    previous = server["status"]
    if during is not None:
        server["status"] = during

    def succeed() -> None:
        current = state.servers.get(sid)
        if current is None:
            return
        if after is not None:
            current["status"] = after
        if effect is not None:
            effect(current)

    def fail() -> None:
        current = state.servers.get(sid)
        if current is not None and during is not None:
            current["status"] = previous

    return state.start_action(
        command, [("server", sid)], on_success=succeed, on_error=fail, locks=[sid]
    )


def _simple(
    command: str, *, during: str | None = None, after: str | None = None
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handler(request: web.Request) -> web.Response:
        state = backend(request).state
        server = _server(request)
        await read_body(request)
        action = _run(state, server, command, during=during, after=after)
        return json_response({"action": action}, status=201)

    handler.__doc__ = f"POST /servers/{{id}}/actions/... ({command})."
    return handler


async def rebuild(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/rebuild."""
    state = backend(request).state
    server = _server(request)
    body = await read_body(request)
    image = state.catalog.image(require(body, "image", str), server["server_type"]["architecture"])
    if image is None:
        raise invalid_input({"image": ["image not found"]})
    _check_user_data(body)
    if server["protection"]["rebuild"]:
        raise ApiError(423, "protected", f"server {server['id']} is protected against rebuild")

    def set_image(current: Json) -> None:
        current["image"] = copy.deepcopy(image)

    action = _run(
        state, server, "rebuild_server", during="rebuilding", after="running", effect=set_image
    )
    has_keys = bool(state.server_secrets.get(server["id"], ServerSecrets()).ssh_keys)
    return json_response(
        {"action": action, "root_password": None if has_keys else _password()}, status=201
    )


async def change_type(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/change_type."""
    state = backend(request).state
    server = _server(request)
    body = await read_body(request)
    type_ref: str = require(body, "server_type", str)
    upgrade_disk: bool = require(body, "upgrade_disk", bool)
    new_type = state.catalog.server_type(type_ref)
    if new_type is None or new_type["architecture"] != server["server_type"]["architecture"]:
        raise ApiError(422, "invalid_server_type", f"server type '{type_ref}' is not valid")
    if server["location"]["name"] not in state.catalog.type_locations(new_type):
        raise ApiError(422, "invalid_server_type", "server type is not available here")
    if new_type["disk"] < server["primary_disk_size"]:
        raise ApiError(422, "invalid_server_type", "the server's disk is larger than the type's")
    if server["status"] != "off":
        raise ApiError(422, "server_not_stopped", "server must be stopped to change its type")

    def apply(current: Json) -> None:
        current["server_type"] = copy.deepcopy(new_type)
        if upgrade_disk:
            current["primary_disk_size"] = new_type["disk"]

    action = _run(state, server, "change_server_type", effect=apply)
    return json_response({"action": action}, status=201)


async def enable_rescue(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/enable_rescue."""
    state = backend(request).state
    server = _server(request)
    body = await read_body(request)
    if optional(body, "type", str, "linux64") != "linux64":
        raise invalid_input({"type": ["must be 'linux64'"]})
    _resolve_ssh_keys(state, optional(body, "ssh_keys", list, []))

    def enable(current: Json) -> None:
        current["rescue_enabled"] = True

    action = _run(state, server, "enable_rescue", effect=enable)
    return json_response({"action": action, "root_password": _password()}, status=201)


async def disable_rescue(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/disable_rescue."""
    state = backend(request).state
    server = _server(request)
    await read_body(request)

    def disable(current: Json) -> None:
        current["rescue_enabled"] = False

    action = _run(state, server, "disable_rescue", effect=disable)
    return json_response({"action": action}, status=201)


async def attach_iso(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/attach_iso."""
    state = backend(request).state
    server = _server(request)
    body = await read_body(request)
    iso = state.catalog.iso(require(body, "iso", str))
    if iso is None:
        raise invalid_input({"iso": ["ISO not found"]})

    def attach(current: Json) -> None:
        current["iso"] = copy.deepcopy(iso)

    action = _run(state, server, "attach_iso", effect=attach)
    return json_response({"action": action}, status=201)


async def detach_iso(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/detach_iso."""
    state = backend(request).state
    server = _server(request)
    await read_body(request)

    def detach(current: Json) -> None:
        current["iso"] = None

    action = _run(state, server, "detach_iso", effect=detach)
    return json_response({"action": action}, status=201)


async def change_protection(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/change_protection (takes effect at once)."""
    state = backend(request).state
    server = _server(request)
    body = await read_body(request)
    delete: bool | None = optional(body, "delete", bool)
    rebuild_: bool | None = optional(body, "rebuild", bool)
    if delete is not None and rebuild_ is not None and delete != rebuild_:
        raise invalid_input({"rebuild": ["delete and rebuild protection must be equal"]})
    _ensure_unlocked(state, server)
    if delete is not None:
        server["protection"]["delete"] = delete
    if rebuild_ is not None:
        server["protection"]["rebuild"] = rebuild_
    action = _run(state, server, "change_protection")
    return json_response({"action": action}, status=201)


async def request_console(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/request_console."""
    state = backend(request).state
    server = _server(request)
    await read_body(request)
    action = _run(state, server, "request_console")
    token = secrets.token_hex(16)
    return json_response(
        {
            "wss_url": f"wss://console.hetzner.cloud/?server_id={server['id']}&token={token}",
            "password": secrets.token_urlsafe(24),
            "action": action,
        },
        status=201,
    )


async def reset_password(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/reset_password."""
    state = backend(request).state
    server = _server(request)
    await read_body(request)
    action = _run(state, server, "reset_password")
    return json_response({"action": action, "root_password": _password()}, status=201)


def routes() -> list[web.RouteDef]:
    """Return the routes of this module (under ``/v1``)."""
    base = "/v1/servers/{id:\\d+}"
    simple = {
        "poweron": _simple("start_server", during="starting", after="running"),
        "poweroff": _simple("stop_server", during="stopping", after="off"),
        "shutdown": _simple("shutdown_server", after="off"),
        "reboot": _simple("reboot_server", after="running"),
        "reset": _simple("reset_server", after="running"),
    }
    table: list[web.RouteDef] = [
        web.get("/v1/servers", list_servers),
        web.post("/v1/servers", create_server),
        web.get(base, get_server),
        web.put(base, update_server),
        web.delete(base, delete_server),
        web.post(f"{base}/actions/rebuild", rebuild),
        web.post(f"{base}/actions/change_type", change_type),
        web.post(f"{base}/actions/enable_rescue", enable_rescue),
        web.post(f"{base}/actions/disable_rescue", disable_rescue),
        web.post(f"{base}/actions/attach_iso", attach_iso),
        web.post(f"{base}/actions/detach_iso", detach_iso),
        web.post(f"{base}/actions/change_protection", change_protection),
        web.post(f"{base}/actions/request_console", request_console),
        web.post(f"{base}/actions/reset_password", reset_password),
    ]
    for name, handler in simple.items():
        table.append(web.post(f"{base}/actions/{name}", handler))
    return table
