"""Edges of the action poller (``_poller``) that mutation testing found unguarded.

The API is a fake ``fetch`` in virtual time whose clock starts at ``T``, not 0.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
from collections.abc import Sequence

import attrs
import pytest

from hetzner_async import PollPolicy
from hetzner_async._budget import Spare
from hetzner_async._poller import ActionPoller
from hetzner_async.errors import (
    ActionFailedError,
    ActionTimeoutError,
    ClientClosedError,
    HetznerError,
    UnknownActionStatusError,
)
from hetzner_async.models import Action, ActionStatus

from ..virtual_time import run_virtual
from .test_forecast import action

T = 1000.0
POLICY = PollPolicy(jitter=0)


def ended(a: Action, status: str = "success") -> Action:
    return attrs.evolve(a, status=ActionStatus(status), progress=100)


class FakeAPI:
    """Answers ``GET /actions?id=..`` from ``states``; logs each request's time and ids."""

    def __init__(self, *actions: Action, took: float = 0.0) -> None:
        self.states = {a.id: a for a in actions}
        self.calls: list[tuple[float, list[int]]] = []
        self.took = took
        #: Raised by every request while set.
        self.error: BaseException | None = None
        #: Requests wait for this while it is not None.
        self.hold: asyncio.Event | None = None

    async def fetch(self, ids: Sequence[int]) -> list[Action]:
        self.calls.append((asyncio.get_running_loop().time() - T, list(ids)))
        if self.hold is not None:
            await self.hold.wait()
        if self.took:
            await asyncio.sleep(self.took)
        if self.error is not None:
            raise self.error
        return [self.states[i] for i in ids if i in self.states]


def test_every_request_is_counted_and_a_finished_action_wakes_its_waiter() -> None:
    async def main() -> tuple[int, FakeAPI, list[Action]]:
        api = FakeAPI(action(1))
        poller = ActionPoller(api.fetch, POLICY, random.Random(0))
        assert poller.requests == 0
        task = asyncio.create_task(poller.wait([action(1)], timeout=60))
        await asyncio.sleep(2)
        api.states[1] = ended(action(1))
        result = await task
        return poller.requests, api, result

    (requests, api, result), _ = run_virtual(main, start=T)
    assert requests == len(api.calls) > 1
    assert result[0].status is ActionStatus.SUCCESS


def test_the_default_deadline_applies_without_a_timeout() -> None:
    async def main() -> ActionTimeoutError:
        api = FakeAPI(action(1, command="poweroff"))
        poller = ActionPoller(api.fetch, POLICY, random.Random(0))
        with pytest.raises(ActionTimeoutError) as raised:
            await poller.wait([action(1, command="poweroff")], timeout=None)
        await poller.close()
        return raised.value

    error, waited = run_virtual(main, start=T)
    assert waited == pytest.approx(300)  # FALLBACK_DEADLINE for a power action
    assert error.timeout == 300


def test_one_failed_action_fails_the_wait_at_once() -> None:
    async def main() -> float:
        api = FakeAPI(ended(action(1), "error"), action(2, server=2))
        poller = ActionPoller(api.fetch, POLICY, random.Random(0))
        with pytest.raises(ActionFailedError):
            await poller.wait([action(1), action(2, server=2)], timeout=60)
        await poller.close()
        return asyncio.get_running_loop().time() - T

    at, _ = run_virtual(main, start=T)
    assert at == pytest.approx(POLICY.initial)  # the first poll, not the deadline


def test_a_poll_that_fails_fails_its_waiters_with_that_error() -> None:
    async def main() -> tuple[BaseException, list[int]]:
        api = FakeAPI(action(1), action(2, server=2))
        api.error = HetznerError("the API is down")
        poller = ActionPoller(api.fetch, POLICY, random.Random(0))
        with pytest.raises(HetznerError) as raised:
            await poller.wait([action(1)], timeout=60)
        # Nothing of it lingers: the next wait polls its own action only.
        api.error = None
        api.calls.clear()
        api.states[2] = ended(action(2, server=2))
        await poller.wait([action(2, server=2)], timeout=60)
        return raised.value, sorted({i for _, ids in api.calls for i in ids})

    (error, asked), _ = run_virtual(main, start=T)
    assert str(error) == "the API is down"
    assert asked == [2]


def test_a_poll_that_fails_after_a_waiter_left_still_fails_the_others() -> None:
    async def main() -> BaseException:
        api = FakeAPI(action(1), action(2, server=2))
        api.hold = asyncio.Event()
        poller = ActionPoller(api.fetch, POLICY, random.Random(0))
        leaves = asyncio.create_task(poller.wait([action(1)], timeout=60))
        stays = asyncio.create_task(poller.wait([action(2, server=2)], timeout=60))
        await asyncio.sleep(1)  # both are in the poll now in flight, the one that leaves first
        assert [ids for _, ids in api.calls] == [[1, 2]]
        leaves.cancel()
        await asyncio.gather(leaves, return_exceptions=True)
        api.error = HetznerError("the API is down")
        api.hold.set()
        with pytest.raises(HetznerError) as raised:
            await stays
        return raised.value

    assert type(run_virtual(main, start=T)[0]) is HetznerError


