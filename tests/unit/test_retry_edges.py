"""The retry policy's documented promises: its defaults, the idempotent methods, what may apply."""

from __future__ import annotations

import random

import attrs
import pytest

from hetzner_async import errors
from hetzner_async._retry import (
    IDEMPOTENT_METHODS,
    RetryPolicy,
    may_have_been_applied,
    resend_wait,
)


def test_retry_policy_defaults_are_the_documented_ones() -> None:
    # README "Retries and rate limits": base 1 s, cap 30 s, 5 attempts; a 429 wait of more
    # than 300 s raises. 10 rate-limited tries is the default the transport documents.
    assert attrs.asdict(RetryPolicy()) == {
        "max_attempts": 5,
        "base": 1.0,
        "cap": 30.0,
        "max_rate_limit_attempts": 10,
        "max_rate_limit_wait": 300.0,
    }


def test_only_methods_that_cannot_repeat_a_side_effect_count_as_idempotent() -> None:
    # POST creates and PATCH is not used: repeating either could apply a change twice.
    assert frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}) == IDEMPOTENT_METHODS


@pytest.mark.parametrize(
    ("error", "applied"),
    [
        (errors.APIConnectionError("reset", sent=True, method="POST", path="/s"), True),
        (errors.APIConnectionError("refused", sent=False, method="POST", path="/s"), False),
        (errors.UnexpectedResponseError(status=201, code="x", message="m"), True),
        (errors.ServerError(status=500, code="server_error", message="m"), True),
        (errors.GatewayTimeoutError(status=504, code="timeout", message="m"), True),
        # An answered 4xx was refused before anything happened.
        (errors.NotFoundError(status=404, code="not_found", message="m"), False),
        (errors.APIError(status=499, code="x", message="m"), False),
        (errors.ValidationError("name", "bad"), False),
    ],
)
def test_may_have_been_applied(error: errors.HetznerError, applied: bool) -> None:
    assert may_have_been_applied(error) is applied


class Bounds:
    """Stands in for ``random.Random``: answers the interval it was asked to draw from."""

    def uniform(self, low: float, high: float) -> tuple[float, float]:
        return (low, high)


@pytest.mark.parametrize(
    ("resends", "ceiling"), [(1, 1.0), (2, 2.0), (3, 4.0), (5, 16.0), (6, 30.0), (12, 30.0)]
)
def test_a_resent_create_waits_between_half_the_ceiling_and_the_ceiling(
    resends: int, ceiling: float
) -> None:
    # Default policy: the ceiling doubles from base 1 s and stops at cap 30 s.
    interval = resend_wait(RetryPolicy(), resends, Bounds())  # type: ignore[arg-type]
    assert interval == (ceiling / 2, ceiling)


def test_resend_waits_follow_the_policy() -> None:
    policy = RetryPolicy(base=0.5, cap=3.0)
    rng = random.Random(7)
    for resends, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 3.0), (9, 3.0)]:
        for _ in range(20):
            assert ceiling / 2 <= resend_wait(policy, resends, rng) <= ceiling
