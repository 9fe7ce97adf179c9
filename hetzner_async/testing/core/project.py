"""``Project``: the resources of one fake project, their actions, and their derived fields.

Resources are plain JSON dicts in one ``Table`` per kind. Fields that depend on other
resources (a server's ``locked``, its ``public_net.firewalls``) are *derived*: the module that
owns them registers a ``Deriver``, and ``refresh()`` reruns the derivers only for the resources
marked stale since it last ran: those stored, removed or ``touch``-ed, and those an action
started or stopped locking. So the work of a request does not grow with the number of
resources. Code that edits resources in place, around the handlers, sets ``dirty``: the next
``refresh()`` rebuilds every index and derived field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

from ..errors import ApiError, invalid_input
from ..timebase import Timebase
from .engine import ActionEngine, ActionFailure, ActionRun, Effect, Hold, Ref
from .registry import Commit, Creation, Kind, Registry
from .table import Fields, Json, Table

__all__ = ["Project"]

P = TypeVar("P")


class Project:
    """The tables, actions and module parts of one project, built from a ``Registry``."""

    def __init__(
        self,
        registry: Registry,
        timebase: Timebase,
        duration_of: Callable[[str], float],
        *,
        max_per_page: int = 50,
    ) -> None:
        self.registry = registry
        self.timebase = timebase
        #: Largest ``per_page`` the list endpoints honour.
        self.max_per_page = max_per_page
        self._ids = dict(registry.counters)
        self.tables: dict[str, Table] = {
            name: Table(on_change=partial(self._changed, name), on_clear=self._cleared)
            for name in registry.kinds
        }
        self._collections = {kind.collection: kind.name for kind in registry.kinds.values()}
        self.engine = ActionEngine(
            timebase, duration_of, partial(self.next_id, "action"), self.mark_stale
        )
        # Per kind with derived fields: the ids whose derived fields are out of date.
        self._stale: dict[str, set[int]] = {kind: set() for kind in registry.derivers}
        self._pending = False
        self._dirty = True
        self._parts: dict[type[Any], Any] = {}
        for cls in registry.parts:
            self._parts[cls] = cls(self)

    # --- tables, parts, ids -------------------------------------------------------------------

    def table(self, kind: str) -> Table:
        """Return the table of a kind (``"server"``)."""
        return self.tables[kind]

    def kind(self, kind: str) -> Kind:
        """Return the declaration of a kind."""
        return self.registry.kinds[kind]

    def collection(self, collection: str) -> Table | None:
        """Return the table of a collection (``"servers"``), if there is one."""
        kind = self._collections.get(collection)
        return None if kind is None else self.tables[kind]

    def part(self, cls: type[P]) -> P:
        """Return this project's instance of a module's state part."""
        return self._parts[cls]  # type: ignore[no-any-return]  # (no cast: hooks call it often)

    def next_id(self, kind: str) -> int:
        """Return a fresh id for a resource kind (or any registered counter)."""
        value = self._ids[kind]
        self._ids[kind] = value + 1
        return value

    def now_iso(self) -> str:
        """Return the current time in RFC 3339."""
        return self.timebase.iso()

    # --- actions ----------------------------------------------------------------------------------

    @property
    def actions(self) -> dict[int, Json]:
        """Return every action by id."""
        return self.engine.actions

    @property
    def runs(self) -> dict[int, ActionRun]:
        """Return the running actions' timing by id."""
        return self.engine.runs

    @property
    def failures(self) -> list[ActionFailure]:
        """Return the scripted failures still to come."""
        return self.engine.failures

    def start_action(
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
        """Create a running action on ``resources`` (``[("server", 42)]``); see ``ActionEngine``."""
        return self.engine.start(
            command,
            resources,
            after=after,
            on_success=on_success,
            on_error=on_error,
            locks=locks,
            holds=holds,
        )

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
        return self.engine.fail_next(
            command, code=code, message=message, resource_id=resource_id, times=times
        )

    def tick(self, *, progress: bool = True) -> None:
        """End the actions whose time has come (see ``ActionEngine.tick``)."""
        self.engine.tick(progress=progress)

    def current(self, action: Json) -> Json:
        """Bring a running action's ``progress`` up to the last tick; return the action."""
        return self.engine.current(action)

    def locked(self, kind: str, resource_id: int) -> bool:
        """Tell whether a running action locks a resource."""
        return self.engine.locked((kind, resource_id))

    def ensure_unlocked(self, kind: str, resource_id: int) -> None:
        """Refuse with ``423 locked`` while an action locks the resource."""
        if self.engine.locked((kind, resource_id)):
            label = self.kind(kind).label
            raise ApiError(423, "locked", f"{label} {resource_id} is locked by a running action")

    # --- changes and derived fields -------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """Whether the next ``refresh`` recomputes every derived field (and the indexes).

        Set it after changing resources in place, other than through the handlers.
        """
        return self._dirty

    @dirty.setter
    def dirty(self, value: bool) -> None:
        self._dirty = value
        if value:
            for table in self.tables.values():
                table.stale = True

    def touch(self, kind: str, resource_id: int, *fields: str) -> None:
        """Note that fields of a resource changed in place (none named: any of them).

        Name the fields (``touch("server", 7, "labels")``): a module listening for changes
        of a kind skips the work the other fields do not need.
        """
        self.tables[kind].touch(resource_id, frozenset(fields) if fields else None)

    def mark_stale(self, ref: Ref) -> None:
        """Note that a resource's derived fields may have changed (nothing else did)."""
        stale = self._stale.get(ref[0])
        if stale is not None:
            stale.add(ref[1])
            self._pending = True

    def _changed(self, kind: str, resource_id: int, fields: Fields) -> None:
        self._pending = True
        stale = self._stale.get(kind)
        if stale is not None:
            stale.add(resource_id)
        for hook in self.registry.change_hooks.get(kind, ()):
            hook(self, resource_id, fields)

    def _cleared(self) -> None:
        self.dirty = True

    def refresh(self) -> None:
        """Bring the modules' indexes and the derived fields up to date with what changed."""
        if self._dirty:
            self._refresh_all()
            return
        if not self._pending:
            return
        for refresher in self.registry.refreshers:
            refresher(self, False)
        for kind, derivers in self.registry.derivers.items():
            stale = self._stale[kind]
            if not stale:
                continue
            self._stale[kind] = set()
            table = self.tables[kind]
            for rid in stale:
                resource = table.get(rid)
                if resource is not None:
                    for derive in derivers:
                        derive(self, rid, resource)
        self._pending = False

    def _refresh_all(self) -> None:
        for refresher in self.registry.refreshers:
            refresher(self, True)
        for kind, derivers in self.registry.derivers.items():
            for rid, resource in self.tables[kind].items():
                for derive in derivers:
                    derive(self, rid, resource)
            self._stale[kind] = set()
        self._pending = False
        self._dirty = False

    # --- creating and removing ------------------------------------------------------------------

    def check_create(self, creation: Creation) -> list[Commit]:
        """Run the create hooks other modules registered for this kind; return their commits."""
        commits: list[Commit] = []
        for _, hook in self.registry.create_hooks.get(creation.kind, ()):
            commit = hook(self, creation)
            if commit is not None:
                commits.append(commit)
        return commits

    def check_delete(self, kind: str, resource_id: int) -> None:
        """Let modules refuse a deletion (they raise an ``ApiError``)."""
        resource = self.tables[kind][resource_id]
        for hook in self.registry.delete_checks.get(kind, ()):
            hook(self, resource_id, resource)

    def remove(self, kind: str, resource_id: int) -> Json | None:
        """Remove a resource and run the modules' clean-up hooks; return it (None if gone)."""
        resource: Json | None = self.tables[kind].pop(resource_id, None)
        if resource is not None:
            for hook in self.registry.delete_hooks.get(kind, ()):
                hook(self, resource_id, resource)
        return resource

    # --- references ------------------------------------------------------------------------------

    def find(
        self, kind: str, ref: object, *, where: Callable[[Json], bool] | None = None
    ) -> Json | None:
        """Find a resource by ID (an integer or its decimal text) or by name.

        The real API takes both in every "ID or name" field, and the official clients send
        integers where the spec writes ``type: string``. ``where`` narrows name matches (an
        image name exists once per architecture). A ``TypeError`` means ``ref`` is neither.
        """
        table = self.tables[kind]
        if isinstance(ref, bool) or not isinstance(ref, (int, str)):
            raise TypeError(ref)
        if isinstance(ref, int):
            return table.get(ref)
        if ref.isascii() and ref.isdigit() and str(int(ref)) == ref:
            found = table.get(int(ref))
            if found is not None:
                return found
        for rid in table.ids_named(ref):
            resource = table[rid]
            if where is None or where(resource):
                return resource
        return None

    def resolve(
        self,
        kind: str,
        ref: object,
        field: str,
        *,
        where: Callable[[Json], bool] | None = None,
    ) -> Json:
        """Return the resource a request field names by ID or name, or raise ``invalid_input``."""
        try:
            found = self.find(kind, ref, where=where)
        except TypeError:
            raise invalid_input({field: ["must be an ID (integer) or a name (string)"]}) from None
        if found is None:
            raise invalid_input({field: [f"{self.kind(kind).label} {ref!r} not found"]})
        return found

    # --- everything ----------------------------------------------------------------------------

    def snapshot(self) -> Json:
        """Return every resource as JSON (for ``GET /_fake/state``)."""
        self.tick()
        self.refresh()
        body: Json = {
            kind.collection: [
                item
                for item in self.tables[kind.name].values()
                if kind.in_state is None or kind.in_state(item)
            ]
            for kind in self.registry.kinds.values()
            if kind.snapshot
        }
        body["actions"] = list(self.actions.values())
        return body
