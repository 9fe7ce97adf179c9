"""Edges of the forecasts (``_forecast``) that mutation testing found unguarded.

Pure, on a clock given by hand that does not start at 0.
"""

from __future__ import annotations

import attrs
import pytest

from hetzner_async import PollPolicy
from hetzner_async._forecast import Forecast, Reading, Track
from hetzner_async.models import ActionStatus

from .test_forecast import MARGIN, action, forecast, timed_pair, track

#: A cap that never bounds: the forecasts alone set the poll times.
UNCAPPED = PollPolicy(jitter=0, cap=1000)


def learned(f: Forecast, took: float, *, times: int = 1, first_id: int = 100) -> None:
    """Let ``f`` learn that create_server took about ``took`` seconds, ``times`` times."""
    for i in range(first_id, first_id + times):
        f.add([action(i, server=i)], now=0.0)
        f.observe(action(i, server=i, progress=50), at=took * 0.505, due=True)
        f.ended(i, at=took + 1)


def test_elapsed_time_is_trusted_only_well_past_an_uncertain_start() -> None:
    assert not Track(1, "create_server", polled=0.0).elapsed_trusted(5.0)  # no start known
    uncertain = Track(1, "create_server", polled=0.0, start=100.0, start_error=1.0)
    assert not uncertain.elapsed_trusted(102.0)
    assert not uncertain.elapsed_trusted(103.0)  # exactly three times the error: not yet
    assert uncertain.elapsed_trusted(103.5)


def test_what_a_command_takes_is_the_median_of_the_latest_nine() -> None:
    f = forecast()
    learned(f, 100.0, times=9)
    learned(f, 10.0, times=9, first_id=200)
    took = f.duration("create_server")
    assert took is not None
    assert took == pytest.approx(10.0, rel=0.05)


def test_a_finished_action_in_a_call_does_not_hide_the_running_ones() -> None:
    f = forecast()
    done = attrs.evolve(action(1, progress=100), status=ActionStatus.SUCCESS)
    f.add([done, action(2, server=2)], now=10.0)
    assert list(f.tracks) == [2]


def test_an_action_handed_over_again_keeps_what_is_known_of_it() -> None:
    f = forecast()
    f.add([action(1)], now=10.0)
    f.observe(action(1, progress=30), at=11.0, due=True)
    before = track(f, 1)
    f.add([action(1, progress=30)], now=12.0)  # a second task waits for it too
    assert track(f, 1) is before
    assert before.latest == Reading(11.0, 30)


def test_an_action_waited_for_alone_stays_alone_when_its_follower_is_waited_for_too() -> None:
    f = forecast()
    f.add([action(1)], now=10.0)  # one task waits for the create alone
    assert track(f, 1).alone
    f.add([action(1), action(2, command="start_server")], now=10.0)  # another for both
    assert track(f, 2).after is track(f, 1)
    assert track(f, 1).alone


def test_an_action_that_ended_unforeseen_ended_between_the_two_polls() -> None:
    f = forecast()
    f.add([action(1), action(2, command="start_server")], now=10.0)
    f.observe(action(1), at=12.0, due=True)  # 0 %: nothing foretells its end
    assert track(f, 1).end is None
    f.observe(action(2), at=12.0, due=True)
    f.ended(1, at=14.0)
    follower = track(f, 2)
    assert follower.start == pytest.approx(13.0)  # the middle of 12 s and 14 s
    assert follower.start_error == pytest.approx(2.0)  # known within those two seconds
    assert follower.quiet == 0  # its polls so far said nothing of it: back off afresh
    assert follower.after is None


def test_only_progress_read_after_a_known_start_teaches_a_duration() -> None:
    f = forecast()
    f.add([action(1, progress=10)], now=10.0)  # met running: start unknown
    f.observe(action(1, progress=60), at=11.0, due=True)
    f.ended(1, at=12.0)
    assert f.duration("create_server") is None
    f.add([action(2, server=2)], now=20.0)
    f.observe(action(2, server=2), at=21.0, due=True)  # still 0 %: maybe not started
    f.ended(2, at=22.0)
    assert f.duration("create_server") is None
    f.add([action(3, server=3)], now=30.0)
    f.observe(action(3, server=3, progress=1), at=31.0, due=True)  # 1 % counts
    f.ended(3, at=32.0)
    assert f.duration("create_server") is not None


def test_one_percent_foretells_the_end_and_is_read_again_early() -> None:
    f = forecast(UNCAPPED)
    f.add([action(1)], now=10.0)
    f.observe(action(1, progress=1), at=11.0, due=True)
    assert track(f, 1).first == Reading(11.0, 1)
    end = 10.0 + 1.0 / 0.015
    assert track(f, 1).end == pytest.approx(end)
    earliest = 10.0 + 1.0 / 0.02  # 1 % may stand for almost 2 %
    assert track(f, 1).due == pytest.approx(11.0 + 0.75 * (earliest - 11.0))


