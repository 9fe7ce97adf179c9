"""The result of creating a placement group (the group itself is ``catalog.PlacementGroup``).

The spec gives a placement group one schema whether it is read on its own or embedded in a
server (there only nullable), so both places share the one model.
"""

import attrs

from .action import Action
from .catalog import PlacementGroup

__all__ = ["CreatePlacementGroupResult"]


@attrs.frozen(kw_only=True)
class CreatePlacementGroupResult:
    """A new placement group, and the action creating it if the API started one (usually not)."""

    placement_group: PlacementGroup
    action: Action | None = None
