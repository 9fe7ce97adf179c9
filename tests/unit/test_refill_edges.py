"""Edges of the refill estimate (``_refill``) that mutation testing found unguarded.

Readings are fed by hand: ``missing`` requests from a full bucket, ``full_at`` seconds on the
client's clock (less an unknown offset) until the bucket is full again.
"""

from __future__ import annotations

import math

import pytest

from hetzner_async._refill import TRUSTED_SPAN, Reading, RefillEstimate


def fed(*readings: tuple[int, float, float], until_full: float = 0.0) -> RefillEstimate:
    """Fold (missing, full_at, latency) readings into a fresh estimate; return it."""
    estimate = RefillEstimate()
    for missing, full_at, latency in readings:
        estimate.observe(
            missing=missing,
            until_full=until_full,
            full_at=full_at,
            throttled=False,
            floor=0.0,
            latency=latency,
        )
    return estimate


def test_bounds_of_a_pair_allow_for_rounding_and_both_latencies() -> None:
    # 20 more missing, 20 s further from full: refill time between 20 - 1 - 2 and 20 + 1 + 0.5.
    estimate = fed((10, 100.0, 0.5), (30, 120.0, 2.0))
    assert estimate.lower == pytest.approx(19 / 21.5)
    assert estimate.upper == pytest.approx(21 / 17)
    assert estimate.span == pytest.approx(20)


def test_readings_that_arrive_fullest_last_bound_the_rate_as_well() -> None:
    estimate = fed((30, 120.0, 0.0), (10, 100.0, 0.0))
    assert (estimate.lower, estimate.upper) == pytest.approx((19 / 21, 21 / 19))


@pytest.mark.parametrize(("gained", "bounded"), [(0, False), (1, False), (2, True), (3, True)])
def test_a_pair_tells_the_rate_only_from_two_requests_apart(gained: int, bounded: bool) -> None:
    estimate = fed((10, 100.0, 0.0), (10 + gained, 110.0, 0.0))
    assert (estimate.lower > 0) is bounded
    if bounded:
        assert estimate.lower == pytest.approx((gained - 1) / 11)
        assert estimate.upper == pytest.approx((gained + 1) / 9)


def test_a_pair_that_contradicts_a_token_bucket_is_ignored() -> None:
    # Further from full and yet a second sooner full: no refill time fits.
    assert fed((10, 100.0, 0.0), (20, 99.0, 0.0)).lower == 0
    # Half a second of refill time at most, none at least: a lower bound only.
    estimate = fed((10, 100.0, 0.0), (20, 99.5, 0.0))
    assert estimate.lower == pytest.approx(9 / 0.5)
    assert estimate.upper == math.inf
    assert estimate.span == 0


def test_an_upper_bound_from_less_than_a_second_of_refill() -> None:
    estimate = fed((10, 100.0, 0.0), (20, 101.5, 0.0))  # 0.5 s to 2.5 s apart
    assert estimate.upper == pytest.approx(11 / 0.5)
    assert estimate.lower == pytest.approx(9 / 2.5)


def test_the_latency_defaults_to_none() -> None:
    estimate = RefillEstimate()
    for missing, full_at in [(10, 100.0), (30, 120.0)]:
        estimate.observe(missing=missing, until_full=0, full_at=full_at, throttled=False, floor=0)
    assert estimate.upper == pytest.approx(21 / 19)
    assert estimate.lower == pytest.approx(19 / 21)


def test_a_full_bucket_says_nothing_and_one_missing_request_is_a_reading() -> None:
    # Nothing missing: no reading kept, no pair formed with it.
    full = fed((0, 100.0, 0.0), (20, 120.0, 0.0))
    assert (full.lower, full.upper, full.fewest, full.most) == (0.0, math.inf, full.most, full.most)
    # One missing: kept, and paired with later readings.
    one = fed((1, 100.0, 0.0), (21, 120.0, 0.0))
    assert one.fewest == Reading(1, 100.0, 0.0)
    assert one.most == Reading(21, 120.0, 0.0)
    assert one.lower == pytest.approx(19 / 21)


def test_readings_with_as_many_missing_keep_the_latest() -> None:
    # The latest of equal extremes is kept: it pairs with what comes next.
    fewest = fed((5, 0.0, 0.0), (5, 3.0, 0.0), (25, 20.0, 0.0))
    assert fewest.fewest == Reading(5, 3.0, 0.0)
    assert fewest.upper == pytest.approx(21 / 16)
    most = fed((25, 20.0, 0.0), (25, 23.0, 0.0), (5, 0.0, 0.0))
    assert most.most == Reading(25, 23.0, 0.0)
    assert most.lower == pytest.approx(19 / 24)


@pytest.mark.parametrize(("until_full", "rate"), [(0.5, 20.0), (1.0, 10.0), (2.0, 5.0)])
def test_a_single_reading_within_a_second_of_full_still_counts(
    until_full: float, rate: float
) -> None:
    estimate = RefillEstimate()
    got = estimate.observe(
        missing=11, until_full=until_full, full_at=100.0, throttled=False, floor=0.1
    )
    assert got == pytest.approx(rate)


def test_pairs_are_trusted_from_exactly_the_trusted_span() -> None:
    # 10 s apart: the pair's lower bound is the rate, whatever a single reading said.
    estimate = fed((10, 100.0, 0.0), (30, 100.0 + TRUSTED_SPAN, 0.0), until_full=1.0)
    assert estimate.span == TRUSTED_SPAN
    assert estimate.direct > estimate.lower
    assert estimate.observe(
        missing=0, until_full=1, full_at=0, throttled=False, floor=0
    ) == pytest.approx(19 / 11)


def test_bounds_that_meet_still_decide() -> None:
    estimate = RefillEstimate(direct=5.0, lower=2.0, upper=2.0, span=1.0)
    assert estimate.observe(missing=0, until_full=1, full_at=0, throttled=False, floor=0) == 2.0
    contradictory = RefillEstimate(direct=5.0, lower=3.0, upper=2.0, span=1.0)
    assert contradictory.observe(missing=0, until_full=1, full_at=0, throttled=False, floor=0) == 5
