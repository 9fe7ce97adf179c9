"""The action engine: running actions, their end times, locks, chained and scripted failures.

Nothing runs in the background. ``tick()`` ends the actions whose time has come, in the order
they end, and applies their effects. Running actions wait in a heap of their end times, and an
action's ``progress`` is computed when it is served, so a request does not walk every action.

An action may lock resources of any kind (``locks=[("volume", 7)]``: a second locking action
answers ``423 locked``) and may hold keys while it runs (``holds``), which a module reads to
show a transient state (a firewall ``pending`` on a server). Every start and end of a lock or
hold calls ``on_touch`` with the resource it concerns, so derived fields can follow.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from heapq import heappop, heappush
from typing import Any

from ..timebase import Timebase
from .table import Json

__all__ = ["ActionEngine", "ActionFailure", "ActionRun", "Effect", "Hold", "Ref"]

Effect = Callable[[], None]
#: A resource: its kind (the ``type`` in an action's ``resources``) and its id.
Ref = tuple[str, int]
#: A key held while an action runs, and the resource whose derived fields show it.
Hold = tuple[Hashable, Ref]


def _percent(start: float, end: float, now: float) -> int:
    """Return the progress (0-99) of a running action at ``now``."""
    span = end - start
    done = 0.0 if now <= start or span <= 0 else (now - start) / span
    return min(99, int(done * 100))


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
    locks: tuple[Ref, ...] = ()
    holds: tuple[Hold, ...] = ()
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

    def matches(self, command: str, resources: Iterable[Ref]) -> bool:
        """Tell whether a new action with this command and these resources should fail."""
        if self.command is not None and self.command != command:
            return False
        return self.resource_id is None or any(rid == self.resource_id for _, rid in resources)


class ActionEngine:
    """Every action of a project, the running ones, and what they lock."""

    def __init__(
        self,
        timebase: Timebase,
        duration_of: Callable[[str], float],
        next_id: Callable[[], int],
        on_touch: Callable[[Ref], None],
    ) -> None:
        self.timebase = timebase
        self.duration_of = duration_of
        self._next_id = next_id
        self._on_touch = on_touch
        self.actions: dict[int, Json] = {}
        self.runs: dict[int, ActionRun] = {}
        self.failures: list[ActionFailure] = []
        self._locks: Counter[Ref] = Counter()
        self._holds: Counter[Hashable] = Counter()
        self._by_resource: dict[Ref, list[int]] = {}
        self._by_kind: dict[str, dict[int, None]] = {}
        # (due, action id) of every run, and the clock of the last two ticks.
        self._due: list[tuple[float, int]] = []
        self._ticks = 0
        self._now = self._prev_now = timebase.now()

    # --- starting -------------------------------------------------------------------------------

    def start(
        self,
        command: str,
        resources: list[Ref],
        *,
        after: Json | None = None,
        on_success: Effect | None = None,
        on_error: Effect | None = None,
        locks: Iterable[Ref] = (),
        holds: Iterable[Hold] = (),
    ) -> Json:
        """Create a running action; with ``after``, it runs once that action has ended."""
        start = self.timebase.now()
        parent = self.runs.get(after["id"]) if after is not None else None
        if parent is not None:
            start = parent.end
        end = start + self.duration_of(command)
        run = ActionRun(
            start=start,
            end=end,
            on_success=on_success,
            on_error=on_error,
            locks=tuple(locks),
            holds=tuple(holds),
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
        action_id = self._next_id()
        action: Json = {
            "id": action_id,
            "command": command,
            "status": "running",
            "progress": 0,
            "started": self.timebase.iso(),
            "finished": None,
            "resources": [{"id": rid, "type": kind} for kind, rid in resources],
            "error": None,
        }
        self.actions[action_id] = action
        self.runs[action_id] = run
        for ref in dict.fromkeys(resources):
            self._by_resource.setdefault(ref, []).append(action_id)
            self._by_kind.setdefault(ref[0], {})[action_id] = None
        heappush(self._due, (run.due, action_id))
        if parent is not None:
            parent.children.append(action_id)
        for ref in run.locks:
            self._locks[ref] += 1
            self._on_touch(ref)
        for key, ref in run.holds:
            self._holds[key] += 1
            self._on_touch(ref)
        return action

    def fail_next(
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

    # --- time -------------------------------------------------------------------------------------

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
        for ref in run.locks:
            _decrement(self._locks, ref)
            self._on_touch(ref)
        for key, ref in run.holds:
            _decrement(self._holds, key)
            self._on_touch(ref)
        action = self.actions[action_id]
        action["finished"] = self.timebase.iso(run.end)
        if run.failure is None:
            action["status"] = "success"
            action["progress"] = 100
            if run.on_success is not None:
                run.on_success()
            return
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

    # --- questions ------------------------------------------------------------------------------

    def locked(self, ref: Ref) -> bool:
        """Tell whether a running action locks a resource."""
        return self._locks[ref] > 0

    def holding(self, key: Hashable) -> bool:
        """Tell whether a running action holds a key."""
        return self._holds[key] > 0

    def of(self, kind: str, resource_id: int | None = None) -> list[Json]:
        """Return the actions touching a resource kind (and id), oldest first."""
        if resource_id is not None:
            ids: Iterable[int] = self._by_resource.get((kind, resource_id), ())
        else:
            ids = self._by_kind.get(kind, {})
        return [self.actions[a] for a in ids if a in self.actions]
