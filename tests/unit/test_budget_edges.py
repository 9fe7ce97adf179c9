"""Edges of the token-bucket mirror (``_budget``) that mutation testing found unguarded.

The clock does not start at 0 here: ``T`` is the monotonic time of the first answer.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from hetzner_async._budget import Budget, Spare
from hetzner_async._wire import RateLimit

WALL = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.UTC)
T = 1000.0


def header(limit: int, remaining: int, until_full: float) -> RateLimit:
    return RateLimit(limit, remaining, WALL + dt.timedelta(seconds=until_full))


def seen(
    rate_limit: RateLimit, at: float = T, *, throttled: bool = False, latency: float = 0.0
) -> Budget:
    budget = Budget()
    budget.observe(
        rate_limit, now=at, wall_now=WALL, uncounted=0, throttled=throttled, latency=latency
    )
    return budget


def tiny_bucket_spent(latency: float = 0.0) -> Budget:
    """10 requests an hour, 9 left and full again in 1 s; then all 9 spent."""
    budget = seen(header(10, 9, 1), latency=latency)
    for _ in range(9):
        budget.take(T)
    return budget


def test_a_tiny_bucket_is_full_again_at_reset_plus_a_second() -> None:
    budget = tiny_bucket_spent()
    # The hourly refill would take 360 s; Reset says the bucket is full again 1 s (+1 s skew) on.
    assert budget.delay(T) == pytest.approx(2.0)
    assert budget.delay(T + 1.5) == pytest.approx(0.5)
    assert budget.delay(T + 1.9) == pytest.approx(0.1)


def test_reset_is_measured_from_when_the_request_was_sent() -> None:
    # The answer came 0.5 s after the request: Reset was 1 s after the sending, 0.5 s after now.
    assert tiny_bucket_spent(latency=0.5).delay(T) == pytest.approx(1.5)


def test_at_reset_the_bucket_holds_what_was_not_spent_since() -> None:
    budget = tiny_bucket_spent()
    budget.refill(T + 2.0)  # exactly when it is full again
    assert budget.tokens == pytest.approx(1.0)  # the 10, less the 9 spent since the header
    assert budget.delay(T + 2.0) == 0.0


def test_a_reset_that_has_come_already_tells_nothing() -> None:
    budget = seen(header(10, 9, 0))
    for _ in range(9):
        budget.take(T)
    assert budget.delay(T) == pytest.approx(360.0)  # the hourly refill alone


def test_with_half_the_share_the_bucket_is_only_half_full_at_reset() -> None:
    budget = tiny_bucket_spent()
    budget.share = 0.5
    budget.refill(T + 2.0)
    # Half of 10 is 5, and 9 are spent: Reset brings nothing back, only the (halved) refill.
    assert budget.tokens == pytest.approx(2 * 10 / 3600 * 0.5)


def test_a_bucket_that_does_not_refill_waits_forever_and_spares_nothing() -> None:
    budget = Budget(limit=10, tokens=0.0, rate=0.0, updated=T)
    assert budget.delay(T) == math.inf
    assert budget.spare(T, 0.2) == Spare(rate=0.0, scarcity=1.0)


def test_a_request_short_only_by_rounding_goes_at_once() -> None:
    budget = Budget(limit=10, tokens=1 - 1e-9, rate=1.0, updated=T)
    assert budget.delay(T) == 0.0


def test_a_429_within_a_burst_halves_the_share_once() -> None:
    # 3600/h: 1 request a second. After the first 429 the client counts on half of it, so 429s
    # within 4 of its own request intervals (8 s) belong to the same burst.
    budget = seen(header(3600, 3000, 3600))
    throttled = header(3600, 3000, 3600)
    budget.observe(throttled, now=T + 1, wall_now=WALL, uncounted=0, throttled=True)
    assert budget.share == 0.5
    budget.observe(throttled, now=T + 9, wall_now=WALL, uncounted=0, throttled=True)
    assert budget.share == 0.5  # 8 s after: still the same burst
    budget.observe(throttled, now=T + 9.5, wall_now=WALL, uncounted=0, throttled=True)
    assert budget.share == 0.25  # 8.5 s after the back-off: a new burst


def test_a_share_won_back_in_full_halves_again_on_the_next_429() -> None:
    # A fast bucket (100/s): answers win the share back within the burst window.
    budget = seen(header(360_000, 360_000, 0))
    full = header(360_000, 360_000, 0)
    budget.observe(full, now=T, wall_now=WALL, uncounted=0, throttled=True)
    assert budget.share == 0.5
    for _ in range(60):
        budget.observe(full, now=T, wall_now=WALL, uncounted=0, throttled=False)
    assert budget.share == 1.0
    budget.observe(full, now=T, wall_now=WALL, uncounted=0, throttled=True)
    assert budget.share == 0.5
