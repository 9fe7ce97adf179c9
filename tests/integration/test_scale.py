"""Provisioning at scale against the fake: one budget, one poller, no duplicates, under faults.

These run in seconds of real time: the fake's bucket is small and refills fast, and its actions
take a fraction of a second. They are correctness tests with request-count bounds, not timings.
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from hetzner_async import HetznerClient, PollPolicy, RetryPolicy
from hetzner_async._governor import rate_limit_deadline
from hetzner_async.errors import RateLimitError
from hetzner_async.testing import FakeConfig, FakeHetznerCloud, Fault, FaultKind

from ..spec_recorder import SpecRecorder

POLL = PollPolicy(initial=0.1, factor=1.5, cap=0.5)
RETRY = RetryPolicy(base=0.05, cap=0.2)


def names(fake: FakeHetznerCloud) -> list[str]:
    return [server["name"] for server in fake.sync().servers.values()]


@pytest.fixture
def fake_config(spec_recorder: SpecRecorder) -> FakeConfig:
    return FakeConfig(
        action_duration=0.2, rate_limit=50, rate_limit_refill=25.0, on_response=spec_recorder
    )


#: Each kind of fault, on every route, at 5% of requests in all.
FAULT_KINDS: list[dict[str, Any]] = [
    {"kind": FaultKind.ERROR, "status": 503, "code": "unavailable"},
    {"kind": FaultKind.ERROR, "status": 502, "code": "bad_gateway", "envelope": False},
    {"kind": FaultKind.ERROR, "status": 409, "code": "conflict"},
    {"kind": FaultKind.DROP_BEFORE},
    {"kind": FaultKind.DROP_AFTER},
    {"kind": FaultKind.TRUNCATE},
    {"kind": FaultKind.MALFORMED},
    {"kind": FaultKind.HANG, "delay": 1.0},
    {"kind": FaultKind.SLOW, "delay": 0.05},
    {"kind": FaultKind.LATENCY, "delay": 0.05},
]


async def test_500_concurrent_creates_under_faults_make_exactly_500_servers(
    fake: FakeHetznerCloud, make_client: Callable[..., HetznerClient]
) -> None:
    """Limit 50 refilling 25/s, 5% faults of every kind, drops after commit included."""
    for fields in FAULT_KINDS:
        fake.add_fault(Fault(**fields, times=None, probability=0.05 / len(FAULT_KINDS)))
    count = 500
    async with make_client(poll=POLL, retry=RETRY, read_timeout=0.5) as hz:

        async def provision(i: int) -> str:
            server = await hz.servers.create_and_wait(
                name=f"node-{i:03d}", server_type="cx22", image="debian-12", labels={"fleet": "a"}
            )
            return server.name

        created = await asyncio.gather(*(provision(i) for i in range(count)))
        throttled = hz._transport.governor.throttled
    stored = names(fake)
    assert sorted(created) == sorted(f"node-{i:03d}" for i in range(count))
    assert len(stored) == count
    assert Counter(stored).most_common(1)[0][1] == 1  # no two servers with one name
    assert sum(fake.stats.faults.values()) > 0
    assert fake.stats.faults.get("drop_after", 0) > 0
    # The design's bound: one client mirrors the bucket, so a 429 needs the mirror to be wrong,
    # which happens only where a fault hid a response's headers; allow 2% of requests.
    assert fake.stats.rate_limited == throttled
    assert fake.stats.rate_limited <= 0.02 * fake.stats.total
    # Requests: 500 creates, a re-read per 25 servers, batched polls, and what faults cost
    # (retries, look-ups after ambiguous creates): well under two requests per server.
    assert fake.stats.total <= 2 * count, fake.stats.requests


async def test_requests_spent_are_creates_plus_batched_polls(
    fake: FakeHetznerCloud, make_client: Callable[..., HetznerClient]
) -> None:
    """N creates and waits cost N creates plus ceil(pending/25) requests per poll tick."""
    count = 100
    async with make_client(poll=PollPolicy(initial=0.1, factor=1.5, cap=0.5, jitter=0)) as hz:
        results = await asyncio.gather(
            *(
                hz.servers.create(name=f"n-{i}", server_type="cx22", image="debian-12")
                for i in range(count)
            )
        )
        await asyncio.gather(*(hz.actions.wait(r.action, *r.next_actions) for r in results))
        ticks = hz.actions._poller.requests
    creates = fake.stats.count(method="POST", path="/servers")
    polls = fake.stats.count(method="GET", path="/actions")
    assert creates == count, fake.stats.requests
    # 200 actions (create + start) in batches of 25: at most 8 requests a tick, and the waits
    # of 200 actions end after a handful of ticks, far below one request per action per tick.
    assert polls == ticks
    action_ids = 2 * count
    assert polls <= math.ceil(action_ids / 25) * 8
    assert fake.stats.rate_limited == 0


async def test_a_429_storm_holds_every_task_then_paces_them(
    fake: FakeHetznerCloud, make_client: Callable[..., HetznerClient]
) -> None:
    """Drain the bucket behind the client's back: the tasks wait together, then go paced."""
    async with make_client() as hz:
        await hz.servers.list()  # learn the budget
        # Another process empties the project's budget.
        async with HetznerClient(fake.token, endpoint=fake.url, strict=True) as other:
            while other.rate_limit is None or other.rate_limit.remaining > 0:
                await other.servers.list()
        loop = asyncio.get_running_loop()
        finished: list[float] = []

        async def one() -> None:
            await hz.servers.list()
            finished.append(loop.time())

        start = loop.time()
        await asyncio.gather(*(one() for _ in range(20)))
        governor = hz._transport.governor
    # At most one 429 per request already in flight when the bucket ran dry.
    assert governor.throttled <= 20
    assert governor.waits >= 1
    # 20 requests at 25/s from an empty bucket take about 0.8 s: paced, not all at once.
    span = max(finished) - start
    assert span >= 0.5
    assert fake.stats.rate_limited <= 20 + 1


