"""When the shared poller asks, in virtual time: at forecast ends, sized to the budget, never late.

The API is simulated: each action runs for a known time from a known start, its progress rising
linearly and read as a whole percentage (as the fake and the API report it), each answer taking
``latency`` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import math
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest

from hetzner_async import PollPolicy
from hetzner_async._budget import UNLIMITED, Spare
from hetzner_async._convert import strict_converter, structure
from hetzner_async._poller import ActionPoller
from hetzner_async.errors import ActionTimeoutError
from hetzner_async.models import Action

from ..examples import example
from ..virtual_time import run_virtual

POLICY = PollPolicy(jitter=0)
MARGIN = POLICY.margin


class SimulatedActions:
    """Actions that run from ``start`` for ``duration`` seconds; ``fetch`` reads them now."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.runs: dict[int, tuple[float, float, str, int]] = {}
        #: When each poll was read by the "API", and the IDs it asked for.
        self.polls: list[tuple[float, list[int]]] = []

    def start(
        self, action_id: int, duration: float, command: str = "create_server", server: int = 1
    ) -> Action:
        """Start an action now; return it as the request that started it would."""
        now = asyncio.get_running_loop().time()
        self.runs[action_id] = (now, duration, command, server)
        return self.read(action_id, now)

    def follow(self, action_id: int, after: int, duration: float) -> Action:
        """Start an action that runs once ``after`` has ended (a create's start_server)."""
        start, took, _, server = self.runs[after]
        self.runs[action_id] = (start + took, duration, "start_server", server)
        return self.read(action_id, asyncio.get_running_loop().time())

    def read(self, action_id: int, now: float) -> Action:
        start, duration, command, server = self.runs[action_id]
        done = now >= start + duration
        progress = 100 if done else max(0, math.floor(100 * (now - start) / duration))
        data: dict[str, Any] = copy.deepcopy(example("action_generic")["action"])
        data.update(
            id=action_id,
            command=command,
            status="success" if done else "running",
            progress=progress,
            error=None,
            resources=[{"id": server, "type": "server"}],
        )
        if not done:
            data["finished"] = None
        return structure(strict_converter, data, Action)

    async def fetch(self, ids: Sequence[int]) -> list[Action]:
        loop = asyncio.get_running_loop()
        await asyncio.sleep(self.latency / 2)
        self.polls.append((loop.time(), list(ids)))
        found = [self.read(i, loop.time()) for i in ids]
        await asyncio.sleep(self.latency / 2)
        return found


@contextlib.asynccontextmanager
async def poller(api: SimulatedActions, spare: Spare = UNLIMITED) -> AsyncIterator[ActionPoller]:
    """A poller reading the simulated API, whose budget share is ``spare``; closed at the end."""
    hz = ActionPoller(api.fetch, POLICY, spare=lambda share: spare)
    try:
        yield hz
    finally:
        await hz.close()


def test_a_poll_lands_within_the_margin_after_the_forecast_end() -> None:
    """A 2 s action: read at 0.5 s (25 %), again three quarters of the way to the earliest end
    25 % allows (78 %), then polled just after the end that reading foretells, and its waiter
    woken by that poll."""
    api = SimulatedActions()

    async def main() -> float:
        async with poller(api) as hz:
            await hz.wait([api.start(1, 2.0)], timeout=60)
            return asyncio.get_running_loop().time()

    woken, _ = run_virtual(main)
    times = [t for t, _ in api.polls]
    assert times[:2] == pytest.approx([0.5, 0.5 + 0.75 * (0.5 / 0.26 - 0.5)])
    foretold = times[1] / 0.785  # 78 % read at 1.567 s
    assert times[2] == pytest.approx(foretold + MARGIN)
    assert 2.0 <= times[2] <= 2.0 + 2 * MARGIN
    assert len(times) == 3
    assert woken == pytest.approx(times[2])


def test_half_the_round_trip_is_sent_ahead() -> None:
    """With answers taking 0.1 s, the poll leaves 0.05 s before it should be read."""
    api = SimulatedActions(latency=0.1)

    async def main() -> None:
        async with poller(api) as hz:
            await hz.wait([api.start(1, 2.0)], timeout=60)

    run_virtual(main)
    (*_, (read_at, _)) = api.polls
    assert 2.0 <= read_at <= 2.0 + 2 * MARGIN


