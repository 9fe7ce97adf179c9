"""The governor's mirror of the API's token bucket, as pure arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest

from hetzner_async._governor import Budget
from hetzner_async._wire import RateLimit

WALL = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.UTC)


def reading(limit: int, remaining: int, until_full: float) -> RateLimit:
    return RateLimit(limit, remaining, WALL + dt.timedelta(seconds=until_full))


def observed(*readings: tuple[RateLimit, int, bool], start: Budget | None = None) -> Budget:
    budget = start or Budget()
    for rate_limit, in_flight, throttled in readings:
        budget.observe(rate_limit, now=0.0, wall_now=WALL, uncounted=in_flight, throttled=throttled)
    return budget


def test_first_reading_sets_limit_tokens_and_the_hourly_floor_rate() -> None:
    budget = observed((reading(3600, 3600, 0), 0, False))
    assert (budget.limit, budget.tokens, budget.rate) == (3600, 3600.0, 1.0)


@pytest.mark.parametrize(
    ("local", "header", "in_flight", "expected"),
    [
        # The header is the truth when nothing else is in flight.
        (40.0, 30, 0, 30.0),
        (20.0, 30, 0, 30.0),
        # Others in flight may not be counted in the header yet: keep the local view if it is
        # within [header - in_flight, header].
        (27.0, 30, 5, 27.0),
        # Local view more optimistic than the header: the header wins (another process spent).
        (45.0, 30, 5, 30.0),
        # Local view far too pessimistic: at least header - in_flight.
        (10.0, 30, 5, 25.0),
        # A 429 reading of 0 with requests in flight may push below zero: they will be paid for.
        (3.0, 0, 4, 0.0),
        (-2.0, 0, 4, -2.0),
    ],
)
def test_observe_keeps_the_estimate_between_the_header_and_header_minus_in_flight(
    local: float, header: int, in_flight: int, expected: float
) -> None:
    budget = Budget(limit=100, tokens=local, rate=1.0, updated=0.0)
    observed((reading(100, header, 1000), in_flight, False), start=budget)
    assert budget.tokens == pytest.approx(expected)


@pytest.mark.parametrize(
    ("limit", "remaining", "until_full", "rate"),
    [
        # One request fewer than Remaining says is counted missing (Remaining is rounded down).
        (3600, 0, 3600, 1.0),  # the documented 1/s (3599/3600 s, and never below the hourly floor)
        (50, 0, 2, 24.5),  # a faster test bucket
        (50, 0, 3, 49 / 3),  # Reset rounded up: an underestimate, never an overestimate
        (7200, 3600, 1800, 2.0),  # 3599/1800 s is below the hourly floor of 7200/h
    ],
)
def test_rate_is_learned_from_how_far_the_bucket_is_from_full(
    limit: int, remaining: int, until_full: float, rate: float
) -> None:
    budget = observed(
        (reading(limit, limit, 0), 0, False), (reading(limit, remaining, until_full), 0, False)
    )
    assert budget.rate == pytest.approx(rate)


def test_the_best_rate_estimate_is_kept_until_a_429_says_otherwise() -> None:
    budget = observed(
        (reading(50, 50, 0), 0, False),
        (reading(50, 0, 2), 0, False),  # 49/2 s
        (reading(50, 40, 1), 0, False),  # 9/1 s: a coarse reading, ignored
    )
    assert budget.rate == pytest.approx(24.5)
    observed((reading(50, 0, 5), 0, True), start=budget)  # a 429: believe it, 49/5 s
    assert budget.rate == pytest.approx(9.8)


@pytest.mark.parametrize(
    ("tokens", "rate", "needed", "delay"),
    [
        (5.0, 1.0, 1, 0.0),
        (0.0, 1.0, 1, 1.0),
        (0.5, 2.0, 1, 0.25),
        (-3.0, 1.0, 1, 4.0),
        (0.0, 25.0, 5, 0.2),
    ],
)
def test_delay_until_enough_budget(tokens: float, rate: float, needed: int, delay: float) -> None:
    budget = Budget(limit=100, tokens=tokens, rate=rate, updated=0.0)
    assert budget.delay(0.0, needed) == pytest.approx(delay)


def test_refill_is_linear_and_stops_at_the_limit() -> None:
    budget = Budget(limit=10, tokens=0.0, rate=2.0, updated=0.0)
    budget.refill(2.0)
    assert budget.tokens == pytest.approx(4.0)
    budget.refill(100.0)
    assert budget.tokens == 10.0


def test_an_unknown_budget_never_delays() -> None:
    assert Budget().delay(0.0) == 0.0


def test_a_429_halves_the_share_once_per_burst_and_answers_win_it_back() -> None:
    """Multiplicative decrease on a 429 (others spend the same bucket), additive increase after."""
    budget = Budget(limit=50, tokens=10.0, rate=25.0, updated=0.0)
    empty = reading(50, 0, 2)
    for _ in range(5):  # five 429s of one burst, all at once
        budget.observe(empty, now=0.0, wall_now=WALL, uncounted=0, throttled=True)
    assert budget.share == 0.5
    assert budget.own_rate == pytest.approx(budget.rate / 2)
    for _ in range(10):
        budget.observe(reading(50, 20, 1), now=1.0, wall_now=WALL, uncounted=0, throttled=False)
    assert budget.share == pytest.approx(0.6)
    budget.observe(empty, now=5.0, wall_now=WALL, uncounted=0, throttled=True)  # a new burst
    assert budget.share == pytest.approx(0.3)


def test_a_shared_budget_counts_on_its_share_of_the_header() -> None:
    budget = Budget(limit=100, tokens=100.0, rate=1.0, updated=0.0, share=0.5)
    budget.observe(reading(100, 40, 60), now=0.0, wall_now=WALL, uncounted=0, throttled=False)
    assert budget.tokens == pytest.approx(40 * 0.51)


@pytest.mark.parametrize("remaining", [0, 1, 30, 99])
def test_a_429_empties_the_mirror_whatever_remaining_says(remaining: int) -> None:
    """A gateway's 429, or one counted before others spent: the bucket is empty either way."""
    budget = Budget(limit=100, tokens=50.0, rate=1.0, updated=0.0)
    budget.observe(
        reading(100, remaining, 100 - remaining),
        now=0.0,
        wall_now=WALL,
        uncounted=0,
        throttled=True,
    )
    assert budget.tokens <= 0
    # Until a request has refilled, or until the bucket is full again by Reset (plus a second
    # for clocks that differ), whichever comes first: never at once.
    assert budget.delay(0.0) >= min(1 / budget.own_rate, 100 - remaining + 1)