def test_from_half_way_the_end_is_read_without_an_early_look() -> None:
    f = forecast(UNCAPPED)
    f.add([action(1)], now=10.0)
    f.observe(action(1, progress=50), at=11.0, due=True)
    end = 10.0 + 1.0 / 0.505
    assert track(f, 1).due == pytest.approx(end + MARGIN)


def test_a_duration_forecast_is_not_read_early() -> None:
    f = forecast(UNCAPPED)
    learned(f, 10.0)
    took = f.duration("create_server")
    assert took is not None
    f.add([action(1)], now=50.0)
    f.observe(action(1), at=51.0, due=True)  # 0 %: the duration alone foretells
    assert track(f, 1).due == pytest.approx(50.0 + took + MARGIN)


def test_an_early_look_closer_than_the_margin_is_skipped() -> None:
    f = forecast(UNCAPPED)
    f.add([action(1, progress=1)], now=10.0)  # no start known: the pace decides
    f.observe(action(1, progress=49), at=10.01, due=True)  # nearly done, very soon
    end = 10.01 + 51 / (48 / 0.01)
    assert track(f, 1).end == pytest.approx(end)
    assert track(f, 1).due == pytest.approx(end + MARGIN)


def test_a_forecast_that_ends_exactly_at_the_poll_backs_off() -> None:
    f = forecast(UNCAPPED)
    learned(f, 10.0)
    took = f.duration("create_server")
    assert took is not None
    f.add([action(1)], now=50.0)
    f.observe(action(1), at=50.0 + took, due=True)  # still 0 % when it should have ended
    assert track(f, 1).due == pytest.approx(50.0 + took + 0.75)  # the second back-off step


def test_a_running_action_at_100_percent_ends_at_its_elapsed_time() -> None:
    f = forecast(UNCAPPED)
    f.add([action(1)], now=10.0)
    f.observe(action(1, progress=100), at=12.0, due=True)
    assert track(f, 1).end == pytest.approx(12.0)


def test_before_its_start_is_trusted_a_follower_is_forecast_from_its_pace() -> None:
    f = forecast(UNCAPPED)
    f.add([action(1), action(2, command="start_server")], now=10.0)
    f.observe(action(1), at=10.0, due=True)
    f.ended(1, at=12.0)  # the start began at 11 s, give or take 2 s
    f.observe(action(2, command="start_server", progress=10), at=12.0, due=True)
    f.observe(action(2, command="start_server", progress=30), at=14.0, due=True)
    assert track(f, 2).end == pytest.approx(14.0 + 70 / 10)


def timed_start() -> tuple[Forecast, float]:
    """Return a forecast that has timed a create and its start_server, and how long the start
    took (about 0.6 s)."""
    f = timed_pair(UNCAPPED)
    took = f.duration("start_server")
    assert took is not None
    return f, took


def rough_follower() -> tuple[Forecast, float]:
    """As ``timed_start``, then a second pair whose create, foretold to end at about 11 s, is
    seen ended only at 11.6 s: its start_server (4) began then, give or take 0.6 s."""
    f, took = timed_start()
    f.add([action(3, server=8), action(4, command="start_server", server=8)], now=9.0)
    f.observe(action(3, server=8, progress=95), at=10.9, due=True)
    f.ended(3, at=11.6)
    return f, took


def test_one_reading_of_a_follower_with_a_rough_start_foretells_what_is_left() -> None:
    """A create foretold to end at about 11 s is seen ended only at 11.6 s: its start began
    then, give or take 0.6 s. Read at 73 % at 11.87 s, with start_server known to take about
    0.6 s, 26.5 % of that is left. Its rough start plus 0.6 s lies before the reading: backing
    off from there saw such actions end up to ``initial`` (0.5 s) late."""
    f, took = rough_follower()
    start = track(f, 4)
    assert start.start is not None
    assert start.start + took < 11.87  # the old forecast: passed at the reading
    assert start.start_error > 0.5  # its elapsed time is not trusted yet
    f.observe(action(4, server=8, command="start_server", progress=73), at=11.87, due=True)
    end = 11.87 + took * (1 - 0.735)
    assert start.end == pytest.approx(end)
    assert start.due == pytest.approx(end + MARGIN)


def test_one_percent_of_a_follower_with_a_rough_start_foretells_what_is_left() -> None:
    f, took = rough_follower()
    f.observe(action(4, server=8, command="start_server", progress=1), at=11.7, due=True)
    assert track(f, 4).end == pytest.approx(11.7 + took * (1 - 0.015))


