"""Primary IPs on servers: a server's ``public_net.ipv4``/``ipv6``, its create body, its deletion.

A Primary IP's ``assignee_id`` is the single source of truth; a server's ``public_net.ipv4`` and
``ipv6`` are derived from the IPs assigned to it. ``POST /servers`` takes Primary IP ids in
``public_net.ipv4``/``ipv6`` and creates an ``auto_delete`` Primary IP for each enabled family
it does not name, as the API does; deleting a server deletes its ``auto_delete`` IPs and
unassigns the others. ``POST /servers/{id}/actions/change_dns_ptr`` changes the PTR records of
the server's Primary IPs (not of its Floating IPs). The index (``Assignments``) and the checks
of a Primary IP named in a create body serve load balancers too (``load_balancer_primary_ips``).

``assignee_type`` goes with ``assignee_id`` (``set_holder``): the holder's kind while it has one,
``unassigned`` while ``assignee_id`` is null, as the API shows since 1 August 2026
(https://docs.hetzner.cloud/changelog#2026-04-27-primary-ips-will-return-unassigned; before, it
showed ``server``). Rules key on ``assignee_id`` (``holder_of``), never on the type string.
"""

from __future__ import annotations

from aiohttp import web

from ..core import (
    Creation,
    Fields,
    Json,
    Project,
    Ref,
    Registry,
    json_response,
    path_resource,
    project_of,
    read_body,
)
from ..core.registry import Commit
from ..errors import ApiError, invalid_input
from .ip_addresses import IP_TYPES, apply_dns_ptr, check_dns_ptr_body, initial_dns_ptr, new_address
from .servers import SERVER

__all__ = [
    "PRIMARY_IP_KIND",
    "UNASSIGNED",
    "Assignments",
    "check_free_primary_ip",
    "holder_of",
    "new_primary_ip",
    "register",
    "release_held",
    "set_holder",
]

PRIMARY_IP_KIND = "primary_ip"
#: The fields of a Primary IP its server (or load balancer) shows in its ``public_net``.
_SHOWN = frozenset({"assignee_type", "assignee_id", "type", "ip", "blocked", "dns_ptr"})
#: The ``assignee_type`` of a Primary IP assigned to nothing (``assignee_id`` null).
UNASSIGNED = "unassigned"


def holder_of(ip: Json) -> Ref | None:
    """Return what a Primary IP is assigned to, ``(kind, id)``, or None (no ``assignee_id``).

    The assignee types are the fake's kind names: ``server``, ``load_balancer``.
    """
    if ip["assignee_id"] is None:
        return None
    return (ip["assignee_type"], ip["assignee_id"])


def set_holder(project: Project, ip: Json, holder: Ref | None) -> None:
    """Assign a Primary IP to a server or load balancer, or (None) unassign it: both fields."""
    ip["assignee_type"], ip["assignee_id"] = (UNASSIGNED, None) if holder is None else holder
    project.touch(PRIMARY_IP_KIND, ip["id"], "assignee_id", "assignee_type")


def _settle(ip: Json) -> None:
    """Make ``assignee_type`` agree with ``assignee_id`` after an edit in place of the id alone.

    Code around the handlers may set ``assignee_id`` only (``fake.state``, ``dirty``); an id
    without a kind can only mean a server, the one kind ``assign`` takes.
    """
    if ip["assignee_id"] is None:
        ip["assignee_type"] = UNASSIGNED
    elif ip["assignee_type"] == UNASSIGNED:
        ip["assignee_type"] = SERVER.name


