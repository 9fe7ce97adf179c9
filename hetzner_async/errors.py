"""The error tree: every failure the SDK raises, each carrying the data a caller needs.

The Hetzner Cloud API puts the meaning of a failure in ``error.code``, not in the HTTP status
(https://docs.hetzner.cloud/reference/cloud#errors), so API errors are chosen by a registry keyed
on that code and fall back to the status only for codes this SDK does not know yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .models.action import Action

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "ActionError",
    "ActionFailedError",
    "ActionTimeoutError",
    "AmbiguousOutcomeError",
    "AppliedButUnreadableError",
    "BadGatewayError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "DeprecatedEndpointError",
    "ForbiddenError",
    "GatewayTimeoutError",
    "HetznerError",
    "InvalidInputError",
    "InvalidJSONError",
    "LockedError",
    "MaintenanceError",
    "MethodNotAllowedError",
    "NotFoundError",
    "ProtectedError",
    "RateLimitError",
    "ResourceLimitError",
    "ResourceUnavailableError",
    "ServerError",
    "ServiceError",
    "TokenReadonlyError",
    "UnauthorizedError",
    "UnavailableError",
    "UnexpectedResponseError",
    "UniquenessError",
    "UnknownActionStatusError",
    "UnsupportedError",
    "ValidationError",
    "WrongEventLoopError",
    "error_class_for",
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


# --- API errors -------------------------------------------------------------------------------


class APIError(HetznerError):
    """The API answered with an error; carries everything the response said about it."""

    #: Whether the API marks this failure as transient ("please retry").
    retriable: ClassVar[bool] = False

    def __init__(
        self,
        *,
        status: int,
        code: str,
        message: str,
        details: Mapping[str, Any] | None = None,
        correlation_id: str | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details: Mapping[str, Any] = details or {}
        self.correlation_id = correlation_id
        self.method = method
        self.path = path
        #: Which try of the request got this answer (1 for the first).
        self.attempt = 1
        #: Whether an earlier try of the same request may already have been applied.
        self.after_ambiguous = False

    def __str__(self) -> str:
        where = f" on {self.method} {self.path}" if self.method and self.path else ""
        cid = f", correlation id {self.correlation_id}" if self.correlation_id else ""
        return f"{self.message} ({self.code}, HTTP {self.status}{where}{cid})"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status}, code={self.code!r}, "
            f"message={self.message!r}, correlation_id={self.correlation_id!r})"
        )


class InvalidJSONError(APIError):
    """The API could not parse the request body (``json_error``)."""


class UnauthorizedError(APIError):
    """The token is missing, invalid or unknown (``unauthorized``)."""


class TokenReadonlyError(UnauthorizedError):
    """The token may only read (``token_readonly``)."""


class ForbiddenError(APIError):
    """The token lacks the permission for this request (``forbidden``)."""


class MaintenanceError(ForbiddenError):
    """The operation is blocked by maintenance (``maintenance``)."""


class ResourceLimitError(ForbiddenError):
    """The project's quota for a resource is used up (``resource_limit_exceeded``)."""

    @property
    def limits(self) -> list[str]:
        """Name the limits that were exceeded."""
        return [str(limit.get("name")) for limit in self.details.get("limits", [])]


class NotFoundError(APIError):
    """The resource does not exist (``not_found``)."""


class MethodNotAllowedError(APIError):
    """The HTTP method is not allowed on this path (``method_not_allowed``)."""


class UniquenessError(APIError):
    """A field that must be unique in the project is already taken (``uniqueness_error``)."""

    @property
    def fields(self) -> list[str]:
        """Name the fields whose values are already taken."""
        return [str(field.get("name")) for field in self.details.get("fields", [])]


class ConflictError(APIError):
    """The resource changed during the request; the API asks to retry (``conflict``)."""

    retriable = True


class DeprecatedEndpointError(APIError):
    """The endpoint's functionality was removed (``deprecated_api_endpoint``)."""


class ResourceUnavailableError(APIError):
    """The resource is not available, e.g. not for order (``resource_unavailable``)."""


class InvalidInputError(APIError):
    """The API rejected the input (``invalid_input``); ``fields`` maps fields to messages."""

    @property
    def fields(self) -> dict[str, list[str]]:
        """Map each rejected field to the API's messages about it."""
        return {
            str(field.get("name")): [str(m) for m in field.get("messages", [])]
            for field in self.details.get("fields", [])
        }

    def __str__(self) -> str:
        base = super().__str__()
        per_field = "; ".join(f"{name}: {', '.join(msgs)}" for name, msgs in self.fields.items())
        return f"{base}: {per_field}" if per_field else base


