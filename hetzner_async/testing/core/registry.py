"""The registry: what resource modules contribute (kinds, routes, state parts and hooks).

A resource module has one function, ``register(registry)``, that declares its kinds, its
routes, the per-project state objects it keeps (``part``) and the hooks through which it takes
part in other resources' lives (a server's create body, a server's deletion, a server's derived
fields). The core calls the hooks; it never imports a resource module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .table import Fields, Json

if TYPE_CHECKING:
    from .project import Project

__all__ = [
    "ChangeHook",
    "Commit",
    "CreateHook",
    "Creation",
    "DeleteHook",
    "Deriver",
    "Kind",
    "Refresher",
    "Registry",
]


@dataclass(frozen=True)
class Kind:
    """What the core knows about one kind of resource.

    ``name`` is the singular JSON key (``{"server": {...}}``), the ``type`` in an action's
    ``resources`` and the name of its id counter; ``collection`` is the URL segment, the key
    of list responses and of ``GET /_fake/state``, and the attribute on ``fake.state``.
    """

    name: str
    collection: str
    #: The first id ``Project.next_id`` hands out; kinds keep their ids apart (servers from
    #: 1,000,001, SSH keys from 2,000,001…). ``None``: ids come with the data (the catalog).
    first_id: int | None = None
    #: How messages name it ("SSH key"); defaults to ``name`` with spaces.
    title: str = ""
    #: Fields ``sort`` accepts on its list (``field``, ``field:asc``, ``field:desc``).
    sortable: tuple[str, ...] = ("id", "name", "created")
    #: Whether two resources of this kind may not share a name.
    unique_names: bool = True
    #: The uniqueness error's message (``{title}`` and ``{name}`` are filled in).
    name_taken: str = "{title} name '{name}' is already used"
    #: What is wrong with a name (``None`` when it is valid); ``None``: any non-empty string.
    check_name: Callable[[str], str | None] | None = None
    #: The fields of its ``protection`` object (``("delete",)``); empty: not protectable.
    protection: tuple[str, ...] = ()
    #: Whether it has labels (its list takes ``label_selector``).
    labels: bool = True
    #: Whether ``GET /_fake/state`` lists it (the read-only catalog does not).
    snapshot: bool = True
    #: Which of its resources ``GET /_fake/state`` lists (``None``: all; images: the project's own).
    in_state: Callable[[Json], bool] | None = None
    #: Whether the path names it by ``{id_or_name}`` (``/zones/{id_or_name}``), not ``{id}``.
    path_names: bool = False

    @property
    def label(self) -> str:
        """Return how messages name this kind."""
        return self.title or self.name.replace("_", " ")

    @property
    def path_key(self) -> str:
        """Return the name of the path parameter that names one resource."""
        return "id_or_name" if self.path_names else "id"

    @property
    def item_path(self) -> str:
        """Return the route of one resource (``/v1/servers/{id}``, digits only)."""
        if self.path_names:
            return f"/v1/{self.collection}/{{id_or_name}}"
        return f"/v1/{self.collection}/{{id:\\d+}}"


#: Applies a validated change; called only once every check of the request has passed.
Commit = Callable[[], None]


@dataclass
class Creation:
    """A resource being created: the request body and the resource as built so far.

    Create hooks read ``body`` and ``resource`` (its ``id`` is 0 until it is stored) and
    return a ``Commit``. The commits run once the resource is stored, with its id set and its
    own ``action`` started (``None`` if it has none); a commit may start follow-up actions
    (``after=creation.action``) and add them to ``actions`` (a server's ``next_actions``).
    """

    kind: str
    body: Json
    resource: Json
    action: Json | None = None
    actions: list[Json] = field(default_factory=list)


#: Validate the fields of a create body a module owns; return what applies them (or None).
CreateHook = Callable[["Project", Creation], Commit | None]
#: Called with a resource's id and JSON: before it is deleted (may raise), or after.
DeleteHook = Callable[["Project", int, Json], None]
#: Called with the id of a resource that was stored or removed (fields ``None``), or with the
#: fields that changed in place (``Project.touch``).
ChangeHook = Callable[["Project", int, Fields], None]
#: Recompute the derived fields a module contributes to one resource.
Deriver = Callable[["Project", int, Json], None]
#: Bring a module's own indexes up to date before derived fields are recomputed; with
#: ``everything=True`` (after ``dirty``) rebuild them from the tables.
Refresher = Callable[["Project", bool], None]


class Registry:
    """Everything the resource modules of one fake contribute."""

    def __init__(self) -> None:
        self.kinds: dict[str, Kind] = {}
        self.counters: dict[str, int] = {"action": 4_000_001}
        self.parts: list[type[Any]] = []
        self.route_defs: list[web.RouteDef] = []
        self.create_hooks: dict[str, list[tuple[tuple[str, ...], CreateHook]]] = {}
        self.delete_checks: dict[str, list[DeleteHook]] = {}
        self.delete_hooks: dict[str, list[DeleteHook]] = {}
        self.change_hooks: dict[str, list[ChangeHook]] = {}
        self.derivers: dict[str, list[Deriver]] = {}
        self.refreshers: list[Refresher] = []
        self._claimed: dict[str, frozenset[str]] = {}

    def kind(self, kind: Kind) -> Kind:
        """Declare a kind of resource: every project gets a ``Table`` and an id counter for it."""
        if kind.name in self.kinds:
            raise ValueError(f"kind {kind.name!r} is registered twice")
        self.kinds[kind.name] = kind
        if kind.first_id is not None:
            self.counter(kind.name, kind.first_id)
        return kind

    def counter(self, name: str, first: int) -> None:
        """Declare an id counter (a kind not stored here may still need ids: ``primary_ip``).

        Counters must start at different ids: an id names one resource whatever its kind
        (``fail_next_action(resource_id=...)`` relies on that).
        """
        if self.counters.get(name, first) != first:
            raise ValueError(f"counter {name!r} starts at {self.counters[name]}, not {first}")
        for other, start in self.counters.items():
            if other != name and start == first:
                raise ValueError(f"counters {other!r} and {name!r} both start at {first}")
        self.counters[name] = first

    def part(self, cls: type[Any]) -> None:
        """Keep one ``cls(project)`` per project (a module's own state: indexes, secrets)."""
        if cls not in self.parts:
            self.parts.append(cls)

    def routes(self, defs: Sequence[web.RouteDef]) -> None:
        """Serve these routes (paths under ``/v1``; literal paths win over ``{id}`` ones)."""
        self.route_defs.extend(defs)

    def on_create(self, kind: str, fields: Sequence[str], hook: CreateHook) -> None:
        """Let ``hook`` validate and apply ``fields`` of another kind's create body."""
        self.create_hooks.setdefault(kind, []).append((tuple(fields), hook))
        self._claimed.pop(kind, None)

    def claimed(self, kind: str) -> frozenset[str]:
        """Return the create-body fields of a kind that some module handles."""
        found = self._claimed.get(kind)
        if found is None:
            hooks = self.create_hooks.get(kind, ())
            found = self._claimed[kind] = frozenset(n for fields, _ in hooks for n in fields)
        return found

    def before_delete(self, kind: str, hook: DeleteHook) -> None:
        """Check a deletion before it starts (raise an ``ApiError`` to refuse it)."""
        self.delete_checks.setdefault(kind, []).append(hook)

    def on_delete(self, kind: str, hook: DeleteHook) -> None:
        """Clean up after a resource of this kind is removed (detach, unassign, forget)."""
        self.delete_hooks.setdefault(kind, []).append(hook)

    def on_change(self, kind: str, hook: ChangeHook) -> None:
        """Hear of every resource of this kind stored, removed or touched, and which fields."""
        self.change_hooks.setdefault(kind, []).append(hook)

    def derive(self, kind: str, deriver: Deriver) -> None:
        """Contribute derived fields to the resources of a kind (run by ``Project.refresh``)."""
        self.derivers.setdefault(kind, []).append(deriver)

    def on_refresh(self, refresher: Refresher) -> None:
        """Run before derived fields are recomputed (incrementally, or everything after dirty)."""
        self.refreshers.append(refresher)