class Assignments:
    """Which Primary IPs each holder has, by type (a state part), kept current as IPs change.

    A holder is a server or, since 2026-10-05, a load balancer: ``(assignee_type, id)``.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self.ips = project.tables[PRIMARY_IP_KIND]
        self._of: dict[Ref, dict[str, int]] = {}
        self._holder_of: dict[int, tuple[Ref, str]] = {}

    def of_server(self, server_id: int) -> dict[str, int]:
        """Return the ids of a server's Primary IPs by type (``{"ipv4": 5000001}``)."""
        return self.of_holder((SERVER.name, server_id))

    def of_holder(self, holder: Ref) -> dict[str, int]:
        """Return the ids of the Primary IPs a server or load balancer holds, by type."""
        if self.project.dirty:  # edited in place: the index may be behind
            self.refresh(everything=True)
        return dict(self._of.get(holder, {}))

    def changed(self, ip_id: int, fields: Fields) -> None:
        """Re-index an IP stored, removed or reassigned; mark the holders that show it."""
        if fields is not None and not fields & _SHOWN:
            return
        old = self._holder_of.pop(ip_id, None)
        if old is not None:
            holder, ip_type = old
            slots = self._of.get(holder)
            if slots is not None and slots.get(ip_type) == ip_id:
                del slots[ip_type]
                if not slots:
                    del self._of[holder]
            self.project.mark_stale(holder)
        ip = self.ips.get(ip_id)
        if ip is not None:
            _settle(ip)
        now = None if ip is None else holder_of(ip)
        if ip is not None and now is not None:
            self._of.setdefault(now, {})[ip["type"]] = ip_id
            self._holder_of[ip_id] = (now, ip["type"])
            self.project.mark_stale(now)

    def refresh(self, everything: bool) -> None:
        """After in-place edits (``dirty``), rebuild the index from the IPs."""
        if everything:
            self._of.clear()
            self._holder_of.clear()
            for ip_id in list(self.ips):
                self.changed(ip_id, None)

    def derive(self, server_id: int, server: Json) -> None:
        """Set a server's ``public_net.ipv4`` and ``ipv6`` from its Primary IPs."""
        slots = self._of.get((SERVER.name, server_id), {})
        public_net = server["public_net"]
        v4 = slots.get("ipv4")
        if v4 is None:
            public_net["ipv4"] = None
        else:
            ip = self.ips[v4]
            public_net["ipv4"] = {
                "id": v4,
                "ip": ip["ip"],
                "blocked": ip["blocked"],
                "dns_ptr": ip["dns_ptr"][0]["dns_ptr"],
            }
        v6 = slots.get("ipv6")
        if v6 is None:
            public_net["ipv6"] = None
        else:
            ip = self.ips[v6]
            public_net["ipv6"] = {
                "id": v6,
                "ip": ip["ip"],
                "blocked": ip["blocked"],
                "dns_ptr": [dict(record) for record in ip["dns_ptr"]],
            }


def new_primary_ip(
    project: Project,
    name: str | None,
    ip_type: str,
    location: Json,
    datacenter: Json,
    *,
    assignee_id: int | None = None,
    auto_delete: bool = False,
    labels: dict[str, str] | None = None,
    created: str | None = None,
) -> Json:
    """Store a new Primary IP in a location (and its datacenter), on a server or not; return it.

    ``location`` and ``datacenter`` are shown as they are given, not copied: a server's own
    IPs share the server's copies, which keeps server creates cheap.
    """
    ip_id = project.next_id(PRIMARY_IP_KIND)
    address = new_address(ip_type, ip_id)
    ip = {
        "id": ip_id,
        # The name the API gives the IPs it creates with a server.
        "name": name if name is not None else f"primary_ip-{ip_id}",
        "labels": labels or {},
        "created": created or project.now_iso(),
        "blocked": False,
        "datacenter": datacenter,
        "location": location,
        "ip": address,
        "dns_ptr": initial_dns_ptr(ip_type, address),
        "protection": {"delete": False},
        "type": ip_type,
        "auto_delete": auto_delete,
        "assignee_type": UNASSIGNED if assignee_id is None else SERVER.name,
        "assignee_id": assignee_id,
    }
    project.tables[PRIMARY_IP_KIND][ip_id] = ip
    return ip


# --- a server's create body ---------------------------------------------------------------------


def check_free_primary_ip(project: Project, ref: object, family: str, location: Json) -> Json:
    """Return the Primary IP a create body names in ``public_net.<family>``, if it may be used.

    It must be of that type (``412 primary_ip_version_mismatch``), unassigned (``422
    primary_ip_assigned``) and in the new resource's location (``422
    primary_ip_datacenter_mismatch``): the documented rules of ``POST /servers``, which the fake
    applies to ``POST /load_balancers`` too (inferred: that operation documents none).
    """
    field = f"public_net.{family}"
    if isinstance(ref, bool) or not isinstance(ref, (int, str)):
        raise invalid_input({field: ["must be the ID of a Primary IP"]})
    ip = project.resolve(PRIMARY_IP_KIND, ref, field)
    if ip["type"] != family:
        raise ApiError(
            412, "primary_ip_version_mismatch", f"primary IP {ip['id']} is not of type {family}"
        )
    holder = holder_of(ip)
    if holder is not None:
        raise ApiError(
            422,
            "primary_ip_assigned",
            f"primary IP {ip['id']} is already assigned to a {holder[0]}",
        )
    if ip["location"]["name"] != location["name"]:
        raise ApiError(
            422,
            "primary_ip_datacenter_mismatch",
            f"primary IP {ip['id']} is in {ip['location']['name']}, not in {location['name']}",
        )
    project.ensure_unlocked(PRIMARY_IP_KIND, ip["id"])
    return ip


