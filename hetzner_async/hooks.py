"""Callbacks for metrics and tracing: wire Prometheus or OpenTelemetry without depending on them.

Pass ``on_request`` and ``on_rate_limit_wait`` to ``HetznerClient``. Callbacks run inline on the
event loop, so keep them quick (increment a counter, record a histogram sample).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

__all__ = ["RateLimitWaitHook", "RequestEvent", "RequestHook"]


@attrs.frozen
class RequestEvent:
    """One try of one request, as the transport saw it."""

    #: HTTP method, upper case.
    method: str
    #: The path with numeric IDs replaced by ``{id}`` (``/servers/{id}/actions/poweron``).
    path_template: str
    #: HTTP status, or None when no response arrived (connection failure, timeout).
    status: int | None
    #: Seconds from sending to the end of the response body.
    duration: float
    #: Which try of the request this was (1 for the first).
    attempt: int
    #: The API's correlation id of the response, if any.
    correlation_id: str | None
    #: The budget left after this response, if the response reported it.
    remaining: int | None
    #: The error code for failures (the API's ``error.code``, or the exception's class name).
    error: str | None


#: Called once per try of every request.
RequestHook = Callable[[RequestEvent], None]
#: Called once each time a request has to wait for rate-limit budget, with the seconds waited.
RateLimitWaitHook = Callable[[float], None]
