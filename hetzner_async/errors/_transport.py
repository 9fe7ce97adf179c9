"""Failures on the network, and requests whose outcome is unknown."""

from __future__ import annotations

from ._root import HetznerError

__all__ = ["APIConnectionError", "APITimeoutError", "AmbiguousOutcomeError"]


class APIConnectionError(HetznerError):
    """The request failed on the network; ``sent`` says whether it may have reached the API."""

    def __init__(self, message: str, *, sent: bool, method: str, path: str) -> None:
        super().__init__(message)
        self.sent = sent
        self.method = method
        self.path = path

    def __str__(self) -> str:
        state = "may have reached the API" if self.sent else "never left the client"
        return f"{self.args[0]} on {self.method} {self.path} (the request {state})"


class APITimeoutError(APIConnectionError):
    """The API did not answer within the configured timeout."""


class AmbiguousOutcomeError(HetznerError):
    """A request that is not safe to repeat failed in a way that may have applied it.

    The SDK does not re-send it blindly (the API has no idempotency key): look the resource
    up before trying again. The underlying failure is ``__cause__``.
    """

    def __init__(self, *, method: str, path: str, reason: str) -> None:
        super().__init__(
            f"{method} {path} failed ({reason}) after it may have reached the API; it may have "
            "been applied and was not re-sent"
        )
        self.method = method
        self.path = path
        self.reason = reason
