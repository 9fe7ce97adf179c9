"""Actions: the asynchronous tasks the API starts for every change to a resource."""

from datetime import datetime

import attrs

from .common import OpenStrEnum

__all__ = ["Action", "ActionError", "ActionResource", "ActionStatus"]


class ActionStatus(OpenStrEnum):
    """State of an action; ``running`` until it ends in ``success`` or ``error``.

    A status the API added since this SDK was released reads as a value that is none of these
    (``.known`` is False); see ``Action.done``.
    """

    RUNNING = "running"
    SUCCESS = "success"
    ERROR = "error"


@attrs.frozen(kw_only=True)
class ActionResource:
    """A resource an action works on."""

    id: int
    type: str


@attrs.frozen(kw_only=True)
class ActionError:
    """Why an action failed."""

    code: str
    message: str


# Hashing by id alone (attrs' generated hash would choke on the list) keeps equal actions equal
# in hash and lets callers key dicts and sets by action while it is being polled.
@attrs.frozen(kw_only=True, unsafe_hash=False)
class Action:
    """An asynchronous task of the API, as it was when the response was sent."""

    id: int
    command: str
    status: ActionStatus
    progress: int
    started: datetime
    finished: datetime | None
    resources: list[ActionResource]
    error: ActionError | None

    def __hash__(self) -> int:
        """Hash by id: two snapshots of one action land in the same bucket."""
        return hash((Action, self.id))

    @property
    def done(self) -> bool:
        """Tell whether the action is no longer ``running``: the SDK stops waiting on it.

        A status this SDK does not know counts as done, because nothing says it will ever
        become ``success`` or ``error``; ``hz.actions.wait`` then raises
        ``UnknownActionStatusError`` instead of guessing whether it succeeded.
        """
        return self.status is not ActionStatus.RUNNING