def _assign_on_create(project: Project, creation: Creation) -> Commit | None:
    """Check a new server's ``public_net``; once it is stored, give it its Primary IPs."""
    public_net = creation.body.get("public_net", {})
    if public_net is None:
        public_net = {}
    if not isinstance(public_net, dict):
        raise invalid_input({"public_net": ["must be an object"]})
    plan: dict[str, Json | None] = {}
    for family in IP_TYPES:
        enabled = public_net.get(f"enable_{family}", True)
        if not isinstance(enabled, bool):
            raise invalid_input({f"public_net.enable_{family}": ["must be a boolean"]})
        if public_net.get(family) is not None:
            if not enabled:
                raise invalid_input(
                    {f"public_net.{family}": [f"a Primary IP given with enable_{family}=false"]}
                )
            location = creation.resource["location"]
            plan[family] = check_free_primary_ip(project, public_net[family], family, location)
        elif enabled:
            plan[family] = None

    def commit() -> None:
        server = creation.resource
        sid = server["id"]
        for family, ip in plan.items():
            if ip is None:
                new_primary_ip(
                    project,
                    None,
                    family,
                    server["location"],
                    server["datacenter"],
                    assignee_id=sid,
                    auto_delete=True,
                    created=server["created"],
                )
            else:
                set_holder(project, ip, (SERVER.name, sid))

    return commit


def release_held(project: Project, holder: Ref) -> None:
    """Delete the ``auto_delete`` Primary IPs a deleted holder had; unassign the others.

    The holder is a server, or a load balancer (inferred from the servers' documented rule).
    """
    ips = project.tables[PRIMARY_IP_KIND]
    for ip_id in project.part(Assignments).of_holder(holder).values():
        ip = ips[ip_id]
        if ip["auto_delete"]:
            project.remove(PRIMARY_IP_KIND, ip_id)
        else:
            set_holder(project, ip, None)


# --- POST /servers/{id}/actions/change_dns_ptr ---------------------------------------------------


async def change_server_dns_ptr(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/change_dns_ptr: the PTR of one of its Primary IPs' addresses."""
    project = project_of(request)
    server = path_resource(request, SERVER.name)
    body = await read_body(request)
    ips = project.tables[PRIMARY_IP_KIND]
    owned = [ips[i] for i in project.part(Assignments).of_server(server["id"]).values()]
    target, address, dns_ptr = check_dns_ptr_body(body, owned)
    ref = (SERVER.name, server["id"])
    project.ensure_unlocked(*ref)

    def change() -> None:
        if ips.get(target["id"]) is target:
            apply_dns_ptr(target["dns_ptr"], target["type"], address, dns_ptr)
            project.touch(PRIMARY_IP_KIND, target["id"], "dns_ptr")

    action = project.start_action("change_dns_ptr", [ref], on_success=change, locks=[ref])
    return json_response({"action": action}, status=201)


def register(registry: Registry) -> None:
    """Link Primary IPs and servers: the index, the derived fields and the server hooks."""
    registry.part(Assignments)
    registry.on_change(PRIMARY_IP_KIND, lambda p, iid, f: p.part(Assignments).changed(iid, f))
    registry.on_refresh(lambda p, everything: p.part(Assignments).refresh(everything))
    registry.derive(SERVER.name, lambda p, sid, server: p.part(Assignments).derive(sid, server))
    registry.on_create(SERVER.name, ("public_net.ipv4", "public_net.ipv6"), _assign_on_create)
    registry.on_delete(SERVER.name, lambda p, sid, server: release_held(p, (SERVER.name, sid)))
    registry.routes([web.post(f"{SERVER.item_path}/actions/change_dns_ptr", change_server_dns_ptr)])
