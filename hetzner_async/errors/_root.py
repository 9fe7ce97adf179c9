"""The root of the tree and the errors raised before anything is sent."""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "ClientClosedError",
    "ConfigurationError",
    "HetznerError",
    "ValidationError",
    "WrongEventLoopError",
]


class HetznerError(Exception):
    """Root of every error raised by hetzner_async."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross process boundaries (job queues store a failed job's exception, pools
        # return it): rebuild from args and attributes, since most subclasses take keyword
        # arguments that ``args`` does not hold.
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[HetznerError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    """Unpickle an error without calling its ``__init__``."""
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class ConfigurationError(HetznerError, ValueError):
    """The client was configured with a value it cannot use (token, endpoint, option)."""


class ClientClosedError(HetznerError, RuntimeError):
    """The client was closed: before this call, or while this request was in flight.

    A closed client stays closed (its connection pool is gone); create a new one. ``in_flight``
    tells whether the request had been sent when the client closed, so it may have been applied.
    """

    def __init__(self, message: str | None = None, *, in_flight: bool = False) -> None:
        super().__init__(
            message
            or "the HetznerClient is closed; create a new client (a closed one cannot reopen)"
        )
        self.in_flight = in_flight


class WrongEventLoopError(HetznerError, RuntimeError):
    """The client was used from an event loop other than the one it first ran in.

    Its connection pool, rate-limit governor and action poller belong to that loop; create one
    client per event loop (for instance inside the coroutine that ``asyncio.run`` runs).
    """


#: Longest quoted value a ``ValidationError`` message shows in full; longer ones are cut.
_SHOWN_VALUE_CHARS = 60

# A Python repr of a string too long to show in full, in either quote style. It opens at the
# start or after a space or bracket, so that the prose between two short quoted values (after
# the closing quote of one) is never taken for a value.
_MORE = _SHOWN_VALUE_CHARS + 1
_LONG_REPR = re.compile(
    r"(?:^|(?<=[\s(\[{,=]))"
    rf"""(?:'(?:[^'\\\n]|\\.){{{_MORE},}}'|"(?:[^"\\\n]|\\.){{{_MORE},}}")"""
)


def _shorten_values(message: str) -> str:
    """Cut every quoted value longer than ``_SHOWN_VALUE_CHARS`` in a message, saying how long.

    A 300-character name echoed in full buries the reason it was refused; its start is enough
    to recognise it, and the caller still holds the whole value.
    """

    def cut(match: re.Match[str]) -> str:
        quote, inner = match.group(0)[0], match.group(0)[1:-1]
        return f"{quote}{inner[:_SHOWN_VALUE_CHARS]}…{quote} ({len(inner)} characters)"

    return _LONG_REPR.sub(cut, message)


class ValidationError(HetznerError, ValueError):
    """Input was rejected on the client, before any request was sent."""

    def __init__(self, field: str, message: str) -> None:
        message = _shorten_values(message)
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