def test_a_follower_whose_predecessor_is_forgotten_has_no_start_to_foretell_from() -> None:
    """Nobody waits for the create any more: its start_server, known to take about 0.6 s, has
    no known start, so nothing foretells its end; it is polled on the backing-off schedule."""
    f, _ = timed_start()
    f.add([action(3, server=8), action(4, command="start_server", server=8)], now=9.0)
    f.forget(3)
    assert track(f, 4).after is None
    assert track(f, 4).start is None
    assert track(f, 4).end is None
    assert track(f, 4).due == pytest.approx(9.0 + UNCAPPED.initial)


def test_a_follower_read_twice_early_is_read_again_before_its_fastest_pace_ends_it() -> None:
    """Its start known only roughly (not yet trusted), 1 % and 3 % 0.08 s apart: the pace
    foretells the end, and the early look aims three quarters of the way to the end the
    fastest pace those readings allow (three points in 0.08 s)."""
    f, _ = rough_follower()
    f.observe(action(4, server=8, command="start_server", progress=1), at=11.62, due=True)
    f.observe(action(4, server=8, command="start_server", progress=3), at=11.70, due=True)
    start = track(f, 4)
    assert not start.elapsed_trusted(11.70)
    end = 11.70 + 97 / (2 / 0.08)
    fastest = 11.70 + 96 / (3 / 0.08)
    assert start.end == pytest.approx(end)
    assert start.due == pytest.approx(11.70 + 0.75 * (fastest - 11.70))


def test_two_readings_at_the_same_moment_give_no_pace() -> None:
    f = forecast(UNCAPPED)
    f.add([action(1, progress=10)], now=10.0)
    f.observe(action(1, progress=30), at=10.0, due=True)
    assert track(f, 1).end is None


def test_forgetting_an_action_frees_what_follows_it() -> None:
    f = forecast()
    f.forget(999)  # not tracked: nothing happens
    f.add([action(1), action(2, command="start_server")], now=10.0)
    f.forget(1)
    assert list(f.tracks) == [2]
    assert track(f, 2).after is None
    assert track(f, 2).due == pytest.approx(10.5)  # its own schedule now


def test_quiet_polls_count_only_when_due_and_telling_nothing() -> None:
    f = forecast()
    f.add([action(1, progress=10)], now=10.0)
    f.observe(action(1, progress=10), at=10.5, due=True)  # no movement
    assert track(f, 1).quiet == 1
    assert track(f, 1).latest == Reading(10.0, 10)  # the reading that moved is kept
    f.observe(action(1, progress=10), at=11.0, due=False)  # filled a request: no tick
    assert track(f, 1).quiet == 1
    f.observe(action(1, progress=10), at=11.5, due=True)
    assert track(f, 1).quiet == 2
    f.observe(action(1, progress=11), at=12.0, due=True)  # it moved: start afresh
    assert track(f, 1).quiet == 0


def test_a_zero_percent_reading_that_filled_a_request_does_not_back_off() -> None:
    f = forecast()
    f.add([action(1)], now=10.0)
    f.observe(action(1), at=10.2, due=False)
    assert track(f, 1).quiet == 0
    f.observe(action(1), at=10.4, due=True)
    f.observe(action(1), at=10.6, due=True)
    f.observe(action(1, progress=1), at=10.8, due=True)  # 1 % moved
    assert track(f, 1).quiet == 0


def test_polls_due_within_half_the_margin_go_together() -> None:
    f = forecast(PollPolicy(jitter=0, margin=0.06))
    f.add([action(i, server=i) for i in range(1, 5)], now=0.0)
    for i, due in zip(range(1, 5), [100.0, 100.02, 100.03, 100.05], strict=True):
        track(f, i).due = due
    ids, due = f.select(now=100.0, size=25, requests=1)
    assert due == {1, 2, 3}  # within 0.03 s
    assert ids == [1, 2, 3, 4]  # the fourth, due 0.05 s on, fills the request


def test_wake_for_one_is_the_earliest_due() -> None:
    f = forecast()
    f.add([action(i, server=i) for i in range(1, 4)], now=0.0)
    for i in range(1, 4):
        track(f, i).due = 100.0 + i
    assert f.wake(need=1, patience=50.0) == 101.0


def test_a_follower_read_just_when_its_start_is_trusted_is_not_read_again_at_once() -> None:
    f = forecast(UNCAPPED)
    f.add([action(1), action(2, command="start_server")], now=10.0)
    f.observe(action(1), at=10.0, due=True)
    f.ended(1, at=12.0)  # the start began at 11 s, give or take 2 s: trusted from 17 s
    f.observe(action(2, command="start_server"), at=17.0, due=True)  # still 0 %
    assert track(f, 2).due == pytest.approx(17.0 + 0.75)  # backs off