class ServiceError(APIError):
    """A service behind the API failed (``service_error``)."""


class UnsupportedError(APIError):
    """The resource does not support this action (``unsupported_error``)."""


class LockedError(APIError):
    """Another action is running on the resource (``locked``)."""


class ProtectedError(APIError):
    """The resource is protected against this action (``protected``)."""


class RateLimitError(APIError):
    """The project's request budget is used up (``rate_limit_exceeded``).

    ``reset`` is when the bucket is full again (``RateLimit-Reset``). The SDK waits for budget
    itself and raises this only when the wait would exceed what the caller allowed
    (``deadline_exceeded``) or 429s keep coming.
    """

    retriable = True

    def __init__(
        self, *, reset: dt.datetime | None = None, deadline_exceeded: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.reset = reset
        #: True when the SDK stopped waiting for budget at the caller's deadline (no 429 came).
        self.deadline_exceeded = deadline_exceeded


class ServerError(APIError):
    """The API backend failed (``server_error`` or any unknown 5xx)."""

    retriable = True


class UnavailableError(ServerError):
    """The service or product is currently unavailable (``unavailable``)."""


class GatewayTimeoutError(ServerError):
    """The API could not answer in time; it asks to retry (``timeout``)."""


class BadGatewayError(ServerError):
    """A proxy in front of the API failed; it asks to retry (``bad_gateway``)."""


class UnexpectedResponseError(APIError):
    """The API answered with a body this SDK cannot read (not JSON, not the expected shape)."""


class AppliedButUnreadableError(UnexpectedResponseError):
    """The API applied a request (it answered 2xx), but this SDK cannot read the answer.

    Raised instead of ``AmbiguousOutcomeError`` when a POST was answered with success: the change
    happened, so do not send it again. ``resource_id`` is the id the answer names when it could
    be found (of the created resource, or of the started action), and ``body`` the answer with
    secrets removed. The SDK first tries to read the result back (a create by that id or by its
    name, an action by its id) and raises this only when that fails too.
    """

    def __init__(
        self,
        *,
        status: int,
        reason: str,
        body: str,
        resource_id: int | None = None,
        method: str | None = None,
        path: str | None = None,
        correlation_id: str | None = None,
    ) -> None:
        created = f"; the answer names id {resource_id}" if resource_id is not None else ""
        super().__init__(
            status=status,
            code="unexpected_response",
            message=(
                f"the request was applied, but its answer could not be read ({reason}){created}"
            ),
            method=method,
            path=path,
            correlation_id=correlation_id,
        )
        self.reason = reason
        self.body = body
        self.resource_id = resource_id


#: Hetzner error code -> error class. https://docs.hetzner.cloud/reference/cloud#errors
_REGISTRY: dict[str, type[APIError]] = {
    "json_error": InvalidJSONError,
    "unauthorized": UnauthorizedError,
    "token_readonly": TokenReadonlyError,
    "forbidden": ForbiddenError,
    "maintenance": MaintenanceError,
    "resource_limit_exceeded": ResourceLimitError,
    "not_found": NotFoundError,
    "method_not_allowed": MethodNotAllowedError,
    "uniqueness_error": UniquenessError,
    "conflict": ConflictError,
    "deprecated_api_endpoint": DeprecatedEndpointError,
    "resource_unavailable": ResourceUnavailableError,
    "invalid_input": InvalidInputError,
    "service_error": ServiceError,
    "unsupported_error": UnsupportedError,
    "locked": LockedError,
    "resource_locked": LockedError,
    "protected": ProtectedError,
    "rate_limit_exceeded": RateLimitError,
    "limit_reached": RateLimitError,  # obsolete alias, still known to hcloud-go
    "server_error": ServerError,
    "unavailable": UnavailableError,
    "timeout": GatewayTimeoutError,
    "bad_gateway": BadGatewayError,
}

#: Fallback by HTTP status for codes missing from the registry (and for bodies without one).
_BY_STATUS: dict[int, type[APIError]] = {
    400: InvalidJSONError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    409: ConflictError,
    422: InvalidInputError,
    423: LockedError,
    429: RateLimitError,
    500: ServerError,
    502: BadGatewayError,
    503: UnavailableError,
    504: GatewayTimeoutError,
}


def error_class_for(code: str | None, status: int) -> type[APIError]:
    """Choose the error class for a Hetzner error code, falling back to the HTTP status."""
    if code is not None and code in _REGISTRY:
        return _REGISTRY[code]
    if code is None and status in _BY_STATUS:
        return _BY_STATUS[status]
    return ServerError if status >= 500 else APIError


# --- transport errors -------------------------------------------------------------------------


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


# --- action errors ----------------------------------------------------------------------------


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
