"""Who holds which IP in which private network: the one place attachments live.

Servers (and load balancers, whose module calls the same API) join a network through
``NetworkAddresses``: ``plan`` checks an attachment and picks its IP, ``store`` keeps it,
``release`` gives its IPs back. Everything else is derived from it: a network's ``servers``
and ``load_balancers``, a server's ``private_net``; a load balancer module derives its own
``private_net`` from ``attachments_of("load_balancer", id)``.

The rules are those of ``POST /servers/{id}/actions/attach_to_network``
(https://docs.hetzner.cloud/reference/cloud#server-actions-attach-a-server-to-a-network): an IP
from a ``cloud`` subnet in the member's network zone (``no_subnet_available`` when there is
none, or it is full), a requested IP that is free (``ip_not_available``), one attachment per
network (``server_already_attached``), and no two networks of one member that overlap
(``networks_overlap``). A subnet's first and last address and the network's gateway are never
handed out. Auto-assigned IPs are the lowest free ones; a cursor per subnet keeps that cheap.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address, IPv4Network

from ..core import Json, Project
from ..errors import ApiError, invalid_input
from .network_ranges import CLOUD_TYPES, parse_address, parse_range

__all__ = ["Attachment", "Member", "NetworkAddresses", "network_of", "private_net"]

#: A resource attached to networks: its kind (``"server"``, ``"load_balancer"``) and id.
Member = tuple[str, int]
NETWORK = "network"
#: The error for a second attachment of a member to the same network, by member kind.
ALREADY_ATTACHED = {
    "server": "server_already_attached",
    "load_balancer": "load_balancer_already_attached",
}


@dataclass(frozen=True)
class Attachment:
    """A member's place in a network: its subnet, IP, alias IPs and interface MAC."""

    network: int
    kind: str
    member: int
    subnet: IPv4Network
    ip: IPv4Address
    alias_ips: tuple[IPv4Address, ...] = ()
    mac_address: str = ""

    @property
    def addresses(self) -> tuple[IPv4Address, ...]:
        """Return every IP the member holds in the network."""
        return (self.ip, *self.alias_ips)


def private_net(attachment: Attachment) -> Json:
    """Return an attachment as a server's ``private_net`` entry."""
    return {
        "network": attachment.network,
        "ip": str(attachment.ip),
        "alias_ips": [str(a) for a in attachment.alias_ips],
        "mac_address": attachment.mac_address,
    }


def network_of(project: Project, body: Json) -> Json:
    """Return the network a join request's ``network`` (an ID) names; 404 if there is none."""
    ref = body.get("network")
    if ref is None:
        raise invalid_input({"network": ["is required"]})
    if isinstance(ref, bool) or not isinstance(ref, int):
        raise invalid_input({"network": ["must be an ID (integer)"]})
    network = project.tables[NETWORK].get(ref)
    if network is None:
        raise ApiError(404, "not_found", f"network with ID '{ref}' not found")
    return network


@dataclass
class _Net:
    """What one network hands out: IP -> holder, holder -> attachment, per-subnet cursors."""

    holders: dict[IPv4Address, Member] = field(default_factory=dict)
    members: dict[Member, Attachment] = field(default_factory=dict)
    cursors: dict[IPv4Network, int] = field(default_factory=dict)
    #: Member ids by kind, sorted (the network's ``servers``, ``load_balancers``).
    ids: dict[str, list[int]] = field(default_factory=dict)


