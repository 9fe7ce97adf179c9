"""Fixtures of the queue tests: a real redis-server, the standalone fake cloud, arq workers."""

from __future__ import annotations

import itertools
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from arq import ArqRedis, create_pool
from arq.connections import RedisSettings

from .cluster import (
    EXAMPLES,
    FakeCloud,
    Workers,
    fake_cloud,
    redis_server,
    require_redis_server,
    worker_env,
)

# The example is a package under examples/, imported by the tests as the workers import it.
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))

_queues = itertools.count()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A throw-away redis-server on a free loopback port, installed first if missing."""
    with redis_server(require_redis_server()) as url:
        yield url


@pytest.fixture
def fake_options() -> dict[str, float]:
    """Override with ``@pytest.mark.parametrize("fake_options", [{...}])``."""
    return {}


@pytest.fixture
def fake(fake_options: dict[str, float]) -> Iterator[FakeCloud]:
    """The fake cloud as its own process: limit 50 refilling 50/s, actions of 0.1 s."""
    with fake_cloud(**fake_options) as running:
        yield running


@pytest.fixture
async def arq_redis(redis_url: str) -> AsyncIterator[ArqRedis]:
    """An arq connection pool, as the enqueuer uses it."""
    redis = await create_pool(RedisSettings.from_dsn(redis_url))
    yield redis
    await redis.aclose()


@pytest.fixture
def queue() -> str:
    """A queue name of its own for each test."""
    return f"test-queue-{next(_queues)}"


@pytest.fixture
def start_workers(
    redis_url: str, fake: FakeCloud, queue: str, tmp_path: Path
) -> Iterator[Callable[..., Workers]]:
    """Start arq workers on the test's queue against the fake; stop them at teardown."""
    started: list[Workers] = []

    def start(count: int, *, shared: bool = True, job_timeout: float = 10.0) -> Workers:
        # Each test has a fake of its own, so a project (a budget) of its own.
        shared_budget = f"project-{queue}" if shared else None
        env = worker_env(
            redis_url, fake, queue=queue, shared_budget=shared_budget, job_timeout=job_timeout
        )
        workers = Workers(env, tmp_path)
        started.append(workers)
        workers.start(count)
        return workers

    yield start
    for workers in started:
        workers.stop()