def test_an_action_missing_from_the_answer_fails_its_waiter() -> None:
    async def main() -> BaseException:
        api = FakeAPI()  # knows no action
        poller = ActionPoller(api.fetch, POLICY, random.Random(0))
        with pytest.raises(HetznerError) as raised:
            await poller.wait([action(5)], timeout=60)
        return raised.value

    error = run_virtual(main, start=T)[0]
    assert type(error) is HetznerError
    assert "action 5 " in str(error)


def test_a_status_this_sdk_does_not_know_ends_the_wait() -> None:
    async def main() -> UnknownActionStatusError:
        api = FakeAPI(ended(action(1), "paused"))
        poller = ActionPoller(api.fetch, POLICY, random.Random(0))
        with pytest.raises(UnknownActionStatusError) as raised:
            await poller.wait([action(1)], timeout=60)
        return raised.value

    error = run_virtual(main, start=T)[0]
    assert error.action.id == 1
    assert str(error.action.status) == "paused"


def test_the_poller_runs_as_a_named_task() -> None:
    async def main() -> list[str]:
        api = FakeAPI(action(1))
        poller = ActionPoller(api.fetch, POLICY, random.Random(0))
        task = asyncio.create_task(poller.wait([action(1)], timeout=60))
        await asyncio.sleep(0)
        names = [t.get_name() for t in asyncio.all_tasks()]
        await poller.close()
        await asyncio.gather(task, return_exceptions=True)
        return names

    assert "hetzner_async action poller" in run_virtual(main, start=T)[0]


def test_a_timeout_looks_once_more_in_batches_of_25() -> None:
    async def main() -> tuple[list[list[int]], int, ActionTimeoutError]:
        actions = [action(i, server=i) for i in range(1, 31)]
        api = FakeAPI(*actions)
        poller = ActionPoller(api.fetch, POLICY, random.Random(0))
        with pytest.raises(ActionTimeoutError) as raised:
            await poller.wait(actions, timeout=0.1)  # before the first poll
        await poller.close()
        return [ids for _, ids in api.calls], poller.requests, raised.value

    calls, requests, error = run_virtual(main, start=T)[0]
    assert [sorted(ids) for ids in calls] == [list(range(1, 26)), list(range(26, 31))]
    assert requests == 2
    assert error.action.id == 1


def test_a_timeout_whose_last_look_fails_reports_the_action_as_given() -> None:
    async def main() -> ActionTimeoutError:
        api = FakeAPI(action(1, progress=10))
        api.error = HetznerError("the API is down")
        poller = ActionPoller(api.fetch, POLICY, random.Random(0))
        with pytest.raises(ActionTimeoutError) as raised:
            await poller.wait([action(1, progress=10)], timeout=0.1)
        await poller.close()
        return raised.value

    error = run_virtual(main, start=T)[0]
    assert error.action == action(1, progress=10)
    assert isinstance(error.__cause__, HetznerError)


@pytest.mark.parametrize("how", ["success", "error", "cancel"])
def test_nothing_of_a_finished_wait_lingers(how: str) -> None:
    """A later wait for the same ID reports its own state of the action, not an old one."""

    async def main() -> Action:
        api = FakeAPI(action(1, progress=10))
        poller = ActionPoller(api.fetch, POLICY, random.Random(0))
        first = asyncio.create_task(poller.wait([action(1, progress=10)], timeout=60))
        await asyncio.sleep(POLICY.initial + 0.1)  # seen running at 10 %
        if how == "cancel":
            first.cancel()
        elif how == "error":
            api.error = HetznerError("the API is down")
        else:
            api.states[1] = ended(action(1))
        await asyncio.gather(first, return_exceptions=True)
        api.error = HetznerError("the API is down")
        with pytest.raises(ActionTimeoutError) as raised:
            await poller.wait([action(1, progress=20)], timeout=0.1)
        await poller.close()
        return raised.value.action

    assert run_virtual(main, start=T)[0].progress == 20


def test_a_timeout_with_one_action_finished_reports_the_one_still_running() -> None:
    async def main() -> ActionTimeoutError:
        api = FakeAPI(ended(action(1)), action(2, server=2))
        poller = ActionPoller(api.fetch, POLICY, random.Random(0))
        with pytest.raises(ActionTimeoutError) as raised:
            await poller.wait([action(1), action(2, server=2)], timeout=2)
        await poller.close()
        return raised.value

    assert run_virtual(main, start=T)[0].action.id == 2


