"""Waiting for actions on a busy budget, against the fake: polls that never starve, no 429s.

Real time, kept to a couple of seconds: a small bucket that refills fast, actions of 0.1 s.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from hetzner_async import HetznerClient, PollPolicy
from hetzner_async.testing import FakeConfig, FakeHetznerCloud

from ..spec_recorder import SpecRecorder


@pytest.fixture
def fake_config(spec_recorder: SpecRecorder) -> FakeConfig:
    # r18, faster: a bucket of 5 refilled 20/s (it was 10 and 2/s), actions of 0.1 s (1 s).
    return FakeConfig(
        rate_limit=5,
        rate_limit_refill=20.0,
        action_duration=0.1,
        latency=0.001,
        latency_max=0.01,  # answers overtake each other
        seed=7,
        on_response=spec_recorder,
    )


POLL = PollPolicy(initial=0.05, cap=0.3)


async def test_queued_creates_do_not_starve_the_poller(
    fake: FakeHetznerCloud, make_client: Callable[..., HetznerClient]
) -> None:
    """r18: 80 creates queue for the budget for about 4 s. The polls that see their actions
    finish go ahead of them: every wait (a create and its start, 0.2 s) ends within a deadline
    of half that queue, ten times the wait, so that only starvation can miss it (it did: an
    ActionTimeoutError for 32 of 60 in the repro)."""
    async with make_client(poll=POLL) as hz:
        loop = asyncio.get_running_loop()

        async def one(i: int) -> float:
            created = await hz.servers.create(name=f"s{i}", server_type="cx22", image="debian-12")
            began = loop.time()
            await hz.actions.wait(created.action, *created.next_actions, timeout=2.0)
            return loop.time() - began

        waited = await asyncio.gather(*(one(i) for i in range(80)))
    assert [server["status"] for server in fake.sync().servers.values()] == ["running"] * 80
    assert max(waited) < 2.0
    assert fake.stats.rate_limited == 0


async def test_one_client_meets_no_429_in_a_burst_of_deletes(
    fake: FakeHetznerCloud, make_client: Callable[..., HetznerClient]
) -> None:
    """A teardown: 20 deletes at once through a bucket of 5, their answers out of order (random
    latency before the API reads each request), then waits for every delete. The client paces
    itself: no 429."""
    async with make_client(poll=POLL) as hz:
        created = await asyncio.gather(
            *(
                hz.servers.create(name=f"t{i}", server_type="cx22", image="debian-12")
                for i in range(20)
            )
        )
        await hz.actions.wait(*(a for c in created for a in (c.action, *c.next_actions)))
        deletes = await asyncio.gather(*(hz.servers.delete(c.server.id) for c in created))
        await hz.actions.wait(*deletes)
    assert fake.stats.rate_limited == 0
    assert fake.sync().servers == {}