def test_a_known_chain_is_polled_once_when_its_last_action_ends() -> None:
    """After one create (2 s) and its start (0.5 s) have been timed, the next pair costs one
    poll, just after the start ends."""
    api = SimulatedActions()

    async def pair(hz: ActionPoller, first: int, server: int) -> float:
        hz_create = api.start(first, 2.0, server=server)
        start = api.follow(first + 1, after=first, duration=0.5)
        await hz.wait([hz_create, start], timeout=60)
        return asyncio.get_running_loop().time()

    async def main() -> tuple[float, float]:
        async with poller(api) as hz:
            await pair(hz, 1, server=1)
            polls_before = len(api.polls)
            begun = asyncio.get_running_loop().time()
            woken = await pair(hz, 3, server=2)
            assert len(api.polls) == polls_before + 1
            return begun, woken

    (begun, woken), _ = run_virtual(main)
    assert begun + 2.5 <= woken <= begun + 2.5 + 2 * MARGIN


def test_progress_that_says_nothing_falls_back_to_backing_off() -> None:
    api = SimulatedActions()

    async def main() -> None:
        async with poller(api) as hz:
            with pytest.raises(ActionTimeoutError):
                await hz.wait([api.start(1, 1000.0)], timeout=5.0)  # 0 % for its first 10 s

    run_virtual(main)
    times = [t for t, _ in api.polls]
    assert times[:4] == pytest.approx([0.5, 1.25, 2.375, 4.0625])


def test_with_a_low_budget_polls_drop_to_their_share_of_the_refill() -> None:
    """Forty actions that say nothing for two minutes: with a full bucket the poller backs off
    to one poll every 5 s; with polls' share of an empty bucket at 0.05/s, one every 20 s."""

    def polls_with(spare: Spare) -> list[float]:
        api = SimulatedActions()

        async def main() -> None:
            async with poller(api, spare) as hz:
                actions = [api.start(i, 1000.0, server=i) for i in range(1, 41)]
                with pytest.raises(ActionTimeoutError):
                    await hz.wait(actions, timeout=120.0)

        run_virtual(main)
        return sorted({t for t, _ in api.polls})

    plentiful = polls_with(Spare(rate=12.0, scarcity=0.02))
    low = polls_with(Spare(rate=0.05, scarcity=1.0))
    assert len(plentiful) > 25
    assert len(low) <= 120 * 0.05 + 2  # the share, plus the first round and the last look
    gaps = [b - a for a, b in itertools.pairwise(low[:-1])]  # the last look is extra
    assert min(gaps) >= 1 / 0.05 - 1e-6  # one request (of 25 actions) every 20 s


def test_when_the_budget_is_scarce_a_poll_waits_for_a_fuller_batch() -> None:
    """Actions ending one a second: with a scarce budget a poll waits until 25 are due or the
    first due has waited ``cap`` seconds, so each request wakes more waiters."""

    def polls_with(spare: Spare) -> list[tuple[float, list[int]]]:
        api = SimulatedActions()

        async def main() -> None:
            async with poller(api, spare) as hz:
                actions = [api.start(i, 0.0 + i, server=i) for i in range(1, 31)]
                await hz.wait(actions, timeout=600)

        run_virtual(main)
        return api.polls

    eager = polls_with(UNLIMITED)
    scarce = polls_with(Spare(rate=10.0, scarcity=1.0))
    assert len(scarce) < len(eager) / 2


def test_a_finished_action_is_no_timeout_when_polls_were_held_back() -> None:
    """The budget lets no poll go for minutes; the action ended at 1 s: past the 5 s deadline
    one more look finds it ended, and the wait returns it."""
    api = SimulatedActions()

    async def main() -> tuple[str, float]:
        async with poller(api, Spare(rate=0.001, scarcity=1.0)) as hz:
            await asyncio.sleep(0)
            (done,) = await hz.wait([api.start(1, 1.0)], timeout=5.0)
            return str(done.status), asyncio.get_running_loop().time()

    (status, woken), _ = run_virtual(main)
    assert status == "success"
    assert woken == pytest.approx(5.0)


def test_an_action_still_running_at_the_deadline_is_a_timeout() -> None:
    api = SimulatedActions()

    async def main() -> ActionTimeoutError:
        async with poller(api, Spare(rate=0.001, scarcity=1.0)) as hz:
            with pytest.raises(ActionTimeoutError) as raised:
                await hz.wait([api.start(1, 10.0)], timeout=5.0)
            return raised.value

    error, waited = run_virtual(main)
    assert waited == pytest.approx(5.0)
    assert error.action.progress == 50  # as the last look read it