class NetworkAddresses:
    """Every attachment of a project (a state part): the source of truth for private IPs."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._nets: dict[int, _Net] = {}
        self._of: dict[Member, dict[int, Attachment]] = {}
        self._macs = 0

    # --- questions ------------------------------------------------------------------------------

    def attachment(self, network_id: int, kind: str, member_id: int) -> Attachment | None:
        """Return a member's attachment to a network, if it is attached."""
        return self._of.get((kind, member_id), {}).get(network_id)

    def attachments_of(self, kind: str, member_id: int) -> list[Attachment]:
        """Return a member's attachments, in the order it joined the networks."""
        return list(self._of.get((kind, member_id), {}).values())

    def members(self, network_id: int, kind: str) -> list[int]:
        """Return the ids of a network's members of one kind, lowest first."""
        net = self._nets.get(network_id)
        return [] if net is None else list(net.ids.get(kind, ()))

    def holder(self, network_id: int, ip: IPv4Address) -> Member | None:
        """Return the member holding an IP of a network, if any."""
        net = self._nets.get(network_id)
        return None if net is None else net.holders.get(ip)

    def holders_in(self, network_id: int, subnet: IPv4Network) -> list[Member]:
        """Return the members holding an IP in a subnet (its ``ip`` or an alias)."""
        net = self._nets.get(network_id)
        if net is None:
            return []
        return [m for m, a in net.members.items() if any(ip in subnet for ip in a.addresses)]

    # --- planning ---------------------------------------------------------------------------------

    def plan(
        self,
        network: Json,
        kind: str,
        member_id: int,
        zone: str,
        *,
        ip: object = None,
        ip_range: object = None,
        alias_ips: object = None,
        beside: Sequence[IPv4Network] = (),
    ) -> Attachment:
        """Check an attachment of a member to a network and pick its IP; store nothing.

        ``beside``: the ranges of networks the member joins in the same request. Raises the
        API's error (``invalid_input``, ``…_already_attached``, ``networks_overlap``,
        ``no_subnet_available``, ``ip_not_available``).
        """
        nid = network["id"]
        requested = None if ip is None else parse_address("ip", ip)
        wanted_range = None if ip_range is None else parse_range("ip_range", ip_range)
        aliases = self._parse_aliases(alias_ips)
        if self.attachment(nid, kind, member_id) is not None:
            code = ALREADY_ATTACHED.get(kind, f"{kind}_already_attached")
            raise ApiError(422, code, f"{kind} {member_id} is already attached to network {nid}")
        own_range = IPv4Network(network["ip_range"])
        joined = [self._range_of(a.network) for a in self.attachments_of(kind, member_id)]
        if any(own_range.overlaps(other) for other in [*joined, *beside]):
            raise ApiError(
                422,
                "networks_overlap",
                f"network {nid} ({own_range}) overlaps another network of {kind} {member_id}",
            )
        subnets = self._subnets(network, zone, wanted_range)
        if requested is not None:
            if wanted_range is not None and requested not in wanted_range:
                raise invalid_input({"ip": [f"{requested} is not within ip_range {wanted_range}"]})
            subnet = next((s for s in subnets if requested in s), None)
            if subnet is None or not self._free(nid, requested, subnet, own_range):
                raise ApiError(422, "ip_not_available", f"IP {requested} is not available")
        else:
            subnet, requested = self._pick(nid, subnets, own_range)
        self._check_aliases(nid, network, aliases, zone, {requested}, (kind, member_id))
        return Attachment(nid, kind, member_id, subnet, requested, tuple(aliases))

    def check_aliases(self, attachment: Attachment, alias_ips: object, zone: str) -> Attachment:
        """Return the attachment with new alias IPs, once they are checked (nothing stored)."""
        network = self.project.tables[NETWORK][attachment.network]
        aliases = self._parse_aliases(alias_ips, required=True)
        member = (attachment.kind, attachment.member)
        self._check_aliases(attachment.network, network, aliases, zone, {attachment.ip}, member)
        return replace(attachment, alias_ips=tuple(aliases))

    def _range_of(self, network_id: int) -> IPv4Network:
        return IPv4Network(self.project.tables[NETWORK][network_id]["ip_range"])

    @staticmethod
    def _parse_aliases(alias_ips: object, *, required: bool = False) -> list[IPv4Address]:
        if alias_ips is None and not required:
            return []
        if not isinstance(alias_ips, list):
            raise invalid_input({"alias_ips": ["must be an array of IPv4 addresses"]})
        aliases = [parse_address("alias_ips", a) for a in alias_ips]
        if len(set(aliases)) != len(aliases):
            raise invalid_input({"alias_ips": ["an alias IP is listed twice"]})
        return aliases

    @staticmethod
    def _subnets(network: Json, zone: str, wanted: IPv4Network | None) -> list[IPv4Network]:
        """Return the cloud subnets in the zone a member may take an IP from."""
        cloud = [s for s in network["subnets"] if s["type"] in CLOUD_TYPES]
        if wanted is not None:
            cloud = [s for s in cloud if IPv4Network(s["ip_range"]) == wanted]
            if not cloud:
                raise invalid_input(
                    {"ip_range": [f"network {network['id']} has no cloud subnet {wanted}"]}
                )
        usable = [IPv4Network(s["ip_range"]) for s in cloud if s["network_zone"] == zone]
        if not usable:
            raise ApiError(
                422,
                "no_subnet_available",
                f"network {network['id']} has no cloud subnet in network zone {zone}",
            )
        return usable

    def _free(self, nid: int, ip: IPv4Address, subnet: IPv4Network, network: IPv4Network) -> bool:
        """Tell whether an IP of a subnet may be handed out (a host address, not held)."""
        reserved = (subnet.network_address, subnet.broadcast_address, network.network_address + 1)
        net = self._nets.get(nid)
        return ip not in reserved and (net is None or ip not in net.holders)

    def _pick(
        self, nid: int, subnets: Iterable[IPv4Network], network: IPv4Network
    ) -> tuple[IPv4Network, IPv4Address]:
        """Return the lowest free IP of the first subnet that has one."""
        net = self._nets.get(nid)
        for subnet in subnets:
            last = int(subnet.broadcast_address)
            position = int(subnet.network_address) + 1
            if net is not None:
                position = max(position, net.cursors.get(subnet, position))
            while position < last:
                candidate = IPv4Address(position)
                if self._free(nid, candidate, subnet, network):
                    if net is not None:
                        net.cursors[subnet] = position
                    return subnet, candidate
                position += 1
            if net is not None:
                net.cursors[subnet] = position
        raise ApiError(422, "no_subnet_available", f"no IP is left in network {nid}'s subnets")

    def _check_aliases(
        self,
        nid: int,
        network: Json,
        aliases: list[IPv4Address],
        zone: str,
        own: set[IPv4Address],
        member: Member,
    ) -> None:
        if not aliases:
            return
        own_range = IPv4Network(network["ip_range"])
        subnets = self._subnets(network, zone, None)
        net = self._nets.get(nid)
        for alias in aliases:
            subnet = next((s for s in subnets if alias in s), None)
            held_by = None if net is None else net.holders.get(alias)
            if (
                alias in own
                or subnet is None
                or (held_by is not None and held_by != member)
                or (held_by is None and not self._free(nid, alias, subnet, own_range))
            ):
                raise ApiError(422, "ip_not_available", f"alias IP {alias} is not available")

    # --- changes --------------------------------------------------------------------------------

    def store(self, attachment: Attachment) -> Attachment:
        """Keep an attachment (one planned just now); give it a MAC unless it has one."""
        if not attachment.mac_address:
            self._macs += 1
            n = self._macs
            mac = f"86:00:00:{n >> 16 & 0xFF:02x}:{n >> 8 & 0xFF:02x}:{n & 0xFF:02x}"
            attachment = replace(attachment, mac_address=mac)
        member = (attachment.kind, attachment.member)
        previous = self.attachment(attachment.network, *member)
        net = self._nets.setdefault(attachment.network, _Net())
        if previous is not None:
            for ip in previous.addresses:
                net.holders.pop(ip, None)
        for ip in attachment.addresses:
            net.holders[ip] = member
        if previous is None:
            insort(net.ids.setdefault(attachment.kind, []), attachment.member)
        net.members[member] = attachment
        self._of.setdefault(member, {})[attachment.network] = attachment
        self._changed(attachment.network, member)
        return attachment

    def release(self, network_id: int, kind: str, member_id: int) -> Attachment | None:
        """Detach a member from a network; return what it held (None if not attached)."""
        member = (kind, member_id)
        attachment = self._of.get(member, {}).pop(network_id, None)
        if attachment is None:
            return None
        if not self._of[member]:
            del self._of[member]
        net = self._nets[network_id]
        del net.members[member]
        ids = net.ids[kind]
        del ids[bisect_left(ids, member_id)]
        for ip in attachment.addresses:
            net.holders.pop(ip, None)
            for subnet, position in net.cursors.items():
                if ip in subnet and int(ip) < position:
                    net.cursors[subnet] = int(ip)
        self._changed(network_id, member)
        return attachment

    def release_member(self, kind: str, member_id: int) -> None:
        """Detach a member from every network (it is being deleted)."""
        for network_id in list(self._of.get((kind, member_id), {})):
            self.release(network_id, kind, member_id)

    def release_network(self, network_id: int) -> None:
        """Detach every member of a network (it is being deleted)."""
        net = self._nets.get(network_id)
        for kind, member_id in list(net.members if net is not None else ()):
            self.release(network_id, kind, member_id)
        self._nets.pop(network_id, None)

    def forget_subnet(self, network_id: int, subnet: IPv4Network) -> None:
        """Drop a deleted subnet's cursor."""
        net = self._nets.get(network_id)
        if net is not None:
            net.cursors.pop(subnet, None)

    def _changed(self, network_id: int, member: Member) -> None:
        self.project.mark_stale((NETWORK, network_id))
        self.project.mark_stale(member)

    # --- derived fields -------------------------------------------------------------------------

    def refresh(self, everything: bool) -> None:
        """After resources were edited around the handlers: drop attachments of the gone."""
        if not everything:
            return
        tables = self.project.tables
        for member in list(self._of):
            kind, member_id = member
            for network_id in list(self._of.get(member, {})):
                gone = network_id not in tables[NETWORK]
                if gone or (kind in tables and member_id not in tables[kind]):
                    self.release(network_id, kind, member_id)

    def derive_network(self, network_id: int, network: Json) -> None:
        """Set a network's ``servers`` and ``load_balancers``."""
        network["servers"] = self.members(network_id, "server")
        network["load_balancers"] = self.members(network_id, "load_balancer")

    def derive_server(self, server_id: int, server: Json) -> None:
        """Set a server's ``private_net``."""
        server["private_net"] = [private_net(a) for a in self.attachments_of("server", server_id)]
