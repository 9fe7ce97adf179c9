"""Which servers each load balancer targets, their health, and servers' ``load_balancers``.

A load balancer's ``targets`` (server, label selector and IP entries) are the source of truth.
From them this part derives, incrementally: the servers a label selector matches (its
``targets[]``, kept sorted by id as servers are created, relabelled or deleted), every
target's ``health_status`` per service port, and each server's ``load_balancers``.

Health follows the target's state, as the real health checks would see it: a running server
is ``healthy`` on every service port, a server that is off (or starting, stopping...) or that
the load balancer cannot reach (no public IPv4 for a public target, no shared network for a
private one) is ``unhealthy``; a target or service whose ``add_*``/``update_service`` action
still runs is ``unknown``. IP targets (root servers outside the cloud) count as ``healthy``,
a private one only while the load balancer is in a network.
A deleted server's server targets are removed from every load balancer.

Work stays proportional to what changed: a server whose state changed (it is stale, so its
derived fields are recomputed) updates only the entries that show it (an index from server
to entries), a relabelled server is checked against the label selectors only, and a load
balancer is re-indexed only when its targets change.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable

from ..core import Fields, Json, Project, Registry
from ..labels import LabelSelector, LabelSelectorError, parse_selector
from .load_balancer_base import LOAD_BALANCER, private_ip, service_hold, target_hold, target_key
from .load_balancer_networks import networks_of, shares_network

__all__ = ["LoadBalancerLinks", "register"]

SERVER = "server"
LB = LOAD_BALANCER.name
#: A target entry showing a server, and the hold key that makes it ``unknown``.
Shown = tuple[Json, Hashable]


def _server_id(entry: Json) -> int:
    return int(entry["server"]["id"])


class LoadBalancerLinks:
    """The index of load balancers to the servers they target, for one project (a part)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.servers = project.tables[SERVER]
        self.lbs = project.tables[LB]
        # What ``refresh`` must revisit.
        self._changed: set[int] = set()
        self._relabelled: set[int] = set()
        self._deleted: set[int] = set()
        # What it derived: lb id -> server id -> entries showing that server; server id ->
        # lb ids; lb id -> its label selector entries (parsed, and their hold key).
        self._shown: dict[int, dict[int, list[Shown]]] = {}
        self._lbs_of: dict[int, set[int]] = {}
        self._selectors: dict[int, list[tuple[Json, LabelSelector | None, Hashable]]] = {}

    # --- hearing of changes -------------------------------------------------------------------

    def server_changed(self, server_id: int, fields: Fields) -> None:
        """Note a server stored, removed or relabelled (selectors may match it, or no longer).

        A change of its state (status, addresses, networks) makes the server stale; its
        targets' health is recomputed with its derived fields (``derive_server``).
        """
        if fields is None or "labels" in fields:
            self._relabelled.add(server_id)

    def server_deleted(self, server_id: int) -> None:
        """Note a deleted server: its server targets go at the next refresh."""
        self._deleted.add(server_id)

    def lb_changed(self, lb_id: int, fields: Fields) -> None:
        """Note a load balancer stored, removed, or whose targets changed."""
        if fields is None or "targets" in fields:
            self._changed.add(lb_id)

    # --- questions ------------------------------------------------------------------------------

    def load_balancers_of(self, server_id: int) -> list[int]:
        """Return the ids of the load balancers targeting a server, directly or by selector."""
        return sorted(self._lbs_of.get(server_id, ()))

    def matched(self, selector: LabelSelector) -> list[int]:
        """Return the ids of the servers a label selector matches now, in id order."""
        return sorted(server["id"] for server in self.servers.matching(selector))

    def health(self, lb: Json, server: Json | None, private: bool, hold: Hashable) -> list[Json]:
        """Return a server target's ``health_status``: one entry per service port."""
        if server is None or server["status"] != "running":
            status = "unhealthy"
        elif private:
            networks = networks_of(self.project, lb["id"])
            status = (
                "healthy" if shares_network(self.project, networks, server["id"]) else "unhealthy"
            )
        else:
            status = "healthy" if server["public_net"].get("ipv4") else "unhealthy"
        return self._per_port(lb, status, hold)

    def _per_port(self, lb: Json, status: str, hold: Hashable) -> list[Json]:
        holding = self.project.engine.holding
        pending = holding(hold)
        return [
            {
                "listen_port": port,
                "status": "unknown" if pending or holding(service_hold(lb["id"], port)) else status,
            }
            for port in (s["listen_port"] for s in lb["services"])
        ]

    # --- the index ------------------------------------------------------------------------------

    def _link(self, lb_id: int, server_id: int, shown: Shown) -> None:
        by_server = self._shown.setdefault(lb_id, {})
        entries = by_server.get(server_id)
        if entries is None:
            entries = by_server[server_id] = []
            self._lbs_of.setdefault(server_id, set()).add(lb_id)
            self.project.mark_stale((SERVER, server_id))
        entries.append(shown)

    def _unlink(self, lb_id: int, server_id: int, entry: Json) -> None:
        by_server = self._shown.get(lb_id, {})
        entries = [s for s in by_server.get(server_id, ()) if s[0] is not entry]
        if entries:
            by_server[server_id] = entries
            return
        by_server.pop(server_id, None)
        self._untarget(lb_id, server_id)

    def _drop(self, lb_id: int) -> None:
        for server_id in self._shown.pop(lb_id, {}):
            self._untarget(lb_id, server_id)
        self._selectors.pop(lb_id, None)

    def _untarget(self, lb_id: int, server_id: int) -> None:
        """Note that the load balancer no longer shows the server: the server is stale."""
        lbs = self._lbs_of.get(server_id)
        if lbs is not None:
            lbs.discard(lb_id)
            if not lbs:
                del self._lbs_of[server_id]
        self.project.mark_stale((SERVER, server_id))

    def _selected_entry(self, selector: Json, server_id: int) -> Json:
        return {
            "type": "server",
            "server": {"id": server_id},
            "health_status": [],
            "use_private_ip": selector["use_private_ip"],
        }

    def _index(self, lb_id: int) -> None:
        """Derive a load balancer's selector matches and which servers it shows."""
        self._drop(lb_id)
        lb = self.lbs.get(lb_id)
        if lb is None:
            return
        kept: list[Json] = []
        selectors: list[tuple[Json, LabelSelector | None, Hashable]] = []
        for entry in lb["targets"]:
            hold = target_hold(lb_id, target_key(entry))
            if entry["type"] == "server":
                if _server_id(entry) not in self.servers:
                    continue  # its server was deleted
                self._link(lb_id, _server_id(entry), (entry, hold))
            elif entry["type"] == "label_selector":
                try:
                    parsed: LabelSelector | None = parse_selector(
                        entry["label_selector"]["selector"]
                    )
                except LabelSelectorError:
                    parsed = None
                matched = [] if parsed is None else self.matched(parsed)
                entry["targets"] = [self._selected_entry(entry, sid) for sid in matched]
                for sub in entry["targets"]:
                    self._link(lb_id, _server_id(sub), (sub, hold))
                selectors.append((entry, parsed, hold))
            kept.append(entry)
        if len(kept) != len(lb["targets"]):
            lb["targets"] = kept
        if selectors:
            self._selectors[lb_id] = selectors
        self.project.mark_stale((LB, lb_id))

    def _forget(self, server_id: int) -> None:
        """Remove a deleted server's server targets from the load balancers naming it."""
        for lb_id in list(self._lbs_of.get(server_id, ())):
            lb = self.lbs.get(lb_id)
            if lb is None:
                continue
            gone = [
                e for e in lb["targets"] if e["type"] == "server" and _server_id(e) == server_id
            ]
            if gone:
                lb["targets"] = [e for e in lb["targets"] if not any(e is g for g in gone)]
                for entry in gone:
                    self._unlink(lb_id, server_id, entry)
                self.project.mark_stale((LB, lb_id))

    def _relabel(self, server_id: int) -> None:
        """Add a server to, or remove it from, the label selectors that now (no longer) match."""
        server = self.servers.get(server_id)
        labels = None if server is None else server["labels"]
        for lb_id, selectors in self._selectors.items():
            lb = self.lbs[lb_id]
            for entry, parsed, hold in selectors:
                hit = labels is not None and parsed is not None and parsed.matches(labels)
                subs: list[Json] = entry["targets"]
                index = bisect_left(subs, server_id, key=_server_id)
                present = index < len(subs) and _server_id(subs[index]) == server_id
                if hit and not present:
                    sub = self._selected_entry(entry, server_id)
                    sub["health_status"] = self.health(lb, server, sub["use_private_ip"], hold)
                    subs.insert(index, sub)
                    self._link(lb_id, server_id, (sub, hold))
                elif present and not hit:
                    self._unlink(lb_id, server_id, subs.pop(index))

    def _reassess(self, server_id: int) -> None:
        """Recompute the health of every entry that shows a server."""
        server = self.servers.get(server_id)
        for lb_id in self._lbs_of.get(server_id, ()):
            lb = self.lbs.get(lb_id)
            if lb is None:
                continue
            for entry, hold in self._shown[lb_id][server_id]:
                entry["health_status"] = self.health(lb, server, entry["use_private_ip"], hold)

    def refresh(self, everything: bool) -> None:
        """Re-index what changed (or everything) and follow servers' labels and state."""
        if everything:
            self._shown.clear()
            self._lbs_of.clear()
            self._selectors.clear()
            for lb_id in sorted(self.lbs):
                self._index(lb_id)
            for pending in (self._changed, self._relabelled, self._deleted):
                pending.clear()
            return
        if self._deleted:
            deleted, self._deleted = self._deleted, set()
            for server_id in deleted:
                self._forget(server_id)
        if self._changed:
            changed, self._changed = self._changed, set()
            for lb_id in sorted(changed):
                self._index(lb_id)
        if self._relabelled:
            relabelled, self._relabelled = self._relabelled, set()
            if self._selectors:
                for server_id in sorted(relabelled):
                    self._relabel(server_id)

    # --- derived fields -------------------------------------------------------------------------

    def derive_lb(self, lb_id: int, lb: Json) -> None:
        """Recompute the health of every target of a load balancer (services or actions changed)."""
        for entry in lb["targets"]:
            hold = target_hold(lb_id, target_key(entry))
            if entry["type"] == "server":
                server = self.servers.get(_server_id(entry))
                entry["health_status"] = self.health(lb, server, entry["use_private_ip"], hold)
            elif entry["type"] == "label_selector":
                for sub in entry["targets"]:
                    server = self.servers.get(_server_id(sub))
                    sub["health_status"] = self.health(lb, server, sub["use_private_ip"], hold)
            else:
                # A private IP (a vSwitch's) is reached through the load balancer's network.
                reachable = not private_ip(entry["ip"]["ip"]) or networks_of(self.project, lb_id)
                status = "healthy" if reachable else "unhealthy"
                entry["health_status"] = self._per_port(lb, status, hold)

    def derive_server(self, server_id: int, server: Json) -> None:
        """Set a server's ``load_balancers``; show its state in the targets that show it."""
        server["load_balancers"] = self.load_balancers_of(server_id)
        self._reassess(server_id)


def register(registry: Registry) -> None:
    """Keep the load balancer-server index and derive health and servers' ``load_balancers``."""
    links = LoadBalancerLinks
    registry.part(links)
    registry.on_change(SERVER, lambda p, sid, fields: p.part(links).server_changed(sid, fields))
    registry.on_change(LB, lambda p, lb_id, fields: p.part(links).lb_changed(lb_id, fields))
    registry.on_delete(SERVER, lambda p, sid, server: p.part(links).server_deleted(sid))
    registry.on_refresh(lambda p, everything: p.part(links).refresh(everything))
    registry.derive(LB, lambda p, lb_id, lb: p.part(links).derive_lb(lb_id, lb))
    registry.derive(SERVER, lambda p, sid, server: p.part(links).derive_server(sid, server))
