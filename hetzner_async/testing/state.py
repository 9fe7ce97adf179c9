"""``FakeState``: the project a fake serves, with the shipped resources registered.

The machinery lives in ``core`` (``Project``, ``Table``, the action engine); the resources
in ``resources``. ``fake.state.servers`` (and ``.ssh_keys``, ``.firewalls``, or any other
registered collection) is the ``Table`` of that kind: a dict of API JSON by id. Code that edits
resources in place, around the handlers, sets ``dirty`` so that the next ``refresh()``
recomputes every index and derived field.
"""

from __future__ import annotations

from collections.abc import Callable

from .core import ActionFailure, ActionRun, Project, Registry, Table
from .resources import default_registry
from .resources.servers import ServerSecrets
from .timebase import Timebase

__all__ = ["ActionFailure", "ActionRun", "FakeState", "ServerSecrets", "Table"]


class FakeState(Project):
    """The resources of one project and the actions running on them."""

    def __init__(
        self,
        timebase: Timebase,
        duration_of: Callable[[str], float],
        *,
        max_per_page: int = 50,
        registry: Registry | None = None,
    ) -> None:
        super().__init__(
            registry or default_registry(), timebase, duration_of, max_per_page=max_per_page
        )

    @property
    def servers(self) -> Table:
        """Return the servers by id."""
        return self.tables["server"]

    @property
    def ssh_keys(self) -> Table:
        """Return the SSH keys by id."""
        return self.tables["ssh_key"]

    @property
    def firewalls(self) -> Table:
        """Return the firewalls by id."""
        return self.tables["firewall"]

    def __getattr__(self, name: str) -> Table:
        """Return the table of another registered collection (``state.volumes``)."""
        table = self.collection(name) if not name.startswith("_") else None
        if table is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return table
