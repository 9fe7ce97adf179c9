"""The shared rate-limit budget (hetzner_async.redis_budget) against a real redis-server."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import logging
import signal
import subprocess
from collections.abc import AsyncIterator, Iterator

import pytest
import redis.asyncio as aioredis

from hetzner_async import HetznerClient, RateLimit
from hetzner_async.redis_budget import RedisBudget
from hetzner_async.testing import FakeConfig, FakeHetznerCloud

from .cluster import free_port, redis_process, require_redis_server

_projects = itertools.count()


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture
def budget(redis: aioredis.Redis) -> RedisBudget:
    return RedisBudget(redis, project=f"unit-{next(_projects)}")


def headers(remaining: int, limit: int = 100) -> RateLimit:
    reset = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=limit - remaining)
    return RateLimit(limit=limit, remaining=remaining, reset=reset)


async def test_the_budget_is_unknown_until_a_response_reports_it(budget: RedisBudget) -> None:
    assert await budget.take() is None
    await budget.observe(headers(3), estimate=None, throttled=False)
    assert [await budget.take() for _ in range(3)] == [0, 0, 0]
    # Empty: the wait is one request's worth at the floor rate (100 per hour).
    assert await budget.take() == pytest.approx(36.0, rel=0.01)


async def test_headers_only_lower_the_mirror(budget: RedisBudget) -> None:
    await budget.observe(headers(50), estimate=None, throttled=False)
    await budget.observe(headers(2), estimate=None, throttled=False)  # someone else spent
    await budget.observe(headers(90), estimate=None, throttled=False)  # an older, stale reading
    assert [await budget.take() for _ in range(2)] == [0, 0]
    assert (await budget.take() or 0) > 0


async def test_a_429_empties_the_mirror_and_the_learned_rate_paces_it(
    budget: RedisBudget,
) -> None:
    await budget.observe(headers(50), estimate=10.0, throttled=False)
    await budget.observe(headers(0), estimate=4.0, throttled=True)
    assert await budget.take() == pytest.approx(0.25, rel=0.05)  # the latest rate after a 429


async def test_two_clients_draw_from_one_bucket_without_429s(
    redis: aioredis.Redis, redis_url: str
) -> None:
    """Two clients (as two processes would) burst 3x the bucket at once: no 429."""
    config = FakeConfig(rate_limit=20, rate_limit_refill=40.0)
    async with FakeHetznerCloud(config) as fake:
        project = f"burst-{next(_projects)}"

        def client() -> HetznerClient:
            budget = RedisBudget(redis, project=project)
            return HetznerClient(fake.token, endpoint=fake.url, shared_budget=budget)

        async with client() as one, client() as two:
            await asyncio.gather(*(hz.servers.list() for hz in (one, two) for _ in range(30)))
        # Bound: each client's first request (its probe) bypasses the shared mirror.
        assert fake.stats.rate_limited <= 1
        assert fake.stats.total >= 60


async def test_without_redis_each_process_falls_back_to_its_own_mirror(
    caplog: pytest.LogCaptureFixture,
) -> None:
    unreachable = aioredis.Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=0.5)
    async with FakeHetznerCloud(FakeConfig(rate_limit=20, rate_limit_refill=40.0)) as fake:
        budget = RedisBudget(unreachable, project="down")
        with caplog.at_level(logging.WARNING, logger="hetzner_async"):
            async with HetznerClient(fake.token, endpoint=fake.url, shared_budget=budget) as hz:
                await asyncio.gather(*(hz.servers.list() for _ in range(30)))
        assert fake.stats.rate_limited == 0
    assert "shared rate-limit budget unreachable" in caplog.text
    await unreachable.aclose()


@pytest.fixture
def stoppable_redis() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A redis-server of this test's own, which the test may stop (SIGSTOP) and resume."""
    with redis_process(require_redis_server()) as running:
        yield running


async def test_a_redis_that_stops_answering_is_skipped_after_a_short_timeout(
    stoppable_redis: tuple[str, subprocess.Popen[bytes]], caplog: pytest.LogCaptureFixture
) -> None:
    """A partition or a failover: Redis accepts connections and never answers. Requests fall
    back to the process's own mirror after the timeout, stop asking Redis for a while, and go
    back to it once it answers again."""
    url, proc = stoppable_redis
    redis = aioredis.Redis.from_url(url)
    budget = RedisBudget(redis, project="stalled", timeout=0.2, retry_after=1.0)
    loop = asyncio.get_running_loop()
    async with FakeHetznerCloud(FakeConfig(rate_limit=20, rate_limit_refill=40.0)) as fake:
        with caplog.at_level(logging.WARNING, logger="hetzner_async"):
            async with HetznerClient(fake.token, endpoint=fake.url, shared_budget=budget) as hz:
                await hz.servers.list()
                await hz.servers.list()
                proc.send_signal(signal.SIGSTOP)
                started = loop.time()
                async with asyncio.timeout(5):
                    await hz.servers.list()  # waits for Redis at most the timeout
                    first = loop.time() - started
                    await asyncio.gather(*(hz.servers.list() for _ in range(20)))
                stalled = loop.time() - started
                proc.send_signal(signal.SIGCONT)
                await asyncio.sleep(1.0)  # retry_after: Redis is asked again
                await hz.servers.list()
                shared = await redis.hgetall(budget.key)
        await redis.aclose()
    assert first < 1.0
    assert stalled < 1.5  # not 0.2 s per request: Redis is skipped while it is down
    assert fake.stats.rate_limited == 0  # the local mirror governed meanwhile
    assert caplog.text.count("shared rate-limit budget unreachable") == 1
    assert "shared rate-limit budget available again" in caplog.text
    assert shared[b"limit"] == b"20"
