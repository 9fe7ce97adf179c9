"""Which servers each firewall applies to, and what that derives on both sides.

A firewall's ``applied_to`` is the single source of truth. From it this part derives each
label selector entry's ``applied_to_resources`` and each server's ``public_net.firewalls``
(``pending`` while an ``apply_firewall`` action runs). It follows changes incrementally: a
firewall whose ``applied_to`` changed is re-indexed, a server whose labels changed is checked
against the selectors, and only the servers whose membership changed are derived again.
It also applies the ``firewalls`` of a server's create body and forgets deleted servers.
"""

from __future__ import annotations

from bisect import bisect_left

from ..core import Creation, Fields, Json, Project, Registry
from ..core.registry import Commit
from ..errors import invalid_input
from ..labels import LabelSelector, LabelSelectorError, parse_selector

__all__ = ["FirewallLinks", "pending_key", "register"]

FIREWALL = "firewall"
SERVER = "server"


def pending_key(firewall_id: int, server_id: int) -> tuple[str, int, int]:
    """Return the key an ``apply_firewall`` action holds while it runs."""
    return ("apply_firewall", firewall_id, server_id)


def _resource_id(resource: Json) -> int:
    return int(resource["server"]["id"])


def _set_member(resources: list[Json], sid: int, member: bool) -> None:
    """Insert or remove a server in an ``applied_to_resources`` list kept sorted by id."""
    index = bisect_left(resources, sid, key=_resource_id)
    present = index < len(resources) and _resource_id(resources[index]) == sid
    if member and not present:
        resources.insert(index, {"type": "server", "server": {"id": sid}})
    elif present and not member:
        del resources[index]


class _Sorted:
    """The servers sorted by id, sorted only if asked for (by a label selector)."""

    def __init__(self, servers: dict[int, Json]) -> None:
        self._servers = servers
        self._items: list[tuple[int, Json]] | None = None

    def items(self) -> list[tuple[int, Json]]:
        if self._items is None:
            self._items = sorted(self._servers.items())
        return self._items