def test_a_cancelled_poller_fails_its_waiters_as_closed() -> None:
    async def main() -> tuple[ClientClosedError, float]:
        api = FakeAPI(action(1))
        poller = ActionPoller(api.fetch, POLICY, random.Random(0))
        task = asyncio.create_task(poller.wait([action(1)], timeout=60))
        await asyncio.sleep(1)
        assert poller._task is not None
        poller._task.cancel()
        with pytest.raises(ClientClosedError) as raised:
            await task
        return raised.value, asyncio.get_running_loop().time() - T

    error, at = run_virtual(main, start=T)[0]
    assert at == pytest.approx(1)
    assert "cancelled" in str(error)


def test_a_poller_that_breaks_fails_its_waiters_logs_and_can_start_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def main() -> tuple[BaseException, BaseException | None, list[Action]]:
        api = FakeAPI(action(1))
        api.error = RuntimeError("a bug")
        poller = ActionPoller(api.fetch, POLICY, random.Random(0))
        with pytest.raises(RuntimeError) as raised:
            await poller.wait([action(1)], timeout=60)
        assert poller._task is not None
        await asyncio.sleep(0)
        stopped = poller._task.exception()  # the loop ended quietly: its waiters were told
        api.error = None
        api.states[1] = ended(action(1))
        again = await poller.wait([action(1)], timeout=60)
        return raised.value, stopped, again

    with caplog.at_level(logging.ERROR, logger="hetzner_async"):
        (error, stopped, again), _ = run_virtual(main, start=T)
    assert str(error) == "a bug"
    assert stopped is None
    assert again[0].status is ActionStatus.SUCCESS
    assert any("RuntimeError('a bug')" in r.getMessage() for r in caplog.records)


def test_closing_ends_a_poll_in_flight_before_it_returns() -> None:
    async def main() -> tuple[bool, BaseException]:
        api = FakeAPI(action(1))
        api.hold = asyncio.Event()  # the poll never comes back
        poller = ActionPoller(api.fetch, POLICY, random.Random(0))
        task = asyncio.create_task(poller.wait([action(1)], timeout=60))
        await asyncio.sleep(1)
        loop_task = poller._task
        assert loop_task is not None
        await poller.close()
        done = loop_task.done()
        with pytest.raises(ClientClosedError) as raised:
            await task
        return done, raised.value

    done, _ = run_virtual(main, start=T)[0]
    assert done


def test_half_the_shortest_of_the_latest_eight_round_trips_leads_the_polls() -> None:
    async def main() -> list[float]:
        api = FakeAPI(action(1))
        poller = ActionPoller(api.fetch, POLICY, random.Random(0))
        leads = []
        for took in [0.1] + [0.4] * 8:
            api.took = took
            await poller._poll([1], {1})
            leads.append(poller._forecast.lead)
        return leads

    leads = run_virtual(main, start=T)[0]
    assert leads[0] == pytest.approx(0.05)
    assert leads[-2] == pytest.approx(0.05)  # the 0.1 s trip is among the latest eight
    assert leads[-1] == pytest.approx(0.2)  # and then no longer


def test_the_allowance_of_polls_refills_at_the_spare_rate() -> None:
    poller = ActionPoller(FakeAPI().fetch, POLICY, random.Random(0))
    # 0.5 polls a second, over the 5 s cap: room for 2.
    assert poller._affordable(T, 0.5) == (2, T)
    poller._allowance -= 2
    assert poller._affordable(T + 1, 0.5) == (0, T + 2)  # half a poll saved: one more at +2 s
    assert poller._affordable(T + 2, 0.5) == (1, T + 2)


def test_a_budget_held_back_allows_no_polls_and_looks_again_after_the_cap() -> None:
    poller = ActionPoller(FakeAPI().fetch, POLICY, random.Random(0))
    assert poller._affordable(T, 0.0) == (1, T)  # the first round always goes
    poller._allowance -= 1
    assert poller._affordable(T + 1, 0.0) == (0, T + 1 + POLICY.cap)


def test_a_scarce_budget_waits_a_little_for_the_next_poll_to_be_due() -> None:
    async def main() -> list[tuple[float, list[int]]]:
        api = FakeAPI(action(1), action(2, server=2))
        scarce = Spare(rate=math.inf, scarcity=0.01)  # patience: 0.05 s
        poller = ActionPoller(api.fetch, POLICY, random.Random(0), spare=lambda share: scarce)
        first = asyncio.create_task(poller.wait([action(1)], timeout=60))
        await asyncio.sleep(0.2)
        second = asyncio.create_task(poller.wait([action(2, server=2)], timeout=60))
        await asyncio.sleep(0.4)
        await poller.close()
        await asyncio.gather(first, second, return_exceptions=True)
        return api.calls

    calls = run_virtual(main, start=T)[0]
    assert calls[0][0] == pytest.approx(POLICY.initial)  # one due is enough: it goes on time
