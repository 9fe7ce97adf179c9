"""The error tree carries data and reads well."""

from __future__ import annotations

import datetime as dt

import pytest

from hetzner_async import errors
from hetzner_async._convert import strict_converter, structure
from hetzner_async.models import Action

from ..examples import example


@pytest.mark.parametrize(
    ("code", "status", "cls"),
    [
        ("not_found", 404, errors.NotFoundError),
        ("limit_reached", 429, errors.RateLimitError),
        ("resource_locked", 423, errors.LockedError),
        (None, 404, errors.NotFoundError),
        (None, 418, errors.APIError),
        (None, 599, errors.ServerError),
        ("something_new", 400, errors.APIError),
    ],
)
def test_error_class_for(code: str | None, status: int, cls: type[errors.APIError]) -> None:
    assert errors.error_class_for(code, status) is cls


@pytest.mark.parametrize(
    ("cls", "retriable"),
    [
        (errors.ConflictError, True),
        (errors.RateLimitError, True),
        (errors.ServerError, True),
        (errors.GatewayTimeoutError, True),
        (errors.LockedError, False),
        (errors.UniquenessError, False),
    ],
)
def test_retriable_flag(cls: type[errors.APIError], retriable: bool) -> None:
    assert cls.retriable is retriable


def test_api_error_str_has_code_status_place_and_correlation_id() -> None:
    error = errors.NotFoundError(
        status=404,
        code="not_found",
        message="server not found",
        correlation_id="c0ffee",
        method="GET",
        path="/servers/1",
    )
    assert (
        str(error)
        == "server not found (not_found, HTTP 404 on GET /servers/1, correlation id c0ffee)"
    )
    assert "c0ffee" in repr(error)


def test_detail_accessors() -> None:
    uniq = errors.UniquenessError(
        status=409, code="uniqueness_error", message="m", details={"fields": [{"name": "name"}]}
    )
    limit = errors.ResourceLimitError(
        status=403,
        code="resource_limit_exceeded",
        message="m",
        details={"limits": [{"name": "project_limits.server"}]},
    )
    assert uniq.fields == ["name"]
    assert limit.limits == ["project_limits.server"]
    assert errors.InvalidInputError(status=422, code="invalid_input", message="m").fields == {}


def test_rate_limit_error_carries_reset() -> None:
    reset = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    error = errors.RateLimitError(status=429, code="rate_limit_exceeded", message="m", reset=reset)
    assert error.reset == reset
    assert isinstance(error, errors.APIError)


def test_connection_errors_say_whether_the_request_left() -> None:
    never = errors.APIConnectionError("refused", sent=False, method="POST", path="/servers")
    maybe = errors.APITimeoutError("read timeout", sent=True, method="POST", path="/servers")
    assert "never left" in str(never)
    assert "may have reached" in str(maybe)
    assert isinstance(maybe, errors.APIConnectionError)


def test_action_errors_carry_the_action() -> None:
    data = example("action")["action"]
    data.update(status="error", error={"code": "action_failed", "message": "disk full"})
    action = structure(strict_converter, data, Action)
    failed = errors.ActionFailedError(action)
    assert failed.action is action
    assert (failed.code, failed.message) == ("action_failed", "disk full")
    assert "disk full" in str(failed)
    timed_out = errors.ActionTimeoutError(action, 12.5)
    assert timed_out.timeout == 12.5
    assert "12.5 s" in str(timed_out)


def test_validation_error_names_the_field() -> None:
    error = errors.ValidationError("labels", "bad key")
    assert (error.field, str(error)) == ("labels", "labels: bad key")
    assert isinstance(error, ValueError)
