"""Errors the API answers with, chosen by a registry on ``error.code``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar

from ._root import HetznerError

__all__ = [
    "APIError",
    "AppliedButUnreadableError",
    "BadGatewayError",
    "ConflictError",
    "DeprecatedEndpointError",
    "ForbiddenError",
    "GatewayTimeoutError",
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
    "UnsupportedError",
    "error_class_for",
]


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
