"""The root of the tree and the errors raised before anything is sent."""

from __future__ import annotations

__all__ = [
    "ClientClosedError",
    "ConfigurationError",
    "HetznerError",
    "ValidationError",
    "WrongEventLoopError",
]


class HetznerError(Exception):
    """Root of every error raised by hetzner_async."""


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


class ValidationError(HetznerError, ValueError):
    """Input was rejected on the client, before any request was sent."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