def test_a_tiny_bucket_is_full_again_by_its_reset_whatever_its_rate_seems() -> None:
    """3 requests refilled 40/s: the headers tell the rate only in whole requests over whole
    seconds (it looks like the hourly floor), but Reset says full within a second: wait that
    (plus a second for clocks that differ), not 20 minutes."""
    budget = Budget()
    budget.observe(reading(3, 2, 1), now=0.0, wall_now=WALL, uncounted=0, throttled=False)
    budget.take(0.0)
    budget.take(0.0)
    assert budget.rate == pytest.approx(3 / 3600)
    assert budget.delay(0.0) == pytest.approx(2.0)
    assert budget.delay(2.0) == 0.0
    budget.take(2.0)
    budget.take(2.0)
    budget.take(2.0)  # the three the full bucket holds, less none spent since the header
    assert budget.delay(2.0) > 2.0  # and then no more until a header says so


@pytest.mark.parametrize(("uncounted", "capped"), [(0, True), (1, False)])
def test_reset_counts_what_was_spent_since_its_header(uncounted: int, capped: bool) -> None:
    """Two spent after the header; with one more request that overlapped it (and may not be
    counted), the full bucket of three is all spent: Reset promises nothing more."""
    budget = Budget()
    budget.observe(reading(3, 2, 1), now=0.0, wall_now=WALL, uncounted=uncounted, throttled=False)
    budget.take(0.0)
    budget.take(0.0)
    assert (budget.delay(0.0) == pytest.approx(2.0)) is capped


def test_a_reset_in_the_past_with_requests_missing_is_not_trusted() -> None:
    """Clocks far apart: the header cannot be full already and empty at once."""
    budget = Budget()
    budget.observe(reading(3600, 0, -50), now=0.0, wall_now=WALL, uncounted=0, throttled=False)
    assert budget.delay(0.0) == pytest.approx(1.0)  # the hourly floor: one a second


@pytest.mark.parametrize(
    ("tokens", "spare_rate", "scarcity"),
    [
        (3600.0, 0.2 * (1.0 + 60.0), 1 / 61),  # full: the bucket over a minute, eager
        (600.0, 0.2 * (1.0 + 10.0), 1 / 11),
        (0.0, 0.2, 1.0),  # empty: the share of the refill alone
        (-3.0, 0.2, 1.0),
    ],
)
def test_polls_may_spend_their_share_of_the_refill_and_of_the_bucket_over_a_minute(
    tokens: float, spare_rate: float, scarcity: float
) -> None:
    budget = Budget(limit=3600, tokens=tokens, rate=1.0, updated=0.0)
    spare = budget.spare(0.0, share=0.2)
    assert spare.rate == pytest.approx(spare_rate)
    assert spare.scarcity == pytest.approx(scarcity)


def test_an_unknown_budget_spares_everything() -> None:
    spare = Budget().spare(0.0, share=0.2)
    assert spare.rate == float("inf")
    assert spare.scarcity == 0.0
