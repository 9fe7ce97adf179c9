"""Learning the refill rate when the client's clock is not the API's (pure, and in virtual time).

The API's bucket is the fake's own (``hetzner_async.testing.ratelimit``), driven by hand: the
client's clocks are ``now`` (monotonic) and ``WALL0 + now`` (wall), the API's is ``skew`` behind.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import random

import pytest

from hetzner_async._governor import Budget, Governor
from hetzner_async._refill import RefillEstimate
from hetzner_async._wire import RateLimit
from hetzner_async.testing import RateLimiter

from ..virtual_time import run_virtual

#: The client's wall clock at monotonic time 0.
WALL0 = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.UTC).timestamp()


def wall(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def learned_rates(limit: int, rate: float, skew: float, times: list[float]) -> list[float]:
    """Charge the API's bucket at these client times; return the mirror's rate after each answer."""
    clock = [0.0]
    limiter = RateLimiter(limit, rate, lambda: clock[0], lambda: WALL0 + clock[0] - skew)
    budget = Budget()
    rates = []
    for now in times:
        clock[0] = now
        status = limiter.check("token")
        assert status is not None
        assert status.allowed
        budget.observe(
            RateLimit(status.limit, status.remaining, wall(status.reset)),
            now=now,
            wall_now=wall(WALL0 + now),
            uncounted=0,
            throttled=False,
        )
        rates.append(budget.rate)
    return rates


def burst_then_paced(limit: int, rate: float, paced: int) -> list[float]:
    """Spend the bucket in a burst, then one request per refill."""
    burst = [i * 0.01 for i in range(limit)]
    return burst + [burst[-1] + (i + 1) / rate for i in range(paced)]


@pytest.mark.parametrize("skew", [-3.0, 0.0, 1.5, 3.0])
@pytest.mark.parametrize(("limit", "rate"), [(20, 1.0), (3600, 1.0), (100, 5.0)])
def test_the_learned_rate_settles_at_most_at_the_true_rate_whatever_the_clock_skew(
    limit: int, rate: float, skew: float
) -> None:
    rates = learned_rates(limit, rate, skew, burst_then_paced(limit, rate, paced=30))
    # Once the bucket is empty the rate paces every request: it must never be generous there,
    # and not much slower than the truth either.
    assert max(rates[limit:]) <= rate * 1.001
    assert rates[-1] >= rate * 0.9


def noisy_rates(limit: int, rate: float, skew: float, latency: float, seed: int) -> list[float]:
    """Like ``learned_rates``, with answers that take up to ``latency`` s, the API reading its
    bucket anywhere within that time, and answers arriving out of order."""
    rng = random.Random(seed)
    times = burst_then_paced(limit, rate, paced=40)
    tries = []
    for sent in times:
        took = rng.uniform(0, latency)
        tries.append((sent + rng.uniform(0, took), sent, took))  # (read by the API, sent, took)
    clock = [0.0]
    limiter = RateLimiter(limit, rate, lambda: clock[0], lambda: WALL0 + clock[0] - skew)
    answers = []
    for read, sent, took in sorted(tries):
        clock[0] = read
        status = limiter.check("token")
        assert status is not None
        answers.append((sent + took, sent, took, status))
    budget = Budget()
    rates = []
    for answered, sent, took, status in sorted(answers, key=lambda a: a[0]):
        budget.observe(
            RateLimit(status.limit, status.remaining, wall(status.reset)),
            now=answered,
            wall_now=wall(WALL0 + sent),
            uncounted=0,
            throttled=not status.allowed,
            latency=took,
        )
        rates.append(budget.rate)
    return rates


@pytest.mark.parametrize(("limit", "rate", "skew"), [(50, 50.0, 0.0), (20, 1.0, 2.0)])
@pytest.mark.parametrize("latency", [0.3, 1.0])
def test_slow_and_reordered_answers_never_make_the_rate_generous(
    limit: int, rate: float, skew: float, latency: float
) -> None:
    """A loaded machine answers late and out of order: the bounds must allow for that."""
    for seed in range(20):
        rates = noisy_rates(limit, rate, skew, latency=latency, seed=seed)
        assert max(rates[limit:]) <= rate * 1.05, f"seed {seed}"


def test_a_generous_early_guess_comes_back_down() -> None:
    """Ahead by 2.5 s, the first readings of a nearly full bucket promise far too much."""
    rates = learned_rates(20, 1.0, 2.5, burst_then_paced(20, 1.0, paced=5))
    assert max(rates[:5]) > 1.5  # a single reading cannot know better
    assert rates[-1] <= 1.0


def test_without_two_fill_levels_the_single_reading_estimate_stands() -> None:
    estimate = RefillEstimate()
    # One request fewer than Remaining says may be missing: 49 over 2 s.
    rate = estimate.observe(missing=50, until_full=2.0, full_at=2.0, throttled=False, floor=0.01)
    assert rate == pytest.approx(24.5)
    rate = estimate.observe(missing=50, until_full=2.5, full_at=2.5, throttled=False, floor=0.01)
    assert rate == pytest.approx(24.5)  # the same fill level: the larger estimate is closer


def test_headers_that_contradict_a_token_bucket_give_no_bounds() -> None:
    estimate = RefillEstimate()
    estimate.observe(missing=10, until_full=10.0, full_at=100.0, throttled=False, floor=0.01)
    rate = estimate.observe(missing=20, until_full=20.0, full_at=50.0, throttled=False, floor=0.01)
    assert math.isfinite(rate)
    assert rate == pytest.approx(19 / 20)  # the single readings' best, 19 missing over 20 s


@pytest.mark.parametrize("skew", [0.0, 1.5, 3.0])
def test_a_client_whose_clock_runs_ahead_meets_no_429(skew: float) -> None:
    """80 requests through a bucket of 20 refilling 1/s, with the API's clock 0-3 s behind."""

    async def main() -> int:
        loop = asyncio.get_running_loop()
        limiter = RateLimiter(20, 1.0, loop.time, lambda: WALL0 + loop.time() - skew)
        governor = Governor(max_wait=300, fallback_wait=1)
        throttled = 0
        for _ in range(80):
            await governor.acquire()
            sent_at = wall(WALL0 + loop.time())
            await asyncio.sleep(0.01)  # on the way there
            status = limiter.check("token")
            assert status is not None
            throttled += not status.allowed
            await asyncio.sleep(0.01)  # and back
            reading = RateLimit(status.limit, status.remaining, wall(status.reset))
            governor.release(reading, sent_at=sent_at, throttled=not status.allowed)
        return throttled

    throttled, elapsed = run_virtual(main)
    assert throttled == 0
    assert elapsed < 70  # 20 at once, then 60 at (nearly) the refill rate
