"""Forecasts of when actions end, and when to poll them: pure, on a clock given by hand."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest

from hetzner_async import PollPolicy
from hetzner_async._convert import strict_converter, structure
from hetzner_async._forecast import Forecast, Track
from hetzner_async.models import Action

from ..examples import example

#: No jitter, so that the backing-off schedule is exact.
POLICY = PollPolicy(jitter=0)
MARGIN = POLICY.margin


def action(
    action_id: int, progress: int = 0, command: str = "create_server", server: int = 7
) -> Action:
    data: dict[str, Any] = copy.deepcopy(example("action_generic")["action"])
    data.update(
        id=action_id,
        command=command,
        status="running",
        progress=progress,
        finished=None,
        error=None,
        resources=[{"id": server, "type": "server"}],
    )
    return structure(strict_converter, data, Action)


def forecast(policy: PollPolicy = POLICY) -> Forecast:
    return Forecast(policy, random.Random(0))


def track(f: Forecast, action_id: int) -> Track:
    return f.tracks[action_id]


def timed_pair(policy: PollPolicy = POLICY) -> Forecast:
    """Return a forecast that has timed one create_server (read at 90 % at 1.8 s, seen ended at
    2.05 s) and the start_server after it (30 % at 2.2 s, ended at 2.6 s)."""
    f = forecast(policy)
    f.add([action(1), action(2, command="start_server")], now=0.0)
    f.observe(action(1, progress=90), at=1.8, due=True)
    f.ended(1, at=2.05)
    f.observe(action(2, progress=30), at=2.2, due=True)
    f.ended(2, at=2.6)
    return f


def test_an_action_that_says_nothing_is_polled_on_the_backing_off_schedule() -> None:
    f = forecast()
    f.add([action(1)], now=10.0)
    assert track(f, 1).end is None
    assert track(f, 1).due == pytest.approx(10.5)  # initial
    f.observe(action(1, progress=0), at=10.5, due=True)
    assert track(f, 1).due == pytest.approx(10.5 + 0.75)  # x1.5
    f.observe(action(1, progress=0), at=11.25, due=True)
    assert track(f, 1).due == pytest.approx(11.25 + 1.125)


def test_progress_since_a_known_start_foretells_the_end() -> None:
    """Fresh from its request at 10 s, 80 % at 11.6 s: 80.5 % of 2 s, read again just after."""
    f = forecast()
    f.add([action(1)], now=10.0)
    f.observe(action(1, progress=80), at=11.6, due=True)
    end = 10.0 + 1.6 / 0.805  # the middle of what a whole 80 % stands for
    assert track(f, 1).end == pytest.approx(end)
    assert track(f, 1).due == pytest.approx(end + MARGIN)


def test_an_early_reading_is_read_again_three_quarters_of_the_way() -> None:
    """At 25 % a whole percentage stands for 4 % of the time: one more reading first, three
    quarters of the way to the earliest end 25 % allows (it may stand for almost 26 %)."""
    f = forecast()
    f.add([action(1)], now=0.0)
    f.observe(action(1, progress=25), at=0.5, due=True)
    end = 0.5 / 0.255
    assert track(f, 1).end == pytest.approx(end)
    assert track(f, 1).due == pytest.approx(0.5 + 0.75 * (0.5 / 0.26 - 0.5))


def test_a_pace_read_over_a_few_points_is_read_again_before_its_fastest_end() -> None:
    """1 % and 3 % read 0.09 s apart: the middle guess (23 % a second, ends at about 4.3 s)
    may be half as slow as the truth (up to 3 points in 0.09 s: ends at 3.2 s or so). The
    early look goes three quarters of the way to the fastest end, before the action can end."""
    f = forecast()
    f.add([action(1, progress=1)], now=0.0)
    f.observe(action(1, progress=3), at=0.09, due=True)
    middle = 0.09 + 97 / (2 / 0.09)
    fastest = 0.09 + 96 / (3 / 0.09)
    assert track(f, 1).end == pytest.approx(middle)
    assert track(f, 1).due == pytest.approx(0.09 + 0.75 * (fastest - 0.09))
    assert track(f, 1).due < fastest


def test_half_a_round_trip_places_the_readings_and_sends_the_poll_early() -> None:
    """With answers taking 0.04 s: the API started the action, and read its progress, 0.02 s
    before each answer came; the poll leaves 0.02 s before it should be read."""
    f = forecast()
    f.lead = 0.02
    f.add([action(1)], now=0.0)
    assert track(f, 1).start == pytest.approx(-0.02)
    f.observe(action(1, progress=90), at=1.8, due=True)
    end = -0.02 + 1.8 / 0.905
    assert track(f, 1).end == pytest.approx(end)
    assert track(f, 1).due == pytest.approx(end + MARGIN - 0.02)


def test_without_a_known_start_two_readings_give_the_pace() -> None:
    f = forecast()
    f.add([action(1, progress=20)], now=0.0)  # met half way: when it started is unknown
    assert track(f, 1).end is None
    f.observe(action(1, progress=60), at=2.0, due=True)  # 20 % a second
    assert track(f, 1).end == pytest.approx(4.0)


def test_a_forecast_that_passed_backs_off_instead_of_polling_at_once() -> None:
    f = forecast()
    f.add([action(1, progress=20)], now=0.0)
    f.observe(action(1, progress=60), at=2.0, due=True)
    f.observe(action(1, progress=60), at=4.0 + MARGIN, due=True)  # stalled past its forecast
    assert track(f, 1).due > 4.0 + MARGIN + 0.4


def test_no_action_goes_longer_than_the_cap_without_a_poll() -> None:
    f = forecast()
    f.add([action(1)], now=0.0)
    f.observe(action(1, progress=60), at=30.0, due=True)  # ends at about 50 s
    assert track(f, 1).due == pytest.approx(30.0 + POLICY.cap)


def test_what_follows_an_action_rides_with_it_until_it_ends() -> None:
    """A create and its start, waited for together: the start runs after the create."""
    f = forecast()
    create, start = action(1), action(2, command="start_server")
    f.add([create, start], now=0.0)
    assert track(f, 2).after is track(f, 1)
    assert track(f, 2).start is None
    assert track(f, 2).due == track(f, 1).due


def test_a_chain_of_known_commands_is_asked_for_once_at_its_end() -> None:
    """Once create_server and start_server have been timed, a new pair is polled once: when the
    start ends, since nobody waits for the create alone."""
    f = timed_pair()
    create_took = f.duration("create_server")
    start_took = f.duration("start_server")
    assert create_took == pytest.approx(1.8 / 0.905)
    # It started when the create ended; its forecast (0.211 s for 30.5 %) said later than the
    # answer that saw it ended: that answer bounds it.
    assert start_took == pytest.approx(2.6 - 1.8 / 0.905)

    f.add([action(3, server=8), action(4, command="start_server", server=8)], now=10.0)
    end = 10.0 + create_took + start_took
    assert track(f, 4).end == pytest.approx(end)
    assert track(f, 4).due == pytest.approx(end + MARGIN)
    assert track(f, 3).due == track(f, 4).due  # the create's own end would wake nobody


def test_an_action_someone_waits_for_alone_keeps_its_own_poll() -> None:
    f = timed_pair()
    f.add([action(3, server=8), action(4, command="start_server", server=8)], now=10.0)
    f.add([action(3, server=8)], now=10.0)  # another task waits for the create only
    assert track(f, 3).due < track(f, 4).due


def test_one_late_start_does_not_spoil_what_a_command_is_known_to_take() -> None:
    f = forecast()
    for i, took in enumerate([2.0, 2.01, 1.99, 1.2, 2.0]):  # 1.2: its start was noted late
        f.add([action(i + 1, server=i)], now=0.0)
        f.observe(action(i + 1, server=i, progress=50), at=took * 0.505, due=True)
        f.ended(i + 1, at=took + 0.01)
    assert f.duration("create_server") == pytest.approx(2.0, abs=0.01)


def test_select_asks_for_the_due_first_and_fills_the_request_with_the_next() -> None:
    f = forecast(PollPolicy(jitter=0, margin=0.0))
    f.add([action(i, server=i) for i in range(1, 31)], now=0.0)
    for i in range(1, 31):
        track(f, i).due = float(i)
    ids, due = f.select(now=3.0, size=25, requests=1)
    assert due == {1, 2, 3}
    assert ids == list(range(1, 26))  # three due, 22 more for free
    ids, due = f.select(now=27.0, size=25, requests=1)
    assert len(ids) == 25
    assert due == set(range(1, 26))  # the most overdue, as many as one request carries


def test_wake_waits_for_enough_due_actions_or_for_its_patience() -> None:
    f = forecast()
    f.add([action(i, server=i) for i in range(1, 11)], now=0.0)
    for i in range(1, 11):
        track(f, i).due = float(i)
    assert f.wake(need=1, patience=0.0) == 1.0
    assert f.wake(need=5, patience=10.0) == 5.0  # five are due at 5 s
    assert f.wake(need=5, patience=2.0) == 3.0  # the first has waited long enough at 3 s
