"""Every error survives pickling (job queues such as arq store a failed job's exception)."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

import hetzner_async.errors as errors
from hetzner_async.models import Action, ActionError, ActionStatus

ACTION = Action(
    id=7,
    command="create_server",
    status=ActionStatus.ERROR,
    progress=50,
    started=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    finished=None,
    resources=[],
    error=ActionError(code="no_capacity", message="no capacity"),
)
API = {"status": 422, "code": "invalid_input", "message": "bad", "correlation_id": "c1"}

SAMPLES = [
    errors.HetznerError("plain"),
    errors.ConfigurationError("no token"),
    errors.ValidationError("name", "must not be empty"),
    errors.ClientClosedError(in_flight=True),
    errors.WrongEventLoopError("other loop"),
    errors.InvalidInputError(**API, details={"fields": [{"name": "x", "messages": ["y"]}]}),
    errors.NotFoundError(status=404, code="not_found", message="gone", method="GET", path="/x"),
    errors.RateLimitError(
        status=429, code="rate_limit_exceeded", message="slow", deadline_exceeded=True
    ),
    errors.AppliedButUnreadableError(status=201, reason="cut", body="{", resource_id=5),
    errors.APIConnectionError("reset", sent=True, method="POST", path="/servers"),
    errors.APITimeoutError("slow", sent=False, method="GET", path="/servers"),
    errors.AmbiguousOutcomeError(method="POST", path="/servers", reason="timeout"),
    errors.ActionError("not done", action=ACTION),
    errors.ActionFailedError(ACTION),
    errors.ActionTimeoutError(ACTION, 30.0),
    errors.UnknownActionStatusError(ACTION),
]


def test_every_exported_error_class_has_a_sample() -> None:
    exported = {
        name
        for name in errors.__all__
        if isinstance(getattr(errors, name), type)
        and issubclass(getattr(errors, name), errors.HetznerError)
    }
    sampled = {type(sample).__name__ for sample in SAMPLES}
    # The API errors share APIError's constructor: two of them stand for the rest.
    api = {n for n in exported if issubclass(getattr(errors, n), errors.APIError)}
    assert exported - api <= sampled
    assert sampled <= exported


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: type(e).__name__)
def test_errors_survive_pickling(error: errors.HetznerError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.args == error.args
    assert vars(copy) == vars(error)
