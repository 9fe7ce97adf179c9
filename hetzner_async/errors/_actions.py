"""Actions that did not end in success."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._root import HetznerError

if TYPE_CHECKING:
    from ..models.action import Action

__all__ = ["ActionError", "ActionFailedError", "ActionTimeoutError", "UnknownActionStatusError"]


class ActionError(HetznerError):
    """An action did not end in success."""

    def __init__(self, message: str, *, action: Action) -> None:
        super().__init__(message)
        self.action = action


class ActionFailedError(ActionError):
    """An action ended with status ``error``; ``code`` and ``message`` say why."""

    def __init__(self, action: Action) -> None:
        code = action.error.code if action.error else "unknown"
        message = action.error.message if action.error else "no error message"
        super().__init__(
            f"action {action.id} ({action.command}) failed: {message} ({code})", action=action
        )
        self.code = code
        self.message = message


class UnknownActionStatusError(ActionError):
    """An action reports a status this SDK does not know, so it cannot tell how it ended.

    The API added a status since this SDK was released. Rather than call the action a success
    (or wait for a status that may never come), the wait stops here; ``action.status`` holds
    the new value.
    """

    def __init__(self, action: Action) -> None:
        super().__init__(
            f"action {action.id} ({action.command}) reports status {str(action.status)!r}, "
            "which this SDK does not know; it stopped waiting rather than guess the outcome",
            action=action,
        )


class ActionTimeoutError(ActionError):
    """An action was still running when the wait's deadline passed."""

    def __init__(self, action: Action, timeout: float) -> None:
        super().__init__(
            f"action {action.id} ({action.command}) still running at {action.progress}% "
            f"after {timeout:g} s",
            action=action,
        )
        self.timeout = timeout