async def test_two_clients_on_one_token_stay_within_the_budget_together(
    fake: FakeHetznerCloud, make_client: Callable[..., HetznerClient]
) -> None:
    """Both mirror the same project bucket through the headers and converge."""
    async with make_client() as first, make_client() as second:

        async def burst(hz: HetznerClient, n: int) -> None:
            await asyncio.gather(*(hz.servers.list() for _ in range(n)))

        await asyncio.gather(burst(first, 100), burst(second, 100))
    # 200 requests through a 50-request bucket: the first burst overdraws at most by what each
    # client had in flight when the other spent the budget (its connection pool: 32 each).
    assert fake.stats.count(method="GET", path="/servers", status=200) == 200
    assert fake.stats.rate_limited <= 2 * 32


async def test_a_deadline_turns_a_long_wait_into_rate_limit_error(
    make_client: Callable[..., HetznerClient], fake: FakeHetznerCloud
) -> None:
    async with make_client() as hz:
        await asyncio.gather(*(hz.servers.list() for _ in range(50)))  # spend the bucket
        with rate_limit_deadline(0.001), pytest.raises(RateLimitError) as raised:
            await asyncio.gather(*(hz.servers.list() for _ in range(10)))
        assert raised.value.deadline_exceeded
        await hz.servers.list()  # without a deadline it just waits


async def test_cancelled_waiters_leave_and_the_client_goes_idle(
    make_client: Callable[..., HetznerClient], fake: FakeHetznerCloud
) -> None:
    async with make_client() as hz:
        res = await hz.servers.create(name="c", server_type="cx22", image="debian-12")
        waiter = asyncio.create_task(hz.actions.wait(res.action))
        await asyncio.sleep(0.02)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        await asyncio.sleep(0.1)  # a poll already on the wire may still land
        before = fake.stats.total
        await asyncio.sleep(0.5)
        assert fake.stats.total == before  # nobody waits: no polling
