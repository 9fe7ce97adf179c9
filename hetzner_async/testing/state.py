"""The fake's in-memory project: resources as plain JSON dicts, and the action engine.

Nothing runs in the background. Every request first calls ``tick()``, which ends the actions
whose time has come (in the order they end) and applies their effects; ``refresh()`` then
recomputes the fields derived from several resources (``locked``, ``public_net.firewalls``,
``applied_to_resources``) whenever something changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .catalog import Catalog
from .labels import LabelSelectorError, parse_selector
from .timebase import Timebase

__all__ = ["ActionFailure", "ActionRun", "FakeState", "ServerSecrets"]

Json = dict[str, Any]
Effect = Callable[[], None]

_FIRST_IDS = {
    "server": 1_000_001,
    "ssh_key": 2_000_001,
    "firewall": 3_000_001,
    "action": 4_000_001,
    "primary_ip": 5_000_001,
}


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
        self.servers: dict[int, Json] = {}
        self.ssh_keys: dict[int, Json] = {}
        self.firewalls: dict[int, Json] = {}
        self.actions: dict[int, Json] = {}
        self.server_secrets: dict[int, ServerSecrets] = {}
        self.runs: dict[int, ActionRun] = {}
        self.failures: list[ActionFailure] = []
        self._ids = dict(_FIRST_IDS)
        self._locks: Counter[int] = Counter()
        self._pending: Counter[tuple[int, int]] = Counter()
        self.dirty = True

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
        run = ActionRun(
            start=start,
            end=start + self.duration_of(command),
            on_success=on_success,
            on_error=on_error,
            locks=tuple(locks),
            pending_firewalls=tuple(pending_firewalls),
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
        if after is not None and after["id"] in self.runs:
            self.runs[after["id"]].children.append(action_id)
        self._locks.update(run.locks)
        self._pending.update(run.pending_firewalls)
        self.dirty = True
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

    def tick(self) -> None:
        """End the actions whose time has come, in order, and update the others' progress."""
        if not self.runs:
            return
        now = self.timebase.now()
        for action_id in sorted(self.runs, key=lambda a: (self.runs[a].end, a)):
            run = self.runs.get(action_id)
            if run is None:
                continue
            if now >= run.end:
                self._finish(action_id, run)
            else:
                span = run.end - run.start
                done = 0.0 if now <= run.start or span <= 0 else (now - run.start) / span
                self.actions[action_id]["progress"] = min(99, int(done * 100))

    def _finish(self, action_id: int, run: ActionRun) -> None:
        del self.runs[action_id]
        self._locks.subtract(run.locks)
        self._pending.subtract(run.pending_firewalls)
        self._locks = +self._locks
        self._pending = +self._pending
        action = self.actions[action_id]
        action["finished"] = self.timebase.iso(run.end)
        if run.failure is None:
            action["status"] = "success"
            action["progress"] = 100
            if run.on_success is not None:
                run.on_success()
        else:
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
        self.dirty = True

    def server_locked(self, server_id: int) -> bool:
        """Tell whether an action is running on a server."""
        return self._locks[server_id] > 0

    def actions_of(self, kind: str, resource_id: int | None = None) -> list[Json]:
        """Return the actions touching a resource kind (and id)."""
        return [
            a
            for a in self.actions.values()
            if any(
                r["type"] == kind and (resource_id is None or r["id"] == resource_id)
                for r in a["resources"]
            )
        ]

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

    def selector_matches(self, selector: str) -> list[int]:
        """Return the ids of the servers a label selector matches."""
        try:
            parsed = parse_selector(selector)
        except LabelSelectorError:
            return []
        return [sid for sid, s in sorted(self.servers.items()) if parsed.matches(s["labels"])]

    def refresh(self) -> None:
        """Recompute ``locked``, servers' firewalls and selectors' matches if anything changed."""
        if not self.dirty:
            return
        per_server: dict[int, list[int]] = {sid: [] for sid in self.servers}
        for fw_id in sorted(self.firewalls):
            firewall = self.firewalls[fw_id]
            for entry in firewall["applied_to"]:
                if entry["type"] == "label_selector":
                    matched = self.selector_matches(entry["label_selector"]["selector"])
                    entry["applied_to_resources"] = [
                        {"type": "server", "server": {"id": sid}} for sid in matched
                    ]
            for sid in self.firewall_servers(firewall):
                per_server[sid].append(fw_id)
        for sid, server in self.servers.items():
            server["locked"] = self._locks[sid] > 0
            server["public_net"]["firewalls"] = [
                {"id": fw_id, "status": "pending" if self._pending[(fw_id, sid)] else "applied"}
                for fw_id in per_server[sid]
            ]
        self.dirty = False

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
