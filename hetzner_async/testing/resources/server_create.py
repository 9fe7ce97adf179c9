"""``POST /servers``: validate the body, build the server, let other modules apply their fields.

The fields other resources own (``firewalls``, ``networks``, ``volumes``, ``placement_group``,
``public_net.ipv4``/``ipv6`` primary IPs) are validated and applied by the modules that claim
them with ``Registry.on_create("server", ...)``; a field no module claims is refused as
``invalid_input`` ("not supported"), as before those modules exist.
"""

from __future__ import annotations

import copy
import ipaddress

from aiohttp import web

from ..core import (
    Creation,
    Json,
    Project,
    Registry,
    json_response,
    optional,
    project_of,
    read_body,
    ref_field,
    require,
    valid_labels,
)
from ..errors import invalid_input, uniqueness_error
from .catalog import datacenter_in, type_locations
from .images import find_image
from .servers import SERVER, Secrets, ServerSecrets, hostname_problem, password, set_status

__all__ = ["DELEGATED", "USER_DATA_LIMIT", "check_user_data", "register", "resolve_ssh_keys"]

USER_DATA_LIMIT = 32 * 1024
#: Create-body fields that belong to other resources' modules (``public_net.ipv4``: a field
#: of the ``public_net`` object).
DELEGATED = (
    "firewalls",
    "networks",
    "volumes",
    "placement_group",
    "public_net.ipv4",
    "public_net.ipv6",
)
_IPV4_BASE = ipaddress.IPv4Address("100.64.0.0")


def check_user_data(body: Json) -> str | None:
    """Return the body's ``user_data``, refusing more than 32 KiB."""
    user_data: str | None = optional(body, "user_data", str)
    if user_data is not None and len(user_data.encode()) > USER_DATA_LIMIT:
        raise invalid_input({"user_data": [f"must be at most {USER_DATA_LIMIT} bytes"]})
    return user_data


def resolve_ssh_keys(project: Project, values: object, field: str = "ssh_keys") -> list[int]:
    """Return the ids of the SSH keys a list names by ID or name."""
    if not isinstance(values, list):
        raise invalid_input({field: ["must be an array"]})
    return [project.resolve("ssh_key", value, field)["id"] for value in values]


def _location(project: Project, body: Json, server_type: Json) -> Json:
    location_ref = ref_field(body, "location")
    datacenter_ref = ref_field(body, "datacenter")
    if location_ref is not None and datacenter_ref is not None:
        raise invalid_input({"location": ["location and datacenter are mutually exclusive"]})
    if datacenter_ref is not None:
        datacenter = project.resolve("datacenter", datacenter_ref, "datacenter")
        location_ref = datacenter["location"]["name"]
    offered = type_locations(server_type)
    if location_ref is None:
        location_ref = offered[0]
    location = project.resolve("location", location_ref, "location")
    if location["name"] not in offered:
        raise invalid_input(
            {"server_type": [f"server type is not available in {location['name']}"]}
        )
    return location


def _draft(project: Project, name: str, server_type: Json, image: Json, location: Json) -> Json:
    """Return the new server as the API shows it, without its id and addresses yet."""
    price = next(p for p in server_type["prices"] if p["location"] == location["name"])
    return {
        "id": 0,
        "name": name,
        "status": "initializing",
        "created": project.now_iso(),
        "public_net": {"ipv4": None, "ipv6": None, "floating_ips": [], "firewalls": []},
        "private_net": [],
        "server_type": copy.deepcopy(server_type),
        "datacenter": copy.deepcopy(datacenter_in(project, location["name"])),
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
        "labels": {},
        "volumes": [],
        "load_balancers": [],
        "primary_disk_size": server_type["disk"],
        "placement_group": None,
    }


def _addresses(project: Project, server: Json, public_net: Json, claimed: frozenset[str]) -> None:
    """Give the server its public addresses, unless a primary IP module claims them."""
    n = server["id"] % 1_000_000
    if public_net.get("enable_ipv4", True) and "public_net.ipv4" not in claimed:
        ip = str(_IPV4_BASE + n)
        server["public_net"]["ipv4"] = {
            "id": project.next_id("primary_ip"),
            "ip": ip,
            "blocked": False,
            "dns_ptr": f"static.{ip}.clients.your-server.de",
        }
    if public_net.get("enable_ipv6", True) and "public_net.ipv6" not in claimed:
        server["public_net"]["ipv6"] = {
            "id": project.next_id("primary_ip"),
            "ip": f"2001:db8:{n >> 16:x}:{n & 0xFFFF:x}::/64",
            "blocked": False,
            "dns_ptr": [],
        }


async def create_server(request: web.Request) -> web.Response:
    """POST /servers."""
    project = project_of(request)
    servers = project.tables[SERVER.name]
    body = await read_body(request)
    name: str = require(body, "name", str)
    problem = hostname_problem(name)
    if problem is not None:
        raise invalid_input({"name": [problem]})
    server_type = project.resolve(
        "server_type", ref_field(body, "server_type", required=True), "server_type"
    )
    architecture = server_type["architecture"]
    image = find_image(project, ref_field(body, "image", required=True), "image", architecture)
    if image["architecture"] != architecture:
        raise invalid_input({"image": ["image architecture does not match the server type"]})
    location = _location(project, body, server_type)
    ssh_keys = resolve_ssh_keys(project, optional(body, "ssh_keys", list, []))
    user_data = check_user_data(body)
    labels = valid_labels(body) or {}
    start_after_create: bool = optional(body, "start_after_create", bool, True)
    public_net: Json = optional(body, "public_net", dict, {})
    optional(body, "automount", bool)
    server = _draft(project, name, server_type, image, location)
    server["labels"] = labels
    creation = Creation(SERVER.name, body, server)
    commits = project.check_create(creation)
    claimed = project.registry.claimed(SERVER.name)
    for delegated in DELEGATED:
        field, _, inner = delegated.partition(".")
        if field not in body:
            continue
        value = body[field]
        if inner:
            value = value.get(inner) if isinstance(value, dict) else None
        if value not in (None, [], {}) and delegated not in claimed:
            raise invalid_input({delegated: ["not supported by the fake Hetzner Cloud"]})
    if servers.has_name(name):
        raise uniqueness_error("name", f"server name '{name}' is already used")

    sid = server["id"] = project.next_id(SERVER.name)
    _addresses(project, server, public_net, claimed)
    servers[sid] = server
    project.part(Secrets).by_server[sid] = ServerSecrets(ssh_keys=ssh_keys, user_data=user_data)
    ref = (SERVER.name, sid)
    creation.action = project.start_action(
        "create_server",
        [ref],
        on_success=set_status(project, sid, "starting" if start_after_create else "off"),
        on_error=set_status(project, sid, "off"),
        locks=[ref],
    )
    for commit in commits:
        commit()
    if start_after_create:
        creation.actions.append(
            project.start_action(
                "start_server",
                [ref],
                after=creation.action,
                on_success=set_status(project, sid, "running"),
                on_error=set_status(project, sid, "off"),
                locks=[ref],
            )
        )
    project.refresh()
    reply = {
        "server": server,
        "action": creation.action,
        "next_actions": creation.actions,
        "root_password": None if ssh_keys else password(),
    }
    return json_response(reply, status=201)


def register(registry: Registry) -> None:
    """Add ``POST /servers``."""
    registry.routes([web.post("/v1/servers", create_server)])