class FirewallLinks:
    """The index of firewalls to servers of one project (a state part)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.servers = project.tables[SERVER]
        self.firewalls = project.tables[FIREWALL]
        # What ``refresh`` must revisit.
        self._relabelled: set[int] = set()
        self._changed: set[int] = set()
        # What it derived: firewall id -> servers named directly, selectors, servers selected.
        self._direct: dict[int, set[int]] = {}
        self._selectors: dict[int, list[tuple[Json, LabelSelector | None]]] = {}
        self._selected: dict[int, set[int]] = {}
        self._order: list[int] | None = None

    # --- hearing of changes -------------------------------------------------------------------

    def server_changed(self, server_id: int, fields: Fields) -> None:
        """Note a server stored, removed or relabelled (selectors may match it, or no longer)."""
        if fields is None or "labels" in fields:
            self._relabelled.add(server_id)

    def firewall_changed(self, firewall_id: int, fields: Fields) -> None:
        """Note a firewall stored, removed, or whose ``applied_to`` changed."""
        if fields is None:
            self._order = None
        if fields is None or "applied_to" in fields:
            self._changed.add(firewall_id)

    # --- questions ------------------------------------------------------------------------------

    def _direct_of(self, firewall_id: int) -> set[int] | None:
        """Return the servers a firewall names directly, if that is known without a scan."""
        if self.project.dirty or firewall_id in self._changed:
            return None
        return self._direct.get(firewall_id)

    def servers_of(self, firewall: Json) -> list[int]:
        """Return the ids of the servers a firewall applies to, directly or by selector."""
        ids: list[int] = []
        for entry in firewall["applied_to"]:
            if entry["type"] == "server":
                ids.append(entry["server"]["id"])
            else:
                ids.extend(r["server"]["id"] for r in entry.get("applied_to_resources", []))
        return list(dict.fromkeys(sid for sid in ids if sid in self.servers))

    def selector_matches(self, selector: str) -> list[int]:
        """Return the ids of the servers a label selector matches, in id order."""
        try:
            parsed = parse_selector(selector)
        except LabelSelectorError:
            return []
        return sorted(server["id"] for server in self.servers.matching(parsed))

    # --- changes --------------------------------------------------------------------------------

    def attach(self, firewall_id: int, server_id: int) -> None:
        """Apply a firewall to a server directly (an ``applied_to`` entry), once."""
        applied = self.firewalls[firewall_id]["applied_to"]
        direct = self._direct_of(firewall_id)
        if direct is not None:
            present = server_id in direct
        else:
            present = any(e["type"] == "server" and e["server"]["id"] == server_id for e in applied)
        if present:
            return
        applied.append({"type": "server", "server": {"id": server_id}})
        if direct is not None:
            direct.add(server_id)
            self.project.mark_stale((SERVER, server_id))

    def forget_server(self, server_id: int) -> None:
        """Drop the ``applied_to`` entries naming a deleted server."""
        for fid, firewall in self.firewalls.items():
            direct = self._direct_of(fid)
            if direct is not None and server_id not in direct:
                continue
            firewall["applied_to"] = [
                e
                for e in firewall["applied_to"]
                if not (e["type"] == "server" and e["server"]["id"] == server_id)
            ]
            if direct is not None:
                direct.discard(server_id)

    # --- refresh --------------------------------------------------------------------------------

    def _members(self, firewall_id: int) -> set[int]:
        return self._direct.get(firewall_id, set()) | self._selected.get(firewall_id, set())

    def _index(self, firewall_id: int, ordered: _Sorted) -> None:
        """Derive a firewall's selector matches and remember whom it applies to."""
        firewall = self.firewalls.get(firewall_id)
        if firewall is None:
            self._direct.pop(firewall_id, None)
            self._selectors.pop(firewall_id, None)
            self._selected.pop(firewall_id, None)
            return
        direct: set[int] = set()
        selectors: list[tuple[Json, LabelSelector | None]] = []
        selected: set[int] = set()
        for entry in firewall["applied_to"]:
            if entry["type"] == "server":
                direct.add(entry["server"]["id"])
            elif entry["type"] == "label_selector":
                try:
                    parsed: LabelSelector | None = parse_selector(
                        entry["label_selector"]["selector"]
                    )
                except LabelSelectorError:
                    parsed = None
                matched = (
                    []
                    if parsed is None
                    else [sid for sid, s in ordered.items() if parsed.matches(s["labels"])]
                )
                entry["applied_to_resources"] = [
                    {"type": "server", "server": {"id": sid}} for sid in matched
                ]
                selectors.append((entry, parsed))
                selected.update(matched)
        self._direct[firewall_id] = direct
        self._selectors[firewall_id] = selectors
        self._selected[firewall_id] = selected

    def refresh(self, everything: bool) -> None:
        """Re-index what changed (or everything) and mark the servers whose firewalls changed."""
        if everything:
            self._direct.clear()
            self._selectors.clear()
            self._selected.clear()
            self._order = None
            ordered = _Sorted(self.servers)
            for fid in sorted(self.firewalls):
                self._index(fid, ordered)
            self._changed.clear()
            self._relabelled.clear()
            return
        if self._changed:
            ordered = _Sorted(self.servers)
            changed, self._changed = self._changed, set()
            for fid in sorted(changed):
                before = self._members(fid)
                self._index(fid, ordered)
                for sid in before ^ self._members(fid):
                    self.project.mark_stale((SERVER, sid))
        if self._relabelled:
            relabelled, self._relabelled = self._relabelled, set()
            for fid, entries in self._selectors.items():
                if not entries:
                    continue
                selected = self._selected[fid]
                for sid in relabelled:
                    server = self.servers.get(sid)
                    labels = None if server is None else server["labels"]
                    hit_any = False
                    for entry, parsed in entries:
                        hit = labels is not None and parsed is not None and parsed.matches(labels)
                        _set_member(entry["applied_to_resources"], sid, hit)
                        hit_any = hit_any or hit
                    if hit_any:
                        selected.add(sid)
                    else:
                        selected.discard(sid)

    def derive(self, server_id: int, server: Json) -> None:
        """Set a server's ``public_net.firewalls``."""
        if self._order is None:
            self._order = sorted(self.firewalls)
        holding = self.project.engine.holding
        direct, selected = self._direct, self._selected
        server["public_net"]["firewalls"] = [
            {
                "id": fid,
                # pending_key(fid, server_id), spelled out: this runs for every stale server.
                "status": "pending" if holding(("apply_firewall", fid, server_id)) else "applied",
            }
            for fid in self._order
            if server_id in direct.get(fid, ()) or server_id in selected.get(fid, ())
        ]


# --- hooks ----------------------------------------------------------------------------------------


def _apply_on_create(project: Project, creation: Creation) -> Commit | None:
    """Check a new server's ``firewalls``; return what applies them once it is stored."""
    entries = creation.body.get("firewalls")
    if entries is None:
        return None
    if not isinstance(entries, list):
        raise invalid_input({"firewalls": ["must be an array"]})
    firewall_ids: list[int] = []
    for entry in entries:
        ref = entry.get("firewall") if isinstance(entry, dict) else None
        try:
            firewall = project.find(FIREWALL, ref)
        except TypeError:
            raise invalid_input({"firewalls": ["each entry must be {firewall: <id>}"]}) from None
        if firewall is None:
            raise invalid_input({"firewalls": [f"firewall {ref} not found"]})
        firewall_ids.append(firewall["id"])

    def commit() -> None:
        links = project.part(FirewallLinks)
        for fid in dict.fromkeys(firewall_ids):
            links.attach(fid, creation.resource["id"])

    return commit


def register(registry: Registry) -> None:
    """Keep the firewall-server index and contribute servers' ``public_net.firewalls``."""
    links = FirewallLinks
    registry.part(links)
    registry.on_change(SERVER, lambda p, sid, fields: p.part(links).server_changed(sid, fields))
    registry.on_change(FIREWALL, lambda p, fid, fields: p.part(links).firewall_changed(fid, fields))
    registry.on_refresh(lambda p, everything: p.part(links).refresh(everything))
    registry.derive(SERVER, lambda p, sid, server: p.part(links).derive(sid, server))
    registry.on_create(SERVER, ("firewalls",), _apply_on_create)
    registry.on_delete(SERVER, lambda p, sid, server: p.part(links).forget_server(sid))
