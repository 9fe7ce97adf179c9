"""``Table``: resources of one kind by id, with indexes of their names and labels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..labels import LabelSelector, Operator

__all__ = ["Fields", "Json", "Table"]

Json = dict[str, Any]
#: The fields of a resource that changed; ``None`` means the whole resource (stored, removed).
Fields = frozenset[str] | None


class Table(dict[int, Json]):
    """Resources by id (a plain ``dict``) that also indexes them by ``name`` and by label.

    Inserting, replacing, deleting and ``touch`` keep the indexes current, and tell
    ``on_change`` which id changed and which fields (``None``: the whole resource). A name or
    labels changed in place without ``touch`` are found again once the table is marked
    ``stale`` (``FakeState.dirty = True`` does that): the next lookup rebuilds the indexes.
    """

    def __init__(
        self,
        on_change: Callable[[int, Fields], None] | None = None,
        on_clear: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self._names: dict[str, set[int]] = {}
        self._name_of: dict[int, str] = {}
        # Resources by label (key, value), for selectors that name values.
        self._by_label: dict[tuple[str, str], set[int]] = {}
        self._labels_of: dict[int, list[tuple[str, str]]] = {}
        self._on_change = on_change
        self._on_clear = on_clear
        #: Whether names or labels may have changed in place (the next lookup reindexes).
        self.stale = False

    # --- the indexes ----------------------------------------------------------------------------

    def _index(self, rid: int, resource: Json) -> None:
        if not isinstance(resource, dict):
            return
        name = resource.get("name")
        if isinstance(name, str):
            self._names.setdefault(name, set()).add(rid)
            self._name_of[rid] = name
        labels = resource.get("labels")
        if isinstance(labels, dict):
            pairs = [(k, v) for k, v in labels.items() if isinstance(k, str) and isinstance(v, str)]
            for pair in pairs:
                self._by_label.setdefault(pair, set()).add(rid)
            self._labels_of[rid] = pairs

    def _unindex(self, rid: int) -> None:
        name = self._name_of.pop(rid, None)
        if name is not None:
            ids = self._names.get(name)
            if ids is not None:
                ids.discard(rid)
                if not ids:
                    del self._names[name]
        for pair in self._labels_of.pop(rid, ()):
            ids = self._by_label.get(pair)
            if ids is not None:
                ids.discard(rid)
                if not ids:
                    del self._by_label[pair]

    def _changed(self, rid: int, fields: Fields = None) -> None:
        if self._on_change is not None:
            self._on_change(rid, fields)

    def reindex(self) -> None:
        """Rebuild the indexes from the resources as they are now."""
        self._names.clear()
        self._name_of.clear()
        self._by_label.clear()
        self._labels_of.clear()
        for rid, resource in self.items():
            self._index(rid, resource)
        self.stale = False

    def touch(self, rid: int, fields: Fields = None) -> None:
        """Note that some fields of a resource changed in place (``None``: any of them)."""
        if rid in self and (fields is None or "name" in fields or "labels" in fields):
            self._unindex(rid)
            self._index(rid, self[rid])
        if self._on_change is not None:
            self._on_change(rid, fields)

    def ids_named(self, name: str) -> list[int]:
        """Return the ids of the resources with this name, lowest first."""
        if self.stale:
            self.reindex()
        ids = self._names.get(name)
        if not ids:
            return []
        # Every create resolves a few names: the usual single match takes the short way.
        if len(ids) == 1:
            for rid in ids:
                resource = self.get(rid)
                return [rid] if resource is not None and resource.get("name") == name else []
        return sorted(rid for rid in ids if rid in self and self[rid].get("name") == name)

    def named(self, name: str) -> list[Json]:
        """Return the resources with this name, lowest id first."""
        return [self[rid] for rid in self.ids_named(name)]

    def has_name(self, name: str, exclude: int | None = None) -> bool:
        """Tell whether a resource other than the one with id ``exclude`` has this name."""
        return any(rid != exclude for rid in self.ids_named(name))

    def rename(self, rid: int, name: str) -> None:
        """Set a resource's name and index it under the new one."""
        self[rid]["name"] = name
        self.touch(rid, frozenset({"name"}))

    def matching(self, selector: LabelSelector) -> list[Json]:
        """Return the resources a parsed label selector matches (in no particular order).

        A selector that requires a key to have one of some values only looks at the resources
        labelled so; others look at every resource.
        """
        if self.stale:
            self.reindex()
        best: set[int] | None = None
        for req in selector.requirements:
            if req.operator in (Operator.EQUALS, Operator.IN):
                ids: set[int] = set()
                for value in req.values:
                    ids |= self._by_label.get((req.key, value), set())
                if best is None or len(ids) < len(best):
                    best = ids
        if best is None:
            return [r for r in self.values() if selector.matches(r.get("labels") or {})]
        found = (self.get(rid) for rid in best)
        return [r for r in found if r is not None and selector.matches(r.get("labels") or {})]

    # --- dict methods that add or remove -----------------------------------------------------

    def __setitem__(self, rid: int, resource: Json) -> None:
        """Store a resource (replacing one with the same id) and index it."""
        if rid in self._name_of or rid in self._labels_of:
            self._unindex(rid)
        super().__setitem__(rid, resource)
        self._index(rid, resource)
        if self._on_change is not None:
            self._on_change(rid, None)

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
        self._by_label.clear()
        self._labels_of.clear()
        if self._on_clear is not None:
            self._on_clear()
