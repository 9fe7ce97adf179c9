"""The fake's in-memory project: resources as plain JSON dicts, and the action engine.

Nothing runs in the background. Every request first calls ``tick()``, which ends the actions
whose time has come (in the order they end) and applies their effects; ``refresh()`` then
recomputes the fields derived from several resources (``locked``, ``public_net.firewalls``,
``applied_to_resources``) of what changed since it last ran.

The work per request does not grow with the number of resources: running actions wait in a heap
of their end times, an action's ``progress`` is computed when it is served, the tables of
servers, SSH keys and firewalls index their names, and ``refresh()`` only revisits the servers
and firewalls that changed (or that a label selector could now match). Code that edits
resources in place, around the handlers, sets ``dirty`` so that the next ``refresh()``
recomputes everything.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from heapq import heappop, heappush
from typing import Any

from .catalog import Catalog
from .labels import LabelSelector, LabelSelectorError, Operator, parse_selector
from .timebase import Timebase

__all__ = ["ActionFailure", "ActionRun", "FakeState", "ServerSecrets", "Table"]

Json = dict[str, Any]
Effect = Callable[[], None]

_FIRST_IDS = {
    "server": 1_000_001,
    "ssh_key": 2_000_001,
    "firewall": 3_000_001,
    "action": 4_000_001,
    "primary_ip": 5_000_001,
}


class Table(dict[int, Json]):
    """Resources by id (a plain ``dict``) that also indexes them by ``name``.

    Inserting, replacing and deleting keep the index current; a rename must go through
    ``rename``. A name changed in place is found again once the table is marked ``stale``
    (``FakeState.dirty = True`` does that): the next lookup rebuilds the index.
    """

    def __init__(
        self,
        on_change: Callable[[int], None] | None = None,
        on_clear: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self._names: dict[str, set[int]] = {}
        self._name_of: dict[int, str] = {}
        self._on_change = on_change
        self._on_clear = on_clear
        #: Whether names may have changed in place (the next lookup reindexes).
        self.stale = False

    # --- the index ------------------------------------------------------------------------------

    def _index(self, rid: int, resource: Json) -> None:
        name = resource.get("name") if isinstance(resource, Mapping) else None
        if isinstance(name, str):
            self._names.setdefault(name, set()).add(rid)
            self._name_of[rid] = name

    def _unindex(self, rid: int) -> None:
        name = self._name_of.pop(rid, None)
        if name is not None:
            ids = self._names.get(name)
            if ids is not None:
                ids.discard(rid)
                if not ids:
                    del self._names[name]

    def _changed(self, rid: int) -> None:
        if self._on_change is not None:
            self._on_change(rid)

    def reindex(self) -> None:
        """Rebuild the name index from the resources as they are now."""
        self._names.clear()
        self._name_of.clear()
        for rid, resource in self.items():
            self._index(rid, resource)
        self.stale = False

    def ids_named(self, name: str) -> list[int]:
        """Return the ids of the resources with this name (in table order)."""
        if self.stale:
            self.reindex()
        ids = self._names.get(name)
        if not ids:
            return []
        found = [rid for rid in ids if rid in self and self[rid].get("name") == name]
        if len(found) > 1:
            order = {rid: n for n, rid in enumerate(self)}
            found.sort(key=order.__getitem__)
        return found

    def named(self, name: str) -> list[Json]:
        """Return the resources with this name (in table order)."""
        return [self[rid] for rid in self.ids_named(name)]

    def has_name(self, name: str, exclude: int | None = None) -> bool:
        """Tell whether a resource other than the one with id ``exclude`` has this name."""
        return any(rid != exclude for rid in self.ids_named(name))

    def rename(self, rid: int, name: str) -> None:
        """Set a resource's name and index it under the new one."""
        self._unindex(rid)
        self[rid]["name"] = name
        self._index(rid, self[rid])

    # --- dict methods that add or remove -----------------------------------------------------

    def __setitem__(self, rid: int, resource: Json) -> None:
        """Store a resource (replacing one with the same id) and index its name."""
        self._unindex(rid)
        super().__setitem__(rid, resource)
        self._index(rid, resource)
        self._changed(rid)

    def __delitem__(self, rid: int) -> None:
        """Remove a resource."""
        super().__delitem__(rid)
        self._unindex(rid)
        self._changed(rid)

    def pop(self, rid: int, *default: Any) -> Any:
        """Remove a resource and return it (or ``default`` when there is none)."""
        if rid not in self:
            if default:
                return default[0]
            raise KeyError(rid)
        resource = super().pop(rid)
        self._unindex(rid)
        self._changed(rid)
        return resource

    def popitem(self) -> tuple[int, Json]:
        """Remove and return the last resource."""
        rid, resource = super().popitem()
        self._unindex(rid)
        self._changed(rid)
        return rid, resource

    def setdefault(self, rid: int, default: Json) -> Json:
        """Return a resource, storing ``default`` first when there is none."""
        if rid not in self:
            self[rid] = default
        return self[rid]

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Store several resources."""
        for rid, resource in dict(*args, **kwargs).items():
            self[rid] = resource

    def __ior__(self, other: Any) -> Table:  # type: ignore[override,misc]
        """Store several resources (``table |= {...}``)."""
        self.update(other)
        return self

    def clear(self) -> None:
        """Remove every resource."""
        super().clear()
        self._names.clear()
        self._name_of.clear()
        if self._on_clear is not None:
            self._on_clear()


def _percent(start: float, end: float, now: float) -> int:
    """Return the progress (0-99) of a running action at ``now``."""
    span = end - start
    done = 0.0 if now <= start or span <= 0 else (now - start) / span
    return min(99, int(done * 100))


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


def _decrement(counter: Counter[Any], key: Any) -> None:
    count = counter[key] - 1
    if count > 0:
        counter[key] = count
    else:
        counter.pop(key, None)


@dataclass
class ActionRun:
    """The timing and consequences of a running action."""

    start: float
    end: float
    failure: tuple[str, str] | None = None
    on_success: Effect | None = None
    on_error: Effect | None = None
    children: list[int] = field(default_factory=list)
    locks: tuple[int, ...] = ()
    pending_firewalls: tuple[tuple[int, int], ...] = ()
    #: The end it was scheduled with (its place in the heap; ``end`` may only come earlier).
    due: float = 0.0
    #: The number of ticks before it started: later ticks see it running.
    created_tick: int = 0


@dataclass
class ActionFailure:
    """A scripted failure: the next matching action ends in ``error`` with this code."""

    command: str | None
    resource_id: int | None
    code: str
    message: str
    times: int = 1

    def matches(self, command: str, resources: Iterable[tuple[str, int]]) -> bool:
        """Tell whether a new action with this command and these resources should fail."""
        if self.command is not None and self.command != command:
            return False
        return self.resource_id is None or any(rid == self.resource_id for _, rid in resources)


@dataclass
class ServerSecrets:
    """What the API keeps about a server but never shows in the server object."""

    ssh_keys: list[int] = field(default_factory=list)
    user_data: str | None = None


class FakeState:
    """The resources of one project and the actions running on them."""

    def __init__(self, timebase: Timebase, duration_of: Callable[[str], float]) -> None:
        self.timebase = timebase
        self.duration_of = duration_of
        self.catalog = Catalog()
        self.servers = Table(on_change=self._server_changed, on_clear=self._cleared)
        self.ssh_keys = Table(on_clear=self._cleared)
        self.firewalls = Table(on_change=self._firewall_changed, on_clear=self._cleared)
        self.actions: dict[int, Json] = {}
        self.server_secrets: dict[int, ServerSecrets] = {}
        self.runs: dict[int, ActionRun] = {}
        self.failures: list[ActionFailure] = []
        self._ids = dict(_FIRST_IDS)
        self._locks: Counter[int] = Counter()
        self._pending: Counter[tuple[int, int]] = Counter()
        # The action engine: (due, action id) of every run, and the clock of the last two ticks.
        self._due: list[tuple[float, int]] = []
        self._ticks = 0
        self._now = self._prev_now = timebase.now()
        self._by_resource: dict[tuple[str, int], list[int]] = {}
        # What ``refresh`` must revisit, and what it derived (firewall id -> server ids).
        self._stale_servers: set[int] = set()
        self._relabelled: set[int] = set()
        self._changed_firewalls: set[int] = set()
        self._direct: dict[int, set[int]] = {}
        self._selectors: dict[int, list[tuple[Json, LabelSelector | None]]] = {}
        self._selected: dict[int, set[int]] = {}
        # Servers by label (key, value), for selectors that name values; and what was indexed.
        self._by_label: dict[tuple[str, str], set[int]] = {}
        self._indexed_labels: dict[int, list[tuple[str, str]]] = {}
        self._dirty = True

    @property
    def dirty(self) -> bool:
        """Whether the next ``refresh`` recomputes every derived field (and the name indexes).

        Set it after changing resources in place, other than through the handlers.
        """
        return self._dirty

    @dirty.setter
    def dirty(self, value: bool) -> None:
        self._dirty = value
        if value:
            for table in (self.servers, self.ssh_keys, self.firewalls):
                table.stale = True

    def _server_changed(self, sid: int) -> None:
        self._relabelled.add(sid)

    def _firewall_changed(self, fid: int) -> None:
        self._changed_firewalls.add(fid)

    def _cleared(self) -> None:
        self.dirty = True

    def server_changed(self, server_id: int) -> None:
        """Note that a server's labels changed (selectors may match it, or no longer)."""
        self._relabelled.add(server_id)

    def firewall_changed(self, firewall_id: int) -> None:
        """Note that a firewall's ``applied_to`` changed."""
        self._changed_firewalls.add(firewall_id)

    # --- ids and time -------------------------------------------------------------------------

    def next_id(self, kind: str) -> int:
        """Return a fresh id for a resource kind."""
        value = self._ids[kind]
        self._ids[kind] = value + 1
        return value

    def now_iso(self) -> str:
        """Return the current time in RFC 3339."""
        return self.timebase.iso()

    # --- actions --------------------------------------------------------------------------------

    def start_action(
        self,
        command: str,
        resources: list[tuple[str, int]],
        *,
        after: Json | None = None,
        on_success: Effect | None = None,
        on_error: Effect | None = None,
        locks: Iterable[int] = (),
        pending_firewalls: Iterable[tuple[int, int]] = (),
    ) -> Json:
        """Create a running action; with ``after``, it runs once that action has ended."""
        now = self.timebase.now()
        start = now
        if after is not None and after["id"] in self.runs:
            parent = self.runs[after["id"]]
            start = parent.end
        end = start + self.duration_of(command)
        run = ActionRun(
            start=start,
            end=end,
            on_success=on_success,
            on_error=on_error,
            locks=tuple(locks),
            pending_firewalls=tuple(pending_firewalls),
            due=end,
            created_tick=self._ticks,
        )
        for script in self.failures:
            if script.matches(command, resources):
                run.failure = (script.code, script.message)
                script.times -= 1
                if script.times <= 0:
                    self.failures.remove(script)
                break
        action_id = self.next_id("action")
        action: Json = {
            "id": action_id,
            "command": command,
            "status": "running",
            "progress": 0,
            "started": self.now_iso(),
            "finished": None,
            "resources": [{"id": rid, "type": kind} for kind, rid in resources],
            "error": None,
        }
        self.actions[action_id] = action
        self.runs[action_id] = run
        for kind, rid in dict.fromkeys(resources):
            self._by_resource.setdefault((kind, rid), []).append(action_id)
        heappush(self._due, (run.due, action_id))
        if after is not None and after["id"] in self.runs:
            self.runs[after["id"]].children.append(action_id)
        self._locks.update(run.locks)
        self._pending.update(run.pending_firewalls)
        self._stale_servers.update(run.locks)
        self._stale_servers.update(sid for _, sid in run.pending_firewalls)
        return action

    def fail_next_action(
        self,
        command: str | None = None,
        *,
        code: str = "action_failed",
        message: str = "Action failed",
        resource_id: int | None = None,
        times: int = 1,
    ) -> ActionFailure:
        """Make the next ``times`` actions with this command (and resource) end in error."""
        script = ActionFailure(command, resource_id, code, message, times)
        self.failures.append(script)
        return script

    def tick(self, *, progress: bool = True) -> None:
        """End the actions whose time has come, in order, and update the others' progress.

        With ``progress=False`` (every request) the running actions' ``progress`` is left as
        it is: ``current`` brings an action up to date when it is served.
        """
        now = self.timebase.now()
        self._prev_now, self._now = self._now, now
        self._ticks += 1
        if not self.runs:
            self._due.clear()
            return
        due = self._due
        # Children of a failed action end with it, at the place their own end gave them.
        early: list[tuple[float, int]] = []
        while due and due[0][0] <= now:
            _, action_id = heappop(due)
            run = self.runs.get(action_id)
            if run is None:
                continue
            if now >= run.end:
                self._finish(action_id, run, early)
            else:
                heappush(due, (run.end, action_id))  # only if ``end`` was moved by hand
        while early:
            _, action_id = heappop(early)
            run = self.runs.get(action_id)
            if run is not None and now >= run.end:
                self._finish(action_id, run, early)
        if progress:
            for action_id, run in self.runs.items():
                if run.created_tick < self._ticks:
                    self.actions[action_id]["progress"] = _percent(run.start, run.end, now)

    def current(self, action: Json) -> Json:
        """Bring a running action's ``progress`` up to the last tick; return the action."""
        run = self.runs.get(action["id"])
        if run is not None and run.created_tick < self._ticks:
            action["progress"] = _percent(run.start, run.end, self._now)
        return action

    def _finish(self, action_id: int, run: ActionRun, early: list[tuple[float, int]]) -> None:
        del self.runs[action_id]
        for sid in run.locks:
            _decrement(self._locks, sid)
            self._stale_servers.add(sid)
        for key in run.pending_firewalls:
            _decrement(self._pending, key)
            self._stale_servers.add(key[1])
        action = self.actions[action_id]
        action["finished"] = self.timebase.iso(run.end)
        if run.failure is None:
            action["status"] = "success"
            action["progress"] = 100
            if run.on_success is not None:
                run.on_success()
        else:
            if run.created_tick < self._ticks - 1:
                # As the previous tick left it.
                action["progress"] = _percent(run.start, run.due, self._prev_now)
            code, message = run.failure
            action["status"] = "error"
            action["error"] = {"code": code, "message": message}
            if run.on_error is not None:
                run.on_error()
            for child_id in run.children:
                child = self.runs.get(child_id)
                if child is not None:
                    child.failure = ("action_failed", f"action {action_id} failed")
                    child.end = min(child.end, run.end)
                    heappush(early, (child.due, child_id))

    def server_locked(self, server_id: int) -> bool:
        """Tell whether an action is running on a server."""
        return self._locks[server_id] > 0

    def actions_of(self, kind: str, resource_id: int | None = None) -> list[Json]:
        """Return the actions touching a resource kind (and id)."""
        if resource_id is not None:
            ids = self._by_resource.get((kind, resource_id), ())
            return [self.actions[a] for a in ids if a in self.actions]
        return [a for a in self.actions.values() if any(r["type"] == kind for r in a["resources"])]

    # --- changes to several resources -----------------------------------------------------------

    def _direct_of(self, firewall_id: int) -> set[int] | None:
        """Return the servers a firewall names directly, if that is known without a scan."""
        if self._dirty or firewall_id in self._changed_firewalls:
            return None
        return self._direct.get(firewall_id)

    def attach_firewall(self, firewall_id: int, server_id: int) -> None:
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
            self._stale_servers.add(server_id)

    def remove_server(self, server_id: int) -> None:
        """Forget a deleted server, its secrets and the firewall entries naming it."""
        self.servers.pop(server_id, None)
        self.server_secrets.pop(server_id, None)
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

    # --- derived fields -------------------------------------------------------------------------

    def firewall_servers(self, firewall: Json) -> list[int]:
        """Return the ids of the servers a firewall applies to, directly or by selector."""
        ids: list[int] = []
        for entry in firewall["applied_to"]:
            if entry["type"] == "server":
                ids.append(entry["server"]["id"])
            else:
                ids.extend(r["server"]["id"] for r in entry.get("applied_to_resources", []))
        return list(dict.fromkeys(sid for sid in ids if sid in self.servers))

    def _index_labels(self, server_id: int, server: Json | None) -> None:
        for pair in self._indexed_labels.pop(server_id, ()):
            ids = self._by_label.get(pair)
            if ids is not None:
                ids.discard(server_id)
                if not ids:
                    del self._by_label[pair]
        labels = None if server is None else server.get("labels")
        if isinstance(labels, Mapping):
            pairs = [(k, v) for k, v in labels.items() if isinstance(k, str) and isinstance(v, str)]
            for pair in pairs:
                self._by_label.setdefault(pair, set()).add(server_id)
            self._indexed_labels[server_id] = pairs

    def servers_matching(self, selector: LabelSelector) -> list[Json]:
        """Return the servers a parsed label selector matches (in no particular order).

        A selector that requires a key to have one of some values only looks at the servers
        labelled so; others look at every server.
        """
        self.refresh()
        best: set[int] | None = None
        for req in selector.requirements:
            if req.operator in (Operator.EQUALS, Operator.IN):
                ids: set[int] = set()
                for value in req.values:
                    ids |= self._by_label.get((req.key, value), set())
                if best is None or len(ids) < len(best):
                    best = ids
        if best is None:
            return [s for s in self.servers.values() if selector.matches(s["labels"])]
        found = (self.servers.get(sid) for sid in best)
        return [s for s in found if s is not None and selector.matches(s["labels"])]

    def selector_matches(self, selector: str) -> list[int]:
        """Return the ids of the servers a label selector matches."""
        try:
            parsed = parse_selector(selector)
        except LabelSelectorError:
            return []
        return [sid for sid, s in sorted(self.servers.items()) if parsed.matches(s["labels"])]

    def _members(self, firewall_id: int) -> set[int]:
        return self._direct.get(firewall_id, set()) | self._selected.get(firewall_id, set())

    def _index_firewall(self, firewall_id: int, ordered: _Sorted) -> None:
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

    def _derive(self, server_id: int, server: Json, firewall_order: list[int]) -> None:
        """Set a server's ``locked`` and ``public_net.firewalls``."""
        server["locked"] = self._locks[server_id] > 0
        server["public_net"]["firewalls"] = [
            {
                "id": fid,
                "status": "pending" if self._pending[(fid, server_id)] else "applied",
            }
            for fid in firewall_order
            if server_id in self._direct.get(fid, ()) or server_id in self._selected.get(fid, ())
        ]

    def refresh(self) -> None:
        """Recompute ``locked``, servers' firewalls and selectors' matches where things changed."""
        if self._dirty:
            self._refresh_all()
            return
        if not (self._changed_firewalls or self._relabelled or self._stale_servers):
            return
        if self._changed_firewalls:
            ordered = _Sorted(self.servers)
            changed, self._changed_firewalls = self._changed_firewalls, set()
            for fid in sorted(changed):
                before = self._members(fid)
                self._index_firewall(fid, ordered)
                self._stale_servers |= before ^ self._members(fid)
        if self._relabelled:
            relabelled, self._relabelled = self._relabelled, set()
            for sid in relabelled:
                self._index_labels(sid, self.servers.get(sid))
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
            self._stale_servers |= relabelled
        stale, self._stale_servers = self._stale_servers, set()
        firewall_order = sorted(self.firewalls)
        for sid in stale:
            server = self.servers.get(sid)
            if server is not None:
                self._derive(sid, server, firewall_order)

    def _refresh_all(self) -> None:
        self._direct.clear()
        self._selectors.clear()
        self._selected.clear()
        self._by_label.clear()
        self._indexed_labels.clear()
        for sid, server in self.servers.items():
            self._index_labels(sid, server)
        ordered = _Sorted(self.servers)
        firewall_order = sorted(self.firewalls)
        for fid in firewall_order:
            self._index_firewall(fid, ordered)
        for sid, server in self.servers.items():
            self._derive(sid, server, firewall_order)
        self._changed_firewalls.clear()
        self._relabelled.clear()
        self._stale_servers.clear()
        self._dirty = False

    def snapshot(self) -> Json:
        """Return every resource as JSON (for ``GET /_fake/state``)."""
        self.tick()
        self.refresh()
        return {
            "servers": list(self.servers.values()),
            "ssh_keys": list(self.ssh_keys.values()),
            "firewalls": list(self.firewalls.values()),
            "actions": list(self.actions.values()),
        }
