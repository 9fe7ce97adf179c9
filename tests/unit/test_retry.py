"""Pure retry decisions: which failure is retried how, for which method."""

from __future__ import annotations

import pytest

from hetzner_async import errors
from hetzner_async._retry import Decision, RetryPolicy, decide


def api(cls: type[errors.APIError], status: int, code: str) -> errors.APIError:
    return cls(status=status, code=code, message="m")


CASES = [
    # (error, method, decision)
    (api(errors.RateLimitError, 429, "rate_limit_exceeded"), "GET", Decision.WAIT_FOR_BUDGET),
    (api(errors.RateLimitError, 429, "rate_limit_exceeded"), "POST", Decision.WAIT_FOR_BUDGET),
    (api(errors.ConflictError, 409, "conflict"), "POST", Decision.BACKOFF),
    (api(errors.ConflictError, 409, "conflict"), "PUT", Decision.BACKOFF),
    (api(errors.ServerError, 500, "server_error"), "GET", Decision.BACKOFF),
    (api(errors.ServerError, 500, "server_error"), "POST", Decision.AMBIGUOUS),
    (api(errors.BadGatewayError, 502, "http_502"), "GET", Decision.BACKOFF),
    (api(errors.BadGatewayError, 502, "bad_gateway"), "POST", Decision.AMBIGUOUS),
    (api(errors.GatewayTimeoutError, 504, "timeout"), "DELETE", Decision.BACKOFF),
    (api(errors.GatewayTimeoutError, 504, "timeout"), "POST", Decision.AMBIGUOUS),
    (api(errors.UnavailableError, 503, "unavailable"), "PUT", Decision.BACKOFF),
    (api(errors.UnexpectedResponseError, 200, "unexpected_response"), "GET", Decision.BACKOFF),
    (api(errors.UnexpectedResponseError, 201, "unexpected_response"), "POST", Decision.AMBIGUOUS),
    # Other 4xx fail fast, whatever the method.
    (api(errors.NotFoundError, 404, "not_found"), "GET", Decision.RAISE),
    (api(errors.UniquenessError, 409, "uniqueness_error"), "POST", Decision.RAISE),
    (api(errors.InvalidInputError, 422, "invalid_input"), "POST", Decision.RAISE),
    (api(errors.LockedError, 423, "locked"), "POST", Decision.RAISE),
    (api(errors.UnauthorizedError, 401, "unauthorized"), "GET", Decision.RAISE),
    (api(errors.ResourceLimitError, 403, "resource_limit_exceeded"), "POST", Decision.RAISE),
    (api(errors.APIError, 422, "placement_error"), "POST", Decision.RAISE),
    # Network failures: never-sent is always safe; sent is safe only when idempotent.
    (
        errors.APIConnectionError("refused", sent=False, method="POST", path="/s"),
        "POST",
        Decision.BACKOFF,
    ),
    (
        errors.APITimeoutError("connect", sent=False, method="POST", path="/s"),
        "POST",
        Decision.BACKOFF,
    ),
    (
        errors.APIConnectionError("reset", sent=True, method="GET", path="/s"),
        "GET",
        Decision.BACKOFF,
    ),
    (
        errors.APIConnectionError("reset", sent=True, method="POST", path="/s"),
        "POST",
        Decision.AMBIGUOUS,
    ),
    (
        errors.APITimeoutError("read", sent=True, method="POST", path="/s"),
        "POST",
        Decision.AMBIGUOUS,
    ),
    (errors.APITimeoutError("read", sent=True, method="PUT", path="/s"), "PUT", Decision.BACKOFF),
]


@pytest.mark.parametrize(("error", "method", "decision"), CASES)
def test_decide(error: errors.HetznerError, method: str, decision: Decision) -> None:
    assert decide(error, method) is decision


@pytest.mark.parametrize(
    "kwargs", [{"max_attempts": 0}, {"base": 0}, {"cap": -1}, {"max_rate_limit_wait": -1}]
)
def test_retry_policy_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - attrs validators raise plain ValueError
        RetryPolicy(**kwargs)  # type: ignore[arg-type]
