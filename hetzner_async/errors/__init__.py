"""The error tree: every failure the SDK raises, each carrying the data a caller needs.

The Hetzner Cloud API puts the meaning of a failure in ``error.code``, not in the HTTP status
(https://docs.hetzner.cloud/reference/cloud#errors), so API errors are chosen by a registry keyed
on that code and fall back to the status only for codes this SDK does not know yet.
"""

from __future__ import annotations

from ._actions import ActionError, ActionFailedError, ActionTimeoutError, UnknownActionStatusError
from ._api import (
    APIError,
    AppliedButUnreadableError,
    BadGatewayError,
    ConflictError,
    DeprecatedEndpointError,
    ForbiddenError,
    GatewayTimeoutError,
    InvalidInputError,
    InvalidJSONError,
    LockedError,
    MaintenanceError,
    MethodNotAllowedError,
    NotFoundError,
    ProtectedError,
    RateLimitError,
    ResourceLimitError,
    ResourceUnavailableError,
    ServerError,
    ServiceError,
    TokenReadonlyError,
    UnauthorizedError,
    UnavailableError,
    UnexpectedResponseError,
    UniquenessError,
    UnsupportedError,
    error_class_for,
)
from ._root import (
    ClientClosedError,
    ConfigurationError,
    HetznerError,
    ValidationError,
    WrongEventLoopError,
)
from ._transport import AmbiguousOutcomeError, APIConnectionError, APITimeoutError

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

# Show the public home in tracebacks and reprs (hetzner_async.errors.NotFoundError), not the
# private module a class is written in.
for _name in __all__:
    _value = globals()[_name]
    if isinstance(_value, type):
        _value.__module__ = __name__
